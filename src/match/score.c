/* Greedy alignment: every token pair (and pair of one token against two
 * joined) similar enough is an edge; edges are taken best first, each token
 * used once. Greedy is what an analyst does by eye and, on names of a few
 * tokens, gives the same result as an optimal assignment in practice. */
#include "match/score.h"
#include "text/script.h"

#include <stdlib.h>
#include <string.h>

#define MAX_EDGES (RF_MAX_TOKENS * RF_MAX_TOKENS * 3)

typedef struct cand_edge {
    rf_edge e;
    float weight; /* tie-break: rarer first */
} cand_edge;

static int edge_cmp(const void *pa, const void *pb) {
    const cand_edge *a = pa, *b = pb;
    if (a->e.sim != b->e.sim) return a->e.sim > b->e.sim ? -1 : 1;
    if (a->weight != b->weight) return a->weight > b->weight ? -1 : 1;
    if (a->e.qa != b->e.qa) return a->e.qa - b->e.qa;
    return a->e.la - b->e.la;
}

void rf_sims_from_tokens(const rf_tok *qtok, const rf_tok *qcat, uint32_t nq, const rf_tok *ltok,
                         const rf_tok *lcat, uint32_t nl, bool person, rf_sims_buf *buf,
                         rf_sims *s) {
    rf_token_how how;
    for (uint32_t j = 0; j < nl; j++) {
        float *pair = buf->sim[j][0], *ljoin = buf->sim[j][1], *qjoin = buf->sim[j][2];
        uint8_t *ph = buf->how[j][0], *lh = buf->how[j][1], *qh = buf->how[j][2];
        bool has_join = lcat && lcat[j].len;
        for (uint32_t i = 0; i < nq; i++) {
            pair[i] = (float)rf_tok_sim(&qtok[i], &ltok[j], person, &how);
            ph[i] = (uint8_t)how;
            ljoin[i] = 0;
            if (has_join) {
                ljoin[i] = (float)rf_tok_sim_key(&qtok[i], &lcat[j], &how);
                lh[i] = (uint8_t)(how == RF_HOW_EXACT ? RF_HOW_JOINED : how);
            }
            qjoin[i] = 0;
            if (qcat && i + 1 < nq && qcat[i].len) {
                qjoin[i] = (float)rf_tok_sim_key(&qcat[i], &ltok[j], &how);
                qh[i] = (uint8_t)(how == RF_HOW_EXACT ? RF_HOW_JOINED : how);
            }
        }
        s->pair[j] = pair;
        s->pair_how[j] = ph;
        s->ljoin[j] = has_join ? ljoin : NULL;
        s->ljoin_how[j] = lh;
        s->qjoin[j] = qjoin;
        s->qjoin_how[j] = qh;
    }
}

/* Where each token stands in a chain of "X bin Y bin Z" (RF_TC_LINK between
 * two name parts): ROLE_OWN before a link only (X), ROLE_PARENT after one
 * only (Z). Returns false when the name has no such link. */
enum { ROLE_NONE = 0, ROLE_OWN = 1, ROLE_PARENT = 2 };

static bool link_roles(const rf_side *s, uint8_t *role) {
    bool any = false;
    memset(role, 0, s->n);
    for (uint32_t i = 1; i + 1 < s->n; i++) {
        if (s->cls[i] != RF_TC_LINK || s->cls[i - 1] == RF_TC_LINK || s->cls[i + 1] == RF_TC_LINK)
            continue;
        role[i - 1] |= ROLE_OWN;
        role[i + 1] |= ROLE_PARENT;
        any = true;
    }
    return any;
}

/* Sorts edges best first: insertion sort, the lists are short. */
static void sort_edges(cand_edge *c, size_t n) {
    for (size_t i = 1; i < n; i++) {
        cand_edge x = c[i];
        size_t j = i;
        while (j > 0 && edge_cmp(&x, &c[j - 1]) < 0) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = x;
    }
}

rf_name_score rf_score_names(const rf_side *q, const rf_side *l, const rf_sims *sm, rf_edge *edges,
                             size_t *nedges) {
    rf_name_score r = {0, 0, 0, false};
    if (nedges) *nedges = 0;
    if (!q->n || !l->n) return r;
    cand_edge cand[MAX_EDGES];
    size_t nc = 0;
    /* both names in Han or in Hangul: a character is a syllable, and a
     * different one is a different name part, however alike in Latin */
    bool strict = q->chars && l->chars && q->script != RF_SCRIPT_OTHER && q->script == l->script;
    /* "SALMAN BIN MUHAMMAD" is not "MUHAMMAD BIN SALMAN": a person's own
     * name never pairs with the other name's last parent */
    uint8_t qrole[RF_MAX_TOKENS], lrole[RF_MAX_TOKENS];
    bool chains = l->person && link_roles(q, qrole) && link_roles(l, lrole);
    for (uint32_t i = 0; i < q->n; i++)
        for (uint32_t j = 0; j < l->n; j++) {
            float s = sm->pair[j][i];
            uint8_t how = sm->pair_how[j][i];
            if (strict && q->chars[i] != l->chars[j]) continue;
            if (chains && ((qrole[i] == ROLE_OWN && lrole[j] == ROLE_PARENT) ||
                           (qrole[i] == ROLE_PARENT && lrole[j] == ROLE_OWN)))
                continue;
            if (s > 0 && (how != RF_HOW_INITIAL || l->person))
                cand[nc++] = (cand_edge){{(uint8_t)i, (uint8_t)i, (uint8_t)j, (uint8_t)j, s, how},
                                         q->w[i] + l->w[j]};
        }
    /* one query token against two list tokens joined (the last with the
     * first is "First Last" of a list's "LAST, First"), and two query
     * tokens joined against one list token */
    for (uint32_t i = 0; l->n > 1 && i < q->n; i++)
        for (uint32_t j = 0; j < l->n; j++) {
            if (!sm->ljoin[j]) continue;
            float s = sm->ljoin[j][i];
            uint32_t b = (j + 1) % l->n;
            if (strict) continue;
            if (s > 0)
                cand[nc++] = (cand_edge){
                    {(uint8_t)i, (uint8_t)i, (uint8_t)j, (uint8_t)b, s, sm->ljoin_how[j][i]},
                    q->w[i] + l->w[j] + l->w[b]};
        }
    for (uint32_t i = 0; i + 1 < q->n; i++)
        for (uint32_t j = 0; j < l->n; j++) {
            float s = sm->qjoin[j][i];
            if (strict) continue;
            if (s > 0)
                cand[nc++] = (cand_edge){
                    {(uint8_t)i, (uint8_t)(i + 1), (uint8_t)j, (uint8_t)j, s, sm->qjoin_how[j][i]},
                    q->w[i] + q->w[i + 1] + l->w[j]};
        }
    sort_edges(cand, nc);
    bool qused[RF_MAX_TOKENS] = {false}, lused[RF_MAX_TOKENS] = {false};
    double qgot = 0, lgot = 0, qm = 0, lm = 0, qu = 0, lu = 0;
    bool substantive = false, any = false;
    size_t ne = 0;
    for (size_t k = 0; k < nc; k++) {
        const rf_edge *e = &cand[k].e;
        if (qused[e->qa] || qused[e->qb] || lused[e->la] || lused[e->lb]) continue;
        qused[e->qa] = qused[e->qb] = true;
        lused[e->la] = lused[e->lb] = true;
        double qw = q->w[e->qa] + (e->qb != e->qa ? q->w[e->qb] : 0);
        double lw = l->w[e->la] + (e->lb != e->la ? l->w[e->lb] : 0);
        qgot += e->sim * qw;
        lgot += e->sim * lw;
        qm += qw;
        lm += lw;
        any = true;
        for (uint32_t x = e->qa; x <= e->qb; x++)
            if (q->cls[x] == RF_TC_NAME && q->len[x] > 1) substantive = true;
        if (edges) edges[ne++] = *e;
    }
    if (nedges) *nedges = ne;
    size_t nqu = 0, nlu = 0; /* unmatched name tokens */
    for (uint32_t i = 0; i < q->n; i++)
        if (!qused[i]) {
            qu += q->w[i];
            nqu += q->cls[i] == RF_TC_NAME || q->cls[i] == RF_TC_LINK;
        }
    for (uint32_t j = 0; j < l->n; j++)
        if (!lused[j]) {
            lu += l->w[j];
            nlu += l->cls[j] == RF_TC_NAME || l->cls[j] == RF_TC_LINK;
        }
    /* unmatched tokens on both sides are a substitution and count in full;
     * what one side has beyond the other counts at RF_UNMATCHED_WEIGHT */
    double sub = qu < lu ? qu : lu;
    double qd = qm + sub + RF_UNMATCHED_WEIGHT * (qu - sub);
    double ld = lm + sub + RF_UNMATCHED_WEIGHT * (lu - sub);
    r.q_cov = qd > 0 ? qgot / qd : 0;
    r.l_cov = ld > 0 ? lgot / ld : 0;
    r.score = RF_QUERY_SHARE * r.q_cov + (1.0 - RF_QUERY_SHARE) * r.l_cov;
    /* a name token replaced by another is a conflict, however common the
     * two are ("Mohamed Ben Hamid" is not "Mohamed Ben Abdallah") */
    size_t subs = nqu < nlu ? nqu : nlu;
    r.score -= RF_SUBSTITUTION_PENALTY * (double)subs;
    if (r.score < 0) r.score = 0;
    if (any && !substantive && r.score > RF_ORG_ONLY_CAP) {
        r.score = RF_ORG_ONLY_CAP;
        r.org_only = true;
    }
    if (r.score > 1.0) r.score = 1.0;
    return r;
}

/* Linking workers that share an identifier. The first pass records each
 * worker's identifiers as 64-bit hashes of kind + normalised value (16
 * bytes per identifier, so a million workers fit in a few hundred MB);
 * sorting them brings holders of one value together, and union-find over
 * the workers turns shared values into clusters. A 64-bit hash collision
 * between two different values is possible but, at 10^7 identifiers, has
 * a probability near 10^-6 per run. */
#include "workers/workers_int.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const kind_names[WK_KIND_COUNT] = {
    "payout_account", "wallet",           "phone",    "email",        "document",
    "photo_hash",     "shipping_address", "login_ip", "profile_text", "rating_window",
};

bool wk_kind_links(wk_kind k) {
    return k != WK_RATING_WINDOW;
}

const char *wk_kind_str(wk_kind k) {
    return k < WK_KIND_COUNT ? kind_names[k] : "?";
}

uint64_t wk_key_hash(wk_kind kind, const char *value, size_t len) {
    /* the kind goes in the seed: a phone and a document with the same
     * digits are different keys */
    return rf_hash(value, len) ^ (0x9E3779B97F4A7C15ULL * ((uint64_t)kind + 1));
}

void wk_links_init(wk_links *l) {
    memset(l, 0, sizeof *l);
}

void wk_links_free(wk_links *l) {
    rf_free(l->keys);
    for (size_t i = 0; i < l->n_groups; i++)
        rf_free(l->groups[i].value);
    rf_free(l->groups);
    rf_free(l->members);
    rf_free(l->gslot);
    rf_free(l->parent);
    rf_free(l->cluster);
    rf_free(l->cluster_size);
    memset(l, 0, sizeof *l);
}

bool wk_links_add(wk_links *l, uint32_t worker, wk_kind kind, uint64_t hash) {
    if (rf_grow((void **)&l->keys, &l->cap_keys, l->n_keys + 1, sizeof *l->keys)) return false;
    l->keys[l->n_keys++] = (wk_key){hash, worker, (uint32_t)kind};
    return true;
}

static int cmp_key(const void *a, const void *b) {
    const wk_key *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return x->worker < y->worker ? -1 : x->worker > y->worker;
}

/* Sorts keys by (hash, worker) in place: one American-flag pass on the
 * hash's top byte, then qsort within each of the 256 buckets. glibc's qsort
 * on the whole array would allocate a merge buffer as large as the array
 * (200 MB for a million workers); a bucket's buffer is 1/256 of that. */
static void sort_keys(wk_key *k, size_t n) {
    size_t start[257] = {0}, next[256];
    for (size_t i = 0; i < n; i++)
        start[(k[i].hash >> 56) + 1]++;
    for (int b = 0; b < 256; b++) {
        start[b + 1] += start[b];
        next[b] = start[b];
    }
    for (unsigned b = 0; b < 256; b++) {
        while (next[b] < start[b + 1]) {
            wk_key v = k[next[b]];
            unsigned d = (unsigned)(v.hash >> 56);
            while (d != b) { /* put v in its bucket, carry on with what it displaced */
                wk_key t = k[next[d]];
                k[next[d]++] = v;
                v = t;
                d = (unsigned)(v.hash >> 56);
            }
            k[next[b]++] = v;
        }
    }
    for (int b = 0; b < 256; b++)
        if (start[b + 1] - start[b] > 1)
            qsort(k + start[b], start[b + 1] - start[b], sizeof *k, cmp_key);
}

static uint32_t find(uint32_t *parent, uint32_t x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]]; /* path halving */
        x = parent[x];
    }
    return x;
}

static void unite(uint32_t *parent, uint32_t a, uint32_t b) {
    a = find(parent, a);
    b = find(parent, b);
    if (a == b) return;
    /* the smaller index becomes the root: cluster numbers follow input order */
    if (a < b)
        parent[b] = a;
    else
        parent[a] = b;
}

bool wk_links_build(wk_links *l, size_t n_workers, uint32_t max_share) {
    l->n_workers = n_workers;
    sort_keys(l->keys, l->n_keys);
    /* count groups and members */
    size_t n_groups = 0, n_members = 0;
    for (size_t i = 0; i < l->n_keys;) {
        size_t j = i + 1, distinct = 1;
        for (; j < l->n_keys && l->keys[j].hash == l->keys[i].hash; j++)
            if (l->keys[j].worker != l->keys[j - 1].worker) distinct++;
        if (distinct > 1) {
            n_groups++;
            n_members += distinct;
        }
        i = j;
    }
    l->groups = rf_calloc(n_groups ? n_groups : 1, sizeof *l->groups);
    l->members = rf_malloc((n_members ? n_members : 1) * sizeof *l->members);
    l->gcap = 16;
    while (l->gcap < n_groups * 2)
        l->gcap *= 2;
    l->gslot = rf_calloc(l->gcap, sizeof *l->gslot);
    l->parent = rf_malloc((n_workers ? n_workers : 1) * sizeof *l->parent);
    l->cluster = rf_calloc(n_workers ? n_workers : 1, sizeof *l->cluster);
    if (!l->groups || !l->members || !l->gslot || !l->parent || !l->cluster) return false;
    for (size_t w = 0; w < n_workers; w++)
        l->parent[w] = (uint32_t)w;
    size_t m = 0;
    for (size_t i = 0; i < l->n_keys;) {
        size_t j = i + 1, distinct = 1;
        for (; j < l->n_keys && l->keys[j].hash == l->keys[i].hash; j++)
            if (l->keys[j].worker != l->keys[j - 1].worker) distinct++;
        if (distinct > 1) {
            wk_group *g = &l->groups[l->n_groups];
            g->hash = l->keys[i].hash;
            g->kind = l->keys[i].kind;
            g->first = (uint32_t)m;
            for (size_t k = i; k < j; k++)
                if (k == i || l->keys[k].worker != l->keys[k - 1].worker)
                    l->members[m++] = l->keys[k].worker;
            g->count = (uint32_t)(m - g->first);
            size_t s = (size_t)g->hash & (l->gcap - 1);
            while (l->gslot[s])
                s = (s + 1) & (l->gcap - 1);
            l->gslot[s] = (uint32_t)(l->n_groups + 1);
            if (g->count <= max_share && wk_kind_links((wk_kind)g->kind))
                for (uint32_t k = 1; k < g->count; k++)
                    unite(l->parent, l->members[g->first], l->members[g->first + k]);
            l->n_groups++;
        }
        i = j;
    }
    /* the keys are no longer needed: give their memory back before the
     * second pass */
    rf_free(l->keys);
    l->keys = NULL;
    l->n_keys = l->cap_keys = 0;
    /* number the clusters of two or more in input order */
    uint32_t *size = rf_calloc(n_workers ? n_workers : 1, sizeof *size);
    if (!size) return false;
    for (size_t w = 0; w < n_workers; w++)
        size[find(l->parent, (uint32_t)w)]++;
    size_t nc = 0;
    for (size_t w = 0; w < n_workers; w++) {
        uint32_t r = find(l->parent, (uint32_t)w);
        if (size[r] < 2) continue;
        if (!l->cluster[r]) {
            l->cluster[r] = (uint32_t)++nc;
        }
        l->cluster[w] = l->cluster[r];
    }
    l->cluster_size = rf_calloc(nc ? nc : 1, sizeof *l->cluster_size);
    if (!l->cluster_size) {
        rf_free(size);
        return false;
    }
    for (size_t w = 0; w < n_workers; w++)
        if (l->cluster[w]) l->cluster_size[l->cluster[w] - 1]++;
    l->n_clusters = nc;
    rf_free(size);
    return true;
}

wk_group *wk_links_find(const wk_links *l, uint64_t hash) {
    if (!l->gslot) return NULL;
    size_t s = (size_t)hash & (l->gcap - 1);
    while (l->gslot[s]) {
        wk_group *g = &l->groups[l->gslot[s] - 1];
        if (g->hash == hash) return g;
        s = (s + 1) & (l->gcap - 1);
    }
    return NULL;
}

bool wk_record_keys(const wk_norm *n, const wk_record *r, rf_buf *b, wk_key_fn fn, void *ctx) {
#define EMIT(kind, ok)                                                                             \
    do {                                                                                           \
        if ((ok) && !fn(ctx, kind, b->data, b->len)) return false;                                 \
    } while (0)
    for (size_t i = 0; i < r->n_payouts; i++) {
        const wk_payout *p = &r->payouts[i];
        if (!p->account) continue;
        if (p->crypto)
            EMIT(WK_WALLET, wk_norm_wallet(p->account, b));
        else if (p->iban || (p->type && !strcmp(p->type, "bank")))
            EMIT(WK_PAYOUT, wk_norm_alnum(p->account, b));
        else
            EMIT(WK_PAYOUT, wk_norm_token(p->account, b));
    }
    for (size_t i = 0; i < r->n_phones; i++)
        EMIT(WK_PHONE, wk_norm_phone(n, r->phones[i].number, r->claimed_country, b));
    for (size_t i = 0; i < r->n_emails; i++)
        EMIT(WK_EMAIL, wk_norm_email(r->emails[i], b));
    for (size_t i = 0; i < r->n_docs; i++)
        EMIT(WK_DOCUMENT, wk_norm_alnum(r->docs[i].number, b));
    if (r->photo_hash) EMIT(WK_PHOTO, wk_norm_token(r->photo_hash, b));
    if (r->profile_text_hash) EMIT(WK_PROFILE_TEXT, wk_norm_token(r->profile_text_hash, b));
    if (r->shipping_address) EMIT(WK_SHIPPING, wk_norm_address(n, r->shipping_address, b));
    /* high ratings by client and 72-hour window, in two tilings offset by
     * 36 hours so a burst across a window edge is still caught whole */
    for (size_t i = 0; i < r->n_ratings; i++) {
        const wk_rating *rt = &r->ratings[i];
        if (rt->stars < 4 || !wk_norm_token(rt->client, b)) continue;
        size_t base = b->len;
        for (int64_t shift = 0; shift <= RATING_WINDOW / 2; shift += RATING_WINDOW / 2) {
            int64_t start = (rt->ts + shift) / RATING_WINDOW * RATING_WINDOW - shift;
            if (rt->ts + shift < 0) start -= RATING_WINDOW;
            char when[32];
            time_t t = (time_t)start;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "@%Y-%m-%dT%H:%M:%SZ", &tm);
            b->len = base;
            b->data[base] = '\0';
            rf_buf_puts(b, when);
            EMIT(WK_RATING_WINDOW, !b->oom);
        }
    }
    for (size_t i = 0; i < r->n_logins; i++) {
        if (!r->logins[i].ip) continue;
        bool seen = false; /* most logins repeat a few addresses */
        for (size_t k = i > 64 ? i - 64 : 0; k < i && !seen; k++)
            seen = r->logins[k].ip && !strcmp(r->logins[k].ip, r->logins[i].ip);
        if (!seen) EMIT(WK_LOGIN_IP, wk_norm_token(r->logins[i].ip, b));
    }
#undef EMIT
    return true;
}

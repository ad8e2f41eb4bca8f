/* redflag workers check, the driver: two passes over the JSON Lines file.
 * The first parses every record, reports the bad ones and keeps only the
 * workers' ids and the hashes of their identifiers; the links (cluster.c)
 * then find the shared identifiers and the clusters. The second parses the
 * records again, runs the rules (rules.c), adds the shared-identifier flags
 * and writes each worker's line as soon as it is judged; the cluster lines
 * follow. Nothing is written anywhere else and nothing is kept. */
#include "workers/workers_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/vec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* An identifier held by more than this many workers links nobody (a shared
 * office NAT, a placeholder such as "n/a") but is still flagged. */
#define MAX_SHARE 100
/* Other workers named in a shared-identifier flag's evidence. */
#define MAX_SHARED_WITH 10

void rf_workers_options_init(rf_workers_options *o) {
    memset(o, 0, sizeof *o);
    o->out = stdout;
    o->format = RF_WORKERS_JSONL;
}

typedef struct run {
    const rf_workers_options *o;
    const char *path;
    wk_ctx ctx;
    wk_links links;
    rf_arena ids_arena;
    RF_VEC(const char *) ids; /* worker index -> id */
    RF_VEC(wk_key) scratch;   /* one worker's keys */
    uint32_t worker;          /* the worker being read */
    rf_buf buf;
    bool oom;
    wk_html *html;
    rf_workers_summary sum;
} run;

static const wk_rule_id shared_rule[WK_KIND_COUNT] = {
    [WK_PAYOUT] = R_SHARED_PAYOUT,
    [WK_WALLET] = R_SHARED_WALLET,
    [WK_PHONE] = R_SHARED_PHONE,
    [WK_EMAIL] = R_SHARED_EMAIL,
    [WK_DOCUMENT] = R_SHARED_DOCUMENT,
    [WK_PHOTO] = R_SHARED_PHOTO,
    [WK_SHIPPING] = R_SHARED_SHIPPING,
    [WK_LOGIN_IP] = R_SHARED_LOGIN_IP,
    [WK_PROFILE_TEXT] = R_SHARED_PROFILE_TEXT,
    [WK_RATING_WINDOW] = R_CLIENT_RATING_BURST,
};

/* ---- MARK: the two passes over the file ---- */

typedef bool (*record_fn)(run *r, wk_record *rec, bool first);

/* Reads path line by line; calls fn for each valid record. Bad records are
 * reported in the first pass only. */
static rf_status each_record(run *r, bool first, record_fn fn, rf_error *err) {
    FILE *f = fopen(r->path, "rb");
    if (!f) return rf_fail(err, RF_E_IO, r->path, 0, "cannot open: %s", strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    wk_record rec;
    wk_record_init(&rec);
    rf_status st = RF_OK;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t n = (size_t)len;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (!n) continue;
        if (first) r->sum.lines++;
        rf_error rerr;
        rf_error_clear(&rerr);
        rf_status pst = wk_record_parse(&rec, line, n, lineno, &rerr);
        if (pst == RF_OK && rec.timezone && !wk_timezone_known(&r->ctx, rec.timezone))
            pst = rf_fail(&rerr, RF_E_INVALID, NULL, 0,
                          "line %ld: field \"timezone\" must be an IANA timezone such as "
                          "\"America/Chicago\"",
                          lineno);
        if (pst != RF_OK) {
            if (rerr.code == RF_E_NOMEM) {
                st = rf_fail(err, RF_E_NOMEM, r->path, lineno, "out of memory");
                break;
            }
            if (first) {
                r->sum.bad++;
                if (r->o->on_error) {
                    rf_error e;
                    rf_fail(&e, rerr.code, NULL, lineno, "%s: %s", r->path, rerr.msg);
                    snprintf(e.file, sizeof e.file, "%s", r->path);
                    r->o->on_error(r->o->ctx, &e);
                }
            }
            continue;
        }
        if (!fn(r, &rec, first)) {
            st = rf_fail(err, RF_E_NOMEM, r->path, lineno, "out of memory");
            break;
        }
    }
    if (st == RF_OK && ferror(f))
        st = rf_fail(err, RF_E_IO, r->path, lineno, "read error: %s", strerror(errno));
    wk_record_free(&rec);
    free(line);
    fclose(f);
    return st;
}

static bool collect_key(void *ctx, wk_kind kind, const char *value, size_t len) {
    run *r = ctx;
    bool ok;
    RF_VEC_PUSH(r->scratch, ((wk_key){wk_key_hash(kind, value, len), r->worker, kind}), ok);
    return ok;
}

static bool first_pass(run *r, wk_record *rec, bool first) {
    (void)first;
    if (r->ids.n >= UINT32_MAX - 1) return false;
    r->worker = (uint32_t)r->ids.n;
    const char *id = rf_arena_strdup(&r->ids_arena, rec->id);
    bool ok;
    if (!id) return false;
    RF_VEC_PUSH(r->ids, id, ok);
    if (!ok) return false;
    r->scratch.n = 0;
    if (!wk_record_keys(&r->ctx.norm, rec, &r->buf, collect_key, r)) return false;
    for (size_t i = 0; i < r->scratch.n; i++)
        if (!wk_links_add(&r->links, r->worker, (wk_kind)r->scratch.v[i].kind,
                          r->scratch.v[i].hash))
            return false;
    return true;
}

/* ---- MARK: judging a worker (second pass) ---- */

typedef struct shared_acc {
    run *r;
    wk_group *best[WK_KIND_COUNT]; /* the most shared value of each kind */
    uint32_t distinct[WK_KIND_COUNT];
} shared_acc;

static bool shared_key(void *ctx, wk_kind kind, const char *value, size_t len) {
    shared_acc *a = ctx;
    wk_group *g = wk_links_find(&a->r->links, wk_key_hash(kind, value, len));
    if (!g || g->kind != (uint32_t)kind) return true;
    if (!g->value && !(g->value = rf_strndup(value, len))) return false;
    a->distinct[kind]++;
    if (!a->best[kind] || g->count > a->best[kind]->count) a->best[kind] = g;
    return true;
}

static char *cluster_name(uint32_t c, char *buf, size_t n) {
    snprintf(buf, n, "c%u", c);
    return buf;
}

static void write_text_worker(FILE *f, const json_t *w) {
    json_t *flags = json_object_get(w, "flags"), *adv = json_object_get(w, "advisory");
    json_t *cl = json_object_get(w, "cluster");
    fprintf(f, "%s  risk %lld%s%s\n", json_string_value(json_object_get(w, "id")),
            (long long)json_integer_value(json_object_get(w, "risk")),
            json_is_string(cl) ? "  cluster " : "",
            json_is_string(cl) ? json_string_value(cl) : "");
    for (int pass = 0; pass < 2; pass++) {
        json_t *arr = pass ? adv : flags;
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *fl = json_array_get(arr, i);
            char *ev =
                json_dumps(json_object_get(fl, "evidence"), JSON_COMPACT | JSON_PRESERVE_ORDER);
            fprintf(f, "  %-9s %s: %s %s\n",
                    pass ? "advisory" : json_string_value(json_object_get(fl, "severity")),
                    json_string_value(json_object_get(fl, "rule")),
                    json_string_value(json_object_get(fl, "reason")), ev ? ev : "");
            free(ev);
        }
    }
}

static bool emit(run *r, json_t *obj, bool worker) {
    bool ok = true;
    if (r->o->out) {
        if (r->o->format == RF_WORKERS_JSONL) {
            char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
            if (!s) return false;
            fputs(s, r->o->out);
            fputc('\n', r->o->out);
            free(s);
        } else if (worker) {
            json_t *flags = json_object_get(obj, "flags"), *adv = json_object_get(obj, "advisory");
            if (json_array_size(flags) || json_array_size(adv) ||
                json_is_string(json_object_get(obj, "cluster")))
                write_text_worker(r->o->out, obj);
        } else {
            fprintf(r->o->out, "cluster %s:", json_string_value(json_object_get(obj, "cluster")));
            json_t *m = json_object_get(obj, "members"), *links = json_object_get(obj, "links");
            for (size_t i = 0; i < json_array_size(m); i++)
                fprintf(r->o->out, "%s %s", i ? "," : "", json_string_value(json_array_get(m, i)));
            fputc('\n', r->o->out);
            for (size_t i = 0; i < json_array_size(links); i++) {
                json_t *l = json_array_get(links, i), *ws = json_object_get(l, "workers");
                fprintf(r->o->out, "  %s %s:", json_string_value(json_object_get(l, "kind")),
                        json_string_value(json_object_get(l, "value")));
                for (size_t k = 0; k < json_array_size(ws); k++)
                    fprintf(r->o->out, "%s %s", k ? "," : "",
                            json_string_value(json_array_get(ws, k)));
                fputc('\n', r->o->out);
            }
        }
    }
    if (r->html) {
        if (worker)
            wk_html_worker(r->html, obj);
        else
            wk_html_cluster(r->html, obj);
    }
    return ok;
}

static bool second_pass(run *r, wk_record *rec, bool first) {
    (void)first;
    uint32_t w = r->worker++;
    wk_judge j;
    wk_judge_init(&j);
    if (!j.flags || !j.advisory) {
        wk_judge_free(&j);
        return false;
    }
    wk_rules_record(&r->ctx, rec, &j);
    shared_acc acc;
    memset(&acc, 0, sizeof acc);
    acc.r = r;
    if (!wk_record_keys(&r->ctx.norm, rec, &r->buf, shared_key, &acc)) {
        wk_judge_free(&j);
        return false;
    }
    for (int k = 0; k < WK_KIND_COUNT; k++) {
        wk_group *g = acc.best[k];
        if (!g || (k == WK_RATING_WINDOW && g->count < RATING_BURST_WORKERS)) continue;
        json_t *with = json_array();
        for (uint32_t m = 0, shown = 0; m < g->count && shown < MAX_SHARED_WITH; m++) {
            uint32_t other = r->links.members[g->first + m];
            if (other == w) continue;
            json_array_append_new(with, json_string(r->ids.v[other]));
            shown++;
        }
        wk_flag(&j, shared_rule[k],
                json_pack("{s:s, s:s, s:I, s:o, s:I}", "kind", wk_kind_str((wk_kind)k), "value",
                          g->value, "workers", (json_int_t)g->count, "shared_with", with,
                          "shared_values", (json_int_t)acc.distinct[k]));
    }
    char cname[16];
    uint32_t c = r->links.cluster[w];
    int risk = wk_judge_risk(&j);
    json_t *obj = json_pack("{s:s, s:i, s:O, s:O, s:o}", "id", rec->id, "risk", risk, "flags",
                            j.flags, "advisory", j.advisory, "cluster",
                            c ? json_string(cluster_name(c, cname, sizeof cname)) : json_null());
    bool ok = obj && emit(r, obj, true);
    json_decref(obj);
    rf_worker_result res = {rec->id,
                            risk,
                            j.max_severity,
                            json_array_size(j.flags),
                            json_array_size(j.advisory),
                            c ? cname : NULL,
                            c ? r->links.cluster_size[c - 1] : 0};
    if (j.max_severity >= RF_SEV_HIGH) r->sum.flagged_high++;
    if (r->o->on_result) r->o->on_result(r->o->ctx, &res);
    wk_judge_free(&j);
    return ok;
}

/* ---- MARK: clusters ---- */

static bool write_clusters(run *r) {
    wk_links *l = &r->links;
    size_t nc = l->n_clusters;
    if (!nc) return true;
    /* workers and linking groups bucketed by cluster (counting sort): the
     * members of cluster c are wby[wstart[c] .. wstart[c + 1]) */
    size_t *wstart = rf_calloc(nc + 2, sizeof *wstart);
    size_t *gstart = rf_calloc(nc + 2, sizeof *gstart);
    uint32_t *wby = rf_malloc((l->n_workers ? l->n_workers : 1) * sizeof *wby);
    uint32_t *gby = rf_malloc((l->n_groups ? l->n_groups : 1) * sizeof *gby);
    bool ok = wstart && gstart && wby && gby;
    if (ok) {
        for (size_t w = 0; w < l->n_workers; w++)
            if (l->cluster[w]) wstart[l->cluster[w] + 1]++;
        for (size_t g = 0; g < l->n_groups; g++)
            if (l->groups[g].count <= MAX_SHARE && wk_kind_links((wk_kind)l->groups[g].kind))
                gstart[l->cluster[l->members[l->groups[g].first]] + 1]++;
        for (size_t c = 1; c <= nc + 1; c++) {
            wstart[c] += wstart[c - 1];
            gstart[c] += gstart[c - 1];
        }
        size_t *wpos = rf_malloc((nc + 2) * sizeof *wpos);
        size_t *gpos = rf_malloc((nc + 2) * sizeof *gpos);
        ok = wpos && gpos;
        if (ok) {
            memcpy(wpos, wstart, (nc + 2) * sizeof *wpos);
            memcpy(gpos, gstart, (nc + 2) * sizeof *gpos);
            for (size_t w = 0; w < l->n_workers; w++)
                if (l->cluster[w]) wby[wpos[l->cluster[w]]++] = (uint32_t)w;
            for (size_t g = 0; g < l->n_groups; g++)
                if (l->groups[g].count <= MAX_SHARE && wk_kind_links((wk_kind)l->groups[g].kind))
                    gby[gpos[l->cluster[l->members[l->groups[g].first]]]++] = (uint32_t)g;
        }
        rf_free(wpos);
        rf_free(gpos);
    }
    for (size_t c = 1; ok && c <= nc; c++) {
        char cname[16];
        json_t *members = json_array(), *links = json_array();
        for (size_t i = wstart[c]; i < wstart[c + 1]; i++)
            json_array_append_new(members, json_string(r->ids.v[wby[i]]));
        for (size_t i = gstart[c]; i < gstart[c + 1]; i++) {
            wk_group *g = &l->groups[gby[i]];
            json_t *ws = json_array();
            for (uint32_t m = 0; m < g->count; m++)
                json_array_append_new(ws, json_string(r->ids.v[l->members[g->first + m]]));
            json_array_append_new(links, json_pack("{s:s, s:s, s:o}", "kind",
                                                   wk_kind_str((wk_kind)g->kind), "value",
                                                   g->value ? g->value : "", "workers", ws));
        }
        json_t *obj =
            json_pack("{s:s, s:o, s:o}", "cluster", cluster_name((uint32_t)c, cname, sizeof cname),
                      "members", members, "links", links);
        ok = obj && emit(r, obj, false);
        json_decref(obj);
    }
    rf_free(wstart);
    rf_free(gstart);
    rf_free(wby);
    rf_free(gby);
    return ok;
}

/* ---- MARK: the entry point ---- */

rf_status rf_workers_check(const char *path, const rf_workers_options *opts,
                           rf_workers_summary *summary, rf_error *err) {
    rf_workers_options defaults;
    if (!opts) {
        rf_workers_options_init(&defaults);
        opts = &defaults;
    }
    run r;
    memset(&r, 0, sizeof r);
    r.o = opts;
    r.path = path;
    rf_arena_init(&r.ids_arena);
    rf_buf_init(&r.buf);
    wk_links_init(&r.links);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return rf_fail(err, RF_E_IO, path, 0, "cannot open: %s", strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return rf_fail(err, RF_E_INVALID, path, 0,
                       "not a regular file: the records are read twice (to link, then to "
                       "judge), so save a pipe to a file first");
    rf_status st = wk_ctx_init(&r.ctx, opts, err);
    if (st) return st;
    if (opts->html && !(r.html = wk_html_new(opts->html))) {
        st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
        goto done;
    }
    if ((st = each_record(&r, true, first_pass, err))) goto done;
    r.sum.workers = r.ids.n;
    RF_VEC_FREE(r.scratch);
    if (!wk_links_build(&r.links, r.ids.n, MAX_SHARE)) {
        st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory while linking workers");
        goto done;
    }
    r.sum.clusters = r.links.n_clusters;
    r.worker = 0;
    if ((st = each_record(&r, false, second_pass, err))) goto done;
    if (r.worker != r.ids.n) {
        st = rf_fail(err, RF_E_IO, path, 0,
                     "the file changed while it was being read (%u records, then %zu)", r.worker,
                     r.ids.n);
        goto done;
    }
    if (!write_clusters(&r)) st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
done:
    if (r.html) {
        if (!wk_html_finish(r.html, &r.sum) && st == RF_OK)
            st = rf_fail(err, RF_E_IO, NULL, 0, "cannot write the HTML report");
        r.html = NULL;
    }
    if (summary) *summary = r.sum;
    wk_ctx_free(&r.ctx);
    wk_links_free(&r.links);
    RF_VEC_FREE(r.ids);
    RF_VEC_FREE(r.scratch);
    rf_arena_free(&r.ids_arena);
    rf_buf_free(&r.buf);
    return st;
}

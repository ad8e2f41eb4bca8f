/* Screening evaluation: load labelled cases, screen them on worker
 * threads, report recall, top-1 and alert rates per category and over a
 * threshold sweep. Every case is screened once down to a low threshold; the
 * rates at any higher threshold follow from the recorded scores. */
#include "eval/eval.h"
#include "util/alloc.h"
#include "util/csvfile.h"
#include "util/error.h"
#include "util/file.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

void rf_eval_set_free(rf_eval_set *s) {
    rf_eval_set_truncate(s, 0);
    rf_free(s->v);
    memset(s, 0, sizeof *s);
}

void rf_eval_set_truncate(rf_eval_set *s, size_t n) {
    for (size_t i = n; i < s->n; i++) {
        rf_request_free(s->v[i].req);
        rf_free(s->v[i].category);
        rf_free(s->v[i].expect);
        rf_free(s->v[i].expect_list);
    }
    if (n < s->n) s->n = n;
}

static rf_eval_case *add_case(rf_eval_set *s) {
    void *p = s->v;
    if (rf_grow(&p, &s->cap, s->n + 1, sizeof *s->v) != 0) return NULL;
    s->v = p;
    rf_eval_case *c = &s->v[s->n++];
    memset(c, 0, sizeof *c);
    c->exp_score = -1;
    return c;
}

rf_status rf_eval_load_yente(const rf_dataset *ds, const char *path, const char *category,
                             const char *expect_list, rf_eval_set *set, rf_error *err) {
    rf_csvfile f;
    rf_status st = rf_csvfile_read(path, &f, err);
    if (st != RF_OK) return st;
    int cn = rf_csvfile_col(&f, "full_name"), cd = rf_csvfile_col(&f, "date_of_birth"),
        cc = rf_csvfile_col(&f, "nationality");
    if (cn < 0) {
        rf_csvfile_free(&f);
        return rf_fail(err, RF_E_PARSE, path, 1, "no full_name column");
    }
    for (size_t r = 0; st == RF_OK && r < f.rows; r++) {
        char id[32];
        snprintf(id, sizeof id, "%s:%zu", category, r + 2);
        const char *country = rf_csvfile_get(&f, r, cc);
        /* country names the lists do not know are left out, not guessed */
        if (*country && !rf_dataset_country_code(ds, country)) country = "";
        const char *dob = rf_csvfile_get(&f, r, cd);
        rf_request *req = NULL;
        rf_error e2;
        if (rf_request_from_fields(ds, id, rf_csvfile_get(&f, r, cn), "person", dob, country, &req,
                                   &e2) != RF_OK) {
            /* an unreadable birth date: screen the name and country */
            rf_request_free(req);
            req = NULL;
            if (rf_request_from_fields(ds, id, rf_csvfile_get(&f, r, cn), "person", NULL, country,
                                       &req, &e2) != RF_OK) {
                rf_request_free(req);
                continue;
            }
        }
        rf_eval_case *c = add_case(set);
        if (!c) {
            rf_request_free(req);
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        c->req = req;
        c->category = rf_strdup(category);
        c->expect_list = expect_list ? rf_strdup(expect_list) : NULL;
        c->negative = expect_list == NULL;
        if (!c->category || (expect_list && !c->expect_list))
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    rf_csvfile_free(&f);
    return st;
}

rf_status rf_eval_load_jsonl(const rf_dataset *ds, const char *path, rf_eval_set *set,
                             rf_error *err) {
    char *data;
    size_t len;
    rf_status st = rf_file_read(path, &data, &len, err);
    if (st != RF_OK) return st;
    long line = 0;
    char *p = data;
    while (st == RF_OK && p < data + len) {
        char *nl = memchr(p, '\n', (size_t)(data + len - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(data + len - p);
        line++;
        if (ll) {
            json_error_t je;
            json_t *o = json_loadb(p, ll, 0, &je);
            const char *cat = o ? json_string_value(json_object_get(o, "category")) : NULL;
            json_t *exp = o ? json_object_get(o, "expect") : NULL;
            rf_request *req = NULL;
            rf_error e2;
            if (!o || !cat || !(json_is_string(exp) || json_is_null(exp)) ||
                rf_request_parse_json(ds, p, ll, &req, &e2) != RF_OK) {
                rf_request_free(req);
                if (o) json_decref(o);
                rf_free(data);
                return rf_fail(err, RF_E_PARSE, path, line,
                               "expected a screening query with \"category\" and \"expect\"");
            }
            rf_eval_case *c = add_case(set);
            if (c) {
                c->req = req;
                c->category = rf_strdup(cat);
                c->expect = json_is_string(exp) ? rf_strdup(json_string_value(exp)) : NULL;
                c->negative = json_is_null(exp);
            }
            if (!c || !c->category || (json_is_string(exp) && !c->expect)) {
                if (!c) rf_request_free(req);
                st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
            }
            json_decref(o);
        }
        p += ll + 1;
    }
    rf_free(data);
    return st;
}

typedef struct worker {
    const rf_matcher *m;
    rf_eval_set *set;
    rf_match_options mo;
    atomic_size_t *next;
    bool failed;
} worker;

static bool expected(const rf_eval_case *c, const rf_entity *e) {
    if (c->expect) return !strcmp(c->expect, e->id);
    if (c->expect_list) return !strcmp(c->expect_list, e->list);
    return false;
}

static void *work(void *arg) {
    worker *w = arg;
    rf_results *res = rf_results_new();
    if (!res) {
        w->failed = true;
        return NULL;
    }
    for (;;) {
        size_t i = atomic_fetch_add(w->next, 1);
        if (i >= w->set->n) break;
        rf_eval_case *c = &w->set->v[i];
        rf_error err;
        if (rf_match_query(w->m, rf_request_query(c->req), &w->mo, res, &err) != RF_OK) {
            c->best = 0;
            continue;
        }
        size_t n = rf_results_count(res);
        c->best = n ? (float)rf_results_get(res, 0)->score : 0.0f;
        if (n)
            snprintf(
                c->top, sizeof c->top, "%s %.3f %s", rf_results_get(res, 0)->entity->id,
                rf_results_get(res, 0)->score,
                rf_results_get(res, 0)->entity->names[rf_results_get(res, 0)->name_index].text);
        for (size_t k = 0; k < n; k++) {
            const rf_match *m = rf_results_get(res, k);
            if (!expected(c, m->entity)) continue;
            c->exp_score = (float)m->score;
            /* first, or tied with the first */
            c->exp_top = k == 0 || m->score >= rf_results_get(res, 0)->score;
            break;
        }
    }
    rf_results_free(res);
    return NULL;
}

rf_status rf_eval_run(const rf_matcher *m, rf_eval_set *set, double min_threshold, int threads,
                      rf_algorithm algorithm, rf_error *err) {
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    atomic_size_t next = 0;
    worker w[64];
    pthread_t tid[64];
    int started = 0;
    for (int i = 0; i < threads; i++) {
        w[i] = (worker){m, set, {min_threshold, 50, algorithm, false}, &next, false};
        if (pthread_create(&tid[i], NULL, work, &w[i]) != 0) break;
        started++;
    }
    if (!started) work(&w[0]);
    bool failed = false;
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
        failed |= w[i].failed;
    }
    return failed ? rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory") : RF_OK;
}

rf_eval_rates rf_eval_rates_at(const rf_eval_set *set, const char *category, double t) {
    rf_eval_rates r = {0, 0, 0, 0, false};
    size_t pos = 0, neg = 0, found = 0, top = 0, alerts = 0;
    for (size_t i = 0; i < set->n; i++) {
        const rf_eval_case *c = &set->v[i];
        if (category && strcmp(category, c->category) != 0) continue;
        r.n++;
        if (c->negative) {
            neg++;
            alerts += c->best >= t;
        } else {
            pos++;
            found += c->exp_score >= t;
            top += c->exp_score >= t && c->exp_top;
        }
    }
    r.positive = pos > 0;
    r.recall = pos ? (double)found / (double)pos : 0;
    r.top1 = pos ? (double)top / (double)pos : 0;
    r.alert_rate = neg ? (double)alerts / (double)neg : 0;
    return r;
}

/* The distinct categories of the set in first-seen order (at most max). */
static size_t categories(const rf_eval_set *set, const char **out, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++) {
        const char *cat = set->v[i].category;
        size_t k = 0;
        while (k < n && strcmp(out[k], cat) != 0)
            k++;
        if (k == n && n < max) out[n++] = cat;
    }
    return n;
}

#define MAX_CATEGORIES 64

void rf_eval_report(const rf_eval_set *set, double t, FILE *out) {
    fprintf(out, "%-28s %7s %8s %8s %11s\n", "category", "cases", "recall", "top-1", "alert rate");
    const char *cats[MAX_CATEGORIES];
    size_t nc = categories(set, cats, MAX_CATEGORIES);
    for (size_t i = 0; i < nc; i++) {
        const char *cat = cats[i];
        rf_eval_rates r = rf_eval_rates_at(set, cat, t);
        if (r.positive)
            fprintf(out, "%-28s %7zu %7.2f%% %7.2f%% %11s\n", cat, r.n, 100 * r.recall,
                    100 * r.top1, "-");
        else
            fprintf(out, "%-28s %7zu %8s %8s %10.2f%%\n", cat, r.n, "-", "-", 100 * r.alert_rate);
    }
    fprintf(out, "\nthreshold sweep (all positives / all negatives):\n");
    fprintf(out, "%9s %8s %8s %11s\n", "threshold", "recall", "top-1", "alert rate");
    for (int k = 70; k <= 98; k++) {
        double th = k / 100.0;
        rf_eval_rates all = rf_eval_rates_at(set, NULL, th);
        fprintf(out, "%9.2f %7.2f%% %7.2f%% %10.3f%%%s\n", th, 100.0 * all.recall, 100.0 * all.top1,
                100.0 * all.alert_rate, k == (int)(t * 100 + 0.5) ? "   <- threshold" : "");
    }
}

void rf_eval_failures(const rf_eval_set *set, double t, size_t max, FILE *out) {
    const char *cats[MAX_CATEGORIES];
    size_t nc = categories(set, cats, MAX_CATEGORIES);
    for (size_t i = 0; i < nc; i++) {
        const char *cat = cats[i];
        size_t shown = 0;
        for (size_t k = 0; k < set->n && shown < max; k++) {
            const rf_eval_case *c = &set->v[k];
            if (strcmp(c->category, cat) != 0) continue;
            bool bad = c->negative ? c->best >= t : !(c->exp_score >= t && c->exp_top);
            if (!bad) continue;
            const rf_query *q = rf_request_query(c->req);
            char dob[11] = "";
            if (q->birth_date.year) snprintf(dob, sizeof dob, "%04d", q->birth_date.year);
            fprintf(out, "  %-24s %-40s %s %s expect %s (%.3f) top %s\n", cat,
                    q->name ? q->name : "", dob, q->country ? q->country : "",
                    c->expect        ? c->expect
                    : c->expect_list ? c->expect_list
                                     : "none",
                    c->exp_score, c->best > 0 ? c->top : "-");
            shown++;
        }
    }
}

/* Pairwise name evaluation on nomenklatura's cases.csv: each pair's name
 * score against the threshold gives TP/FP/TN/FN, reported per case group
 * and in total with F1. */
#include "eval/eval.h"
#include "util/csvfile.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static rf_schema schema_of(const char *s) {
    if (!strcmp(s, "Person")) return RF_SCHEMA_PERSON;
    if (!strcmp(s, "Vessel")) return RF_SCHEMA_VESSEL;
    if (!strcmp(s, "Airplane")) return RF_SCHEMA_AIRCRAFT;
    return RF_SCHEMA_ORGANIZATION; /* Company, Organization, LegalEntity */
}

typedef struct counts {
    char group[32];
    size_t tp, fp, tn, fn;
} counts;

static double f1(size_t tp, size_t fp, size_t fn) {
    return tp ? 2.0 * (double)tp / (2.0 * (double)tp + (double)fp + (double)fn) : 0.0;
}

rf_status rf_eval_pairs_run(const rf_matcher *m, const char *path, double t, FILE *out,
                            bool failures, rf_eval_pairs *res, rf_error *err) {
    memset(res, 0, sizeof *res);
    rf_csvfile f;
    rf_status st = rf_csvfile_read(path, &f, err);
    if (st != RF_OK) return st;
    int cg = rf_csvfile_col(&f, "case_group"), cs = rf_csvfile_col(&f, "schema"),
        c1 = rf_csvfile_col(&f, "name1"), c2 = rf_csvfile_col(&f, "name2"),
        cm = rf_csvfile_col(&f, "is_match");
    if (c1 < 0 || c2 < 0 || cm < 0) {
        rf_csvfile_free(&f);
        return rf_fail(err, RF_E_PARSE, path, 1, "needs columns name1, name2, is_match");
    }
    rf_results *r = rf_results_new();
    counts groups[16];
    double *scores = calloc(f.rows + 1, sizeof *scores);
    bool *truths = calloc(f.rows + 1, sizeof *truths);
    size_t ng = 0;
    for (size_t i = 0; r && i < f.rows; i++) {
        double s = rf_matcher_compare(m, r, rf_csvfile_get(&f, i, c1), rf_csvfile_get(&f, i, c2),
                                      schema_of(rf_csvfile_get(&f, i, cs)));
        if (s < 0) {
            st = rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        bool truth = !strcmp(rf_csvfile_get(&f, i, cm), "true");
        bool pred = s >= t;
        if (scores) scores[i] = s;
        if (truths) truths[i] = truth;
        if (failures && out && pred != truth)
            fprintf(out, "  %s %-8s %-7s %.3f  %s | %s\n", pred ? "FP" : "FN",
                    rf_csvfile_get(&f, i, cg), rf_csvfile_get(&f, i, cs), s,
                    rf_csvfile_get(&f, i, c1), rf_csvfile_get(&f, i, c2));
        const char *g = rf_csvfile_get(&f, i, cg);
        size_t k = 0;
        while (k < ng && strcmp(groups[k].group, g) != 0)
            k++;
        if (k == ng && ng < 16) {
            memset(&groups[ng], 0, sizeof groups[ng]);
            snprintf(groups[ng].group, sizeof groups[ng].group, "%s", g);
            ng++;
        }
        counts *c = k < ng ? &groups[k] : NULL;
        size_t *cell = truth ? (pred ? &res->tp : &res->fn) : (pred ? &res->fp : &res->tn);
        (*cell)++;
        if (c) (*(truth ? (pred ? &c->tp : &c->fn) : (pred ? &c->fp : &c->tn)))++;
    }
    rf_results_free(r);
    if (st != RF_OK) {
        free(scores);
        free(truths);
        rf_csvfile_free(&f);
        return st;
    }
    res->precision = res->tp ? (double)res->tp / (double)(res->tp + res->fp) : 0;
    res->recall = res->tp ? (double)res->tp / (double)(res->tp + res->fn) : 0;
    res->f1 = f1(res->tp, res->fp, res->fn);
    if (out) {
        fprintf(out, "%-16s %5s %5s %5s %5s %7s\n", "case_group", "TP", "FP", "TN", "FN", "F1");
        for (size_t k = 0; k < ng; k++)
            fprintf(out, "%-16s %5zu %5zu %5zu %5zu %7.3f\n", groups[k].group, groups[k].tp,
                    groups[k].fp, groups[k].tn, groups[k].fn,
                    f1(groups[k].tp, groups[k].fp, groups[k].fn));
        fprintf(out, "%-16s %5zu %5zu %5zu %5zu %7.3f  (precision %.3f, recall %.3f)\n", "all",
                res->tp, res->fp, res->tn, res->fn, res->f1, res->precision, res->recall);
        fprintf(out, "F1 by threshold:");
        for (int k = 70; scores && truths && k <= 95; k++) {
            size_t tp = 0, fp = 0, fn = 0;
            for (size_t i = 0; i < f.rows; i++) {
                bool p = scores[i] >= k / 100.0;
                tp += p && truths[i];
                fp += p && !truths[i];
                fn += !p && truths[i];
            }
            fprintf(out, "%s %.2f:%.3f", k % 7 == 0 ? "\n " : "", k / 100.0, f1(tp, fp, fn));
        }
        fprintf(out, "\n");
    }
    free(scores);
    free(truths);
    rf_csvfile_free(&f);
    return RF_OK;
}

/* Parity with OFAC's Sanctions List Search: our --algorithm ofac score
 * against the scores the tool showed (nomenklatura's ofac_fixtures.csv). */
#include "eval/eval.h"
#include "util/csvfile.h"
#include "util/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

rf_status rf_eval_ofac_run(const char *path, FILE *out, rf_eval_ofac *res, rf_error *err) {
    memset(res, 0, sizeof *res);
    rf_csvfile f;
    rf_status st = rf_csvfile_read(path, &f, err);
    if (st != RF_OK) return st;
    int cq = rf_csvfile_col(&f, "query_name"), cr = rf_csvfile_col(&f, "result_name"),
        cs = rf_csvfile_col(&f, "ofac_score");
    if (cq < 0 || cr < 0 || cs < 0) {
        rf_csvfile_free(&f);
        return rf_fail(err, RF_E_PARSE, path, 1,
                       "needs columns query_name, result_name, ofac_score");
    }
    double sum = 0;
    for (size_t i = 0; i < f.rows; i++) {
        double ours = rf_ofac_score(rf_csvfile_get(&f, i, cq), rf_csvfile_get(&f, i, cr));
        long theirs = strtol(rf_csvfile_get(&f, i, cs), NULL, 10);
        bool good;
        if (theirs < 0) {
            res->negatives++;
            good = ours < 80.0;
            res->below80 += good;
        } else {
            res->positives++;
            double d = fabs(ours - (double)theirs);
            sum += d;
            good = d <= 5.0;
            res->within5 += good;
        }
        if (out && !good)
            fprintf(out, "  off: %-28s %-40s OFAC %3ld  ours %5.1f\n", rf_csvfile_get(&f, i, cq),
                    rf_csvfile_get(&f, i, cr), theirs, ours);
    }
    res->mean_abs = res->positives ? sum / (double)res->positives : 0;
    size_t rows = res->positives + res->negatives;
    res->share_within5 = rows ? (double)(res->within5 + res->below80) / (double)rows : 0;
    if (out)
        fprintf(out,
                "OFAC parity: %zu/%zu rows agree (%.1f%%): %zu of %zu scores within 5 points "
                "(mean |diff| %.2f), %zu of %zu absent rows below 80\n",
                res->within5 + res->below80, rows, 100 * res->share_within5, res->within5,
                res->positives, res->mean_abs, res->below80, res->negatives);
    rf_csvfile_free(&f);
    return RF_OK;
}

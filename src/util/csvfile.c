/* Reading a CSV file with a header into memory (libcsv). Short rows are
 * padded with empty cells; extra cells are dropped. */
#include "util/csvfile.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/file.h"
#include "util/vec.h"

#include <csv.h>
#include <string.h>

typedef struct reader {
    RF_VEC(char *) cur;
    RF_VEC(char *) all;
    size_t cols;
    bool header_done;
    char **header;
    bool oom;
} reader;

static void on_field(void *s, size_t len, void *data) {
    reader *r = data;
    char *c = rf_strndup(s ? s : "", s ? len : 0);
    bool ok = c != NULL;
    if (ok) RF_VEC_PUSH(r->cur, c, ok);
    if (!ok) {
        rf_free(c);
        r->oom = true;
    }
}

static void on_row(int term, void *data) {
    (void)term;
    reader *r = data;
    if (!r->header_done) {
        r->header_done = true;
        r->cols = r->cur.n;
        r->header = r->cur.v;
        r->cur.v = NULL;
        r->cur.n = r->cur.cap = 0;
        return;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < r->cols; i++) {
        char *c = i < r->cur.n ? r->cur.v[i] : rf_strdup("");
        if (i < r->cur.n) r->cur.v[i] = NULL;
        ok = c != NULL;
        if (ok) RF_VEC_PUSH(r->all, c, ok);
        if (!ok) rf_free(c);
    }
    for (size_t i = 0; i < r->cur.n; i++)
        rf_free(r->cur.v[i]);
    r->cur.n = 0;
    if (!ok) r->oom = true;
}

rf_status rf_csvfile_read(const char *path, rf_csvfile *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status st = rf_file_read(path, &data, &len, err);
    if (st != RF_OK) return st;
    st = rf_csvfile_parse(data, len, path, out, err);
    rf_free(data);
    return st;
}

rf_status rf_csvfile_parse(const char *data, size_t len, const char *path, rf_csvfile *out,
                           rf_error *err) {
    memset(out, 0, sizeof *out);
    rf_status st = RF_OK;
    reader r;
    memset(&r, 0, sizeof r);
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return rf_fail(err, RF_E_NOMEM, path, 0, "out of memory");
    if (csv_parse(&p, data, len, on_field, on_row, &r) != len)
        st = rf_fail(err, RF_E_PARSE, path, 0, "CSV error: %s", csv_strerror(csv_error(&p)));
    else
        csv_fini(&p, on_field, on_row, &r);
    csv_free(&p);
    for (size_t i = 0; i < r.cur.n; i++)
        rf_free(r.cur.v[i]);
    RF_VEC_FREE(r.cur);
    out->cells = r.all.v;
    out->header = r.header;
    out->cols = r.cols;
    out->rows = r.cols ? r.all.n / r.cols : 0;
    if (st == RF_OK && r.oom) st = rf_fail(err, RF_E_NOMEM, path, 0, "out of memory");
    if (st == RF_OK && !r.header_done) st = rf_fail(err, RF_E_PARSE, path, 0, "no header row");
    if (st != RF_OK) {
        out->rows = r.all.n / (r.cols ? r.cols : 1);
        rf_csvfile_free(out);
        return st;
    }
    return RF_OK;
}

void rf_csvfile_free(rf_csvfile *f) {
    size_t n = f->rows * f->cols;
    for (size_t i = 0; i < n; i++)
        rf_free(f->cells[i]);
    for (size_t i = 0; i < f->cols; i++)
        rf_free(f->header[i]);
    rf_free(f->cells);
    rf_free(f->header);
    memset(f, 0, sizeof *f);
}

int rf_csvfile_col(const rf_csvfile *f, const char *name) {
    for (size_t i = 0; i < f->cols; i++)
        if (!strcmp(f->header[i], name)) return (int)i;
    return -1;
}

const char *rf_csvfile_get(const rf_csvfile *f, size_t row, int col) {
    if (col < 0 || (size_t)col >= f->cols || row >= f->rows) return "";
    return f->cells[row * f->cols + (size_t)col];
}

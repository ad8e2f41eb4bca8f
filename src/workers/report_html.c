/* The self-contained HTML report of redflag workers check --html: the
 * flagged workers in a table, and a picture of each cluster as inline SVG
 * (nodes are workers on a circle, edges the identifiers they share, one
 * colour per kind). No script, no external file: the page can be archived
 * or mailed as it is. Personal data goes only into this file. */
#include "workers/workers_int.h"
#include "util/alloc.h"

#include <math.h>
#include <string.h>

/* Bounds so a report of a million workers stays readable. */
#define MAX_WORKER_ROWS 5000
#define MAX_PICTURES    500
#define MAX_NODES       60 /* larger clusters are listed without a picture */

struct wk_html {
    FILE *f;
    rf_buf workers, clusters;
    rf_strmap risk; /* clustered worker id -> risk, for the node colours */
    rf_arena arena; /* the ids of that map */
    size_t n_workers, n_clusters, skipped_workers, skipped_clusters;
};

static void esc(rf_buf *b, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            rf_buf_puts(b, "&lt;");
            break;
        case '>':
            rf_buf_puts(b, "&gt;");
            break;
        case '&':
            rf_buf_puts(b, "&amp;");
            break;
        case '"':
            rf_buf_puts(b, "&quot;");
            break;
        default:
            rf_buf_putc(b, *s);
        }
    }
}

wk_html *wk_html_new(FILE *f) {
    wk_html *h = rf_calloc(1, sizeof *h);
    if (!h) return NULL;
    h->f = f;
    rf_strmap_init(&h->risk);
    rf_arena_init(&h->arena);
    rf_buf_init(&h->workers);
    rf_buf_init(&h->clusters);
    return h;
}

static const char *sev_colour(const char *sev) {
    if (!strcmp(sev, "critical")) return "#7f0000";
    if (!strcmp(sev, "high")) return "#c62828";
    if (!strcmp(sev, "medium")) return "#ef6c00";
    return "#607d8b";
}

void wk_html_worker(wk_html *h, const json_t *w) {
    json_t *flags = json_object_get(w, "flags"), *adv = json_object_get(w, "advisory");
    if (json_is_string(json_object_get(w, "cluster"))) {
        /* clusters come after all workers: remember the risk of members */
        const char *id = json_string_value(json_object_get(w, "id"));
        char *key = rf_arena_strdup(&h->arena, id);
        if (key)
            rf_strmap_put(&h->risk, key, strlen(key),
                          (uint32_t)json_integer_value(json_object_get(w, "risk")), NULL, NULL);
    }
    if (!json_array_size(flags) && !json_array_size(adv)) return;
    if (h->n_workers == MAX_WORKER_ROWS) {
        h->skipped_workers++;
        return;
    }
    h->n_workers++;
    rf_buf *b = &h->workers;
    json_t *cl = json_object_get(w, "cluster");
    rf_buf_puts(b, "<tr><td>");
    esc(b, json_string_value(json_object_get(w, "id")));
    rf_buf_printf(b, "</td><td class=num>%lld</td><td>",
                  (long long)json_integer_value(json_object_get(w, "risk")));
    if (json_is_string(cl)) {
        rf_buf_puts(b, "<a href=\"#");
        esc(b, json_string_value(cl));
        rf_buf_puts(b, "\">");
        esc(b, json_string_value(cl));
        rf_buf_puts(b, "</a>");
    }
    rf_buf_puts(b, "</td><td><ul>");
    for (size_t i = 0; i < json_array_size(flags); i++) {
        json_t *fl = json_array_get(flags, i);
        const char *sev = json_string_value(json_object_get(fl, "severity"));
        char *ev = json_dumps(json_object_get(fl, "evidence"), JSON_COMPACT | JSON_PRESERVE_ORDER);
        rf_buf_printf(b, "<li><b style=\"color:%s\">%s</b> ", sev_colour(sev), sev);
        esc(b, json_string_value(json_object_get(fl, "rule")));
        rf_buf_puts(b, ": ");
        esc(b, json_string_value(json_object_get(fl, "reason")));
        rf_buf_puts(b, " <code>");
        esc(b, ev);
        rf_buf_puts(b, "</code></li>");
        free(ev);
    }
    rf_buf_puts(b, "</ul></td><td><ul>");
    for (size_t i = 0; i < json_array_size(adv); i++) {
        json_t *fl = json_array_get(adv, i);
        rf_buf_puts(b, "<li>");
        esc(b, json_string_value(json_object_get(fl, "rule")));
        rf_buf_puts(b, ": ");
        esc(b, json_string_value(json_object_get(fl, "reason")));
        rf_buf_puts(b, "</li>");
    }
    rf_buf_puts(b, "</ul></td></tr>\n");
}

static const char *kind_colour(const char *kind) {
    static const struct {
        const char *kind, *colour;
    } k[] = {
        {"wallet", "#b71c1c"},   {"payout_account", "#d81b60"}, {"shipping_address", "#6a1b9a"},
        {"login_ip", "#1565c0"}, {"phone", "#00838f"},          {"email", "#2e7d32"},
        {"document", "#ef6c00"}, {"photo_hash", "#5d4037"},     {"profile_text", "#827717"},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (!strcmp(k[i].kind, kind)) return k[i].colour;
    return "#455a64";
}

static int member_index(json_t *members, const char *id) {
    for (size_t i = 0; i < json_array_size(members); i++)
        if (!strcmp(json_string_value(json_array_get(members, i)), id)) return (int)i;
    return -1;
}

/* The picture: n nodes evenly on a circle; an identifier shared by k
 * workers draws k-1 edges from its first holder (a star), offset a little
 * per link so parallel links stay visible. */
/* A node's fill: the worker's risk, as in the flags table. */
static const char *risk_fill(const wk_html *h, const char *id) {
    uint32_t risk = 0;
    rf_strmap_get(&h->risk, id, strlen(id), &risk);
    return risk >= 75 ? "#ef9a9a" : risk >= 50 ? "#ffcc80" : risk > 0 ? "#fff59d" : "#ffffff";
}

static void picture(const wk_html *h, rf_buf *b, json_t *members, json_t *links) {
    size_t n = json_array_size(members);
    const double size = 420, cx = size / 2, cy = size / 2;
    const double rad = n <= 2 ? 90 : 150;
    double x[MAX_NODES], y[MAX_NODES];
    for (size_t i = 0; i < n; i++) {
        double a = 2 * M_PI * (double)i / (double)n - M_PI / 2;
        x[i] = cx + rad * cos(a);
        y[i] = cy + rad * sin(a);
    }
    rf_buf_printf(b,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" role=\"img\">",
                  size, size, size, size);
    for (size_t li = 0; li < json_array_size(links); li++) {
        json_t *l = json_array_get(links, li), *ws = json_object_get(l, "workers");
        const char *kind = json_string_value(json_object_get(l, "kind"));
        int a = member_index(members, json_string_value(json_array_get(ws, 0)));
        static const double offs[5] = {0, 4, -4, 8, -8};
        double off = offs[li % 5];
        for (size_t k = 1; k < json_array_size(ws) && a >= 0; k++) {
            int c = member_index(members, json_string_value(json_array_get(ws, k)));
            if (c < 0) continue;
            rf_buf_printf(b,
                          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                          "stroke-width=\"3\" opacity=\"0.8\"><title>",
                          x[a] + off, y[a] + off, x[c] + off, y[c] + off, kind_colour(kind));
            esc(b, kind);
            rf_buf_puts(b, ": ");
            esc(b, json_string_value(json_object_get(l, "value")));
            rf_buf_puts(b, "</title></line>");
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *id = json_string_value(json_array_get(members, i));
        rf_buf_printf(b,
                      "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"14\" fill=\"%s\" stroke=\"#212121\" "
                      "stroke-width=\"2\"><title>",
                      x[i], y[i], risk_fill(h, id));
        esc(b, id);
        rf_buf_printf(b,
                      "</title></circle><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                      "text-anchor=\"middle\">",
                      x[i], y[i] + 28);
        esc(b, id);
        rf_buf_puts(b, "</text>");
    }
    rf_buf_puts(b, "</svg>");
}

void wk_html_cluster(wk_html *h, const json_t *cl) {
    if (h->n_clusters == MAX_PICTURES) {
        h->skipped_clusters++;
        return;
    }
    h->n_clusters++;
    rf_buf *b = &h->clusters;
    json_t *members = json_object_get(cl, "members"), *links = json_object_get(cl, "links");
    const char *name = json_string_value(json_object_get(cl, "cluster"));
    rf_buf_puts(b, "<section class=cluster id=\"");
    esc(b, name);
    rf_buf_puts(b, "\"><h3>Cluster ");
    esc(b, name);
    rf_buf_printf(b, " (%zu workers)</h3>", json_array_size(members));
    if (json_array_size(members) <= MAX_NODES) picture(h, b, members, links);
    rf_buf_puts(b, "<table><tr><th>kind</th><th>shared value</th><th>workers</th></tr>");
    for (size_t i = 0; i < json_array_size(links); i++) {
        json_t *l = json_array_get(links, i), *ws = json_object_get(l, "workers");
        const char *kind = json_string_value(json_object_get(l, "kind"));
        rf_buf_printf(b, "<tr><td style=\"color:%s\">", kind_colour(kind));
        esc(b, kind);
        rf_buf_puts(b, "</td><td><code>");
        esc(b, json_string_value(json_object_get(l, "value")));
        rf_buf_puts(b, "</code></td><td>");
        for (size_t k = 0; k < json_array_size(ws); k++) {
            if (k) rf_buf_puts(b, ", ");
            esc(b, json_string_value(json_array_get(ws, k)));
        }
        rf_buf_puts(b, "</td></tr>");
    }
    rf_buf_puts(b, "</table></section>\n");
}

bool wk_html_finish(wk_html *h, const rf_workers_summary *s) {
    FILE *f = h->f;
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>redflag workers report</title><style>"
            "body{font:14px system-ui,sans-serif;margin:2em;color:#212121}"
            "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
            "padding:4px 8px;vertical-align:top;text-align:left}.num{text-align:right}"
            "ul{margin:0;padding-left:1.2em}code{font-size:12px;word-break:break-all}"
            ".note{background:#fff8e1;border-left:4px solid #ffb300;padding:.6em 1em}"
            ".cluster{display:inline-block;vertical-align:top;margin:0 2em 2em 0}"
            "</style></head><body>\n<h1>redflag workers report</h1>\n"
            "<p>%zu records read, %zu workers checked, %zu bad records, %zu clusters, "
            "%zu workers with a high or critical flag.</p>\n"
            "<p class=note><b>Guardrail.</b> Signals tied to language, nationality or national "
            "origin are <b>advisory only</b>: they are listed apart, never add to the risk "
            "score and are never a reason to reject anyone on their own (employment "
            "discrimination law applies). Flags are leads for a person to review, not "
            "decisions.</p>\n"
            "<p class=note>This report holds personal data. redflag stored nothing while "
            "making it: keep or delete this file under your own retention rules.</p>\n",
            s->lines, s->workers, s->bad, s->clusters, s->flagged_high);
    fprintf(f, "<h2>Clusters</h2>\n<p>Nodes are workers, filled by risk (red 75+, orange "
               "50+, yellow above 0); edges are the identifiers they share, one colour per "
               "kind (hover for the value).</p>\n");
    if (!h->n_clusters) fprintf(f, "<p>No workers share an identifier.</p>\n");
    fputs(rf_buf_str(&h->clusters), f);
    if (h->skipped_clusters)
        fprintf(f, "<p>%zu more clusters are in the JSON Lines output.</p>\n", h->skipped_clusters);
    fprintf(f, "<h2>Flagged workers</h2>\n<table><tr><th>worker</th><th>risk</th>"
               "<th>cluster</th><th>flags (evidence)</th><th>advisory only</th></tr>\n");
    fputs(rf_buf_str(&h->workers), f);
    fprintf(f, "</table>\n");
    if (h->skipped_workers)
        fprintf(f, "<p>%zu more flagged workers are in the JSON Lines output.</p>\n",
                h->skipped_workers);
    fprintf(f, "</body></html>\n");
    bool ok = !h->workers.oom && !h->clusters.oom && !ferror(f);
    rf_buf_free(&h->workers);
    rf_buf_free(&h->clusters);
    rf_strmap_free(&h->risk);
    rf_arena_free(&h->arena);
    rf_free(h);
    return ok;
}

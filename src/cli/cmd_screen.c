/* redflag screen: queries on stdin (JSON Lines, or CSV with a header row),
 * one JSON result line per query on stdout, in input order. A bad line gets
 * an error line and the run goes on; the exit status is 1 when any line
 * failed. */
#include "cli/cli.h"
#include "cli/screen_pipe.h"
#include "redflag/limits.h"
#include "redflag/screen.h"
#include "redflag/store.h"

#include <csv.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void help(FILE *f) {
    fprintf(f,
            "usage: redflag screen [--threshold T] [--limit N] [--format jsonl|csv] < queries\n"
            "\n"
            "Reads one query per line and writes one JSON result per line, in order.\n"
            "  query:  {\"id\": \"q1\", \"name\": \"Kim Sang Man\", \"type\": \"person\",\n"
            "           \"birth_date\": \"1965-04-25\", \"country\": \"KP\",\n"
            "           \"identifiers\": [{\"type\": \"passport\", \"number\": \"...\"}],\n"
            "           \"wallets\": [{\"currency\": \"ETH\", \"address\": \"0x...\"}]}\n"
            "  result: {\"id\": \"q1\", \"alert\": true, \"matches\": [...]}\n"
            "  error:  {\"id\": \"q1\", \"error\": \"...\"}  (the run goes on; exit status 1)\n"
            "\n"
            "options:\n"
            "  --format F       jsonl (default) or csv: a header row naming the columns\n"
            "                   id,name,type,birth_date,country (any order)\n"
            "  --limit N        at most N matches per query (default %d)\n"
            "  --threshold T    minimum score from 0 to 1 (default %.2f)\n"
            "  --algorithm A    default, or ofac (OFAC Sanctions List Search's score)\n"
            "  --exhaustive     score every listed name (verification; same alerts)\n"
            "  --threads N      screening threads (default: the number of cores); the\n"
            "                   output keeps the input order\n"
            "  --record         also keep each screening in the compliance record (JSON\n"
            "                   lines input): subject, list versions, results, alerts\n"
            "  --store FILE     the record (default $REDFLAG_STORE, else redflag.db)\n",
            RF_DEFAULT_LIMIT, RF_DEFAULT_THRESHOLD);
}

/* --record: screenings kept in batches of RECORD_BATCH per transaction (a
 * crash loses at most the batch in progress, never the record's
 * consistency). */
#define RECORD_BATCH 1000

typedef struct recorder {
    rf_store *store;
    const rf_dataset *ds;
    const char *algorithm;
    double threshold;
    size_t pending;
    size_t lost; /* screenings printed but not recorded */
    rf_error err;
} recorder;

static bool record_one(void *ctx, const char *query, size_t len, const char *result) {
    recorder *r = ctx;
    char *q = strndup(query, len);
    if (!q) return false;
    bool ok =
        (r->pending || rf_store_begin(r->store, &r->err) == RF_OK) &&
        rf_store_record(r->store, r->ds, q, result, r->algorithm, r->threshold, &r->err) == RF_OK;
    free(q);
    if (!ok) {
        r->lost++;
        fprintf(stderr, "redflag screen: not recorded: %s\n", r->err.msg);
    } else if (++r->pending == RECORD_BATCH) {
        r->pending = 0;
        if (rf_store_commit(r->store, &r->err) != RF_OK) {
            /* the whole batch is rolled back, not just this screening */
            r->lost += RECORD_BATCH;
            fprintf(stderr, "redflag screen: a batch of %d screenings not recorded: %s\n",
                    RECORD_BATCH, r->err.msg);
            ok = false;
        }
    }
    return ok;
}

typedef struct screen_run {
    rf_cli *cli;
    rf_match_options mo;
    rf_pipe *pipe;
    bool oom;
} screen_run;

/* Reads one line of f, its '\n' included, keeping at most limit bytes in
 * *buf (grown as needed; NUL-terminated): the rest of a longer line is
 * read and dropped, and *too_long set, so one huge line never fills
 * memory. *consumed gets the bytes read, *quotes the '"' in the whole
 * line (for the CSV reader). Returns the bytes kept, or -1 at the end of
 * input (or when out of memory: *oom). */
static long read_line(FILE *f, char **buf, size_t *cap, size_t limit, size_t *consumed,
                      size_t *quotes, bool *too_long, bool *oom) {
    size_t n = 0;
    *consumed = *quotes = 0;
    *too_long = *oom = false;
    int ch;
    while ((ch = getc_unlocked(f)) != EOF) {
        ++*consumed;
        *quotes += ch == '"';
        if (n < limit) {
            if (n + 2 > *cap) {
                size_t nc = *cap ? *cap * 2 : 4096;
                if (nc > limit + 2) nc = limit + 2;
                char *nb = realloc(*buf, nc);
                if (!nb) {
                    *oom = true;
                    return -1;
                }
                *buf = nb;
                *cap = nc;
            }
            (*buf)[n++] = (char)ch;
        } else if (ch != '\n') {
            *too_long = true;
        }
        if (ch == '\n') break;
    }
    if (*consumed == 0) return -1;
    (*buf)[n] = '\0';
    return (long)n;
}

static void screen_jsonl(screen_run *run) {
    char *line = NULL;
    size_t cap = 0, got, quotes;
    long n;
    long lineno = 0;
    long long consumed = 0;
    bool too_long = false, oom = false;
    while (!run->oom && (n = read_line(stdin, &line, &cap, RF_LIMIT_LINE_BYTES + 1, &got, &quotes,
                                       &too_long, &oom)) != -1) {
        lineno++;
        consumed += (long long)got;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (too_long || len > RF_LIMIT_LINE_BYTES) {
            char msg[128];
            snprintf(msg, sizeof msg, "line %ld: longer than %d bytes (limit): not read", lineno,
                     RF_LIMIT_LINE_BYTES);
            if (!rf_pipe_request(run->pipe, NULL, msg)) run->oom = true;
            continue;
        }
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len) continue; /* blank lines carry no query */
        if (!rf_pipe_json(run->pipe, line, len, lineno, consumed)) run->oom = true;
    }
    if (oom) run->oom = true;
    free(line);
}

enum { COL_ID, COL_NAME, COL_TYPE, COL_BIRTH_DATE, COL_COUNTRY, COL_COUNT };
static const char *const col_names[COL_COUNT] = {"id", "name", "type", "birth_date", "country"};

typedef struct csv_state {
    screen_run *run;
    int map[32]; /* column position -> COL_*, or -1 */
    size_t ncols;
    bool header_done;
    char *fields[COL_COUNT];
    size_t pos; /* field position in the current record */
    long record;
    bool bad_header;
    size_t rec_bytes; /* input bytes of the record being read */
    bool rec_done;    /* a record ended in the line just parsed */
    bool quote_open;  /* the record read so far ends inside a quoted field */
    bool skipping;    /* dropping the rest of a too long quoted field */
} csv_state;

static void csv_field(void *s, size_t len, void *data) {
    csv_state *c = data;
    size_t pos = c->pos++;
    if (!c->header_done) {
        if (pos < 32) {
            c->map[pos] = -1;
            for (int k = 0; k < COL_COUNT; k++)
                if (strlen(col_names[k]) == len && !memcmp(col_names[k], s, len)) c->map[pos] = k;
            c->ncols = pos + 1;
        }
        return;
    }
    if (pos < c->ncols && pos < 32 && c->map[pos] >= 0) {
        int k = c->map[pos];
        free(c->fields[k]);
        c->fields[k] = strndup(s, len);
    }
}

static void csv_record(int term, void *data) {
    (void)term;
    csv_state *c = data;
    c->pos = 0;
    if (!c->header_done) {
        c->header_done = true;
        bool has_id = false;
        for (size_t i = 0; i < c->ncols; i++)
            has_id |= c->map[i] == COL_ID;
        if (!has_id) c->bad_header = true;
        return;
    }
    c->record++;
    rf_request *req = NULL;
    rf_error err;
    rf_error_clear(&err);
    rf_status st = rf_request_from_fields(c->run->cli->ds, c->fields[COL_ID], c->fields[COL_NAME],
                                          c->fields[COL_TYPE], c->fields[COL_BIRTH_DATE],
                                          c->fields[COL_COUNTRY], &req, &err);
    char msg[sizeof err.msg + 32];
    const char *error = NULL;
    if (st != RF_OK) {
        snprintf(msg, sizeof msg, "record %ld: %.480s", c->record, err.msg);
        error = msg;
    } else if (!c->fields[COL_ID] || !*c->fields[COL_ID]) {
        snprintf(msg, sizeof msg, "record %ld: column \"id\" is empty", c->record);
        error = msg;
        rf_request_free(req);
        req = NULL;
    }
    if (!rf_pipe_request(c->run->pipe, req, error)) c->run->oom = true;
    for (int k = 0; k < COL_COUNT; k++) {
        free(c->fields[k]);
        c->fields[k] = NULL;
    }
    c->rec_bytes = 0;
    c->rec_done = true;
}

/* A record longer than RF_LIMIT_LINE_BYTES: its error line, and the parser
 * starts again at the next line. */
static bool csv_skip_record(csv_state *c, struct csv_parser *p) {
    csv_free(p);
    if (csv_init(p, CSV_APPEND_NULL) != 0) return false;
    for (int k = 0; k < COL_COUNT; k++) {
        free(c->fields[k]);
        c->fields[k] = NULL;
    }
    c->pos = 0;
    c->rec_bytes = 0;
    if (!c->header_done) {
        c->bad_header = true;
        return true;
    }
    char msg[128];
    snprintf(msg, sizeof msg, "record %ld: longer than %d bytes (limit): not read", ++c->record,
             RF_LIMIT_LINE_BYTES);
    if (!rf_pipe_request(c->run->pipe, NULL, msg)) c->run->oom = true;
    return true;
}

static bool screen_csv(screen_run *run) {
    struct csv_parser p;
    csv_state c;
    memset(&c, 0, sizeof c);
    c.run = run;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) return false;
    /* fed a line at a time, so a record (a quoted field may hold line
     * breaks) is measured against RF_LIMIT_LINE_BYTES as it is read */
    char *line = NULL;
    size_t cap = 0, got, quotes;
    long n;
    bool ok = true, too_long = false, oom = false;
    while (!c.bad_header && !run->oom &&
           (n = read_line(stdin, &line, &cap, RF_LIMIT_LINE_BYTES + 1, &got, &quotes, &too_long,
                          &oom)) != -1) {
        if (c.skipping) {
            /* an odd number of quotes closes the field: the record ends
             * with this line */
            if (quotes & 1) c.skipping = false;
            continue;
        }
        c.rec_bytes += got;
        bool open_after = c.quote_open ^ (quotes & 1);
        if (too_long || c.rec_bytes > RF_LIMIT_LINE_BYTES + 2) {
            if (!csv_skip_record(&c, &p)) {
                ok = false;
                break;
            }
            c.skipping = open_after;
            c.quote_open = false;
            continue;
        }
        c.rec_done = false;
        if (csv_parse(&p, line, (size_t)n, csv_field, csv_record, &c) != (size_t)n) {
            fprintf(stderr, "redflag screen: CSV error after record %ld: %s\n", c.record,
                    csv_strerror(csv_error(&p)));
            ok = false;
            break;
        }
        c.quote_open = c.rec_done ? false : open_after;
    }
    free(line);
    if (oom) run->oom = true;
    if (ok && !c.bad_header) csv_fini(&p, csv_field, csv_record, &c);
    csv_free(&p);
    for (int k = 0; k < COL_COUNT; k++)
        free(c.fields[k]);
    if (c.bad_header) {
        fprintf(stderr, "redflag screen: the CSV header row must name an \"id\" column "
                        "(columns: id,name,type,birth_date,country)\n");
        return false;
    }
    return ok;
}

int rf_cmd_screen(rf_cli *cli, int argc, char **argv) {
    static const struct option opts[] = {
        {"threshold", required_argument, 0, 'T'},
        {"limit", required_argument, 0, 'l'},
        {"format", required_argument, 0, 'f'},
        {"algorithm", required_argument, 0, 'a'},
        {"exhaustive", no_argument, 0, 'x'},
        {"record", no_argument, 0, 'r'},
        {"store", required_argument, 0, 's'},
        {"threads", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t threads = cores > 0 ? (size_t)cores : 1;
    screen_run run;
    memset(&run, 0, sizeof run);
    run.cli = cli;
    rf_match_options_init(&run.mo);
    bool csv = false, record = false;
    const char *store_path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'T':
            if (!rf_cli_parse_threshold("--threshold", optarg, &run.mo.threshold))
                return RF_EXIT_ERROR;
            break;
        case 'l':
            if (!rf_cli_parse_count("--limit", optarg, &run.mo.limit)) return RF_EXIT_ERROR;
            break;
        case 'f':
            if (!strcmp(optarg, "csv"))
                csv = true;
            else if (strcmp(optarg, "jsonl") != 0) {
                fprintf(stderr, "redflag screen: --format takes jsonl or csv, not '%s'\n", optarg);
                return RF_EXIT_ERROR;
            }
            break;
        case 'a':
            if (!rf_algorithm_parse(optarg, &run.mo.algorithm)) {
                fprintf(stderr, "redflag screen: --algorithm takes default or ofac, not '%s'\n",
                        optarg);
                return RF_EXIT_ERROR;
            }
            break;
        case 'x':
            run.mo.exhaustive = true;
            break;
        case 'r':
            record = true;
            break;
        case 's':
            store_path = optarg;
            break;
        case 'j':
            if (!rf_cli_parse_count("--threads", optarg, &threads)) return RF_EXIT_ERROR;
            if (threads > 256) threads = 256;
            break;
        case 'h':
            help(stdout);
            return RF_EXIT_OK;
        default:
            help(stderr);
            return RF_EXIT_ERROR;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "redflag screen: queries come on stdin, not as arguments ('%s')\n\n",
                argv[optind]);
        help(stderr);
        return RF_EXIT_ERROR;
    }
    if (record && csv) {
        fprintf(stderr, "redflag screen: --record reads JSON lines (each query's \"id\" is the "
                        "subject), not --format csv\n");
        return RF_EXIT_ERROR;
    }
    if (!rf_cli_load(cli, true)) return RF_EXIT_ERROR;
    recorder rec = {NULL, cli->ds, rf_algorithm_name(run.mo.algorithm), run.mo.threshold, 0,
                    0,    {0}};
    if (record) {
        if (!store_path) store_path = getenv("REDFLAG_STORE");
        if (!store_path) store_path = "redflag.db";
        if (rf_store_open(store_path, &rec.store, &rec.err) != RF_OK) {
            fprintf(stderr, "redflag screen: %s\n", rec.err.msg);
            rf_cli_unload(cli);
            return RF_EXIT_ERROR;
        }
    }
    struct stat sb;
    long long size = fstat(0, &sb) == 0 && S_ISREG(sb.st_mode) ? (long long)sb.st_size : 0;
    run.pipe = rf_pipe_start(cli->matcher, &run.mo, (int)threads, stdout, isatty(2) != 0, size);
    int rc = RF_EXIT_OK;
    if (!run.pipe) {
        fprintf(stderr, "redflag screen: out of memory\n");
        rf_store_close(rec.store);
        rf_cli_unload(cli);
        return RF_EXIT_ERROR;
    }
    if (rec.store) rf_pipe_set_record(run.pipe, record_one, &rec);
    if (csv) {
        if (!screen_csv(&run)) rc = RF_EXIT_ERROR;
    } else {
        screen_jsonl(&run);
    }
    size_t done = 0, failed = rf_pipe_finish(run.pipe, &done);
    if (rec.store) {
        if (rec.pending && rf_store_commit(rec.store, &rec.err) != RF_OK) {
            fprintf(stderr, "redflag screen: the last %zu screenings not recorded: %s\n",
                    rec.pending, rec.err.msg);
            rec.lost += rec.pending;
        }
        if (rec.lost) {
            fprintf(stderr,
                    "redflag screen: %zu of %zu screenings were printed but are not in the "
                    "record (the record holds whole batches only)\n",
                    rec.lost, done);
            rc = RF_EXIT_ERROR;
        }
        rf_store_close(rec.store);
    }
    if (run.oom) {
        fprintf(stderr, "redflag screen: out of memory\n");
        rc = RF_EXIT_ERROR;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "redflag screen: cannot write the results\n");
        rc = RF_EXIT_ERROR;
    }
    if (rc == RF_EXIT_OK && failed) {
        fprintf(stderr, "redflag screen: %zu of %zu queries failed (see their error lines)\n",
                failed, done);
        rc = RF_EXIT_RECORDS;
    }
    rf_cli_unload(cli);
    return rc;
}

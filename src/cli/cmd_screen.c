/* redflag screen: queries on stdin (JSON Lines, or CSV with a header row),
 * one JSON result line per query on stdout, in input order. A bad line gets
 * an error line and the run goes on; the exit status is 1 when any line
 * failed. */
#include "cli/cli.h"
#include "cli/screen_pipe.h"
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
    if (ok && ++r->pending == RECORD_BATCH) {
        r->pending = 0;
        ok = rf_store_commit(r->store, &r->err) == RF_OK;
    }
    if (!ok) fprintf(stderr, "redflag screen: not recorded: %s\n", r->err.msg);
    return ok;
}

typedef struct screen_run {
    rf_cli *cli;
    rf_match_options mo;
    rf_pipe *pipe;
    bool oom;
} screen_run;

static void screen_jsonl(screen_run *run) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    long long consumed = 0;
    while (!run->oom && (n = getline(&line, &cap, stdin)) != -1) {
        lineno++;
        consumed += n;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len) continue; /* blank lines carry no query */
        if (!rf_pipe_json(run->pipe, line, len, lineno, consumed)) run->oom = true;
    }
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
}

static bool screen_csv(screen_run *run) {
    struct csv_parser p;
    csv_state c;
    memset(&c, 0, sizeof c);
    c.run = run;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) return false;
    char buf[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0 && !c.bad_header) {
        if (csv_parse(&p, buf, n, csv_field, csv_record, &c) != n) {
            fprintf(stderr, "redflag screen: CSV error after record %ld: %s\n", c.record,
                    csv_strerror(csv_error(&p)));
            ok = false;
            break;
        }
    }
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
    recorder rec = {NULL, cli->ds, rf_algorithm_name(run.mo.algorithm), run.mo.threshold, 0, {0}};
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
            fprintf(stderr, "redflag screen: %s\n", rec.err.msg);
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

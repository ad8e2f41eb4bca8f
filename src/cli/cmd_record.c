/* The compliance record's commands: redflag alerts, redflag decide,
 * redflag audit verify. The store is --store FILE, else $REDFLAG_STORE,
 * else redflag.db in the current folder. */
#include "cli/cli.h"
#include "redflag/store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *store_path(const char *given) {
    if (given) return given;
    const char *env = getenv("REDFLAG_STORE");
    return env && *env ? env : "redflag.db";
}

static rf_store *open_store(const char *cmd, const char *path) {
    rf_store *s;
    rf_error err;
    if (rf_store_open(store_path(path), &s, &err) != RF_OK) {
        fprintf(stderr, "redflag %s: %s\n", cmd, err.msg);
        return NULL;
    }
    return s;
}

int rf_cmd_alerts(rf_cli *cli, int argc, char **argv) {
    (void)cli;
    static const struct option opts[] = {{"open", no_argument, 0, 'o'},
                                         {"json", no_argument, 0, 'j'},
                                         {"store", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    bool open_only = false, json = false;
    const char *path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'o')
            open_only = true;
        else if (c == 'j')
            json = true;
        else if (c == 's')
            path = optarg;
        else {
            FILE *f = c == 'h' ? stdout : stderr;
            fprintf(f, "usage: redflag alerts [--open] [--json] [--store FILE]\n\n"
                       "Lists the alerts of the compliance record (screen --record), oldest\n"
                       "first: id (what decide takes), subject, entity, score, status, reason.\n"
                       "--json prints one array of objects with alert_id, subject_id, entity,\n"
                       "score, status and reason.\n");
            return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
        }
    }
    rf_store *s = open_store("alerts", path);
    if (!s) return RF_EXIT_ERROR;
    rf_alert *v;
    size_t n;
    rf_error err;
    int rc = RF_EXIT_OK;
    if (rf_store_alerts(s, open_only, &v, &n, &err) != RF_OK) {
        fprintf(stderr, "redflag alerts: %s\n", err.msg);
        rc = RF_EXIT_ERROR;
    } else if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(
                a, json_pack("{s:I,s:s,s:s,s:f,s:s,s:s,s:s}", "alert_id", (json_int_t)v[i].id,
                             "subject_id", v[i].subject, "entity", v[i].entity, "score", v[i].score,
                             "status", v[i].status, "reason", v[i].reason, "opened", v[i].opened));
        json_dumpf(a, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
        printf("\n");
        json_decref(a);
    } else {
        printf("%-8s %-20s %-24s %6s  %-15s %s\n", "alert", "subject", "entity", "score", "status",
               "reason");
        for (size_t i = 0; i < n; i++)
            printf("%-8lld %-20s %-24s %6.3f  %-15s %s\n", v[i].id, v[i].subject, v[i].entity,
                   v[i].score, v[i].status, v[i].reason);
    }
    free(v);
    rf_store_close(s);
    return rc;
}

int rf_cmd_decide(rf_cli *cli, int argc, char **argv) {
    (void)cli;
    static const struct option opts[] = {{"true-match", no_argument, 0, 't'},
                                         {"false-positive", no_argument, 0, 'f'},
                                         {"approve", no_argument, 0, 'a'},
                                         {"reject", no_argument, 0, 'x'},
                                         {"reason", required_argument, 0, 'r'},
                                         {"by", required_argument, 0, 'b'},
                                         {"store", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int verdict = -1;
    const char *reason = NULL, *by = NULL, *path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 't') {
            verdict = RF_VERDICT_TRUE_MATCH;
        } else if (c == 'f') {
            verdict = RF_VERDICT_FALSE_POSITIVE;
        } else if (c == 'a') {
            verdict = RF_VERDICT_APPROVE;
        } else if (c == 'x') {
            verdict = RF_VERDICT_REJECT;
        } else if (c == 'r') {
            reason = optarg;
        } else if (c == 'b') {
            by = optarg;
        } else if (c == 's') {
            path = optarg;
        } else {
            FILE *f = c == 'h' ? stdout : stderr;
            fprintf(f, "usage: redflag decide ALERT_ID --true-match|--false-positive|--approve|"
                       "--reject --reason TEXT --by NAME [--store FILE]\n\n"
                       "Records an analyst's decision on an alert. A false positive stays\n"
                       "suppressed on later screenings while the subject's fields and the\n"
                       "entity's record are unchanged; a change re-opens it. With four-eyes on\n"
                       "(redflag configure four-eyes on), a true match waits until another\n"
                       "reviewer approves (or rejects) it.\n");
            return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
        }
    }
    char *end = NULL;
    long long id = optind < argc ? strtoll(argv[optind], &end, 10) : 0;
    if (optind + 1 != argc || !end || *end || id <= 0 || verdict < 0 || !reason || !by) {
        fprintf(stderr, "redflag decide: give ALERT_ID, one of --true-match, --false-positive, "
                        "--approve, --reject, and --reason and --by\n");
        return RF_EXIT_ERROR;
    }
    rf_store *s = open_store("decide", path);
    if (!s) return RF_EXIT_ERROR;
    rf_error err;
    int rc = RF_EXIT_OK;
    static const char *const words[] = {"false positive", "true match", "approved", "rejected"};
    if (rf_store_decide(s, id, (rf_verdict)verdict, reason, by, &err) != RF_OK) {
        fprintf(stderr, "redflag decide: %s\n", err.msg);
        rc = RF_EXIT_ERROR;
    } else {
        printf("alert %lld: %s, by %s\n", id, words[verdict], by);
    }
    rf_store_close(s);
    return rc;
}

int rf_cmd_configure(rf_cli *cli, int argc, char **argv) {
    (void)cli;
    static const struct option opts[] = {{"by", required_argument, 0, 'b'},
                                         {"store", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *by = NULL, *path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'b') {
            by = optarg;
        } else if (c == 's') {
            path = optarg;
        } else {
            FILE *f = c == 'h' ? stdout : stderr;
            fprintf(f, "usage: redflag configure four-eyes on|off --by NAME [--store FILE]\n\n"
                       "Turns the second reviewer for true matches on or off (audited).\n");
            return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
        }
    }
    if (optind + 2 != argc || strcmp(argv[optind], "four-eyes") != 0 ||
        (strcmp(argv[optind + 1], "on") != 0 && strcmp(argv[optind + 1], "off") != 0) || !by) {
        fprintf(stderr, "redflag configure: four-eyes on|off --by NAME\n");
        return RF_EXIT_ERROR;
    }
    rf_store *s = open_store("configure", path);
    if (!s) return RF_EXIT_ERROR;
    rf_error err;
    bool on = !strcmp(argv[optind + 1], "on");
    int rc = rf_store_set_four_eyes(s, on, by, &err) == RF_OK ? RF_EXIT_OK : RF_EXIT_ERROR;
    if (rc == RF_EXIT_OK)
        printf("four-eyes %s\n", on ? "on" : "off");
    else
        fprintf(stderr, "redflag configure: %s\n", err.msg);
    rf_store_close(s);
    return rc;
}

int rf_cmd_report(rf_cli *cli, int argc, char **argv) {
    static const struct option opts[] = {{"json", no_argument, 0, 'j'},
                                         {"store", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    bool json = false;
    const char *path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'j') {
            json = true;
        } else if (c == 's') {
            path = optarg;
        } else {
            FILE *f = c == 'h' ? stdout : stderr;
            fprintf(f, "usage: redflag report blocked [--json] [--store FILE]\n\n"
                       "The true matches, with what OFAC's blocked and rejected transaction\n"
                       "reports need (31 CFR 501.603/604): subject, entity, list, programs,\n"
                       "score, who decided, when and why. CSV, or --json.\n");
            return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
        }
    }
    if (optind + 1 != argc || strcmp(argv[optind], "blocked") != 0) {
        fprintf(stderr, "redflag report: the report is: redflag report blocked\n");
        return RF_EXIT_ERROR;
    }
    if (!rf_cli_load(cli, false)) return RF_EXIT_ERROR;
    rf_store *s = open_store("report", path);
    int rc = RF_EXIT_ERROR;
    if (s) {
        size_t n;
        rf_error err;
        if (rf_store_report_blocked(s, cli->ds, json, stdout, &n, &err) == RF_OK)
            rc = RF_EXIT_OK;
        else
            fprintf(stderr, "redflag report: %s\n", err.msg);
        rf_store_close(s);
    }
    rf_cli_unload(cli);
    return rc;
}

static bool iso_day(const char *s) {
    int y, m, d;
    return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 &&
           d >= 1 && d <= 31;
}

int rf_cmd_audit(rf_cli *cli, int argc, char **argv) {
    (void)cli;
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'}, {"from", required_argument, 0, 'f'},
        {"to", required_argument, 0, 't'},    {"format", required_argument, 0, 'F'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    const char *path = NULL, *from = NULL, *to = NULL, *format = "csv";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 's') {
            path = optarg;
        } else if (c == 'f') {
            from = optarg;
        } else if (c == 't') {
            to = optarg;
        } else if (c == 'F') {
            format = optarg;
        } else {
            FILE *f = c == 'h' ? stdout : stderr;
            fprintf(f, "usage: redflag audit verify [--store FILE]\n"
                       "       redflag audit export [--from DATE] [--to DATE] [--format csv|json]"
                       " [--store FILE]\n\n"
                       "verify checks the audit log's hash chain: exits 0 when intact, 1 when a\n"
                       "row was edited, inserted or deleted (and says which), 2 on error.\n"
                       "export writes the rows of those days (YYYY-MM-DD, inclusive; UTC) with\n"
                       "their hashes, for an examiner.\n");
            return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
        }
    }
    bool export = optind + 1 == argc && !strcmp(argv[optind], "export");
    if (!export && (optind + 1 != argc || strcmp(argv[optind], "verify") != 0)) {
        fprintf(stderr, "redflag audit: the commands are verify and export (see --help)\n");
        return RF_EXIT_ERROR;
    }
    if (export && ((from && !iso_day(from)) || (to && !iso_day(to)) ||
                   (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))) {
        fprintf(stderr, "redflag audit export: --from and --to take YYYY-MM-DD, --format csv or "
                        "json\n");
        return RF_EXIT_ERROR;
    }
    rf_store *s = open_store("audit", path);
    if (!s) return RF_EXIT_ERROR;
    if (export) {
        size_t n;
        rf_error err;
        rf_status st =
            rf_store_audit_export(s, from, to, !strcmp(format, "json"), stdout, &n, &err);
        if (st != RF_OK)
            fprintf(stderr, "redflag audit export: %s\n", err.msg);
        else
            fprintf(stderr, "redflag audit export: %zu rows\n", n);
        rf_store_close(s);
        return st == RF_OK ? RF_EXIT_OK : RF_EXIT_ERROR;
    }
    bool intact;
    char msg[256];
    rf_error err;
    int rc;
    if (rf_store_audit_verify(s, &intact, msg, sizeof msg, &err) != RF_OK) {
        fprintf(stderr, "redflag audit: %s\n", err.msg);
        rc = RF_EXIT_ERROR;
    } else {
        printf("audit log: %s\n", msg);
        rc = intact ? RF_EXIT_OK : RF_EXIT_RECORDS;
    }
    rf_store_close(s);
    return rc;
}

int rf_cmd_monitor(rf_cli *cli, int argc, char **argv) {
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 's')
            path = optarg;
        else {
            FILE *f = c == 'h' ? stdout : stderr;
            fprintf(f, "usage: redflag monitor [--store FILE]\n\n"
                       "Re-screens every subject of the record against the loaded lists and\n"
                       "records only what is new since the last run: alerts on entities added\n"
                       "or changed since, and open alerts on delisted entities closed. With no\n"
                       "entity changed, no subject is screened.\n");
            return c == 'h' ? RF_EXIT_OK : RF_EXIT_ERROR;
        }
    }
    if (!rf_cli_load(cli, true)) return RF_EXIT_ERROR;
    rf_store *s = open_store("monitor", path);
    if (!s) {
        rf_cli_unload(cli);
        return RF_EXIT_ERROR;
    }
    rf_monitor_report r;
    rf_error err;
    int rc = RF_EXIT_OK;
    if (rf_store_monitor(s, cli->ds, cli->matcher, &r, &err) != RF_OK) {
        fprintf(stderr, "redflag monitor: %s\n", err.msg);
        rc = RF_EXIT_ERROR;
    } else {
        printf("entities since the last run: %zu new, %zu changed, %zu removed\n"
               "subjects screened: %zu; alerts opened: %zu; closed (delisted): %zu\n",
               r.entities_new, r.entities_changed, r.entities_removed, r.subjects_screened,
               r.alerts_opened, r.alerts_closed);
    }
    rf_store_close(s);
    rf_cli_unload(cli);
    return rc;
}

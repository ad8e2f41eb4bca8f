/* redflag match NAME: screen one query given on the command line and print
 * ranked matches as a table or JSON. The query goes through the same JSON
 * request parser as `redflag screen`, so both validate alike. */
#include "cli/cli.h"
#include "redflag/screen.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f) {
    fprintf(f,
            "usage: redflag match NAME [options]\n"
            "\n"
            "Screens one name (and optionally a document number or wallet) against the\n"
            "loaded lists and prints the matches at or above the threshold, best first.\n"
            "\n"
            "options:\n"
            "  --type T         person, organization, vessel or aircraft\n"
            "  --dob DATE       birth date: YYYY, YYYY-MM or YYYY-MM-DD\n"
            "  --country CC     country or nationality (ISO code or name)\n"
            "  --id NUMBER      an identity-document number to look up\n"
            "  --wallet ADDR    a crypto wallet address to look up\n"
            "  --limit N        at most N matches (default %d)\n"
            "  --threshold T    minimum score from 0 to 1 (default %.2f)\n"
            "  --json           print the result object with each entity's record\n"
            "  --algorithm A    default, or ofac (OFAC Sanctions List Search's score)\n"
            "  --exhaustive     score every listed name (verification; same alerts)\n",
            RF_DEFAULT_LIMIT, RF_DEFAULT_THRESHOLD);
}

static void print_table(const rf_results *res) {
    size_t n = rf_results_count(res);
    if (n == 0) {
        printf("no match at or above the threshold\n");
        return;
    }
    printf("%-3s %-6s %-13s %-9s %-12s %-40s %s\n", "#", "score", "list", "id", "schema", "name",
           "programs");
    for (size_t i = 0; i < n; i++) {
        const rf_match *m = rf_results_get(res, i);
        const rf_entity *e = m->entity;
        char programs[128] = "";
        size_t off = 0;
        for (size_t k = 0; k < e->n_programs && off < sizeof programs; k++)
            off += (size_t)snprintf(programs + off, sizeof programs - off, "%s%s", k ? "," : "",
                                    e->programs[k]);
        printf("%-3zu %-6.3f %-13s %-9s %-12s %-40s %s\n", i + 1, m->score, e->list, e->source_id,
               rf_schema_name(e->schema), e->names[0].text, programs);
        /* the one-line explanation */
        const rf_name *nm = &e->names[m->name_index];
        if (m->basis == RF_BASIS_WALLET)
            printf("    wallet %s %s", e->wallets[m->id_index].currency,
                   e->wallets[m->id_index].address);
        else if (m->basis == RF_BASIS_IDENTIFIER)
            printf("    %s %s", e->identifiers[m->id_index].type,
                   e->identifiers[m->id_index].number);
        else
            printf("    %s%s \"%s\"", rf_name_kind_str(nm->kind), nm->weak ? " (weak)" : "",
                   nm->text);
        if (m->n_pairs) {
            printf(":");
            for (size_t k = 0; k < m->n_pairs; k++) {
                const rf_token_pair *p = &m->pairs[k];
                printf(" %s=%s", p->query_token ? p->query_token : "-",
                       p->list_token ? p->list_token : "-");
                if (p->how != RF_HOW_EXACT && p->how != RF_HOW_UNMATCHED)
                    printf("(%s %.2f)", rf_token_how_str(p->how), p->similarity);
            }
        }
        for (size_t k = 0; k < m->n_features; k++)
            printf("; %s %+.2f", m->features[k].detail, m->features[k].delta);
        printf("\n");
    }
}

int rf_cmd_match(rf_cli *cli, int argc, char **argv) {
    static const struct option opts[] = {
        {"type", required_argument, 0, 't'},
        {"dob", required_argument, 0, 'd'},
        {"country", required_argument, 0, 'c'},
        {"id", required_argument, 0, 'i'},
        {"wallet", required_argument, 0, 'w'},
        {"limit", required_argument, 0, 'l'},
        {"threshold", required_argument, 0, 'T'},
        {"json", no_argument, 0, 'j'},
        {"algorithm", required_argument, 0, 'a'},
        {"exhaustive", no_argument, 0, 'x'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    rf_match_options mo;
    rf_match_options_init(&mo);
    bool as_json = false;
    json_t *q = json_object();
    json_object_set_new(q, "id", json_string("cli"));
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            json_object_set_new(q, "type", json_string(optarg));
            break;
        case 'd':
            json_object_set_new(q, "birth_date", json_string(optarg));
            break;
        case 'c':
            json_object_set_new(q, "country", json_string(optarg));
            break;
        case 'i':
            json_object_set_new(q, "identifiers", json_pack("[{s:s}]", "number", optarg));
            break;
        case 'w':
            json_object_set_new(q, "wallets", json_pack("[{s:s}]", "address", optarg));
            break;
        case 'l':
            if (!rf_cli_parse_count("--limit", optarg, &mo.limit)) goto usage_error;
            break;
        case 'T':
            if (!rf_cli_parse_threshold("--threshold", optarg, &mo.threshold)) goto usage_error;
            break;
        case 'j':
            as_json = true;
            break;
        case 'a':
            if (!rf_algorithm_parse(optarg, &mo.algorithm)) {
                fprintf(stderr, "redflag match: --algorithm takes default or ofac, not '%s'\n",
                        optarg);
                goto usage_error;
            }
            break;
        case 'x':
            mo.exhaustive = true;
            break;
        case 'h':
            help(stdout);
            json_decref(q);
            return RF_EXIT_OK;
        default:
            goto usage_error;
        }
    }
    /* the name may be given as several words: redflag match Kim Sang Man */
    size_t len = 0;
    for (int i = optind; i < argc; i++)
        len += strlen(argv[i]) + 1;
    if (len) {
        char *name = malloc(len);
        if (!name) goto usage_error;
        name[0] = '\0';
        for (int i = optind; i < argc; i++) {
            if (i > optind) strcat(name, " ");
            strcat(name, argv[i]);
        }
        json_object_set_new(q, "name", json_string(name));
        free(name);
    }
    if (!len && !json_object_get(q, "identifiers") && !json_object_get(q, "wallets")) {
        fprintf(stderr, "redflag match: give a NAME (or --id / --wallet)\n\n");
        goto usage_error;
    }
    if (!rf_cli_load(cli, true)) {
        json_decref(q);
        return RF_EXIT_ERROR;
    }
    char *text = json_dumps(q, JSON_COMPACT);
    json_decref(q);
    q = NULL;
    rf_request *req = NULL;
    rf_results *res = rf_results_new();
    rf_error err;
    rf_error_clear(&err);
    int rc = RF_EXIT_OK;
    if (!text || !res) {
        fprintf(stderr, "redflag match: out of memory\n");
        rc = RF_EXIT_ERROR;
    } else if (rf_request_parse_json(cli->ds, text, strlen(text), &req, &err) != RF_OK ||
               rf_match_query(cli->matcher, rf_request_query(req), &mo, res, &err) != RF_OK) {
        fprintf(stderr, "redflag match: %s\n", err.msg);
        rc = RF_EXIT_ERROR;
    } else if (as_json) {
        char *out = rf_result_json(req, res, RF_JSON_RECORD);
        if (out) printf("%s\n", out);
        free(out);
    } else {
        print_table(res);
    }
    free(text);
    rf_request_free(req);
    rf_results_free(res);
    rf_cli_unload(cli);
    return rc;

usage_error:
    json_decref(q);
    help(stderr);
    return RF_EXIT_ERROR;
}

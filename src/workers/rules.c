/* The workforce rules: one table (id, severity, reason, source) and the
 * checks that need only one record (sanctions through the matcher, payout
 * holders, logins, working hours, ratings...). The checks that compare
 * workers (shared identifiers) are in check.c, on the links of cluster.c.
 *
 * Risk: a critical flag gives 100; otherwise each flag keeps a share of the
 * remaining distance to 100 (high 50%, medium 20%, low 5%), so two high
 * flags give 75 and three medium ones 49. Advisory signals (language,
 * nationality, national origin) never count. */
#include "workers/workers_int.h"
#include "util/alloc.h"
#include "util/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#define SRC_2022                                                                                   \
    "US State/Treasury/FBI advisory 'Guidance on the Democratic People's Republic of Korea "       \
    "Information Technology Workers', 16 May 2022"
#define SRC_2023                                                                                   \
    "FBI, State Department and Republic of Korea public service announcement on DPRK IT workers, " \
    "18 Oct 2023"
#define SRC_2025                                                                                   \
    "FBI public service announcement I-012325-PSA on North Korean IT workers, 23 Jan 2025"
#define SRC_OFAC "OFAC sanctions lists (31 CFR 510, North Korea Sanctions Regulations)"

/* The rules table. Keep the order of wk_rule_id. */
static const rf_worker_rule rules[R_RULE_COUNT] = {
    [R_SANCTIONS_WALLET] = {"sanctions_wallet", RF_SEV_CRITICAL, false,
                            "a payout wallet is on a sanctions list", SRC_OFAC},
    [R_SANCTIONS_DOCUMENT] = {"sanctions_document", RF_SEV_HIGH, false,
                              "an identity-document number is on a sanctions list", SRC_OFAC},
    [R_SANCTIONS_NAME] = {"sanctions_name", RF_SEV_HIGH, false,
                          "the worker's name matches a sanctioned person (high when the "
                          "birth date agrees or the score is 0.95 or more, else medium)",
                          SRC_OFAC},
    [R_SHARED_PAYOUT] = {"shared_payout_account", RF_SEV_HIGH, false,
                         "the payout account is shared with other workers", SRC_2022},
    [R_SHARED_WALLET] = {"shared_wallet", RF_SEV_HIGH, false,
                         "the crypto wallet is shared with other workers", SRC_2022},
    [R_SHARED_DOCUMENT] = {"shared_document", RF_SEV_HIGH, false,
                           "the identity-document number is used by other workers", SRC_2022},
    [R_SHARED_PHOTO] = {"shared_photo", RF_SEV_HIGH, false,
                        "the same photo is used by other workers", SRC_2023},
    [R_SHARED_PHONE] = {"shared_phone", RF_SEV_MEDIUM, false,
                        "the phone number is used by other workers", SRC_2022},
    [R_SHARED_EMAIL] = {"shared_email", RF_SEV_MEDIUM, false,
                        "the email address is used by other workers", SRC_2022},
    [R_SHARED_PROFILE_TEXT] = {"shared_profile_text", RF_SEV_MEDIUM, false,
                               "the same profile or resume text is used by other workers",
                               SRC_2022},
    [R_SHARED_SHIPPING] = {"shared_shipping_address", RF_SEV_HIGH, false,
                           "equipment ships to an address shared with other workers "
                           "(laptop farm)",
                           SRC_2023},
    [R_SHARED_LOGIN_IP] = {"shared_login_ip", RF_SEV_MEDIUM, false,
                           "logins from an IP address other workers also log in from "
                           "(high when three or more workers)",
                           SRC_2022},
    [R_PAYOUT_HOLDER_MISMATCH] = {"payout_holder_mismatch", RF_SEV_HIGH, false,
                                  "the payout account holder's name is not the worker's", SRC_2022},
    [R_SHIPPING_NOT_HOME] = {"shipping_not_home", RF_SEV_LOW, false,
                             "equipment ships to an address other than the home address", SRC_2023},
    [R_LOGIN_RISK_COUNTRY] = {"login_risk_country", RF_SEV_HIGH, false,
                              "logins from a sanctioned or high-risk country the worker "
                              "does not claim to be in",
                              SRC_2022},
    [R_LOGIN_VPN] = {"login_vpn", RF_SEV_MEDIUM, false,
                     "most logins come through a VPN, proxy or hosting provider", SRC_2022},
    [R_LOGIN_MANY_COUNTRIES] = {"login_many_countries", RF_SEV_MEDIUM, false,
                                "logins from three or more countries within 24 hours", SRC_2022},
    [R_IMPOSSIBLE_TRAVEL] = {"impossible_travel", RF_SEV_MEDIUM, false,
                             "consecutive non-VPN logins from two countries less than an "
                             "hour apart",
                             SRC_2022},
    [R_ACTIVITY_OFF_HOURS] = {"activity_off_hours", RF_SEV_MEDIUM, false,
                              "most activity falls outside working hours (07:00-21:00) in "
                              "the claimed timezone",
                              SRC_2022},
    [R_CRYPTO_PAYMENT_REQUEST] = {"crypto_payment_request", RF_SEV_MEDIUM, false,
                                  "asked to be paid in cryptocurrency", SRC_2022},
    [R_RATING_BURST] = {"rating_burst", RF_SEV_MEDIUM, false,
                        "five or more high ratings from one client within 72 hours", SRC_2022},
    [R_CLIENT_RATING_BURST] = {"client_rating_burst", RF_SEV_MEDIUM, false,
                               "one client rated this worker and three or more others 4-5 "
                               "stars within one 72-hour window (windows start every 36 "
                               "hours)",
                               SRC_2022},
    [R_PAYOUT_COUNTRY_MISMATCH] = {"payout_country_mismatch", RF_SEV_MEDIUM, false,
                                   "the payout bank's country is not the claimed country",
                                   SRC_2022},
    [R_VOIP_PHONE] = {"voip_phone", RF_SEV_LOW, false, "a phone number is marked as VoIP",
                      SRC_2023},
    [R_REMOTE_ACCESS] = {"remote_access_tool", RF_SEV_HIGH, false,
                         "remote-access software or an IP-KVM device was reported on company "
                         "equipment",
                         SRC_2025},
    [R_KOREAN_LANGUAGE] = {"korean_language", RF_SEV_LOW, true,
                           "Korean as a working language with a claimed country where it is "
                           "not commonly spoken (advisory only: never a reason to reject)",
                           SRC_2022},
};

const rf_worker_rule *rf_workers_rules(size_t *n) {
    if (n) *n = R_RULE_COUNT;
    return rules;
}

const char *rf_severity_str(rf_severity s) {
    switch (s) {
    case RF_SEV_LOW:
        return "low";
    case RF_SEV_MEDIUM:
        return "medium";
    case RF_SEV_HIGH:
        return "high";
    case RF_SEV_CRITICAL:
        return "critical";
    }
    return "?";
}

/* ---- MARK: context ---- */

rf_status wk_ctx_init(wk_ctx *c, const rf_workers_options *o, rf_error *err) {
    memset(c, 0, sizeof *c);
    rf_strmap_init(&c->tz_index);
    rf_status st = wk_norm_init(&c->norm, err);
    if (st) return st;
    c->matcher = o->matcher;
    if (c->matcher && !(c->results = rf_results_new())) {
        wk_ctx_free(c);
        return rf_fail(err, RF_E_NOMEM, NULL, 0, "out of memory");
    }
    const char *lc = o->login_countries ? o->login_countries : "KP,CN,RU";
    for (const char *p = lc; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p) break;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        if (e - p != 2 || !isalpha((unsigned char)p[0]) || !isalpha((unsigned char)p[1]) ||
            c->n_risk_countries == 64) {
            wk_ctx_free(c);
            return rf_fail(err, RF_E_INVALID, NULL, 0,
                           "login countries take ISO 3166 alpha-2 codes separated by commas "
                           "(such as KP,CN,RU), at most 64");
        }
        c->risk_countries[c->n_risk_countries][0] = (char)toupper((unsigned char)p[0]);
        c->risk_countries[c->n_risk_countries][1] = (char)toupper((unsigned char)p[1]);
        c->risk_countries[c->n_risk_countries][2] = '\0';
        c->n_risk_countries++;
        p = e;
    }
    return RF_OK;
}

void wk_ctx_free(wk_ctx *c) {
    wk_norm_free(&c->norm);
    rf_results_free(c->results);
    for (size_t i = 0; i < c->n_tz; i++) {
        if (c->tz[i].cal) ucal_close(c->tz[i].cal);
        rf_free(c->tz[i].name);
    }
    rf_free(c->tz);
    rf_strmap_free(&c->tz_index);
    memset(c, 0, sizeof *c);
}

/* The ICU calendar of a timezone id, opened once per id; NULL when ICU does
 * not know the id. */
static UCalendar *tz_calendar(wk_ctx *c, const char *tz) {
    uint32_t idx;
    size_t len = strlen(tz);
    if (rf_strmap_get(&c->tz_index, tz, len, &idx)) return c->tz[idx].cal;
    if (len > 63) return NULL;
    UChar uid[64];
    u_uastrcpy(uid, tz);
    UErrorCode ue = U_ZERO_ERROR;
    UChar canon[64];
    UBool system = false;
    ucal_getCanonicalTimeZoneID(uid, -1, canon, 64, &system, &ue);
    UCalendar *cal = NULL;
    if (U_SUCCESS(ue) && system) {
        ue = U_ZERO_ERROR;
        cal = ucal_open(uid, -1, "en_US", UCAL_GREGORIAN, &ue);
        if (U_FAILURE(ue)) cal = NULL;
    }
    char *name = rf_strdup(tz);
    if (!name || rf_grow((void **)&c->tz, &c->cap_tz, c->n_tz + 1, sizeof *c->tz) ||
        !rf_strmap_put(&c->tz_index, name, len, (uint32_t)c->n_tz, NULL, NULL)) {
        rf_free(name);
        if (cal) ucal_close(cal);
        return NULL;
    }
    c->tz[c->n_tz].cal = cal;
    c->tz[c->n_tz].name = name;
    c->n_tz++;
    return cal;
}

bool wk_timezone_known(wk_ctx *c, const char *tz) {
    return tz_calendar(c, tz) != NULL;
}

/* ---- MARK: flags ---- */

static const double weights[] = {0.05, 0.2, 0.5, 1.0};

void wk_judge_init(wk_judge *j) {
    j->flags = json_array();
    j->advisory = json_array();
    j->max_severity = -1;
    j->keep = 1.0;
}

void wk_judge_free(wk_judge *j) {
    json_decref(j->flags);
    json_decref(j->advisory);
    j->flags = j->advisory = NULL;
}

void wk_flag(wk_judge *j, wk_rule_id rule, json_t *evidence) {
    rf_severity sev = rules[rule].severity;
    /* shared_login_ip: high when three or more workers share the address */
    if (rule == R_SHARED_LOGIN_IP) {
        json_t *w = json_object_get(evidence, "workers");
        if (json_integer_value(w) >= 3) sev = RF_SEV_HIGH;
    }
    wk_flag_at(j, rule, sev, evidence);
}

void wk_flag_at(wk_judge *j, wk_rule_id rule, rf_severity sev, json_t *evidence) {
    const rf_worker_rule *r = &rules[rule];
    json_t *f = json_pack("{s:s, s:s, s:s, s:o}", "rule", r->id, "severity", rf_severity_str(sev),
                          "reason", r->reason, "evidence", evidence ? evidence : json_object());
    if (!f) return;
    if (r->advisory) {
        json_array_append_new(j->advisory, f);
        return;
    }
    json_array_append_new(j->flags, f);
    if ((int)sev > j->max_severity) j->max_severity = (int)sev;
    j->keep *= 1.0 - weights[sev];
}

int wk_judge_risk(const wk_judge *j) {
    return (int)((1.0 - j->keep) * 100.0 + 0.5);
}

/* ---- MARK: sanctions ---- */

static bool parse_birth(const char *s, rf_date *d) {
    int y, m, day;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &day) != 3) return false;
    d->year = (int16_t)y;
    d->month = (uint8_t)m;
    d->day = (uint8_t)day;
    return true;
}

static json_t *entity_evidence(const rf_match *m) {
    const rf_entity *e = m->entity;
    json_t *programs = json_array();
    for (size_t k = 0; k < e->n_programs; k++)
        json_array_append_new(programs, json_string(e->programs[k]));
    return json_pack("{s:s, s:s, s:s, s:f, s:o}", "list", e->list, "source_id", e->source_id,
                     "listed_name", e->names[0].text, "score", m->score, "programs", programs);
}

/* A name match at or above this score is high without a birth date. */
#define SANCTIONS_NAME_SURE 0.95

static void rules_sanctions(wk_ctx *c, const wk_record *r, wk_judge *j) {
    if (!c->matcher) return;
    rf_query_wallet wallets[16];
    rf_query_identifier ids[16];
    rf_query q = {0};
    q.schema = RF_SCHEMA_PERSON;
    for (size_t i = 0; i < r->n_payouts && q.n_wallets < 16; i++)
        if (r->payouts[i].crypto && r->payouts[i].account)
            wallets[q.n_wallets++] = (rf_query_wallet){NULL, r->payouts[i].account};
    for (size_t i = 0; i < r->n_docs && q.n_identifiers < 16; i++)
        ids[q.n_identifiers++] = (rf_query_identifier){NULL, r->docs[i].number};
    q.wallets = wallets;
    q.identifiers = ids;
    parse_birth(r->birth_date, &q.birth_date);
    bool flagged_name = false, flagged_doc = false, flagged_wallet = false;
    for (size_t n = 0; n <= r->n_other_names; n++) {
        q.name = n == 0 ? r->legal_name : r->other_names[n - 1];
        if (n > 0) { /* the identifiers were screened with the first query */
            q.n_wallets = q.n_identifiers = 0;
        }
        if (!q.name && !q.n_wallets && !q.n_identifiers) continue;
        rf_match_options mo;
        rf_match_options_init(&mo);
        mo.limit = 3;
        if (rf_match_query(c->matcher, &q, &mo, c->results, NULL) != RF_OK) continue;
        for (size_t i = 0; i < rf_results_count(c->results); i++) {
            const rf_match *m = rf_results_get(c->results, i);
            json_t *ev = entity_evidence(m);
            if (m->basis == RF_BASIS_WALLET && !flagged_wallet) {
                json_object_set_new(ev, "wallet",
                                    json_string(m->entity->wallets[m->id_index].address));
                wk_flag(j, R_SANCTIONS_WALLET, ev);
                flagged_wallet = true;
            } else if (m->basis == RF_BASIS_IDENTIFIER && !flagged_doc) {
                json_object_set_new(ev, "document",
                                    json_string(m->entity->identifiers[m->id_index].number));
                wk_flag(j, R_SANCTIONS_DOCUMENT, ev);
                flagged_doc = true;
            } else if (m->basis == RF_BASIS_NAME && !flagged_name &&
                       m->entity->schema == RF_SCHEMA_PERSON) {
                /* a name alone is weak evidence (common names meet listed
                 * ones): high when the birth date agrees or the name is
                 * near-identical, medium otherwise */
                bool dob = false;
                for (size_t k = 0; k < m->n_features; k++)
                    dob |= !strcmp(m->features[k].name, "birth_date") && m->features[k].delta > 0;
                json_object_set_new(ev, "name", json_string(q.name));
                json_object_set_new(ev, "birth_date_agrees", json_boolean(dob));
                wk_flag_at(j, R_SANCTIONS_NAME,
                           dob || m->score >= SANCTIONS_NAME_SURE ? RF_SEV_HIGH : RF_SEV_MEDIUM,
                           ev);
                flagged_name = true;
            } else {
                json_decref(ev);
            }
        }
    }
}

/* ---- MARK: payouts ---- */

#define HOLDER_THRESHOLD 0.75

static void rules_payouts(wk_ctx *c, const wk_record *r, wk_judge *j) {
    bool mismatch = false, country = false;
    for (size_t i = 0; i < r->n_payouts; i++) {
        const wk_payout *p = &r->payouts[i];
        if (p->holder && r->legal_name && c->matcher && !mismatch) {
            double best = rf_matcher_compare(c->matcher, c->results, r->legal_name, p->holder,
                                             RF_SCHEMA_PERSON);
            for (size_t k = 0; k < r->n_other_names && best < HOLDER_THRESHOLD; k++) {
                double s = rf_matcher_compare(c->matcher, c->results, r->other_names[k], p->holder,
                                              RF_SCHEMA_PERSON);
                if (s > best) best = s;
            }
            if (best >= 0 && best < HOLDER_THRESHOLD) {
                wk_flag(j, R_PAYOUT_HOLDER_MISMATCH,
                        json_pack("{s:s, s:s, s:s, s:f}", "holder", p->holder, "worker",
                                  r->legal_name, "type", p->type ? p->type : "account",
                                  "name_score", best));
                mismatch = true;
            }
        }
        if (!p->crypto && r->claimed_country && !country) {
            char bank[3] = "";
            if (p->country && strlen(p->country) == 2) {
                bank[0] = (char)toupper((unsigned char)p->country[0]);
                bank[1] = (char)toupper((unsigned char)p->country[1]);
            } else if (p->iban && p->account) {
                const char *a = p->account;
                while (*a && !isalnum((unsigned char)*a))
                    a++;
                if (isalpha((unsigned char)a[0]) && isalpha((unsigned char)a[1])) {
                    bank[0] = (char)toupper((unsigned char)a[0]);
                    bank[1] = (char)toupper((unsigned char)a[1]);
                }
            }
            bank[2] = '\0';
            if (bank[0] && strcmp(bank, r->claimed_country)) {
                wk_flag(j, R_PAYOUT_COUNTRY_MISMATCH,
                        json_pack("{s:s, s:s}", "bank_country", bank, "claimed_country",
                                  r->claimed_country));
                country = true;
            }
        }
    }
}

/* ---- MARK: logins ---- */

static int cmp_login(const void *a, const void *b) {
    const wk_login *x = a, *y = b;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static bool is_risk_country(const wk_ctx *c, const char *cc) {
    for (size_t i = 0; i < c->n_risk_countries; i++)
        if (!strcmp(c->risk_countries[i], cc)) return true;
    return false;
}

static void rules_logins(wk_ctx *c, const wk_record *r, wk_judge *j) {
    if (!r->n_logins) return;
    /* sorted by time: a copy, the record stays as given */
    wk_login *lg = rf_malloc(r->n_logins * sizeof *lg);
    if (!lg) return;
    memcpy(lg, r->logins, r->n_logins * sizeof *lg);
    qsort(lg, r->n_logins, sizeof *lg, cmp_login);
    size_t n = r->n_logins, vpn = 0, risky = 0;
    json_t *risk_cc = json_array();
    for (size_t i = 0; i < n; i++) {
        if (lg[i].vpn) vpn++;
        const char *cc = lg[i].country;
        if (cc && is_risk_country(c, cc) &&
            (!r->claimed_country || strcmp(cc, r->claimed_country))) {
            risky++;
            bool seen = false;
            for (size_t k = 0; k < json_array_size(risk_cc); k++)
                seen |= !strcmp(json_string_value(json_array_get(risk_cc, k)), cc);
            if (!seen) json_array_append_new(risk_cc, json_string(cc));
        }
    }
    if (risky)
        wk_flag(j, R_LOGIN_RISK_COUNTRY,
                json_pack("{s:o, s:I, s:I}", "countries", risk_cc, "logins", (json_int_t)risky,
                          "of", (json_int_t)n));
    else
        json_decref(risk_cc);
    if (vpn >= 3 && vpn * 2 >= n)
        wk_flag(j, R_LOGIN_VPN,
                json_pack("{s:I, s:I}", "vpn_logins", (json_int_t)vpn, "of", (json_int_t)n));
    /* three or more countries within 24 hours: a window over the sorted logins */
    size_t best = 0;
    int64_t best_ts = 0;
    for (size_t i = 0, lo = 0; i < n; i++) {
        while (lg[i].ts - lg[lo].ts > 24 * 3600)
            lo++;
        const char *seen[8];
        size_t ns = 0;
        /* the last 256 logins of the window are enough to see 3 countries
         * and keep a flood of logins linear */
        for (size_t k = i - lo > 256 ? i - 256 : lo; k <= i && ns < 8; k++) {
            if (!lg[k].country) continue;
            bool dup = false;
            for (size_t s = 0; s < ns && !dup; s++)
                dup = !strcmp(seen[s], lg[k].country);
            if (!dup) seen[ns++] = lg[k].country;
        }
        if (ns > best) {
            best = ns;
            best_ts = lg[i].ts;
        }
    }
    if (best >= 3) {
        char when[32];
        time_t t = (time_t)best_ts;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        wk_flag(j, R_LOGIN_MANY_COUNTRIES,
                json_pack("{s:I, s:s}", "countries", (json_int_t)best, "window_end", when));
    }
    /* impossible travel: two non-VPN logins from different countries less
     * than an hour apart (without coordinates, neighbours are not told
     * apart, hence the short window) */
    for (size_t i = 1; i < n; i++) {
        const wk_login *a = &lg[i - 1], *b = &lg[i];
        if (a->vpn || b->vpn || !a->country || !b->country || !strcmp(a->country, b->country))
            continue;
        if (b->ts - a->ts < 3600) {
            wk_flag(j, R_IMPOSSIBLE_TRAVEL,
                    json_pack("{s:s, s:s, s:I}", "from", a->country, "to", b->country, "minutes",
                              (json_int_t)((b->ts - a->ts) / 60)));
            break;
        }
    }
    rf_free(lg);
}

/* ---- MARK: activity, requests, ratings, devices ---- */

static void rules_activity(wk_ctx *c, const wk_record *r, wk_judge *j) {
    if (!r->timezone || r->n_activity < 5) return;
    UCalendar *cal = tz_calendar(c, r->timezone);
    if (!cal) return;
    size_t off = 0;
    for (size_t i = 0; i < r->n_activity; i++) {
        UErrorCode ue = U_ZERO_ERROR;
        ucal_setMillis(cal, (UDate)r->activity[i] * 1000.0, &ue);
        int32_t hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &ue);
        if (U_SUCCESS(ue) && (hour < 7 || hour >= 21)) off++;
    }
    if (off * 10 >= r->n_activity * 6)
        wk_flag(j, R_ACTIVITY_OFF_HOURS,
                json_pack("{s:s, s:I, s:I}", "timezone", r->timezone, "outside_hours",
                          (json_int_t)off, "of", (json_int_t)r->n_activity));
}

static int cmp_rating(const void *a, const void *b) {
    const wk_rating *x = a, *y = b;
    int c = strcmp(x->client, y->client);
    if (c) return c;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static void rules_ratings(const wk_record *r, wk_judge *j) {
    if (r->n_ratings < 5) return;
    wk_rating *rt = rf_malloc(r->n_ratings * sizeof *rt);
    if (!rt) return;
    size_t n = 0;
    for (size_t i = 0; i < r->n_ratings; i++)
        if (r->ratings[i].stars >= 4) rt[n++] = r->ratings[i];
    qsort(rt, n, sizeof *rt, cmp_rating);
    for (size_t i = 0, lo = 0; i < n; i++) {
        if (i && strcmp(rt[i].client, rt[i - 1].client)) lo = i;
        while (rt[i].ts - rt[lo].ts > 72 * 3600)
            lo++;
        if (i - lo + 1 >= 5) {
            wk_flag(j, R_RATING_BURST,
                    json_pack("{s:s, s:I, s:I}", "client", rt[i].client, "ratings",
                              (json_int_t)(i - lo + 1), "hours",
                              (json_int_t)((rt[i].ts - rt[lo].ts) / 3600)));
            break;
        }
    }
    rf_free(rt);
}

static bool is_korean(const char *lang) {
    if (!strcasecmp(lang, "kor") || !strcasecmp(lang, "korean")) return true;
    return !strncasecmp(lang, "ko", 2) && (!lang[2] || lang[2] == '-' || lang[2] == '_');
}

void wk_rules_record(wk_ctx *c, const wk_record *r, wk_judge *j) {
    rules_sanctions(c, r, j);
    rules_payouts(c, r, j);
    if (r->shipping_address && r->home_address) {
        rf_buf a, b;
        rf_buf_init(&a);
        rf_buf_init(&b);
        if (wk_norm_address(&c->norm, r->shipping_address, &a) &&
            wk_norm_address(&c->norm, r->home_address, &b) && strcmp(a.data, b.data))
            wk_flag(j, R_SHIPPING_NOT_HOME,
                    json_pack("{s:s, s:s}", "shipping_address", r->shipping_address, "home_address",
                              r->home_address));
        rf_buf_free(&a);
        rf_buf_free(&b);
    }
    rules_logins(c, r, j);
    rules_activity(c, r, j);
    if (r->n_crypto_requests)
        wk_flag(j, R_CRYPTO_PAYMENT_REQUEST,
                json_pack("{s:I, s:I}", "crypto_requests", (json_int_t)r->n_crypto_requests, "of",
                          (json_int_t)r->n_payment_requests));
    rules_ratings(r, j);
    json_t *voip = NULL;
    for (size_t i = 0; i < r->n_phones; i++)
        if (r->phones[i].voip) {
            if (!voip) voip = json_array();
            json_array_append_new(voip, json_string(r->phones[i].number));
        }
    if (voip) wk_flag(j, R_VOIP_PHONE, json_pack("{s:o}", "phones", voip));
    if (r->n_remote_access) {
        json_t *tools = json_array();
        for (size_t i = 0; i < r->n_remote_access; i++)
            json_array_append_new(tools, json_string(r->remote_access[i]));
        wk_flag(j, R_REMOTE_ACCESS, json_pack("{s:o}", "reported", tools));
    }
    if (r->claimed_country) {
        uint32_t dummy;
        bool spoken = rf_strmap_get(&c->norm.korean_countries, r->claimed_country, 2, &dummy);
        for (size_t i = 0; i < r->n_languages && !spoken; i++)
            if (is_korean(r->languages[i])) {
                wk_flag(j, R_KOREAN_LANGUAGE,
                        json_pack("{s:s, s:s}", "language", r->languages[i], "claimed_country",
                                  r->claimed_country));
                break;
            }
    }
}

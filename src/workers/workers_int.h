/* Internals of workforce screening: the parsed worker record (input.c), the
 * identifier normalisers (normalize.c), the identifier links and clusters
 * (cluster.c), the rules (rules.c) and the reports (check.c,
 * report_html.c). */
#ifndef RF_WORKERS_INT_H
#define RF_WORKERS_INT_H

#include "redflag/workers.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/strmap.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- MARK: the record (input.c) ---- */

typedef struct wk_phone {
    const char *number;
    bool voip; /* marked VoIP by the caller */
} wk_phone;

typedef struct wk_payout {
    const char *type;    /* "bank", "paypal", "payoneer", "crypto"... */
    const char *account; /* iban, account or address */
    const char *holder;  /* or NULL */
    const char *chain;   /* crypto only, or NULL */
    const char *country; /* bank country given, or NULL */
    bool crypto;
    bool iban;
} wk_payout;

typedef struct wk_login {
    int64_t ts;          /* seconds since the epoch, UTC */
    const char *ip;      /* or NULL */
    const char *country; /* ISO alpha-2 upper case, or NULL */
    bool vpn;
} wk_login;

typedef struct wk_doc {
    const char *type, *number, *country;
} wk_doc;

typedef struct wk_rating {
    const char *client;
    int64_t ts;
    int stars;
} wk_rating;

/* One worker record. Strings point into the parsed JSON (root) or the
 * per-record arena; both live until wk_record_clear(). */
typedef struct wk_record {
    json_t *root;
    const char *id, *legal_name, *birth_date, *claimed_country, *claimed_city, *timezone;
    const char *home_address, *shipping_address, *photo_hash, *profile_text_hash, *referrer;
    const char **other_names;
    size_t n_other_names;
    const char **emails;
    size_t n_emails;
    wk_phone *phones;
    size_t n_phones;
    wk_payout *payouts;
    size_t n_payouts;
    wk_login *logins;
    size_t n_logins;
    int64_t *activity;
    size_t n_activity;
    const char **languages;
    size_t n_languages;
    wk_doc *docs;
    size_t n_docs;
    wk_rating *ratings;
    size_t n_ratings;
    int64_t *crypto_requests; /* timestamps of payment requests in crypto */
    size_t n_crypto_requests;
    size_t n_payment_requests;
    const char **remote_access; /* tools or devices reported */
    size_t n_remote_access;
    rf_arena arena;
} wk_record;

void wk_record_init(wk_record *r);
/* Releases what the last parse held; the record can be parsed into again. */
void wk_record_clear(wk_record *r);
void wk_record_free(wk_record *r);
/* Parses and validates one JSON line. On failure fills err with the line
 * and the field at fault (never its value). */
rf_status wk_record_parse(wk_record *r, const char *text, size_t len, long line, rf_error *err);
/* "2025-03-01T02:10:00Z" or with a +hh:mm offset; false when malformed. */
bool wk_parse_time(const char *s, int64_t *out);

/* ---- MARK: normalisers (normalize.c) ---- */

typedef enum wk_kind {
    WK_PAYOUT = 0, /* bank account / IBAN, PayPal, Payoneer... */
    WK_WALLET,
    WK_PHONE,
    WK_EMAIL,
    WK_DOCUMENT,
    WK_PHOTO,
    WK_SHIPPING,
    WK_LOGIN_IP,
    WK_PROFILE_TEXT,
    /* not a link: a client's high ratings within one 72-hour window
     * ("client@window start"); workers sharing it are not clustered */
    WK_RATING_WINDOW,
    WK_KIND_COUNT
} wk_kind;

/* "payout_account", "wallet", "phone", "email", "document", "photo_hash",
 * "shipping_address", "login_ip", "profile_text". */
const char *wk_kind_str(wk_kind k);
/* Whether workers sharing a value of kind k are linked into a cluster. */
bool wk_kind_links(wk_kind k);

/* Normalisation tables loaded from resources/ (address words, calling
 * codes). Read-only once built. */
typedef struct wk_norm {
    rf_strmap address_words; /* word -> index in address_canon */
    const char **address_canon;
    size_t n_address_canon, cap_address_canon;
    rf_strmap calling_codes; /* ISO alpha-2 -> calling code */
    rf_strmap korean_countries;
    rf_arena arena;
} wk_norm;

rf_status wk_norm_init(wk_norm *n, rf_error *err);
void wk_norm_free(wk_norm *n);

/* Each writes the normalised value to out (reset first); false when nothing
 * usable is left (out then empty). */
bool wk_norm_email(const char *s, rf_buf *out);
bool wk_norm_phone(const wk_norm *n, const char *s, const char *country, rf_buf *out);
bool wk_norm_address(const wk_norm *n, const char *s, rf_buf *out);
bool wk_norm_wallet(const char *s, rf_buf *out);
/* IBANs, account numbers, document numbers: letters and digits, upper. */
bool wk_norm_alnum(const char *s, rf_buf *out);
/* Hashes and ids: trimmed, lower case. */
bool wk_norm_token(const char *s, rf_buf *out);

/* ---- MARK: links and clusters (cluster.c) ---- */

/* An identifier: its kind and the 64-bit hash of kind + normalised value. */
typedef struct wk_key {
    uint64_t hash;
    uint32_t worker;
    uint32_t kind;
} wk_key;

/* The window of the client rating burst rule, in seconds. */
#define RATING_WINDOW (72 * 3600)
/* Workers one client rates 4 or 5 stars within a window for the
 * client_rating_burst flag. */
#define RATING_BURST_WORKERS 4

/* Calls fn for each distinct identifier of r (normalised). */
typedef bool (*wk_key_fn)(void *ctx, wk_kind kind, const char *value, size_t len);
bool wk_record_keys(const wk_norm *n, const wk_record *r, rf_buf *scratch, wk_key_fn fn, void *ctx);
uint64_t wk_key_hash(wk_kind kind, const char *value, size_t len);

/* A shared identifier: the workers holding it. */
typedef struct wk_group {
    uint64_t hash;
    uint32_t kind;
    uint32_t first; /* offset of its members in wk_links.members */
    uint32_t count; /* members */
    char *value;    /* normalised value, filled by the second pass */
} wk_group;

typedef struct wk_links {
    wk_key *keys; /* every identifier of every worker (first pass) */
    size_t n_keys, cap_keys;
    wk_group *groups; /* identifiers held by two or more workers */
    size_t n_groups;
    uint32_t *members; /* worker indices, by group */
    uint32_t *gslot;   /* open-addressing table hash -> group index + 1 */
    size_t gcap;
    uint32_t *parent;       /* union-find over workers */
    uint32_t *cluster;      /* worker -> cluster number + 1 (0: none) */
    uint32_t *cluster_size; /* by cluster number */
    size_t n_workers, n_clusters;
} wk_links;

void wk_links_init(wk_links *l);
void wk_links_free(wk_links *l);
bool wk_links_add(wk_links *l, uint32_t worker, wk_kind kind, uint64_t hash);
/* After the first pass: finds the shared identifiers and the clusters.
 * Identifiers held by more than max_share workers (a corporate NAT, a
 * placeholder value) are reported but link nobody. */
bool wk_links_build(wk_links *l, size_t n_workers, uint32_t max_share);
/* The group of a shared identifier, or NULL. */
wk_group *wk_links_find(const wk_links *l, uint64_t hash);

/* ---- MARK: rules (rules.c) ---- */

typedef enum wk_rule_id {
    R_SANCTIONS_WALLET = 0,
    R_SANCTIONS_DOCUMENT,
    R_SANCTIONS_NAME,
    R_SHARED_PAYOUT,
    R_SHARED_WALLET,
    R_SHARED_DOCUMENT,
    R_SHARED_PHOTO,
    R_SHARED_PHONE,
    R_SHARED_EMAIL,
    R_SHARED_PROFILE_TEXT,
    R_SHARED_SHIPPING,
    R_SHARED_LOGIN_IP,
    R_PAYOUT_HOLDER_MISMATCH,
    R_SHIPPING_NOT_HOME,
    R_LOGIN_RISK_COUNTRY,
    R_LOGIN_VPN,
    R_LOGIN_MANY_COUNTRIES,
    R_IMPOSSIBLE_TRAVEL,
    R_ACTIVITY_OFF_HOURS,
    R_CRYPTO_PAYMENT_REQUEST,
    R_RATING_BURST,
    R_CLIENT_RATING_BURST,
    R_PAYOUT_COUNTRY_MISMATCH,
    R_VOIP_PHONE,
    R_REMOTE_ACCESS,
    R_KOREAN_LANGUAGE,
    R_RULE_COUNT
} wk_rule_id;

/* The flags of one worker being judged. */
typedef struct wk_judge {
    json_t *flags;    /* array of flag objects */
    json_t *advisory; /* array of advisory objects */
    int max_severity;
    double keep; /* product of (1 - weight) of the flags: risk = 1 - keep */
} wk_judge;

/* What the rules need that outlives one record. */
typedef struct wk_ctx {
    wk_norm norm;
    const rf_matcher *matcher;
    rf_results *results;
    char risk_countries[64][3];
    size_t n_risk_countries;
    /* timezone id -> opened ICU calendar (NULL: unknown id), cached */
    rf_strmap tz_index;
    struct wk_tz {
        void *cal; /* UCalendar */
        char *name;
    } * tz;
    size_t n_tz, cap_tz;
} wk_ctx;

rf_status wk_ctx_init(wk_ctx *c, const rf_workers_options *o, rf_error *err);
/* Whether ICU knows the IANA timezone id (cached). */
bool wk_timezone_known(wk_ctx *c, const char *tz);
void wk_ctx_free(wk_ctx *c);

void wk_judge_init(wk_judge *j);
void wk_judge_free(wk_judge *j);
/* Adds a flag for rule with evidence (a JSON object; reference stolen). */
void wk_flag(wk_judge *j, wk_rule_id rule, json_t *evidence);
/* The same with the severity chosen by the caller. */
void wk_flag_at(wk_judge *j, wk_rule_id rule, rf_severity sev, json_t *evidence);
/* The rules that need only the record itself. */
void wk_rules_record(wk_ctx *c, const wk_record *r, wk_judge *j);
int wk_judge_risk(const wk_judge *j);

/* ---- MARK: reports (report_html.c) ---- */

typedef struct wk_html wk_html;
wk_html *wk_html_new(FILE *f);
/* Adds a worker line (only flagged workers are listed). */
void wk_html_worker(wk_html *h, const json_t *worker);
/* Adds a cluster line with its picture. */
void wk_html_cluster(wk_html *h, const json_t *cluster);
/* Writes the page and frees h. */
bool wk_html_finish(wk_html *h, const rf_workers_summary *s);

#endif

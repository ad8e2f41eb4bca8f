/* A synthetic workforce for tests and benchmarks (redflag workers
 * generate): clean workers from the locales of
 * resources/workers/workers_gen_locales.tsv, who log in from home during
 * their working hours and are paid into their own accounts, and planted
 * rings of identities that share a wallet, a shipping address or a login
 * IP, log in through VPNs from elsewhere and work Pyongyang's hours. The
 * shared value is written differently by each ring member (case, Gmail
 * dots, street abbreviations) so the normalisers are exercised. Same seed,
 * same file. Timezone offsets come from ICU. */
#include "workers/workers_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/resource.h"
#include "util/tsv.h"

#include <string.h>
#include <time.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#define MAX_LOCALES 32
#define MAX_WORDS   24

typedef struct words {
    char *w[MAX_WORDS];
    size_t n;
} words;

typedef struct locale {
    char country[3], tz[48], lang[4], iban[3];
    int offset_min; /* UTC offset at the generator's base time, from ICU */
    words given, family, cities, streets;
} locale;

typedef struct gen {
    uint64_t s; /* splitmix64 state */
    locale loc[MAX_LOCALES];
    size_t n_loc;
    rf_arena arena;
} gen;

/* The base time: 2025-01-06 00:00 UTC, a Monday; events fall in the 28
 * days after it. */
#define BASE_TS 1736121600LL

static uint64_t next(gen *g) {
    uint64_t z = (g->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t pick(gen *g, uint32_t n) {
    return (uint32_t)(next(g) % n);
}

static const char *any(gen *g, const words *w) {
    return w->w[pick(g, (uint32_t)w->n)];
}

static void split(gen *g, const char *s, size_t n, words *out) {
    out->n = 0;
    const char *e = s + n;
    while (s < e && out->n < MAX_WORDS) {
        const char *c = memchr(s, ',', (size_t)(e - s));
        if (!c) c = e;
        out->w[out->n++] = rf_arena_strndup(&g->arena, s, (size_t)(c - s));
        s = c + 1;
    }
}

static rf_status load_locales(gen *g, rf_error *err) {
    size_t len;
    const char *data = rf_resource("workers_gen_locales.tsv", &len);
    if (!data) return rf_fail(err, RF_E_INTERNAL, NULL, 0, "generator locales missing");
    rf_tsv t;
    rf_tsv_row row;
    rf_tsv_init(&t, data, len);
    while (rf_tsv_next(&t, &row) && g->n_loc < MAX_LOCALES) {
        if (row.n != 8)
            return rf_fail(err, RF_E_PARSE, "workers_gen_locales.tsv", row.line,
                           "expected 8 columns");
        locale *l = &g->loc[g->n_loc++];
        snprintf(l->country, sizeof l->country, "%.*s", (int)row.len[0], row.field[0]);
        snprintf(l->tz, sizeof l->tz, "%.*s", (int)row.len[1], row.field[1]);
        snprintf(l->lang, sizeof l->lang, "%.*s", (int)row.len[2], row.field[2]);
        snprintf(l->iban, sizeof l->iban, "%.*s", (int)row.len[3], row.field[3]);
        if (l->iban[0] == '-') l->iban[0] = '\0';
        split(g, row.field[4], row.len[4], &l->given);
        split(g, row.field[5], row.len[5], &l->family);
        split(g, row.field[6], row.len[6], &l->cities);
        split(g, row.field[7], row.len[7], &l->streets);
        UChar uid[64];
        u_uastrcpy(uid, l->tz);
        UErrorCode ue = U_ZERO_ERROR;
        UCalendar *cal = ucal_open(uid, -1, "en_US", UCAL_GREGORIAN, &ue);
        if (U_FAILURE(ue))
            return rf_fail(err, RF_E_INTERNAL, NULL, 0, "ICU cannot open timezone %s", l->tz);
        ucal_setMillis(cal, (UDate)BASE_TS * 1000.0, &ue);
        int32_t off = ucal_get(cal, UCAL_ZONE_OFFSET, &ue) + ucal_get(cal, UCAL_DST_OFFSET, &ue);
        ucal_close(cal);
        l->offset_min = off / 60000;
    }
    return RF_OK;
}

static void put_ts(FILE *f, int64_t ts) {
    char b[32];
    time_t t = (time_t)ts;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "\"%s\"", b);
}

/* A time on weekday `day` (0-27) at a local hour in [h0, h1) of a place
 * offset_min from UTC. */
static int64_t local_time(gen *g, int day, int h0, int h1, int offset_min) {
    int64_t local = BASE_TS + (int64_t)day * 86400 + (int64_t)(h0 * 3600) +
                    (int64_t)pick(g, (uint32_t)((h1 - h0) * 3600));
    return local - (int64_t)offset_min * 60;
}

static int workday(gen *g) {
    int d = (int)pick(g, 20);
    return d / 5 * 7 + d % 5; /* Monday to Friday of four weeks */
}

/* A unique IPv4 address for each n below 2^31: an odd multiplier is a
 * bijection on 31 bits; the first octet is kept in 64-191 (public-looking,
 * away from 0.x, 10.x and 127.x). */
static void ip_of(uint64_t n, char *buf, size_t size) {
    uint32_t v = (uint32_t)((n * 2654435761ULL) & 0x7fffffffULL);
    snprintf(buf, size, "%u.%u.%u.%u", 64 + (v >> 24), (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

static void lower_ascii(char *s) {
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

typedef struct ring_plan {
    char label[48];
    int link; /* 0 wallet, 1 shipping address, 2 login IP */
    char wallet[64];
    char address_num[16];
    const char *street;
    const char *city;
    char ip[20];
    char client[32];  /* the shell client rating every member */
    int64_t shell_ts; /* the day it does */
} ring_plan;

/* The ways a ring writes its shared shipping address. */
static const char *const street_forms[][2] = {
    {"Street", "Apartment"},
    {"St.", "Apt"},
    {"street", "apt."},
    {"ST", "APARTMENT"},
};

static void write_worker(gen *g, FILE *out, size_t idx, const ring_plan *ring, size_t member,
                         const rf_workers_gen_options *o, size_t *wallet_used) {
    const locale *l = &g->loc[pick(g, (uint32_t)g->n_loc)];
    if (ring) { /* rings claim English-speaking countries with stolen names */
        for (int tries = 0; tries < 16 && strcmp(l->lang, "en"); tries++)
            l = &g->loc[pick(g, (uint32_t)g->n_loc)];
    }
    const char *given = any(g, &l->given), *family = any(g, &l->family);
    char name[128], email[160], home[200];
    snprintf(name, sizeof name, "%s %s", given, family);
    fprintf(out, "{\"id\":\"w%07zu\",\"legal_name\":\"%s\"", idx, name);
    fprintf(out, ",\"birth_date\":\"%d-%02d-%02d\"", 1970 + (int)pick(g, 33), 1 + (int)pick(g, 12),
            1 + (int)pick(g, 28));
    const char *city = any(g, &l->cities);
    fprintf(out, ",\"claimed_country\":\"%s\",\"claimed_city\":\"%s\",\"timezone\":\"%s\"",
            l->country, city, l->tz);
    /* ASCII email local part: the index makes it unique */
    snprintf(email, sizeof email, "%c%s.%zu@%s", given[0], family, idx,
             pick(g, 2) ? "gmail.com" : "example.org");
    for (char *p = email; *p; p++)
        if ((unsigned char)*p >= 0x80 || *p == ' ') *p = 'x';
    lower_ascii(email);
    fprintf(out, ",\"emails\":[\"%s\"]", email);
    fprintf(out, ",\"phones\":[\"+%u %09u\"]", 100 + (unsigned)(idx % 800),
            (unsigned)((idx * 48271ULL) % 1000000000ULL));
    snprintf(home, sizeof home, "%zu %s Street, %s", 1 + idx, any(g, &l->streets), city);
    fprintf(out, ",\"home_address\":\"%s\"", home);
    if (ring && ring->link == 1) {
        const char *const *form = street_forms[member % 4];
        fprintf(out, ",\"shipping_address\":\"%s %s %s, %s 4B, %s\"", ring->address_num,
                ring->street, form[0], form[1], ring->city);
    } else if (pick(g, 10) < 9) {
        fprintf(out, ",\"shipping_address\":\"%s\"", home);
    }
    /* payouts */
    fprintf(out, ",\"payout_accounts\":[");
    bool holder_other = ring && pick(g, 3) < 2;
    char holder[128];
    if (holder_other) {
        const locale *h = &g->loc[pick(g, (uint32_t)g->n_loc)];
        snprintf(holder, sizeof holder, "%s %s", any(g, &h->given), any(g, &h->family));
    } else if (pick(g, 2)) {
        snprintf(holder, sizeof holder, "%s, %s", family, given);
    } else {
        snprintf(holder, sizeof holder, "%s", name);
    }
    if (l->iban[0] && !(ring && pick(g, 2)))
        fprintf(out, "{\"type\":\"bank\",\"iban\":\"%s%02u 5000 %010zu\",\"holder\":\"%s\"}",
                l->iban, 10 + (unsigned)pick(g, 89), idx, holder);
    else if (ring)
        /* a payout bank abroad: a Chinese account in the ring's holder name */
        fprintf(out,
                "{\"type\":\"bank\",\"account\":\"62%014zu\",\"country\":\"CN\","
                "\"holder\":\"%s\"}",
                idx, holder);
    else
        fprintf(out,
                "{\"type\":\"bank\",\"account\":\"%012zu\",\"country\":\"%s\","
                "\"holder\":\"%s\"}",
                idx * 7 + 3, l->country, holder);
    if (ring && ring->link == 0) {
        /* the ring's wallet, in the case this member writes it */
        char w[64];
        snprintf(w, sizeof w, "%s", ring->wallet);
        if (member % 2 && w[0] == '0' && w[1] == 'x')
            for (char *p = w + 2; *p; p++)
                if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 'a' + 'A');
        fprintf(out, ",{\"type\":\"crypto\",\"chain\":\"ETH\",\"address\":\"%s\"}", w);
    } else if (ring && o->n_wallets && *wallet_used < o->n_wallets && member == 0) {
        fprintf(out, ",{\"type\":\"crypto\",\"chain\":\"ETH\",\"address\":\"%s\"}",
                o->wallets[(*wallet_used)++]);
    }
    fprintf(out, "]");
    /* logins */
    size_t nl = o->logins ? o->logins : 20;
    char ip_home[20], ip_mobile[20];
    ip_of(idx * 2 + 1, ip_home, sizeof ip_home);
    /* one clean worker in 500 shares a mobile IP with the one before
     * (a household, a coworking space) */
    ip_of(!ring && idx % 500 == 1 ? idx * 2 : idx * 2 + 2, ip_mobile, sizeof ip_mobile);
    bool vpn_user = !ring && pick(g, 20) == 0;
    fprintf(out, ",\"logins\":[");
    for (size_t i = 0; i < nl; i++) {
        int day = workday(g);
        if (i) fputc(',', out);
        fprintf(out, "{\"ts\":");
        if (ring) {
            /* Pyongyang working hours (UTC+9), through a VPN exit in the
             * claimed country, now and then straight from China or Russia */
            put_ts(out, local_time(g, day, 9, 18, 9 * 60));
            bool direct = pick(g, 6) == 0;
            const char *ip = ring->link == 2 && i % 2 == 0 ? ring->ip : ip_home;
            fprintf(out, ",\"ip\":\"%s\",\"ip_country\":\"%s\",\"vpn\":%s}", ip,
                    direct ? (pick(g, 2) ? "CN" : "RU") : l->country, direct ? "false" : "true");
        } else {
            put_ts(out, local_time(g, day, 8, 19, l->offset_min));
            fprintf(out, ",\"ip\":\"%s\",\"ip_country\":\"%s\",\"vpn\":%s}",
                    pick(g, 4) ? ip_home : ip_mobile, l->country,
                    vpn_user && pick(g, 4) == 0 ? "true" : "false");
        }
    }
    fprintf(out, "],\"activity\":[");
    for (size_t i = 0; i < 10; i++) {
        if (i) fputc(',', out);
        put_ts(out, ring ? local_time(g, workday(g), 10, 18, 9 * 60)
                         : local_time(g, workday(g), 9, 18, l->offset_min));
    }
    fprintf(out, "],\"languages\":[\"%s\"%s]", l->lang,
            ring && pick(g, 2)      ? ",\"ko\""
            : strcmp(l->lang, "en") ? ",\"en\""
                                    : "");
    fprintf(out,
            ",\"documents\":[{\"type\":\"passport\",\"number\":\"%c%c%08zu\",\"country\":"
            "\"%s\"}]",
            'A' + (int)(idx % 26), 'A' + (int)((idx / 26) % 26), idx, l->country);
    fprintf(out, ",\"photo_hash\":\"%016llx\",\"profile_text_hash\":\"%016llx\"",
            (unsigned long long)rf_hash(&idx, sizeof idx),
            (unsigned long long)(rf_hash(&idx, sizeof idx) ^ 0x5bd1e995ULL));
    fprintf(out, ",\"ratings\":[");
    for (int i = 0; i < 3; i++) {
        if (i) fputc(',', out);
        /* clients hire few workers: four clients per worker in the pool */
        fprintf(
            out, "{\"client\":\"client%u\",\"ts\":",
            (unsigned)pick(g, (uint32_t)(o->count * 4 < UINT32_MAX ? o->count * 4 : UINT32_MAX)));
        put_ts(out, BASE_TS + pick(g, 28 * 86400));
        fprintf(out, ",\"stars\":%u}", 3 + (unsigned)pick(g, 3));
    }
    if (ring) { /* the ring's shell client boosts every member within a day */
        fprintf(out, ",{\"client\":\"%s\",\"ts\":", ring->client);
        put_ts(out, ring->shell_ts + pick(g, 86400));
        fprintf(out, ",\"stars\":5}");
    }
    fprintf(out, "],\"payment_requests\":[{\"method\":\"%s\"}]",
            ring && pick(g, 2) ? "crypto" : "bank");
    fprintf(out, "}\n");
}

rf_status rf_workers_generate(const rf_workers_gen_options *o, FILE *out, FILE *truth,
                              rf_error *err) {
    if (!o || !out) return rf_fail(err, RF_E_INVALID, NULL, 0, "no options or output");
    size_t ring_size_max = o->ring_size ? o->ring_size : 6;
    if (o->rings * ring_size_max > o->count)
        return rf_fail(err, RF_E_INVALID, NULL, 0,
                       "%zu rings of up to %zu workers do not fit in %zu workers", o->rings,
                       ring_size_max, o->count);
    gen g;
    memset(&g, 0, sizeof g);
    g.s = o->seed;
    rf_arena_init(&g.arena);
    rf_status st = load_locales(&g, err);
    if (st) {
        rf_arena_free(&g.arena);
        return st;
    }
    /* ring members are spread over the file: ring r's members are the
     * workers at positions where a planted slot falls */
    size_t wallet_used = 0;
    size_t ring = 0, member = 0, ring_len = 0;
    ring_plan plan;
    memset(&plan, 0, sizeof plan);
    size_t stride = o->rings ? o->count / o->rings : 0;
    for (size_t i = 0; i < o->count; i++) {
        bool in_ring = false;
        if (ring < o->rings && member == 0 && i >= ring * stride + stride / 2) {
            /* start a ring */
            ring_len = o->ring_size ? o->ring_size : 2 + pick(&g, 5);
            plan.link = (int)(ring % 3);
            snprintf(plan.client, sizeof plan.client, "studio-%zu", ring + 1);
            plan.shell_ts = BASE_TS + (int64_t)pick(&g, 27) * 86400;
            snprintf(plan.label, sizeof plan.label, "r%zu:%s", ring + 1,
                     plan.link == 0   ? "wallet"
                     : plan.link == 1 ? "shipping_address"
                                      : "login_ip");
            snprintf(plan.wallet, sizeof plan.wallet, "0x%016llx%016llx%08llx",
                     (unsigned long long)next(&g), (unsigned long long)next(&g),
                     (unsigned long long)(next(&g) & 0xffffffffULL));
            snprintf(plan.address_num, sizeof plan.address_num, "%u", 100 + pick(&g, 9000));
            const locale *l = &g.loc[pick(&g, (uint32_t)g.n_loc)];
            plan.street = any(&g, &l->streets);
            plan.city = any(&g, &l->cities);
            ip_of(0x40000000ULL + ring, plan.ip, sizeof plan.ip);
            in_ring = true;
        } else if (member > 0) {
            in_ring = true;
        }
        if (in_ring) {
            write_worker(&g, out, i, &plan, member, o, &wallet_used);
            if (truth) fprintf(truth, "w%07zu\t%s\n", i, plan.label);
            if (++member == ring_len) {
                member = 0;
                ring++;
            }
        } else {
            write_worker(&g, out, i, NULL, 0, o, &wallet_used);
            if (truth) fprintf(truth, "w%07zu\t-\n", i);
        }
    }
    rf_arena_free(&g.arena);
    if (ferror(out) || (truth && ferror(truth)))
        return rf_fail(err, RF_E_IO, NULL, 0, "cannot write the generated workers");
    return RF_OK;
}

/* The one entity model every sanctions list is parsed into.
 *
 * An rf_entity is read-only and owned by the rf_dataset that loaded it: every
 * pointer inside stays valid until rf_dataset_free(). Arrays come as a
 * pointer plus a count; strings are UTF-8, never NULL (an absent value is ""). */
#ifndef REDFLAG_ENTITY_H
#define REDFLAG_ENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rf_schema {
    RF_SCHEMA_UNKNOWN = 0, /* in a query: any schema */
    RF_SCHEMA_PERSON,
    RF_SCHEMA_ORGANIZATION,
    RF_SCHEMA_VESSEL,
    RF_SCHEMA_AIRCRAFT,
    RF_SCHEMA_COUNT
} rf_schema;

/* "person", "organization", "vessel", "aircraft" ("" for unknown). */
const char *rf_schema_name(rf_schema s);
/* Parses those names (case-insensitive; also "individual", "entity",
 * "company"). Returns false when the text names no schema. */
bool rf_schema_parse(const char *text, rf_schema *out);

typedef enum rf_name_kind {
    RF_NAME_PRIMARY = 0, /* the list's main name for the entity */
    RF_NAME_AKA,         /* also known as */
    RF_NAME_FKA,         /* formerly known as */
    RF_NAME_NKA,         /* now known as */
    RF_NAME_DBA,         /* doing business as */
    RF_NAME_ORIGINAL,    /* the name in its original script (UN) */
} rf_name_kind;

/* "primary", "aka", "fka", "nka", "dba", "original_script". */
const char *rf_name_kind_str(rf_name_kind k);

typedef struct rf_name {
    const char *text; /* as published, e.g. "KIM, Sang Man" */
    rf_name_kind kind;
    bool weak; /* a weak alias: an OFAC a.k.a. found only in remarks,
                  or a UN alias of quality "Low" */
} rf_name;

/* A calendar date with unknown parts left 0: {1965, 4, 25}, {1945, 3, 0},
 * {1951, 0, 0}. */
typedef struct rf_date {
    int16_t year;
    uint8_t month; /* 1-12, 0 unknown */
    uint8_t day;   /* 1-31, 0 unknown */
} rf_date;

/* A date as lists give it: one day, month or year (from == to), or a range
 * (from < to), possibly approximate ("circa 1951"). */
typedef struct rf_date_range {
    rf_date from;
    rf_date to;
    bool circa;
} rf_date_range;

typedef struct rf_address {
    const char *street;
    const char *city;         /* city, state/province and postal code as listed */
    const char *country;      /* ISO 3166-1 alpha-2, "" when unknown */
    const char *country_name; /* as listed */
    const char *note;
} rf_address;

/* An identity, registration or vessel/aircraft document. */
typedef struct rf_identifier {
    const char *type;    /* normalised kind: "passport", "national_id",
                            "tax_id", "registration", "imo", ... */
    const char *label;   /* the list's own label, e.g. "Cedula No." */
    const char *number;  /* as listed */
    const char *country; /* ISO alpha-2 of the issuer, "" when unknown */
    const char *note;    /* issued/expires text and other details */
} rf_identifier;

typedef struct rf_wallet {
    const char *currency; /* ticker as listed: "XBT", "ETH", "USDT", ... */
    const char *address;
} rf_wallet;

typedef struct rf_link {
    const char *relation; /* "linked_to", "linked_from", "owned_by", "owns",
                             "director_of", ... */
    const char *name;     /* the linked party's name as listed */
    const char *entity;   /* its entity id when the lists hold it, else "" */
    double share;         /* percentage owned (owned_by, owns), -1 unknown */
} rf_link;

/* Whether an entity is designated, and so alerts. */
typedef enum rf_listing {
    RF_LISTING_LISTED = 0, /* on its list */
    RF_LISTING_RELATED,    /* known to the lists only as related to listed
                              parties (OpenSanctions target false): kept for
                              the network, never alerts */
    RF_LISTING_BLOCKED_50, /* not listed, but owned 50% or more in aggregate
                              by blocked parties (OFAC's 50 percent rule):
                              alerts */
} rf_listing;

/* "listed", "related", "blocked_50". */
const char *rf_listing_str(rf_listing l);

/* A remark or attribute kept as a key/value pair: vessel tonnage, target
 * type, secondary sanctions notes, and anything without a field of its own. */
typedef struct rf_property {
    const char *key;
    const char *value;
} rf_property;

typedef struct rf_entity {
    const char *id;        /* "<list>:<source_id>", e.g. "us_ofac_sdn:43377" */
    const char *list;      /* "us_ofac_sdn", "us_ofac_cons", "un_sc", ... */
    const char *source_id; /* OFAC ent_num, UN DATAID */
    rf_schema schema;
    const char *gender; /* "male", "female" or "" */
    const char *title;
    const char *remarks; /* the source's free-text remarks, unparsed */
    rf_listing listing;

    const rf_name *names; /* names[0] is the primary name */
    size_t n_names;
    const char *const *programs; /* "DPRK4", "SDGT", UN regime "DPRK" */
    size_t n_programs;
    const rf_date_range *birth_dates;
    size_t n_birth_dates;
    const char *const *birth_places;
    size_t n_birth_places;
    const char *const *nationalities; /* ISO alpha-2 */
    size_t n_nationalities;
    const char *const *citizenships; /* ISO alpha-2 */
    size_t n_citizenships;
    const rf_address *addresses;
    size_t n_addresses;
    const rf_identifier *identifiers;
    size_t n_identifiers;
    const rf_wallet *wallets;
    size_t n_wallets;
    const char *const *emails;
    size_t n_emails;
    const char *const *websites;
    size_t n_websites;
    const char *const *phones;
    size_t n_phones;
    const rf_link *links;
    size_t n_links;
    const rf_date_range *incorporation_dates; /* organisations */
    size_t n_incorporation_dates;
    const rf_property *properties;
    size_t n_properties;
} rf_entity;

#ifdef __cplusplus
}
#endif
#endif

/* The index file format. All integers little-endian (the file is refused
 * on a big-endian host), all sections 8-byte aligned.
 *
 *   OFFSET  SIZE  DESCRIPTION
 *   0       8     magic "RFINDEX\0"
 *   8       4     format version (RF_INDEX_FORMAT_VERSION)
 *   12      4     number of sections N
 *   16      8     build time, seconds since the epoch
 *   24      8     file size in bytes
 *   32      N*24  section table: id (4), reserved (4), offset (8), size (8)
 *   ...           sections, each followed by padding to 8 bytes
 *   end-8   8     xxh3-64 of every byte before it
 *
 * Strings live in the STRINGS section, NUL-terminated; everything else
 * refers to them by offset. Other sections are arrays of the records below
 * or of plain integers. Hash tables are stored slot by slot (rf_strmap). */
#ifndef RF_INDEX_FORMAT_H
#define RF_INDEX_FORMAT_H

#include "util/strmap.h"

#include <stdint.h>

#define RF_INDEX_MAGIC  "RFINDEX"
#define RF_INDEX_HEADER 32
#define RF_NO_STR       UINT32_MAX

enum rf_section {
    SEC_STRINGS = 1,
    SEC_META,
    /* dataset */
    SEC_LISTS,
    SEC_FILES,
    SEC_ENTITIES,
    SEC_E_NAMES,
    SEC_E_STRS,
    SEC_E_DATES,
    SEC_E_ADDRS,
    SEC_E_IDS,
    SEC_E_WALLETS,
    SEC_E_LINKS,
    SEC_E_PROPS,
    /* knowledge */
    SEC_KB_GROUPS,
    SEC_KB_PERSONS,
    SEC_KB_PHRASES,
    SEC_KB_ORG,
    SEC_KB_LEGAL,
    SEC_KB_TITLES,
    SEC_KB_RULES,
    SEC_KB_RULE_FIRST,
    SEC_KB_LEGAL_WORDS,
    /* dictionary */
    SEC_D_ENTRIES,
    SEC_D_BY_STR,
    SEC_D_POSTINGS,
    SEC_D_NAMES,
    SEC_D_NAME_TOKS,
    SEC_D_NAME_CAT,
    SEC_D_NAME_CLS,
    SEC_D_NAME_LEN,
    SEC_D_NAME_W,
    SEC_D_MM_KEYS, /* five multimaps back to back: group, rom, phon, legal, initial */
    SEC_D_MM_VALS,
    SEC_D_MM_SIZES,
    /* matcher */
    SEC_M_OFAC, /* string offset per index name */
    SEC_M_OFAC_LEN,
    SEC_M_SCAN_SIG,
    SEC_M_SCAN_SIG2,
    SEC_M_SCAN_HEAVY,
    SEC_M_SCAN_ID,
    SEC_M_SCAN_START,
    SEC_M_BG_START,
    SEC_M_BG_ENT,
    SEC_M_BG_ALWAYS,
    SEC_M_ID_MAP,
    SEC_M_ID_POST,
    SEC_M_WALLET_MAP,
    SEC_M_WALLET_POST,
    SEC_DS_BY_ID,    /* entity id -> entity: a hash table */
    SEC_KB_LINKS,    /* bin, ibn: links in person names */
    SEC_KB_NUMBERS,  /* number words -> value */
    SEC_M_SCAN_TEXT, /* the typo scan's token bytes, by length */
    SEC_COUNT
};

typedef struct rf_ix_meta {
    uint64_t n_entities;
    uint64_t n_lists;
    float max_weight;
    uint32_t reserved;
} rf_ix_meta;

typedef struct rf_ix_list {
    uint32_t id, title, format, published;
    uint64_t n_skipped;
    uint32_t first_file, n_files;
    uint64_t n_duplicates;
} rf_ix_list;

typedef struct rf_ix_file {
    uint32_t role, path;
    int64_t size;
    char sha256[72]; /* 64 hex digits, NUL, padding */
} rf_ix_file;

/* An array of a section: first record and count. */
typedef struct rf_ix_span {
    uint32_t off, n;
} rf_ix_span;

typedef struct rf_ix_entity {
    uint32_t id, list, source_id, gender, title, remarks;
    uint32_t schema;
    uint32_t listing; /* rf_listing */
    rf_ix_span names, programs, birth_dates, birth_places, nationalities, citizenships, addresses,
        identifiers, wallets, emails, websites, phones, links, incorporation_dates, properties;
} rf_ix_entity;

typedef struct rf_ix_name {
    uint32_t text;
    uint8_t kind, weak, pad[2];
} rf_ix_name;

typedef struct rf_ix_date {
    int16_t from_year, to_year;
    uint8_t from_month, from_day, to_month, to_day;
    uint8_t circa, pad[3];
} rf_ix_date;

typedef struct rf_ix_str5 {
    uint32_t s[5];
} rf_ix_str5;

typedef struct rf_ix_str2 {
    uint32_t s[2];
} rf_ix_str2;

typedef struct rf_ix_link {
    uint32_t relation, name, entity;
    float share; /* -1 unknown */
} rf_ix_link;

/* A hash table slot (rf_strmap). */
/* hash table slots are rf_strmap_ref (util/strmap.h) */
typedef rf_strmap_ref rf_ix_slot;

typedef struct rf_ix_org {
    uint32_t canon;
    uint32_t legal;
    uint8_t cls, pad[7];
} rf_ix_org;

typedef struct rf_ix_entry {
    uint32_t s;
    uint16_t len;
    uint8_t cls, heavy;
    uint64_t sig, sig2;
    uint32_t group, legal;
    uint64_t rom, phon;
    uint32_t df;
    float weight;
    uint32_t post, npost, cpost, ncpost;
} rf_ix_entry;

#endif

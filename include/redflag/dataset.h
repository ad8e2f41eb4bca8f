/* Loading sanctions lists into one immutable set of entities.
 *
 * A data folder holds list files plus sources.json, which says which lists
 * to load and in which format; every path in it is relative to the folder.
 * Once loaded (or finished), a dataset is never modified, so any number of
 * threads may read it at once without locks. */
#ifndef REDFLAG_DATASET_H
#define REDFLAG_DATASET_H

#include "redflag/entity.h"
#include "redflag/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rf_dataset rf_dataset;

/* One file a list was read from. */
typedef struct rf_source_file {
    const char *role; /* "primary", "address", "alias", "comments", "xml" */
    const char *path; /* as given (relative to the data folder) */
    char sha256[65];  /* hex digest of the file's bytes */
    long long size;   /* bytes */
} rf_source_file;

/* What was loaded for one list. */
typedef struct rf_list_info {
    const char *id;        /* "us_ofac_sdn" */
    const char *title;     /* "OFAC Specially Designated Nationals (SDN) List" */
    const char *format;    /* "ofac_csv", "un_xml" */
    const char *published; /* YYYY-MM-DD from the file or sources.json, or "" */
    size_t n_entities;
    size_t by_schema[RF_SCHEMA_COUNT];
    size_t n_names;   /* all names, primary included */
    size_t n_aliases; /* names other than the primary */
    size_t n_weak_aliases;
    size_t n_skipped;    /* malformed records reported and skipped */
    size_t n_duplicates; /* records left out as another loaded list's (the US
                            screening list's OFAC rows) */
    const rf_source_file *files;
    size_t n_files;
} rf_list_info;

/* Called once for each malformed record that was skipped (or field that was
 * ignored); warning->file/line say where. The record is only borrowed. */
typedef void (*rf_warn_fn)(void *ctx, const rf_error *warning);

typedef struct rf_load_options {
    rf_warn_fn warn; /* NULL: warnings are only counted */
    void *warn_ctx;
} rf_load_options;

/* The files of one OFAC legacy-CSV list. primary is required; the others may
 * be NULL. Paths are opened as given. */
typedef struct rf_ofac_files {
    const char *primary;  /* sdn.csv / cons_prim.csv */
    const char *address;  /* add.csv / cons_add.csv */
    const char *alias;    /* alt.csv / cons_alt.csv */
    const char *comments; /* sdn_comments.csv / cons_comments.csv */
} rf_ofac_files;

/* Loads every list named in DIR/sources.json. On failure *out is NULL and
 * err says which file and why. A malformed record inside a list is reported
 * through opts->warn and skipped; it does not fail the load. Caller frees the
 * dataset with rf_dataset_free(). opts may be NULL. */
rf_status rf_dataset_load(const char *data_dir, const rf_load_options *opts, rf_dataset **out,
                          rf_error *err);

/* Finds the default data folder: $REDFLAG_DATA, else the installed
 * share/redflag/data beside the executable, else the source tree's data/.
 * Writes it to buf; returns false when none exists. */
bool rf_data_dir_default(char *buf, size_t size);

/* Building a dataset list by list (tests, tools): new, add lists, finish. */
rf_status rf_dataset_new(const rf_load_options *opts, rf_dataset **out, rf_error *err);
rf_status rf_dataset_add_ofac_csv(rf_dataset *ds, const char *list_id, const char *title,
                                  const rf_ofac_files *files, rf_error *err);
rf_status rf_dataset_add_un_xml(rf_dataset *ds, const char *list_id, const char *title,
                                const char *path, rf_error *err);
/* OFAC's Enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML), plain or zipped. */
rf_status rf_dataset_add_ofac_xml(rf_dataset *ds, const char *list_id, const char *title,
                                  const char *path, rf_error *err);
/* The UK consolidated list spreadsheet (OFSI ConList.xlsx). */
rf_status rf_dataset_add_uk_xlsx(rf_dataset *ds, const char *list_id, const char *title,
                                 const char *path, rf_error *err);
/* The US Consolidated Screening List (trade.gov CSV, plain or .gz); its
 * Treasury (OFAC) rows are counted in n_duplicates, not loaded. */
rf_status rf_dataset_add_us_csl(rf_dataset *ds, const char *list_id, const char *title,
                                const char *path, rf_error *err);
/* OpenSanctions FollowTheMoney entities, one JSON object a line. */
rf_status rf_dataset_add_ftm(rf_dataset *ds, const char *list_id, const char *title,
                             const char *path, rf_error *err);
/* Sets the publication date recorded for a list already added. */
rf_status rf_dataset_set_published(rf_dataset *ds, const char *list_id, const char *date,
                                   rf_error *err);
/* Orders entities (by list, then numeric source id) and builds the lookup
 * table. After this the dataset is immutable. */
rf_status rf_dataset_finish(rf_dataset *ds, rf_error *err);

/* Frees everything the dataset owns. Accepts NULL. */
void rf_dataset_free(rf_dataset *ds);

size_t rf_dataset_count(const rf_dataset *ds);
/* The i-th entity (0 <= i < count), in list then source-id order. */
const rf_entity *rf_dataset_entity(const rf_dataset *ds, size_t i);
/* The entity with that id ("us_ofac_sdn:43377"), or NULL. */
const rf_entity *rf_dataset_find(const rf_dataset *ds, const char *entity_id);
/* Position of an entity of this dataset in rf_dataset_entity() order. */
size_t rf_dataset_index_of(const rf_dataset *ds, const rf_entity *e);

size_t rf_dataset_list_count(const rf_dataset *ds);
const rf_list_info *rf_dataset_list(const rf_dataset *ds, size_t i);
/* Rank used to order equal scores: us_ofac_sdn 0, us_ofac_cons 1, un_sc 2,
 * any other list 3. */
int rf_list_rank(const char *list_id);

#ifdef __cplusplus
}
#endif
#endif

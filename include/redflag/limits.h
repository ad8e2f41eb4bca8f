/* Every input limit of redflag in one place (README.md, "Limits", has the
 * same table). Past a limit, the record or request concerned gets a clear
 * error (RF_E_LIMIT, or a warning for a list record) and the others go on;
 * nothing is cut silently unless said so here. */
#ifndef REDFLAG_LIMITS_H
#define REDFLAG_LIMITS_H

/* Longest name, in bytes: a query's name is refused past it; a list
 * name past it is skipped with a warning for its record. */
#define RF_LIMIT_NAME_BYTES 1024

/* Words of a name used for matching. A query name with more is refused;
 * in a list name the words after the 32nd are not used. */
#define RF_LIMIT_NAME_TOKENS 32

/* Longest word kept, in bytes; longer ones are cut for matching. */
#define RF_LIMIT_TOKEN_BYTES 64

/* Names of one list entity (its primary name and aliases); the rest are
 * skipped with one warning for the entity. */
#define RF_LIMIT_NAMES_PER_ENTITY 500

/* Identifiers or wallets in one query. */
#define RF_LIMIT_QUERY_ITEMS 64

/* Longest line of `redflag screen` input (JSON lines), in bytes: a longer
 * line gets an error line of its own and is not read into memory. */
#define RF_LIMIT_LINE_BYTES (1024 * 1024)

/* HTTP: largest request body (413 past it; rf_server_config.max_body). */
#define RF_LIMIT_BODY_BYTES (1024 * 1024)

/* HTTP: queries in one POST /v1/screen array or /match/{dataset} request
 * (413 past it; rf_server_config.max_batch). */
#define RF_LIMIT_BATCH 1000

/* HTTP: open connections in all (libmicrohttpd refuses more) and from one
 * IP address (rf_server_config.max_connections, .max_per_ip). */
#define RF_LIMIT_CONNECTIONS        512
#define RF_LIMIT_CONNECTIONS_PER_IP 64

/* HTTP: seconds a connection may stay idle (or a client take to send its
 * request) before it is closed (rf_server_config.timeout). */
#define RF_LIMIT_IDLE_SECONDS 30

#endif

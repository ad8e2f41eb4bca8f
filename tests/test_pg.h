/* The store tests' PostgreSQL database: a fresh one on the server the ctest
 * fixture started (tests/pg_server.sh; its URL in RF_TEST_PG_DIR/url) or on
 * $REDFLAG_TEST_PG, so the same tests run on both engines. */
#ifndef RF_TEST_PG_H
#define RF_TEST_PG_H

#include "store/db.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Creates database <name>_<pid>, its URL into url; *admin is the connection
 * that drops it (test_pg_drop). False, saying why on stderr, without a
 * server. */
static inline bool test_pg_create(const char *name, char *url, size_t cap, db **admin) {
    char server[200] = "";
    const char *env = getenv("REDFLAG_TEST_PG");
    FILE *f = env ? NULL : fopen(RF_TEST_PG_DIR "/url", "r");
    if (env)
        snprintf(server, sizeof server, "%s", env);
    else if (!f || !fgets(server, sizeof server, f))
        server[0] = '\0';
    if (f) fclose(f);
    server[strcspn(server, "\n")] = '\0';
    char *slash = strrchr(server, '/');
    if (!*server || !slash) {
        fprintf(stderr, "no PostgreSQL server: %s/url is missing (tests/pg_server.sh)\n",
                RF_TEST_PG_DIR);
        return false;
    }
    rf_error err;
    if (db_open(server, admin, &err) != RF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return false;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s_%d", name, (int)getpid());
    if (!db_exec(*admin, sql)) {
        fprintf(stderr, "PostgreSQL at %s: %s\n", server, db_errmsg(*admin));
        db_close(*admin);
        return false;
    }
    snprintf(url, cap, "%.*s/%s_%d", (int)(slash - server), server, name, (int)getpid());
    return true;
}

static inline void test_pg_drop(db *admin, const char *name) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s_%d", name, (int)getpid());
    db_exec(admin, sql);
    db_close(admin);
}

#endif

/* Knowledge tables from resources/, compiled into the library. */
#ifndef RF_UTIL_RESOURCE_H
#define RF_UTIL_RESOURCE_H

#include <stddef.h>

/* The bytes of resources/<name> (NUL-terminated; *len excludes the NUL), or
 * NULL when there is no such resource. Static storage: never freed. */
const char *rf_resource(const char *name, size_t *len);

#endif

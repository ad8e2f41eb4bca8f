/* OpenSanctions yente's POST /match/{dataset}, answered by redflag. */
#ifndef RF_SERVER_YENTE_H
#define RF_SERVER_YENTE_H

#include "server/routes.h"

/* dataset: "default" (every loaded list) or a list id. */
rf_reply rf_route_yente(const rf_route_ctx *c, const char *dataset, const char *body, size_t len,
                        size_t *alerts);

#endif

/* libredflag: sanctions screening. Include this one header for the whole
 * public API. */
#ifndef REDFLAG_REDFLAG_H
#define REDFLAG_REDFLAG_H

#define RF_VERSION "0.1.0"

#include "redflag/dataset.h"
#include "redflag/diff.h"
#include "redflag/entity.h"
#include "redflag/index.h"
#include "redflag/limits.h"
#include "redflag/match.h"
#include "redflag/screen.h"
#include "redflag/status.h"
#include "redflag/server.h"
#include "redflag/store.h"
#include "redflag/update.h"
#include "redflag/workers.h"

#endif

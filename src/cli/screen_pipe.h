/* The batch pipeline of `redflag screen`: a reader hands queries to worker
 * threads through a ring of slots, a writer prints results in input order.
 * Memory is bounded by the ring, whatever the input size. */
#ifndef RF_CLI_SCREEN_PIPE_H
#define RF_CLI_SCREEN_PIPE_H

#include "redflag/screen.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct rf_pipe rf_pipe;

/* Starts `threads` workers screening with m and opts, writing to out.
 * progress: print count, rate and ETA to stderr (input_size: bytes of the
 * input when known, else 0). NULL when out of memory. */
rf_pipe *rf_pipe_start(const rf_matcher *m, const rf_match_options *opts, int threads, FILE *out,
                       bool progress, long long input_size);
/* Queues one JSON query line (copied) read from input line `lineno`;
 * consumed: input bytes read so far (for the ETA). */
bool rf_pipe_json(rf_pipe *p, const char *line, size_t len, long lineno, long long consumed);
/* Queues a request already built (taken over), or the error msg for one
 * that could not be (req may then be NULL or carry the id). */
bool rf_pipe_request(rf_pipe *p, rf_request *req, const char *error);
/* Records a query line with its result line; false when it could not be
 * recorded. Called from one thread, in input order. */
typedef bool (*rf_pipe_record_fn)(void *ctx, const char *query, size_t len, const char *result);
/* Before queuing: also record each good screening (JSON lines input). */
void rf_pipe_set_record(rf_pipe *p, rf_pipe_record_fn fn, void *ctx);
/* Waits for every queued query to be written and stops the threads.
 * Returns the number of failed queries (a screening that could not be
 * recorded counts); *total gets the number screened. */
size_t rf_pipe_finish(rf_pipe *p, size_t *total);

#endif

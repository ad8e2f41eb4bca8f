/* Ordered parallel screening. Slot i of the ring holds the i-th query
 * modulo the ring size: the reader fills empty slots, workers take filled
 * ones in order and leave a result line, the writer prints done slots in
 * order and empties them. One mutex guards the states; the screening
 * itself runs outside it, on one rf_results per worker. */
#include "cli/screen_pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLOTS_PER_THREAD 512

enum { EMPTY, FILLED, TAKEN, DONE };

typedef struct slot {
    int state;
    char *line; /* a JSON query, or NULL */
    size_t len;
    long lineno;
    rf_request *req; /* a prepared request, or NULL */
    char *error;     /* an error for this query, or NULL */
    char *out;       /* the result line */
    bool failed;
} slot;

struct rf_pipe {
    const rf_matcher *m;
    rf_match_options opts;
    FILE *out;
    rf_pipe_record_fn record; /* called by the writer, in input order */
    void *record_ctx;
    size_t record_failed;
    slot *ring;
    size_t nslots;
    size_t filled;  /* queries queued */
    size_t taken;   /* queries handed to a worker */
    size_t written; /* results printed */
    size_t failed;
    bool closing;
    pthread_mutex_t mu;
    pthread_cond_t can_fill, can_take, can_write;
    pthread_t *workers;
    int nworkers;
    pthread_t writer;
    bool progress;
    long long input_size, consumed;
    double start;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void screen_slot(rf_pipe *p, slot *s, rf_results *res) {
    rf_error err;
    rf_error_clear(&err);
    rf_status st = RF_OK;
    if (s->line) {
        st = rf_request_parse_json(rf_matcher_dataset(p->m), s->line, s->len, &s->req, &err);
        if (st != RF_OK) {
            char msg[sizeof err.msg];
            memcpy(msg, err.msg, sizeof msg);
            snprintf(err.msg, sizeof err.msg, "line %ld: %.480s", s->lineno, msg);
        }
    } else if (s->error) {
        st = RF_E_INVALID;
        snprintf(err.msg, sizeof err.msg, "%s", s->error);
    }
    if (st == RF_OK) st = rf_match_query(p->m, rf_request_query(s->req), &p->opts, res, &err);
    if (st == RF_OK) {
        s->out = rf_result_json(s->req, res, 0);
    } else {
        s->out = rf_error_json(s->req ? rf_request_id(s->req) : NULL, err.msg);
        s->failed = true;
    }
    rf_request_free(s->req);
    s->req = NULL;
    if (!p->record) { /* else the writer records the query with its result */
        free(s->line);
        s->line = NULL;
    }
    free(s->error);
    s->error = NULL;
}

static void *worker(void *arg) {
    rf_pipe *p = arg;
    rf_results *res = rf_results_new();
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->taken == p->filled && !p->closing)
            pthread_cond_wait(&p->can_take, &p->mu);
        if (p->taken == p->filled) break;
        slot *s = &p->ring[p->taken % p->nslots];
        p->taken++;
        s->state = TAKEN;
        pthread_mutex_unlock(&p->mu);
        if (res)
            screen_slot(p, s, res);
        else
            s->failed = true; /* out of memory: an empty line marks it */
        pthread_mutex_lock(&p->mu);
        s->state = DONE;
        pthread_cond_broadcast(&p->can_write);
    }
    pthread_mutex_unlock(&p->mu);
    rf_results_free(res);
    return NULL;
}

static void show_progress(rf_pipe *p, bool last) {
    double t = now() - p->start;
    double rate = t > 0 ? (double)p->written / t : 0;
    fprintf(stderr, "\rredflag screen: %zu queries, %.0f/s", p->written, rate);
    if (p->input_size > 0 && p->consumed > 0 && !last) {
        double left = t * (double)(p->input_size - p->consumed) / (double)p->consumed;
        fprintf(stderr, ", %.0f s left   ", left > 0 ? left : 0);
    }
    if (last) fprintf(stderr, "          \n");
}

static void *writer(void *arg) {
    rf_pipe *p = arg;
    double last = now();
    pthread_mutex_lock(&p->mu);
    for (;;) {
        slot *s = &p->ring[p->written % p->nslots];
        while (!(p->written < p->filled && s->state == DONE) &&
               !(p->closing && p->written == p->filled))
            pthread_cond_wait(&p->can_write, &p->mu);
        if (p->written == p->filled && p->closing) break;
        pthread_mutex_unlock(&p->mu);
        if (s->out) fputs(s->out, p->out);
        fputc('\n', p->out);
        if (p->record && !s->failed && s->line && s->out &&
            !p->record(p->record_ctx, s->line, s->len, s->out))
            p->record_failed++;
        free(s->out);
        s->out = NULL;
        free(s->line);
        s->line = NULL;
        pthread_mutex_lock(&p->mu);
        p->failed += s->failed;
        s->failed = false;
        s->state = EMPTY;
        p->written++;
        pthread_cond_signal(&p->can_fill);
        if (p->progress && now() - last > 0.5) {
            last = now();
            show_progress(p, false);
        }
    }
    if (p->progress) show_progress(p, true);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

rf_pipe *rf_pipe_start(const rf_matcher *m, const rf_match_options *opts, int threads, FILE *out,
                       bool progress, long long input_size) {
    if (threads < 1) threads = 1;
    rf_pipe *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->m = m;
    p->opts = *opts;
    p->out = out;
    p->nslots = (size_t)threads * SLOTS_PER_THREAD;
    p->ring = calloc(p->nslots, sizeof *p->ring);
    p->workers = calloc((size_t)threads, sizeof *p->workers);
    if (!p->ring || !p->workers) {
        free(p->ring);
        free(p->workers);
        free(p);
        return NULL;
    }
    p->progress = progress;
    p->input_size = input_size;
    p->start = now();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->can_fill, NULL);
    pthread_cond_init(&p->can_take, NULL);
    pthread_cond_init(&p->can_write, NULL);
    for (int i = 0; i < threads; i++)
        if (pthread_create(&p->workers[p->nworkers], NULL, worker, p) == 0) p->nworkers++;
    if (!p->nworkers || pthread_create(&p->writer, NULL, writer, p) != 0) {
        p->closing = true;
        pthread_cond_broadcast(&p->can_take);
        for (int i = 0; i < p->nworkers; i++)
            pthread_join(p->workers[i], NULL);
        free(p->ring);
        free(p->workers);
        free(p);
        return NULL;
    }
    return p;
}

/* Waits for a free slot and fills it. */
static bool enqueue(rf_pipe *p, slot filled, long long consumed) {
    pthread_mutex_lock(&p->mu);
    if (consumed > 0) p->consumed = consumed;
    slot *s = &p->ring[p->filled % p->nslots];
    while (s->state != EMPTY)
        pthread_cond_wait(&p->can_fill, &p->mu);
    *s = filled;
    s->state = FILLED;
    p->filled++;
    pthread_cond_signal(&p->can_take);
    pthread_mutex_unlock(&p->mu);
    return true;
}

bool rf_pipe_json(rf_pipe *p, const char *line, size_t len, long lineno, long long consumed) {
    slot s;
    memset(&s, 0, sizeof s);
    s.line = malloc(len + 1);
    if (!s.line) return false;
    memcpy(s.line, line, len);
    s.line[len] = '\0';
    s.len = len;
    s.lineno = lineno;
    return enqueue(p, s, consumed);
}

bool rf_pipe_request(rf_pipe *p, rf_request *req, const char *error) {
    slot s;
    memset(&s, 0, sizeof s);
    s.req = req;
    if (error && !(s.error = strdup(error))) {
        rf_request_free(req);
        return false;
    }
    return enqueue(p, s, 0);
}

void rf_pipe_set_record(rf_pipe *p, rf_pipe_record_fn fn, void *ctx) {
    p->record = fn;
    p->record_ctx = ctx;
}

size_t rf_pipe_finish(rf_pipe *p, size_t *total) {
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    pthread_cond_broadcast(&p->can_take);
    pthread_cond_broadcast(&p->can_write);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nworkers; i++)
        pthread_join(p->workers[i], NULL);
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->can_write);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->writer, NULL);
    size_t failed = p->failed + p->record_failed; /* not recorded: failed too */
    if (total) *total = p->written;
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->can_fill);
    pthread_cond_destroy(&p->can_take);
    pthread_cond_destroy(&p->can_write);
    free(p->ring);
    free(p->workers);
    free(p);
    return failed;
}

/* The speed benchmark (make bench): load and build times, single-query
 * latency for persons and organisations, batch throughput on 1 and N
 * threads, the index's speedup over --exhaustive with identical alerts, and
 * peak memory. Prints figures; asserts nothing but the alert equality. */
#include "eval/eval.h"
#include "scale.h"
#include "redflag/redflag.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p) {
    if (!n) return 0;
    size_t k = (size_t)(p * (double)(n - 1) + 0.5);
    return v[k];
}

typedef struct job {
    const rf_matcher *m;
    rf_eval_set *set;
    atomic_size_t *next;
    rf_match_options mo;
    size_t alerts;
} job;

static void *run(void *arg) {
    job *j = arg;
    rf_results *r = rf_results_new();
    rf_error err;
    for (;;) {
        size_t i = atomic_fetch_add(j->next, 1);
        if (i >= j->set->n) break;
        if (rf_match_query(j->m, rf_request_query(j->set->v[i].req), &j->mo, r, &err) == RF_OK)
            j->alerts += rf_results_count(r) > 0;
    }
    rf_results_free(r);
    return NULL;
}

static double throughput(const rf_matcher *m, rf_eval_set *set, int threads, size_t *alerts) {
    atomic_size_t next = 0;
    job jobs[16];
    pthread_t tid[16];
    double t0 = now();
    for (int i = 0; i < threads; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].m = m;
        jobs[i].set = set;
        jobs[i].next = &next;
        rf_match_options_init(&jobs[i].mo);
        pthread_create(&tid[i], NULL, run, &jobs[i]);
    }
    *alerts = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        *alerts += jobs[i].alerts;
    }
    return (double)set->n / (now() - t0);
}

/* Latency of each query of one category (NULL: all) run alone. */
static void latency(const rf_matcher *m, rf_eval_set *set, rf_schema schema, const char *what) {
    rf_results *r = rf_results_new();
    rf_match_options mo;
    rf_match_options_init(&mo);
    double *v = malloc(set->n * sizeof *v);
    size_t n = 0;
    rf_error err;
    for (size_t i = 0; i < set->n; i++) {
        const rf_query *q = rf_request_query(set->v[i].req);
        if (q->schema != schema) continue;
        double t0 = now();
        rf_match_query(m, q, &mo, r, &err);
        v[n++] = (now() - t0) * 1e6;
    }
    qsort(v, n, sizeof *v, cmp_double);
    printf("  %-14s %6zu queries  p50 %7.1f us  p90 %7.1f us  p99 %8.1f us  max %8.1f us\n", what,
           n, pct(v, n, 0.5), pct(v, n, 0.9), pct(v, n, 0.99), n ? v[n - 1] : 0);
    free(v);
    rf_results_free(r);
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kib = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kib;
}

static long long raw_bytes(const rf_dataset *ds) {
    long long n = 0;
    for (size_t i = 0; i < rf_dataset_list_count(ds); i++)
        for (size_t k = 0; k < rf_dataset_list(ds, i)->n_files; k++)
            n += rf_dataset_list(ds, i)->files[k].size;
    return n;
}

static int median_cmp(const void *a, const void *b) {
    return cmp_double(a, b);
}

/* What the serving side screens. */
typedef struct plan {
    const char *index, *evald;
    const char *queries; /* scale mode: the synthetic queries, else NULL */
    size_t negatives;    /* scale mode: negatives kept (0: all sets) */
    size_t sample;       /* queries compared with --exhaustive */
    int threads;
    long long raw;
} plan;

static void load_sets(const rf_dataset *ds, const plan *p, rf_eval_set *set) {
    rf_error err;
    char path[4096];
    snprintf(path, sizeof path, "%s/negatives_global.csv", p->evald);
    rf_eval_load_yente(ds, path, "negatives_global", NULL, set, &err);
    if (p->queries) {
        rf_eval_set_truncate(set, p->negatives);
        rf_eval_load_jsonl(ds, p->queries, set, &err);
        return;
    }
    snprintf(path, sizeof path, "%s/negatives_us.csv", p->evald);
    rf_eval_load_yente(ds, path, "negatives_us", NULL, set, &err);
    snprintf(path, sizeof path, "%s/positives_un_treated.csv", p->evald);
    rf_eval_load_yente(ds, path, "un", "un_sc", set, &err);
    snprintf(path, sizeof path, "%s/variants.jsonl", p->evald);
    rf_eval_load_jsonl(ds, path, set, &err);
}

/* Recall of the synthetic queries: the disturbed entity alerts. */
static void scale_recall(const rf_matcher *m, rf_eval_set *set, int threads) {
    rf_error err;
    if (rf_eval_run(m, set, RF_DEFAULT_THRESHOLD, threads, RF_ALGO_DEFAULT, &err) != RF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    printf("\naccuracy at %.2f on the synthetic list:\n", RF_DEFAULT_THRESHOLD);
    rf_eval_report(set, RF_DEFAULT_THRESHOLD, stdout);
    rf_eval_failures(set, RF_DEFAULT_THRESHOLD, 3, stdout);
}

/* The serving side: open the index, screen the sets, report. Runs in a
 * new process (bench_match --serve ...), so its memory is its own and not
 * what the builder touched before. */
static int serve(const plan *p) {
    rf_error err;
    double loads[5];
    rf_index *ix = NULL;
    for (int i = 0; i < 5; i++) {
        if (ix) rf_index_close(ix);
        double t0 = now();
        if (rf_index_open(p->index, &ix, &err) != RF_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        loads[i] = (now() - t0) * 1e3;
    }
    qsort(loads, 5, sizeof loads[0], median_cmp);
    long rss_loaded = rss_kib();
    const rf_dataset *ds = rf_index_dataset(ix);
    const rf_matcher *m = rf_index_matcher(ix);
    printf("index load: median %.1f ms of 5 (mmap, checks, entity tables)\n", loads[2]);

    rf_eval_set set = {0};
    load_sets(ds, p, &set);
    size_t alerts;
    printf("\nsingle-query latency (default options, one thread, queries with birth date and\n"
           "country where the set has them):\n");
    latency(m, &set, RF_SCHEMA_PERSON, "persons");
    latency(m, &set, RF_SCHEMA_ORGANIZATION, "organisations");
    latency(m, &set, RF_SCHEMA_UNKNOWN, "untyped");
    printf("\nbatch throughput over %zu queries:\n", set.n);
    double q1 = throughput(m, &set, 1, &alerts);
    printf("  1 thread   %9.0f queries/s (%zu alerts)\n", q1, alerts);
    double qn = throughput(m, &set, p->threads, &alerts);
    printf("  %d threads  %9.0f queries/s (%zu alerts)\n", p->threads, qn, alerts);

    /* the index against scoring every name, on a sample spread over the
     * sets */
    size_t sample = set.n < p->sample ? set.n : p->sample, differ = 0;
    size_t stride = sample ? set.n / sample : 1;
    rf_results *a = rf_results_new(), *b = rf_results_new();
    rf_match_options mi, mx;
    rf_match_options_init(&mi);
    mx = mi;
    mx.exhaustive = true;
    double ti = 0, tx = 0;
    for (size_t k = 0; k < sample; k++) {
        const rf_query *q = rf_request_query(set.v[k * stride].req);
        double s0 = now();
        rf_match_query(m, q, &mi, a, &err);
        double s1 = now();
        rf_match_query(m, q, &mx, b, &err);
        double s2 = now();
        ti += s1 - s0;
        tx += s2 - s1;
        bool same = rf_results_count(a) == rf_results_count(b);
        for (size_t i = 0; same && i < rf_results_count(a); i++)
            same = rf_results_get(a, i)->entity == rf_results_get(b, i)->entity &&
                   rf_results_get(a, i)->score == rf_results_get(b, i)->score;
        differ += !same;
    }
    printf("\nindex vs --exhaustive on %zu queries: %.1fx faster; identical results on %zu/%zu\n",
           sample, tx / ti, sample - differ, sample);
    rf_results_free(a);
    rf_results_free(b);
    if (p->queries) scale_recall(m, &set, p->threads);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("\nmemory: RSS %.1f MiB after loading the index, peak %.1f MiB while screening\n"
           "(raw list files %.1f MiB: loaded index %.1fx, peak %.1fx)\n",
           rss_loaded / 1024.0, ru.ru_maxrss / 1024.0, p->raw / 1048576.0,
           rss_loaded * 1024.0 / (double)p->raw, ru.ru_maxrss * 1024.0 / (double)p->raw);
    rf_eval_set_free(&set);
    rf_index_close(ix);
    return differ ? 1 : 0;
}

static int usage(void) {
    fprintf(stderr, "usage: bench_match [--data DIR] [--eval DIR] [--scale N]\n"
                    "  --scale N  screen a synthetic list of N entities (e.g. 1000000)\n");
    return 2;
}

/* Scale mode: writes the synthetic list and its queries into dir and loads
 * the list; *gen_ms is the time spent writing. */
static rf_dataset *scale_dataset(const char *data, size_t n, const char *dir, char *queries,
                                 size_t qsize, double *gen_ms, double *parse_ms) {
    rf_error err;
    rf_dataset *seed;
    if (rf_dataset_load(data, NULL, &seed, &err) != RF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    rf_scale_parts *parts = rf_scale_parts_new(seed);
    rf_dataset_free(seed);
    if (!parts) {
        fprintf(stderr, "bench_match: no name parts in %s\n", data);
        return NULL;
    }
    rf_scale_parts_describe(parts, stdout);
    char xml[4096];
    snprintf(xml, sizeof xml, "%s/synthetic.xml", dir);
    snprintf(queries, qsize, "%s/queries.jsonl", dir);
    double t0 = now();
    bool ok = rf_scale_write(parts, n, 5000, 20231228, xml, queries);
    rf_scale_parts_free(parts);
    *gen_ms = (now() - t0) * 1e3;
    if (!ok) {
        fprintf(stderr, "bench_match: cannot write the synthetic list in %s\n", dir);
        return NULL;
    }
    t0 = now();
    rf_dataset *ds = NULL;
    rf_status st = rf_dataset_new(NULL, &ds, &err);
    if (st == RF_OK) st = rf_dataset_add_un_xml(ds, "synthetic", "Synthetic list", xml, &err);
    if (st == RF_OK) st = rf_dataset_finish(ds, &err);
    *parse_ms = (now() - t0) * 1e3;
    if (st != RF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        rf_dataset_free(ds);
        return NULL;
    }
    return ds;
}

/* bench_match --serve INDEX EVAL QUERIES NEGATIVES SAMPLE THREADS RAW
 * (QUERIES "-": none): the serving side, started by the builder. */
static int serve_main(int argc, char **argv) {
    if (argc != 9) return usage();
    plan p = {argv[2],
              argv[3],
              strcmp(argv[4], "-") ? argv[4] : NULL,
              strtoull(argv[5], NULL, 10),
              strtoull(argv[6], NULL, 10),
              atoi(argv[7]),
              strtoll(argv[8], NULL, 10)};
    return serve(&p);
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "--serve")) return serve_main(argc, argv);
    const char *data = RF_BENCH_DATA, *evald = RF_BENCH_EVAL;
    size_t scale = 0;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--data"))
            data = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--eval"))
            evald = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--scale")) {
            char *end;
            scale = strtoull(argv[++i], &end, 10);
            if (*end || scale == 0) {
                fprintf(stderr, "bench_match: --scale wants a count of entities, not '%s'\n",
                        argv[i]);
                return 2;
            }
        } else
            return usage();
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cores > 1 ? (int)cores : 1;
    rf_error err;
    char dir[] = "/tmp/rf_benchXXXXXX";
    if (!mkdtemp(dir)) return 1;
    char index[4096], queries[4096] = "";
    snprintf(index, sizeof index, "%s/index.rfx", dir);
    if (scale)
        printf("redflag speed benchmark, scale mode: %zu synthetic entities (%d cores)\n\n", scale,
               threads);
    else
        printf("redflag speed benchmark (%d cores, data %s)\n\n", threads, data);
    double gen_ms = 0, t_load = 0;
    double t0 = now();
    rf_dataset *ds = NULL;
    if (scale) {
        ds = scale_dataset(data, scale, dir, queries, sizeof queries, &gen_ms, &t_load);
        t_load /= 1e3;
        t0 = now() - t_load;
    } else if (rf_dataset_load(data, NULL, &ds, &err) != RF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        ds = NULL;
    } else {
        t_load = now() - t0;
    }
    int rc = 1;
    rf_matcher *m = NULL;
    if (!ds) goto out;
    if (rf_matcher_new(ds, &m, &err) != RF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        goto out;
    }
    double t_build = now() - t0;
    if (rf_index_write(m, index, &err) != RF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        goto out;
    }
    double t_index = now() - t0;
    struct stat sb;
    stat(index, &sb);
    long long raw = raw_bytes(ds);
    if (scale) printf("synthetic list written in %.0f ms\n", gen_ms);
    printf("index build: %.0f ms (parse lists %.0f ms, matcher %.0f ms, write %.0f ms); "
           "%zu entities\n",
           t_index * 1e3, t_load * 1e3, (t_build - t_load) * 1e3, (t_index - t_build) * 1e3,
           rf_dataset_count(ds));
    printf("index size: %.1f MiB (raw list files %.1f MiB)\n", sb.st_size / 1048576.0,
           raw / 1048576.0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("build memory: peak RSS %.1f MiB (lists, matcher and index writer in one process)\n",
           ru.ru_maxrss / 1024.0);
    rf_matcher_free(m);
    m = NULL;
    rf_dataset_free(ds);
    ds = NULL;
    fflush(stdout);
    char neg[32], sample[32], nthreads[32], rawb[32];
    snprintf(neg, sizeof neg, "%d", scale ? 5000 : 0);
    snprintf(sample, sizeof sample, "%d", scale ? 100 : 2000);
    snprintf(nthreads, sizeof nthreads, "%d", threads);
    snprintf(rawb, sizeof rawb, "%lld", raw);
    char *args[] = {argv[0], "--serve", index,    (char *)evald, scale ? queries : "-",
                    neg,     sample,    nthreads, rawb,          NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execv("/proc/self/exe", args);
        perror("bench_match: cannot start the serving process");
        _exit(1);
    }
    int status = 1;
    waitpid(pid, &status, 0);
    rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
out:
    rf_matcher_free(m);
    rf_dataset_free(ds);
    unlink(index);
    if (*queries) {
        unlink(queries);
        char xml[4096];
        snprintf(xml, sizeof xml, "%s/synthetic.xml", dir);
        unlink(xml);
    }
    rmdir(dir);
    return rc;
}

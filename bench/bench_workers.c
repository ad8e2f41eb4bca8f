/* Benchmark of redflag workers check (issue 8): generates a synthetic
 * workforce (default 1,000,000 workers, 20 login events each, one ring per
 * 1,000 workers), checks it against the bundled lists with the output
 * going to /dev/null, and prints the time, the peak RSS, the recall of the
 * planted rings (a ring is found when all its members are in one cluster)
 * and the share of clean workers flagged high or critical.
 *
 *   build/bench/bench_workers [--count N] [--dir DIR] [--keep]
 *
 * Printed figures, not a test: the targets (>= 95% recall, <= 1% clean
 * flagged high) are shown next to the measures. */
#include "redflag/redflag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process: the machine is shared, so
 * wall time alone overstates the cost when other work runs. */
static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double peak_rss_mib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

typedef struct bench {
    int32_t *ring;        /* worker index -> ring number, -1 clean */
    uint32_t *ring_cl;    /* ring -> cluster number of its first member, 0 none */
    unsigned char *split; /* ring -> members not in one cluster */
    size_t n_rings, clean, clean_high, ring_members, ring_members_high;
} bench;

static void on_result(void *ctx, const rf_worker_result *r) {
    bench *b = ctx;
    size_t idx = strtoul(r->id + 1, NULL, 10);
    int32_t ring = b->ring[idx];
    if (ring < 0) {
        b->clean++;
        if (r->max_severity >= RF_SEV_HIGH) b->clean_high++;
        return;
    }
    b->ring_members++;
    if (r->max_severity >= RF_SEV_HIGH) b->ring_members_high++;
    uint32_t c = r->cluster ? (uint32_t)strtoul(r->cluster + 1, NULL, 10) : 0;
    if (!c)
        b->split[ring] = 1;
    else if (!b->ring_cl[ring])
        b->ring_cl[ring] = c;
    else if (b->ring_cl[ring] != c)
        b->split[ring] = 1;
}

int main(int argc, char **argv) {
    size_t count = 1000000;
    const char *dir = "/tmp";
    int keep = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else {
            fprintf(stderr, "usage: bench_workers [--count N] [--dir DIR] [--keep]\n");
            return 2;
        }
    }
    if (count < 1000) count = 1000;
    char wpath[512], tpath[512];
    snprintf(wpath, sizeof wpath, "%s/rf_bench_workers_%zu.jsonl", dir, count);
    snprintf(tpath, sizeof tpath, "%s/rf_bench_workers_%zu.truth", dir, count);
    rf_error err;
    rf_error_clear(&err);

    /* the lists and the matcher (a wallet of the list goes to a few rings) */
    double t0 = now();
    rf_dataset *ds;
    rf_matcher *m;
    if (rf_dataset_load(RF_BENCH_DATA, NULL, &ds, &err) != RF_OK ||
        rf_matcher_new(ds, &m, &err) != RF_OK) {
        fprintf(stderr, "bench_workers: %s\n", err.msg);
        return 1;
    }
    double t_load = now() - t0;
    double rss_lists = peak_rss_mib();

    rf_workers_gen_options go = {.count = count, .seed = 2026, .rings = count / 1000};
    const char *wallets[] = {"0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
                             "0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B"};
    go.wallets = wallets;
    go.n_wallets = 2;
    t0 = now();
    FILE *w = fopen(wpath, "w"), *t = fopen(tpath, "w");
    if (!w || !t || rf_workers_generate(&go, w, t, &err) != RF_OK || fclose(w) || fclose(t)) {
        fprintf(stderr, "bench_workers: cannot generate %s: %s\n", wpath,
                err.msg[0] ? err.msg : strerror(errno));
        return 1;
    }
    double t_gen = now() - t0;
    struct stat st;
    stat(wpath, &st);

    bench b;
    memset(&b, 0, sizeof b);
    b.ring = malloc(count * sizeof *b.ring);
    b.n_rings = go.rings;
    b.ring_cl = calloc(go.rings + 1, sizeof *b.ring_cl);
    b.split = calloc(go.rings + 1, 1);
    FILE *tf = fopen(tpath, "r");
    char line[128];
    size_t i = 0;
    while (tf && fgets(line, sizeof line, tf) && i < count) {
        char *tab = strchr(line, '\t');
        b.ring[i++] = tab && tab[1] == 'r' ? (int32_t)strtol(tab + 2, NULL, 10) - 1 : -1;
    }
    if (tf) fclose(tf);

    rf_workers_options o;
    rf_workers_options_init(&o);
    o.matcher = m;
    o.out = fopen("/dev/null", "w");
    o.on_result = on_result;
    o.ctx = &b;
    rf_workers_summary sum;
    t0 = now();
    double c0 = cpu_s();
    if (rf_workers_check(wpath, &o, &sum, &err) != RF_OK) {
        fprintf(stderr, "bench_workers: %s\n", err.msg);
        return 1;
    }
    double t_check = now() - t0, c_check = cpu_s() - c0;
    fclose(o.out);

    size_t found = 0;
    for (size_t r = 0; r < b.n_rings; r++)
        found += b.ring_cl[r] && !b.split[r];
    printf("redflag workers check benchmark (%s)\n", RF_VERSION);
    printf("  workers                 %zu (%zu login events each), file %.2f GiB\n", count,
           go.logins ? go.logins : (size_t)20, (double)st.st_size / (1024.0 * 1024 * 1024));
    printf("  planted rings           %zu (%zu members); clean workers %zu\n", b.n_rings,
           b.ring_members, b.clean);
    printf("  load lists + matcher    %.1f s (RSS %.0f MiB)\n", t_load, rss_lists);
    printf("  generate                %.1f s\n", t_gen);
    printf("  check (2 passes)        %.1f s wall = %.0f workers/s; %.1f s CPU = %.0f workers/s\n",
           t_check, (double)count / t_check, c_check, (double)count / c_check);
    printf("  peak RSS                %.0f MiB\n", peak_rss_mib());
    printf("  clusters                %zu\n", sum.clusters);
    printf("  ring recall             %.2f%% (%zu of %zu)   target >= 95%%\n",
           b.n_rings ? 100.0 * (double)found / (double)b.n_rings : 100.0, found, b.n_rings);
    printf("  clean flagged high      %.3f%% (%zu of %zu)   target <= 1%%\n",
           b.clean ? 100.0 * (double)b.clean_high / (double)b.clean : 0.0, b.clean_high, b.clean);
    printf("  ring members high       %.2f%% (%zu of %zu)\n",
           b.ring_members ? 100.0 * (double)b.ring_members_high / (double)b.ring_members : 0.0,
           b.ring_members_high, b.ring_members);
    if (!keep) {
        unlink(wpath);
        unlink(tpath);
    }
    free(b.ring);
    free(b.ring_cl);
    free(b.split);
    rf_matcher_free(m);
    rf_dataset_free(ds);
    return 0;
}

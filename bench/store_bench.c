/*
 * store_bench.c — insert and read-back speed of the observatory store
 * (src/store/store.c): N incidents (3 propagators, 2 evidence rows each) and
 * N/10 networks in one run, then one full read of the incidents.
 * Usage: store_bench DB [N]   (the DB file is replaced)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "manrs/store/store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 200000;
    char side[4200];
    unlink(argv[1]);
    snprintf(side, sizeof side, "%s-wal", argv[1]);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", argv[1]);
    unlink(side);
    char err[512];
    mrs_store *s = mrs_store_open(argv[1], err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double t0 = now();
    int64_t run = mrs_store_begin_run(s, 1700000000, 1700086400, "bench");
    uint32_t props[3] = {64500, 64501, 64502};
    mrs_evidence ev[2];
    memset(ev, 0, sizeof ev);
    for (int k = 0; k < 2; k++) {
        ev[k].peer_asn = 3333 + (uint32_t)k;
        ev[k].peer_afi = 1;
        ev[k].peer_ip[0] = 193;
        ev[k].peer_ip[3] = (uint8_t)k;
        ev[k].as_path = "3333 64500 64501 64502 64511";
        ev[k].file = "updates.20231114.2215.gz";
        ev[k].note = "RPKI invalid: 192.0.2.0/24-24 AS64500";
    }
    for (size_t i = 0; i < n; i++) {
        mrs_incident inc;
        memset(&inc, 0, sizeof inc);
        inc.id = i + 1;
        inc.cls = (mrs_incident_class)(i % MRS_INC_NCLASSES);
        inc.culprit = 64511 + (uint32_t)(i % 5000);
        inc.accomplice = 64502;
        inc.prefix.afi = 1;
        inc.prefix.len = 24;
        inc.prefix.addr[0] = 10;
        inc.prefix.addr[1] = (uint8_t)(i >> 8);
        inc.prefix.addr[2] = (uint8_t)i;
        inc.start = 1700000000;
        inc.end = 1700003600;
        inc.propagators = props;
        inc.n_propagators = 3;
        inc.evidence = ev;
        inc.n_evidence = 2;
        ev[0].offset = ev[1].offset = i * 100;
        if (mrs_store_add_incident(s, run, &inc)) {
            fprintf(stderr, "%s\n", mrs_store_errmsg(s));
            return 1;
        }
    }
    double t1 = now();
    for (size_t i = 0; i < n / 10; i++) {
        mrs_network_metrics m;
        memset(&m, 0, sizeof m);
        m.asn = 64511 + (uint32_t)i;
        memcpy(m.country, "NL", 3);
        m.m5 = m.m5c = -1;
        if (mrs_store_add_network(s, run, &m)) {
            fprintf(stderr, "%s\n", mrs_store_errmsg(s));
            return 1;
        }
    }
    if (mrs_store_end_run(s, run, "complete", NULL)) {
        fprintf(stderr, "%s\n", mrs_store_errmsg(s));
        return 1;
    }
    double t2 = now();
    mrs_incident_list l;
    if (mrs_store_incidents(s, run, 0, &l)) {
        fprintf(stderr, "%s\n", mrs_store_errmsg(s));
        return 1;
    }
    double t3 = now();
    printf("store: %zu incidents (+%zu propagator, %zu evidence rows) inserted in %.2f s: %.0f incidents/s, %.0f rows/s\n", n,
           3 * n, 2 * n, t1 - t0, n / (t1 - t0), 6 * n / (t1 - t0));
    printf("store: %zu networks + commit in %.2f s\n", n / 10, t2 - t1);
    printf("store: read back %zu incidents with propagators and evidence in %.2f s: %.0f incidents/s\n", l.n, t3 - t2,
           l.n / (t3 - t2));
    mrs_incident_list_clear(&l);
    mrs_store_close(s);
    return 0;
}

/* fuzz_serve_request.c — libFuzzer target for the web observatory's request
 * handling (src/apps/serve/): the input is the raw bytes a client sends on one
 * connection (request lines, headers, %-escapes, query arguments, pipelined
 * requests), handed to libmicrohttpd and our routes, pages and API over a small
 * store (two networks, a hijack with a victim and evidence, a bogon) made at the
 * first call in /dev/shm, and the looking glass (/lg, /api/v1/lg: its query
 * parsing, the regex guard, the queries and both printers) over a small simulated
 * world written there too. Whatever comes in: no crash, no leak, no UBSan report,
 * no 500 or 503 (a bug here: the store is intact), and the connection ends. */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manrs/apps/serve.h"
#include "manrs/observatory/observatory.h"
#include "manrs/sim/sim.h"
#include "manrs/store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static serve_t *srv_;
static serve_opts opts_;
static char db_[64], world_[64];
static mrs_obs_inputs lg_in_;

static void remove_store(void)
{
    char p[80];
    unlink(db_);
    snprintf(p, sizeof p, "%s-wal", db_);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_);
    unlink(p);
    DIR *d = opendir(world_);   /* the world: files only */
    if (d) {
        struct dirent *e;
        char f[400];
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                snprintf(f, sizeof f, "%s/%s", world_, e->d_name);
                unlink(f);
            }
        closedir(d);
        rmdir(world_);
    }
    mrs_obs_inputs_clear(&lg_in_);
}

/* A small simulated world for the looking glass (a second or so, once). */
static void make_world(void)
{
    snprintf(world_, sizeof world_, "/dev/shm/fuzz_serve_world_%d", (int)getpid());
    mrs_sim_params p;
    mrs_sim_params_default(&p);
    p.ases = 60;
    p.collectors = 1;
    p.peers_per_collector = 4;
    p.incidents = 1;
    p.seed = 3;
    char err[256];
    mrs_sim_summary sum;
    if (mkdir(world_, 0700) != 0 || !mrs_sim_params_check(&p, err, sizeof err) || mrs_sim_write(&p, world_, &sum, err, sizeof err) != 0 ||
        mrs_obs_inputs_add_world(&lg_in_, world_, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_serve_request: the world: %s\n", err);
        abort();
    }
}

static void make_store(void)
{
    snprintf(db_, sizeof db_, "/dev/shm/fuzz_serve_%d.db", (int)getpid());
    unlink(db_);
    char err[256];
    mrs_store *s = mrs_store_open(db_, err, sizeof err);
    if (!s)
        abort();
    int64_t run = mrs_store_begin_run(s, 1700000000, 1700003600, "fuzz <inputs> & \"quotes\"");
    for (uint32_t asn = 64500; asn < 64503; asn++) {
        mrs_network_metrics m;
        memset(&m, 0, sizeof m);
        m.asn = asn;
        snprintf(m.country, sizeof m.country, asn == 64502 ? "" : "NL");
        for (int a = 0; a <= 4; a++)
            m.action[a] = asn == 64501 ? -1 : 50.0 + a;
        m.m5 = m.m5c = -1;
        mrs_store_add_network(s, run, &m);
    }
    static uint32_t props[] = {64500}, victims[] = {64502};
    mrs_evidence ev;
    memset(&ev, 0, sizeof ev);
    ev.peer_asn = 3333;
    ev.peer_afi = MRS_AFI_IPV4;
    ev.as_path = "3333 64500 64501";
    ev.file = "updates.<odd>.gz";
    ev.offset = 42;
    ev.note = "note with <b>markup</b>";
    mrs_incident inc;
    memset(&inc, 0, sizeof inc);
    inc.id = 1;
    inc.cls = MRS_INC_HIJACK_ORIGIN;
    inc.culprit = 64501;
    inc.accomplice = 64500;
    inc.propagators = props;
    inc.n_propagators = 1;
    inc.victims = victims;
    inc.n_victims = 1;
    mrs_prefix_parse("192.0.2.0/24", 12, &inc.prefix, true);
    inc.start = 1700000000;
    inc.end = 1700001000;
    inc.peers = 3;
    inc.evidence = &ev;
    inc.n_evidence = 1;
    mrs_store_add_incident(s, run, &inc);
    inc.id = 2;
    inc.cls = MRS_INC_BOGON_PREFIX;
    inc.n_victims = 0;
    mrs_prefix_parse("10.0.0.0/8", 10, &inc.prefix, true);
    mrs_store_add_incident(s, run, &inc);
    if (mrs_store_end_run(s, run, "complete", NULL) != 0)
        abort();
    mrs_store_close(s);
    atexit(remove_store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!srv_) {
        make_store();
        make_world();
        opts_.db = db_;
        opts_.lg_inputs = &lg_in_;
        opts_.map = "/nonexistent";   /* the map has its own target */
        opts_.timeout_s = 1;
        if (!(srv_ = serve_open_unbound(&opts_)))
            abort();
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
        return 0;
    if (serve_add_connection(srv_, sv[1]) != 0) {
        close(sv[0]);
        return 0;
    }
    size_t off = 0;
    char buf[65536];
    int status = 0;
    bool eof = false;
    for (int round = 0; round < 400 && !eof; round++) {
        if (off < size) {
            ssize_t w = send(sv[0], data + off, size - off, MSG_NOSIGNAL);
            if (w > 0)
                off += (size_t)w;
            if (off == size)
                shutdown(sv[0], SHUT_WR);
        } else if (size == 0 && round == 0)
            shutdown(sv[0], SHUT_WR);
        serve_step(srv_);
        for (;;) {
            ssize_t r = recv(sv[0], buf, sizeof buf - 1, 0);
            if (r == 0)
                eof = true;
            if (r <= 0)
                break;
            buf[r] = 0;
            /* every reply's status line: 500 or 503 (ours: store errors, out of
             * memory) over an intact store is a bug; 505 is MHD's answer to
             * a protocol version it does not speak */
            for (char *p = buf; (p = strstr(p, "HTTP/1.")) != NULL; p += 7)
                if (p + 12 <= buf + r && p[8] == ' ' && p[9] == '5' && p[10] == '0' && (p[11] == '0' || p[11] == '3'))
                    status = 500;
        }
    }
    close(sv[0]);
    serve_step(srv_);   /* MHD closes its side */
    if (status >= 500)
        abort();
    return 0;
}

/*
 * whoisd.h — an IRRd-compatible whois query server over a loaded irr_db.
 *
 * Two layers:
 *   1. The query engine (src/apps/whoisd/whois_query.c): a pure function of
 *      (db, session state, one query line) -> answer bytes. No sockets, no
 *      clock; testable and fuzzable on its own.
 *   2. The server (src/apps/whoisd/whoisd.c): one event loop (manrs/evloop.h),
 *      non-blocking sockets, per-client input/output buffers, one query in
 *      flight per client, limits per client, per address and in all (output
 *      budget, idle and line timers, set expansion depth and size), SIGHUP
 *      reload (new db loaded fully, then swapped in).
 *
 * Query language (IRRd 4 "IRRd style", see docs/whoisd.md for every answer):
 *   !!  !n<client>  !v  !q  !t<secs>  !s<sources>  !s-lc  !j[-*|SOURCE]
 *   !g<AS> !6<AS>  !i<set>[,1]  !a[4|6]<set>  !r<prefix>[,o|,l|,L|,M]
 *   !m<class>,<key>
 * Answers: "A<n>\n<data>\nC\n" (n = bytes of data plus its final newline),
 * "C\n" (valid, nothing found), "D\n" (key not found), "F <message>\n" (error;
 * the connection stays open). `!!` gets no answer at all.
 * RIPE style (plain whois clients): flags -k -K -T <classes> -s <sources> -a
 * -V <client> -i origin|member-of <key> -x -l -L -M <prefix>, then a free key
 * (AS number, set name, prefix). Objects as RPSL text, each followed by a blank
 * line, plus one more newline at the end of the answer.
 *
 * Objects are rendered from the fields irr_db keeps (route/route6: prefix, origin,
 * mnt-by, source; aut-num: as-name, member-of, contacts, mnt-by, source; as-set /
 * route-set: members, mbrs-by-ref, source) — not the verbatim dump text.
 */
#ifndef MANRS_WHOISD_H
#define MANRS_WHOISD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/kb/irr.h"
#include "manrs/core/outbuf.h"

#define WHOIS_MAX_SOURCES_TEXT 1024

/* Per-connection state that queries change. */
typedef struct whois_session {
    bool persistent;                  /* !! or -k: keep the connection after an answer */
    bool quit;                        /* !q, or a non-persistent answer was sent */
    unsigned timeout_s;               /* !t, 0 = server default */
    char sources[WHOIS_MAX_SOURCES_TEXT]; /* !s list as given (upper case), "" = all */
    char client[64];                  /* !n / -V */
    mrs_outbuf scratch;                   /* answer body being built (reused) */
    /* Limits the server sets (0 = the default in brackets): */
    size_t answer_limit;              /* largest answer body in bytes [none]; a larger one is
                                         cut short while being built and answered
                                         "F Answer too large ..." (over_limit set) */
    unsigned max_depth;               /* set nesting levels followed [IRR_DEFAULT_MAX_DEPTH]; a
                                         deeper set is answered "F ... nested deeper than N" */
    size_t max_set_size;              /* members of an expansion [none]; more: "F ..." */
    bool over_limit;                  /* the last answer hit answer_limit */
} whois_session;

void whois_session_init(whois_session *s);
void whois_session_clear(whois_session *s);

/* Answer one query (q: the line without its newline; a trailing '\r' is
 * ignored). Appends the answer to out and updates the session (s->quit tells the
 * server to close after sending out). version is the !v text. Never fails: errors
 * are answers. */
void whois_answer(const irr_db *db, whois_session *s, const char *version, const char *q, size_t n, mrs_outbuf *out);

/* ---- server ---- */

typedef struct whoisd_opts {
    const char *const *irr_files;     /* RPSL dumps (any compression) */
    size_t n_irr_files;
    const char *listen;               /* "ADDR:PORT" or "[V6ADDR]:PORT"; NULL = 127.0.0.1:4343 */
    unsigned idle_timeout_ms;         /* since the last completed query; 0 = 30000 */
    size_t max_query;                 /* bytes per query line; 0 = 4096 */
    size_t max_clients;               /* 0 = 4096 */
    size_t max_output;                /* largest answer to one query (per client, bytes); 0 = 64 MiB */
    size_t output_budget;             /* unsent answers of all clients together (bytes); 0 = 256 MiB */
    size_t max_per_addr;              /* connections per IPv4 address / IPv6 /64; 0 = 16 */
    unsigned line_timeout_ms;         /* a started query line must end within this; 0 = 10000 */
    unsigned max_depth;               /* set nesting levels followed; 0 = IRR_DEFAULT_MAX_DEPTH */
    size_t max_set_size;              /* members of an expanded set; 0 = 1000000 */
    const char *source_order;         /* irr_db_set_source_order list, or NULL */
    int ready_fd;                     /* >= 0: write "PORT\n" there once listening, then close it */
} whoisd_opts;

/* Load the files, listen and serve until SIGINT/SIGTERM. Returns 0 on a clean
 * stop, 1 when the files could not be loaded or the address not bound. */
int whoisd_run(const whoisd_opts *o);

/* Load every file into a new finalized db (reports through diag). NULL on failure. */
irr_db *whoisd_load(const char *const *files, size_t n, const char *source_order, mrs_diag *diag);

#endif

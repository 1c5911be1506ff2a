/*
 * monitor.c — the monitor's engine (see monitor.h): routes held per peer for the
 * prefixes and ASes of the configuration, alerts as conditions held by peers.
 *
 * Tables (core/map64.h, keys hashed, full keys compared):
 *   held    (peer, prefix, path id) -> the route's alert and whether the peer
 *           had, then lost, a monitored prefix (visibility);
 *   alerts  (type, prefix, asn) -> how many held routes raise it, and whether it
 *           is active (raised, not yet resolved).
 * Only routes that concern the configuration are held: memory is bounded by the
 * routes of one's own prefixes, not by the Internet's.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/monitor.h"
#include "manrs/core/date.h"
#include "manrs/core/grow.h"
#include "manrs/core/json_out.h"
#include "manrs/core/map64.h"
#include "manrs/core/outbuf.h"
#include "manrs/core/trie.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/rpki.h"

enum {
    A_NONE = 0, A_HIJACK, A_NEWPREFIX, A_MISCONF, A_VISIBILITY, A_RPKI, A_ROA_MISSING, A_BOGON_PREFIX, A_BOGON_ASN,
    A_LEAK_ASPA, A_LEAK_ASREL, A_UPSTREAM, A_DOWNSTREAM, A_ROA_EXPIRING, A_PATH, A_TYPES
};
static const char *const type_names[A_TYPES] = {"", "hijack", "newprefix", "misconfiguration", "visibility", "rpki",
                                                "rpki", "bogon", "bogon", "leak", "leak", "neighbor", "neighbor",
                                                "rpki", "path"};

/* The conditions one route can hold at once, one slot each. */
enum { S_ORIGIN = 0, S_RPKI, S_BOGON, S_LEAK, S_UP, S_DOWN, S_PATH, S_N };

#define MAX_PATH 256    /* AS_SEQUENCE members looked at (longer paths: the first ones) */

typedef struct held_key {
    uint16_t afi, pad;
    uint32_t path_id;
    uint8_t ip[16];
    mrs_prefix prefix;
} held_key;

typedef struct held {
    held_key key;
    int32_t cond[S_N];          /* alerts the route holds (indices in alerts), -1 none */
    int32_t rule;               /* exact monitored prefix: the entry (visibility), -1 otherwise */
    bool init;                  /* fields below set (a new entry is all zero) */
    bool ownroute;              /* a listed prefix from a listed origin, or a monitored AS's route */
    uint32_t origin;
    bool present;               /* announced now */
    bool own, lost;             /* visibility: the route is the prefix from a listed origin; the peer
                                   had such a route and has it no more (withdrawn, session lost,
                                   replaced by another origin's) */
} held;

typedef struct alert_key {
    uint32_t type, asn, as2;
    mrs_prefix prefix;          /* zero for neighbor and leak-by-relationship alerts (one per AS link) */
} alert_key;

typedef struct alert {
    alert_key key;
    mrs_prefix example;         /* the prefix it was first seen with */
    int32_t rule;               /* entry, -1 for misconfiguration */
    const char *group;
    unsigned count;             /* routes (peers) holding it */
    bool active;
    uint32_t said;              /* time it was last said (raised or repeated) */
    int64_t until;              /* ROA expiring: when the route stops being Valid */
} alert;

struct mon_engine {
    const mon_config *c;
    mon_opts o;
    mon_alert_fn fn;
    void *user;
    mrs_trie *rules;            /* monitored prefixes -> entry index */
    mrs_map64 held_ix, alert_ix, asn_ix;
    bool neighbours;            /* some monitored AS has upstreams/downstreams */
    mrs_set64 standing;         /* AS-relationship valleys of the RIB snapshots: (leaker, from, to) */
    held *held;
    size_t nheld, held_cap;
    alert *alerts;
    size_t nalerts, alerts_cap;
    uint32_t next_repeat_check, next_rpki_check;
    int64_t next_expiry;        /* the earliest end of the VRPs of own routes seen valid, 0 none */
    mon_stats st;
};

mon_engine *mon_engine_new(const mon_config *c, const mon_opts *o, mon_alert_fn fn, void *user)
{
    mon_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->c = c;
    e->o = *o;
    if (!e->o.min_peers)
        e->o.min_peers = 2;
    e->fn = fn;
    e->user = user;
    if (mrs_map64_init(&e->held_ix) < 0 || mrs_map64_init(&e->alert_ix) < 0 || mrs_map64_init(&e->asn_ix) < 0 ||
        !(e->rules = mrs_trie_new()))
        goto fail;
    for (size_t i = 0; i < c->nprefixes; i++) {
        bool created;
        uint32_t *v = mrs_trie_slot(e->rules, &c->prefixes[i].prefix, &created);
        if (!v)
            goto fail;
        if (created)
            *v = (uint32_t)i;
    }
    for (size_t i = 0; i < c->nasns; i++) {
        bool found;
        uint32_t *v = mrs_map64_put(&e->asn_ix, c->asns[i].asn, &found);
        if (!v)
            goto fail;
        if (!found)
            *v = (uint32_t)i;
        e->neighbours |= c->asns[i].has_upstreams || c->asns[i].has_downstreams;
    }
    mrs_set64_init(&e->standing);
    return e;
fail:
    mon_engine_free(e);
    return NULL;
}

void mon_engine_free(mon_engine *e)
{
    if (!e)
        return;
    mrs_trie_free(e->rules);
    mrs_map64_clear(&e->held_ix);
    mrs_map64_clear(&e->alert_ix);
    mrs_map64_clear(&e->asn_ix);
    mrs_set64_clear(&e->standing);
    free(e->held);
    free(e->alerts);
    free(e);
}

mon_stats mon_engine_stats(const mon_engine *e)
{
    mon_stats s = e->st;
    s.held = e->nheld;
    return s;
}

/* The entry of index i in the table t (held or alerts), found by full key. */
#define FIND(e, ix, arr, n, cap, k, create, out)                                                                       \
    do {                                                                                                               \
        (out) = -1;                                                                                                    \
        for (uint64_t seed = 0;; seed++) {                                                                             \
            uint64_t h = mrs_map64_key_bytes(&(k), sizeof(k), seed);                                                   \
            uint32_t *v = mrs_map64_get(&(e)->ix, h);                                                                  \
            if (v) {                                                                                                   \
                if (!memcmp(&(e)->arr[*v].key, &(k), sizeof(k))) {                                                     \
                    (out) = (int32_t)*v;                                                                               \
                    break;                                                                                             \
                }                                                                                                      \
                continue;                                                                                              \
            }                                                                                                          \
            if (!(create))                                                                                             \
                break;                                                                                                 \
            void *na = mrs_grow((e)->arr, &(e)->cap, (e)->n + 1, sizeof *(e)->arr, 64);                                \
            bool found;                                                                                                \
            uint32_t *slot = na ? mrs_map64_put(&(e)->ix, h, &found) : NULL;                                           \
            if (na)                                                                                                    \
                (e)->arr = na;                                                                                         \
            if (!slot)                                                                                                 \
                break;                                                                                                 \
            *slot = (uint32_t)(e)->n;                                                                                  \
            memset(&(e)->arr[(e)->n], 0, sizeof *(e)->arr);                                                            \
            (e)->arr[(e)->n].key = (k);                                                                                \
            (out) = (int32_t)(e)->n++;                                                                                 \
            break;                                                                                                     \
        }                                                                                                              \
    } while (0)

static void describe(const mon_engine *e, const alert *a, bool resolved, char *out, size_t cap)
{
    char p[MRS_PREFIX_STRLEN], m[MRS_PREFIX_STRLEN] = "";
    mrs_prefix_format(&a->example, p);
    const mon_prefix *r = a->rule >= 0 ? &e->c->prefixes[a->rule] : NULL;
    if (r)
        mrs_prefix_format(&r->prefix, m);
    char d[600] = "";           /* " (description)" when there is one */
    if (r && *r->description)
        snprintf(d, sizeof d, " (%s)", r->description);
    const char *no = resolved ? "no longer " : "";
    switch (a->key.type) {
    case A_HIJACK:
        if (mrs_prefix_cmp(&a->key.prefix, &r->prefix))
            snprintf(out, cap, "The prefix %s%s is %sannounced by AS%u: %s is a more-specific of %s, announced by others",
                     m, d, no, a->key.asn, p, m);
        else
            snprintf(out, cap, "The prefix %s%s is %sannounced by AS%u, not an origin listed for it", p, d, no,
                     a->key.asn);
        break;
    case A_NEWPREFIX:
        snprintf(out, cap, "Possible change of configuration: a new prefix %s is %sannounced by AS%u; it is a more-specific of %s%s",
                 p, no, a->key.asn, m, d);
        break;
    case A_MISCONF:
        snprintf(out, cap, "AS%u is %sannouncing a new prefix not in the configuration: %s", a->key.asn,
                 resolved ? "no longer " : "", p);
        break;
    case A_VISIBILITY:
        snprintf(out, cap, resolved ? "The prefix %s%s is visible again" : "The prefix %s%s has been withdrawn: it is no longer visible from the peers that had it",
                 p, d);
        break;
    case A_RPKI:
        snprintf(out, cap, "The route %s announced by AS%u is %sRPKI invalid", p, a->key.asn,
                 resolved ? "no longer announced; it was " : "");
        break;
    case A_PATH: {
        /* as2: the rule's index + 1 in its entry */
        const mon_path_rule *pr = r && a->key.as2 && a->key.as2 <= r->npaths ? &r->paths[a->key.as2 - 1] : NULL;
        snprintf(out, cap, "%s path rule%s%s%s (line %u) on prefix %s%s, origin AS%u",
                 resolved ? "No route matches the" : "A route matches the", pr && *pr->description ? " \"" : "",
                 pr ? pr->description : "", pr && *pr->description ? "\"" : "", pr ? pr->line : 0, p, d, a->key.asn);
        break;
    }
    case A_ROA_EXPIRING: {
        char t[MRS_TIME_ISO_LEN];
        snprintf(out, cap, resolved ? "The route %s announced by AS%u no longer depends on ROAs expiring soon"
                                    : "The ROAs that make the route %s announced by AS%u valid expire at %s: renew them",
                 p, a->key.asn, mrs_time_iso(a->until, t));
        break;
    }
    case A_ROA_MISSING:
        snprintf(out, cap, "The route %s announced by AS%u is %snot covered by any ROA", p, a->key.asn,
                 resolved ? "no longer announced; it was " : "");
        break;
    case A_BOGON_PREFIX:
        snprintf(out, cap, "AS%u is %sannouncing the bogon prefix %s", a->key.asn, no, p);
        break;
    case A_BOGON_ASN:
        snprintf(out, cap, "The bogon AS%u is %sseen in the path of %s", a->key.asn, no, p);
        break;
    case A_LEAK_ASPA:
        snprintf(out, cap, "Route leak of %s%s: AS%u has it from AS%u, whose ASPA does not list it as a provider, and the "
                 "route goes up again after it: AS%u or an AS after it on the path leaked it (ASPA verification: invalid)",
                 p, resolved ? " (over)" : "", a->key.asn, a->key.as2, a->key.asn);
        break;
    case A_LEAK_ASREL:
        snprintf(out, cap, "Route leak: AS%u %spasses routes it had from AS%u on against the AS relationships (a valley; first seen with %s)",
                 a->key.asn, resolved ? "no longer " : "", a->key.as2, p);
        break;
    case A_UPSTREAM:
    case A_DOWNSTREAM:
        snprintf(out, cap, "AS%u is %sseen as %s neighbour of AS%u, not in its %s list (first seen with %s)", a->key.asn,
                 no, a->key.type == A_UPSTREAM ? "an upstream" : "a downstream", a->key.as2,
                 a->key.type == A_UPSTREAM ? "upstreams" : "downstreams", p);
        break;
    }
}

static void say(mon_engine *e, alert *a, bool resolved, const mrs_route_event *ev, uint32_t now, bool repeated)
{
    char desc[1024];
    describe(e, a, resolved, desc, sizeof desc);
    mon_alert out = {type_names[a->key.type], a->example, a->key.asn, a->key.as2, now, a->count, resolved, desc,
                     a->rule >= 0 ? &e->c->prefixes[a->rule] : NULL, a->group, ev, repeated};
    a->said = now;
    e->fn(&out, e->user);
}

static void emit(mon_engine *e, alert *a, bool resolved, const mrs_route_event *ev, uint32_t now)
{
    if (resolved)
        e->st.resolved++;
    else
        e->st.raised++;
    say(e, a, resolved, ev, now, false);
}

static void recheck_rpki(mon_engine *e, uint32_t now);

void mon_engine_tick(mon_engine *e, uint32_t now)
{
    if (e->o.roa_expiry_s && e->o.rpki && e->next_expiry &&
        (int64_t)now + (int64_t)e->o.roa_expiry_s >= e->next_expiry && now >= e->next_rpki_check) {
        /* a VRP's end comes within the window as time passes, without any update:
         * look again (at most once a minute); the recheck finds the next end */
        e->next_rpki_check = now + 60;
        e->next_expiry = 0;
        recheck_rpki(e, now);
    }
    if (!e->o.repeat_s || now < e->next_repeat_check)
        return;
    /* a scan of the alerts at most four times per repeat interval */
    unsigned step = e->o.repeat_s / 4 ? e->o.repeat_s / 4 : 1;
    e->next_repeat_check = now + step;
    for (size_t i = 0; i < e->nalerts; i++) {
        alert *a = &e->alerts[i];
        if (a->active && now - a->said >= e->o.repeat_s && now >= a->said) {
            e->st.repeated++;
            say(e, a, false, NULL, now, true);
        }
    }
}

/* A route starts (+1) or stops (-1) holding alert i, as ev (or, without one, an
 * update of the knowledge at time now) says. */
static void alert_add_at(mon_engine *e, int32_t i, int delta, const mrs_route_event *ev, uint32_t now)
{
    if (i < 0)
        return;
    alert *a = &e->alerts[i];
    a->count = delta > 0 ? a->count + 1 : (a->count ? a->count - 1 : 0);
    if (!a->active && a->count >= e->o.min_peers) {
        a->active = true;
        emit(e, a, false, ev, now);
    } else if (a->active && a->count == 0) {
        a->active = false;
        emit(e, a, true, ev, now);
    }
}

static void alert_add(mon_engine *e, int32_t i, int delta, const mrs_route_event *ev)
{
    alert_add_at(e, i, delta, ev, ev->time);
}

static int32_t alert_of2(mon_engine *e, unsigned type, const mrs_prefix *key_prefix, const mrs_prefix *example,
                         uint32_t asn, uint32_t as2, int32_t rule, const char *group)
{
    alert_key k;
    memset(&k, 0, sizeof k);
    k.type = type;
    k.asn = asn;
    k.as2 = as2;
    if (key_prefix)
        k.prefix = *key_prefix;
    int32_t i;
    FIND(e, alert_ix, alerts, nalerts, alerts_cap, k, true, i);
    if (i >= 0 && !e->alerts[i].group) {
        e->alerts[i].rule = rule;
        e->alerts[i].group = group;
        e->alerts[i].example = *example;
    }
    return i;
}

static int32_t alert_of(mon_engine *e, unsigned type, const mrs_prefix *p, uint32_t asn, int32_t rule,
                        const char *group)
{
    return alert_of2(e, type, p, p, asn, 0, rule, group);
}

static bool listed(const mon_prefix *r, uint32_t asn)
{
    for (size_t i = 0; i < r->nasns; i++)
        if (r->asns[i] == asn)
            return true;
    return false;
}

/* The most specific entry covering p, -1 when none (or it is ignored). */
static int32_t rule_of(const mon_engine *e, const mrs_prefix *p)
{
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned n = mrs_trie_covering(e->rules, p, m);
    if (!n)
        return -1;
    int32_t r = (int32_t)m[n - 1].value;
    return e->c->prefixes[r].ignore ? -1 : r;
}

/* The RPKI state of one's own route as an alert (or -1): invalid, covered by no
 * ROA, or valid only until soon (the VRPs' ends known, within roa_expiry_s of now). */
static int32_t rpki_cond(mon_engine *e, const mrs_prefix *p, uint32_t origin, int32_t r, const char *group,
                         uint32_t now)
{
    if (!e->o.rpki)
        return -1;
    int64_t until = 0;
    mrs_rov_state st = e->o.roa_expiry_s ? mrs_rov_validate_until(e->o.rpki, p, origin, &until)
                                         : mrs_rov_validate(e->o.rpki, p, origin, false);
    if (st == MRS_ROV_INVALID)
        return alert_of(e, A_RPKI, p, origin, r, group);
    if (st == MRS_ROV_NOT_FOUND)
        return alert_of(e, A_ROA_MISSING, p, origin, r, group);
    if (!until)
        return -1;
    /* the earliest end of one's own routes' VRPs: the moment to look again */
    if (!e->next_expiry || until < e->next_expiry)
        e->next_expiry = until;
    if (until - (int64_t)now < (int64_t)e->o.roa_expiry_s) {
        int32_t i = alert_of(e, A_ROA_EXPIRING, p, origin, r, group);
        if (i >= 0)
            e->alerts[i].until = until;
        return i;
    }
    return -1;
}

/* What an announced route raises, one alert per slot (or -1), and whether it is
 * the monitored prefix from a listed origin (*rule_exact, for visibility). */
static void classify(mon_engine *e, const mrs_route_event *ev, const mrs_prefix *p, int32_t cond[S_N],
                     int32_t *rule_exact, bool *ownroute, uint32_t *origin_out)
{
    for (int i = 0; i < S_N; i++)
        cond[i] = -1;
    *rule_exact = -1;
    uint32_t origin = 0;
    bool has_origin = mrs_as_path_origin(ev->path, &origin);
    int32_t r = rule_of(e, p);
    uint32_t *mas = has_origin ? mrs_map64_get(&e->asn_ix, origin) : NULL;
    bool own = false;
    const char *group = NULL;
    if (r >= 0) {
        const mon_prefix *rp = &e->c->prefixes[r];
        bool exact = !mrs_prefix_cmp(p, &rp->prefix);
        group = rp->group;
        if ((exact || !rp->ignore_more_specifics) && has_origin) {
            own = listed(rp, origin);
            if (exact && own)
                *rule_exact = r;
            if (!own)
                cond[S_ORIGIN] = alert_of(e, A_HIJACK, p, origin, r, group);
            else if (!exact)
                cond[S_ORIGIN] = alert_of(e, A_NEWPREFIX, p, origin, r, group);
        }
    } else if (mas) {
        own = true;
        group = e->c->asns[*mas].group;
        cond[S_ORIGIN] = alert_of(e, A_MISCONF, p, origin, -1, group);
    }
    uint32_t seq[MAX_PATH];
    size_t n = 0;
    bool has_set = false;
    if (own || e->neighbours) {
        n = mrs_as_path_sequence(ev->path, seq, MAX_PATH, &has_set);
        if (n > MAX_PATH)
            n = MAX_PATH;
    }
    if (own) {
        /* the operator's own routes: their RPKI state, bogons, leaks */
        cond[S_RPKI] = rpki_cond(e, p, origin, r, group, ev->time);
        mrs_bogon_result br;
        if (e->o.bogons && mrs_bogon_check_prefix(e->o.bogons, p, &br) == MRS_BOGON_COVERED)
            cond[S_BOGON] = alert_of(e, A_BOGON_PREFIX, p, origin, r, group);
        else
            for (size_t i = 0; i < n; i++)
                if (mrs_bogon_asn(seq[i], NULL)) {
                    cond[S_BOGON] = alert_of(e, A_BOGON_ASN, p, seq[i], r, group);
                    break;
                }
        if (n >= 2 && e->o.rpki && mrs_rpki_aspa_count(e->o.rpki)) {
            mrs_aspa_result ar;
            /* downstream verification (RFC draft §5.6) accepts any up-then-down path:
             * Invalid is a valley whatever the collector peer's relationship */
            if (mrs_aspa_verify(e->o.rpki, seq, n, has_set, MRS_ASPA_DOWNSTREAM, &ar) == MRS_ASPA_INVALID &&
                ar.bad_customer)
                /* the route went down (or across) at bad_customer -> bad_provider and up
                 * again later: the leaker is bad_provider or an AS after it, never the
                 * customer that sent it there */
                cond[S_LEAK] = alert_of2(e, A_LEAK_ASPA, p, p, ar.bad_provider, ar.bad_customer, r, group);
        }
        if (cond[S_LEAK] < 0 && n >= 3 && e->o.asrel) {
            mrs_vf_result vf;
            if (mrs_asrel_valley_free(e->o.asrel, seq, n, &vf) == MRS_VF_VIOLATION && !vf.unknown_links) {
                uint32_t from = vf.sender + 1 < n ? seq[vf.sender + 1] : 0, to = seq[vf.receiver];
                uint64_t key = mrs_map64_key_bytes((uint32_t[3]){vf.leaker, from, to}, 12, 0);
                if (ev->kind == MRS_RE_RIB)
                    mrs_set64_add(&e->standing, key);   /* in the snapshot: standing practice */
                else if (!mrs_set64_has(&e->standing, key))
                    cond[S_LEAK] = alert_of2(e, A_LEAK_ASREL, NULL, p, vf.leaker, from, r, group);
            }
        }
    }
    *ownroute = own;
    *origin_out = origin;
    if (r >= 0 && e->c->prefixes[r].npaths && has_origin &&
        (!mrs_prefix_cmp(p, &e->c->prefixes[r].prefix) || !e->c->prefixes[r].ignore_more_specifics)) {
        /* BGPalerter path rules: the AS_SEQUENCE as "A,B,C", neighbour first */
        if (!n)
            n = mrs_as_path_sequence(ev->path, seq, MAX_PATH, &has_set);
        if (n > MAX_PATH)
            n = MAX_PATH;
        char text[MAX_PATH * 11 + 1];
        size_t tl = 0;
        for (size_t i = 0; i < n; i++)
            tl += (size_t)snprintf(text + tl, sizeof text - tl, i ? ",%u" : "%u", seq[i]);
        text[tl] = 0;
        const mon_prefix *rp = &e->c->prefixes[r];
        for (size_t k = 0; k < rp->npaths; k++) {
            const mon_path_rule *pr = &rp->paths[k];
            if ((pr->min_len && n < pr->min_len) || (pr->max_len && n > pr->max_len))
                continue;
            if (pr->has_match && regexec(&pr->match, text, 0, NULL, 0) != 0)
                continue;
            if (pr->has_not_match && regexec(&pr->not_match, text, 0, NULL, 0) == 0)
                continue;
            cond[S_PATH] = alert_of2(e, A_PATH, p, p, origin, (uint32_t)k + 1, r, rp->group);
            break;
        }
    }
    if (e->neighbours) {
        for (size_t i = 0; i < n; i++) {
            uint32_t *mi = mrs_map64_get(&e->asn_ix, seq[i]);
            if (!mi)
                continue;
            const mon_asn *m = &e->c->asns[*mi];
            if (!m->has_upstreams && !m->has_downstreams)
                continue;
            size_t l = i, rr = i;
            while (l > 0 && seq[l - 1] == seq[i])
                l--;
            while (rr + 1 < n && seq[rr + 1] == seq[i])
                rr++;
            if (m->has_upstreams && l > 0) {
                bool ok = false;
                for (size_t k = 0; k < m->nupstreams && !ok; k++)
                    ok = m->upstreams[k] == seq[l - 1];
                if (!ok)
                    cond[S_UP] = alert_of2(e, A_UPSTREAM, NULL, p, seq[l - 1], m->asn, -1, m->group);
            }
            if (m->has_downstreams && rr + 1 < n) {
                bool ok = false;
                for (size_t k = 0; k < m->ndownstreams && !ok; k++)
                    ok = m->downstreams[k] == seq[rr + 1];
                if (!ok)
                    cond[S_DOWN] = alert_of2(e, A_DOWNSTREAM, NULL, p, seq[rr + 1], m->asn, -1, m->group);
            }
            break;  /* the first monitored AS of the path */
        }
    }
}

static int32_t visibility_of(mon_engine *e, int32_t rule)
{
    const mon_prefix *rp = &e->c->prefixes[rule];
    return alert_of(e, A_VISIBILITY, &rp->prefix, rp->asns[0], rule, rp->group);
}

/* Visibility: whether the peer of h now has the prefix from a listed origin. */
static void set_own(mon_engine *e, held *h, bool own, const mrs_route_event *ev)
{
    if (own == h->own)
        return;
    h->own = own;
    if (!own && !h->lost) {
        h->lost = true;
        alert_add(e, visibility_of(e, h->rule), +1, ev);
    } else if (own && h->lost) {
        h->lost = false;
        alert_add(e, visibility_of(e, h->rule), -1, ev);
    }
}

/* The route of h is gone (withdrawn, or the session lost). */
static void route_gone(mon_engine *e, held *h, const mrs_route_event *ev)
{
    if (!h->present)
        return;
    h->present = false;
    for (int i = 0; i < S_N; i++) {
        alert_add(e, h->cond[i], -1, ev);
        h->cond[i] = -1;
    }
    set_own(e, h, false, ev);
}

void mon_engine_event(const mrs_route_event *ev, void *engine)
{
    mon_engine *e = engine;
    e->st.events++;
    if (e->o.repeat_s || e->o.roa_expiry_s)
        mon_engine_tick(e, ev->time);
    if (ev->kind == MRS_RE_PEER_STATE) {
        if (ev->new_state == 6 || !ev->peer_known)
            return;
        for (size_t i = 0; i < e->nheld; i++) {
            held *h = &e->held[i];
            if (h->key.afi == ev->peer.afi && !memcmp(h->key.ip, ev->peer.ip, 16))
                route_gone(e, h, ev);
        }
        return;
    }
    if (ev->safi != 1)
        return;     /* unicast routes only */
    held_key k;
    memset(&k, 0, sizeof k);
    k.afi = ev->peer.afi;
    memcpy(k.ip, ev->peer.ip, 16);
    k.path_id = ev->path_id;
    k.prefix = ev->prefix;
    k.prefix.pad[0] = k.prefix.pad[1] = 0;    /* keys are compared as bytes */
    mrs_prefix_mask(&k.prefix);
    if (ev->kind == MRS_RE_WITHDRAW) {
        int32_t i;
        FIND(e, held_ix, held, nheld, held_cap, k, false, i);
        if (i >= 0) {
            e->st.relevant++;
            route_gone(e, &e->held[i], ev);
        }
        return;
    }
    int32_t cond[S_N], rule;
    bool ownroute;
    uint32_t origin;
    classify(e, ev, &k.prefix, cond, &rule, &ownroute, &origin);
    bool any = rule >= 0;
    for (int c = 0; c < S_N; c++)
        any |= cond[c] >= 0;
    int32_t i;
    FIND(e, held_ix, held, nheld, held_cap, k, any, i);
    if (i < 0)
        return;
    e->st.relevant++;
    held *h = &e->held[i];
    if (!h->init) {
        h->init = true;
        h->rule = -1;
        for (int c = 0; c < S_N; c++)
            h->cond[c] = -1;
    }
    h->present = true;
    h->ownroute = ownroute;
    h->origin = origin;
    if (rule >= 0)
        h->rule = rule;         /* an exact monitored prefix: the entry stays the same */
    if (h->rule >= 0)
        set_own(e, h, rule >= 0, ev);
    for (int c = 0; c < S_N; c++) {
        if (h->cond[c] == cond[c])
            continue;
        int32_t old = h->cond[c];
        h->cond[c] = cond[c];
        alert_add(e, cond[c], +1, ev);
        alert_add(e, old, -1, ev);
    }
}

/* The RPKI state of one's own routes held, again (new VRPs, or time passing). */
static void recheck_rpki(mon_engine *e, uint32_t now)
{
    for (size_t i = 0; i < e->nheld; i++) {
        held *h = &e->held[i];
        if (!h->present || !h->ownroute)
            continue;
        int32_t r = rule_of(e, &h->key.prefix);
        uint32_t *mas = mrs_map64_get(&e->asn_ix, h->origin);
        const char *group = r >= 0 ? e->c->prefixes[r].group : mas ? e->c->asns[*mas].group : NULL;
        int32_t c = rpki_cond(e, &h->key.prefix, h->origin, r, group, now);
        if (c == h->cond[S_RPKI])
            continue;
        int32_t old = h->cond[S_RPKI];
        h->cond[S_RPKI] = c;
        alert_add_at(e, c, +1, NULL, now);
        alert_add_at(e, old, -1, NULL, now);
    }
}

void mon_engine_set_rpki(mon_engine *e, const mrs_rpki *rpki, uint32_t now)
{
    e->o.rpki = rpki;
    e->next_expiry = 0;     /* the new VRPs' ends: found by the recheck */
    /* one's own routes held now, under the new VRPs: a ROA withdrawn (or expired
     * at the relying party) shows at once, not at the route's next update */
    recheck_rpki(e, now);
}

void mon_engine_active(const mon_engine *e, mon_alert_fn fn, void *user)
{
    for (size_t i = 0; i < e->nalerts; i++) {
        const alert *a = &e->alerts[i];
        if (!a->active)
            continue;
        char desc[1024];
        describe(e, a, false, desc, sizeof desc);
        mon_alert out = {type_names[a->key.type], a->example, a->key.asn, a->key.as2, a->said, a->count, false, desc,
                         a->rule >= 0 ? &e->c->prefixes[a->rule] : NULL, a->group, NULL, false};
        fn(&out, user);
    }
}

void mon_alert_json(mrs_outbuf *o, const mon_alert *a)
{
    char p[MRS_PREFIX_STRLEN], t[MRS_TIME_ISO_LEN];
    mrs_prefix_format(&a->prefix, p);
    mrs_outbuf_puts(o, "{\"type\":\"");
    mrs_outbuf_puts(o, a->type);
    mrs_outbuf_puts(o, "\",\"prefix\":\"");
    mrs_outbuf_puts(o, p);
    mrs_outbuf_puts(o, "\",\"asn\":");
    mrs_outbuf_u32(o, a->asn);
    if (a->as2 && (!strcmp(a->type, "neighbor") || !strcmp(a->type, "leak"))) {
        mrs_outbuf_puts(o, !strcmp(a->type, "neighbor") ? ",\"monitored_asn\":" : ",\"from_asn\":");
        mrs_outbuf_u32(o, a->as2);
    }
    mrs_outbuf_puts(o, ",\"time\":\"");
    mrs_outbuf_puts(o, mrs_time_iso(a->time, t));
    mrs_outbuf_puts(o, "\",\"description\":");
    mrs_json_cstr(o, a->description);
    mrs_outbuf_puts(o, a->resolved ? ",\"resolved\":true" : ",\"resolved\":false");
    if (a->repeated)
        mrs_outbuf_puts(o, ",\"repeat\":true");
    mrs_outbuf_puts(o, ",\"peers\":");
    mrs_outbuf_u32(o, a->peers);
    mrs_outbuf_puts(o, ",\"group\":");
    mrs_json_cstr(o, a->group ? a->group : "default");
    if (a->rule) {
        mrs_prefix_format(&a->rule->prefix, p);
        mrs_outbuf_puts(o, ",\"monitored\":\"");
        mrs_outbuf_puts(o, p);
        mrs_outbuf_puts(o, "\",\"expected\":[");
        for (size_t i = 0; i < a->rule->nasns; i++) {
            if (i)
                mrs_outbuf_putc(o, ',');
            mrs_outbuf_u32(o, a->rule->asns[i]);
        }
        mrs_outbuf_putc(o, ']');
    }
    const mrs_route_event *ev = a->ev;
    if (ev) {
        char ip[MRS_PREFIX_STRLEN];
        mrs_prefix peer;
        memset(&peer, 0, sizeof peer);
        peer.afi = (uint8_t)ev->peer.afi;
        memcpy(peer.addr, ev->peer.ip, 16);
        peer.len = (uint8_t)mrs_afi_bits(ev->peer.afi);
        mrs_prefix_format(&peer, ip);
        char *slash = strchr(ip, '/');
        if (slash)
            *slash = 0;
        mrs_outbuf_puts(o, ",\"evidence\":{\"source\":");
        mrs_json_cstr(o, ev->source ? ev->source : "");
        mrs_outbuf_puts(o, ",\"offset\":");
        char num[24];
        snprintf(num, sizeof num, "%llu", (unsigned long long)ev->offset);
        mrs_outbuf_puts(o, num);
        mrs_outbuf_puts(o, ",\"peer\":\"");
        mrs_outbuf_puts(o, ip);
        mrs_outbuf_puts(o, "\",\"peer_asn\":");
        mrs_outbuf_u32(o, ev->peer.asn);
        if (ev->kind == MRS_RE_ANNOUNCE || ev->kind == MRS_RE_RIB) {
            char *path = mrs_as_path_text(ev->path);
            mrs_outbuf_puts(o, ",\"path\":");
            mrs_json_cstr(o, path ? path : "");
            free(path);
        }
        mrs_outbuf_putc(o, '}');
    }
    mrs_outbuf_puts(o, "}\n");
}

/*
 * check.c — `manrs check ASN`: the MANRS self-assessment (check.h), built from the
 * observatory's routing view, incidents and knowledge bases. Only decides and
 * collects; printing is check_print.c. Assumes the bundle is fully loaded.
 */
#define _GNU_SOURCE   /* open_memstream */
#include "manrs/apps/check.h"
#include "manrs/core/date.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *mrs_check_verdict_name(mrs_check_verdict v)
{
    return v == MRS_CHECK_PASS ? "PASS" : v == MRS_CHECK_FAIL ? "FAIL" : "NO-DATA";
}

__attribute__((format(printf, 2, 3))) static int add(mrs_check_strs *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = NULL;
    int n = vasprintf(&p, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    /* IRR text is hostile input: no control bytes (terminal escapes) and only ASCII
     * (the JSON printer needs valid UTF-8); '\n' stays for the RPSL objects */
    for (char *q = p; *q; q++)
        if ((unsigned char)*q >= 0x7f || ((unsigned char)*q < 0x20 && *q != '\n'))
            *q = '?';
    char **t = mrs_grow(s->v, &s->cap, s->n + 1, sizeof *t, 8);
    if (!t) {
        free(p);
        return -1;
    }
    s->v = t;
    s->v[s->n++] = p;
    return 0;
}

static void strs_free(mrs_check_strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static bool is_customer(const mrs_asrel *ar, uint32_t asn, uint32_t c)
{
    return ar && mrs_asrel_rel(ar, asn, c) == MRS_REL_P2C;
}

bool mrs_check_known(const mrs_obs_bundle *b, uint32_t asn)
{
    const uint32_t *x;
    if (b->kb.asrel && (mrs_asrel_providers(b->kb.asrel, asn, &x) || mrs_asrel_customers(b->kb.asrel, asn, &x) ||
                     mrs_asrel_peers(b->kb.asrel, asn, &x)))
        return true;
    if (b->kb.irr && irr_db_aut_num(b->kb.irr, asn, NULL))
        return true;
    if (mrs_peeringdb_find(&b->pdb, asn))
        return true;
    for (size_t i = 0; i < b->spoofer.n; i++)
        if (b->spoofer.v[i].asn == asn)
            return true;
    uint32_t buf[256];
    for (size_t p = 0; b->view && p < mrs_view_path_count(b->view); p++) {
        bool set;
        size_t n = mrs_view_path_asns(b->view, (uint32_t)p, buf, 256, &set);
        for (size_t i = 0; i < n && i < 256; i++)
            if (buf[i] == asn)
                return true;
    }
    return false;
}

/* ---- Action 1 */

static int action1(const mrs_obs_bundle *b, uint32_t asn, mrs_check_result *r)
{
    mrs_check_action *a = &r->act[1];
    a->title = "Filtering (prevent propagation of incorrect routing information)";
    const mrs_incident_list *l = &b->incidents;
    r->inc = calloc(l->n ? l->n : 1, sizeof *r->inc);
    if (!r->inc)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        const mrs_incident *x = &l->v[i];
        bool culprit = x->culprit == asn, acc = false;
        if (!culprit && is_customer(b->kb.asrel, asn, x->culprit))
            for (size_t k = 0; k < x->n_accomplices; k++)
                acc |= x->accomplices[k] == asn;
        if (!culprit && !acc)
            continue;
        char pfx[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&x->prefix, pfx);
        if (x->confidence != MRS_CONF_HIGH) {
            /* listed for the operator to look at, never held against the network */
            char why[256];
            mrs_reasons_format(x->reasons, why, sizeof why);
            if (add(&a->evidence, "observation %" PRIu64 " (low confidence, not counted: %s): %s %s, AS%" PRIu32,
                    x->id, why, mrs_incident_class_name(x->cls), pfx, x->culprit) != 0)
                return -1;
            continue;
        }
        mrs_check_incident *c = &r->inc[r->n_inc++];
        c->id = x->id;
        c->cls = x->cls;
        c->prefix = x->prefix;
        c->culprit = x->culprit;
        c->as_culprit = culprit;
        c->start = x->start;
        c->end = x->end;
        const char *path = x->n_evidence && x->evidence[0].as_path ? x->evidence[0].as_path : "";
        for (size_t e = 0; !culprit && e < x->n_evidence; e++)   /* prefer a path through this AS */
            if (x->evidence[e].as_path && mrs_as_path_has(mrs_evidence_path(&x->evidence[e]), asn)) {
                path = x->evidence[e].as_path;
                break;
            }
        char t0[MRS_TIME_ISO_LEN], t1[MRS_TIME_ISO_LEN];
        if (add(&a->evidence, "incident %" PRIu64 ": %s %s, %s AS%" PRIu32 ", %s to %s, seen by %u peers, path %s",
                x->id, mrs_incident_class_name(x->cls), pfx,
                culprit ? "caused by this AS" : "propagated from customer", x->culprit, mrs_time_iso(x->start, t0),
                mrs_time_iso(x->end, t1), x->peers, path) != 0)
            return -1;
    }
    if (!b->view || mrs_view_route_count(b->view) == 0) {
        a->verdict = MRS_CHECK_NO_DATA;
        return add(&a->remediation, "give MRT data (--rib/--updates or --world) to assess Action 1");
    }
    if (!b->kb.asrel && add(&a->evidence, "no as-rel data: incidents of customers not attributed") != 0)
        return -1;
    if (r->n_inc == 0) {
        a->verdict = MRS_CHECK_PASS;
        return add(&a->evidence, "no incident caused or propagated from a customer in the window");
    }
    a->verdict = MRS_CHECK_FAIL;
    bool own = false, cust = false;
    for (size_t i = 0; i < r->n_inc; i++)
        r->inc[i].as_culprit ? (own = true) : (cust = true);
    if (own && add(&a->remediation, "stop the announcements above that this AS originated or leaked: announce "
                                    "only your own and your customers' prefixes to peers and providers "
                                    "(RFC 7908; mark with RFC 9234 OTC / BGP roles)") != 0)
        return -1;
    if (cust && add(&a->remediation, "filter customer sessions: `manrs filter --irr IRR -l CUST-IN AS-SET` "
                                     "prefix lists per customer plus RPKI ROV (drop Invalid, RFC 6811)") != 0)
        return -1;
    return 0;
}

/* ---- Action 2 */
struct acl_buf {
    const mrs_prefix *p;
};

static int action2(const mrs_obs_bundle *b, uint32_t asn, const mrs_prefix *own, size_t n_own,
                   const mrs_check_opts *o, mrs_check_result *r)
{
    mrs_check_action *a = &r->act[2];
    a->title = "Anti-spoofing (source address validation, BCP 38/84)";
    for (size_t i = 0; i < b->spoofer.n; i++) {
        const mrs_spoof_test *t = &b->spoofer.v[i];
        if (t->asn != asn)
            continue;
        r->spoof_tests++;
        r->spoof_leaked += t->leaked;
        char pfx[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&t->client, pfx);
        char when[MRS_TIME_ISO_LEN];
        if (add(&a->evidence, "spoofer test at %s from %s: spoofed packets %s", mrs_time_iso(t->time, when), pfx,
                t->leaked ? "RECEIVED (spoofable)" : "blocked") != 0)
            return -1;
    }
    a->verdict = r->spoof_tests == 0 ? MRS_CHECK_NO_DATA : r->spoof_leaked ? MRS_CHECK_FAIL : MRS_CHECK_PASS;
    if (r->spoof_tests == 0 &&
        add(&a->evidence, "no Spoofer test result for AS%" PRIu32 " (run the CAIDA Spoofer client)", asn) != 0)
        return -1;
    /* the egress ACL for the AS's own space: always useful, required when it fails */
    mrs_seen *rib = mrs_seen_new();
    if (!rib)
        return -1;
    for (size_t i = 0; i < n_own; i++)
        if (mrs_seen_add(rib, &own[i], asn, "routing view") != 0) {
            mrs_seen_free(rib);
            return -1;
        }
    char subject[32], err[256];
    snprintf(subject, sizeof subject, "AS%" PRIu32, asn);
    mrs_antispoof_input in;
    memset(&in, 0, sizeof in);
    in.mode = MRS_AS_EDGE_EGRESS;
    in.subject = subject;
    in.asrel = b->kb.asrel;
    in.irr = b->kb.irr;
    in.rpki = b->kb.rpki;
    in.bogons = b->kb.bogons;
    in.rib = rib;
    mrs_antispoof as;
    memset(&as, 0, sizeof as);
    int rc = 0;
    if (mrs_antispoof_build(&in, &as, err, sizeof err) == 0) {
        size_t len = 0;
        FILE *f = open_memstream(&r->acl, &len);
        if (!f)
            rc = -1;
        else {
            mrs_acl_opts ao = {NULL, NULL, 3};
            if (mrs_acl_print(&as, o->acl_format, &ao, f) != 0)
                rc = -1;
            if (fclose(f) != 0)
                rc = -1;
        }
        if (rc == 0)
            rc = add(&a->remediation, "deploy the egress filter below on the upstream interfaces (%zu permit "
                                      "entries for this AS's own space; uRPF: %s)",
                     as.n_permit, mrs_urpf_mode_name(as.urpf.mode));
        mrs_antispoof_clear(&as);
    } else {
        rc = add(&a->remediation, "no egress ACL: %s", err);
    }
    const uint32_t *cu;
    size_t nc = b->kb.asrel ? mrs_asrel_customers(b->kb.asrel, asn, &cu) : 0;
    if (rc == 0 && nc)
        rc = add(&a->remediation, "on each of the %zu customer interfaces (first AS%" PRIu32 "): "
                                  "`manrs antispoof --customer ASN --local-as %" PRIu32 " --asrel ... --irr ...`",
                 nc, cu[0], asn);
    if (rc == 0)
        rc = add(&a->remediation, "test such a filter for real before deploying it: `manrs spooftest` loads the "
                                  "generated ACL in a lab of network namespaces, sends forged probes through it and "
                                  "writes Spoofer rows for --spoofer (`--spoofer-csv FILE --asn %" PRIu32 "`)",
                 asn);
    mrs_seen_free(rib);
    return rc;
}

/* ---- Action 3 */
typedef struct contact_ctx {
    const irr_db *db;
    mrs_check_strs *ev;
    uint32_t ref;            /* reference date (days), 0 = no staleness check */
    unsigned stale_days;
    bool ok;                 /* a usable contact was found */
    size_t stale;            /* contacts with e-mail that are stale */
    mrs_check_strs stale_keys;
} contact_ctx;

/* " (last changed YYYY-MM-DD)" or " (no change date)" */
static void age_text(uint32_t modified, char *out, size_t cap)
{
    if (!modified) {
        snprintf(out, cap, ", no change date");
        return;
    }
    char d[11];
    irr_days_format(modified, d);
    snprintf(out, cap, ", last changed %s", d);
}

static int contact(contact_ctx *cx, const char *what, const char *list)
{
    if (!list || !*list)
        return add(cx->ev, "aut-num has no %s:", what);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        if (e == p)
            break;
        char key[128];
        size_t n = (size_t)(e - p) < sizeof key - 1 ? (size_t)(e - p) : sizeof key - 1;
        memcpy(key, p, n);
        key[n] = 0;
        p = e;
        const irr_contact *c = irr_db_contact(cx->db, IRR_CLASS_ROLE, key, NULL);
        if (!c || !c->e_mail || !*c->e_mail) {
            const irr_contact *q = irr_db_contact(cx->db, IRR_CLASS_PERSON, key, NULL);
            if (q)
                c = q;
        }
        int rc;
        char age[48];
        if (!c) {
            rc = add(cx->ev, "%s %s: no role or person object with that nic-hdl", what, key);
        } else if (!c->e_mail || !*c->e_mail) {
            rc = add(cx->ev, "%s %s: %s object without e-mail:", what, key, irr_class_name(c->cls));
        } else if (cx->ref && c->modified && cx->ref > c->modified && cx->ref - c->modified > cx->stale_days) {
            age_text(c->modified, age, sizeof age);
            rc = add(cx->ev, "%s %s: %s \"%s\" <%s> (%s%s): stale, %u days before the reference date", what, key,
                     irr_class_name(c->cls), c->name ? c->name : "", c->e_mail, c->source ? c->source : "", age,
                     (unsigned)(cx->ref - c->modified));
            /* Once per object (admin-c and tech-c often name the same role). */
            bool seen = false;
            for (size_t i = 0; i < cx->stale_keys.n && !seen; i++)
                seen = strcmp(cx->stale_keys.v[i], c->key) == 0;
            if (rc == 0 && !seen) {
                cx->stale++;
                rc = add(&cx->stale_keys, "%s", c->key);
            }
        } else {
            age_text(c->modified, age, sizeof age);
            cx->ok = true;
            rc = add(cx->ev, "%s %s: %s \"%s\" <%s> (%s%s)", what, key, irr_class_name(c->cls),
                     c->name ? c->name : "", c->e_mail, c->source ? c->source : "", age);
        }
        if (rc)
            return -1;
    }
    return 0;
}

static int action3(const mrs_obs_bundle *b, uint32_t asn, const mrs_check_opts *o, mrs_check_result *r,
                   const char **mnt, const char **src)
{
    mrs_check_action *a = &r->act[3];
    a->title = "Coordination (up-to-date contact information)";
    bool irr_ok = false, pdb_ok = false, pdb_stale = false;
    int rc = -1;
    contact_ctx cx = {.db = b->kb.irr, .ev = &a->evidence, .stale_days = o->stale_days};
    if (o->stale_days) {
        /* The data's own "now": the newest change date in the IRR and PeeringDB data. */
        uint32_t irr_new = b->kb.irr ? irr_db_newest_modified(b->kb.irr) : 0;
        cx.ref = o->now_days ? o->now_days : (irr_new > b->pdb.newest ? irr_new : b->pdb.newest);
    }
    const irr_aut_num *an = b->kb.irr ? irr_db_aut_num(b->kb.irr, asn, NULL) : NULL;
    if (!b->kb.irr) {
        if (add(&a->evidence, "no IRR data given") != 0)
            goto out;
    } else if (!an) {
        if (add(&a->evidence, "no aut-num AS%" PRIu32 " in the IRR data", asn) != 0)
            goto out;
    } else {
        *mnt = an->mnt_by;
        *src = an->source;
        char age[48], refd[11] = "";
        age_text(an->modified, age, sizeof age);
        if (cx.ref)
            irr_days_format(cx.ref, refd);
        if (add(&a->evidence, "aut-num AS%" PRIu32 " (%s) in %s, %s:%" PRIu64 "%s", asn,
                an->as_name ? an->as_name : "", an->source ? an->source : "", an->file ? an->file : "", an->line,
                age) != 0 ||
            (cx.ref && add(&a->evidence, "contacts count when changed within %u days of %s (%s)", o->stale_days,
                           refd, o->now_days ? "--now" : "the newest change date in the IRR/PeeringDB data") != 0) ||
            contact(&cx, "admin-c", an->admin_c) != 0 || contact(&cx, "tech-c", an->tech_c) != 0)
            goto out;
        irr_ok = cx.ok;
        r->contacts_stale = cx.stale;
        if (an->abuse_c && *an->abuse_c &&
            add(&a->evidence, "abuse-c %s (abuse-c alone does not count as a contact)", an->abuse_c) != 0)
            goto out;
    }
    if (b->pdb.n) {
        const mrs_pdb_net *pn = mrs_peeringdb_find(&b->pdb, asn);
        char age[48] = "";
        if (pn && pn->poc_email) {
            age_text(pn->poc_updated, age, sizeof age);
            pdb_stale = cx.ref && pn->poc_updated && cx.ref > pn->poc_updated &&
                        cx.ref - pn->poc_updated > o->stale_days;
        }
        pdb_ok = pn && pn->poc_email && !pdb_stale;
        if (pdb_stale)
            r->contacts_stale++;
        if (add(&a->evidence, "PeeringDB: %s%s%s",
                !pn ? "no network record" : pn->poc_email ? "poc with e-mail" : "record without a poc e-mail", age,
                pdb_stale ? ": stale" : "") != 0)
            goto out;
    } else if (add(&a->evidence, "no PeeringDB data given") != 0) {
        goto out;
    }
    r->contact_ok = irr_ok || pdb_ok;
    if (!b->kb.irr && !b->pdb.n) {
        a->verdict = MRS_CHECK_NO_DATA;
        rc = add(&a->remediation, "give IRR (--irr) or PeeringDB (--peeringdb) data to assess Action 3");
        goto out;
    }
    a->verdict = r->contact_ok ? MRS_CHECK_PASS : MRS_CHECK_FAIL;
    if (r->contact_ok) {
        rc = 0;
        goto out;
    }
    for (size_t i = 0; i < cx.stale_keys.n; i++)
        if (add(&a->remediation,
                "review role/person %s and update it (any update refreshes last-modified:), or point "
                "admin-c:/tech-c: at a maintained contact",
                cx.stale_keys.v[i]) != 0)
            goto out;
    if (pdb_stale &&
        add(&a->remediation, "review and update the points of contact of AS%" PRIu32 " in PeeringDB", asn) != 0)
        goto out;
    if (!an && add(&a->remediation, "create aut-num AS%" PRIu32 " with admin-c: and tech-c: in your RIR's database",
                   asn) != 0)
        goto out;
    if (an && add(&a->remediation, "point admin-c:/tech-c: of aut-num AS%" PRIu32
                                   " at a role or person object that has an e-mail: attribute", asn) != 0)
        goto out;
    rc = add(&a->remediation, "or add a point of contact with an e-mail to the PeeringDB record of AS%" PRIu32,
             asn);
out:
    strs_free(&cx.stale_keys);
    return rc;
}

/* ---- Action 4 */
static bool excluded(const mrs_obs_bundle *b, uint32_t asn, const mrs_prefix *p)
{
    for (size_t i = 0; i < b->incidents.n; i++) {
        const mrs_incident *x = &b->incidents.v[i];
        if ((x->culprit == asn || x->cls == MRS_INC_HIJACK_PATH) && mrs_prefix_equal(&x->prefix, p))
            return true;
    }
    return false;
}

/* The incidents that took asn's space or routes (incident.h victims): told as
 * evidence of Action 4, with what publishing intent would have changed. Not a
 * verdict: what others did is not held against the network. */
static int victim_of(const mrs_obs_bundle *b, uint32_t asn, mrs_check_action *a)
{
    bool origin = false, path = false;
    for (size_t i = 0; i < b->incidents.n; i++) {
        const mrs_incident *x = &b->incidents.v[i];
        if (x->confidence != MRS_CONF_HIGH || !mrs_sorted_has_u32(x->victims, x->n_victims, asn))
            continue;
        char pfx[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&x->prefix, pfx);
        if (add(&a->evidence, "victim of incident %" PRIu64 ": %s %s by AS%" PRIu32, x->id,
                mrs_incident_class_name(x->cls), pfx, x->culprit) != 0)
            return -1;
        if (x->cls == MRS_INC_HIJACK_PATH || x->cls == MRS_INC_ROUTE_LEAK)
            path = true;
        else
            origin = true;
    }
    if (origin && add(&a->remediation, "your address space was announced by another network: ROAs for all of it "
                                       "(maxLength = announced length) make such routes RPKI-invalid, and networks "
                                       "that validate drop them (RFC 6811)") != 0)
        return -1;
    if (path && add(&a->remediation, "your routes were leaked or your AS was put at the end of a forged path: an ASPA "
                                     "record naming your providers lets networks that verify AS paths reject them") != 0)
        return -1;
    return 0;
}

static int action4(const mrs_obs_bundle *b, uint32_t asn, const mrs_check_opts *o, const char *mnt, const char *src,
                   mrs_check_result *r, mrs_prefix **own_out, size_t *n_own)
{
    mrs_check_action *a = &r->act[4];
    a->title = "Global validation (ROAs and IRR route objects for what you originate)";
    const mrs_view *v = b->view;
    size_t nr = v ? mrs_view_route_count(v) : 0, k = 0;
    uint64_t *pp = malloc((nr ? nr : 1) * sizeof *pp);
    mrs_prefix *own = malloc((nr ? nr : 1) * sizeof *own);
    *own_out = own;
    if (!pp || !own) {
        free(pp);
        return -1;
    }
    for (size_t i = 0; i < nr; i++) {
        const mrs_view_route *rt = mrs_view_route_at(v, i);
        if (rt->origin != asn || rt->start > b->to || rt->end < b->from)
            continue;
        pp[k++] = (uint64_t)rt->prefix << 32 | rt->peer;
    }
    qsort(pp, k, sizeof *pp, mrs_cmp_u64);
    unsigned minp = o->min_peers ? o->min_peers : 1;
    irr_origin_result ir;
    memset(&ir, 0, sizeof ir);
    int rc = 0;
    char pfx[MRS_PREFIX_STRLEN], vp[MRS_PREFIX_STRLEN];
    for (size_t i = 0; i < k && rc == 0;) {
        size_t j = i;
        unsigned peers = 0;
        while (j < k && pp[j] >> 32 == pp[i] >> 32) {
            peers += j == i || pp[j] != pp[j - 1];
            j++;
        }
        const mrs_prefix *p = mrs_view_prefix(v, (uint32_t)(pp[i] >> 32));
        i = j;
        if (peers < minp)
            continue;
        mrs_prefix_format(p, pfx);
        if (excluded(b, asn, p)) {
            r->skipped++;
            rc = add(&a->evidence, "%s: not assessed, it is the prefix of an incident (see Action 1)", pfx);
            continue;
        }
        own[(*n_own)++] = *p;
        r->announced++;
        if (b->kb.rpki) {
            mrs_rov_result rr;
            mrs_rov_state s = mrs_rov_validate_ex(b->kb.rpki, p, asn, false, &rr);
            if (s == MRS_ROV_VALID)
                r->rov_valid++;
            else if (s == MRS_ROV_INVALID) {
                r->rov_invalid++;
                rc = add(&a->evidence, "%s AS%" PRIu32 ": RPKI invalid (%s), %u covering VRP(s):", pfx, asn,
                         mrs_rov_reason_name(rr.reason), rr.n_covering);
                for (unsigned c = 0; c < rr.covering_shown && rc == 0; c++) {
                    mrs_prefix_format(&rr.covering[c].prefix, vp);
                    rc = add(&a->evidence, "  VRP %s-%u AS%" PRIu32, vp, rr.covering[c].maxlen, rr.covering[c].asn);
                }
                if (rc == 0)
                    rc = add(&a->remediation, "%s: RPKI invalid — withdraw it or have the holder issue a ROA "
                                              "%s maxLength %u AS%" PRIu32,
                             pfx, pfx, p->len, asn);
            } else {
                r->rov_notfound++;
                mrs_check_roa *ro = &r->roa[r->n_roa++];
                ro->prefix = *p;
                ro->maxlen = p->len;
                ro->asn = asn;
                rc = add(&a->evidence, "%s AS%" PRIu32 ": no covering ROA (RPKI not-found)", pfx, asn);
            }
        }
        if (rc == 0 && b->kb.irr) {
            if (irr_check_origin(b->kb.irr, p, asn, NULL, &ir) != 0)
                rc = -1;
            else if (ir.state != IRR_VALID && ir.state != IRR_VALID_COVERED) {
                r->irr_missing++;
                rc = add(&a->evidence, "%s AS%" PRIu32 ": no IRR route object (%s)", pfx, asn,
                         irr_origin_state_name(ir.state));
                if (rc == 0)
                    rc = add(&r->route_objects, "%s:         %s\ndescr:          announced by AS%" PRIu32
                                                "\norigin:         AS%" PRIu32 "\nmnt-by:         %s\nsource:         %s\n",
                             p->afi == MRS_AFI_IPV6 ? "route6" : "route", pfx, asn, asn, mnt && *mnt ? mnt : "MAINT-ASxxx",
                             src && *src ? src : "RIPE");
            }
        }
    }
    irr_origin_result_clear(&ir);
    free(pp);
    if (rc)
        return rc;
    if (r->n_roa && add(&a->remediation, "create %zu ROA(s) (RFC 9319: maxLength = announced length):", r->n_roa))
        return -1;
    for (size_t i = 0; i < r->n_roa; i++) {
        mrs_prefix_format(&r->roa[i].prefix, pfx);
        if (add(&a->remediation, "  ROA %s maxLength %u origin AS%" PRIu32, pfx, r->roa[i].maxlen, asn) != 0)
            return -1;
    }
    if (r->route_objects.n &&
        add(&a->remediation, "submit %zu route object(s) (mnt-by from the aut-num%s):", r->route_objects.n,
            mnt && *mnt ? "" : "; none known, replace MAINT-ASxxx") != 0)
        return -1;
    if (victim_of(b, asn, a) != 0)
        return -1;
    if (!v || nr == 0 || !b->kb.rpki) {
        a->verdict = MRS_CHECK_NO_DATA;
        return add(&a->remediation, "give MRT data and VRPs (--rib/--updates, --vrps or --world) to assess Action 4");
    }
    if (r->announced == 0) {
        a->verdict = MRS_CHECK_NO_DATA;
        return add(&a->evidence, "AS%" PRIu32 " originates no prefix in the routing view", asn);
    }
    if (add(&a->evidence, "%zu prefixes originated: %zu RPKI valid, %zu invalid, %zu not-found; %zu without IRR "
                          "route object",
            r->announced, r->rov_valid, r->rov_invalid, r->rov_notfound, r->irr_missing) != 0)
        return -1;
    a->verdict = r->rov_invalid || r->rov_notfound ? MRS_CHECK_FAIL : MRS_CHECK_PASS;
    return 0;
}

int mrs_check_run(const mrs_obs_bundle *b, uint32_t asn, const mrs_check_opts *o, mrs_check_result *r)
{
    memset(r, 0, sizeof *r);
    r->asn = asn;
    size_t nr = b->view ? mrs_view_route_count(b->view) : 0;
    r->roa = calloc(nr ? nr : 1, sizeof *r->roa);
    if (!r->roa)
        return -1;
    const char *mnt = NULL, *src = NULL;
    mrs_prefix *own = NULL;
    size_t n_own = 0;
    int rc = action1(b, asn, r);
    if (rc == 0)
        rc = action3(b, asn, o, r, &mnt, &src);
    if (rc == 0)
        rc = action4(b, asn, o, mnt, src, r, &own, &n_own);
    if (rc == 0)
        rc = action2(b, asn, own, n_own, o, r);
    free(own);
    return rc;
}

void mrs_check_clear(mrs_check_result *r)
{
    for (int k = 1; k <= 4; k++) {
        strs_free(&r->act[k].evidence);
        strs_free(&r->act[k].remediation);
    }
    strs_free(&r->route_objects);
    free(r->inc);
    free(r->roa);
    free(r->acl);
    memset(r, 0, sizeof *r);
}

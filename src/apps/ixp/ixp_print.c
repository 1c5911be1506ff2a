/*
 * ixp_print.c — print a `manrs ixp` run (ixp.h): a readable report (summary, the
 * MANRS IXP actions, members, every finding with its evidence) or one JSON
 * document (schema: docs/ixp.md).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/ixp.h"
#include "manrs/output/json_doc.h"

/* Short column names of the member table, in class order. */
static const char *const col[IXP_NCLASS] = {"RPKI", "BOGP", "BOGA", "IRR", "ASET", "LEN", "1ST", "T1", "SET"};

static const char *const not_measured_why[IXP_NCLASS] = {
    [IXP_RPKI_INVALID] = "no --vrps",
    [IXP_IRR_NO_ROUTE] = "no --irr",
    [IXP_IRR_NOT_IN_SET] = "needs --irr and --members with as-sets",
    [IXP_TRANSIT_FREE] = "the transit-free list is empty",
};

/* The other MANRS IXP actions: what a RIB dump can and cannot say. */
static const struct {
    int n;
    const char *title;
} other_actions[] = {
    {2, "Promote MANRS to the IXP membership (assist with IRR/RPKI)"},
    {3, "Protect the peering platform"},
    {4, "Facilitate global operational communication and coordination"},
    {5, "Provide monitoring and debugging tools to the members"},
};

static void member_name(const ixp_member *m, char *out, size_t n)
{
    char ip[MRS_PREFIX_STRLEN];
    mrs_ip_format(m->peer.afi, m->peer.ip, ip);
    snprintf(out, n, "%s", ip);
}

static int cmp_member(const void *a_, const void *b_)
{
    const ixp_member *a = *(const ixp_member *const *)a_, *b = *(const ixp_member *const *)b_;
    if (a->peer.afi != b->peer.afi)
        return a->peer.afi < b->peer.afi ? -1 : 1;
    int c = memcmp(a->peer.ip, b->peer.ip, 16);
    if (c)
        return c;
    if (a->peer.asn != b->peer.asn)
        return a->peer.asn < b->peer.asn ? -1 : 1;
    return a->asn < b->asn ? -1 : a->asn > b->asn;
}

/* The members in print order: by peer address family, address, then member ASN.
 * NULL when out of memory. */
static const ixp_member **ordered(const ixp_result *r)
{
    const ixp_member **v = malloc((r->n_members ? r->n_members : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < r->n_members; i++)
        v[i] = &r->members[i];
    qsort(v, r->n_members, sizeof *v, cmp_member);
    return v;
}

/* Peers whose ASN began none of their paths although several ASes did: probably the
 * RS's own session (give --rs-asn). */
static bool hint(const ixp_member *m) { return !m->via_rs && m->routes && !m->first_is_peer && m->varied_first; }

int ixp_print_table(const ixp_result *r, FILE *out)
{
    fprintf(out, "MANRS IXP check of route-server RIB dumps\n");
    for (size_t i = 0; i < r->n_files; i++)
        fprintf(out, "  %s: %" PRIu64 " RIB entries\n", r->files[i], r->file_routes[i]);
    fprintf(out, "  routes %" PRIu64 " (IPv4 %" PRIu64 ", IPv6 %" PRIu64 "), members %zu, routes with findings %" PRIu64
                 "\n",
            r->routes, r->v4, r->v6, r->n_members, r->routes_flagged);
    if (r->blackhole)
        fprintf(out, "  %" PRIu64 " BLACKHOLE route%s (RFC 7999, 65535:666): the length check does not apply\n",
                r->blackhole, r->blackhole == 1 ? "" : "s");
    if (r->ignored)
        fprintf(out, "  %" PRIu64 " records that are not RIB entries ignored (updates, state changes)\n", r->ignored);

    fprintf(out, "\nFindings by class                 routes  Action 1\n");
    for (int c = 0; c < IXP_NCLASS; c++) {
        if (ixp_class_measured(r, (ixp_class)c))
            fprintf(out, "  %-28s %9" PRIu64 "  %s\n", ixp_class_name((ixp_class)c), r->found[c],
                    ixp_class_required((ixp_class)c) ? "required" : "recommended");
        else
            fprintf(out, "  %-28s %9s  %s (not measured: %s)\n", ixp_class_name((ixp_class)c), "-",
                    ixp_class_required((ixp_class)c) ? "required" : "recommended", not_measured_why[c]);
    }

    bool ok = ixp_conformant(r);
    fprintf(out, "\nAction 1 (prevent propagation of incorrect routing information): %s\n",
            ok ? "CONFORMANT" : "NOT CONFORMANT");
    if (ok)
        fprintf(out, "  the route server accepted no route of a required class\n");
    for (int c = 0; c < IXP_NCLASS; c++)
        if (ixp_class_required((ixp_class)c) && r->found[c])
            fprintf(out, "  accepted %" PRIu64 " route%s of class %s\n", r->found[c], r->found[c] == 1 ? "" : "s",
                    ixp_class_name((ixp_class)c));
    for (int c = 0; c < IXP_NCLASS; c++)
        if (ixp_class_required((ixp_class)c) && !ixp_class_measured(r, (ixp_class)c))
            fprintf(out, "  %s not measured (%s)\n", ixp_class_name((ixp_class)c), not_measured_why[c]);
    for (size_t i = 0; i < sizeof other_actions / sizeof other_actions[0]; i++) {
        fprintf(out, "Action %d (%s): not measured from a RIB dump\n", other_actions[i].n, other_actions[i].title);
        if (other_actions[i].n == 2 && ixp_class_measured(r, IXP_RPKI_INVALID))
            fprintf(out, "  indicator: %" PRIu64 " of %" PRIu64 " routes have no ROA (RPKI not-found), %" PRIu64
                         " valid, %" PRIu64 " invalid\n",
                    r->rov_notfound, r->routes, r->rov_valid, r->rov_invalid);
        if (other_actions[i].n == 2 && ixp_class_measured(r, IXP_IRR_NO_ROUTE))
            fprintf(out, "  indicator: %" PRIu64 " of %" PRIu64 " routes have no matching IRR route object\n",
                    r->irr_missing, r->routes);
    }

    fprintf(out, "\nMembers (routes with findings by class: RPKI rpki-invalid, BOGP bogon-prefix, BOGA bogon-asn,\n"
                 "IRR irr-no-route-object, ASET irr-origin-not-in-as-set, LEN too-specific, 1ST first-as-not-peer,\n"
                 "T1 transit-free-in-path, SET as-set-in-path)\n");
    fprintf(out, "  %-26s %10s %10s %7s %7s", "PEER", "PEER-AS", "MEMBER-AS", "ROUTES", "FLAGGED");
    for (int c = 0; c < IXP_NCLASS; c++)
        fprintf(out, " %4s", col[c]);
    fprintf(out, "  NAME\n");
    const ixp_member **ord = ordered(r);
    if (!ord)
        return -1;
    for (size_t i = 0; i < r->n_members; i++) {
        const ixp_member *m = ord[i];
        char ip[64];
        member_name(m, ip, sizeof ip);
        fprintf(out, "  %-26s %10" PRIu32 " %10" PRIu32 " %7" PRIu64 " %7" PRIu64, ip, m->peer.asn, m->asn, m->routes,
                m->routes_flagged);
        for (int c = 0; c < IXP_NCLASS; c++) {
            if (ixp_class_measured(r, (ixp_class)c) && (c != IXP_IRR_NOT_IN_SET || (m->info && m->info->as_set)))
                fprintf(out, " %4" PRIu64, m->found[c]);
            else
                fprintf(out, " %4s", "-");
        }
        if (m->info && m->info->name) {
            fputs("  ", out);
            mrs_fputs_safe(m->info->name, out);
        } else if (m->via_rs)
            fputs("  ", out);
        if (m->via_rs)
            fprintf(out, "%s(%s)", m->info && m->info->name ? " " : "",
                    m->peer.asn == 23456 ? "peer AS_TRANS: member = first AS" : "via the RS session: member = first AS");
        fputc('\n', out);
    }

    free(ord);
    fprintf(out, "\nFindings (%zu)\n", r->n_f);
    for (size_t i = 0; i < r->n_f; i++) {
        char *t = ixp_finding_text(r, &r->f[i]);
        if (!t)
            return -1;
        fputs("  ", out);
        mrs_fputs_safe(t, out);
        fputc('\n', out);
        free(t);
    }
    bool any = false;
    for (size_t i = 0; i < r->n_members; i++) {
        const ixp_member *m = &r->members[i];
        if (!hint(m))
            continue;
        if (!any)
            fprintf(out, "\nHints\n");
        any = true;
        char ip[64];
        member_name(m, ip, sizeof ip);
        fprintf(out, "  peer %s AS%" PRIu32 ": no path of its %" PRIu64 " routes starts with AS%" PRIu32
                     ", several ASes do: if it is the route server's own session, give --rs-asn %" PRIu32 "\n",
                ip, m->peer.asn, m->routes, m->peer.asn, m->peer.asn);
    }
    return ferror(out) ? -1 : 0;
}

static json_t *counts(const ixp_result *r, const uint64_t *v)
{
    json_t *o = json_object();
    for (int c = 0; c < IXP_NCLASS; c++)
        json_object_set_new(o, ixp_class_name((ixp_class)c),
                            ixp_class_measured(r, (ixp_class)c) ? json_integer((json_int_t)v[c]) : json_null());
    return o;
}

int ixp_print_json(const ixp_result *r, FILE *out)
{
    json_t *o = json_object();
    char p[MRS_PREFIX_STRLEN], ip[MRS_PREFIX_STRLEN];
    json_t *files = json_array();
    for (size_t i = 0; i < r->n_files; i++) {
        json_t *f = json_object();
        json_object_set_new(f, "file", mrs_json_text(r->files[i]));
        json_object_set_new(f, "routes", json_integer((json_int_t)r->file_routes[i]));
        json_array_append_new(files, f);
    }
    json_object_set_new(o, "files", files);

    json_t *s = json_object();
    json_object_set_new(s, "routes", json_integer((json_int_t)r->routes));
    json_object_set_new(s, "ipv4", json_integer((json_int_t)r->v4));
    json_object_set_new(s, "ipv6", json_integer((json_int_t)r->v6));
    json_object_set_new(s, "members", json_integer((json_int_t)r->n_members));
    json_object_set_new(s, "routes_with_findings", json_integer((json_int_t)r->routes_flagged));
    json_object_set_new(s, "blackhole_routes", json_integer((json_int_t)r->blackhole));
    json_object_set_new(s, "ignored_records", json_integer((json_int_t)r->ignored));
    json_object_set_new(s, "findings", counts(r, r->found));
    json_object_set_new(o, "summary", s);

    json_t *classes = json_array();
    for (int c = 0; c < IXP_NCLASS; c++) {
        json_t *x = json_object();
        json_object_set_new(x, "class", mrs_json_text(ixp_class_name((ixp_class)c)));
        json_object_set_new(x, "required", json_boolean(ixp_class_required((ixp_class)c)));
        json_object_set_new(x, "measured", json_boolean(ixp_class_measured(r, (ixp_class)c)));
        json_array_append_new(classes, x);
    }
    json_object_set_new(o, "classes", classes);

    json_t *acts = json_object(), *a1 = json_object();
    json_object_set_new(a1, "verdict", mrs_json_text(ixp_conformant(r) ? "conformant" : "not-conformant"));
    json_t *nm = json_array();
    for (int c = 0; c < IXP_NCLASS; c++)
        if (ixp_class_required((ixp_class)c) && !ixp_class_measured(r, (ixp_class)c))
            json_array_append_new(nm, mrs_json_text(ixp_class_name((ixp_class)c)));
    json_object_set_new(a1, "not_measured", nm);
    json_object_set_new(acts, "action1", a1);
    for (size_t i = 0; i < sizeof other_actions / sizeof other_actions[0]; i++) {
        json_t *x = json_object();
        char key[16];
        snprintf(key, sizeof key, "action%d", other_actions[i].n);
        json_object_set_new(x, "title", mrs_json_text(other_actions[i].title));
        json_object_set_new(x, "verdict", mrs_json_text("not-measured"));
        if (other_actions[i].n == 2) {
            json_t *ind = json_object();
            if (ixp_class_measured(r, IXP_RPKI_INVALID)) {
                json_object_set_new(ind, "rpki_valid", json_integer((json_int_t)r->rov_valid));
                json_object_set_new(ind, "rpki_invalid", json_integer((json_int_t)r->rov_invalid));
                json_object_set_new(ind, "rpki_not_found", json_integer((json_int_t)r->rov_notfound));
            }
            if (ixp_class_measured(r, IXP_IRR_NO_ROUTE)) {
                json_object_set_new(ind, "irr_route_object", json_integer((json_int_t)r->irr_ok));
                json_object_set_new(ind, "irr_no_route_object", json_integer((json_int_t)r->irr_missing));
            }
            json_object_set_new(x, "indicators", ind);
        }
        json_object_set_new(acts, key, x);
    }
    json_object_set_new(o, "actions", acts);

    json_t *ms = json_array();
    const ixp_member **ord = ordered(r);
    for (size_t i = 0; ord && i < r->n_members; i++) {
        const ixp_member *m = ord[i];
        json_t *x = json_object();
        mrs_ip_format(m->peer.afi, m->peer.ip, ip);
        json_object_set_new(x, "peer_ip", mrs_json_text(ip));
        json_object_set_new(x, "peer_asn", json_integer(m->peer.asn));
        json_object_set_new(x, "asn", json_integer(m->asn));
        json_object_set_new(x, "via_rs_session", json_boolean(m->via_rs));
        json_object_set_new(x, "name", m->info && m->info->name ? mrs_json_text(m->info->name) : json_null());
        json_object_set_new(x, "as_set", m->info && m->info->as_set ? mrs_json_text(m->info->as_set) : json_null());
        json_object_set_new(x, "routes", json_integer((json_int_t)m->routes));
        json_object_set_new(x, "routes_with_findings", json_integer((json_int_t)m->routes_flagged));
        json_object_set_new(x, "findings", counts(r, m->found));
        json_object_set_new(x, "hint_rs_session", json_boolean(hint(m)));
        json_array_append_new(ms, x);
    }
    free(ord);
    json_object_set_new(o, "members", ms);

    json_t *fs = json_array();
    for (size_t i = 0; i < r->n_f; i++) {
        const ixp_finding *f = &r->f[i];
        const ixp_member *m = &r->members[f->member];
        json_t *x = json_object();
        json_object_set_new(x, "class", mrs_json_text(ixp_class_name(f->cls)));
        mrs_prefix_format(&f->prefix, p);
        json_object_set_new(x, "prefix", mrs_json_text(p));
        json_object_set_new(x, "origin", f->origin_none ? json_null() : json_integer(f->origin));
        json_object_set_new(x, "as_path", mrs_json_text(f->path));
        mrs_ip_format(m->peer.afi, m->peer.ip, ip);
        json_object_set_new(x, "peer_ip", mrs_json_text(ip));
        json_object_set_new(x, "peer_asn", json_integer(m->peer.asn));
        json_object_set_new(x, "member_asn", json_integer(m->asn));
        json_object_set_new(x, "file", mrs_json_text(r->files[f->file]));
        json_object_set_new(x, "offset", json_integer((json_int_t)f->offset));
        json_object_set_new(x, "detail", mrs_json_text(f->detail));
        if (f->cls == IXP_RPKI_INVALID) {
            json_t *v = json_array();
            for (uint32_t k = 0; k < f->n_vrps && k < IXP_VRPS_MAX; k++) {
                json_t *y = json_object();
                mrs_prefix_format(&f->vrps[k].prefix, p);
                json_object_set_new(y, "prefix", mrs_json_text(p));
                json_object_set_new(y, "asn", json_integer(f->vrps[k].asn));
                json_object_set_new(y, "maxLength", json_integer(f->vrps[k].maxlen));
                json_array_append_new(v, y);
            }
            json_object_set_new(x, "covering_vrps", v);
            json_object_set_new(x, "covering_vrps_total", json_integer(f->n_vrps));
        }
        json_array_append_new(fs, x);
    }
    json_object_set_new(o, "findings", fs);
    int rc = ord ? json_dumpf(o, out, JSON_INDENT(1) | JSON_SORT_KEYS) : -1;
    json_decref(o);
    fputc('\n', out);
    return rc != 0 || ferror(out) ? -1 : 0;
}

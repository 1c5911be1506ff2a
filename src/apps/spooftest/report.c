/*
 * report.c — what `manrs spooftest` prints: the table (class x run, passed or
 * blocked) with the verdict lines, the JSON document and Spoofer CSV rows
 * (the columns kb/spoofer.c reads, so `manrs observe --spoofer` and `manrs
 * check --spoofer` score Action 2 from the test).
 */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "manrs/apps/spooftest.h"
#include "manrs/core/prefix.h"

static const char *family(unsigned afi) { return afi == MRS_AFI_IPV6 ? "ipv6" : "ipv4"; }

static const char *cell(const mrs_st_result *r, unsigned k, size_t i)
{
    const mrs_st_run_result *rr = &r->run[k];
    if (!rr->attempted)
        return "-";
    if (!rr->done)
        return "failed";
    return rr->probe[i].received ? "passed" : "blocked";
}

/* "IPv4 and IPv6" for the probes of class c whose outcome in run k is want */
static const char *families_where(const mrs_st_result *r, unsigned k, mrs_st_class c, bool want)
{
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n);
    bool f4 = false, f6 = false;
    for (size_t i = 0; i < n; i++)
        if (p[i].cls == c && mrs_st_arrived(r, (mrs_st_run_kind)k, i) == want) {
            f4 |= p[i].afi == MRS_AFI_IPV4;
            f6 |= p[i].afi == MRS_AFI_IPV6;
        }
    return f4 && f6 ? "IPv4 and IPv6" : f4 ? "IPv4 only" : f6 ? "IPv6 only" : "neither family";
}

int mrs_st_print_table(const mrs_st_result *r, FILE *out)
{
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n);
    mrs_st_verdict v;
    mrs_st_judge(r, &v);
    fprintf(out, "lab %s: host - ce - pe - col, %u copies per probe, %" PRIu64 " packets sent, %" PRIu64
            " received, %.1f s\n\n", r->lab, r->copies, r->packets_sent, r->packets_received, r->seconds);
    fprintf(out, "%-15s %-6s %-18s %-7s", "class", "family", "source", "forged");
    for (unsigned k = 0; k < MRS_ST_NRUNS; k++)
        fprintf(out, k + 1 < MRS_ST_NRUNS ? " %-11s" : " %s", mrs_st_run_name((mrs_st_run_kind)k));
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%-15s %-6s %-18s %-7s", mrs_st_class_name(p[i].cls), family(p[i].afi), p[i].source,
                mrs_st_class_spoofed(p[i].cls) ? "yes" : "no");
        for (unsigned k = 0; k < MRS_ST_NRUNS; k++)
            fprintf(out, k + 1 < MRS_ST_NRUNS ? " %-11s" : " %s", cell(r, k, i));
        fputc('\n', out);
    }
    fputc('\n', out);
    for (unsigned k = 0; k < MRS_ST_NRUNS; k++)
        if (r->run[k].attempted && !r->run[k].done)
            fprintf(out, "%s: could not be set up: %s\n", mrs_st_run_name((mrs_st_run_kind)k), r->run[k].error);
    if (r->run[MRS_ST_RUN_NONE].done && !v.none_ok)
        fprintf(out, "none: probes were lost without any filter: the lab does not forward them, so no run "
                     "below proves anything\n");
    if (v.acl_ran)
        fprintf(out, "manrs-acl (uRPF mode %s, %zu permit and %zu bogon entries): blocks %u of %u forged probes, "
                     "passes %u of %u legitimate ones (both prefixes of the multihomed customer): %s\n",
                r->acl_urpf[0] ? r->acl_urpf : "?", r->acl_permits, r->acl_denies, v.acl_spoofed_blocked,
                v.acl_spoofed, v.acl_legit_passed, v.acl_legit, v.acl_ok ? "PASS" : "FAIL");
    else
        fprintf(out, "manrs-acl: not measured: FAIL\n");
    if (v.strict_ran)
        fprintf(out, "urpf-strict: %s the multihomed customer's second prefix (%s): %s\n",
                v.strict_drops_multihomed ? "drops" : "passes",
                families_where(r, MRS_ST_RUN_STRICT, MRS_ST_MULTIHOMED, !v.strict_drops_multihomed),
                v.strict_drops_multihomed ? "legitimate traffic lost, the case strict uRPF gets wrong "
                                            "(RFC 3704 section 2.2, RFC 8704 section 2)"
                                          : "the lab did not show the asymmetric-route failure");
    if (v.loose_ran)
        fprintf(out, "urpf-loose: %s another customer's prefix (%s): %s\n", v.loose_passes_other ? "passes" : "drops",
                families_where(r, MRS_ST_RUN_LOOSE, MRS_ST_OTHER_CUSTOMER, v.loose_passes_other),
                v.loose_passes_other ? "loose uRPF stops only sources without a route (RFC 3704 section 2.4)"
                                     : "unexpected for loose uRPF");
    return ferror(out) ? -1 : 0;
}

#define SET(o, k, v)                                                                                                   \
    do {                                                                                                               \
        if (json_object_set_new((o), (k), (v)) != 0)                                                                   \
            goto oom;                                                                                                  \
    } while (0)

int mrs_st_print_json(const mrs_st_result *r, FILE *out)
{
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n);
    const mrs_st_addrs *a = mrs_st_lab_addrs();
    mrs_st_verdict v;
    mrs_st_judge(r, &v);
    json_t *root = json_object(), *lab = json_object(), *runs = json_array(), *ver = json_object();
    if (!root || !lab || !runs || !ver) {
        json_decref(lab);
        json_decref(runs);
        json_decref(ver);
        goto oom;
    }
    SET(root, "lab", lab);
    SET(root, "runs", runs);
    SET(root, "verdict", ver);
    SET(lab, "name", json_string(r->lab));
    SET(lab, "topology", json_string("host - ce - pe - col"));
    SET(lab, "customer_as", json_integer(a->customer_as));
    SET(lab, "provider_as", json_integer(a->provider_as));
    SET(lab, "copies", json_integer(r->copies));
    SET(lab, "packets_sent", json_integer((json_int_t)r->packets_sent));
    SET(lab, "packets_received", json_integer((json_int_t)r->packets_received));
    SET(lab, "stray", json_integer((json_int_t)r->stray));
    SET(lab, "seconds", json_real(r->seconds));
    SET(lab, "acl_urpf_mode", r->acl_urpf[0] ? json_string(r->acl_urpf) : json_null());
    SET(lab, "acl_permit_entries", json_integer((json_int_t)r->acl_permits));
    SET(lab, "acl_bogon_entries", json_integer((json_int_t)r->acl_denies));
    for (unsigned k = 0; k < MRS_ST_NRUNS; k++) {
        const mrs_st_run_result *rr = &r->run[k];
        if (!rr->attempted)
            continue;
        json_t *run = json_object(), *probes = json_array();
        if (!run || !probes || json_array_append_new(runs, run) != 0) {
            json_decref(probes);
            goto oom;
        }
        SET(run, "name", json_string(mrs_st_run_name((mrs_st_run_kind)k)));
        SET(run, "done", json_boolean(rr->done));
        SET(run, "error", rr->done ? json_null() : json_string(rr->error));
        SET(run, "probes", probes);
        for (size_t i = 0; rr->done && i < n; i++) {
            json_t *pr = json_object();
            if (!pr || json_array_append_new(probes, pr) != 0)
                goto oom;
            SET(pr, "family", json_string(family(p[i].afi)));
            SET(pr, "class", json_string(mrs_st_class_name(p[i].cls)));
            SET(pr, "source", json_string(p[i].source));
            SET(pr, "spoofed", json_boolean(mrs_st_class_spoofed(p[i].cls)));
            SET(pr, "arrived", json_boolean(rr->probe[i].received > 0));
            SET(pr, "sent", json_integer(rr->probe[i].sent));
            SET(pr, "received", json_integer(rr->probe[i].received));
            SET(pr, "rewritten", json_integer(rr->probe[i].rewritten));
        }
    }
    SET(ver, "none_all_arrived", json_boolean(v.none_ok));
    SET(ver, "acl_blocks_every_forged", json_boolean(v.acl_ran && v.acl_spoofed_blocked == v.acl_spoofed));
    SET(ver, "acl_passes_every_legitimate", json_boolean(v.acl_ran && v.acl_legit_passed == v.acl_legit));
    SET(ver, "strict_drops_multihomed", v.strict_ran ? json_boolean(v.strict_drops_multihomed) : json_null());
    SET(ver, "loose_passes_other_customer", v.loose_ran ? json_boolean(v.loose_passes_other) : json_null());
    SET(ver, "ok", json_boolean(v.ok));
    int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc == 0)
        fputc('\n', out);
    return rc == 0 && !ferror(out) ? 0 : -1;
oom:
    json_decref(root);
    return -1;
}

int mrs_st_print_spoofer_csv(const mrs_st_result *r, mrs_st_run_kind run, uint32_t asn, uint32_t t, FILE *out)
{
    if ((unsigned)run >= MRS_ST_NRUNS || !r->run[run].done)
        return -1;
    size_t n;
    const mrs_st_probe_def *p = mrs_st_probes(&n);
    const mrs_st_addrs *a = mrs_st_lab_addrs();
    fprintf(out, "session,timestamp,asn,client_prefix,country,nat,spoof_private,spoof_routed\n");
    const unsigned afis[2] = {MRS_AFI_IPV4, MRS_AFI_IPV6};
    for (unsigned f = 0; f < 2; f++) {
        bool priv = false, routed = false;
        for (size_t i = 0; i < n; i++) {
            if (p[i].afi != afis[f] || !mrs_st_class_spoofed(p[i].cls) || !mrs_st_arrived(r, run, i))
                continue;
            if (mrs_st_class_routed(p[i].cls))
                routed = true;
            else
                priv = true;
        }
        /* the session: the nonce and the family, so two runs' rows do not collide;
         * country ZZ: user-assigned in ISO 3166, "unknown" for a lab */
        fprintf(out, "%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%s,ZZ,no,%s,%s\n", (r->nonce % 100000000u) * 10 + f, t,
                asn, f ? a->cust_p1_6 : a->cust_p1_4, priv ? "received" : "blocked",
                routed ? "received" : "blocked");
    }
    return ferror(out) ? -1 : 0;
}

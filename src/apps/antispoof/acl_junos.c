/*
 * acl_junos.c — the anti-spoofing result as Junos configuration (hierarchical
 * text for `load merge terminal`): firewall filters for family inet and inet6
 * (terms: deny bogons, permit link-local (IPv6), permit sources, deny the rest),
 * and the interface stanza with the filter and the rpf-check of the decided mode.
 *
 * Assumes Junos annotations: a slash-star comment before a statement is accepted
 * on load and kept with it, so every prefix carries its provenance.
 * The explanation texts never contain the comment terminator. "replace:" makes a
 * re-load replace the filter instead of merging terms into the old one.
 */
#include <stdio.h>
#include <string.h>

#include "manrs/apps/antispoof.h"

struct junos_ctx {
    FILE *out;
    const char *indent;
};

static void junos_line(void *ctx, const char *line)
{
    struct junos_ctx *c = ctx;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", line);
    mrs_acl_sanitize_comment(buf);     /* no comment terminator from the data */
    fprintf(c->out, "%s/* %s */\n", c->indent, buf);
}

static void junos_filter(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out, const char *name, unsigned afi)
{
    bool v6 = afi == MRS_AFI_IPV6;
    struct junos_ctx c = {out, "                        "};
    char p[MRS_PREFIX_STRLEN];
    fprintf(out, "    family %s {\n        replace:\n        filter %s {\n", v6 ? "inet6" : "inet", name);
    size_t npre = 0;
    for (size_t i = 0; i < a->n_pre_permit; i++)
        npre += a->pre_permit[i].afi == afi;
    if (npre) {
        fprintf(out, "            /* globally reachable exceptions inside bogon blocks (loose mode: permitted before the denies) */\n");
        fprintf(out, "            term permit-bogon-exceptions {\n                from {\n                    source-address {\n");
        for (size_t i = 0; i < a->n_pre_permit; i++) {
            if (a->pre_permit[i].afi != afi)
                continue;
            mrs_prefix_format(&a->pre_permit[i], p);
            fprintf(out, "                        %s;\n", p);
        }
        fprintf(out, "                    }\n                }\n                then accept;\n            }\n");
    }
    size_t nd = 0;
    for (size_t i = 0; i < a->n_deny; i++)
        nd += a->deny[i].prefix.afi == afi;
    if (nd) {
        fprintf(out, "            /* bogon sources first (never legitimate: IANA special-purpose registries) */\n");
        fprintf(out, "            term deny-bogon-sources {\n                from {\n                    source-address {\n");
        for (size_t i = 0; i < a->n_deny; i++) {
            const mrs_as_deny *d = &a->deny[i];
            if (d->prefix.afi != afi)
                continue;
            char note[256];
            snprintf(note, sizeof note, "%s (%s)", d->name, d->rfc);
            junos_line(&c, note);
            mrs_prefix_format(&d->prefix, p);
            fprintf(out, "                        %s;\n", p);
        }
        fprintf(out, "                    }\n                }\n                then {\n                    count %s-bogon;\n"
                     "                    discard;\n                }\n            }\n", name);
    }
    if (v6) {
        mrs_prefix_format(&a->link_local6, p);
        fprintf(out, "            /* link-local sources: neighbour discovery (RFC 4861) and BGP over link-local need them; "
                     "routers never forward them (RFC 4291 section 2.5.6) */\n");
        fprintf(out, "            term permit-link-local {\n                from {\n                    source-address {\n"
                     "                        %s;\n                    }\n                }\n                then accept;\n"
                     "            }\n", p);
    }
    if (a->permit_any) {
        fprintf(out, "            /* loose mode: no source list (see the header) */\n");
        fprintf(out, "            term permit-any {\n                then accept;\n            }\n");
    } else {
        size_t np = 0;
        for (size_t i = 0; i < a->n_permit; i++)
            np += a->permit[i].prefix.afi == afi;
        if (np) {
            fprintf(out, "            term permit-sources {\n                from {\n                    source-address {\n");
            for (size_t i = 0; i < a->n_permit; i++) {
                if (a->permit[i].prefix.afi != afi)
                    continue;
                mrs_antispoof_provenance(a, i, o->max_provenance, junos_line, &c);
                mrs_prefix_format(&a->permit[i].prefix, p);
                fprintf(out, "                        %s;\n", p);
            }
            fprintf(out, "                    }\n                }\n                then accept;\n            }\n");
        }
        fprintf(out, "            /* everything else is spoofed */\n");
        fprintf(out, "            term deny-other {\n                then {\n                    count %s-spoofed;\n"
                     "                    discard;\n                }\n            }\n", name);
    }
    fprintf(out, "        }\n    }\n");
}

int mrs_acl_print_junos(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out)
{
    char base[160], n4[176], n6[176];
    if (o->name)
        snprintf(base, sizeof base, "%s", o->name);
    else
        mrs_acl_default_name(a, base, sizeof base);
    snprintf(n4, sizeof n4, "%s-V4", base);
    snprintf(n6, sizeof n6, "%s-V6", base);
    struct junos_ctx c = {out, ""};
    mrs_antispoof_explain(a, junos_line, &c);
    fprintf(out, "firewall {\n");
    junos_filter(a, o, out, n4, MRS_AFI_IPV4);
    junos_filter(a, o, out, n6, MRS_AFI_IPV6);
    fprintf(out, "}\n");
    if (o->interface) {
        /* "xe-0/0/0.100" -> interface xe-0/0/0 unit 100; no unit given -> unit 0 */
        char ifname[128];
        const char *unit = "0";
        snprintf(ifname, sizeof ifname, "%s", o->interface);
        char *dot = strrchr(ifname, '.');
        if (dot && dot[1]) {
            *dot = 0;
            unit = o->interface + (dot - ifname) + 1;
        }
        const char *dir = a->mode == MRS_AS_CUSTOMER_INGRESS ? "input" : "output";
        fprintf(out, "interfaces {\n    %s {\n        unit %s {\n", ifname, unit);
        for (int f = 0; f < 2; f++) {
            fprintf(out, "            family %s {\n", f ? "inet6" : "inet");
            if (a->urpf.mode == MRS_URPF_EFP_A || a->urpf.mode == MRS_URPF_EFP_B)
                fprintf(out, "                /* EFP-uRPF: this filter is the RPF list; no rpf-check here */\n");
            fprintf(out, "                filter {\n                    %s %s;\n                }\n", dir, f ? n6 : n4);
            switch (a->urpf.mode) {
            case MRS_URPF_STRICT:
                fprintf(out, "                rpf-check;\n");
                break;
            case MRS_URPF_LOOSE:
                fprintf(out, "                rpf-check {\n                    mode loose;\n                }\n");
                break;
            case MRS_URPF_EFP_A:
            case MRS_URPF_EFP_B:
            case MRS_URPF_NONE:
                break;
            }
            fprintf(out, "            }\n");
        }
        fprintf(out, "        }\n    }\n}\n");
    }
    return ferror(out) ? -1 : 0;
}

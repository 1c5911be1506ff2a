/*
 * acl_eos.c — the anti-spoofing result as Arista EOS configuration: IPv4 and
 * IPv6 access lists (bogon denies, permitted sources, explicit deny), the
 * interface stanza and the uRPF command of the decided mode.
 *
 * Assumes paste into configuration mode, where '!' lines are comments. EOS
 * takes prefixes in CIDR notation in ACL entries.
 */
#include <stdio.h>

#include "manrs/apps/antispoof.h"

struct eos_ctx {
    FILE *out;
    const char *lead;
};

static void eos_line(void *ctx, const char *line)
{
    struct eos_ctx *c = ctx;
    fprintf(c->out, "%s! %s\n", c->lead, line);
}

static void eos_family(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out, const char *name, unsigned afi)
{
    bool v6 = afi == MRS_AFI_IPV6;
    const char *proto = v6 ? "ipv6" : "ip";
    struct eos_ctx c = {out, "   "};
    char p[MRS_PREFIX_STRLEN];
    fprintf(out, "no %s access-list %s\n%s access-list %s\n", proto, name, proto, name);
    for (size_t i = 0; i < a->n_pre_permit; i++) {
        if (a->pre_permit[i].afi != afi)
            continue;
        mrs_prefix_format(&a->pre_permit[i], p);
        fprintf(out, "   ! globally reachable exception inside a bogon block (loose mode: permitted before the denies)\n");
        fprintf(out, "   permit %s %s any\n", proto, p);
    }
    fprintf(out, "   ! bogon sources first (never legitimate: IANA special-purpose registries)\n");
    for (size_t i = 0; i < a->n_deny; i++) {
        if (a->deny[i].prefix.afi != afi)
            continue;
        mrs_prefix_format(&a->deny[i].prefix, p);
        fprintf(out, "   deny %s %s any\n", proto, p);
    }
    if (v6) {
        mrs_prefix_format(&a->link_local6, p);
        fprintf(out, "   ! link-local sources: neighbour discovery (RFC 4861) and BGP over link-local need them;\n");
        fprintf(out, "   ! routers never forward them (RFC 4291 section 2.5.6)\n");
        fprintf(out, "   permit ipv6 %s any\n", p);
    }
    if (a->permit_any) {
        fprintf(out, "   ! loose mode: no source list (see the header)\n");
        fprintf(out, "   permit %s any any\n", proto);
    } else {
        for (size_t i = 0; i < a->n_permit; i++) {
            if (a->permit[i].prefix.afi != afi)
                continue;
            mrs_antispoof_provenance(a, i, o->max_provenance, eos_line, &c);
            mrs_prefix_format(&a->permit[i].prefix, p);
            fprintf(out, "   permit %s %s any\n", proto, p);
        }
        fprintf(out, "   ! everything else is spoofed\n");
        fprintf(out, "   deny %s any any\n", proto);
    }
    fprintf(out, "!\n");
}

int mrs_acl_print_eos(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out)
{
    char base[160], n4[176], n6[176];
    if (o->name)
        snprintf(base, sizeof base, "%s", o->name);
    else
        mrs_acl_default_name(a, base, sizeof base);
    snprintf(n4, sizeof n4, "%s-V4", base);
    snprintf(n6, sizeof n6, "%s-V6", base);
    struct eos_ctx c = {out, ""};
    mrs_antispoof_explain(a, eos_line, &c);
    fprintf(out, "!\n");
    eos_family(a, o, out, n4, MRS_AFI_IPV4);
    eos_family(a, o, out, n6, MRS_AFI_IPV6);
    if (o->interface) {
        const char *dir = a->mode == MRS_AS_CUSTOMER_INGRESS ? "in" : "out";
        fprintf(out, "interface %s\n", o->interface);
        fprintf(out, "   ip access-group %s %s\n", n4, dir);
        fprintf(out, "   ipv6 access-group %s %s\n", n6, dir);
        mrs_acl_print_cisco_urpf(out, a->urpf.mode, "   ");
        fprintf(out, "!\n");
    }
    return ferror(out) ? -1 : 0;
}

/*
 * acl_ios.c — the anti-spoofing result as Cisco IOS / IOS-XE configuration:
 * extended IPv4 and IPv6 access lists (bogon denies, permitted sources, explicit
 * deny), the interface stanza and the uRPF command of the decided mode.
 *
 * Assumes paste into configuration mode: lines starting with '!' are comments
 * there (also inside the ACL sub-mode), so every explanation is a '!' line.
 * "no ... access-list" first makes a re-paste replace the list instead of appending.
 */
#include <stdio.h>

#include "manrs/apps/antispoof.h"

struct ios_ctx {
    FILE *out;
    const char *lead;
};

static void ios_line(void *ctx, const char *line)
{
    struct ios_ctx *c = ctx;
    fprintf(c->out, "%s! %s\n", c->lead, line);
}

/* "192.0.2.0 0.0.0.255" */
static void ios_v4(FILE *out, const mrs_prefix *p)
{
    char a[MRS_IP_STRLEN];
    uint8_t w[4];
    mrs_ipv4_format(p->addr, a);
    for (unsigned i = 0; i < 4; i++) {
        unsigned bits = p->len > i * 8 ? p->len - i * 8 : 0;
        uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00u >> bits);
        w[i] = (uint8_t)~mask;
    }
    fprintf(out, "%s %u.%u.%u.%u", a, w[0], w[1], w[2], w[3]);
}

static void ios_family(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out, const char *name, unsigned afi)
{
    bool v6 = afi == MRS_AFI_IPV6;
    struct ios_ctx c = {out, " "};
    char p[MRS_PREFIX_STRLEN];
    if (v6)
        fprintf(out, "no ipv6 access-list %s\nipv6 access-list %s\n", name, name);
    else
        fprintf(out, "no ip access-list extended %s\nip access-list extended %s\n", name, name);
    for (size_t i = 0; i < a->n_pre_permit; i++) {
        const mrs_prefix *e = &a->pre_permit[i];
        if (e->afi != afi)
            continue;
        fprintf(out, " ! globally reachable exception inside a bogon block (loose mode: permitted before the denies)\n");
        if (v6) {
            mrs_prefix_format(e, p);
            fprintf(out, " permit ipv6 %s any\n", p);
        } else {
            fprintf(out, " permit ip ");
            ios_v4(out, e);
            fprintf(out, " any\n");
        }
    }
    fprintf(out, " ! bogon sources first (never legitimate: IANA special-purpose registries)\n");
    for (size_t i = 0; i < a->n_deny; i++) {
        const mrs_as_deny *d = &a->deny[i];
        if (d->prefix.afi != afi)
            continue;
        if (v6) {
            mrs_prefix_format(&d->prefix, p);
            fprintf(out, " deny ipv6 %s any\n", p);
        } else {
            fprintf(out, " deny ip ");
            ios_v4(out, &d->prefix);
            fprintf(out, " any\n");
        }
    }
    if (v6) {
        mrs_prefix_format(&a->link_local6, p);
        fprintf(out, " ! link-local sources: neighbour discovery (RFC 4861) and BGP over link-local need them;\n");
        fprintf(out, " ! routers never forward them (RFC 4291 section 2.5.6)\n");
        fprintf(out, " permit ipv6 %s any\n", p);
    }
    if (a->permit_any) {
        fprintf(out, " ! loose mode: no source list (see the header)\n");
        fprintf(out, v6 ? " permit ipv6 any any\n" : " permit ip any any\n");
    } else {
        for (size_t i = 0; i < a->n_permit; i++) {
            const mrs_as_permit *e = &a->permit[i];
            if (e->prefix.afi != afi)
                continue;
            mrs_antispoof_provenance(a, i, o->max_provenance, ios_line, &c);
            if (v6) {
                mrs_prefix_format(&e->prefix, p);
                fprintf(out, " permit ipv6 %s any\n", p);
            } else {
                fprintf(out, " permit ip ");
                ios_v4(out, &e->prefix);
                fprintf(out, " any\n");
            }
        }
        fprintf(out, " ! everything else is spoofed\n");
        fprintf(out, v6 ? " deny ipv6 any any\n" : " deny ip any any\n");
    }
    fprintf(out, "!\n");
}

int mrs_acl_print_ios(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out)
{
    char base[160], n4[176], n6[176];
    if (o->name)
        snprintf(base, sizeof base, "%s", o->name);
    else
        mrs_acl_default_name(a, base, sizeof base);
    snprintf(n4, sizeof n4, "%s-V4", base);
    snprintf(n6, sizeof n6, "%s-V6", base);
    struct ios_ctx c = {out, ""};
    mrs_antispoof_explain(a, ios_line, &c);
    fprintf(out, "!\n");
    ios_family(a, o, out, n4, MRS_AFI_IPV4);
    ios_family(a, o, out, n6, MRS_AFI_IPV6);
    if (o->interface) {
        bool in = a->mode == MRS_AS_CUSTOMER_INGRESS;
        fprintf(out, "interface %s\n", o->interface);
        fprintf(out, " ip access-group %s %s\n", n4, in ? "in" : "out");
        fprintf(out, " ipv6 traffic-filter %s %s\n", n6, in ? "in" : "out");
        mrs_acl_print_cisco_urpf(out, a->urpf.mode, " ");
        fprintf(out, "!\n");
    }
    return ferror(out) ? -1 : 0;
}

void mrs_acl_print_cisco_urpf(FILE *out, mrs_urpf_mode mode, const char *indent)
{
    switch (mode) {
    case MRS_URPF_STRICT:
        fprintf(out, "%sip verify unicast source reachable-via rx\n", indent);
        fprintf(out, "%sipv6 verify unicast source reachable-via rx\n", indent);
        break;
    case MRS_URPF_LOOSE:
        fprintf(out, "%sip verify unicast source reachable-via any\n", indent);
        fprintf(out, "%sipv6 verify unicast source reachable-via any\n", indent);
        break;
    case MRS_URPF_EFP_A:
    case MRS_URPF_EFP_B:
        fprintf(out, "%s! EFP-uRPF: the access lists above are the RPF list; no uRPF command here\n", indent);
        break;
    case MRS_URPF_NONE:
        break;
    }
}

/*
 * acl_nft.c — the anti-spoofing result as an nftables ruleset (`nft -f FILE`):
 * one table per filter with interval sets (bogons, permitted sources) and one
 * base chain matching the interface.
 *
 * Ingress: hook prerouting at priority -300 (raw: before connection tracking, so
 * spoofed floods create no conntrack state). Egress (edge mode): hook postrouting
 * at priority 300, after source NAT (priority 100), so the address that really
 * leaves is checked. uRPF: strict = `fib saddr . iif oif missing drop`, loose =
 * `fib saddr oif missing drop` (the nftables fib expression). The sets are
 * disjoint (exact aggregation) as interval sets without auto-merge require.
 * Assumes '#' comments (to the end of the line) anywhere in the file.
 */
#include <stdio.h>

#include "manrs/apps/antispoof.h"

struct nft_ctx {
    FILE *out;
    const char *lead;
};

static void nft_line(void *ctx, const char *line)
{
    struct nft_ctx *c = ctx;
    fprintf(c->out, "%s# %s\n", c->lead, line);
}

static void nft_set(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out, const char *name, unsigned afi,
                    bool permit)
{
    struct nft_ctx c = {out, "            "};
    char p[MRS_PREFIX_STRLEN];
    fprintf(out, "    set %s {\n        type %s\n        flags interval\n", name,
            afi == MRS_AFI_IPV6 ? "ipv6_addr" : "ipv4_addr");
    size_t n = 0;
    if (permit) {
        for (size_t i = 0; i < a->n_permit; i++)
            n += a->permit[i].prefix.afi == afi;
    } else {
        for (size_t i = 0; i < a->n_deny; i++)
            n += a->deny[i].prefix.afi == afi;
    }
    if (n) {
        fprintf(out, "        elements = {\n");
        size_t k = 0;
        if (permit) {
            for (size_t i = 0; i < a->n_permit; i++) {
                if (a->permit[i].prefix.afi != afi)
                    continue;
                mrs_antispoof_provenance(a, i, o->max_provenance, nft_line, &c);
                mrs_prefix_format(&a->permit[i].prefix, p);
                fprintf(out, "            %s%s\n", p, ++k < n ? "," : "");
            }
        } else {
            for (size_t i = 0; i < a->n_deny; i++) {
                if (a->deny[i].prefix.afi != afi)
                    continue;
                char note[256];
                snprintf(note, sizeof note, "%s (%s)", a->deny[i].name, a->deny[i].rfc);
                mrs_acl_sanitize_comment(note);
                nft_line(&c, note);
                mrs_prefix_format(&a->deny[i].prefix, p);
                fprintf(out, "            %s%s\n", p, ++k < n ? "," : "");
            }
        }
        fprintf(out, "        }\n");
    }
    fprintf(out, "    }\n");
}

int mrs_acl_print_nft(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out)
{
    char base[160], id[160], ll[MRS_PREFIX_STRLEN];
    if (o->name)
        snprintf(base, sizeof base, "%s", o->name);
    else
        mrs_acl_default_name(a, base, sizeof base);
    /* nft identifiers: letters, digits, '_' */
    size_t k = 0;
    for (const char *s = base; *s && k + 1 < sizeof id; s++)
        id[k++] = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ? *s : '_';
    id[k] = 0;
    bool in = a->mode == MRS_AS_CUSTOMER_INGRESS;
    const char *ifmatch = in ? "iifname" : "oifname";
    const char *ifname = o->interface ? o->interface : "CHANGE-ME";
    struct nft_ctx c = {out, ""};
    fprintf(out, "#!/usr/sbin/nft -f\n");
    mrs_antispoof_explain(a, nft_line, &c);
    if (!o->interface)
        fprintf(out, "# no --interface given: replace CHANGE-ME by the %s interface\n", in ? "customer" : "upstream");
    /* create-then-delete makes a re-load replace the table */
    fprintf(out, "table inet %s\ndelete table inet %s\n", id, id);
    fprintf(out, "table inet %s {\n", id);
    fprintf(out, "    # bogon sources (never legitimate: IANA special-purpose registries)\n");
    nft_set(a, o, out, "bogon4", MRS_AFI_IPV4, false);
    nft_set(a, o, out, "bogon6", MRS_AFI_IPV6, false);
    if (!a->permit_any) {
        fprintf(out, "    # permitted sources\n");
        nft_set(a, o, out, "permit4", MRS_AFI_IPV4, true);
        nft_set(a, o, out, "permit6", MRS_AFI_IPV6, true);
    }
    fprintf(out, "    chain %s {\n", in ? "ingress" : "egress");
    if (in)
        fprintf(out, "        type filter hook prerouting priority -300; policy accept;\n");
    else
        fprintf(out, "        type filter hook postrouting priority 300; policy accept;\n");
    for (size_t i = 0; i < a->n_pre_permit; i++) {
        char e[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&a->pre_permit[i], e);
        fprintf(out, "        # globally reachable exception inside a bogon block (loose mode: permitted before the denies)\n");
        fprintf(out, "        %s \"%s\" %s saddr %s accept\n", ifmatch, ifname,
                a->pre_permit[i].afi == MRS_AFI_IPV6 ? "ip6" : "ip", e);
    }
    fprintf(out, "        %s \"%s\" ip saddr @bogon4 counter drop\n", ifmatch, ifname);
    fprintf(out, "        %s \"%s\" ip6 saddr @bogon6 counter drop\n", ifmatch, ifname);
    mrs_prefix_format(&a->link_local6, ll);
    fprintf(out, "        # link-local sources: neighbour discovery (RFC 4861); never forwarded (RFC 4291 section 2.5.6)\n");
    fprintf(out, "        %s \"%s\" ip6 saddr %s accept\n", ifmatch, ifname, ll);
    switch (a->urpf.mode) {
    case MRS_URPF_STRICT:
        fprintf(out, "        # strict uRPF (RFC 3704 section 2.2): the route back to the source must use this interface\n");
        fprintf(out, "        %s \"%s\" fib saddr . iif oif missing counter drop\n", ifmatch, ifname);
        break;
    case MRS_URPF_LOOSE:
        fprintf(out, "        # loose uRPF (RFC 3704 section 2.4): some route back to the source must exist\n");
        fprintf(out, "        %s \"%s\" fib saddr oif missing counter drop\n", ifmatch, ifname);
        break;
    case MRS_URPF_EFP_A:
    case MRS_URPF_EFP_B:
        fprintf(out, "        # EFP-uRPF: the permit sets are the RPF list; no fib check here\n");
        break;
    case MRS_URPF_NONE:
        break;
    }
    if (a->permit_any) {
        fprintf(out, "        # loose mode: no source list (see the header)\n");
    } else {
        fprintf(out, "        %s \"%s\" ip saddr @permit4 accept\n", ifmatch, ifname);
        fprintf(out, "        %s \"%s\" ip6 saddr @permit6 accept\n", ifmatch, ifname);
        fprintf(out, "        # everything else is spoofed\n");
        fprintf(out, "        %s \"%s\" meta nfproto { ipv4, ipv6 } counter drop\n", ifmatch, ifname);
    }
    fprintf(out, "    }\n}\n");
    return ferror(out) ? -1 : 0;
}

/*
 * plan.c — the pure part of `manrs spooftest`: the lab's address plan, the probe
 * classes, the UDP packets the probe host sends (IPv4 with its header for
 * IP_HDRINCL, IPv6 with its header for IPPROTO_RAW), the tag in their payload,
 * the collector's accounting and the verdict. No system calls here.
 */
#include <stdlib.h>
#include <string.h>

#include "manrs/apps/spooftest.h"
#include "manrs/core/prefix.h"

static const char *const RUN_NAMES[MRS_ST_NRUNS] = {"none", "manrs-acl", "urpf-strict", "urpf-loose"};

const char *mrs_st_run_name(mrs_st_run_kind k)
{
    return (unsigned)k < MRS_ST_NRUNS ? RUN_NAMES[k] : "?";
}

bool mrs_st_run_parse(const char *s, mrs_st_run_kind *k)
{
    for (unsigned i = 0; i < MRS_ST_NRUNS; i++)
        if (!strcmp(s, RUN_NAMES[i])) {
            *k = (mrs_st_run_kind)i;
            return true;
        }
    return false;
}

static const char *const CLASS_NAMES[MRS_ST_NCLASSES] = {"own",     "multihomed",  "other-customer", "adjacent",
                                                         "private", "unallocated", "bogon"};

const char *mrs_st_class_name(mrs_st_class c)
{
    return (unsigned)c < MRS_ST_NCLASSES ? CLASS_NAMES[c] : "?";
}

bool mrs_st_class_spoofed(mrs_st_class c) { return c != MRS_ST_OWN && c != MRS_ST_MULTIHOMED; }

bool mrs_st_class_routed(mrs_st_class c) { return c == MRS_ST_OTHER_CUSTOMER || c == MRS_ST_ADJACENT; }

/* The address plan (docs/spooftest.md, "Address plan"). The lab's "Internet" is
 * 198.18.0.0/15 (RFC 2544 benchmarking) and 2001:db8::/32 (RFC 3849
 * documentation): the generator is given the IANA bogon list without those two
 * blocks, which play global unicast inside the lab. */
static const mrs_st_addrs ADDRS = {
    .collector4 = "198.19.255.6",
    .collector6 = "2001:db8:ffff:2::2",
    .cust_p1_4 = "198.18.0.0/24",
    .cust_p2_4 = "198.18.2.0/24",
    .cust_p1_6 = "2001:db8::/48",
    .cust_p2_6 = "2001:db8:2::/48",
    .other_cust4 = "198.18.64.0/24",
    .other_cust6 = "2001:db8:40::/48",
    .adjacent4 = "198.18.1.0/24",
    .adjacent6 = "2001:db8:1::/48",
    .link4 = "198.19.255.0/30",
    .link6 = "2001:db8:ffff:1::/64",
    .provider_as = 64500,
    .customer_as = 64501,
    .second_provider_as = 64502,
    .other_customer_as = 64503,
    .adjacent_as = 64504,
    .port = 33435,
};

const mrs_st_addrs *mrs_st_lab_addrs(void) { return &ADDRS; }

static const mrs_st_probe_def PROBES[MRS_ST_NPROBES] = {
    {MRS_ST_OWN, MRS_AFI_IPV4, "198.18.0.10", "the host's address in the customer's prefix 198.18.0.0/24"},
    {MRS_ST_MULTIHOMED, MRS_AFI_IPV4, "198.18.2.10",
     "the customer's second prefix 198.18.2.0/24, routed back by pe towards the customer's other provider"},
    {MRS_ST_OTHER_CUSTOMER, MRS_AFI_IPV4, "198.18.64.10", "another customer of pe (198.18.64.0/24, AS64503)"},
    {MRS_ST_ADJACENT, MRS_AFI_IPV4, "198.18.1.10",
     "the /24 next to the customer's 198.18.0.0/24 (another network's, routed towards col)"},
    {MRS_ST_PRIVATE, MRS_AFI_IPV4, "10.10.10.10", "RFC 1918 private-use"},
    {MRS_ST_UNALLOCATED, MRS_AFI_IPV4, "198.19.128.10", "lab space nobody holds: no route in the lab"},
    {MRS_ST_BOGON, MRS_AFI_IPV4, "240.0.0.10", "240.0.0.0/4 reserved (RFC 1112, IANA special-purpose)"},
    {MRS_ST_OWN, MRS_AFI_IPV6, "2001:db8::10", "the host's address in the customer's prefix 2001:db8::/48"},
    {MRS_ST_MULTIHOMED, MRS_AFI_IPV6, "2001:db8:2::10",
     "the customer's second prefix 2001:db8:2::/48, routed back by pe towards the customer's other provider"},
    {MRS_ST_OTHER_CUSTOMER, MRS_AFI_IPV6, "2001:db8:40::10", "another customer of pe (2001:db8:40::/48, AS64503)"},
    {MRS_ST_ADJACENT, MRS_AFI_IPV6, "2001:db8:1::10",
     "the /48 next to the customer's 2001:db8::/48 (another network's, routed towards col)"},
    {MRS_ST_PRIVATE, MRS_AFI_IPV6, "fd4d:5253:1::10", "RFC 4193 unique-local"},
    {MRS_ST_UNALLOCATED, MRS_AFI_IPV6, "2001:db8:8000::10", "lab space nobody holds: no route in the lab"},
    {MRS_ST_BOGON, MRS_AFI_IPV6, "100::10", "100::/64 discard-only (RFC 6666, IANA special-purpose)"},
};

const mrs_st_probe_def *mrs_st_probes(size_t *n)
{
    *n = MRS_ST_NPROBES;
    return PROBES;
}

/* ---------------------------------------------------------------- packets */

uint16_t mrs_st_checksum(const void *data, size_t len, uint32_t sum)
{
    const uint8_t *p = data;
    uint64_t s = sum;
    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* the partial (unfolded, uncomplemented) sum of a byte string */
static uint32_t partial(const uint8_t *p, size_t len)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    return s;
}

static void udp_header(uint8_t *u, uint16_t sport, uint16_t dport, size_t ulen, const void *payload, size_t plen)
{
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (uint16_t)ulen);
    put16(u + 6, 0);
    if (plen)
        memcpy(u + 8, payload, plen);
}

size_t mrs_st_udp4(uint8_t *buf, size_t cap, const uint8_t src[4], const uint8_t dst[4], uint16_t sport,
                   uint16_t dport, uint16_t ip_id, const void *payload, size_t plen)
{
    size_t ulen = 8 + plen, total = 20 + ulen;
    if (plen > 1400 || cap < total)
        return 0;
    uint8_t *ip = buf, *u = buf + 20;
    memset(ip, 0, 20);
    ip[0] = 0x45;               /* version 4, 5 words */
    put16(ip + 2, (uint16_t)total);
    put16(ip + 4, ip_id);
    ip[8] = 64;                 /* TTL */
    ip[9] = 17;                 /* UDP */
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    put16(ip + 10, mrs_st_checksum(ip, 20, 0));
    udp_header(u, sport, dport, ulen, payload, plen);
    /* pseudo header: src, dst, zero, protocol, UDP length (RFC 768) */
    uint32_t ph = partial(ip + 12, 8) + 17 + (uint32_t)ulen;
    uint16_t c = mrs_st_checksum(u, ulen, ph);
    put16(u + 6, c ? c : 0xffff);   /* 0 means "no checksum" in IPv4 */
    return total;
}

size_t mrs_st_udp6(uint8_t *buf, size_t cap, const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
                   uint16_t dport, const void *payload, size_t plen)
{
    size_t ulen = 8 + plen, total = 40 + ulen;
    if (plen > 1400 || cap < total)
        return 0;
    uint8_t *ip = buf, *u = buf + 40;
    memset(ip, 0, 40);
    ip[0] = 0x60;               /* version 6, traffic class 0, flow label 0 */
    put16(ip + 4, (uint16_t)ulen);
    ip[6] = 17;                 /* next header: UDP */
    ip[7] = 64;                 /* hop limit */
    memcpy(ip + 8, src, 16);
    memcpy(ip + 24, dst, 16);
    udp_header(u, sport, dport, ulen, payload, plen);
    /* pseudo header: src, dst, upper-layer length, next header (RFC 8200 §8.1) */
    uint32_t ph = partial(ip + 8, 32) + (uint32_t)ulen + 17;
    uint16_t c = mrs_st_checksum(u, ulen, ph);
    put16(u + 6, c ? c : 0xffff);   /* mandatory in IPv6: 0 is sent as 0xffff */
    return total;
}

/* ---------------------------------------------------------------- tags */

static const uint8_t MAGIC[4] = {'M', 'R', 'S', 'T'};

void mrs_st_tag_encode(const mrs_st_tag *t, uint8_t out[MRS_ST_TAG_LEN])
{
    memset(out, 0, MRS_ST_TAG_LEN);
    memcpy(out, MAGIC, 4);
    out[4] = (uint8_t)(t->nonce >> 24);
    out[5] = (uint8_t)(t->nonce >> 16);
    out[6] = (uint8_t)(t->nonce >> 8);
    out[7] = (uint8_t)t->nonce;
    out[8] = t->run;
    out[9] = t->copy;
    put16(out + 10, t->probe);
}

bool mrs_st_tag_decode(const void *buf, size_t len, mrs_st_tag *t)
{
    const uint8_t *p = buf;
    if (len != MRS_ST_TAG_LEN || memcmp(p, MAGIC, 4) != 0)
        return false;
    for (size_t i = 12; i < MRS_ST_TAG_LEN; i++)
        if (p[i])
            return false;
    t->nonce = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
    t->run = p[8];
    t->copy = p[9];
    t->probe = (uint16_t)(p[10] << 8 | p[11]);
    return true;
}

/* ---------------------------------------------------------------- results */

void mrs_st_result_init(mrs_st_result *r, uint32_t nonce, unsigned copies)
{
    memset(r, 0, sizeof *r);
    r->nonce = nonce;
    r->copies = copies;
}

void mrs_st_result_clear(mrs_st_result *r)
{
    free(r->acl_text);
    r->acl_text = NULL;
}

bool mrs_st_record(mrs_st_result *r, mrs_st_run_kind run, const void *payload, size_t len, unsigned afi,
                   const uint8_t *src)
{
    mrs_st_tag t;
    if ((unsigned)run >= MRS_ST_NRUNS || !mrs_st_tag_decode(payload, len, &t) || t.nonce != r->nonce ||
        t.run != (uint8_t)run || t.probe >= MRS_ST_NPROBES || t.copy >= r->copies) {
        r->stray++;
        return false;
    }
    const mrs_st_probe_def *d = &PROBES[t.probe];
    unsigned pafi;
    uint8_t want[16];
    if (afi != d->afi || !mrs_ip_parse(d->source, strlen(d->source), &pafi, want)) {
        r->stray++;
        return false;
    }
    mrs_st_probe_result *pr = &r->run[run].probe[t.probe];
    if (memcmp(want, src, afi == MRS_AFI_IPV6 ? 16 : 4) == 0)
        pr->received++;
    else
        pr->rewritten++;
    r->packets_received++;
    return true;
}

bool mrs_st_arrived(const mrs_st_result *r, mrs_st_run_kind run, size_t probe)
{
    return (unsigned)run < MRS_ST_NRUNS && probe < MRS_ST_NPROBES && r->run[run].done &&
           r->run[run].probe[probe].received > 0;
}

void mrs_st_judge(const mrs_st_result *r, mrs_st_verdict *v)
{
    memset(v, 0, sizeof *v);
    for (unsigned k = 0; k < MRS_ST_NRUNS; k++)
        if (r->run[k].attempted && !r->run[k].done)
            v->any_failed = true;
    v->none_ok = r->run[MRS_ST_RUN_NONE].done;
    for (size_t i = 0; i < MRS_ST_NPROBES; i++)
        v->none_ok = v->none_ok && mrs_st_arrived(r, MRS_ST_RUN_NONE, i);
    v->acl_ran = r->run[MRS_ST_RUN_ACL].done;
    v->strict_ran = r->run[MRS_ST_RUN_STRICT].done;
    v->loose_ran = r->run[MRS_ST_RUN_LOOSE].done;
    v->strict_drops_multihomed = v->strict_ran;
    v->loose_passes_other = v->loose_ran;
    for (size_t i = 0; i < MRS_ST_NPROBES; i++) {
        mrs_st_class c = PROBES[i].cls;
        bool a = mrs_st_arrived(r, MRS_ST_RUN_ACL, i);
        if (mrs_st_class_spoofed(c)) {
            v->acl_spoofed++;
            v->acl_spoofed_blocked += v->acl_ran && !a;
        } else {
            v->acl_legit++;
            v->acl_legit_passed += a;
        }
        if (c == MRS_ST_MULTIHOMED && mrs_st_arrived(r, MRS_ST_RUN_STRICT, i))
            v->strict_drops_multihomed = false;
        if (c == MRS_ST_OTHER_CUSTOMER && !mrs_st_arrived(r, MRS_ST_RUN_LOOSE, i))
            v->loose_passes_other = false;
    }
    v->acl_ok = v->acl_ran && v->acl_spoofed_blocked == v->acl_spoofed && v->acl_legit_passed == v->acl_legit;
    v->ok = v->none_ok && v->acl_ok && !v->any_failed;
}

/*
 * prefix.h — IP addresses and prefixes, the currency of every manrs module.
 *
 * One fixed-size value type for IPv4 and IPv6 (20 bytes, no allocation), with
 * strict parsing and canonical formatting. Formatting of IPv6 follows the usual
 * inet_ntop rules (RFC 5952 "::" compression of the longest zero run of two or more
 * groups, lower case, embedded IPv4 for ::a.b.c.d and ::ffff:a.b.c.d) so that
 * output compares byte for byte with the reference tools.
 */
#ifndef MANRS_PREFIX_H
#define MANRS_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MRS_AFI_IPV4 1   /* IANA address family numbers, as on the wire */
#define MRS_AFI_IPV6 2

#define MRS_IP_STRLEN 48      /* enough for any formatted address + NUL */
#define MRS_PREFIX_STRLEN 52  /* address + "/128" + NUL */

typedef struct mrs_prefix {
    uint8_t afi;        /* MRS_AFI_IPV4 or MRS_AFI_IPV6 */
    uint8_t len;        /* prefix length in bits */
    uint8_t pad[2];
    uint8_t addr[16];   /* network byte order; IPv4 uses addr[0..3], rest zero */
} mrs_prefix;

static inline unsigned mrs_afi_bits(unsigned afi) { return afi == MRS_AFI_IPV6 ? 128u : 32u; }

/* Format an address; returns the string length. out must hold MRS_IP_STRLEN bytes. */
int mrs_ipv4_format(const uint8_t a[4], char *out);
int mrs_ipv6_format(const uint8_t a[16], char *out);
int mrs_ip_format(unsigned afi, const uint8_t *a, char *out);
/* "addr/len"; out must hold MRS_PREFIX_STRLEN bytes. */
int mrs_prefix_format(const mrs_prefix *p, char *out);

/* Parse "a.b.c.d" or an IPv6 address. Returns true on success. */
bool mrs_ip_parse(const char *s, size_t n, unsigned *afi, uint8_t out[16]);
/* Parse "addr/len" (a bare address means a host prefix /32 or /128). Rejects
 * lengths beyond the family; if strict, also rejects host bits set beyond len. */
bool mrs_prefix_parse(const char *s, size_t n, mrs_prefix *p, bool strict);

/* Zero the bits beyond p->len (canonical form). Returns true if any were set. */
bool mrs_prefix_mask(mrs_prefix *p);
/* Does a cover b (same family, a->len <= b->len, same leading a->len bits)? */
bool mrs_prefix_covers(const mrs_prefix *a, const mrs_prefix *b);
bool mrs_prefix_equal(const mrs_prefix *a, const mrs_prefix *b);
/* Total order: by family, then address, then length. */
int mrs_prefix_cmp(const mrs_prefix *a, const mrs_prefix *b);

/* Parse an AS number written "64500", "AS64500" or "as64500" (also asdot "1.10").
 * Returns true on success. */
bool mrs_asn_parse(const char *s, size_t n, uint32_t *asn);

#endif

/*
 * u128.h — THE 128-bit unsigned integer of manrs (an IPv6 address, or an IPv4
 * address in the top 32 bits, as a number: comparisons and masks are integer
 * operations). GCC/Clang unsigned __int128, the two compilers the project builds
 * with.
 */
#ifndef MANRS_CORE_U128_H
#define MANRS_CORE_U128_H

#include <stdint.h>
#include <string.h>

__extension__ typedef unsigned __int128 mrs_u128;

/* 16 bytes, big-endian (network order), to a number and back. */
static inline mrs_u128 mrs_u128_load(const uint8_t b[16])
{
    uint64_t hi, lo;
    memcpy(&hi, b, 8);
    memcpy(&lo, b + 8, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    hi = __builtin_bswap64(hi);
    lo = __builtin_bswap64(lo);
#endif
    return (mrs_u128)hi << 64 | lo;
}

static inline void mrs_u128_store(mrs_u128 v, uint8_t out[16])
{
    uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    hi = __builtin_bswap64(hi);
    lo = __builtin_bswap64(lo);
#endif
    memcpy(out, &hi, 8);
    memcpy(out + 8, &lo, 8);
}

static inline int mrs_u128_cmp(mrs_u128 a, mrs_u128 b) { return a < b ? -1 : a > b; }

/* Leading zero bits (x != 0). */
static inline unsigned mrs_u128_clz(mrs_u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? (unsigned)__builtin_clzll(hi) : 64u + (unsigned)__builtin_clzll((uint64_t)x);
}

/* Bits n..127 set, counting bit 0 as the most significant (n >= 128: none). */
static inline mrs_u128 mrs_u128_ones_from(unsigned n)
{
    return n >= 128 ? 0 : ~(mrs_u128)0 >> n;
}

#endif

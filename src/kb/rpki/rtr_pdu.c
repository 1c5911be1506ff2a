/*
 * rtr_pdu.c — RTR PDUs encoded and parsed (see rtr.h; RFC 6810 §5, RFC 8210 §5,
 * draft-ietf-sidrops-8210bis-10 for ASPA). Pure functions over byte
 * buffers: the server and the client keep their own buffers and sockets.
 */
#include "manrs/kb/rtr.h"

#include <stdio.h>
#include <string.h>

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void header(uint8_t *out, uint8_t version, uint8_t type, uint16_t field, uint32_t len)
{
    out[0] = version;
    out[1] = type;
    put16(out + 2, field);
    put32(out + 4, len);
}

size_t mrs_rtr_serial_notify(uint8_t *out, uint8_t version, uint16_t session, uint32_t serial)
{
    header(out, version, MRS_RTR_SERIAL_NOTIFY, session, 12);
    put32(out + 8, serial);
    return 12;
}

size_t mrs_rtr_serial_query(uint8_t *out, uint8_t version, uint16_t session, uint32_t serial)
{
    header(out, version, MRS_RTR_SERIAL_QUERY, session, 12);
    put32(out + 8, serial);
    return 12;
}

size_t mrs_rtr_reset_query(uint8_t *out, uint8_t version)
{
    header(out, version, MRS_RTR_RESET_QUERY, 0, 8);
    return 8;
}

size_t mrs_rtr_cache_response(uint8_t *out, uint8_t version, uint16_t session)
{
    header(out, version, MRS_RTR_CACHE_RESPONSE, session, 8);
    return 8;
}

size_t mrs_rtr_cache_reset(uint8_t *out, uint8_t version)
{
    header(out, version, MRS_RTR_CACHE_RESET, 0, 8);
    return 8;
}

size_t mrs_rtr_prefix(uint8_t *out, uint8_t version, uint8_t flags, const mrs_prefix *p, uint8_t maxlen, uint32_t asn)
{
    bool v6 = p->afi == MRS_AFI_IPV6;
    size_t n = v6 ? 32 : 20, a = v6 ? 16 : 4;
    header(out, version, v6 ? MRS_RTR_IPV6_PREFIX : MRS_RTR_IPV4_PREFIX, 0, (uint32_t)n);
    out[8] = flags;
    out[9] = p->len;
    out[10] = maxlen;
    out[11] = 0;
    memcpy(out + 12, p->addr, a);
    put32(out + 12 + a, asn);
    return n;
}

size_t mrs_rtr_end_of_data(uint8_t *out, uint8_t version, uint16_t session, uint32_t serial, uint32_t refresh,
                           uint32_t retry, uint32_t expire)
{
    if (version == 0) {
        header(out, version, MRS_RTR_END_OF_DATA, session, 12);
        put32(out + 8, serial);
        return 12;
    }
    header(out, version, MRS_RTR_END_OF_DATA, session, 24);
    put32(out + 8, serial);
    put32(out + 12, refresh);
    put32(out + 16, retry);
    put32(out + 20, expire);
    return 24;
}

size_t mrs_rtr_aspa_size(size_t n) { return 16 + 4 * n; }

size_t mrs_rtr_aspa(uint8_t *out, uint8_t flags, uint8_t afi_flags, uint32_t customer, const uint32_t *providers,
                    uint16_t n)
{
    size_t len = mrs_rtr_aspa_size(n);
    header(out, 2, MRS_RTR_ASPA, 0, (uint32_t)len);
    out[8] = flags;
    out[9] = afi_flags;
    put16(out + 10, n);
    put32(out + 12, customer);
    for (uint16_t i = 0; i < n; i++)
        put32(out + 16 + 4 * (size_t)i, providers[i]);
    return len;
}

size_t mrs_rtr_error_size(size_t pdu_len, size_t text_len) { return 16 + pdu_len + text_len; }

size_t mrs_rtr_error_report(uint8_t *out, uint8_t version, uint16_t code, const uint8_t *pdu, size_t pdu_len,
                            const char *text)
{
    size_t tl = text ? strlen(text) : 0, len = mrs_rtr_error_size(pdu_len, tl);
    header(out, version, MRS_RTR_ERROR_REPORT, code, (uint32_t)len);
    put32(out + 8, (uint32_t)pdu_len);
    if (pdu_len)
        memcpy(out + 12, pdu, pdu_len);
    put32(out + 12 + pdu_len, (uint32_t)tl);
    if (tl)
        memcpy(out + 16 + pdu_len, text, tl);
    return len;
}

/* ------------------------------------------------------------------ parsing */

#define FAULT(c, ...)                                                                                                  \
    do {                                                                                                               \
        f->code = (c);                                                                                                 \
        snprintf(f->why, sizeof f->why, __VA_ARGS__);                                                                  \
        return -1;                                                                                                     \
    } while (0)

/* The length a fixed PDU of this type and version must have, 0 if variable, -1
 * if the type does not exist in this version. */
static int fixed_length(uint8_t version, uint8_t type)
{
    switch (type) {
    case MRS_RTR_SERIAL_NOTIFY:
    case MRS_RTR_SERIAL_QUERY: return 12;
    case MRS_RTR_RESET_QUERY:
    case MRS_RTR_CACHE_RESPONSE:
    case MRS_RTR_CACHE_RESET: return 8;
    case MRS_RTR_IPV4_PREFIX: return 20;
    case MRS_RTR_IPV6_PREFIX: return 32;
    case MRS_RTR_END_OF_DATA: return version == 0 ? 12 : 24;
    case MRS_RTR_ROUTER_KEY: return version >= 1 ? 0 : -1;
    case MRS_RTR_ERROR_REPORT: return 0;
    case MRS_RTR_ASPA: return version >= 2 ? 0 : -1;
    default: return -1;
    }
}

int mrs_rtr_parse(const uint8_t *buf, size_t len, size_t max_len, mrs_rtr_pdu *pdu, mrs_rtr_fault *f)
{
    if (len < MRS_RTR_HEADER)
        return 0;
    memset(pdu, 0, sizeof *pdu);
    pdu->version = buf[0];
    pdu->type = buf[1];
    pdu->session = get16(buf + 2);
    pdu->length = get32(buf + 4);
    if (pdu->length < MRS_RTR_HEADER)
        FAULT(MRS_RTR_ERR_CORRUPT_DATA, "PDU length %u is shorter than the header", pdu->length);
    if (pdu->length > max_len)
        FAULT(MRS_RTR_ERR_CORRUPT_DATA, "PDU length %u exceeds the %zu accepted", pdu->length, max_len);
    if (len < pdu->length)
        return 0;
    if (pdu->version > MRS_RTR_MAX_VERSION)
        return 1;   /* unknown layout: the session answers Unsupported Protocol Version */
    int fl = fixed_length(pdu->version, pdu->type);
    if (fl < 0)
        FAULT(MRS_RTR_ERR_UNSUPPORTED_PDU, "PDU type %u does not exist in protocol version %u", pdu->type,
              pdu->version);
    if (fl > 0 && pdu->length != (uint32_t)fl)
        FAULT(MRS_RTR_ERR_CORRUPT_DATA, "%s PDU of %u bytes (must be %d)", mrs_rtr_type_name(pdu->type), pdu->length,
              fl);
    const uint8_t *b = buf + MRS_RTR_HEADER;
    switch (pdu->type) {
    case MRS_RTR_SERIAL_NOTIFY:
    case MRS_RTR_SERIAL_QUERY: pdu->serial = get32(b); break;
    case MRS_RTR_END_OF_DATA:
        pdu->serial = get32(b);
        if (pdu->version >= 1) {
            pdu->refresh = get32(b + 4);
            pdu->retry = get32(b + 8);
            pdu->expire = get32(b + 12);
        }
        break;
    case MRS_RTR_IPV4_PREFIX:
    case MRS_RTR_IPV6_PREFIX: {
        bool v6 = pdu->type == MRS_RTR_IPV6_PREFIX;
        unsigned bits = v6 ? 128 : 32;
        pdu->flags = b[0];
        pdu->prefix.afi = v6 ? MRS_AFI_IPV6 : MRS_AFI_IPV4;
        pdu->prefix.len = b[1];
        pdu->maxlen = b[2];
        if (b[1] > bits || b[2] > bits || b[1] > b[2])
            FAULT(MRS_RTR_ERR_CORRUPT_DATA, "prefix length %u, max length %u (IPv%c: 0 <= length <= max <= %u)",
                  b[1], b[2], v6 ? '6' : '4', bits);
        memcpy(pdu->prefix.addr, b + 4, v6 ? 16 : 4);
        if (mrs_prefix_mask(&pdu->prefix))
            FAULT(MRS_RTR_ERR_CORRUPT_DATA, "prefix with host bits set beyond /%u", b[1]);
        pdu->asn = get32(b + (v6 ? 20 : 8));
        break;
    }
    case MRS_RTR_ROUTER_KEY:
        /* SKI (20) + AS (4) + a SubjectPublicKeyInfo: at least 32 bytes in all */
        if (pdu->length < 32)
            FAULT(MRS_RTR_ERR_CORRUPT_DATA, "Router Key PDU of %u bytes (at least 32)", pdu->length);
        pdu->flags = (uint8_t)(pdu->session >> 8);
        pdu->asn = get32(b + 20);
        pdu->session = 0;
        break;
    case MRS_RTR_ASPA: {
        if (pdu->length < 16)
            FAULT(MRS_RTR_ERR_CORRUPT_DATA, "ASPA PDU of %u bytes (at least 16)", pdu->length);
        pdu->flags = b[0];
        pdu->afi_flags = b[1];
        pdu->n_providers = get16(b + 2);
        pdu->asn = get32(b + 4);
        if (pdu->length != mrs_rtr_aspa_size(pdu->n_providers))
            FAULT(MRS_RTR_ERR_CORRUPT_DATA, "ASPA PDU of %u bytes for %u providers (must be %zu)", pdu->length,
                  pdu->n_providers, mrs_rtr_aspa_size(pdu->n_providers));
        pdu->providers = b + 8;
        break;
    }
    case MRS_RTR_ERROR_REPORT: {
        if (pdu->length < 16)
            FAULT(MRS_RTR_ERR_CORRUPT_DATA, "Error Report PDU of %u bytes (at least 16)", pdu->length);
        uint32_t pl = get32(b);
        if (pl > pdu->length - 16)
            FAULT(MRS_RTR_ERR_CORRUPT_DATA, "Error Report: encapsulated PDU of %u bytes in a PDU of %u", pl,
                  pdu->length);
        uint32_t tl = get32(b + 4 + pl);
        if (tl != pdu->length - 16 - pl)
            FAULT(MRS_RTR_ERR_CORRUPT_DATA, "Error Report: text of %u bytes, %u left in the PDU", tl,
                  pdu->length - 16 - pl);
        pdu->err_pdu = b + 4;
        pdu->err_pdu_len = pl;
        pdu->err_text = b + 8 + pl;
        pdu->err_text_len = tl;
        break;
    }
    default: break;
    }
    return 1;
}

const char *mrs_rtr_type_name(uint8_t type)
{
    static const char *const n[] = {"Serial Notify", "Serial Query", "Reset Query", "Cache Response",
                                    "IPv4 Prefix",   "unknown",      "IPv6 Prefix", "End of Data",
                                    "Cache Reset",   "Router Key",   "Error Report", "ASPA"};
    return type < sizeof n / sizeof n[0] ? n[type] : "unknown";
}

const char *mrs_rtr_error_name(uint16_t code)
{
    static const char *const n[] = {"Corrupt Data",         "Internal Error",
                                    "No Data Available",    "Invalid Request",
                                    "Unsupported Protocol Version", "Unsupported PDU Type",
                                    "Withdrawal of Unknown Record", "Duplicate Announcement Received",
                                    "Unexpected Protocol Version"};
    return code < sizeof n / sizeof n[0] ? n[code] : "unknown";
}

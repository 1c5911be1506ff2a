/*
 * mrt_reader.c — MRT framing (RFC 6396 §2-3) over the streaming reader (io.h).
 *
 * Splits the decompressed stream into records. Assumptions and choices:
 *  - A record is returned only whole; the buffer grows to the largest record
 *    seen, bounded by MRT_MAX_RECORD (16 MiB: far above any real record — the
 *    largest RIB records of full-table collectors are a few hundred KiB).
 *  - A common header is "plausible" if its type/subtype is one RFC 6396 (or the
 *    deprecated types of old archives) defines, its length is within bounds, and
 *    (after the first record) its timestamp is within a week of the previous one.
 *  - When a header is implausible, framing is lost. Instead of stopping (as
 *    bgpdump does), the reader scans forward for the next position that holds a
 *    plausible header whose record is itself followed by a plausible header (or
 *    ends exactly at the end of the input), reports the skipped byte range, and
 *    continues. Input ending inside a record is reported with the numbers.
 */
#include "manrs/feeds/mrt.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/grow.h"
#include "manrs/core/io.h"

#define MRT_MAX_RECORD (16u * 1024 * 1024)
#define MRT_READ_CHUNK (256u * 1024)
#define MRT_TS_WINDOW (7u * 86400u)
#define MRT_RESYNC_LIMIT (64u * 1024 * 1024) /* give up scanning after this many bytes */
#define MRT_START_LIMIT (1024u * 1024)       /* ... before the first record */

struct mrt_reader {
    mrs_reader *in;
    mrs_diag *diag;
    uint8_t *buf;
    size_t cap, pos, end;     /* valid data is buf[pos, end) */
    uint64_t buf_off;         /* stream offset of buf[0] */
    bool eof;                 /* underlying reader exhausted */
    bool done;
    uint32_t last_ts;
    bool have_ts;
    bool pinned;              /* keep buf[pin..] through compaction */
    size_t pin;
    int shortfall;            /* last length shortfall corrected (0: none yet) */
    mrt_reader_stats stats;
};

bool mrt_type_known(uint16_t type, uint16_t subtype)
{
    switch (type) {
    case 1: case 2: case 3: case 4: case 6: case 7: case 8: case 9: case 10:
        return subtype == 0 || type == 4; /* deprecated types (RFC 6396 §4 list) */
    /* Type 0 (NULL, deprecated) is not accepted: no archive has it, and twelve zero
     * bytes would be a valid empty record, so that /dev/zero read as an endless
     * stream of them (it is now not MRT from its first bytes). */
    case MRT_BGP:
        return subtype <= MRT_BGP_KEEPALIVE;
    case 11: /* OSPFv2 */
        return subtype <= 1;
    case MRT_TABLE_DUMP:
        return subtype >= 1 && subtype <= 4;
    case MRT_TABLE_DUMP_V2:
        return subtype >= 1 && subtype <= 12;
    case MRT_BGP4MP:
    case MRT_BGP4MP_ET:
        return subtype <= 11;
    case MRT_ISIS:
    case MRT_ISIS_ET:
        return subtype == 0;
    case MRT_OSPFV3:
    case MRT_OSPFV3_ET:
        return subtype <= 1;
    default:
        return false;
    }
}

const char *mrt_type_name(uint16_t type)
{
    switch (type) {
    case MRT_BGP: return "BGP";
    case 11: return "OSPFv2";
    case MRT_TABLE_DUMP: return "TABLE_DUMP";
    case MRT_TABLE_DUMP_V2: return "TABLE_DUMP_V2";
    case MRT_BGP4MP: return "BGP4MP";
    case MRT_BGP4MP_ET: return "BGP4MP_ET";
    case MRT_ISIS: return "ISIS";
    case MRT_ISIS_ET: return "ISIS_ET";
    case MRT_OSPFV3: return "OSPFv3";
    case MRT_OSPFV3_ET: return "OSPFv3_ET";
    default: return "UNKNOWN";
    }
}

const char *mrt_subtype_name(uint16_t type, uint16_t subtype)
{
    static const char *td[] = {"?", "AFI_IPv4", "AFI_IPv6", "AFI_IPv4_AS4", "AFI_IPv6_AS4"};
    static const char *td2[] = {"?", "PEER_INDEX_TABLE", "RIB_IPV4_UNICAST", "RIB_IPV4_MULTICAST",
                                "RIB_IPV6_UNICAST", "RIB_IPV6_MULTICAST", "RIB_GENERIC", "GEO_PEER_TABLE",
                                "RIB_IPV4_UNICAST_ADDPATH", "RIB_IPV4_MULTICAST_ADDPATH",
                                "RIB_IPV6_UNICAST_ADDPATH", "RIB_IPV6_MULTICAST_ADDPATH",
                                "RIB_GENERIC_ADDPATH"};
    static const char *mp[] = {"STATE_CHANGE", "MESSAGE", "ENTRY", "SNAPSHOT", "MESSAGE_AS4",
                               "STATE_CHANGE_AS4", "MESSAGE_LOCAL", "MESSAGE_AS4_LOCAL",
                               "MESSAGE_ADDPATH", "MESSAGE_AS4_ADDPATH", "MESSAGE_LOCAL_ADDPATH",
                               "MESSAGE_AS4_LOCAL_ADDPATH"};
    static const char *bgp[] = {"NULL", "UPDATE", "PREF_UPDATE", "STATE_CHANGE", "SYNC", "OPEN",
                                "NOTIFY", "KEEPALIVE"};
    switch (type) {
    case MRT_TABLE_DUMP:
        return subtype <= 4 ? td[subtype] : "?";
    case MRT_TABLE_DUMP_V2:
        return subtype <= 12 ? td2[subtype] : "?";
    case MRT_BGP4MP:
    case MRT_BGP4MP_ET:
        return subtype <= 11 ? mp[subtype] : "?";
    case MRT_BGP:
        return subtype <= 7 ? bgp[subtype] : "?";
    default:
        return "?";
    }
}

static mrt_reader *reader_new(mrs_reader *in, mrs_diag *diag, size_t cap)
{
    mrt_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->in = in;
    r->diag = diag;
    r->cap = cap; /* grows to the largest record */
    r->buf = malloc(r->cap);
    if (!r->buf) {
        free(r);
        return NULL;
    }
    return r;
}

mrt_reader *mrt_reader_open(const char *path, mrs_diag *diag, char *err, size_t errlen)
{
    mrs_reader *in = mrs_reader_open_why(path, err, errlen);
    if (!in)
        return NULL;
    mrt_reader *r = reader_new(in, diag, 1u << 20);
    if (!r) {
        mrs_reader_close(in);
        if (err)
            snprintf(err, errlen, "out of memory");
    }
    return r;
}

mrt_reader *mrt_reader_open_mem(const void *buf, size_t len, const char *name, mrs_diag *diag)
{
    mrs_reader *in = mrs_reader_open_mem(buf, len, name);
    if (!in)
        return NULL;
    mrt_reader *r = reader_new(in, diag, len < (1u << 20) ? 65536 : (1u << 20));
    if (!r)
        mrs_reader_close(in);
    return r;
}

void mrt_reader_close(mrt_reader *r)
{
    if (!r)
        return;
    mrs_reader_close(r->in);
    free(r->buf);
    free(r);
}

const mrt_reader_stats *mrt_reader_get_stats(const mrt_reader *r) { return &r->stats; }
const char *mrt_reader_name(const mrt_reader *r) { return mrs_reader_name(r->in); }

void mrt_reader_progress(const mrt_reader *r, uint64_t *raw_done, uint64_t *raw_total)
{
    *raw_done = mrs_reader_raw_offset(r->in);
    *raw_total = mrs_reader_raw_size(r->in);
}

/* Make at least `need` bytes available at buf[pos]; returns how many are. */
static size_t fill(mrt_reader *r, size_t need)
{
    size_t have = r->end - r->pos;
    if (have >= need || r->eof)
        return have;
    if (r->pos + need > r->cap) {
        size_t base = r->pinned && r->pin < r->pos ? r->pin : r->pos;
        if (base > 0) {
            memmove(r->buf, r->buf + base, r->end - base);
            r->buf_off += base;
            r->end -= base;
            r->pos -= base;
            if (r->pinned)
                r->pin -= base;
        }
        uint8_t *nb = mrs_grow(r->buf, &r->cap, r->pos + need, 1, 65536);
        if (!nb)
            return have;
        r->buf = nb;
    }
    while (r->end - r->pos < need && !r->eof) {
        size_t want = r->cap - r->end;
        if (want > MRT_READ_CHUNK && r->end - r->pos + MRT_READ_CHUNK >= need)
            want = MRT_READ_CHUNK > need ? MRT_READ_CHUNK : want;
        size_t got = mrs_read(r->in, r->buf + r->end, want);
        r->end += got;
        if (got < want) {
            r->eof = true;
            if (mrs_reader_error(r->in))
                mrs_diag_error_at(r->diag, mrs_reader_name(r->in), mrs_reader_offset(r->in), "%s",
                                  mrs_reader_errmsg(r->in));
        }
    }
    return r->end - r->pos;
}

typedef struct hdr {
    uint32_t ts, len, usec;
    uint16_t type, subtype;
    uint32_t hlen;            /* 12, or 16 with the ET microseconds */
} hdr;

static void parse_hdr(const uint8_t *p, hdr *h)
{
    h->ts = mrs_get32(p);
    h->type = mrs_get16(p + 4);
    h->subtype = mrs_get16(p + 6);
    h->len = mrs_get32(p + 8);
    h->hlen = 12;
    h->usec = 0;
}

static bool is_et(uint16_t type)
{
    return type == MRT_BGP4MP_ET || type == MRT_ISIS_ET || type == MRT_OSPFV3_ET;
}

/* Why a header is implausible, or NULL. */
static const char *hdr_problem(const mrt_reader *r, const hdr *h, bool check_ts)
{
    if (!mrt_type_known(h->type, h->subtype))
        return "unknown MRT type/subtype";
    if (h->len > MRT_MAX_RECORD)
        return "record length beyond the 16 MiB limit";
    if (is_et(h->type) && h->len < 4)
        return "extended-timestamp record shorter than its microseconds field";
    if (check_ts && r->have_ts) {
        uint32_t d = h->ts > r->last_ts ? h->ts - r->last_ts : r->last_ts - h->ts;
        if (d > MRT_TS_WINDOW)
            return "timestamp more than a week away from the previous record";
    }
    return NULL;
}

/* Is there a plausible record at buf[pos] that is followed by another plausible
 * header or by the exact end of the input? */
static bool plausible_here(mrt_reader *r, bool check_ts)
{
    if (fill(r, 12) < 12)
        return false;
    hdr h;
    parse_hdr(r->buf + r->pos, &h);
    if (hdr_problem(r, &h, check_ts))
        return false;
    size_t next = 12u + h.len;
    size_t have = fill(r, next + 12);
    if (have == next && r->eof)
        return true;
    if (have < next + 12)
        return false;
    hdr n;
    parse_hdr(r->buf + r->pos + next, &n);
    if (hdr_problem(r, &n, false))
        return false;
    /* the following record must agree in time with this one */
    uint32_t d = n.ts > h.ts ? n.ts - h.ts : h.ts - n.ts;
    return d <= MRT_TS_WINDOW;
}

/* Framing lost at buf[pos]: advance to the next plausible record. Returns false at EOF. */
static bool resync(mrt_reader *r, const char *why, const hdr *h)
{
    uint64_t start = r->buf_off + r->pos;
    mrs_diag_error_at(r->diag, mrs_reader_name(r->in), start,
                      "%s (type %u subtype %u length %u): MRT framing lost, searching for the next record", why,
                      h->type, h->subtype, h->len);
    r->stats.resyncs++;
    /* Before the first record a wrong file (not MRT at all, or endless: /dev/zero,
     * random data) is given up on soon; later, damage may hide long stretches. */
    uint64_t limit = r->stats.records ? MRT_RESYNC_LIMIT : MRT_START_LIMIT;
    for (uint64_t skip = 1; skip <= limit; skip++) {
        r->pos++;
        size_t have = fill(r, 12);
        if (have < 12) {
            r->stats.bytes_skipped += skip - 1 + have;
            mrs_diag_error_at(r->diag, mrs_reader_name(r->in), start,
                              "no further MRT record found; %" PRIu64 " bytes skipped to the end of the input",
                              skip - 1 + have);
            r->pos = r->end;
            return false;
        }
        if (plausible_here(r, true)) {
            r->stats.bytes_skipped += skip;
            mrs_diag_error_at(r->diag, mrs_reader_name(r->in), start,
                              "skipped %" PRIu64 " bytes; reading resumes at offset %" PRIu64, skip, start + skip);
            return true;
        }
    }
    if (!r->stats.records)
        mrs_diag_error_at(r->diag, mrs_reader_name(r->in), start,
                          "not MRT data: no MRT record within its first %u bytes; giving up", MRT_START_LIMIT);
    else
        mrs_diag_error_at(r->diag, mrs_reader_name(r->in), start, "no MRT record within %u bytes; giving up",
                          MRT_RESYNC_LIMIT);
    return false;
}

/* Is the header at buf[pos+at] plausible, within the time window of ts? */
static bool hdr_plausible_at(mrt_reader *r, size_t at, uint32_t ts, hdr *out)
{
    if (fill(r, at + 12) < at + 12)
        return false;
    parse_hdr(r->buf + r->pos + at, out);
    if (hdr_problem(r, out, false))
        return false;
    uint32_t d = out->ts > ts ? out->ts - ts : ts - out->ts;
    return d <= MRT_TS_WINDOW;
}

/* Does another MRT file start at buf[pos+at] (files concatenated)? Its header must
 * be plausible on its own (any time) and be followed, in its own time, by another
 * plausible header or the exact end of the input - where its length says, or up
 * to 8 bytes later (the new file has the short-length bug too). */
static bool file_starts_at(mrt_reader *r, size_t at)
{
    hdr n, m;
    if (fill(r, at + 12) < at + 12)
        return false;
    parse_hdr(r->buf + r->pos + at, &n);
    if (hdr_problem(r, &n, false))
        return false;
    for (size_t d = 0; d <= 8; d++) {
        size_t next = at + 12 + n.len + d;
        size_t have = fill(r, next + 12);
        if ((have == next && r->eof) || (have >= next + 12 && hdr_plausible_at(r, next, n.ts, &m)))
            return true;
    }
    return false;
}

/*
 * After a record occupying `total` bytes at buf[pos]: 0 if it is followed by the end
 * of the input or a plausible header; d (1..8) if its length field is d bytes short
 * — a producer bug seen in early RIPE RIS dumps — which is accepted only when the
 * next record shows the same shortfall (or the input ends exactly there); -1 if
 * neither (framing is lost; the next mrt_read resynchronises).
 * Concatenated files: a record may be followed by the first record of another file,
 * whose time is anything. That is accepted right after the record, or after the
 * shortfall this stream has shown already (the last record of a short-length file),
 * when what starts there is a file of its own (file_starts_at); and the record
 * after a shortfall may be the last of its file.
 */
static int length_shortfall(mrt_reader *r, size_t total, uint32_t ts)
{
    hdr n, m;
    size_t have = fill(r, total + 12);
    if (have == total && r->eof)
        return 0;
    if (have >= total + 12 && hdr_plausible_at(r, total, ts, &n))
        return 0;
    for (size_t d = 1; d <= 8; d++) {
        size_t at = total + d;
        have = fill(r, at + 12);
        if (have == at && r->eof)
            return (int)d;
        if (have < at + 12)
            continue;
        if (!hdr_plausible_at(r, at, ts, &n))
            continue;
        size_t next = at + 12 + n.len + d;
        have = fill(r, next + 12);
        if ((have == next && r->eof) ||
            (have >= next + 12 && (hdr_plausible_at(r, next, ts, &m) || file_starts_at(r, next))))
            return (int)d;
    }
    if (file_starts_at(r, total))
        return 0;
    if (r->shortfall > 0 && file_starts_at(r, total + (size_t)r->shortfall))
        return r->shortfall;
    return -1;
}

/*
 * The header at buf[pos] is plausible except for its time, which is more than a
 * week from the previous record's: is it the start of another file (MRT files
 * concatenated, `cat a.gz b.gz`), i.e. is the record followed by a plausible
 * header of its own time? The following header may sit where the record's
 * length says, or a few bytes later when the new file is one of those whose
 * length fields are short (length_shortfall): the new file is judged on its own,
 * exactly as if it were read alone.
 */
static bool time_jump(mrt_reader *r, const hdr *h)
{
    if (plausible_here(r, false))
        return true;
    size_t total = 12u + h->len;
    return fill(r, total) >= total && length_shortfall(r, total, h->ts) > 0;
}

/*
 * The record at buf[pos] is not followed by a plausible header. Either what follows
 * is damaged (the record itself is fine), or this header's length field is damaged
 * and swallows the records after it. In the second case a plausible record chain
 * starts inside the claimed body: skip to it. Returns true if it did.
 */
static bool inner_record(mrt_reader *r, uint64_t off, const hdr *h, size_t total)
{
    r->pinned = true;
    r->pin = r->pos;
    size_t found = 0;
    for (size_t k = 1; k < total; k++) {
        r->pos = r->pin + k;
        if (plausible_here(r, true)) {
            found = k;
            break;
        }
    }
    r->pos = r->pin;
    r->pinned = false;
    if (!found)
        return false;
    mrs_diag_error_at(r->diag, mrs_reader_name(r->in), off,
                      "%s record header damaged: length %u runs over the record that starts %zu bytes later; "
                      "%zu bytes skipped",
                      mrt_type_name(h->type), h->len, found, found);
    r->stats.resyncs++;
    r->stats.bytes_skipped += found;
    r->pos += found;
    return true;
}

int mrt_read(mrt_reader *r, mrt_record *rec)
{
    while (!r->done) {
        size_t have = fill(r, 12);
        if (have == 0) {
            r->done = true;
            break;
        }
        uint64_t off = r->buf_off + r->pos;
        if (have < 12) {
            mrs_diag_error_at(r->diag, mrs_reader_name(r->in), off,
                              "input ends inside an MRT header (%zu of 12 bytes)", have);
            r->stats.truncated = 1;
            r->done = true;
            break;
        }
        hdr h;
        parse_hdr(r->buf + r->pos, &h);
        /* The first header may be of any time; later ones are checked against the previous. */
        const char *why = hdr_problem(r, &h, true);
        if (why && r->have_ts && !hdr_problem(r, &h, false) && time_jump(r, &h))
            why = NULL; /* a genuine jump in time: the following record agrees */
        if (why) {
            if (!resync(r, why, &h)) {
                r->done = true;
                break;
            }
            continue;
        }
        size_t total = 12u + h.len;
        have = fill(r, total);
        if (have < total) {
            mrs_diag_error_at(r->diag, mrs_reader_name(r->in), off,
                              "input ends inside a %s record: header announces %u bytes, %zu present",
                              mrt_type_name(h.type), h.len, have - 12);
            r->stats.truncated = 1;
            r->done = true;
            break;
        }
        int sf = length_shortfall(r, total, h.ts);
        if (sf < 0 && inner_record(r, off, &h, total))
            continue;
        if (sf > 0) {
            if (!r->stats.length_fixes)
                mrs_diag_warn_at(r->diag, mrs_reader_name(r->in), off,
                                 "MRT length field %d bytes short of the record (producer bug); corrected here "
                                 "and wherever the same shortfall recurs",
                                 sf);
            r->stats.length_fixes++;
            r->shortfall = sf;
            h.len += (uint32_t)sf;
            total += (size_t)sf;
        }
        const uint8_t *b = r->buf + r->pos + 12;
        rec->offset = off;
        rec->timestamp = h.ts;
        rec->type = h.type;
        rec->subtype = h.subtype;
        if (is_et(h.type)) {
            rec->usec = mrs_get32(b);
            rec->body = b + 4;
            rec->length = h.len - 4;
        } else {
            rec->usec = 0;
            rec->body = b;
            rec->length = h.len;
        }
        r->pos += total;
        r->last_ts = h.ts;
        r->have_ts = true;
        r->stats.records++;
        r->stats.bytes = r->buf_off + r->pos;
        return 1;
    }
    return 0;
}

/*
 * delegated.c — RIR delegated-extended statistics (see delegated.h).
 *
 * Storage: one array of records (strings in an arena), the IP records split into
 * CIDR blocks indexed by the core prefix trie (core/trie.h), and the ASN records as
 * ranges sorted by first ASN with a running maximum of the last ASN so that an
 * overlapping range (e.g. the NRO combined file loaded beside an RIR file) is still
 * found. Assumes records within one file do not overlap (the RIRs guarantee it);
 * when files overlap, the most specific block wins and, at equal blocks, the record
 * loaded first. The trie holds one value per prefix, so the blocks of one prefix
 * (one per file that lists it) form a ring through their next links in load order;
 * the trie names the newest block, whose next is the oldest: adding is O(1) and a
 * walk of the group starts at the record loaded first.
 */
#include "manrs/kb/delegated.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"
#include "manrs/core/trie.h"

#include <stdlib.h>
#include <string.h>

#include "topo_internal.h"

typedef struct asn_range {
    uint32_t first, last;
    uint32_t rec;
} asn_range;

typedef struct deleg_block {
    uint32_t rec;           /* record index */
    uint32_t next;          /* next block of the same prefix (a ring, see above) */
} deleg_block;

struct mrs_deleg_db {
    mrs_deleg_record *rec;
    size_t n, cap;
    mrs_trie *trie;             /* block prefix -> newest block with that prefix */
    deleg_block *block;         /* one per CIDR block, in load order */
    size_t blocks, blockcap;
    asn_range *asn;
    uint32_t *asn_maxlast;      /* asn_maxlast[i] = max(asn[0..i].last) */
    size_t nasn, asncap;
    mrs_deleg_file_info *files;
    size_t nfiles;
    mrs_arena strings;
    const char *registries[32]; /* interned registry names */
    unsigned nregistries;
    unsigned rir_seen;          /* bit per RIR, see rir_bit */
    bool iana_seen;
    int complete_override;      /* -1 automatic, 0/1 forced */
    uint64_t counts[4][7];
};

static const char *const status_names[] = {"not-covered", "allocated", "assigned", "available",
                                           "reserved", "ianapool", "ietf"};

const char *mrs_deleg_status_name(mrs_deleg_status s)
{
    return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

bool mrs_deleg_status_unallocated(mrs_deleg_status s)
{
    return s == MRS_DELEG_AVAILABLE || s == MRS_DELEG_RESERVED || s == MRS_DELEG_IANAPOOL || s == MRS_DELEG_IETF;
}

mrs_deleg_db *mrs_deleg_new(void)
{
    mrs_deleg_db *db = calloc(1, sizeof *db);
    if (!db)
        return NULL;
    db->trie = mrs_trie_new();
    if (!db->trie) {
        free(db);
        return NULL;
    }
    mrs_arena_init(&db->strings);
    db->complete_override = -1;
    return db;
}

void mrs_deleg_free(mrs_deleg_db *db)
{
    if (!db)
        return;
    free(db->rec);
    mrs_trie_free(db->trie);
    free(db->block);
    free(db->asn);
    free(db->asn_maxlast);
    free(db->files);
    mrs_arena_clear(&db->strings);
    free(db);
}

size_t mrs_deleg_count(const mrs_deleg_db *db) { return db->n; }
const mrs_deleg_record *mrs_deleg_record_at(const mrs_deleg_db *db, size_t i) { return i < db->n ? &db->rec[i] : NULL; }
size_t mrs_deleg_block_count(const mrs_deleg_db *db) { return db->blocks; }
size_t mrs_deleg_file_count(const mrs_deleg_db *db) { return db->nfiles; }
const mrs_deleg_file_info *mrs_deleg_file_at(const mrs_deleg_db *db, size_t i) { return i < db->nfiles ? &db->files[i] : NULL; }

uint64_t mrs_deleg_count_by(const mrs_deleg_db *db, mrs_deleg_type type, mrs_deleg_status status)
{
    if ((unsigned)type > 3 || (unsigned)status > 6)
        return 0;
    return db->counts[type][status];
}

static unsigned rir_bit(const char *reg, size_t n)
{
    static const char *const rirs[] = {"afrinic", "apnic", "arin", "lacnic", "ripencc"};
    for (unsigned i = 0; i < 5; i++)
        if (strlen(rirs[i]) == n && memcmp(rirs[i], reg, n) == 0)
            return 1u << i;
    return 0;
}

bool mrs_deleg_is_complete(const mrs_deleg_db *db)
{
    if (db->complete_override >= 0)
        return db->complete_override != 0;
    return db->rir_seen == 0x1f || db->iana_seen;
}

void mrs_deleg_set_complete(mrs_deleg_db *db, bool complete) { db->complete_override = complete ? 1 : 0; }

/* ---------------------------------------------------------------- parsing */

static bool field_is(const char *f, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(f, lit, n) == 0;
}

static int parse_type(const char *f, size_t n)
{
    if (field_is(f, n, "asn"))
        return MRS_DELEG_TYPE_ASN;
    if (field_is(f, n, "ipv4"))
        return MRS_DELEG_TYPE_IPV4;
    if (field_is(f, n, "ipv6"))
        return MRS_DELEG_TYPE_IPV6;
    return 0;
}

static int parse_status(const char *f, size_t n)
{
    for (int s = MRS_DELEG_ALLOCATED; s <= MRS_DELEG_IETF; s++)
        if (field_is(f, n, status_names[s]))
            return s;
    return 0;
}

static bool is_version(const char *f, size_t n)
{
    if (n == 0 || n > 15 || f[0] < '0' || f[0] > '9')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((f[i] >= '0' && f[i] <= '9') || f[i] == '.'))
            return false;
    return true;
}

static bool is_token(const char *f, size_t n, size_t maxn)
{
    if (n == 0 || n > maxn)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = f[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
            return false;
    }
    return true;
}

static const char *intern_registry(mrs_deleg_db *db, const char *f, size_t n)
{
    for (unsigned i = 0; i < db->nregistries; i++)
        if (field_is(f, n, db->registries[i]))
            return db->registries[i];
    const char *s = mrs_arena_strndup(&db->strings, f, n);
    if (s && db->nregistries < sizeof db->registries / sizeof db->registries[0])
        db->registries[db->nregistries++] = s;
    return s;
}

typedef struct load_ctx {
    mrs_deleg_db *db;
    mrs_diag *d;
    const char *name;
    size_t file;            /* index into db->files */
    uint64_t per_type[4];
    bool header_seen;
} load_ctx;

static int add_asn_range(mrs_deleg_db *db, uint32_t first, uint32_t last, uint32_t rec)
{
    asn_range *na = mrs_grow(db->asn, &db->asncap, db->nasn + 1, sizeof *na, 1024);
    if (!na)
        return -1;
    db->asn = na;
    db->asn[db->nasn++] = (asn_range){first, last, rec};
    return 0;
}

/* Add the block p of record rec. Returns 0 or -1 (memory). */
static int add_block_of(mrs_deleg_db *db, const mrs_prefix *p, uint32_t rec)
{
    if (db->blocks >= UINT32_MAX)
        return -1;
    deleg_block *nb = mrs_grow(db->block, &db->blockcap, db->blocks + 1, sizeof *nb, 4096);
    if (!nb)
        return -1;
    db->block = nb;
    bool created;
    uint32_t *slot = mrs_trie_slot(db->trie, p, &created);
    if (!slot)
        return -1;
    uint32_t b = (uint32_t)db->blocks++;
    db->block[b].rec = rec;
    if (created) {
        db->block[b].next = b;
    } else {
        db->block[b].next = db->block[*slot].next;
        db->block[*slot].next = b;
    }
    *slot = b;
    return 0;
}

/* Split [start, start+count) (IPv4, count >= 1) into CIDR blocks. */
static int add_ipv4_blocks(mrs_deleg_db *db, uint32_t start, uint64_t count, uint32_t rec)
{
    uint64_t cur = start;
    while (count) {
        unsigned k = 0;   /* block of 2^k addresses */
        while (k < 32 && (cur & ((1ull << (k + 1)) - 1)) == 0 && (1ull << (k + 1)) <= count)
            k++;
        mrs_prefix p;
        memset(&p, 0, sizeof p);
        p.afi = MRS_AFI_IPV4;
        p.len = (uint8_t)(32 - k);
        p.addr[0] = (uint8_t)(cur >> 24);
        p.addr[1] = (uint8_t)(cur >> 16);
        p.addr[2] = (uint8_t)(cur >> 8);
        p.addr[3] = (uint8_t)cur;
        if (add_block_of(db, &p, rec) != 0)
            return -1;
        cur += 1ull << k;
        count -= 1ull << k;
    }
    return 0;
}

/* Returns -1 on memory exhaustion, 0 otherwise (bad lines are reported). */
static int deleg_line(load_ctx *c, const char *line, size_t len, uint64_t lineno)
{
    mrs_deleg_db *db = c->db;
    mrs_deleg_file_info *fi = &db->files[c->file];
    const char *s = line;
    size_t n = len;
    mrs_trim(&s, &n);
    if (n == 0 || s[0] == '#')
        return 0;
    const char *f[10];
    size_t fl[10];
    size_t nf = mrs_split(s, n, '|', f, fl, 10);
    for (size_t i = 0; i < nf && i < 10; i++)
        mrs_trim(&f[i], &fl[i]);
    char qb[MRS_QUOTE_MAX];
#define Q(i) mrs_quote(qb, sizeof qb, f[i], fl[i])
#define BAD(...)                                                      \
    do {                                                              \
        mrs_diag_error_line(c->d, c->name, lineno, __VA_ARGS__);      \
        fi->bad_lines++;                                              \
        return 0;                                                     \
    } while (0)

    /* Header: version|registry|serial|records|startdate|enddate|UTCoffset */
    if (nf == 7 && is_version(f[0], fl[0])) {
        if (c->header_seen)
            BAD("second header line");
        uint64_t recs;
        if (!is_token(f[1], fl[1], 15) || !mrs_parse_u64(f[3], fl[3], UINT64_MAX, &recs))
            BAD("malformed header line");
        c->header_seen = true;
        memcpy(fi->version, f[0], fl[0]);
        fi->version[fl[0]] = '\0';
        memcpy(fi->registry, f[1], fl[1]);
        fi->registry[fl[1]] = '\0';
        fi->header_records = recs;
        /* the data's date: enddate, else a serial written as a date (RIR files) */
        for (int k = 0; k < 2 && !fi->date; k++) {
            size_t x = k ? 2 : 5;
            uint64_t v;
            if (fl[x] == 8 && mrs_parse_u64(f[x], 8, 99991231, &v) && v >= 19800101)
                fi->date = (uint32_t)v;
        }
        return 0;
    }
    /* Summary: registry|*|type|*|count|summary */
    if (nf == 6 && field_is(f[5], fl[5], "summary")) {
        int t = parse_type(f[2], fl[2]);
        uint64_t cnt;
        if (!field_is(f[1], fl[1], "*") || !field_is(f[3], fl[3], "*") || !t ||
            !mrs_parse_u64(f[4], fl[4], UINT64_MAX, &cnt))
            BAD("malformed summary line");
        fi->summary[t] = cnt;
        return 0;
    }
    if (nf < 7)
        BAD("record has %zu fields, expected at least 7 (registry|cc|type|start|value|date|status)", nf);
    if (!is_token(f[0], fl[0], 15))
        BAD("bad registry \"%s\"", Q(0));
    if (fl[1] > 3 || !(fl[1] == 0 || is_token(f[1], fl[1], 3)))
        BAD("bad country code \"%s\"", Q(1));
    int type = parse_type(f[2], fl[2]);
    if (!type)
        BAD("unknown type \"%s\"", Q(2));
    int status = parse_status(f[6], fl[6]);
    if (!status)
        BAD("unknown status \"%s\"", Q(6));
    uint64_t date = 0;
    if (fl[5] && (fl[5] != 8 || !mrs_parse_u64(f[5], fl[5], 99999999, &date)))
        BAD("bad date \"%s\"", Q(5));

    mrs_deleg_record r;
    memset(&r, 0, sizeof r);
    r.type = (uint8_t)type;
    r.status = (uint8_t)status;
    r.date = (uint32_t)date;
    r.line = lineno;
    r.file = c->name;
    memcpy(r.cc, f[1], fl[1]);
    uint64_t value;
    if (!mrs_parse_u64(f[4], fl[4], UINT64_MAX, &value))
        BAD("bad value \"%s\"", Q(4));
    r.value = value;
    unsigned afi;
    uint8_t addr[16];
    if (type == MRS_DELEG_TYPE_ASN) {
        uint64_t first;
        if (!mrs_parse_u64(f[3], fl[3], UINT32_MAX, &first))
            BAD("bad ASN \"%s\"", Q(3));
        if (value == 0 || first + value - 1 > UINT32_MAX)
            BAD("ASN count %llu out of range from AS%llu", (unsigned long long)value, (unsigned long long)first);
        r.asn_first = (uint32_t)first;
        r.asn_last = (uint32_t)(first + value - 1);
    } else {
        if (!mrs_ip_parse(f[3], fl[3], &afi, addr) ||
            afi != (type == MRS_DELEG_TYPE_IPV4 ? MRS_AFI_IPV4 : MRS_AFI_IPV6))
            BAD("bad %s start address \"%s\"", type == MRS_DELEG_TYPE_IPV4 ? "ipv4" : "ipv6", Q(3));
        memcpy(r.start, addr, 16);
        if (type == MRS_DELEG_TYPE_IPV4) {
            uint64_t start = ((uint64_t)addr[0] << 24) | ((uint64_t)addr[1] << 16) | ((uint64_t)addr[2] << 8) | addr[3];
            if (value == 0 || start + value > (1ull << 32))
                BAD("ipv4 address count %llu out of range", (unsigned long long)value);
        } else {
            if (value > 128)
                BAD("ipv6 prefix length %llu out of range", (unsigned long long)value);
            mrs_prefix p;
            memset(&p, 0, sizeof p);
            p.afi = MRS_AFI_IPV6;
            p.len = (uint8_t)value;
            memcpy(p.addr, addr, 16);
            if (mrs_prefix_mask(&p))
                BAD("ipv6 start has bits set beyond /%llu", (unsigned long long)value);
        }
    }
    r.registry = intern_registry(db, f[0], fl[0]);
    r.opaque_id = nf >= 8 ? mrs_arena_strndup(&db->strings, f[7], fl[7]) : "";
    if (!r.registry || !r.opaque_id)
        return -1;
    if (db->n >= UINT32_MAX)
        return -1;
    mrs_deleg_record *nr = mrs_grow(db->rec, &db->cap, db->n + 1, sizeof *nr, 4096);
    if (!nr)
        return -1;
    db->rec = nr;
    uint32_t idx = (uint32_t)db->n;
    int rc;
    if (type == MRS_DELEG_TYPE_ASN) {
        rc = add_asn_range(db, r.asn_first, r.asn_last, idx);
    } else if (type == MRS_DELEG_TYPE_IPV4) {
        uint32_t start = ((uint32_t)addr[0] << 24) | ((uint32_t)addr[1] << 16) | ((uint32_t)addr[2] << 8) | addr[3];
        rc = add_ipv4_blocks(db, start, value, idx);
    } else {
        mrs_prefix p;
        memset(&p, 0, sizeof p);
        p.afi = MRS_AFI_IPV6;
        p.len = (uint8_t)value;
        memcpy(p.addr, addr, 16);
        rc = add_block_of(db, &p, idx);
    }
    if (rc != 0)
        return -1;
    db->rec[db->n++] = r;
    db->counts[type][status]++;
    fi->records++;
    c->per_type[type]++;
    db->rir_seen |= rir_bit(f[0], fl[0]);
    if (field_is(f[0], fl[0], "iana") || status == MRS_DELEG_IANAPOOL)
        db->iana_seen = true;
    return 0;
#undef BAD
#undef Q
}

static int asn_cmp(const void *a, const void *b)
{
    const asn_range *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    if (x->last != y->last)
        return x->last < y->last ? -1 : 1;   /* smaller range first */
    return (x->rec > y->rec) - (x->rec < y->rec);
}

static int finish(mrs_deleg_db *db)
{
    /* Best effort: an uncompacted trie answers the same, only slower. */
    (void)mrs_trie_compact(db->trie);
    if (db->nasn > 1)
        qsort(db->asn, db->nasn, sizeof *db->asn, asn_cmp);
    uint32_t *ml = realloc(db->asn_maxlast, (db->nasn ? db->nasn : 1) * sizeof *ml);
    if (!ml)
        return -1;
    db->asn_maxlast = ml;
    uint32_t m = 0;
    for (size_t i = 0; i < db->nasn; i++) {
        if (i == 0 || db->asn[i].last > m)
            m = db->asn[i].last;
        ml[i] = m;
    }
    return 0;
}

int mrs_deleg_load_src_(mrs_deleg_db *db, mrs_linesrc *src, const char *name, mrs_diag *d)
{
    mrs_deleg_file_info *nf = realloc(db->files, (db->nfiles + 1) * sizeof *nf);
    if (!nf)
        return -1;
    db->files = nf;
    mrs_deleg_file_info *fi = &db->files[db->nfiles];
    memset(fi, 0, sizeof *fi);
    fi->name = mrs_arena_strndup(&db->strings, name ? name : "-", name ? strlen(name) : 1);
    if (!fi->name)
        return -1;
    load_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.d = d;
    c.name = fi->name;
    c.file = db->nfiles++;
    const char *line;
    size_t len;
    uint64_t lineno = 0;
    int r = 0;
    while (src->next(src->ctx, &line, &len) == 1) {
        if (deleg_line(&c, line, len, ++lineno) != 0) {
            mrs_diag_error_file(d, c.name, "out of memory");
            r = -1;
            break;
        }
    }
    if (finish(db) != 0) {
        mrs_diag_error_file(d, c.name, "out of memory");
        r = -1;
    }
    fi = &db->files[c.file];
    if (r == 0) {
        /* Cross-check against what the file says about itself (not fatal). */
        if (c.header_seen && fi->header_records != fi->records)
            mrs_diag_warn_line(d, c.name, 1, "header announces %llu records, %llu loaded",
                               (unsigned long long)fi->header_records, (unsigned long long)fi->records);
        static const char *const tn[] = {"", "asn", "ipv4", "ipv6"};
        for (int t = 1; t <= 3; t++)
            if (c.header_seen && fi->summary[t] != c.per_type[t])
                mrs_diag_warn_line(d, c.name, 1, "summary announces %llu %s records, %llu loaded",
                                   (unsigned long long)fi->summary[t], tn[t], (unsigned long long)c.per_type[t]);
    }
    return r;
}

int mrs_deleg_load_mem(mrs_deleg_db *db, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    mrs_linesrc src;
    mrs_memlines m;
    mrs_linesrc_mem(&src, &m, buf, len);
    return mrs_deleg_load_src_(db, &src, name, d);
}

/* ---------------------------------------------------------------- queries */

typedef struct blk {
    uint8_t addr[16];
    uint8_t len;
} blk;

typedef struct in_ctx {
    const mrs_deleg_db *db;
    unsigned len;           /* the query's length */
    const mrs_deleg_record *first, *first_unalloc;
    blk *v;
    size_t n, cap;
    bool oom;
} in_ctx;

/* Keep block p for the tiling check (a failed allocation only skips that check). */
static void keep_block(in_ctx *c, const mrs_prefix *p)
{
    if (c->oom)
        return;
    blk *nv = mrs_grow(c->v, &c->cap, c->n + 1, sizeof *nv, 64);
    if (!nv) {
        c->oom = true;
        return;
    }
    c->v = nv;
    memcpy(c->v[c->n].addr, p->addr, 16);
    c->v[c->n].len = p->len;
    c->n++;
}

/* Blocks strictly inside the query, in (address, length, load) order. */
static int in_cb(const mrs_prefix *p, uint32_t last, void *vctx)
{
    in_ctx *c = vctx;
    if (p->len <= c->len)
        return 0;   /* the query's own prefix */
    for (uint32_t b = c->db->block[last].next;; b = c->db->block[b].next) {
        const mrs_deleg_record *r = &c->db->rec[c->db->block[b].rec];
        if (!c->first)
            c->first = r;
        if (!c->first_unalloc && mrs_deleg_status_unallocated((mrs_deleg_status)r->status))
            c->first_unalloc = r;
        keep_block(c, p);
        if (b == last)
            return 0;
    }
}

static int blk_cmp(const void *a, const void *b)
{
    const blk *x = a, *y = b;
    int c = memcmp(x->addr, y->addr, 16);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* a += 2^(bits - len) within a `bits`-bit address; returns true on carry out. */
static bool add_block(uint8_t a[16], unsigned bits, unsigned len)
{
    if (len == 0)
        return true;
    unsigned bit = len - 1;   /* bit index (0 = most significant) to add 1 at */
    int byte = (int)(bit / 8);
    unsigned carry = 1u << (7 - bit % 8);
    (void)bits;
    for (; byte >= 0 && carry; byte--) {
        unsigned v = a[byte] + carry;
        a[byte] = (uint8_t)v;
        carry = v >> 8;
    }
    return carry != 0;
}

/* Do the sorted blocks in c tile the whole of p? */
static bool tiles(in_ctx *c, const mrs_prefix *p)
{
    unsigned bits = mrs_afi_bits(p->afi);
    uint8_t next[16], end[16];
    memcpy(next, p->addr, 16);
    memcpy(end, p->addr, 16);
    bool end_wraps = add_block(end, bits, p->len);   /* first address after p */
    bool next_wrapped = false;
    if (c->n > 1)
        qsort(c->v, c->n, sizeof *c->v, blk_cmp);
    for (size_t i = 0; i < c->n; i++) {
        if (next_wrapped)
            break;
        int cmp = memcmp(c->v[i].addr, next, 16);
        if (cmp > 0)
            return false;   /* gap before this block */
        uint8_t bend[16];
        memcpy(bend, c->v[i].addr, 16);
        bool w = add_block(bend, bits, c->v[i].len);
        if (w) {
            next_wrapped = true;
        } else if (memcmp(bend, next, 16) > 0) {
            memcpy(next, bend, 16);
        }
    }
    if (next_wrapped)
        return true;
    if (end_wraps)
        return false;
    return memcmp(next, end, 16) >= 0;
}

mrs_deleg_status mrs_deleg_lookup_prefix(const mrs_deleg_db *db, const mrs_prefix *p, mrs_deleg_answer *a)
{
    memset(a, 0, sizeof *a);
    if ((p->afi != MRS_AFI_IPV4 && p->afi != MRS_AFI_IPV6) || p->len > mrs_afi_bits(p->afi))
        return MRS_DELEG_NOT_COVERED;
    bool complete = mrs_deleg_is_complete(db);
    /* The most specific covering block, of the record loaded first. */
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    unsigned k = mrs_trie_covering(db->trie, p, m);
    if (k) {
        a->rec = &db->rec[db->block[db->block[m[k - 1].value].next].rec];
        a->status = (mrs_deleg_status)a->rec->status;
        a->block.afi = p->afi;
        a->block.len = m[k - 1].len;
        memcpy(a->block.addr, p->addr, mrs_afi_bits(p->afi) / 8);
        mrs_prefix_mask(&a->block);
        a->unallocated = mrs_deleg_status_unallocated(a->status);
        return a->status;
    }
    mrs_prefix q = *p;
    mrs_prefix_mask(&q);
    in_ctx ic;
    memset(&ic, 0, sizeof ic);
    ic.db = db;
    ic.len = q.len;
    mrs_trie_covered(db->trie, &q, in_cb, &ic);
    a->status = MRS_DELEG_NOT_COVERED;
    if (!ic.first) {
        a->unallocated = complete;   /* nothing delegated anywhere in it */
    } else {
        a->partial = true;
        a->inner = ic.first_unalloc ? ic.first_unalloc : ic.first;
        if (ic.first_unalloc)
            a->contains_unallocated = true;
        else if (complete && !ic.oom && !tiles(&ic, &q))
            a->contains_unallocated = true;   /* a gap no record covers */
    }
    free(ic.v);
    return a->status;
}

mrs_deleg_status mrs_deleg_lookup_asn(const mrs_deleg_db *db, uint32_t asn, mrs_deleg_answer *a)
{
    memset(a, 0, sizeof *a);
    /* Last range with first <= asn, then walk back while a range may still reach asn. */
    size_t lo;
    MRS_LOWER_BOUND(lo, db->nasn, i, db->asn[i].first <= asn);
    const asn_range *best = NULL;
    for (size_t i = lo; i-- > 0;) {
        if (db->asn_maxlast[i] < asn)
            break;
        const asn_range *r = &db->asn[i];
        if (r->last >= asn && (!best || (uint64_t)r->last - r->first < (uint64_t)best->last - best->first ||
                               ((uint64_t)r->last - r->first == (uint64_t)best->last - best->first && r->rec < best->rec)))
            best = r;
    }
    if (!best) {
        a->status = MRS_DELEG_NOT_COVERED;
        a->unallocated = mrs_deleg_is_complete(db);
        return a->status;
    }
    a->rec = &db->rec[best->rec];
    a->status = (mrs_deleg_status)a->rec->status;
    a->unallocated = mrs_deleg_status_unallocated(a->status);
    return a->status;
}

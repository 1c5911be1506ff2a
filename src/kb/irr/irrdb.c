/*
 * irrdb.c — loading RPSL dumps into an irr_db and building its indexes (see irr.h,
 * layout in irr_internal.h).
 *
 * What is kept per class (RFC 2622 §4-5, RFC 4012 §2-3):
 *   route/route6: prefix (strict: no host bits), origin, source, mnt-by, member-of
 *   aut-num:      ASN, as-name, admin-c/tech-c/abuse-c, mnt-by, member-of, source,
 *                 and only the number of import/mp-import and export/mp-export lines
 *   as-set:       members + mp-members (ASNs and as-set names), mbrs-by-ref, source
 *   route-set:    members + mp-members (prefixes, route-set/as-set names, ASNs, each
 *                 with an optional range operator), mbrs-by-ref, source
 *   mntner, role, person, irt, organisation: key, name, e-mail, abuse-mailbox, source
 * An object whose key attributes are bad (prefix, ASN, set name, missing origin or
 * source, key attribute repeated) is malformed: reported as FILE:LINE, skipped,
 * counted. A bad item in a members list only drops that item (warning).
 * Within one source a key should occur once; later duplicates are reported as
 * warnings and dropped (the first one loaded is kept).
 */
#include "irr_internal.h"
#include "manrs/core/grow.h"
#include "manrs/core/date.h"
#include "manrs/core/search.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- memory */

#define VEC_PUSH(db_, vec, out)                                                        \
    do {                                                                               \
        void *nv_ = mrs_grow((vec).v, &(vec).cap, (vec).n + 1, sizeof *(vec).v, 64);   \
        if (!nv_) {                                                                    \
            (out) = NULL;                                                              \
            break;                                                                     \
        }                                                                              \
        (vec).v = nv_;                                                                 \
        (out) = &(vec).v[(vec).n++];                                                   \
    } while (0)

static const char *arena_str(irr_db *db, const char *s, size_t n) { return mrs_arena_strndup(&db->arena, s, n); }

/* ---------------------------------------------------------------- names */

static inline char up(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c; }

/* The ASCII letters of 8 bytes upper-cased at once, as up() does for one byte
 * (bytes >= 0x80 unchanged): a high bit marks each byte in 'a'..'z', and moved
 * to bit 5 it is the case bit to flip. */
static inline uint64_t up8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t low7 = x & ~high;
    uint64_t ge_a = low7 + (0x80 - 'a') * ones;
    uint64_t gt_z = low7 + (0x80 - 'z' - 1) * ones;
    return x ^ ((ge_a & ~gt_z & ~x & high) >> 2);
}

/* A word at a time: attribute values are hashed on every interning, at RPSL
 * loading speed. The last 1..8 bytes are read as overlapping words that stay in
 * bounds; with the length in the seed the tail mapping is still one to one. */
uint64_t irr_name_hash(const char *s, size_t n)
{
    uint64_t h = n * 0x9e3779b97f4a7c15ull, x;
    for (; n > 8; s += 8, n -= 8) {
        memcpy(&x, s, 8);
        h = mrs_mix64(h ^ up8(x));
    }
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        x = (uint64_t)a << 32 | b;
    } else {
        x = n ? (uint64_t)(uint8_t)s[0] << 16 | (uint64_t)(uint8_t)s[n / 2] << 8 | (uint8_t)s[n - 1] : 0;
    }
    h = mrs_mix64(h ^ up8(x));
    return h == MRS_MAP64_FREE ? h - 1 : h;
}

static bool name_eq(const irr_name *nm, const char *s, size_t n)
{
    if (nm->len != n)
        return false;
    if (memcmp(nm->s, s, n) == 0)
        return true; /* most names arrive upper case already */
    for (size_t i = 0; i < n; i++)
        if (nm->s[i] != up(s[i]))
            return false;
    return true;
}

/* The map key of a name's probe number `salt`: its hash, then keys derived from
 * it for the names whose hashes collide. Keys are never removed, so a name is
 * found by following its keys until a match or a free key. */
static inline uint64_t name_key(uint64_t h, uint32_t salt)
{
    if (!salt)
        return h;
    uint64_t k = mrs_mix64(h ^ (salt * 0xc2b2ae3d27d4eb4full));
    return k == MRS_MAP64_FREE ? k - 1 : k;
}

/* A probe that meets another name's slot tells it apart by the 64-bit key alone;
 * the name itself is read only on a key match. */
uint32_t irr_name_find_hashed(const irr_db *db, const char *s, size_t n, uint64_t h)
{
    for (uint32_t salt = 0;; salt++) {
        const uint32_t *id = mrs_map64_get(&db->name_map, name_key(h, salt));
        if (!id)
            return IRR_NONE;
        if (name_eq(&db->names.v[*id], s, n))
            return *id;
    }
}

uint32_t irr_name_find(const irr_db *db, const char *s, size_t n)
{
    return irr_name_find_hashed(db, s, n, irr_name_hash(s, n));
}

uint32_t irr_name_intern_hashed(irr_db *db, const char *s, size_t n, uint64_t h)
{
    uint32_t salt = 0;
    for (;; salt++) {
        const uint32_t *id = mrs_map64_get(&db->name_map, name_key(h, salt));
        if (!id)
            break;   /* the first free key of this name's sequence is where it goes */
        if (name_eq(&db->names.v[*id], s, n))
            return *id;
    }
    char *p = mrs_arena_alloc(&db->arena, n + 1);
    if (!p)
        return IRR_NONE;
    for (size_t i = 0; i < n; i++)
        p[i] = up(s[i]);
    p[n] = '\0';
    irr_name *nm;
    VEC_PUSH(db, db->names, nm);
    if (!nm)
        return IRR_NONE;
    bool found;
    uint32_t *slot = mrs_map64_put(&db->name_map, name_key(h, salt), &found);
    if (!slot) {
        db->names.n--;
        return IRR_NONE;
    }
    nm->s = p;
    nm->len = (uint32_t)n;
    nm->set_head = IRR_NONE;
    *slot = (uint32_t)(db->names.n - 1);
    return *slot;
}

/* Intern (upper case). Returns the id or IRR_NONE when out of memory. */
static uint32_t name_intern(irr_db *db, const char *s, size_t n)
{
    return irr_name_intern_hashed(db, s, n, irr_name_hash(s, n));
}

/* ---------------------------------------------------------------- db */

irr_db *irr_db_new(mrs_diag *diag)
{
    irr_db *db = calloc(1, sizeof *db);
    if (!db)
        return NULL;
    if (mrs_map64_init(&db->name_map) != 0 || mrs_map64_init(&db->disp_map) != 0) {
        mrs_map64_clear(&db->name_map);
        free(db);
        return NULL;
    }
    if (pthread_mutex_init(&db->route_trie_lock, NULL) != 0) {
        mrs_map64_clear(&db->name_map);
        mrs_map64_clear(&db->disp_map);
        free(db);
        return NULL;
    }
    mrs_diag_init(&db->own_diag, NULL);
    db->diag = diag ? diag : &db->own_diag;
    return db;
}

void irr_db_free(irr_db *db)
{
    if (!db)
        return;
    mrs_arena_clear(&db->arena);
    for (size_t i = 0; i < db->files.n; i++)
        free(db->files.v[i]);
    free(db->files.v);
    free(db->file_newest.v);
    free(db->names.v);
    mrs_map64_clear(&db->name_map);
    free(db->disps.v);
    mrs_map64_clear(&db->disp_map);
    free(db->ids.v);
    free(db->routes.v);
    free(db->sets.v);
    free(db->members.v);
    free(db->mpfx.v);
    free(db->autnums.v);
    free(db->contacts.v);
    free(db->by_origin);
    free(db->route_memberof);
    free(db->autnum_memberof);
    mrs_trie_free(atomic_load(&db->route_trie));
    pthread_mutex_destroy(&db->route_trie_lock);
    free(db);
}

const irr_stats *irr_db_stats(const irr_db *db) { return &db->stats; }
mrs_diag *irr_db_diag(const irr_db *db) { return db->diag; }
size_t irr_db_source_count(const irr_db *db) { return db->n_sources; }

const char *irr_db_source_name(const irr_db *db, unsigned id)
{
    return id < db->n_sources ? db->names.v[db->source_name[id]].s : NULL;
}

const char *irr_class_name(irr_class c)
{
    static const char *const n[IRR_CLASS_COUNT] = {"route", "route6", "aut-num", "as-set", "route-set",
                                                   "mntner", "role", "person", "irt", "organisation"};
    return (unsigned)c < IRR_CLASS_COUNT ? n[c] : "?";
}

/* Split a list value at commas and white space. Calls f for each item. */
typedef struct item {
    const char *s;
    size_t n;
} item;

static size_t next_item(const char *v, size_t vn, size_t *pos, item *it)
{
    size_t i = *pos;
    while (i < vn && (v[i] == ',' || v[i] == ' ' || v[i] == '\t'))
        i++;
    size_t st = i;
    while (i < vn && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
        i++;
    *pos = i;
    it->s = v + st;
    it->n = i - st;
    return it->n;
}

/* Printable excerpt of hostile input for messages. */
static const char *show(const char *s, size_t n, char out[72])
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < 64; i++)
        out[k++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (n > 64) {
        out[k++] = '.';
        out[k++] = '.';
        out[k++] = '.';
    }
    out[k] = '\0';
    return out;
}

static int source_id(irr_db *db, uint32_t name_id)
{
    for (unsigned i = 0; i < db->n_sources; i++)
        if (db->source_name[i] == name_id)
            return (int)i;
    if (db->n_sources >= IRR_MAX_SOURCES)
        return -1;
    db->source_name[db->n_sources] = name_id;
    return (int)db->n_sources++;
}

int irr_db_set_source_order(irr_db *db, const char *list)
{
    size_t pos = 0, n = strlen(list);
    item it;
    unsigned k = 0;
    uint32_t tmp[IRR_MAX_SOURCES];
    while (next_item(list, n, &pos, &it)) {
        if (k >= IRR_MAX_SOURCES)
            return -1;
        uint32_t id = name_intern(db, it.s, it.n);
        if (id == IRR_NONE)
            return -1;
        tmp[k++] = id;
    }
    memcpy(db->order, tmp, k * sizeof *tmp);
    db->n_order = k;
    db->finalized = false;
    return 0;
}

static void compute_ranks(irr_db *db)
{
    int16_t next = 0;
    for (unsigned i = 0; i < db->n_sources; i++)
        db->rank[i] = -1;
    for (unsigned k = 0; k < db->n_order; k++)
        for (unsigned i = 0; i < db->n_sources; i++)
            if (db->source_name[i] == db->order[k] && db->rank[i] < 0)
                db->rank[i] = next++;
    for (unsigned i = 0; i < db->n_sources; i++)
        if (db->rank[i] < 0)
            db->rank[i] = next++;
}

int irr_sel_rank(const irr_db *db, const irr_sel *sel, unsigned source)
{
    if (source >= db->n_sources)
        return -1;
    if (!sel || sel->all)
        return db->rank[source];
    return sel->rank[source];
}

int irr_db_select(const irr_db *db, const char *list, irr_sel *sel)
{
    memset(sel, 0, sizeof *sel);
    if (!list || !*list) {
        sel->all = true;
        return 0;
    }
    for (unsigned i = 0; i < IRR_MAX_SOURCES; i++)
        sel->rank[i] = -1;
    size_t pos = 0, n = strlen(list);
    item it;
    int16_t r = 0;
    while (next_item(list, n, &pos, &it)) {
        uint32_t id = irr_name_find(db, it.s, it.n);
        unsigned s;
        for (s = 0; s < db->n_sources; s++)
            if (db->source_name[s] == id)
                break;
        if (id == IRR_NONE || s == db->n_sources)
            return -1;
        if (sel->rank[s] < 0)
            sel->rank[s] = r++;
    }
    return r ? 0 : -1;
}

/* ---------------------------------------------------------------- loading helpers */

typedef struct loadctx {
    irr_db *db;
    const char *file;
    uint16_t file_id;
    const rpsl_object *o;
    /* The last source: value and its id: nearly every object of a dump has the
     * same one, so the interning lookup is skipped when the bytes repeat. */
    char src_last[32];
    size_t src_len;
    uint16_t src_id;
} loadctx;

#define ERR(lc, line, ...) mrs_diag_error_line((lc)->db->diag, (lc)->file, (line), __VA_ARGS__)
#define WARN(lc, line, ...) mrs_diag_warn_line((lc)->db->diag, (lc)->file, (line), __VA_ARGS__)

/* Append the items of v as name ids to db->ids. Returns count or -1. */
static int push_ids(irr_db *db, const char *v, size_t vn, uint32_t *off, uint32_t *count)
{
    size_t pos = 0;
    item it;
    if (*count == 0)
        *off = (uint32_t)db->ids.n;
    while (next_item(v, vn, &pos, &it)) {
        uint32_t id = name_intern(db, it.s, it.n);
        uint32_t *slot;
        if (id == IRR_NONE)
            return -1;
        VEC_PUSH(db, db->ids, slot);
        if (!slot)
            return -1;
        *slot = id;
        (*count)++;
    }
    return 0;
}

/* A growing ", "-joined string in a scratch buffer. */
typedef struct joiner {
    char *b;
    size_t n, cap;
} joiner;

static int join_add(joiner *j, const char *s, size_t n)
{
    if (!n)
        return 0;
    char *nb = mrs_grow(j->b, &j->cap, j->n + n + 3, 1, 64);
    if (!nb)
        return -1;
    j->b = nb;
    if (j->n) {
        j->b[j->n++] = ',';
        j->b[j->n++] = ' ';
    }
    memcpy(j->b + j->n, s, n);
    j->n += n;
    return 0;
}

static const char *join_done(irr_db *db, joiner *j)
{
    const char *s = arena_str(db, j->b ? j->b : "", j->n);
    j->n = 0;
    return s;
}

/* join_done for a string many objects repeat (a route's mnt-by): one copy each. */
static const char *join_done_shared(irr_db *db, joiner *j)
{
    const char *s = j->b ? j->b : "";
    size_t n = j->n;
    j->n = 0;
    uint64_t h = irr_name_hash(s, n);
    uint32_t salt = 0;
    for (;; salt++) {
        const uint32_t *id = mrs_map64_get(&db->disp_map, name_key(h, salt));
        if (!id)
            break;   /* the first free key of this string's sequence is where it goes */
        const irr_disp *d = &db->disps.v[*id];
        if (d->len == n && memcmp(d->s, s, n) == 0)
            return d->s;
    }
    const char *p = arena_str(db, s, n);
    irr_disp *d;
    if (!p)
        return NULL;
    VEC_PUSH(db, db->disps, d);
    if (!d)
        return NULL;
    bool found;
    uint32_t *slot = mrs_map64_put(&db->disp_map, name_key(h, salt), &found);
    if (!slot) {
        db->disps.n--;
        return NULL;
    }
    d->s = p;
    d->len = n;
    *slot = (uint32_t)(db->disps.n - 1);
    return p;
}

static bool is_word(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* Inlined so that KEY()'s memcmp has a constant length (a compare, not a call). */
static inline __attribute__((always_inline)) bool key_eq(const rpsl_attr *a, const char *k, size_t kl)
{
    return a->key_len == kl && memcmp(a->key, k, kl) == 0;
}
#define KEY(a, lit) key_eq((a), lit, sizeof(lit) - 1)

/* "AS<digits>" (RPSL as-number; asdot also accepted by mrs_asn_parse). */
static bool parse_as_number(const char *s, size_t n, uint32_t *asn)
{
    if (n < 3 || up(s[0]) != 'A' || up(s[1]) != 'S' || s[2] < '0' || s[2] > '9')
        return false;
    return mrs_asn_parse(s, n, asn);
}

/* An RPSL object name: letter first, then letters/digits/'-'/'_', letter or
 * digit last (RFC 2622 §2). */
static bool rpsl_name(const char *s, size_t n)
{
    if (!n || !((up(s[0]) >= 'A' && up(s[0]) <= 'Z')))
        return false;
    if (!is_word(s, n))
        return false;
    char l = up(s[n - 1]);
    return (l >= 'A' && l <= 'Z') || (l >= '0' && l <= '9');
}

int irr_set_name_class(const char *s, size_t n)
{
    int cls = -1;
    size_t st = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ':')
            continue;
        const char *c = s + st;
        size_t cn = i - st;
        st = i + 1;
        uint32_t asn;
        int this_cls;
        if (cn > 3 && up(c[0]) == 'A' && up(c[1]) == 'S' && c[2] == '-')
            this_cls = IRR_CLASS_AS_SET;
        else if (cn > 3 && up(c[0]) == 'R' && up(c[1]) == 'S' && c[2] == '-')
            this_cls = IRR_CLASS_ROUTE_SET;
        else if (parse_as_number(c, cn, &asn))
            continue;
        else
            return -1;
        if (!rpsl_name(c, cn))
            return -1;
        if (cls >= 0 && cls != this_cls)
            return -1;   /* RFC 2622 §5: all set components of one type */
        cls = this_cls;
    }
    return cls;
}

/* ---------------------------------------------------------------- dates */

void irr_days_format(uint32_t days, char out[11])
{
    int z = (int)days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 100, d % 100);
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static uint32_t date_days(const char *y4, const char *m2, const char *d2)
{
    int y = (y4[0] - '0') * 1000 + (y4[1] - '0') * 100 + (y4[2] - '0') * 10 + (y4[3] - '0');
    unsigned m = (unsigned)((m2[0] - '0') * 10 + (m2[1] - '0'));
    unsigned d = (unsigned)((d2[0] - '0') * 10 + (d2[1] - '0'));
    if (y < 1970 || y > 2200 || !mrs_date_valid(y, m, d))
        return 0;
    return (uint32_t)mrs_days_from_civil(y, m, d);
}

uint32_t irr_modified_days(const char *v, size_t n)
{
    /* last-modified: YYYY-MM-DD[Thh:mm:ssZ] */
    if (n >= 10 && v[4] == '-' && v[7] == '-' && digits(v, 4) && digits(v + 5, 2) && digits(v + 8, 2))
        return date_days(v, v + 5, v + 8);
    /* changed: email YYYYMMDD - the date is the last word */
    size_t e = n;
    while (e && (v[e - 1] == ' ' || v[e - 1] == '\t'))
        e--;
    size_t b = e;
    while (b && v[b - 1] != ' ' && v[b - 1] != '\t')
        b--;
    if (e - b == 8 && b > 0 && digits(v + b, 8))
        return date_days(v + b, v + b + 4, v + b + 6);
    return 0;
}

uint32_t irr_db_newest_modified(const irr_db *db) { return db->newest_modified; }

size_t irr_db_file_count(const irr_db *db) { return db->files.n; }

const char *irr_db_file_name(const irr_db *db, size_t i) { return i < db->files.n ? db->files.v[i] : NULL; }

uint32_t irr_db_file_newest(const irr_db *db, size_t i) { return i < db->files.n ? db->file_newest.v[i] : 0; }

/* The object's newest last-modified:/changed: date (0 = none). A last-modified:
 * that does not parse is reported (the database writes it, so it is damage); a
 * changed: without a date is valid RPSL (RFC 2622 section 3.1) and silent. */
static uint32_t object_modified(loadctx *lc)
{
    const rpsl_object *o = lc->o;
    uint32_t best = 0;
    char sh[72];
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        bool lm = KEY(a, "last-modified");
        if (lm || KEY(a, "changed")) {
            uint32_t d = irr_modified_days(a->value, a->value_len);
            if (!d && lm)
                WARN(lc, a->line, "%s object: invalid last-modified '%s' ignored", o->attrs[0].key,
                     show(a->value, a->value_len, sh));
            if (d > best)
                best = d;
        }
    }
    if (best > lc->db->newest_modified)
        lc->db->newest_modified = best;
    if (best > lc->db->file_newest.v[lc->file_id])
        lc->db->file_newest.v[lc->file_id] = best;
    return best;
}

/* ---------------------------------------------------------------- per class */

static int source_of(loadctx *lc, const rpsl_attr *a, uint16_t *src)
{
    char sh[72];
    if (lc->src_len && a->value_len == lc->src_len && memcmp(a->value, lc->src_last, lc->src_len) == 0) {
        *src = lc->src_id;
        return 0;
    }
    if (!is_word(a->value, a->value_len)) {
        ERR(lc, a->line, "%s object: invalid source '%s'; object skipped", lc->o->attrs[0].key,
            show(a->value, a->value_len, sh));
        return 1;
    }
    uint32_t id = name_intern(lc->db, a->value, a->value_len);
    if (id == IRR_NONE)
        return -1;
    int s = source_id(lc->db, id);
    if (s < 0) {
        ERR(lc, a->line, "more than %d sources; object skipped", IRR_MAX_SOURCES);
        return 1;
    }
    *src = (uint16_t)s;
    if (a->value_len < sizeof lc->src_last) {
        memcpy(lc->src_last, a->value, a->value_len);
        lc->src_len = a->value_len;
        lc->src_id = (uint16_t)s;
    }
    return 0;
}

/* Common checks of single-valued attributes: returns 1 (reported) if key k occurs
 * more than once. */
static int single(loadctx *lc, const rpsl_attr *first, const rpsl_attr *a)
{
    if (first) {
        ERR(lc, a->line, "%s object: attribute '%s' given twice; object skipped", lc->o->attrs[0].key, a->key);
        return 1;
    }
    return 0;
}

static int load_route(loadctx *lc, bool v6)
{
    irr_db *db = lc->db;
    const rpsl_object *o = lc->o;
    const rpsl_attr *k = &o->attrs[0];
    const char *cls = v6 ? "route6" : "route";
    char sh[72];
    mrs_prefix p;
    if (!memchr(k->value, '/', k->value_len) || !mrs_prefix_parse(k->value, k->value_len, &p, false) ||
        p.afi != (v6 ? MRS_AFI_IPV6 : MRS_AFI_IPV4)) {
        ERR(lc, k->line, "%s object: invalid %s prefix '%s'; object skipped", cls, v6 ? "IPv6" : "IPv4",
            show(k->value, k->value_len, sh));
        return 1;
    }
    if (!mrs_prefix_parse(k->value, k->value_len, &p, true)) {
        ERR(lc, k->line, "%s object: prefix '%s' has host bits set; object skipped", cls,
            show(k->value, k->value_len, sh));
        return 1;
    }
    const rpsl_attr *origin = NULL, *source = NULL;
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "origin")) {
            if (single(lc, origin, a))
                return 1;
            origin = a;
        } else if (KEY(a, "source")) {
            if (single(lc, source, a))
                return 1;
            source = a;
        } else if (key_eq(a, k->key, k->key_len)) {
            return single(lc, k, a);
        }
    }
    uint32_t asn;
    if (!origin) {
        ERR(lc, o->line, "%s object %s: no origin attribute; object skipped", cls, show(k->value, k->value_len, sh));
        return 1;
    }
    if (!parse_as_number(origin->value, origin->value_len, &asn)) {
        ERR(lc, origin->line, "%s object: invalid origin '%s'; object skipped", cls,
            show(origin->value, origin->value_len, sh));
        return 1;
    }
    if (!source) {
        ERR(lc, o->line, "%s object %s: no source attribute; object skipped", cls, show(k->value, k->value_len, sh));
        return 1;
    }
    uint16_t src;
    int r = source_of(lc, source, &src);
    if (r)
        return r;
    irr_route rt = {.pfx = p, .origin = asn, .source = src, .file = lc->file_id, .line = o->line};
    joiner j = {0};
    uint32_t mn = 0, mo = 0;
    /* One list at a time: each list must be contiguous in db->ids. */
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "mnt-by") &&
            (push_ids(db, a->value, a->value_len, &rt.mnt_off, &mn) < 0 || join_add(&j, a->value, a->value_len) < 0))
            goto oom;
    }
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "member-of") && push_ids(db, a->value, a->value_len, &rt.memberof_off, &mo) < 0)
            goto oom;
    }
    rt.mnt_n = (uint16_t)(mn > 65535 ? 65535 : mn);
    rt.memberof_n = (uint16_t)(mo > 65535 ? 65535 : mo);
    rt.mnt_by = join_done_shared(db, &j);
    free(j.b);
    if (!rt.mnt_by)
        return -1;
    irr_route *slot;
    VEC_PUSH(db, db->routes, slot);
    if (!slot)
        return -1;
    *slot = rt;
    return 0;
oom:
    free(j.b);
    return -1;
}

static int load_aut_num(loadctx *lc)
{
    irr_db *db = lc->db;
    const rpsl_object *o = lc->o;
    const rpsl_attr *k = &o->attrs[0];
    char sh[72];
    uint32_t asn;
    if (!parse_as_number(k->value, k->value_len, &asn)) {
        ERR(lc, k->line, "aut-num object: invalid AS number '%s'; object skipped", show(k->value, k->value_len, sh));
        return 1;
    }
    const rpsl_attr *source = NULL, *asname = NULL;
    irr_autnum_int an = {.pub = {.asn = asn, .line = o->line}, .file = lc->file_id, .seq = db->seq++};
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "source")) {
            if (single(lc, source, a))
                return 1;
            source = a;
        } else if (KEY(a, "as-name")) {
            if (single(lc, asname, a))
                return 1;
            asname = a;
        } else if (KEY(a, "aut-num")) {
            return single(lc, k, a);
        } else if (KEY(a, "import") || KEY(a, "mp-import")) {
            an.pub.n_import++;
        } else if (KEY(a, "export") || KEY(a, "mp-export")) {
            an.pub.n_export++;
        }
    }
    if (!source) {
        ERR(lc, o->line, "aut-num object AS%u: no source attribute; object skipped", asn);
        return 1;
    }
    int r = source_of(lc, source, &an.source);
    if (r)
        return r;
    joiner jad = {0}, jtc = {0}, jab = {0}, jmb = {0}, jmo = {0};
    uint32_t mn = 0, mo = 0;
    int rc = -1;
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        joiner *j = NULL;
        if (KEY(a, "admin-c"))
            j = &jad;
        else if (KEY(a, "tech-c"))
            j = &jtc;
        else if (KEY(a, "abuse-c"))
            j = &jab;
        else if (KEY(a, "mnt-by"))
            j = &jmb;
        else if (KEY(a, "member-of"))
            j = &jmo;
        if (j && join_add(j, a->value, a->value_len) < 0)
            goto out;
    }
    /* One list at a time: each list must be contiguous in db->ids. */
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "mnt-by") && push_ids(db, a->value, a->value_len, &an.mnt_off, &mn) < 0)
            goto out;
    }
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "member-of") && push_ids(db, a->value, a->value_len, &an.memberof_off, &mo) < 0)
            goto out;
    }
    an.mnt_n = (uint16_t)(mn > 65535 ? 65535 : mn);
    an.memberof_n = (uint16_t)(mo > 65535 ? 65535 : mo);
    an.pub.modified = object_modified(lc);
    an.pub.as_name = asname ? arena_str(db, asname->value, asname->value_len) : arena_str(db, "", 0);
    an.pub.admin_c = join_done(db, &jad);
    an.pub.tech_c = join_done(db, &jtc);
    an.pub.abuse_c = join_done(db, &jab);
    an.pub.mnt_by = join_done(db, &jmb);
    an.pub.member_of = join_done(db, &jmo);
    if (!an.pub.as_name || !an.pub.admin_c || !an.pub.tech_c || !an.pub.abuse_c || !an.pub.mnt_by ||
        !an.pub.member_of)
        goto out;
    irr_autnum_int *slot;
    VEC_PUSH(db, db->autnums, slot);
    if (!slot)
        goto out;
    *slot = an;
    rc = 0;
out:
    free(jad.b);
    free(jtc.b);
    free(jab.b);
    free(jmb.b);
    free(jmo.b);
    return rc;
}

/* Parse one members item of an as-set or route-set. Returns 1 = ok, 0 = bad. */
static int parse_member(irr_db *db, irr_class cls, const char *s, size_t n, irr_member *m)
{
    memset(m, 0, sizeof *m);
    const char *caret = memchr(s, '^', n);
    size_t bn = caret ? (size_t)(caret - s) : n;
    if (caret) {
        if (cls != IRR_CLASS_ROUTE_SET)
            return 0;
        if (!irr_range_op_parse(caret, n - bn, &m->op))
            return 0;
    }
    uint32_t asn;
    if (cls == IRR_CLASS_ROUTE_SET && memchr(s, '/', bn)) {
        mrs_prefix p;
        if (!mrs_prefix_parse(s, bn, &p, true))
            return 0;
        irr_prefix_range r = {.prefix = p, .min_len = p.len, .max_len = p.len};
        if (!irr_range_apply(&r, m->op))
            return 0;   /* e.g. 10.0.0.0/16^8: empty */
        mrs_prefix *slot;
        VEC_PUSH(db, db->mpfx, slot);
        if (!slot)
            return -1;
        *slot = p;
        m->kind = MEM_PREFIX;
        m->val = (uint32_t)(db->mpfx.n - 1);
        return 1;
    }
    /* Fast path, most members: a plain "AS<digits>" (no set-name components). */
    if (bn > 2 && (s[0] | 0x20) == 'a' && (s[1] | 0x20) == 's' && s[2] >= '0' && s[2] <= '9' &&
        !memchr(s, ':', bn)) {
        if (!parse_as_number(s, bn, &asn))
            return 0;
        m->kind = MEM_ASN;
        m->val = asn;
        return 1;
    }
    int sc = irr_set_name_class(s, bn);
    if (sc == IRR_CLASS_AS_SET || (sc == IRR_CLASS_ROUTE_SET && cls == IRR_CLASS_ROUTE_SET)) {
        m->kind = sc == IRR_CLASS_AS_SET ? MEM_AS_SET : MEM_ROUTE_SET;
        m->val = name_intern(db, s, bn);
        return m->val == IRR_NONE ? -1 : 1;
    }
    if (sc < 0 && parse_as_number(s, bn, &asn)) {
        m->kind = MEM_ASN;
        m->val = asn;
        return 1;
    }
    return 0;
}

static int load_set(loadctx *lc, irr_class cls)
{
    irr_db *db = lc->db;
    const rpsl_object *o = lc->o;
    const rpsl_attr *k = &o->attrs[0];
    const char *cn = irr_class_name(cls);
    char sh[72];
    if (irr_set_name_class(k->value, k->value_len) != (int)cls) {
        ERR(lc, k->line, "%s object: invalid %s name '%s'; object skipped", cn, cn, show(k->value, k->value_len, sh));
        return 1;
    }
    const rpsl_attr *source = NULL;
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "source")) {
            if (single(lc, source, a))
                return 1;
            source = a;
        } else if (key_eq(a, k->key, k->key_len)) {
            return single(lc, k, a);
        }
    }
    if (!source) {
        ERR(lc, o->line, "%s object %s: no source attribute; object skipped", cn, show(k->value, k->value_len, sh));
        return 1;
    }
    irr_set st = {.cls = (uint8_t)cls, .file = lc->file_id, .line = o->line, .next_same = IRR_NONE};
    int r = source_of(lc, source, &st.source);
    if (r)
        return r;
    st.name = name_intern(db, k->value, k->value_len);
    if (st.name == IRR_NONE)
        return -1;
    /* Duplicate in the same source? */
    uint32_t last = IRR_NONE;
    for (uint32_t s = db->names.v[st.name].set_head; s != IRR_NONE; s = db->sets.v[s].next_same) {
        const irr_set *o2 = &db->sets.v[s];
        if (o2->cls == cls && o2->source == st.source) {
            WARN(lc, o->line, "%s %s already loaded from source %s (%s:%llu); duplicate ignored", cn,
                 db->names.v[st.name].s, db->names.v[db->source_name[st.source]].s, db->files.v[o2->file],
                 (unsigned long long)o2->line);
            db->stats.duplicates++;
            return 2;
        }
        last = s;
    }
    st.mem_off = (uint32_t)db->members.n;
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "members") || KEY(a, "mp-members")) {
            size_t pos = 0;
            item it;
            while (next_item(a->value, a->value_len, &pos, &it)) {
                irr_member m;
                int pr = parse_member(db, cls, it.s, it.n, &m);
                if (pr < 0)
                    return -1;
                if (pr == 0) {
                    WARN(lc, a->line, "%s %s: invalid member '%s' ignored", cn, db->names.v[st.name].s,
                         show(it.s, it.n, sh));
                    db->stats.bad_members++;
                    continue;
                }
                irr_member *slot;
                VEC_PUSH(db, db->members, slot);
                if (!slot)
                    return -1;
                *slot = m;
                st.mem_n++;
                db->stats.members++;
            }
        } else if (KEY(a, "mbrs-by-ref")) {
            size_t pos = 0;
            item it;
            while (next_item(a->value, a->value_len, &pos, &it)) {
                if (it.n == 3 && up(it.s[0]) == 'A' && up(it.s[1]) == 'N' && up(it.s[2]) == 'Y') {
                    st.mbrs_any = true;
                    continue;
                }
                if (push_ids(db, it.s, it.n, &st.mbr_off, &st.mbr_n) < 0)
                    return -1;
            }
        }
    }
    irr_set *slot;
    VEC_PUSH(db, db->sets, slot);
    if (!slot)
        return -1;
    *slot = st;
    uint32_t idx = (uint32_t)(db->sets.n - 1);
    if (last == IRR_NONE)
        db->names.v[st.name].set_head = idx;
    else
        db->sets.v[last].next_same = idx;
    return 0;
}

static int load_contact(loadctx *lc, irr_class cls)
{
    irr_db *db = lc->db;
    const rpsl_object *o = lc->o;
    const rpsl_attr *k = &o->attrs[0];
    const char *cn = irr_class_name(cls);
    char sh[72];
    /* The primary key (RFC 2622 §3, RIPE DB): nic-hdl for person and role. */
    const char *keyname = (cls == IRR_CLASS_PERSON || cls == IRR_CLASS_ROLE) ? "nic-hdl" : cn;
    const rpsl_attr *key = (cls == IRR_CLASS_PERSON || cls == IRR_CLASS_ROLE) ? NULL : k;
    const rpsl_attr *source = NULL, *orgname = NULL;
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "source")) {
            if (single(lc, source, a))
                return 1;
            source = a;
        } else if (KEY(a, "nic-hdl") && !key) {
            key = a;
        } else if (KEY(a, "nic-hdl") && (cls == IRR_CLASS_PERSON || cls == IRR_CLASS_ROLE)) {
            return single(lc, key, a);
        } else if (KEY(a, "org-name") && !orgname) {
            orgname = a;
        }
    }
    if (!key || !key->value_len) {
        ERR(lc, o->line, "%s object: no %s attribute; object skipped", cn, keyname);
        return 1;
    }
    if (memchr(key->value, ' ', key->value_len) || memchr(key->value, '\t', key->value_len)) {
        ERR(lc, key->line, "%s object: invalid %s '%s'; object skipped", cn, keyname,
            show(key->value, key->value_len, sh));
        return 1;
    }
    if (!source) {
        ERR(lc, o->line, "%s object %s: no source attribute; object skipped", cn, show(key->value, key->value_len, sh));
        return 1;
    }
    irr_contact_int c = {.pub = {.cls = cls, .line = o->line}, .seq = db->seq++};
    int r = source_of(lc, source, &c.source);
    if (r)
        return r;
    c.key = name_intern(db, key->value, key->value_len);
    if (c.key == IRR_NONE)
        return -1;
    c.pub.key = db->names.v[c.key].s;
    const rpsl_attr *nm = cls == IRR_CLASS_ORGANISATION ? orgname : k;
    c.pub.name = nm ? arena_str(db, nm->value, nm->value_len) : arena_str(db, "", 0);
    joiner je = {0}, ja = {0};
    int rc = -1;
    for (size_t i = 1; i < o->n_attrs; i++) {
        const rpsl_attr *a = &o->attrs[i];
        if (KEY(a, "e-mail") && join_add(&je, a->value, a->value_len) < 0)
            goto out;
        if (KEY(a, "abuse-mailbox") && join_add(&ja, a->value, a->value_len) < 0)
            goto out;
    }
    c.pub.e_mail = join_done(db, &je);
    c.pub.abuse_mailbox = join_done(db, &ja);
    c.pub.modified = object_modified(lc);
    c.pub.file = db->files.v[lc->file_id];
    if (!c.pub.name || !c.pub.e_mail || !c.pub.abuse_mailbox)
        goto out;
    irr_contact_int *slot;
    VEC_PUSH(db, db->contacts, slot);
    if (!slot)
        goto out;
    *slot = c;
    rc = 0;
out:
    free(je.b);
    free(ja.b);
    return rc;
}

static int class_of(const rpsl_attr *a)
{
    switch (a->key_len) {
    case 3:
        return KEY(a, "irt") ? IRR_CLASS_IRT : -1;
    case 4:
        return KEY(a, "role") ? IRR_CLASS_ROLE : -1;
    case 5:
        return KEY(a, "route") ? IRR_CLASS_ROUTE : -1;
    case 6:
        if (KEY(a, "route6"))
            return IRR_CLASS_ROUTE6;
        if (KEY(a, "as-set"))
            return IRR_CLASS_AS_SET;
        if (KEY(a, "mntner"))
            return IRR_CLASS_MNTNER;
        if (KEY(a, "person"))
            return IRR_CLASS_PERSON;
        return -1;
    case 7:
        return KEY(a, "aut-num") ? IRR_CLASS_AUT_NUM : -1;
    case 9:
        return KEY(a, "route-set") ? IRR_CLASS_ROUTE_SET : -1;
    case 12:
        return KEY(a, "organisation") ? IRR_CLASS_ORGANISATION : -1;
    default:
        return -1;
    }
}

static int load_object(loadctx *lc)
{
    int cls = class_of(&lc->o->attrs[0]);
    int r;
    lc->db->stats.objects++;
    switch (cls) {
    case IRR_CLASS_ROUTE:
    case IRR_CLASS_ROUTE6:
        r = load_route(lc, cls == IRR_CLASS_ROUTE6);
        break;
    case IRR_CLASS_AUT_NUM:
        r = load_aut_num(lc);
        break;
    case IRR_CLASS_AS_SET:
    case IRR_CLASS_ROUTE_SET:
        r = load_set(lc, (irr_class)cls);
        break;
    case IRR_CLASS_MNTNER:
    case IRR_CLASS_ROLE:
    case IRR_CLASS_PERSON:
    case IRR_CLASS_IRT:
    case IRR_CLASS_ORGANISATION:
        r = load_contact(lc, (irr_class)cls);
        break;
    default:
        lc->db->stats.other++;
        return 0;
    }
    if (r == 0 && (cls == IRR_CLASS_ROUTE || cls == IRR_CLASS_ROUTE6 || cls == IRR_CLASS_AS_SET ||
                   cls == IRR_CLASS_ROUTE_SET))
        (void)object_modified(lc);   /* aut-nums and contacts keep theirs (irr_aut_num, irr_contact) */
    if (r == 0)
        lc->db->stats.loaded[cls]++;
    else if (r == 1)
        lc->db->stats.malformed++;
    return r < 0 ? -1 : 0;
}

/* The attributes the loaders above read (every KEY() in this file, the class
 * keys included): the parser drops the others (remarks, descr, created, ... are
 * most of a dump's lines) before they are copied or looked at. A loader that
 * starts reading another attribute must add it here; test_irr_rpsl pins the list
 * against the KEY() uses of this file. */
static bool key_used(const char *k, size_t n)
{
    /* By length, then a compare or two: this runs for every attribute line. */
#define K(lit) (memcmp(k, lit, sizeof(lit) - 1) == 0)
    switch (n) {
    case 3: return K("irt");
    case 4: return K("role");
    case 5: return K("route");
    case 6:
        switch (k[0]) {
        case 'r': return K("route6");
        case 'a': return K("as-set");
        case 'm': return K("mntner") || K("mnt-by");
        case 'p': return K("person");
        case 's': return K("source");
        case 'o': return K("origin");
        case 'e': return K("e-mail") || K("export");
        case 'i': return K("import");
        case 't': return K("tech-c");
        default: return false;
        }
    case 7:
        switch (k[0]) {
        case 'a': return K("aut-num") || K("abuse-c") || K("admin-c") || K("as-name");
        case 'n': return K("nic-hdl");
        case 'm': return K("members");
        case 'c': return K("changed");
        default: return false;
        }
    case 8: return K("org-name");
    case 9: return K("route-set") || K("member-of") || K("mp-import") || K("mp-export");
    case 10: return K("mp-members");
    case 11: return K("mbrs-by-ref");
    case 12: return K("organisation");
    case 13: return K("abuse-mailbox") || K("last-modified");
    default: return false;
    }
#undef K
}

bool irr_db_key_used(const char *key, size_t len) { return key_used(key, len); }

int irr_db_load_parser(irr_db *db, rpsl_parser *p)
{
    const char *name = rpsl_parser_name(p);
    if (db->files.n >= 65535) {
        mrs_diag_error_file(db->diag, name, "too many files loaded");
        return -1;
    }
    /* the file's date slot first: file_newest never has fewer entries than files */
    uint32_t *fdate;
    if (db->file_newest.n < db->files.n + 1) {
        VEC_PUSH(db, db->file_newest, fdate);
        if (!fdate)
            return -1;
    }
    db->file_newest.v[db->files.n] = 0;
    char *fn = strdup(name);
    char **slot;
    if (!fn)
        return -1;
    VEC_PUSH(db, db->files, slot);
    if (!slot) {
        free(fn);
        return -1;
    }
    *slot = fn;
    loadctx lc = {.db = db, .file = fn, .file_id = (uint16_t)(db->files.n - 1)};
    rpsl_object o;
    int r;
    uint64_t skipped0 = rpsl_parser_skipped(p);
    db->finalized = false;
    rpsl_parser_set_key_filter(p, key_used);
    while ((r = rpsl_next_object(p, &o)) > 0) {
        lc.o = &o;
        if (load_object(&lc) < 0)
            return -1;
    }
    db->stats.malformed += rpsl_parser_skipped(p) - skipped0;
    return r < 0 ? -1 : 0;
}

int irr_db_load_fn(irr_db *db, rpsl_read_fn read, void *ctx, const char *name)
{
    rpsl_parser *p = rpsl_parser_new(read, ctx, name, db->diag);
    if (!p)
        return -1;
    int r = irr_db_load_parser(db, p);
    rpsl_parser_free(p);
    return r;
}

int irr_db_load_mem(irr_db *db, const void *buf, size_t len, const char *name)
{
    rpsl_parser *p = rpsl_parser_new_mem(buf, len, name, db->diag);
    if (!p)
        return -1;
    int r = irr_db_load_parser(db, p);
    rpsl_parser_free(p);
    return r;
}

/* ---------------------------------------------------------------- finalize */

/* Three-way compare of two scalars; the sort keys below chain them. */
#define CMP3(x, y) ((x) < (y) ? -1 : (x) > (y))

static int cmp_route(const void *a_, const void *b_)
{
    const irr_route *a = a_, *b = b_;
    int c = CMP3(a->pfx.afi, b->pfx.afi);
    if (!c)
        c = CMP3(a->pfx.len, b->pfx.len);
    if (!c)
        c = memcmp(a->pfx.addr, b->pfx.addr, 16);
    if (!c)
        c = CMP3(a->origin, b->origin);
    if (!c)
        c = CMP3(a->source, b->source);
    if (!c)
        c = CMP3(a->file, b->file);   /* load order (see irr_route) */
    return c ? c : CMP3(a->line, b->line);
}

static int cmp_autnum(const void *a_, const void *b_)
{
    const irr_autnum_int *a = a_, *b = b_;
    int c = CMP3(a->pub.asn, b->pub.asn);
    if (!c)
        c = CMP3(a->source, b->source);
    return c ? c : CMP3(a->seq, b->seq);
}

static int cmp_contact(const void *a_, const void *b_)
{
    const irr_contact_int *a = a_, *b = b_;
    int c = CMP3(a->pub.cls, b->pub.cls);
    if (!c)
        c = CMP3(a->key, b->key);
    if (!c)
        c = CMP3(a->source, b->source);
    return c ? c : CMP3(a->seq, b->seq);
}

size_t irr_pairs_lower(const uint64_t *a, size_t n, uint32_t key)
{
    return mrs_lower_bound_u64(a, n, (uint64_t)key << 32);
}

bool irr_ids_intersect(const irr_db *db, uint32_t off_a, uint32_t n_a, uint32_t off_b, uint32_t n_b)
{
    for (uint32_t i = 0; i < n_a; i++)
        for (uint32_t j = 0; j < n_b; j++)
            if (db->ids.v[off_a + i] == db->ids.v[off_b + j])
                return true;
    return false;
}

static void warn_dup(irr_db *db, uint16_t file, uint64_t line, const char *what, uint16_t source, uint16_t kfile,
                     uint64_t kline)
{
    mrs_diag_warn_line(db->diag, db->files.v[file], line, "%s already loaded from source %s (%s:%llu); duplicate ignored",
                       what, db->names.v[db->source_name[source]].s, db->files.v[kfile], (unsigned long long)kline);
    db->stats.duplicates++;
}

/* A cursor of route_prefix_order's merge: the next route of one run, its end. */
typedef struct route_run {
    size_t at, end;
} route_run;

static bool run_before(const irr_db *db, const route_run *a, const route_run *b)
{
    return mrs_prefix_cmp(&db->routes.v[a->at].pfx, &db->routes.v[b->at].pfx) < 0;
}

static void run_sift(const irr_db *db, route_run *h, size_t n, size_t i)
{
    for (;;) {
        size_t m = i, l = 2 * i + 1, r = l + 1;
        if (l < n && run_before(db, &h[l], &h[m]))
            m = l;
        if (r < n && run_before(db, &h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        route_run t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* The first route of each distinct prefix, in mrs_prefix_cmp order (address, then
 * length), as mrs_trie_build_sorted wants it: the routes are sorted by family,
 * length, address (cmp_route), i.e. one address-ordered run per family and length,
 * at most 33 + 129 runs, merged here through a heap. NULL when out of memory. */
static uint32_t *route_prefix_order(const irr_db *db, size_t *np)
{
    const irr_route *v = db->routes.v;
    size_t n = db->routes.n, distinct = 0, nruns = 0;
    route_run runs[33 + 129];   /* one per (family, length) */
    for (size_t i = 0; i < n; i++) {
        if (i && mrs_prefix_equal(&v[i - 1].pfx, &v[i].pfx))
            continue;
        distinct++;
        if (!i || v[i - 1].pfx.afi != v[i].pfx.afi || v[i - 1].pfx.len != v[i].pfx.len) {
            if (nruns)
                runs[nruns - 1].end = i;
            runs[nruns++].at = i;
        }
    }
    if (nruns)
        runs[nruns - 1].end = n;
    uint32_t *order = malloc((distinct ? distinct : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = nruns / 2; i-- > 0;)
        run_sift(db, runs, nruns, i);
    size_t k = 0;
    while (nruns) {
        route_run *r = &runs[0];
        order[k++] = (uint32_t)r->at;
        size_t at = r->at;
        while (++r->at < r->end && mrs_prefix_equal(&v[at].pfx, &v[r->at].pfx))
            ;   /* the same prefix again: other origins or sources */
        if (r->at == r->end)
            runs[0] = runs[--nruns];
        run_sift(db, runs, nruns, 0);
    }
    *np = k;
    return order;
}

/* The prefix index over the sorted routes: each prefix -> the first route of its run. */
static mrs_trie *build_route_trie(const irr_db *db)
{
    if (db->routes.n > UINT32_MAX)
        return NULL;
    size_t n = 0;
    uint32_t *order = route_prefix_order(db, &n);
    if (!order)
        return NULL;
    mrs_trie *t = mrs_trie_build_sorted(db->routes.n ? &db->routes.v[0].pfx : NULL, sizeof *db->routes.v, order,
                                        NULL, n);
    free(order);
    return t;
}

const mrs_trie *irr_route_trie(const irr_db *cdb)
{
    /* The db was allocated writable (irr_db_new); only the index slot and its lock
     * change here, under the lock, published with release / read with acquire. */
    irr_db *db = (irr_db *)cdb;
    mrs_trie *t = atomic_load_explicit(&db->route_trie, memory_order_acquire);
    if (t)
        return t;
    pthread_mutex_lock(&db->route_trie_lock);
    t = atomic_load_explicit(&db->route_trie, memory_order_relaxed);
    if (!t) {
        t = build_route_trie(db);
        if (t)
            atomic_store_explicit(&db->route_trie, t, memory_order_release);
    }
    pthread_mutex_unlock(&db->route_trie_lock);
    return t;
}

int irr_db_finalize(irr_db *db)
{
    compute_ranks(db);

    /* Routes: sort into runs of one prefix (see irr_internal.h), drop duplicates. */
    if (db->routes.n)
        qsort(db->routes.v, db->routes.n, sizeof *db->routes.v, cmp_route);
    size_t w = 0;
    for (size_t i = 0; i < db->routes.n; i++) {
        irr_route *r = &db->routes.v[i];
        if (w) {
            irr_route *k = &db->routes.v[w - 1];
            if (k->source == r->source && k->origin == r->origin && mrs_prefix_equal(&k->pfx, &r->pfx)) {
                char ps[MRS_PREFIX_STRLEN], what[96];
                mrs_prefix_format(&r->pfx, ps);
                snprintf(what, sizeof what, "%s %s AS%u", r->pfx.afi == MRS_AFI_IPV6 ? "route6" : "route", ps,
                         r->origin);
                warn_dup(db, r->file, r->line, what, r->source, k->file, k->line);
                db->stats.loaded[r->pfx.afi == MRS_AFI_IPV6 ? IRR_CLASS_ROUTE6 : IRR_CLASS_ROUTE]--;
                continue;
            }
        }
        db->routes.v[w++] = *r;
    }
    db->routes.n = w;
    /* The prefix index is built by the first prefix query (irr_route_trie); one
     * built before this finalize describes the old routes. */
    mrs_trie_free(atomic_exchange(&db->route_trie, NULL));

    free(db->by_origin);
    free(db->route_memberof);
    db->by_origin = malloc((w ? w : 1) * sizeof *db->by_origin);
    size_t nmo = 0;
    for (size_t i = 0; i < w; i++)
        nmo += db->routes.v[i].memberof_n;
    db->route_memberof = malloc((nmo ? nmo : 1) * sizeof *db->route_memberof);
    if (!db->by_origin || !db->route_memberof)
        return -1;
    nmo = 0;
    for (size_t i = 0; i < w; i++) {
        const irr_route *r = &db->routes.v[i];
        db->by_origin[i] = ((uint64_t)r->origin << 32) | i;
        for (unsigned k = 0; k < r->memberof_n; k++)
            db->route_memberof[nmo++] = ((uint64_t)db->ids.v[r->memberof_off + k] << 32) | i;
    }
    db->n_by_origin = w;
    db->n_route_memberof = nmo;
    if (w)
        qsort(db->by_origin, w, sizeof *db->by_origin, mrs_cmp_u64);
    if (nmo)
        qsort(db->route_memberof, nmo, sizeof *db->route_memberof, mrs_cmp_u64);

    /* aut-nums. */
    if (db->autnums.n)
        qsort(db->autnums.v, db->autnums.n, sizeof *db->autnums.v, cmp_autnum);
    w = 0;
    for (size_t i = 0; i < db->autnums.n; i++) {
        irr_autnum_int *a = &db->autnums.v[i];
        if (w) {
            irr_autnum_int *k = &db->autnums.v[w - 1];
            if (k->pub.asn == a->pub.asn && k->source == a->source) {
                char what[32];
                snprintf(what, sizeof what, "aut-num AS%u", a->pub.asn);
                warn_dup(db, a->file, a->pub.line, what, a->source, k->file, k->pub.line);
                db->stats.loaded[IRR_CLASS_AUT_NUM]--;
                continue;
            }
        }
        db->autnums.v[w++] = *a;
    }
    db->autnums.n = w;
    free(db->autnum_memberof);
    nmo = 0;
    for (size_t i = 0; i < w; i++) {
        irr_autnum_int *a = &db->autnums.v[i];
        a->pub.file = db->files.v[a->file];
        a->pub.source = db->names.v[db->source_name[a->source]].s;
        nmo += a->memberof_n;
    }
    db->autnum_memberof = malloc((nmo ? nmo : 1) * sizeof *db->autnum_memberof);
    if (!db->autnum_memberof)
        return -1;
    nmo = 0;
    for (size_t i = 0; i < w; i++) {
        const irr_autnum_int *a = &db->autnums.v[i];
        for (unsigned k = 0; k < a->memberof_n; k++)
            db->autnum_memberof[nmo++] = ((uint64_t)db->ids.v[a->memberof_off + k] << 32) | i;
    }
    db->n_autnum_memberof = nmo;
    if (nmo)
        qsort(db->autnum_memberof, nmo, sizeof *db->autnum_memberof, mrs_cmp_u64);

    /* Contacts. */
    if (db->contacts.n)
        qsort(db->contacts.v, db->contacts.n, sizeof *db->contacts.v, cmp_contact);
    w = 0;
    for (size_t i = 0; i < db->contacts.n; i++) {
        irr_contact_int *c = &db->contacts.v[i];
        c->pub.source = db->names.v[db->source_name[c->source]].s;
        if (w) {
            irr_contact_int *k = &db->contacts.v[w - 1];
            if (k->pub.cls == c->pub.cls && k->key == c->key && k->source == c->source) {
                char what[128];
                snprintf(what, sizeof what, "%s %.100s", irr_class_name(c->pub.cls), c->pub.key);
                mrs_diag_warn_line(db->diag, c->pub.file, c->pub.line,
                                   "%s already loaded from source %s (%s:%llu); duplicate ignored", what,
                                   c->pub.source, k->pub.file, (unsigned long long)k->pub.line);
                db->stats.duplicates++;
                db->stats.loaded[c->pub.cls]--;
                continue;
            }
        }
        db->contacts.v[w++] = *c;
    }
    db->contacts.n = w;
    db->finalized = true;
    return 0;
}

/* ---------------------------------------------------------------- lookups */

uint32_t irr_set_resolve(const irr_db *db, uint32_t name_id, irr_class cls, const irr_sel *sel)
{
    if (name_id == IRR_NONE)
        return IRR_NONE;
    uint32_t best = IRR_NONE;
    int best_rank = 0;
    for (uint32_t s = db->names.v[name_id].set_head; s != IRR_NONE; s = db->sets.v[s].next_same) {
        const irr_set *st = &db->sets.v[s];
        if (st->cls != cls)
            continue;
        int r = irr_sel_rank(db, sel, st->source);
        if (r < 0)
            continue;
        if (best == IRR_NONE || r < best_rank) {
            best = s;
            best_rank = r;
        }
    }
    return best;
}

const irr_aut_num *irr_db_aut_num(const irr_db *db, uint32_t asn, const irr_sel *sel)
{
    if (!db->finalized)
        return NULL;
    size_t lo;
    MRS_LOWER_BOUND(lo, db->autnums.n, i, db->autnums.v[i].pub.asn < asn);
    const irr_aut_num *best = NULL;
    int best_rank = 0;
    for (size_t i = lo; i < db->autnums.n && db->autnums.v[i].pub.asn == asn; i++) {
        int r = irr_sel_rank(db, sel, db->autnums.v[i].source);
        if (r >= 0 && (!best || r < best_rank)) {
            best = &db->autnums.v[i].pub;
            best_rank = r;
        }
    }
    return best;
}

size_t irr_db_aut_num_count(const irr_db *db)
{
    return db->finalized ? db->autnums.n : 0;
}

const irr_aut_num *irr_db_aut_num_at(const irr_db *db, size_t i)
{
    return db->finalized && i < db->autnums.n ? &db->autnums.v[i].pub : NULL;
}

const irr_contact *irr_db_contact(const irr_db *db, irr_class cls, const char *key, const irr_sel *sel)
{
    if (!db->finalized)
        return NULL;
    uint32_t id = irr_name_find(db, key, strlen(key));
    if (id == IRR_NONE)
        return NULL;
    size_t lo;
    MRS_LOWER_BOUND(lo, db->contacts.n, i,
                    db->contacts.v[i].pub.cls < cls || (db->contacts.v[i].pub.cls == cls && db->contacts.v[i].key < id));
    const irr_contact *best = NULL;
    int best_rank = 0;
    for (size_t i = lo; i < db->contacts.n && db->contacts.v[i].pub.cls == cls && db->contacts.v[i].key == id; i++) {
        int r = irr_sel_rank(db, sel, db->contacts.v[i].source);
        if (r >= 0 && (!best || r < best_rank)) {
            best = &db->contacts.v[i].pub;
            best_rank = r;
        }
    }
    return best;
}

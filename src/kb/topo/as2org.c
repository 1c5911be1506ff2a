/*
 * as2org.c — CAIDA AS-to-Organization files and the sibling test (as2org.h).
 *
 * Data layout:
 *  - asn: mrs_map64 ASN -> organisation index.
 *  - organisation ids, sources and countries are interned (strtab): an mrs_map64
 *    from a 64-bit hash of the bytes to an index, a hash collision between two
 *    different strings resolved by comparing and probing again with another salt
 *    (as routes/view.c interns paths). The organisation index is the id's index
 *    in its table; sources and countries are a handful of distinct strings, so an
 *    organisation points at the shared copy.
 *  - every string is in one arena; the arrays grow by mrs_grow. Nothing is
 *    allocated per record.
 *  - groups: union-find over organisations (parent, size), union by size so that
 *    a query walks at most log2(organisations) links without path compression
 *    (queries are const); joins compress the paths they walk.
 * Assumes at most 2^32-2 organisations (checked).
 */
#include "manrs/kb/as2org.h"
#include "manrs/core/arena.h"
#include "manrs/core/date.h"
#include "manrs/core/grow.h"
#include "manrs/core/map64.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "topo_internal.h"

/* ---------------------------------------------------------------- string tables */

typedef struct strtab {
    mrs_map64 map;          /* hash(string, salt) -> index */
    const char **s;         /* in the arena, NUL-terminated, no NUL inside */
    uint32_t *len;
    size_t n, cap, lcap;
} strtab;

static void strtab_clear(strtab *t)
{
    mrs_map64_clear(&t->map);
    free(t->s);
    free(t->len);
    memset(t, 0, sizeof *t);
}

/* Index of s[0..n) (no NUL inside), added if new (*added set). UINT32_MAX when out
 * of memory. */
static uint32_t strtab_intern(strtab *t, mrs_arena *a, const char *s, size_t n, bool *added)
{
    *added = false;
    if (n > UINT32_MAX || t->n >= UINT32_MAX - 1)
        return UINT32_MAX;
    for (uint64_t salt = 0;; salt++) {
        bool found;
        uint32_t *slot = mrs_map64_put(&t->map, mrs_map64_key_bytes(s, n, salt), &found);
        if (!slot)
            return UINT32_MAX;
        if (found) {
            if (t->len[*slot] == n && memcmp(t->s[*slot], s, n) == 0)
                return *slot;
            continue;   /* another string with this hash: probe with the next salt */
        }
        const char **ns = mrs_grow(t->s, &t->cap, t->n + 1, sizeof *ns, 64);
        if (ns)
            t->s = ns;
        uint32_t *nl = mrs_grow(t->len, &t->lcap, t->n + 1, sizeof *nl, 64);
        if (nl)
            t->len = nl;
        const char *copy = ns && nl ? mrs_arena_strndup(a, s, n) : NULL;
        if (!copy) {
            mrs_map64_remove(&t->map, mrs_map64_key_bytes(s, n, salt));
            return UINT32_MAX;
        }
        t->s[t->n] = copy;
        t->len[t->n] = (uint32_t)n;
        *slot = (uint32_t)t->n;
        *added = true;
        return (uint32_t)t->n++;
    }
}

static uint32_t strtab_find(const strtab *t, const char *s, size_t n)
{
    for (uint64_t salt = 0;; salt++) {
        const uint32_t *slot = mrs_map64_get(&t->map, mrs_map64_key_bytes(s, n, salt));
        if (!slot)
            return UINT32_MAX;
        if (t->len[*slot] == n && memcmp(t->s[*slot], s, n) == 0)
            return *slot;
    }
}

/* ---------------------------------------------------------------- the object */

typedef struct org_ent {
    const char *name, *cc, *source;   /* "" when the data did not say */
    uint32_t parent, size;            /* union-find: parent == own index at a root */
} org_ent;

struct mrs_as2org {
    mrs_arena arena;
    mrs_map64 asn;          /* ASN -> organisation index */
    strtab ids;             /* organisation ids; index = organisation index */
    strtab sources, countries;
    org_ent *org;           /* parallel to ids */
    size_t ocap;
    mrs_as2org_stats st;
    uint32_t name_date;     /* latest date from a file name, YYYYMMDD */
    uint32_t max_changed;   /* latest "changed", YYYYMMDD */
};

mrs_as2org *mrs_as2org_new(void)
{
    mrs_as2org *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    mrs_arena_init(&o->arena);
    if (mrs_map64_init(&o->asn) != 0 || mrs_map64_init(&o->ids.map) != 0 || mrs_map64_init(&o->sources.map) != 0 ||
        mrs_map64_init(&o->countries.map) != 0) {
        mrs_as2org_free(o);
        return NULL;
    }
    return o;
}

void mrs_as2org_free(mrs_as2org *o)
{
    if (!o)
        return;
    mrs_map64_clear(&o->asn);
    strtab_clear(&o->ids);
    strtab_clear(&o->sources);
    strtab_clear(&o->countries);
    free(o->org);
    mrs_arena_clear(&o->arena);
    free(o);
}

/* The shared copy of a short attribute string ("" for an empty one); NULL when out
 * of memory. */
static const char *attr(mrs_as2org *o, strtab *t, const char *s, size_t n)
{
    if (n == 0)
        return "";
    bool added;
    uint32_t i = strtab_intern(t, &o->arena, s, n, &added);
    return i == UINT32_MAX ? NULL : t->s[i];
}

/* Index of organisation id[0..n) (n > 0, no NUL inside), created if new with the
 * given source. UINT32_MAX when out of memory. Room for the attributes is made
 * before the id is interned, so that a failure leaves no id without them. */
static uint32_t org_intern(mrs_as2org *o, const char *id, size_t n, const char *src, size_t srcn)
{
    uint32_t i = strtab_find(&o->ids, id, n);
    if (i != UINT32_MAX)
        return i;
    org_ent *no = mrs_grow(o->org, &o->ocap, o->ids.n + 1, sizeof *no, 64);
    if (!no)
        return UINT32_MAX;
    o->org = no;
    const char *source = attr(o, &o->sources, src, srcn);
    bool added;
    i = source ? strtab_intern(&o->ids, &o->arena, id, n, &added) : UINT32_MAX;
    if (i != UINT32_MAX)
        o->org[i] = (org_ent){"", "", source, i, 1};
    return i;
}

static uint32_t root_of(const mrs_as2org *o, uint32_t i)
{
    while (o->org[i].parent != i)
        i = o->org[i].parent;
    return i;
}

static uint32_t root_compress(mrs_as2org *o, uint32_t i)
{
    while (o->org[i].parent != i) {
        o->org[i].parent = o->org[o->org[i].parent].parent;   /* path halving */
        i = o->org[i].parent;
    }
    return i;
}

static void org_union(mrs_as2org *o, uint32_t a, uint32_t b)
{
    a = root_compress(o, a);
    b = root_compress(o, b);
    if (a == b)
        return;
    /* The bigger group's root stays; on a tie the older organisation (loaded first,
     * usually CAIDA's) so that the group's index is one a report expects. */
    if (o->org[a].size < o->org[b].size || (o->org[a].size == o->org[b].size && b < a)) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    o->org[b].parent = a;
    o->org[a].size += o->org[b].size;
}

/* asn -> org; *prev is the organisation it had (MRS_AS2ORG_NONE if none). Returns 0,
 * 1 (replaced another organisation: a conflict), -1 (memory). */
static int assign(mrs_as2org *o, uint32_t asn, uint32_t org, uint32_t *prev)
{
    bool found;
    uint32_t *slot = mrs_map64_put(&o->asn, asn, &found);
    if (!slot)
        return -1;
    *prev = found ? *slot : MRS_AS2ORG_NONE;
    *slot = org;
    o->st.asns++;
    if (found && *prev != org) {
        o->st.conflicts++;
        return 1;
    }
    return 0;
}

static bool valid_id(const char *id) { return id && id[0] != '\0'; }

int mrs_as2org_add(mrs_as2org *o, uint32_t asn, const char *org_id, const char *source)
{
    if (!valid_id(org_id))
        return -1;
    uint32_t org = org_intern(o, org_id, strlen(org_id), source ? source : "", source ? strlen(source) : 0);
    if (org == UINT32_MAX)
        return -1;
    uint32_t prev;
    return assign(o, asn, org, &prev);
}

int mrs_as2org_join(mrs_as2org *o, uint32_t asn, const char *org_id, const char *source)
{
    if (!valid_id(org_id))
        return -1;
    uint32_t org = org_intern(o, org_id, strlen(org_id), source ? source : "", source ? strlen(source) : 0);
    if (org == UINT32_MAX)
        return -1;
    const uint32_t *have = mrs_map64_get(&o->asn, asn);
    if (have) {
        org_union(o, *have, org);
        o->st.asns++;
        return 0;
    }
    uint32_t prev;
    return assign(o, asn, org, &prev) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- queries */

uint32_t mrs_as2org_org(const mrs_as2org *o, uint32_t asn)
{
    const uint32_t *v = mrs_map64_get(&o->asn, asn);
    return v ? *v : MRS_AS2ORG_NONE;
}

uint32_t mrs_as2org_group(const mrs_as2org *o, uint32_t org)
{
    return org < o->ids.n ? root_of(o, org) : MRS_AS2ORG_NONE;
}

bool mrs_as2org_siblings(const mrs_as2org *o, uint32_t a, uint32_t b)
{
    if (a == b)
        return false;
    uint32_t x = mrs_as2org_org(o, a), y = mrs_as2org_org(o, b);
    if (x == MRS_AS2ORG_NONE || y == MRS_AS2ORG_NONE)
        return false;
    return x == y || root_of(o, x) == root_of(o, y);
}

const char *mrs_as2org_org_id(const mrs_as2org *o, uint32_t org) { return org < o->ids.n ? o->ids.s[org] : NULL; }
const char *mrs_as2org_org_name(const mrs_as2org *o, uint32_t org) { return org < o->ids.n ? o->org[org].name : NULL; }
const char *mrs_as2org_country(const mrs_as2org *o, uint32_t org) { return org < o->ids.n ? o->org[org].cc : NULL; }
const char *mrs_as2org_source(const mrs_as2org *o, uint32_t org) { return org < o->ids.n ? o->org[org].source : NULL; }
size_t mrs_as2org_asn_count(const mrs_as2org *o) { return o->asn.count; }
size_t mrs_as2org_org_count(const mrs_as2org *o) { return o->ids.n; }
void mrs_as2org_get_stats(const mrs_as2org *o, mrs_as2org_stats *st) { *st = o->st; }
uint32_t mrs_as2org_date(const mrs_as2org *o) { return o->name_date ? o->name_date : o->max_changed; }

/* ---------------------------------------------------------------- records */

/* One record's fields, whichever format it came in (pointers into the line or
 * the JSON document; lengths, no NUL termination). */
typedef struct field {
    const char *s;
    size_t n;
} field;

typedef struct rec {
    field id, name, cc, source, changed, asn;
} rec;

typedef struct load_ctx {
    mrs_as2org *o;
    const char *name;
    mrs_diag *d;
    uint64_t lineno;
    enum { FMT_UNKNOWN, FMT_PIPE, FMT_JSONL } fmt;
    /* pipe format: the section and its column positions (-1: absent) */
    enum { SEC_NONE, SEC_ORG, SEC_AUT, SEC_OTHER } sec;
    int col_id, col_name, col_cc, col_source, col_changed, col_asn;
    size_t ncols;
    uint64_t format_line;
} load_ctx;

static void bad_line(load_ctx *c, const char *what, const field *f)
{
    char qb[MRS_QUOTE_MAX];
    if (f)
        mrs_diag_error_line(c->d, c->name, c->lineno, "%s \"%s\", line skipped", what, mrs_quote(qb, sizeof qb, f->s, f->n));
    else
        mrs_diag_error_line(c->d, c->name, c->lineno, "%s, line skipped", what);
    c->o->st.skipped++;
}

/* YYYYMMDD of a real date, else 0. */
static uint32_t parse_yyyymmdd(const char *s, size_t n)
{
    uint64_t v;
    if (n != 8 || !mrs_parse_u64(s, n, 99999999, &v))
        return 0;
    if (!mrs_date_valid((int64_t)(v / 10000), (unsigned)(v / 100 % 100), (unsigned)(v % 100)))
        return 0;
    return (uint32_t)v;
}

static void note_changed(load_ctx *c, const field *f)
{
    if (f->n == 0)
        return;   /* many 2021 records carry no date */
    uint32_t v = parse_yyyymmdd(f->s, f->n);
    if (!v) {
        char qb[MRS_QUOTE_MAX];
        mrs_diag_warn_line(c->d, c->name, c->lineno, "\"changed\" \"%s\" is not a YYYYMMDD date (ignored)",
                           mrs_quote(qb, sizeof qb, f->s, f->n));
    } else if (v > c->o->max_changed) {
        c->o->max_changed = v;
    }
}

/* A usable organisation id: trimmed, not empty, no NUL byte (JSON can carry one;
 * the tables compare NUL-terminated copies). */
static bool check_id(load_ctx *c, field *id)
{
    mrs_trim(&id->s, &id->n);
    if (id->n == 0) {
        bad_line(c, "empty organisation id", NULL);
        return false;
    }
    if (memchr(id->s, '\0', id->n)) {
        bad_line(c, "organisation id with a NUL byte", NULL);
        return false;
    }
    return true;
}

/* Returns 0, or -1 when out of memory. */
static int org_record(load_ctx *c, rec *r)
{
    mrs_as2org *o = c->o;
    if (!check_id(c, &r->id))
        return 0;
    note_changed(c, &r->changed);
    uint32_t i = org_intern(o, r->id.s, r->id.n, r->source.s, r->source.n);
    if (i == UINT32_MAX)
        return -1;
    /* A repeated record overwrites: the later description wins, as for ASNs. */
    const char *name = r->name.n ? mrs_arena_strndup(&o->arena, r->name.s, r->name.n) : "";
    const char *cc = attr(o, &o->countries, r->cc.s, r->cc.n);
    const char *src = attr(o, &o->sources, r->source.s, r->source.n);
    if (!name || !cc || !src)
        return -1;
    o->org[i].name = name;
    o->org[i].cc = cc;
    if (r->source.n)
        o->org[i].source = src;
    o->st.orgs++;
    return 0;
}

static int asn_record(load_ctx *c, rec *r, uint32_t asn)
{
    mrs_as2org *o = c->o;
    if (!check_id(c, &r->id))
        return 0;
    note_changed(c, &r->changed);
    uint32_t org = org_intern(o, r->id.s, r->id.n, r->source.s, r->source.n);
    if (org == UINT32_MAX)
        return -1;
    uint32_t prev;
    int rc = assign(o, asn, org, &prev);
    if (rc < 0)
        return -1;
    if (rc == 1)
        mrs_diag_warn_line(c->d, c->name, c->lineno, "AS%lu was in organisation %s, now %s (the later record kept)",
                           (unsigned long)asn, o->ids.s[prev], o->ids.s[org]);
    return 0;
}

/* An ASN field: decimal digits, below 2^32. */
static bool parse_asn(load_ctx *c, field f, uint32_t *asn)
{
    uint64_t v;
    mrs_trim(&f.s, &f.n);
    if (!mrs_parse_u64(f.s, f.n, UINT32_MAX, &v)) {
        bad_line(c, "ASN is not a number from 0 to 4294967295:", &f);
        return false;
    }
    *asn = (uint32_t)v;
    return true;
}

/* ---------------------------------------------------------------- pipe format */

static field col(const field *f, int i) { return i >= 0 ? f[i] : (field){"", 0}; }

/* `# format:a|b|c`: the section and where its columns are. */
static void format_line(load_ctx *c, const char *s, size_t n)
{
    enum { MAXF = 16 };
    const char *f[MAXF];
    size_t fl[MAXF];
    mrs_trim(&s, &n);
    size_t nf = mrs_split(s, n, '|', f, fl, MAXF);
    c->col_id = c->col_name = c->col_cc = c->col_source = c->col_changed = c->col_asn = -1;
    c->ncols = nf;
    c->format_line = c->lineno;
    c->sec = SEC_OTHER;
    if (nf > MAXF) {
        mrs_diag_error_line(c->d, c->name, c->lineno, "format line with %zu fields (at most %d understood); its records are skipped", nf, MAXF);
        return;
    }
    for (size_t i = 0; i < nf; i++) {
        const char *w = f[i];
        size_t wn = fl[i];
        mrs_trim(&w, &wn);
#define IS(lit) (wn == sizeof(lit) - 1 && memcmp(w, lit, wn) == 0)
        int *slot = IS("org_id") ? &c->col_id : IS("org_name") || IS("aut_name") ? &c->col_name
                  : IS("country") ? &c->col_cc : IS("source") ? &c->col_source
                  : IS("changed") ? &c->col_changed : IS("aut") ? &c->col_asn : NULL;
#undef IS
        if (slot)
            *slot = (int)i;   /* others (opaque_id) are read past */
    }
    if (c->col_asn >= 0 && c->col_id >= 0)
        c->sec = SEC_AUT;
    else if (c->col_asn < 0 && c->col_id >= 0)
        c->sec = SEC_ORG;
    else {
        char qb[MRS_QUOTE_MAX];
        mrs_diag_error_line(c->d, c->name, c->lineno, "format \"%s\" has no org_id (or no aut) column; its records are skipped",
                            mrs_quote(qb, sizeof qb, s, n));
    }
}

static int pipe_line(load_ctx *c, const char *s, size_t n)
{
    if (s[0] == '#') {
        const char *p = s + 1;
        size_t k = n - 1;
        mrs_trim(&p, &k);
        if (k >= 7 && memcmp(p, "format:", 7) == 0)
            format_line(c, p + 7, k - 7);
        return 0;
    }
    if (c->sec == SEC_NONE) {
        bad_line(c, "record before any \"# format:\" line", NULL);
        return 0;
    }
    if (c->sec == SEC_OTHER)
        return 0;   /* reported once at its format line */
    enum { MAXF = 16 };
    field f[MAXF];
    const char *fp[MAXF];
    size_t fl[MAXF];
    size_t nf = mrs_split(s, n, '|', fp, fl, MAXF);
    if (nf != c->ncols) {
        mrs_diag_error_line(c->d, c->name, c->lineno, "%zu fields, the format line (line %llu) has %zu; line skipped", nf,
                            (unsigned long long)c->format_line, c->ncols);
        c->o->st.skipped++;
        return 0;
    }
    for (size_t i = 0; i < nf; i++)
        f[i] = (field){fp[i], fl[i]};
    rec r = {col(f, c->col_id), col(f, c->col_name), col(f, c->col_cc), col(f, c->col_source), col(f, c->col_changed),
             col(f, c->col_asn)};
    if (c->sec == SEC_ORG)
        return org_record(c, &r);
    uint32_t asn;
    if (!parse_asn(c, r.asn, &asn))
        return 0;
    return asn_record(c, &r, asn);
}

/* ---------------------------------------------------------------- JSON Lines */

/* An optional string member: absent or null is "", another type is an error. */
static bool jfield(load_ctx *c, json_t *obj, const char *key, field *out)
{
    json_t *v = json_object_get(obj, key);
    *out = (field){"", 0};
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        mrs_diag_error_line(c->d, c->name, c->lineno, "\"%s\" is not a string, line skipped", key);
        c->o->st.skipped++;
        return false;
    }
    *out = (field){json_string_value(v), json_string_length(v)};
    return true;
}

static bool json_asn(load_ctx *c, json_t *v, uint32_t *asn)
{
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        if (x < 0 || x > (json_int_t)UINT32_MAX) {
            mrs_diag_error_line(c->d, c->name, c->lineno, "\"asn\" %lld is not from 0 to 4294967295, line skipped", (long long)x);
            c->o->st.skipped++;
            return false;
        }
        *asn = (uint32_t)x;
        return true;
    }
    if (json_is_string(v))
        return parse_asn(c, (field){json_string_value(v), json_string_length(v)}, asn);
    bad_line(c, "\"asn\" missing or neither a string nor a number", NULL);
    return false;
}

static int json_record(load_ctx *c, json_t *j)
{
    if (!json_is_object(j)) {
        bad_line(c, "not a JSON object", NULL);
        return 0;
    }
    field type;
    rec r;
    if (!jfield(c, j, "type", &type) || !jfield(c, j, "organizationId", &r.id) || !jfield(c, j, "name", &r.name) ||
        !jfield(c, j, "country", &r.cc) || !jfield(c, j, "source", &r.source) || !jfield(c, j, "changed", &r.changed))
        return 0;
    if (type.n == 12 && memcmp(type.s, "Organization", 12) == 0)
        return org_record(c, &r);
    if (type.n == 3 && memcmp(type.s, "ASN", 3) == 0) {
        uint32_t asn;
        if (!json_asn(c, json_object_get(j, "asn"), &asn))
            return 0;
        return asn_record(c, &r, asn);
    }
    bad_line(c, "\"type\" is neither Organization nor ASN:", &type);
    return 0;
}

static int json_line(load_ctx *c, const char *s, size_t n)
{
    if (s[0] == '#')
        return 0;
    json_error_t je;
    json_t *j = json_loadb(s, n, 0, &je);
    if (!j) {
        mrs_diag_error_line(c->d, c->name, c->lineno, "JSON: %s (column %d), line skipped", je.text, je.column);
        c->o->st.skipped++;
        return 0;
    }
    int rc = json_record(c, j);
    json_decref(j);
    return rc;
}

/* ---------------------------------------------------------------- loading */

/* The date a CAIDA file name starts with (its last path component), else 0. */
static uint32_t name_date(const char *name)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t n = 0;
    while (n < 8 && b[n] >= '0' && b[n] <= '9')
        n++;
    return n == 8 ? parse_yyyymmdd(b, 8) : 0;
}

static int one_line(load_ctx *c, const char *s, size_t n)
{
    if (c->lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3;   /* UTF-8 byte order mark */
        n -= 3;
    }
    mrs_trim(&s, &n);
    if (n == 0)
        return 0;
    if (c->fmt == FMT_UNKNOWN)
        c->fmt = s[0] == '{' ? FMT_JSONL : FMT_PIPE;
    return c->fmt == FMT_JSONL ? json_line(c, s, n) : pipe_line(c, s, n);
}

int mrs_as2org_load_src_(mrs_as2org *o, mrs_linesrc *src, const char *name, mrs_diag *d)
{
    load_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.name = name;
    c.d = d;
    uint32_t nd = name_date(name);
    if (nd > o->name_date)
        o->name_date = nd;
    const char *line;
    size_t len;
    while (src->next(src->ctx, &line, &len) == 1) {
        c.lineno++;
        if (one_line(&c, line, len) != 0) {
            mrs_diag_error_file(d, name, "out of memory");
            return -1;
        }
    }
    return 0;
}

int mrs_as2org_load_mem(mrs_as2org *o, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    mrs_linesrc src;
    mrs_memlines m;
    mrs_linesrc_mem(&src, &m, buf, len);
    return mrs_as2org_load_src_(o, &src, name ? name : "-", d);
}

/*
 * vrp.c — loading VRP and ASPA exports into an mrs_rpki and building its lookup
 * structures (see rpki.h for the formats and the checks).
 *
 * Assumptions: the whole (decompressed) export is in memory. JSON: the top level
 * is scanned here and every "roas"/"aspas" entry is parsed on its own (a strict
 * fast path for flat ROA objects, jansson for anything else), so a 500k-VRP export
 * loads in ~0.3 s without building a document tree; a JSON syntax error rejects
 * the whole input. CSV is parsed line by line. Bad entries are reported through
 * mrs_diag and skipped. The built form is a trie of distinct VRP prefixes whose
 * payload is a group index (a group is the run of VRPs sharing that prefix,
 * sorted by ASN, mirrored in a packed 8-byte array), the ROV index of
 * rov_index.c, and the sorted ASPA provider sets. The validity of VRPs, when an
 * input gives it, lives in vtime[] beside vrp[] (sorted and deduplicated with it;
 * its uses are in vrp_time.c), never in the structures ROV reads.
 */
#include "rpki_impl.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

mrs_rpki *mrs_rpki_new(void)
{
    mrs_rpki *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ta = calloc(1, sizeof *r->ta);
    if (!r->ta || !(r->ta[0] = strdup(""))) {
        free(r->ta);
        free(r);
        return NULL;
    }
    r->nta = 1;
    return r;
}

static void free_built(mrs_rpki *r)
{
    rpki_rov_index_free(r);
    mrs_trie_free(r->trie);
    free(r->group);
    free(r->ent);
    free(r->cust);
    free(r->cust_start);
    free(r->prov);
    r->trie = NULL;
    r->group = r->cust = r->cust_start = r->prov = NULL;
    r->ent = NULL;
    r->ngroup = r->ncust = 0;
    r->built = false;
}

void mrs_rpki_free(mrs_rpki *r)
{
    if (!r)
        return;
    free_built(r);
    for (size_t i = 0; i < r->nta; i++)
        free(r->ta[i]);
    free(r->ta);
    free(r->vrp);
    free(r->vtime);
    free(r->pair);
    free(r->cust_raw);
    free(r);
}

/* Index of a trust anchor name, interned; 0 for NULL/"" or beyond RPKI_MAX_TA names. */
static uint16_t intern_ta(mrs_rpki *r, const char *ta, size_t len)
{
    if (!ta || !len)
        return 0;
    for (size_t i = r->nta; i-- > 1;)
        if (strlen(r->ta[i]) == len && !memcmp(r->ta[i], ta, len))
            return (uint16_t)i;
    if (r->nta >= RPKI_MAX_TA)
        return 0;
    char **nt = realloc(r->ta, (r->nta + 1) * sizeof *nt);
    if (!nt)
        return 0;
    r->ta = nt;
    char *s = malloc(len + 1);
    if (!s)
        return 0;
    memcpy(s, ta, len);
    s[len] = 0;
    r->ta[r->nta] = s;
    return (uint16_t)r->nta++;
}

const char *mrs_rpki_ta_name(const mrs_rpki *r, uint16_t ta)
{
    return ta < r->nta ? r->ta[ta] : "";
}

/* Record the validity of vrp[i]. The array is created by the first VRP that has a
 * validity (the earlier ones read as unknown) and then follows vrp[] in size. */
static int set_validity(mrs_rpki *r, size_t i, rpki_vrp_time t)
{
    if (!t.not_before && !t.not_after && !r->vtime)
        return 0;
    if (r->capvtime < r->capvrp) {
        rpki_vrp_time *nt = realloc(r->vtime, r->capvrp * sizeof *nt);
        if (!nt)
            return -1;
        memset(nt + r->capvtime, 0, (r->capvrp - r->capvtime) * sizeof *nt);
        r->vtime = nt;
        r->capvtime = r->capvrp;
    }
    r->vtime[i] = t;
    return 0;
}

static int add_vrp_ta(mrs_rpki *r, const mrs_prefix *p, unsigned maxlen, uint32_t asn, uint16_t ta,
                      rpki_vrp_time valid)
{
    if (r->nvrp == r->capvrp) {
        mrs_vrp *nv = mrs_grow(r->vrp, &r->capvrp, r->nvrp + 1, sizeof *nv, 256);
        if (!nv)
            return -1;
        r->vrp = nv;
    }
    if (set_validity(r, r->nvrp, valid) < 0)
        return -1;
    mrs_vrp *v = &r->vrp[r->nvrp++];
    memset(v, 0, sizeof *v);
    v->prefix = *p;
    v->asn = asn;
    v->maxlen = (uint8_t)maxlen;
    v->ta = ta;
    r->built = false;
    return 0;
}

int mrs_rpki_add_vrp(mrs_rpki *r, const mrs_prefix *p, unsigned maxlen, uint32_t asn, const char *ta)
{
    if ((p->afi != MRS_AFI_IPV4 && p->afi != MRS_AFI_IPV6) || p->len > mrs_afi_bits(p->afi) ||
        maxlen < p->len || maxlen > mrs_afi_bits(p->afi))
        return -1;
    mrs_prefix q = *p;
    if (mrs_prefix_mask(&q))
        return -1;
    memset(q.pad, 0, sizeof q.pad);
    rpki_vrp_time none = {0, 0};
    return add_vrp_ta(r, &q, maxlen, asn, intern_ta(r, ta, ta ? strlen(ta) : 0), none);
}

int mrs_rpki_add_aspa(mrs_rpki *r, uint32_t customer, const uint32_t *providers, size_t n)
{
    uint32_t *nc = mrs_grow(r->cust_raw, &r->capcust_raw, r->ncust_raw + 1, sizeof *nc, 256);
    if (!nc)
        return -1;
    r->cust_raw = nc;
    rpki_aspa_pair *np = mrs_grow(r->pair, &r->cappair, r->npair + n, sizeof *np, 256);
    if (!np)
        return -1;
    r->pair = np;
    r->cust_raw[r->ncust_raw++] = customer;
    for (size_t i = 0; i < n; i++) {
        r->pair[r->npair].customer = customer;
        r->pair[r->npair].provider = providers[i];
        r->npair++;
    }
    r->built = false;
    return 0;
}

/* ---- checks shared by all formats ---- */

/* Parse and check one VRP; on failure writes a message into why. */
static bool check_vrp(const char *pfx, size_t plen, long long maxlen, bool have_maxlen, mrs_prefix *p,
                      char *why, size_t whylen)
{
    bool exact = mrs_prefix_parse(pfx, plen, p, true);   /* the common case: one parse */
    if (!exact && !mrs_prefix_parse(pfx, plen, p, false)) {
        snprintf(why, whylen, "bad prefix '%.*s'", (int)(plen > 60 ? 60 : plen), pfx);
        return false;
    }
    if (!memchr(pfx, '/', plen)) {
        snprintf(why, whylen, "prefix '%.*s' has no length", (int)(plen > 60 ? 60 : plen), pfx);
        return false;
    }
    if (!exact) {
        char s[MRS_PREFIX_STRLEN];
        mrs_prefix_format(p, s);
        snprintf(why, whylen, "prefix '%.*s' has host bits set beyond /%u (network is %s)",
                 (int)(plen > 60 ? 60 : plen), pfx, p->len, s);
        return false;
    }
    if (!have_maxlen) {
        snprintf(why, whylen, "missing maxLength");
        return false;
    }
    unsigned bits = mrs_afi_bits(p->afi);
    if (maxlen > (long long)bits) {
        snprintf(why, whylen, "maxLength %lld exceeds /%u", maxlen, bits);
        return false;
    }
    if (maxlen < (long long)p->len) {
        snprintf(why, whylen, "maxLength %lld is shorter than the prefix length /%u", maxlen, p->len);
        return false;
    }
    return true;
}

static bool parse_uint(const char *s, size_t n, long long *out)
{
    if (!n || n > 12)
        return false;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* ---- JSON ---- */

static bool json_asn(json_t *v, uint32_t *asn)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < 0 || i > (json_int_t)UINT32_MAX)
            return false;
        *asn = (uint32_t)i;
        return true;
    }
    if (json_is_string(v))
        return mrs_asn_parse(json_string_value(v), json_string_length(v), asn);
    return false;
}

/* The JSON scanner's state (the scanner itself is further down). Warnings about a
 * kept entry name its line, found from a cursor that only moves forward. */
typedef struct jscan {
    const char *s;
    size_t n, pos;
    char err[160];
    size_t line_pos;        /* s[0 .. line_pos-1] holds line-1 newlines */
    uint64_t line;
    uint32_t made;          /* the export's own time from "metadata", 0 if none */
} jscan;

static uint64_t js_line(jscan *j, size_t at)
{
    if (at < j->line_pos) {   /* not expected: entries come in order */
        j->line_pos = 0;
        j->line = 1;
    }
    for (; j->line_pos < at && j->line_pos < j->n; j->line_pos++)
        j->line += j->s[j->line_pos] == '\n';
    return j->line;
}

/* The members of one "roas" entry that matter, whichever parser extracted them. */
typedef struct roa_fields {
    int prefix_kind;        /* 0 absent, 1 string, 2 other type */
    const char *prefix;
    size_t prefix_len;
    int asn_kind;           /* 0 absent, 1 valid, 2 bad */
    uint32_t asn;
    int maxlen_kind;        /* 0 absent, 1 integer, 2 other type */
    long long maxlen;
    const char *ta;         /* NULL if absent or not a string */
    size_t ta_len;
    int expires_kind;       /* 0 absent or null, 1 a time, 2 anything else */
    uint32_t expires;       /* rpki-client: when the VRP stops being valid */
} roa_fields;

/* "expires" given as a JSON string: Unix seconds or a date. */
static int expires_str(const char *s, size_t n, uint32_t *t)
{
    return rpki_time_parse(s, n, t) ? 1 : 2;
}

static int expires_num(long long v, uint32_t *t)
{
    if (v < 0 || v > (long long)UINT32_MAX)
        return 2;
    *t = (uint32_t)v;
    return 1;
}

static void roa_add(mrs_rpki *r, const roa_fields *f, size_t i, jscan *j, size_t at, const char *name, mrs_diag *d,
                    mrs_rpki_load_stats *st)
{
    char why[160];
    if (f->prefix_kind != 1) {
        mrs_diag_error_file(d, name, "roas[%zu]: missing or non-string \"prefix\"", i);
        st->skipped++;
        return;
    }
    if (f->asn_kind != 1) {
        mrs_diag_error_file(d, name, "roas[%zu]: missing or bad \"asn\" (want 0..4294967295 or \"AS123\")", i);
        st->skipped++;
        return;
    }
    if (f->maxlen_kind == 2) {
        mrs_diag_error_file(d, name, "roas[%zu]: maxLength is not an integer", i);
        st->skipped++;
        return;
    }
    if (f->maxlen_kind == 1 && f->maxlen < 0) {
        mrs_diag_error_file(d, name, "roas[%zu]: negative maxLength %lld", i, f->maxlen);
        st->skipped++;
        return;
    }
    mrs_prefix p;
    if (!check_vrp(f->prefix, f->prefix_len, f->maxlen, f->maxlen_kind == 1, &p, why, sizeof why)) {
        mrs_diag_error_file(d, name, "roas[%zu]: %s", i, why);
        st->skipped++;
        return;
    }
    /* A bad time costs the VRP its validity, not its place: ROV does not need it. */
    rpki_vrp_time valid = {0, 0};
    if (f->expires_kind == 2)
        mrs_diag_warn_line(d, name, js_line(j, at),
                           "roas[%zu]: bad \"expires\" (want Unix seconds 0..4294967295); VRP kept without validity", i);
    else if (f->expires_kind == 1)
        valid.not_after = f->expires;
    uint16_t ta = f->ta ? intern_ta(r, f->ta, f->ta_len) : 0;
    if (add_vrp_ta(r, &p, (unsigned)f->maxlen, f->asn, ta, valid) < 0) {
        mrs_diag_error_file(d, name, "roas[%zu]: out of memory", i);
        st->skipped++;
        return;
    }
    st->vrps++;
    st->dated += valid.not_after != 0;
}

static void json_roa(mrs_rpki *r, json_t *e, size_t i, jscan *j, size_t at, const char *name, mrs_diag *d,
                     mrs_rpki_load_stats *st)
{
    roa_fields f = {0};
    json_t *jp = json_object_get(e, "prefix");
    json_t *ja = json_object_get(e, "asn");
    json_t *jm = json_object_get(e, "maxLength");
    json_t *jt = json_object_get(e, "ta");
    if (jp) {
        f.prefix_kind = json_is_string(jp) ? 1 : 2;
        if (f.prefix_kind == 1) {
            f.prefix = json_string_value(jp);
            f.prefix_len = json_string_length(jp);
        }
    }
    if (ja)
        f.asn_kind = json_asn(ja, &f.asn) ? 1 : 2;
    if (jm) {
        f.maxlen_kind = json_is_integer(jm) ? 1 : 2;
        if (f.maxlen_kind == 1)
            f.maxlen = json_integer_value(jm);
    }
    if (json_is_string(jt)) {
        f.ta = json_string_value(jt);
        f.ta_len = json_string_length(jt);
    }
    json_t *jx = json_object_get(e, "expires");
    if (json_is_integer(jx))
        f.expires_kind = expires_num(json_integer_value(jx), &f.expires);
    else if (json_is_string(jx))
        f.expires_kind = expires_str(json_string_value(jx), json_string_length(jx), &f.expires);
    else if (jx && !json_is_null(jx))
        f.expires_kind = 2;
    roa_add(r, &f, i, j, at, name, d, st);
}

static bool json_provider(json_t *v, uint32_t *asn)
{
    if (json_is_object(v)) {
        json_t *a = json_object_get(v, "asid");
        if (!a)
            a = json_object_get(v, "provider");
        return a && json_asn(a, asn);
    }
    return json_asn(v, asn);
}

/* An ASPA's own "expires" (rpki-client) is not kept: ASPA verification is not
 * restricted by time (see mrs_rpki_valid_at). */
static void json_aspa(mrs_rpki *r, json_t *e, size_t i, jscan *j, size_t at, const char *name, mrs_diag *d,
                      mrs_rpki_load_stats *st)
{
    (void)j;
    (void)at;
    json_t *jc = json_object_get(e, "customer_asid");
    if (!jc)
        jc = json_object_get(e, "customer");
    json_t *jp = json_object_get(e, "providers");
    if (!jp)
        jp = json_object_get(e, "provider_set");
    uint32_t cas;
    if (!jc || !json_asn(jc, &cas)) {
        mrs_diag_error_file(d, name, "aspas[%zu]: missing or bad customer (\"customer_asid\" or \"customer\")", i);
        st->skipped++;
        return;
    }
    if (!json_is_array(jp)) {
        mrs_diag_error_file(d, name, "aspas[%zu]: missing \"providers\" array", i);
        st->skipped++;
        return;
    }
    size_t np = json_array_size(jp), k;
    uint32_t *prov = malloc((np + 1) * sizeof *prov);
    if (!prov) {
        mrs_diag_error_file(d, name, "aspas[%zu]: out of memory", i);
        st->skipped++;
        return;
    }
    json_t *pv;
    json_array_foreach(jp, k, pv) {
        if (!json_provider(pv, &prov[k])) {
            mrs_diag_error_file(d, name, "aspas[%zu]: providers[%zu]: bad AS number", i, k);
            st->skipped++;
            free(prov);
            return;
        }
        if (prov[k] == cas) {
            /* ASPA profile: the customer AS must not be among its providers. */
            mrs_diag_error_file(d, name, "aspas[%zu]: customer AS%" PRIu32 " listed as its own provider", i, cas);
            st->skipped++;
            free(prov);
            return;
        }
    }
    if (mrs_rpki_add_aspa(r, cas, prov, np) < 0) {
        mrs_diag_error_file(d, name, "aspas[%zu]: out of memory", i);
        st->skipped++;
    } else {
        st->aspas++;
    }
    free(prov);
}

/* The top level of a VRP export is scanned here; each element of "roas" and
 * "aspas" is parsed on its own by jansson (JSON_DISABLE_EOF_CHECK), so memory stays
 * bounded by one entry and a 500k-entry export loads in a fraction of a second.
 * "metadata" is parsed for the export's time; values under other keys are skipped
 * without being built. (jscan itself is defined above, with the entry parsers.) */

static void js_ws(jscan *j)
{
    while (j->pos < j->n && (j->s[j->pos] == ' ' || j->s[j->pos] == '\t' || j->s[j->pos] == '\n' || j->s[j->pos] == '\r'))
        j->pos++;
}

/* At a '"': skip the string, returning its raw (undecoded) contents. */
static bool js_string(jscan *j, const char **str, size_t *len)
{
    size_t i = j->pos + 1;
    while (i < j->n && j->s[i] != '"') {
        if ((unsigned char)j->s[i] < 0x20)
            break;
        i += j->s[i] == '\\' ? 2 : 1;
    }
    if (i >= j->n || j->s[i] != '"') {
        snprintf(j->err, sizeof j->err, "unterminated string");
        return false;
    }
    if (str) {
        *str = j->s + j->pos + 1;
        *len = i - j->pos - 1;
    }
    j->pos = i + 1;
    return true;
}

/* Skip one value without building it. Nesting is tracked by a depth count; the
 * bracket kinds are checked by the final parse of the entries that matter. */
static bool js_skip_value(jscan *j)
{
    js_ws(j);
    if (j->pos >= j->n) {
        snprintf(j->err, sizeof j->err, "value expected");
        return false;
    }
    char c = j->s[j->pos];
    if (c == '"')
        return js_string(j, NULL, NULL);
    if (c == '{' || c == '[') {
        size_t depth = 0;
        while (j->pos < j->n) {
            c = j->s[j->pos];
            if (c == '"') {
                if (!js_string(j, NULL, NULL))
                    return false;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    j->pos++;
                    return true;
                }
            }
            j->pos++;
        }
        snprintf(j->err, sizeof j->err, "unterminated %s", c == '{' ? "object" : "array");
        return false;
    }
    size_t start = j->pos;
    while (j->pos < j->n && (isalnum((unsigned char)j->s[j->pos]) || strchr("+-.", j->s[j->pos])))
        j->pos++;
    if (j->pos == start) {
        snprintf(j->err, sizeof j->err, "unexpected character '%c'", isprint((unsigned char)c) ? c : '?');
        return false;
    }
    return true;
}

/* Fast path for the common shape of a "roas" entry: a flat object whose values are
 * strings without escapes or non-ASCII bytes, or plain integers. It accepts a strict
 * subset of JSON and extracts exactly what jansson would (the last of duplicate
 * keys wins, as in jansson); anything else (escapes, nesting, floats, literals,
 * long or zero-led numbers, UTF-8) returns false and the entry goes to jansson,
 * which also produces the error messages. On success *end is just past the '}'. */
static bool fast_roa(const char *s, size_t n, size_t pos, roa_fields *f, size_t *end)
{
    memset(f, 0, sizeof *f);
    size_t i = pos + 1;
#define WS() while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++
    WS();
    if (i < n && s[i] == '}') {
        *end = i + 1;
        return true;
    }
    for (;;) {
        WS();
        if (i >= n || s[i] != '"')
            return false;
        size_t k0 = ++i;
        while (i < n && s[i] != '"') {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c >= 0x80 || c == '\\')
                return false;
            i++;
        }
        if (i >= n)
            return false;
        size_t klen = i - k0;
        const char *key = s + k0;
        i++;
        WS();
        if (i >= n || s[i] != ':')
            return false;
        i++;
        WS();
        if (i >= n)
            return false;
        const char *str = NULL;
        size_t slen = 0;
        long long num = 0;
        bool is_str;
        if (s[i] == '"') {
            size_t v0 = ++i;
            while (i < n && s[i] != '"') {
                unsigned char c = (unsigned char)s[i];
                if (c < 0x20 || c >= 0x80 || c == '\\')
                    return false;
                i++;
            }
            if (i >= n)
                return false;
            str = s + v0;
            slen = i - v0;
            i++;
            is_str = true;
        } else {
            bool neg = s[i] == '-';
            if (neg)
                i++;
            size_t d0 = i;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                if (i - d0 < 16) /* longer numbers are refused below; do not overflow */
                    num = num * 10 + (s[i] - '0');
                i++;
            }
            size_t nd = i - d0;
            if (nd == 0 || nd > 15 || (nd > 1 && s[d0] == '0'))
                return false;
            if (i < n && (s[i] == '.' || s[i] == 'e' || s[i] == 'E'))
                return false;
            if (neg)
                num = -num;
            is_str = false;
        }
        if (klen == 6 && !memcmp(key, "prefix", 6)) {
            f->prefix_kind = is_str ? 1 : 2;
            f->prefix = str;
            f->prefix_len = slen;
        } else if (klen == 3 && !memcmp(key, "asn", 3)) {
            if (is_str)
                f->asn_kind = mrs_asn_parse(str, slen, &f->asn) ? 1 : 2;
            else if (num < 0 || num > (long long)UINT32_MAX)
                f->asn_kind = 2;
            else {
                f->asn_kind = 1;
                f->asn = (uint32_t)num;
            }
        } else if (klen == 9 && !memcmp(key, "maxLength", 9)) {
            f->maxlen_kind = is_str ? 2 : 1;
            f->maxlen = num;
        } else if (klen == 2 && !memcmp(key, "ta", 2)) {
            f->ta = str;
            f->ta_len = slen;
        } else if (klen == 7 && !memcmp(key, "expires", 7)) {
            f->expires_kind = is_str ? expires_str(str, slen, &f->expires) : expires_num(num, &f->expires);
        }
        WS();
        if (i < n && s[i] == ',') {
            i++;
            continue;
        }
        if (i < n && s[i] == '}') {
            *end = i + 1;
            return true;
        }
        return false;
    }
#undef WS
}

typedef void (*json_entry_fn)(mrs_rpki *, json_t *, size_t, jscan *, size_t, const char *, mrs_diag *,
                              mrs_rpki_load_stats *);

static bool js_array(jscan *j, const char *key, json_entry_fn fn, mrs_rpki *r, const char *name, mrs_diag *d,
                     mrs_rpki_load_stats *st)
{
    js_ws(j);
    if (j->pos >= j->n || j->s[j->pos] != '[') {
        snprintf(j->err, sizeof j->err, "\"%s\" is not an array", key);
        return false;
    }
    j->pos++;
    js_ws(j);
    if (j->pos < j->n && j->s[j->pos] == ']') {
        j->pos++;
        return true;
    }
    for (size_t i = 0;; i++) {
        js_ws(j);
        roa_fields f;
        size_t end, at = j->pos;
        if (fn == json_roa && j->pos < j->n && j->s[j->pos] == '{' && fast_roa(j->s, j->n, j->pos, &f, &end)) {
            j->pos = end;
            roa_add(r, &f, i, j, at, name, d, st);
        } else if (j->pos < j->n && j->s[j->pos] == '{') {
            json_error_t err;
            json_t *e = json_loadb(j->s + j->pos, j->n - j->pos, JSON_DISABLE_EOF_CHECK, &err);
            if (!e) {
                /* Point at the offending byte (err.position is relative to the entry). */
                j->pos += err.position > 0 ? (size_t)err.position - 1 : 0;
                snprintf(j->err, sizeof j->err, "%s[%zu]: %.100s", key, i, err.text);
                return false;
            }
            j->pos += (size_t)err.position;
            fn(r, e, i, j, at, name, d, st);
            json_decref(e);
        } else {
            if (!js_skip_value(j))
                return false;
            mrs_diag_error_file(d, name, "%s[%zu]: not an object", key, i);
            st->skipped++;
        }
        js_ws(j);
        if (j->pos < j->n && j->s[j->pos] == ',') {
            j->pos++;
            continue;
        }
        if (j->pos < j->n && j->s[j->pos] == ']') {
            j->pos++;
            return true;
        }
        snprintf(j->err, sizeof j->err, "',' or ']' expected after %s[%zu]", key, i);
        return false;
    }
}

/* The export's own time, from its "metadata" object: rpki-client's "buildtime"
 * ("2021-07-27T18:56:02Z"), else Routinator's / the RIPE NCC validator's / StayRTR's
 * "generated" (Unix seconds) or "generatedTime". A metadata value that is not a
 * time is reported and ignored; metadata that jansson cannot parse is skipped as
 * before (it carries no VRP). */
static bool js_metadata(jscan *j, const char *name, mrs_diag *d)
{
    js_ws(j);
    size_t at = j->pos;
    json_error_t err;
    json_t *m = at < j->n && j->s[at] == '{' ? json_loadb(j->s + at, j->n - at, JSON_DISABLE_EOF_CHECK, &err) : NULL;
    if (!m)
        return js_skip_value(j);
    j->pos += (size_t)err.position;
    static const char *const keys[] = {"buildtime", "generated", "generatedTime"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !j->made; k++) {
        json_t *v = json_object_get(m, keys[k]);
        uint32_t t = 0;
        if (!v)
            continue;
        if (json_is_integer(v) ? expires_num(json_integer_value(v), &t) == 1
                               : json_is_string(v) && rpki_time_parse(json_string_value(v), json_string_length(v), &t))
            j->made = t;
        else
            mrs_diag_warn_line(d, name, js_line(j, at), "metadata: \"%s\" is not a time; ignored", keys[k]);
    }
    json_decref(m);
    return true;
}

static bool js_top(jscan *j, mrs_rpki *r, const char *name, mrs_diag *d, mrs_rpki_load_stats *st, bool *found)
{
    js_ws(j);
    if (j->pos >= j->n || j->s[j->pos] != '{') {
        snprintf(j->err, sizeof j->err, "'{' expected");
        return false;
    }
    j->pos++;
    js_ws(j);
    if (j->pos < j->n && j->s[j->pos] == '}') {
        j->pos++;
    } else {
        for (;;) {
            js_ws(j);
            const char *key;
            size_t klen;
            if (j->pos >= j->n || j->s[j->pos] != '"') {
                snprintf(j->err, sizeof j->err, "object key expected");
                return false;
            }
            if (!js_string(j, &key, &klen))
                return false;
            js_ws(j);
            if (j->pos >= j->n || j->s[j->pos] != ':') {
                snprintf(j->err, sizeof j->err, "':' expected");
                return false;
            }
            j->pos++;
            bool ok;
            if (klen == 4 && !memcmp(key, "roas", 4)) {
                ok = js_array(j, "roas", json_roa, r, name, d, st);
                *found = true;
            } else if (klen == 5 && !memcmp(key, "aspas", 5)) {
                ok = js_array(j, "aspas", json_aspa, r, name, d, st);
                *found = true;
            } else if (klen == 8 && !memcmp(key, "metadata", 8)) {
                ok = js_metadata(j, name, d);
            } else {
                ok = js_skip_value(j);
            }
            if (!ok)
                return false;
            js_ws(j);
            if (j->pos < j->n && j->s[j->pos] == ',') {
                j->pos++;
                continue;
            }
            if (j->pos < j->n && j->s[j->pos] == '}') {
                j->pos++;
                break;
            }
            snprintf(j->err, sizeof j->err, "',' or '}' expected");
            return false;
        }
    }
    js_ws(j);
    if (j->pos < j->n) {
        snprintf(j->err, sizeof j->err, "trailing data after the top-level object");
        return false;
    }
    return true;
}

static int load_json(mrs_rpki *r, const char *buf, size_t len, const char *name, mrs_diag *d,
                     mrs_rpki_load_stats *st, uint32_t *made)
{
    jscan j = {.s = buf, .n = len, .line = 1};
    size_t nvrp = r->nvrp, npair = r->npair, ncust = r->ncust_raw;
    bool found = false;
    if (!js_top(&j, r, name, d, st, &found)) {
        /* A syntax error may mean a truncated or corrupt export: a partial VRP set
         * would turn Valid routes Invalid, so nothing of this input is kept. */
        uint64_t line = 1;
        size_t col = 1;
        for (size_t i = 0; i < j.pos && i < len; i++) {
            if (buf[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        mrs_diag_error_line(d, name, line, "JSON syntax error at column %zu: %s (file rejected)", col, j.err);
        r->nvrp = nvrp;
        r->npair = npair;
        r->ncust_raw = ncust;
        st->vrps = st->aspas = 0;
        return -1;
    }
    if (!found) {
        mrs_diag_error_file(d, name, "JSON without a \"roas\" or \"aspas\" array: not a VRP export");
        return -1;
    }
    *made = j.made;
    return 0;
}

/* ---- CSV ---- */

#define CSV_MAXF 16

/* Split one line into at most CSV_MAXF fields (RFC 4180 quoting within the line;
 * "" inside quotes is a quote). Field text is unescaped in place into buf.
 * Returns the number of fields, or -1 on an unterminated quote. */
static int csv_split(char *line, size_t n, char **f, size_t *flen)
{
    int nf = 0;
    size_t i = 0;
    for (;;) {
        if (nf == CSV_MAXF)
            return nf;
        while (i < n && (line[i] == ' ' || line[i] == '\t'))
            i++;
        char *out = line + i;
        size_t o = 0;
        if (i < n && line[i] == '"') {
            i++;
            for (;;) {
                if (i >= n)
                    return -1;
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        out[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                out[o++] = line[i++];
            }
            while (i < n && line[i] != ',')
                i++;
        } else {
            /* Unquoted: the field stays where it is (out == line + i). */
            const char *comma = memchr(line + i, ',', n - i);
            size_t e = comma ? (size_t)(comma - line) : n;
            o = e - i;
            i = e;
            while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
                o--;
        }
        f[nf] = out;
        flen[nf] = o;
        nf++;
        if (i >= n)
            return nf;
        i++; /* the comma */
    }
}

/* "AS64500", "as64500" or "64500" with at most 9 digits: the common ASN field,
 * without a call. False for anything else (mrs_asn_parse then decides). */
static inline bool asn_fast(const char *s, size_t n, uint32_t *asn)
{
    if (n >= 2 && (s[0] | 0x20) == 'a' && (s[1] | 0x20) == 's') {
        s += 2;
        n -= 2;
    }
    if (n == 0 || n > 9)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned)(s[i] - '0') >= 10u)
            return false;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    *asn = v;
    return true;
}

static bool field_is(const char *f, size_t n, const char *name)
{
    return strlen(name) == n && !strncasecmp(f, name, n);
}


static bool csv_header(char *line, size_t n, csv_cols *c)
{
    char *f[CSV_MAXF];
    size_t fl[CSV_MAXF];
    int nf = csv_split(line, n, f, fl);
    c->asn = c->prefix = c->maxlen = c->ta = c->uri = -1;
    c->not_before = c->not_after = c->expires = -1;
    for (int i = 0; i < nf; i++) {
        if (field_is(f[i], fl[i], "ASN"))
            c->asn = i;
        else if (field_is(f[i], fl[i], "IP Prefix"))
            c->prefix = i;
        else if (field_is(f[i], fl[i], "Max Length"))
            c->maxlen = i;
        else if (field_is(f[i], fl[i], "Trust Anchor"))
            c->ta = i;
        else if (field_is(f[i], fl[i], "URI"))
            c->uri = i;
        else if (field_is(f[i], fl[i], "Not Before"))
            c->not_before = i;
        else if (field_is(f[i], fl[i], "Not After"))
            c->not_after = i;
        else if (field_is(f[i], fl[i], "Expires"))
            c->expires = i;
    }
    return c->asn >= 0 && c->prefix >= 0 && c->maxlen >= 0;
}

/* One time column of a line into *t; an empty or missing field is unknown (0).
 * False, after a warning, when the field is not a time. */
static bool csv_time(char **f, size_t *fl, int nf, int col, const char *what, uint32_t *t, const char *name,
                     uint64_t lineno, mrs_diag *d)
{
    *t = 0;
    if (col < 0 || col >= nf || fl[col] == 0 || rpki_time_parse(f[col], fl[col], t))
        return true;
    mrs_diag_warn_line(d, name, lineno, "bad %s '%.*s'; VRP kept without validity", what,
                       (int)(fl[col] > 40 ? 40 : fl[col]), f[col]);
    return false;
}

/* The validity of one CSV line: "Not Before"/"Not After" (RIPE NCC validator,
 * Routinator's csvext) or "Expires" (rpki-client). Any bad or inverted time drops
 * the whole validity: the VRP stays, as one without times. */
static rpki_vrp_time csv_validity(const csv_cols *c, char **f, size_t *fl, int nf, const char *name,
                                  uint64_t lineno, mrs_diag *d)
{
    rpki_vrp_time v = {0, 0}, none = {0, 0};
    uint32_t exp = 0;
    if (!csv_time(f, fl, nf, c->not_before, "Not Before", &v.not_before, name, lineno, d) ||
        !csv_time(f, fl, nf, c->not_after, "Not After", &v.not_after, name, lineno, d) ||
        !csv_time(f, fl, nf, c->expires, "Expires", &exp, name, lineno, d))
        return none;
    if (exp && (!v.not_after || exp < v.not_after))
        v.not_after = exp;
    if (v.not_before && v.not_after && v.not_before > v.not_after) {
        mrs_diag_warn_line(d, name, lineno, "Not Before is after Not After; VRP kept without validity");
        return none;
    }
    return v;
}

void rpki_csv_begin(rpki_csv *cs, mrs_rpki *r, const char *name, mrs_diag *d, mrs_rpki_load_stats *st)
{
    memset(cs, 0, sizeof *cs);
    cs->r = r;
    cs->name = name;
    cs->d = d;
    cs->st = st;
    cs->from = r->nvrp;
}

int rpki_csv_line(rpki_csv *cs, char *line, size_t n)
{
    mrs_rpki *r = cs->r;
    const char *name = cs->name;
    mrs_diag *d = cs->d;
    mrs_rpki_load_stats *st = cs->st;
    csv_cols *cp = &cs->c;
    uint64_t lineno = ++cs->lineno;
    char why[160];
    if (n && line[n - 1] == '\r')
        n--;
    size_t k = 0;
    while (k < n && isspace((unsigned char)line[k]))
        k++;
    if (k == n || line[k] == '#')
        return 0;
    if (!cs->have_header) {
        if (!csv_header(line, n, cp)) {
            mrs_diag_error_line(d, name, lineno,
                                "not a VRP export: expected JSON or a CSV header with ASN, IP Prefix, Max Length");
            return -1;
        }
        cs->have_header = true;
        st->format = cp->uri >= 0 ? MRS_VRP_FMT_CSV_RIPE : MRS_VRP_FMT_CSV;
        return 0;
    }
    const csv_cols c = *cp;
    char *f[CSV_MAXF];
    size_t fl[CSV_MAXF];
    int nf = csv_split(line, n, f, fl);
    if (nf < 0) {
        mrs_diag_error_line(d, name, lineno, "unterminated quoted field");
        st->skipped++;
        return 0;
    }
    int need = c.asn > c.prefix ? c.asn : c.prefix;
    if (c.maxlen > need)
        need = c.maxlen;
    if (nf <= need) {
        mrs_diag_error_line(d, name, lineno, "%d fields, expected at least %d", nf, need + 1);
        st->skipped++;
        return 0;
    }
    uint32_t asn;
    if (!asn_fast(f[c.asn], fl[c.asn], &asn) && !mrs_asn_parse(f[c.asn], fl[c.asn], &asn)) {
        mrs_diag_error_line(d, name, lineno, "bad ASN '%.*s'", (int)(fl[c.asn] > 40 ? 40 : fl[c.asn]), f[c.asn]);
        st->skipped++;
        return 0;
    }
    long long maxlen = 0;
    if (!parse_uint(f[c.maxlen], fl[c.maxlen], &maxlen)) {
        mrs_diag_error_line(d, name, lineno, "bad Max Length '%.*s'", (int)(fl[c.maxlen] > 40 ? 40 : fl[c.maxlen]),
                            f[c.maxlen]);
        st->skipped++;
        return 0;
    }
    mrs_prefix p;
    if (!check_vrp(f[c.prefix], fl[c.prefix], maxlen, true, &p, why, sizeof why)) {
        mrs_diag_error_line(d, name, lineno, "%s", why);
        st->skipped++;
        return 0;
    }
    rpki_vrp_time valid = {0, 0};
    if (c.not_before >= 0 || c.not_after >= 0 || c.expires >= 0)
        valid = csv_validity(&c, f, fl, nf, name, lineno, d);
    uint16_t ta = (c.ta >= 0 && c.ta < nf) ? intern_ta(r, f[c.ta], fl[c.ta]) : 0;
    if (add_vrp_ta(r, &p, (unsigned)maxlen, asn, ta, valid) < 0) {
        mrs_diag_error_line(d, name, lineno, "out of memory");
        return -1;
    }
    st->vrps++;
    st->dated += valid.not_before || valid.not_after;
    return 0;
}

int rpki_csv_end(rpki_csv *cs)
{
    if (!cs->have_header) {
        mrs_diag_error_file(cs->d, cs->name, "empty input: no VRPs");
        return -1;
    }
    rpki_note_period(cs->r, cs->from, 0);
    return 0;
}

const char *rpki_sniff(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        i = 3;
    for (;;) {   /* the first line that is neither blank nor a comment */
        while (i < n && isspace((unsigned char)p[i]))
            i++;
        if (i == n || p[i] == '{')
            return NULL;
        if (p[i] != '#')
            break;
        const char *nl = memchr(p + i, '\n', n - i);
        if (!nl)
            return NULL;
        i = (size_t)(nl - p) + 1;
    }
    const char *nl = memchr(p + i, '\n', n - i);
    size_t len = nl ? (size_t)(nl - (p + i)) : n - i;
    if (!nl && len < 4096)
        return NULL;   /* the first line goes on past what was looked at */
    if (len > 4096)
        return "expected JSON or a CSV header with ASN, IP Prefix, Max Length: first line longer than 4096 bytes";
    char line[4096];
    memcpy(line, p + i, len);
    csv_cols c;
    return csv_header(line, len, &c) ? NULL : "expected JSON or a CSV header with ASN, IP Prefix, Max Length";
}

int mrs_rpki_load_mem(mrs_rpki *r, const void *buf, size_t len, const char *name, mrs_diag *d,
                      mrs_rpki_load_stats *stats)
{
    mrs_rpki_load_stats dummy;
    mrs_rpki_load_stats *st = stats ? stats : &dummy;
    memset(st, 0, sizeof *st);
    const char *s = buf ? buf : "";
    if (!buf)
        len = 0;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) { /* UTF-8 byte order mark */
        s += 3;
        len -= 3;
    }
    size_t i = 0;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    size_t from = r->nvrp;
    uint32_t made = 0;
    if (i < len && s[i] == '{') {
        st->format = MRS_VRP_FMT_JSON;
        int rc = load_json(r, s, len, name, d, st, &made);
        if (rc == 0)
            rpki_note_period(r, from, made);
        return rc;
    }
    /* CSV is split in place: work on a copy. */
    char *copy = malloc(len - i + 1);
    if (!copy) {
        mrs_diag_error_file(d, name, "out of memory");
        return -1;
    }
    memcpy(copy, s + i, len - i);
    copy[len - i] = 0;
    rpki_csv cs;
    rpki_csv_begin(&cs, r, name, d, st);
    int rc = 0;
    for (size_t pos = 0; pos < len - i && rc == 0;) {
        char *line = copy + pos;
        char *nl = memchr(line, '\n', len - i - pos);
        size_t n = nl ? (size_t)(nl - line) : len - i - pos;
        pos += n + (nl ? 1 : 0);
        rc = rpki_csv_line(&cs, line, n);
    }
    free(copy);
    return rc == 0 ? rpki_csv_end(&cs) : rc;
}

const char *mrs_vrp_format_name(mrs_vrp_format f)
{
    switch (f) {
    case MRS_VRP_FMT_JSON: return "json";
    case MRS_VRP_FMT_CSV: return "csv";
    case MRS_VRP_FMT_CSV_RIPE: return "csv-ripe-validator";
    default: return "unknown";
    }
}

/* ---- build ---- */

static inline uint64_t vrp_be64(const uint8_t *a)
{
    return (uint64_t)rpki_be32(a) << 32 | rpki_be32(a + 4);
}

/* The order of a build: mrs_prefix_cmp (family, address, shorter first), then
 * ASN, maxLength, trust anchor. Inlined into the sort below. */
static inline int vrp_order(const mrs_vrp *x, const mrs_vrp *y)
{
    if (x->prefix.afi != y->prefix.afi)
        return x->prefix.afi < y->prefix.afi ? -1 : 1;
    uint64_t a = vrp_be64(x->prefix.addr), b = vrp_be64(y->prefix.addr);
    if (a == b) {
        a = vrp_be64(x->prefix.addr + 8);
        b = vrp_be64(y->prefix.addr + 8);
    }
    if (a != b)
        return a < b ? -1 : 1;
    if (x->prefix.len != y->prefix.len)
        return x->prefix.len < y->prefix.len ? -1 : 1;
    if (x->asn != y->asn)
        return x->asn < y->asn ? -1 : 1;
    if (x->maxlen != y->maxlen)
        return x->maxlen < y->maxlen ? -1 : 1;
    return (int)x->ta - (int)y->ta;
}

/* Sort bucket: family and the first 16 address bits, in vrp_order. */
#define VRP_NBUCKET (2u * 65536u)
static inline uint32_t vrp_bucket(const mrs_vrp *v)
{
    return (v->prefix.afi == MRS_AFI_IPV6 ? 65536u : 0u) | (uint32_t)v->prefix.addr[0] << 8 | v->prefix.addr[1];
}

/* A sort in vrp_order of an array of T (V(p) is the mrs_vrp of element *p): one
 * counting pass into buckets of vrp_bucket (VRP sets spread over the address
 * space: most buckets hold a handful), then a merge sort of each bucket with the
 * comparison inlined (insertion sort below 16 elements). About 8x fewer
 * instructions than qsort with a comparator on a 490k-VRP set. -1 when out of
 * memory (the array is then unchanged). */
#define VRP_SORT_DEFINE(NAME, T, V)                                                                     \
    static void NAME##_small(T *a, size_t n)                                                            \
    {                                                                                                   \
        for (size_t i = 1; i < n; i++) {                                                                \
            if (vrp_order(V(&a[i - 1]), V(&a[i])) <= 0)                                                 \
                continue;                                                                               \
            T x = a[i];                                                                                 \
            size_t j = i;                                                                               \
            for (; j > 0 && vrp_order(V(&a[j - 1]), V(&x)) > 0; j--)                                    \
                a[j] = a[j - 1];                                                                        \
            a[j] = x;                                                                                   \
        }                                                                                               \
    }                                                                                                   \
    static void NAME##_merge(T *a, T *tmp, size_t n)                                                    \
    {                                                                                                   \
        if (n <= 16) {                                                                                  \
            NAME##_small(a, n);                                                                         \
            return;                                                                                     \
        }                                                                                               \
        size_t h = n / 2;                                                                               \
        NAME##_merge(a, tmp, h);                                                                        \
        NAME##_merge(a + h, tmp, n - h);                                                                \
        if (vrp_order(V(&a[h - 1]), V(&a[h])) <= 0)                                                     \
            return;                                                                                     \
        memcpy(tmp, a, h * sizeof *a);                                                                  \
        size_t i = 0, j = h, k = 0;                                                                     \
        while (i < h && j < n)                                                                          \
            a[k++] = vrp_order(V(&a[j]), V(&tmp[i])) < 0 ? a[j++] : tmp[i++];                           \
        while (i < h)                                                                                   \
            a[k++] = tmp[i++];                                                                          \
    }                                                                                                   \
    static int NAME(T *a, size_t n)                                                                     \
    {                                                                                                   \
        uint32_t *cnt = calloc(VRP_NBUCKET + 1, sizeof *cnt);                                           \
        T *tmp = malloc(n * sizeof *tmp);                                                               \
        if (!cnt || !tmp) {                                                                             \
            free(cnt);                                                                                  \
            free(tmp);                                                                                  \
            return -1;                                                                                  \
        }                                                                                               \
        for (size_t i = 0; i < n; i++)                                                                  \
            cnt[vrp_bucket(V(&a[i])) + 1]++;                                                            \
        for (uint32_t b = 0; b < VRP_NBUCKET; b++)                                                      \
            cnt[b + 1] += cnt[b];                                                                       \
        for (size_t i = 0; i < n; i++)                                                                  \
            tmp[cnt[vrp_bucket(V(&a[i]))]++] = a[i];                                                    \
        /* cnt[b] is now the end of bucket b (the start of b + 1). */                                   \
        for (uint32_t b = 0, s = 0; b < VRP_NBUCKET; s = cnt[b++])                                      \
            if (cnt[b] - s > 1)                                                                         \
                NAME##_merge(tmp + s, a + s, cnt[b] - s);                                               \
        memcpy(a, tmp, n * sizeof *a);                                                                  \
        free(tmp);                                                                                      \
        free(cnt);                                                                                      \
        return 0;                                                                                       \
    }

#define VRP_PLAIN(p) (p)
VRP_SORT_DEFINE(sort_plain, mrs_vrp, VRP_PLAIN)

typedef struct vrp_dated {
    mrs_vrp v;
    rpki_vrp_time t;
} vrp_dated;

#define VRP_DATED(p) (&(p)->v)
VRP_SORT_DEFINE(sort_dated, vrp_dated, VRP_DATED)

/* Sort vrp[] (and vtime[] along with it, through a temporary array of pairs). */
static int sort_vrps(mrs_rpki *r)
{
    if (r->nvrp < 2)
        return 0;
    if (!r->vtime)
        return sort_plain(r->vrp, r->nvrp);
    vrp_dated *tmp = malloc(r->nvrp * sizeof *tmp);
    if (!tmp)
        return -1;
    for (size_t i = 0; i < r->nvrp; i++) {
        tmp[i].v = r->vrp[i];
        tmp[i].t = r->vtime[i];
    }
    if (sort_dated(tmp, r->nvrp) < 0) {
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < r->nvrp; i++) {
        r->vrp[i] = tmp[i].v;
        r->vtime[i] = tmp[i].t;
    }
    free(tmp);
    return 0;
}

/* The validity of two copies of one VRP: it existed while either did, so the span
 * of both (an unknown bound stays unknown). A gap between the two is lost, which
 * is why mrs_rpki_valid_at is meant to run before the build. */
static rpki_vrp_time validity_join(rpki_vrp_time a, rpki_vrp_time b)
{
    rpki_vrp_time j;
    j.not_before = a.not_before && b.not_before ? (a.not_before < b.not_before ? a.not_before : b.not_before) : 0;
    j.not_after = a.not_after && b.not_after ? (a.not_after > b.not_after ? a.not_after : b.not_after) : 0;
    return j;
}

static int pair_cmp(const void *a, const void *b)
{
    const rpki_aspa_pair *x = a, *y = b;
    if (x->customer != y->customer)
        return x->customer < y->customer ? -1 : 1;
    return x->provider < y->provider ? -1 : x->provider > y->provider;
}

static int build_aspa(mrs_rpki *r)
{
    if (r->ncust_raw > 1)
        qsort(r->cust_raw, r->ncust_raw, sizeof *r->cust_raw, mrs_cmp_u32);
    size_t nc = 0;
    for (size_t i = 0; i < r->ncust_raw; i++)
        if (!nc || r->cust_raw[nc - 1] != r->cust_raw[i])
            r->cust_raw[nc++] = r->cust_raw[i];
    r->ncust_raw = nc;
    if (r->npair > 1)
        qsort(r->pair, r->npair, sizeof *r->pair, pair_cmp);
    size_t np = 0;
    for (size_t i = 0; i < r->npair; i++)
        if (!np || pair_cmp(&r->pair[np - 1], &r->pair[i]))
            r->pair[np++] = r->pair[i];
    r->npair = np;
    r->cust = malloc((nc ? nc : 1) * sizeof *r->cust);
    r->cust_start = malloc((nc + 1) * sizeof *r->cust_start);
    r->prov = malloc((np ? np : 1) * sizeof *r->prov);
    if (!r->cust || !r->cust_start || !r->prov)
        return -1;
    size_t j = 0;
    for (size_t i = 0; i < nc; i++) {
        r->cust[i] = r->cust_raw[i];
        r->cust_start[i] = (uint32_t)j;
        while (j < np && r->pair[j].customer == r->cust[i]) {
            r->prov[j] = r->pair[j].provider;
            j++;
        }
    }
    r->cust_start[nc] = (uint32_t)j;
    r->ncust = nc;
    return 0;
}

int mrs_rpki_build(mrs_rpki *r)
{
    free_built(r);
    if (r->nvrp > UINT32_MAX - 1 || r->npair > UINT32_MAX - 1)
        return -1;
    if (sort_vrps(r) < 0)
        return -1;
    /* Duplicates (same prefix, ASN, maxLength; e.g. the same ROA under two TAs or
     * two files) count once; the first trust anchor in sort order is kept. */
    size_t n = 0;
    for (size_t i = 0; i < r->nvrp; i++) {
        const mrs_vrp *v = &r->vrp[i];
        if (n && mrs_prefix_equal(&r->vrp[n - 1].prefix, &v->prefix) && r->vrp[n - 1].asn == v->asn &&
            r->vrp[n - 1].maxlen == v->maxlen) {
            if (r->vtime)
                r->vtime[n - 1] = validity_join(r->vtime[n - 1], r->vtime[i]);
            continue;
        }
        if (r->vtime)
            r->vtime[n] = r->vtime[i];
        r->vrp[n++] = *v;
    }
    r->nvrp = r->nsorted = n;
    r->ent = malloc((n ? n : 1) * sizeof *r->ent);
    r->group = malloc((n + 1) * sizeof *r->group);
    if (!r->ent || !r->group)
        goto oom;
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        const mrs_vrp *v = &r->vrp[i];
        r->ent[i].asn = v->asn;
        r->ent[i].maxlen = v->maxlen;
        r->ent[i].pad = 0;
        r->ent[i].ta = v->ta;
        if (i == 0 || !mrs_prefix_equal(&r->vrp[i - 1].prefix, &v->prefix))
            r->group[g++] = (uint32_t)i;
    }
    r->group[g] = (uint32_t)n;
    r->ngroup = g;
    /* The trie of the group prefixes, value = group index, built at once from the
     * sorted groups (already compacted; no insertion per prefix). */
    uint32_t *gval = malloc((g ? g : 1) * sizeof *gval);
    if (!gval)
        goto oom;
    for (size_t i = 0; i < g; i++)
        gval[i] = (uint32_t)i;
    r->trie = mrs_trie_build_sorted(n ? &r->vrp[0].prefix : NULL, sizeof *r->vrp, r->group, gval, g);
    free(gval);
    if (!r->trie)
        goto oom;
    if (rpki_rov_index_build(r) < 0 || build_aspa(r) < 0)
        goto oom;
    r->built = true;
    return 0;
oom:
    free_built(r);
    return -1;
}

size_t mrs_rpki_vrp_count(const mrs_rpki *r)
{
    return r->built ? r->nvrp : 0;
}

size_t mrs_rpki_aspa_count(const mrs_rpki *r)
{
    return r->built ? r->ncust : 0;
}

uint32_t mrs_rpki_aspa_at(const mrs_rpki *r, size_t i, const uint32_t **providers, size_t *n)
{
    if (!r->built || i >= r->ncust) {
        *providers = NULL;
        *n = 0;
        return 0;
    }
    *providers = r->prov + r->cust_start[i];
    *n = r->cust_start[i + 1] - r->cust_start[i];
    return r->cust[i];
}

int mrs_rpki_add_all(mrs_rpki *dst, const mrs_rpki *src)
{
    size_t n;
    const mrs_vrp *v = mrs_rpki_vrps(src, &n);
    for (size_t i = 0; i < n; i++)
        if (mrs_rpki_add_vrp(dst, &v[i].prefix, v[i].maxlen, v[i].asn, NULL) < 0)
            return -1;
    for (size_t i = 0; i < mrs_rpki_aspa_count(src); i++) {
        const uint32_t *prov;
        size_t np;
        uint32_t c = mrs_rpki_aspa_at(src, i, &prov, &np);
        if (mrs_rpki_add_aspa(dst, c, prov, np) < 0)
            return -1;
    }
    return 0;
}

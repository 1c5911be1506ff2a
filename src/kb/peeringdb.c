/*
 * peeringdb.c — PeeringDB /net?depth=2 documents ({"data":[{asn, poc_set:[...]}]})
 * into the sorted per-ASN contact table of peeringdb.h, and each network's
 * organisation (org_id) for the sibling test of as2org.h; /ixpfx, /ixlan and /ix
 * documents into the IXP peering LAN prefixes.
 */
#include "manrs/kb/peeringdb.h"
#include "manrs/kb/as2org.h"
#include "manrs/core/grow.h"
#include "manrs/core/search.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manrs/core/io.h"
#include "manrs/core/trie.h"

#define MAX_INPUT ((size_t)1 << 31)   /* 2 GiB */
#include "manrs/kb/irr.h"

/* ------------------------------------------------------------- PeeringDB */

/* An ISO 8601 timestamp string ("2022-07-27T05:33:20Z") as days since 1970-01-01, 0 if absent/bad. */
static uint32_t json_date_days(const json_t *v)
{
    if (!json_is_string(v))
        return 0;
    return irr_modified_days(json_string_value(v), json_string_length(v));
}

static int pdb_push(mrs_peeringdb *p, uint32_t asn, bool poc, uint32_t poc_updated, uint32_t org_id)
{
    mrs_pdb_net *t = mrs_grow(p->v, &p->cap, p->n + 1, sizeof *t, 256);
    if (!t)
        return -1;
    p->v = t;
    p->v[p->n++] = (mrs_pdb_net){asn, poc, poc_updated, org_id};
    return 0;
}

/* IXP prefixes in record o (record number rec, for messages): an ixpfx record
 * itself, or the ixpfx_set / ixlan_set arrays of ixlan and ix records (two levels
 * at most, as the API nests them). Returns 1 when o was an IXP record, 0 when not,
 * -1 when memory ran out. */
static int ixp_record(mrs_peeringdb *p, const json_t *o, const char *name, size_t rec, mrs_diag *d, int depth)
{
    const json_t *pf = json_object_get(o, "prefix");
    if (json_is_string(pf) && !json_object_get(o, "asn")) {
        mrs_prefix x;
        const char *s = json_string_value(pf);
        if (!mrs_prefix_parse(s, json_string_length(pf), &x, false)) {
            mrs_diag_error_file(d, name, "data record %zu: bad IXP \"prefix\" \"%.64s\", skipped", rec, s);
            return 1;
        }
        mrs_prefix_mask(&x);
        mrs_prefix *t = mrs_grow(p->ixp, &p->cap_ixp, p->n_ixp + 1, sizeof *t, 64);
        if (!t)
            return -1;
        p->ixp = t;
        p->ixp[p->n_ixp++] = x;
        return 1;
    }
    int found = 0;
    static const char *const sets[] = {"ixpfx_set", "ixlan_set"};
    for (size_t k = 0; k < 2 && depth < 2; k++) {
        const json_t *a = json_object_get(o, sets[k]);
        for (size_t i = 0; json_is_array(a) && i < json_array_size(a); i++) {
            const json_t *e = json_array_get(a, i);
            int r = json_is_object(e) ? ixp_record(p, e, name, rec, d, depth + 1) : 0;
            if (r < 0)
                return -1;
            found |= r;
        }
        found |= json_is_array(a);
    }
    return found;
}

int mrs_peeringdb_load_mem(mrs_peeringdb *p, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        mrs_diag_error_line(d, name, (uint64_t)(je.line > 0 ? je.line : 1), "JSON: %s", je.text);
        return -1;
    }
    json_t *data = json_is_object(root) ? json_object_get(root, "data") : NULL;
    json_t *gen = json_is_object(root) ? json_object_get(json_object_get(root, "meta"), "generated") : NULL;
    if (json_is_number(gen) && json_number_value(gen) > 0 && json_number_value(gen) < 4e9)
        p->generated = (int64_t)json_number_value(gen);
    else if (json_is_string(gen) && json_date_days(gen))
        p->generated = (int64_t)json_date_days(gen) * 86400;
    if (!json_is_array(data)) {
        mrs_diag_error_file(d, name, "no \"data\" array (PeeringDB API /net shape expected)");
        json_decref(root);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < json_array_size(data); i++) {
        json_t *o = json_array_get(data, i);
        json_t *a = json_is_object(o) ? json_object_get(o, "asn") : NULL;
        int ix = json_is_object(o) && !a ? ixp_record(p, o, name, i + 1, d, 0) : 0;
        if (ix < 0) {
            rc = -1;
            break;
        }
        if (ix)
            continue;
        if (!json_is_integer(a) || json_integer_value(a) <= 0 || json_integer_value(a) > (json_int_t)UINT32_MAX) {
            mrs_diag_error_file(d, name, "data record %zu: no valid \"asn\", skipped", i + 1);
            continue;
        }
        bool poc = false;
        uint32_t poc_day = 0, net_poc_day = json_date_days(json_object_get(o, "poc_updated"));
        uint32_t upd = json_date_days(json_object_get(o, "updated"));
        if (upd > p->newest)
            p->newest = upd;
        if (net_poc_day > p->newest)
            p->newest = net_poc_day;
        json_t *ps = json_object_get(o, "poc_set");
        if (ps && !json_is_array(ps))
            mrs_diag_warn_at(d, name, i + 1, "record %zu: \"poc_set\" is not an array", i + 1);
        for (size_t k = 0; json_is_array(ps) && k < json_array_size(ps); k++) {
            json_t *e = json_object_get(json_array_get(ps, k), "email");
            json_t *st = json_object_get(json_array_get(ps, k), "status");
            if (json_is_string(e) && strchr(json_string_value(e), '@') &&
                (!json_is_string(st) || strcmp(json_string_value(st), "deleted") != 0)) {
                poc = true;
                uint32_t pd = json_date_days(json_object_get(json_array_get(ps, k), "updated"));
                if (pd > poc_day)
                    poc_day = pd;
            }
        }
        /* org_id: PeeringDB's organisation of the network; absent or not a positive
         * integer means none (it groups networks only, nothing else depends on it). */
        json_t *org = json_object_get(o, "org_id");
        uint32_t org_id = json_is_integer(org) && json_integer_value(org) > 0 && json_integer_value(org) <= (json_int_t)UINT32_MAX
                              ? (uint32_t)json_integer_value(org) : 0;
        if (pdb_push(p, (uint32_t)json_integer_value(a), poc, poc_day ? poc_day : net_poc_day, org_id) != 0) {
            rc = -1;
            break;
        }
    }
    json_decref(root);
    return rc;
}

int mrs_peeringdb_load_file(mrs_peeringdb *p, const char *path, mrs_diag *d)
{
    char *b;
    size_t n;
    if (mrs_read_whole_text(path, MAX_INPUT, "PeeringDB JSON", mrs_sniff_json, d, &b, &n) != 0)
        return -1;
    int rc = mrs_peeringdb_load_mem(p, b, n, path, d);
    free(b);
    return rc;
}

static int cmp_pdb(const void *a, const void *b)
{
    uint32_t x = ((const mrs_pdb_net *)a)->asn, y = ((const mrs_pdb_net *)b)->asn;
    return x < y ? -1 : x > y;
}

void mrs_peeringdb_finish(mrs_peeringdb *p)
{
    mrs_trie_free(p->ixp_index);
    p->ixp_index = NULL;
    if (p->n_ixp && (p->ixp_index = mrs_trie_new()) != NULL)
        for (size_t i = 0; i < p->n_ixp; i++)
            if (mrs_trie_insert(p->ixp_index, &p->ixp[i], (uint32_t)i) < 0) {
                mrs_trie_free(p->ixp_index);   /* memory: no IXP exemption, nothing wrong said */
                p->ixp_index = NULL;
                break;
            }
    if (!p->n)
        return;
    qsort(p->v, p->n, sizeof *p->v, cmp_pdb);
    size_t m = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (m && p->v[m - 1].asn == p->v[i].asn) {
            p->v[m - 1].poc_email |= p->v[i].poc_email;
            if (p->v[i].poc_updated > p->v[m - 1].poc_updated)
                p->v[m - 1].poc_updated = p->v[i].poc_updated;
            /* Two files naming two organisations: the smaller id, whatever the order. */
            if (p->v[i].org_id && (!p->v[m - 1].org_id || p->v[i].org_id < p->v[m - 1].org_id))
                p->v[m - 1].org_id = p->v[i].org_id;
        } else
            p->v[m++] = p->v[i];
    }
    p->n = m;
}

const mrs_pdb_net *mrs_peeringdb_find(const mrs_peeringdb *p, uint32_t asn)
{
    size_t lo;
    MRS_LOWER_BOUND(lo, p->n, i, p->v[i].asn < asn);
    return lo < p->n && p->v[lo].asn == asn ? &p->v[lo] : NULL;
}

bool mrs_peeringdb_ixp_lan(const mrs_peeringdb *p, const mrs_prefix *pfx)
{
    mrs_trie_match m[MRS_TRIE_MAX_COVERING];
    return p->ixp_index && mrs_trie_covering(p->ixp_index, pfx, m) > 0;
}

void mrs_peeringdb_clear(mrs_peeringdb *p)
{
    mrs_trie_free(p->ixp_index);
    free(p->ixp);
    free(p->v);
    memset(p, 0, sizeof *p);
}

int mrs_peeringdb_add_orgs(const mrs_peeringdb *p, mrs_as2org *o)
{
    for (size_t i = 0; i < p->n; i++) {
        if (!p->v[i].org_id)
            continue;
        char id[32];
        snprintf(id, sizeof id, "peeringdb:%lu", (unsigned long)p->v[i].org_id);
        if (mrs_as2org_join(o, p->v[i].asn, id, "PeeringDB") != 0)
            return -1;
    }
    return 0;
}

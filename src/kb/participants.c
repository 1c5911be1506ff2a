/*
 * participants.c — the MANRS participants registry and the disputes file (see
 * participants.h), read with libyaml's document loader: aliases are shared nodes,
 * never expanded, and the walk below goes at most four levels deep, so a hostile
 * file can neither loop nor blow up.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "manrs/core/date.h"
#include "manrs/core/grow.h"
#include "manrs/core/io.h"
#include "manrs/kb/participants.h"
#include "manrs/kb/yaml_doc.h"

#define MAX_FILE (64u << 20)
#define MAX_TEXT 512            /* organisation, contact, reason: longer is cut, with a warning */

static const char *const programme_names[MRS_PROG_N] = {"network-operator", "ixp", "cdn-cloud", "vendor"};
static const unsigned programme_max[MRS_PROG_N] = {4, 5, 6, 2};
static const char *const tier_names[MRS_TIER_N] = {"manrs", "manrs-plus"};
static const char *const dispute_names[] = {"open", "upheld", "rejected"};

const char *mrs_programme_name(mrs_programme p) { return p < MRS_PROG_N ? programme_names[p] : "?"; }
const char *mrs_tier_name(mrs_tier t) { return t < MRS_TIER_N ? tier_names[t] : "?"; }
unsigned mrs_programme_actions(mrs_programme p) { return p < MRS_PROG_N ? programme_max[p] : 0; }
const char *mrs_dispute_status_name(mrs_dispute_status s) { return s <= MRS_DISPUTE_REJECTED ? dispute_names[s] : "?"; }

void mrs_tier_policy_default(mrs_tier t, mrs_tier_policy *p)
{
    memset(p, 0, sizeof *p);
    if (t == MRS_TIER_PLUS) {
        /* MANRS+: no incident at all (leaks included), every Spoofer test blocked,
         * contacts, and both registries covering 95 %; one notice, then suspension */
        p->action_min[1] = 100;
        p->action_min[2] = 100;
        p->action_min[3] = 100;
        p->action_min[4] = 95;
        p->leaks_count = true;
        p->action4_both = true;
        p->grace_periods = 0;
    } else {
        /* MANRS: the Observatory's "ready" (90 %); leaks outside Action 1 as the
         * Observatory has them since 2024; IRR or RPKI ("and/or" in the Actions) */
        for (int k = 1; k <= 4; k++)
            p->action_min[k] = 90;
        p->grace_periods = 2;
    }
}

/* ------------------------------------------------------------------ YAML helpers */

typedef struct ctx {
    yaml_document_t *doc;
    const char *name;
    mrs_diag *d;
    bool bad;                   /* the unit being read is damaged (already reported) */
    bool oom;
} ctx;

static yaml_node_t *node(ctx *x, int id) { return yaml_document_get_node(x->doc, id); }

static void fail(ctx *x, const yaml_node_t *n, const char *what, const char *arg)
{
    if (!x->bad)
        mrs_diag_error_line(x->d, x->name, mrs_yaml_line(n), "%s%s%s", what, arg ? ": " : "", arg ? arg : "");
    x->bad = true;
}

static char *text(ctx *x, const yaml_node_t *n, const char *key)
{
    char buf[MAX_TEXT + 1];
    const char *s = mrs_yaml_scalar(n, buf, sizeof buf);
    if (!s || !*s) {
        fail(x, n, "expected text for", key);
        return NULL;
    }
    if (n->data.scalar.length > MAX_TEXT)
        mrs_diag_warn_line(x->d, x->name, mrs_yaml_line(n), "%s cut to %d bytes", key, MAX_TEXT);
    char *r = strdup(s);
    if (!r)
        x->oom = true;
    return r;
}

/* "YYYY-MM-DD" as the number YYYYMMDD */
static bool parse_date(const char *s, uint32_t *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    unsigned v = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    int64_t t;
    if (!mrs_date_ymd_u32(v, &t))
        return false;
    *out = v;
    return true;
}

static bool date_of(ctx *x, const yaml_node_t *n, const char *key, uint32_t *out)
{
    char buf[32];
    const char *s = mrs_yaml_scalar(n, buf, sizeof buf);
    if (!s || !parse_date(s, out)) {
        fail(x, n, "expected a date YYYY-MM-DD for", key);
        return false;
    }
    return true;
}

static bool asn_of(ctx *x, const yaml_node_t *n, const char *key, uint32_t *asn)
{
    char buf[32];
    const char *s = mrs_yaml_scalar(n, buf, sizeof buf);
    if (!s || !mrs_asn_parse(s, strlen(s), asn) || *asn == 0) {
        fail(x, n, "expected an AS number for", key);
        return false;
    }
    return true;
}

/* Action numbers 1..max as a bit set: a sequence or one number. */
static bool actions_of(ctx *x, const yaml_node_t *n, unsigned max, uint8_t *out)
{
    *out = 0;
    size_t cnt = n->type == YAML_SEQUENCE_NODE ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start) : 1;
    if (n->type != YAML_SEQUENCE_NODE && n->type != YAML_SCALAR_NODE) {
        fail(x, n, "expected a list of Action numbers", NULL);
        return false;
    }
    for (size_t i = 0; i < cnt; i++) {
        const yaml_node_t *e = n->type == YAML_SEQUENCE_NODE ? node(x, n->data.sequence.items.start[i]) : n;
        char buf[16], m[48];
        const char *s = mrs_yaml_scalar(e, buf, sizeof buf);
        char *end = NULL;
        long v = s ? strtol(s, &end, 10) : 0;
        if (!s || !*s || *end || v < 1 || v > (long)max) {
            snprintf(m, sizeof m, "1..%u", max);
            fail(x, e ? e : n, "an Action number must be", m);
            return false;
        }
        *out |= (uint8_t)MRS_ACTION_BIT(v);
    }
    if (!*out) {
        fail(x, n, "no Action committed", NULL);
        return false;
    }
    return true;
}

static bool enum_of(ctx *x, const yaml_node_t *n, const char *key, const char *const *names, unsigned count,
                    unsigned *out)
{
    char buf[32];
    const char *s = mrs_yaml_scalar(n, buf, sizeof buf);
    for (unsigned i = 0; s && i < count; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return true;
        }
    char m[160];
    size_t o = (size_t)snprintf(m, sizeof m, "%s must be one of", key);
    for (unsigned i = 0; i < count && o < sizeof m; i++)
        o += (size_t)snprintf(m + o, sizeof m - o, "%s %s", i ? "," : "", names[i]);
    fail(x, n, m, NULL);
    return false;
}

static bool contact_ok(const char *s)
{
    if (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7))
        return strlen(s) > 8 && !strpbrk(s, " \t");
    const char *at = strchr(s, '@');
    return at && at > s && strchr(at + 1, '.') && !strchr(at + 1, '@') && at[1] != '.' && !strpbrk(s, " \t<>");
}

static char *make_id(const char *org)
{
    size_t n = strlen(org);
    char *id = malloc(n + 1);
    if (!id)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)org[i];
        if (isalnum(c))
            id[o++] = (char)tolower(c);
        else if (o && id[o - 1] != '-')
            id[o++] = '-';
    }
    while (o && id[o - 1] == '-')
        o--;
    id[o] = 0;
    return id;
}

/* ------------------------------------------------------------------ registry */

static void participant_free(mrs_participant *p)
{
    free(p->id);
    free(p->organisation);
    free(p->contact);
    free(p->asns);
    free(p->lans);
    memset(p, 0, sizeof *p);
}

static void read_asn_entry(ctx *x, const yaml_node_t *e, mrs_participant *p)
{
    if (!e || e->type != YAML_MAPPING_NODE) {
        fail(x, e, "an asns entry must be {asn: N, actions: [...]}", NULL);
        return;
    }
    mrs_participant_asn a = {0, 0, mrs_yaml_line(e)};
    bool have_actions = false;
    for (yaml_node_pair_t *q = e->data.mapping.pairs.start; q < e->data.mapping.pairs.top && !x->bad; q++) {
        const yaml_node_t *k = node(x, q->key), *v = node(x, q->value);
        char kb[32];
        const char *key = mrs_yaml_scalar(k, kb, sizeof kb);
        if (!key || !v)
            fail(x, k, "a key that is not text", NULL);
        else if (!strcmp(key, "asn"))
            asn_of(x, v, "asn", &a.asn);
        else if (!strcmp(key, "actions"))
            have_actions = actions_of(x, v, mrs_programme_actions(p->programme), &a.actions);
        else
            fail(x, k, "unknown key in an asns entry", key);
    }
    if (x->bad)
        return;
    if (!a.asn || !have_actions) {
        fail(x, e, a.asn ? "no actions for the ASN" : "an asns entry without asn", NULL);
        return;
    }
    for (size_t i = 0; i < p->n_asns; i++)
        if (p->asns[i].asn == a.asn) {
            char m[24];
            snprintf(m, sizeof m, "AS%u", a.asn);
            fail(x, e, "the same ASN twice", m);
            return;
        }
    mrs_participant_asn *t = realloc(p->asns, (p->n_asns + 1) * sizeof *t);
    if (!t) {
        x->oom = x->bad = true;
        return;
    }
    p->asns = t;
    p->asns[p->n_asns++] = a;
    p->actions |= a.actions;
}

static void read_lans(ctx *x, const yaml_node_t *v, mrs_participant *p)
{
    size_t cnt = v->type == YAML_SEQUENCE_NODE ? (size_t)(v->data.sequence.items.top - v->data.sequence.items.start) : 1;
    if (v->type != YAML_SEQUENCE_NODE && v->type != YAML_SCALAR_NODE) {
        fail(x, v, "peering-lan must be a prefix or a list of them", NULL);
        return;
    }
    free(p->lans);
    p->n_lans = 0;
    if (!(p->lans = calloc(cnt ? cnt : 1, sizeof *p->lans))) {
        x->oom = x->bad = true;
        return;
    }
    for (size_t i = 0; i < cnt; i++) {
        const yaml_node_t *e = v->type == YAML_SEQUENCE_NODE ? node(x, v->data.sequence.items.start[i]) : v;
        char buf[64];
        const char *s = mrs_yaml_scalar(e, buf, sizeof buf);
        if (!s || !mrs_prefix_parse(s, strlen(s), &p->lans[p->n_lans], true)) {
            fail(x, e ? e : v, "not a prefix (host bits must be zero)", s);
            return;
        }
        p->n_lans++;
    }
}

/* One participant; false if it was left out (reported). */
static bool read_participant(ctx *x, const yaml_node_t *n, mrs_participant *p)
{
    memset(p, 0, sizeof *p);
    x->bad = false;
    p->line = mrs_yaml_line(n);
    if (!n || n->type != YAML_MAPPING_NODE) {
        fail(x, n, "a participant must be a mapping (organisation:, programme:, ...)", NULL);
        return false;
    }
    bool have_prog = false, have_tier = false;
    const yaml_node_t *asns = NULL, *actions = NULL;
    /* programme first: it bounds the Action numbers */
    for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top && !x->bad; q++) {
        char kb[32];
        const char *key = mrs_yaml_scalar(node(x, q->key), kb, sizeof kb);
        if (key && !strcmp(key, "programme")) {
            unsigned v;
            if (enum_of(x, node(x, q->value), "programme", programme_names, MRS_PROG_N, &v)) {
                p->programme = (mrs_programme)v;
                have_prog = true;
            }
        }
    }
    for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top && !x->bad; q++) {
        const yaml_node_t *k = node(x, q->key), *v = node(x, q->value);
        char kb[32];
        const char *key = mrs_yaml_scalar(k, kb, sizeof kb);
        unsigned e;
        if (!key || !v)
            fail(x, k ? k : n, "a key that is not text", NULL);
        else if (!strcmp(key, "programme"))
            continue;
        else if (!strcmp(key, "organisation") || !strcmp(key, "organization")) {
            free(p->organisation);
            p->organisation = text(x, v, key);
        } else if (!strcmp(key, "id")) {
            free(p->id);
            p->id = text(x, v, key);
        } else if (!strcmp(key, "contact")) {
            free(p->contact);
            if ((p->contact = text(x, v, key)) && !contact_ok(p->contact))
                fail(x, v, "contact must be an e-mail address or an http(s):// URL", p->contact);
        } else if (!strcmp(key, "tier")) {
            if ((have_tier = enum_of(x, v, "tier", tier_names, MRS_TIER_N, &e)))
                p->tier = (mrs_tier)e;
        } else if (!strcmp(key, "joined"))
            date_of(x, v, "joined", &p->joined);
        else if (!strcmp(key, "asns")) {
            if (v->type != YAML_SEQUENCE_NODE)
                fail(x, v, "asns must be a list", NULL);
            asns = v;
        } else if (!strcmp(key, "actions"))
            actions = v;
        else if (!strcmp(key, "route-server"))
            asn_of(x, v, "route-server", &p->route_server);
        else if (!strcmp(key, "peering-lan"))
            read_lans(x, v, p);
        else
            fail(x, k, "unknown key", key);
    }
    if (!x->bad && !have_prog)
        fail(x, n, "no programme", NULL);
    if (!x->bad && !p->organisation)
        fail(x, n, "no organisation", NULL);
    if (!x->bad && !have_tier)
        fail(x, n, "no tier (manrs or manrs-plus)", NULL);
    if (!x->bad && !p->joined)
        fail(x, n, "no joined date", NULL);
    if (!x->bad && !p->contact)
        fail(x, n, "no public contact", NULL);
    if (!x->bad && asns)
        for (yaml_node_item_t *it = asns->data.sequence.items.start; it < asns->data.sequence.items.top && !x->bad; it++)
            read_asn_entry(x, node(x, *it), p);
    if (!x->bad && actions) {
        uint8_t a;
        if (actions_of(x, actions, mrs_programme_actions(p->programme), &a))
            p->actions |= a;
    }
    if (!x->bad) {
        bool per_asn = p->programme == MRS_PROG_NETOPS || p->programme == MRS_PROG_CDN;
        if (per_asn && !p->n_asns)
            fail(x, n, "a network operator or CDN/cloud participant needs asns: with their actions", NULL);
        else if (per_asn && actions)
            fail(x, actions, "actions are committed per ASN here (asns:), not for the organisation", NULL);
        else if (!per_asn && !actions)
            fail(x, n, "no actions: (the organisation's committed Actions)", NULL);
        else if (p->programme == MRS_PROG_IXP && !p->route_server && !p->n_lans)
            fail(x, n, "an IXP needs its route-server ASN or its peering-lan", NULL);
        else if (p->programme != MRS_PROG_IXP && (p->route_server || p->n_lans))
            fail(x, n, "route-server and peering-lan are for IXPs", NULL);
    }
    if (!x->bad && !p->id && !(p->id = make_id(p->organisation)))
        x->oom = x->bad = true;
    if (!x->bad && !*p->id)
        fail(x, n, "an id needs a letter or digit", NULL);
    if (x->bad) {
        participant_free(p);
        return false;
    }
    return true;
}

static void read_tiers(ctx *x, const yaml_node_t *v, mrs_registry *r)
{
    if (v->type != YAML_MAPPING_NODE) {
        mrs_diag_error_line(x->d, x->name, mrs_yaml_line(v), "tiers must map a tier to its thresholds; ignored");
        r->skipped++;
        return;
    }
    for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
        const yaml_node_t *k = node(x, q->key), *tv = node(x, q->value);
        unsigned t;
        x->bad = false;
        if (!enum_of(x, k, "a tier", tier_names, MRS_TIER_N, &t) || !tv || tv->type != YAML_MAPPING_NODE) {
            if (!x->bad)
                fail(x, tv ? tv : k, "a tier's thresholds must be a mapping", NULL);
            r->skipped++;
            continue;
        }
        mrs_tier_policy pol = r->tiers[t];
        for (yaml_node_pair_t *e = tv->data.mapping.pairs.start; e < tv->data.mapping.pairs.top && !x->bad; e++) {
            char kb[32], vb[32];
            const char *key = mrs_yaml_scalar(node(x, e->key), kb, sizeof kb);
            const yaml_node_t *en = node(x, e->value);
            const char *val = mrs_yaml_scalar(en, vb, sizeof vb);
            char *end = NULL;
            double d = val ? strtod(val, &end) : 0;
            bool num = val && *val && end && !*end;
            if (!key || !val) {
                fail(x, node(x, e->key), "a threshold must be key: value", NULL);
            } else if (strlen(key) == 11 && !strncmp(key, "action", 6) && !strcmp(key + 7, "-min") && key[6] >= '1' &&
                       key[6] <= '4') {
                if (!num || d < 0 || d > 100)
                    fail(x, en, "a minimum score is 0..100", val);
                else
                    pol.action_min[key[6] - '0'] = d;
            } else if (!strcmp(key, "grace-periods")) {
                if (!num || d < 0 || d > 24 || d != (unsigned)d)
                    fail(x, en, "grace-periods is 0..24", val);
                else
                    pol.grace_periods = (unsigned)d;
            } else if (!strcmp(key, "leaks-count") || !strcmp(key, "action4-both")) {
                bool b = !strcmp(val, "true") || !strcmp(val, "yes");
                if (!b && strcmp(val, "false") && strcmp(val, "no"))
                    fail(x, en, "expected true or false for", key);
                else
                    *(key[0] == 'l' ? &pol.leaks_count : &pol.action4_both) = b;
            } else
                fail(x, node(x, e->key), "unknown threshold", key);
        }
        if (x->bad)
            r->skipped++;
        else
            r->tiers[t] = pol;
    }
}

typedef struct claim {
    uint32_t asn;
    uint32_t i, j;              /* participant, entry */
} claim;

static int cmp_claim(const void *a, const void *b)
{
    const claim *x = a, *y = b;
    if (x->asn != y->asn)
        return x->asn < y->asn ? -1 : 1;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* An ASN two participants claim stays with the first; an id twice: the second
 * participant is left out. */
static int check_overlaps(ctx *x, mrs_registry *r)
{
    size_t total = 0;
    for (size_t i = 0; i < r->n; i++)
        total += r->v[i].n_asns;
    claim *c = malloc((total ? total : 1) * sizeof *c);
    if (!c)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        for (size_t j = 0; j < r->v[i].n_asns; j++)
            c[k++] = (claim){r->v[i].asns[j].asn, (uint32_t)i, (uint32_t)j};
    qsort(c, k, sizeof *c, cmp_claim);
    for (size_t q = 1; q < k; q++) {
        if (c[q].asn != c[q - 1].asn)
            continue;
        size_t f = q - 1;
        while (f > 0 && c[f - 1].asn == c[q].asn)
            f--;
        const mrs_participant *first = &r->v[c[f].i];
        mrs_participant_asn *e = &r->v[c[q].i].asns[c[q].j];
        mrs_diag_error_line(x->d, x->name, e->line, "AS%u is claimed by %s (line %u) too: kept with that one only",
                            e->asn, first->id, first->line);
        e->asn = 0; /* dropped below */
        r->skipped++;
    }
    free(c);
    for (size_t i = 0; i < r->n; i++) {
        mrs_participant *p = &r->v[i];
        size_t o = 0;
        for (size_t j = 0; j < p->n_asns; j++)
            if (p->asns[j].asn)
                p->asns[o++] = p->asns[j];
        p->n_asns = o;
    }
    /* a participant whose every ASN went elsewhere, or whose id is taken */
    size_t o = 0;
    for (size_t i = 0; i < r->n; i++) {
        mrs_participant *p = &r->v[i];
        bool dup = false;
        for (size_t j = 0; j < o && !dup; j++)
            dup = !strcmp(r->v[j].id, p->id);
        bool per_asn = p->programme == MRS_PROG_NETOPS || p->programme == MRS_PROG_CDN;
        if (dup || (per_asn && !p->n_asns)) {
            mrs_diag_error_line(x->d, x->name, p->line, dup ? "id %s is taken by an earlier participant: left out"
                                                           : "%s has no ASN left of its own: left out",
                                p->id);
            r->skipped++;
            participant_free(p);
            continue;
        }
        if (per_asn) { /* the union of what is left */
            p->actions = 0;
            for (size_t j = 0; j < p->n_asns; j++)
                p->actions |= p->asns[j].actions;
        }
        r->v[o++] = *p;
    }
    r->n = o;
    return 0;
}

typedef bool (*root_fn)(ctx *x, const yaml_node_t *root, void *out);

/* Load one YAML document and hand its root to fn. */
static int load_doc(const char *buf, size_t len, const char *name, mrs_diag *d, root_fn fn, void *out)
{
    yaml_document_t doc;
    if (mrs_yaml_load(buf, len, name, d, &doc) != 0)
        return -1;
    ctx x = {&doc, name, d, false, false};
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    bool ok = fn(&x, root, out);
    yaml_document_delete(&doc);
    if (x.oom) {
        mrs_diag_error_file(d, name, "out of memory");
        ok = false;
    }
    return ok ? 0 : -1;
}

static bool registry_root(ctx *x, const yaml_node_t *root, void *out)
{
    mrs_registry *r = out;
    if (!root || root->type != YAML_MAPPING_NODE) {
        mrs_diag_error_file(x->d, x->name, "not a participants registry: expected version: and participants:");
        return false;
    }
    const yaml_node_t *list = NULL;
    for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < root->data.mapping.pairs.top; q++) {
        const yaml_node_t *k = node(x, q->key), *v = node(x, q->value);
        char kb[32], vb[16];
        const char *key = mrs_yaml_scalar(k, kb, sizeof kb);
        if (!key || !v) {
            mrs_diag_error_line(x->d, x->name, mrs_yaml_line(k), "a key that is not text: ignored");
        } else if (!strcmp(key, "version")) {
            const char *s = mrs_yaml_scalar(v, vb, sizeof vb);
            if (!s || strcmp(s, "1")) {
                mrs_diag_error_line(x->d, x->name, mrs_yaml_line(v), "registry version %s: this manrs reads version 1",
                                    s ? s : "(not a number)");
                return false;
            }
        } else if (!strcmp(key, "participants")) {
            list = v;
        } else if (!strcmp(key, "tiers")) {
            read_tiers(x, v, r);
        } else {
            mrs_diag_warn_line(x->d, x->name, mrs_yaml_line(k), "unknown key %s: ignored", key);
        }
    }
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        mrs_diag_error_line(x->d, x->name, mrs_yaml_line(list ? list : root), "participants: must be a list");
        return false;
    }
    size_t cnt = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (!(r->v = calloc(cnt ? cnt : 1, sizeof *r->v))) {
        x->oom = true;
        return false;
    }
    for (size_t i = 0; i < cnt; i++) {
        if (read_participant(x, node(x, list->data.sequence.items.start[i]), &r->v[r->n]))
            r->n++;
        else if (x->oom)
            return false;
        else
            r->skipped++;
    }
    if (check_overlaps(x, r) != 0) {
        x->oom = true;
        return false;
    }
    return true;
}

int mrs_registry_load_mem(const char *buf, size_t len, const char *name, mrs_registry *r, mrs_diag *d)
{
    memset(r, 0, sizeof *r);
    for (int t = 0; t < MRS_TIER_N; t++)
        mrs_tier_policy_default((mrs_tier)t, &r->tiers[t]);
    if (!(r->file = strdup(name))) {
        mrs_diag_error_file(d, name, "out of memory");
        return -1;
    }
    if (load_doc(buf, len, name, d, registry_root, r) != 0) {
        mrs_registry_clear(r);
        return -1;
    }
    return 0;
}

int mrs_registry_load(const char *path, mrs_registry *r, mrs_diag *d)
{
    char *buf;
    size_t len;
    memset(r, 0, sizeof *r);
    if (mrs_read_whole_text(path, MAX_FILE, "a participants registry (YAML)", NULL, d, &buf, &len) < 0)
        return -1;
    int rc = mrs_registry_load_mem(buf, len, path, r, d);
    free(buf);
    return rc;
}

void mrs_registry_clear(mrs_registry *r)
{
    for (size_t i = 0; i < r->n; i++)
        participant_free(&r->v[i]);
    free(r->v);
    free(r->file);
    memset(r, 0, sizeof *r);
}

const mrs_participant *mrs_registry_by_asn(const mrs_registry *r, uint32_t asn)
{
    for (size_t i = 0; i < r->n; i++) {
        for (size_t j = 0; j < r->v[i].n_asns; j++)
            if (r->v[i].asns[j].asn == asn)
                return &r->v[i];
        if (r->v[i].route_server == asn)
            return &r->v[i];
    }
    return NULL;
}

const mrs_participant *mrs_registry_find(const mrs_registry *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].id, key) || !strcasecmp(r->v[i].organisation, key))
            return &r->v[i];
    uint32_t asn;
    if (mrs_asn_parse(key, strlen(key), &asn))
        return mrs_registry_by_asn(r, asn);
    return NULL;
}

/* ------------------------------------------------------------------ disputes */

static bool read_dispute(ctx *x, const yaml_node_t *n, mrs_dispute *dp)
{
    memset(dp, 0, sizeof *dp);
    x->bad = false;
    dp->line = mrs_yaml_line(n);
    if (!n || n->type != YAML_MAPPING_NODE) {
        fail(x, n, "a dispute must be a mapping (participant:, incident:, reason:)", NULL);
        return false;
    }
    bool have_inc = false;
    for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top && !x->bad; q++) {
        const yaml_node_t *k = node(x, q->key), *v = node(x, q->value);
        char kb[32], vb[64];
        const char *key = mrs_yaml_scalar(k, kb, sizeof kb);
        unsigned e;
        if (!key || !v)
            fail(x, k ? k : n, "a key that is not text", NULL);
        else if (!strcmp(key, "participant")) {
            free(dp->participant);
            dp->participant = text(x, v, key);
        } else if (!strcmp(key, "reason")) {
            free(dp->reason);
            dp->reason = text(x, v, key);
        } else if (!strcmp(key, "filed"))
            date_of(x, v, "filed", &dp->filed);
        else if (!strcmp(key, "status")) {
            if (enum_of(x, v, "status", dispute_names, 3, &e))
                dp->status = (mrs_dispute_status)e;
        } else if (!strcmp(key, "incident")) {
            have_inc = true;
            const char *s = mrs_yaml_scalar(v, vb, sizeof vb);
            if (s) { /* an id within the run */
                char *end = NULL;
                unsigned long long id = strtoull(s, &end, 10);
                if (!*s || *end || !id)
                    fail(x, v, "incident: an id, or {class:, prefix:, culprit:, start:}", s);
                dp->id = id;
                continue;
            }
            if (v->type != YAML_MAPPING_NODE) {
                fail(x, v, "incident: an id, or {class:, prefix:, culprit:, start:}", NULL);
                continue;
            }
            for (yaml_node_pair_t *f = v->data.mapping.pairs.start; f < v->data.mapping.pairs.top && !x->bad; f++) {
                const yaml_node_t *fk = node(x, f->key), *fv = node(x, f->value);
                char fb[32], val[64];
                const char *fkey = mrs_yaml_scalar(fk, fb, sizeof fb), *fval = mrs_yaml_scalar(fv, val, sizeof val);
                if (!fkey || !fval)
                    fail(x, fk ? fk : v, "incident fields are key: value", NULL);
                else if (!strcmp(fkey, "class")) {
                    if (strlen(fval) >= sizeof dp->cls)
                        fail(x, fv, "not an incident class", fval);
                    else
                        strcpy(dp->cls, fval);
                } else if (!strcmp(fkey, "prefix")) {
                    if (!mrs_prefix_parse(fval, strlen(fval), &dp->prefix, false))
                        fail(x, fv, "not a prefix", fval);
                    mrs_prefix_mask(&dp->prefix);
                    dp->has_prefix = true;
                } else if (!strcmp(fkey, "culprit"))
                    asn_of(x, fv, "culprit", &dp->culprit);
                else if (!strcmp(fkey, "start")) {
                    if (!mrs_time_parse(fval, &dp->start))
                        fail(x, fv, "start: Unix seconds or ISO 8601", fval);
                } else
                    fail(x, fk, "unknown incident field", fkey);
            }
            if (!x->bad && !dp->has_prefix && !dp->culprit)
                fail(x, v, "incident: name at least its prefix or culprit", NULL);
        } else
            fail(x, k, "unknown key", key);
    }
    if (!x->bad && !dp->participant)
        fail(x, n, "no participant", NULL);
    if (!x->bad && !have_inc)
        fail(x, n, "no incident", NULL);
    if (!x->bad && !dp->reason)
        fail(x, n, "no reason", NULL);
    if (x->bad) {
        free(dp->participant);
        free(dp->reason);
        memset(dp, 0, sizeof *dp);
        return false;
    }
    return true;
}

static bool disputes_root(ctx *x, const yaml_node_t *root, void *out)
{
    mrs_dispute_list *l = out;
    const yaml_node_t *list = root;
    if (root && root->type == YAML_MAPPING_NODE) { /* disputes: [...] */
        list = NULL;
        for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < root->data.mapping.pairs.top; q++) {
            char kb[32];
            const char *key = mrs_yaml_scalar(node(x, q->key), kb, sizeof kb);
            if (key && !strcmp(key, "disputes"))
                list = node(x, q->value);
            else
                mrs_diag_warn_line(x->d, x->name, mrs_yaml_line(node(x, q->key)), "unknown key %s: ignored",
                                   key ? key : "(not text)");
        }
    }
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        mrs_diag_error_file(x->d, x->name, "not a disputes file: expected disputes: [...]");
        return false;
    }
    size_t cnt = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (!(l->v = calloc(cnt ? cnt : 1, sizeof *l->v))) {
        x->oom = true;
        return false;
    }
    for (size_t i = 0; i < cnt; i++) {
        if (read_dispute(x, node(x, list->data.sequence.items.start[i]), &l->v[l->n]))
            l->n++;
        else if (x->oom)
            return false;
        else
            l->skipped++;
    }
    return true;
}

int mrs_disputes_load_mem(const char *buf, size_t len, const char *name, mrs_dispute_list *l, mrs_diag *d)
{
    memset(l, 0, sizeof *l);
    if (load_doc(buf, len, name, d, disputes_root, l) != 0) {
        mrs_dispute_list_clear(l);
        return -1;
    }
    return 0;
}

int mrs_disputes_load(const char *path, mrs_dispute_list *l, mrs_diag *d)
{
    char *buf;
    size_t len;
    memset(l, 0, sizeof *l);
    if (mrs_read_whole_text(path, MAX_FILE, "a disputes file (YAML)", NULL, d, &buf, &len) < 0)
        return -1;
    int rc = mrs_disputes_load_mem(buf, len, path, l, d);
    free(buf);
    return rc;
}

void mrs_dispute_list_clear(mrs_dispute_list *l)
{
    for (size_t i = 0; l->v && i < l->n; i++) {
        free(l->v[i].participant);
        free(l->v[i].reason);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

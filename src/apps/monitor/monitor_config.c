/*
 * monitor_config.c — BGPalerter's prefixes.yml (see monitor.h), read with
 * libyaml's document loader (aliases are shared nodes, never expanded, and the
 * walk below only goes three levels deep: a hostile file cannot make it loop).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "manrs/apps/monitor.h"
#include "manrs/core/grow.h"
#include "manrs/core/io.h"
#include "manrs/kb/yaml_doc.h"
#include "manrs/core/regex_guard.h"

#define MAX_FILE (64u << 20)

typedef struct ctx {
    yaml_document_t *doc;
    const char *name;
    mrs_diag *d;
    mon_config *c;
    size_t prefixes_cap, asns_cap;
    bool warned_exclude;
} ctx;


static bool parse_asn(const char *s, uint32_t *asn)
{
    if (!strncmp(s, "AS", 2) || !strncmp(s, "as", 2))
        s += 2;
    if (!*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || (v = v * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
            return false;
    }
    *asn = (uint32_t)v;
    return true;
}

/* YAML 1.1 booleans, as BGPalerter's loader reads them */
static int parse_bool(const char *s)
{
    static const char *const t[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const f[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (!strcmp(s, t[i]))
            return 1;
        if (!strcmp(s, f[i]))
            return 0;
    }
    return -1;
}

/* "asn": one ASN or a sequence of them. */
static int read_asns(ctx *x, const yaml_node_t *v, mon_prefix *p)
{
    char buf[64];
    free(p->asns);              /* a repeated key: the last one counts */
    p->asns = NULL;
    p->nasns = 0;
    size_t n = v->type == YAML_SEQUENCE_NODE ? (size_t)(v->data.sequence.items.top - v->data.sequence.items.start) : 1;
    if (!(p->asns = calloc(n ? n : 1, sizeof *p->asns)))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *e = v->type == YAML_SEQUENCE_NODE
                                   ? yaml_document_get_node(x->doc, v->data.sequence.items.start[i])
                                   : v;
        const char *s = mrs_yaml_scalar(e, buf, sizeof buf);
        if (!s || !parse_asn(s, &p->asns[p->nasns])) {
            mrs_diag_error_line(x->d, x->name, mrs_yaml_line(e ? e : v), "asn: not an AS number: '%s'", s ? s : "(not a value)");
            return -1;
        }
        p->nasns++;
    }
    return 0;
}

static void rule_free(mon_path_rule *r)
{
    free(r->description);
    if (r->has_match)
        regfree(&r->match);
    if (r->has_not_match)
        regfree(&r->not_match);
}

static void prefix_free(mon_prefix *p)
{
    for (size_t i = 0; i < p->npaths; i++)
        rule_free(&p->paths[i]);
    free(p->paths);
    free(p->asns);
    free(p->description);
    free(p->group);
}

static char *dup_scalar(const yaml_node_t *n)
{
    char buf[1024];
    const char *s = mrs_yaml_scalar(n, buf, sizeof buf);
    char safe[4096];
    mrs_text_safe(safe, sizeof safe, s ? s : "", strlen(s ? s : ""));
    return strdup(safe);
}

/* A path rule's pattern, refused before regcomp when it would take too long or too
 * much memory to compile (core/regex_guard.h). */
static bool compile(ctx *x, const yaml_node_t *n, regex_t *re, const char *key)
{
    char buf[1024];
    const char *s = mrs_yaml_scalar(n, buf, sizeof buf);
    mrs_regex_cost cost = s ? mrs_regex_cost_of(s) : MRS_REGEX_OK;
    if (cost != MRS_REGEX_OK) {
        mrs_diag_error_line(x->d, x->name, mrs_yaml_line(n),
                            cost == MRS_REGEX_TOO_DEEP
                                ? "path %s: quantifiers nested more than 3 deep (too slow to compile): rule skipped"
                                : "path %s: repeats too large (over 20000 positions once copied out): rule skipped",
                            key);
        return false;
    }
    int rc = s ? regcomp(re, s, REG_EXTENDED | REG_NOSUB) : REG_BADPAT;
    if (rc != 0) {
        char why[128] = "not a value";
        if (s)
            regerror(rc, re, why, sizeof why);
        mrs_diag_error_line(x->d, x->name, mrs_yaml_line(n), "path %s: %s: rule skipped", key, why);
        return false;
    }
    return true;
}

/* "path": a list of BGPalerter path rules. A rule that does not compile is
 * skipped (reported); its prefix stays monitored. */
static void read_paths(ctx *x, const yaml_node_t *v, mon_prefix *p)
{
    if (v->type != YAML_SEQUENCE_NODE) {
        mrs_diag_error_line(x->d, x->name, mrs_yaml_line(v), "path: expected a list of rules");
        return;
    }
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    mon_path_rule *rules = calloc(n ? n : 1, sizeof *rules);
    if (!rules)
        return;
    size_t kept = 0;
    char kb[64], vb[64];
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *e = yaml_document_get_node(x->doc, v->data.sequence.items.start[i]);
        mon_path_rule r;
        memset(&r, 0, sizeof r);
        r.line = mrs_yaml_line(e ? e : v);
        bool bad = !e || e->type != YAML_MAPPING_NODE;
        if (bad)
            mrs_diag_error_line(x->d, x->name, r.line, "path: a rule is a mapping (match, notMatch, ...)");
        for (yaml_node_pair_t *q = bad ? NULL : e->data.mapping.pairs.start; q && q < e->data.mapping.pairs.top && !bad;
             q++) {
            const yaml_node_t *qk = yaml_document_get_node(x->doc, q->key), *qv = yaml_document_get_node(x->doc, q->value);
            const char *key = mrs_yaml_scalar(qk, kb, sizeof kb);
            if (!key || !qv) {
                bad = true;
            } else if (!strcmp(key, "match") || !strcmp(key, "notMatch")) {
                /* a repeated key: the last one counts (found by fuzz_monitor_config) */
                bool m = key[0] == 'm';
                regex_t *re = m ? &r.match : &r.not_match;
                bool *has = m ? &r.has_match : &r.has_not_match;
                if (*has)
                    regfree(re);
                bad = !(*has = compile(x, qv, re, key));
            } else if (!strcmp(key, "matchDescription")) {
                free(r.description);
                r.description = dup_scalar(qv);
            } else if (!strcmp(key, "minLength") || !strcmp(key, "maxLength")) {
                const char *s = mrs_yaml_scalar(qv, vb, sizeof vb);
                uint32_t l;
                if (!s || !parse_asn(s, &l) || !strncmp(s, "AS", 2) || l > 10000) {
                    mrs_diag_error_line(x->d, x->name, mrs_yaml_line(qv), "path %s: not a length: rule skipped", key);
                    bad = true;
                } else if (key[1] == 'i')
                    r.min_len = l;
                else
                    r.max_len = l;
            } else {
                mrs_diag_warn_line(x->d, x->name, mrs_yaml_line(qk), "path: unknown key '%s' ignored", key);
            }
        }
        if (bad) {
            rule_free(&r);
            x->c->skipped++;
            continue;
        }
        if (!r.description)
            r.description = strdup("");
        rules[kept++] = r;
    }
    for (size_t i = 0; i < p->npaths; i++)
        rule_free(&p->paths[i]);
    free(p->paths);
    p->paths = rules;
    p->npaths = kept;
}

static void read_prefix(ctx *x, const char *key, const yaml_node_t *k, const yaml_node_t *v)
{
    mon_prefix p;
    memset(&p, 0, sizeof p);
    p.line = mrs_yaml_line(k);
    if (!mrs_prefix_parse(key, strlen(key), &p.prefix, true)) {
        mrs_diag_error_line(x->d, x->name, p.line, "'%s' is not a prefix (nor 'options')", key);
        x->c->skipped++;
        return;
    }
    if (v->type != YAML_MAPPING_NODE) {
        mrs_diag_error_line(x->d, x->name, p.line, "%s: expected its settings (asn, description, ...)", key);
        x->c->skipped++;
        return;
    }
    bool bad = false;
    char kb[64], vb[64];
    for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top && !bad; pr++) {
        const yaml_node_t *pk = yaml_document_get_node(x->doc, pr->key);
        const yaml_node_t *pv = yaml_document_get_node(x->doc, pr->value);
        const char *name = mrs_yaml_scalar(pk, kb, sizeof kb);
        if (!name || !pv) {
            mrs_diag_error_line(x->d, x->name, mrs_yaml_line(pk ? pk : v), "%s: a key that is not a name", key);
            bad = true;
        } else if (!strcmp(name, "asn")) {
            bad = read_asns(x, pv, &p) < 0;
        } else if (!strcmp(name, "description")) {
            free(p.description);
            p.description = dup_scalar(pv);
        } else if (!strcmp(name, "group")) {
            free(p.group);
            p.group = dup_scalar(pv);
        } else if (!strcmp(name, "ignoreMorespecifics") || !strcmp(name, "ignore")) {
            const char *s = mrs_yaml_scalar(pv, vb, sizeof vb);
            int b = s ? parse_bool(s) : -1;
            if (b < 0) {
                mrs_diag_error_line(x->d, x->name, mrs_yaml_line(pv), "%s: '%s' is not true or false", name, s ? s : "");
                bad = true;
            } else if (name[6] == 'M')
                p.ignore_more_specifics = b;
            else
                p.ignore = b;
        } else if (!strcmp(name, "path")) {
            read_paths(x, pv, &p);
        } else if (!strcmp(name, "excludeMonitors")) {
            if (!x->warned_exclude)
                mrs_diag_warn_line(x->d, x->name, mrs_yaml_line(pk), "excludeMonitors is read but not applied");
            x->warned_exclude = true;
        } else {
            mrs_diag_warn_line(x->d, x->name, mrs_yaml_line(pk), "%s: unknown key '%s' ignored", key, name);
        }
    }
    if (!bad && !p.nasns) {
        mrs_diag_error_line(x->d, x->name, p.line, "%s: no asn", key);
        bad = true;
    }
    mon_prefix *np = bad ? NULL : mrs_grow(x->c->prefixes, &x->prefixes_cap, x->c->nprefixes + 1, sizeof *np, 16);
    if (!np) {
        prefix_free(&p);
        x->c->skipped++;
        if (!bad)
            mrs_diag_error_line(x->d, x->name, p.line, "out of memory");
        return;
    }
    x->c->prefixes = np;
    if (!p.description)
        p.description = strdup("");
    if (!p.group)
        p.group = strdup("default");
    np[x->c->nprefixes++] = p;
}

static void read_options(ctx *x, const yaml_node_t *v)
{
    char kb[64], ab[64];
    if (v->type != YAML_MAPPING_NODE) {
        mrs_diag_error_line(x->d, x->name, mrs_yaml_line(v), "options: expected a mapping");
        return;
    }
    for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = yaml_document_get_node(x->doc, pr->key), *val = yaml_document_get_node(x->doc, pr->value);
        const char *name = mrs_yaml_scalar(k, kb, sizeof kb);
        if (!name || strcmp(name, "monitorASns")) {
            mrs_diag_warn_line(x->d, x->name, mrs_yaml_line(k ? k : v), "options: unknown key '%s' ignored", name ? name : "");
            continue;
        }
        if (!val || val->type != YAML_MAPPING_NODE) {
            if (val && val->type == YAML_SCALAR_NODE && !val->data.scalar.length)
                continue;   /* "monitorASns:" with nothing under it */
            mrs_diag_error_line(x->d, x->name, mrs_yaml_line(k), "monitorASns: expected AS numbers as keys");
            continue;
        }
        for (yaml_node_pair_t *q = val->data.mapping.pairs.start; q < val->data.mapping.pairs.top; q++) {
            const yaml_node_t *ak = yaml_document_get_node(x->doc, q->key);
            const yaml_node_t *av = yaml_document_get_node(x->doc, q->value);
            const char *s = mrs_yaml_scalar(ak, ab, sizeof ab);
            mon_asn a;
            memset(&a, 0, sizeof a);
            a.line = mrs_yaml_line(ak ? ak : val);
            if (!s || !parse_asn(s, &a.asn)) {
                mrs_diag_error_line(x->d, x->name, a.line, "monitorASns: not an AS number: '%s'", s ? s : "");
                x->c->skipped++;
                continue;
            }
            bool bad = false;
            if (av && av->type == YAML_MAPPING_NODE)
                for (yaml_node_pair_t *g = av->data.mapping.pairs.start; g < av->data.mapping.pairs.top && !bad; g++) {
                    const yaml_node_t *gkn = yaml_document_get_node(x->doc, g->key);
                    const yaml_node_t *gv = yaml_document_get_node(x->doc, g->value);
                    const char *gk = mrs_yaml_scalar(gkn, kb, sizeof kb);
                    if (gk && !strcmp(gk, "group")) {
                        free(a.group);
                        a.group = dup_scalar(gv);
                    } else if (gk && (!strcmp(gk, "upstreams") || !strcmp(gk, "downstreams")) && gv) {
                        bool up = gk[0] == 'u';
                        mon_prefix tmp;
                        memset(&tmp, 0, sizeof tmp);
                        if (gv->type == YAML_SCALAR_NODE && !gv->data.scalar.length) {
                            /* an empty list: no neighbour allowed */
                        } else if (read_asns(x, gv, &tmp) < 0) {
                            free(tmp.asns);
                            bad = true;
                            break;
                        }
                        uint32_t **dst = up ? &a.upstreams : &a.downstreams;
                        free(*dst);
                        *dst = tmp.asns;
                        *(up ? &a.nupstreams : &a.ndownstreams) = tmp.nasns;
                        *(up ? &a.has_upstreams : &a.has_downstreams) = true;
                    } else if (gk) {
                        mrs_diag_warn_line(x->d, x->name, mrs_yaml_line(gkn), "monitorASns: unknown key '%s' ignored", gk);
                    }
                }
            if (bad) {
                free(a.group);
                free(a.upstreams);
                free(a.downstreams);
                x->c->skipped++;
                continue;
            }
            mon_asn *na = mrs_grow(x->c->asns, &x->asns_cap, x->c->nasns + 1, sizeof *na, 8);
            if (!na) {
                free(a.group);
                free(a.upstreams);
                free(a.downstreams);
                x->c->skipped++;
                continue;
            }
            x->c->asns = na;
            if (!a.group)
                a.group = strdup("default");
            na[x->c->nasns++] = a;
        }
    }
}

static int prefix_cmp(const void *a, const void *b)
{
    const mon_prefix *x = a, *y = b;
    return mrs_prefix_cmp(&x->prefix, &y->prefix);
}

int mon_config_load_mem(const char *buf, size_t len, const char *name, mon_config *c, mrs_diag *d)
{
    memset(c, 0, sizeof *c);
    yaml_document_t doc;
    if (mrs_yaml_load(buf, len, name, d, &doc) != 0)
        return -1;
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        mrs_diag_error_file(d, name, root ? "not a prefixes.yml: expected prefixes as keys" : "no records");
        rc = -1;
        goto out;
    }
    ctx x = {&doc, name, d, c, 0, 0, false};
    char kb[128];
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = yaml_document_get_node(&doc, pr->key), *v = yaml_document_get_node(&doc, pr->value);
        const char *key = mrs_yaml_scalar(k, kb, sizeof kb);
        if (!key || !v) {
            mrs_diag_error_line(d, name, mrs_yaml_line(k ? k : root), "a key that is not a prefix");
            c->skipped++;
        } else if (!strcmp(key, "options"))
            read_options(&x, v);
        else
            read_prefix(&x, key, k, v);
    }
    if (!c->nprefixes && !c->nasns) {
        mrs_diag_error_file(d, name, "no prefix or AS to monitor");
        rc = -1;
    }
    if (c->nprefixes)
        qsort(c->prefixes, c->nprefixes, sizeof *c->prefixes, prefix_cmp);
out:
    yaml_document_delete(&doc);
    if (rc < 0)
        mon_config_clear(c);
    return rc;
}

int mon_config_load(const char *path, mon_config *c, mrs_diag *d)
{
    char *buf;
    size_t len;
    memset(c, 0, sizeof *c);
    if (mrs_read_whole_text(path, MAX_FILE, "a prefixes.yml", NULL, d, &buf, &len) < 0)
        return -1;
    int rc = mon_config_load_mem(buf, len, path, c, d);
    free(buf);
    return rc;
}

void mon_config_clear(mon_config *c)
{
    for (size_t i = 0; i < c->nprefixes; i++)
        prefix_free(&c->prefixes[i]);
    free(c->prefixes);
    for (size_t i = 0; i < c->nasns; i++) {
        free(c->asns[i].group);
        free(c->asns[i].upstreams);
        free(c->asns[i].downstreams);
    }
    free(c->asns);
    memset(c, 0, sizeof *c);
}

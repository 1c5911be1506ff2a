/*
 * cmd_validate.c — `manrs validate`: check routes against the knowledge bases.
 *
 * Input: one route per line, "PREFIX ORIGIN" or "PREFIX AS_PATH..." (AS_PATH in
 * AS_PATH order, neighbour first, origin last; ASNs as 64500 or AS64500; an AS_SET
 * as {64500,64501}), from the command line (all arguments form one route) or from
 * standard input. Output: an aligned table, or JSON Lines with --json (one object
 * per input line, in input order). A bad line is reported as "-:LINE: what", skipped,
 * and makes the exit status 1.
 *
 * Structure: every knowledge base is one entry of the `checks` table below — a
 * field in struct route_result, an evaluation function, a JSON printer and a table
 * printer. Adding IRR or bogon checks is adding an entry, not a rewrite.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/diag.h"
#include "manrs/io.h"
#include "manrs/prefix.h"
#include "manrs/rpki.h"

#define VALIDATE_USAGE                                                                              \
    "usage: manrs validate --vrps FILE [--vrps FILE...] [--json] [--downstream] [PREFIX AS_PATH...]\n" \
    "\n"                                                                                           \
    "Validate routes: RPKI Route Origin Validation (RFC 6811) and, for AS paths of two or\n"        \
    "more ASes, ASPA AS_PATH verification (draft-ietf-sidrops-aspa-verification).\n"               \
    "Routes come from the arguments (one route) or from standard input, one per line:\n"          \
    "  PREFIX ORIGIN            e.g. 193.0.0.0/21 3333\n"                                           \
    "  PREFIX AS_PATH...        e.g. 193.0.0.0/21 AS1299 AS3333 (neighbour first, origin last)\n"  \
    "An AS_SET is written {64500,64501}; a path ending in one has no determinable origin.\n"       \
    "\n"                                                                                           \
    "  --vrps FILE     VRP/ASPA export (rpki-client, Routinator, StayRTR JSON or CSV;\n"           \
    "                  compressed files are fine); repeatable\n"                                  \
    "  --json          JSON Lines output, one object per input line\n"                            \
    "  --downstream    verify AS paths as received from a provider (default: upstream,\n"         \
    "                  i.e. from a customer or peer)\n"                                           \
    "  -h, --help      this help\n"                                                               \
    "\n"                                                                                           \
    "Exit status: 0 all lines validated, 1 some input lines or VRP entries were bad,\n"            \
    "2 usage error or no VRPs could be loaded, 3 internal inconsistency (a bug: please\n"        \
    "report). See docs/validate.md.\n"

#define EVIDENCE_TABLE 3   /* VRPs shown per row in the table */

typedef struct validate_ctx {
    mrs_rpki *rpki;
    mrs_aspa_direction aspa_dir;
    bool json;
    uint64_t *inconsistent;     /* routes where the two ROV paths disagreed */
} validate_ctx;

/* One parsed input line. */
typedef struct route_in {
    uint64_t lineno;
    mrs_prefix prefix;
    uint32_t *path;      /* AS_SEQUENCE members in order; AS_SET members are not kept */
    size_t npath, cappath;
    bool has_as_set;
    bool origin_none;    /* the path ends in an AS_SET */
    uint32_t origin;
} route_in;

/* Results of every knowledge base for one route. */
typedef struct route_result {
    mrs_rov_result rov;
    bool have_aspa;
    mrs_aspa_result aspa;
} route_result;

/* ---- the checks ---- */

static void rov_eval(const validate_ctx *c, const route_in *in, route_result *out)
{
    /* The evidence comes from the trie, the bulk fast path from the ROV index:
     * check that they agree on every route validated here. */
    mrs_rov_validate_ex(c->rpki, &in->prefix, in->origin, in->origin_none, &out->rov);
    if (mrs_rov_validate(c->rpki, &in->prefix, in->origin, in->origin_none) != out->rov.state) {
        char s[MRS_PREFIX_STRLEN];
        mrs_prefix_format(&in->prefix, s);
        fprintf(stderr, "manrs validate: internal error: ROV index and trie disagree on %s AS%" PRIu32 "\n", s,
                in->origin);
        (*c->inconsistent)++;
    }
}

static json_t *vrp_json(const validate_ctx *c, const mrs_vrp *v)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&v->prefix, s);
    json_t *o = json_object();
    json_object_set_new(o, "prefix", json_string(s));
    json_object_set_new(o, "maxLength", json_integer(v->maxlen));
    json_object_set_new(o, "asn", json_integer(v->asn));
    if (v->ta)
        json_object_set_new(o, "ta", json_string(mrs_rpki_ta_name(c->rpki, v->ta)));
    return o;
}

static void rov_json(const validate_ctx *c, const route_result *r, json_t *o)
{
    const mrs_rov_result *v = &r->rov;
    json_object_set_new(o, "rov", json_string(mrs_rov_state_name(v->state)));
    json_object_set_new(o, "rov_reason", v->reason ? json_string(mrs_rov_reason_name(v->reason)) : json_null());
    json_t *m = json_array(), *cv = json_array();
    for (unsigned i = 0; i < v->matching_shown; i++)
        json_array_append_new(m, vrp_json(c, &v->matching[i]));
    for (unsigned i = 0; i < v->covering_shown; i++)
        json_array_append_new(cv, vrp_json(c, &v->covering[i]));
    json_object_set_new(o, "vrps_matching", m);
    json_object_set_new(o, "vrps_matching_total", json_integer(v->n_matching));
    json_object_set_new(o, "vrps_covering", cv);
    json_object_set_new(o, "vrps_covering_total", json_integer(v->n_covering));
}

static void vrp_text(const mrs_vrp *v, char *buf, size_t len)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&v->prefix, s);
    snprintf(buf, len, "%s-%u AS%" PRIu32, s, v->maxlen, v->asn);
}

static void rov_cells(const validate_ctx *c, const route_result *r, FILE *f)
{
    (void)c;
    const mrs_rov_result *v = &r->rov;
    fprintf(f, "  %-9s  %-15s", mrs_rov_state_name(v->state), v->reason ? mrs_rov_reason_name(v->reason) : "-");
}

static void rov_tail(const validate_ctx *c, const route_result *r, FILE *f)
{
    (void)c;
    const mrs_rov_result *v = &r->rov;
    /* Matching VRPs for Valid, covering VRPs otherwise. */
    const mrs_vrp *list = v->state == MRS_ROV_VALID ? v->matching : v->covering;
    unsigned shown = v->state == MRS_ROV_VALID ? v->matching_shown : v->covering_shown;
    uint32_t total = v->state == MRS_ROV_VALID ? v->n_matching : v->n_covering;
    for (unsigned i = 0; i < shown && i < EVIDENCE_TABLE; i++) {
        char b[96];
        vrp_text(&list[i], b, sizeof b);
        fprintf(f, "%s%s", i ? ", " : "  ", b);
    }
    if (total > EVIDENCE_TABLE)
        fprintf(f, " (+%" PRIu32 " more)", total - EVIDENCE_TABLE);
}

static void aspa_eval(const validate_ctx *c, const route_in *in, route_result *out)
{
    /* Only paths of two or more ASes say anything about relationships. */
    out->have_aspa = in->npath > 1 || in->has_as_set;
    if (out->have_aspa)
        mrs_aspa_verify(c->rpki, in->path, in->npath, in->has_as_set, c->aspa_dir, &out->aspa);
}

static void aspa_json(const validate_ctx *c, const route_result *r, json_t *o)
{
    if (!r->have_aspa)
        return;
    const mrs_aspa_result *a = &r->aspa;
    json_object_set_new(o, "aspa", json_string(mrs_aspa_state_name(a->state)));
    json_object_set_new(o, "aspa_direction", json_string(c->aspa_dir == MRS_ASPA_DOWNSTREAM ? "downstream" : "upstream"));
    if (a->reason == MRS_ASPA_R_AS_SET)
        json_object_set_new(o, "aspa_reason", json_string("as-set"));
    else if (a->reason == MRS_ASPA_R_RAMPS) {
        json_t *d = json_object();
        json_object_set_new(d, "n", json_integer(a->n));
        json_object_set_new(d, "max_up_ramp", json_integer(a->max_up_ramp));
        json_object_set_new(d, "min_up_ramp", json_integer(a->min_up_ramp));
        json_object_set_new(d, "max_down_ramp", json_integer(a->max_down_ramp));
        json_object_set_new(d, "min_down_ramp", json_integer(a->min_down_ramp));
        if (a->state == MRS_ASPA_INVALID && a->bad_customer | a->bad_provider) {
            json_object_set_new(d, "not_provider_customer", json_integer(a->bad_customer));
            json_object_set_new(d, "not_provider_provider", json_integer(a->bad_provider));
        }
        json_object_set_new(o, "aspa_ramps", d);
    }
}

static void aspa_cells(const validate_ctx *c, const route_result *r, FILE *f)
{
    (void)c;
    fprintf(f, "  %-7s", r->have_aspa ? mrs_aspa_state_name(r->aspa.state) : "-");
}

typedef struct check {
    const char *name;                     /* table column header(s), as wide as the cells */
    void (*eval)(const validate_ctx *, const route_in *, route_result *);
    void (*json)(const validate_ctx *, const route_result *, json_t *);
    void (*cells)(const validate_ctx *, const route_result *, FILE *);
} check;

/* Table columns appear in this order; rov_tail (the evidence) is always last. */
static const check checks[] = {
    {"  ROV        REASON         ", rov_eval, rov_json, rov_cells},
    {"  ASPA   ", aspa_eval, aspa_json, aspa_cells},
};
#define NCHECKS (sizeof checks / sizeof checks[0])

/* ---- input ---- */

static bool path_push(route_in *in, uint32_t asn)
{
    if (in->npath == in->cappath) {
        size_t nc = in->cappath ? in->cappath * 2 : 16;
        uint32_t *np = realloc(in->path, nc * sizeof *np);
        if (!np)
            return false;
        in->path = np;
        in->cappath = nc;
    }
    in->path[in->npath++] = asn;
    return true;
}

/* Parse "PREFIX AS..." into in; on error writes why. */
static bool parse_route(char *line, route_in *in, char *why, size_t whylen)
{
    in->npath = 0;
    in->has_as_set = in->origin_none = false;
    in->origin = 0;
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    char *tok = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    if (!mrs_prefix_parse(tok, (size_t)(p - tok), &in->prefix, false)) {
        snprintf(why, whylen, "bad prefix '%.*s'", (int)((p - tok) > 60 ? 60 : (p - tok)), tok);
        return false;
    }
    if (!memchr(tok, '/', (size_t)(p - tok))) {
        snprintf(why, whylen, "prefix '%.*s' has no length", (int)((p - tok) > 60 ? 60 : (p - tok)), tok);
        return false;
    }
    mrs_prefix strict;
    if (!mrs_prefix_parse(tok, (size_t)(p - tok), &strict, true)) {
        snprintf(why, whylen, "prefix '%.*s' has host bits set", (int)((p - tok) > 60 ? 60 : (p - tok)), tok);
        return false;
    }
    bool last_was_set = false;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p == '{') { /* AS_SET: {a,b c} */
            char *end = strchr(p, '}');
            if (!end) {
                snprintf(why, whylen, "unterminated AS_SET");
                return false;
            }
            for (char *q = p + 1; q < end;) {
                while (q < end && (*q == ',' || *q == ' ' || *q == '\t'))
                    q++;
                char *s = q;
                while (q < end && *q != ',' && *q != ' ' && *q != '\t')
                    q++;
                uint32_t asn;
                if (q > s && !mrs_asn_parse(s, (size_t)(q - s), &asn)) {
                    snprintf(why, whylen, "bad AS number '%.*s' in AS_SET", (int)((q - s) > 40 ? 40 : (q - s)), s);
                    return false;
                }
            }
            in->has_as_set = true;
            last_was_set = true;
            p = end + 1;
            continue;
        }
        char *s = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        uint32_t asn;
        if (!mrs_asn_parse(s, (size_t)(p - s), &asn)) {
            snprintf(why, whylen, "bad AS number '%.*s'", (int)((p - s) > 40 ? 40 : (p - s)), s);
            return false;
        }
        if (!path_push(in, asn)) {
            snprintf(why, whylen, "out of memory");
            return false;
        }
        last_was_set = false;
    }
    if (in->npath == 0 && !in->has_as_set) {
        snprintf(why, whylen, "missing origin AS");
        return false;
    }
    /* RFC 6811 §2: the origin is the last AS of the path; NONE if that is an AS_SET. */
    in->origin_none = last_was_set;
    if (!last_was_set)
        in->origin = in->path[in->npath - 1];
    return true;
}

/* ---- output ---- */

static void print_header(FILE *f)
{
    fprintf(f, "%-20s  %-12s", "PREFIX", "ORIGIN");
    for (size_t i = 0; i < NCHECKS; i++)
        fputs(checks[i].name, f);
    fputs("  VRPS\n", f);
}

static void print_row(const validate_ctx *c, const route_in *in, const route_result *res, FILE *f)
{
    char s[MRS_PREFIX_STRLEN], o[16];
    mrs_prefix_format(&in->prefix, s);
    if (in->origin_none)
        snprintf(o, sizeof o, "NONE");
    else
        snprintf(o, sizeof o, "AS%" PRIu32, in->origin);
    fprintf(f, "%-20s  %-12s", s, o);
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].cells(c, res, f);
    rov_tail(c, res, f);
    fputc('\n', f);
}

static void print_json(const validate_ctx *c, const route_in *in, const route_result *res, FILE *f)
{
    char s[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&in->prefix, s);
    json_t *o = json_object();
    json_object_set_new(o, "line", json_integer((json_int_t)in->lineno));
    json_object_set_new(o, "prefix", json_string(s));
    json_object_set_new(o, "origin", in->origin_none ? json_null() : json_integer(in->origin));
    json_t *path = json_array();
    for (size_t i = 0; i < in->npath; i++)
        json_array_append_new(path, json_integer(in->path[i]));
    json_object_set_new(o, "path", path);
    if (in->has_as_set)
        json_object_set_new(o, "as_set", json_true());
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].json(c, res, o);
    json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    json_decref(o);
}

static void process_line(const validate_ctx *c, char *line, route_in *in, mrs_diag *d)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
        line[--n] = 0;
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return;
    char why[160];
    if (!parse_route(p, in, why, sizeof why)) {
        mrs_diag_error_line(d, "-", in->lineno, "%s", why);
        return;
    }
    route_result res;
    memset(&res, 0, sizeof res);
    for (size_t i = 0; i < NCHECKS; i++)
        checks[i].eval(c, in, &res);
    if (c->json)
        print_json(c, in, &res, stdout);
    else
        print_row(c, in, &res, stdout);
}

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vrps", required_argument, NULL, 'v'},
        {"json", no_argument, NULL, 'j'},
        {"downstream", no_argument, NULL, 'D'},
        {"upstream", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t inconsistent = 0;
    validate_ctx c = {.aspa_dir = MRS_ASPA_UPSTREAM, .inconsistent = &inconsistent};
    const char **vrps = calloc((size_t)argc + 1, sizeof *vrps);
    size_t nvrps = 0;
    if (!vrps)
        return 2;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "v:jh", opts, NULL)) != -1) {
        switch (ch) {
        case 'v': vrps[nvrps++] = optarg; break;
        case 'j': c.json = true; break;
        case 'D': c.aspa_dir = MRS_ASPA_DOWNSTREAM; break;
        case 'U': c.aspa_dir = MRS_ASPA_UPSTREAM; break;
        case 'h': fputs(VALIDATE_USAGE, stdout); free(vrps); return 0;
        default: fputs(VALIDATE_USAGE, stderr); free(vrps); return 2;
        }
    }
    if (!nvrps) {
        fprintf(stderr, "manrs validate: no VRPs given (--vrps FILE)\n%s", VALIDATE_USAGE);
        free(vrps);
        return 2;
    }
    mrs_diag vd, d;
    mrs_diag_init(&vd, stderr);
    vd.max_print = 100;
    mrs_diag_init(&d, stderr);
    d.max_print = 1000;
    c.rpki = mrs_rpki_new();
    if (!c.rpki) {
        free(vrps);
        return 2;
    }
    int status = 0;
    for (size_t i = 0; i < nvrps; i++) {
        mrs_rpki_load_stats st;
        if (mrs_rpki_load_file(c.rpki, vrps[i], &vd, &st) != 0) {
            fprintf(stderr, "manrs validate: cannot load VRPs from %s\n", vrps[i]);
            mrs_rpki_free(c.rpki);
            free(vrps);
            return 2;
        }
        if (st.skipped)
            fprintf(stderr, "manrs validate: %s: %" PRIu64 " bad entries skipped\n", vrps[i], st.skipped);
    }
    free(vrps);
    if (vd.errors)
        status = 1;
    if (mrs_rpki_build(c.rpki) != 0) {
        fprintf(stderr, "manrs validate: out of memory\n");
        mrs_rpki_free(c.rpki);
        return 2;
    }
    route_in in;
    memset(&in, 0, sizeof in);
    if (!c.json && isatty(STDOUT_FILENO))
        print_header(stdout);
    if (optind < argc) {
        /* All arguments form one route. */
        size_t len = 1;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        char *line = malloc(len);
        if (!line) {
            mrs_rpki_free(c.rpki);
            return 2;
        }
        line[0] = 0;
        for (int i = optind; i < argc; i++) {
            strcat(line, argv[i]);
            strcat(line, " ");
        }
        in.lineno = 1;
        process_line(&c, line, &in, &d);
        free(line);
    } else {
        char err[512];
        mrs_reader *rd = mrs_reader_open("-", err, sizeof err);
        if (!rd) {
            fprintf(stderr, "manrs validate: %s\n", err);
            mrs_rpki_free(c.rpki);
            return 2;
        }
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = mrs_getline(rd, &line, &cap)) >= 0) {
            in.lineno++;
            if (memchr(line, 0, (size_t)n)) {
                mrs_diag_error_line(&d, "-", in.lineno, "NUL byte in line");
                continue;
            }
            process_line(&c, line, &in, &d);
        }
        if (mrs_reader_error(rd)) {
            fprintf(stderr, "manrs validate: standard input: %s\n", mrs_reader_errmsg(rd));
            status = 1;
        }
        free(line);
        mrs_reader_close(rd);
    }
    if (d.errors) {
        fprintf(stderr, "manrs validate: %" PRIu64 " bad input line%s skipped\n", d.errors, d.errors == 1 ? "" : "s");
        status = 1;
    }
    if (fflush(stdout) != 0)
        status = 1;
    if (inconsistent)
        status = 3;
    free(in.path);
    mrs_rpki_free(c.rpki);
    return status;
}

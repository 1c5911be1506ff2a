/*
 * cmd_observe.c — `manrs observe`: build the routing view from MRT files, detect
 * incidents (detect.h), compute every network's MANRS metrics (metrics.h), write
 * the run as JSON (--json) in the field names of the simulator's truth.json.
 * Choices and definitions: docs/observe.md. Exit: 0 done, 1 an input could not be
 * used (or, with --strict, any decode error), 2 bad usage.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "manrs/detect.h"
#include "manrs/inputs_load.h"
#include "manrs/metrics.h"
#include "manrs/mrt.h"
#include "manrs/store.h"

#define OBSERVE_USAGE                                                                                                  \
    "usage: manrs observe [--world DIR] [--rib FILE]... [--updates FILE]... [--vrps FILE]...\n"                     \
    "                     [--irr FILE]... [--asrel FILE] [--delegated FILE]... [--peeringdb FILE]...\n"             \
    "                     [--spoofer FILE]... [--from T] [--to T] [--min-peers N] [--json FILE]\n"                  \
    "                     [--asrel-ipv6] [--db FILE | --no-db] [--strict] [--quiet]\n"                                                         \
    "  Observe routing: detect incidents (route leaks, hijacks, bogons, RPKI-invalid) and score\n"                    \
    "  every network on the four MANRS actions. --world DIR takes every file `manrs sim` wrote.\n"

#define MAXF 64

typedef struct flist {
    const char *v[MAXF];
    char *own[MAXF];
    int n;
} flist;

static int fl_add(flist *f, const char *p, bool own)
{
    if (f->n == MAXF) {
        fprintf(stderr, "manrs observe: too many files (max %d per option)\n", MAXF);
        return -1;
    }
    f->own[f->n] = own ? (char *)p : NULL;
    f->v[f->n++] = p;
    return 0;
}

static void fl_free(flist *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->own[i]);
}

static bool parse_time(const char *s, uint32_t *out)
{
    char *e;
    unsigned long long v = strtoull(s, &e, 10);
    if (!*s || *e || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

static int world_add(flist *f, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        return -1;
    snprintf(p, n, "%s/%s", dir, name);
    struct stat st;
    if (stat(p, &st) != 0) {
        free(p);
        return 0;
    }
    return fl_add(f, p, true);
}

static json_t *incident_json(const mrs_incident *x)
{
    char pfx[MRS_PREFIX_STRLEN], ip[MRS_IP_STRLEN];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer((json_int_t)x->id));
    json_object_set_new(o, "class", json_string(mrs_incident_class_name(x->cls)));
    json_object_set_new(o, "culprit", json_integer(x->culprit));
    json_t *pr = json_array();
    for (size_t i = 0; i < x->n_propagators; i++)
        json_array_append_new(pr, json_integer(x->propagators[i]));
    json_object_set_new(o, "propagators", pr);
    json_object_set_new(o, "accomplice", x->accomplice ? json_integer(x->accomplice) : json_null());
    json_t *ac = json_array();
    for (size_t i = 0; i < x->n_accomplices; i++)
        json_array_append_new(ac, json_integer(x->accomplices[i]));
    json_object_set_new(o, "accomplices", ac);
    mrs_prefix_format(&x->prefix, pfx);
    json_object_set_new(o, "prefix", json_string(pfx));
    json_object_set_new(o, "start", json_integer(x->start));
    json_object_set_new(o, "end", json_integer(x->end));
    json_object_set_new(o, "score", json_real(mrs_incident_score((int64_t)x->end - x->start)));
    json_object_set_new(o, "visible_peers", json_integer(x->peers));
    if (x->cls == MRS_INC_ROUTE_LEAK)
        json_object_set_new(o, "leak_type", json_integer(x->leak_type));
    json_t *ev = json_array();
    for (size_t i = 0; i < x->n_evidence; i++) {
        const mrs_evidence *e = &x->evidence[i];
        json_t *eo = json_object();
        json_object_set_new(eo, "peer_asn", json_integer(e->peer_asn));
        mrs_ip_format(e->peer_afi, e->peer_ip, ip);
        json_object_set_new(eo, "peer_ip", json_string(ip));
        json_object_set_new(eo, "time", json_integer(e->time));
        json_object_set_new(eo, "as_path", json_string(e->as_path ? e->as_path : ""));
        json_object_set_new(eo, "file", json_string(e->file ? e->file : ""));
        json_object_set_new(eo, "offset", json_integer((json_int_t)e->offset));
        json_object_set_new(eo, "note", e->note ? json_string(e->note) : json_null());
        json_array_append_new(ev, eo);
    }
    json_object_set_new(o, "evidence", ev);
    return o;
}

static json_t *num(double x) { return x < 0 ? json_null() : json_real(x); }

static json_t *network_json(const mrs_network_metrics *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "asn", json_integer(m->asn));
    json_object_set_new(o, "country", json_string(m->country));
    json_t *raw = json_object(), *rawc = json_object();
    for (unsigned c = 0; c < MRS_INC_NCLASSES; c++) {
        json_object_set_new(raw, mrs_incident_class_name((mrs_incident_class)c), json_real(m->raw[c]));
        json_object_set_new(rawc, mrs_incident_class_name((mrs_incident_class)c), json_real(m->raw_c[c]));
    }
    json_object_set_new(o, "raw", raw);
    json_object_set_new(o, "raw_c", rawc);
    json_object_set_new(o, "m1", num(m->m1));
    json_object_set_new(o, "m1c", num(m->m1c));
    json_object_set_new(o, "m2", num(m->m2));
    json_object_set_new(o, "m2c", num(m->m2c));
    json_object_set_new(o, "m3", num(m->m3));
    json_object_set_new(o, "m3c", num(m->m3c));
    json_object_set_new(o, "m4", num(m->m4));
    json_object_set_new(o, "m4c", num(m->m4c));
    json_object_set_new(o, "m5", num(m->m5));
    json_object_set_new(o, "m5c", num(m->m5c));
    json_object_set_new(o, "m6", json_boolean(m->m6));
    json_object_set_new(o, "m8", json_boolean(m->m8));
    json_object_set_new(o, "announced", json_integer((json_int_t)m->announced));
    json_object_set_new(o, "irr_covered", json_integer((json_int_t)m->irr_covered));
    json_object_set_new(o, "rpki_valid", json_integer((json_int_t)m->rpki_valid));
    json_object_set_new(o, "rpki_invalid", json_integer((json_int_t)m->rpki_invalid));
    json_object_set_new(o, "m7irr", num(m->m7irr));
    json_object_set_new(o, "m7rpki", num(m->m7rpki));
    json_object_set_new(o, "m7rpkin", num(m->m7rpkin));
    json_t *act = json_object();
    for (int k = 1; k <= 4; k++) {
        char key[16];
        snprintf(key, sizeof key, "action%d", k);
        json_t *a = json_object();
        json_object_set_new(a, "score", num(m->action[k]));
        json_object_set_new(a, "status", json_string(mrs_readiness_name(m->status[k])));
        json_object_set_new(act, key, a);
    }
    json_object_set_new(o, "actions", act);
    return o;
}

int cmd_observe(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rib", required_argument, NULL, 'r'},       {"updates", required_argument, NULL, 'u'},
        {"vrps", required_argument, NULL, 'v'},      {"irr", required_argument, NULL, 'i'},
        {"asrel", required_argument, NULL, 'a'},     {"delegated", required_argument, NULL, 'd'},
        {"peeringdb", required_argument, NULL, 'p'}, {"spoofer", required_argument, NULL, 's'},
        {"db", required_argument, NULL, 'D'},        {"no-db", no_argument, NULL, 'N'},        {"world", required_argument, NULL, 'w'},
        {"from", required_argument, NULL, 'F'},      {"to", required_argument, NULL, 'T'},
        {"min-peers", required_argument, NULL, 'm'}, {"json", required_argument, NULL, 'j'},
        {"strict", no_argument, NULL, 'S'},          {"quiet", no_argument, NULL, 'q'},
        {"asrel-ipv6", no_argument, NULL, '6'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    flist rib = {0}, upd = {0}, vrps = {0}, irr = {0}, asrel = {0}, deleg = {0}, pdb = {0}, spoof = {0};
    const char *json_out = NULL, *db = "manrs.db";
    uint32_t from = 0, to = 0;
    unsigned min_peers = 5;
    bool strict = false, quiet = false, asrel_v6 = false;
    int ch, rc = 2;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int e = 0;
        switch (ch) {
        case 'r': e = fl_add(&rib, optarg, false); break;
        case 'u': e = fl_add(&upd, optarg, false); break;
        case 'v': e = fl_add(&vrps, optarg, false); break;
        case 'i': e = fl_add(&irr, optarg, false); break;
        case 'a': e = fl_add(&asrel, optarg, false); break;
        case 'd': e = fl_add(&deleg, optarg, false); break;
        case 'p': e = fl_add(&pdb, optarg, false); break;
        case 's': e = fl_add(&spoof, optarg, false); break;
        case 'D': db = optarg; break;
        case 'N': db = ""; break;
        case 'w': {
            static const char *const names[] = {"rib.mrt.gz", "updates.mrt.gz", "vrps.json", "irr.db", "asrel.txt",
                                                "delegated.txt", "peeringdb.json", "spoofer.csv"};
            flist *dst[] = {&rib, &upd, &vrps, &irr, &asrel, &deleg, &pdb, &spoof};
            struct stat st;
            if (stat(optarg, &st) != 0 || !S_ISDIR(st.st_mode)) {
                fprintf(stderr, "manrs observe: --world %s: not a directory\n", optarg);
                goto out;
            }
            for (int k = 0; k < 8 && !e; k++)
                e = world_add(dst[k], optarg, names[k]);
            asrel_v6 = true;   /* the simulator's as-rel covers both families */
            break;
        }
        case 'F':
            if (!parse_time(optarg, &from)) {
                fprintf(stderr, "manrs observe: --from: bad Unix time '%s'\n", optarg);
                goto out;
            }
            break;
        case 'T':
            if (!parse_time(optarg, &to)) {
                fprintf(stderr, "manrs observe: --to: bad Unix time '%s'\n", optarg);
                goto out;
            }
            break;
        case 'm': {
            uint32_t x;
            if (!parse_time(optarg, &x) || x == 0 || x > 100000) {
                fprintf(stderr, "manrs observe: --min-peers: bad count '%s'\n", optarg);
                goto out;
            }
            min_peers = x;
            break;
        }
        case 'j': json_out = optarg; break;
        case 'S': strict = true; break;
        case '6': asrel_v6 = true; break;
        case 'q': quiet = true; break;
        case 'h': fputs(OBSERVE_USAGE, stdout); rc = 0; goto out;
        default: fputs(OBSERVE_USAGE, stderr); goto out;
        }
        if (e)
            goto out;
    }
    if (optind < argc) {
        fprintf(stderr, "manrs observe: unexpected argument '%s'\n\n%s", argv[optind], OBSERVE_USAGE);
        goto out;
    }
    if (rib.n + upd.n == 0) {
        fprintf(stderr, "manrs observe: no MRT input (--rib, --updates or --world)\n\n%s", OBSERVE_USAGE);
        goto out;
    }
    if (to && from > to) {
        fprintf(stderr, "manrs observe: --from is after --to\n");
        goto out;
    }
    rc = 1;
    mrs_diag kd, md;
    mrs_diag_init(&kd, stderr);
    mrs_diag_init(&md, stderr);
    kd.max_print = md.max_print = 200;
    bool failed = false;
    const char *why = "out of memory";
    mrs_obs_bundle bd;
    memset(&bd, 0, sizeof bd);
    mrs_network_list nets = {0};
    mrs_store *store = NULL;
    int64_t run = -1;
    if (*db) {
        char err[256];
        if (!(store = mrs_store_open(db, err, sizeof err))) {
            fprintf(stderr, "manrs observe: --db %s: %s\n", db, err);
            why = NULL;
            goto fail;
        }
    }
    mrs_obs_files of;
    memset(&of, 0, sizeof of);
    {
        flist *src[] = {&rib, &upd, &vrps, &irr, &asrel, &deleg, &pdb, &spoof};
        mrs_file_list *dst[] = {&of.rib,   &of.updates,   &of.vrps,      &of.irr,
                                &of.asrel, &of.delegated, &of.peeringdb, &of.spoofer};
        for (int k = 0; k < 8; k++) {
            dst[k]->v = src[k]->v;
            dst[k]->n = src[k]->n;
        }
    }
    of.asrel_ipv6 = asrel_v6;
    of.from = from;
    of.to = to;
    of.progress = !quiet && isatty(STDERR_FILENO);
    if (mrs_obs_load(&of, &kd, &md, &bd, &failed, &why) != 0)
        goto fail;
    why = "out of memory";
    rv_view *v = bd.view;
    uint64_t damaged = bd.damaged;
    uint32_t baseline_end = bd.baseline_end;
    from = bd.from;
    to = bd.to;
    mrs_incident_list inc = bd.incidents;   /* still owned by the bundle */
    mrs_detect_stats dst = bd.detect;
    if (store) {
        /* the run row exists from here on: whatever happens next ends it as
         * complete or failed, never leaves partial results looking complete */
        char inputs[4096];
        size_t n = 0;
        flist *all[] = {&rib, &upd, &vrps, &irr, &asrel, &deleg, &pdb, &spoof};
        static const char *const tag[] = {"rib", "updates", "vrps", "irr", "asrel", "delegated", "peeringdb", "spoofer"};
        inputs[0] = 0;
        for (int k = 0; k < 8; k++)
            for (int i = 0; i < all[k]->n && n < sizeof inputs - 1; i++) {
                int w = snprintf(inputs + n, sizeof inputs - n, "%s%s=%s", n ? " " : "", tag[k], all[k]->v[i]);
                if (w < 0)
                    break;
                n += (size_t)w;
                if (n >= sizeof inputs)
                    n = sizeof inputs - 1;
            }
        if ((run = mrs_store_begin_run(store, from, to, inputs)) < 0) {
            fprintf(stderr, "manrs observe: --db %s: %s\n", db, mrs_store_errmsg(store));
            why = NULL;
            goto fail;
        }
    }
    mrs_metrics_input mi;
    memset(&mi, 0, sizeof mi);
    mi.view = v;
    mi.incidents = &inc;
    mi.asrel = bd.asrel;
    mi.rpki = bd.rpki;
    mi.irr = bd.irr;
    mi.deleg = bd.deleg;
    mi.pdb = &bd.pdb;
    mi.spoofer = &bd.spoofer;
    mrs_score_cfg_default(&mi.score);
    mi.score.min_peers = min_peers;
    mi.from = from;
    mi.to = to;
    if (mrs_metrics_compute(&mi, &nets) != 0)
        goto fail;
    if (!quiet) {
        fprintf(stderr, "manrs observe: %zu routes, %zu prefixes, %zu peers; %zu incidents (", rv_route_count(v),
                rv_prefix_count(v), rv_peer_count(v), inc.n);
        for (unsigned c = 0; c < MRS_INC_NCLASSES; c++)
            fprintf(stderr, "%s%s %" PRIu64, c ? ", " : "", mrs_incident_class_name((mrs_incident_class)c),
                    dst.per_class[c]);
        fprintf(stderr, "); %zu networks; decode errors %" PRIu64 ", input errors %" PRIu64 "\n", nets.n, md.errors,
                kd.errors);
    }
    if (json_out) {
        json_t *root = json_object(), *ji = json_array(), *jn = json_array();
        json_t *w = json_object();
        json_object_set_new(w, "start", json_integer(from));
        json_object_set_new(w, "end", json_integer(to));
        json_object_set_new(w, "baseline_end", json_integer(baseline_end));
        json_object_set_new(w, "min_peers", json_integer(min_peers));
        json_object_set_new(w, "decode_errors", json_integer((json_int_t)md.errors));
        json_object_set_new(root, "window", w);
        for (size_t i = 0; i < inc.n; i++)
            json_array_append_new(ji, incident_json(&inc.v[i]));
        for (size_t i = 0; i < nets.n; i++)
            json_array_append_new(jn, network_json(&nets.v[i]));
        json_object_set_new(root, "incidents", ji);
        json_object_set_new(root, "networks", jn);
        int jr = strcmp(json_out, "-") == 0 ? json_dumpf(root, stdout, JSON_COMPACT)
                                            : json_dump_file(root, json_out, JSON_COMPACT);
        json_decref(root);
        if (jr != 0) {
            why = "cannot write the JSON output";
            goto fail;
        }
    }
    if (store) {
        bool bad = strict && (md.errors || kd.errors || damaged);
        for (size_t i = 0; i < inc.n && !bad; i++)
            if (mrs_store_add_incident(store, run, &inc.v[i]) != 0)
                bad = true;
        for (size_t i = 0; i < nets.n && !bad; i++)
            if (mrs_store_add_network(store, run, &nets.v[i]) != 0)
                bad = true;
        int er = bad ? mrs_store_end_run(store, run, "failed",
                                         strict && (md.errors || kd.errors || damaged) ? "--strict: decode errors"
                                                                                      : mrs_store_errmsg(store))
                     : mrs_store_end_run(store, run, "complete", NULL);
        run = -1;
        if (er != 0 || bad) {
            if (!(strict && (md.errors || kd.errors || damaged)))
                fprintf(stderr, "manrs observe: --db %s: %s\n", db, mrs_store_errmsg(store));
            failed = true;
        } else if (!quiet)
            fprintf(stderr, "manrs observe: run stored in %s\n", db);
    }
    why = NULL;
    rc = failed || (strict && (md.errors || kd.errors || damaged)) ? 1 : 0;
    if (strict && rc)
        fprintf(stderr, "manrs observe: --strict: %" PRIu64 " decode and %" PRIu64 " input errors\n", md.errors,
                kd.errors);
fail:
    if (why)
        fprintf(stderr, "manrs observe: %s\n", why);
    if (store && run >= 0)
        mrs_store_end_run(store, run, "failed", why ? why : "interrupted");
    mrs_store_close(store);
    mrs_network_list_free(&nets);
    mrs_obs_bundle_free(&bd);
out:
    fl_free(&rib);
    fl_free(&upd);
    fl_free(&vrps);
    fl_free(&irr);
    fl_free(&asrel);
    fl_free(&deleg);
    fl_free(&pdb);
    fl_free(&spoof);
    return rc;
}

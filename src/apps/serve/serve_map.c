/*
 * serve_map.c — the countries page's world map: country shapes from the
 * world-atlas TopoJSON (Natural Earth, public domain; npm package world-atlas,
 * installed by scripts/deps.sh, read from disk, never fetched at run time),
 * named by ISO 3166-1 alpha-2 through Debian's iso-codes, projected once with
 * the Natural Earth projection (Šavrič et al. 2011, polynomial form) into SVG
 * paths; each request only picks the colours.
 *
 * TopoJSON (https://github.com/topojson/topojson-specification): arcs are
 * delta-encoded integer points, scaled by "transform"; a geometry's rings list
 * arc indices, ~i for arc i reversed; consecutive arcs of a ring share their
 * end points. A malformed file is refused whole (no map), never half drawn.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "manrs/core/grow.h"
#include "manrs/output/html.h"
#include "serve_internal.h"

#define MAP_W 960.0

typedef struct country {
    char cc[3];
    char *name;
    char *path;                 /* SVG path data, projected */
} country;

struct serve_map {
    country *v;
    size_t n, cap;
    double h;                   /* height of the drawing, width MAP_W */
};

/* Natural Earth projection, in radians; x in about [-2.73, 2.73], y [-1.42, 1.42]. */
static void natural_earth(double lon, double lat, double *x, double *y)
{
    double l = lon * M_PI / 180.0, p = lat * M_PI / 180.0, p2 = p * p, p4 = p2 * p2;
    *x = l * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)));
    *y = p * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)));
}

#define X_MAX 2.7370   /* natural_earth(180, 0) */
#define Y_MAX 1.4224   /* natural_earth(0, 90) */

typedef struct topo {
    json_t *arcs;
    double sx, sy, tx, ty;
    bool quantized;
} topo;

/* Points of a ring, in degrees. */
typedef struct ring {
    double *p;                  /* lon, lat pairs */
    size_t n, cap;
} ring;

static bool ring_add(ring *r, double lon, double lat)
{
    double *nv = mrs_grow(r->p, &r->cap, 2 * (r->n + 1), sizeof *nv, 256);
    if (!nv)
        return false;
    r->p = nv;
    r->p[2 * r->n] = lon;
    r->p[2 * r->n + 1] = lat;
    r->n++;
    return true;
}

/* Append arc `a` (~i reversed) to the ring; first: the ring's first arc, else
 * the point it shares with the previous arc is skipped. */
static bool add_arc(const topo *t, json_int_t a, bool first, ring *r)
{
    bool rev = a < 0;
    size_t i = (size_t)(rev ? ~a : a);
    json_t *arc = json_array_get(t->arcs, i);
    size_t n = json_array_size(arc), base = r->n;
    if (!arc || !n)
        return false;
    double x = 0, y = 0;
    for (size_t k = 0; k < n; k++) {
        json_t *pt = json_array_get(arc, k);
        json_t *px = json_array_get(pt, 0), *py = json_array_get(pt, 1);
        if (!json_is_number(px) || !json_is_number(py))
            return false;
        double lon = json_number_value(px), lat = json_number_value(py);
        if (t->quantized) {
            x += lon;
            y += lat;
            lon = x * t->sx + t->tx;
            lat = y * t->sy + t->ty;
        }
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) || !ring_add(r, lon, lat))
            return false;
    }
    if (rev)   /* the arc's points, last first */
        for (size_t lo = base, hi = r->n - 1; lo < hi; lo++, hi--)
            for (int c = 0; c < 2; c++) {
                double tmp = r->p[2 * lo + c];
                r->p[2 * lo + c] = r->p[2 * hi + c];
                r->p[2 * hi + c] = tmp;
            }
    if (!first) {   /* drop the shared point */
        memmove(r->p + 2 * base, r->p + 2 * base + 2, 2 * (r->n - base - 1) * sizeof *r->p);
        r->n--;
    }
    return true;
}

/* Project a ring and append it to the path as one closed sub-path. */
static bool emit_ring(const double *p, size_t n, double shift, char **buf, size_t *len, size_t *cap)
{
    for (size_t k = 0; k < n; k++) {
        double px, py;
        natural_earth(p[2 * k] + shift, p[2 * k + 1], &px, &py);
        char *nb = mrs_grow(*buf, cap, *len + 32, 1, 4096);
        if (!nb)
            return false;
        *buf = nb;
        *len += (size_t)snprintf(*buf + *len, 32, "%s%.1f,%.1f", k ? "L" : "M", (px + X_MAX) * MAP_W / (2 * X_MAX),
                                 (Y_MAX - py) * MAP_W / (2 * X_MAX));
    }
    char *nb = n ? mrs_grow(*buf, cap, *len + 2, 1, 4096) : *buf;
    if (!nb)
        return false;
    *buf = nb;
    if (n) {
        (*buf)[(*len)++] = 'Z';
        (*buf)[*len] = 0;
    }
    return true;
}

/* The part of ring p (unwrapped longitudes) on one side of the meridian at lon
 * `at` (keep_east: lon >= at), Sutherland-Hodgman against one line, into out. */
static bool clip(const double *p, size_t n, double at, bool keep_east, ring *out)
{
    out->n = 0;
    for (size_t k = 0; k < n; k++) {
        const double *a = p + 2 * ((k + n - 1) % n), *b = p + 2 * k;
        bool ain = keep_east ? a[0] >= at : a[0] <= at, bin = keep_east ? b[0] >= at : b[0] <= at;
        if (ain != bin) {
            double t = (at - a[0]) / (b[0] - a[0]);
            if (!ring_add(out, at, a[1] + t * (b[1] - a[1])))
                return false;
        }
        if (bin && !ring_add(out, b[0], b[1]))
            return false;
    }
    return true;
}

/* A ring that crosses the antimeridian (a step of more than 180 degrees: Fiji,
 * Chukotka) is unwrapped and cut at +-180, each part drawn on its own side; a
 * ring around a pole (Antarctica: unwrapped, it does not close) as it is. */
static bool add_ring(ring *r, char **buf, size_t *len, size_t *cap)
{
    bool crosses = false;
    for (size_t k = 1; k < r->n && !crosses; k++)
        crosses = fabs(r->p[2 * k] - r->p[2 * k - 2]) > 180;
    if (!crosses)
        return emit_ring(r->p, r->n, 0, buf, len, cap);
    double hi = r->p[0];
    for (size_t k = 1; k < r->n; k++) {
        double *lon = &r->p[2 * k];
        while (*lon - lon[-2] > 180)
            *lon -= 360;
        while (*lon - lon[-2] < -180)
            *lon += 360;
        hi = *lon > hi ? *lon : hi;
    }
    if (fabs(r->p[2 * r->n - 2] - r->p[0]) > 180) {   /* around a pole: back to [-180, 180] */
        for (size_t k = 0; k < r->n; k++)
            r->p[2 * k] -= 360 * floor((r->p[2 * k] + 180) / 360);
        return emit_ring(r->p, r->n, 0, buf, len, cap);
    }
    double edge = hi > 180 ? 180 : -180;
    ring part = {0};
    bool ok = clip(r->p, r->n, edge, edge < 0, &part) && emit_ring(part.p, part.n, 0, buf, len, cap) &&
              clip(r->p, r->n, edge, edge > 0, &part) && emit_ring(part.p, part.n, edge > 0 ? -360 : 360, buf, len, cap);
    free(part.p);
    return ok;
}

/* A polygon: rings of arc indices. */
static bool add_polygon(const topo *t, json_t *rings, char **buf, size_t *len, size_t *cap)
{
    size_t nr = json_array_size(rings);
    ring r = {0};
    bool ok = true;
    for (size_t k = 0; k < nr && ok; k++) {
        json_t *arcs = json_array_get(rings, k);
        size_t na = json_array_size(arcs);
        r.n = 0;
        ok = na > 0;
        for (size_t a = 0; a < na && ok; a++) {
            json_t *ix = json_array_get(arcs, a);
            ok = json_is_integer(ix) && add_arc(t, json_integer_value(ix), a == 0, &r);
        }
        ok = ok && add_ring(&r, buf, len, cap);
    }
    free(r.p);
    return ok;
}

static const char *alpha2(json_t *iso, const char *numeric)
{
    size_t i;
    json_t *c;
    json_array_foreach(iso, i, c)
    {
        const char *num = json_string_value(json_object_get(c, "numeric"));
        if (num && !strcmp(num, numeric))
            return json_string_value(json_object_get(c, "alpha_2"));
    }
    return NULL;
}

/* The map from the two parsed documents; NULL (the reason on stderr when quiet
 * is false) when they are not what they should be. */
static serve_map *map_from(json_t *doc, json_t *isodoc, const char *topojson, const char *iso_codes, bool quiet)
{
    serve_map *m = NULL;
    char *buf = NULL;
    json_t *iso = json_object_get(isodoc, "3166-1");
    json_t *geoms = json_object_get(json_object_get(json_object_get(doc, "objects"), "countries"), "geometries");
    json_t *tr = json_object_get(doc, "transform");
    topo t = {json_object_get(doc, "arcs"), 1, 1, 0, 0, tr != NULL};
    if (tr) {
        json_t *s = json_object_get(tr, "scale"), *o = json_object_get(tr, "translate");
        t.sx = json_number_value(json_array_get(s, 0));
        t.sy = json_number_value(json_array_get(s, 1));
        t.tx = json_number_value(json_array_get(o, 0));
        t.ty = json_number_value(json_array_get(o, 1));
    }
    if (!json_is_array(iso) || !json_is_array(geoms) || !json_is_array(t.arcs) || !(m = calloc(1, sizeof *m))) {
        if (!quiet)
            fprintf(stderr, "manrs serve: no world map: %s is not world-atlas countries TopoJSON, or %s not "
                            "iso-codes' iso_3166-1.json\n",
                    topojson, iso_codes);
        return NULL;
    }
    m->h = MAP_W * Y_MAX / X_MAX;
    size_t i;
    json_t *g;
    json_array_foreach(geoms, i, g)
    {
        const char *id = json_string_value(json_object_get(g, "id")), *type = json_string_value(json_object_get(g, "type"));
        const char *name = json_string_value(json_object_get(json_object_get(g, "properties"), "name"));
        const char *cc = id ? alpha2(iso, id) : name && !strcmp(name, "Kosovo") ? "XK" : NULL;   /* not in ISO 3166 */
        if (!cc || strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' || !type)
            continue;   /* a territory without a code of its own (N. Cyprus, Somaliland) */
        size_t len = 0, cap = 0;
        buf = NULL;
        json_t *arcs = json_object_get(g, "arcs");
        bool ok = true;
        if (!strcmp(type, "Polygon"))
            ok = add_polygon(&t, arcs, &buf, &len, &cap);
        else if (!strcmp(type, "MultiPolygon"))
            for (size_t k = 0; ok && k < json_array_size(arcs); k++)
                ok = add_polygon(&t, json_array_get(arcs, k), &buf, &len, &cap);
        else
            continue;
        country *nv = ok && buf ? mrs_grow(m->v, &m->cap, m->n + 1, sizeof *nv, 256) : NULL;
        if (nv)
            m->v = nv;
        char *nm = nv ? strdup(name ? name : cc) : NULL;
        if (!nm) {
            if (!quiet)
                fprintf(stderr, "manrs serve: no world map: %s: geometry %zu (%s) is malformed\n", topojson, i,
                        name ? name : id);
            free(buf);
            serve_map_free(m);
            return NULL;
        }
        country *c = &m->v[m->n++];
        memcpy(c->cc, cc, 3);
        c->name = nm;
        c->path = buf;
        buf = NULL;
    }
    return m;
}

serve_map *serve_map_load(const char *topojson, const char *iso_codes)
{
    json_error_t je;
    json_t *doc = json_load_file(topojson, 0, &je), *isodoc = doc ? json_load_file(iso_codes, 0, &je) : NULL;
    serve_map *m = NULL;
    if (!doc || !isodoc)
        fprintf(stderr, "manrs serve: no world map: %s: %s\n", doc ? iso_codes : topojson, je.text);
    else
        m = map_from(doc, isodoc, topojson, iso_codes, false);
    json_decref(doc);
    json_decref(isodoc);
    return m;
}

long serve_map_check(const char *topojson, size_t len, const char *iso_codes, size_t iso_len)
{
    json_t *doc = json_loadb(topojson, len, 0, NULL), *isodoc = json_loadb(iso_codes, iso_len, 0, NULL);
    serve_map *m = doc && isodoc ? map_from(doc, isodoc, "topojson", "iso-codes", true) : NULL;
    long n = m ? (long)m->n : -1;
    if (m) {   /* drawn too, with no country of any run */
        mrs_report r;
        memset(&r, 0, sizeof r);
        FILE *f = fopen("/dev/null", "w");
        if (f) {
            serve_map_svg(f, m, &r, 4);
            fclose(f);
        }
    }
    serve_map_free(m);
    json_decref(doc);
    json_decref(isodoc);
    return n;
}

void serve_map_free(serve_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].name);
        free(m->v[i].path);
    }
    free(m->v);
    free(m);
}

size_t serve_map_countries(const serve_map *m)
{
    return m ? m->n : 0;
}

/* A share of networks ready as a colour: red (none) through amber to green (all). */
static void share_colour(double s, char *out, size_t n)
{
    static const int stops[3][3] = {{0xc6, 0x28, 0x28}, {0xf2, 0x99, 0x00}, {0x1e, 0x8e, 0x3e}};
    double t = s <= 0.5 ? s * 2 : (s - 0.5) * 2;
    const int *a = stops[s <= 0.5 ? 0 : 1], *b = stops[s <= 0.5 ? 1 : 2];
    snprintf(out, n, "#%02x%02x%02x", (int)(a[0] + (b[0] - a[0]) * t), (int)(a[1] + (b[1] - a[1]) * t),
             (int)(a[2] + (b[2] - a[2]) * t));
}

void serve_map_svg(FILE *f, const serve_map *m, const mrs_report *r, int action)
{
    fprintf(f, "<svg class=\"map\" role=\"img\" aria-label=\"share of networks ready per country\" viewBox=\"0 0 %.0f "
               "%.0f\" width=\"100%%\" style=\"max-width:%.0fpx;background:#eef3f7;border-radius:8px\">",
            MAP_W, m->h, MAP_W);
    for (size_t i = 0; i < m->n; i++) {
        const country *c = &m->v[i];
        const mrs_report_agg *g = NULL;
        for (size_t k = 0; k < r->n_countries && !g; k++)
            if (!strcmp(r->countries[k].country, c->cc))
                g = &r->countries[k];
        char colour[16] = "#d5dadf";
        if (g && g->networks) {
            double s = (double)g->status[action][MRS_READY] / (double)g->networks;
            share_colour(s, colour, sizeof colour);
            fprintf(f, "<a href=\"/networks?country=%s\"><path d=\"%s\" fill=\"%s\"><title>", c->cc, c->path, colour);
            mrs_html_text(f, c->name);
            fprintf(f, " (%s): %zu of %zu networks ready (%.0f%%)</title></path></a>", c->cc,
                    g->status[action][MRS_READY], g->networks, 100 * s);
        } else {
            fprintf(f, "<path d=\"%s\" fill=\"%s\"><title>", c->path, colour);
            mrs_html_text(f, c->name);
            fprintf(f, " (%s): no networks in this run</title></path>", c->cc);
        }
    }
    fputs("</svg><div class=\"legend\"><span><i style=\"background:#c62828\"></i>no network ready</span>"
          "<span><i style=\"background:#f29900\"></i>half</span><span><i style=\"background:#1e8e3e\"></i>all</span>"
          "<span><i style=\"background:#d5dadf\"></i>no networks</span></div>",
          f);
}

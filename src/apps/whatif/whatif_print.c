/*
 * whatif_print.c — `manrs whatif` results as a table, JSON and an SVG plot of
 * capture versus the number of greedy adopters.
 */
#include "manrs/apps/whatif.h"

#include <inttypes.h>
#include <math.h>

#include "manrs/core/json_out.h"

static void incident_line(FILE *f, const mrs_whatif_opts *o)
{
    char p[MRS_PREFIX_STRLEN] = "", c[MRS_PREFIX_STRLEN] = "";
    if (o->have_prefix)
        mrs_prefix_format(&o->prefix, p);
    switch (o->kind) {
    case MRS_PINC_ORIGIN:
        fprintf(f, "origin hijack of %s (origin AS%" PRIu32 ") by AS%" PRIu32, o->have_prefix ? p : "the prefix",
                o->origin_asn, o->culprit_asn);
        break;
    case MRS_PINC_SUBPREFIX:
        mrs_prefix_format(&o->cover, c);
        fprintf(f, "sub-prefix hijack: AS%" PRIu32 " announces %s inside %s of AS%" PRIu32, o->culprit_asn,
                o->have_prefix ? p : "a more specific", o->have_prefix ? c : "the prefix", o->origin_asn);
        break;
    case MRS_PINC_FORGED:
        fprintf(f, "forged-origin hijack of %s: AS%" PRIu32 " announces the path \"%" PRIu32 " %" PRIu32 "\"",
                o->have_prefix ? p : "the prefix", o->culprit_asn, o->culprit_asn, o->origin_asn);
        break;
    case MRS_PINC_LEAK:
        fprintf(f, "route leak of %s (origin AS%" PRIu32 ") by AS%" PRIu32 " to its %s",
                o->have_prefix ? p : "the prefix", o->origin_asn, o->culprit_asn,
                o->leak_to == MRS_LEAK_TO_PROVIDERS ? "providers"
                : o->leak_to == MRS_LEAK_TO_PEERS   ? "peers"
                                                    : "providers and peers");
        break;
    }
}

static void pct(FILE *f, double v)
{
    if (isnan(v))
        fprintf(f, "%9s", "-");
    else
        fprintf(f, "%8.1f%%", 100 * v);
}

void mrs_whatif_print_table(FILE *f, const mrs_whatif_opts *o, const mrs_whatif_result *r, const char *graph)
{
    fprintf(f, "what if: ");
    incident_line(f, o);
    fprintf(f, "\ngraph: %s, %zu ASes\n", graph, r->n_ases);
    if (r->cycle_ases)
        fprintf(f, "warning: %zu ASes are on provider cycles (e.g. AS%" PRIu32 "): routing still terminates, "
                   "but the relationships there are doubtful\n",
                r->cycle_ases, r->cycle_example);
    fprintf(f, "RPKI: the culprit's route is %s, the legitimate one %s%s\n", r->culprit_rpki, r->legit_rpki,
            r->rpki_assumed ? " (assumed: the victim holds a ROA for its prefix; give --vrps to use real ones)" : "");
    fprintf(f, "\n%-34s %16s %9s %9s\n", "", "ASes captured", "share", "space");
    fprintf(f, "%-34s %7zu of %-6zu", "without the adoption set", r->without.captured, r->n_ases - 1);
    pct(f, r->capture_without);
    pct(f, r->space_without);
    fputc('\n', f);
    if (o->have_adopt) {
        char label[64];
        snprintf(label, sizeof label, "%s at %zu ASes", mrs_whatif_action_name(o->action), r->adopt_used);
        fprintf(f, "%-34s %7zu of %-6zu", label, r->with.captured, r->n_ases - 1);
        pct(f, r->capture_with);
        pct(f, r->space_with);
        fputc('\n', f);
        if (r->n_adopt_unknown) {
            fprintf(f, "  (%zu adopters are not in the graph:", r->n_adopt_unknown);
            for (size_t k = 0; k < r->n_adopt_unknown && k < 8; k++)
                fprintf(f, " AS%" PRIu32, r->adopt_unknown[k]);
            fprintf(f, "%s)\n", r->n_adopt_unknown > 8 ? " ..." : "");
        }
    }
    if (o->greedy) {
        fprintf(f, "\ngreedy %s adoption (exact greedy, %zu routing runs):\n", mrs_whatif_action_name(o->action),
                r->greedy_runs);
        fprintf(f, "%4s  %-12s %9s %9s %9s\n", "k", "adopter", "captured", "share", "gain");
        double prev = r->capture_with;
        for (size_t k = 0; k < r->n_greedy; k++) {
            const mrs_whatif_step *s = &r->greedy[k];
            char as[16];
            snprintf(as, sizeof as, "AS%" PRIu32, s->asn);
            fprintf(f, "%4zu  %-12s %9zu", k + 1, as, s->captured);
            pct(f, s->capture);
            fprintf(f, " %8.1f\n", 100 * (prev - s->capture));
            prev = s->capture;
        }
        if (r->n_greedy < o->greedy)
            fprintf(f, "  (stopped after %zu: %s)\n", r->n_greedy,
                    r->n_greedy && r->greedy[r->n_greedy - 1].captured == 0 ? "nobody is captured any more"
                                                                            : "no single adoption helps any more");
    }
}

static void jnum(FILE *f, double v)
{
    if (isnan(v))
        fputs("null", f);
    else
        fprintf(f, "%.6f", v);
}

void mrs_whatif_print_json(FILE *f, const mrs_whatif_opts *o, const mrs_whatif_result *r, const char *graph)
{
    char p[MRS_PREFIX_STRLEN] = "", c[MRS_PREFIX_STRLEN] = "";
    if (o->have_prefix)
        mrs_prefix_format(&o->prefix, p);
    fprintf(f, "{\n  \"incident\": {\"type\": \"%s\", \"prefix\": ", mrs_whatif_kind_name(o->kind));
    if (o->have_prefix)
        mrs_json_fcstr(f, p);
    else
        fputs("null", f);
    if (o->kind == MRS_PINC_SUBPREFIX) {
        mrs_prefix_format(&o->cover, c);
        fputs(", \"covering\": ", f);
        mrs_json_fcstr(f, c);
    }
    fprintf(f, ", \"culprit\": %" PRIu32 ", \"origin\": %" PRIu32, o->culprit_asn, o->origin_asn);
    if (o->kind == MRS_PINC_LEAK)
        fprintf(f, ", \"leak_to\": \"%s\"",
                o->leak_to == MRS_LEAK_TO_PROVIDERS ? "providers"
                : o->leak_to == MRS_LEAK_TO_PEERS   ? "peers"
                                                    : "all");
    fprintf(f, ", \"culprit_rpki\": \"%s\", \"legit_rpki\": \"%s\", \"rpki_assumed\": %s},\n", r->culprit_rpki,
            r->legit_rpki, r->rpki_assumed ? "true" : "false");
    fputs("  \"graph\": {\"file\": ", f);
    mrs_json_fcstr(f, graph);
    fprintf(f, ", \"ases\": %zu, \"cycle_ases\": %zu", r->n_ases, r->cycle_ases);
    if (r->cycle_ases)
        fprintf(f, ", \"cycle_example\": %" PRIu32, r->cycle_example);
    fprintf(f, "},\n  \"action\": \"%s\",\n", mrs_whatif_action_name(o->action));
    fprintf(f, "  \"adopters\": {\"given\": %zu, \"in_graph\": %zu, \"unknown\": [", o->have_adopt ? o->n_adopt : 0,
            r->adopt_used);
    for (size_t k = 0; k < r->n_adopt_unknown; k++)
        fprintf(f, "%s%" PRIu32, k ? ", " : "", r->adopt_unknown[k]);
    fputs("]},\n  \"capture\": {\"without\": ", f);
    jnum(f, r->capture_without);
    fputs(", \"with\": ", f);
    jnum(f, r->capture_with);
    fprintf(f, "},\n  \"captured\": {\"without\": %zu, \"with\": %zu},\n", r->without.captured, r->with.captured);
    fputs("  \"space\": {\"without\": ", f);
    jnum(f, r->space_without);
    fputs(", \"with\": ", f);
    jnum(f, r->space_with);
    fputs("},\n  \"greedy\": [", f);
    for (size_t k = 0; k < r->n_greedy; k++) {
        const mrs_whatif_step *s = &r->greedy[k];
        fprintf(f, "%s\n    {\"asn\": %" PRIu32 ", \"capture_after\": ", k ? "," : "", s->asn);
        jnum(f, s->capture);
        fprintf(f, ", \"captured_after\": %zu, \"space_after\": ", s->captured);
        jnum(f, s->space);
        fputc('}', f);
    }
    fprintf(f, "%s]", r->n_greedy ? "\n  " : "");
    if (o->members) {
        fputs(",\n  \"captured_ases\": [", f);
        for (size_t k = 0; k < r->n_captured_asns; k++)
            fprintf(f, "%s%" PRIu32, k ? ", " : "", r->captured_asns[k]);
        fputs("],\n  \"propagators\": [", f);
        for (size_t k = 0; k < r->n_propagators; k++)
            fprintf(f, "%s%" PRIu32, k ? ", " : "", r->propagators[k]);
        fputc(']', f);
    }
    fprintf(f, ",\n  \"greedy_runs\": %zu,\n  \"seconds\": %.3f\n}\n", r->greedy_runs, r->seconds);
}

void mrs_whatif_print_svg(FILE *f, const mrs_whatif_opts *o, const mrs_whatif_result *r)
{
    const double W = 640, H = 400, L = 70, R = 20, T = 40, B = 60;
    size_t k = r->n_greedy;
    double xmax = k ? (double)k : 1;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
               "font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(f, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", W, H);
    fprintf(f, "<text x=\"%.0f\" y=\"22\" font-size=\"14\">capture by AS%" PRIu32 " (%s) versus greedy %s "
               "adopters</text>\n",
            L, o->culprit_asn, mrs_whatif_kind_name(o->kind), mrs_whatif_action_name(o->action));
    /* axes and grid: 0..100 % */
    for (int g = 0; g <= 4; g++) {
        double y = T + (H - T - B) * (1 - g / 4.0);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L, y, W - R, y);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>\n", L - 6, y + 4, g * 25);
    }
    for (size_t i = 0; i <= k; i++) {
        double x = L + (W - L - R) * (double)i / xmax;
        if (k <= 20 || i % ((k + 19) / 20) == 0)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>\n", x, H - B + 18, i);
    }
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\"/>\n", L, H - B, W - R, H - B);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\"/>\n", L, T, L, H - B);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">adopters (k)</text>\n", L + (W - L - R) / 2,
            H - 16);
    fprintf(f, "<text transform=\"translate(18 %.0f) rotate(-90)\" text-anchor=\"middle\">share of ASes routing to "
               "the culprit</text>\n",
            T + (H - T - B) / 2);
    /* the curve: k = 0 is the capture with the adoption set (or nobody acting) */
    fputs("<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"", f);
    for (size_t i = 0; i <= k; i++) {
        double c = i == 0 ? r->capture_with : r->greedy[i - 1].capture;
        fprintf(f, "%s%.1f,%.1f", i ? " " : "", L + (W - L - R) * (double)i / xmax, T + (H - T - B) * (1 - c));
    }
    fputs("\"/>\n", f);
    for (size_t i = 0; i <= k; i++) {
        double c = i == 0 ? r->capture_with : r->greedy[i - 1].capture;
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#c0392b\"><title>", L + (W - L - R) * (double)i / xmax,
                T + (H - T - B) * (1 - c));
        if (i)
            fprintf(f, "k=%zu AS%" PRIu32 ": %.1f%%", i, r->greedy[i - 1].asn, 100 * c);
        else
            fprintf(f, "k=0: %.1f%%", 100 * c);
        fputs("</title></circle>\n", f);
    }
    fputs("</svg>\n", f);
}

void mrs_whatif_print_agreement(FILE *f, const mrs_whatif_agreement *ag, bool json, bool incident)
{
    double pa = ag->predictions ? 100.0 * (double)ag->agree / (double)ag->predictions : 0;
    double pm = ag->predictions ? 100.0 * (double)ag->majority_agree / (double)ag->predictions : 0;
    if (json) {
        fprintf(f,
                "{\"events\": %zu, \"predictions\": %zu, \"agree\": %zu, \"agreement\": %.4f, "
                "\"majority_agree\": %zu, \"majority_agreement\": %.4f, \"no_route\": %zu, "
                "\"skipped_unknown_origin\": %zu, \"peer_unknown\": %zu, \"peer_is_origin\": %zu, "
                "\"two_origins\": {\"events\": %zu, \"predictions\": %zu, \"agree\": %zu, \"majority_agree\": %zu}}\n",
                ag->events, ag->predictions, ag->agree, pa / 100, ag->majority_agree, pm / 100, ag->no_route,
                ag->skipped_unknown, ag->peer_unknown, ag->peer_is_origin, ag->two_events, ag->two_predictions,
                ag->two_agree, ag->two_majority);
        return;
    }
    fprintf(f,
            "agreement: %zu of %zu collector-peer choices predicted (%.1f%%) over %zu %s;\n"
            "baseline (every peer takes the more common origin): %zu (%.1f%%)\n"
            "left out: %zu events with an origin outside the graph, %zu peers outside it, %zu peers that "
            "are an origin; %zu predictions without a route\n",
            ag->agree, ag->predictions, pa, ag->events, incident ? "incident" : "MOAS prefixes", ag->majority_agree,
            pm, ag->skipped_unknown, ag->peer_unknown, ag->peer_is_origin, ag->no_route);
    if (ag->two_events && !incident)
        fprintf(f,
                "of which prefixes with exactly two origins: %zu of %zu choices (%.1f%%) over %zu prefixes; "
                "baseline %zu (%.1f%%)\n",
                ag->two_agree, ag->two_predictions, 100.0 * (double)ag->two_agree / (double)ag->two_predictions,
                ag->two_events, ag->two_majority, 100.0 * (double)ag->two_majority / (double)ag->two_predictions);
}

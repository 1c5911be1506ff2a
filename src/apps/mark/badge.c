/*
 * badge.c — the mark as a page (mark.h): self-contained HTML, no script, no
 * external resource (a Content-Security-Policy that allows only the inline style
 * says so to the browser). It states what the mark certifies and what it does
 * not, the key's fingerprint, and the commands a third party runs to verify it.
 * Every text from the mark is escaped (output/html.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "manrs/apps/mark.h"
#include "manrs/core/date.h"
#include "manrs/output/html.h"

static const char *sget(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "?";
}

static long long iget(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char badge_css[] =
    ".mark{display:inline-block;padding:10px 18px;border-radius:8px;font-size:20px;font-weight:700;color:#fff}"
    ".mark.ok{background:#1e7d32}.mark.not{background:#b3261e}.mark.nodata{background:#6b7280}"
    "code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}"
    "pre{background:#f1f3f4;padding:10px 12px;border-radius:6px;overflow-x:auto}"
    "td.not-conformant{color:#b3261e;font-weight:600}td.conformant{color:#1e7d32;font-weight:600}";

static void verdict_cell(FILE *f, const char *v)
{
    fputs("<td class=\"", f);
    mrs_html_text(f, v);
    fputs("\">", f);
    mrs_html_text(f, v);
    fputs("</td>", f);
}

static void asn_text(FILE *f, const json_t *asn)
{
    if (json_is_integer(asn))
        fprintf(f, "AS%lld", json_integer_value(asn));
    else
        fputs("(the organisation)", f);
}

int mark_badge(const json_t *mark, const char *mark_name, FILE *f)
{
    const json_t *st = json_object_get(mark, "statement"), *sig = json_object_get(mark, "signature");
    const json_t *p = json_object_get(st, "participant"), *v = json_object_get(st, "verdicts");
    const json_t *w = json_object_get(st, "window"), *th = json_object_get(st, "thresholds");
    const char *outcome = sget(v, "outcome");
    bool ok = json_is_true(json_object_get(v, "conformant"));
    char a[MRS_TIME_ISO_LEN], b[MRS_TIME_ISO_LEN];

    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>MANRS quality mark — ",
          f);
    mrs_html_text(f, sget(p, "organisation"));
    fprintf(f, ", %s</title><style>%s%s</style></head><body>\n", sget(st, "period"), mrs_html_css, badge_css);
    fputs("<header><h1>MANRS quality mark — ", f);
    mrs_html_text(f, sget(p, "organisation"));
    fputs("</h1><div class=\"meta\">period ", f);
    mrs_html_text(f, sget(st, "period"));
    fputs(" · issued ", f);
    mrs_html_text(f, sget(st, "issued"));
    fputs(" · manrs ", f);
    mrs_html_text(f, sget(json_object_get(st, "software"), "version"));
    fputs("</div></header><main>\n<section><p><span class=\"mark ", f);
    fputs(ok ? "ok\">CONFORMANT" : !strcmp(outcome, "not-conformant") ? "not\">NOT CONFORMANT" : "nodata\">NO VERDICT (",
          f);
    if (!ok && strcmp(outcome, "not-conformant")) {
        mrs_html_text(f, outcome);
        fputc(')', f);
    }
    fputs("</span></p>\n<p>This signed statement certifies that the MANRS observatory's measurement of <b>", f);
    mrs_html_text(f, sget(p, "organisation"));
    fputs("</b> (participant <code>", f);
    mrs_html_text(f, sget(p, "id"));
    fputs("</code>, ", f);
    mrs_html_text(f, sget(p, "programme"));
    fputs(", tier ", f);
    mrs_html_text(f, sget(p, "tier"));
    fputs(") for the period <b>", f);
    mrs_html_text(f, sget(st, "period"));
    fprintf(f, "</b>, on routing data from %s to %s UTC, found the period's outcome <b>",
            mrs_time_iso(iget(w, "start"), a), mrs_time_iso(iget(w, "end"), b));
    mrs_html_text(f, outcome);
    fputs("</b> for the Actions it committed to, under the rule set <code>", f);
    mrs_html_text(f, sget(st, "ruleset"));
    fputs("</code> and the thresholds below.</p>\n", f);

    fputs("<h2>Actions and verdicts</h2><table><tr><th>Action</th><th>verdict</th></tr>", f);
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(json_object_get(v, "actions"), i, x) {
        fprintf(f, "<tr><td>%lld ", iget(x, "action"));
        mrs_html_text(f, sget(x, "name"));
        fputs("</td>", f);
        verdict_cell(f, sget(x, "verdict"));
        fputs("</tr>", f);
    }
    fputs("</table>\n<h2>Per ASN</h2><table><tr><th>ASN</th><th>Action</th><th>verdict</th><th>score</th>"
          "<th>minimum</th><th>basis</th><th>incidents counted</th></tr>",
          f);
    json_array_foreach(json_object_get(v, "asns"), i, x) {
        json_array_foreach(json_object_get(x, "actions"), j, y) {
            fputs("<tr><td>", f);
            asn_text(f, json_object_get(x, "asn"));
            fprintf(f, "</td><td>%lld</td>", iget(y, "action"));
            verdict_cell(f, sget(y, "verdict"));
            fputs("<td>", f);
            mrs_html_text(f, json_is_string(json_object_get(y, "score")) ? sget(y, "score") : "no data");
            fputs("</td><td>", f);
            mrs_html_text(f, sget(y, "min"));
            fputs("</td><td>", f);
            mrs_html_text(f, sget(y, "basis"));
            fputs("</td><td>", f);
            size_t q;
            json_t *z;
            json_array_foreach(json_object_get(y, "incidents"), q, z) {
                fprintf(f, "%s#%lld ", q ? "<br>" : "", iget(z, "id"));
                mrs_html_text(f, sget(z, "class"));
                fputc(' ', f);
                mrs_html_text(f, sget(z, "prefix"));
                fprintf(f, " by AS%lld at %s", iget(z, "culprit"), mrs_time_iso(iget(z, "start"), a));
            }
            if (!json_array_size(json_object_get(y, "incidents")))
                fputs("none", f);
            size_t nd = json_array_size(json_object_get(y, "disputed"));
            if (nd)
                fprintf(f, "<br>(%zu disputed, not counted)", nd);
            fputs("</td></tr>", f);
        }
    }
    fputs("</table>\n<h2>Thresholds of the tier</h2><p>", f);
    const json_t *mins = json_object_get(th, "action_min");
    for (int k = 1; k <= 4; k++) {
        char key[2] = {(char)('0' + k), 0};
        fprintf(f, "%sAction %d minimum ", k > 1 ? "; " : "", k);
        mrs_html_text(f, sget(mins, key));
    }
    fprintf(f, "; route leaks count in Action 1: %s; Action 4 needs RPKI and IRR both: %s; grace periods %lld.</p>\n",
            json_is_true(json_object_get(th, "leaks_count")) ? "yes" : "no",
            json_is_true(json_object_get(th, "action4_both")) ? "yes" : "no", iget(th, "grace_periods"));
    fputs("</section>\n<section><h2>What this mark does NOT certify</h2><ul>"
          "<li>Anything outside the period and the routing data's window above, before or after it.</li>"
          "<li>Routing the public collectors did not see: only what the inputs listed below show.</li>"
          "<li>Actions the participant did not commit to, and commitments no routing data can show "
          "(verdict <code>not-measured</code>: IXP and vendor commitments, Actions 5 and 6).</li>"
          "<li>The participant's enforcement state (notice, grace, suspension) across periods: a mark is one "
          "period.</li>"
          "<li>Low-confidence findings, which are never counted, and incidents the participant disputed "
          "(listed as disputed, not counted).</li>"
          "<li>That the inputs themselves are true: the mark names them by SHA-256 so that anyone can recompute "
          "the verdicts from the same files.</li></ul></section>\n",
          f);
    fputs("<section><h2>Inputs</h2><table><tr><th>kind</th><th>file</th><th>SHA-256</th></tr>", f);
    json_array_foreach(json_object_get(st, "inputs"), i, x) {
        fputs("<tr><td>", f);
        mrs_html_text(f, sget(x, "kind"));
        fputs("</td><td><code>", f);
        mrs_html_text(f, sget(x, "file"));
        fputs("</code></td><td><code>", f);
        mrs_html_text(f, sget(x, "sha256"));
        fputs("</code></td></tr>", f);
    }
    fputs("</table></section>\n<section><h2>How to verify it</h2><p>Signed with Ed25519 by the key with fingerprint "
          "<b><code>",
          f);
    mrs_html_text(f, sget(sig, "key"));
    fputs("</code></b>. Obtain the issuer's public key file (<code>KEY.pub</code>, whose last line must read "
          "<code>fingerprint ",
          f);
    mrs_html_text(f, sget(sig, "key"));
    fputs("</code>) and the mark file, then:</p><pre>manrs mark verify ", f);
    mrs_html_text(f, mark_name);
    fputs(" --pub KEY.pub</pre><p>Exit status 0: the file is exactly as signed (any changed byte fails). To "
          "recompute the verdicts from the same inputs (each file's SHA-256 is checked first):</p><pre>manrs mark "
          "verify ",
          f);
    mrs_html_text(f, mark_name);
    fputs(" --pub KEY.pub --rerun [--participants FILE] [--world DIR | the input files]</pre>"
          "<p>The format is described in docs/programme.md, \"The quality mark\".</p></section>\n</main></body></html>\n",
          f);
    return ferror(f) ? -1 : 0;
}

int mark_badge_file(const json_t *mark, const char *mark_name, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    errno = 0;
    int w = mark_badge(mark, mark_name, f);
    int e = errno;
    if (fclose(f) != 0 && w == 0) {
        w = -1;
        e = errno;
    }
    if (w != 0) {
        snprintf(err, errlen, "%s: write error: %s", path, strerror(e ? e : EIO));
        return -1;
    }
    return 0;
}

int mark_write_file(const char *path, const char *buf, size_t len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    errno = 0;
    bool bad = fwrite(buf, 1, len, f) != len;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = true;
        e = errno;
    }
    if (bad) {
        snprintf(err, errlen, "%s: write error: %s", path, strerror(e ? e : EIO));
        return -1;
    }
    return 0;
}

void mark_print_valid(FILE *f, const char *file, const json_t *mark, const mark_key *k)
{
    const json_t *st = json_object_get(mark, "statement");
    const json_t *p = json_object_get(st, "participant"), *v = json_object_get(st, "verdicts");
    fputs("valid: ", f);
    mrs_fputs_safe(file, f);
    fputs(": mark of ", f);
    mrs_fputs_safe(json_string_value(json_object_get(p, "id")), f);
    fputs(" (", f);
    mrs_fputs_safe(json_string_value(json_object_get(p, "organisation")), f);
    fputs(") for ", f);
    mrs_fputs_safe(json_string_value(json_object_get(st, "period")), f);
    fputs(": ", f);
    mrs_fputs_safe(json_string_value(json_object_get(v, "outcome")), f);
    fprintf(f, "; signed by key %s\n", k->fp);
}

/*
 * ixp_members.c — the members file of `manrs ixp` (ixp.h): one member per line,
 *
 *     ASN [AS-SET] [NAME...]        # comment
 *
 * ASN as 64500 or AS64500 (not 0); AS-SET an RPSL as-set name (RFC 2622 §5.1:
 * "AS-" then letters, digits, '-' and '_'; hierarchical names with ':' such as
 * AS64500:AS-CUSTOMERS) or '-' for none; NAME the rest of the line. A line with a
 * bad ASN, an ASN already listed or a control byte is reported `FILE:LINE: what`,
 * skipped and counted.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manrs/apps/ixp.h"
#include "manrs/core/grow.h"
#include "manrs/core/io.h"

/* One component of a set name: AS-xxx (letters, digits, '-', '_') or an ASN. */
static bool set_component(const char *s, size_t n, bool *is_set)
{
    uint32_t asn;
    if (mrs_asn_parse(s, n, &asn) && n > 2 && (s[0] == 'A' || s[0] == 'a')) {
        *is_set = false;
        return true;
    }
    if (n < 4 || strncasecmp(s, "as-", 3))
        return false;
    for (size_t i = 3; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    *is_set = true;
    return true;
}

/* RFC 2622 §5: a set name is components separated by ':', at least one of them
 * an as-set name (AS-...), the others AS numbers. */
static bool as_set_name(const char *s, size_t n)
{
    if (n == 0 || n > 200)
        return false;
    bool any_set = false;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && s[j] != ':')
            j++;
        bool is_set;
        if (!set_component(s + i, j - i, &is_set))
            return false;
        any_set |= is_set;
        i = j + 1;
    }
    return any_set;
}

static int cmp_member(const void *a_, const void *b_)
{
    const ixp_member_info *a = a_, *b = b_;
    return a->asn < b->asn ? -1 : a->asn > b->asn;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* One line (NUL-terminated, no '\n'). */
static int member_line(ixp_members *m, char *line, size_t n, const char *name, uint64_t lineno, mrs_diag *d)
{
    for (size_t i = 0; i < n; i++)
        if (line[i] == '#') {
            n = i;
            break;
        }
    while (n && is_space(line[n - 1]))
        n--;
    size_t i = 0;
    while (i < n && is_space(line[i]))
        i++;
    if (i == n)
        return 0;
    for (size_t k = i; k < n; k++)
        if (((unsigned char)line[k] < 0x20 && line[k] != '\t') || line[k] == 0x7f) {
            mrs_diag_error_line(d, name, lineno, "control byte 0x%02x in the line", (unsigned char)line[k]);
            m->bad++;
            return 0;
        }
    size_t a = i;
    while (i < n && !is_space(line[i]))
        i++;
    uint32_t asn;
    if (!mrs_asn_parse(line + a, i - a, &asn) || asn == 0) {
        mrs_diag_error_line(d, name, lineno, "'%.*s' is not an AS number (ASN [AS-SET] [NAME])", (int)(i - a > 40 ? 40 : i - a),
                            line + a);
        m->bad++;
        return 0;
    }
    for (size_t k = 0; k < m->n; k++)
        if (m->v[k].asn == asn) {
            mrs_diag_error_line(d, name, lineno, "AS%" PRIu32 " is already listed at line %" PRIu64, asn, m->v[k].line);
            m->bad++;
            return 0;
        }
    while (i < n && is_space(line[i]))
        i++;
    const char *set = NULL, *nm = NULL;
    size_t set_n = 0, nm_n = 0;
    if (i < n) {
        size_t b = i;
        while (i < n && !is_space(line[i]))
            i++;
        if (i - b == 1 && line[b] == '-')
            ; /* no as-set */
        else if (as_set_name(line + b, i - b)) {
            set = line + b;
            set_n = i - b;
        } else
            i = b; /* not a set name: the name starts here */
        while (i < n && is_space(line[i]))
            i++;
        if (i < n) {
            nm = line + i;
            nm_n = n - i;
        }
    }
    ixp_member_info *nv = mrs_grow(m->v, &m->cap, m->n + 1, sizeof *nv, 64);
    if (!nv)
        return -1;
    m->v = nv;
    ixp_member_info *e = &m->v[m->n];
    memset(e, 0, sizeof *e);
    e->asn = asn;
    e->line = lineno;
    if ((set && !(e->as_set = strndup(set, set_n))) || (nm && !(e->name = strndup(nm, nm_n)))) {
        free(e->as_set);
        return -1;
    }
    m->n++;
    return 0;
}

/* Every line of r; the members are sorted by ASN at the end. (The duplicate check
 * is a scan of those read so far: member lists are hundreds to a few thousand.) */
static int load_reader(ixp_members *m, mrs_reader *r, const char *name, mrs_diag *d)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    uint64_t lineno = 0;
    int rc = 0;
    while (rc == 0 && (n = mrs_getline(r, &line, &cap)) >= 0) {
        lineno++;
        if (memchr(line, 0, (size_t)n)) {
            mrs_diag_error_line(d, name, lineno, "NUL byte in the line");
            m->bad++;
            continue;
        }
        rc = member_line(m, line, (size_t)n, name, lineno, d);
    }
    free(line);
    if (rc == 0 && mrs_reader_error(r)) {
        mrs_diag_error_file(d, name, "%s", mrs_reader_errmsg(r));
        rc = -1;
    }
    if (m->n)
        qsort(m->v, m->n, sizeof *m->v, cmp_member);
    return rc;
}

int ixp_members_load(ixp_members *m, const char *path, mrs_diag *d)
{
    char err[512];
    mrs_reader *r = mrs_reader_open_why(path, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(d, path, "%s", err);
        return -1;
    }
    if (mrs_reader_expect_text(r, "a members file", NULL, d) != 0) {
        mrs_reader_close(r);
        return -1;
    }
    int rc = load_reader(m, r, path, d);
    mrs_reader_close(r);
    return rc;
}

int ixp_members_load_mem(ixp_members *m, const void *buf, size_t len, const char *name, mrs_diag *d)
{
    mrs_reader *r = mrs_reader_open_mem(buf, len, name);
    if (!r)
        return -1;
    if (mrs_reader_expect_text(r, "a members file", NULL, d) != 0) {
        mrs_reader_close(r);
        return -1;
    }
    int rc = load_reader(m, r, name, d);
    mrs_reader_close(r);
    return rc;
}

const ixp_member_info *ixp_members_find(const ixp_members *m, uint32_t asn)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].asn == asn)
            return &m->v[mid];
        if (m->v[mid].asn < asn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void ixp_members_clear(ixp_members *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].as_set);
        free(m->v[i].name);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}

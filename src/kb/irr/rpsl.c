/*
 * rpsl.c — streaming RPSL object parser for whole database dumps (see irr.h for
 * the syntax accepted; RFC 2622 §2, RFC 4012).
 *
 * Design for speed (the dumps are hundreds of MB): the input is read in large
 * blocks into one growable buffer. An object is found in two passes over its
 * bytes only: pass A splits lines with memchr and finds the blank line ending the
 * object (recording line spans); pass B turns the recorded lines into attributes
 * in place: keys are lower-cased, comments cut, continuation lines moved back to
 * follow the value (the result is never longer than the input, so compaction in
 * place is safe) and values NUL-terminated. No allocation per object or value;
 * the attrs and line arrays are reused.
 *
 * Assumes: an object fits in RPSL_MAX_OBJECT bytes (larger ones, and lines
 * longer than that, are skipped and reported; memory stays bounded); the read
 * callback returns 0 only at the end of input.
 */
#include "irr_internal.h"
#include "manrs/core/grow.h"

#include <stdlib.h>
#include <string.h>

#define RPSL_BLOCK (1u << 20)   /* buffer size aimed at for large inputs */
#define RPSL_FIRST (64u << 10)   /* first buffer: small inputs stay small */

typedef struct rpsl_line {
    uint32_t off;   /* relative to p->pos (object start) */
    uint32_t len;   /* without '\n' and a '\r' before it */
} rpsl_line;

struct rpsl_parser {
    rpsl_read_fn read;
    void *ctx;
    char *name;
    mrs_diag *diag;          /* the caller's, or own_diag */
    mrs_diag own_diag;

    char *buf;
    size_t cap;      /* allocated bytes; at most cap-1 are used (room for a NUL) */
    size_t len;      /* valid bytes */
    size_t pos;      /* start of the unconsumed data / current object */
    size_t scan;     /* next line to look at (absolute offset) */
    uint64_t line;   /* line number of the line at scan */
    uint64_t total;  /* bytes read so far */
    size_t max_object;
    bool overlong;   /* next_line dropped the start of a line longer than max_object */
    bool eof;

    rpsl_line *lines;
    size_t nlines, linecap;
    rpsl_attr *attrs;
    size_t nattrs, attrcap;

    uint64_t objects, skipped;

    /* Optional: tells at the end of input whether it was damaged (then the
     * object in progress, not ended by a blank line, is dropped). */
    int (*damaged)(void *ctx);

    rpsl_key_filter keep;    /* NULL: every attribute */

    /* Parse ahead on a second thread (rpsl_ahead.c): wanted, and running. */
    bool want_ahead;
    rpsl_ahead *ahead;

    /* Memory-buffer input (rpsl_parser_new_mem). */
    const char *mem;
    size_t mem_len, mem_off;
};

/* Characters allowed in an attribute name (RFC 2622 §2: letters, digits, '-', '_'). */
static const uint8_t key_char[256] = {
    ['-'] = 1, ['_'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2, ['H'] = 2, ['I'] = 2,
    ['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2,
    ['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2, ['Y'] = 2, ['Z'] = 2,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static inline bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static size_t mem_read(void *ctx, void *buf, size_t n)
{
    rpsl_parser *p = ctx;
    size_t left = p->mem_len - p->mem_off;
    if (n > left)
        n = left;
    if (n)
        memcpy(buf, p->mem + p->mem_off, n);
    p->mem_off += n;
    return n;
}

rpsl_parser *rpsl_parser_new(rpsl_read_fn read, void *ctx, const char *name, mrs_diag *diag)
{
    rpsl_parser *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->read = read;
    p->ctx = ctx;
    mrs_diag_init(&p->own_diag, NULL);
    p->diag = diag ? diag : &p->own_diag;
    p->name = strdup(name ? name : "-");
    p->cap = RPSL_FIRST + 1;
    p->buf = malloc(p->cap);
    p->linecap = 256;
    p->lines = malloc(p->linecap * sizeof *p->lines);
    p->attrcap = 64;
    p->attrs = malloc(p->attrcap * sizeof *p->attrs);
    p->line = 1;
    p->max_object = RPSL_MAX_OBJECT;
    if (!p->name || !p->buf || !p->lines || !p->attrs) {
        rpsl_parser_free(p);
        return NULL;
    }
    return p;
}

rpsl_parser *rpsl_parser_new_mem(const void *buf, size_t len, const char *name, mrs_diag *diag)
{
    rpsl_parser *p = rpsl_parser_new(mem_read, NULL, name, diag);
    if (!p)
        return NULL;
    p->ctx = p;
    p->mem = buf;
    p->mem_len = len;
    return p;
}

void rpsl_parser_free(rpsl_parser *p)
{
    if (!p)
        return;
    rpsl_ahead_free(p->ahead);
    free(p->name);
    free(p->buf);
    free(p->lines);
    free(p->attrs);
    free(p);
}

void rpsl_parser_set_damaged_fn(rpsl_parser *p, int (*damaged)(void *ctx))
{
    p->damaged = damaged;
}

void rpsl_parser_set_key_filter(rpsl_parser *p, rpsl_key_filter keep)
{
    p->keep = keep;
}

void rpsl_parser_set_ahead(rpsl_parser *p, bool on)
{
    p->want_ahead = on && !p->mem;
}

void rpsl_parser_set_max_object(rpsl_parser *p, size_t max)
{
    p->max_object = max ? max : RPSL_MAX_OBJECT;
}

uint64_t rpsl_parser_objects(const rpsl_parser *p) { return p->objects; }
uint64_t rpsl_parser_skipped(const rpsl_parser *p) { return p->skipped; }
const char *rpsl_parser_name(const rpsl_parser *p) { return p->name; }

/* Read more input, keeping buf[pos..len). Returns 1 if bytes were added, 0 at end
 * of input, -1 if the buffer cannot grow (out of memory). */
static int refill(rpsl_parser *p)
{
    if (p->eof)
        return 0;
    if (p->pos > 0) {
        memmove(p->buf, p->buf + p->pos, p->len - p->pos);
        p->len -= p->pos;
        p->scan -= p->pos;
        p->pos = 0;
    }
    /* Grow when less than half is free (a large object), or while the input
     * turns out larger than the buffer, up to RPSL_BLOCK (fewer, larger reads). */
    if (p->cap - 1 - p->len < (p->cap - 1) / 2 || (p->cap - 1 < RPSL_BLOCK && p->total >= p->cap - 1)) {
        /* not mrs_grow: 2^k data bytes + 1 for the NUL, grown by the read policy above */
        size_t ncap = (p->cap - 1) * 2 + 1;
        char *nb = realloc(p->buf, ncap);
        if (!nb)
            return -1;
        p->buf = nb;
        p->cap = ncap;
    }
    size_t got = p->read(p->ctx, p->buf + p->len, p->cap - 1 - p->len);
    if (got == 0) {
        p->eof = true;
        return 0;
    }
    p->len += got;
    p->total += got;
    return 1;
}

/* The next line at p->scan: sets *off and *len (absolute offset, length without the
 * line end) and advances scan and the line counter. Returns 1, 0 at end of input,
 * -1 out of memory. */
static int next_line(rpsl_parser *p, size_t *off, size_t *len)
{
    for (;;) {
        size_t avail = p->len - p->scan;
        const char *s = p->buf + p->scan;
        const char *nl = avail ? memchr(s, '\n', avail) : NULL;
        if (nl || (p->eof && avail)) {
            size_t l = nl ? (size_t)(nl - s) : avail;
            *off = p->scan;
            p->scan += nl ? l + 1 : l;
            if (l && s[l - 1] == '\r')
                l--;
            *len = l;
            p->line++;
            return 1;
        }
        if (p->eof) {
            if (p->overlong) {
                /* The input ended inside an over-long line: hand out an empty
                 * line so that the caller reports it. */
                *off = p->scan;
                *len = 0;
                p->line++;
                return 1;
            }
            return 0;
        }
        if (p->len - p->pos > p->max_object) {
            /* No line end within max_object bytes: drop what is buffered (the
             * object is skipped anyway) so that memory stays bounded. */
            p->overlong = true;
            p->pos = p->scan = p->len;
        }
        int r = refill(p);
        if (r < 0)
            return -1;
    }
}

static bool line_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws(s[i]))
            return false;
    return true;
}

static int push_line(rpsl_parser *p, size_t off, size_t len)
{
    rpsl_line *nl = mrs_grow(p->lines, &p->linecap, p->nlines + 1, sizeof *nl, 256);
    if (!nl)
        return -1;
    p->lines = nl;
    p->lines[p->nlines].off = (uint32_t)(off - p->pos);
    p->lines[p->nlines].len = (uint32_t)len;
    p->nlines++;
    return 0;
}

/* Cut a '#' comment and trailing white space: returns the new length. */
static inline size_t cut_comment_trim(const char *s, size_t n)
{
    const char *h = memchr(s, '#', n);
    if (h)
        n = (size_t)(h - s);
    while (n && is_ws(s[n - 1]))
        n--;
    return n;
}

/* Pass B: build attributes from the recorded lines. Returns 0, or 1 if the object
 * is malformed (reported), -1 out of memory. */
static int build_attrs(rpsl_parser *p, uint64_t first_line)
{
    char *base = p->buf + p->pos;
    rpsl_attr *cur = NULL;   /* attribute being built; NULL while one is dropped (keep) */
    char *vend = NULL;   /* end of the current attribute's value */
    bool seen = false;   /* an attribute line was seen */
    p->nattrs = 0;
    for (size_t i = 0; i < p->nlines; i++) {
        char *s = base + p->lines[i].off;
        size_t n = p->lines[i].len;
        char c = s[0];   /* n >= 1: blank lines never get here */
        if (c == '#' || c == '%')
            continue;
        if (c == ' ' || c == '\t' || c == '+') {
            if (!seen) {
                mrs_diag_error_line(p->diag, p->name, first_line + i,
                                    "continuation line before the first attribute; object skipped");
                return 1;
            }
            if (!cur)
                continue; /* of a dropped attribute */
            s++;
            n--;
            while (n && is_ws(*s)) {
                s++;
                n--;
            }
            n = cut_comment_trim(s, n);
            if (n) {
                if (vend != cur->value)
                    *vend++ = ' ';
                memmove(vend, s, n);
                vend += n;
            }
            continue;
        }
        /* An attribute line. Close the previous attribute first. */
        if (cur) {
            cur->value_len = (uint32_t)(vend - cur->value);
            *vend = '\0';
            cur = NULL;
        }
        /* One pass over the key: letters are lower-cased until the colon. Any
         * other byte ends the fast path; the slow one below finds out which
         * message applies (no colon, empty name, bad character). */
        size_t klen = 0;
        for (;;) {
            if (klen == n)
                break;
            uint8_t t = key_char[(unsigned char)s[klen]];
            if (!t)
                break;
            if (t == 2)
                s[klen] = (char)(s[klen] | 0x20);
            klen++;
        }
        if (klen == 0 || klen == n || s[klen] != ':') {
            char *colon = memchr(s, ':', n);
            const char *what = !colon        ? "line is neither 'key: value' nor a continuation; object skipped"
                               : colon == s ? "attribute line with an empty name; object skipped"
                                            : "invalid character in attribute name; object skipped";
            mrs_diag_error_line(p->diag, p->name, first_line + i, "%s", what);
            return 1;
        }
        char *colon = s + klen;
        *colon = '\0';
        seen = true;
        if (p->keep && p->nattrs > 0 && !p->keep(s, klen))
            continue;
        char *v = colon + 1;
        size_t vn = n - klen - 1;
        /* Dumps align values with runs of spaces: skip them 8 at a time. */
        while (vn >= 8 && memcmp(v, "        ", 8) == 0) {
            v += 8;
            vn -= 8;
        }
        while (vn && is_ws(*v)) {
            v++;
            vn--;
        }
        vn = cut_comment_trim(v, vn);
        rpsl_attr *na = mrs_grow(p->attrs, &p->attrcap, p->nattrs + 1, sizeof *na, 64);
        if (!na)
            return -1;
        p->attrs = na;
        cur = &p->attrs[p->nattrs++];
        cur->key = s;
        cur->key_len = (uint32_t)klen;
        cur->value = v;
        cur->line = first_line + i;
        vend = v + vn;
    }
    if (!seen) {
        /* Only comment lines: not an object. */
        return 2;
    }
    if (cur) {
        cur->value_len = (uint32_t)(vend - cur->value);
        *vend = '\0';
    }
    return 0;
}

/* next_line() dropped part of an over-long line: the object is skipped. */
static void take_overlong(rpsl_parser *p, bool *too_big)
{
    p->overlong = false;
    if (!*too_big)
        mrs_diag_error_line(p->diag, p->name, p->line - 1, "line longer than %zu bytes; object skipped",
                            p->max_object);
    *too_big = true;
}

int rpsl_next_object(rpsl_parser *p, rpsl_object *obj)
{
    if (p->want_ahead) {
        /* Started here, not at creation: the damaged callback and max_object
         * are set after rpsl_parser_new. Without a thread: parse here. */
        p->want_ahead = false;
        p->ahead = rpsl_ahead_start(p->read, p->ctx, p->name, p->max_object, p->damaged, p->keep);
    }
    if (p->ahead) {
        int r = rpsl_ahead_next(p->ahead, obj, p->diag, &p->skipped);
        if (r > 0)
            p->objects++;
        return r;
    }
    for (;;) {
        size_t off, len;
        int r;
        /* Skip blank and comment lines between objects. */
        for (;;) {
            p->pos = p->scan;
            r = next_line(p, &off, &len);
            if (r <= 0)
                return r;
            const char *s = p->buf + off;
            if (p->overlong)
                break;   /* an object starting with an over-long line */
            if (len == 0 || s[0] == '%' || s[0] == '#')
                continue;
            if (is_ws(s[0]) && line_blank(s, len))
                continue;
            break;
        }
        /* Pass A: the object runs to the next blank line or the end of input. */
        uint64_t first_line = p->line - 1;
        p->pos = off;
        p->nlines = 0;
        bool too_big = false, at_end = false;
        for (;;) {
            if (p->overlong)
                take_overlong(p, &too_big);
            if (!too_big) {
                if (push_line(p, off, len) < 0)
                    return -1;
            }
            if (p->scan - p->pos > p->max_object && !too_big) {
                too_big = true;
                mrs_diag_error_line(p->diag, p->name, first_line, "object larger than %zu bytes; skipped",
                                    p->max_object);
            }
            if (too_big)
                p->pos = p->scan;   /* discard what was read */
            r = next_line(p, &off, &len);
            if (r < 0)
                return -1;
            if (p->overlong)
                take_overlong(p, &too_big);
            if (r == 0) {
                at_end = true;
                break;
            }
            const char *s = p->buf + off;
            if (len == 0 || (is_ws(s[0]) && line_blank(s, len)))
                break;
        }
        if (!too_big && at_end && p->damaged && p->damaged(p->ctx)) {
            /* The input broke inside this object: what was read of it may be a
             * truncated value (origin AS6 for AS64500), so it is not used. */
            mrs_diag_error_line(p->diag, p->name, first_line, "object cut short by damaged input; skipped");
            too_big = true;
        }
        if (too_big) {
            p->skipped++;
            continue;
        }
        r = build_attrs(p, first_line);
        if (r < 0)
            return -1;
        if (r == 1) {
            p->skipped++;
            continue;
        }
        if (r == 2)
            continue;
        p->objects++;
        obj->attrs = p->attrs;
        obj->n_attrs = p->nattrs;
        obj->line = first_line;
        return 1;
    }
}

const rpsl_attr *rpsl_object_get(const rpsl_object *o, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < o->n_attrs; i++)
        if (o->attrs[i].key_len == kl && memcmp(o->attrs[i].key, key, kl) == 0)
            return &o->attrs[i];
    return NULL;
}

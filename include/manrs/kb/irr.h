/*
 * irr.h — the IRR knowledge base: RPSL dumps (RFC 2622, RFC 4012) loaded into
 * memory, as-set / route-set expansion and the IRR route-origin check.
 *
 * Three layers, usable separately:
 *   1. rpsl_parser: a streaming parser over whole database dumps as published by
 *      the RIRs and RADB (split or combined). It yields one object at a time;
 *      attribute keys and values point into the parser's own buffer (no per-value
 *      allocation), valid until the next call.
 *   2. irr_db: the objects that matter for routing security (route, route6,
 *      aut-num, as-set, route-set and the contact classes) from several dumps /
 *      sources, with a priority order of sources. Malformed objects are reported
 *      as `FILE:LINE: what` through mrs_diag, skipped and counted.
 *   3. Queries on a finalized irr_db: set expansion (expand.c) and the
 *      route-origin check (check.c).
 *
 * Assumptions: one thread uses an irr_db while it is being loaded; after
 * irr_db_finalize() the queries only read it (concurrent queries are safe as long
 * as the mrs_diag given to irr_db_new is not shared unsafely — expansion
 * warnings are printed through it). The one exception is internal: the first
 * prefix query (route-origin check, routes by prefix) builds the prefix index of
 * the route objects, under a lock, so users that never ask (set expansion) never
 * pay for it.
 */
#ifndef MANRS_IRR_H
#define MANRS_IRR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/core/io.h"
#include "manrs/core/prefix.h"

/* ------------------------------------------------------------------------- */
/* 1. Streaming RPSL parser                                                   */
/* ------------------------------------------------------------------------- */

/* Syntax accepted (RFC 2622 §2, and what RIR dumps contain):
 *  - objects are separated by one or more blank lines (a line of only spaces,
 *    tabs or '\r' counts as blank);
 *  - an attribute line is `key: value`; keys are case-insensitive and returned
 *    in lower case; a key is letters, digits, '-' and '_' (nothing else, no space
 *    before the ':');
 *  - a line starting with space, tab or '+' continues the previous attribute;
 *    continuation values are joined to the value with a single space;
 *  - '#' starts a comment up to the end of the line (also inside values);
 *  - lines starting with '%' or '#' are comments, between objects (RIPE dumps
 *    start with a '%' header) and inside objects (ignored there);
 *  - "\r\n" line ends are accepted; values are trimmed of white space.
 * An object with a line that is neither an attribute nor a continuation (no
 * ':', bad key, continuation before the first attribute) or larger than
 * RPSL_MAX_OBJECT bytes is reported (FILE:LINE: what), counted and skipped. */

#define RPSL_MAX_OBJECT (64u << 20)

typedef struct rpsl_attr {
    const char *key;    /* lower case, NUL-terminated */
    const char *value;  /* trimmed, comments removed, continuations joined; NUL-terminated */
    uint32_t key_len;
    uint32_t value_len;
    uint64_t line;      /* line of the attribute's first line */
} rpsl_attr;

typedef struct rpsl_object {
    const rpsl_attr *attrs;   /* attrs[0] names the class (e.g. "route") */
    size_t n_attrs;
    uint64_t line;            /* line number of the object's first line */
} rpsl_object;

/* Pull input: read up to n bytes into buf; return 0 at end of input. */
typedef size_t (*rpsl_read_fn)(void *ctx, void *buf, size_t n);

typedef struct rpsl_parser rpsl_parser;

/* name is used in messages (copied). diag may be NULL (count only). */
rpsl_parser *rpsl_parser_new(rpsl_read_fn read, void *ctx, const char *name, mrs_diag *diag);
/* Parse from an mrs_reader (gzip/bz2/xz/zstd transparent). The reader stays the
 * caller's; it must outlive the parser. */
rpsl_parser *rpsl_parser_new_reader(mrs_reader *r, mrs_diag *diag);
/* Parse a memory buffer (copied in chunks; buf must outlive the parser). */
rpsl_parser *rpsl_parser_new_mem(const void *buf, size_t len, const char *name, mrs_diag *diag);
/* Optional: a function of the read ctx telling, at the end of input, whether the
 * input was damaged (cut short); then an object not ended by a blank line is
 * dropped and reported instead of yielded. rpsl_parser_new_reader sets it. */
void rpsl_parser_set_damaged_fn(rpsl_parser *p, int (*damaged)(void *ctx));
/* Change the object size limit (0 = RPSL_MAX_OBJECT); for tests. */
void rpsl_parser_set_max_object(rpsl_parser *p, size_t max);
/* Optional: yield only the attributes whose (lower-case) key keep() accepts; the
 * first attribute (the class) is always yielded. Dropped attributes are still
 * checked (same messages, same skips); they just cost less and are not handed
 * out. Set before the first rpsl_next_object call. irr_db_load_parser sets the
 * keys the database reads. */
typedef bool (*rpsl_key_filter)(const char *key, size_t len);
void rpsl_parser_set_key_filter(rpsl_parser *p, rpsl_key_filter keep);
/* Next object: 1 = *obj filled (valid until the next call), 0 = end of input,
 * -1 = out of memory. Malformed objects are reported and skipped internally. */
int rpsl_next_object(rpsl_parser *p, rpsl_object *obj);
/* Objects yielded / skipped as malformed so far. */
uint64_t rpsl_parser_objects(const rpsl_parser *p);
uint64_t rpsl_parser_skipped(const rpsl_parser *p);
const char *rpsl_parser_name(const rpsl_parser *p);
void rpsl_parser_free(rpsl_parser *p);

/* First attribute with this (lower-case) key, or NULL. */
const rpsl_attr *rpsl_object_get(const rpsl_object *o, const char *key);

/* ------------------------------------------------------------------------- */
/* 2. The database                                                            */
/* ------------------------------------------------------------------------- */

typedef enum irr_class {
    IRR_CLASS_ROUTE = 0,
    IRR_CLASS_ROUTE6,
    IRR_CLASS_AUT_NUM,
    IRR_CLASS_AS_SET,
    IRR_CLASS_ROUTE_SET,
    IRR_CLASS_MNTNER,
    IRR_CLASS_ROLE,
    IRR_CLASS_PERSON,
    IRR_CLASS_IRT,
    IRR_CLASS_ORGANISATION,
    IRR_CLASS_COUNT
} irr_class;

const char *irr_class_name(irr_class c);   /* "route", "as-set", ... */

typedef struct irr_stats {
    uint64_t objects;                  /* objects read (all classes, well-formed RPSL) */
    uint64_t loaded[IRR_CLASS_COUNT];  /* kept, per class */
    uint64_t other;                    /* objects of classes not kept (inetnum, ...) */
    uint64_t malformed;                /* skipped: bad RPSL syntax or bad key attributes */
    uint64_t duplicates;               /* same key twice in one source: first kept */
    uint64_t bad_members;              /* unparsable members list items (skipped, object kept) */
    uint64_t members;                  /* members: + mp-members: items kept (as-set + route-set) */
} irr_stats;

#define IRR_MAX_SOURCES 256

typedef struct irr_db irr_db;

/* diag receives load errors and expansion warnings; may be NULL. */
irr_db *irr_db_new(mrs_diag *diag);
void irr_db_free(irr_db *db);

/* Priority order of sources, highest first, e.g. "RIPE,ARIN,RADB" (comma or space
 * separated, case-insensitive). Sources not named rank after these, in the order
 * they were first seen. May be called before or after loading. Returns 0, or -1
 * on a bad list (empty names, too many sources). */
int irr_db_set_source_order(irr_db *db, const char *list);

/* Load one dump. Objects are attributed to their own `source:` attribute; an
 * object without one is malformed. Returns 0 when the input was read to its end
 * (malformed objects do not make it fail), -1 if the file could not be opened or
 * read (reported through diag) or memory ran out. */
int irr_db_load_file(irr_db *db, const char *path);
int irr_db_load_reader(irr_db *db, mrs_reader *r);
int irr_db_load_mem(irr_db *db, const void *buf, size_t len, const char *name);
int irr_db_load_fn(irr_db *db, rpsl_read_fn read, void *ctx, const char *name);

/* Build the indexes. Must be called after the last load and before any query
 * (queries on a db that is not finalized fail with -1). Loading more data
 * afterwards is allowed; finalize again. Returns 0 or -1 (out of memory). */
int irr_db_finalize(irr_db *db);

const irr_stats *irr_db_stats(const irr_db *db);
mrs_diag *irr_db_diag(const irr_db *db);
size_t irr_db_source_count(const irr_db *db);
const char *irr_db_source_name(const irr_db *db, unsigned id);   /* upper case */

/* A selection of sources with their priority. */
typedef struct irr_sel {
    bool all;                          /* every source, in the db's priority order */
    int16_t rank[IRR_MAX_SOURCES];     /* per source id: -1 = excluded, else 0 = best */
} irr_sel;

/* list = NULL or "" selects all sources (db priority order); else only the named
 * sources, in the given order. Unknown names are an error (-1) so that typos do
 * not silently select nothing. */
int irr_db_select(const irr_db *db, const char *list, irr_sel *sel);

/* The kept fields of an aut-num object. Strings are NUL-terminated, owned by db;
 * list attributes (admin-c, ...) hold all values joined by ", ". */
typedef struct irr_aut_num {
    uint32_t asn;
    const char *as_name;
    const char *admin_c, *tech_c, *abuse_c, *mnt_by, *member_of;
    const char *source;
    uint32_t n_import;   /* import: + mp-import: attributes */
    uint32_t n_export;   /* export: + mp-export: attributes */
    uint32_t modified;   /* last change, days since 1970-01-01 (irr_modified_days); 0 = unknown */
    const char *file;
    uint64_t line;
} irr_aut_num;

/* Best-ranked aut-num for asn in the selection (NULL = all), or NULL. */
const irr_aut_num *irr_db_aut_num(const irr_db *db, uint32_t asn, const irr_sel *sel);

/* All kept aut-nums (every source), sorted by ASN; valid after finalize. */
size_t irr_db_aut_num_count(const irr_db *db);
const irr_aut_num *irr_db_aut_num_at(const irr_db *db, size_t i);

/* mntner, role, person, irt, organisation: their primary key and contact fields. */
typedef struct irr_contact {
    irr_class cls;
    const char *key;            /* mntner name, nic-hdl, irt name, organisation id (upper case) */
    const char *name;           /* person:/role:/org-name:/irt:/mntner: value */
    const char *e_mail;         /* all e-mail: values joined by ", " or "" */
    const char *abuse_mailbox;  /* all abuse-mailbox: values or "" */
    const char *source;
    uint32_t modified;          /* last change, days since 1970-01-01; 0 = unknown */
    const char *file;
    uint64_t line;
} irr_contact;

/* When an object last changed: the newest date of its last-modified: (RIPE,
 * ISO 8601 "2023-05-10T12:34:56Z") and changed: (RFC 2622 section 3.1,
 * "email YYYYMMDD") attributes, as days since 1970-01-01; 0 when none parses.
 * irr_db_newest_modified: the newest such date of any route, route6, set, aut-num
 * or contact object loaded - the dump's own "now"; irr_db_file_newest the same for
 * the i-th file loaded (0 when none of its objects is dated), in load order. */
uint32_t irr_modified_days(const char *value, size_t len);
uint32_t irr_db_newest_modified(const irr_db *db);
size_t irr_db_file_count(const irr_db *db);
const char *irr_db_file_name(const irr_db *db, size_t i);
uint32_t irr_db_file_newest(const irr_db *db, size_t i);
/* Format days since 1970-01-01 as YYYY-MM-DD (out: 11 bytes). */
void irr_days_format(uint32_t days, char out[11]);

/* Best-ranked object of class cls with that key (case-insensitive), or NULL. */
const irr_contact *irr_db_contact(const irr_db *db, irr_class cls, const char *key, const irr_sel *sel);

/* ------------------------------------------------------------------------- */
/* 3a. Set expansion                                                          */
/* ------------------------------------------------------------------------- */

#define IRR_DEFAULT_MAX_DEPTH 32

typedef struct irr_expand_opts {
    const irr_sel *sel;      /* NULL = all sources in priority order */
    unsigned max_depth;      /* nesting levels below the named set; 0 = IRR_DEFAULT_MAX_DEPTH */
} irr_expand_opts;

typedef struct irr_expand_stats {
    bool found;              /* the named set itself exists in the selection */
    unsigned sets;           /* distinct set objects expanded */
    unsigned missing;        /* references to sets that do not exist (counted, not printed) */
    unsigned cycles;         /* references back into the current path (each reported) */
    unsigned depth_cut;      /* references not followed because of max_depth */
} irr_expand_stats;

typedef struct irr_asn_list {
    uint32_t *asns;          /* sorted, unique */
    size_t n, cap;
    irr_expand_stats st;
} irr_asn_list;

/* Expand an as-set (name case-insensitive; hierarchical names like
 * AS64500:AS-CUSTOMERS are plain names here). A name that is an AS number
 * ("AS64500") expands to itself. Includes aut-nums that join the set by
 * member-of: when the set has mbrs-by-ref: (RFC 2622 §5.1). Cycles and depth
 * cuts are reported as warnings (with the path of set names) and counted.
 * Returns 0 (also when the set does not exist: st.found = false), -1 on error. */
int irr_expand_as_set(const irr_db *db, const char *name, const irr_expand_opts *o, irr_asn_list *out);
void irr_asn_list_clear(irr_asn_list *l);

/* A prefix range: all more-specifics of prefix with length min_len..max_len
 * (prefix->len <= min_len <= max_len <= 32/128). */
typedef struct irr_prefix_range {
    mrs_prefix prefix;
    uint8_t min_len, max_len;
} irr_prefix_range;

typedef struct irr_range_list {
    irr_prefix_range *v;     /* sorted (family, address, length, min, max), unique */
    size_t n, cap;
    irr_expand_stats st;
} irr_range_list;

/* Expand a route-set (RFC 2622 §5.2, RFC 4012 mp-members) to prefix ranges.
 * Members: prefixes with optional range operator (^-, ^+, ^n, ^n-m), route-set
 * names (with optional operator), AS numbers and as-set names (with optional
 * operator) meaning the prefixes of the route/route6 objects originated by those
 * ASes, plus route objects joining by member-of:/mbrs-by-ref:. A range operator
 * applied to a range that already has one distributes over its members (see
 * irr_range_apply). Returns 0 (also when not found), -1 on error. */
int irr_expand_route_set(const irr_db *db, const char *name, const irr_expand_opts *o, irr_range_list *out);
void irr_range_list_clear(irr_range_list *l);

/* Range operators (RFC 2622 §2). */
typedef enum irr_range_op_kind {
    IRR_OP_NONE = 0,   /* exact */
    IRR_OP_MINUS,      /* ^-   exclusive more specifics */
    IRR_OP_PLUS,       /* ^+   inclusive more specifics */
    IRR_OP_N,          /* ^n   more specifics of length n */
    IRR_OP_NM          /* ^n-m more specifics of length n..m */
} irr_range_op_kind;

typedef struct irr_range_op {
    uint8_t kind;      /* irr_range_op_kind */
    uint8_t n, m;
} irr_range_op;

/* Parse "^-", "^+", "^n", "^n-m" (n <= m <= 128). Returns true on success. */
bool irr_range_op_parse(const char *s, size_t len, irr_range_op *op);
/* Apply op to the range r in place. The rule (RFC 2622 §2: operators on a set
 * "distribute over the members"): r stands for all prefixes of lengths
 * r->min_len..r->max_len under r->prefix; op is applied to each of them and the
 * union taken:  ^- -> min+1..max_bits;  ^+ -> min..max_bits;  ^n -> n..n if
 * n >= min;  ^n-m -> max(n,min)..m if that is not empty. Returns false if the
 * result is empty (the member contributes nothing). */
bool irr_range_apply(irr_prefix_range *r, irr_range_op op);
/* "192.0.2.0/24^25-26" style (no operator when min=max=len); out >= 64 bytes. */
int irr_prefix_range_format(const irr_prefix_range *r, char *out);

/* ------------------------------------------------------------------------- */
/* 3b. Route-origin check                                                     */
/* ------------------------------------------------------------------------- */

typedef enum irr_origin_state {
    IRR_NOT_FOUND = 0,     /* no route object for the prefix or any covering prefix */
    IRR_VALID,             /* a route object for exactly this prefix with this origin */
    IRR_VALID_COVERED,     /* no exact one, but a less-specific route object with this origin */
    IRR_INVALID_ORIGIN     /* route objects exist for the prefix / covering prefixes, none with this origin */
} irr_origin_state;

const char *irr_origin_state_name(irr_origin_state s);  /* "valid", "valid-covered", ... */

typedef struct irr_route_ref {
    mrs_prefix prefix;
    uint32_t origin;
    const char *source;
    const char *mnt_by;      /* all mnt-by values joined by ", " */
    const char *file;
    uint64_t line;
} irr_route_ref;

typedef struct irr_origin_result {
    irr_origin_state state;
    /* Evidence: VALID: the exact objects with this origin; VALID_COVERED: the
     * covering objects with this origin; INVALID_ORIGIN: all objects for the exact
     * and covering prefixes. Most specific first, then by origin and source rank. */
    irr_route_ref *evidence;
    size_t n, cap;
} irr_origin_result;

/* Check (prefix, origin) against route (IPv4) / route6 (IPv6) objects of the
 * selected sources (sel NULL = all). res must be zeroed before the first use and
 * can be reused. Returns 0, or -1 (db not finalized / out of memory). */
int irr_check_origin(const irr_db *db, const mrs_prefix *prefix, uint32_t origin, const irr_sel *sel,
                     irr_origin_result *res);
void irr_origin_result_clear(irr_origin_result *res);

/* ------------------------------------------------------------------------- */
/* 3c. Route objects of one origin                                            */
/* ------------------------------------------------------------------------- */

typedef struct irr_route_list {
    irr_route_ref *v;
    size_t n, cap;
} irr_route_list;

/* Append every route (IPv4) and route6 (IPv6) object with this origin in the
 * selected sources (sel NULL = all) to out, with provenance; an object registered
 * in several sources is listed once per source. Order: by the db's internal
 * (family, length, address, source) order. out must be zeroed before the first
 * use. Returns 0, or -1 (db not finalized / out of memory). */
int irr_routes_by_origin(const irr_db *db, uint32_t origin, const irr_sel *sel, irr_route_list *out);
void irr_route_list_clear(irr_route_list *l);

#endif

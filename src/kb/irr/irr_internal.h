/*
 * irr_internal.h — the in-memory layout of an irr_db, shared by irrdb.c (loading,
 * indexes), expand.c (set expansion) and check.c (route-origin check). Not a
 * public header: nothing outside src/irr includes it.
 *
 * Layout: every string lives in a chunked arena (pointers stay valid); names that
 * are compared (set names, maintainers, sources, contact keys) are interned upper
 * case and referred to by a 32-bit id. Route objects are sorted in place by
 * irr_db_finalize() into (family, length, address, origin, source) order, so that
 * the objects of one prefix form one contiguous run; the prefix index is the core
 * prefix trie (core/trie.h), mapping each prefix to the first route of its run
 * (the run ends at the next route with another prefix: irr_route_run_end).
 */
#ifndef MANRS_IRR_INTERNAL_H
#define MANRS_IRR_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "manrs/core/arena.h"
#include "manrs/core/map64.h"
#include "manrs/core/trie.h"
#include "manrs/kb/irr.h"

#define IRR_NONE UINT32_MAX

typedef struct irr_name {
    const char *s;      /* upper case, NUL-terminated */
    uint32_t len;
    uint32_t set_head;  /* first set object with this name, or IRR_NONE */
} irr_name;

/* 56 bytes. Load order is (file, line): files get increasing ids as they are
 * loaded, one after the other, and the objects of one file arrive in line order
 * (each starts on its own line), so no sequence number is kept. */
typedef struct irr_route {
    mrs_prefix pfx;
    uint32_t origin;
    uint16_t source;
    uint16_t file;
    uint32_t mnt_off;    /* maintainer name ids in db->ids */
    uint32_t memberof_off;
    uint16_t mnt_n, memberof_n;
    uint64_t line;
    const char *mnt_by;  /* display, shared by the routes that spell it alike */
} irr_route;

/* A shared display string (the routes' mnt-by). */
typedef struct irr_disp {
    const char *s;
    size_t len;
} irr_disp;

enum { MEM_ASN = 1, MEM_AS_SET, MEM_ROUTE_SET, MEM_PREFIX };

typedef struct irr_member {
    uint8_t kind;
    irr_range_op op;
    uint32_t val;        /* ASN, name id, or index in db->mpfx */
} irr_member;

typedef struct irr_set {
    uint32_t name;       /* name id */
    uint8_t cls;         /* IRR_CLASS_AS_SET or IRR_CLASS_ROUTE_SET */
    bool mbrs_any;       /* mbrs-by-ref: ANY */
    uint16_t source;
    uint16_t file;
    uint32_t mem_off, mem_n;     /* in db->members */
    uint32_t mbr_off, mbr_n;     /* mbrs-by-ref maintainer ids in db->ids */
    uint32_t next_same;          /* next set with the same name */
    uint64_t line;
} irr_set;

typedef struct irr_autnum_int {
    irr_aut_num pub;
    uint16_t source;
    uint16_t file;
    uint32_t seq;
    uint32_t mnt_off, memberof_off;
    uint16_t mnt_n, memberof_n;
} irr_autnum_int;

typedef struct irr_contact_int {
    irr_contact pub;
    uint32_t key;        /* name id */
    uint16_t source;
    uint32_t seq;
} irr_contact_int;

#define IRR_VEC(T) struct { T *v; size_t n, cap; }

struct irr_db {
    mrs_diag *diag;            /* the caller's, or own_diag */
    mrs_diag own_diag;
    irr_stats stats;

    mrs_arena arena;            /* every string (core/arena.h) */

    /* Interned names: irr_name_hash (salted on collisions) -> name id. */
    IRR_VEC(irr_name) names;
    uint32_t newest_modified;  /* irr_db_newest_modified */
    mrs_map64 name_map;
    /* Shared route mnt-by display strings: irr_name_hash (salted) -> index. */
    IRR_VEC(irr_disp) disps;
    mrs_map64 disp_map;

    /* Sources: ids into source_name (name ids), priority. */
    uint32_t source_name[IRR_MAX_SOURCES];
    unsigned n_sources;
    uint32_t order[IRR_MAX_SOURCES];   /* name ids of irr_db_set_source_order() */
    unsigned n_order;
    int16_t rank[IRR_MAX_SOURCES];     /* per source id, valid after finalize */

    IRR_VEC(char *) files;
    IRR_VEC(uint32_t) file_newest;     /* per file: newest object date (irr_db_file_newest) */
    IRR_VEC(uint32_t) ids;             /* pool of name-id lists */
    IRR_VEC(irr_route) routes;
    IRR_VEC(irr_set) sets;
    IRR_VEC(irr_member) members;
    IRR_VEC(mrs_prefix) mpfx;
    IRR_VEC(irr_autnum_int) autnums;
    IRR_VEC(irr_contact_int) contacts;
    uint32_t seq;

    /* Indexes (valid when finalized). */
    bool finalized;
    /* prefix -> index of its first route; built by the first prefix query after
     * finalize (irr_route_trie), which many users never make (set expansion). */
    _Atomic(mrs_trie *) route_trie;
    pthread_mutex_t route_trie_lock;
    uint64_t *by_origin;               /* (origin << 32 | route index), sorted */
    size_t n_by_origin;
    uint64_t *route_memberof;          /* (set name id << 32 | route index), sorted */
    size_t n_route_memberof;
    uint64_t *autnum_memberof;         /* (set name id << 32 | autnum index), sorted */
    size_t n_autnum_memberof;
};

/* The prefix index of a finalized db, built on first use (thread-safe: concurrent
 * queries may race to it, one builds). NULL when out of memory. */
const mrs_trie *irr_route_trie(const irr_db *db);

/* End of the run of routes that share the prefix of routes.v[start] (a trie value). */
static inline size_t irr_route_run_end(const irr_db *db, size_t start)
{
    size_t i = start + 1;
    while (i < db->routes.n && mrs_prefix_equal(&db->routes.v[i].pfx, &db->routes.v[start].pfx))
        i++;
    return i;
}

/* Load all objects of a parser (irrdb.c; used by load_io.c). */
int irr_db_load_parser(irr_db *db, rpsl_parser *p);

/* Interning and lookup (irrdb.c). */
uint32_t irr_name_find(const irr_db *db, const char *s, size_t n);   /* IRR_NONE if absent */
/* 64-bit hash of a name as upper-cased (never MRS_MAP64_FREE), and the two
 * operations with the hash given, so that a test can make names collide: intern
 * returns the id, or IRR_NONE when out of memory. h must be the same for every
 * call about one name. */
uint64_t irr_name_hash(const char *s, size_t n);
uint32_t irr_name_find_hashed(const irr_db *db, const char *s, size_t n, uint64_t h);
uint32_t irr_name_intern_hashed(irr_db *db, const char *s, size_t n, uint64_t h);
int irr_sel_rank(const irr_db *db, const irr_sel *sel, unsigned source);  /* -1 = excluded */
/* Best set of class cls named name_id in the selection, or IRR_NONE. */
uint32_t irr_set_resolve(const irr_db *db, uint32_t name_id, irr_class cls, const irr_sel *sel);
/* First index in a sorted (key << 32 | value) array with that key. */
size_t irr_pairs_lower(const uint64_t *a, size_t n, uint32_t key);
/* Do the maintainer-id lists share an element? */
bool irr_ids_intersect(const irr_db *db, uint32_t off_a, uint32_t n_a, uint32_t off_b, uint32_t n_b);
/* Classify a set name (RFC 2622 §5): IRR_CLASS_AS_SET, IRR_CLASS_ROUTE_SET, or -1. */
int irr_set_name_class(const char *s, size_t n);

/* Parse ahead (rpsl_ahead.c): an RPSL parser on a second thread. A parser set
 * to it (rpsl_parser_set_ahead; rpsl_parser_new_reader does, unless
 * MANRS_IO_THREADS=0) starts the thread at its first rpsl_next_object call. */
typedef struct rpsl_ahead rpsl_ahead;
rpsl_ahead *rpsl_ahead_start(rpsl_read_fn read, void *ctx, const char *name, size_t max_object,
                             int (*damaged)(void *ctx), rpsl_key_filter keep);
int rpsl_ahead_next(rpsl_ahead *a, rpsl_object *obj, mrs_diag *out, uint64_t *skipped);
void rpsl_ahead_free(rpsl_ahead *a);
void rpsl_parser_set_ahead(rpsl_parser *p, bool on);

/* The attribute keys irr_db's loaders read (the parser's key filter). */
bool irr_db_key_used(const char *key, size_t len);

#endif

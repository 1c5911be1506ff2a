/*
 * kbs.h — the knowledge bases a command works with, loaded the one way: VRPs and
 * ASPAs (RPKI), IRR dumps (with a source selection), AS relationships, RIR
 * delegated statistics, bogon lists on top of the built-in IANA registries,
 * routing beacon lists on top of the built-in RIS beacons.
 * Every command that takes knowledge files (validate, observe, check, antispoof,
 * filter) loads them through here; what a command says about a file that cannot
 * be used is its own business (the load returns -1, the parser reported the
 * details through the diag).
 *
 * Members are NULL until a file of that kind is loaded (or mrs_kbs_require asks
 * for an empty one); after mrs_kbs_finish they are built and read-only.
 */
#ifndef MANRS_KB_KBS_H
#define MANRS_KB_KBS_H

#include <stdbool.h>
#include <stdint.h>

#include "manrs/core/diag.h"
#include "manrs/kb/as2org.h"
#include "manrs/kb/asrel.h"
#include "manrs/kb/beacon.h"
#include "manrs/kb/bogon.h"
#include "manrs/kb/delegated.h"
#include "manrs/kb/irr.h"
#include "manrs/kb/rpki.h"

typedef enum mrs_kb_kind {
    MRS_KB_VRPS,                /* VRP/ASPA file (rpki.h formats) */
    MRS_KB_IRR,                 /* RPSL dump */
    MRS_KB_ASREL,               /* CAIDA as-rel / ppdc-ases */
    MRS_KB_DELEGATED,           /* RIR delegated-extended */
    MRS_KB_BOGONS,              /* prefix-per-line bogon list (fullbogons) */
    MRS_KB_DROP,                /* Spamhaus DROP/EDROP */
    MRS_KB_AS2ORG,              /* CAIDA AS-to-Organization (siblings) */
    MRS_KB_BEACONS,             /* routing beacons (beacon.h), on top of the built-in RIS list */
    MRS_KB_RTR,                 /* VRPs and ASPAs fetched from an RTR cache: "path" is HOST:PORT (rtr.h) */
} mrs_kb_kind;

typedef struct mrs_kbs {
    mrs_rpki *rpki;
    irr_db *irr;
    irr_sel irr_sel_buf;
    const irr_sel *irr_sel;     /* NULL: all sources, in priority order */
    mrs_asrel *asrel;
    mrs_deleg_db *deleg;
    mrs_bogon_set *bogons;      /* built-in registries + loaded lists */
    mrs_as2org *orgs;           /* organisations: siblings are one network */
    mrs_beacon_set *beacons;    /* built-in RIS beacons + loaded lists; NULL: built-ins only */
    bool have_vrps;             /* a VRP file was loaded */
} mrs_kbs;

/* Ask for knowledge bases that exist even without a file (an empty VRP set: every
 * route RPKI not-found; the built-in bogon registries). */
enum { MRS_KBS_RPKI = 1, MRS_KBS_BOGONS = 2 };

void mrs_kbs_init(mrs_kbs *k);
/* Returns 0, -1 when out of memory. */
int mrs_kbs_require(mrs_kbs *k, unsigned what);
/* Load one file (bad entries reported through kd, skipped; *skipped, if not NULL,
 * counts skipped VRP entries). Returns 0; 1 if the file was read but held no usable
 * record (reported through kd as the error "FILE: no records"); -1 if the file
 * could not be used at all or memory ran out. */
int mrs_kbs_load(mrs_kbs *k, mrs_kb_kind kind, const char *path, mrs_diag *kd, uint64_t *skipped);

typedef enum mrs_kbs_error {
    MRS_KBS_OK = 0,
    MRS_KBS_VRP_INDEX,          /* the VRP index could not be built */
    MRS_KBS_IRR_FINALIZE,       /* the IRR database could not be finalized */
    MRS_KBS_UNKNOWN_SOURCE,     /* irr_sources names a source no dump has */
} mrs_kbs_error;

/* Build the indexes once everything is loaded; irr_sources (or NULL) restricts and
 * orders the IRR sources. */
mrs_kbs_error mrs_kbs_finish(mrs_kbs *k, const char *irr_sources);
void mrs_kbs_clear(mrs_kbs *k);

#endif

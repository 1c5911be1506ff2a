/*
 * sim.h — the simulated Internet with ground truth (`manrs sim`).
 *
 * One call builds a seeded world (AS topology with CAIDA-style relationships,
 * RIR delegations, prefixes, MANRS postures, RPKI, IRR, PeeringDB, Spoofer-style
 * results), routes every prefix with Gao–Rexford policies (customer > peer >
 * provider, valley-free export, shortest AS path, lowest neighbour ASN), injects
 * incidents through the same routing, and writes everything in the real public
 * formats plus truth.json (see docs/sim.md for the model and every file).
 *
 * Assumptions: everything derives from params->seed through one generator held in
 * the world context, so the same parameters give byte-identical files. No global
 * mutable state.
 */
#ifndef MANRS_SIM_H
#define MANRS_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct mrs_sim_params {
    unsigned ases;                  /* networks (default 2000) */
    uint64_t seed;                  /* default 1 */
    unsigned collectors;            /* route collectors (default 4) */
    unsigned peers_per_collector;   /* collector peers per collector (default 8) */
    double hours;                   /* window length (default 1) */
    uint32_t start;                 /* window start, Unix seconds (default 1764547200 = 2025-12-01) */
    double manrs_share;             /* share of MANRS participants (default 0.3) */
    double rov_share;               /* share of participants enforcing ROV (default 0.5) */
    double prefix_scale;            /* multiplies announced prefixes per network (default 1) */
    unsigned incidents;             /* incidents per class (default 3; route leaks: per RFC 7908 type) */
    double churn;                   /* background prefix flaps per 1000 prefixes per hour (default 2) */
    bool confounders;               /* legitimate look-alikes of incidents (default true; docs/sim.md) */
    bool asrel_errors;              /* as-rel relationships misinferred, hybrid links written as peering
                                       (default false until the observatory copes: docs/sim.md) */
} mrs_sim_params;

void mrs_sim_params_default(mrs_sim_params *p);
/* Returns true if the parameters are usable; otherwise writes why into err. */
bool mrs_sim_params_check(const mrs_sim_params *p, char *err, size_t errlen);

typedef struct mrs_sim_summary {
    unsigned networks, tier1, transit, content, stub, manrs, rov;
    unsigned links_p2c, links_p2p, links_s2s;   /* s2s: sibling links (as-rel writes them as p2c or p2p) */
    unsigned prefixes_v4, prefixes_v6;
    unsigned roas, aspas, irr_routes, prefixes_invalid;  /* prefixes_invalid: RPKI-invalid by ROA mistakes */
    double roa_coverage, irr_coverage;     /* over all announced prefixes */
    unsigned collector_peers;
    unsigned incidents, incidents_by_class[7], incidents_visible;
    uint64_t rib_records, rib_entries, update_records, announcements, withdrawals, state_changes;
    uint64_t route_runs;                   /* policy-routing computations (one per origin + incidents) */
    double seconds;                        /* wall time of mrs_sim_write */
    double largest_cone_share;             /* largest customer cone / networks */
    uint32_t largest_cone_asn;             /* its apex */
    unsigned confounders, confounders_by_kind[16];
} mrs_sim_summary;

/* Incident classes, in truth.json spelling (index = mrs_sim_summary.incidents_by_class). */
const char *mrs_sim_class_name(unsigned cls);
#define MRS_SIM_CLASSES 7

/* The files of a world directory: what mrs_sim_write writes, and what `--world DIR`
 * reads (observe, check, antispoof), defined once here. */
typedef enum mrs_world_file {
    MRS_WORLD_RIB = 0,          /* rib.mrt.gz       MRT TABLE_DUMP_V2 at the window start */
    MRS_WORLD_UPDATES,          /* updates.mrt.gz   MRT BGP4MP_ET over the window */
    MRS_WORLD_VRPS,             /* vrps.json        rpki-client JSON (roas + aspas) */
    MRS_WORLD_IRR,              /* irr.db           RPSL */
    MRS_WORLD_ASREL,            /* asrel.txt        CAIDA serial-2 (both families) */
    MRS_WORLD_DELEGATED,        /* delegated.txt    RIR delegated-extended */
    MRS_WORLD_PEERINGDB,        /* peeringdb.json   PeeringDB /net?depth=2 */
    MRS_WORLD_SPOOFER,          /* spoofer.csv      Spoofer-style results */
    MRS_WORLD_TRUTH,            /* truth.json       ground truth (docs/sim.md) */
    MRS_WORLD_AS2ORG,           /* as2org.txt       CAIDA AS-to-Organization (when the world has siblings) */
    MRS_WORLD_BEACONS,          /* beacons.txt      routing beacons beyond the built-in RIS list (kb/beacon.h) */
    MRS_WORLD_PARTICIPANTS,     /* participants.yml the MANRS participants registry (kb/participants.h) */
    MRS_WORLD_RS_RIB,           /* rs.mrt.gz        the IXP route server's RIB (TABLE_DUMP_V2, `manrs ixp`) */
    MRS_WORLD_NFILES
} mrs_world_file;

const char *mrs_world_file_name(mrs_world_file f);

/* Build the world and write every file into dir (which must exist). Returns 0, or
 * -1 with a message in err (parameters, memory, I/O). */
int mrs_sim_write(const mrs_sim_params *p, const char *dir, mrs_sim_summary *sum, char *err, size_t errlen);

/* Human-readable world summary. */
void mrs_sim_summary_print(FILE *f, const mrs_sim_summary *s);

#endif

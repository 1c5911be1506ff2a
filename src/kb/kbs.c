/*
 * kbs.c — loading the knowledge bases one way (kbs.h).
 */
#include "manrs/kb/kbs.h"
#include "manrs/kb/rtr.h"

#include <string.h>

void mrs_kbs_init(mrs_kbs *k) { memset(k, 0, sizeof *k); }

int mrs_kbs_require(mrs_kbs *k, unsigned what)
{
    if ((what & MRS_KBS_RPKI) && !k->rpki && !(k->rpki = mrs_rpki_new()))
        return -1;
    if ((what & MRS_KBS_BOGONS) && !k->bogons && !(k->bogons = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN)))
        return -1;
    return 0;
}

/* How many records a knowledge base holds, to tell a file that added none. */
static uint64_t kb_records(const mrs_kbs *k, mrs_kb_kind kind)
{
    switch (kind) {
    case MRS_KB_IRR: {
        const irr_stats *st = k->irr ? irr_db_stats(k->irr) : NULL;
        return st ? st->objects : 0;
    }
    case MRS_KB_ASREL: return k->asrel ? mrs_asrel_record_count(k->asrel) : 0;
    case MRS_KB_DELEGATED: return k->deleg ? mrs_deleg_count(k->deleg) : 0;
    case MRS_KB_BOGONS:
    case MRS_KB_DROP: return k->bogons ? mrs_bogon_count(k->bogons) : 0;
    case MRS_KB_AS2ORG: {
        /* records accepted, an ASN or organisation given again included */
        mrs_as2org_stats st = {0};
        if (k->orgs)
            mrs_as2org_get_stats(k->orgs, &st);
        return st.orgs + st.asns;
    }
    case MRS_KB_BEACONS: {
        uint64_t n = 0;   /* entries from files (line > 0), not the built-ins */
        for (size_t i = 0; k->beacons && i < mrs_beacon_count(k->beacons); i++)
            n += mrs_beacon_at(k->beacons, i)->line > 0;
        return n;
    }
    case MRS_KB_VRPS:
    case MRS_KB_RTR: break; /* the VRP loader and the RTR fetch say "no records" themselves */
    }
    return 0;
}

static int kbs_load_file(mrs_kbs *k, mrs_kb_kind kind, const char *path, mrs_diag *kd, uint64_t *skipped)
{
    if (skipped)
        *skipped = 0;
    switch (kind) {
    case MRS_KB_VRPS: {
        if (mrs_kbs_require(k, MRS_KBS_RPKI) != 0)
            return -1;
        mrs_rpki_load_stats st;
        int rc = mrs_rpki_load_file(k->rpki, path, kd, &st);
        if (rc == 0 && skipped)
            *skipped = st.skipped;
        k->have_vrps = true;
        return rc;
    }
    case MRS_KB_IRR:
        if (!k->irr && !(k->irr = irr_db_new(kd)))
            return -1;
        return irr_db_load_file(k->irr, path);
    case MRS_KB_ASREL:
        if (!k->asrel && !(k->asrel = mrs_asrel_new()))
            return -1;
        return mrs_asrel_load(k->asrel, path, kd);
    case MRS_KB_DELEGATED:
        if (!k->deleg && !(k->deleg = mrs_deleg_new()))
            return -1;
        return mrs_deleg_load(k->deleg, path, kd);
    case MRS_KB_BOGONS:
        if (mrs_kbs_require(k, MRS_KBS_BOGONS) != 0)
            return -1;
        return mrs_bogon_load_list(k->bogons, path, kd);
    case MRS_KB_DROP:
        if (mrs_kbs_require(k, MRS_KBS_BOGONS) != 0)
            return -1;
        return mrs_bogon_load_drop(k->bogons, path, kd);
    case MRS_KB_AS2ORG:
        if (!k->orgs && !(k->orgs = mrs_as2org_new()))
            return -1;
        return mrs_as2org_load(k->orgs, path, kd);
    case MRS_KB_BEACONS:
        if (!k->beacons && !(k->beacons = mrs_beacon_set_new(true)))
            return -1;
        return mrs_beacon_load(k->beacons, path, kd);
    case MRS_KB_RTR: {
        if (mrs_kbs_require(k, MRS_KBS_RPKI) != 0)
            return -1;
        mrs_rtr_fetch_stats st;
        if (mrs_rtr_fetch(k->rpki, path, 30000, kd, &st) != 0)
            return -1;
        k->have_vrps = true;
        if (st.vrps + st.aspas == 0) {
            mrs_diag_error_file(kd, path, "the cache holds no VRP and no ASPA: no records");
            return 1;
        }
        return 0;
    }
    }
    return -1;
}

int mrs_kbs_load(mrs_kbs *k, mrs_kb_kind kind, const char *path, mrs_diag *kd, uint64_t *skipped)
{
    uint64_t before = kb_records(k, kind), errors = kd ? kd->errors : 0;
    int rc = kbs_load_file(k, kind, path, kd, skipped);
    if (rc != 0 || kind == MRS_KB_VRPS || kind == MRS_KB_RTR || kb_records(k, kind) != before)
        return rc;
    /* an empty file, only comments, or nothing but damaged records: say so once */
    if (kd && kd->errors == errors)
        mrs_diag_error_file(kd, path, "no records");
    return 1;
}

mrs_kbs_error mrs_kbs_finish(mrs_kbs *k, const char *irr_sources)
{
    if (k->rpki && mrs_rpki_build(k->rpki) != 0)
        return MRS_KBS_VRP_INDEX;
    if (k->irr) {
        if (irr_db_finalize(k->irr) != 0)
            return MRS_KBS_IRR_FINALIZE;
        if (irr_sources) {
            if (irr_db_select(k->irr, irr_sources, &k->irr_sel_buf) != 0)
                return MRS_KBS_UNKNOWN_SOURCE;
            k->irr_sel = &k->irr_sel_buf;
        }
    }
    return MRS_KBS_OK;   /* as-rel files are finished by their loader */
}

void mrs_kbs_clear(mrs_kbs *k)
{
    mrs_rpki_free(k->rpki);
    irr_db_free(k->irr);
    mrs_asrel_free(k->asrel);
    mrs_deleg_free(k->deleg);
    mrs_bogon_set_free(k->bogons);
    mrs_as2org_free(k->orgs);
    mrs_beacon_set_free(k->beacons);
    memset(k, 0, sizeof *k);
}

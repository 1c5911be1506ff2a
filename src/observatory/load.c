/*
 * load.c — the observatory pipeline up to detection (observatory.h), shared by
 * observe (mrs_obs_run) and check. Assumes the caller zeroed the bundle.
 */
#include "manrs/observatory/observatory.h"

#include <string.h>

#include "manrs/feeds/mrt_feed.h"

struct scan_ctx {
    rv_view *v;
    uint32_t file;
};

static void on_event(const mrs_route_event *ev, void *user)
{
    struct scan_ctx *c = user;
    rv_add_event(c->v, ev, c->file);
}

int mrs_obs_load(const mrs_obs_inputs *f, mrs_diag *kd, mrs_diag *md, mrs_obs_bundle *b, bool *failed,
                 const char **why)
{
    *why = "out of memory";
    b->bogons = mrs_bogon_set_new(MRS_BOGON_WITH_BUILTIN);
    b->view = rv_new();
    mrt_decoder *dec = mrt_decoder_new(md);
    if (!b->bogons || !b->view || !dec)
        goto fail;
    if (f->n[MRS_IN_VRPS]) {
        if (!(b->rpki = mrs_rpki_new()))
            goto fail;
        for (size_t i = 0; i < f->n[MRS_IN_VRPS]; i++) {
            mrs_rpki_load_stats st;
            if (mrs_rpki_load_file(b->rpki, f->files[MRS_IN_VRPS][i], kd, &st) != 0)
                *failed = true;
        }
        if (mrs_rpki_build(b->rpki) != 0) {
            *why = "cannot build the VRP index";
            goto fail;
        }
    }
    if (f->n[MRS_IN_IRR]) {
        if (!(b->irr = irr_db_new(kd)))
            goto fail;
        for (size_t i = 0; i < f->n[MRS_IN_IRR]; i++)
            if (irr_db_load_file(b->irr, f->files[MRS_IN_IRR][i]) != 0)
                *failed = true;
        if (irr_db_finalize(b->irr) != 0) {
            *why = "cannot finalize the IRR database";
            goto fail;
        }
    }
    if (f->n[MRS_IN_ASREL]) {
        if (!(b->asrel = mrs_asrel_new()))
            goto fail;
        for (size_t i = 0; i < f->n[MRS_IN_ASREL]; i++)
            if (mrs_asrel_load(b->asrel, f->files[MRS_IN_ASREL][i], kd) != 0)
                *failed = true;
    }
    if (f->n[MRS_IN_DELEGATED]) {
        if (!(b->deleg = mrs_deleg_new()))
            goto fail;
        for (size_t i = 0; i < f->n[MRS_IN_DELEGATED]; i++)
            if (mrs_deleg_load(b->deleg, f->files[MRS_IN_DELEGATED][i], kd) != 0)
                *failed = true;
    }
    for (size_t i = 0; i < f->n[MRS_IN_PEERINGDB]; i++)
        if (mrs_peeringdb_load_file(&b->pdb, f->files[MRS_IN_PEERINGDB][i], kd) != 0)
            *failed = true;
    mrs_peeringdb_finish(&b->pdb);
    for (size_t i = 0; i < f->n[MRS_IN_SPOOFER]; i++)
        if (mrs_spoofer_load_file(&b->spoofer, f->files[MRS_IN_SPOOFER][i], kd) != 0)
            *failed = true;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && f->n[MRS_IN_RIB])
            b->baseline_end = rv_last_time(b->view);
        mrs_obs_input k = pass ? MRS_IN_UPDATES : MRS_IN_RIB;
        for (size_t i = 0; i < f->n[k]; i++) {
            const char *path = f->files[k][i];
            struct scan_ctx c = {b->view, rv_add_file(b->view, path)};
            mrt_scan_result res;
            mrt_decoder_begin_file(dec, path);
            if (!mrs_mrt_feed_file(path, dec, md, f->progress, on_event, &c, &res))
                *failed = true;
            b->damaged += res.damaged + res.resyncs + res.truncated;
        }
    }
    if (rv_oom(b->view))
        goto fail;   /* "out of memory": the view is incomplete */
    b->from = f->from ? f->from : rv_first_time(b->view);
    b->to = f->to ? f->to : rv_last_time(b->view);
    rv_close_all(b->view, b->to);
    if (rv_oom(b->view))
        goto fail;
    mrs_detect_kb kb = {b->asrel, b->rpki, b->irr, b->bogons, b->deleg};
    mrs_detect_cfg dc;
    mrs_detect_cfg_default(&dc);
    dc.from = b->from;
    dc.to = b->to;
    dc.baseline_end = b->baseline_end;
    dc.asrel_ipv6 = f->asrel_ipv6;
    if (mrs_detect(b->view, &kb, &dc, &b->incidents, &b->detect) != 0)
        goto fail;
    mrt_decoder_free(dec);
    *why = NULL;
    return 0;
fail:
    mrt_decoder_free(dec);
    return -1;
}

void mrs_obs_bundle_free(mrs_obs_bundle *b)
{
    mrs_incident_list_free(&b->incidents);
    rv_free(b->view);
    mrs_spoofer_free(&b->spoofer);
    mrs_peeringdb_free(&b->pdb);
    mrs_bogon_set_free(b->bogons);
    mrs_deleg_free(b->deleg);
    mrs_asrel_free(b->asrel);
    irr_db_free(b->irr);
    mrs_rpki_free(b->rpki);
    memset(b, 0, sizeof *b);
}

/*
 * load.c — the observatory pipeline up to detection (observatory.h), shared by
 * observe (mrs_obs_run) and check. Assumes the caller zeroed the bundle.
 */
#include "manrs/observatory/observatory.h"

#include <string.h>

#include "manrs/feeds/mrt_feed.h"

struct scan_ctx {
    mrs_view *v;
    uint32_t file;
};

static void on_event(const mrs_route_event *ev, void *user)
{
    struct scan_ctx *c = user;
    mrs_view_add_event(c->v, ev, c->file);
}

int mrs_obs_load(const mrs_obs_inputs *f, mrs_diag *kd, mrs_diag *md, mrs_obs_bundle *b, bool *failed,
                 const char **why)
{
    *why = "out of memory";
    mrs_kbs_init(&b->kb);
    b->view = mrs_view_new();
    mrt_decoder *dec = mrt_decoder_new(md);
    if (mrs_kbs_require(&b->kb, MRS_KBS_BOGONS) != 0 || !b->view || !dec)
        goto fail;
    /* knowledge files in this order (their messages too): a file that cannot be
     * used is reported and counted, the rest still loads */
    static const struct {
        mrs_obs_input in;
        mrs_kb_kind kind;
    } kbin[] = {{MRS_IN_VRPS, MRS_KB_VRPS}, {MRS_IN_IRR, MRS_KB_IRR}, {MRS_IN_ASREL, MRS_KB_ASREL},
                {MRS_IN_DELEGATED, MRS_KB_DELEGATED}};
    for (size_t k = 0; k < sizeof kbin / sizeof kbin[0]; k++)
        for (size_t i = 0; i < f->n[kbin[k].in]; i++)
            if (mrs_kbs_load(&b->kb, kbin[k].kind, f->files[kbin[k].in][i], kd, NULL) != 0)
                *failed = true;
    switch (mrs_kbs_finish(&b->kb, NULL)) {
    case MRS_KBS_OK: break;
    case MRS_KBS_VRP_INDEX: *why = "cannot build the VRP index"; goto fail;
    case MRS_KBS_IRR_FINALIZE: *why = "cannot finalize the IRR database"; goto fail;
    default: goto fail;
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
            b->baseline_end = mrs_view_last_time(b->view);
        mrs_obs_input k = pass ? MRS_IN_UPDATES : MRS_IN_RIB;
        for (size_t i = 0; i < f->n[k]; i++) {
            const char *path = f->files[k][i];
            struct scan_ctx c = {b->view, mrs_view_add_file(b->view, path)};
            mrt_scan_result res;
            mrt_decoder_begin_file(dec, path);
            if (!mrs_mrt_feed_file(path, dec, md, f->progress, on_event, &c, &res))
                *failed = true;
            b->damaged += res.damaged + res.resyncs + res.truncated;
        }
    }
    if (mrs_view_oom(b->view))
        goto fail;   /* "out of memory": the view is incomplete */
    b->from = f->from ? f->from : mrs_view_first_time(b->view);
    b->to = f->to ? f->to : mrs_view_last_time(b->view);
    mrs_view_close_all(b->view, b->to);
    if (mrs_view_oom(b->view))
        goto fail;
    mrs_detect_kb kb = {b->kb.asrel, b->kb.rpki, b->kb.irr, b->kb.bogons, b->kb.deleg};
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

void mrs_obs_bundle_clear(mrs_obs_bundle *b)
{
    mrs_incident_list_clear(&b->incidents);
    mrs_view_free(b->view);
    mrs_spoofer_clear(&b->spoofer);
    mrs_peeringdb_clear(&b->pdb);
    mrs_kbs_clear(&b->kb);
    memset(b, 0, sizeof *b);
}

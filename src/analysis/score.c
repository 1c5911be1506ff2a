/*
 * score.c — the arithmetic of ../shared/docs/manrs-metrics.md ("From raw metric to
 * percentage", "Readiness status per action"). Kept apart from detection so that it
 * can be unit-tested against the document's worked examples.
 */
#include "manrs/analysis/score.h"

#include <math.h>
#include <string.h>

void mrs_score_cfg_default(mrs_score_cfg *c)
{
    c->ready_at = 90.0;
    c->aspiring_at = 50.0;
    c->accomplice_weight = 0.5;
    c->min_peers = 5;
    c->leaks_in_action1 = false;
    c->action1_product = false;
    c->include_low = false;
}

double mrs_incident_score(int64_t duration_s)
{
    if (duration_s <= 0)
        return 0.0;
    if (duration_s < 30 * 60)
        return 0.5;
    if (duration_s < 24 * 3600)
        return 1.0;
    /* each further full 24 h adds 1: 24 h..48 h -> 1 + 1 = 2 */
    return 1.0 + (double)(duration_s / (24 * 3600));
}

double mrs_metric_percent(double raw)
{
    if (raw <= 0)
        return 100.0;
    return 100.0 * pow(0.6, sqrt(raw / 0.5));
}

double mrs_rpki_percent(uint64_t valid, uint64_t invalid, uint64_t total)
{
    if (!total)
        return -1.0;
    double f = ((double)valid - 10.0 * (double)invalid) / (double)total;
    return f < 0 ? 0.0 : 100.0 * f;
}

mrs_readiness mrs_readiness_of(const mrs_score_cfg *c, double percent)
{
    if (percent < 0)
        return MRS_NO_DATA;
    if (percent >= c->ready_at)
        return MRS_READY;
    if (percent >= c->aspiring_at)
        return MRS_ASPIRING;
    return MRS_LAGGING;
}

const char *mrs_readiness_name(mrs_readiness r)
{
    switch (r) {
    case MRS_READY: return "ready";
    case MRS_ASPIRING: return "aspiring";
    case MRS_LAGGING: return "lagging";
    default: return "no_data";
    }
}

bool mrs_readiness_parse(const char *str, mrs_readiness *r)
{
    static const mrs_readiness all[] = {MRS_NO_DATA, MRS_LAGGING, MRS_ASPIRING, MRS_READY};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (!strcmp(str, mrs_readiness_name(all[i]))) {
            *r = all[i];
            return true;
        }
    }
    return false;
}

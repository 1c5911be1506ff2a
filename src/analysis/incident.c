/*
 * incident.c — the incident model of observe.h: class names (those of the
 * simulator's truth.json, so detections can be scored against ground truth) and
 * ownership (an incident owns its propagators and evidence strings).
 */
#include "manrs/analysis/incident.h"

#include <stdlib.h>
#include <string.h>

static const char *const class_names[MRS_INC_NCLASSES] = {
    "route-leak", "hijack-origin", "hijack-subprefix", "hijack-path", "bogon-prefix", "bogon-asn", "rpki-invalid",
};

const char *mrs_incident_class_name(mrs_incident_class c)
{
    return (unsigned)c < MRS_INC_NCLASSES ? class_names[c] : "unknown";
}

bool mrs_incident_class_parse(const char *s, mrs_incident_class *c)
{
    for (unsigned i = 0; i < MRS_INC_NCLASSES; i++) {
        if (!strcmp(s, class_names[i])) {
            *c = (mrs_incident_class)i;
            return true;
        }
    }
    return false;
}

/* MANRS incident metric (M1..M4, ../shared/docs/manrs-metrics.md) a class counts
 * towards: leaks M1, hijacks and RPKI-invalid originations M2, bogon prefixes M3,
 * bogon ASNs M4. */
int mrs_incident_metric(mrs_incident_class c)
{
    switch (c) {
    case MRS_INC_ROUTE_LEAK: return 1;
    case MRS_INC_HIJACK_ORIGIN:
    case MRS_INC_HIJACK_SUBPREFIX:
    case MRS_INC_HIJACK_PATH:
    case MRS_INC_RPKI_INVALID: return 2;
    case MRS_INC_BOGON_PREFIX: return 3;
    case MRS_INC_BOGON_ASN: return 4;
    default: return 0;
    }
}

void mrs_incident_clear(mrs_incident *inc)
{
    free(inc->propagators);
    free(inc->accomplices);   /* detect.c: every propagator adjacent to the culprit */
    for (size_t i = 0; i < inc->n_evidence; i++) {
        free(inc->evidence[i].as_path);
        free(inc->evidence[i].path_w);
        free(inc->evidence[i].file);
        free(inc->evidence[i].note);
    }
    free(inc->evidence);
    memset(inc, 0, sizeof *inc);
}

void mrs_incident_list_clear(mrs_incident_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        mrs_incident_clear(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

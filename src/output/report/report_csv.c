/*
 * report_csv.c — `manrs report --format csv`: one row per network (RFC 4180),
 * ranked; every metric, per-action score and status. No data = empty field.
 * The run id and status are columns so that rows from different runs can be
 * concatenated without losing where they came from.
 */
#include <inttypes.h>

#include "report_util.h"

int mrs_report_csv(FILE *f, const mrs_report *r)
{
    size_t nd;
    const mrs_metric_desc *d = mrs_report_metrics(&nd);
    fputs("run,run_status,rank,asn,country", f);
    for (int a = 1; a <= 4; a++)
        fprintf(f, ",%s_score,%s_status", mrs_action_key(a), mrs_action_key(a));
    for (size_t k = 0; k < nd; k++)
        fprintf(f, ",%s", d[k].id);
    fputs(",announced,irr_covered,rpki_valid,rpki_invalid", f);
    for (int pass = 0; pass < 2; pass++) {
        for (int c = 0; c < MRS_INC_NCLASSES; c++) {
            fputs(pass ? ",raw_accomplice_" : ",raw_", f);
            for (const char *p = mrs_incident_class_name((mrs_incident_class)c); *p; p++)
                fputc(*p == '-' ? '_' : *p, f);
        }
    }
    fputs("\r\n", f);
    for (size_t i = 0; i < r->n_nets; i++) {
        const mrs_network_metrics *m = &r->nets[i];
        char b[48];
        fprintf(f, "%" PRId64 ",", r->run.id);
        rpt_csv_field(f, r->run.status);
        fprintf(f, ",%zu,%" PRIu32 ",", i + 1, m->asn);
        rpt_csv_field(f, m->country);
        for (int a = 1; a <= 4; a++) {
            rpt_num(m->action[a], b, sizeof b, "");
            fprintf(f, ",%s,%s", b, mrs_readiness_name(m->status[a]));
        }
        for (size_t k = 0; k < nd; k++) {
            if (d[k].is_bool)
                fprintf(f, ",%s", mrs_metric_value(m, &d[k]) > 0 ? "true" : "false");
            else {
                rpt_num(mrs_metric_value(m, &d[k]), b, sizeof b, "");
                fprintf(f, ",%s", b);
            }
        }
        fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, m->announced, m->irr_covered, m->rpki_valid,
                m->rpki_invalid);
        for (int c = 0; c < MRS_INC_NCLASSES; c++) {
            rpt_num(m->raw[c], b, sizeof b, "");
            fprintf(f, ",%s", b);
        }
        for (int c = 0; c < MRS_INC_NCLASSES; c++) {
            rpt_num(m->raw_c[c], b, sizeof b, "");
            fprintf(f, ",%s", b);
        }
        fputs("\r\n", f);
    }
    return ferror(f) ? -1 : 0;
}

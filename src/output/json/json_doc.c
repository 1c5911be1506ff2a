/* json_doc.c — see json_doc.h. */
#include "manrs/output/json_doc.h"

#include <stdlib.h>

#include "manrs/analysis/incident.h"
#include "manrs/core/json_out.h"

json_t *mrs_json_text(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    char *t = mrs_utf8_text(s);   /* not UTF-8: replace what is not */
    j = t ? json_string(t) : NULL;
    free(t);
    return j;
}

json_t *mrs_json_reasons(uint32_t reasons)
{
    json_t *a = json_array();
    for (int i = 0; i < MRS_WHY_NCODES; i++) {
        uint32_t bit = 1u << i;
        if (!(reasons & bit))
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "code", mrs_json_text(mrs_reason_code(bit)));
        json_object_set_new(o, "text", mrs_json_text(mrs_reason_text(bit)));
        json_array_append_new(a, o);
    }
    return a;
}

/* json_doc.c — see json_doc.h. */
#include "manrs/output/json_doc.h"

#include <stdlib.h>

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

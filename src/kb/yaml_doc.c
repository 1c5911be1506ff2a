/*
 * yaml_doc.c — loading a YAML document and reading its scalars (yaml_doc.h).
 */
#include <string.h>

#include "manrs/kb/yaml_doc.h"

int mrs_yaml_load(const char *buf, size_t len, const char *name, mrs_diag *d, yaml_document_t *doc)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        mrs_diag_error_file(d, name, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    int ok = yaml_parser_load(&p, doc);
    if (!ok)
        mrs_diag_error_line(d, name, p.problem_mark.line + 1, "not YAML: %s", p.problem ? p.problem : "parse error");
    yaml_parser_delete(&p);
    return ok ? 0 : -1;
}

unsigned mrs_yaml_line(const yaml_node_t *n) { return n ? (unsigned)n->start_mark.line + 1 : 1; }

const char *mrs_yaml_scalar(const yaml_node_t *n, char *buf, size_t cap)
{
    if (!n || n->type != YAML_SCALAR_NODE || !cap)
        return NULL;
    size_t l = n->data.scalar.length < cap - 1 ? n->data.scalar.length : cap - 1;
    if (memchr(n->data.scalar.value, 0, n->data.scalar.length))
        return NULL;
    memcpy(buf, n->data.scalar.value, l);
    buf[l] = 0;
    return buf;
}

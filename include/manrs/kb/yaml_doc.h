/*
 * yaml_doc.h — the one way manrs reads a YAML file (libyaml's document loader):
 * the whole document is loaded first, aliases are shared nodes (never expanded),
 * and every reader walks a bounded depth, so a hostile file can neither loop nor
 * blow up. Used by the participants registry (kb/participants.c) and the
 * monitor's prefixes.yml (apps/monitor).
 */
#ifndef MANRS_KB_YAML_DOC_H
#define MANRS_KB_YAML_DOC_H

#include <stddef.h>
#include <yaml.h>

#include "manrs/core/diag.h"

/* Load buf as one YAML document into *doc (yaml_document_delete it). Returns 0, or
 * -1 after reporting `NAME:LINE: not YAML: what` (or out of memory) to d. */
int mrs_yaml_load(const char *buf, size_t len, const char *name, mrs_diag *d, yaml_document_t *doc);
/* The line (from 1) a node starts on; 1 for NULL. */
unsigned mrs_yaml_line(const yaml_node_t *n);
/* A scalar's text, NUL-terminated into buf (cut at cap - 1); NULL if n is not a
 * scalar or its text holds a NUL byte. */
const char *mrs_yaml_scalar(const yaml_node_t *n, char *buf, size_t cap);

#endif

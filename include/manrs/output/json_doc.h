/*
 * json_doc.h — strings for JSON documents built with jansson (observe --json,
 * validate --json, check --json). jansson's json_string() refuses text that is not
 * valid UTF-8 and returns NULL, and json_object_set_new() then drops the key
 * without a word: a file name with a Latin-1 byte would make every evidence row
 * lose its "file". mrs_json_text never drops: invalid bytes become U+FFFD, by the
 * rule of core/json_out.h that the streamed outputs follow.
 */
#ifndef MANRS_OUTPUT_JSON_DOC_H
#define MANRS_OUTPUT_JSON_DOC_H

#include <jansson.h>
#include <stdint.h>

/* A JSON string of s (non-NULL); NULL only when out of memory. */
json_t *mrs_json_text(const char *s);
/* An incident's reasons (analysis/incident.h mrs_reason flags) as
 * [{"code": "new-valley", "text": "..."}, ...] in code order. */
json_t *mrs_json_reasons(uint32_t reasons);

#endif

/*
 * files.c — the steps of `manrs mark` on files (mark.h), so that the command only
 * parses its arguments and prints: issue (statement, signature, the mark file, its
 * badge), a mark file verified, the badge of a mark file.
 */
#include <stdio.h>
#include <stdlib.h>

#include "manrs/apps/mark.h"

int mark_issue_write(const mark_issue *o, const mark_key *k, const char *out, const char *html, mrs_diag *kd,
                     mrs_diag *md, json_t **statement, mrs_verdict *outcome, char *err, size_t errlen)
{
    *statement = NULL;
    char *buf = NULL;
    json_t *mark = NULL;
    size_t len = 0;
    int rc = -1;
    if (mark_statement(o, kd, md, statement, outcome, err, errlen) != 0 ||
        !(buf = mark_sign(*statement, k, &len, err, errlen)) || mark_write_file(out, buf, len, err, errlen) != 0)
        goto out;
    if (html && (!(mark = mark_load_mem(buf, len, err, errlen)) || mark_badge_file(mark, out, html, err, errlen) != 0))
        goto out;
    rc = 0;
out:
    free(buf);
    json_decref(mark);
    if (rc != 0) {
        json_decref(*statement);
        *statement = NULL;
    }
    return rc;
}

int mark_verify_file(const char *file, const mark_key *k, json_t **mark, char *err, size_t errlen)
{
    *mark = NULL;
    size_t len;
    char *buf = mark_read_file(file, &len, err, errlen);
    if (!buf)
        return -1;
    char why[512];
    int rc = mark_verify_mem(buf, len, k, mark, why, sizeof why);
    if (rc != 0)
        snprintf(err, errlen, "%s: INVALID: %s", file, why);
    free(buf);
    return rc;
}

int mark_badge_from_file(const char *file, const char *out, char *err, size_t errlen)
{
    size_t len;
    char *buf = mark_read_file(file, &len, err, errlen);
    if (!buf)
        return -1;
    char why[512];
    json_t *mark = mark_load_mem(buf, len, why, sizeof why);
    free(buf);
    if (!mark) {
        snprintf(err, errlen, "%s: %s", file, why);
        return -1;
    }
    int rc = mark_badge_file(mark, file, out, err, errlen);
    json_decref(mark);
    return rc;
}

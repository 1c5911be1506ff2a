/*
 * mark.h — the verifiable MANRS quality mark (`manrs mark`, docs/programme.md "The
 * quality mark"): one participant's conformance for one period, as a statement in
 * canonical JSON signed with Ed25519 (libsodium), with the SHA-256 of every input
 * it rests on, so that anyone holding the public key can check it offline and,
 * with the same inputs, recompute it bit for bit.
 *
 * The mark file and the key files are untrusted input for `verify`: every reader
 * here is strict (one accepted byte sequence per content) and never trusts a
 * length or a field it has not checked.
 */
#ifndef MANRS_APPS_MARK_H
#define MANRS_APPS_MARK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manrs/analysis/programme.h"
#include "manrs/core/diag.h"
#include "manrs/core/outbuf.h"
#include "manrs/observatory/observatory.h"

#define MARK_FORMAT "manrs-mark"
#define MARK_VERSION 1
/* What is signed: this context line, then the statement's canonical bytes. */
#define MARK_SIGN_CONTEXT "manrs-mark/1\n"
#define MARK_MAX_FILE (16u << 20)   /* a mark or key file larger than this is refused */

/* ---- canonical JSON (docs/programme.md): UTF-8, no insignificant whitespace,
 * object keys sorted by their bytes, no duplicate key, integers only (|n| < 2^53),
 * strings escaped by core/json_out.h's one rule (\" \\ \b \f \n \r \t, other
 * controls and DEL as \u00xx, everything else as it is). */

/* v's canonical bytes appended to o. Returns 0, -1 when v holds what the form has
 * no place for (a real, an integer out of range) or memory ran out. */
int mark_canon_write(const json_t *v, mrs_outbuf *o);
/* The canonical bytes of v, malloc'ed and NUL-terminated (*len without the NUL);
 * NULL as above. */
char *mark_canon_dump(const json_t *v, size_t *len);
/* Parse buf[0..len), which must be exactly the canonical form of one JSON object
 * followed by one "\n". Returns the object (new reference), or NULL with the
 * reason in err (not JSON; not canonical, with the first byte that differs). */
json_t *mark_canon_load(const char *buf, size_t len, char *err, size_t errlen);

/* ---- keys: Ed25519 (libsodium). Files (docs/programme.md):
 *   KEYBASE.key  "manrs-mark-secret-key-v1\n" base64(64-byte secret key) "\n"  (mode 0600)
 *   KEYBASE.pub  "manrs-mark-public-key-v1\n" base64(32-byte public key) "\n"
 *                "fingerprint " 16 hex digits "\n"
 * The fingerprint: the first 8 bytes of SHA-256(public key), lower-case hex. */
#define MARK_FP_LEN 16
typedef struct mark_key {
    unsigned char pk[32];
    unsigned char sk[64];
    bool has_sk;
    char fp[MARK_FP_LEN + 1];
} mark_key;

void mark_fingerprint(const unsigned char pk[32], char out[MARK_FP_LEN + 1]);
/* A fresh key pair written to base.key (0600; an existing file is refused unless
 * force) and base.pub. Returns 0, -1 with the reason in err. */
int mark_keygen(const char *base, bool force, mark_key *k, char *err, size_t errlen);
/* Parse a key file's bytes (exactly the format above). Returns 0, -1 with why. */
int mark_key_parse_secret(const char *buf, size_t len, mark_key *k, char *err, size_t errlen);
int mark_key_parse_public(const char *buf, size_t len, mark_key *k, char *err, size_t errlen);
int mark_key_load_secret(const char *path, mark_key *k, char *err, size_t errlen);
int mark_key_load_public(const char *path, mark_key *k, char *err, size_t errlen);

/* A whole file (at most MARK_MAX_FILE bytes), malloc'ed. NULL with why in err. */
char *mark_read_file(const char *path, size_t *len, char *err, size_t errlen);
/* The SHA-256 of a file's bytes, streamed, as 64 lower-case hex digits. */
int mark_sha256_file(const char *path, char hex[65], char *err, size_t errlen);

/* ---- the mark file: canonical JSON of
 *   {"signature":{"alg":"ed25519","key":FINGERPRINT,"value":HEX(64-byte signature)},
 *    "statement":{...}} followed by "\n";
 * the signature is over MARK_SIGN_CONTEXT + canonical(statement). */

/* The mark file's bytes for statement signed by k (k->has_sk), malloc'ed. */
char *mark_sign(const json_t *statement, const mark_key *k, size_t *len, char *err, size_t errlen);
/* The layout alone (canonical, the two parts, the signature's fields, the
 * statement's format and version), no signature check: the whole mark (new
 * reference) or NULL with why. */
json_t *mark_load_mem(const char *buf, size_t len, char *err, size_t errlen);
/* The layout and the signature against k. Returns 0 and the whole mark in *mark
 * (new reference; may be NULL), or -1 with why in err. */
int mark_verify_mem(const char *buf, size_t len, const mark_key *k, json_t **mark, char *err, size_t errlen);

/* ---- the statement */
typedef struct mark_issue {
    const char *registry;           /* participants registry */
    const char *participant;        /* id, organisation or ASN */
    const char *disputes;           /* may be NULL */
    const char *period;             /* YYYY-MM, NULL: the routing data's month */
    const mrs_obs_inputs *in;       /* files only (no --rtr, no '-') */
    const char *const *rs_ribs;     /* IXP route servers' RIBs (conformance --rs-rib) */
    size_t n_rs_ribs;
    int64_t issued;                 /* Unix time written as "issued" */
} mark_issue;

/* Hash every input, run the conformance (apps/programme.h, no store) and build the
 * statement of one participant. Returns 0 (*statement a new object, *outcome the
 * participant's), -1 with why in err: an input that is not a file, could not be
 * used, a registry entry skipped, no such participant. */
int mark_statement(const mark_issue *o, mrs_diag *kd, mrs_diag *md, json_t **statement, mrs_verdict *outcome,
                   char *err, size_t errlen);

/* --rerun: recompute the statement of a verified mark. Inputs: in, registry,
 * disputes and rs_rib (a route server's RIB) when given (each NULL/empty: the
 * files named in the mark); the
 * recomputed inputs must have the mark's SHA-256 one by one (checked first; the
 * first that differs is named), and the recomputed statement must equal the
 * mark's byte for byte in canonical form, "issued" and the files' names aside.
 * Returns 0 equal, 1 different or inputs changed (why in err), -1 error (why). */
int mark_rerun(const json_t *statement, const mrs_obs_inputs *in, const char *registry, const char *disputes,
               const char *rs_rib, mrs_diag *kd, mrs_diag *md, char *err, size_t errlen);

/* The badge: a self-contained HTML page (no script, no external resource) of a
 * mark (mark_load_mem's object): what it certifies and what not, the key's
 * fingerprint and how to verify it. mark_name: the file name the page tells to
 * verify. Returns -1 on a write error. */
int mark_badge(const json_t *mark, const char *mark_name, FILE *f);
/* The badge written to path; 0, or -1 with err ("PATH: why"). */
int mark_badge_file(const json_t *mark, const char *mark_name, const char *path, char *err, size_t errlen);
/* buf written to path (a mark, as signed); 0, or -1 with err ("PATH: why"). */
int mark_write_file(const char *path, const char *buf, size_t len, char *err, size_t errlen);
/* ---- the command's steps on files (files.c) */
/* issue: the statement of o (mark_statement) signed by k, written to out, and its
 * badge to html unless NULL. Returns 0 (*statement a new object, *outcome the
 * participant's), -1 with why in err (*statement NULL). */
int mark_issue_write(const mark_issue *o, const mark_key *k, const char *out, const char *html, mrs_diag *kd,
                     mrs_diag *md, json_t **statement, mrs_verdict *outcome, char *err, size_t errlen);
/* The mark file read and verified against k (mark_verify_mem). Returns 0 and the
 * whole mark in *mark (new reference), -1 with why in err ("FILE: INVALID: why"
 * when the file was read). */
int mark_verify_file(const char *file, const mark_key *k, json_t **mark, char *err, size_t errlen);
/* The badge page of the mark file `file` written to out. 0, -1 with why in err. */
int mark_badge_from_file(const char *file, const char *out, char *err, size_t errlen);

/* "valid: FILE: mark of ID (ORGANISATION) for PERIOD: OUTCOME; signed by key FP",
 * the mark's own strings made safe for a terminal. */
void mark_print_valid(FILE *f, const char *file, const json_t *mark, const mark_key *k);

#endif

/*
 * acl_formats.c — the registered table of anti-spoofing ACL printers: one small
 * file per dialect (acl_ios.c, acl_junos.c, acl_eos.c, acl_nft.c, acl_json.c), one
 * entry here each. The model (antispoof.c) knows nothing of the dialects.
 */
#include <string.h>

#include "manrs/apps/antispoof.h"

typedef struct acl_printer {
    const char *name;
    mrs_acl_format format;
    int (*print)(const mrs_antispoof *a, const mrs_acl_opts *o, FILE *out);
} acl_printer;

static const acl_printer printers[] = {
    {"ios", MRS_ACL_IOS, mrs_acl_print_ios},
    {"junos", MRS_ACL_JUNOS, mrs_acl_print_junos},
    {"eos", MRS_ACL_EOS, mrs_acl_print_eos},
    {"nftables", MRS_ACL_NFT, mrs_acl_print_nft},
    {"json", MRS_ACL_JSON, mrs_acl_print_json},
};

static const struct {
    const char *alias, *name;
} aliases[] = {{"arista", "eos"}, {"nft", "nftables"}};

#define N_PRINTERS (sizeof printers / sizeof printers[0])

bool mrs_acl_format_parse(const char *s, mrs_acl_format *f)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(s, aliases[i].alias))
            s = aliases[i].name;
    for (size_t i = 0; i < N_PRINTERS; i++)
        if (!strcmp(s, printers[i].name)) {
            *f = printers[i].format;
            return true;
        }
    return false;
}

const char *mrs_acl_format_name(mrs_acl_format f)
{
    for (size_t i = 0; i < N_PRINTERS; i++)
        if (printers[i].format == f)
            return printers[i].name;
    return "?";
}

int mrs_acl_print(const mrs_antispoof *a, mrs_acl_format f, const mrs_acl_opts *o, FILE *out)
{
    for (size_t i = 0; i < N_PRINTERS; i++)
        if (printers[i].format == f)
            return printers[i].print(a, o, out);
    return -1;
}

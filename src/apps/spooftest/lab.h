/*
 * lab.h — inside the spooftest app only: the namespaces of one lab, the
 * commands run in them (ip, nft) and the sockets opened in them.
 */
#ifndef MANRS_SPOOFTEST_LAB_H
#define MANRS_SPOOFTEST_LAB_H

#include <stdbool.h>
#include <stddef.h>

enum { LAB_HOST = 0, LAB_CE, LAB_PE, LAB_COL, LAB_NNS };

typedef struct lab {
    char pfx[16];               /* "mrs<pid>": namespaces mrs<pid>-host ..., interfaces mrs<pid>hc ... */
    char ns[LAB_NNS][32];
    bool made[LAB_NNS];
    char pe_customer_if[20];    /* pe's customer-facing interface: where every filter is bound */
    int orig_ns;                /* our own network namespace, to come back to */
    int raw4, raw6;             /* in host: the probe sockets */
    int udp4, udp6;             /* in col: the collector */
    bool progress;
} lab;

void lab_init(lab *l, unsigned pid, bool progress);
/* Not root, no netns, no veth: 1 (cannot build the lab); other failures: -1; 0 up. */
int lab_up(lab *l, char *err, size_t errlen);
void lab_down(lab *l);
/* Load an nftables ruleset in pe (after flushing pe's ruleset); text NULL = only flush. */
int lab_nft(lab *l, const char *text, char *err, size_t errlen);

#endif

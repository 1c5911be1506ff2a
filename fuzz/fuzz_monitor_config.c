/* fuzz_monitor_config.c — libFuzzer target for the monitor's configuration, a
 * BGPalerter prefixes.yml (src/apps/monitor/monitor_config.c, libyaml): any
 * bytes loaded; what loads drives an engine through a few route events. Must
 * never crash, leak or trip UBSan. */
#include <stdint.h>
#include <string.h>

#include "manrs/apps/monitor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_alert(const mon_alert *a, void *user)
{
    (void)user;
    volatile unsigned x = a->peers;
    (void)x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrs_diag d;
    mrs_diag_init(&d, NULL);
    mon_config c;
    if (mon_config_load_mem((const char *)data, size, "fuzz", &c, &d) < 0)
        return 0;
    mon_opts o = {.min_peers = 1};
    mon_engine *e = mon_engine_new(&c, &o, on_alert, NULL);
    if (e) {
        for (size_t i = 0; i < c.nprefixes && i < 8; i++) {
            mrs_route_event ev;
            memset(&ev, 0, sizeof ev);
            ev.kind = MRS_RE_ANNOUNCE;
            ev.safi = 1;
            ev.peer.afi = MRS_AFI_IPV4;
            ev.peer_known = true;
            ev.prefix = c.prefixes[i].prefix;
            uint32_t w[2] = {MRS_SEG_HEADER(MRS_SEG_AS_SEQUENCE, 1), (uint32_t)i + 1};
            ev.path = (mrs_as_path){w, 2};
            mon_engine_event(&ev, e);
            ev.kind = MRS_RE_WITHDRAW;
            mon_engine_event(&ev, e);
        }
        mon_engine_free(e);
    }
    mon_config_clear(&c);
    return 0;
}

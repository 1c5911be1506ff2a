/* fuzz_serve_map.c — libFuzzer target for the web observatory's world map
 * (src/apps/serve/serve_map.c): TopoJSON decoding (delta-encoded quantised arcs,
 * reversed arcs ~i, rings of arcs), the antimeridian cut (unwrapping, clipping
 * at +-180, rings around a pole) and the projection into SVG, with a fixed
 * iso-codes table. The input is the TopoJSON document. Must never crash, leak,
 * loop or trip UBSan, whatever the numbers (huge, NaN-free JSON only, negative
 * arc indices, empty rings, coordinates out of range). */
#include <stddef.h>
#include <stdint.h>

#include "manrs/apps/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ISO[] = "{\"3166-1\": [{\"alpha_2\": \"FJ\", \"numeric\": \"242\"}, {\"alpha_2\": \"RU\", "
                          "\"numeric\": \"643\"}, {\"alpha_2\": \"AQ\", \"numeric\": \"010\"}, {\"alpha_2\": \"NL\", "
                          "\"numeric\": \"528\"}, {\"alpha_2\": \"X\", \"numeric\": \"999\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    (void)serve_map_check((const char *)data, size, ISO, sizeof ISO - 1);
    return 0;
}

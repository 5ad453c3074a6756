/* fuzz-config.c - config_parse_buffer() over a settings file, quietly, on
 * top of the defaults. */
#include "fuzz.h"
#include "util/config.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mamori_config cfg;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    config_defaults(&cfg);
    config_parse_buffer(&cfg, "fuzz.conf", (const char *)data, size, 1);
    /* config.h: sensor_name is a string whatever the input was. */
    if (!memchr(cfg.sensor_name, '\0', sizeof(cfg.sensor_name)))
        fuzz_fail("sensor_name not terminated");
    return 0;
}

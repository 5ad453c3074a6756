/* notify-config.c - the [notify] settings. (Being written.) */
#include "notify/notify.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

void notify_config_defaults(struct notify_config *nc)
{
    memset(nc, 0, sizeof(*nc));
}

int notify_config_set(struct notify_config *nc, const char *key, const char *value, char *err,
                      unsigned errlen)
{
    (void)nc;
    (void)value;
    if (strncmp(key, "notify.", 7) != 0)
        return -2;
    snprintf(err, errlen, "unknown setting '%s'", key);
    return -1;
}

/* cmd-config.c - `mamori config`. (Being written.) */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_config_usage[2] = {
    "usage: mamori config ...\n",
    "使い方: mamori config ...\n",
};

int cmd_config(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'config' is not finished yet");
    return EXIT_ENV;
}

/* cmd-status.c - `mamori status`. (Being written.) */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_status_usage[2] = {
    "usage: mamori status ...\n",
    "使い方: mamori status ...\n",
};

int cmd_status(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'status' is not finished yet");
    return EXIT_ENV;
}

/* cmd-notify.c - `mamori notify`. (Being written.) */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_notify_usage[2] = {
    "usage: mamori notify ...\n",
    "使い方: mamori notify ...\n",
};

int cmd_notify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'notify' is not finished yet");
    return EXIT_ENV;
}

/* cmd-timeline.c - `mamori timeline`. (Being written.) */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_timeline_usage[2] = {
    "usage: mamori timeline ...\n",
    "使い方: mamori timeline ...\n",
};

int cmd_timeline(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'timeline' is not finished yet");
    return EXIT_ENV;
}

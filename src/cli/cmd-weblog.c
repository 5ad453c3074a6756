/* cmd-weblog.c - `mamori weblog` (not written yet). */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_weblog_usage[2] = {"usage: mamori weblog ...\n", "使い方: mamori weblog ...\n"};

int cmd_weblog(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'weblog' is not available yet");
    return EXIT_USAGE;
}

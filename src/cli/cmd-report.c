/* cmd-report.c - `mamori report`. (Being written.) */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_report_usage[2] = {
    "usage: mamori report ...\n",
    "使い方: mamori report ...\n",
};

int cmd_report(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'report' is not finished yet");
    return EXIT_ENV;
}

/* cmd-intel.c - `mamori intel` (not written yet). */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_intel_usage[2] = {"usage: mamori intel ...\n", "使い方: mamori intel ...\n"};

int cmd_intel(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'intel' is not available yet");
    return EXIT_USAGE;
}

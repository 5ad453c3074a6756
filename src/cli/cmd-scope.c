/* cmd-scope.c - `mamori scope`. (Being written.) */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_scope_usage[2] = {
    "usage: mamori scope ...\n",
    "使い方: mamori scope ...\n",
};

int cmd_scope(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'scope' is not finished yet");
    return EXIT_ENV;
}

/* cmd-mail.c - `mamori mail`. (Being written.) */
#include <stdio.h>

#include "cli/commands.h"
#include "util/util.h"

const char *const cmd_mail_usage[2] = {
    "usage: mamori mail ...\n",
    "使い方: mamori mail ...\n",
};

int cmd_mail(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    error("'mail' is not finished yet");
    return EXIT_ENV;
}

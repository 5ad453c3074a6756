/* cli-args.c - command-line errors worded the same way by every command. */
#include <getopt.h>
#include <time.h>

#include "cli/cli-args.h"
#include "cli/commands.h"
#include "util/i18n.h"
#include "util/util.h"

uint64_t cli_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

int cli_bad_option(const char *cmd, char **argv)
{
    error(TR("%s: bad or incomplete option '%s' (see 'mamori help %s')",
             "%s: オプション '%s' が不正か引数がありません（'mamori help %s' を参照）"),
          cmd, argv[optind - 1], cmd);
    return EXIT_USAGE;
}

int cli_extra_arg(const char *cmd, const char *arg)
{
    error(TR("%s: unexpected argument '%s'", "%s: 余分な引数 '%s' があります"), cmd, arg);
    return EXIT_USAGE;
}

int cli_time(const char *cmd, const char *arg, uint64_t now_us, uint64_t *out)
{
    if (parse_time_arg(arg, now_us, out) == 0)
        return 0;
    error(TR("%s: bad time '%s' (use 2026-11-26, 2026-11-26T09:00, 24h or 7d)",
             "%s: 時刻 '%s' が読めません（2026-11-26、2026-11-26T09:00、24h、7d "
             "などの形で指定してください）"),
          cmd, arg);
    return EXIT_USAGE;
}

int cli_window(const char *cmd, uint64_t since_us, uint64_t until_us)
{
    if (!since_us || !until_us || until_us >= since_us)
        return 0;
    error(TR("%s: --until is before --since", "%s: --until が --since より前になっています"), cmd);
    return EXIT_USAGE;
}

/* cmd-gen-scenario.c - `mamori gen-scenario`: write a synthetic capture. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "scenario/scenario.h"
#include "util/util.h"

const char cmd_gen_scenario_usage[] =
    "usage: mamori gen-scenario NAME -o FILE.pcap [--seed N] [--hosts N] [--minutes N]\n"
    "                           [--packets N]\n"
    "   or: mamori gen-scenario --list\n"
    "\n"
    "Writes a synthetic capture (classic pcap, Ethernet) of scenario NAME to FILE\n"
    "(\"-\" for standard output). The same name, seed and options always give the\n"
    "same bytes, so captures can be regenerated instead of shipped. 'office' is a\n"
    "small office LAN (DHCP, DNS, TLS, HTTP, SMTP, SMB2, SSH, ...) used by\n"
    "`make demo`; --hosts sets its number of PCs and --minutes the time it\n"
    "covers. --packets sets the size of 'flood'. --list shows every scenario.\n";

static int gs_usage_error(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "mamori: gen-scenario: %s: '%s'\n", msg, arg);
    else
        fprintf(stderr, "mamori: gen-scenario: %s\n", msg);
    return EXIT_USAGE;
}

static int gs_number(const char *opt, const char *val, uint64_t max, uint64_t *out)
{
    if (!val || parse_u64(val, out) < 0 || *out > max) {
        fprintf(stderr, "mamori: gen-scenario: bad value for %s: '%s'\n", opt, val ? val : "");
        return -1;
    }
    return 0;
}

static void gs_list(void)
{
    const struct scenario *sc;
    for (size_t i = 0; (sc = scenario_get(i)) != NULL; i++)
        printf("%-10s %s\n", sc->name, sc->description);
}

int cmd_gen_scenario(int argc, char **argv)
{
    struct scenario_opts o = {.seed = 1};
    const char *name = NULL, *out = NULL;
    uint64_t v;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--list") == 0) {
            gs_list();
            return 0;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(cmd_gen_scenario_usage, stdout);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (!val)
                return gs_usage_error("option needs a file name", a);
            out = val;
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            if (gs_number(a, val, UINT64_MAX, &o.seed) < 0)
                return EXIT_USAGE;
            i++;
        } else if (strcmp(a, "--hosts") == 0) {
            if (gs_number(a, val, 200, &v) < 0)
                return EXIT_USAGE;
            o.hosts = (uint32_t)v;
            i++;
        } else if (strcmp(a, "--minutes") == 0) {
            if (gs_number(a, val, 24 * 60, &v) < 0)
                return EXIT_USAGE;
            o.minutes = (uint32_t)v;
            i++;
        } else if (strcmp(a, "--packets") == 0) {
            if (gs_number(a, val, 100000000, &o.packets) < 0)
                return EXIT_USAGE;
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            return gs_usage_error("unknown option", a);
        } else if (!name) {
            name = a;
        } else {
            return gs_usage_error("unexpected argument", a);
        }
    }
    if (!name)
        return gs_usage_error("no scenario given (try --list)", NULL);
    const struct scenario *sc = scenario_find(name);
    if (!sc)
        return gs_usage_error("unknown scenario (try --list)", name);
    if (!out)
        return gs_usage_error("no output file given (-o FILE.pcap)", NULL);

    if (scenario_write(sc, &o, out, NULL) < 0) {
        fprintf(stderr, "mamori: cannot write '%s': %s\n", out, strerror(errno));
        return EXIT_ENV;
    }
    return 0;
}

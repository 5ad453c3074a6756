/* main.c - `mamori [--lang en|ja] [-v] COMMAND [ARGS]`, git style. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#ifdef MAMORI_TCMALLOC
#include <gperftools/malloc_extension_c.h>
#endif

#include "cli/commands.h"
#include "util/i18n.h"
#include "util/util.h"
#include "version.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
    {"read", cmd_read},
    {"watch", cmd_watch},
    {"devices", cmd_devices},
    {"alerts", cmd_alerts},
    {"intel", cmd_intel},
    {"weblog", cmd_weblog},
    {"scope", cmd_scope},
    {"timeline", cmd_timeline},
    {"report", cmd_report},
    {"mail", cmd_mail},
    {"notify", cmd_notify},
    {"status", cmd_status},
    {"config", cmd_config},
    {"gen-scenario", cmd_gen_scenario},
    {"help", cmd_help},
};

#ifdef MAMORI_TCMALLOC
static void tcmalloc_release_at_once(bool at_once)
{
    MallocExtension_SetNumericProperty("tcmalloc.aggressive_memory_decommit", at_once);
}
#endif

int main(int argc, char **argv)
{
#ifdef MAMORI_TCMALLOC
    /* tcmalloc keeps freed spans for reuse; give them back to the system at
     * once instead. The same speed for read, and peak memory near glibc's:
     * read 96 -> 74 MiB, a month's timeline 187 -> 125 MiB (glibc: 118).
     * Phases that reuse big blocks turn it off for a while (util.h). */
    mem_set_release_hook(tcmalloc_release_at_once);
    mem_release_at_once(true);
#endif
    /* No memory statistics in SQLite (nothing reads them): with them on,
     * every allocation SQLite makes takes a global mutex to count it. Must
     * come before SQLite is first used. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    i18n_init_from_env();
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("mamori %s\n", MAMORI_VERSION);
            return 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_command_list();
            return 0;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            log_verbose++;
        } else if (strncmp(a, "--lang=", 7) == 0 || strcmp(a, "--lang") == 0) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || i18n_set(v) < 0) {
                error("%s", TR("--lang takes 'en' or 'ja'", "--lang には en か ja を指定してください"));
                return EXIT_USAGE;
            }
        } else {
            error(TR("unknown option '%s' (see 'mamori help')",
                     "不明なオプション '%s' です（'mamori help' を参照）"),
                  a);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        print_command_list();
        return EXIT_USAGE;
    }
    for (size_t c = 0; c < ARRAY_SIZE(commands); c++) {
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].fn(argc - i, argv + i);
    }
    error(TR("'%s' is not a mamori command (see 'mamori help')",
             "'%s' という mamori のコマンドはありません（'mamori help' を参照）"),
          argv[i]);
    return EXIT_USAGE;
}

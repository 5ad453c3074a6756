#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/util.h"

enum ui_lang ui_lang = LANG_EN;

void i18n_init_from_env(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            ui_lang = strncmp(v, "ja", 2) == 0 ? LANG_JA : LANG_EN;
            return;
        }
    }
}

int i18n_set(const char *name)
{
    if (strcmp(name, "en") == 0 || strncmp(name, "en_", 3) == 0 || strcmp(name, "C") == 0)
        ui_lang = LANG_EN;
    else if (strcmp(name, "ja") == 0 || strncmp(name, "ja_", 3) == 0)
        ui_lang = LANG_JA;
    else
        return -1;
    return 0;
}

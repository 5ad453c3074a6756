/* i18n.h - user-facing text in English and Japanese.
 *
 * Every message a person reads is written as TR("English", "日本語"); the
 * language comes from --lang, else LANG/LC_ALL/LC_MESSAGES (ja* -> Japanese),
 * else English. Code, comments and log keys stay English.
 */
#ifndef MAMORI_I18N_H
#define MAMORI_I18N_H

enum ui_lang { LANG_EN = 0, LANG_JA = 1 };

extern enum ui_lang ui_lang;

#define TR(en, ja) (ui_lang == LANG_JA ? (ja) : (en))

/* Sets ui_lang from the environment. */
void i18n_init_from_env(void);
/* Sets ui_lang from a --lang value ("en", "ja"); returns -1 if unknown. */
int i18n_set(const char *name);

#endif

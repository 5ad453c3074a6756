/* texts-web.c - explanation texts of the web detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules). */
#include "detect/explain.h"

const struct alert_text alert_texts_web[] = {
    {.id = NULL},
};

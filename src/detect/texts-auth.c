/* texts-auth.c - explanation texts of the auth detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules). */
#include "detect/explain.h"

const struct alert_text alert_texts_auth[] = {
    {.id = NULL},
};

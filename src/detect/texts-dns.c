/* texts-dns.c - explanation texts of the dns detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules). */
#include "detect/explain.h"

const struct alert_text alert_texts_dns[] = {
    {.id = NULL},
};

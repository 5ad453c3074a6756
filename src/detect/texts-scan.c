/* texts-scan.c - explanation texts of the scan detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules). */
#include "detect/explain.h"

const struct alert_text alert_texts_scan[] = {
    {.id = NULL},
};

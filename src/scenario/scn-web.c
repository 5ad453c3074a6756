/* scn-web.c - scenarios for the web detectors (expectations in
 * tests/golden/scenarios-web.tsv). */
#include "scenario/scenario.h"

const struct scenario scn_table_web[] = {
    {.name = NULL},
};

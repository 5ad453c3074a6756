/* scn-practice.c - scenarios for the practice detectors (expectations in
 * tests/golden/scenarios-practice.tsv). */
#include "scenario/scenario.h"

const struct scenario scn_table_practice[] = {
    {.name = NULL},
};

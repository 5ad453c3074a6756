/* scn-intel.c - scenarios for the intel detectors (expectations in
 * tests/golden/scenarios-intel.tsv). */
#include "scenario/scenario.h"

const struct scenario scn_table_intel[] = {
    {.name = NULL},
};

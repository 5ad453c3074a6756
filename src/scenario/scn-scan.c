/* scn-scan.c - scenarios for the scan detectors (expectations in
 * tests/golden/scenarios-scan.tsv). */
#include "scenario/scenario.h"

const struct scenario scn_table_scan[] = {
    {.name = NULL},
};

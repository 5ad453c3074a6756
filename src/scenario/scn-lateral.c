/* scn-lateral.c - scenarios for the lateral detectors (expectations in
 * tests/golden/scenarios-lateral.tsv). */
#include "scenario/scenario.h"

const struct scenario scn_table_lateral[] = {
    {.name = NULL},
};

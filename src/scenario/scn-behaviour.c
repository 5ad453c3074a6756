/* scn-behaviour.c - scenarios for the behaviour detectors (expectations in
 * tests/golden/scenarios-behaviour.tsv). */
#include "scenario/scenario.h"

const struct scenario scn_table_behaviour[] = {
    {.name = NULL},
};

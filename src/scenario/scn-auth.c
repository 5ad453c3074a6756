/* scn-auth.c - scenarios for the auth detectors (expectations in
 * tests/golden/scenarios-auth.tsv). */
#include "scenario/scenario.h"

const struct scenario scn_table_auth[] = {
    {.name = NULL},
};

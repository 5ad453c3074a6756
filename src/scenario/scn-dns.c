/* scn-dns.c - scenarios for the dns detectors (expectations in
 * tests/golden/scenarios-dns.tsv). */
#include "scenario/scenario.h"

const struct scenario scn_table_dns[] = {
    {.name = NULL},
};

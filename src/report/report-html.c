/* report-html.c - the monthly report as one HTML page. (Being written.) */
#include "util/util.h"

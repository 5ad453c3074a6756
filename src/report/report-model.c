/* report-model.c - the monthly report data model. (Being written.) */
#include "util/util.h"

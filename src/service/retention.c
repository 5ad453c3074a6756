/* retention.c - pruning old data. (Being written.) */
#include "util/util.h"

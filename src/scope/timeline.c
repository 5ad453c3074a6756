/* timeline.c - `mamori timeline`: everything one device did. (Being written.) */
#include "util/util.h"

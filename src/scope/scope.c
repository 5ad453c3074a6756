/* scope.c - `mamori scope`: how far did it spread? (Being written.) */
#include "util/util.h"

/* notify.c - notifications. (Being written.) */
#include "util/util.h"

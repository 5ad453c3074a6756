/* det-intel.c - intel (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_intel = {
    .name = "intel",
};

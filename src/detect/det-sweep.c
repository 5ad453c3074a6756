/* det-sweep.c - scan.sweep (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_sweep = {
    .name = "scan.sweep",
};

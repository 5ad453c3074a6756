/* det-exfil.c - exfil.upload (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_exfil = {
    .name = "exfil.upload",
};

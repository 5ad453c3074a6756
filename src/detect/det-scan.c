/* det-scan.c - scan.port (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_scan = {
    .name = "scan.port",
};

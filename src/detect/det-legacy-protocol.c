/* det-legacy-protocol.c - legacy.protocol (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_legacy_protocol = {
    .name = "legacy.protocol",
};

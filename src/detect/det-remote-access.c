/* det-remote-access.c - remote_access (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_remote_access = {
    .name = "remote_access",
};

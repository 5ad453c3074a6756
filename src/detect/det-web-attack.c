/* det-web-attack.c - web.attack (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_web_attack = {
    .name = "web.attack",
};

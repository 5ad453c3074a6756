/* det-spam.c - spam.burst (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_spam = {
    .name = "spam.burst",
};

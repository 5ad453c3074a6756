/* det-dos.c - dos (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_dos = {
    .name = "dos",
};

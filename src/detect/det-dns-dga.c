/* det-dns-dga.c - dns.dga (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_dns_dga = {
    .name = "dns.dga",
};

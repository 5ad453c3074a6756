/* det-dns-tunnel.c - dns.tunnel (not written yet: a placeholder so the stage links). */
#include "detect/detect.h"

const struct detector_ops det_dns_tunnel = {
    .name = "dns.tunnel",
};

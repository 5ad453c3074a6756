/* app-ndpi.c - nDPI names what our own parsers do not read: remote-access
 * tools, Tor, BitTorrent, cloud storage, VPNs, messaging.
 *
 * Only flows that no parser of ours took get here, and only their first few
 * packets, so its cost stays off the common path. */
#include <ctype.h>
#include <string.h>

#include <ndpi/ndpi_api.h>
/* nDPI defines its own MIN/MAX; ours (util.h) are the same macros. */
#undef MIN
#undef MAX

#include "app/app-ndpi.h"
#include "util/util.h"

struct app_ndpi {
    struct ndpi_detection_module_struct *mod;
};

struct app_ndpi_flow {
    struct ndpi_flow_struct *f;
};

struct app_ndpi *app_ndpi_new(void)
{
    /* Tor exit-node lists are a file nDPI may not find; our parsers already
     * set up libgcrypt-free crypto, but nDPI's TLS/QUIC dissectors want it
     * initialised, so let nDPI do that. */
    struct ndpi_detection_module_struct *mod = ndpi_init_detection_module(ndpi_no_prefs);
    if (!mod) {
        warning("nDPI could not start: flows not parsed by mamori stay unnamed");
        return NULL;
    }
    NDPI_PROTOCOL_BITMASK all;
    NDPI_BITMASK_SET_ALL(all);
    ndpi_set_protocol_detection_bitmask2(mod, &all);
    ndpi_finalize_initialization(mod);
    struct app_ndpi *n = xcalloc(1, sizeof(*n));
    n->mod = mod;
    return n;
}

void app_ndpi_free(struct app_ndpi *n)
{
    if (!n)
        return;
    ndpi_exit_detection_module(n->mod);
    free(n);
}

size_t app_ndpi_flow_size(void)
{
    return sizeof(struct app_ndpi_flow) + ndpi_detection_get_sizeof_ndpi_flow_struct();
}

struct app_ndpi_flow *app_ndpi_flow_new(struct app_ndpi *n)
{
    (void)n;
    struct app_ndpi_flow *nf = xcalloc(1, sizeof(*nf));
    nf->f = xcalloc(1, ndpi_detection_get_sizeof_ndpi_flow_struct());
    return nf;
}

void app_ndpi_flow_free(struct app_ndpi_flow *nf)
{
    if (!nf)
        return;
    /* ndpi_free_flow_data releases what nDPI allocated inside the flow
     * (host names, certificate strings) without freeing the struct. */
    ndpi_free_flow_data(nf->f);
    free(nf->f);
    free(nf);
}

/* "AnyDesk" -> "anydesk"; the application name when nDPI has one
 * ("TLS.AnyDesk": anydesk), else the transport-level one. */
static void app_ndpi_name(struct app_ndpi *n, ndpi_protocol p, char *name, size_t namelen)
{
    uint16_t id = p.app_protocol != NDPI_PROTOCOL_UNKNOWN ? p.app_protocol : p.master_protocol;
    name[0] = '\0';
    if (id == NDPI_PROTOCOL_UNKNOWN)
        return;
    const char *s = ndpi_get_proto_name(n->mod, id);
    if (!s)
        return;
    size_t i = 0;
    for (; s[i] && i + 1 < namelen; i++)
        name[i] = (char)tolower((unsigned char)s[i]);
    name[i] = '\0';
}

bool app_ndpi_packet(struct app_ndpi *n, struct app_ndpi_flow *nf, const uint8_t *l3,
                     uint32_t len, uint64_t ts_us, char *name, size_t namelen)
{
    if (len > 65535)
        len = 65535;
    ndpi_protocol p = ndpi_detection_process_packet(n->mod, nf->f, l3, (unsigned short)len,
                                                    ts_us / 1000);
    if (p.app_protocol == NDPI_PROTOCOL_UNKNOWN && p.master_protocol == NDPI_PROTOCOL_UNKNOWN)
        return false;
    app_ndpi_name(n, p, name, namelen);
    return true;
}

void app_ndpi_giveup(struct app_ndpi *n, struct app_ndpi_flow *nf, char *name, size_t namelen)
{
    uint8_t guessed = 0;
    ndpi_protocol p = ndpi_detection_giveup(n->mod, nf->f, 1, &guessed);
    app_ndpi_name(n, p, name, namelen);
}

/* decode.c - the decode driver: link-type dispatch, event names, helpers. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/defrag.h"
#include "util/util.h"

static const char *const event_names[DEV_MAX] = {
#define X(id, name) [id] = name,
    DECODE_EVENT_LIST(X)
#undef X
};

const char *decode_event_name(enum decode_event ev)
{
    if ((unsigned)ev >= DEV_MAX)
        return "decode.unknown";
    return event_names[ev];
}

void decode_config_defaults(struct decode_config *cfg)
{
    cfg->defrag_max_trackers = DEFAULT_DEFRAG_MAX_TRACKERS;
    cfg->defrag_memcap = DEFAULT_DEFRAG_MEMCAP;
    cfg->defrag_timeout_s = DEFAULT_DEFRAG_TIMEOUT_S;
    cfg->vxlan_port = VXLAN_PORT;
}

void decode_ctx_init(struct decode_ctx *ctx, const struct decode_config *cfg)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->cfg = *cfg;
    ctx->defrag = defrag_new(cfg);
}

void decode_ctx_release(struct decode_ctx *ctx)
{
    defrag_free(ctx->defrag);
    ctx->defrag = NULL;
}

int decode_packet(struct decode_ctx *ctx, struct packet *pkt)
{
    /* Reset only the decoded part: the capture layer owns the rest. */
    pkt->has_eth = false;
    pkt->vlan_count = 0;
    pkt->ethertype = 0;
    pkt->has_arp = false;
    pkt->layer_count = 0;
    pkt->malformed = false;
    ctx->now_us = pkt->ts_us;

    if (pkt->caplen < pkt->wirelen)
        ctx->events[DEV_CAPLEN_TRUNCATED]++;

    switch (pkt->linktype) {
    case LINKTYPE_ETHERNET:
        return decode_ethernet(ctx, pkt, pkt->data, pkt->caplen);
    case LINKTYPE_LINUX_SLL:
        return decode_sll(ctx, pkt, pkt->data, pkt->caplen);
    case LINKTYPE_LINUX_SLL2:
        return decode_sll2(ctx, pkt, pkt->data, pkt->caplen);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
        return decode_null(ctx, pkt, pkt->data, pkt->caplen);
    case LINKTYPE_RAW:
    case DLT_RAW_BSD:
    case DLT_RAW_BSD2:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
        return decode_raw(ctx, pkt, pkt->data, pkt->caplen, TUNNEL_NONE);
    default:
        decode_event(ctx, pkt, DEV_LINK_UNSUPPORTED);
        return DECODE_ERR;
    }
}

struct ip_layer *decode_push_layer(struct decode_ctx *ctx, struct packet *pkt)
{
    if (pkt->layer_count >= MAX_IP_LAYERS) {
        decode_event(ctx, pkt, DEV_TUNNEL_TOO_DEEP);
        return NULL;
    }
    struct ip_layer *l = &pkt->layers[pkt->layer_count++];
    memset(l, 0, sizeof(*l));
    return l;
}

void ip_addr_from_v4(struct ip_addr *a, const uint8_t v4[4])
{
    memset(a->b, 0, 10);
    a->b[10] = 0xff;
    a->b[11] = 0xff;
    memcpy(a->b + 12, v4, 4);
}

void ip_addr_fmt(const struct ip_addr *a, char *buf, unsigned len)
{
    const char *r;
    if (ip_addr_is_v4(a))
        r = inet_ntop(AF_INET, a->b + 12, buf, len);
    else
        r = inet_ntop(AF_INET6, a->b, buf, len);
    if (!r && len)
        buf[0] = '\0';
}

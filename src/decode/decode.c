/* decode.c - the decode driver: link-type dispatch, event names, helpers. */
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

/* Decimal of an address byte at p; returns the end. Two digits at a time
 * from a table of "00".."99". */
static char *fmt_dec8(char *p, unsigned v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    if (v < 10) {
        *p++ = (char)('0' + v);
    } else if (v < 100) {
        memcpy(p, pairs + 2 * v, 2);
        p += 2;
    } else {
        unsigned h = v / 100;
        *p++ = (char)('0' + h);
        memcpy(p, pairs + 2 * (v - 100 * h), 2);
        p += 2;
    }
    return p;
}

static char *fmt_dotted(char *p, const uint8_t b[4])
{
    for (int i = 0; i < 4; i++) {
        p = fmt_dec8(p, b[i]);
        if (i < 3)
            *p++ = '.';
    }
    return p;
}

/* The text inet_ntop() writes (for IPv6 glibc's RFC 5952 form: the longest
 * run of two or more zero groups, the first of equal runs, becomes "::";
 * ::a.b.c.d and ::ffff:a.b.c.d keep the dotted quad), without its sprintf
 * per part: every flow row, EVE line and alert formats two addresses, and
 * inet_ntop was 1 to 3 thousand instructions an address. test-decode-ipv6
 * checks it against inet_ntop. Writes at p and returns the end, after the
 * NUL; p needs IP_ADDR_TEXT_MAX bytes. */
static char *addr_text(const struct ip_addr *a, char *p)
{
    if (ip_addr_is_v4(a)) {
        p = fmt_dotted(p, a->b + 12);
        *p++ = '\0';
        return p;
    }
    unsigned w[8];
    int best = -1, best_len = 0, cur = -1, cur_len = 0;
    for (int i = 0; i < 8; i++) {
        w[i] = (unsigned)a->b[2 * i] << 8 | a->b[2 * i + 1];
        if (w[i] == 0) {
            if (cur < 0)
                cur = i;
            cur_len = i - cur + 1;
            continue;
        }
        if (cur >= 0 && cur_len > best_len) {
            best = cur;
            best_len = cur_len;
        }
        cur = -1;
    }
    if (cur >= 0 && cur_len > best_len) {
        best = cur;
        best_len = cur_len;
    }
    if (best_len < 2)
        best = -1;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + best_len) {
            if (i == best)
                *p++ = ':';
            continue;
        }
        if (i)
            *p++ = ':';
        if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
            p = fmt_dotted(p, a->b + 12);
            break;
        }
        p = put_hex(p, w[i]); /* lower case, no leading zeros */
    }
    if (best >= 0 && best + best_len == 8)
        *p++ = ':';
    *p++ = '\0';
    return p;
}

/* An empty string if the text does not fit. */
void ip_addr_fmt(const struct ip_addr *a, char *buf, unsigned len)
{
    if (len >= IP_ADDR_TEXT_MAX) {
        addr_text(a, buf);
        return;
    }
    char tmp[IP_ADDR_TEXT_MAX];
    size_t n = (size_t)(addr_text(a, tmp) - tmp);
    if (n > len) {
        if (len)
            buf[0] = '\0';
        return;
    }
    memcpy(buf, tmp, n);
}

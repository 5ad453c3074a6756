/* decode-icmpv6.c - ICMPv6 (RFC 4443): type, code and the echo identifiers.
 *
 * Error messages (types 1-4) quote the offending packet; as for ICMPv4 the
 * quote is not decoded. Neighbour discovery options are left for later. */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129

/* Assigned in the IANA ICMPv6 registry: errors 1-4, private experiments
 * 100/101 and 200/201, informational 127-161, 255 reserved for expansion. */
static bool icmpv6_type_known(uint8_t type)
{
    return (type >= 1 && type <= 4) || type == 100 || type == 101 || (type >= 127 && type <= 161) ||
           type == 200 || type == 201 || type == 255;
}

int decode_icmpv6(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
                  uint32_t len)
{
    /* Same 8-byte layout as ICMPv4 (RFC 4443 section 2.1, 4.1). */
    int rc = decode_icmp_header(ctx, pkt, l, p, len, DEV_ICMPV6_TOO_SMALL, ICMP6_ECHO_REQUEST,
                                ICMP6_ECHO_REPLY);
    if (rc == DECODE_OK && !icmpv6_type_known(l->icmp_type))
        decode_note(ctx, DEV_ICMPV6_UNKNOWN_TYPE);
    return rc;
}

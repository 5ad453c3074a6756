/* defrag.h - IPv4 and IPv6 fragment reassembly with memory and time limits.
 *
 * Trackers are keyed by (version, src, dst, id, proto) and live until the
 * datagram completes, times out (packet time) or the table/memcap is full,
 * in which case the oldest tracker is dropped and the event counted. Overlaps:
 * first data wins (like Linux/BSD "first" policy); an overlap with different
 * bytes is counted as DEV_IPV4_FRAG_OVERLAP / DEV_IPV6_FRAG_OVERLAP.
 */
#ifndef MAMORI_DEFRAG_H
#define MAMORI_DEFRAG_H

#include <stdint.h>

#include "decode/decode.h"

struct defrag;

/* Creates a tracker table; free with defrag_free(). */
struct defrag *defrag_new(const struct decode_config *cfg);
void defrag_free(struct defrag *d);

/* Adds one fragment: `frag`/`frag_len` is the fragment data at byte offset
 * `offset` of the datagram; `more` is the MF flag. The frame's wire length
 * (pkt->wirelen) is credited to the flow when the datagram completes.
 *
 * Returns 1 when the datagram is complete: *out points to the reassembled
 * transport payload (valid until the next defrag call) and *out_len is its
 * length; *frames and *wire_bytes say what the fragments carried in all.
 * Returns 0 when more fragments are needed, DECODE_ERR when the fragment was
 * rejected (event counted). */
int defrag_add(struct defrag *d, struct decode_ctx *ctx, struct packet *pkt, uint8_t ip_version,
               const struct ip_addr *src, const struct ip_addr *dst, uint32_t id, uint8_t proto,
               uint32_t offset, int more, const uint8_t *frag, uint32_t frag_len,
               const uint8_t **out, uint32_t *out_len, uint32_t *frames, uint64_t *wire_bytes);

/* Drops trackers older than the timeout at packet time now_us. */
void defrag_expire(struct defrag *d, struct decode_ctx *ctx, uint64_t now_us);

/* Current memory held (bytes) and trackers in use, for stats. */
uint64_t defrag_mem_used(const struct defrag *d);
uint32_t defrag_trackers(const struct defrag *d);

#endif

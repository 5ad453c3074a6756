/* stream-tcp.h - TCP stream reassembly for the protocol parsers.
 *
 * Each direction of a TCP connection is turned back into the byte stream the
 * sender wrote: in-order bytes go to a callback as soon as they are
 * contiguous, out-of-order segments are copied and held (bounded per flow and
 * globally) until the hole before them is filled or given up on.
 *
 * Ownership: the caller owns each struct stream_tcp (it lives in its flow
 * data) and the struct stream_pool; the module owns the out-of-order copies
 * and frees them in stream_tcp_release(), which the caller must call before
 * dropping or reusing the struct stream_tcp. Data passed in is borrowed for
 * the call; data passed to the callback is borrowed for the callback.
 *
 * Policy (what an IDS must decide because the two hosts may disagree):
 * - Sequence numbers compare as RFC 1982 serial numbers, so a stream may
 *   cross 2^32.
 * - A SYN sets the initial sequence number and consumes one sequence number.
 *   Without a SYN the first data segment seen starts the stream (mid-stream
 *   pickup); anything before it is lost.
 * - Bytes already delivered are never delivered again: retransmissions and
 *   the old part of a partial retransmission are dropped silently.
 * - Overlapping buffered data: the first copy seen wins. Each overlap is
 *   counted, and one whose bytes differ is also counted as overlap_mismatch
 *   (an evasion attempt or a broken stack).
 * - A hole that can never be filled is skipped and counted as a gap: when
 *   the out-of-order buffer of a flow is full (bytes or segments) the oldest
 *   hole is skipped automatically; at flow end the caller skips the rest with
 *   stream_tcp_gap(). The parser sees the bytes after a gap as if they were
 *   contiguous, so it must resynchronise (the gap counter tells it when).
 * - After `depth` bytes of stream (delivered plus skipped) in a direction,
 *   nothing more is kept or delivered in that direction.
 * - Segments starting more than STREAM_MAX_WINDOW ahead of the next expected
 *   byte are dropped as out of window: RFC 7323 caps a real window at 2^30.
 * - FIN and RST do not change reassembly: a FIN's data is data; ending the
 *   stream is the flow table's decision (then the caller calls
 *   stream_tcp_gap() and stream_tcp_release()).
 */
#ifndef MAMORI_STREAM_TCP_H
#define MAMORI_STREAM_TCP_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 7323 section 2.3: the largest window a sender can use is 2^30 bytes,
 * so a segment further ahead than that is not part of this stream. It also
 * keeps every offset below 2^31, where serial-number comparison holds. */
#define STREAM_MAX_WINDOW (1u << 30)

struct stream_config {
    uint32_t depth;                  /* stream bytes kept per direction, 0 = unlimited */
    uint32_t max_ooo_bytes_per_flow; /* out-of-order payload held per flow (both
                                      * directions together), 0 = none held */
    uint64_t memcap;                 /* memory for held segments, all flows; 0 = unlimited */
};

struct stream_stats {
    uint64_t bytes_held;       /* payload bytes held out of order right now */
    uint64_t segs_held;        /* segments held right now */
    uint64_t memcap_drops;     /* segments (or parts) not held because of memcap */
    uint64_t flow_cap_skips;   /* gaps skipped because a flow's buffer was full */
    uint64_t overlaps;         /* new data overlapping held data */
    uint64_t overlap_mismatch; /* ... with different bytes (first copy kept) */
    uint64_t gaps;             /* holes skipped */
    uint64_t gap_bytes;        /* sequence space skipped by them */
    uint64_t out_of_window;    /* segments dropped as too far ahead */
    uint64_t depth_reached;    /* directions that reached depth */
};

struct stream_pool {
    struct stream_config cfg;
    uint64_t mem_used; /* bytes allocated for held segments, headers included */
    struct stream_stats stats;
};

struct stream_seg; /* private to stream-tcp.c */

struct stream_dir {
    struct stream_seg *ooo; /* held segments: sorted, disjoint, all after next_seq */
    uint32_t isn;           /* SYN's sequence number, or the first data byte's */
    uint32_t next_seq;      /* next byte expected (inside the callback: the
                             * sequence number of its first byte) */
    uint32_t ooo_bytes;     /* payload bytes held */
    uint32_t ooo_segs;      /* segments held, at most MAX_STREAM_OOO_SEGS */
    uint64_t delivered;     /* bytes given to the callback */
    uint64_t consumed;      /* delivered plus skipped: the stream offset of next_seq */
    uint32_t gaps;          /* holes skipped in this direction */
    bool started;           /* isn/next_seq are valid */
    bool syn_seen;
    bool depth_reached;
};

/* Zero-initialise (or stream_tcp_init()) before the first segment. */
struct stream_tcp {
    struct stream_dir dir[2]; /* [0] toserver, [1] toclient, as in struct flow */
};

/* In-order stream bytes of direction `dir`; `data` is valid for the call only. */
typedef void (*stream_data_fn)(void *arg, int dir, const uint8_t *data, uint32_t len);

/* Defaults: depth 1 MiB, 64 KiB out of order per flow, 64 MiB memcap. */
void stream_config_defaults(struct stream_config *cfg);
void stream_pool_init(struct stream_pool *pool, const struct stream_config *cfg);

void stream_tcp_init(struct stream_tcp *st);

/* One TCP segment of direction `dir` (0 or 1): `flags` are the TCP flags (TH_*
 * in decode/packet.h), `seq` its sequence number, `data`/`len` its payload.
 * Calls cb for every byte range that became contiguous, in stream order.
 * Returns 0, or -1 if dir is not 0/1 or len is not below STREAM_MAX_WINDOW
 * (a caller bug: no TCP segment is that long) and nothing was done. */
int stream_tcp_segment(struct stream_pool *pool, struct stream_tcp *st, int dir, uint8_t flags,
                       uint32_t seq, const uint8_t *data, uint32_t len, stream_data_fn cb,
                       void *arg);

/* Gives up on every hole in direction `dir` (or both when dir is -1): skips
 * each, counting it, and delivers the held data after it. Call it when the
 * flow ends so that held data still reaches the parser. Returns the number of
 * holes skipped. */
unsigned stream_tcp_gap(struct stream_pool *pool, struct stream_tcp *st, int dir, stream_data_fn cb,
                        void *arg);

/* Frees every held segment; st can then be reused after stream_tcp_init(). */
void stream_tcp_release(struct stream_pool *pool, struct stream_tcp *st);

#endif

/* cap-pcap.h - the only place that talks to libpcap.
 *
 * Opens capture files (pcap, pcapng, either of them gzip-compressed) and live
 * interfaces, applies a BPF filter, and hands each packet to a callback as a
 * struct packet with ts_us/num/caplen/wirelen/linktype/data filled in.
 */
#ifndef MAMORI_CAP_PCAP_H
#define MAMORI_CAP_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode/packet.h"

struct cap;

/* Called for every packet; return non-zero to stop the loop. For a live
 * capture it is also called with pkt == NULL when the read timeout passes
 * with no packet, so the caller can commit and expire flows. */
typedef int (*cap_packet_fn)(void *arg, struct packet *pkt);

/* Opens a capture file (format detected from its contents; gzip is
 * decompressed on the fly). On failure returns NULL and writes a one-line
 * reason (without the file name) to err. */
struct cap *cap_open_file(const char *path, char *err, size_t errlen);

/* Opens a capture from an already open stream (used by the fuzz target and
 * tests; the cap takes ownership of fp). */
struct cap *cap_open_stream(FILE *fp, char *err, size_t errlen);

/* Opens a live interface: activates it; the caller drops privileges right
 * after this returns. NULL with a reason in err on failure. */
struct cap *cap_open_live(const char *iface, uint32_t snaplen, uint32_t buffer_mb, char *err,
                          size_t errlen);

/* Compiles and installs a BPF filter. -1 with a reason in err. */
int cap_set_filter(struct cap *c, const char *bpf, char *err, size_t errlen);

int cap_linktype(const struct cap *c);

/* Reads packets until the end of the file, an error, cap_break() or the
 * callback asking to stop. Returns 1 at a clean end of file, 0 when stopped,
 * -1 on a read error (reason in err: e.g. "truncated packet record"). */
int cap_loop(struct cap *c, cap_packet_fn fn, void *arg, char *err, size_t errlen);

/* Several live captures read by one thread (`watch -i eth0 -i eth1`): waits
 * up to timeout_ms for any of the n captures (NULL entries, interfaces
 * being reopened, are skipped; with none it only waits), then reads what
 * each one holds without blocking, handing every packet to fn (pkt->linktype
 * is that capture's). Returns 0 after a round, 1 when fn asked to stop, -1
 * when capture *bad failed (*bad == n: poll() itself failed; reason in
 * err). The captures before *bad were read this round, the others will be
 * next round. n is at most CAP_POLL_MAX. */
#define CAP_POLL_MAX 16
int cap_poll(struct cap *const *caps, unsigned n, int timeout_ms, cap_packet_fn fn, void *arg,
             unsigned *bad, char *err, size_t errlen);

/* Asks a running cap_loop() to return (async-signal-safe). */
void cap_break(struct cap *c);

/* Kernel / interface drop counters of a live capture (0 for files). */
void cap_drops(struct cap *c, uint64_t *kernel, uint64_t *iface);

/* Packets this capture handed over so far. */
uint64_t cap_packets(const struct cap *c);

/* File descriptor to poll for a live capture, -1 for files. */
int cap_fd(const struct cap *c);

void cap_close(struct cap *c);

#endif

/* pcap-writer.h - writes classic pcap files (microsecond timestamps).
 *
 * Only the scenario generator writes captures; the analysis path reads them
 * through libpcap. The format is the one libpcap documents in
 * pcap-savefile(5): a 24-byte file header, then per packet a 16-byte record
 * header and the bytes. We write it in host byte order, as libpcap does.
 *
 * Errors are sticky: after a failed write every later call is a no-op and
 * pcap_writer_close() returns -1, so callers check once at the end.
 */
#ifndef MAMORI_PCAP_WRITER_H
#define MAMORI_PCAP_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_LINKTYPE_ETHERNET 1u
#define PCAP_DEFAULT_SNAPLEN 262144u

struct pcap_writer {
    FILE *fp;
    bool own_fp;     /* false for stdout: close only flushes */
    bool failed;     /* sticky error */
    int saved_errno; /* errno of the first failure */
    uint32_t snaplen;
    uint64_t packets, bytes;
};

/* Opens path ("-" for stdout) and writes the file header. Returns 0, or -1
 * with errno set (nothing to close then). */
int pcap_writer_open(struct pcap_writer *w, const char *path, uint32_t snaplen, uint32_t linktype);

/* Writes one record; caplen = MIN(len, snaplen), wire length = len.
 * Returns 0 or -1 (sticky). */
int pcap_writer_write(struct pcap_writer *w, uint64_t ts_us, const uint8_t *data, uint32_t len);

/* Writes one record of which only caplen bytes were captured out of wirelen
 * on the wire (caplen also capped at snaplen). Returns 0 or -1 (sticky). */
int pcap_writer_write_cut(struct pcap_writer *w, uint64_t ts_us, const uint8_t *data,
                          uint32_t caplen, uint32_t wirelen);

/* Flushes and closes. Returns 0, or -1 with errno set if any write failed. */
int pcap_writer_close(struct pcap_writer *w);

#endif

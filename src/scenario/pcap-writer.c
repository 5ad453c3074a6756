/* pcap-writer.c - classic pcap output for the scenario generator. */
#include <errno.h>
#include <string.h>

#include "scenario/pcap-writer.h"
#include "util/util.h"

static void pw_put32(uint8_t *p, uint32_t v)
{
    /* Host order on purpose: readers detect it from the magic number. */
    memcpy(p, &v, 4);
}

static void pw_put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static int pw_write(struct pcap_writer *w, const void *buf, size_t n)
{
    if (w->failed)
        return -1;
    if (n && fwrite(buf, 1, n, w->fp) != n) {
        w->failed = true;
        w->saved_errno = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

int pcap_writer_open(struct pcap_writer *w, const char *path, uint32_t snaplen, uint32_t linktype)
{
    uint8_t hdr[24];

    memset(w, 0, sizeof(*w));
    w->snaplen = snaplen ? snaplen : PCAP_DEFAULT_SNAPLEN;
    if (strcmp(path, "-") == 0) {
        w->fp = stdout;
        w->own_fp = false;
    } else {
        w->fp = fopen(path, "wb");
        if (!w->fp)
            return -1;
        w->own_fp = true;
    }
    pw_put32(hdr, PCAP_MAGIC_USEC);
    pw_put16(hdr + 4, 2); /* version 2.4 */
    pw_put16(hdr + 6, 4);
    pw_put32(hdr + 8, 0);  /* thiszone: always 0, timestamps are UTC */
    pw_put32(hdr + 12, 0); /* sigfigs */
    pw_put32(hdr + 16, w->snaplen);
    pw_put32(hdr + 20, linktype);
    pw_write(w, hdr, sizeof(hdr));
    return 0;
}

int pcap_writer_write(struct pcap_writer *w, uint64_t ts_us, const uint8_t *data, uint32_t len)
{
    uint8_t rec[16];
    uint32_t caplen = MIN(len, w->snaplen);

    pw_put32(rec, (uint32_t)(ts_us / 1000000u));
    pw_put32(rec + 4, (uint32_t)(ts_us % 1000000u));
    pw_put32(rec + 8, caplen);
    pw_put32(rec + 12, len);
    if (pw_write(w, rec, sizeof(rec)) < 0 || pw_write(w, data, caplen) < 0)
        return -1;
    w->packets++;
    w->bytes += len;
    return 0;
}

int pcap_writer_write_cut(struct pcap_writer *w, uint64_t ts_us, const uint8_t *data,
                          uint32_t caplen, uint32_t wirelen)
{
    uint8_t rec[16];

    caplen = MIN(caplen, w->snaplen);
    if (wirelen < caplen)
        wirelen = caplen;
    pw_put32(rec, (uint32_t)(ts_us / 1000000u));
    pw_put32(rec + 4, (uint32_t)(ts_us % 1000000u));
    pw_put32(rec + 8, caplen);
    pw_put32(rec + 12, wirelen);
    if (pw_write(w, rec, sizeof(rec)) < 0 || pw_write(w, data, caplen) < 0)
        return -1;
    w->packets++;
    w->bytes += wirelen;
    return 0;
}

int pcap_writer_close(struct pcap_writer *w)
{
    int rc = 0;

    if (!w->fp)
        return 0;
    if (fflush(w->fp) != 0 && !w->failed) {
        w->failed = true;
        w->saved_errno = errno ? errno : EIO;
    }
    if (w->own_fp && fclose(w->fp) != 0 && !w->failed) {
        w->failed = true;
        w->saved_errno = errno ? errno : EIO;
    }
    w->fp = NULL;
    if (w->failed) {
        errno = w->saved_errno;
        rc = -1;
    }
    return rc;
}

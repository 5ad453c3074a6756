/* cap-pcap.c - capture files and live interfaces through libpcap.
 *
 * libpcap reads pcap and pcapng itself (format from the magic number). For
 * gzip-compressed files we wrap a zlib gzFile in a stdio stream with
 * fopencookie() and hand that to pcap_fopen_offline(), so nothing is
 * decompressed to disk.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "capture/cap-pcap.h"
#include "util/util.h"

/* stdio buffer of a capture file: one read (or gzread) per 256 KiB. */
#define CAP_FILE_BUF (256 * 1024)

struct cap {
    pcap_t *pcap;
    int linktype;
    int live;
    uint64_t num;
    char *iobuf; /* the file's stdio buffer (CAP_FILE_BUF), freed after pcap_close */
};

static ssize_t gz_cookie_read(void *cookie, char *buf, size_t size)
{
    /* gzread takes an unsigned int: read in chunks well below that. */
    if (size > (1u << 30))
        size = 1u << 30;
    int n = gzread((gzFile)cookie, buf, (unsigned)size);
    if (n < 0) {
        errno = EIO;
        return -1;
    }
    return n;
}

static int gz_cookie_close(void *cookie)
{
    return gzclose_r((gzFile)cookie) == Z_OK ? 0 : -1;
}

/* Returns a stdio stream of the decompressed bytes, or NULL. */
static FILE *gz_stream(const char *path, char *err, size_t errlen)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        snprintf(err, errlen, "%s", strerror(errno ? errno : EIO));
        return NULL;
    }
    gzbuffer(gz, CAP_FILE_BUF);
    cookie_io_functions_t io = {.read = gz_cookie_read, .close = gz_cookie_close};
    FILE *fp = fopencookie(gz, "rb", io);
    if (!fp) {
        gzclose_r(gz);
        snprintf(err, errlen, "%s", strerror(errno));
    }
    return fp;
}

/* libpcap's messages are long and mention internals; say what it means. */
static void explain_open_error(const char *pcap_msg, char *err, size_t errlen)
{
    if (strstr(pcap_msg, "unknown file format"))
        snprintf(err, errlen, "not a pcap or pcapng capture file");
    else if (strstr(pcap_msg, "truncated dump file") || strstr(pcap_msg, "truncated pcapng"))
        snprintf(err, errlen, "capture file header is truncated");
    else
        snprintf(err, errlen, "%s", pcap_msg);
}

static struct cap *cap_from_pcap(pcap_t *p, int live)
{
    struct cap *c = xcalloc(1, sizeof(*c));
    c->pcap = p;
    c->linktype = pcap_datalink(p);
    c->live = live;
    return c;
}

/* Opens a capture on fp, whose stdio buffer is iobuf (or its own when NULL):
 * the cap owns both. */
static struct cap *cap_open_fp(FILE *fp, char *iobuf, char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
    if (!p) {
        fclose(fp);
        free(iobuf);
        explain_open_error(ebuf, err, errlen);
        return NULL;
    }
    struct cap *c = cap_from_pcap(p, 0);
    c->iobuf = iobuf;
    return c;
}

struct cap *cap_open_stream(FILE *fp, char *err, size_t errlen)
{
    return cap_open_fp(fp, NULL, err, errlen);
}

struct cap *cap_open_file(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "is a directory, not a capture file");
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    /* A big stdio buffer, one read (or gzread) per 256 KiB instead of per
     * 4 KiB. glibc only honours a size with a buffer, and only before the
     * stream's first read. */
    char *iobuf = xmalloc(CAP_FILE_BUF);
    setvbuf(fp, iobuf, _IOFBF, CAP_FILE_BUF);
    /* Only the capture loop reads the stream: no stdio lock around each of
     * libpcap's two freads a packet (the sensor has other threads, so glibc
     * would take it). */
    __fsetlocking(fp, FSETLOCKING_BYCALLER);
    unsigned char magic[2] = {0, 0};
    size_t n = fread(magic, 1, 2, fp);
    if (n == 0 && S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "empty file, not a capture");
        goto fail;
    }
    if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        fclose(fp);
        fp = gz_stream(path, err, errlen);
        if (!fp)
            goto fail;
        setvbuf(fp, iobuf, _IOFBF, CAP_FILE_BUF);
        __fsetlocking(fp, FSETLOCKING_BYCALLER);
        /* A gzip file of nothing is as empty as an empty file. */
        int c = fgetc(fp);
        if (c == EOF) {
            snprintf(err, errlen, "empty or corrupt gzip file, not a capture");
            goto fail;
        }
        ungetc(c, fp);
    } else if (fseek(fp, 0, SEEK_SET) < 0) {
        snprintf(err, errlen, "cannot seek: %s", strerror(errno));
        goto fail;
    }
    return cap_open_fp(fp, iobuf, err, errlen);

fail:
    if (fp)
        fclose(fp);
    free(iobuf);
    return NULL;
}

struct cap *cap_open_live(const char *iface, uint32_t snaplen, uint32_t buffer_mb, char *err,
                          size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(iface, ebuf);
    if (!p) {
        snprintf(err, errlen, "%s", ebuf);
        return NULL;
    }
    pcap_set_snaplen(p, (int)snaplen);
    pcap_set_promisc(p, 1);
    /* 250 ms: the loop wakes up at least that often to commit and expire
     * flows even on a quiet line. */
    pcap_set_timeout(p, 250);
    pcap_set_buffer_size(p, (int)(buffer_mb * 1024u * 1024u));
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO);
    int rc = pcap_activate(p);
    if (rc < 0) {
        switch (rc) {
        case PCAP_ERROR_NO_SUCH_DEVICE:
            snprintf(err, errlen, "no such network interface");
            break;
        case PCAP_ERROR_PERM_DENIED:
            snprintf(err, errlen, "permission denied (run as root or give the binary "
                                  "CAP_NET_RAW,CAP_NET_ADMIN)");
            break;
        case PCAP_ERROR_IFACE_NOT_UP:
            snprintf(err, errlen, "interface is down");
            break;
        default:
            snprintf(err, errlen, "%s", pcap_geterr(p));
            break;
        }
        pcap_close(p);
        return NULL;
    }
    if (rc > 0)
        warning("'%s': %s", iface, pcap_statustostr(rc));
    /* cap_poll() reads without blocking. */
    if (pcap_setnonblock(p, 1, ebuf) < 0) {
        snprintf(err, errlen, "cannot poll the capture: %s", ebuf);
        pcap_close(p);
        return NULL;
    }
    return cap_from_pcap(p, 1);
}

int cap_set_filter(struct cap *c, const char *bpf, char *err, size_t errlen)
{
    struct bpf_program prog;
    if (pcap_compile(c->pcap, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0) {
        snprintf(err, errlen, "bad filter '%s': %s", bpf, pcap_geterr(c->pcap));
        return -1;
    }
    int rc = pcap_setfilter(c->pcap, &prog);
    pcap_freecode(&prog);
    if (rc < 0) {
        snprintf(err, errlen, "cannot set filter: %s", pcap_geterr(c->pcap));
        return -1;
    }
    return 0;
}

int cap_linktype(const struct cap *c)
{
    return c->linktype;
}

/* libpcap's read errors, in words a user can act on. */
static void explain_read_error(const char *pcap_msg, char *err, size_t errlen)
{
    if (strstr(pcap_msg, "truncated"))
        snprintf(err, errlen, "truncated packet record at the end (file cut short?)");
    else if (strstr(pcap_msg, "bigger than") || strstr(pcap_msg, "invalid packet capture length"))
        snprintf(err, errlen, "corrupt packet record (%s)", pcap_msg);
    else
        snprintf(err, errlen, "%s", pcap_msg);
}

static void cap_fill(struct cap *c, struct packet *pkt, const struct pcap_pkthdr *h,
                     const u_char *data)
{
    pkt->ts_us = h->ts.tv_sec < 0 ? 0
                                  : (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
    pkt->num = ++c->num;
    pkt->caplen = h->caplen;
    pkt->wirelen = h->len < h->caplen ? h->caplen : h->len;
    pkt->linktype = c->linktype;
    pkt->data = data;
}

struct live_ctx {
    struct cap *c;
    cap_packet_fn fn;
    void *arg;
    int stop;
};

static void live_one(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    struct live_ctx *lc = (struct live_ctx *)user;
    struct packet pkt;
    if (lc->stop)
        return;
    cap_fill(lc->c, &pkt, h, data);
    if (lc->fn(lc->arg, &pkt)) {
        lc->stop = 1;
        pcap_breakloop(lc->c->pcap);
    }
}

int cap_poll(struct cap *const *caps, unsigned n, int timeout_ms, cap_packet_fn fn, void *arg,
             unsigned *bad, char *err, size_t errlen)
{
    struct pollfd pfd[CAP_POLL_MAX];
    unsigned nfd = 0;
    if (n > CAP_POLL_MAX)
        BUG("cap_poll: too many captures");
    for (unsigned i = 0; i < n; i++) {
        if (!caps[i])
            continue;
        int fd = caps[i]->live ? pcap_get_selectable_fd(caps[i]->pcap) : -1;
        if (fd < 0) {
            *bad = i;
            snprintf(err, errlen, "cannot poll the capture: no descriptor");
            return -1;
        }
        pfd[nfd++] = (struct pollfd){.fd = fd, .events = POLLIN};
    }
    /* With nothing to poll (every interface lost) this only waits, so the
     * caller's chores and retries keep their pace. */
    if (poll(pfd, nfd, timeout_ms) < 0 && errno != EINTR) {
        *bad = n;
        snprintf(err, errlen, "poll: %s", strerror(errno));
        return -1;
    }
    /* Read every capture, not only those poll() marked: with TPACKET_V3 a
     * block can be ready without the descriptor waking up. pcap_dispatch
     * with -1 hands over one kernel buffer, so no interface starves the
     * others. */
    for (unsigned i = 0; i < n; i++) {
        struct cap *c = caps[i];
        if (!c)
            continue;
        struct live_ctx lc = {.c = c, .fn = fn, .arg = arg};
        int got = pcap_dispatch(c->pcap, -1, live_one, (u_char *)&lc);
        if (lc.stop || got == PCAP_ERROR_BREAK)
            return 1;
        if (got < 0) {
            *bad = i;
            snprintf(err, errlen, "%s", pcap_geterr(c->pcap));
            return -1;
        }
    }
    return 0;
}

/* Live capture: libpcap's read timeout does not fire on Linux when no
 * packet arrives at all (TPACKET_V3), so we poll the descriptor ourselves
 * with a 250 ms timeout, read whatever is there without blocking, and give
 * the caller a tick each round to commit, expire flows and notice signals
 * (a signal interrupts poll()). */
static int cap_loop_live(struct cap *c, cap_packet_fn fn, void *arg, char *err, size_t errlen)
{
    for (;;) {
        unsigned bad;
        int rc = cap_poll(&c, 1, 250, fn, arg, &bad, err, errlen);
        if (rc != 0)
            return rc > 0 ? 0 : -1;
        if (fn(arg, NULL))
            return 0;
    }
}

int cap_loop(struct cap *c, cap_packet_fn fn, void *arg, char *err, size_t errlen)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    struct packet pkt;

    if (c->live)
        return cap_loop_live(c, fn, arg, err, errlen);
    for (;;) {
        int rc = pcap_next_ex(c->pcap, &h, &data);
        if (rc == 1) {
            cap_fill(c, &pkt, h, data);
            if (fn(arg, &pkt))
                return 0;
        } else if (rc == 0) {
            continue; /* only live captures time out */
        } else if (rc == PCAP_ERROR_BREAK) {
            return 1;
        } else {
            explain_read_error(pcap_geterr(c->pcap), err, errlen);
            return -1;
        }
    }
}

void cap_break(struct cap *c)
{
    pcap_breakloop(c->pcap);
}

void cap_drops(struct cap *c, uint64_t *kernel, uint64_t *iface)
{
    struct pcap_stat st;
    *kernel = *iface = 0;
    if (!c->live || pcap_stats(c->pcap, &st) < 0)
        return;
    *kernel = st.ps_drop;
    *iface = st.ps_ifdrop;
}

uint64_t cap_packets(const struct cap *c)
{
    return c->num;
}

int cap_fd(const struct cap *c)
{
    return c->live ? pcap_get_selectable_fd(c->pcap) : -1;
}

void cap_close(struct cap *c)
{
    if (!c)
        return;
    pcap_close(c->pcap);
    free(c->iobuf);
    free(c);
}

/* proto-dns.c - DNS message parser, NetBIOS name decoding, DNS/TCP framing.
 * See proto-dns.h for what each function promises. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app.h"
#include "proto/proto-dns.h"
#include "util/rd.h"
#include "util/util.h"

/* RFC 1035 2.3.4: 255 bytes of name on the wire, 63 per label. */
#define DNS_NAME_WIRE_MAX 255
#define DNS_HEADER_LEN 12
/* Bytes of a resource record after its name: type, class, ttl, rdlength. */
#define DNS_RR_FIXED_LEN 10

static const char *const dns_anomaly_names[] = {
#define DNS_AN_NAME(e, s) s,
    DNS_ANOMALY_LIST(DNS_AN_NAME)
#undef DNS_AN_NAME
};

const char *dns_anomaly_name(enum dns_anomaly a)
{
    if ((unsigned)a >= ARRAY_SIZE(dns_anomaly_names))
        return "dns.unknown";
    return dns_anomaly_names[a];
}

static void dns_anomaly(struct dns_anomalies *an, enum dns_anomaly a)
{
    if (an)
        an->count[a]++;
}

/* ---- Bounded text output ---- */

/* Appends to a fixed buffer, always NUL-terminated; an append that does not
 * fit whole is dropped and sets `cut`, so an escape is never half written. */
struct dns_text {
    char *p;
    size_t cap;
    size_t n;
    bool cut;
};

static void dns_text_init(struct dns_text *t, char *p, size_t cap)
{
    t->p = p;
    t->cap = cap;
    t->n = 0;
    t->cut = false;
    p[0] = '\0';
}

static void dns_text_put(struct dns_text *t, const char *s, size_t n)
{
    if (t->cut || n >= t->cap - t->n) {
        t->cut = true;
        return;
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static void dns_text_str(struct dns_text *t, const char *s)
{
    dns_text_put(t, s, strlen(s));
}

static void dns_text_u32(struct dns_text *t, uint32_t v)
{
    /* By hand, not snprintf: names and records are full of numbers. */
    char b[20];
    dns_text_put(t, b, (size_t)(put_dec(b, v) - b));
}

/* One byte of a label or string. `in_label`: '.' is a separator in names, so
 * it is escaped there; in TXT strings the space stays readable. */
static void dns_text_byte(struct dns_text *t, uint8_t c, bool in_label)
{
    bool plain = c >= 0x21 && c <= 0x7e && c != '\\' && c != '"';
    if (in_label && c == '.')
        plain = false;
    if (!in_label && c == ' ')
        plain = true;
    if (plain) {
        char ch = (char)c;
        dns_text_put(t, &ch, 1);
    } else {
        char b[4] = {'\\', (char)('0' + c / 100), (char)('0' + c / 10 % 10), (char)('0' + c % 10)};
        dns_text_put(t, b, sizeof(b));
    }
}

/* ---- Names ---- */

/* Reads the name at r's offset. In-place labels must lie within r (a record's
 * rdata, or the whole message); pointers may reach anything in msg[0..len)
 * strictly before the label sequence that holds them. On success r moves past
 * the in-place part (up to and including the first pointer) and out holds the
 * text. Returns 0, or -1 after counting an anomaly (r is then unchanged). */
static int dns_read_name(const uint8_t *msg, uint32_t len, struct rd *r, char *out, size_t outlen,
                         struct dns_anomalies *an)
{
    struct dns_text t;
    struct rd w = *r;
    uint32_t seq_start = r->off; /* start of the label sequence being read */
    uint32_t resume = 0;         /* r's offset after the name, once a pointer was taken */
    bool jumped = false;
    unsigned jumps = 0;
    uint32_t wire = 1; /* the root label's zero byte */

    dns_text_init(&t, out, outlen);
    for (unsigned step = 0; step < DNS_MAX_NAME_LABELS + DNS_MAX_POINTER_JUMPS; step++) {
        uint8_t b = rd_u8(&w);
        if (!rd_ok(&w)) {
            dns_anomaly(an, DNS_AN_TRUNCATED);
            return -1;
        }
        if (b == 0) {
            if (t.n == 0)
                dns_text_put(&t, ".", 1);
            if (!jumped)
                resume = w.off;
            rd_skip(r, resume - r->off);
            return 0;
        }
        switch (b & 0xc0) {
        case 0xc0: {
            uint8_t lo = rd_u8(&w);
            if (!rd_ok(&w)) {
                dns_anomaly(an, DNS_AN_TRUNCATED);
                return -1;
            }
            uint32_t ptr = (uint32_t)(b & 0x3f) << 8 | lo;
            if (!jumped)
                resume = w.off;
            jumped = true;
            if (ptr >= seq_start) {
                /* Below `resume` is ground this name already walked (a
                 * self-pointer, a cycle back into the first sequence): a
                 * loop. At or past it: a forward or out-of-message pointer. */
                dns_anomaly(an, ptr < resume ? DNS_AN_NAME_LOOP : DNS_AN_BAD_POINTER);
                return -1;
            }
            if (++jumps > DNS_MAX_POINTER_JUMPS) {
                dns_anomaly(an, DNS_AN_NAME_LOOP);
                return -1;
            }
            rd_init(&w, msg, len);
            rd_skip(&w, ptr);
            seq_start = ptr;
            break;
        }
        case 0x00: {
            wire += 1u + b;
            if (wire > DNS_NAME_WIRE_MAX) {
                dns_anomaly(an, DNS_AN_NAME_TOO_LONG);
                return -1;
            }
            if (!rd_has(&w, b)) {
                dns_anomaly(an, DNS_AN_TRUNCATED);
                return -1;
            }
            if (t.n > 0)
                dns_text_put(&t, ".", 1);
            for (uint32_t i = 0; i < b; i++)
                dns_text_byte(&t, rd_u8(&w), true);
            break;
        }
        default:
            /* 0x40 (RFC 6891 extended label, withdrawn) and 0x80 (reserved). */
            dns_anomaly(an, DNS_AN_LABEL_TYPE_UNKNOWN);
            return -1;
        }
    }
    /* Not reached: 255 bytes hold fewer labels than the cap. */
    dns_anomaly(an, DNS_AN_NAME_TOO_LONG);
    return -1;
}

/* Moves r past the wire extent of the name at r: its labels up to the zero
 * byte or the first compression pointer, which ends a name wherever it
 * points. Lets a walk go past a name dns_read_name() rejected (too long, a
 * loop, a bad pointer), as tshark does. Counts nothing (the reader already
 * did). Returns false, r unchanged, when the extent is unknown: a reserved
 * label type, or the message ends first. */
static bool dns_skip_name(struct rd *r)
{
    struct rd w = *r;
    for (unsigned i = 0; i < DNS_MAX_SKIP_LABELS; i++) {
        uint8_t b = rd_u8(&w);
        if (!rd_ok(&w))
            return false;
        if (b == 0) {
            *r = w;
            return true;
        }
        if ((b & 0xc0) == 0xc0) {
            rd_skip(&w, 1);
            if (!rd_ok(&w))
                return false;
            *r = w;
            return true;
        }
        if (b & 0xc0)
            return false;
        rd_skip(&w, b);
        if (!rd_ok(&w))
            return false;
    }
    return false;
}

/* ---- Records ---- */

/* A name inside rdata; a bad one has already been counted, so it sets
 * *name_bad (the record is then not also counted as dns.rdata_malformed). */
static void dns_rdata_name(const uint8_t *msg, uint32_t len, struct rd *d, struct dns_text *t,
                           bool *name_bad, struct dns_anomalies *an)
{
    char name[DNS_NAME_TEXT_MAX];
    if (dns_read_name(msg, len, d, name, sizeof(name), an) == 0) {
        dns_text_str(t, name);
    } else {
        d->err = true;
        *name_bad = true;
    }
}

static void dns_rdata_txt(struct rd *d, struct dns_rr *rr, struct dns_text *t)
{
    struct dns_text cap;
    char buf[DNS_TXT_TEXT_MAX];
    unsigned i;

    dns_text_init(&cap, buf, sizeof(buf));
    for (i = 0; i < DNS_MAX_TXT_STRINGS && rd_left(d) > 0; i++) {
        uint8_t n = rd_u8(d);
        if (!rd_has(d, n)) {
            d->err = true;
            break;
        }
        if (i > 0)
            dns_text_put(&cap, " ", 1);
        dns_text_put(&cap, "\"", 1);
        for (uint32_t j = 0; j < n; j++)
            dns_text_byte(&cap, rd_u8(d), false);
        dns_text_put(&cap, "\"", 1);
    }
    if (rd_left(d) > 0 && i == DNS_MAX_TXT_STRINGS) {
        cap.cut = true;
        rd_skip(d, rd_left(d));
    }
    rr->rdata_cut = cap.cut;
    dns_text_str(t, buf);
}

/* Renders rr's rdata, which is msg[start, start + rdlength). */
static void dns_rdata(const uint8_t *msg, uint32_t len, uint32_t start, struct dns_rr *rr,
                      struct dns_anomalies *an)
{
    struct dns_text t;
    struct rd d;
    char addr[INET6_ADDRSTRLEN];
    uint8_t raw[16];
    bool known = true;
    bool name_bad = false;

    dns_text_init(&t, rr->rdata, sizeof(rr->rdata));
    /* Empty rdata is how DNS UPDATE (RFC 2136 2.4, 2.5) writes "name or
     * RRset exists / delete it", and how mDNS and EDNS write placeholders:
     * nothing to render, nothing wrong. */
    if (rr->rdlength == 0)
        return;
    rd_init(&d, msg, start + rr->rdlength);
    rd_skip(&d, start);
    switch (rr->type) {
    case DNS_TYPE_A:
    case DNS_TYPE_AAAA: {
        uint32_t n = rr->type == DNS_TYPE_A ? 4 : 16;
        if (rr->rdlength != n) {
            d.err = true;
            break;
        }
        rd_bytes(&d, raw, n);
        if (inet_ntop(rr->type == DNS_TYPE_A ? AF_INET : AF_INET6, raw, addr, sizeof(addr)))
            dns_text_str(&t, addr);
        break;
    }
    case DNS_TYPE_NS:
    case DNS_TYPE_CNAME:
    case DNS_TYPE_PTR:
        dns_rdata_name(msg, len, &d, &t, &name_bad, an);
        break;
    case DNS_TYPE_MX:
        rr->pref = rd_be16(&d);
        if (!rd_ok(&d))
            break;
        dns_text_u32(&t, rr->pref);
        dns_text_put(&t, " ", 1);
        dns_rdata_name(msg, len, &d, &t, &name_bad, an);
        break;
    case DNS_TYPE_TXT:
        dns_rdata_txt(&d, rr, &t);
        break;
    case DNS_TYPE_SOA:
        dns_rdata_name(msg, len, &d, &t, &name_bad, an);
        if (!rd_ok(&d))
            break;
        dns_text_put(&t, " ", 1);
        dns_rdata_name(msg, len, &d, &t, &name_bad, an);
        if (!rd_ok(&d))
            break;
        rr->serial = rd_be32(&d);
        rr->refresh = rd_be32(&d);
        rr->retry = rd_be32(&d);
        rr->expire = rd_be32(&d);
        rr->minimum = rd_be32(&d);
        if (!rd_ok(&d))
            break;
        dns_text_put(&t, " ", 1);
        dns_text_u32(&t, rr->serial);
        rr->soa_ok = !t.cut;
        break;
    case DNS_TYPE_SRV:
        rr->pref = rd_be16(&d);
        rr->weight = rd_be16(&d);
        rr->port = rd_be16(&d);
        if (!rd_ok(&d))
            break;
        dns_text_u32(&t, rr->pref);
        dns_text_put(&t, " ", 1);
        dns_text_u32(&t, rr->weight);
        dns_text_put(&t, " ", 1);
        dns_text_u32(&t, rr->port);
        dns_text_put(&t, " ", 1);
        dns_rdata_name(msg, len, &d, &t, &name_bad, an);
        break;
    case DNS_TYPE_SVCB:
    case DNS_TYPE_HTTPS:
        /* RFC 9460 2.2: priority, target (never compressed), then params,
         * which we skip. */
        rr->pref = rd_be16(&d);
        if (!rd_ok(&d))
            break;
        dns_text_u32(&t, rr->pref);
        dns_text_put(&t, " ", 1);
        dns_rdata_name(msg, len, &d, &t, &name_bad, an);
        if (rd_ok(&d))
            rd_skip(&d, rd_left(&d));
        break;
    default:
        known = false;
        dns_text_str(&t, "type ");
        dns_text_u32(&t, rr->type);
        dns_text_str(&t, ", length ");
        dns_text_u32(&t, rr->rdlength);
        break;
    }
    /* Known types must fill their rdata exactly. */
    if (known && !name_bad && (!rd_ok(&d) || rd_left(&d) != 0))
        dns_anomaly(an, DNS_AN_RDATA_MALFORMED);
}

/* What reading one question or record did. */
#define DNS_REC_KEPT 0     /* read (and stored when asked) */
#define DNS_REC_SKIPPED 1  /* its name was unreadable: walked past, not stored */
#define DNS_REC_STOP (-1)  /* the walk cannot go on */

/* Reads one resource record at r; fills rr (may be NULL to only walk it).
 * Returns DNS_REC_*; an anomaly was counted unless it is DNS_REC_KEPT. */
static int dns_read_rr(const uint8_t *msg, uint32_t len, struct rd *r, struct dns_rr *rr,
                       struct dns_anomalies *an)
{
    struct dns_rr scratch;
    struct dns_rr *x = rr ? rr : &scratch;
    bool skip = false;

    if (rd_left(r) == 0) {
        /* The header promised more records than the message holds. */
        dns_anomaly(an, DNS_AN_COUNTS_MISMATCH);
        return DNS_REC_STOP;
    }
    memset(x, 0, offsetof(struct dns_rr, rdata));
    x->rdata[0] = '\0';
    if (dns_read_name(msg, len, r, x->name, sizeof(x->name), an) < 0) {
        if (!dns_skip_name(r))
            return DNS_REC_STOP;
        skip = true;
    }
    x->type = rd_be16(r);
    uint16_t cls = rd_be16(r);
    x->ttl = rd_be32(r);
    x->rdlength = rd_be16(r);
    if (!rd_ok(r) || !rd_has(r, x->rdlength)) {
        dns_anomaly(an, DNS_AN_TRUNCATED);
        return DNS_REC_STOP;
    }
    x->rclass = cls & 0x7fff;
    x->cache_flush = (cls & 0x8000) != 0;
    uint32_t start = r->off;
    x->rdata_off = start;
    rd_skip(r, x->rdlength);
    if (skip)
        return DNS_REC_SKIPPED;
    if (rr)
        dns_rdata(msg, len, start, x, an);
    return DNS_REC_KEPT;
}

/* Reads one question at r into q. Returns DNS_REC_*. */
static int dns_read_question(const uint8_t *msg, uint32_t len, struct rd *r,
                             struct dns_question *q, struct dns_anomalies *an)
{
    bool skip = false;

    if (rd_left(r) == 0) {
        dns_anomaly(an, DNS_AN_COUNTS_MISMATCH);
        return DNS_REC_STOP;
    }
    if (dns_read_name(msg, len, r, q->name, sizeof(q->name), an) < 0) {
        q->name[0] = '\0';
        if (!dns_skip_name(r))
            return DNS_REC_STOP;
        skip = true;
    }
    uint16_t qtype = rd_be16(r);
    uint16_t qclass = rd_be16(r);
    if (!rd_ok(r)) {
        q->name[0] = '\0';
        dns_anomaly(an, DNS_AN_TRUNCATED);
        return DNS_REC_STOP;
    }
    q->type = qtype;
    q->qclass = qclass & 0x7fff;
    q->unicast = (qclass & 0x8000) != 0;
    return skip ? DNS_REC_SKIPPED : DNS_REC_KEPT;
}

int dns_parse(const uint8_t *msg, uint32_t len, struct dns_msg *out, struct dns_anomalies *an)
{
    struct rd r;
    unsigned records = 0;
    bool skipped = false;

    memset(out, 0, offsetof(struct dns_msg, questions));

    rd_init(&r, msg, len);
    out->id = rd_be16(&r);
    uint16_t flags = rd_be16(&r);
    out->qdcount = rd_be16(&r);
    out->ancount = rd_be16(&r);
    out->nscount = rd_be16(&r);
    out->arcount = rd_be16(&r);
    if (!rd_ok(&r)) {
        memset(out, 0, offsetof(struct dns_msg, questions));
        dns_anomaly(an, DNS_AN_TRUNCATED);
        return DNS_ERR_SHORT;
    }
    /* RFC 1035 4.1.1: QR(1) Opcode(4) AA TC RD RA Z(3) RCODE(4). */
    out->qr = (flags & 0x8000) != 0;
    out->opcode = (uint8_t)(flags >> 11 & 0xf);
    out->aa = (flags & 0x0400) != 0;
    out->tc = (flags & 0x0200) != 0;
    out->rd = (flags & 0x0100) != 0;
    out->ra = (flags & 0x0080) != 0;
    out->rcode = (uint8_t)(flags & 0xf);

    /* Past the cap the rest of the questions, and so every record after
     * them, cannot be reached: keep what fits and stop. */
    unsigned nq = MIN(out->qdcount, (unsigned)DNS_MAX_QUESTIONS);
    for (unsigned i = 0; i < nq; i++) {
        struct dns_question *q = &out->questions[out->question_count];
        int rc = dns_read_question(msg, len, &r, q, an);
        if (rc == DNS_REC_STOP)
            return DNS_ERR_PARTIAL;
        if (rc == DNS_REC_SKIPPED) {
            skipped = true;
            continue;
        }
        if (out->question_count++ == 0) {
            out->has_question = true;
            memcpy(out->qname, q->name, sizeof(out->qname));
            out->qtype = q->type;
            out->qclass = q->qclass;
            out->qclass_unicast = q->unicast;
        }
    }
    if (out->qdcount > DNS_MAX_QUESTIONS) {
        dns_anomaly(an, DNS_AN_TOO_MANY_RECORDS);
        return DNS_ERR_PARTIAL;
    }

    uint16_t counts[3] = {out->ancount, out->nscount, out->arcount};
    uint16_t *parsed[3] = {&out->answers_parsed, &out->authority_parsed, &out->additional_parsed};
    for (unsigned s = 0; s < 3; s++) {
        for (unsigned i = 0; i < counts[s]; i++) {
            if (++records > DNS_MAX_RECORDS) {
                dns_anomaly(an, DNS_AN_TOO_MANY_RECORDS);
                return DNS_ERR_PARTIAL;
            }
            struct dns_rr *rr = NULL;
            uint16_t *kept = NULL;
            if (s == 0 && out->answer_count < DNS_MAX_ANSWERS) {
                rr = &out->answers[out->answer_count];
                kept = &out->answer_count;
            } else if (s == 1 && out->authority_count < DNS_MAX_AUTHORITIES) {
                rr = &out->authorities[out->authority_count];
                kept = &out->authority_count;
            }
            int rc = dns_read_rr(msg, len, &r, rr, an);
            if (rc == DNS_REC_STOP)
                return DNS_ERR_PARTIAL;
            if (rc == DNS_REC_SKIPPED)
                skipped = true;
            else if (kept)
                (*kept)++;
            (*parsed[s])++;
        }
    }
    if (rd_left(&r) != 0)
        dns_anomaly(an, DNS_AN_COUNTS_MISMATCH);
    return skipped ? DNS_ERR_PARTIAL : DNS_OK;
}

/* ---- NetBIOS names ---- */

int dns_nbns_name_decode(const char *encoded32, char *out, size_t outlen)
{
    uint8_t raw[16];
    struct dns_text t;

    if (outlen == 0)
        return -1;
    out[0] = '\0';
    /* RFC 1002 4.1: each byte is two characters 'A' + nibble. */
    for (unsigned i = 0; i < 32; i++) {
        char c = encoded32[i];
        if (c < 'A' || c > 'P')
            return -1;
    }
    if (encoded32[32] != '\0' && encoded32[32] != '.')
        return -1;
    for (unsigned i = 0; i < 16; i++)
        raw[i] = (uint8_t)((encoded32[2 * i] - 'A') << 4 | (encoded32[2 * i + 1] - 'A'));

    unsigned n = 15;
    while (n > 0 && raw[n - 1] == ' ')
        n--;
    dns_text_init(&t, out, outlen);
    /* Not a DNS label: spaces and dots inside ("MARTIN ROSENAU") stay as
     * they are, as nbtstat and tshark show them. */
    for (unsigned i = 0; i < n; i++)
        dns_text_byte(&t, raw[i], false);
    char suffix[8];
    snprintf(suffix, sizeof(suffix), "<%02X>", raw[15]);
    dns_text_str(&t, suffix);
    if (t.cut) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

/* ---- DNS over TCP ---- */

#define DNS_TCP_MSG_MAX 65535

void dns_tcp_framer_init(struct dns_tcp_framer *f, dns_tcp_msg_fn cb, void *user)
{
    memset(f, 0, sizeof(*f));
    f->cb = cb;
    f->user = user;
}

void dns_tcp_framer_release(struct dns_tcp_framer *f)
{
    free(f->buf);
    f->buf = NULL;
    f->hdr_have = 0;
    f->have = 0;
}

void dns_tcp_framer_feed(struct dns_tcp_framer *f, const uint8_t *p, uint32_t len)
{
    struct rd r;
    unsigned delivered = 0;

    if (f->broken)
        return;
    rd_init(&r, p, len);
    /* Each pass consumes at least one byte or delivers a message. */
    while (rd_left(&r) > 0) {
        if (f->hdr_have < 2) {
            f->hdr[f->hdr_have++] = rd_u8(&r);
            if (f->hdr_have < 2)
                continue;
            f->need = (uint32_t)f->hdr[0] << 8 | f->hdr[1];
            f->have = 0;
            if (f->need == 0) {
                f->empty_frames++;
                f->hdr_have = 0;
            }
            continue;
        }
        if (++delivered > DNS_TCP_MAX_MSGS_PER_FEED) {
            f->broken = true;
            return;
        }
        uint32_t want = f->need - f->have;
        if (f->have == 0 && rd_left(&r) >= want) {
            /* Whole message in this piece: hand it over without a copy. */
            const uint8_t *m = rd_ptr(&r);
            rd_skip(&r, want);
            f->hdr_have = 0;
            f->messages++;
            f->cb(m, want, f->user);
            continue;
        }
        uint32_t take = MIN(want, rd_left(&r));
        if (!f->buf)
            f->buf = xmalloc(DNS_TCP_MSG_MAX);
        rd_bytes(&r, f->buf + f->have, take);
        f->have += take;
        if (f->have == f->need) {
            f->hdr_have = 0;
            f->messages++;
            f->cb(f->buf, f->need, f->user);
        }
    }
}

/* ---- App-layer parsers: DNS, mDNS, LLMNR, NBNS (app.h) ----
 *
 * Each UDP datagram is one message; DNS over TCP goes through one
 * dns_tcp_framer per direction. Events follow Suricata 7's EVE "dns" v2
 * shape: a "query" event per request, an "answer" event per response, with
 * "detailed" answers and "grouped" ones. Facts EVE has no key for (the
 * protocol, rcode number, counts, the TC bit, device names) go to `extra`. */

enum dns_app_kind {
    DNS_KIND_DNS = 0,
    DNS_KIND_MDNS,
    DNS_KIND_LLMNR,
    DNS_KIND_NBNS,
};

static const char *const dns_app_kind_names[] = {"dns", "mdns", "llmnr", "nbns"};

/* Per flow: small. The ~220 KiB struct dns_msg is a per-thread scratch, so a
 * thousand concurrent DNS flows cost a thousand of these, not 220 MiB. The
 * framers allocate their 64 KiB buffer only while a TCP message is split
 * across feeds. */
struct dns_app_state {
    uint8_t kind;                 /* enum dns_app_kind */
    bool framer_ready[2];
    struct dns_tcp_framer fr[2];  /* TCP only */
    uint64_t tx_id;               /* requests reported (Suricata's tx_id) */
    struct app_cx *cx;            /* valid during a feed only */
    int dir;                      /* ditto */
};

static _Thread_local struct dns_msg dns_app_msg;

/* NBNS details dns_parse() does not keep: NB addresses (RFC 1002 4.2.2.2:
 * NB_FLAGS + NB_ADDRESS per entry) and NBSTAT name tables (4.2.18). */
#define DNS_NB_ADDRS_MAX 8
#define DNS_NBSTAT_NAMES_MAX 32
#define DNS_TYPE_NB 0x20
#define DNS_TYPE_NBSTAT 0x21

struct dns_nbns_info {
    uint8_t answer_addr[DNS_MAX_ANSWERS][4]; /* first NB address of answer i */
    bool answer_has_addr[DNS_MAX_ANSWERS];
    uint8_t addrs[DNS_NB_ADDRS_MAX][4];      /* every NB address, any section */
    unsigned naddrs;
    char nbstat[DNS_NBSTAT_NAMES_MAX][24];   /* "NAME<XX>" */
    unsigned nnbstat;
    uint8_t nbstat_mac[6];
    bool has_nbstat_mac;
    bool saw_nbstat; /* dns_parse() read its rdata as SRV (both are type 33) */
    bool group;      /* an NB entry had the G bit: a group (workgroup) name */
};

const char *dns_rrtype_name(uint16_t type, char *buf, size_t buflen)
{
    static const struct {
        uint16_t t;
        const char *n;
    } names[] = {
        {1, "A"},       {2, "NS"},        {5, "CNAME"},   {6, "SOA"},      {10, "NULL"},
        {12, "PTR"},    {13, "HINFO"},    {15, "MX"},     {16, "TXT"},     {28, "AAAA"},
        {29, "LOC"},    {33, "SRV"},      {35, "NAPTR"},  {39, "DNAME"},   {41, "OPT"},
        {43, "DS"},     {44, "SSHFP"},    {46, "RRSIG"},  {47, "NSEC"},    {48, "DNSKEY"},
        {50, "NSEC3"},  {52, "TLSA"},     {64, "SVCB"},   {65, "HTTPS"},   {99, "SPF"},
        {249, "TKEY"},  {250, "TSIG"},    {251, "IXFR"},  {252, "AXFR"},   {255, "ANY"},
        {256, "URI"},   {257, "CAA"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (names[i].t == type)
            return names[i].n;
    /* Suricata logs an unknown type as its number. */
    snprintf(buf, buflen, "%u", (unsigned)type);
    return buf;
}

const char *dns_rcode_name(uint8_t rcode, char *buf, size_t buflen)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                        "NXRRSET", "NOTAUTH", "NOTZONE"};
    if (rcode < ARRAY_SIZE(names))
        return names[rcode];
    snprintf(buf, buflen, "%u", (unsigned)rcode);
    return buf;
}

/* NBNS types are not DNS types: 0x20 is NB (not 32 = NIMLOC), 0x21 NBSTAT
 * (not SRV). */
static const char *dns_app_type_name(uint8_t kind, uint16_t type, char *buf, size_t buflen)
{
    if (kind == DNS_KIND_NBNS && type == DNS_TYPE_NB)
        return "NB";
    if (kind == DNS_KIND_NBNS && type == DNS_TYPE_NBSTAT)
        return "NBSTAT";
    return dns_rrtype_name(type, buf, buflen);
}

/* The name as shown: NBNS names decoded to "NAME<XX>" when they are
 * first-level encoded, everything else as dns_parse() rendered it. */
static json_t *dns_app_name(uint8_t kind, const char *name)
{
    char nb[70];
    if (kind == DNS_KIND_NBNS && dns_nbns_name_decode(name, nb, sizeof(nb)) == 0)
        return app_json_cstr(nb);
    return app_json_cstr(name);
}

/* The first NB address of each answer m kept (RFC 1002 4.2.2.2: NB_FLAGS,
 * then NB_ADDRESS), found by the rdata's offset: m skips answers whose name
 * it could not read, so its indexes are not the wire's. */
static void dns_nbns_answer_addrs(const uint8_t *msg, uint32_t len, const struct dns_msg *m,
                                  struct dns_nbns_info *nb)
{
    for (unsigned i = 0; i < m->answer_count; i++) {
        const struct dns_rr *rr = &m->answers[i];
        struct rd d;
        if (rr->type != DNS_TYPE_NB || rr->rdlength < 6)
            continue;
        rd_init(&d, msg, len);
        rd_skip(&d, rr->rdata_off + 2);
        rd_bytes(&d, nb->answer_addr[i], 4);
        nb->answer_has_addr[i] = rd_ok(&d);
    }
}

/* Walks an NBNS message for NB addresses and NBSTAT names. dns_parse() has
 * already counted any anomaly; this walk just stops where it gives up. */
static void dns_nbns_walk(const uint8_t *msg, uint32_t len, const struct dns_msg *m,
                          struct dns_nbns_info *nb)
{
    struct rd r;
    memset(nb, 0, sizeof(*nb));
    dns_nbns_answer_addrs(msg, len, m, nb);
    rd_init(&r, msg, len);
    rd_skip(&r, 4);
    uint16_t qd = rd_be16(&r);
    uint16_t ancount = rd_be16(&r);
    uint16_t nscount = rd_be16(&r);
    uint16_t arcount = rd_be16(&r);
    uint32_t counts = MIN((uint32_t)ancount + nscount + arcount, (uint32_t)DNS_MAX_RECORDS);
    if (!rd_ok(&r) || qd > DNS_MAX_QUESTIONS)
        return;
    for (unsigned i = 0; i < qd; i++) {
        if (!dns_skip_name(&r))
            return;
        rd_skip(&r, 4);
    }
    for (unsigned i = 0; i < counts; i++) {
        if (!dns_skip_name(&r))
            return;
        uint16_t type = rd_be16(&r);
        rd_skip(&r, 6); /* class, ttl */
        uint16_t rdlen = rd_be16(&r);
        struct rd d;
        if (!rd_ok(&r) || !rd_sub(&r, rdlen, &d))
            return;
        if (type == DNS_TYPE_NB) {
            for (unsigned k = 0; rd_left(&d) >= 6 && k < DNS_NB_ADDRS_MAX; k++) {
                uint8_t a[4];
                uint16_t nbf = rd_be16(&d); /* NB_FLAGS: group bit, owner node type */
                if (nbf & 0x8000)
                    nb->group = true;
                rd_bytes(&d, a, 4);
                if (nb->naddrs < DNS_NB_ADDRS_MAX)
                    memcpy(nb->addrs[nb->naddrs++], a, 4);
            }
        } else if (type == DNS_TYPE_NBSTAT) {
            nb->saw_nbstat = true;
            if (nb->nnbstat)
                continue;
            uint8_t n = rd_u8(&d);
            for (unsigned k = 0; k < n && rd_has(&d, 18); k++) {
                uint8_t raw[16];
                rd_bytes(&d, raw, 16);
                rd_skip(&d, 2); /* NAME_FLAGS */
                if (nb->nnbstat >= DNS_NBSTAT_NAMES_MAX)
                    continue;
                struct dns_text t;
                unsigned e = 15;
                while (e > 0 && raw[e - 1] == ' ')
                    e--;
                dns_text_init(&t, nb->nbstat[nb->nnbstat], sizeof(nb->nbstat[0]));
                for (unsigned j = 0; j < e; j++)
                    dns_text_byte(&t, raw[j], true);
                char suffix[8];
                snprintf(suffix, sizeof(suffix), "<%02X>", raw[15]);
                dns_text_str(&t, suffix);
                if (!t.cut)
                    nb->nnbstat++;
            }
            /* Statistics follow: the first 6 bytes are the unit id (MAC). */
            if (rd_has(&d, 6)) {
                rd_bytes(&d, nb->nbstat_mac, 6);
                nb->has_nbstat_mac = true;
            }
        }
    }
}

static json_t *dns_app_ipv4(const uint8_t a[4])
{
    char buf[INET_ADDRSTRLEN];
    snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return json_string_nocheck(buf);
}

/* rdata the way Suricata logs it: MX is the exchange only, TXT the text
 * without dig's quotes (a single string; several stay quoted). */
static const char *dns_app_rdata_text(const struct dns_rr *rr, char *buf, size_t buflen)
{
    const char *s = rr->rdata;
    if (rr->type == DNS_TYPE_MX) {
        const char *sp = strchr(s, ' ');
        return sp ? sp + 1 : s;
    }
    if (rr->type == DNS_TYPE_TXT) {
        size_t n = strlen(s);
        if (n >= 2 && s[0] == '"' && s[n - 1] == '"' && !strstr(s, "\" \"") && n - 1 <= buflen) {
            memcpy(buf, s + 1, n - 2);
            buf[n - 2] = '\0';
            return buf;
        }
    }
    return s;
}

/* The SRV target: rdata is "prio weight port target". */
static const char *dns_app_srv_target(const struct dns_rr *rr)
{
    const char *s = rr->rdata;
    for (int i = 0; i < 3 && s; i++) {
        s = strchr(s, ' ');
        if (s)
            s++;
    }
    return s ? s : "";
}

static json_t *dns_app_srv_obj(const struct dns_rr *rr)
{
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "priority", json_integer(rr->pref));
    json_object_set_new_nocheck(o, "weight", json_integer(rr->weight));
    json_object_set_new_nocheck(o, "port", json_integer(rr->port));
    json_object_set_new_nocheck(o, "name", app_json_cstr(dns_app_srv_target(rr)));
    return o;
}

/* Appends s to the array unless it is there already or the array is full. */
static void dns_app_add_unique(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    if (json_array_size(arr) >= 16 || s[0] == '\0')
        return;
    json_array_foreach(arr, i, v) {
        if (strcmp(json_string_value(v), s) == 0)
            return;
    }
    json_array_append_new(arr, app_json_cstr(s));
}

static bool dns_app_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Device names the inventory uses: for mDNS the hosts named by A/AAAA
 * records, SRV targets and reverse PTRs, plus the services offered (PTR
 * owner names like _ipp._tcp.local) and their instances. */
static void dns_app_mdns_names(const struct dns_msg *m, json_t *extra)
{
    json_t *hosts = json_array(), *services = json_array(), *instances = json_array();
    for (unsigned i = 0; i < m->answer_count; i++) {
        const struct dns_rr *rr = &m->answers[i];
        switch (rr->type) {
        case DNS_TYPE_A:
        case DNS_TYPE_AAAA:
            dns_app_add_unique(hosts, rr->name);
            break;
        case DNS_TYPE_SRV:
            dns_app_add_unique(hosts, dns_app_srv_target(rr));
            dns_app_add_unique(instances, rr->name);
            break;
        case DNS_TYPE_PTR:
            if (dns_app_ends_with(rr->name, ".in-addr.arpa") ||
                dns_app_ends_with(rr->name, ".ip6.arpa")) {
                dns_app_add_unique(hosts, rr->rdata);
            } else if (strcmp(rr->name, "_services._dns-sd._udp.local") == 0) {
                dns_app_add_unique(services, rr->rdata);
            } else {
                dns_app_add_unique(services, rr->name);
                dns_app_add_unique(instances, rr->rdata);
            }
            break;
        default:
            break;
        }
    }
    if (json_array_size(hosts) > 0)
        json_object_set(extra, "hostname", json_array_get(hosts, 0));
    const char *keys[] = {"hostnames", "services", "instances"};
    json_t *arrs[] = {hosts, services, instances};
    for (unsigned i = 0; i < 3; i++) {
        if (json_array_size(arrs[i]) > 0)
            json_object_set_new_nocheck(extra, keys[i], arrs[i]);
        else
            json_decref(arrs[i]);
    }
}

static const char *dns_nbns_opcode_name(uint8_t op)
{
    switch (op) {
    case 0:
        return "query";
    case 5:
        return "registration";
    case 6:
        return "release";
    case 7:
        return "wack";
    case 8:
    case 9:
        return "refresh";
    case 15:
        return "multihomed_registration";
    default:
        return "unknown";
    }
}

/* TC goes here: EVE has no "tc" key. `qi` is the question the event reports
 * (0 for an answer); facts of the whole message that EVE does not show (the
 * device names of mDNS records) go with question 0 only, so a query of
 * several questions does not repeat them on every event. */
static json_t *dns_app_extra(const struct dns_app_state *st, const struct dns_msg *m,
                             unsigned qi, const struct dns_nbns_info *nb, uint16_t flags, bool tcp)
{
    const struct dns_question *q = qi < m->question_count ? &m->questions[qi] : NULL;
    json_t *x = json_object();
    json_object_set_new_nocheck(x, "proto", json_string_nocheck(dns_app_kind_names[st->kind]));
    if (tcp)
        json_object_set_new_nocheck(x, "transport", json_string_nocheck("tcp"));
    json_object_set_new_nocheck(x, "rcode", json_integer(m->rcode));
    json_object_set_new_nocheck(x, "answer_count", json_integer(m->answers_parsed));
    json_object_set_new_nocheck(x, "truncated", json_boolean(m->tc));
    if (m->qdcount > 1)
        json_object_set_new_nocheck(x, "questions", json_integer(m->qdcount));
    switch (st->kind) {
    case DNS_KIND_MDNS:
        if (q && q->unicast)
            json_object_set_new_nocheck(x, "unicast_response", json_true());
        if (qi == 0)
            dns_app_mdns_names(m, x);
        break;
    case DNS_KIND_LLMNR:
        if (q)
            json_object_set_new_nocheck(x, m->qr ? "hostname" : "query_name",
                                        app_json_cstr(q->name));
        break;
    case DNS_KIND_NBNS: {
        json_object_set_new_nocheck(x, "nbns_op",
                                    json_string_nocheck(dns_nbns_opcode_name(m->opcode)));
        if (q)
            json_object_set_new_nocheck(x, "name", dns_app_name(st->kind, q->name));
        else if (m->answer_count > 0)
            json_object_set_new_nocheck(x, "name", dns_app_name(st->kind, m->answers[0].name));
        /* RFC 1002 4.2.1.1: the B bit marks a broadcast packet. */
        if (flags & 0x0010)
            json_object_set_new_nocheck(x, "broadcast", json_true());
        if (nb->group)
            json_object_set_new_nocheck(x, "group", json_true());
        if (nb->naddrs > 0) {
            json_t *a = json_array();
            for (unsigned i = 0; i < nb->naddrs; i++)
                json_array_append_new(a, dns_app_ipv4(nb->addrs[i]));
            json_object_set_new_nocheck(x, "addresses", a);
        }
        if (nb->nnbstat > 0) {
            json_t *a = json_array();
            for (unsigned i = 0; i < nb->nnbstat; i++)
                json_array_append_new(a, app_json_cstr(nb->nbstat[i]));
            json_object_set_new_nocheck(x, "nbstat_names", a);
        }
        if (nb->has_nbstat_mac) {
            char mac[18];
            const uint8_t *b = nb->nbstat_mac;
            snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3],
                     b[4], b[5]);
            json_object_set_new_nocheck(x, "nbstat_mac", json_string(mac));
        }
        break;
    }
    default:
        break;
    }
    return x;
}

/* One question of a request. Suricata logs every question of a request as
 * its own "query" event, all with the transaction's tx_id. */
static json_t *dns_app_query_body(const struct dns_app_state *st, const struct dns_msg *m,
                                  const struct dns_question *q)
{
    char tb[8];
    json_t *b = json_object();
    json_object_set_new_nocheck(b, "version", json_integer(2));
    json_object_set_new_nocheck(b, "type", json_string_nocheck("query"));
    json_object_set_new_nocheck(b, "id", json_integer(m->id));
    json_object_set_new_nocheck(b, "rrname", dns_app_name(st->kind, q->name));
    json_object_set_new_nocheck(
        b, "rrtype", json_string_nocheck(dns_app_type_name(st->kind, q->type, tb, sizeof(tb))));
    json_object_set_new_nocheck(b, "tx_id", json_integer((json_int_t)st->tx_id));
    json_object_set_new_nocheck(b, "opcode", json_integer(m->opcode));
    return b;
}

/* Copies word `n` (0-based, space separated) of s into buf. */
static const char *dns_app_word(const char *s, unsigned n, char *buf, size_t buflen)
{
    for (unsigned i = 0; i < n && s; i++) {
        s = strchr(s, ' ');
        if (s)
            s++;
    }
    if (!s)
        s = "";
    size_t k = strcspn(s, " ");
    if (k >= buflen)
        k = buflen - 1;
    memcpy(buf, s, k);
    buf[k] = '\0';
    return buf;
}

/* Suricata's "soa" object, from an SOA whose rdata was read whole. */
static json_t *dns_app_soa_obj(const struct dns_rr *rr)
{
    char name[DNS_NAME_TEXT_MAX];
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "mname",
                                app_json_cstr(dns_app_word(rr->rdata, 0, name, sizeof(name))));
    json_object_set_new_nocheck(o, "rname",
                                app_json_cstr(dns_app_word(rr->rdata, 1, name, sizeof(name))));
    json_object_set_new_nocheck(o, "serial", json_integer(rr->serial));
    json_object_set_new_nocheck(o, "refresh", json_integer(rr->refresh));
    json_object_set_new_nocheck(o, "retry", json_integer(rr->retry));
    json_object_set_new_nocheck(o, "expire", json_integer(rr->expire));
    json_object_set_new_nocheck(o, "minimum", json_integer(rr->minimum));
    return o;
}

/* The authority section as Suricata 7 logs it: name, type, ttl, and the
 * SOA's fields as "soa" or a name/address as "rdata" (EVE's authorities
 * have no "srv"). NBNS record data is not DNS rdata: name and type only. */
static json_t *dns_app_authorities(const struct dns_app_state *st, const struct dns_msg *m)
{
    char tb[8];
    char txt[DNS_RDATA_TEXT_MAX];
    json_t *arr = json_array();
    for (unsigned i = 0; i < m->authority_count; i++) {
        const struct dns_rr *rr = &m->authorities[i];
        json_t *a = json_object();
        json_object_set_new_nocheck(a, "rrname", dns_app_name(st->kind, rr->name));
        json_object_set_new_nocheck(
            a, "rrtype",
            json_string_nocheck(dns_app_type_name(st->kind, rr->type, tb, sizeof(tb))));
        json_object_set_new_nocheck(a, "ttl", json_integer(rr->ttl));
        if (st->kind != DNS_KIND_NBNS && rr->rdata[0] != '\0') {
            switch (rr->type) {
            case DNS_TYPE_SOA:
                if (rr->soa_ok)
                    json_object_set_new_nocheck(a, "soa", dns_app_soa_obj(rr));
                break;
            case DNS_TYPE_A:
            case DNS_TYPE_AAAA:
            case DNS_TYPE_CNAME:
            case DNS_TYPE_PTR:
            case DNS_TYPE_MX:
            case DNS_TYPE_TXT:
            case DNS_TYPE_NS:
                json_object_set_new_nocheck(
                    a, "rdata", app_json_cstr(dns_app_rdata_text(rr, txt, sizeof(txt))));
                break;
            default:
                break;
            }
        }
        json_array_append_new(arr, a);
    }
    return arr;
}

static json_t *dns_app_answer_body(const struct dns_app_state *st, const struct dns_msg *m,
                                   const struct dns_nbns_info *nb, uint16_t flags)
{
    char tb[8], fb[8], rb[8];
    char txt[DNS_RDATA_TEXT_MAX];
    json_t *b = json_object();
    json_object_set_new_nocheck(b, "version", json_integer(2));
    json_object_set_new_nocheck(b, "type", json_string_nocheck("answer"));
    json_object_set_new_nocheck(b, "id", json_integer(m->id));
    char *fend = put_hex(fb, flags);
    json_object_set_new_nocheck(b, "flags", json_stringn_nocheck(fb, (size_t)(fend - fb)));
    /* Suricata writes each flag only when it is set. */
    if (m->qr)
        json_object_set_new_nocheck(b, "qr", json_true());
    if (m->aa)
        json_object_set_new_nocheck(b, "aa", json_true());
    if (m->rd)
        json_object_set_new_nocheck(b, "rd", json_true());
    if (m->ra)
        json_object_set_new_nocheck(b, "ra", json_true());
    if (st->kind != DNS_KIND_NBNS && (flags & 0x0040))
        json_object_set_new_nocheck(b, "z", json_true());
    json_object_set_new_nocheck(b, "opcode", json_integer(m->opcode));
    if (m->has_question) {
        json_object_set_new_nocheck(b, "rrname", dns_app_name(st->kind, m->qname));
        json_object_set_new_nocheck(
            b, "rrtype",
            json_string_nocheck(dns_app_type_name(st->kind, m->qtype, tb, sizeof(tb))));
    }
    json_object_set_new_nocheck(b, "rcode",
                                json_string_nocheck(dns_rcode_name(m->rcode, rb, sizeof(rb))));
    /* EVE wants a non-empty array or no key. */
    if (m->authority_count > 0)
        json_object_set_new_nocheck(b, "authorities", dns_app_authorities(st, m));
    if (m->answer_count == 0)
        return b;

    json_t *answers = json_array(), *grouped = json_object();
    for (unsigned i = 0; i < m->answer_count; i++) {
        const struct dns_rr *rr = &m->answers[i];
        const char *tname = dns_app_type_name(st->kind, rr->type, tb, sizeof(tb));
        json_t *a = json_object();
        json_object_set_new_nocheck(a, "rrname", dns_app_name(st->kind, rr->name));
        json_object_set_new_nocheck(a, "rrtype", json_string_nocheck(tname));
        json_object_set_new_nocheck(a, "ttl", json_integer(rr->ttl));
        json_t *rdata = NULL;
        const char *group = NULL;
        if (st->kind == DNS_KIND_NBNS) {
            if (rr->type == DNS_TYPE_NB && nb->answer_has_addr[i])
                rdata = dns_app_ipv4(nb->answer_addr[i]);
        } else {
            switch (rr->type) {
            case DNS_TYPE_A:
            case DNS_TYPE_AAAA:
            case DNS_TYPE_CNAME:
            case DNS_TYPE_PTR:
            case DNS_TYPE_MX:
            case DNS_TYPE_TXT:
            case DNS_TYPE_NS:
            case DNS_TYPE_SOA:
            case DNS_TYPE_SVCB:
            case DNS_TYPE_HTTPS:
                /* EVE's "grouped" has keys for the first six only. */
                if (rr->rdata[0] != '\0') {
                    rdata = app_json_cstr(dns_app_rdata_text(rr, txt, sizeof(txt)));
                    if (rr->type != DNS_TYPE_NS && rr->type != DNS_TYPE_SOA &&
                        rr->type != DNS_TYPE_SVCB && rr->type != DNS_TYPE_HTTPS)
                        group = tname;
                }
                break;
            case DNS_TYPE_SRV:
                if (rr->rdata[0] != '\0') {
                    json_object_set_new_nocheck(a, "srv", dns_app_srv_obj(rr));
                    json_t *g = json_object_get(grouped, "SRV");
                    if (!g) {
                        g = json_array();
                        json_object_set_new_nocheck(grouped, "SRV", g);
                    }
                    json_array_append_new(g, dns_app_srv_obj(rr));
                }
                break;
            default:
                break;
            }
        }
        if (rdata) {
            if (group) {
                json_t *g = json_object_get(grouped, group);
                if (!g) {
                    g = json_array();
                    json_object_set_new_nocheck(grouped, group, g);
                }
                json_array_append(g, rdata);
            }
            json_object_set_new_nocheck(a, "rdata", rdata);
        }
        json_array_append_new(answers, a);
    }
    json_object_set_new_nocheck(b, "answers", answers);
    if (json_object_size(grouped) > 0)
        json_object_set_new_nocheck(b, "grouped", grouped);
    else
        json_decref(grouped);
    return b;
}

/* One complete message in direction dir. */
static void dns_app_message(struct dns_app_state *st, struct app_cx *cx, int dir,
                            const uint8_t *data, uint32_t len)
{
    struct dns_msg *m = &dns_app_msg;
    struct dns_anomalies an;
    struct dns_nbns_info nb;
    bool tcp = cx->f->proto == 6;

    memset(&an, 0, sizeof(an));
    int rc = dns_parse(data, len, m, &an);
    if (st->kind == DNS_KIND_NBNS && rc != DNS_ERR_SHORT)
        dns_nbns_walk(data, len, m, &nb);
    else
        memset(&nb, 0, sizeof(nb));
    for (unsigned i = 0; i < DNS_AN_MAX; i++) {
        /* NBSTAT rdata is a name table, not the SRV record dns_parse() took
         * it for: what that reading found wrong inside it is not real. */
        bool rdata_an = i == DNS_AN_RDATA_MALFORMED || i == DNS_AN_LABEL_TYPE_UNKNOWN ||
                        i == DNS_AN_BAD_POINTER || i == DNS_AN_NAME_LOOP ||
                        i == DNS_AN_NAME_TOO_LONG || i == DNS_AN_TRUNCATED;
        if (an.count[i] && !(nb.saw_nbstat && rdata_an))
            app_anomaly(cx, dns_anomaly_name((enum dns_anomaly)i));
    }
    if (rc == DNS_ERR_SHORT)
        return;

    uint16_t flags = (uint16_t)(data[2] << 8 | data[3]);
    if (m->qr) {
        app_event(cx, "dns", dir, dns_app_answer_body(st, m, &nb, flags),
                  dns_app_extra(st, m, 0, &nb, flags, tcp));
        return;
    }
    if (!m->has_question) {
        /* Nothing EVE could show; an NBNS request still names a device. */
        if (st->kind == DNS_KIND_NBNS)
            app_event(cx, "dns", dir, NULL, dns_app_extra(st, m, 0, &nb, flags, tcp));
        return;
    }
    /* One event per question (at most DNS_MAX_QUESTIONS were kept), one
     * transaction per message. */
    for (unsigned i = 0; i < m->question_count; i++)
        app_event(cx, "dns", dir, dns_app_query_body(st, m, &m->questions[i]),
                  dns_app_extra(st, m, i, &nb, flags, tcp));
    st->tx_id++;
}

static void dns_app_on_tcp_msg(const uint8_t *msg, uint32_t len, void *user)
{
    struct dns_app_state *st = user;
    dns_app_message(st, st->cx, st->dir, msg, len);
}

static void dns_app_feed_kind(struct app_cx *cx, void *state, int dir, const uint8_t *data,
                              uint32_t len, uint8_t kind)
{
    struct dns_app_state *st = state;
    st->kind = kind;
    if (cx->f->proto != 6) {
        dns_app_message(st, cx, dir, data, len);
        return;
    }
    int d = dir ? 1 : 0;
    if (!st->framer_ready[d]) {
        dns_tcp_framer_init(&st->fr[d], dns_app_on_tcp_msg, st);
        st->framer_ready[d] = true;
    }
    st->cx = cx;
    st->dir = d;
    dns_tcp_framer_feed(&st->fr[d], data, len);
    st->cx = NULL;
}

static void dns_app_feed_dns(struct app_cx *cx, void *state, int dir, const uint8_t *data,
                             uint32_t len)
{
    dns_app_feed_kind(cx, state, dir, data, len, DNS_KIND_DNS);
}

static void dns_app_feed_mdns(struct app_cx *cx, void *state, int dir, const uint8_t *data,
                              uint32_t len)
{
    dns_app_feed_kind(cx, state, dir, data, len, DNS_KIND_MDNS);
}

static void dns_app_feed_llmnr(struct app_cx *cx, void *state, int dir, const uint8_t *data,
                               uint32_t len)
{
    dns_app_feed_kind(cx, state, dir, data, len, DNS_KIND_LLMNR);
}

static void dns_app_feed_nbns(struct app_cx *cx, void *state, int dir, const uint8_t *data,
                              uint32_t len)
{
    dns_app_feed_kind(cx, state, dir, data, len, DNS_KIND_NBNS);
}

static void dns_app_release(void *state)
{
    struct dns_app_state *st = state;
    for (int d = 0; d < 2; d++) {
        if (st->framer_ready[d])
            dns_tcp_framer_release(&st->fr[d]);
        st->framer_ready[d] = false;
    }
}

/* ---- Probes ---- */

/* Header checks shared by the probes (RFC 1035 4.1.1). */
static bool dns_probe_header(const uint8_t *p, uint8_t kind)
{
    uint8_t opcode = (uint8_t)(p[2] >> 3 & 0xf);
    bool qr = (p[2] & 0x80) != 0;
    uint16_t qd = (uint16_t)(p[4] << 8 | p[5]), an = (uint16_t)(p[6] << 8 | p[7]);
    uint16_t ns = (uint16_t)(p[8] << 8 | p[9]), ar = (uint16_t)(p[10] << 8 | p[11]);

    if (kind == DNS_KIND_NBNS) {
        /* RFC 1002 4.2.1.1: query, registration, release, WACK, refresh. */
        if (!(opcode == 0 || (opcode >= 5 && opcode <= 9) || opcode == 15))
            return false;
        return qd <= 1 && an <= 1 && ns <= 1 && ar <= 1 && qd + an > 0;
    }
    if (kind == DNS_KIND_DNS) {
        /* Opcodes 0-2 and 4-5 (3 is unassigned); Z must be zero. */
        if (opcode > 5 || opcode == 3 || (p[3] & 0x40))
            return false;
        if (qd > 4 || (qd == 0 && !qr))
            return false;
        if (!qr && opcode == 0 && (an > 1 || ns > 0 || ar > 2))
            return false;
    } else {
        if (opcode != 0)
            return false;
        if (kind == DNS_KIND_LLMNR && qd != 1)
            return false;
        if (qd > DNS_MAX_QUESTIONS)
            return false;
    }
    return (uint32_t)qd + an + ns + ar > 0 && (uint32_t)an + ns + ar <= DNS_MAX_RECORDS;
}

/* The message at p (len bytes available, of declared length `total`) has a
 * plausible first name and, for a question, a known class. */
static enum app_probe_result dns_probe_msg(const uint8_t *p, uint32_t len, uint32_t total,
                                           uint8_t kind)
{
    struct rd r;
    if (len < DNS_HEADER_LEN)
        return total > len ? APP_PROBE_NEED_MORE : APP_PROBE_NO;
    if (!dns_probe_header(p, kind))
        return APP_PROBE_NO;
    bool question = p[4] != 0 || p[5] != 0;
    rd_init(&r, p, MIN(len, total));
    rd_skip(&r, DNS_HEADER_LEN);
    /* Nothing precedes the first name, so it cannot hold a pointer. */
    uint32_t wire = 0;
    for (unsigned i = 0; i <= DNS_MAX_NAME_LABELS; i++) {
        uint8_t b = rd_u8(&r);
        if (!rd_ok(&r))
            return total > len ? APP_PROBE_NEED_MORE : APP_PROBE_NO;
        if (b == 0)
            break;
        if (b > 63 || (wire += 1u + b) > DNS_NAME_WIRE_MAX)
            return APP_PROBE_NO;
        if (kind == DNS_KIND_NBNS && (i > 0 || b != 32))
            return APP_PROBE_NO;
        rd_skip(&r, b);
        if (i == DNS_MAX_NAME_LABELS)
            return APP_PROBE_NO;
    }
    uint16_t type = rd_be16(&r);
    uint16_t cls = rd_be16(&r);
    if (!rd_ok(&r))
        return total > len ? APP_PROBE_NEED_MORE : APP_PROBE_NO;
    cls &= 0x7fff;
    if (type == 0)
        return APP_PROBE_NO;
    /* IN, CH, HS, ANY (questions); mDNS records use IN with cache-flush. */
    if (question && !(cls == 1 || cls == 3 || cls == 4 || cls == 255))
        return APP_PROBE_NO;
    if (!question && cls != 1)
        return APP_PROBE_NO;
    return APP_PROBE_YES;
}

/* DNS runs over UDP and TCP but the probe does not know which: a datagram is
 * a bare message, a stream starts with a 2-byte length. Either reading that
 * makes sense claims the flow; feed() then frames by cx->f->proto. */
static enum app_probe_result dns_probe(const uint8_t *data, uint32_t len, int dir)
{
    (void)dir;
    enum app_probe_result udp = dns_probe_msg(data, len, len, DNS_KIND_DNS);
    if (udp == APP_PROBE_YES)
        return udp;
    if (len < 2)
        return APP_PROBE_NEED_MORE;
    uint32_t total = (uint32_t)data[0] << 8 | data[1];
    if (total < DNS_HEADER_LEN)
        return APP_PROBE_NO;
    enum app_probe_result tcp = dns_probe_msg(data + 2, len - 2, total, DNS_KIND_DNS);
    if (tcp == APP_PROBE_YES)
        return tcp;
    /* A short datagram could only ever be a short TCP prefix. */
    return tcp == APP_PROBE_NEED_MORE && len < 2 + total ? APP_PROBE_NEED_MORE : APP_PROBE_NO;
}

static enum app_probe_result dns_probe_mdns(const uint8_t *data, uint32_t len, int dir)
{
    (void)dir;
    return dns_probe_msg(data, len, len, DNS_KIND_MDNS);
}

static enum app_probe_result dns_probe_llmnr(const uint8_t *data, uint32_t len, int dir)
{
    (void)dir;
    return dns_probe_msg(data, len, len, DNS_KIND_LLMNR);
}

static enum app_probe_result dns_probe_nbns(const uint8_t *data, uint32_t len, int dir)
{
    (void)dir;
    return dns_probe_msg(data, len, len, DNS_KIND_NBNS);
}

static const uint16_t dns_ports[] = {53, 0};
static const uint16_t mdns_ports[] = {5353, 0};
static const uint16_t llmnr_ports[] = {5355, 0};
static const uint16_t nbns_ports[] = {137, 0};

const struct app_parser app_parser_dns = {
    .id = APP_DNS,
    .name = "dns",
    .ipproto = 0,
    .ports = dns_ports,
    .probe = dns_probe,
    .state_size = sizeof(struct dns_app_state),
    .feed = dns_app_feed_dns,
    .gap = NULL, /* a TCP hole loses the framing: stop that direction */
    .end = NULL, /* queries are reported as they come: nothing pends */
    .release = dns_app_release,
};

const struct app_parser app_parser_mdns = {
    .id = APP_MDNS,
    .name = "mdns",
    .ipproto = 17,
    .ports = mdns_ports,
    .probe = dns_probe_mdns,
    .state_size = sizeof(struct dns_app_state),
    .feed = dns_app_feed_mdns,
    .release = dns_app_release,
};

const struct app_parser app_parser_llmnr = {
    .id = APP_LLMNR,
    .name = "llmnr",
    .ipproto = 17,
    .ports = llmnr_ports,
    .probe = dns_probe_llmnr,
    .state_size = sizeof(struct dns_app_state),
    .feed = dns_app_feed_llmnr,
    .release = dns_app_release,
};

const struct app_parser app_parser_nbns = {
    .id = APP_NBNS,
    .name = "nbns",
    .ipproto = 17,
    .ports = nbns_ports,
    .probe = dns_probe_nbns,
    .state_size = sizeof(struct dns_app_state),
    .feed = dns_app_feed_nbns,
    .release = dns_app_release,
};

/* proto-dns.c - DNS message parser, NetBIOS name decoding, DNS/TCP framing.
 * See proto-dns.h for what each function promises. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    char b[16];
    int n = snprintf(b, sizeof(b), "%u", v);
    dns_text_put(t, b, (size_t)n);
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
        char b[8];
        int n = snprintf(b, sizeof(b), "\\%03u", (unsigned)c);
        dns_text_put(t, b, (size_t)n);
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
        rd_skip(&d, 16); /* refresh, retry, expire, minimum */
        if (!rd_ok(&d))
            break;
        dns_text_put(&t, " ", 1);
        dns_text_u32(&t, rr->serial);
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

/* Reads one resource record at r; fills rr (may be NULL to only walk it).
 * Returns 0, or -1 after counting an anomaly. */
static int dns_read_rr(const uint8_t *msg, uint32_t len, struct rd *r, struct dns_rr *rr,
                       struct dns_anomalies *an)
{
    struct dns_rr scratch;
    struct dns_rr *x = rr ? rr : &scratch;

    if (rd_left(r) == 0) {
        /* The header promised more records than the message holds. */
        dns_anomaly(an, DNS_AN_COUNTS_MISMATCH);
        return -1;
    }
    memset(x, 0, offsetof(struct dns_rr, rdata));
    x->rdata[0] = '\0';
    if (dns_read_name(msg, len, r, x->name, sizeof(x->name), an) < 0)
        return -1;
    x->type = rd_be16(r);
    uint16_t cls = rd_be16(r);
    x->ttl = rd_be32(r);
    x->rdlength = rd_be16(r);
    if (!rd_ok(r) || !rd_has(r, x->rdlength)) {
        dns_anomaly(an, DNS_AN_TRUNCATED);
        return -1;
    }
    x->rclass = cls & 0x7fff;
    x->cache_flush = (cls & 0x8000) != 0;
    uint32_t start = r->off;
    rd_skip(r, x->rdlength);
    if (rr)
        dns_rdata(msg, len, start, x, an);
    return 0;
}

int dns_parse(const uint8_t *msg, uint32_t len, struct dns_msg *out, struct dns_anomalies *an)
{
    struct rd r;
    char scratch[DNS_NAME_TEXT_MAX];
    unsigned records = 0;

    memset(out, 0, offsetof(struct dns_msg, answers));
    out->qname[0] = '\0';
    out->answer_count = 0;
    out->authority_parsed = 0;
    out->additional_parsed = 0;

    rd_init(&r, msg, len);
    out->id = rd_be16(&r);
    uint16_t flags = rd_be16(&r);
    out->qdcount = rd_be16(&r);
    out->ancount = rd_be16(&r);
    out->nscount = rd_be16(&r);
    out->arcount = rd_be16(&r);
    if (!rd_ok(&r)) {
        memset(out, 0, offsetof(struct dns_msg, answers));
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

    if (out->qdcount > DNS_MAX_QUESTIONS) {
        dns_anomaly(an, DNS_AN_TOO_MANY_RECORDS);
        return DNS_ERR_PARTIAL;
    }
    for (unsigned i = 0; i < out->qdcount; i++) {
        if (rd_left(&r) == 0) {
            dns_anomaly(an, DNS_AN_COUNTS_MISMATCH);
            return DNS_ERR_PARTIAL;
        }
        char *name = i == 0 ? out->qname : scratch;
        size_t cap = i == 0 ? sizeof(out->qname) : sizeof(scratch);
        if (dns_read_name(msg, len, &r, name, cap, an) < 0) {
            name[0] = '\0';
            return DNS_ERR_PARTIAL;
        }
        uint16_t qtype = rd_be16(&r);
        uint16_t qclass = rd_be16(&r);
        if (!rd_ok(&r)) {
            name[0] = '\0';
            dns_anomaly(an, DNS_AN_TRUNCATED);
            return DNS_ERR_PARTIAL;
        }
        if (i == 0) {
            out->has_question = true;
            out->qtype = qtype;
            out->qclass = qclass & 0x7fff;
            out->qclass_unicast = (qclass & 0x8000) != 0;
        }
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
            if (s == 0 && out->answer_count < DNS_MAX_ANSWERS)
                rr = &out->answers[out->answer_count];
            if (dns_read_rr(msg, len, &r, rr, an) < 0)
                return DNS_ERR_PARTIAL;
            if (rr)
                out->answer_count++;
            (*parsed[s])++;
        }
    }
    if (rd_left(&r) != 0)
        dns_anomaly(an, DNS_AN_COUNTS_MISMATCH);
    return DNS_OK;
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
    for (unsigned i = 0; i < n; i++)
        dns_text_byte(&t, raw[i], true);
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

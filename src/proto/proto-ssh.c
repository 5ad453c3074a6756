/* proto-ssh.c - SSH identification lines and KEXINIT (app_parser_ssh).
 *
 * Each side opens with "SSH-protoversion-softwareversion[ SP comments]"
 * (RFC 4253 4.2); the server may send other lines first. In SSH 2 the next
 * cleartext binary packet of each side is KEXINIT (RFC 4253 7.1), whose
 * algorithm lists give HASSH / HASSHServer (MD5 of "kex;enc;mac;comp" with
 * the client-to-server lists for the client and server-to-client for the
 * server, as Salesforce's HASSH defines them). One "ssh" event per flow once
 * both sides are read (or at flow end), then the parser lets go. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "app/app.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

struct ssh_side {
    struct app_line line;
    unsigned pre_lines;   /* non-SSH lines before the banner (server only) */
    bool banner_done;
    bool invalid;         /* gave up on this side */
    bool kex_done;        /* KEXINIT read, or will never be */
    uint8_t banner[SSH_MAX_BANNER];
    uint16_t banner_len;
    /* Binary packet being collected: 4-byte length, then the packet. */
    uint8_t lenbuf[4];
    uint8_t lenbuf_got;
    uint32_t pkt_len;
    uint32_t pkt_got;
    uint8_t *pkt;         /* SSH_MAX_KEXINIT bytes, allocated on first use */
    unsigned packets;
    char hassh[33];       /* hex MD5, "" if none */
    char *hassh_str;      /* the hashed string, xmalloc'd */
};

struct ssh_state {
    struct ssh_side side[2];
    bool logged;
};

static bool ssh_is_v2(const struct ssh_side *s)
{
    /* "SSH-2.0-" or "SSH-1.99-" (RFC 4253 5.1: 1.99 is a v2 server that also
     * speaks v1). */
    return (s->banner_len >= 8 && memcmp(s->banner, "SSH-2.0-", 8) == 0) ||
           (s->banner_len >= 9 && memcmp(s->banner, "SSH-1.99-", 9) == 0);
}

/* Splits the banner into protoversion, softwareversion and comment. */
static void ssh_banner_fields(const struct ssh_side *s, json_t *side, json_t *extra,
                              const char *comment_key)
{
    const uint8_t *b = s->banner + 4;
    uint32_t n = s->banner_len >= 4 ? s->banner_len - 4u : 0;
    const uint8_t *dash = memchr(b, '-', n);
    if (!dash) {
        app_json_set_bytes(side, "proto_version", b, n, SSH_MAX_BANNER);
        return;
    }
    app_json_set_bytes(side, "proto_version", b, (size_t)(dash - b), SSH_MAX_BANNER);
    const uint8_t *sw = dash + 1;
    uint32_t swn = n - (uint32_t)(sw - b);
    const uint8_t *sp = memchr(sw, ' ', swn);
    uint32_t swlen = sp ? (uint32_t)(sp - sw) : swn;
    app_json_set_bytes(side, "software_version", sw, swlen, SSH_MAX_BANNER);
    if (sp && swn - swlen > 1)
        app_json_set_bytes(extra, comment_key, sp + 1, swn - swlen - 1, SSH_MAX_BANNER);
}

static void ssh_log(struct app_cx *cx, struct ssh_state *st)
{
    if (st->logged)
        return;
    st->logged = true;
    json_t *body = json_object();
    json_t *extra = json_object();
    static const char *const names[2] = {"client", "server"};
    static const char *const comments[2] = {"client_comment", "server_comment"};
    for (int d = 0; d < 2; d++) {
        const struct ssh_side *s = &st->side[d];
        if (!s->banner_done)
            continue;
        json_t *side = json_object();
        ssh_banner_fields(s, side, extra, comments[d]);
        if (s->hassh[0]) {
            json_t *h = json_object();
            json_object_set_new_nocheck(h, "hash", json_string(s->hassh));
            json_object_set_new_nocheck(h, "string", app_json_cstr(s->hassh_str));
            json_object_set_new_nocheck(side, "hassh", h);
        }
        json_object_set_new_nocheck(body, names[d], side);
    }
    if (json_object_size(extra) == 0) {
        json_decref(extra);
        extra = NULL;
    }
    app_event(cx, "ssh", 0, body, extra);
    app_done(cx, -1);
}

static void ssh_maybe_log(struct app_cx *cx, struct ssh_state *st)
{
    for (int d = 0; d < 2; d++) {
        const struct ssh_side *s = &st->side[d];
        if (!s->invalid && (!s->banner_done || !s->kex_done))
            return;
    }
    if (st->side[0].banner_done || st->side[1].banner_done)
        ssh_log(cx, st);
    else
        app_done(cx, -1);
}

static void ssh_line(struct app_cx *cx, struct ssh_side *s, int dir)
{
    struct app_line *lb = &s->line;
    uint32_t n = lb->len;
    if (!lb->overlong && n > 0 && lb->buf[n - 1] == '\r')
        n--;
    bool is_ssh = n >= 4 && memcmp(lb->buf, "SSH-", 4) == 0;
    if (!is_ssh) {
        /* Only the server may send other lines first (RFC 4253 4.2). */
        if (dir == 0 || ++s->pre_lines > SSH_MAX_PRE_BANNER_LINES) {
            app_anomaly(cx, "ssh.invalid_banner");
            s->invalid = true;
        }
        return;
    }
    /* 255 bytes including CR LF. */
    if (lb->overlong || n > SSH_MAX_BANNER - 2)
        app_anomaly(cx, "ssh.banner_too_long");
    n = MIN(n, (uint32_t)SSH_MAX_BANNER);
    memcpy(s->banner, lb->buf, n);
    s->banner_len = (uint16_t)n;
    s->banner_done = true;
    if (!memchr(s->banner + 4, '-', n - 4u))
        app_anomaly(cx, "ssh.invalid_banner");
    /* SSH 1 has no KEXINIT. */
    if (!ssh_is_v2(s))
        s->kex_done = true;
}

/* Reads the name-list at r into out (if not NULL). */
static bool ssh_name_list(struct rd *r, const uint8_t **out, uint32_t *out_len)
{
    uint32_t n = rd_be32(r);
    if (!rd_has(r, n))
        return false;
    if (out) {
        *out = rd_ptr(r);
        *out_len = n;
    }
    rd_skip(r, n);
    return true;
}

/* KEXINIT payload after the message byte (RFC 4253 7.1). */
static void ssh_kexinit(struct app_cx *cx, struct ssh_side *s, int dir, const uint8_t *p,
                        uint32_t len)
{
    struct rd r;
    rd_init(&r, p, len);
    rd_skip(&r, 16); /* cookie */
    const uint8_t *l[10] = {0};
    uint32_t ln[10] = {0};
    for (int i = 0; i < 10; i++) {
        if (!ssh_name_list(&r, &l[i], &ln[i])) {
            app_anomaly(cx, "ssh.invalid_kexinit");
            return;
        }
    }
    /* kex, hostkey, enc c2s, enc s2c, mac c2s, mac s2c, comp c2s, comp s2c */
    int e = dir == 0 ? 2 : 3, m = dir == 0 ? 4 : 5, c = dir == 0 ? 6 : 7;
    size_t total = (size_t)ln[0] + ln[e] + ln[m] + ln[c] + 4;
    char *str = xmalloc(total);
    snprintf(str, total, "%.*s;%.*s;%.*s;%.*s", (int)ln[0], (const char *)l[0], (int)ln[e],
             (const char *)l[e], (int)ln[m], (const char *)l[m], (int)ln[c], (const char *)l[c]);
    /* A NUL inside a list would cut the string; hash what is printed. */
    size_t slen = strlen(str);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (EVP_Digest(str, slen, md, &mdlen, EVP_md5(), NULL) != 1 || mdlen != 16) {
        free(str);
        return;
    }
    for (unsigned i = 0; i < 16; i++)
        snprintf(s->hassh + 2 * i, 3, "%02x", md[i]);
    free(s->hassh_str);
    s->hassh_str = str;
}

/* One whole binary packet (packet_length bytes, or the first SSH_MAX_KEXINIT
 * of a longer one) of a side whose KEXINIT is not yet read. */
static void ssh_packet(struct app_cx *cx, struct ssh_side *s, int dir, const uint8_t *p,
                       uint32_t len, bool cut)
{
    struct rd r;
    rd_init(&r, p, len);
    uint8_t pad = rd_u8(&r);
    uint8_t msg = rd_u8(&r);
    if (!rd_ok(&r) || (uint32_t)pad + 2 > len) {
        app_anomaly(cx, "ssh.invalid_packet");
        s->kex_done = true;
        return;
    }
    if (msg == 20) {
        if (cut)
            app_anomaly(cx, "ssh.kexinit_too_long");
        else
            ssh_kexinit(cx, s, dir, rd_ptr(&r), len - 2u - pad);
        s->kex_done = true;
        return;
    }
    if (++s->packets >= SSH_MAX_PACKETS_BEFORE_KEXINIT)
        s->kex_done = true;
}

static void ssh_binary(struct app_cx *cx, struct ssh_side *s, int dir, const uint8_t *data,
                       uint32_t len)
{
    /* Bounded by len: each pass consumes at least one byte or finishes the
     * side. */
    while (len > 0 && !s->kex_done) {
        if (s->lenbuf_got < 4) {
            s->lenbuf[s->lenbuf_got++] = *data++;
            len--;
            if (s->lenbuf_got == 4) {
                struct rd r;
                rd_init(&r, s->lenbuf, 4);
                s->pkt_len = rd_be32(&r);
                s->pkt_got = 0;
                /* RFC 4253 6: at least 16 bytes with padding_length >= 4;
                 * we only need pad + msg. */
                if (s->pkt_len < 2) {
                    app_anomaly(cx, "ssh.invalid_packet");
                    s->kex_done = true;
                }
            }
            continue;
        }
        uint32_t want = s->pkt_len - s->pkt_got;
        uint32_t take = MIN(want, len);
        uint32_t keep_room = s->pkt_got < SSH_MAX_KEXINIT ? SSH_MAX_KEXINIT - s->pkt_got : 0;
        uint32_t keep = MIN(take, keep_room);
        if (keep) {
            if (!s->pkt)
                s->pkt = xmalloc(SSH_MAX_KEXINIT);
            memcpy(s->pkt + s->pkt_got, data, keep);
        }
        s->pkt_got += take;
        data += take;
        len -= take;
        if (s->pkt_got == s->pkt_len) {
            bool cut = s->pkt_len > SSH_MAX_KEXINIT;
            ssh_packet(cx, s, dir, s->pkt, MIN(s->pkt_len, (uint32_t)SSH_MAX_KEXINIT), cut);
            s->lenbuf_got = 0;
        }
    }
}

static void ssh_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct ssh_state *st = state;
    struct ssh_side *s = &st->side[dir ? 1 : 0];
    if (st->logged || s->invalid)
        return;
    if (!s->line.max)
        s->line.max = SSH_MAX_BANNER;
    /* Each line consumes input up to its LF, so this ends with the input. */
    while (!s->banner_done && !s->invalid && len > 0) {
        if (!app_line_take(&s->line, &data, &len))
            break;
        ssh_line(cx, s, dir);
        app_line_reset(&s->line);
    }
    if (s->banner_done) {
        app_line_free(&s->line);
        ssh_binary(cx, s, dir, data, len);
    }
    ssh_maybe_log(cx, st);
}

static void ssh_gap(struct app_cx *cx, void *state, int dir)
{
    struct ssh_state *st = state;
    struct ssh_side *s = &st->side[dir ? 1 : 0];
    /* Lost bytes: the banner or KEXINIT can no longer be framed. */
    if (!s->banner_done)
        s->invalid = true;
    s->kex_done = true;
    if (!st->logged)
        ssh_maybe_log(cx, st);
}

static void ssh_end(struct app_cx *cx, void *state)
{
    struct ssh_state *st = state;
    if (!st->logged && (st->side[0].banner_done || st->side[1].banner_done))
        ssh_log(cx, st);
}

static void ssh_release(void *state)
{
    struct ssh_state *st = state;
    for (int d = 0; d < 2; d++) {
        app_line_free(&st->side[d].line);
        free(st->side[d].pkt);
        free(st->side[d].hassh_str);
        st->side[d].pkt = NULL;
        st->side[d].hassh_str = NULL;
    }
}

static enum app_probe_result ssh_probe(const uint8_t *data, uint32_t len, int dir)
{
    (void)dir;
    uint32_t n = MIN(len, 4u);
    if (memcmp(data, "SSH-", n) != 0)
        return APP_PROBE_NO;
    return n == 4 ? APP_PROBE_YES : APP_PROBE_NEED_MORE;
}

static const uint16_t ssh_ports[] = {22, 2222, 0};

const struct app_parser app_parser_ssh = {
    .id = APP_SSH,
    .name = "ssh",
    .ipproto = 6,
    .ports = ssh_ports,
    .probe = ssh_probe,
    .state_size = sizeof(struct ssh_state),
    .feed = ssh_feed,
    .gap = ssh_gap,
    .end = ssh_end,
    .release = ssh_release,
};

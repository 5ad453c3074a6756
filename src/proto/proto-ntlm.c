/* proto-ntlm.c - NTLMSSP NEGOTIATE/CHALLENGE/AUTHENTICATE reader
 * (MS-NLMP 2.2.1.1-2.2.1.3). See proto-ntlm.h. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "proto/proto-ntlm.h"
#include "util/rd.h"
#include "util/util.h"

static const uint8_t ntlm_sig[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

#define NTLM_FLAG_UNICODE 0x00000001u
#define NTLM_FLAG_VERSION 0x02000000u

int32_t ntlm_find(const uint8_t *blob, uint32_t len)
{
    if (len < sizeof(ntlm_sig) || len > INT32_MAX)
        return -1;
    /* memmem is bounded by len; the blob is at most SMB_MAX_MSG. */
    const uint8_t *hit = memmem(blob, len, ntlm_sig, sizeof(ntlm_sig));
    return hit ? (int32_t)(hit - blob) : -1;
}

static void ntlm_utf8_put(struct ntlm_name *n, uint32_t cp)
{
    char *o = n->s + n->len;
    if (cp < 0x80) {
        o[0] = (char)cp;
        n->len += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        n->len += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        n->len += 3;
    } else {
        /* From a surrogate pair: 4 bytes for 2 UTF-16 units, within the
         * 3-bytes-per-unit bound of the buffer. */
        o[0] = (char)(0xf0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[3] = (char)(0x80 | (cp & 0x3f));
        n->len += 4;
    }
}

/* Fills n from the blen bytes at msg[off]: UTF-16LE when unicode, else OEM
 * bytes kept as they are (app_json_str escapes what is not UTF-8). */
static void ntlm_name_from(const uint8_t *msg, uint32_t msg_len, uint32_t off, uint32_t blen,
                           bool unicode, struct ntlm_name *n, bool *malformed)
{
    n->present = false;
    n->len = 0;
    n->s[0] = '\0';
    if (blen == 0)
        return;
    if (off > msg_len || blen > msg_len - off) {
        *malformed = true;
        return;
    }
    n->present = true;
    const uint8_t *p = msg + off;
    if (!unicode) {
        uint32_t take = MIN((uint32_t)blen, (uint32_t)NTLM_MAX_NAME);
        memcpy(n->s, p, take);
        n->len = (uint16_t)take;
        n->s[take] = '\0';
        return;
    }
    if (blen & 1)
        *malformed = true;
    uint32_t units = MIN((uint32_t)blen / 2, (uint32_t)NTLM_MAX_NAME);
    for (uint32_t i = 0; i < units; i++) {
        uint32_t u = (uint32_t)p[2 * i] | (uint32_t)p[2 * i + 1] << 8;
        if (u >= 0xd800 && u <= 0xdbff && i + 1 < units) {
            uint32_t lo = (uint32_t)p[2 * i + 2] | (uint32_t)p[2 * i + 3] << 8;
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                ntlm_utf8_put(n, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
                i++;
                continue;
            }
        }
        if (u >= 0xd800 && u <= 0xdfff)
            u = 0xfffd; /* lone surrogate */
        if (u == 0)
            u = 0xfffd; /* keep the C string whole */
        ntlm_utf8_put(n, u);
    }
    n->s[n->len] = '\0';
}

/* A security buffer {len le16, maxlen le16, offset le32} read from r,
 * pointing into msg; lowers *min_off to where its payload starts. */
static void ntlm_name_read(struct rd *r, const uint8_t *msg, uint32_t msg_len, bool unicode,
                           struct ntlm_name *n, bool *malformed, uint32_t *min_off)
{
    uint16_t blen = rd_le16(r);
    rd_skip(r, 2);
    uint32_t off = rd_le32(r);
    if (!rd_ok(r))
        blen = 0;
    if (blen && off < *min_off)
        *min_off = off;
    ntlm_name_from(msg, msg_len, off, blen, unicode, n, malformed);
}

/* The 8-byte VERSION (2.2.2.10) at byte `at`, if the flags say it is there
 * and no payload starts before its end (older clients omit it). */
static void ntlm_version_read(const uint8_t *p, uint32_t len, uint32_t at, uint32_t min_off,
                              struct ntlm_msg *m)
{
    if (!(m->flags & NTLM_FLAG_VERSION) || min_off < at + 8 || len < at + 8)
        return;
    struct rd r;
    rd_init(&r, p + at, 8);
    m->ver_major = rd_u8(&r);
    m->ver_minor = rd_u8(&r);
    m->ver_build = rd_le16(&r);
    m->has_version = rd_ok(&r);
}

/* CHALLENGE TargetInfo: AV_PAIRs {AvId le16, AvLen le16, value} up to
 * MsvAvEOL (2.2.2.1). */
static void ntlm_av_pairs(const uint8_t *p, uint32_t len, uint32_t off, uint32_t blen,
                          struct ntlm_msg *m)
{
    if (off > len || blen > len - off) {
        m->malformed = true;
        return;
    }
    struct rd r;
    rd_init(&r, p + off, blen);
    for (unsigned i = 0; i < NTLM_MAX_AV_PAIRS && rd_left(&r) >= 4; i++) {
        uint16_t id = rd_le16(&r);
        uint16_t alen = rd_le16(&r);
        if (id == 0)
            return;
        if (alen > rd_left(&r)) {
            m->malformed = true;
            return;
        }
        struct ntlm_name *n = id == 1   ? &m->nb_computer
                              : id == 2 ? &m->nb_domain
                              : id == 3 ? &m->dns_computer
                              : id == 4 ? &m->dns_domain
                                        : NULL;
        if (n)
            ntlm_name_from(p, len, off + r.off, alen, true, n, &m->malformed);
        rd_skip(&r, alen);
    }
}

int ntlm_parse(const uint8_t *p, uint32_t len, struct ntlm_msg *m)
{
    memset(m, 0, sizeof(*m));
    struct rd r;
    rd_init(&r, p, len);
    uint8_t sig[8];
    rd_bytes(&r, sig, sizeof(sig));
    uint32_t type = rd_le32(&r);
    if (!rd_ok(&r) || memcmp(sig, ntlm_sig, sizeof(sig)) != 0)
        return -1;
    uint32_t min_off = len;
    switch (type) {
    case NTLM_NEGOTIATE:
        /* Flags, DomainNameFields, WorkstationFields (OEM), VERSION. */
        m->flags = rd_le32(&r);
        if (!rd_ok(&r))
            return -1;
        if (rd_left(&r) >= 16) {
            ntlm_name_read(&r, p, len, false, &m->domain, &m->malformed, &min_off);
            ntlm_name_read(&r, p, len, false, &m->host, &m->malformed, &min_off);
            ntlm_version_read(p, len, 32, min_off, m);
        }
        break;
    case NTLM_CHALLENGE: {
        struct rd tn = r;
        rd_skip(&r, 8);
        m->flags = rd_le32(&r);
        rd_skip(&r, 16); /* ServerChallenge, Reserved */
        if (!rd_ok(&r))
            return -1;
        bool unicode = (m->flags & NTLM_FLAG_UNICODE) != 0;
        ntlm_name_read(&tn, p, len, unicode, &m->target, &m->malformed, &min_off);
        if (rd_left(&r) >= 8) {
            uint16_t blen = rd_le16(&r);
            rd_skip(&r, 2);
            uint32_t off = rd_le32(&r);
            if (blen) {
                if (off < min_off)
                    min_off = off;
                ntlm_av_pairs(p, len, off, blen, m);
            }
            ntlm_version_read(p, len, 48, min_off, m);
        }
        break;
    }
    case NTLM_AUTHENTICATE: {
        /* Lm, Nt responses, Domain, User, Workstation, SessionKey, Flags. */
        struct rd fields = r;
        rd_skip(&r, 48);
        m->flags = rd_le32(&r);
        if (!rd_ok(&r))
            return -1;
        bool unicode = (m->flags & NTLM_FLAG_UNICODE) != 0;
        rd_skip(&fields, 8); /* LmChallengeResponse: never read */
        uint16_t nt_len = rd_le16(&fields);
        rd_skip(&fields, 2);
        uint32_t nt_off = rd_le32(&fields);
        if (nt_len && nt_off < min_off)
            min_off = nt_off;
        if (nt_len && (nt_off > len || nt_len > len - nt_off))
            m->malformed = true;
        m->auth_version = nt_len == 0 ? 0 : nt_len == 24 ? 1 : 2;
        ntlm_name_read(&fields, p, len, unicode, &m->domain, &m->malformed, &min_off);
        ntlm_name_read(&fields, p, len, unicode, &m->user, &m->malformed, &min_off);
        ntlm_name_read(&fields, p, len, unicode, &m->host, &m->malformed, &min_off);
        ntlm_version_read(p, len, 64, min_off, m);
        break;
    }
    default:
        return -1;
    }
    m->type = (enum ntlm_type)type;
    return 0;
}

json_t *ntlm_utf16le_json(const uint8_t *p, uint32_t len)
{
    struct ntlm_name n;
    bool bad = false;
    uint32_t units = 0;
    /* Stop at the terminator: SMB1 strings are NUL-terminated. */
    while (units < len / 2 && units < NTLM_MAX_NAME && (p[2 * units] | p[2 * units + 1]) != 0)
        units++;
    ntlm_name_from(p, len, 0, units * 2, true, &n, &bad);
    return app_json_str((const uint8_t *)n.s, n.len, sizeof(n.s));
}

static void ntlm_version_str(const struct ntlm_msg *m, char *buf, size_t n)
{
    snprintf(buf, n, "%u.%u build %u", m->ver_major, m->ver_minor, m->ver_build);
}

static void ntlm_set_name(json_t *o, const char *key, const struct ntlm_name *n)
{
    app_json_set_bytes(o, key, (const uint8_t *)n->s, n->len, sizeof(n->s));
}

json_t *ntlm_auth_json(const struct ntlm_msg *m)
{
    json_t *o = json_object();
    ntlm_set_name(o, "domain", &m->domain);
    ntlm_set_name(o, "user", &m->user);
    ntlm_set_name(o, "host", &m->host);
    if (m->has_version) {
        char v[32];
        ntlm_version_str(m, v, sizeof(v));
        json_object_set_new_nocheck(o, "version", json_string(v));
    }
    return o;
}

void ntlm_extra_json(const struct ntlm_msg *m, json_t *extra)
{
    if (m->type == NTLM_AUTHENTICATE) {
        static const char *const names[] = {"anonymous", "NTLMv1", "NTLMv2"};
        json_object_set_new_nocheck(extra, "ntlm_version", json_string(names[m->auth_version]));
        return;
    }
    if (m->type != NTLM_CHALLENGE)
        return;
    json_t *s = json_object();
    if (m->target.present)
        ntlm_set_name(s, "target", &m->target);
    if (m->nb_computer.present)
        ntlm_set_name(s, "nb_computer", &m->nb_computer);
    if (m->nb_domain.present)
        ntlm_set_name(s, "nb_domain", &m->nb_domain);
    if (m->dns_computer.present)
        ntlm_set_name(s, "dns_computer", &m->dns_computer);
    if (m->dns_domain.present)
        ntlm_set_name(s, "dns_domain", &m->dns_domain);
    if (m->has_version) {
        char v[32];
        ntlm_version_str(m, v, sizeof(v));
        json_object_set_new_nocheck(s, "version", json_string(v));
    }
    json_object_set_new_nocheck(extra, "ntlm_server", s);
}

/* test-proto-smb.c - SMB2 negotiate/session setup (NTLMSSP)/tree connect,
 * SMB1 negotiate, NBSS framing at every split point, anomalies. Messages are
 * built field by field by the helpers below (MS-SMB2 2.2, MS-CIFS 2.2,
 * MS-NLMP 2.2.1.3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app-test-util.h"
#include "proto/proto-ntlm.h"
#include "util/util.h"

struct wb {
    uint8_t b[4096];
    uint32_t n;
};

static void w8(struct wb *w, uint8_t v) { w->b[w->n++] = v; }
static void w16(struct wb *w, uint16_t v) { w8(w, (uint8_t)v); w8(w, (uint8_t)(v >> 8)); }
static void w32(struct wb *w, uint32_t v) { w16(w, (uint16_t)v); w16(w, (uint16_t)(v >> 16)); }
static void w64(struct wb *w, uint64_t v) { w32(w, (uint32_t)v); w32(w, (uint32_t)(v >> 32)); }
static void wmem(struct wb *w, const void *p, uint32_t n) { memcpy(w->b + w->n, p, n); w->n += n; }
static void wutf16(struct wb *w, const char *s) { for (; *s; s++) w16(w, (uint8_t)*s); }

/* NBSS session message header (type 0, 24-bit length) then the message. */
static void nbss(struct wb *out, const struct wb *msg)
{
    w8(out, 0);
    w8(out, (uint8_t)(msg->n >> 16));
    w8(out, (uint8_t)(msg->n >> 8));
    w8(out, (uint8_t)msg->n);
    wmem(out, msg->b, msg->n);
}

static void smb2_hdr(struct wb *w, uint16_t cmd, bool resp, uint64_t mid, uint32_t status,
                     uint32_t tree, uint64_t sess)
{
    wmem(w, "\xfeSMB", 4); /* ProtocolId */
    w16(w, 64);             /* StructureSize */
    w16(w, 1);              /* CreditCharge */
    w32(w, status);         /* Status */
    w16(w, cmd);            /* Command */
    w16(w, 1);              /* CreditRequest */
    w32(w, resp ? 1 : 0);   /* Flags: SERVER_TO_REDIR */
    w32(w, 0);              /* NextCommand */
    w64(w, mid);            /* MessageId */
    w32(w, 0xfeff);         /* ProcessId */
    w32(w, tree);           /* TreeId */
    w64(w, sess);           /* SessionId */
    for (int i = 0; i < 16; i++)
        w8(w, 0);           /* Signature */
}

static const uint8_t guid[16] = {0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66,
                                 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

/* NTLMSSP AUTHENTICATE: domain CORP, user alice, workstation WS01, NTLMv2
 * (NT response longer than 24), VERSION 10.0 build 19041. */
static void ntlm_auth(struct wb *w, uint16_t nt_len)
{
    uint32_t base = w->n;
    const uint32_t hdr = 88; /* 64 fixed + VERSION 8 + MIC 16 */
    uint32_t off = hdr;
    wmem(w, "NTLMSSP\0", 8);
    w32(w, 3);                                  /* MessageType */
    w16(w, 24); w16(w, 24); w32(w, off);        /* LmChallengeResponse */
    off += 24;
    w16(w, nt_len); w16(w, nt_len); w32(w, off); /* NtChallengeResponse */
    off += nt_len;
    w16(w, 8); w16(w, 8); w32(w, off);          /* DomainName "CORP" */
    off += 8;
    w16(w, 10); w16(w, 10); w32(w, off);        /* UserName "alice" */
    off += 10;
    w16(w, 8); w16(w, 8); w32(w, off);          /* Workstation "WS01" */
    off += 8;
    w16(w, 0); w16(w, 0); w32(w, off);          /* EncryptedRandomSessionKey */
    w32(w, 0x02000001);                         /* Flags: VERSION | UNICODE */
    w8(w, 10); w8(w, 0); w16(w, 19041);         /* VERSION 10.0.19041 */
    w8(w, 0); w8(w, 0); w8(w, 0); w8(w, 15);    /* reserved, NTLM revision 15 */
    for (int i = 0; i < 16; i++)
        w8(w, 0);                               /* MIC */
    assert_int_equal(w->n - base, hdr);
    for (int i = 0; i < 24 + nt_len; i++)
        w8(w, 0x5a);                            /* responses: never read */
    wutf16(w, "CORP");
    wutf16(w, "alice");
    wutf16(w, "WS01");
}

/* The client stream: NEGOTIATE, SESSION_SETUP (AUTHENTICATE inside a
 * made-up SPNEGO prefix), TREE_CONNECT \\srv\IPC$. */
static void client_stream(struct wb *out)
{
    struct wb m;
    m.n = 0;
    smb2_hdr(&m, 0, false, 0, 0, 0, 0);
    w16(&m, 36);           /* StructureSize */
    w16(&m, 5);            /* DialectCount */
    w16(&m, 1);            /* SecurityMode */
    w16(&m, 0);            /* Reserved */
    w32(&m, 0x7f);         /* Capabilities */
    wmem(&m, guid, 16);    /* ClientGuid */
    w64(&m, 0);            /* ClientStartTime */
    w16(&m, 0x0202); w16(&m, 0x0210); w16(&m, 0x0300); w16(&m, 0x0302); w16(&m, 0x0311);
    nbss(out, &m);

    m.n = 0;
    smb2_hdr(&m, 1, false, 2, 0, 0, 0x1122);
    struct wb blob;
    blob.n = 0;
    wmem(&blob, "\xa1\x82\x01\x00\x30\x82", 6); /* SPNEGO negTokenResp prefix */
    ntlm_auth(&blob, 100);
    w16(&m, 25);           /* StructureSize */
    w8(&m, 0);             /* Flags */
    w8(&m, 1);             /* SecurityMode */
    w32(&m, 0);            /* Capabilities */
    w32(&m, 0);            /* Channel */
    w16(&m, 64 + 24);      /* SecurityBufferOffset */
    w16(&m, (uint16_t)blob.n);
    w64(&m, 0);            /* PreviousSessionId */
    wmem(&m, blob.b, blob.n);
    nbss(out, &m);

    m.n = 0;
    smb2_hdr(&m, 3, false, 3, 0, 0, 0x1122);
    w16(&m, 9);            /* StructureSize */
    w16(&m, 0);            /* Flags */
    w16(&m, 64 + 8);       /* PathOffset */
    w16(&m, 20);           /* PathLength: \\srv\IPC$ is 10 units */
    wutf16(&m, "\\\\srv\\IPC$");
    nbss(out, &m);
}

static void server_stream(struct wb *out)
{
    struct wb m;
    m.n = 0;
    smb2_hdr(&m, 0, true, 0, 0, 0, 0);
    w16(&m, 65);           /* StructureSize */
    w16(&m, 1);            /* SecurityMode */
    w16(&m, 0x0311);       /* DialectRevision */
    w16(&m, 0);            /* NegotiateContextCount */
    wmem(&m, guid, 16);    /* ServerGuid */
    w32(&m, 0x2f);         /* Capabilities */
    w32(&m, 8388608);      /* MaxTransactSize */
    w32(&m, 8388608);      /* MaxReadSize */
    w32(&m, 4194304);      /* MaxWriteSize */
    w64(&m, 0); w64(&m, 0); /* SystemTime, ServerStartTime */
    w16(&m, 0); w16(&m, 0); w32(&m, 0); /* SecurityBuffer, NegotiateContextOffset */
    nbss(out, &m);

    m.n = 0;
    smb2_hdr(&m, 1, true, 2, 0, 0, 0x1122);
    w16(&m, 9); w16(&m, 0); w16(&m, 0); w16(&m, 0);
    nbss(out, &m);

    m.n = 0;
    smb2_hdr(&m, 3, true, 3, 0, 7, 0x1122);
    w16(&m, 16);           /* StructureSize */
    w8(&m, 2);             /* ShareType PIPE */
    w8(&m, 0);
    w32(&m, 0); w32(&m, 0); w32(&m, 0x1f01ff);
    nbss(out, &m);
}

static void check_smb2(const struct apt *t)
{
    assert_int_equal(t->nevents, 3);
    assert_non_null(strstr(t->ev[0], "\"client_dialects\":[\"2.02\",\"2.10\",\"3.00\",\"3.02\","
                                     "\"3.11\"]"));
    assert_non_null(strstr(t->ev[0], "\"client_guid\":\"00112233-4455-6677-8899-aabbccddeeff\""));
    assert_non_null(strstr(t->ev[0], "\"command\":\"SMB2_COMMAND_NEGOTIATE_PROTOCOL\""));
    assert_non_null(strstr(t->ev[0], "\"dialect\":\"3.11\""));
    assert_non_null(strstr(t->ev[0], "\"max_read_size\":8388608"));
    assert_non_null(strstr(t->ev[0], "\"status\":\"STATUS_SUCCESS\",\"status_code\":\"0x0\""));
    assert_non_null(strstr(t->ev[1], "\"ntlmssp\":{\"domain\":\"CORP\",\"host\":\"WS01\","
                                     "\"user\":\"alice\",\"version\":\"10.0 build 19041\"}"));
    assert_non_null(strstr(t->ev[1], "\"ntlm_version\":\"NTLMv2\""));
    assert_non_null(strstr(t->ev[1], "\"session_id\":4386"));
    assert_non_null(strstr(t->ev[2], "\"share\":\"\\\\\\\\srv\\\\IPC$\""));
    assert_non_null(strstr(t->ev[2], "\"share_type\":\"PIPE\""));
    assert_non_null(strstr(t->ev[2], "\"tree_id\":7"));
    assert_non_null(strstr(t->ev[2], "\"smb1\":false"));
    assert_int_equal(t->nanomalies, 0);
}

static void test_smb2_session(void **state)
{
    (void)state;
    struct wb c, s;
    c.n = s.n = 0;
    client_stream(&c);
    server_stream(&s);
    struct apt t;
    apt_begin(&t, &app_parser_smb, 6);
    apt_feed(&t, 0, c.b, c.n);
    apt_feed(&t, 1, s.b, s.n);
    check_smb2(&t);
    apt_free(&t);
}

/* Every split point of the client stream (NBSS header, SMB2 header,
 * security blob) and one byte at a time. */
static void test_smb2_splits(void **state)
{
    (void)state;
    struct wb c, s;
    c.n = s.n = 0;
    client_stream(&c);
    server_stream(&s);
    for (uint32_t cut = 0; cut <= c.n; cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_smb, 6);
        apt_feed_split(&t, 0, c.b, c.n, cut);
        apt_feed(&t, 1, s.b, s.n);
        check_smb2(&t);
        apt_free(&t);
    }
    struct apt t;
    apt_begin(&t, &app_parser_smb, 6);
    apt_feed_bytes(&t, 0, c.b, c.n);
    apt_feed_bytes(&t, 1, s.b, s.n);
    check_smb2(&t);
    apt_free(&t);
}

/* Each prefix of the client stream: clean, requests logged at end without
 * a response, never more than three. */
static void test_smb2_prefixes(void **state)
{
    (void)state;
    struct wb c;
    c.n = 0;
    client_stream(&c);
    for (uint32_t n = 0; n <= c.n; n++) {
        struct apt t;
        apt_begin(&t, &app_parser_smb, 6);
        apt_feed(&t, 0, c.b, n);
        apt_end(&t);
        assert_true(t.nevents <= 3);
        assert_int_equal(t.nanomalies, 0);
        apt_free(&t);
    }
}

/* NTLMv1 is a 24-byte NT response: 24 pins v1, 25 is already v2. */
static void test_ntlm_versions(void **state)
{
    (void)state;
    struct ntlm_msg m;
    struct wb w;
    w.n = 0;
    ntlm_auth(&w, 24);
    assert_int_equal(ntlm_parse(w.b, w.n, &m), 0);
    assert_int_equal(m.auth_version, 1);
    assert_string_equal(m.user.s, "alice");
    w.n = 0;
    ntlm_auth(&w, 25);
    assert_int_equal(ntlm_parse(w.b, w.n, &m), 0);
    assert_int_equal(m.auth_version, 2);
    /* Every prefix: either rejected or parsed with malformed set. */
    for (uint32_t n = 0; n < w.n; n++) {
        int rc = ntlm_parse(w.b, n, &m);
        assert_true(rc == -1 || m.malformed || n >= w.n);
    }
    /* UserName pointing one byte past the end. */
    w.b[8 + 4 + 8 * 3 + 4] = 0xff;
    assert_int_equal(ntlm_parse(w.b, w.n, &m), 0);
    assert_true(m.malformed);
}

static void smb1_hdr(struct wb *w, uint8_t cmd, bool resp)
{
    wmem(w, "\xffSMB", 4);
    w8(w, cmd);
    w32(w, 0);                 /* Status */
    w8(w, resp ? 0x98 : 0x18); /* Flags */
    w16(w, 0xc853);            /* Flags2: unicode, NT status, ext sec */
    w16(w, 0);                 /* PIDHigh */
    w64(w, 0);                 /* SecurityFeatures */
    w16(w, 0);                 /* Reserved */
    w16(w, 0xffff);            /* TID */
    w16(w, 0xfeff);            /* PIDLow */
    w16(w, 0);                 /* UID */
    w16(w, 0);                 /* MID */
}

static void test_smb1_negotiate(void **state)
{
    (void)state;
    static const char *const dialects[] = {"PC NETWORK PROGRAM 1.0", "LANMAN1.0", "NT LM 0.12"};
    struct wb m, c, s;
    m.n = c.n = s.n = 0;
    smb1_hdr(&m, 0x72, false);
    w8(&m, 0);                 /* WordCount */
    uint32_t bc_at = m.n;
    w16(&m, 0);                /* ByteCount, patched below */
    for (int i = 0; i < 3; i++) {
        w8(&m, 0x02);          /* BufferFormat: dialect */
        wmem(&m, dialects[i], (uint32_t)strlen(dialects[i]) + 1);
    }
    m.b[bc_at] = (uint8_t)(m.n - bc_at - 2);
    nbss(&c, &m);

    m.n = 0;
    smb1_hdr(&m, 0x72, true);
    w8(&m, 17);                /* WordCount */
    w16(&m, 2);                /* DialectIndex: NT LM 0.12 */
    w8(&m, 3); w16(&m, 50); w16(&m, 1); w32(&m, 16644); w32(&m, 65536); w32(&m, 0);
    w32(&m, 0x8000e3fd);       /* Capabilities: EXTENDED_SECURITY */
    w64(&m, 0); w16(&m, 0); w8(&m, 0);
    w16(&m, 16);               /* ByteCount */
    wmem(&m, guid, 16);        /* ServerGUID */
    nbss(&s, &m);

    for (uint32_t cut = 0; cut <= c.n; cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_smb, 6);
        apt_feed_split(&t, 0, c.b, c.n, cut);
        apt_feed_split(&t, 1, s.b, s.n, cut % s.n);
        assert_int_equal(t.nevents, 1);
        assert_non_null(strstr(t.ev[0], "\"client_dialects\":[\"PC NETWORK PROGRAM 1.0\","
                                        "\"LANMAN1.0\",\"NT LM 0.12\"]"));
        assert_non_null(strstr(t.ev[0], "\"command\":\"SMB1_COMMAND_NEGOTIATE_PROTOCOL\""));
        assert_non_null(strstr(t.ev[0], "\"dialect\":\"NT LM 0.12\""));
        assert_non_null(strstr(t.ev[0], "\"server_guid\":\"00112233-4455-6677-8899-aabbccddeeff\""));
        assert_non_null(strstr(t.ev[0], "{\"smb1\":true}"));
        assert_int_equal(t.nanomalies, 0);
        apt_free(&t);
    }
}

static void test_smb_invalid(void **state)
{
    (void)state;
    struct apt t;
    /* NBSS type 0x42 is not a session service packet. */
    apt_begin(&t, &app_parser_smb, 6);
    apt_feed(&t, 0, "\x42\x00\x00\x04\xfeSMB", 8);
    assert_true(apt_has_anomaly(&t, "smb.invalid_nbss"));
    apt_free(&t);

    /* A NEGOTIATE over SMB_MAX_MSG (by one) is only skipped, flagged. */
    struct wb h;
    h.n = 0;
    smb2_hdr(&h, 0, false, 0, 0, 0, 0);
    uint32_t len = SMB_MAX_MSG + 1;
    uint8_t *big = xcalloc(1, len + 4);
    big[0] = 0;
    big[1] = (uint8_t)(len >> 16);
    big[2] = (uint8_t)(len >> 8);
    big[3] = (uint8_t)len;
    memcpy(big + 4, h.b, h.n);
    apt_begin(&t, &app_parser_smb, 6);
    apt_feed(&t, 0, big, len + 4);
    assert_true(apt_has_anomaly(&t, "smb.message_too_long"));
    apt_end(&t);
    assert_int_equal(t.nevents, 0);
    apt_free(&t);
    /* Exactly SMB_MAX_MSG is still parsed. */
    len = SMB_MAX_MSG;
    big[1] = (uint8_t)(len >> 16);
    big[2] = (uint8_t)(len >> 8);
    big[3] = (uint8_t)len;
    apt_begin(&t, &app_parser_smb, 6);
    apt_feed(&t, 0, big, len + 4);
    assert_false(apt_has_anomaly(&t, "smb.message_too_long"));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    apt_free(&t);
    free(big);

    /* SESSION_SETUP whose blob holds a broken NTLMSSP. */
    struct wb m, c;
    m.n = c.n = 0;
    smb2_hdr(&m, 1, false, 2, 0, 0, 0);
    w16(&m, 25); w8(&m, 0); w8(&m, 1); w32(&m, 0); w32(&m, 0);
    w16(&m, 64 + 24); w16(&m, 12); w64(&m, 0);
    wmem(&m, "NTLMSSP\0\x09\0\0\0", 12); /* type 9 */
    nbss(&c, &m);
    apt_begin(&t, &app_parser_smb, 6);
    apt_feed(&t, 0, c.b, c.n);
    assert_true(apt_has_anomaly(&t, "smb.ntlmssp_malformed"));
    apt_free(&t);

    /* Encrypted (transform header): the parser lets go. */
    apt_begin(&t, &app_parser_smb, 6);
    apt_feed(&t, 0, "\x00\x00\x00\x04\xfdSMB", 8);
    assert_int_equal(t.cx.done_mask, 3);
    apt_free(&t);
}

static void test_smb_probe(void **state)
{
    (void)state;
    assert_int_equal(app_parser_smb.probe((const uint8_t *)"\x00\x00\x00\x40\xfeSMB", 8, 0),
                     APP_PROBE_YES);
    assert_int_equal(app_parser_smb.probe((const uint8_t *)"\x00\x00\x00\x40\xffSM", 7, 1),
                     APP_PROBE_NEED_MORE);
    assert_int_equal(app_parser_smb.probe((const uint8_t *)"\x00\x00\x00\x40GET ", 8, 0),
                     APP_PROBE_NO);
    assert_int_equal(app_parser_smb.probe((const uint8_t *)"\x81\x00\x00\x44", 4, 0),
                     APP_PROBE_YES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smb2_session),  cmocka_unit_test(test_smb2_splits),
        cmocka_unit_test(test_smb2_prefixes), cmocka_unit_test(test_ntlm_versions),
        cmocka_unit_test(test_smb1_negotiate), cmocka_unit_test(test_smb_invalid),
        cmocka_unit_test(test_smb_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

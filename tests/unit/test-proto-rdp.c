/* test-proto-rdp.c - X.224 Connection Request/Confirm with cookie and
 * RDP_NEG_REQ/RSP/FAILURE, split points, anomalies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app-test-util.h"
#include "util/util.h"

/* clang-format off */
static const uint8_t cr[] = {
    0x03, 0x00, 0x00, 0x2b,         /* TPKT v3, length 43 */
    0x26,                           /* X.224 LI 38 */
    0xe0,                           /* CR, CDT 0 */
    0x00, 0x00, 0x00, 0x00,         /* dst-ref, src-ref */
    0x00,                           /* class 0 */
    'C', 'o', 'o', 'k', 'i', 'e', ':', ' ', 'm', 's', 't', 's', 'h', 'a', 's', 'h', '=',
    'a', 'l', 'i', 'c', 'e', '\r', '\n', /* Cookie: mstshash=alice CR LF (24 bytes) */
    0x01, 0x00, 0x08, 0x00,         /* RDP_NEG_REQ, flags 0, length 8 */
    0x03, 0x00, 0x00, 0x00,         /* requestedProtocols SSL|HYBRID */
};

static const uint8_t cc[] = {
    0x03, 0x00, 0x00, 0x13,         /* TPKT v3, length 19 */
    0x0e,                           /* LI 14 */
    0xd0,                           /* CC */
    0x00, 0x00, 0x12, 0x34, 0x00,   /* dst-ref, src-ref, class */
    0x02, 0x1f, 0x08, 0x00,         /* RDP_NEG_RSP, flags, length 8 */
    0x02, 0x00, 0x00, 0x00,         /* selectedProtocol HYBRID */
};

static const uint8_t cc_fail[] = {
    0x03, 0x00, 0x00, 0x13,
    0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00,
    0x03, 0x00, 0x08, 0x00,         /* RDP_NEG_FAILURE, length 8 */
    0x05, 0x00, 0x00, 0x00,         /* HYBRID_REQUIRED_BY_SERVER */
};
/* clang-format on */

static void check_request(const struct apt *t)
{
    assert_int_equal(t->nevents, 1);
    assert_string_equal(t->ev[0], "rdp {\"cookie\":\"alice\",\"event_type\":\"initial_request\","
                                  "\"tx_id\":0} {\"request_flags\":0,\"requested_protocols\":"
                                  "[\"rdp\",\"ssl\",\"hybrid\"]}");
    assert_int_equal(t->nanomalies, 0);
}

static void test_rdp_negotiation(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_rdp, 6);
    apt_feed(&t, 0, cr, sizeof(cr));
    check_request(&t);
    apt_feed(&t, 1, cc, sizeof(cc));
    assert_int_equal(t.nevents, 2);
    assert_string_equal(t.ev[1], "rdp {\"event_type\":\"initial_response\",\"tx_id\":1} "
                                 "{\"selected_protocol\":\"hybrid\"}");
    assert_int_equal(t.cx.upgrade_to, APP_TLS);
    apt_free(&t);

    apt_begin(&t, &app_parser_rdp, 6);
    apt_feed(&t, 1, cc_fail, sizeof(cc_fail));
    assert_non_null(strstr(t.ev[0], "\"failure\":\"hybrid_required_by_server\""));
    assert_int_equal(t.cx.upgrade_to, APP_NONE);
    assert_int_equal(t.cx.done_mask, 3);
    apt_free(&t);
}

/* Every split point and one byte at a time: the TPKT header and body
 * collectors keep partial state across feeds. */
static void test_rdp_splits(void **state)
{
    (void)state;
    for (uint32_t cut = 0; cut <= sizeof(cr); cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_rdp, 6);
        apt_feed_split(&t, 0, cr, sizeof(cr), cut);
        check_request(&t);
        apt_free(&t);
    }
    struct apt t;
    apt_begin(&t, &app_parser_rdp, 6);
    apt_feed_bytes(&t, 0, cr, sizeof(cr));
    check_request(&t);
    apt_feed_bytes(&t, 1, cc, sizeof(cc));
    assert_int_equal(t.nevents, 2);
    apt_free(&t);
}

/* Each prefix of the request is incomplete: no event, no anomaly. */
static void test_rdp_prefixes(void **state)
{
    (void)state;
    for (uint32_t n = 0; n < sizeof(cr); n++) {
        struct apt t;
        apt_begin(&t, &app_parser_rdp, 6);
        apt_feed(&t, 0, cr, n);
        apt_end(&t);
        assert_int_equal(t.nevents, 0);
        assert_int_equal(t.nanomalies, 0);
        apt_free(&t);
    }
}

static void test_rdp_invalid(void **state)
{
    (void)state;
    struct apt t;
    uint8_t b[sizeof(cr)];

    /* TPKT length 10: one below the 11-byte minimum (4 TPKT + 7 X.224). */
    memcpy(b, cr, sizeof(cr));
    b[3] = 10;
    apt_begin(&t, &app_parser_rdp, 6);
    apt_feed(&t, 0, b, sizeof(b));
    assert_true(apt_has_anomaly(&t, "rdp.invalid_tpkt"));
    apt_free(&t);

    /* TPKT length RDP_MAX_PDU + 1. */
    b[2] = (uint8_t)((RDP_MAX_PDU + 1) >> 8);
    b[3] = (uint8_t)(RDP_MAX_PDU + 1);
    apt_begin(&t, &app_parser_rdp, 6);
    apt_feed(&t, 0, b, sizeof(b));
    assert_true(apt_has_anomaly(&t, "rdp.pdu_too_long"));
    apt_free(&t);

    /* LI past the TPKT end. */
    memcpy(b, cr, sizeof(cr));
    b[4] = 0x40;
    apt_begin(&t, &app_parser_rdp, 6);
    apt_feed(&t, 0, b, sizeof(b));
    assert_true(apt_has_anomaly(&t, "rdp.invalid_x224"));
    assert_int_equal(t.nevents, 0);
    apt_free(&t);

    /* Cookie without CR LF. */
    memcpy(b, cr, sizeof(cr));
    b[33] = 'x';
    apt_begin(&t, &app_parser_rdp, 6);
    apt_feed(&t, 0, b, sizeof(b));
    assert_true(apt_has_anomaly(&t, "rdp.invalid_cookie"));
    assert_int_equal(t.nevents, 1);
    apt_free(&t);
}

static void test_rdp_probe(void **state)
{
    (void)state;
    assert_int_equal(app_parser_rdp.probe(cr, sizeof(cr), 0), APP_PROBE_YES);
    assert_int_equal(app_parser_rdp.probe(cr, 5, 0), APP_PROBE_NEED_MORE);
    assert_int_equal(app_parser_rdp.probe(cc, sizeof(cc), 1), APP_PROBE_YES);
    assert_int_equal(app_parser_rdp.probe(cc, sizeof(cc), 0), APP_PROBE_NO);
    assert_int_equal(app_parser_rdp.probe((const uint8_t *)"GET /", 5, 0), APP_PROBE_NO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rdp_negotiation), cmocka_unit_test(test_rdp_splits),
        cmocka_unit_test(test_rdp_prefixes),    cmocka_unit_test(test_rdp_invalid),
        cmocka_unit_test(test_rdp_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

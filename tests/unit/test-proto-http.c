/* test-proto-http.c - HTTP/1.x parser (app_parser_http): probe, request and
 * response framing at every split point, pipelining, chunked bodies, HEAD and
 * 304, CONNECT and Upgrade, credentials never kept, anomalies for bad input,
 * gaps and flow end. */
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

#define S(x) (x), (uint32_t)(sizeof(x) - 1)

/* clang-format off */

/* A GET and its response with a Content-Length body. */
static const char req_get[] =
    "GET /index.html?q=1 HTTP/1.1\r\n"          /* request line */
    "Host: www.Example.com:8080\r\n"            /* host (case, port) */
    "User-Agent: curl/8.5.0\r\n"
    "Referer: http://ref.example/\r\n"
    "X-Forwarded-For: 192.0.2.7\r\n"
    "Accept: */*\r\n"
    "\r\n";                                     /* end of headers, no body */
static const char resp_get[] =
    "HTTP/1.1 200 OK\r\n"                       /* status line */
    "Content-Type: text/html; charset=utf-8\r\n"/* parameters not logged */
    "Server: nginx\r\n"
    "Set-Cookie: session=SECRETCOOKIE\r\n"       /* value never kept */
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";                                    /* 5 body bytes */

/* clang-format on */

static void check_get_event(const struct apt *t)
{
    assert_int_equal(t->nevents, 1);
    const char *e = t->ev[0];
    assert_non_null(strstr(e, "\"hostname\":\"www.example.com\""));
    assert_non_null(strstr(e, "\"http_port\":8080"));
    assert_non_null(strstr(e, "\"url\":\"/index.html?q=1\""));
    assert_non_null(strstr(e, "\"http_user_agent\":\"curl/8.5.0\""));
    assert_non_null(strstr(e, "\"http_refer\":\"http://ref.example/\""));
    assert_non_null(strstr(e, "\"xff\":\"192.0.2.7\""));
    assert_non_null(strstr(e, "\"http_method\":\"GET\""));
    assert_non_null(strstr(e, "\"protocol\":\"HTTP/1.1\""));
    assert_non_null(strstr(e, "\"status\":200"));
    assert_non_null(strstr(e, "\"length\":5"));
    assert_non_null(strstr(e, "\"http_content_type\":\"text/html\""));
    assert_non_null(strstr(e, "\"server\":\"nginx\""));
    assert_non_null(strstr(e, "\"set_cookie_seen\":true"));
    assert_non_null(strstr(e, "\"response_content_length\":5"));
    assert_null(strstr(e, "SECRETCOOKIE"));
    assert_int_equal(t->nanomalies, 0);
}

static void test_probe(void **state)
{
    (void)state;
    const struct app_parser *p = &app_parser_http;
    assert_int_equal(p->probe((const uint8_t *)"GET / HTTP/1.1\r\n", 16, 0), APP_PROBE_YES);
    assert_int_equal(p->probe((const uint8_t *)"PROPFIND /", 10, 0), APP_PROBE_YES);
    /* "GET" without its space: the method may still be "GETX". */
    assert_int_equal(p->probe((const uint8_t *)"GET", 3, 0), APP_PROBE_NEED_MORE);
    assert_int_equal(p->probe((const uint8_t *)"PROP", 4, 0), APP_PROBE_NEED_MORE);
    assert_int_equal(p->probe((const uint8_t *)"", 0, 0), APP_PROBE_NEED_MORE);
    assert_int_equal(p->probe((const uint8_t *)"GETX /", 6, 0), APP_PROBE_NO);
    assert_int_equal(p->probe((const uint8_t *)"get / HTTP/1.1", 14, 0), APP_PROBE_NO);
    assert_int_equal(p->probe((const uint8_t *)"\x16\x03\x01", 3, 0), APP_PROBE_NO);
    assert_int_equal(p->probe((const uint8_t *)"HTTP/1.1 200", 12, 1), APP_PROBE_YES);
    /* "HTTP/1." is the shortest YES; one byte less asks for more. */
    assert_int_equal(p->probe((const uint8_t *)"HTTP/1.", 7, 1), APP_PROBE_YES);
    assert_int_equal(p->probe((const uint8_t *)"HTTP/1", 6, 1), APP_PROBE_NEED_MORE);
    assert_int_equal(p->probe((const uint8_t *)"HTTP/2", 6, 1), APP_PROBE_NO);
    assert_int_equal(p->probe((const uint8_t *)"SSH-2.0", 7, 1), APP_PROBE_NO);
}

static void test_get_whole(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S(req_get));
    assert_int_equal(t.nevents, 0);
    apt_feed(&t, 1, S(resp_get));
    /* Reported when the response body is complete, before flow end. */
    check_get_event(&t);
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    apt_free(&t);
}

/* Every split point of the request and of the response, and one byte at a
 * time: the same single event each time. */
static void test_get_splits(void **state)
{
    (void)state;
    for (uint32_t cut = 0; cut <= sizeof(req_get) - 1; cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_http, 6);
        apt_feed_split(&t, 0, S(req_get), cut);
        apt_feed(&t, 1, S(resp_get));
        check_get_event(&t);
        apt_free(&t);
    }
    for (uint32_t cut = 0; cut <= sizeof(resp_get) - 1; cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_http, 6);
        apt_feed(&t, 0, S(req_get));
        apt_feed_split(&t, 1, S(resp_get), cut);
        check_get_event(&t);
        apt_free(&t);
    }
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed_bytes(&t, 0, S(req_get));
    apt_feed_bytes(&t, 1, S(resp_get));
    check_get_event(&t);
    apt_free(&t);
}

/* Each prefix of the pair, then flow end: never more than one event, never
 * an anomaly (a cut message is not malformed), no leak. */
static void test_get_prefixes(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= sizeof(resp_get) - 1; n++) {
        struct apt t;
        apt_begin(&t, &app_parser_http, 6);
        apt_feed(&t, 0, S(req_get));
        if (n)
            apt_feed(&t, 1, resp_get, n);
        apt_end(&t);
        assert_int_equal(t.nevents, 1);
        assert_int_equal(t.nanomalies, 0);
        assert_non_null(strstr(t.ev[0], "\"url\":\"/index.html?q=1\""));
        if (n < sizeof(resp_get) - 1)
            assert_true(n < 17 ? strstr(t.ev[0], "\"no_response\":true") != NULL
                               : strstr(t.ev[0], "\"response_truncated\":true") != NULL);
        apt_free(&t);
    }
    for (uint32_t n = 1; n < sizeof(req_get) - 1; n++) {
        struct apt t;
        apt_begin(&t, &app_parser_http, 6);
        apt_feed(&t, 0, req_get, n);
        apt_end(&t);
        assert_true(t.nevents <= 1);
        assert_int_equal(t.nanomalies, 0);
        apt_free(&t);
    }
}

/* clang-format off */
static const char req_pipe[] =
    "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
    "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"   /* 3-byte body */
    "GET /c HTTP/1.1\r\nHost: h\r\n\r\n";
static const char resp_pipe[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nAA"
    "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
    "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope";
/* clang-format on */

static void check_pipe(const struct apt *t)
{
    assert_int_equal(t->nevents, 3);
    assert_non_null(strstr(t->ev[0], "\"url\":\"/a\""));
    assert_non_null(strstr(t->ev[0], "\"status\":200"));
    assert_non_null(strstr(t->ev[0], "\"length\":2"));
    assert_non_null(strstr(t->ev[1], "\"url\":\"/b\""));
    assert_non_null(strstr(t->ev[1], "\"http_method\":\"POST\""));
    assert_non_null(strstr(t->ev[1], "\"status\":201"));
    assert_non_null(strstr(t->ev[1], "\"request_body_len\":3"));
    assert_non_null(strstr(t->ev[2], "\"url\":\"/c\""));
    assert_non_null(strstr(t->ev[2], "\"status\":404"));
    assert_non_null(strstr(t->ev[2], "\"length\":4"));
    assert_int_equal(t->nanomalies, 0);
}

static void test_pipelined(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S(req_pipe));
    apt_feed(&t, 1, S(resp_pipe));
    check_pipe(&t);
    apt_free(&t);

    for (uint32_t cut = 0; cut <= sizeof(resp_pipe) - 1; cut++) {
        apt_begin(&t, &app_parser_http, 6);
        apt_feed_split(&t, 0, S(req_pipe), cut % (sizeof(req_pipe) - 1));
        apt_feed_split(&t, 1, S(resp_pipe), cut);
        check_pipe(&t);
        apt_free(&t);
    }
    apt_begin(&t, &app_parser_http, 6);
    apt_feed_bytes(&t, 0, S(req_pipe));
    apt_feed_bytes(&t, 1, S(resp_pipe));
    check_pipe(&t);
    apt_free(&t);
}

/* clang-format off */
static const char resp_chunked[] =
    "HTTP/1.1 200 OK\r\n"
    "Transfer-Encoding: gzip, chunked\r\n"      /* chunked is the last coding */
    "Content-Encoding: gzip\r\n"
    "Trailer: X-Sum\r\n"
    "\r\n"
    "5;name=value\r\n"                          /* chunk of 5 with an extension */
    "12345\r\n"
    "A \r\n"                                    /* 10, blank before CRLF (BWS) */
    "0123456789\r\n"
    "0\r\n"                                     /* last chunk */
    "X-Sum: abc\r\n"                            /* trailer field */
    "\r\n"                                      /* end of trailers */
    "HTTP/1.1 204 No Content\r\n\r\n";          /* next response still framed */
static const char req_two[] =
    "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
    "GET /two HTTP/1.1\r\nHost: h\r\n\r\n";
/* clang-format on */

static void check_chunked(const struct apt *t)
{
    assert_int_equal(t->nevents, 2);
    assert_non_null(strstr(t->ev[0], "\"url\":\"/one\""));
    assert_non_null(strstr(t->ev[0], "\"length\":15"));
    assert_non_null(strstr(t->ev[0], "\"content_encoding\":\"gzip\""));
    assert_non_null(strstr(t->ev[1], "\"url\":\"/two\""));
    assert_non_null(strstr(t->ev[1], "\"status\":204"));
    assert_int_equal(t->nanomalies, 0);
}

static void test_chunked(void **state)
{
    (void)state;
    for (uint32_t cut = 0; cut <= sizeof(resp_chunked) - 1; cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_http, 6);
        apt_feed(&t, 0, S(req_two));
        apt_feed_split(&t, 1, S(resp_chunked), cut);
        check_chunked(&t);
        apt_free(&t);
    }
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S(req_two));
    apt_feed_bytes(&t, 1, S(resp_chunked));
    check_chunked(&t);
    apt_free(&t);
}

/* A chunked request body (uploads). */
static void test_chunked_request(void **state)
{
    (void)state;
    static const char req[] = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "3\r\nabc\r\n0\r\n\r\n"
                              "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed_bytes(&t, 0, S(req));
    apt_end(&t);
    assert_int_equal(t.nevents, 2);
    assert_non_null(strstr(t.ev[0], "\"request_body_len\":3"));
    assert_non_null(strstr(t.ev[1], "\"url\":\"/next\""));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

/* HEAD: the response's Content-Length describes a body that is not sent;
 * 304 has none either (RFC 9112 6.3 items 1-2). Pins that the parser does
 * not eat the next status line as body. */
static void test_head_304(void **state)
{
    (void)state;
    static const char req[] = "HEAD /big HTTP/1.1\r\nHost: h\r\n\r\n"
                              "GET /cached HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"x\"\r\n\r\n"
                              "GET /after HTTP/1.1\r\nHost: h\r\n\r\n";
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
                               "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n"
                               "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nZ";
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S(req));
    apt_feed(&t, 1, S(resp));
    assert_int_equal(t.nevents, 3);
    assert_non_null(strstr(t.ev[0], "\"http_method\":\"HEAD\""));
    assert_non_null(strstr(t.ev[0], "\"length\":0"));
    assert_non_null(strstr(t.ev[0], "\"response_content_length\":100000"));
    assert_non_null(strstr(t.ev[1], "\"status\":304"));
    assert_non_null(strstr(t.ev[2], "\"url\":\"/after\""));
    assert_non_null(strstr(t.ev[2], "\"length\":1"));
    apt_free(&t);
}

/* A response without length is read until the connection closes. */
static void test_until_close(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nsome body";
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET / HTTP/1.0\r\n\r\n"));
    apt_feed(&t, 1, S(resp));
    apt_feed(&t, 1, S(" more"));
    assert_int_equal(t.nevents, 0);
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"length\":14"));
    assert_non_null(strstr(t.ev[0], "\"protocol\":\"HTTP/1.0\""));
    assert_null(strstr(t.ev[0], "truncated"));
    assert_null(strstr(t.ev[0], "hostname"));
    apt_free(&t);
}

/* 100 Continue is interim: the final status belongs to the same request. */
static void test_continue(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                      "Content-Length: 4\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 100 Continue\r\n\r\n"));
    apt_feed(&t, 0, S("data"));
    apt_feed(&t, 1, S("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"status\":201"));
    assert_non_null(strstr(t.ev[0], "\"request_body_len\":4"));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

/* Basic credentials: only the scheme and the fact of a cleartext login. */
static void test_basic_auth(void **state)
{
    (void)state;
    /* "dXNlcjpodW50ZXIy" is base64 of "user:hunter2". */
    static const char req[] = "GET /private HTTP/1.1\r\n"
                              "Host: intranet\r\n"
                              "Authorization: Basic dXNlcjpodW50ZXIy\r\n"
                              "Cookie: sid=COOKIEVALUE\r\n"
                              "\r\n";
    for (uint32_t cut = 0; cut <= sizeof(req) - 1; cut++) {
        struct apt t;
        apt_begin(&t, &app_parser_http, 6);
        apt_feed_split(&t, 0, S(req), cut);
        apt_feed(&t, 1, S("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"));
        assert_int_equal(t.nevents, 1);
        assert_non_null(strstr(t.ev[0], "\"auth_scheme\":\"Basic\""));
        assert_non_null(strstr(t.ev[0], "\"cleartext_login\":true"));
        assert_non_null(strstr(t.ev[0], "\"cookie_seen\":true"));
        assert_null(strstr(t.ev[0], "dXNlcjpodW50ZXIy"));
        assert_null(strstr(t.ev[0], "hunter2"));
        assert_null(strstr(t.ev[0], "COOKIEVALUE"));
        /* The user name is shown (it tells whose password to change). */
        assert_non_null(strstr(t.ev[0], "\"user\":\"user\""));
        apt_free(&t);
    }
    /* A bearer token is not a cleartext login and is not kept either. */
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET / HTTP/1.1\r\nAuthorization: Bearer TOKEN123\r\n\r\n"));
    apt_end(&t);
    assert_non_null(strstr(t.ev[0], "\"auth_scheme\":\"Bearer\""));
    assert_null(strstr(t.ev[0], "cleartext_login"));
    assert_null(strstr(t.ev[0], "TOKEN123"));
    apt_free(&t);
}

/* Login forms: a urlencoded POST with a password field reports the
 * field's name, never the value, at every split point of the body. */
static void test_login_form(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *field; /* NULL: not a login */
    } cases[] = {
        {"user=tanaka&password=SECRETVALUE&x=1", "password"},
        {"login_id=kato&passwd=SECRETVALUE", "passwd"},
        {"txtPwd=SECRETVALUE", "txtPwd"},
        {"user%5Bpass%5D=SECRETVALUE", "user[pass]"},
        {"loginPass=SECRETVALUE&remember=on", "loginPass"},
        {"%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89=SECRETVALUE", "\xe3\x83\x91\xe3\x82"
                                                                    "\xb9\xe3\x83\xaf\xe3"
                                                                    "\x83\xbc\xe3\x83\x89"},
        {"q=password+reset&page=2", NULL},                /* "password" is a value here */
        {"passport_no=SECRETVALUE&compass=n", NULL},      /* not password fields */
        {"bypass=1&password=", NULL},                     /* empty password: no login */
        {"name=a&message=hello", NULL},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char req[512];
        int n = snprintf(req, sizeof(req),
                         "POST /login HTTP/1.1\r\nHost: nas.local\r\n"
                         "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n"
                         "Content-Length: %zu\r\n\r\n%s",
                         strlen(cases[i].body), cases[i].body);
        for (uint32_t cut = 0; cut <= (uint32_t)n; cut++) {
            struct apt t;
            apt_begin(&t, &app_parser_http, 6);
            apt_feed_split(&t, 0, req, (uint32_t)n, cut);
            apt_feed(&t, 1, S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
            assert_int_equal(t.nevents, 1);
            assert_null(strstr(t.ev[0], "SECRETVALUE"));
            if (cases[i].field) {
                char want[128];
                snprintf(want, sizeof(want), "\"password_field\":\"%s\"", cases[i].field);
                if (!strstr(t.ev[0], want))
                    print_error("case %zu cut %u: %s\n", i, cut, t.ev[0]);
                assert_non_null(strstr(t.ev[0], want));
                assert_non_null(strstr(t.ev[0], "\"cleartext_login\":true"));
                assert_non_null(strstr(t.ev[0], "\"login_form\":true"));
            } else {
                assert_null(strstr(t.ev[0], "password_field"));
                assert_null(strstr(t.ev[0], "cleartext_login"));
            }
            apt_free(&t);
        }
    }
    /* Chunked bodies are scanned too; GET query strings and other content
     * types are not forms; a password past the first HTTP_FORM_SCAN bytes
     * is not looked for. */
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("POST /l HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n5\r\nuser=\r\nd\r\na&pass=SECRET\r\n"
                      "0\r\n\r\n"));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"password_field\":\"pass\""));
    assert_null(strstr(t.ev[0], "SECRET"));
    apt_free(&t);

    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET /login?password=SECRET HTTP/1.1\r\nHost: a\r\n\r\n"
                      "POST /api HTTP/1.1\r\nContent-Type: application/json\r\n"
                      "Content-Length: 21\r\n\r\n{\"password\":\"SECRET\"}"));
    apt_end(&t);
    assert_int_equal(t.nevents, 2);
    assert_null(strstr(t.ev[0], "password_field"));
    assert_null(strstr(t.ev[1], "password_field"));
    apt_free(&t);

    static char big[6000];
    memset(big, 'a', sizeof(big));
    memcpy(big, "junk=", 5);
    memcpy(big + sizeof(big) - 13, "&password=xyz", 13);
    char hdr[256];
    int hn = snprintf(hdr, sizeof(hdr),
                      "POST /upload HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded"
                      "\r\nContent-Length: %zu\r\n\r\n", sizeof(big));
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, hdr, (uint32_t)hn);
    apt_feed(&t, 0, big, sizeof(big));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_null(strstr(t.ev[0], "password_field"));
    apt_free(&t);

    /* A field name longer than kept is not matched (and never overflows). */
    static char req_long[600];
    char longname[400];
    memset(longname, 'x', sizeof(longname));
    memcpy(longname + 300, "password=v", 10);
    longname[310] = '\0';
    int ln = snprintf(req_long, sizeof(req_long),
                      "POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      "Content-Length: %zu\r\n\r\n%s", strlen(longname), longname);
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, req_long, (uint32_t)ln);
    apt_end(&t);
    assert_null(strstr(t.ev[0], "password_field"));
    apt_free(&t);
}

/* obs-fold (RFC 9112 5.2): a continuation line extends the previous field. */
static void test_folding_and_uri_host(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET http://User@Proxy.Example.:3128/x HTTP/1.1\r\n"
                      "Host: other.example\r\n"
                      "User-Agent: Mozilla/5.0\r\n"
                      " (folded)\r\n"
                      "\r\n"));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    /* libhtp takes the host of an absolute URI over the Host header. */
    assert_non_null(strstr(t.ev[0], "\"hostname\":\"proxy.example\""));
    assert_non_null(strstr(t.ev[0], "\"http_port\":3128"));
    assert_non_null(strstr(t.ev[0], "\"url\":\"http://User@Proxy.Example.:3128/x\""));
    assert_non_null(strstr(t.ev[0], "\"http_user_agent\":\"Mozilla/5.0 (folded)\""));
    assert_non_null(strstr(t.ev[0], "\"no_response\":true"));
    apt_free(&t);

    /* IPv6 literal keeps its brackets; an empty port is no port. */
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET / HTTP/1.1\r\nHost: [2001:db8::1]:\r\n\r\n"));
    apt_end(&t);
    assert_non_null(strstr(t.ev[0], "\"hostname\":\"[2001:db8::1]\""));
    assert_null(strstr(t.ev[0], "http_port"));
    apt_free(&t);
}

static void test_connect(void **state)
{
    (void)state;
    /* Accepted, nothing after the 200 in this feed: port 443 means TLS. */
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("CONNECT www.example.com:443 HTTP/1.1\r\nHost: www.example.com:443\r\n"
                      "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 200 Connection established\r\n\r\n"));
    assert_int_equal(t.cx.upgrade_to, APP_TLS);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"http_method\":\"CONNECT\""));
    assert_non_null(strstr(t.ev[0], "\"hostname\":\"www.example.com\""));
    assert_non_null(strstr(t.ev[0], "\"http_port\":443"));
    assert_non_null(strstr(t.ev[0], "\"proxy_auth_scheme\":\"Basic\""));
    assert_null(strstr(t.ev[0], "Zm9vOmJhcg"));
    apt_free(&t);

    /* Bytes after the 200 that are not TLS: done, no upgrade. */
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("CONNECT host:443 HTTP/1.1\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 200 OK\r\n\r\nSSH-2.0-OpenSSH\r\n"));
    assert_int_equal(t.cx.upgrade_to, APP_NONE);
    assert_int_equal(t.cx.done_mask, 3);
    assert_int_equal(t.nevents, 1);
    apt_free(&t);

    /* A TLS record after the 200 in the same feed. */
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("CONNECT host:8000 HTTP/1.1\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 200 OK\r\n\r\n\x16\x03\x03"));
    assert_int_equal(t.cx.upgrade_to, APP_TLS);
    apt_free(&t);

    /* Refused (407): HTTP goes on with the next request. */
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("CONNECT host:443 HTTP/1.1\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"));
    apt_feed(&t, 0, S("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert_int_equal(t.cx.upgrade_to, APP_NONE);
    assert_int_equal(t.nevents, 2);
    assert_non_null(strstr(t.ev[0], "\"status\":407"));
    assert_non_null(strstr(t.ev[1], "\"status\":200"));
    apt_free(&t);
}

static void test_upgrade_websocket(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05"));
    assert_int_equal(t.cx.done_mask, 3);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"status\":101"));
    assert_non_null(strstr(t.ev[0], "\"upgrade\":\"websocket\""));
    apt_feed(&t, 0, S("\x81\x85garbage"));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

/* One request line longer than HTTP_MAX_LINE, one header line too. */
static void test_overlong(void **state)
{
    (void)state;
    size_t n = HTTP_MAX_LINE + 100;
    char *req = xmalloc(n + 64);
    size_t o = (size_t)snprintf(req, 64, "GET /");
    memset(req + o, 'a', n);
    o += n;
    o += (size_t)snprintf(req + o, 64, " HTTP/1.1\r\n\r\n");
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, req, (uint32_t)o);
    apt_feed(&t, 1, S("HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\n\r\n"));
    assert_true(apt_has_anomaly(&t, "http.request_line_too_long"));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"status\":414"));
    apt_free(&t);

    o = (size_t)snprintf(req, 64, "GET / HTTP/1.1\r\nX-Big: ");
    memset(req + o, 'b', n);
    o += n;
    o += (size_t)snprintf(req + o, 64, "\r\nUser-Agent: ua\r\n\r\n");
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, req, (uint32_t)o);
    apt_end(&t);
    assert_true(apt_has_anomaly(&t, "http.header_too_long"));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"http_user_agent\":\"ua\""));
    apt_free(&t);
    free(req);
}

/* HTTP_MAX_HEADERS header lines are fine; one more is flagged. */
static void test_too_many_headers(void **state)
{
    (void)state;
    for (int extra = 0; extra <= 1; extra++) {
        char *req = xmalloc(64 + (HTTP_MAX_HEADERS + 1) * 16);
        size_t o = (size_t)snprintf(req, 64, "GET / HTTP/1.1\r\n");
        for (int i = 0; i < HTTP_MAX_HEADERS + extra; i++)
            o += (size_t)snprintf(req + o, 16, "X-%d: v\r\n", i);
        o += (size_t)snprintf(req + o, 4, "\r\n");
        struct apt t;
        apt_begin(&t, &app_parser_http, 6);
        apt_feed(&t, 0, req, (uint32_t)o);
        apt_end(&t);
        assert_int_equal(apt_has_anomaly(&t, "http.too_many_headers"), extra == 1);
        assert_int_equal(t.nevents, 1);
        apt_free(&t);
        free(req);
    }
}

struct bad_case {
    const char *req;
    const char *resp;
    const char *anomaly;
};

static void test_bad_inputs(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", NULL, "http.invalid_content_length"},
        {"GET / HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n", NULL, "http.invalid_content_length"},
        {"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", NULL,
         "http.invalid_content_length"},
        {"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", NULL,
         "http.content_length_conflict"},
        {"POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\nabcd", NULL,
         "http.content_length_conflict"},
        {"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         NULL, "http.content_length_conflict"},
        {"GET / HTTP/1.1\r\n\r\n",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n",
         "http.chunk_size_invalid"},
        {"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
         "http.chunk_size_invalid"},
        {"GET / HTTP/1.1\r\n\r\n",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n",
         "http.chunk_size_invalid"},
        {"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "http.invalid_status"},
        {"GET / HTTP/1.1\r\n\r\n", "SMTP 220 hello\r\n", "http.invalid_status"},
        {"G(T / HTTP/1.1\r\n\r\n", NULL, "http.request_line_invalid"},
        {"GET / FTP/1.0\r\n\r\n", NULL, "http.request_line_invalid"},
        {"GET\r\n\r\n", NULL, "http.request_line_invalid"},
        {"GET / HTTP/1.1\r\nno colon here\r\n\r\n", NULL, "http.header_invalid"},
        {NULL, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "http.response_without_request"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct bad_case *c = &cases[i];
        struct apt t;
        apt_begin(&t, &app_parser_http, 6);
        if (c->req)
            apt_feed_bytes(&t, 0, c->req, (uint32_t)strlen(c->req));
        if (c->resp)
            apt_feed_bytes(&t, 1, c->resp, (uint32_t)strlen(c->resp));
        apt_end(&t);
        if (!apt_has_anomaly(&t, c->anomaly))
            fail_msg("case %zu: no %s", i, c->anomaly);
        apt_free(&t);
    }
}

/* HTTP_MAX_PENDING requests without answers are fine; the next one reports
 * the oldest alone. */
static void test_pipeline_overflow(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    char line[64];
    for (int i = 0; i < HTTP_MAX_PENDING; i++) {
        int n = snprintf(line, sizeof(line), "GET /%d HTTP/1.1\r\n\r\n", i);
        apt_feed(&t, 0, line, (uint32_t)n);
    }
    assert_int_equal(t.nevents, 0);
    assert_int_equal(t.nanomalies, 0);
    apt_feed(&t, 0, S("GET /last HTTP/1.1\r\n\r\n"));
    assert_true(apt_has_anomaly(&t, "http.pipeline_overflow"));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"url\":\"/0\""));
    /* The first response now goes to /1. */
    apt_feed(&t, 1, S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert_int_equal(t.nevents, 2);
    assert_non_null(strstr(t.ev[1], "\"url\":\"/1\""));
    apt_end(&t);
    assert_int_equal(t.nevents, HTTP_MAX_PENDING + 1);
    apt_free(&t);
}

/* A gap inside a body: the cut response is reported, and the parser finds
 * the next status line. A gap on the client side excuses responses that
 * find no request. */
static void test_gap_resync(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc"));
    apt_gap(&t, 1);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"response_truncated\":true"));
    /* The next status line is glued to the unframed rest of the body. */
    apt_feed(&t, 1, S("tail of body\nmore junk HTTP/1.1 2x0\r\n\x00\xffHTTP/1.1 404 Not Found\r\n"
                      "Content-Length: 0\r\n\r\n"));
    assert_int_equal(t.nevents, 2);
    assert_non_null(strstr(t.ev[1], "\"url\":\"/2\""));
    assert_non_null(strstr(t.ev[1], "\"status\":404"));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);

    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET /lost HTTP/1.1\r\nHo"));
    apt_gap(&t, 0);
    apt_feed(&t, 0, S("st: x\r\n\r\nbody-ish bytesGET /found HTTP/1.1\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                      "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n"));
    assert_int_equal(t.nevents, 3);
    assert_non_null(strstr(t.ev[0], "\"url\":\"/lost\""));
    assert_non_null(strstr(t.ev[0], "\"request_truncated\":true"));
    assert_non_null(strstr(t.ev[1], "\"url\":\"/found\""));
    assert_non_null(strstr(t.ev[2], "\"no_request\":true"));
    assert_non_null(strstr(t.ev[2], "\"status\":500"));
    assert_false(apt_has_anomaly(&t, "http.response_without_request"));
    apt_free(&t);
}

/* Capture picked up in the middle of a response body: the bytes where a
 * status line belongs are the lost answer to the oldest request, so the next
 * status line found goes to the second request, not the first. */
static void test_midstream_response(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET /app.js HTTP/1.1\r\nHost: h\r\n\r\n"
                      "GET /logo.png HTTP/1.1\r\nHost: h\r\n\r\n"));
    apt_feed(&t, 1, S("\x1f\x8b\x08\x00gzip tail\r\n\x00\x01\n"
                      "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 3\r\n\r\nPNG"));
    assert_true(apt_has_anomaly(&t, "http.invalid_status"));
    assert_false(apt_has_anomaly(&t, "http.response_without_request"));
    assert_int_equal(t.nevents, 2);
    assert_non_null(strstr(t.ev[0], "\"url\":\"/app.js\""));
    assert_non_null(strstr(t.ev[0], "\"no_response\":true"));
    assert_null(strstr(t.ev[0], "\"status\""));
    assert_non_null(strstr(t.ev[1], "\"url\":\"/logo.png\""));
    assert_non_null(strstr(t.ev[1], "\"http_content_type\":\"image/png\""));
    apt_free(&t);

    /* The same after a gap between two responses. */
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n"));
    apt_feed(&t, 1, S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    apt_gap(&t, 1);
    apt_feed(&t, 1, S("ost body\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    assert_int_equal(t.nevents, 3);
    assert_non_null(strstr(t.ev[1], "\"url\":\"/2\""));
    assert_non_null(strstr(t.ev[1], "\"response_truncated\":true"));
    assert_non_null(strstr(t.ev[2], "\"url\":\"/3\""));
    assert_non_null(strstr(t.ev[2], "\"status\":404"));
    apt_free(&t);
}

/* Wire text that is not UTF-8 stays valid JSON (escaped). */
static void test_binary_fields(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_http, 6);
    apt_feed(&t, 0, S("GET /\xff\x01 HTTP/1.1\r\nUser-Agent: \xc3\x28\r\n\r\n"));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"url\":\"/\\\\xff\\\\x01\""));
    apt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_get_whole),
        cmocka_unit_test(test_get_splits),
        cmocka_unit_test(test_get_prefixes),
        cmocka_unit_test(test_pipelined),
        cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_chunked_request),
        cmocka_unit_test(test_head_304),
        cmocka_unit_test(test_until_close),
        cmocka_unit_test(test_continue),
        cmocka_unit_test(test_basic_auth),
        cmocka_unit_test(test_folding_and_uri_host),
        cmocka_unit_test(test_connect),
        cmocka_unit_test(test_upgrade_websocket),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_too_many_headers),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_pipeline_overflow),
        cmocka_unit_test(test_gap_resync),
        cmocka_unit_test(test_midstream_response),
        cmocka_unit_test(test_binary_fields),
        cmocka_unit_test(test_login_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

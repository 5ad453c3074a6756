/* fuzz-weblog.c - access log lines: weblog_parse_line() on every line of the
 * input in each format, and every parsed request fed through a detection
 * stage (web.attack's URI decoding and matching). */
#include "detect/detect.h"
#include "fuzz.h"
#include "util/util.h"
#include "weblog/weblog.h"

static void fuzz_on_alert(void *arg, const struct alert *a)
{
    (void)arg;
    if (!a->key[0] || a->count == 0)
        fuzz_fail("alert without key or count");
}

static void fuzz_check_req(const struct weblog_req *r)
{
    if (!memchr(r->method, '\0', sizeof(r->method)) || !memchr(r->uri, '\0', sizeof(r->uri)) ||
        !memchr(r->protocol, '\0', sizeof(r->protocol)) ||
        !memchr(r->referer, '\0', sizeof(r->referer)) ||
        !memchr(r->user_agent, '\0', sizeof(r->user_agent)))
        fuzz_fail("weblog field not NUL-terminated");
    if (r->status < 100 || r->status > 999)
        fuzz_fail("status out of range");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    struct detect_config cfg;
    detect_config_defaults(&cfg);
    struct detect *d = detect_new(&cfg, NULL, NULL, fuzz_on_alert, NULL);
    struct weblog_feed *wf = weblog_feed_new(d, "fuzz.example", NULL, 443);
    struct weblog_req *r = xmalloc(sizeof(*r));
    const char *p = (const char *)data;
    size_t left = size;
    while (left > 0) {
        const char *nl = memchr(p, '\n', left);
        size_t len = nl ? (size_t)(nl - p) : left;
        for (int fmt = WEBLOG_AUTO; fmt <= WEBLOG_COMMON; fmt++) {
            if (weblog_parse_line(p, len, (enum weblog_format)fmt, r) == 0) {
                fuzz_check_req(r);
                if (fmt == WEBLOG_AUTO)
                    weblog_feed_req(wf, r);
            }
        }
        if (!nl)
            break;
        left -= len + 1;
        p = nl + 1;
    }
    detect_finish(d);
    free(r);
    weblog_feed_free(wf);
    detect_free(d);
    return 0;
}

/* intel-fetch.c - downloading a threat list with libcurl.
 *
 * http, https and file only (file:// lets tests and air-gapped sites update
 * from a local copy). HTTPS certificates are verified (libcurl's default,
 * set explicitly so nobody turns it off by accident); connect time-out 20 s,
 * whole transfer 300 s, a transfer slower than 1 kB/s for 60 s is dropped;
 * the body is capped (the write callback stops at max bytes, so a
 * misbehaving server cannot fill memory); at most 5 redirects, and only to
 * http/https.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"
#include "util/util.h"
#include "version.h"

struct fetch_buf {
    char *p;
    size_t len, cap, max;
    bool too_big;
};

static size_t fetch_write(char *data, size_t size, size_t nmemb, void *arg)
{
    struct fetch_buf *b = arg;
    size_t n = size * nmemb;
    if (n > b->max - b->len) {
        b->too_big = true;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return n;
}

bool intel_is_url(const char *s)
{
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
           strncmp(s, "file://", 7) == 0;
}

int intel_fetch(const char *url, size_t max, char **buf, size_t *len, char *err, size_t errlen)
{
    static bool inited;
    *buf = NULL;
    *len = 0;
    if (!intel_is_url(url)) {
        snprintf(err, errlen, "%s: not an http, https or file URL", url);
        return -1;
    }
    if (!inited) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            snprintf(err, errlen, "cannot initialise libcurl");
            return -1;
        }
        inited = true;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "cannot initialise libcurl");
        return -1;
    }
    struct fetch_buf b = {.max = max};
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1000L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "mamori/" MAMORI_VERSION);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK || b.too_big) {
        if (b.too_big || rc == CURLE_FILESIZE_EXCEEDED)
            snprintf(err, errlen, "%s: larger than %zu bytes", url, max);
        else
            snprintf(err, errlen, "%s: %s", url, curl_err[0] ? curl_err : curl_easy_strerror(rc));
        free(b.p);
        return -1;
    }
    if (!b.p) {
        b.p = xmalloc(1);
        b.p[0] = '\0';
    }
    *buf = b.p;
    *len = b.len;
    return 0;
}

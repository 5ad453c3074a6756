/* weblog.h - web server access logs (nginx and Apache "combined" and
 * "common" formats) turned into the "http" events the sensor's HTTP parser
 * reports, so the web.attack detector reads a hosted site's log the way it
 * watches a web server on the LAN (`mamori weblog`).
 *
 * A line is untrusted bytes: every field is bounded, anything that does not
 * parse is a bad line (counted and skipped by the caller), never a crash.
 *
 *   combined: 203.0.113.9 - - [26/Nov/2026:09:15:02 +0900] "GET /a HTTP/1.1" 200 512
 *             "https://ref/" "Mozilla/5.0 ..."
 *   common:   the same without the last two quoted fields
 *
 * Extra fields after the user agent (nginx variants add $http_x_forwarded_for,
 * request time...) are ignored. Quoted fields may hold \" and \\ escapes
 * (Apache) or \xHH (nginx, kept as text).
 */
#ifndef MAMORI_WEBLOG_H
#define MAMORI_WEBLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/detect.h"

/* A longer line is a bad line. */
#define WEBLOG_MAX_LINE 16384

enum weblog_format {
    WEBLOG_AUTO = 0,  /* combined when the two quoted fields are there, else common */
    WEBLOG_COMBINED,  /* referer and user agent required */
    WEBLOG_COMMON,    /* anything after the size is ignored */
};

/* Parses "combined", "common" or "auto"; -1 if unknown. */
int weblog_format_parse(const char *s, enum weblog_format *out);

struct weblog_req {
    struct ip_addr client;
    uint64_t ts_us;            /* UTC, the line's zone applied */
    char method[24];           /* "" when the request line is not METHOD URI [PROTO] */
    char uri[2048];            /* cut if longer; the whole request line when unsplit */
    char protocol[16];
    int status;                /* 100-999 */
    bool has_bytes;
    uint64_t bytes;            /* response body size (%b / $body_bytes_sent) */
    bool has_referer, has_ua;  /* "-" counts as absent */
    char referer[512];
    char user_agent[512];
};

/* Parses one line (without its newline; a trailing CR is ignored). Returns 0
 * with *r filled, or -1 for a line that is not an access log line. */
int weblog_parse_line(const char *line, size_t len, enum weblog_format fmt,
                      struct weblog_req *r);

/* Feeds parsed requests to a detection stage as "http" events on made-up
 * flows: client -> server (the given address, else unspecified, which
 * web.attack takes as "the site of this log"), TCP port `port`. */
struct weblog_feed;

struct weblog_feed *weblog_feed_new(struct detect *d, const char *site,
                                    const struct ip_addr *server, uint16_t port);
void weblog_feed_free(struct weblog_feed *wf);
/* One request: ticks the stage when log time moves on, then the event. */
void weblog_feed_req(struct weblog_feed *wf, const struct weblog_req *r);

#endif

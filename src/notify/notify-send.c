/* notify-send.c - delivering one message on one channel with libcurl.
 *
 * Everything has a timeout, TLS is always verified (ca_file adds a private
 * CA), redirects are not followed, and only the expected protocols are
 * allowed. Errors become one short reason a person can act on; they never
 * contain the password, the token or the secret part of a webhook URL.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "notify/notify-int.h"
#include "util/util.h"

static _Thread_local const int *cancel_flag;

void notify_set_cancel(const int *flag)
{
    cancel_flag = flag;
}

/* libcurl calls this about once a second and on every transfer step. */
static int progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)arg, (void)dt, (void)dn, (void)ut, (void)un;
    return cancel_flag && __atomic_load_n(cancel_flag, __ATOMIC_RELAXED) ? 1 : 0;
}

struct upload {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
    struct upload *u = arg;
    size_t n = MIN(size * nmemb, u->left);
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

/* Keeps the first bytes of a response for the error message. */
static size_t write_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
    struct strbuf *sb = arg;
    size_t n = size * nmemb;
    if (sb->len < 200)
        sb_putn(sb, buf, MIN(n, 200 - sb->len));
    return n;
}

static void reason(CURLcode rc, const char *detail, char *err, size_t errlen)
{
    const char *what;
    switch (rc) {
    case CURLE_LOGIN_DENIED:
        what = "authentication failed";
        break;
    case CURLE_COULDNT_CONNECT:
        what = "connection refused";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        what = "timed out";
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        what = "host name not found";
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        what = "server certificate not trusted";
        break;
    case CURLE_SSL_CACERT_BADFILE:
        what = "cannot read ca_file";
        break;
    case CURLE_SSL_CONNECT_ERROR:
        what = "TLS handshake failed";
        break;
    case CURLE_USE_SSL_FAILED:
        what = "the server does not offer STARTTLS";
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
        what = "connection closed by the server";
        break;
    case CURLE_REMOTE_ACCESS_DENIED:
        what = "sender or recipient refused";
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        what = "unexpected server reply";
        break;
    case CURLE_ABORTED_BY_CALLBACK:
        what = "interrupted: mamori is stopping";
        break;
    default:
        what = curl_easy_strerror(rc);
        break;
    }
    if (detail && *detail && rc != CURLE_OPERATION_TIMEDOUT && rc != CURLE_COULDNT_CONNECT &&
        rc != CURLE_ABORTED_BY_CALLBACK)
        snprintf(err, errlen, "%s (%s)", what, detail);
    else
        snprintf(err, errlen, "%s", what);
}

/* The password, from password_file (first line) or the setting. */
static int channel_password(const struct notify_channel *ch, char *out, size_t len, char *err,
                            size_t errlen)
{
    out[0] = '\0';
    if (!ch->password_file[0]) {
        snprintf(out, len, "%s", ch->password);
        return 0;
    }
    FILE *f = fopen(ch->password_file, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read password_file '%s': %s", ch->password_file,
                 strerror(errno));
        return -1;
    }
    if (!fgets(out, (int)len, f))
        out[0] = '\0';
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static void common_opts(CURL *c, const struct notify_channel *ch, unsigned max_timeout,
                        char *errbuf)
{
    long t = ch->timeout ? (long)ch->timeout : 10;
    if (max_timeout && (long)max_timeout < t)
        t = (long)max_timeout;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, t);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
    if (ch->ca_file[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, ch->ca_file);
}

static int send_smtp(CURL *c, const struct notify_channel *ch, const json_t *msg, time_t now,
                     char *errbuf, char *err, size_t errlen)
{
    char pw[256];
    if (channel_password(ch, pw, sizeof(pw), err, errlen) < 0)
        return -1;
    struct strbuf mail = STRBUF_INIT;
    notify_mail_message(ch, msg, now, &mail);
    struct curl_slist *rcpt = NULL;
    const char *p = ch->to;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t n = (size_t)(e - p);
        while (n && p[n - 1] == ' ')
            n--;
        if (n) {
            char addr[300];
            snprintf(addr, sizeof(addr), "<%.*s>", (int)MIN(n, 290), p);
            rcpt = curl_slist_append(rcpt, addr);
        }
        p = e;
    }
    char from[300];
    snprintf(from, sizeof(from), "<%s>", ch->from);
    struct upload up = {mail.s, mail.len};
    curl_easy_setopt(c, CURLOPT_URL, ch->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (strncmp(ch->url, "smtp://", 7) == 0 && ch->starttls != 0)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (ch->user[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, ch->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, pw);
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    CURLcode rc = curl_easy_perform(c);
    memset(pw, 0, sizeof(pw));
    curl_slist_free_all(rcpt);
    sb_free(&mail);
    if (rc != CURLE_OK) {
        reason(rc, errbuf, err, errlen);
        return -1;
    }
    return 0;
}

static int send_http(CURL *c, const struct notify_channel *ch, const json_t *msg, char *errbuf,
                     char *err, size_t errlen)
{
    struct curl_slist *hdr = NULL;
    struct strbuf body = STRBUF_INIT, resp = STRBUF_INIT, url = STRBUF_INIT;
    char *json = NULL;
    switch (ch->type) {
    case NOTIFY_SLACK:
        json = notify_slack_json(msg);
        break;
    case NOTIFY_TEAMS:
        json = notify_teams_json(msg);
        break;
    case NOTIFY_WEBHOOK:
        json = notify_generic_json(msg);
        break;
    case NOTIFY_CHATWORK:
        notify_chatwork_form(msg, &body);
        break;
    default:
        snprintf(err, errlen, "channel type not set");
        return -1;
    }
    if (json) {
        sb_puts(&body, json);
        free(json);
        hdr = curl_slist_append(hdr, "Content-Type: application/json; charset=utf-8");
        sb_puts(&url, ch->url);
    } else {
        char tok[300];
        snprintf(tok, sizeof(tok), "X-ChatWorkToken: %s", ch->token);
        hdr = curl_slist_append(hdr, tok);
        memset(tok, 0, sizeof(tok));
        hdr = curl_slist_append(hdr, "Content-Type: application/x-www-form-urlencoded");
        const char *base = ch->url[0] ? ch->url : "https://api.chatwork.com";
        size_t bl = strlen(base);
        while (bl && base[bl - 1] == '/')
            bl--;
        sb_putn(&url, base, bl);
        sb_printf(&url, "/v2/rooms/%s/messages", ch->room_id);
    }
    hdr = curl_slist_append(hdr, "User-Agent: mamori");
    hdr = curl_slist_append(hdr, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url.s);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.s);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body.len);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
    CURLcode rc = curl_easy_perform(c);
    int ret = 0;
    if (rc != CURLE_OK) {
        reason(rc, errbuf, err, errlen);
        ret = -1;
    } else {
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        if (code < 200 || code >= 300) {
            /* The start of the reply helps ("invalid_token", "no_service"),
             * printable ASCII only. */
            char snip[120] = "";
            size_t k = 0;
            for (size_t i = 0; resp.s && i < resp.len && k + 1 < sizeof(snip); i++)
                snip[k++] = resp.s[i] >= 0x20 && resp.s[i] < 0x7f ? resp.s[i] : ' ';
            snip[k] = '\0';
            if (code == 401 || code == 403)
                snprintf(err, errlen, "HTTP %ld: authentication failed%s%s", code, k ? ": " : "",
                         snip);
            else
                snprintf(err, errlen, "HTTP %ld%s%s", code, k ? ": " : "", snip);
            ret = -1;
        }
    }
    curl_slist_free_all(hdr);
    sb_free(&body);
    sb_free(&resp);
    sb_free(&url);
    return ret;
}

int notify_deliver(const struct notify_channel *ch, const json_t *msg, time_t now,
                   unsigned max_timeout, char *err, size_t errlen)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "cannot start libcurl");
        return -1;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    common_opts(c, ch, max_timeout, errbuf);
    int rc = ch->type == NOTIFY_SMTP ? send_smtp(c, ch, msg, now, errbuf, err, errlen)
                                     : send_http(c, ch, msg, errbuf, err, errlen);
    curl_easy_cleanup(c);
    return rc;
}

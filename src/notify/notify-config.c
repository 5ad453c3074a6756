/* notify-config.c - the [notify] and [notify.NAME] settings.
 *
 * Every key is checked here so a typo in a channel is an error naming the
 * key (config.c adds the file and line), never a silent non-delivery. The
 * struct is plain (fixed arrays) because configs are copied by value.
 */
#include "notify/notify.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/alert.h"
#include "notify/notify-int.h"
#include "util/util.h"

void notify_config_defaults(struct notify_config *nc)
{
    memset(nc, 0, sizeof(*nc));
    nc->quiet_start = -1;
    nc->quiet_end = -1;
    nc->max_per_hour = 6;
    nc->digest = NOTIFY_DIGEST_DAILY;
    nc->digest_time = 8 * 60 + 30;
    nc->digest_weekday = 1; /* Monday */
    nc->immediate_min_severity = SEV_HIGH;
    nc->group_window = 3600;
    nc->retry_base = 30;
    nc->give_up = 86400;
    nc->poll_interval = 10;
}

static int parse_hhmm(const char *s, int *out)
{
    int h = 0, m = 0, n = 0;
    if (!isdigit((unsigned char)s[0]))
        return -1;
    /* H:MM or HH:MM, nothing else ("8:3" and "08:30x" are mistakes). */
    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0' || n < 4 || s[n - 3] != ':' ||
        !isdigit((unsigned char)s[n - 2]) || h > 24 || m > 59 || (h == 24 && m != 0))
        return -1;
    *out = h * 60 + m;
    return 0;
}

static int parse_uint(const char *v, unsigned lo, unsigned hi, unsigned *out)
{
    uint64_t x;
    if (parse_u64(v, &x) < 0 || x < lo || x > hi)
        return -1;
    *out = (unsigned)x;
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false",
                                                                                "off", "0"};
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

static int set_str(char *dst, size_t size, const char *key, const char *v, char *err,
                   unsigned errlen)
{
    size_t n = strlen(v);
    if (n >= size) {
        snprintf(err, errlen, "'%s' is longer than %zu characters", key, size - 1);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        /* Values end up in mail headers and HTTP requests: no line breaks. */
        if ((unsigned char)v[i] < 0x20 && v[i] != '\t') {
            snprintf(err, errlen, "'%s' contains a control character", key);
            return -1;
        }
    }
    memcpy(dst, v, n + 1);
    return 0;
}

static int global_set(struct notify_config *nc, const char *name, const char *key, const char *v,
                      char *err, unsigned errlen)
{
    unsigned u;
    if (strcmp(name, "lang") == 0) {
        if (strcmp(v, "en") != 0 && strcmp(v, "ja") != 0) {
            snprintf(err, errlen, "'%s' must be 'en' or 'ja'", key);
            return -1;
        }
        snprintf(nc->lang, sizeof(nc->lang), "%s", v);
    } else if (strcmp(name, "quiet_hours") == 0) {
        const char *dash = strchr(v, '-');
        char a[8], b[8];
        if (strcmp(v, "off") == 0 || strcmp(v, "none") == 0 || !*v) {
            nc->quiet_start = nc->quiet_end = -1;
            return 0;
        }
        if (!dash || dash - v >= (long)sizeof(a) || strlen(dash + 1) >= sizeof(b))
            goto bad_quiet;
        snprintf(a, sizeof(a), "%.*s", (int)(dash - v), v);
        snprintf(b, sizeof(b), "%s", dash + 1);
        int s, e;
        if (parse_hhmm(a, &s) < 0 || parse_hhmm(b, &e) < 0 || s == e)
            goto bad_quiet;
        nc->quiet_start = s % 1440;
        nc->quiet_end = e % 1440;
        return 0;
    bad_quiet:
        snprintf(err, errlen, "'%s' must be HH:MM-HH:MM (for example 22:00-07:00) or off", key);
        return -1;
    } else if (strcmp(name, "max_per_hour") == 0) {
        if (parse_uint(v, 0, 1000, &u) < 0) {
            snprintf(err, errlen, "'%s' must be a number from 0 (no cap) to 1000", key);
            return -1;
        }
        nc->max_per_hour = u;
    } else if (strcmp(name, "digest") == 0) {
        if (strcmp(v, "daily") == 0)
            nc->digest = NOTIFY_DIGEST_DAILY;
        else if (strcmp(v, "weekly") == 0)
            nc->digest = NOTIFY_DIGEST_WEEKLY;
        else if (strcmp(v, "off") == 0)
            nc->digest = NOTIFY_DIGEST_OFF;
        else {
            snprintf(err, errlen, "'%s' must be daily, weekly or off", key);
            return -1;
        }
    } else if (strcmp(name, "digest_when_quiet") == 0) {
        if (parse_bool(v, &nc->digest_when_quiet) < 0) {
            snprintf(err, errlen, "'%s' must be yes or no", key);
            return -1;
        }
    } else if (strcmp(name, "digest_time") == 0) {
        int t;
        if (parse_hhmm(v, &t) < 0 || t >= 1440) {
            snprintf(err, errlen, "'%s' must be HH:MM (for example 08:30)", key);
            return -1;
        }
        nc->digest_time = t;
    } else if (strcmp(name, "digest_day") == 0) {
        static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
        for (int i = 0; i < 7; i++) {
            if (strncasecmp(v, days[i], 3) == 0) {
                nc->digest_weekday = i;
                return 0;
            }
        }
        snprintf(err, errlen, "'%s' must be a weekday (mon, tue, ... sun)", key);
        return -1;
    } else if (strcmp(name, "immediate_min_severity") == 0) {
        int s = alert_severity_parse(v);
        if (s < SEV_LOW) {
            snprintf(err, errlen, "'%s' must be low, medium, high or critical", key);
            return -1;
        }
        nc->immediate_min_severity = s;
    } else if (strcmp(name, "group_window") == 0) {
        if (parse_uint(v, 0, 7 * 86400, &u) < 0) {
            snprintf(err, errlen, "'%s' must be seconds from 0 to 604800", key);
            return -1;
        }
        nc->group_window = u;
    } else if (strcmp(name, "retry_base") == 0) {
        if (parse_uint(v, 0, 3600, &u) < 0) {
            snprintf(err, errlen, "'%s' must be seconds from 0 to 3600", key);
            return -1;
        }
        nc->retry_base = u;
    } else if (strcmp(name, "give_up") == 0) {
        if (parse_uint(v, 0, 30 * 86400, &u) < 0) {
            snprintf(err, errlen, "'%s' must be seconds from 0 to 2592000", key);
            return -1;
        }
        nc->give_up = u;
    } else if (strcmp(name, "poll_interval") == 0) {
        if (parse_uint(v, 1, 3600, &u) < 0) {
            snprintf(err, errlen, "'%s' must be seconds from 1 to 3600", key);
            return -1;
        }
        nc->poll_interval = u;
    } else if (strcmp(name, "dashboard_url") == 0) {
        if (*v && strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0) {
            snprintf(err, errlen, "'%s' must start with http:// or https://", key);
            return -1;
        }
        return set_str(nc->dashboard_url, sizeof(nc->dashboard_url), key, v, err, errlen);
    } else {
        snprintf(err, errlen, "unknown setting '%s'", key);
        return -1;
    }
    return 0;
}

static struct notify_channel *channel_get(struct notify_config *nc, const char *name,
                                          size_t namelen, const char *key, char *err,
                                          unsigned errlen)
{
    for (unsigned i = 0; i < nc->nchannels; i++) {
        if (strlen(nc->ch[i].name) == namelen && memcmp(nc->ch[i].name, name, namelen) == 0)
            return &nc->ch[i];
    }
    if (namelen == 0 || namelen >= sizeof(nc->ch[0].name)) {
        snprintf(err, errlen, "'%s': a channel name has 1 to %zu characters", key,
                 sizeof(nc->ch[0].name) - 1);
        return NULL;
    }
    for (size_t i = 0; i < namelen; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!isalnum(c) && c != '-' && c != '_') {
            snprintf(err, errlen, "'%s': a channel name uses only letters, digits, - and _", key);
            return NULL;
        }
    }
    if (nc->nchannels >= NOTIFY_MAX_CHANNELS) {
        snprintf(err, errlen, "'%s': at most %d notification channels", key, NOTIFY_MAX_CHANNELS);
        return NULL;
    }
    struct notify_channel *c = &nc->ch[nc->nchannels++];
    memset(c, 0, sizeof(*c));
    memcpy(c->name, name, namelen);
    c->starttls = -1; /* decided by the URL scheme unless set */
    c->timeout = 10;
    return c;
}

static int channel_set(struct notify_channel *c, const char *name, const char *key, const char *v,
                       char *err, unsigned errlen)
{
    if (strcmp(name, "type") == 0) {
        static const struct {
            const char *n;
            enum notify_type t;
        } types[] = {{"smtp", NOTIFY_SMTP},         {"mail", NOTIFY_SMTP},
                     {"slack", NOTIFY_SLACK},       {"teams", NOTIFY_TEAMS},
                     {"chatwork", NOTIFY_CHATWORK}, {"webhook", NOTIFY_WEBHOOK}};
        for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
            if (strcmp(v, types[i].n) == 0) {
                c->type = types[i].t;
                return 0;
            }
        }
        snprintf(err, errlen, "'%s' must be smtp, slack, teams, chatwork or webhook", key);
        return -1;
    }
    if (strcmp(name, "url") == 0) {
        if (strncmp(v, "smtp://", 7) != 0 && strncmp(v, "smtps://", 8) != 0 &&
            strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) {
            snprintf(err, errlen, "'%s' must start with smtp://, smtps://, https:// or http://",
                     key);
            return -1;
        }
        return set_str(c->url, sizeof(c->url), key, v, err, errlen);
    }
    if (strcmp(name, "starttls") == 0) {
        if (parse_bool(v, &c->starttls) < 0) {
            snprintf(err, errlen, "'%s' must be yes or no", key);
            return -1;
        }
        return 0;
    }
    if (strcmp(name, "timeout") == 0) {
        if (parse_uint(v, 1, 300, &c->timeout) < 0) {
            snprintf(err, errlen, "'%s' must be seconds from 1 to 300", key);
            return -1;
        }
        return 0;
    }
    if (strcmp(name, "min_severity") == 0) {
        if (alert_severity_parse(v) < 0) {
            snprintf(err, errlen, "'%s' must be info, low, medium, high or critical", key);
            return -1;
        }
        return set_str(c->min_severity, sizeof(c->min_severity), key, v, err, errlen);
    }
    if (strcmp(name, "room_id") == 0) {
        for (const char *p = v; *p; p++) {
            if (!isdigit((unsigned char)*p)) {
                snprintf(err, errlen, "'%s' must be the room's number", key);
                return -1;
            }
        }
        return set_str(c->room_id, sizeof(c->room_id), key, v, err, errlen);
    }
#define CH_STR(n, f)                                                                               \
    if (strcmp(name, n) == 0)                                                                      \
        return set_str(c->f, sizeof(c->f), key, v, err, errlen);
    CH_STR("user", user)
    CH_STR("password", password)
    CH_STR("password_file", password_file)
    CH_STR("from", from)
    CH_STR("to", to)
    CH_STR("ca_file", ca_file)
    CH_STR("token", token)
#undef CH_STR
    snprintf(err, errlen, "unknown setting '%s'", key);
    return -1;
}

int notify_config_set(struct notify_config *nc, const char *key, const char *value, char *err,
                      unsigned errlen)
{
    if (strncmp(key, "notify.", 7) != 0)
        return -2;
    const char *rest = key + 7;
    const char *dot = strrchr(rest, '.');
    if (!dot)
        return global_set(nc, rest, key, value, err, errlen);
    struct notify_channel *c = channel_get(nc, rest, (size_t)(dot - rest), key, err, errlen);
    if (!c)
        return -1;
    return channel_set(c, dot + 1, key, value, err, errlen);
}

const char *notify_type_name(enum notify_type t)
{
    switch (t) {
    case NOTIFY_SMTP:
        return "smtp";
    case NOTIFY_SLACK:
        return "slack";
    case NOTIFY_TEAMS:
        return "teams";
    case NOTIFY_CHATWORK:
        return "chatwork";
    case NOTIFY_WEBHOOK:
        return "webhook";
    case NOTIFY_NONE:
        break;
    }
    return "none";
}

/* Addresses in `to`: a@x, b@y. Each must look like local@domain with
 * nothing that could break out of an SMTP command or header. */
static int check_addr(const char *a, size_t n)
{
    const char *at = memchr(a, '@', n);
    if (!at || at == a || at == a + n - 1)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)a[i];
        if (c <= ' ' || c == '<' || c == '>' || c == ',' || c == '"' || c == 0x7f)
            return -1;
    }
    return 0;
}

int notify_addr_list_check(const char *list)
{
    int n = 0;
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t len = (size_t)(e - p);
        while (len && p[len - 1] == ' ')
            len--;
        if (check_addr(p, len) < 0)
            return -1;
        n++;
        p = e;
    }
    return n;
}

int notify_config_check(const struct notify_config *nc, char *err, size_t errlen)
{
    for (unsigned i = 0; i < nc->nchannels; i++) {
        const struct notify_channel *c = &nc->ch[i];
        const char *n = c->name;
        if (c->type == NOTIFY_NONE) {
            snprintf(err, errlen, "'notify.%s.type' is missing", n);
            return -1;
        }
        if (!c->url[0] && c->type != NOTIFY_CHATWORK) {
            snprintf(err, errlen, "'notify.%s.url' is missing", n);
            return -1;
        }
        int is_smtp_url = strncmp(c->url, "smtp", 4) == 0;
        if (c->url[0] && (c->type == NOTIFY_SMTP) != is_smtp_url) {
            snprintf(err, errlen, "'notify.%s.url' must be %s for type %s", n,
                     c->type == NOTIFY_SMTP ? "smtp:// or smtps://" : "http:// or https://",
                     notify_type_name(c->type));
            return -1;
        }
        if (c->type == NOTIFY_SMTP) {
            if (check_addr(c->from, strlen(c->from)) < 0) {
                snprintf(err, errlen, "'notify.%s.from' must be one address (a@example.jp)", n);
                return -1;
            }
            if (notify_addr_list_check(c->to) <= 0) {
                snprintf(err, errlen,
                         "'notify.%s.to' must be addresses separated by commas (a@x.jp, b@y.jp)",
                         n);
                return -1;
            }
            if (c->password[0] && c->password_file[0]) {
                snprintf(err, errlen, "'notify.%s': set password or password_file, not both", n);
                return -1;
            }
            if (c->user[0] && c->starttls == 0 && strncmp(c->url, "smtp://", 7) == 0) {
                snprintf(err, errlen,
                         "'notify.%s.starttls' = no would send the password unencrypted: use "
                         "starttls = yes or smtps://",
                         n);
                return -1;
            }
            if ((c->password[0] || c->password_file[0]) && !c->user[0]) {
                snprintf(err, errlen, "'notify.%s.user' is missing (a password is set)", n);
                return -1;
            }
        }
        if (c->type == NOTIFY_CHATWORK && (!c->token[0] || !c->room_id[0])) {
            snprintf(err, errlen, "'notify.%s.%s' is missing (chatwork needs token and room_id)", n,
                     c->token[0] ? "room_id" : "token");
            return -1;
        }
    }
    return 0;
}

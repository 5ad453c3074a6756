/* notify.h - telling people: channels (SMTP mail, webhooks for Slack, Teams,
 * Chatwork and a generic URL), the policy (high/critical at once, one
 * message per incident; the rest in a digest; quiet hours; a cap per hour)
 * and delivery with retries that never block capture. See docs/notify.md.
 */
#ifndef MAMORI_NOTIFY_H
#define MAMORI_NOTIFY_H

#include <stddef.h>
#include <sqlite3.h>

struct mamori_config;

#define NOTIFY_MAX_CHANNELS 8

enum notify_type {
    NOTIFY_NONE = 0,
    NOTIFY_SMTP,
    NOTIFY_SLACK,
    NOTIFY_TEAMS,
    NOTIFY_CHATWORK,
    NOTIFY_WEBHOOK,
};

enum notify_digest { NOTIFY_DIGEST_DAILY = 0, NOTIFY_DIGEST_WEEKLY, NOTIFY_DIGEST_OFF };

/* One [notify.NAME] section. Plain fixed-size arrays: config structs are
 * copied by value and never freed. */
struct notify_channel {
    char name[32];
    enum notify_type type;
    char url[512];
    int starttls; /* smtp: 1 require STARTTLS (default for smtp://), 0 plain */
    char user[128];
    char password[256]; /* secret: never logged or printed */
    char password_file[512];
    char from[256];
    char to[1024]; /* comma-separated addresses */
    char ca_file[512];
    char token[256];       /* chatwork API token: secret */
    char room_id[32];      /* chatwork room */
    unsigned timeout;      /* seconds for the whole delivery */
    char min_severity[16]; /* channel-level filter; empty: all messages */
};

/* Settings under [notify] and [notify.CHANNEL] in the config file; filled by
 * notify_config_set() (config.c forwards every key starting "notify."). */
struct notify_config {
    char lang[4];    /* "en" or "ja"; empty: from the environment */
    int quiet_start; /* minutes after local midnight; -1: no quiet hours */
    int quiet_end;
    unsigned max_per_hour; /* immediate messages per hour, all channels (0: no cap) */
    enum notify_digest digest;
    int digest_time;            /* minutes after local midnight */
    int digest_weekday;         /* weekly digest day, 0 = Sunday */
    int digest_when_quiet;      /* send an "all quiet" digest when nothing was found */
    int immediate_min_severity; /* alert severity rank (see detect) for sending at once */
    unsigned group_window;      /* seconds: alerts of one incident grouped together */
    unsigned retry_base;        /* seconds: first retry delay (30); later ones grow */
    unsigned give_up;           /* seconds after which a failing message is abandoned */
    unsigned poll_interval;     /* seconds between looks at the store */
    char dashboard_url[512];
    char company[128]; /* copied from site.company by the callers (not a notify key) */
    unsigned nchannels;
    struct notify_channel ch[NOTIFY_MAX_CHANNELS];
};

void notify_config_defaults(struct notify_config *nc);
/* key is the full key ("notify.office.type"). Returns 0, -1 with err set,
 * or -2 if the key is not a notify key at all. */
int notify_config_set(struct notify_config *nc, const char *key, const char *value, char *err,
                      unsigned errlen);
/* Checks that each channel has what its type needs (url, to, from ...).
 * Returns 0 or -1 with err naming the channel and key. */
int notify_config_check(const struct notify_config *nc, char *err, size_t errlen);

/* Schema migration step 5 (user_version 4 -> 5): the notifications table. */
extern const char store_notify_schema_v5[];

/* --- the service API (used by `mamori watch` and `mamori status`) --- */
struct notifier;

/* Starts the notifier thread on its own SQLite connections to db_path.
 * NULL + err on a bad setup; returns a running notifier even with zero
 * channels (it then only keeps its bookkeeping). */
struct notifier *notifier_start(const struct mamori_config *cfg, const char *db_path, char *err,
                                size_t errlen);
/* New settings (SIGHUP); takes effect at the next round. */
void notifier_reload(struct notifier *n, const struct mamori_config *cfg);
/* Flushes what it can within a few seconds, then stops and frees n. */
void notifier_stop(struct notifier *n);
/* For `mamori status`: "2026-11-26T10:00:00Z office sent" of the latest
 * notification, or "never". Returns 0, or -1 if the table is missing. */
int notify_last_sent(sqlite3 *db, char *buf, size_t len);

#endif

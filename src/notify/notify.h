/* notify.h - telling people: channels (SMTP mail, webhooks for Slack, Teams,
 * Chatwork and a generic URL), the policy (high/critical at once, one
 * message per incident; the rest in a digest; quiet hours; a cap per hour)
 * and delivery with retries that never block capture. (Being written.)
 */
#ifndef MAMORI_NOTIFY_H
#define MAMORI_NOTIFY_H

/* Settings under [notify] and [notify.CHANNEL] in the config file; filled by
 * notify_config_set() (config.c forwards every key starting "notify."). */
struct notify_config {
    unsigned nchannels;
};

void notify_config_defaults(struct notify_config *nc);
/* key is the full key ("notify.office.type"). Returns 0, -1 with err set,
 * or -2 if the key is not a notify key at all. */
int notify_config_set(struct notify_config *nc, const char *key, const char *value, char *err,
                      unsigned errlen);

/* Schema migration step 5 (user_version 4 -> 5): the notifications table. */
extern const char store_notify_schema_v5[];

#endif

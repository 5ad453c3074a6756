/* mail-lookalike.c - see mail.h. (Being written.) */
#include "mail/mail.h"

#include "util/util.h"

const struct mail_reason_def mail_texts_lookalike[] = {
    {NULL, NULL, NULL},
};

void mail_check_lookalike(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    (void)m;
    (void)ctx;
    (void)r;
}

struct mail_partners *mail_partners_load(const char *path)
{
    (void)path;
    return NULL;
}

void mail_partners_free(struct mail_partners *p)
{
    (void)p;
}

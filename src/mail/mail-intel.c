/* mail-intel.c - see mail.h. (Being written.) */
#include "mail/mail.h"

#include "util/util.h"

const struct mail_reason_def mail_texts_intel[] = {
    {NULL, NULL, NULL},
};

void mail_check_intel(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    (void)m;
    (void)ctx;
    (void)r;
}

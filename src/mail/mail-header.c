/* mail-header.c - see mail.h. (Being written.) */
#include "mail/mail.h"

#include "util/util.h"

const struct mail_reason_def mail_texts_header[] = {
    {NULL, NULL, NULL},
};

void mail_check_headers(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    (void)m;
    (void)ctx;
    (void)r;
}

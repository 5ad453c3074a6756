/* mail-parse.c - see mail.h. (Being written.) */
#include "mail/mail.h"

#include "util/util.h"

struct mail_msg *mail_parse(const char *buf, size_t len, struct mail_ctx *ctx, const char **err)
{
    (void)buf;
    (void)len;
    (void)ctx;
    *err = "not implemented";
    return NULL;
}

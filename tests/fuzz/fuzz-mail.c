/* fuzz-mail.c - a whole message or mbox through mail_parse_each() and every
 * check (mail_evaluate), as `mamori mail` runs it. Checks what mail.h
 * promises: counts within the MAIL_MAX_* limits, every text valid UTF-8,
 * a verdict that matches the score. */
#include <glib.h>

#include "fuzz.h"
#include "mail/mail.h"
#undef MIN
#undef MAX
#include "util/util.h"

static void fuzz_check_text(const char *s)
{
    if (s && !g_utf8_validate(s, -1, NULL))
        fuzz_fail("mail text not valid UTF-8");
}

static void fuzz_check_msg(const struct mail_msg *m, int depth)
{
    if (depth > MAIL_MAX_DEPTH)
        fuzz_fail("attached messages nested beyond MAIL_MAX_DEPTH");
    if (m->nlinks > MAIL_MAX_LINKS || m->nreceived > MAIL_MAX_RECEIVED ||
        m->nparts > MAIL_MAX_PARTS)
        fuzz_fail("mail count beyond its limit");
    if (!m->text || !m->html || !m->html_text || !m->lang)
        fuzz_fail("mail text field is NULL");
    if (strlen(m->text) + strlen(m->html) > MAIL_MAX_TEXT + 1)
        fuzz_fail("mail text beyond MAIL_MAX_TEXT");
    fuzz_check_text(m->text);
    fuzz_check_text(m->html_text);
    fuzz_check_text(m->subject);
    fuzz_check_text(m->from.display);
    for (size_t i = 0; i < m->nlinks; i++)
        if (!m->links[i].href)
            fuzz_fail("link without href");
    for (size_t i = 0; i < m->ninner; i++)
        fuzz_check_msg(m->inner[i], depth + 1);
}

static int fuzz_on_msg(void *arg, struct mail_msg *m, size_t index)
{
    struct mail_ctx *ctx = arg;
    (void)index;
    fuzz_check_msg(m, 0);
    struct mail_result r;
    mail_evaluate(m, ctx, &r);
    if (!r.verdict)
        fuzz_fail("no verdict");
    for (size_t i = 0; i < r.nreasons; i++)
        if (!r.reasons[i].evidence || !mail_reason_text(r.reasons[i].id))
            fuzz_fail("reason without evidence or text");
    mail_result_free(&r);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    static const char *const own[] = {"example.co.jp", NULL};
    struct mail_options opt = {.own_domains = own};
    struct mail_ctx ctx = {.opt = &opt};
    const char *err = NULL;
    mail_parse_each((const char *)data, size, &ctx, fuzz_on_msg, &ctx, &err);
    return 0;
}

/* fuzz-mail-partners.c - the --partners list parser, then the look-alike
 * check with the parsed partners and with hosts cut from the same bytes
 * (punycode, confusable skeletons, edit distance on hostile labels). */
#include "fuzz.h"
#include "mail/mail.h"
#include "util/util.h"

static void host_from(const uint8_t *data, size_t size, size_t off, char *out, size_t outlen)
{
    size_t n = 0;
    for (size_t i = off; i < size && n + 1 < outlen && data[i] != '\n'; i++)
        out[n++] = data[i] ? (char)data[i] : '.';
    out[n] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    struct mail_partners *p = mail_partners_parse((const char *)data, size, "fuzz-partners");

    /* Hosts: the first line, and the text after the last newline. */
    char h1[300], h2[300], u[600];
    host_from(data, size, 0, h1, sizeof h1);
    const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
    host_from(data, size, nl ? (size_t)(nl - data) + 1 : size, h2, sizeof h2);
    if (mail_idn_to_utf8(h1, u, sizeof u) && !memchr(u, '\0', sizeof u))
        fuzz_fail("idn output not terminated");
    (void)mail_host_is_ip(h1);

    static const char *const own[] = {"example-shop.co.jp", NULL};
    struct mail_options opt = {0};
    opt.own_domains = own;
    struct mail_ctx ctx = {0};
    ctx.opt = &opt;
    ctx.partners = p;
    struct mail_msg m = {0};
    struct mail_link links[2] = {{0}};
    links[0].host = h1;
    links[0].href = h1;
    links[1].host = h2;
    links[1].href = h2;
    links[1].text = h1;
    links[1].in_html = true;
    m.links = links;
    m.nlinks = 2;
    m.from.domain = h2;
    m.from.addr = h1;
    m.from.display = h1;
    m.subject = h2;
    m.date = INT64_MIN;
    struct mail_result r = {0};
    mail_check_lookalike(&m, &ctx, &r);
    mail_check_content(&m, &ctx, &r);
    for (size_t i = 0; i < r.nreasons; i++)
        if (!r.reasons[i].evidence || r.reasons[i].score < 0 || r.reasons[i].score > 60)
            fuzz_fail("reason without evidence or score out of range");
    mail_result_free(&r);
    mail_partners_free(p);
    return 0;
}

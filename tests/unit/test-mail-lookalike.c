/* test-mail-lookalike.c - look-alike domains (own, partner, brand),
 * punycode and confusables, brands named by unrelated senders, and the
 * partner list parser. Messages are built by hand: only the fields the
 * check reads are set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/mail.h"
#include "util/util.h"

static const char *const no_own[] = {NULL};
static const char *const own[] = {"example-shop.co.jp", NULL};

struct fx {
    struct mail_options opt;
    struct mail_ctx ctx;
    struct mail_msg m;
    struct mail_link links[8];
    struct mail_result r;
};

static void fx_init(struct fx *f, const char *const *own_domains)
{
    mail_result_free(&f->r);
    memset(f, 0, sizeof *f);
    f->opt.own_domains = own_domains;
    f->ctx.opt = &f->opt;
    f->m.links = f->links;
    f->m.date = INT64_MIN;
}

static void from(struct fx *f, const char *display, const char *addr)
{
    f->m.from.display = (char *)(uintptr_t)display;
    f->m.from.addr = (char *)(uintptr_t)addr;
    f->m.from.domain = (char *)(uintptr_t)(strchr(addr, '@') + 1);
}

static void link_to(struct fx *f, const char *host)
{
    struct mail_link *l = &f->links[f->m.nlinks++];
    l->host = (char *)(uintptr_t)host;
    l->href = (char *)(uintptr_t)host;
}

static const struct mail_reason *run(struct fx *f, const char *id)
{
    mail_result_free(&f->r);
    memset(&f->r, 0, sizeof f->r);
    mail_check_lookalike(&f->m, &f->ctx, &f->r);
    for (size_t i = 0; i < f->r.nreasons; i++)
        if (!id || strcmp(f->r.reasons[i].id, id) == 0)
            return &f->r.reasons[i];
    return NULL;
}

static void fx_done(struct fx *f)
{
    mail_result_free(&f->r);
    mail_partners_free(f->ctx.partners);
}

static void test_punycode(void **state)
{
    (void)state;
    char out[256];
    assert_true(mail_idn_to_utf8("xn--wgv71a119e.jp", out, sizeof out));
    assert_string_equal(out, "日本語.jp");
    /* аррӏе.com: Cyrillic letters only. */
    assert_true(mail_idn_to_utf8("xn--80ak6aa92e.com", out, sizeof out));
    assert_string_equal(out, "\xD0\xB0\xD1\x80\xD1\x80\xD3\x8F\xD0\xB5.com");
    /* Broken punycode is said, not crashed on. */
    assert_false(mail_idn_to_utf8("xn--99999999999999999999.com", out, sizeof out));
    assert_false(mail_idn_to_utf8("xn--a-.com", out, sizeof out) && strcmp(out, "a.com") != 0);
    assert_true(mail_idn_to_utf8("www.example.com", out, sizeof out));
    assert_string_equal(out, "www.example.com");
    /* Output buffer too small. */
    assert_false(mail_idn_to_utf8("xn--wgv71a119e.jp", out, 6));
}

static void test_hosts(void **state)
{
    (void)state;
    char rd[256];
    assert_true(mail_registrable("WWW.Amazon.CO.JP.", rd, sizeof rd));
    assert_string_equal(rd, "amazon.co.jp");
    assert_false(mail_registrable("co.jp", rd, sizeof rd));
    assert_false(mail_registrable("192.0.2.1", rd, sizeof rd));
    assert_true(mail_host_is_ip("192.0.2.1"));
    assert_true(mail_host_is_ip("0xC0.0xA8.1.1"));
    assert_true(mail_host_is_ip("3232235777")); /* 192.168.1.1 as one number */
    assert_true(mail_host_is_ip("[2001:db8::1]"));
    assert_false(mail_host_is_ip("1.example.com"));
    assert_false(mail_host_is_ip("123"));
}

static void test_brand_lookalikes(void **state)
{
    (void)state;
    struct fx f = {0};
    const struct mail_reason *x;
    struct {
        const char *from;
        int score;
        const char *method;
    } cases[] = {
        {"info@amaz0n.co.jp", 60, "look-alike"},       /* digit for letter */
        {"info@rnufg.jp", 60, "look-alike"},           /* rn for m */
        {"info@xn--80ak6aa92e.com", 60, "look-alike"}, /* Cyrillic аррӏе */
        {"info@xn--mazon-qqa.com", 60, "look-alike"},  /* àmazon */
        {"info@amazon-support.com", 30, "words added"},
        {"info@secure-mufg.com", 30, "words added"},
        {"info@smbcjp.com", 30, "words added"},
        {"info@smbc.top", 60, "another ending"},        /* cheap TLD */
        {"info@mizuhobank.com.cn", 30, "another ending"},
        {"info@amazom.co.jp", 30, "changed"},
        {"info@rakutne.co.jp", 30, "changed"},          /* transposition */
        {"info@kuronekoyamoto.co.jp", 30, "changed"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        fx_init(&f, no_own);
        from(&f, NULL, cases[i].from);
        x = run(&f, "lookalike.brand_domain");
        if (!x)
            fail_msg("no reason for %s", cases[i].from);
        if (x->score != cases[i].score || !strstr(x->evidence, cases[i].method))
            fail_msg("%s: %s", cases[i].from, x->evidence);
        fx_done(&f);
    }
    /* A link host written as the brand's domain followed by another. */
    fx_init(&f, no_own);
    from(&f, NULL, "news@shop.example");
    link_to(&f, "www.amazon.co.jp.account-check.top");
    x = run(&f, "lookalike.brand_domain");
    assert_non_null(x);
    assert_int_equal(x->score, 60);
    assert_non_null(strstr(x->evidence, "start of another domain"));
    fx_done(&f);
    /* The brand's domain with its dots written as hyphens, in the labels
     * left of an unrelated registrable domain. */
    const char *dashed[] = {"my-jcb-co-jp.diezdesign.example.com", "www-aeon-co-jp.rocknroll.example.net",
                            "login.smbc-co-jp.example.org"};
    for (size_t i = 0; i < ARRAY_SIZE(dashed); i++) {
        fx_init(&f, no_own);
        from(&f, NULL, "news@shop.example");
        link_to(&f, dashed[i]);
        x = run(&f, "lookalike.brand_domain");
        if (!x || x->score != 60)
            fail_msg("%s: %s", dashed[i], x ? x->evidence : "no reason");
        fx_done(&f);
    }
    /* Hyphenated words that only resemble a domain: not this. */
    fx_init(&f, no_own);
    from(&f, NULL, "news@shop.example");
    link_to(&f, "co-jp-news.example.com");
    link_to(&f, "jcb-fan.example.org");
    assert_null(run(&f, "lookalike.brand_domain"));
    fx_done(&f);
}

static void test_brand_negatives(void **state)
{
    (void)state;
    struct fx f = {0};
    /* The brands themselves, their other domains, country domains of
     * global brands, and unrelated everyday domains. */
    const char *ok[] = {"auto-confirm@amazon.co.jp", "no-reply@amazon.com", "x@amazon.de",
                        "info@mail.rakuten.co.jp", "x@smbc-card.com", "x@vpass.ne.jp", "x@docomo.ne.jp",
                        "x@ezweb.ne.jp", "x@i.softbank.jp", "x@yahoo.com.br", "x@yahoo.co.jp",
                        "x@mizuhobank.co.jp", "x@github.com", "x@kernel.org", "x@lists.sourceforge.net",
                        "x@appleinsider.com", "x@googlegroups.com", "x@example.co.jp", "x@nta.go.jp",
                        "x@kuronekoyamato.co.jp", "x@jcb.co.jp", "x@linux.intel.com", "x@syzkaller.appspotmail.com",
                        "x@xn--wgv71a119e.jp"};
    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        fx_init(&f, no_own);
        from(&f, NULL, ok[i]);
        link_to(&f, "www.amazon.co.jp");
        link_to(&f, "lore.kernel.org");
        const struct mail_reason *x = run(&f, NULL);
        if (x)
            fail_msg("%s: %s %s", ok[i], x->id, x->evidence);
        fx_done(&f);
    }
    mail_result_free(&f.r);
}

static void test_own_domain(void **state)
{
    (void)state;
    struct fx f = {0};
    const char *bad[] = {"ceo@example-shop.com", "ceo@examp1e-shop.co.jp", "ceo@example-shop.co.jp.mail-login.top",
                         "ceo@exmaple-shop.co.jp"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        fx_init(&f, own);
        from(&f, "社長", bad[i]);
        const struct mail_reason *x = run(&f, "lookalike.own_domain");
        if (!x)
            fail_msg("no reason for %s", bad[i]);
        assert_int_equal(x->score, 60);
        fx_done(&f);
    }
    fx_init(&f, own);
    from(&f, "社長", "ceo@mail.example-shop.co.jp");
    assert_null(run(&f, NULL));
    fx_done(&f);
}

static void test_partners(void **state)
{
    (void)state;
    const char good[] = "\xEF\xBB\xBF# partners\n"
                        "partner-kogyo.co.jp 株式会社パートナー工業\n"
                        "  @supplier.example.com   Supplier Inc. # comment\r\n"
                        "*.tokyo-trading.jp\n"
                        "\n"
                        "partner-kogyo.co.jp duplicate\n";
    struct mail_partners *p = mail_partners_parse(good, sizeof good - 1, "partners.txt");
    assert_non_null(p);
    assert_int_equal(mail_partners_count(p), 3);

    struct fx f = {0};
    fx_init(&f, no_own);
    f.ctx.partners = p;
    from(&f, "営業部", "sales@partner-kougyo.co.jp");
    const struct mail_reason *x = run(&f, "lookalike.partner_domain");
    assert_non_null(x);
    assert_int_equal(x->score, 60);
    assert_non_null(strstr(x->evidence, "パートナー工業"));
    /* The real partner: nothing. */
    from(&f, "営業部", "sales@partner-kogyo.co.jp");
    assert_null(run(&f, NULL));
    /* Its .com: another ending, a clear sign but partners may own both. */
    from(&f, "営業部", "sales@tokyo-trading.com");
    x = run(&f, "lookalike.partner_domain");
    assert_non_null(x);
    assert_int_equal(x->score, 30);
    fx_done(&f);

    const char *bad[] = {"partner..co.jp\n", "good.co.jp\nco.jp\n", "good.co.jp\n192.0.2.1\n", "a\0b.jp\n",
                         "good.co.jp\nexample\n"};
    size_t badlen[] = {15, 17, 21, 7, 20};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        assert_null(mail_partners_parse(bad[i], badlen[i], "bad.txt"));
    char longline[2000];
    memset(longline, 'a', sizeof longline);
    assert_null(mail_partners_parse(longline, sizeof longline, "long.txt"));

    /* From a file, and a missing file. */
    char path[] = "/tmp/test-mail-partners-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, good, sizeof good - 1), (ssize_t)(sizeof good - 1));
    close(fd);
    p = mail_partners_load(path);
    assert_non_null(p);
    assert_int_equal(mail_partners_count(p), 3);
    mail_partners_free(p);
    unlink(path);
    assert_null(mail_partners_load("/nonexistent/partners.txt"));
    mail_result_free(&f.r);
}

static void test_brand_named(void **state)
{
    (void)state;
    struct fx f = {0};
    const struct mail_reason *x;
    fx_init(&f, no_own);
    from(&f, "Amazon.co.jp", "x@random.top");
    x = run(&f, "lookalike.brand_display");
    assert_non_null(x);
    assert_int_equal(x->score, 60);
    from(&f, "三井住友カード株式会社", "info@mail-xyz.cn");
    x = run(&f, "lookalike.brand_display");
    assert_non_null(x);
    assert_int_equal(x->score, 60);
    from(&f, "Taro Yamada (Microsoft)", "taro@example.com");
    x = run(&f, "lookalike.brand_display");
    assert_non_null(x);
    assert_int_equal(x->score, 30);
    /* The brand itself, and names that only contain the letters. */
    from(&f, "Amazon.co.jp", "auto-confirm@amazon.co.jp");
    assert_null(run(&f, NULL));
    from(&f, "三井住友カード", "info@vpass.ne.jp");
    assert_null(run(&f, NULL));
    from(&f, "Paul Etcheverry", "paul@example.org");
    assert_null(run(&f, NULL));
    from(&f, "Visaka Appleby", "v@example.org");
    assert_null(run(&f, NULL));
    from(&f, "Google Calendar", "calendar-notification@google.com");
    assert_null(run(&f, NULL));
    /* A list's DMARC rewrite: the author is in Reply-To. */
    from(&f, "Jane Doe (Google) via jfs-discussion", "jfs-discussion@lists.sourceforge.net");
    f.m.reply_to.domain = (char *)(uintptr_t)"google.com";
    assert_null(run(&f, NULL));
    f.m.reply_to.domain = NULL;
    /* A brand in the subject: 20, or 30 when it signs the subject in 【】
     * (spaces and invisible characters do not hide it). */
    from(&f, "Support", "x@random.top");
    f.m.subject = (char *)(uintptr_t)"【重要】楽天カードご利用確認のお願い";
    x = run(&f, "lookalike.brand_subject");
    assert_non_null(x);
    assert_int_equal(x->score, 20);
    f.m.subject = (char *)(uintptr_t)"【三井住友 カー";
    x = run(&f, "lookalike.brand_subject");
    assert_non_null(x);
    assert_int_equal(x->score, 30);
    from(&f, "E T C マイレージサービス事務局", "member@paid-mail.jp");
    x = run(&f, "lookalike.brand_display");
    assert_non_null(x);
    from(&f, "JRおでかけネット", "jr-odekake.net@fusrhuv.cn");
    x = run(&f, "lookalike.brand_display");
    assert_non_null(x);
    from(&f, "Info", "jr-odekake.net@fusrhuv.cn");
    x = run(&f, "lookalike.brand_display");
    assert_non_null(x);
    assert_int_equal(x->score, 30);
    from(&f, "Support", "x@random.top");
    f.m.subject = (char *)(uintptr_t)"[jfs] kernel BUG at fs/jfs/xattr.c:LINE";
    assert_null(run(&f, NULL));
    from(&f, "楽天カード株式会社", "info@mail.rakuten-card.co.jp");
    assert_null(run(&f, NULL));
    fx_done(&f);
}

static void test_idn_mixed(void **state)
{
    (void)state;
    struct fx f = {0};
    fx_init(&f, no_own);
    from(&f, NULL, "x@example.org");
    /* "pаypal-login": a Cyrillic а inside, not a brand key. */
    link_to(&f, "xn--pypal-login-yij.com");
    const struct mail_reason *x = run(&f, NULL);
    assert_non_null(x);
    fx_done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_punycode),       cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_brand_lookalikes), cmocka_unit_test(test_brand_negatives),
        cmocka_unit_test(test_own_domain),     cmocka_unit_test(test_partners),
        cmocka_unit_test(test_brand_named),    cmocka_unit_test(test_idn_mixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

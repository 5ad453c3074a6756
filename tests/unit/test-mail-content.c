/* test-mail-content.c - links, forms, attachments (by their bytes), BEC and
 * credential wording, fake threads, and the threat-list check. Messages
 * are built by hand; attachments are small byte strings written here (a
 * ZIP with one entry, an OLE header with a _VBA_PROJECT name, a PE header). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"
#include "mail/mail.h"
#include "util/util.h"

#define S(x) ((char *)(uintptr_t)(x))

struct fx {
    struct mail_options opt;
    struct mail_ctx ctx;
    struct mail_msg m;
    struct mail_link links[8];
    struct mail_attachment att[4];
    struct mail_header hdr[4];
    struct mail_result r;
};

static void fx_init(struct fx *f)
{
    static const char *const none[] = {NULL};
    mail_result_free(&f->r);
    memset(f, 0, sizeof *f);
    f->opt.own_domains = none;
    f->ctx.opt = &f->opt;
    f->m.links = f->links;
    f->m.attachments = f->att;
    f->m.headers = f->hdr;
    f->m.date = INT64_MIN;
    f->m.from.display = S("Sender");
    f->m.from.addr = S("sender@example.co.jp");
    f->m.from.domain = S("example.co.jp");
}

static void add_link(struct fx *f, const char *href, const char *host, const char *text)
{
    struct mail_link *l = &f->links[f->m.nlinks++];
    l->href = S(href);
    l->host = S(host);
    l->text = S(text);
    l->in_html = text != NULL;
}

static void add_att(struct fx *f, const char *name, const char *mime, const void *data, size_t len)
{
    struct mail_attachment *a = &f->att[f->m.nattachments++];
    a->filename = S(name);
    a->magic_mime = S(mime);
    a->content_type = S("application/octet-stream");
    a->data = data;
    a->len = len;
}

static const struct mail_reason *find(struct fx *f, const char *id)
{
    for (size_t i = 0; i < f->r.nreasons; i++)
        if (!id || strcmp(f->r.reasons[i].id, id) == 0)
            return &f->r.reasons[i];
    return NULL;
}

typedef void (*check_fn)(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r);

/* Runs one check (mail-content.c's or mail-lure.c's) on a fresh result. */
static const struct mail_reason *run_with(struct fx *f, check_fn check, const char *id)
{
    mail_result_free(&f->r);
    memset(&f->r, 0, sizeof f->r);
    check(&f->m, &f->ctx, &f->r);
    return find(f, id);
}

static void expect_with(struct fx *f, check_fn check, const char *id, int score)
{
    const struct mail_reason *x = run_with(f, check, id);
    if (!x)
        fail_msg("expected %s", id);
    if (x->score != score)
        fail_msg("%s: score %d, expected %d (%s)", id, x->score, score, x->evidence);
}

static const struct mail_reason *run(struct fx *f, const char *id)
{
    return run_with(f, mail_check_content, id);
}

static void expect(struct fx *f, const char *id, int score)
{
    expect_with(f, mail_check_content, id, score);
}

static void expect_none(struct fx *f)
{
    const struct mail_reason *x = run(f, NULL);
    if (x)
        fail_msg("unexpected %s (%s)", x->id, x->evidence);
}

static void test_links(void **state)
{
    (void)state;
    struct fx f = {0};
    fx_init(&f);
    add_link(&f, "http://login-check.top/a", "login-check.top", "https://www.amazon.co.jp/gp/css/order");
    expect(&f, "content.link_mismatch", 60);
    fx_init(&f);
    add_link(&f, "http://login-check.top/a", "login-check.top", "www.shop-example.com");
    expect(&f, "content.link_mismatch", 30);
    /* The real thing, a newsletter through a click tracker, "click here". */
    fx_init(&f);
    add_link(&f, "https://www.amazon.co.jp/gp/css/order", "www.amazon.co.jp", "https://amazon.co.jp/");
    add_link(&f, "https://shop.us1.list-manage.com/track/click?u=1", "shop.us1.list-manage.com",
             "www.shop-example.com");
    add_link(&f, "https://evil.top/", "evil.top", "こちらをクリック");
    add_link(&f, "https://docs.example.org/v1.2", "docs.example.org", "version 1.2");
    add_link(&f, "https://lore.kernel.org/r/1", "lore.kernel.org", NULL);
    expect_none(&f);

    /* A newsletter through its own redirect domain, with List-Unsubscribe. */
    fx_init(&f);
    f.hdr[0].name = S("List-Unsubscribe");
    f.hdr[0].value = S("<https://r.news.example.com/unsub?u=1>");
    f.m.nheaders = 1;
    add_link(&f, "https://r.mailer-example.net/c/1", "r.mailer-example.net", "www.shop-example.com");
    add_link(&f, "https://r.mailer-example.net/c/2", "r.mailer-example.net", "Sale");
    add_link(&f, "https://r.mailer-example.net/c/3", "r.mailer-example.net", "Unsubscribe");
    expect_none(&f);
    f.m.nheaders = 0;
    expect(&f, "content.link_mismatch", 30);

    fx_init(&f);
    add_link(&f, "https://bit.ly/3abc", "bit.ly", NULL);
    expect(&f, "content.link_shortener", 10);
    fx_init(&f);
    add_link(&f, "http://45.12.3.4/login", "45.12.3.4", "ログイン");
    expect(&f, "content.link_ip", 30);
    fx_init(&f);
    add_link(&f, "http://192.168.1.1/", "192.168.1.1", NULL);
    add_link(&f, "http://127.0.0.1:8080/", "127.0.0.1", NULL);
    expect_none(&f);
    fx_init(&f);
    add_link(&f, "http://xn--wgv71a119e.jp/", "xn--wgv71a119e.jp", NULL);
    expect(&f, "content.link_idn", 10);
    fx_init(&f);
    add_link(&f, "javascript:alert(1)", NULL, "open");
    expect(&f, "content.link_script", 30);
    mail_result_free(&f.r);
}

static void test_forms(void **state)
{
    (void)state;
    struct fx f = {0};
    fx_init(&f);
    f.m.nforms = 1;
    f.m.html = S("<form action=\"https://x.top/p\"><input type=\"text\" name=\"id\"></form>");
    expect(&f, "content.form", 30);
    f.m.html = S("<form action=\"https://x.top/p\"><input type=password name=pw></form>");
    expect(&f, "content.form", 60);
    mail_result_free(&f.r);
}

/* A one-entry ZIP (stored), with the encryption flag if asked. */
static size_t make_zip(unsigned char *b, const char *name, bool encrypted)
{
    size_t nl = strlen(name), p = 0;
    memset(b, 0, 200);
    memcpy(b, "PK\3\4", 4);
    b[6] = encrypted;
    b[18] = 3;
    b[22] = 3;
    b[26] = (unsigned char)nl;
    memcpy(b + 30, name, nl);
    p = 30 + nl;
    memcpy(b + p, "abc", 3);
    p += 3;
    size_t cd = p;
    memcpy(b + p, "PK\1\2", 4);
    b[p + 8] = encrypted;
    b[p + 28] = (unsigned char)nl;
    memcpy(b + p + 46, name, nl);
    p += 46 + nl;
    memcpy(b + p, "PK\5\6", 4);
    b[p + 8] = 1;
    b[p + 10] = 1;
    b[p + 12] = (unsigned char)(p - cd);
    b[p + 16] = (unsigned char)cd;
    return p + 22;
}

static void test_attachments(void **state)
{
    (void)state;
    struct fx f = {0};
    static const char pdf[] = "%PDF-1.7\n1 0 obj\n";
    fx_init(&f);
    add_att(&f, "請求書_2024年6月.pdf", "application/pdf", pdf, sizeof pdf - 1);
    add_att(&f, "写真.jpg", "image/jpeg", "\xFF\xD8\xFF\xE0", 4);
    expect_none(&f);

    fx_init(&f);
    add_att(&f, "invoice.pdf.exe", "application/x-dosexec", "MZ", 2);
    expect(&f, "content.attach_double_ext", 60);
    fx_init(&f);
    add_att(&f, "scan.pdf          .js", "text/plain", "var a", 5);
    expect(&f, "content.attach_double_ext", 60);
    fx_init(&f);
    add_att(&f, "請求書\xE2\x80\xAE" "fdp.exe", NULL, "x", 1);
    expect(&f, "content.attach_double_ext", 60);

    const char *danger[] = {"document.lnk", "update.iso", "notes.one", "run.hta", "setup.msi", "a.PS1"};
    for (size_t i = 0; i < ARRAY_SIZE(danger); i++) {
        fx_init(&f);
        add_att(&f, danger[i], NULL, "x", 1);
        expect(&f, "content.attach_dangerous", 60);
    }
    fx_init(&f);
    add_att(&f, "payment.html", "text/html", "<html>", 6);
    expect(&f, "content.attach_html", 30);

    /* A PE program named as a PDF. */
    static unsigned char pe[128];
    memset(pe, 0, sizeof pe);
    pe[0] = 'M';
    pe[1] = 'Z';
    pe[60] = 64;
    memcpy(pe + 64, "PE\0\0", 4);
    fx_init(&f);
    add_att(&f, "見積書.pdf", "application/x-dosexec", pe, sizeof pe);
    expect(&f, "content.attach_mismatch", 60);

    /* Macros: by name, and by bytes (OOXML with vbaProject.bin, OLE with
     * the _VBA_PROJECT stream name). */
    fx_init(&f);
    add_att(&f, "売上.xlsm", NULL, "PK\3\4", 4);
    expect(&f, "content.attach_macro", 60);
    static unsigned char ooxml[256];
    size_t n = make_zip(ooxml, "xl/vbaProject.bin", false);
    fx_init(&f);
    add_att(&f, "report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ooxml, n);
    expect(&f, "content.attach_macro", 60);
    static unsigned char ole[600];
    memcpy(ole, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    memcpy(ole + 300, "_\0V\0B\0A\0_\0P\0R\0O\0J\0E\0C\0T\0", 24);
    fx_init(&f);
    add_att(&f, "order.doc", "application/msword", ole, sizeof ole);
    expect(&f, "content.attach_macro", 60);
    /* A plain .docx is fine. */
    n = make_zip(ooxml, "word/document.xml", false);
    fx_init(&f);
    add_att(&f, "契約書.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ooxml, n);
    expect_none(&f);
    mail_result_free(&f.r);
}

static void test_archives(void **state)
{
    (void)state;
    struct fx f = {0};
    static unsigned char zip[256];
    size_t n = make_zip(zip, "請求書.pdf", true);
    /* Emotet: a protected ZIP and its password in the text. */
    fx_init(&f);
    f.m.text = S("お世話になっております。\n請求書を送付します。\n解凍パスワード：Xk39pQ\nよろしくお願いいたします。");
    add_att(&f, "請求書.zip", "application/zip", zip, n);
    expect(&f, "content.attach_encrypted", 30);
    const struct mail_reason *x = find(&f, "content.attach_password_text");
    assert_non_null(x);
    assert_int_equal(x->score, 30);
    assert_non_null(strstr(x->evidence, "Xk39pQ"));
    /* English wording, password sent separately: only the archive. */
    fx_init(&f);
    f.m.text = S("Please find the files attached. The password will follow in a separate mail.");
    add_att(&f, "files.zip", "application/zip", zip, n);
    expect(&f, "content.attach_encrypted", 30);
    assert_null(find(&f, "content.attach_password_text"));
    /* An open ZIP with a script inside. */
    n = make_zip(zip, "invoice_0613.js", false);
    fx_init(&f);
    add_att(&f, "invoice.zip", "application/zip", zip, n);
    expect(&f, "content.archive_dangerous", 60);
    /* An open ZIP of PDFs. */
    n = make_zip(zip, "資料.pdf", false);
    fx_init(&f);
    add_att(&f, "資料.zip", "application/zip", zip, n);
    expect_none(&f);
    /* Truncated and hostile ZIPs do not crash. */
    for (size_t cut = 0; cut < n; cut += 7) {
        fx_init(&f);
        add_att(&f, "x.zip", "application/zip", zip, cut);
        run(&f, NULL);
    }
    /* A password-protected Office file (OLE with EncryptedPackage). */
    static unsigned char encdoc[600];
    memcpy(encdoc, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    memcpy(encdoc + 200, "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
    fx_init(&f);
    f.m.text = S("Password: 7781");
    add_att(&f, "invoice.docx", "application/encrypted", encdoc, sizeof encdoc);
    expect(&f, "content.attach_encrypted", 30);
    assert_non_null(find(&f, "content.attach_password_text"));
    /* RAR under a .gz name; a plain RAR; a kernel .config.gz is fine. */
    fx_init(&f);
    add_att(&f, "INV064-RFQ2025.gz", "application/x-rar", "Rar!\x1a\x07\x00", 7);
    expect(&f, "content.attach_mismatch", 30);
    fx_init(&f);
    add_att(&f, "Swift0309.rar", "application/x-rar", "Rar!\x1a\x07\x00", 7);
    expect(&f, "content.attach_archive", 10);
    fx_init(&f);
    add_att(&f, ".config.gz", "application/gzip", "\x1f\x8b\x08\x00", 4);
    expect_none(&f);
    /* 7z with an AES-encoded header. */
    static unsigned char sz[64];
    memset(sz, 0, sizeof sz);
    memcpy(sz, "7z\xBC\xAF\x27\x1C", 6);
    sz[12] = 0;  /* next header offset 0 */
    sz[20] = 16; /* size 16 */
    memcpy(sz + 32, "\x17\x06\x00\x00\x06\xF1\x07\x01", 8);
    fx_init(&f);
    f.m.text = S("PW: 4821aa");
    add_att(&f, "doc.7z", "application/x-7z-compressed", sz, 48);
    expect(&f, "content.attach_encrypted", 30);
    assert_non_null(find(&f, "content.attach_password_text"));
    mail_result_free(&f.r);
}

static void test_wording(void **state)
{
    (void)state;
    struct fx f = {0};
    fx_init(&f);
    f.m.subject = S("【至急】振込先変更のお知らせ");
    f.m.text = S("いつもお世話になっております。弊社の振込先口座が変更となりました。本日中に新しい口座へお振込みください。"
                 "この件は内密にお願いします。");
    expect(&f, "content.bec_account_change", 40);
    assert_non_null(find(&f, "content.bec_secrecy"));
    /* Urgency adds nothing once the wording total reached 60. */
    int total = 0;
    for (size_t i = 0; i < f.r.nreasons; i++)
        total += f.r.reasons[i].score;
    assert_int_equal(total, 60);

    fx_init(&f);
    f.m.subject = S("Your account has been suspended");
    f.m.html_text = S("We noticed unusual activity. Please verify your account within 24 hours to\nrestore access.");
    /* Without a link, form or HTML attachment there is nothing to lure to
     * (a bounce or a notice says the same words). */
    assert_null(run(&f, "content.credential_lure"));
    add_link(&f, "https://secure-check.example/login", "secure-check.example", "Verify now");
    const struct mail_reason *x = run(&f, "content.credential_lure");
    assert_non_null(x);
    assert_int_equal(x->score, 40);

    fx_init(&f);
    f.m.text = S("【Amazon】アカウントが停止されました。本人確認のためログインしてください。");
    add_link(&f, "https://amazon.co.jp.example.top/", "amazon.co.jp.example.top", NULL);
    expect(&f, "content.credential_lure", 40);

    /* Prizes and points: two phrases are a weak sign (20); the whole story
     * (congratulations, points, redeem, expiring) is a clear one (30). */
    fx_init(&f);
    f.m.subject = S("Parabéns");
    f.m.text = S("Troque por prêmios.");
    add_link(&f, "https://pontos.example.top/", "pontos.example.top", NULL);
    expect(&f, "content.prize_lure", 20);
    f.m.subject = S("Parabéns! Seus pontos vão vencer");
    f.m.text = S("Resgate seus pontos agora e troque por prêmios.");
    expect(&f, "content.prize_lure", 30);

    /* Developer mail: passwords and accounts are the topic, not a lure. */
    fx_init(&f);
    f.m.subject = S("Re: [PATCH v3] ecryptfs: fix password handling for the root account");
    f.m.in_reply_to = S("<20240101.abc@example.org>");
    f.m.text = S("On Mon, Jan 1, 2024 Jane <jane@example.org> wrote:\n> The password is read from the account's keyring.\n"
                 "> We should verify the key before use.\nLooks good. Reviewed-by: Bob\n"
                 "_______________________________________________\nlist mailing list\nhttps://lists.example.org/");
    expect_none(&f);
    /* A Japanese invoice from a supplier: one payment word is business. */
    fx_init(&f);
    f.m.subject = S("6月分請求書送付のご案内");
    f.m.text = S("いつもお世話になっております。6月分の請求書を添付にてお送りいたします。ご査収のほどよろしくお願いいたします。");
    expect_none(&f);
    mail_result_free(&f.r);
}

static void test_threads(void **state)
{
    (void)state;
    struct fx f = {0};
    fx_init(&f);
    f.m.from.display = S("Tanaka Ichiro");
    f.m.from.addr = S("tanaka@hacked-shop.com.br");
    f.m.from.domain = S("hacked-shop.com.br");
    f.m.subject = S("RE: 見積りの件");
    f.m.in_reply_to = S("<x@y>");
    f.m.text = S("ご確認ください。\n\nFrom: Tanaka Ichiro <tanaka@partner-kogyo.co.jp>\nSent: Monday\nTo: Sato\n"
                 "Subject: 見積りの件\n");
    expect(&f, "content.thread_hijack", 60);

    fx_init(&f);
    f.m.subject = S("Re: Payment");
    f.m.text = S("See attached.\n\n-----Original Message-----\nFrom: Accounts <ap@client.example>\nSent: Monday\n");
    expect(&f, "content.fake_thread", 10);

    /* A real reply quoting the other side. */
    fx_init(&f);
    f.m.subject = S("Re: 打ち合わせ日程");
    f.m.in_reply_to = S("<abc@partner.example>");
    f.m.text = S("承知しました。\n\n差出人: 佐藤 <sato@partner.example>\n> 来週火曜はいかがでしょうか。\n");
    expect_none(&f);
    mail_result_free(&f.r);
}

static void test_obfuscation(void **state)
{
    (void)state;
    struct fx f = {0};
    fx_init(&f);
    f.m.subject = S("【コ\xE2\x81\xA1インチェ\xEF\xB8\x89ック】アカウント停止"); /* U+2061, U+FE09 */
    expect(&f, "content.text_obfuscation", 30);
    fx_init(&f);
    f.m.subject = S("WlN the L\xD0\xB0t\xD0\xB5st S\xD0\xB0msung"); /* Cyrillic а, е */
    expect(&f, "content.text_obfuscation", 30);
    fx_init(&f);
    add_att(&f, "reviewdocument_0541293\xCD\x8F\xCD\x8F.pdf", "application/pdf", "%PDF", 4); /* U+034F */
    expect(&f, "content.text_obfuscation", 30);
    fx_init(&f);
    f.m.text = S("New St\xE2\x80\x8B" "a\xE2\x80\x8B" "tement: y\xD0\xBE" "ur acc\xD0\xBE" "unt is on hold, "
                 "ple\xD0\xB0" "se update");
    expect(&f, "content.text_obfuscation", 30);
    /* A newsletter preheader padded with zero-width non-joiners between
     * spaces, and one stray Cyrillic letter: not obfuscation. */
    fx_init(&f);
    f.m.html_text = S("Summer sale \xE2\x80\x8C \xE2\x80\x8C \xE2\x80\x8C \xE2\x80\x8C starts now. C\xD0\xB0" "fe opening.");
    expect_none(&f);
    fx_init(&f);
    f.m.from.addr = S("noreply@\xF0\x9D\x97\x98\xF0\x9D\x98\x82ropa-park.de"); /* 𝗘𝘂 */
    expect(&f, "content.text_obfuscation", 30);
    /* Russian, Japanese and emoji with a variation selector are fine. */
    fx_init(&f);
    f.m.subject = S("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 Linux \xE2\x9D\xA4\xEF\xB8\x8F 日本語");
    expect_none(&f);
    mail_result_free(&f.r);
}

static void test_bounce(void **state)
{
    (void)state;
    struct fx f = {0};
    fx_init(&f);
    f.hdr[0].name = S("Content-Type");
    f.hdr[0].value = S("multipart/report; report-type=delivery-status; boundary=x");
    f.m.nheaders = 1;
    f.m.from.addr = S("MAILER-DAEMON@mx.example.jp");
    f.m.subject = S("Undelivered Mail Returned to Sender");
    f.m.text = S("The mailbox is full. Your account has been suspended. 請求書 お支払い");
    expect_none(&f);
    mail_result_free(&f.r);
}

static void test_intel(void **state)
{
    (void)state;
    struct intel_db *db = intel_db_new();
    struct intel_load_opts o;
    intel_load_opts_default(&o);
    struct intel_load_result lr;
    char err[200];
    const char urls[] = "https://phish.example.top/login/amazon.php\nhttp://free-host.example/bad/page\n";
    o.format = INTEL_FMT_URL;
    assert_true(intel_db_add_list(db, "jpcert", urls, sizeof urls - 1, &o, &lr, err, sizeof err) >= 0);
    const char doms[] = "evil-sender.example\nbad-links.example\n";
    o.format = INTEL_FMT_DOMAIN;
    assert_true(intel_db_add_list(db, "doms", doms, sizeof doms - 1, &o, &lr, err, sizeof err) >= 0);

    struct fx f = {0};
    fx_init(&f);
    f.ctx.intel = db;
    add_link(&f, "https://phish.example.top/login/amazon.php", "phish.example.top", NULL);
    mail_check_intel(&f.m, &f.ctx, &f.r);
    assert_non_null(find(&f, "intel.url"));
    mail_result_free(&f.r);

    fx_init(&f);
    f.ctx.intel = db;
    f.m.from.domain = S("mx.evil-sender.example");
    add_link(&f, "https://www.bad-links.example/x", "www.bad-links.example", NULL);
    add_link(&f, "http://free-host.example/other", "free-host.example", NULL);
    add_link(&f, "https://www.amazon.co.jp/", "www.amazon.co.jp", NULL);
    mail_check_intel(&f.m, &f.ctx, &f.r);
    assert_non_null(find(&f, "intel.sender_domain"));
    assert_non_null(find(&f, "intel.link_domain"));
    const struct mail_reason *x = find(&f, "intel.link_host");
    assert_non_null(x);
    assert_int_equal(x->score, 30);
    assert_int_equal(f.r.nreasons, 3);
    mail_result_free(&f.r);

    /* Without --intel nothing happens. */
    fx_init(&f);
    add_link(&f, "https://phish.example.top/login/amazon.php", "phish.example.top", NULL);
    mail_check_intel(&f.m, &f.ctx, &f.r);
    assert_int_equal(f.r.nreasons, 0);
    intel_db_free(db);

    const char *e = NULL;
    assert_null(mail_intel_open("/nonexistent/intel-dir", &e));
    assert_non_null(e);
    mail_result_free(&f.r);
}


static const struct mail_reason *run_lure(struct fx *f, const char *id)
{
    return run_with(f, mail_check_lure, id);
}

static void expect_lure(struct fx *f, const char *id, int score)
{
    expect_with(f, mail_check_lure, id, score);
}

static void test_contact(void **state)
{
    (void)state;
    struct fx f = {0};
    /* 419 and romance: write to another free mail account. */
    fx_init(&f);
    f.m.text = S("I will send You my photo. Response me to fomichev.m@outlook.com , have a nice time");
    expect_lure(&f, "content.contact_freemail", 30);
    fx_init(&f);
    f.m.text = S("Para mais informações sobre sua doação, entre em contato com: bha7ce@gmail.com");
    expect_lure(&f, "content.contact_freemail", 30);
    /* The sender's own address in a signature, patch trailers, quoted
     * history, or an address nobody is asked to write to: nothing. */
    fx_init(&f);
    f.m.from.addr = S("taro.dev@gmail.com");
    f.m.from.domain = S("gmail.com");
    f.m.text = S("Thanks, please reply to me at taro.dev@gmail.com\n"
                 "Reported-by: Ann <ann.k@gmail.com>\n"
                 "On Mon, Bob <bob@gmail.com> wrote:\n> contact bob@gmail.com\n"
                 "The test account was created as tester@yahoo.com last week.");
    assert_null(run_lure(&f, "content.contact_freemail"));
    /* The sender's own private account: a name both addresses share. */
    fx_init(&f);
    f.m.from.display = S("Tanaka Hiroshi");
    f.m.from.addr = S("tanaka@example.co.jp");
    f.m.text = S("来週は出張のため、ご連絡は hiroshi.tanaka.home@gmail.com までお願いします。");
    assert_null(run_lure(&f, "content.contact_freemail"));
    /* Free mail to free mail, replies to yet another account. */
    fx_init(&f);
    f.m.from.addr = S("michael-w@mail.com");
    f.m.from.domain = S("mail.com");
    f.m.reply_to.addr = S("mikespende@gmail.com");
    f.m.reply_to.domain = S("gmail.com");
    expect_lure(&f, "content.contact_freemail", 30);
    /* Chat handles. */
    fx_init(&f);
    f.m.text = S("我们是做外贸获客营销系统的 QQ:787010974");
    expect_lure(&f, "content.contact_chat", 20);
    fx_init(&f);
    f.m.text = S("Telegram has released a new version; the QQ music app too.");
    assert_null(run_lure(&f, NULL));
    mail_result_free(&f.r);
}

static void test_lure_links(void **state)
{
    (void)state;
    struct fx f = {0};
    /* Pictures on a public image host, in the HTML. */
    fx_init(&f);
    f.m.html = S("<a href=\"http://x.example.eu.com/r.php\"><img src=\"https://i.imgur.com/x9jy1qu.png\"></a>");
    expect_lure(&f, "content.image_host", 20);
    fx_init(&f);
    f.m.text = S("See the screenshot at https://imgur.com/a/xyz for the panel.");
    f.m.html = S("");
    assert_null(run_lure(&f, "content.image_host"));

    /* A brand's own address, every link to somewhere else. */
    fx_init(&f);
    f.m.from.addr = S("information@ma.email.aeon.co.jp");
    f.m.from.domain = S("ma.email.aeon.co.jp");
    add_link(&f, "https://www-aeon-co-jp.rocknroll.example.com?v", "www-aeon-co-jp.rocknroll.example.com", NULL);
    expect_lure(&f, "content.brand_links_elsewhere", 30);
    add_link(&f, "https://www.aeon.co.jp/", "www.aeon.co.jp", NULL);
    assert_null(run_lure(&f, "content.brand_links_elsewhere"));
    /* Through a list that rewrote From: the author in Reply-To counts. */
    fx_init(&f);
    f.m.from.display = S("info via Dev");
    f.m.from.addr = S("dev@lists.example.org");
    f.m.from.domain = S("lists.example.org");
    f.m.reply_to.addr = S("info@amazon.co.jp");
    f.m.reply_to.domain = S("amazon.co.jp");
    f.hdr[0].name = S("List-Id");
    f.hdr[0].value = S("<dev.lists.example.org>");
    f.m.nheaders = 1;
    add_link(&f, "https://buibedkglsk.xyz/a", "buibedkglsk.xyz", "アカウントの更新");
    add_link(&f, "https://lists.example.org/listinfo/dev", "lists.example.org", NULL);
    expect_lure(&f, "content.brand_links_elsewhere", 30);

    /* A website's password mail with a lure as the user name. */
    fx_init(&f);
    add_link(&f, "https://shop.example.it/wp-login.php?action=rp&key=a1&login=www.x.blogspot.hr%20-%201.360%20BTC",
             "shop.example.it", NULL);
    expect_lure(&f, "content.signup_abuse", 30);
    fx_init(&f);
    add_link(&f, "https://shop.example.it/wp-login.php?action=rp&key=a1&login=mario.rossi", "shop.example.it", NULL);
    assert_null(run_lure(&f, "content.signup_abuse"));

    /* A link dressed as a file, to another domain. */
    fx_init(&f);
    add_link(&f, "https://www.clk.example.com/at/11pyph", "www.clk.example.com", "VER-PROCESSO-184782.pdf");
    expect_lure(&f, "content.link_fake_attachment", 30);
    fx_init(&f);
    add_link(&f, "https://files.example.net/d/1", "files.example.net", "Descargar todos archivos adjuntos");
    expect_lure(&f, "content.link_fake_attachment", 30);
    /* A file on a file-sharing service is how big files travel. */
    fx_init(&f);
    add_link(&f, "https://xgf.nu/AbCd", "xgf.nu", "図面一式.zip");
    assert_null(run_lure(&f, "content.link_fake_attachment"));
    /* The sender's own portal showing the invoice name is fine. */
    fx_init(&f);
    add_link(&f, "https://portal.example.co.jp/inv/1", "portal.example.co.jp", "invoice-2026-11.pdf");
    assert_null(run_lure(&f, "content.link_fake_attachment"));

    /* Free hosting: 20 in the mail, 30 as the link of an attached PDF. */
    fx_init(&f);
    add_link(&f, "https://login-check-7f3a.web.app/", "login-check-7f3a.web.app", NULL);
    expect_lure(&f, "content.link_hosting", 20);
    f.links[0].in_attachment = true;
    expect_lure(&f, "content.link_hosting", 30);
    fx_init(&f);
    add_link(&f, "https://torvalds.github.io/doc", "torvalds.github.io", NULL);
    add_link(&f, "https://storage.googleapis.com/bucket/x.tar.gz", "storage.googleapis.com", NULL);
    assert_null(run_lure(&f, "content.link_hosting"));

    /* An attachment named after the recipient. */
    fx_init(&f);
    struct mail_addr to = {NULL, S("keiri@example.co.jp"), S("example.co.jp")};
    f.m.to = &to;
    f.m.nto = 1;
    add_att(&f, "keiri@example.co.jp .pdf", "application/pdf", "%PDF-1.4", 8);
    expect_lure(&f, "content.attach_named_recipient", 20);
    f.att[0].filename = S("invoice.pdf");
    assert_null(run_lure(&f, "content.attach_named_recipient"));
    mail_result_free(&f.r);
}

static void test_lure_wording(void **state)
{
    (void)state;
    struct fx f = {0};
    fx_init(&f);
    f.m.text = S("Hola! I'm unmarried opportune chick. I want to meet you, I will send you my photo.");
    expect(&f, "content.dating_lure", 30);
    /* A renewal you did not order and a number to call. */
    fx_init(&f);
    f.m.text = S("Your membership has been renewed. Amount charged: $299.00. If you are unsure, "
                 "call our customer care to cancel your subscription for a refund: +1 802-203-6615.");
    expect(&f, "content.callback_lure", 30);
    /* The same words without a phone number: a real shop's receipt. */
    f.m.text = S("Your membership has been renewed. Amount charged: $299.00. To cancel your "
                 "subscription or ask for a refund, visit your account page.");
    assert_null(run(&f, "content.callback_lure"));
    /* Delivery in French, advance fee in Portuguese. */
    fx_init(&f);
    f.m.subject = S("Votre livraison n'a pas pu être effectuée");
    f.m.text = S("Notre première tentative de livraison n'a pas pu aboutir. Votre colis : en attente.");
    add_link(&f, "https://relais.example.com/x", "relais.example.com", "CHOISIR");
    expect(&f, "content.delivery_lure", 30);
    fx_init(&f);
    f.m.text = S("Seu endereço de e-mail foi selecionado para receber uma doação de dois milhões de dólares "
                 "americanos. Seu endereço foi selecionado para receber a herança.");
    const struct mail_reason *x = run(&f, "content.advance_fee");
    assert_non_null(x);
    assert_true(x->score >= 30);
    /* Marks of another alphabet on Latin letters in the sender name. */
    fx_init(&f);
    f.m.from.display = S("support@am\xdc\xbf" "azo\xdc\xbf" "n.com");
    expect(&f, "content.text_obfuscation", 30);
    f.m.from.display = S("Ren\xc3\xa9 Fran\xc3\xa7ois");
    assert_null(run(&f, "content.text_obfuscation"));
    mail_result_free(&f.r);
}


/* A stored (uncompressed) ZIP of one member, the shape of an OOXML part:
 * local header, data, central directory entry, end record. */
static size_t zipb(unsigned char *out, size_t cap, const char *name, const void *data, size_t dl)
{
    size_t nl = strlen(name), o = 0;
    assert_true(30 + nl + dl + 46 + nl + 22 <= cap);
    unsigned char lh[30] = {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0}; /* version, flags, method 0 */
    lh[18] = (unsigned char)dl; lh[19] = (unsigned char)(dl >> 8); /* compressed size */
    lh[22] = (unsigned char)dl; lh[23] = (unsigned char)(dl >> 8); /* uncompressed size */
    lh[26] = (unsigned char)nl;                                    /* name length */
    memcpy(out + o, lh, 30); o += 30;
    memcpy(out + o, name, nl); o += nl;
    memcpy(out + o, data, dl); o += dl;
    size_t cd = o;
    unsigned char ch[46] = {'P', 'K', 1, 2, 20, 0, 20, 0, 0, 0, 0, 0};
    ch[20] = (unsigned char)dl; ch[21] = (unsigned char)(dl >> 8); /* compressed size */
    ch[24] = (unsigned char)dl; ch[25] = (unsigned char)(dl >> 8); /* uncompressed size */
    ch[28] = (unsigned char)nl;                                    /* name length */
    /* local header offset 0 (bytes 42-45) */
    memcpy(out + o, ch, 46); o += 46;
    memcpy(out + o, name, nl); o += nl;
    unsigned char eocd[22] = {'P', 'K', 5, 6, 0, 0, 0, 0, 1, 0, 1, 0};
    size_t cl = o - cd;
    eocd[12] = (unsigned char)cl; eocd[13] = (unsigned char)(cl >> 8); /* directory size */
    eocd[16] = (unsigned char)cd; eocd[17] = (unsigned char)(cd >> 8); /* directory offset */
    memcpy(out + o, eocd, 22); o += 22;
    return o;
}

static size_t zip1(unsigned char *out, size_t cap, const char *name, const char *data)
{
    return zipb(out, cap, name, data, strlen(data));
}

/* Zip in zip: the program one level down is found; two levels down is past
 * what mamori opens. */
static void test_nested_zip(void **state)
{
    (void)state;
    struct fx f = {0};
    static unsigned char inner[256], outer[1024], outer2[2048];
    size_t ni = make_zip(inner, "invoice_1126.exe", false);
    size_t no = zipb(outer, sizeof outer, "documents.zip", inner, ni);
    fx_init(&f);
    add_att(&f, "invoice.zip", "application/zip", outer, no);
    const struct mail_reason *x = run(&f, "content.archive_dangerous");
    assert_non_null(x);
    assert_int_equal(x->score, 60);
    assert_non_null(strstr(x->evidence, "invoice_1126.exe"));
    /* An encrypted inner ZIP counts as a password-protected attachment. */
    ni = make_zip(inner, "scan.pdf", true);
    no = zipb(outer, sizeof outer, "scan.zip", inner, ni);
    fx_init(&f);
    add_att(&f, "scan.zip", "application/zip", outer, no);
    expect(&f, "content.attach_encrypted", 30);
    /* Three levels: not opened. */
    ni = make_zip(inner, "a.exe", false);
    no = zipb(outer, sizeof outer, "b.zip", inner, ni);
    size_t n2 = zipb(outer2, sizeof outer2, "c.zip", outer, no);
    fx_init(&f);
    add_att(&f, "d.zip", "application/zip", outer2, n2);
    assert_null(run(&f, "content.archive_dangerous"));
    /* Every truncation of a nested ZIP is harmless. */
    for (size_t cut = 0; cut < no; cut++) {
        fx_init(&f);
        add_att(&f, "x.zip", "application/zip", outer, cut);
        run(&f, NULL);
    }
    mail_result_free(&f.r);
}

static void test_office_remote(void **state)
{
    (void)state;
    struct fx f = {0};
    static unsigned char z[2048];
    fx_init(&f);
    size_t n = zip1(z, sizeof z, "word/_rels/settings.xml.rels",
                    "<Relationships xmlns=\"x\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
                    "officeDocument/2006/relationships/attachedTemplate\"\t\t\t\t TargetMode=\"External\" "
                    "Target=\"https://evil.example/t.dotm\"/></Relationships>");
    add_att(&f, "PO.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", z, n);
    expect(&f, "content.attach_remote_content", 60);
    /* A document whose only external relationship is a hyperlink. */
    fx_init(&f);
    n = zip1(z, sizeof z, "word/_rels/document.xml.rels",
             "<Relationships><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
             "2006/relationships/hyperlink\" Target=\"https://www.example.co.jp/\" TargetMode=\"External\"/>"
             "</Relationships>");
    add_att(&f, "report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", z, n);
    assert_null(run(&f, "content.attach_remote_content"));
    /* Truncated: every prefix must end cleanly (no reason, no crash). */
    for (size_t k = 0; k < n; k += 7) {
        fx_init(&f);
        add_att(&f, "cut.docx", "application/zip", z, k);
        run(&f, NULL);
    }
    mail_result_free(&f.r);
}

static void test_texts(void **state)
{
    (void)state;
    /* Every reason id the checks use has both languages. */
    const struct mail_reason_def *tables[] = {mail_texts_lookalike, mail_texts_content, mail_texts_intel,
                                              mail_texts_lure};
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct mail_reason_def *d = tables[t]; d->id; d++) {
            assert_non_null(d->en);
            assert_non_null(d->ja);
            assert_true(strlen(d->en) > 20);
            assert_true(strlen(d->ja) > 20);
        }
}

/* --- RAR 4 and 5, built here: names and the password flags --- */

static size_t rar4(unsigned char *b, const char *name, bool encrypted)
{
    size_t nl = strlen(name), o = 0;
    memcpy(b, "Rar!\x1a\x07\x00", 7), o = 7;
    static const unsigned char mainh[13] = {0, 0, 0x73, 0, 0, 13, 0};
    memcpy(b + o, mainh, 13), o += 13;
    size_t hs = 32 + nl;
    unsigned char fh[32] = {0, 0, 0x74, 0, 0x80, (unsigned char)hs, 0, 3, 0, 0, 0, 3};
    fh[3] = encrypted ? 0x04 : 0;
    fh[26] = (unsigned char)nl;
    memcpy(b + o, fh, 32), o += 32;
    memcpy(b + o, name, nl), o += nl;
    memcpy(b + o, "abc", 3), o += 3;
    static const unsigned char endh[7] = {0, 0, 0x7b, 0, 0x40, 7, 0};
    memcpy(b + o, endh, 7), o += 7;
    return o;
}

static size_t rar5(unsigned char *b, const char *name, bool encrypted, bool headers_encrypted)
{
    size_t nl = strlen(name), o = 0;
    memcpy(b, "Rar!\x1a\x07\x01\x00", 8), o = 8;
    static const unsigned char mainh[8] = {0, 0, 0, 0, 3, 1, 0, 0};
    memcpy(b + o, mainh, 8), o += 8;
    if (headers_encrypted) {
        static const unsigned char ench[7] = {0, 0, 0, 0, 2, 4, 0};
        memcpy(b + o, ench, 7);
        return o + 7;
    }
    unsigned char h[128];
    size_t k = 0;
    size_t extra = encrypted ? 4 : 0;
    h[k++] = 2;                      /* type: file */
    h[k++] = (unsigned char)(2 | (extra ? 1 : 0)); /* data area, extra area */
    if (extra)
        h[k++] = (unsigned char)extra;
    h[k++] = 3;                      /* data size */
    h[k++] = 0;                      /* file flags */
    h[k++] = 3;                      /* unpacked size */
    h[k++] = 0x20;                   /* attributes */
    h[k++] = 0;                      /* compression */
    h[k++] = 0;                      /* host OS */
    h[k++] = (unsigned char)nl;
    memcpy(h + k, name, nl), k += nl;
    if (extra) {                     /* record: size 3, type 1 (encryption), 2 bytes */
        h[k++] = 3;
        h[k++] = 1;
        h[k++] = 0;
        h[k++] = 0;
    }
    memset(b + o, 0, 4), o += 4;     /* CRC */
    b[o++] = (unsigned char)k;
    memcpy(b + o, h, k), o += k;
    memcpy(b + o, "abc", 3), o += 3;
    static const unsigned char endh[8] = {0, 0, 0, 0, 3, 5, 0, 0};
    memcpy(b + o, endh, 8), o += 8;
    return o;
}

static void test_rar(void **state)
{
    (void)state;
    struct fx f = {0};
    static unsigned char r[512];
    size_t n = rar4(r, "invoice.exe", false);
    fx_init(&f);
    add_att(&f, "invoice.rar", "application/x-rar", r, n);
    const struct mail_reason *x = run(&f, "content.archive_dangerous");
    assert_non_null(x);
    assert_non_null(strstr(x->evidence, "invoice.exe"));
    n = rar4(r, "scan.pdf", true);
    fx_init(&f);
    f.m.text = S("添付の RAR を開くパスワード：Kz82hQ");
    add_att(&f, "scan.rar", "application/x-rar", r, n);
    expect(&f, "content.attach_encrypted", 30);
    assert_non_null(find(&f, "content.attach_password_text"));
    n = rar5(r, "請求書.js", false, false);
    fx_init(&f);
    add_att(&f, "請求書.rar", "application/x-rar", r, n);
    assert_non_null(run(&f, "content.archive_dangerous"));
    n = rar5(r, "scan.pdf", true, false);
    fx_init(&f);
    add_att(&f, "scan.rar", "application/x-rar", r, n);
    expect(&f, "content.attach_encrypted", 30);
    n = rar5(r, "x", false, true);
    fx_init(&f);
    add_att(&f, "scan.rar", "application/x-rar", r, n);
    expect(&f, "content.attach_encrypted", 30);
    /* A plain RAR of documents: only the mild "RAR attachment" note. */
    n = rar5(r, "資料.pdf", false, false);
    fx_init(&f);
    add_att(&f, "資料.rar", "application/x-rar", r, n);
    assert_null(run(&f, "content.archive_dangerous"));
    assert_null(find(&f, "content.attach_encrypted"));
    /* Truncations and a lying length. */
    n = rar5(r, "請求書.js", true, false);
    for (size_t cut = 0; cut < n; cut++) {
        fx_init(&f);
        add_att(&f, "x.rar", "application/x-rar", r, cut);
        run(&f, NULL);
    }
    struct mail_rar_info ri;
    r[8 + 8 + 4] = 0xff; /* header size vint that never ends within the buffer */
    assert_true(mail_rar_inspect(r, n, &ri, NULL, NULL)); /* RAR, but read no further */
    assert_false(mail_rar_inspect((const unsigned char *)"Rar!\x1a\x07\x02", 8, &ri, NULL, NULL));
    mail_result_free(&f.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_links),    cmocka_unit_test(test_forms),   cmocka_unit_test(test_attachments),
        cmocka_unit_test(test_archives), cmocka_unit_test(test_wording), cmocka_unit_test(test_threads),
        cmocka_unit_test(test_bounce),   cmocka_unit_test(test_obfuscation),   cmocka_unit_test(test_intel),   cmocka_unit_test(test_texts),
        cmocka_unit_test(test_contact),  cmocka_unit_test(test_lure_links), cmocka_unit_test(test_lure_wording),
        cmocka_unit_test(test_office_remote),
        cmocka_unit_test(test_nested_zip),
        cmocka_unit_test(test_rar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

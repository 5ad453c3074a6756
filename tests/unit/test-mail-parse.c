/* test-mail-parse.c - bytes to struct mail_msg: Japanese charsets in
 * headers and bodies (declared, undeclared, mislabelled, unknown), HTML
 * text and links, attached and reported mails, mbox, and hostile input
 * (deep nesting, huge headers, garbage) that must end in bounded time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "mail/mail.h"
#include "util/strbuf.h"
#undef MIN
#undef MAX
#include "util/util.h"

static struct mail_msg *parse(const char *s)
{
    const char *err = NULL;
    struct mail_msg *m = mail_parse(s, strlen(s), NULL, &err);
    assert_non_null(m);
    return m;
}

static void test_iso2022jp(void **state)
{
    (void)state;
    /* Subject: "テスト" as an RFC 2047 B word in ISO-2022-JP; body
     * "こんにちは、お世話になっております。" in ISO-2022-JP 7bit. */
    const char *s = "From: =?ISO-2022-JP?B?GyRCRWw1fhsoQg==?= <taro@example.co.jp>\r\n"
                    "To: hanako@example.jp\r\n"
                    "Subject: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\r\n"
                    "Date: Thu, 26 Nov 2026 09:00:00 +0900\r\n"
                    "Message-ID: <1@example.co.jp>\r\n"
                    "MIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
                    "\r\n"
                    "\x1b$B$3$s$K$A$O!\"$*@$OC$K$J$C$F$*$j$^$9!#\x1b(B\r\n";
    struct mail_msg *m = parse(s);
    assert_string_equal(m->subject, "テスト");
    assert_string_equal(m->from.display, "東京");
    assert_string_equal(m->from.addr, "taro@example.co.jp");
    assert_string_equal(m->from.domain, "example.co.jp");
    assert_non_null(strstr(m->text, "お世話になっております"));
    assert_string_equal(m->lang, "ja");
    assert_string_equal(m->message_id, "1@example.co.jp");
    assert_true(m->date != INT64_MIN);
    mail_msg_free(m);
}

static void test_sjis_and_unknown_charset(void **state)
{
    (void)state;
    /* "ご確認ください" in Shift_JIS, then the same bytes declared as a charset
     * that does not exist: decoded by guessing, never an error. */
    const char *body = "\x82\xb2\x8a\x6d\x94\x46\x82\xad\x82\xbe\x82\xb3\x82\xa2";
    const char *cs[] = {"Shift_JIS", "x-no-such-charset", "GB2312"};
    for (size_t i = 0; i < ARRAY_SIZE(cs); i++) {
        struct strbuf sb = STRBUF_INIT;
        sb_printf(&sb, "From: a@example.jp\nSubject: x\nContent-Type: text/plain; charset=%s\n\n%s "
                       "%s %s\n", cs[i], body, body, body);
        struct mail_msg *m = parse(sb.s);
        if (i < 2)
            assert_non_null(strstr(m->text, "ご確認ください"));
        assert_true(g_utf8_validate(m->text, -1, NULL));
        mail_msg_free(m);
        sb_free(&sb);
    }
}

static void test_undeclared_8bit_header(void **state)
{
    (void)state;
    /* Raw UTF-8 and raw Shift_JIS in Subject without RFC 2047. */
    struct mail_msg *m = parse("From: a@example.jp\nSubject: 請求書のご案内\n\nx\n");
    assert_string_equal(m->subject, "請求書のご案内");
    mail_msg_free(m);
    m = parse("From: a@example.jp\nSubject: \x90\xbf\x8b\x81\x8f\x91\n\nx\n");
    assert_string_equal(m->subject, "請求書");
    mail_msg_free(m);
}

static void test_html_links(void **state)
{
    (void)state;
    const char *s =
        "From: Bank <info@bank.example>\n"
        "Subject: hello\n"
        "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
        "--b1\nContent-Type: text/plain\n\nSee https://www.bank.example/login. or www.other.example\n"
        "--b1\nContent-Type: text/html; charset=utf-8\n\n"
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<p>Dear&nbsp;customer &amp; friend</p><script>var a='<a href=x>';</script>"
        "<a href=\"https://evil.example/x?a=1&amp;b=2\">https://www.bank.example/</a>"
        "<a href='http://User@Host.Example:8080/p'><img alt=\"Log in\"></a>"
        "<!-- <a href=\"https://hidden.example\">x</a> -->"
        "<form action=\"https://evil.example/post\"><input type=password></form>"
        "&#x65E5;&#26412;</body></html>\n"
        "--b1--\n";
    struct mail_msg *m = parse(s);
    assert_non_null(strstr(m->html_text, "Dear\xc2\xa0" "customer & friend"));
    assert_null(strstr(m->html_text, "var a"));
    assert_non_null(strstr(m->html_text, "日本"));
    assert_int_equal(m->nforms, 1);
    /* two HTML links, then two plain-text ones */
    assert_int_equal(m->nlinks, 4);
    assert_string_equal(m->links[0].href, "https://evil.example/x?a=1&b=2");
    assert_string_equal(m->links[0].host, "evil.example");
    assert_string_equal(m->links[0].text, "https://www.bank.example/");
    assert_true(m->links[0].in_html);
    assert_string_equal(m->links[1].host, "host.example");
    assert_string_equal(m->links[1].text, "Log in");
    assert_string_equal(m->links[2].href, "https://www.bank.example/login");
    assert_null(m->links[2].text);
    assert_string_equal(m->links[3].host, "www.other.example");
    mail_msg_free(m);
}

static void test_attached_messages(void **state)
{
    (void)state;
    /* A report: the user's note, the phishing mail as message/rfc822, and
     * the same mail saved as a .eml file (application/octet-stream). */
    const char *inner = "From: \"Amazon\" <support@amaz0n-jp.example>\n"
                        "Subject: =?UTF-8?B?44Ki44Kr44Km44Oz44OI?=\n\nVerify now\n";
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb,
              "From: staff@example.co.jp\nSubject: Fwd: is this real?\n"
              "Content-Type: multipart/mixed; boundary=zz\n\n"
              "--zz\nContent-Type: text/plain\n\nplease check\n"
              "--zz\nContent-Type: message/rfc822\n\n%s\n"
              "--zz\nContent-Type: application/octet-stream; name=\"report.eml\"\n"
              "Content-Disposition: attachment; filename=\"report.eml\"\n\n%s\n"
              "--zz--\n",
              inner, inner);
    struct mail_msg *m = parse(sb.s);
    assert_int_equal(m->ninner, 2);
    assert_int_equal(m->nattachments, 2);
    assert_true(m->attachments[0].is_message);
    assert_true(m->attachments[1].is_message);
    assert_string_equal(m->attachments[1].filename, "report.eml");
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(m->inner[i]->from.domain, "amaz0n-jp.example");
        assert_string_equal(m->inner[i]->subject, "アカウント");
    }
    mail_msg_free(m);
    sb_free(&sb);
}

static int count_cb(void *arg, struct mail_msg *m, size_t index)
{
    size_t *n = arg;
    assert_int_equal(index, *n);
    assert_non_null(m->subject);
    (*n)++;
    return 0;
}

static void test_mbox(void **state)
{
    (void)state;
    const char *s = "From a@example.jp Thu Nov 26 09:00:00 2026\n"
                    "From: a@example.jp\nSubject: one\n\nbody\n>From quoted\n\n"
                    "From b@example.jp Thu Nov 26 09:01:00 2026\n"
                    "From: b@example.jp\nSubject: two\n\nbody\n\n"
                    "From c@example.jp Thu Nov 26 09:02:00 2026\n"
                    "From: c@example.jp\nSubject: three\n\nbody\n";
    size_t n = 0;
    const char *err = NULL;
    assert_int_equal(mail_parse_each(s, strlen(s), NULL, count_cb, &n, &err), 0);
    assert_int_equal(n, 3);
}

static void test_received(void **state)
{
    (void)state;
    struct mail_msg *m = parse(
        "Received: from mx.example.jp (mx.example.jp [192.0.2.10])\n"
        "\tby mail.example.co.jp (Postfix) with ESMTPS id 1; Thu, 26 Nov 2026 09:00:05 +0900\n"
        "Received: from [10.0.0.5] (unknown [203.0.113.7]) by mx.example.jp; Thu, 26 Nov 2026 "
        "09:00:01 +0900\n"
        "From: a@example.jp\nSubject: x\n\nbody\n");
    assert_int_equal(m->nreceived, 2);
    assert_string_equal(m->received[0].from_host, "mx.example.jp");
    assert_string_equal(m->received[0].from_ip, "192.0.2.10");
    assert_string_equal(m->received[0].by_host, "mail.example.co.jp");
    assert_int_equal(m->received[0].ts, 1795651205);
    assert_string_equal(m->received[1].from_ip, "10.0.0.5");
    mail_msg_free(m);
}

static void test_not_a_message(void **state)
{
    (void)state;
    const char *err = NULL;
    const char garbage[] = "\x00\x01\x02\xff\xfe binary \x7f";
    assert_null(mail_parse(garbage, sizeof(garbage), NULL, &err));
    assert_non_null(err);
    assert_null(mail_parse("", 0, NULL, &err));
    assert_null(mail_parse("just a line of text\n", 20, NULL, &err));
}

/* 10,000 nested multiparts: GMime's parser recurses per level, so the
 * input is cut before it can; the verdict still comes. */
static void test_deep_nesting(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "From: a@example.jp\nSubject: deep\n");
    for (int i = 0; i < 10000; i++)
        sb_printf(&sb, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
    sb_puts(&sb, "Content-Type: text/plain\n\nx\n");
    struct mail_msg *m = parse(sb.s);
    assert_true(m->truncated);
    assert_true(m->nparts <= MAIL_MAX_PARTS);
    mail_msg_free(m);
    sb_free(&sb);
}

static void test_huge_header_and_many_parts(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "From: a@example.jp\nSubject: ");
    for (int i = 0; i < 10 * 1024 * 1024 / 64; i++)
        sb_puts(&sb, "0123456789012345678901234567890123456789012345678901234567890 \n ");
    sb_puts(&sb, "end\nContent-Type: multipart/mixed; boundary=q\n\n");
    for (int i = 0; i < 3000; i++)
        sb_puts(&sb, "--q\n\nhttps://link.example/a\n");
    sb_puts(&sb, "--q--\n");
    struct mail_msg *m = parse(sb.s);
    assert_non_null(m->subject);
    assert_true(m->nlinks <= MAIL_MAX_LINKS);
    assert_true(m->nparts <= MAIL_MAX_PARTS);
    mail_msg_free(m);
    sb_free(&sb);
}

static void test_broken_mime(void **state)
{
    (void)state;
    /* boundary never appears, bad base64, a part without headers */
    const char *s = "From: a@example.jp\nSubject: x\nContent-Type: multipart/mixed; boundary=nope\n"
                    "\nno parts here\n";
    struct mail_msg *m = parse(s);
    mail_msg_free(m);
    s = "From: a@example.jp\nSubject: x\nContent-Type: text/plain; charset=\"utf-8\n"
        "Content-Transfer-Encoding: base64\n\n!!!!not base64@@@@\n";
    m = parse(s);
    assert_true(g_utf8_validate(m->text, -1, NULL));
    mail_msg_free(m);
}

/* A UTF-8 byte order mark before the first header (Windows editors), and
 * 40 levels of message/rfc822: cut at MAIL_MAX_DEPTH, no error. */
static void test_bom_and_nested_messages(void **state)
{
    (void)state;
    struct mail_msg *m = parse("\xEF\xBB\xBF" "From: a@example.jp\nSubject: bom\n\nhi\n");
    assert_string_equal(m->subject, "bom");
    mail_msg_free(m);
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 40; i++)
        sb_printf(&sb, "From: l%d@example.jp\nSubject: level %d\nContent-Type: message/rfc822\n\n",
                  i, i);
    sb_puts(&sb, "From: last@example.jp\nSubject: last\n\nbody\n");
    m = parse(sb.s);
    int depth = 0;
    for (const struct mail_msg *x = m; x->ninner; x = x->inner[0])
        depth++;
    assert_true(depth > 0 && depth < MAIL_MAX_DEPTH);
    assert_true(m->truncated);
    mail_msg_free(m);
    sb_free(&sb);
}


static void test_inline_forward(void **state)
{
    (void)state;
    /* A phishing mail forwarded in the text ("Fw:", Portuguese Outlook
     * labels, a name RFC 5322 would want quoted): rebuilt as an inner
     * message with the quoted sender, recipient, subject and text. */
    const char *s = "From: Rodrigo <rodrigo@example.com.br>\r\n"
                    "To: ti@example.com.br\r\n"
                    "Subject: Fw: Resgate Pendente\r\n"
                    "Date: Thu, 26 Nov 2026 09:00:00 +0900\r\n"
                    "Message-ID: <fw1@example.com.br>\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n"
                    "\r\n"
                    "Enviado do meu iPhone\r\n"
                    "________________________________\r\n"
                    "De: [BB/Cart\xc3\xb5" "es] Contrato-0939915678519943532 <ambrose.j2317@gmail.com>\r\n"
                    "Enviado: s\xc3\xa1" "bado, 16 de dezembro de 2023 16:52\r\n"
                    "Para: rodrigo@example.com.br\r\n"
                    "Assunto: Resgate Pendente-KyUc64SxDq\r\n"
                    "\r\n"
                    "Resgate os pontos acumulados: https://pontos.example.top/r\r\n";
    struct mail_msg *m = parse(s);
    assert_int_equal(m->ninner, 1);
    const struct mail_msg *in = m->inner[0];
    assert_true(in->quoted);
    assert_string_equal(in->from.addr, "ambrose.j2317@gmail.com");
    assert_string_equal(in->from.display, "[BB/Cart\xc3\xb5" "es] Contrato-0939915678519943532");
    assert_string_equal(in->subject, "Resgate Pendente-KyUc64SxDq");
    assert_int_equal(in->nto, 1);
    assert_non_null(strstr(in->text, "Resgate os pontos"));
    assert_true(in->nlinks >= 1);
    mail_msg_free(m);

    /* Outlook's "[mailto:...]" and English labels, no "Fw:" prefix but the
     * block at the very top. */
    s = "From: a@example.org\r\nSubject: look at this\r\n\r\n"
        "From: Support [mailto:support@evil.example]\r\nSent: Monday\r\nTo: a@example.org\r\n"
        "Subject: Verify your account\r\n\r\nClick here.\r\n";
    m = parse(s);
    assert_int_equal(m->ninner, 1);
    assert_string_equal(m->inner[0]->from.addr, "support@evil.example");
    mail_msg_free(m);

    /* Thunderbird writes Subject and Date above From, in Japanese too. */
    s = "From: a@example.co.jp\r\nSubject: =?UTF-8?B?6Lui6YCBOiDjgYrlj5fjgZHlj5bjgorjga7jgYrnn6XjgonjgZs=?=\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "-------- \xe8\xbb\xa2\xe9\x80\x81\xe3\x83\xa1\xe3\x83\x83\xe3\x82\xbb\xe3\x83\xbc\xe3\x82\xb8 --------\r\n"
        "\xe4\xbb\xb6\xe5\x90\x8d: Delivery failed\r\n"   /* 件名: */
        "\xe6\x97\xa5\xe4\xbb\x98: Thu, 26 Nov 2026\r\n"  /* 日付: */
        "\xe5\xb7\xae\xe5\x87\xba\xe4\xba\xba: Parcel <info@parcel.example.top>\r\n" /* 差出人: */
        "\xe5\xae\x9b\xe5\x85\x88: a@example.co.jp\r\n\r\n"  /* 宛先: */
        "Pay the customs fee.\r\n";
    m = parse(s);
    assert_int_equal(m->ninner, 1);
    assert_string_equal(m->inner[0]->from.addr, "info@parcel.example.top");
    assert_string_equal(m->inner[0]->subject, "Delivery failed");
    assert_non_null(strstr(m->inner[0]->text, "customs fee"));
    assert_null(strstr(m->inner[0]->text, "example.co.jp"));
    mail_msg_free(m);

    /* An ordinary reply: own text first, the quoted history below is the
     * conversation, not a forward to judge. */
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "From: a@example.org\r\nSubject: Re: plan\r\n\r\n");
    for (int i = 0; i < 10; i++)
        sb_puts(&sb, "Thanks, the plan looks good to me and I will send the numbers tomorrow.\r\n");
    sb_puts(&sb, "From: b@example.org\r\nSent: Monday\r\nSubject: plan\r\n\r\nHere is the plan.\r\n");
    m = parse(sb_str(&sb));
    assert_int_equal(m->ninner, 0);
    mail_msg_free(m);
    sb_free(&sb);

    /* Hostile: a forward of a forward of ... stops at the depth limit. */
    sb_puts(&sb, "From: a@example.org\r\nSubject: Fw: x\r\n\r\n");
    for (int i = 0; i < 200; i++)
        sb_puts(&sb, "From: b@example.org\r\nSubject: Fw: x\r\n");
    m = parse(sb_str(&sb));
    assert_true(m->ninner <= 1);
    mail_msg_free(m);
    sb_free(&sb);
    assert_null(mail_forward_extract("Fw: x", "De: no address here\nAssunto: y\n", &(size_t){0}));
}


static void test_pdf_links(void **state)
{
    (void)state;
    /* A one-page PDF whose link annotation is the whole point, base64:
     * "%PDF-1.4 ... /A << /S /URI /URI (https://bbcard-1.example.web.app/a\)b) >> ..." */
    const char *pdf = "%PDF-1.4\n1 0 obj << /Type /Annot /Subtype /Link /A << /S /URI "
                      "/URI (https://bbcard-1.example.web.app/a\\)b) >> >> endobj\n"
                      "2 0 obj << /URI (mailto:x@example.org) >> endobj\n"
                      "3 0 obj << /URI (https://unterminated.example/";
    gchar *b64 = g_base64_encode((const guchar *)pdf, strlen(pdf));
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "From: a@example.org\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
                 "Content-Type: text/plain\r\n\r\nSee the attachment.\r\n--B\r\n"
                 "Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    sb_puts(&sb, b64);
    sb_puts(&sb, "\r\n--B--\r\n");
    g_free(b64);
    struct mail_msg *m = parse(sb_str(&sb));
    sb_free(&sb);
    assert_int_equal(m->nlinks, 1);
    assert_string_equal(m->links[0].href, "https://bbcard-1.example.web.app/a)b");
    assert_string_equal(m->links[0].host, "bbcard-1.example.web.app");
    assert_true(m->links[0].in_attachment);
    mail_msg_free(m);
}

/* --- TNEF (winmail.dat) --- */

static void put_le(unsigned char *p, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Appends one TNEF attribute (level, id, data, checksum). */
static size_t tnef_attr(unsigned char *out, size_t at, uint8_t level, uint32_t id,
                        const void *data, uint32_t n)
{
    out[at] = level;
    put_le(out + at + 1, id, 4);
    put_le(out + at + 5, n, 4);
    memcpy(out + at + 9, data, n);
    unsigned sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum += ((const unsigned char *)data)[i];
    put_le(out + at + 9 + n, sum & 0xffff, 2);
    return at + 11 + n;
}

struct tnef_seen {
    char names[4][64];
    size_t lens[4];
    size_t n;
};

static void tnef_cb(void *arg, const char *name, const unsigned char *data, size_t len)
{
    struct tnef_seen *t = arg;
    (void)data;
    if (t->n < 4) {
        snprintf(t->names[t->n], sizeof(t->names[0]), "%s", name ? name : "(none)");
        t->lens[t->n] = len;
    }
    t->n++;
}

static size_t make_tnef(unsigned char *b)
{
    size_t at = 6;
    put_le(b, 0x223E9F78u, 4);
    put_le(b + 4, 0x1234, 2);
    at = tnef_attr(b, at, 1, 0x00089006u, "\0\0\1\0", 4);
    static const unsigned char rend[14] = {1, 0, 0xff, 0xff, 0xff, 0xff};
    at = tnef_attr(b, at, 2, 0x00069002u, rend, sizeof(rend));
    at = tnef_attr(b, at, 2, 0x00018010u, "SHORT~1.EXE", 12);
    at = tnef_attr(b, at, 2, 0x0006800Fu, "MZ-program", 10);
    /* MAPI props: one PT_UNICODE PR_ATTACH_LONG_FILENAME "long name.exe" */
    unsigned char props[64];
    size_t p = 0;
    put_le(props, 1, 4), p += 4;
    put_le(props + p, 0x001F, 2), p += 2;
    put_le(props + p, 0x3707, 2), p += 2;
    put_le(props + p, 1, 4), p += 4;
    const char *ln = "long name.exe";
    uint32_t ul = (uint32_t)(strlen(ln) + 1) * 2;
    put_le(props + p, ul, 4), p += 4;
    for (size_t i = 0; i <= strlen(ln); i++) {
        props[p++] = (unsigned char)ln[i];
        props[p++] = 0;
    }
    while (p % 4)
        props[p++] = 0;
    at = tnef_attr(b, at, 2, 0x00069005u, props, (uint32_t)p);
    at = tnef_attr(b, at, 2, 0x00069002u, rend, sizeof(rend));
    at = tnef_attr(b, at, 2, 0x00018010u, "note.txt", 9);
    at = tnef_attr(b, at, 2, 0x0006800Fu, "hello", 5);
    return at;
}

static void test_tnef(void **state)
{
    (void)state;
    unsigned char b[512];
    size_t n = make_tnef(b);
    struct tnef_seen t = {0};
    assert_int_equal(mail_tnef_files(b, n, tnef_cb, &t), 2);
    assert_string_equal(t.names[0], "long name.exe");
    assert_int_equal(t.lens[0], 10);
    assert_string_equal(t.names[1], "note.txt");
    assert_int_equal(t.lens[1], 5);
    /* Not TNEF, and every truncation: bounded, never more than was there. */
    struct tnef_seen z = {0};
    assert_true(mail_tnef_files((const unsigned char *)"hello, world", 12, tnef_cb, &z) ==
                MAIL_TNEF_NOT);
    for (size_t cut = 0; cut < n; cut++) {
        unsigned char *c = malloc(cut ? cut : 1);
        memcpy(c, b, cut);
        struct tnef_seen u = {0};
        size_t got = mail_tnef_files(c, cut, tnef_cb, &u);
        assert_true(got == MAIL_TNEF_NOT || got <= 2);
        free(c);
    }
    /* A length that points past the end is not followed. */
    unsigned char bad[512];
    memcpy(bad, b, n);
    put_le(bad + 6 + 5, 0xfffffff0u, 4);
    struct tnef_seen v = {0};
    assert_int_equal(mail_tnef_files(bad, n, tnef_cb, &v), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso2022jp),
        cmocka_unit_test(test_sjis_and_unknown_charset),
        cmocka_unit_test(test_undeclared_8bit_header),
        cmocka_unit_test(test_html_links),
        cmocka_unit_test(test_attached_messages),
        cmocka_unit_test(test_inline_forward),
        cmocka_unit_test(test_pdf_links),
        cmocka_unit_test(test_mbox),
        cmocka_unit_test(test_received),
        cmocka_unit_test(test_not_a_message),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge_header_and_many_parts),
        cmocka_unit_test(test_broken_mime),
        cmocka_unit_test(test_bom_and_nested_messages),
        cmocka_unit_test(test_tnef),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

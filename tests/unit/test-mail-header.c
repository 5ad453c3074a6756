/* test-mail-header.c - the header checks: each rule fires on the case it
 * describes and stays quiet on its honest look-alike (a mailing list's
 * Reply-To, an ESP's Return-Path, a real reply). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/mail.h"
#include "util/util.h"

static const char *const own[] = {"example.co.jp", NULL};
static const char *const trusted[] = {"mx.example.co.jp", NULL};

/* Score of reason id after running the header checks on s (-1: absent). */
static int hdr_score(const char *s, const struct mail_options *opt, const char *id)
{
    const char *err = NULL;
    struct mail_msg *m = mail_parse(s, strlen(s), NULL, &err);
    assert_non_null(m);
    struct mail_ctx ctx = {.opt = opt};
    struct mail_result r = {0};
    mail_check_headers(m, &ctx, &r);
    int score = -1;
    for (size_t i = 0; i < r.nreasons; i++) {
        assert_non_null(r.reasons[i].evidence);
        assert_string_not_equal(mail_reason_text(r.reasons[i].id), r.reasons[i].id);
        if (strcmp(r.reasons[i].id, id) == 0)
            score = r.reasons[i].score;
    }
    mail_result_free(&r);
    mail_msg_free(m);
    return score;
}

static void test_reply_to(void **state)
{
    (void)state;
    assert_int_equal(hdr_score("From: Keiri <keiri@torihiki.example.co.jp>\nReply-To: "
                               "x@gmail.com\nSubject: s\n\nb\n", NULL, "header.reply_to_freemail"),
                     30);
    assert_int_equal(hdr_score("From: a@news.example.org\nReply-To: b@other.example\nSubject: "
                               "s\n\nb\n", NULL, "header.reply_to_mismatch"), 10);
    /* same organisation, another host */
    assert_int_equal(hdr_score("From: a@news.example.co.jp\nReply-To: b@support.example.co.jp\n"
                               "Subject: s\n\nb\n", NULL, "header.reply_to_mismatch"), -1);
    /* a list that rewrote From to its posting address */
    assert_int_equal(hdr_score("From: Ann via dev <dev@lists.example.org>\nReply-To: "
                               "ann@gmail.com\nList-Post: <mailto:dev@lists.example.org>\n"
                               "Subject: s\n\nb\n", NULL, "header.reply_to_freemail"), -1);
}

static void test_display_name(void **state)
{
    (void)state;
    assert_int_equal(hdr_score("From: \"support@bank.example\" <x@elsewhere.example>\n"
                               "Subject: s\n\nb\n", NULL, "header.display_name_address"), 40);
    assert_int_equal(hdr_score("From: \"ann@example.org\" <ann@example.org>\nSubject: s\n\nb\n",
                               NULL, "header.display_name_address"), -1);
    struct mail_options opt = {.own_domains = own};
    assert_int_equal(hdr_score("From: \"Example CEO\" <ceo.example@gmail.com>\nSubject: s\n\nb\n",
                               &opt, "header.display_name_own"), 40);
}

static void test_auth_results(void **state)
{
    (void)state;
    const char *m = "Authentication-Results: mx.example.co.jp; spf=fail "
                    "smtp.mailfrom=a@partner.example; dkim=none; dmarc=fail "
                    "header.from=partner.example\n"
                    "Authentication-Results: evil.example; dmarc=pass\n"
                    "From: a@partner.example\nSubject: s\n\nb\n";
    /* no list: the topmost one */
    assert_int_equal(hdr_score(m, NULL, "header.dmarc_fail"), 40);
    assert_int_equal(hdr_score(m, NULL, "header.spf_fail"), 20);
    /* a trusted list that does not name the topmost receiver: not believed */
    static const char *const other[] = {"evil2.example", NULL};
    struct mail_options opt = {.authserv_ids = other};
    assert_int_equal(hdr_score(m, &opt, "header.dmarc_fail"), -1);
    opt.authserv_ids = trusted;
    assert_int_equal(hdr_score(m, &opt, "header.dmarc_fail"), 40);
    /* own domain, SPF fail: spoofed from outside */
    struct mail_options o2 = {.own_domains = own};
    assert_int_equal(hdr_score("Authentication-Results: mx.example.co.jp; spf=softfail "
                               "smtp.mailfrom=example.co.jp\nFrom: boss@example.co.jp\n"
                               "Subject: s\n\nb\n", &o2, "header.own_domain_spoof"), 60);
    assert_int_equal(hdr_score("Authentication-Results: mx.example.co.jp; spf=pass "
                               "smtp.mailfrom=example.co.jp; dkim=pass header.d=example.co.jp\n"
                               "From: boss@example.co.jp\nSubject: s\n\nb\n", &o2,
                               "header.own_domain_spoof"), -1);
}

static void test_received_and_reply(void **state)
{
    (void)state;
    assert_int_equal(hdr_score("Received: from a ([192.0.2.1]) by b; Thu, 26 Nov 2026 08:00:00 "
                               "+0000\nReceived: from c ([192.0.2.2]) by a; Thu, 26 Nov 2026 "
                               "12:00:00 +0000\nFrom: x@example.org\nSubject: s\n\nb\n",
                               NULL, "header.received_time_backwards"), 5);
    assert_int_equal(hdr_score("From: x@example.org\nSubject: RE: invoice\n\nb\n", NULL,
                               "header.fake_reply"), 20);
    assert_int_equal(hdr_score("From: x@example.org\nSubject: Re: invoice\nIn-Reply-To: "
                               "<1@example.org>\n\nb\n", NULL, "header.fake_reply"), -1);
    assert_int_equal(hdr_score("From: x@example.org\nSubject: =?UTF-8?B?6L+U5L+hOiDoq4vmsYI=?="
                               "\n\nb\n", NULL, "header.fake_reply"), 20);
}

static void test_mailer_and_text(void **state)
{
    (void)state;
    assert_int_equal(hdr_score("From: a@shop.example\nX-Mailer: docomo mail\nSubject: s\n\nb\n",
                               NULL, "header.mailer_carrier"), 20);
    assert_int_equal(hdr_score("From: a@docomo.ne.jp\nX-Mailer: docomo mail\nSubject: s\n\nb\n",
                               NULL, "header.mailer_carrier"), -1);
    assert_int_equal(hdr_score("From: a@x.example\nX-Mailer: PHPMailer 6.0\nSubject: s\n\nb\n",
                               NULL, "header.mailer_script"), 10);
    /* "Yоur" with a Cyrillic о */
    assert_int_equal(hdr_score("From: a@x.example\nSubject: =?UTF-8?B?WdC+dXIgYWNjb3VudA==?="
                               "\n\nb\n", NULL, "header.mixed_script"), 30);
    assert_int_equal(hdr_score("From: a@x.example\nSubject: =?UTF-8?B?0J/RgNC40LLQtdGC?=\n\nb\n",
                               NULL, "header.mixed_script"), -1);
    assert_int_equal(hdr_score("From: a@x.example\nSubject: Notice Bz8kDrEpO5zvpVVIZN\n\nb\n",
                               NULL, "header.random_token"), 10);
    assert_int_equal(hdr_score("From: a@x.example\nSubject: Order 1234567890123\n\nb\n", NULL,
                               "header.random_token"), -1);
}


static void test_freemail_and_recipients(void **state)
{
    (void)state;
    /* A notice-like name with a contract number on a free mail account. */
    assert_int_equal(hdr_score("From: \"[BB/Cartoes] Contrato-0939915678519943532\" <a.b2317@gmail.com>\n"
                               "Subject: s\n\nb\n", NULL, "header.freemail_notice"), 30);
    /* A person's name, or a company domain with a number: not this rule. */
    assert_int_equal(hdr_score("From: Taro Yamada <taro1988@gmail.com>\nSubject: s\n\nb\n", NULL,
                               "header.freemail_notice"), -1);
    assert_int_equal(hdr_score("From: \"Order 1234567890\" <shop@shop.example.co.jp>\nSubject: s\n\nb\n",
                               NULL, "header.freemail_notice"), -1);
    /* Another account of the same free mail service in the name. */
    assert_int_equal(hdr_score("From: \"bank.office@gmail.com\" <okoh798@gmail.com>\nSubject: s\n\nb\n",
                               NULL, "header.display_name_address"), 40);
    assert_int_equal(hdr_score("From: \"okoh798@gmail.com\" <okoh798@gmail.com>\nSubject: s\n\nb\n",
                               NULL, "header.display_name_address"), -1);
    /* Decoy recipients on a top-level domain that does not exist; the
     * names reserved for examples are not judged. */
    assert_int_equal(hdr_score("From: a@promo.example.com\nTo: taro@example.co.jp, admin@xqp.jcgenutl.wew\n"
                               "Subject: s\n\nb\n", NULL, "header.recipient_bad_tld"), 20);
    assert_int_equal(hdr_score("From: a@promo.example.com\nTo: taro@host.example, b@mail.invalid\n"
                               "Subject: s\n\nb\n", NULL, "header.recipient_bad_tld"), -1);
    /* The recipient's mailbox name or domain inside the sender address. */
    assert_int_equal(hdr_score("From: Rewards <Notifications.9FOD.yamadataro@promo.example.com>\n"
                               "To: yamadataro@example.co.jp\nSubject: s\n\nb\n", NULL,
                               "header.recipient_in_sender"), 30);
    assert_int_equal(hdr_score("From: example.co.jp@mailer.example.cn\nTo: info@example.co.jp\n"
                               "Subject: s\n\nb\n", NULL, "header.recipient_in_sender"), 30);
    /* Role mailboxes are in everyone's addresses. */
    assert_int_equal(hdr_score("From: support-desk@vendor.example.com\nTo: support@example.co.jp\n"
                               "Subject: s\n\nb\n", NULL, "header.recipient_in_sender"), -1);
    /* Someone writing from their own other account. */
    assert_int_equal(hdr_score("From: yamadataro.home@gmail.com\nTo: yamadataro@example.co.jp\n"
                               "Subject: s\n\nb\n", NULL, "header.recipient_in_sender"), -1);
}

static void test_script_signs(void **state)
{
    (void)state;
    assert_int_equal(hdr_score("From: a@notice.example.es\nMessage-ID: <abc@5.63.154.92>\n"
                               "Subject: s\n\nb\n", NULL, "header.message_id_ip"), 10);
    assert_int_equal(hdr_score("From: a@notice.example.es\nMessage-ID: <abc@mail.example.es>\n"
                               "Subject: s\n\nb\n", NULL, "header.message_id_ip"), -1);
    /* A one-word From domain with replies going to a real domain. */
    assert_int_equal(hdr_score("From: BANCO <no-reply@bbcorpe39>\nReply-To: banco@atendimento.example.shop\n"
                               "Subject: s\n\nb\n", NULL, "header.from_invalid_domain"), 20);
    assert_int_equal(hdr_score("From: root@localhost\nSubject: s\n\nb\n", NULL,
                               "header.from_invalid_domain"), -1);
    /* Sender of another organisation; a list or a calendar is normal. */
    assert_int_equal(hdr_score("From: news@shop.example.com\nSender: x@QLLOP.example.net\n"
                               "Subject: s\n\nb\n", NULL, "header.sender_mismatch"), 10);
    assert_int_equal(hdr_score("From: ann@example.org\nSender: calendar-notification@google.com\n"
                               "Subject: s\n\nb\n", NULL, "header.sender_mismatch"), 0);
    assert_int_equal(hdr_score("From: SupMailer test <a@example.org>\nX-Mailer: SupMailer 37.0.3\n"
                               "Subject: s\n\nb\n", NULL, "header.mailer_bulk"), 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reply_to), cmocka_unit_test(test_freemail_and_recipients),
        cmocka_unit_test(test_script_signs),
        cmocka_unit_test(test_display_name),
        cmocka_unit_test(test_auth_results),
        cmocka_unit_test(test_received_and_reply),
        cmocka_unit_test(test_mailer_and_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

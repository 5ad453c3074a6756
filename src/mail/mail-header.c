/* mail-header.c - what the headers of a message say about where it came
 * from (see mail.h).
 *
 * Each rule compares two things the sender controls differently: the From
 * a person sees against the addresses mail servers use (Sender, Reply-To,
 * Return-Path), against the verdicts of the receiving server
 * (Authentication-Results), and against the path the mail took (Received).
 * Domains are compared by their registrable part (libpsl), so
 * mail.example.co.jp and news.example.co.jp are the same sender.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <glib.h>
#include <libpsl.h>

#include "mail/mail.h"
#include "util/i18n.h"
#include "util/geoip.h"
#include "util/strbuf.h"
/* glib defines its own MIN/MAX; ours (util.h) are the same. */
#undef MIN
#undef MAX
#include "util/util.h"

const struct mail_reason_def mail_texts_header[] = {
    {"header.no_from", "The message has no readable sender (From) address.",
     "送信者（From）のアドレスが読み取れません。"},
    {"header.display_name_address",
     "The sender's name shows an e-mail address that is not the address the mail really came "
     "from.",
     "差出人名に、実際の送信元とは別のメールアドレスが書かれています。"},
    {"header.freemail_notice",
     "The sender's name reads like an official notice with a case or contract number, but the "
     "address is a free mail account, which banks and authorities do not send from.",
     "差出人名は受付番号や契約番号の付いた公式の通知のように見えますが、アドレスはフリーメール"
     "です。銀行や官公庁はフリーメールから通知を送りません。"},
    {"header.display_name_own",
     "The sender's name is your own company's, but the mail comes from an outside address.",
     "差出人名は自社の名前ですが、実際には社外のアドレスから送られています。"},
    {"header.own_domain_spoof",
     "The mail claims to come from your own company's domain, but it was not sent by your mail "
     "servers.",
     "自社のドメインから送られたように見えますが、自社のメールサーバーから送られたものではありま"
     "せん。"},
    {"header.reply_to_freemail",
     "Replies would go to a free mail account, not to the company named as the sender.",
     "返信先が差出人の会社ではなく、フリーメールのアドレスになっています。"},
    {"header.reply_to_mismatch",
     "Replies would go to a different domain than the one the mail claims to come from.",
     "返信先が、差出人とは別のドメインのアドレスになっています。"},
    {"header.return_path_mismatch",
     "The envelope sender (Return-Path) belongs to a different domain than the visible sender.",
     "エンベロープの送信者（Return-Path）が、表示されている差出人とは別のドメインです。"},
    {"header.sender_mismatch", "The Sender header names a different domain than From.",
     "Sender ヘッダーのドメインが From と異なります。"},
    {"header.dmarc_fail",
     "The receiving mail server found that the sender's domain did not authorise this mail "
     "(DMARC failed).",
     "受信したメールサーバーの検査で、差出人のドメインが認めた送信ではないと判定されました（DMARC "
     "不合格）。"},
    {"header.spf_fail",
     "The server that sent this mail is not allowed to send for the sender's domain (SPF failed).",
     "このメールを送ったサーバーは、差出人のドメインからの送信を許可されていません（SPF 不合格）。"},
    {"header.spf_softfail",
     "The sender's domain says the server that sent this mail is probably not one of its own "
     "(SPF softfail).",
     "差出人のドメインは、このメールを送ったサーバーを自分のものではないとしています（SPF "
     "softfail）。"},
    {"header.dkim_fail",
     "The digital signature of the message does not match: it was changed or forged (DKIM "
     "failed).",
     "メールの電子署名が一致しません。途中で改変されたか偽造されています（DKIM 不合格）。"},
    {"header.auth_aligned",
     "The sender's domain signed or authorised this mail (DKIM/DMARC passed for the From "
     "domain).",
     "差出人のドメインがこのメールに署名・認証しています（From のドメインで DKIM/DMARC 合格）。"},
    {"header.auth_source",
     "Where the authentication results come from.",
     "送信ドメイン認証の結果の出どころです。"},
    {"header.received_path", "The servers the mail went through.",
     "メールが経由したサーバーです。"},
    {"header.received_time_backwards",
     "The times in the mail's delivery path go backwards, so part of the path was made up.",
     "配送経路の時刻が逆戻りしており、経路の一部が偽装されています。"},
    {"header.origin_foreign",
     "The mail claims a Japanese (.jp) sender but was first sent from a server abroad.",
     "差出人は日本（.jp）のドメインですが、最初の送信元サーバーは海外にあります。"},
    {"header.date_mismatch",
     "The Date the sender wrote is far from the time the mail was actually received.",
     "差出人が書いた日付（Date）が、実際に受信された時刻と大きくずれています。"},
    {"header.no_message_id",
     "The message has no Message-ID, which every normal mail program adds.",
     "通常のメールソフトなら必ず付ける Message-ID がありません。"},
    {"header.message_id_domain",
     "The Message-ID was made by a different domain than the sender's, with no signature from "
     "the sender's domain.",
     "Message-ID が差出人とは別のドメインで作られており、差出人のドメインの署名もありません。"},
    {"header.mailer_bulk",
     "It was sent with a mass-mailing program that spammers and phishers use.",
     "迷惑メールやフィッシングで使われる一斉送信ソフトで送られています。"},
    {"header.mailer_script",
     "It was sent by a web script (PHP mailer), as phishing kits do, not by a mail program or a "
     "company mail system.",
     "メールソフトや会社のメールシステムではなく、フィッシングキットと同じ Web スクリプト（PHP）"
     "から送られています。"},
    {"header.mailer_outdated",
     "It claims to be sent by Outlook Express, retired in 2011; spam tools still fake that name.",
     "2011年に提供終了した Outlook Express から送られたことになっています。迷惑メール送信ツールが"
     "よく偽装する名前です。"},
    {"header.mailer_carrier",
     "It claims a mobile carrier's mail program, but the sender is not that carrier's address.",
     "携帯電話会社のメールソフトから送られたことになっていますが、差出人はその携帯電話会社のアド"
     "レスではありません。"},
    {"header.fake_reply",
     "The subject starts with \"Re:\" but the mail is not a reply to any earlier mail.",
     "件名は「Re:」で始まりますが、実際には過去のメールへの返信ではありません。"},
    {"header.no_date", "The message has no valid Date.", "メールに有効な日付（Date）がありません。"},
    {"header.message_id_ip",
     "The Message-ID was made on a bare IP address, as scripts on rented servers do, not by a mail "
     "program or a company mail server.",
     "Message-ID が IP アドレスそのもので作られています。メールソフトや会社のメールサーバーでは"
     "なく、レンタルサーバー上のスクリプトから送られたときの特徴です。"},
    {"header.recipient_bad_tld",
     "The mail is also addressed to made-up recipients on domains that cannot exist, as bulk "
     "sending tools add to make every copy different.",
     "存在し得ないドメインの架空の宛先にも送られています。一斉送信ツールが1通ごとに違うメールに"
     "見せるために付け加えるものです。"},
    {"header.recipient_in_sender",
     "The sender's address contains your own mailbox name or domain, to look personal or "
     "official; real senders do not build their address from yours.",
     "差出人のアドレスに、あなたのメールアドレスの名前やドメインが含まれています。個人宛てや公式の"
     "メールに見せるための細工で、正規の送信者はあなたのアドレスから自分のアドレスを作りません。"},
    {"header.recipient_domain_lure",
     "The subject or sender name uses your own mail domain, as mailbox-password phishing does "
     "(\"example.com mailbox full\"), but the mail comes from outside.",
     "件名や差出人名にあなたのメールドメインが使われていますが、実際には社外から送られています。"
     "「メールボックスの容量超過」などを装うパスワード詐欺の手口です。"},
    {"header.from_hosting",
     "The sender's address is on a free web-hosting or cloud server name, not a company's own "
     "mail domain.",
     "差出人のアドレスが、会社のメールドメインではなく、無料の Web ホスティングやクラウドの"
     "サーバー名になっています。"},
    {"header.three_domains",
     "The visible sender, the reply address and the envelope sender belong to three different "
     "organisations.",
     "表示上の差出人、返信先、エンベロープの送信者が、すべて別々の組織のドメインです。"},
    {"header.mixed_script",
     "The subject or sender name hides letters from another alphabet (e.g. Cyrillic) inside "
     "Latin words, a trick to slip past filters.",
     "件名や差出人名の英単語に、別の文字体系（キリル文字など）のよく似た文字が混ぜられています。"
     "フィルターをすり抜けるための手口です。"},
    {"header.styled_letters",
     "The subject or sender name is written in decorative math letters, which filters cannot "
     "read.",
     "件名や差出人名が、フィルターで読み取れない装飾用の数学記号文字で書かれています。"},
    {"header.from_invalid_domain", "The sender's domain is not a valid domain name.",
     "差出人のドメインが、ドメイン名として正しくありません。"},
    {"header.random_token",
     "The subject carries a random string, which bulk senders add so every copy looks different.",
     "件名にランダムな文字列が付いています。一斉送信で1通ごとに違うメールに見せるための手口です。"},
    {NULL, NULL, NULL},
};

/* ---- helpers -------------------------------------------------------------------- */

/* Registrable domain (example.co.jp for a.b.example.co.jp) into out; the
 * host itself when libpsl does not know it. "" for NULL. */
static const char *hdr_reg(const char *host, char *out, size_t outlen)
{
    out[0] = '\0';
    if (!host || !*host)
        return out;
    const char *r = psl_registrable_domain(psl_builtin(), host);
    snprintf(out, outlen, "%s", r ? r : host);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

static bool hdr_same_org(const char *a, const char *b)
{
    char ra[256], rb[256];
    if (!a || !b)
        return true;
    return strcmp(hdr_reg(a, ra, sizeof(ra)), hdr_reg(b, rb, sizeof(rb))) == 0;
}

static bool hdr_in_list(const char *const *list, const char *dom)
{
    if (!list || !dom)
        return false;
    char rd[256], rl[256];
    hdr_reg(dom, rd, sizeof(rd));
    for (; *list; list++)
        if (strcasecmp(*list, dom) == 0 || strcmp(hdr_reg(*list, rl, sizeof(rl)), rd) == 0)
            return true;
    return false;
}

static bool hdr_freemail(const char *dom);

/* Free mail providers: anyone can open an account there, so a company's
 * mail whose replies go there is what a scammer sets up. */
bool mail_is_freemail(const char *dom)
{
    return dom && hdr_freemail(dom);
}

static bool hdr_freemail(const char *dom)
{
    static const char *const free_mail[] = {
        "gmail.com",   "googlemail.com", "yahoo.com",   "yahoo.co.jp", "ymail.com",
        "outlook.com", "outlook.jp",     "hotmail.com", "hotmail.co.jp", "live.com",
        "live.jp",     "msn.com",        "aol.com",     "icloud.com",  "me.com",
        "mail.ru",     "yandex.ru",      "yandex.com",  "gmx.com",     "gmx.de",
        "gmx.net",     "proton.me",      "protonmail.com", "qq.com",   "163.com",
        "126.com",     "zoho.com",       "naver.com",   "mail.com",    "web.de",
        "aol.jp",      "excite.co.jp",   "nifty.com",   "rocketmail.com", "inbox.ru",
        "bk.ru",       "list.ru",        "tutanota.com", "yahoo.fr",   "yahoo.es",
        "yahoo.de",    "yahoo.it",       "hotmail.fr",  "hotmail.es",  "libero.it",
        "sina.com",    "139.com",        "foxmail.com",
    };
    char rd[256];
    hdr_reg(dom, rd, sizeof(rd));
    for (size_t i = 0; i < ARRAY_SIZE(free_mail); i++)
        if (strcmp(rd, free_mail[i]) == 0 || (dom && strcasecmp(dom, free_mail[i]) == 0))
            return true;
    return false;
}

/* Platforms where anyone gets a subdomain for free: a company's mail does
 * not come from an address there. */
static bool hdr_hosting(const char *dom)
{
    static const char *const hosting[] = {
        "firebaseapp.com", "web.app",       "herokuapp.com",  "netlify.app",
        "vercel.app",      "github.io",     "pages.dev",      "workers.dev",
        "r2.dev",          "azurewebsites.net", "cloudapp.net", "cloudapp.azure.com",
        "vps.ovh.net",     "ip.ovh.net",    "amazonaws.com",  "googleusercontent.com",
        "ngrok.io",        "ngrok-free.app", "glitch.me",     "repl.co",
        "onrender.com",    "fly.dev",       "blogspot.com",   "wixsite.com",
        "weebly.com",      "000webhostapp.com", "linodeusercontent.com",
        "bc.googleusercontent.com", "secureserver.net", "contaboserver.net",
        "web.core.windows.net", "blob.core.windows.net",
    };
    size_t dl = strlen(dom);
    for (size_t i = 0; i < ARRAY_SIZE(hosting); i++) {
        size_t hl = strlen(hosting[i]);
        if (dl > hl && dom[dl - hl - 1] == '.' && strcasecmp(dom + dl - hl, hosting[i]) == 0)
            return true;
    }
    return false;
}

static bool hdr_ip_private(const char *ip)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, ip, a) == 1)
        return a[0] == 10 || a[0] == 127 || a[0] == 0 || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
               (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
               (a[0] == 100 && (a[1] & 0xC0) == 64);
    if (inet_pton(AF_INET6, ip, a) == 1) {
        static const unsigned char lo[16] = {[15] = 1};
        return memcmp(a, lo, 16) == 0 || (a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80);
    }
    return true; /* not an address: never an origin */
}

static bool hdr_ip_literal(const char *s)
{
    unsigned char a[16];
    return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

/* Case-insensitive substring. */
static bool hdr_has(const char *hay, const char *needle)
{
    return hay && strcasestr(hay, needle) != NULL;
}

/* ---- Authentication-Results (RFC 8601) ------------------------------------------- */

struct hdr_auth {
    bool found;
    char authserv[128];
    char spf[16], dkim[16], dmarc[16], arc[16];
    char spf_domain[256];   /* smtp.mailfrom */
    char dkim_pass_d[256];  /* d= of a passing signature */
    char dmarc_from[256];   /* header.from */
};

/* Copies the value of prop (e.g. "header.d=") from the method clause. */
static void hdr_prop(const char *clause, size_t n, const char *prop, char *out, size_t outlen)
{
    size_t pl = strlen(prop);
    for (size_t i = 0; i + pl <= n; i++) {
        if ((i == 0 || clause[i - 1] == ' ' || clause[i - 1] == '(') &&
            strncasecmp(clause + i, prop, pl) == 0) {
            const char *v = clause + i + pl;
            size_t k = 0;
            while (i + pl + k < n && v[k] != ' ' && v[k] != ';' && v[k] != ')' && v[k] != '"')
                k++;
            const char *at = memchr(v, '@', k); /* smtp.mailfrom=user@domain */
            if (at) {
                k -= (size_t)(at + 1 - v);
                v = at + 1;
            }
            snprintf(out, outlen, "%.*s", (int)k, v);
            for (char *p = out; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            return;
        }
    }
}

static void hdr_auth_parse(const char *v, bool arc, struct hdr_auth *au)
{
    memset(au, 0, sizeof(*au));
    const char *p = v;
    if (arc) { /* ARC-Authentication-Results: i=1; authserv-id; ... */
        const char *semi = strchr(p, ';');
        if (!semi)
            return;
        p = semi + 1;
    }
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, " ;");
    snprintf(au->authserv, sizeof(au->authserv), "%.*s", (int)MIN(n, 127u), p);
    au->found = true;
    p += n;
    /* clauses separated by ';' outside comments */
    while (*p) {
        while (*p == ';' || *p == ' ')
            p++;
        const char *s = p;
        int depth = 0;
        while (*p && (depth || *p != ';')) {
            if (*p == '(')
                depth++;
            else if (*p == ')' && depth)
                depth--;
            p++;
        }
        size_t cl = (size_t)(p - s);
        const char *eq = memchr(s, '=', cl);
        if (!eq)
            continue;
        size_t ml = (size_t)(eq - s);
        while (ml > 0 && s[ml - 1] == ' ')
            ml--;
        char res[16];
        size_t rl = 0;
        const char *r = eq + 1;
        while (*r == ' ')
            r++;
        while (rl < sizeof(res) - 1 && isalpha((unsigned char)r[rl]))
            res[rl] = (char)tolower((unsigned char)r[rl]), rl++;
        res[rl] = '\0';
        if (ml == 3 && strncasecmp(s, "spf", 3) == 0 && !au->spf[0]) {
            snprintf(au->spf, sizeof(au->spf), "%s", res);
            hdr_prop(s, cl, "smtp.mailfrom=", au->spf_domain, sizeof(au->spf_domain));
        } else if (ml == 4 && strncasecmp(s, "dkim", 4) == 0) {
            if (strcmp(res, "pass") == 0 && !au->dkim_pass_d[0])
                hdr_prop(s, cl, "header.d=", au->dkim_pass_d, sizeof(au->dkim_pass_d));
            if (strcmp(res, "pass") == 0 || !au->dkim[0])
                snprintf(au->dkim, sizeof(au->dkim), "%s", res);
        } else if (ml == 5 && strncasecmp(s, "dmarc", 5) == 0 && !au->dmarc[0]) {
            snprintf(au->dmarc, sizeof(au->dmarc), "%s", res);
            hdr_prop(s, cl, "header.from=", au->dmarc_from, sizeof(au->dmarc_from));
        } else if (ml == 3 && strncasecmp(s, "arc", 3) == 0 && !au->arc[0]) {
            snprintf(au->arc, sizeof(au->arc), "%s", res);
        }
    }
}

/* The Authentication-Results to believe: those of a configured trusted
 * receiver; without a list, the topmost one (added by the last server,
 * normally the company's own or its provider's). */
static bool hdr_auth_pick(const struct mail_msg *m, const struct mail_options *opt,
                          struct hdr_auth *au, bool *trusted)
{
    bool have_list = opt && opt->authserv_ids && opt->authserv_ids[0];
    *trusted = have_list;
    for (size_t i = 0; i < m->nheaders; i++) {
        if (strcasecmp(m->headers[i].name, "Authentication-Results") != 0)
            continue;
        hdr_auth_parse(m->headers[i].value, false, au);
        if (!have_list)
            return true;
        for (const char *const *id = opt->authserv_ids; *id; id++)
            if (strcasecmp(*id, au->authserv) == 0)
                return true;
    }
    memset(au, 0, sizeof(*au));
    return false;
}

/* ---- the rules ------------------------------------------------------------------ */

static bool hdr_list_rewrote_from(const struct mail_msg *m)
{
    /* A mailing list that rewrites From (for DMARC) sends as its own posting
     * address, named in List-Post (RFC 2369), and keeps the author in
     * Reply-To: that mismatch is the list's, not a scam. */
    const char *lp = mail_header_get(m, "List-Post");
    if (!lp || !m->from.addr)
        return false;
    const char *mt = strcasestr(lp, "mailto:");
    if (!mt)
        return false;
    mt += 7;
    size_t n = strcspn(mt, ">?, ");
    return n == strlen(m->from.addr) && strncasecmp(mt, m->from.addr, n) == 0;
}

/* Whether dom is the organisation of the mailing list (List-Id or
 * List-Post) the message came through. */
static bool hdr_list_domain(const struct mail_msg *m, const char *dom)
{
    const char *names[] = {"List-Id", "List-Post"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        const char *v = mail_header_get(m, names[i]);
        const char *lt = v ? strrchr(v, '<') : NULL;
        if (!lt)
            continue;
        char host[256];
        const char *s = lt + 1;
        if (strncasecmp(s, "mailto:", 7) == 0)
            s += 7;
        const char *at = strchr(s, '@');
        if (at && at < s + strcspn(s, ">"))
            s = at + 1;
        size_t n = strcspn(s, ">?");
        snprintf(host, sizeof(host), "%.*s", (int)MIN(n, 255u), s);
        /* List-Id is "name.host": compare organisations of the whole id */
        if (hdr_same_org(host, dom))
            return true;
    }
    return false;
}

/* "[BB/Cartões] Contrato-0939915678519943532" <someone@gmail.com>: a name
 * that reads like a bank's or an authority's notice, with a case, contract
 * or protocol number, on a free mail account. People do not carry long
 * numbers in their names; organisations do not send notices from free mail. */
static void hdr_check_freemail_notice(const struct mail_msg *m, struct mail_result *r)
{
    const char *dn = m->from.display;
    if (!dn || !m->from.domain || !hdr_freemail(m->from.domain) || strchr(dn, '@'))
        return;
    size_t run = 0, best = 0;
    for (const char *p = dn; *p; p++) {
        run = isdigit((unsigned char)*p) ? run + 1 : 0;
        best = MAX(best, run);
    }
    if (best >= 8)
        mail_reason_add(r, "header.freemail_notice", 30, "From \"%s\" <%s>", dn, m->from.addr);
}

static void hdr_check_display(const struct mail_msg *m, struct mail_ctx *ctx,
                              struct mail_result *r)
{
    const char *dn = m->from.display;
    if (!dn || !m->from.domain)
        return;
    /* An address in the name: "support@bank.example <x@elsewhere.example>" */
    for (const char *at = strchr(dn, '@'); at; at = strchr(at + 1, '@')) {
        const char *s = at + 1;
        size_t k = 0;
        while (isalnum((unsigned char)s[k]) || s[k] == '.' || s[k] == '-')
            k++;
        while (k > 0 && s[k - 1] == '.')
            k--;
        if (k < 3 || !memchr(s, '.', k))
            continue;
        char dom[256];
        snprintf(dom, sizeof(dom), "%.*s", (int)MIN(k, 255u), s);
        for (char *p = dom; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        /* On a free mail service the domain says nothing about who owns
         * the account: "boss@gmail.com" <other@gmail.com> is two people. */
        bool other = !hdr_same_org(dom, m->from.domain);
        if (!other && hdr_freemail(dom) && m->from.addr) {
            const char *ls = at;
            while (ls > dn && (isalnum((unsigned char)ls[-1]) || strchr("._%+-", ls[-1])))
                ls--;
            size_t al = (size_t)(s + k - ls);
            other = ls < at && (strlen(m->from.addr) != al || strncasecmp(ls, m->from.addr, al) != 0);
        }
        if (other && !hdr_list_rewrote_from(m)) {
            mail_reason_add(r, "header.display_name_address", 40, "From \"%s\" <%s>", dn,
                            m->from.addr);
            return;
        }
    }
    hdr_check_freemail_notice(m, r);
    const struct mail_options *opt = ctx ? ctx->opt : NULL;
    if (!opt || !opt->own_domains || hdr_in_list(opt->own_domains, m->from.domain))
        return;
    for (const char *const *d = opt->own_domains; *d; d++) {
        char rd[256];
        hdr_reg(*d, rd, sizeof(rd));
        char *dot = strchr(rd, '.');
        size_t label = dot ? (size_t)(dot - rd) : strlen(rd);
        /* the company's name as its domain label ("example" of example.co.jp) */
        if (label >= 4) {
            char name[128];
            snprintf(name, sizeof(name), "%.*s", (int)MIN(label, 127u), rd);
            if (hdr_has(dn, name)) {
                mail_reason_add(r, "header.display_name_own", 40, "From \"%s\" <%s>, own domain %s",
                                dn, m->from.addr, *d);
                return;
            }
        }
    }
}

static void hdr_check_addresses(const struct mail_msg *m, struct mail_result *r)
{
    if (!m->from.domain) {
        mail_reason_add(r, "header.no_from", 20, "From: %s",
                        mail_header_get(m, "From") ? mail_header_get(m, "From") : "(none)");
        return;
    }
    bool list_from = hdr_list_rewrote_from(m);
    const char *fd = m->from.domain;
    if (m->reply_to.domain && !hdr_same_org(m->reply_to.domain, fd) && !list_from) {
        if (hdr_freemail(m->reply_to.domain) && !hdr_freemail(fd))
            mail_reason_add(r, "header.reply_to_freemail", 30, "From %s, Reply-To %s",
                            m->from.addr, m->reply_to.addr);
        else
            mail_reason_add(r, "header.reply_to_mismatch", 10, "From %s, Reply-To %s",
                            m->from.addr, m->reply_to.addr);
    }
    if (m->return_path.domain && !hdr_same_org(m->return_path.domain, fd) && !list_from)
        mail_reason_add(r, "header.return_path_mismatch", 0,
                        "From %s, Return-Path %s", m->from.addr, m->return_path.addr);
    /* Three organisations: an honest bulk sender has its ESP in Return-Path
     * but replies come back to itself; a list has its own bounce address
     * (List-Id) and leaves Reply-To to the author. */
    if (m->reply_to.domain && m->return_path.domain && !list_from &&
        !hdr_same_org(m->reply_to.domain, fd) && !hdr_same_org(m->return_path.domain, fd) &&
        !hdr_same_org(m->reply_to.domain, m->return_path.domain) &&
        !hdr_list_domain(m, m->return_path.domain))
        mail_reason_add(r, "header.three_domains", 20, "From %s, Reply-To %s, Return-Path %s",
                        fd, m->reply_to.domain, m->return_path.domain);
    if (hdr_hosting(fd))
        mail_reason_add(r, "header.from_hosting", 30, "From %s", m->from.addr);
    /* Sender names who pressed "send" (RFC 5322 3.6.2): a list, a calendar
     * or an assistant sending for someone. Outside those, a second unrelated
     * organisation in the headers is one more thing that does not add up. */
    if (m->sender.domain && !hdr_same_org(m->sender.domain, fd)) {
        bool service = mail_header_get(m, "List-Id") || hdr_list_domain(m, m->sender.domain) ||
                       hdr_freemail(m->sender.domain) || hdr_same_org(m->sender.domain, "google.com") ||
                       hdr_same_org(m->sender.domain, "microsoft.com") ||
                       (m->return_path.domain && hdr_same_org(m->sender.domain, m->return_path.domain));
        mail_reason_add(r, "header.sender_mismatch", service ? 0 : 10, "From %s, Sender %s",
                        m->from.addr, m->sender.addr);
    }
}

/* Returns whether the From domain is authenticated (DMARC pass, or a
 * passing DKIM signature of the From's organisation). */
static bool hdr_check_auth(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    struct hdr_auth au;
    bool trusted;
    const struct mail_options *opt = ctx ? ctx->opt : NULL;
    if (!hdr_auth_pick(m, opt, &au, &trusted)) {
        if (trusted)
            mail_reason_add(r, "header.auth_source", 0,
                            TR("no Authentication-Results from a trusted receiver (mail.authserv_id)",
                               "信頼する受信サーバー（mail.authserv_id）の Authentication-Results がありません"));
        return false;
    }
    mail_reason_add(r, "header.auth_source", 0, "%s %s: spf=%s dkim=%s dmarc=%s%s%s",
                    trusted ? TR("trusted receiver", "信頼する受信サーバー")
                            : TR("topmost Authentication-Results (no mail.authserv_id configured)",
                                 "最も上の Authentication-Results（mail.authserv_id 未設定）"),
                    au.authserv, au.spf[0] ? au.spf : "-", au.dkim[0] ? au.dkim : "-",
                    au.dmarc[0] ? au.dmarc : "-", au.arc[0] ? " arc=" : "", au.arc);
    const char *fd = m->from.domain;
    bool aligned = strcmp(au.dmarc, "pass") == 0 ||
                   (au.dkim_pass_d[0] && fd && hdr_same_org(au.dkim_pass_d, fd));
    if (strcmp(au.dmarc, "fail") == 0)
        mail_reason_add(r, "header.dmarc_fail", 40, "%s: dmarc=fail header.from=%s", au.authserv,
                        au.dmarc_from[0] ? au.dmarc_from : (fd ? fd : "?"));
    if (!aligned) {
        if (strcmp(au.spf, "fail") == 0)
            mail_reason_add(r, "header.spf_fail", 20, "%s: spf=fail smtp.mailfrom=%s", au.authserv,
                            au.spf_domain[0] ? au.spf_domain : "?");
        else if (strcmp(au.spf, "softfail") == 0)
            mail_reason_add(r, "header.spf_softfail", 10, "%s: spf=softfail smtp.mailfrom=%s",
                            au.authserv, au.spf_domain[0] ? au.spf_domain : "?");
        if (strcmp(au.dkim, "fail") == 0)
            mail_reason_add(r, "header.dkim_fail", 20, "%s: dkim=fail", au.authserv);
    } else {
        mail_reason_add(r, "header.auth_aligned", 0, TR("%s: %s%s for %s", "%s: %s%s（%s）"), au.authserv,
                        strcmp(au.dmarc, "pass") == 0 ? "dmarc=pass" : "dkim=pass header.d=",
                        strcmp(au.dmarc, "pass") == 0 ? "" : au.dkim_pass_d, fd ? fd : "?");
    }
    /* Own domain sent from outside: the company's own servers would pass. */
    if (opt && fd && hdr_in_list(opt->own_domains, fd) && !aligned &&
        strcmp(au.spf, "pass") != 0)
        mail_reason_add(r, "header.own_domain_spoof", 60, "From %s: spf=%s dkim=%s dmarc=%s",
                        m->from.addr, au.spf[0] ? au.spf : "none", au.dkim[0] ? au.dkim : "none",
                        au.dmarc[0] ? au.dmarc : "none");
    return aligned;
}

static void hdr_check_received(const struct mail_msg *m, struct mail_ctx *ctx,
                               struct mail_result *r)
{
    if (!m->nreceived)
        return;
    const char *origin = NULL, *first_ext = NULL;
    size_t priv = 0;
    for (size_t i = 0; i < m->nreceived; i++) {
        const char *ip = m->received[i].from_ip;
        if (!ip)
            continue;
        if (hdr_ip_private(ip)) {
            priv++;
            continue;
        }
        if (!first_ext)
            first_ext = ip;
        origin = ip; /* the lowest public hop is the earliest one we can see */
    }
    char cc[3] = "";
    if (origin && ctx && ctx->geoip && geoip_country(ctx->geoip, origin, cc) < 0)
        cc[0] = '\0';
    mail_reason_add(r, "header.received_path", 0,
                    TR("%zu hops; first external hop %s; origin %s%s%s%s; %zu private-address relays", "%zu 段; 最初の外部サーバー %s; 送信元 %s%s%s%s; プライベートアドレスの中継 %zu 段"),
                    m->nreceived, first_ext ? first_ext : "-", origin ? origin : "-",
                    cc[0] ? " (" : "", cc, cc[0] ? ")" : "", priv);
    if (cc[0] && m->from.domain && strcasecmp(cc, "JP") != 0) {
        size_t l = strlen(m->from.domain);
        if (l > 3 && strcasecmp(m->from.domain + l - 3, ".jp") == 0)
            mail_reason_add(r, "header.origin_foreign", 10, "From %s, origin %s (%s)",
                            m->from.addr, origin, cc);
    }
    /* received[0] is the newest: each hop must be at or after the one below
     * it (an hour of slack for clock skew). */
    for (size_t i = 0; i + 1 < m->nreceived; i++) {
        int64_t newer = m->received[i].ts, older = m->received[i + 1].ts;
        if (newer != INT64_MIN && older != INT64_MIN && older - newer > 3600) {
            mail_reason_add(r, "header.received_time_backwards", 5,
                            TR("hop %zu is %lld minutes before the hop below it", "%zu 段目の時刻が、その下の段より %lld 分前です"), i + 1,
                            (long long)((older - newer) / 60));
            break;
        }
    }
    /* Date against the first time a server saw the mail (the bottom hop with
     * a time). */
    int64_t first_seen = INT64_MIN;
    for (size_t i = m->nreceived; i-- > 0;)
        if (m->received[i].ts != INT64_MIN) {
            first_seen = m->received[i].ts;
            break;
        }
    if (m->date != INT64_MIN && first_seen != INT64_MIN) {
        int64_t d = first_seen - m->date;
        if (d > 7 * 86400 || d < -2 * 86400)
            mail_reason_add(r, "header.date_mismatch", 5, TR("Date %+lld hours from first receipt", "Date は最初の受信時刻から %+lld 時間ずれています"),
                            (long long)(-d / 3600));
    }
}

static void hdr_check_message_id(const struct mail_msg *m, bool aligned, struct mail_result *r)
{
    if (!m->message_id) {
        mail_reason_add(r, "header.no_message_id", 5, TR("no Message-ID header", "Message-ID ヘッダーがありません"));
        return;
    }
    const char *at = strrchr(m->message_id, '@');
    if (!at || !m->from.domain || aligned)
        return;
    char dom[256];
    snprintf(dom, sizeof(dom), "%s", at + 1);
    size_t l = strcspn(dom, ">] ");
    dom[l] = '\0';
    for (char *p = dom; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!strchr(dom, '.'))
        return;
    /* Mail programs and servers name their host; a bare address is what
     * a script on a rented server writes. */
    if (hdr_ip_literal(dom) || (dom[0] == '[' && strchr(dom, ']'))) {
        mail_reason_add(r, "header.message_id_ip", 10, "Message-ID @%s", dom);
        return;
    }
    if (hdr_same_org(dom, m->from.domain) ||
        (m->return_path.domain && hdr_same_org(dom, m->return_path.domain)) ||
        (m->sender.domain && hdr_same_org(dom, m->sender.domain)))
        return;
    mail_reason_add(r, "header.message_id_domain", 0, "From %s, Message-ID @%s", m->from.domain,
                    dom);
}

static void hdr_check_mailer(const struct mail_msg *m, struct mail_result *r)
{
    const char *xm = m->x_mailer;
    if (!xm)
        return;
    /* Programs made for sending to bought address lists. */
    static const char *const bulk[] = {
        "Gammadyne",   "Atomic Mail Sender", "SendBlaster", "Turbo-Mailer", "Turbo Mailer",
        "Mass Mailer", "ePrompter",          "Advanced Mass Sender", "Sendinbox",
        "Leaf PHPMailer", "AMS ", "Group Mail", "Bulk Mailer", "MaxBulk", "eMarksman", "SupMailer",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bulk); i++)
        if (hdr_has(xm, bulk[i])) {
            mail_reason_add(r, "header.mailer_bulk", 20, "X-Mailer: %s", xm);
            return;
        }
    if (hdr_has(xm, "PHPMailer") || hdr_has(xm, "PHP/")) {
        mail_reason_add(r, "header.mailer_script", 10, "X-Mailer: %s", xm);
        return;
    }
    if (hdr_has(xm, "Outlook Express")) {
        mail_reason_add(r, "header.mailer_outdated", 20, "X-Mailer: %s", xm);
        return;
    }
    static const struct {
        const char *mailer;
        const char *const doms[4];
    } carriers[] = {
        {"docomo", {"docomo.ne.jp", "mopera.net", NULL}},
        {"KDDI", {"ezweb.ne.jp", "au.com", "kddi.com", NULL}},
        {"SoftBank", {"softbank.ne.jp", "softbank.jp", "i.softbank.jp", NULL}},
    };
    for (size_t i = 0; i < ARRAY_SIZE(carriers); i++) {
        if (!hdr_has(xm, carriers[i].mailer) || !m->from.domain)
            continue;
        if (!hdr_in_list(carriers[i].doms, m->from.domain))
            mail_reason_add(r, "header.mailer_carrier", 20, "X-Mailer %s, From %s", xm,
                            m->from.addr);
        return;
    }
}

/* "Re:" and its translations at the start of the subject. */
static bool hdr_subject_is_reply(const char *s)
{
    static const char *const re[] = {"re:", "re :", "re[", "aw:", "sv:", "vs:", "antw:", "r:",
                                     "ref:", "rif:", "回复:", "回复：", "答复:", "返信:",
                                     "返信："};
    if (!s)
        return false;
    while (*s == ' ' || *s == '[')
        s++;
    for (size_t i = 0; i < ARRAY_SIZE(re); i++)
        if (strncasecmp(s, re[i], strlen(re[i])) == 0)
            return true;
    return false;
}

/* Script of a letter: 1 Latin, 2 Cyrillic, 3 Greek, 0 other. */
static int hdr_script(gunichar c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return 1;
    if (c >= 0x400 && c <= 0x4FF)
        return 2;
    if (c >= 0x370 && c <= 0x3FF)
        return 3;
    return 0;
}

/* A word (letters between non-letters) mixing Latin with Cyrillic or
 * Greek: "Yоur" with a Cyrillic о. Real text in those alphabets does not
 * put a Latin letter inside a word. Returns the word's start or NULL. */
static const char *hdr_mixed_word(const char *s, size_t *wlen)
{
    if (!s || !g_utf8_validate(s, -1, NULL))
        return NULL;
    const char *w = NULL;
    int seen = 0;
    for (const char *p = s;; p = p + g_utf8_skip[*(const guchar *)p]) {
        gunichar c = *p ? g_utf8_get_char(p) : 0;
        int sc = c ? hdr_script(c) : 0;
        bool letter = c && (sc || g_unichar_isalpha(c));
        if (letter) {
            if (!w) {
                w = p;
                seen = 0;
            }
            seen |= 1 << sc;
        } else if (w) {
            if ((seen & 2) && (seen & (4 | 8))) {
                *wlen = (size_t)(p - w);
                return w;
            }
            w = NULL;
        }
        if (!*p)
            break;
    }
    return NULL;
}

static bool hdr_styled(const char *s)
{
    /* U+1D400-1D7FF Mathematical Alphanumeric Symbols: F0 9D 90..9F */
    for (const char *p = s; p && *p; p++)
        if ((unsigned char)p[0] == 0xF0 && (unsigned char)p[1] == 0x9D &&
            (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x9F)
            return true;
    return false;
}

static void hdr_check_text(const struct mail_msg *m, struct mail_result *r)
{
    const char *fields[] = {m->subject, m->from.display};
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        size_t wl = 0;
        const char *w = hdr_mixed_word(fields[i], &wl);
        if (w) {
            mail_reason_add(r, "header.mixed_script", 30, TR("%s \"%.*s\" in \"%s\"", "%s「%.*s」（「%s」の中）"),
                            i ? TR("From name", "差出人名") : TR("Subject", "件名"), (int)MIN(wl, 60u), w, fields[i]);
            break;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
        if (hdr_styled(fields[i])) {
            mail_reason_add(r, "header.styled_letters", 20, "%s \"%s\"",
                            i ? TR("From name", "差出人名") : TR("Subject", "件名"), fields[i]);
            break;
        }
    /* A domain is letters, digits, '-' and dots (IDN as UTF-8 letters). */
    if (m->from.domain) {
        /* (A name without a dot is left alone: local and anonymised
         * addresses look like that.) */
        bool ok = true;
        if (g_utf8_validate(m->from.domain, -1, NULL)) {
            for (const char *p = m->from.domain; *p; p = p + g_utf8_skip[*(const guchar *)p]) {
                gunichar c = g_utf8_get_char(p);
                if (!(g_unichar_isalnum(c) || c == '-' || c == '.' || c == '_')) {
                    ok = false;
                    break;
                }
            }
        } else {
            ok = false;
        }
        if (!ok && !strchr(m->from.domain, '[') && !hdr_ip_literal(m->from.domain))
            mail_reason_add(r, "header.from_invalid_domain", 20, "From %s", m->from.addr);
        /* A one-word domain cannot receive mail from the Internet; with
         * replies sent to a real domain elsewhere, the From is a costume. */
        else if (ok && !strchr(m->from.domain, '.') && m->reply_to.domain &&
                 strchr(m->reply_to.domain, '.') && !m->quoted)
            mail_reason_add(r, "header.from_invalid_domain", 20, "From %s, Reply-To %s", m->from.addr,
                            m->reply_to.addr);
    }
    /* A token of 12+ letters and digits mixing lower case, upper case and
     * digits: no word, order number or date looks like that. */
    const char *s = m->subject;
    for (size_t i = 0; s && s[i];) {
        size_t n = 0;
        int kinds = 0;
        while (isalnum((unsigned char)s[i + n])) {
            unsigned char c = (unsigned char)s[i + n];
            kinds |= isdigit(c) ? 1 : isupper(c) ? 2 : 4;
            n++;
        }
        if (n >= 12 && kinds == 7 && (i == 0 || !((unsigned char)s[i - 1] & 0x80))) {
            mail_reason_add(r, "header.random_token", 10, "Subject token \"%.*s\"", (int)n, s + i);
            break;
        }
        i += n ? n : 1;
    }
}

/* The recipient's own domain in the subject or sender name of a mail from
 * another organisation: "example.co.jp メールアカウント", "Admin example.com". */
/* Whether the top-level domain of dom exists (is in the Public Suffix
 * List without its "*" rule). Single labels and the names reserved for
 * tests and examples (RFC 2606, RFC 6761) are not judged. */
static bool hdr_tld_unknown(const char *dom)
{
    const char *dot = dom ? strrchr(dom, '.') : NULL;
    if (!dot || !dot[1])
        return false;
    const char *tld = dot + 1;
    static const char *const reserved[] = {"test", "example", "invalid", "localhost", "local",
                                           "localdomain", "lan", "home", "internal", "corp", "intra",
                                           "private", "domain"};
    for (size_t i = 0; i < ARRAY_SIZE(reserved); i++)
        if (strcasecmp(tld, reserved[i]) == 0)
            return false;
    for (const char *p = tld; *p; p++)
        if (!isalpha((unsigned char)*p))
            return false;
    return !psl_is_public_suffix2(psl_builtin(), tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

static void hdr_check_recipient_lure(const struct mail_msg *m, struct mail_result *r)
{
    if (!m->from.domain)
        return;
    /* Bulk tools add made-up recipients ("admin@xqp.jcgenutl.wew") so that
     * every copy differs; nobody writes to a domain that cannot exist. */
    for (size_t i = 0; i < m->nto && i < 64; i++)
        if (m->to[i].domain && hdr_tld_unknown(m->to[i].domain)) {
            mail_reason_add(r, "header.recipient_bad_tld", 20, "To/Cc %s", m->to[i].addr);
            break;
        }
    /* The recipient's own mailbox name or domain inside the sender's
     * address ("Notifications.X.taro@promo.example", "example.com@evil"):
     * made to look personal, and different for every copy. */
    const char *fat = m->from.addr ? strrchr(m->from.addr, '@') : NULL;
    for (size_t i = 0; fat && i < m->nto && i < 16; i++) {
        const char *ta = m->to[i].addr, *tat = ta ? strrchr(ta, '@') : NULL;
        if (!tat || !m->to[i].domain || hdr_same_org(m->to[i].domain, m->from.domain))
            continue;
        size_t tl = (size_t)(tat - ta), fl = (size_t)(fat - m->from.addr);
        char rd[256];
        hdr_reg(m->to[i].domain, rd, sizeof(rd));
        bool dom_in = strchr(rd, '.') && !hdr_freemail(rd) && strlen(rd) <= fl &&
                      memmem(m->from.addr, fl, rd, strlen(rd));
        /* Role mailboxes (info@, support@) are in everyone's addresses. */
        static const char *const roles[] = {"info", "support", "sales", "admin", "contact", "office",
                                            "service", "webmaster", "postmaster", "noreply", "no-reply",
                                            "newsletter", "billing", "account", "accounts", "security",
                                            "notification", "notifications", "help", "team", "hello",
                                            "customer", "mailer", "system", "soumu", "keiri", "jimu",
                                            "eigyo", "recruit", "press", "order", "orders"};
        bool role = false;
        for (size_t k = 0; k < ARRAY_SIZE(roles) && !role; k++)
            role = strlen(roles[k]) == tl && strncasecmp(ta, roles[k], tl) == 0;
        bool box_in = !role && tl >= 6 && fl > tl && strncasecmp(m->from.addr, ta, tl) != 0 &&
                      memmem(m->from.addr, fl, ta, tl);
        if (dom_in || box_in) {
            mail_reason_add(r, "header.recipient_in_sender", 30, "From %s, To %s", m->from.addr, ta);
            break;
        }
    }
    for (size_t i = 0; i < m->nto && i < 16; i++) {
        char rd[256];
        if (!m->to[i].domain || hdr_same_org(m->to[i].domain, m->from.domain))
            continue;
        hdr_reg(m->to[i].domain, rd, sizeof(rd));
        if (!strchr(rd, '.') || hdr_freemail(rd))
            continue;
        if (hdr_has(m->from.display, rd)) {
            mail_reason_add(r, "header.recipient_domain_lure", 30, "From \"%s\" <%s>, To %s",
                            m->from.display, m->from.addr, m->to[i].addr);
            return;
        }
        if (hdr_has(m->subject, rd)) {
            mail_reason_add(r, "header.recipient_domain_lure", 20, "Subject \"%s\", To %s",
                            m->subject, m->to[i].addr);
            return;
        }
    }
}

void mail_check_headers(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    /* A forward rebuilt from text (mail-forward.c) shows only From, To and
     * Subject: no Received, authentication, Message-ID or Date to judge. */
    if (m->quoted) {
        hdr_check_recipient_lure(m, r);
        hdr_check_text(m, r);
        hdr_check_display(m, ctx, r);
        return;
    }
    hdr_check_recipient_lure(m, r);
    hdr_check_text(m, r);
    bool aligned = hdr_check_auth(m, ctx, r);
    hdr_check_addresses(m, r);
    hdr_check_display(m, ctx, r);
    hdr_check_received(m, ctx, r);
    hdr_check_message_id(m, aligned, r);
    hdr_check_mailer(m, r);
    if (hdr_subject_is_reply(m->subject) && !m->in_reply_to && !m->references)
        mail_reason_add(r, "header.fake_reply", 20, TR("Subject \"%s\" without In-Reply-To/References", "件名「%s」ですが In-Reply-To/References がありません"),
                        m->subject);
    if (m->date == INT64_MIN)
        mail_reason_add(r, "header.no_date", 5, "Date: %s",
                        mail_header_get(m, "Date") ? mail_header_get(m, "Date") : "(none)");
}

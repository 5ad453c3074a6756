/* mail-content.c - what the body and attachments of a message say: links
 * that show one address and go to another, shortened and IP-literal links,
 * forms, dangerous attachments (by their bytes, not only their names),
 * password-protected archives with the password in the text (the Emotet
 * pattern), wording of payment fraud (BEC) and credential theft, and fake
 * reply threads.
 *
 * False positives are the cost that matters here (a shop owner stops reading
 * a tool that cries wolf), so:
 *  - bounces (delivery status reports) quote the mail they return and are
 *    left out of the wording and thread checks;
 *  - link-text mismatches through the click trackers of mail services are
 *    how newsletters are built, not a sign;
 *  - each phrase table holds phrases, not single words ("account" and
 *    "password" are everyday words on developer lists); a category counts
 *    once, more phrases of it add a little, never alone decisive.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "mail/mail.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include "util/util.h"

const struct mail_reason_def mail_texts_content[] = {
    {"content.link_mismatch",
     "A link shows one web address but actually leads to a different site.",
     "リンクに表示されているアドレスと、実際に開かれるサイトが異なります。"},
    {"content.link_shortener",
     "A link uses a URL shortener, which hides where it really leads.",
     "短縮URLが使われており、実際のリンク先が分からないようになっています。"},
    {"content.link_ip",
     "A link points to a bare IP address instead of a company's domain name.",
     "リンク先が企業のドメイン名ではなく、IPアドレスそのものになっています。"},
    {"content.link_idn",
     "A link leads to an internationalised (punycode) domain, which can imitate familiar names.",
     "リンク先が国際化ドメイン（xn--で始まる名前）で、見慣れた名前に見せかけることができます。"},
    {"content.link_script",
     "A link runs a script or embeds data instead of opening a web page.",
     "リンクがWebページではなく、スクリプトの実行や埋め込みデータを開くようになっています。"},
    {"content.form",
     "The mail contains a form that sends what you type (possibly a password) to a website.",
     "メール内に入力フォームがあり、入力した内容（パスワードなど）が外部のサイトに送信されます。"},
    {"content.attach_dangerous",
     "An attachment is a program, script, shortcut or disk image that runs code when opened.",
     "添付ファイルは、開くとプログラムが実行される種類（実行ファイル・スクリプト・ショートカット・"
     "ディスクイメージなど）です。"},
    {"content.attach_html",
     "An attachment is a web page (HTML/SVG); opened, it can show a fake login screen.",
     "添付ファイルはWebページ（HTML/SVG）で、開くと偽のログイン画面が表示されることがあります。"},
    {"content.attach_double_ext",
     "An attachment's name hides its real type behind a second extension (such as invoice.pdf.exe).",
     "添付ファイル名に拡張子が二重に付けられ、本当の種類が隠されています（例: invoice.pdf.exe）。"},
    {"content.attach_mismatch",
     "An attachment's name says one file type, but its contents are another.",
     "添付ファイルの名前が示す種類と、実際の中身の種類が一致しません。"},
    {"content.attach_macro",
     "An Office attachment contains macros, a common way to install malware (such as Emotet).",
     "Office文書の添付ファイルにマクロが含まれています。Emotetなどのウイルス感染によく使われる"
     "手口です。"},
    {"content.attach_remote_content",
     "An Office attachment loads a template or an object from the Internet when it is opened, a "
     "common way malware documents fetch their payload.",
     "Office文書の添付ファイルが、開いたときにインターネットからテンプレートやオブジェクトを読み込む"
     "ようになっています。ウイルス入り文書が本体をダウンロードするよくある手口です。"},
    {"content.attach_encrypted",
     "An attachment is a password-protected archive, which antivirus software cannot look inside.",
     "添付ファイルはパスワード付きの圧縮ファイルで、ウイルス対策ソフトが中身を検査できません。"},
    {"content.attach_password_text",
     "The password for the protected attachment is written in the mail itself, the pattern Emotet "
     "uses.",
     "パスワード付き圧縮ファイルのパスワードがメール本文に書かれています。Emotetがよく使う手口"
     "です。"},
    {"content.attach_archive",
     "An attachment is a compressed archive of a kind malware is often sent in (RAR, 7z, GZ, ISO-like "
     "containers).",
     "添付ファイルは、ウイルスの送付によく使われる形式の圧縮ファイル（RAR・7z・GZなど）です。"},
    {"content.archive_dangerous",
     "An archive attached to the mail contains a program, script or shortcut.",
     "添付された圧縮ファイルの中に、プログラム・スクリプト・ショートカットが含まれています。"},
    {"content.bec_account_change",
     "The mail asks to send payments to a new or changed bank account, the core of invoice fraud.",
     "振込先口座の変更や新しい口座への送金を求めています。請求書詐欺（ビジネスメール詐欺）の典型的な"
     "手口です。"},
    {"content.bec_urgent",
     "The mail presses for an urgent payment or action.",
     "至急の支払いや対応を急がせる表現があります。"},
    {"content.bec_secrecy",
     "The mail asks to keep the matter secret, so nobody checks it.",
     "他の人に相談しないよう口止めする表現があります。確認させないための手口です。"},
    {"content.bec_gift_card",
     "The mail asks for gift cards or their codes, a payment method fraudsters favour.",
     "ギフトカードやその番号を求めています。詐欺でよく使われる支払い方法です。"},
    {"content.payment_lure",
     "The mail talks about an invoice, payment or remittance, a common bait for malicious "
     "attachments and links.",
     "請求書・支払い・送金の話題で、不正な添付ファイルやリンクを開かせる口実によく使われます。"},
    {"content.credential_lure",
     "The mail says your account is suspended, locked or must be verified: the usual lure to "
     "steal passwords and card numbers.",
     "アカウントの停止・ロックや本人確認を理由にログインさせようとしています。パスワードやカード番号"
     "を盗む典型的な手口です。"},
    {"content.delivery_lure",
     "The mail claims a parcel could not be delivered or needs a fee, a frequent phishing story.",
     "荷物の不在や配達料の支払いを理由にリンクを開かせようとしています。よくある偽の不在通知の手口"
     "です。"},
    {"content.prize_lure",
     "The mail promises a prize, reward or expiring points, a common bait for phishing links.",
     "当選・特典・ポイント失効などを口実にリンクを開かせようとしています。フィッシングによくある"
     "手口です。"},
    {"content.dating_lure",
     "The mail is a romance or sex come-on from a stranger, the opening of romance fraud, "
     "sextortion and adult-site bait.",
     "見知らぬ相手からの出会い・性的な誘いです。恋愛詐欺やセクストーション、アダルトサイトへの"
     "誘導の入り口です。"},
    {"content.callback_lure",
     "The mail confirms a purchase or renewal you probably did not make and gives a phone number "
     "to call to cancel it: the \"call-back\" scam, where the person on the phone takes your "
     "money or your computer.",
     "身に覚えのない購入や自動更新の確認を装い、取り消すには電話するよう求めています。電話に出た"
     "相手がお金をだまし取ったりパソコンを遠隔操作したりする「コールバック詐欺」の手口です。"},
    {"content.advance_fee",
     "The mail promises a large sum (inheritance, prize, fund transfer) in exchange for your details "
     "or a fee.",
     "遺産・当選金・送金の分け前など大金を約束し、個人情報や手数料を求めています。"},
    {"content.text_obfuscation",
     "The subject or sender name hides letters: invisible characters inside words, or Cyrillic "
     "letters that look Latin, a way to slip past filters.",
     "件名または差出人名に、見えない文字が単語の途中に挟まれていたり、ローマ字に似たキリル文字が"
     "混ぜられていたりします。迷惑メールフィルターを逃れるための手口です。"},
    {"content.thread_hijack",
     "The mail pretends to continue an earlier conversation: the quoted history names someone with "
     "the sender's name but a different address.",
     "過去のやり取りの続きを装っています。引用部分には差出人と同じ名前の人物が別のアドレスで"
     "登場します。"},
    {"content.fake_thread",
     "The mail quotes an earlier conversation but is not really a reply to it.",
     "過去のやり取りを引用していますが、実際にはそのメールへの返信ではありません。"},
    {NULL, NULL, NULL},
};

#define HOST_MAX 256

/* ---------------------------------------------------------------------
 * Text helpers
 * --------------------------------------------------------------------- */

/* ASCII lower case of subject + texts (Japanese untouched), bounded. */
static char *body_lower(const struct mail_msg *m)
{
    struct strbuf sb = STRBUF_INIT;
    const char *parts[] = {m->subject, m->text, m->html_text};
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
        if (!parts[i])
            continue;
        size_t n = strlen(parts[i]);
        if (sb.len + n > MAIL_MAX_TEXT)
            n = MAIL_MAX_TEXT > sb.len ? MAIL_MAX_TEXT - sb.len : 0;
        sb_putn(&sb, parts[i], n);
        sb_putc(&sb, '\n');
    }
    sb_putc(&sb, '\0');
    char *s = sb_detach(&sb);
    for (char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80)
            *p = (char)tolower(c);
        /* Runs of spaces and line breaks as one space, so a phrase broken
         * across a line still matches. */
        if (c == '\n' || c == '\r' || c == '\t')
            *p = ' ';
    }
    /* Squeeze spaces. */
    char *o = s;
    for (char *p = s; *p; p++)
        if (!(*p == ' ' && o > s && o[-1] == ' '))
            *o++ = *p;
    *o = '\0';
    return s;
}

static bool host_in(const char *host, const char *const *list)
{
    for (const char *const *d = list; *d; d++) {
        size_t dl = strlen(*d), hl = strlen(host);
        if (strcmp(host, *d) == 0 || (hl > dl && host[hl - dl - 1] == '.' && strcmp(host + hl - dl, *d) == 0))
            return true;
    }
    return false;
}

/* Delivery status reports quote the returned mail; their wording and links
 * are someone else's. */
static bool is_bounce(const struct mail_msg *m)
{
    const char *ct = mail_header_get(m, "Content-Type");
    if (ct && strcasestr(ct, "multipart/report"))
        return true;
    for (size_t i = 0; i < m->nattachments; i++)
        if (m->attachments[i].content_type &&
            (strstr(m->attachments[i].content_type, "delivery-status") ||
             strstr(m->attachments[i].content_type, "disposition-notification")))
            return true;
    const char *a = m->from.addr;
    if (a && (strncasecmp(a, "mailer-daemon@", 14) == 0 || strncasecmp(a, "postmaster@", 11) == 0) &&
        !m->nlinks)
        return true;
    return false;
}

/* ---------------------------------------------------------------------
 * Links
 * --------------------------------------------------------------------- */

static const char *const shorteners[] = {
    "bit.ly", "bitly.com", "t.co", "tinyurl.com", "is.gd", "v.gd", "ow.ly", "buff.ly",
    "rebrand.ly", "cutt.ly", "shorturl.at", "rb.gy", "t.ly", "tiny.cc", "s.id", "x.gd", "bl.ink",
    "lnkd.in", "qrco.de", "t.me", "urlz.fr", "shorte.st", "adf.ly", "bc.vc", "soo.gd", "clck.ru",
    "u.to", "bit.do", "mcaf.ee", "db.tt", "tr.ee", "lnk.to", "linktr.ee", "00m.in", "amzn.to",
    "amzn.asia", "n9.cl", "2u.pw", "ux.nu", "onl.la", "onl.sc", "x.gd", "gg.gg", "short.gy",
    "shorturl.asia", "kutt.it", "tiny.one", "surl.li", "wp.me", "reurl.cc", "is.gd", NULL};

/* Click trackers and link wrappers of mail services and security gateways:
 * text showing the shop's domain and href going here is how newsletters and
 * protected mailboxes work. */
static const char *const trackers[] = {
    "list-manage.com", "mailchimp.com", "mcusercontent.com", "sendgrid.net", "mandrillapp.com",
    "mailgun.org", "mlsend.com", "mailerlite.com", "exacttarget.com", "hubspotlinks.com",
    "hubspotemail.net", "rs6.net", "createsend.com", "cmail19.com", "cmail20.com", "sparkpostmail.com",
    "awstrack.me", "klaviyo.com", "safelinks.protection.outlook.com", "urldefense.com",
    "urldefense.proofpoint.com", "mimecast.com", "mimecastprotect.com", "linkprotect.cudasvc.com",
    "google.com", "doubleclick.net", "salesforce.com", "pardot.com", "marketo.com", "mktoweb.com",
    "constantcontact.com", "icpbounce.com", "sailthru.com", "emarsys.net", "braze.com",
    "responsys.net", "bmetrack.com", "cuenote.jp", "blastmail.jp", "benchmarkemail.com",
    "mailmag.jp", "r.paypal.com", "email.mg", "ct.sendgrid.net", "mjt.lu", "sendibt3.com",
    "sendinblue.com", "brevo.com", "substack.com", "medium.com", "github.com", "infusionsoft.com",
    "keap.com", "mailjet.com", "aweber.com", "getresponse.com", "icontact.com", "eloqua.com", "en25.com",
    "campaign-archive.com", "mailchi.mp", "exct.net", "customeriomail.com", "convertkit.com", "ck.page",
    "activehosted.com", "acemlna.com", "postmarkapp.com", "mailpoet.com", "omnisend.com", "bronto.com",
    "cheetahmail.com", "epsilon.com", "returnpath.net", "litmus.com", "e-mailing.jp", "mpse.jp",
    "a-mail.jp", "haihai.jp", "ml.naver.jp", NULL};

bool mail_host_is_tracker(const char *host)
{
    char h[HOST_MAX];
    return host && mail_host_norm(host, h, sizeof h) && host_in(h, trackers);
}

/* Host of a URL written in text: "https://a.b/...", "www.a.b", "a.co.jp/x". */
static bool text_host(const char *text, char *out, size_t outlen)
{
    while (*text == ' ' || *text == '<' || *text == '(' || *text == '[')
        text++;
    const char *p = text;
    if (strncasecmp(p, "http://", 7) == 0)
        p += 7;
    else if (strncasecmp(p, "https://", 8) == 0)
        p += 8;
    size_t n = 0;
    bool dot = false;
    while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '.' || p[n] == '-')) {
        dot |= p[n] == '.';
        n++;
    }
    if (!dot || n == 0 || n >= outlen || n >= HOST_MAX)
        return false;
    /* The text must be only the address (a path may follow): "Click here"
     * has no host; "Visit example.com for details" is prose, not a link
     * label. */
    const char *rest = p + n;
    if (*rest && *rest != '/' && *rest != ':' && *rest != '?' && *rest != ' ' && *rest != '>' &&
        *rest != ')' && *rest != ']')
        return false;
    if (*rest == ' ' || *rest == '>' || *rest == ')' || *rest == ']') {
        const char *q = rest;
        while (*q == ' ' || *q == '>' || *q == ')' || *q == ']')
            q++;
        if (*q)
            return false;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    while (n > 0 && out[n - 1] == '.')
        out[--n] = '\0';
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    /* "file.pdf", "v1.2": the last label must be letters of a TLD. */
    const char *tld = strrchr(out, '.');
    if (!tld || strlen(tld + 1) < 2)
        return false;
    for (const char *c = tld + 1; *c; c++)
        if (!isalpha((unsigned char)*c))
            return false;
    return true;
}

static bool ip_private(const char *h)
{
    unsigned a, b;
    if (sscanf(h, "%u.%u.", &a, &b) != 2)
        return h[0] == '[' && (strncmp(h, "[::1]", 5) == 0 || strncasecmp(h, "[fe80", 5) == 0 ||
                               strncasecmp(h, "[fc", 3) == 0 || strncasecmp(h, "[fd", 3) == 0);
    return a == 10 || a == 127 || a == 0 || (a == 192 && b == 168) || (a == 172 && b >= 16 && b <= 31) ||
           (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127) || a >= 224 ||
           (a == 192 && b == 0) || (a == 198 && (b == 18 || b == 19 || b == 51)) || (a == 203 && b == 0);
}

static bool known_domain(const struct mail_ctx *ctx, const char *rd, const char **what)
{
    for (size_t i = 0; i < mail_nbrands; i++)
        if (mail_brand_owns(&mail_brands[i], rd)) {
            *what = mail_brands[i].name;
            return true;
        }
    if (ctx->opt && ctx->opt->own_domains)
        for (const char *const *d = ctx->opt->own_domains; *d; d++) {
            char o[HOST_MAX];
            if (mail_registrable(*d, o, sizeof o) && strcmp(o, rd) == 0) {
                *what = "own domain";
                return true;
            }
        }
    return false;
}

/* A newsletter from a mail service not on the tracker list: it says how
 * to unsubscribe (List-Unsubscribe, RFC 2369/8058) and sends most of its
 * links through one redirect domain. */
static bool bulk_tracker(const struct mail_msg *m, const char *rd)
{
    if (!mail_header_get(m, "List-Unsubscribe"))
        return false;
    size_t same = 0, all = 0;
    for (size_t i = 0; i < m->nlinks; i++) {
        char o[HOST_MAX];
        if (!m->links[i].host || !mail_registrable(m->links[i].host, o, sizeof o))
            continue;
        all++;
        same += strcmp(o, rd) == 0;
    }
    return same >= 3 && same * 2 >= all;
}

static void check_links(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    bool mismatch = false, shortener = false, ip = false, idn = false, script = false;
    for (size_t i = 0; i < m->nlinks; i++) {
        const struct mail_link *l = &m->links[i];
        if (l->href && !script &&
            (strncasecmp(l->href, "javascript:", 11) == 0 || strncasecmp(l->href, "data:", 5) == 0 ||
             strncasecmp(l->href, "vbscript:", 9) == 0)) {
            script = true;
            mail_reason_add(r, "content.link_script", 30, TR("link %.60s", "リンク %.60s"), l->href);
        }
        char h[HOST_MAX], hrd[HOST_MAX];
        if (!l->host || !mail_host_norm(l->host, h, sizeof h))
            continue;
        if (mail_host_is_ip(h)) {
            if (!ip && !ip_private(h)) {
                ip = true;
                mail_reason_add(r, "content.link_ip", 30, TR("link to %s", "%s へのリンク"), h);
            }
            continue;
        }
        if (!shortener && host_in(h, shorteners)) {
            shortener = true;
            mail_reason_add(r, "content.link_shortener", 10, TR("link via %s", "%s を経由するリンク"), h);
        }
        if (!idn && (strncmp(h, "xn--", 4) == 0 || strstr(h, ".xn--"))) {
            char u[HOST_MAX * 2];
            /* Japanese IDN (日本語.jp) is honest use; only a decoded name
             * that reads as plain Latin letters is a disguise. */
            if (mail_idn_to_utf8(h, u, sizeof u)) {
                idn = true;
                mail_reason_add(r, "content.link_idn", 10, TR("link host %s (%s)", "リンク先 %s（%s）"), h, u);
            }
        }
        if (mismatch || !l->in_html || !l->text)
            continue;
        char th[HOST_MAX], trd[HOST_MAX];
        if (!text_host(l->text, th, sizeof th) || !mail_registrable(th, trd, sizeof trd) ||
            !mail_registrable(h, hrd, sizeof hrd) || strcmp(trd, hrd) == 0)
            continue;
        const char *what = NULL;
        bool known = known_domain(ctx, trd, &what);
        /* Through a click tracker: how newsletters are built ("follow us
         * on facebook.com" included). */
        if (host_in(h, trackers) || bulk_tracker(m, hrd))
            continue;
        mismatch = true;
        mail_reason_add(r, "content.link_mismatch", known ? 60 : 30, TR("link text shows %s%s%s%s, goes to %s", "リンクの表示は %s%s%s%s、実際のリンク先は %s"),
                        th, known ? " (" : "", known ? what : "", known ? ")" : "", h);
    }
}

/* ---------------------------------------------------------------------
 * Attachments
 * --------------------------------------------------------------------- */

/* Extensions that run code when double-clicked on Windows, or mount or
 * open something that does. */
static const char *const ext_exec[] = {
    "exe", "scr", "com", "pif", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh",
    "hta", "msi", "msp", "cpl", "jar", "lnk", "iso", "img", "vhd", "vhdx", "one", "onepkg", "reg",
    "dll", "chm", "application", "appref-ms", "xll", "library-ms", "url", "scf", "inf", "gadget",
    "msc", "jnlp", "appx", "msix", "ace", "xlam", "svgz", "mobileconfig", "apk", "dmg", "pkg",
    "settingcontent-ms", "diagcab", NULL};
static const char *const ext_html[] = {"html", "htm", "shtml", "xhtml", "mht", "mhtml", "svg", NULL};
static const char *const ext_macro[] = {"docm", "dotm", "xlsm", "xltm", "xlsb", "pptm", "potm",
                                        "ppsm", "sldm", NULL};
/* Names people expect to be harmless: a second extension after one of these
 * is the double-extension trick. */
static const char *const ext_doc[] = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt",
                                      "jpg", "jpeg", "png", "gif", "csv", "rtf", "zip", "mp3", "mp4", NULL};
static const char *const ext_archive[] = {"zip", "7z", "rar", "gz", "tgz", "cab", "arj", "lzh", "xz",
                                          "bz2", "tar", "z", "r00", "uue", NULL};

static bool in_list(const char *s, const char *const *list)
{
    for (const char *const *p = list; *p; p++)
        if (strcasecmp(s, *p) == 0)
            return true;
    return false;
}

/* Extension of name (after the last '.'), trailing spaces and dots ignored,
 * into out; "" if none. */
static void file_ext(const char *name, size_t n, char *out, size_t outlen)
{
    out[0] = '\0';
    while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '.'))
        n--;
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '.')
            dot = name + i;
    if (!dot || (size_t)(name + n - dot - 1) >= outlen)
        return;
    size_t el = (size_t)(name + n - dot - 1);
    memcpy(out, dot + 1, el);
    out[el] = '\0';
}

static bool has_bytes(const unsigned char *d, size_t n, const void *pat, size_t pl)
{
    return d && n >= pl && memmem(d, n, pat, pl) != NULL;
}

/* VBA macros inside: OOXML keeps them in vbaProject.bin (the name is in the
 * ZIP directory even when compressed); OLE (doc/xls) has a _VBA_PROJECT
 * stream, named in UTF-16 in the directory. */
static bool has_macros(const unsigned char *d, size_t n)
{
    static const char ole_vba[] = "_\0V\0B\0A\0_\0P\0R\0O\0J\0E\0C\0T";
    static const unsigned char ole_sig[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n >= 4 && memcmp(d, "PK\3\4", 4) == 0)
        return has_bytes(d, n, "vbaProject.bin", 14) || has_bytes(d, n, "vbaProject", 10);
    if (n >= 8 && memcmp(d, ole_sig, 8) == 0)
        return has_bytes(d, n, ole_vba, sizeof ole_vba - 1) || has_bytes(d, n, "VBA\0", 4) ||
               has_bytes(d, n, "Attribute VB_", 13);
    return false;
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

struct archive_info {
    bool encrypted;
    char bad_name[128]; /* first dangerous name inside, or "" */
    unsigned entries;
};

static void archive_name(struct archive_info *ai, const unsigned char *name, size_t nl)
{
    char ext[16];
    size_t k = MIN(nl, (size_t)255);
    char buf[256];
    memcpy(buf, name, k);
    buf[k] = '\0';
    file_ext(buf, k, ext, sizeof ext);
    if (!ai->bad_name[0] && (in_list(ext, ext_exec) || in_list(ext, ext_macro))) {
        /* Printable only: the name is evidence a person reads. */
        size_t o = 0;
        for (size_t i = 0; i < k && o + 1 < sizeof ai->bad_name; i++)
            ai->bad_name[o++] = (buf[i] >= 0x20 && buf[i] != 0x7f) ? buf[i] : '?';
        ai->bad_name[o] = '\0';
    }
}

static void rar_name(void *arg, const unsigned char *name, size_t len)
{
    archive_name(arg, name, len);
}

/* ---------------------------------------------------------------------
 * Office documents that fetch content when opened
 * --------------------------------------------------------------------- */

/* One ZIP member's bytes into out (at most outcap, stored or deflated),
 * from its local header at off; returns the length, 0 on any error. The
 * sizes come from the central directory entry (cs, us). */
static size_t zip_member(const unsigned char *d, size_t n, size_t off, unsigned method, size_t cs,
                         unsigned char *out, size_t outcap)
{
    if (off > n || n - off < 30 || memcmp(d + off, "PK\3\4", 4) != 0)
        return 0;
    size_t nl = le16(d + off + 26), xl = le16(d + off + 28);
    size_t data = off + 30 + nl + xl;
    if (data > n || cs > n - data)
        return 0;
    if (method == 0) {
        size_t k = MIN(cs, outcap);
        memcpy(out, d + data, k);
        return k;
    }
    if (method != 8)
        return 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return 0;
    z.next_in = (Bytef *)(uintptr_t)(d + data);
    z.avail_in = (uInt)MIN(cs, (size_t)UINT32_MAX);
    z.next_out = out;
    z.avail_out = (uInt)outcap;
    int rc = inflate(&z, Z_FINISH);
    size_t got = outcap - z.avail_out;
    inflateEnd(&z);
    return rc == Z_STREAM_END || rc == Z_BUF_ERROR || rc == Z_OK ? got : 0;
}

/* Relationship types that make Word, Excel or PowerPoint load something
 * from elsewhere as the document opens (template injection, remote OLE
 * objects, frames), the way many malware documents fetch their payload. */
static bool rels_remote(const char *x, char *ev, size_t evlen)
{
    static const char *const types[] = {"/attachedTemplate\"", "/oleObject\"", "/frame\"",
                                        "/subDocument\"", "/externalLinkPath\"", NULL};
    /* Searched inside each tag's span without copying it: malware pads
     * these files with whitespace to get past scanners that read a prefix. */
    for (const char *p = strstr(x, "<Relationship "); p; p = strstr(p + 1, "<Relationship ")) {
        const char *e = strchr(p, '>');
        if (!e)
            break;
        size_t len = (size_t)(e - p);
        if (!memmem(p, len, "TargetMode=\"External\"", 21))
            continue;
        for (const char *const *t = types; *t; t++) {
            if (!memmem(p, len, *t, strlen(*t)))
                continue;
            const char *tg = memmem(p, len, "Target=\"", 8);
            size_t tl = 1;
            if (tg) {
                tg += 8;
                const char *q = memchr(tg, '"', (size_t)(e - tg));
                tl = q ? (size_t)(q - tg) : (size_t)(e - tg);
            }
            snprintf(ev, evlen, "%.*s -> %.*s", (int)strlen(*t) - 2, *t + 1, (int)MIN(tl, (size_t)100),
                     tg ? tg : "?");
            return true;
        }
    }
    return false;
}

/* Walks the central directory of an OOXML file and reads each *.rels
 * member (bounded: 64 members, 4 MiB each). */
static bool office_remote(const unsigned char *d, size_t n, char *ev, size_t evlen)
{
    if (n < 22)
        return false;
    size_t lo = n > 65557 ? n - 65557 : 0;
    size_t e = n - 22;
    for (;; e--) {
        if (memcmp(d + e, "PK\5\6", 4) == 0)
            break;
        if (e == lo)
            return false;
    }
    size_t p = le32(d + e + 16), cnt = le16(d + e + 10);
    enum { RELS_MAX = 4 << 20 };
    unsigned char *buf = xmalloc(RELS_MAX + 1);
    bool found = false;
    unsigned rels = 0;
    for (size_t i = 0; i < cnt && i < 10000 && !found && rels < 64; i++) {
        if (p > n || n - p < 46 || memcmp(d + p, "PK\1\2", 4) != 0)
            break;
        unsigned method = le16(d + p + 10);
        size_t cs = le32(d + p + 20), nl = le16(d + p + 28), xl = le16(d + p + 30), cl = le16(d + p + 32);
        size_t off = le32(d + p + 42);
        if (nl > n - p - 46)
            break;
        const char *name = (const char *)d + p + 46;
        if (nl > 5 && memcmp(name + nl - 5, ".rels", 5) == 0) {
            rels++;
            size_t got = zip_member(d, n, off, method, cs, buf, RELS_MAX);
            buf[got] = '\0';
            /* XML without NUL bytes: strstr stops at the first one. */
            found = got > 0 && rels_remote((const char *)buf, ev, evlen);
        }
        p += 46 + nl + xl + cl;
    }
    free(buf);
    return found;
}

static void zip_inspect_depth(const unsigned char *d, size_t n, struct archive_info *ai,
                              int depth);

/* A ZIP inside the ZIP (malspam wraps the program twice so that filters
 * that open one level see only an archive): read it too, one level deep,
 * up to 8 MiB. */
static void zip_nested(const unsigned char *d, size_t n, const unsigned char *cdir,
                       struct archive_info *ai, int depth)
{
    enum { NESTED_MAX = 8 << 20 };
    unsigned method = le16(cdir + 10);
    size_t cs = le32(cdir + 20), us = le32(cdir + 24), off = le32(cdir + 42);
    if (depth >= 1 || (le16(cdir + 8) & 1) || us == 0 || us > NESTED_MAX)
        return;
    unsigned char *buf = xmalloc(us);
    size_t got = zip_member(d, n, off, method, cs, buf, us);
    if (got >= 4 && memcmp(buf, "PK\3\4", 4) == 0)
        zip_inspect_depth(buf, got, ai, depth + 1);
    free(buf);
}

/* ZIP: the central directory (names, flag bit 0 = encrypted), else the
 * local headers from the start. Every offset checked against n. */
static void zip_inspect(const unsigned char *d, size_t n, struct archive_info *ai)
{
    zip_inspect_depth(d, n, ai, 0);
}

static void zip_inspect_depth(const unsigned char *d, size_t n, struct archive_info *ai,
                              int depth)
{
    size_t lo = n > 65557 ? n - 65557 : 0;
    for (size_t e = n >= 22 ? n - 22 : 0; n >= 22 && e + 1 > lo; e--) {
        if (memcmp(d + e, "PK\5\6", 4) != 0) {
            if (e == 0)
                break;
            continue;
        }
        uint32_t cd = le32(d + e + 16);
        uint16_t cnt = le16(d + e + 10);
        size_t p = cd;
        for (unsigned i = 0; i < cnt && i < 10000; i++) {
            if (p + 46 > n || memcmp(d + p, "PK\1\2", 4) != 0)
                break;
            uint16_t flags = le16(d + p + 8);
            size_t nl = le16(d + p + 28), xl = le16(d + p + 30), cl = le16(d + p + 32);
            if (p + 46 + nl > n)
                break;
            ai->encrypted |= flags & 1;
            archive_name(ai, d + p + 46, nl);
            ai->entries++;
            if (nl > 4 && strncasecmp((const char *)d + p + 46 + nl - 4, ".zip", 4) == 0)
                zip_nested(d, n, d + p, ai, depth);
            p += 46 + nl + xl + cl;
        }
        if (ai->entries)
            return;
        break;
    }
    /* No usable central directory (truncated): walk local headers. */
    size_t p = 0;
    for (unsigned i = 0; i < 10000 && p + 30 <= n && memcmp(d + p, "PK\3\4", 4) == 0; i++) {
        uint16_t flags = le16(d + p + 6);
        uint32_t cs = le32(d + p + 18);
        size_t nl = le16(d + p + 26), xl = le16(d + p + 28);
        if (p + 30 + nl > n)
            break;
        ai->encrypted |= flags & 1;
        archive_name(ai, d + p + 30, nl);
        ai->entries++;
        if (flags & 8)
            break; /* sizes follow the data: cannot skip without inflating */
        size_t next = p + 30 + nl + xl + (size_t)cs;
        if (next <= p || next > n)
            break;
        p = next;
    }
}

/* 7z: the AES-256 coder id (06 F1 07 01) in the header, or in the
 * properties of an encoded header, means a password is needed. */
static void sevenz_inspect(const unsigned char *d, size_t n, struct archive_info *ai)
{
    static const unsigned char aes[] = {0x06, 0xF1, 0x07, 0x01};
    if (n < 32)
        return;
    uint64_t off = (uint64_t)le32(d + 12) | ((uint64_t)le32(d + 16) << 32);
    uint64_t sz = (uint64_t)le32(d + 20) | ((uint64_t)le32(d + 24) << 32);
    if (off > n || sz > n || 32 + off + sz > n)
        return;
    const unsigned char *h = d + 32 + off;
    ai->entries = 1;
    if (sz > 0 && memmem(h, (size_t)sz, aes, sizeof aes))
        ai->encrypted = true;
}

/* Whether the text gives a password: パスワード / password / PW / 解凍 followed
 * closely by something that looks like one (3-24 characters with a digit, or
 * 4+). Searched in the original texts, so the evidence keeps its case. */
static bool password_in(const char *text, char *ev, size_t evlen)
{
    static const char *const keys[] = {"パスワード", "password", "passwort", "senha", "contraseña",
                                       "pw:", "pw：", "pass:", "解凍", "暗証", "パス：", "パス:", NULL};
    for (const char *const *k = keys; *k; k++) {
        for (const char *p = strcasestr(text, *k); p; p = strcasestr(p + 1, *k)) {
            const char *q = p + strlen(*k);
            /* Up to ~40 bytes of ": は「" and the like before the token. */
            size_t skipped = 0;
            while (*q && skipped < 40 && !isalnum((unsigned char)*q) && *q != '\n') {
                q++;
                skipped++;
            }
            size_t tl = 0;
            bool digit = false;
            while (q[tl] && tl < 32 && (isalnum((unsigned char)q[tl]) || strchr("!#$%&*+-_@.", q[tl]))) {
                digit |= isdigit((unsigned char)q[tl]) != 0;
                tl++;
            }
            if (tl >= 3 && tl <= 24 && (digit || tl >= 4) && !(tl >= 4 && strncasecmp(q, "will", 4) == 0)) {
                snprintf(ev, evlen, "%s %.*s", *k, (int)tl, q);
                return true;
            }
        }
    }
    return false;
}

static bool password_in_text(const struct mail_msg *m, char *ev, size_t evlen)
{
    const char *texts[] = {m->text, m->html_text, m->subject};
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        if (texts[i] && password_in(texts[i], ev, evlen))
            return true;
    return false;
}

static bool sniff_exec(const unsigned char *d, size_t n)
{
    if (n >= 64 && d[0] == 'M' && d[1] == 'Z') {
        uint32_t pe = le32(d + 60);
        return pe < n - 4 && memcmp(d + pe, "PE\0\0", 4) == 0;
    }
    return n >= 4 && (memcmp(d, "\x7f" "ELF", 4) == 0);
}

static bool mime_is(const char *mime, const char *const *list)
{
    if (!mime)
        return false;
    for (const char *const *p = list; *p; p++)
        if (strstr(mime, *p))
            return true;
    return false;
}

static void check_attachment(const struct mail_msg *m, const struct mail_attachment *a, struct mail_result *r,
                             bool *encrypted_done)
{
    const char *name = a->filename ? a->filename : "";
    char ext[32];
    file_ext(name, strlen(name), ext, sizeof ext);
    const unsigned char *d = a->data;
    size_t n = d ? a->len : 0;
    static const char *const mime_exec[] = {"x-dosexec", "x-msdownload", "x-executable", "x-sharedlib",
                                            "x-ms-shortcut", "x-iso9660", "vnd.ms-cab", "x-msi", NULL};
    static const char *const mime_script[] = {"text/html", "javascript", "x-shellscript", "x-msdos-batch",
                                              "image/svg", "hta", NULL};
    bool exec_bytes = sniff_exec(d, n) || mime_is(a->magic_mime, mime_exec);

    /* Right-to-left override: "invoice\u202Efdp.exe" reads as invoice.exe.pdf. */
    if (strstr(name, "\xE2\x80\xAE") || strstr(name, "\xE2\x80\x8F")) {
        mail_reason_add(r, "content.attach_double_ext", 60, TR("attachment \"%s\" has a right-to-left mark", "添付ファイル「%s」の名前に右から左への制御文字があります"), name);
        return;
    }
    /* invoice.pdf.exe, "scan.pdf      .js". */
    char inner[32];
    const char *last = strrchr(name, '.');
    if (last && last > name && ext[0] && in_list(ext, ext_exec)) {
        file_ext(name, (size_t)(last - name), inner, sizeof inner);
        if (inner[0] && in_list(inner, ext_doc)) {
            mail_reason_add(r, "content.attach_double_ext", 60, TR("attachment \"%s\"", "添付ファイル「%s」"), name);
            return;
        }
    }
    if (ext[0] && in_list(ext, ext_exec)) {
        mail_reason_add(r, "content.attach_dangerous", 60, TR("attachment \"%s\"", "添付ファイル「%s」"), name);
        return;
    }
    if (ext[0] && in_list(ext, ext_html)) {
        mail_reason_add(r, "content.attach_html", 30, TR("attachment \"%s\"", "添付ファイル「%s」"), name);
        return;
    }
    /* What the bytes are, whatever the name. */
    if (exec_bytes) {
        mail_reason_add(r, ext[0] ? "content.attach_mismatch" : "content.attach_dangerous", 60,
                        TR("attachment \"%s\" is a program (%s)", "添付ファイル「%s」の中身はプログラムです（%s）"), name, a->magic_mime ? a->magic_mime : "PE/ELF");
        return;
    }
    if (ext[0] && in_list(ext, ext_doc) && !in_list(ext, ext_archive) && mime_is(a->magic_mime, mime_script) &&
        strcasecmp(ext, "txt") != 0 && strcasecmp(ext, "csv") != 0) {
        mail_reason_add(r, "content.attach_mismatch", 60, TR("attachment \"%s\" is %s", "添付ファイル「%s」の中身は %s です"), name, a->magic_mime);
        return;
    }
    char rev[160];
    if (n >= 4 && memcmp(d, "PK\3\4", 4) == 0 && office_remote(d, n, rev, sizeof rev)) {
        mail_reason_add(r, "content.attach_remote_content", 60, TR("attachment \"%s\": %s", "添付ファイル「%s」: %s"), name, rev);
        return;
    }
    if (in_list(ext, ext_macro) || has_macros(d, n)) {
        mail_reason_add(r, "content.attach_macro", 60, TR("attachment \"%s\"%s", "添付ファイル「%s」%s"), name,
                        in_list(ext, ext_macro) ? "" : " contains vbaProject/VBA streams");
        return;
    }
    /* A password-protected Office file: an OLE container holding an
     * EncryptedPackage stream (what libmagic calls application/encrypted). */
    static const char enc_pkg[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e";
    if ((a->magic_mime && strcmp(a->magic_mime, "application/encrypted") == 0) ||
        (n >= 8 && memcmp(d, "\xD0\xCF\x11\xE0", 4) == 0 && has_bytes(d, n, enc_pkg, sizeof enc_pkg - 1))) {
        if (!*encrypted_done) {
            *encrypted_done = true;
            char ev[96];
            mail_reason_add(r, "content.attach_encrypted", 30, TR("attachment \"%s\" is a password-protected Office file", "添付ファイル「%s」はパスワード付きの Office 文書です"),
                            name);
            if (password_in_text(m, ev, sizeof ev))
                mail_reason_add(r, "content.attach_password_text", 30, "%s", ev);
        }
        return;
    }
    struct archive_info ai = {false, "", 0};
    if (n >= 4 && memcmp(d, "PK\3\4", 4) == 0 && !mime_is(a->magic_mime, (const char *const[]){
                                                                "openxmlformats", "opendocument",
                                                                "java-archive", "epub", NULL}))
        zip_inspect(d, n, &ai);
    else if (n >= 6 && memcmp(d, "7z\xBC\xAF\x27\x1C", 6) == 0)
        sevenz_inspect(d, n, &ai);
    else if (n >= 8 && memcmp(d, "Rar!\x1a\x07", 6) == 0) {
        struct mail_rar_info ri;
        if (mail_rar_inspect(d, n, &ri, rar_name, &ai)) {
            ai.encrypted |= ri.encrypted;
            ai.entries += ri.entries;
        }
    }
    if (ai.bad_name[0])
        mail_reason_add(r, "content.archive_dangerous", 60, "\"%s\" contains \"%s\"", name, ai.bad_name);
    if (ai.encrypted && !*encrypted_done) {
        *encrypted_done = true;
        char ev[96];
        mail_reason_add(r, "content.attach_encrypted", 30, TR("attachment \"%s\" needs a password", "添付ファイル「%s」はパスワードが必要です"), name);
        if (password_in_text(m, ev, sizeof ev))
            mail_reason_add(r, "content.attach_password_text", 30, "%s", ev);
        return;
    }
    /* A document name over an archive or disk image (not Office XML). */
    if (ext[0] && in_list(ext, ext_doc) && !in_list(ext, ext_archive) && n >= 4 &&
        (memcmp(d, "Rar!", 4) == 0 || memcmp(d, "7z\xBC\xAF", 4) == 0 ||
         (memcmp(d, "PK\3\4", 4) == 0 && strncasecmp(ext, "doc", 3) != 0 && strncasecmp(ext, "xls", 3) != 0 &&
          strncasecmp(ext, "ppt", 3) != 0)))
        mail_reason_add(r, "content.attach_mismatch", 30, TR("attachment \"%s\" is an archive (%s)", "添付ファイル「%s」の中身は圧縮ファイルです（%s）"), name,
                        a->magic_mime ? a->magic_mime : "zip/rar/7z");
    else if (n >= 4 && (memcmp(d, "Rar!", 4) == 0 || memcmp(d, "7z\xBC\xAF", 4) == 0) && ext[0] &&
             strcasecmp(ext, "rar") != 0 && strcasecmp(ext, "7z") != 0)
        /* RAR or 7z under another archive's name (.gz, .zip): mail filters
         * that open .gz pass it unopened. */
        mail_reason_add(r, "content.attach_mismatch", 30, TR("attachment \"%s\" is %s", "添付ファイル「%s」の中身は %s です"), name,
                        memcmp(d, "Rar!", 4) == 0 ? "a RAR archive" : "a 7z archive");
    /* Not .gz/.xz/.tar: developers mail kernel configs and logs so. */
    else if (ext[0] && in_list(ext, (const char *const[]){"rar", "7z", "ace", "arj", "cab", "z", "uue", "r00",
                                                           "r01", "zipx", NULL}))
        mail_reason_add(r, "content.attach_archive", 10, TR("attachment \"%s\"", "添付ファイル「%s」"), name);
}

static void check_attachments(const struct mail_msg *m, struct mail_result *r)
{
    bool enc = false;
    size_t before = r->nreasons;
    for (size_t i = 0; i < m->nattachments && r->nreasons - before < 6; i++) {
        if (m->attachments[i].is_message)
            continue;
        check_attachment(m, &m->attachments[i], r, &enc);
    }
}

/* ---------------------------------------------------------------------
 * Wording. Phrases are lower case (matched against the lower-cased text);
 * weight 30 = says it on its own, 10 = common in honest mail too.
 * --------------------------------------------------------------------- */

struct phrase {
    const char *p;
    int w;
};

struct category {
    const char *id;
    int cap;
    unsigned min; /* phrases of weight 10 needed before the category counts */
    const struct phrase *ph;
};

#define P(...) ((const struct phrase[]){__VA_ARGS__, {NULL, 0}})

static const struct category categories[] = {
    {"content.bec_account_change", 40, 1,
     P({"振込先変更", 30}, {"振込先の変更", 30}, {"振込口座の変更", 30}, {"振込先口座の変更", 30},
       {"口座変更", 30}, {"口座の変更", 30}, {"新しい口座", 30}, {"新口座", 30}, {"振込先が変更", 30},
       {"口座が変更", 30}, {"お振込先を変更", 30}, {"change of bank details", 30}, {"new bank details", 30},
       {"updated bank details", 30}, {"changed our bank", 30}, {"change our bank", 30},
       {"new banking details", 30}, {"banking details have changed", 30}, {"bank account has changed", 30},
       {"new account details", 30}, {"update the payment details", 30}, {"change in our banking", 30},
       {"our new bank account", 30}, {"bank account details have been updated", 30},
       {"nuevos datos bancarios", 30}, {"neue bankverbindung", 30}, {"nouvelles coordonnées bancaires", 30})},
    {"content.bec_secrecy", 30, 1,
     P({"内密に", 30}, {"他言無用", 30}, {"口外しない", 30}, {"極秘", 30}, {"keep this confidential", 30},
       {"keep it confidential", 30}, {"keep this between us", 30}, {"do not discuss this", 30},
       {"don't tell anyone", 30}, {"strictly confidential", 10}, {"be discreet", 30})},
    {"content.bec_gift_card", 30, 2,
     P({"ギフトカード", 10}, {"itunesカード", 30}, {"amazonギフト", 10}, {"google playギフト", 30},
       {"gift card", 10}, {"gift cards", 10}, {"itunes card", 30}, {"steam card", 30},
       {"scratch the back", 30}, {"ギフト券の番号", 30}, {"card codes", 30})},
    {"content.payment_lure", 20, 2,
     P({"請求書", 10}, {"お支払い", 10}, {"送金", 10}, {"入金", 10}, {"invoice", 10}, {"remittance", 10},
       {"payment confirmation", 10}, {"proof of payment", 10}, {"swift copy", 10}, {"wire transfer", 10},
       {"payment advice", 10}, {"purchase order", 10}, {"fatura", 10}, {"boleto", 10}, {"factura", 10},
       {"rechnung", 10}, {"facture", 10}, {"pagamento", 10}, {"comprobante", 10}, {"nota fiscal", 10},
       {"transferencia", 10}, {"überweisung", 10}, {"bank transfer", 10}, {"电子发票", 10}, {"发票", 10},
       {"nf-e", 10}, {"nota eletronica", 10}, {"nota eletrônica", 10}, {"quotation", 10}, {"request for quote", 10})},
    {"content.credential_lure", 40, 2,
     P({"アカウントが停止", 30}, {"アカウントを停止", 30}, {"アカウントがロック", 30}, {"アカウントをロック", 30},
       {"利用停止", 30}, {"一時停止", 10}, {"利用を制限", 30}, {"ご利用制限", 30}, {"本人確認", 10},
       {"不正アクセス", 10}, {"不正利用", 10}, {"第三者による", 10}, {"第三者からの不正", 30},
       {"お客様情報の確認", 30}, {"お客様情報を更新", 30}, {"情報の更新", 10}, {"カード情報", 10},
       {"セキュリティ確認", 30}, {"ログインして", 10}, {"ログインの上", 10}, {"ログインしてください", 30},
       {"ご確認ください", 10}, {"有効期限が切れ", 10}, {"異常なログイン", 30}, {"不審なログイン", 30},
       {"アカウント情報", 10}, {"支払い方法を更新", 30}, {"退会処理", 10}, {"ログインはこちら", 10},
       {"ログイン操作", 10}, {"身元を確認", 30}, {"別のデバイス", 10}, {"一致しない", 10},
       {"以下のリンクより", 10}, {"下記のリンクより", 10}, {"手続きをお願い", 10}, {"ご利用確認", 10}, {"お支払い方法の更新", 30}, {"再開手続き", 30},
       {"verify your account", 30}, {"verify your identity", 30}, {"confirm your identity", 30},
       {"confirm your account", 30}, {"account has been suspended", 30}, {"account will be suspended", 30},
       {"account has been locked", 30}, {"account will be closed", 30}, {"account has been limited", 30},
       {"account is suspended", 30}, {"account will be deactivated", 30}, {"unusual activity", 10},
       {"unusual sign-in", 30}, {"suspicious activity", 10}, {"suspicious login", 30},
       {"password expires", 30}, {"password will expire", 30}, {"password has expired", 30},
       {"mailbox is full", 30}, {"mailbox quota", 30}, {"storage is full", 30}, {"email storage", 10},
       {"update your payment", 30}, {"update your billing", 30}, {"confirm your billing", 30},
       {"payment method", 10}, {"restore access", 30}, {"restore your account", 30},
       {"reactivate your account", 30}, {"validate your account", 30}, {"validate your email", 30},
       {"sign in to your account", 10}, {"log in to your account", 10}, {"login to your account", 10},
       {"keep your account", 10}, {"secure your account", 10}, {"security alert", 10},
       {"pending messages", 30}, {"incoming messages", 10}, {"undelivered messages", 10},
       {"e-mail account", 10}, {"email account", 10}, {"webmail", 10},
       {"sua conta", 10}, {"atualize seus dados", 30}, {"confirme seus dados", 30}, {"conta bloqueada", 30},
       {"conta suspensa", 30}, {"su cuenta", 10}, {"cuenta suspendida", 30}, {"cuenta bloqueada", 30},
       {"actualice sus datos", 30}, {"verifique su", 10}, {"ihr konto", 10}, {"konto wurde gesperrt", 30},
       {"konto gesperrt", 30}, {"bestätigen sie ihre", 30}, {"verifizieren sie", 30}, {"votre compte", 10},
       {"compte suspendu", 30}, {"compte a été suspendu", 30}, {"vérifier vos informations", 30},
       {"il tuo account", 10}, {"account sospeso", 30}, {"uw account", 10}, {"geblokkeerd", 10},
       {"ваш аккаунт", 10}, {"подтвердите", 10}, {"密码到期", 30}, {"密码即将过期", 30}, {"密码过期", 30},
       {"邮箱容量", 30}, {"存储容量", 10}, {"邮件系统", 10}, {"未读邮件", 10}, {"邮箱账户", 10}, {"账户异常", 30},
       {"未收到的信件", 30}, {"未收到的邮件", 30}, {"邮件系统升级", 30}, {"邮箱升级", 30}, {"系统升级", 10},
       {"信件", 10}, {"邮件系统通知", 30}, {"服务器延迟", 10}, {"立即验证", 30}, {"验证您的", 10}, {"停用", 10}, {"冻结", 10}, {"konto", 10}, {"zahlung", 10},
       {"sicherheitsgründen", 10}, {"bloqueo", 10}, {"suspendida", 10}, {"pendiente", 10},
       {"datos bancarios", 10}, {"3d secure", 10}, {"mot de passe", 10}, {"senha", 10}, {"contraseña", 10},
       {"passwort", 10}, {"multa", 10}, {"regularize", 10}, {"regularizar", 10},
       {"atualize suas informações", 30}, {"atualize seu cadastro", 30}, {"continue utilizando", 10},
       {"notificação", 10}, {"notificacao", 10}, {"tributaria", 10}, {"tributária", 10}, {"infracción", 10},
       {"infraccion", 10}, {"pendência", 10}, {"pendencia", 10}, {"regularização", 10}, {"intimação", 10},
       {"judicial", 10}, {"action required", 10}, {"wallet", 10}, {"will be restricted", 30},
       {"unlock your", 10}, {"recovery phrase", 30}, {"seed phrase", 30})},
    {"content.prize_lure", 30, 2,
     P({"congratulations", 10}, {"you have been selected", 30}, {"you've been selected", 30},
       {"selected to receive", 30}, {"claim your", 10}, {"your reward", 10}, {"cadeaukaart", 10},
       {"gratis", 10}, {"gewonnen", 10}, {"félicitations", 10}, {"congratulazioni", 10}, {"parabéns", 10},
       {"felicidades", 10}, {"resgate", 10}, {"seus pontos", 30}, {"pontos", 10}, {"recompensa", 10},
       {"prêmio", 10}, {"premio", 10}, {"sorteo", 10}, {"free spins", 10}, {"jackpot", 10},
       {"casino", 10}, {"last chance", 10}, {"laatste kans", 10}, {"today only", 10}, {"verloten", 10},
       {"finalist", 10}, {"claim now", 10}, {"expire", 10}, {"vencer", 10}, {"expirar", 10},
       /* "answer a short survey and receive a gift": the reward-survey lure */
       {"short survey", 10}, {"quick survey", 10}, {"sondaggio", 10}, {"questionario", 10},
       {"enquête", 10}, {"sondage", 10}, {"umfrage", 10}, {"encuesta", 10}, {"vragenlijst", 10},
       {"enquête in te vullen", 30}, {"maak kans", 10}, {"win een", 10}, {"gutschein", 10},
       {"einkaufsgutschein", 10}, {"regalo", 10}, {"omaggio", 10}, {"gratuit", 10}, {"kostenlos", 10},
       {"cadeau", 10}, {"gift card", 10}, {"spins", 10}, {"sei stato scelto", 30}, {"sei stata scelta", 30}, {"vous avez été sélectionné", 30},
       {"has sido seleccionado", 30}, {"você foi selecionado", 30}, {"sie wurden ausgewählt", 30},
       {"je bent geselecteerd", 30}, {"ganhou", 10}, {"hai vinto", 10}, {"vous avez gagné", 10},
       /* Chinese: a government "labour subsidy" to claim by scanning a code */
       {"劳动补贴", 30}, {"补贴领取", 30}, {"补贴申领", 30}, {"补贴", 10}, {"补助", 10}, {"领取", 10},
       {"扫一扫", 10}, {"赢了", 10}, {"充值送", 10})},
    {"content.delivery_lure", 30, 2,
     P({"お荷物", 10}, {"不在", 10}, {"再配達", 10}, {"配達できません", 30}, {"お届けできません", 30},
       {"配送料", 10}, {"関税", 10}, {"delivery attempt", 30}, {"could not be delivered", 10},
       {"unable to deliver your", 30}, {"parcel", 10}, {"your package", 10}, {"shipping fee", 10},
       {"customs fee", 30}, {"redelivery", 30}, {"tracking number", 10}, {"encomenda", 10},
       {"paquete", 10}, {"paket", 10}, {"colis", 10}, {"pacco", 10}, {"pakket", 10},
       {"livraison", 10}, {"tentative de livraison", 30}, {"consegna", 10}, {"entrega", 10},
       {"zustellung", 10}, {"sendung", 10}, {"bezorging", 10}, {"pacchetto", 10},
       {"entrega del paquete", 30}, {"consegna del pacchetto", 30}, {"reprogrammer la livraison", 30},
       {"n° de suivi", 10}, {"código de seguimiento", 10}, {"codice di tracciamento", 10},
       {"sendungsverfolgung", 10}, {"track&trace", 10}, {"tarifa de envío", 10}, {"frais de livraison", 10},
       {"未能投递", 30}, {"包裹", 10}, {"快递", 10})},
    {"content.advance_fee", 40, 2,
     P({"next of kin", 30}, {"beneficiary", 10}, {"inheritance", 10}, {"million dollars", 10},
       {"million united states dollars", 30}, {"(usd", 10}, {"consignment", 10}, {"barrister", 10},
       {"compensation fund", 30}, {"unclaimed", 10}, {"lottery", 10}, {"you have won", 30},
       {"your email was selected", 30}, {"atm card", 10}, {"diplomatic", 10}, {"late husband", 30},
       {"business proposal", 10}, {"transfer the fund", 30}, {"transfer of the fund", 30},
       {"100% risk free", 30}, {"risk-free", 10}, {"my late", 10}, {"foreign partner", 10},
       {"donation", 10}, {"charity work", 10}, {"reply urgently", 10}, {"private email", 10},
       {"government bonds", 10}, {"claim your prize", 30}, {"winning notification", 30},
       {"western union", 10}, {"moneygram", 10}, {"bitcoin wallet", 10}, {"cryptocurrency", 10},
       {"my late father", 30}, {"i want you to know that", 10}, {"proposal", 10}, {"trust you", 10},
       {"doação", 10}, {"doacao", 10}, {"milhões de dólares", 30}, {"millones de dólares", 30},
       {"millions de dollars", 30}, {"millionen dollar", 30}, {"milioni di dollari", 30},
       {"herança", 10}, {"herencia", 10}, {"erbschaft", 10}, {"héritage", 10}, {"eredità", 10},
       {"loteria", 10}, {"lotería", 10}, {"lotterie", 10}, {"lotteria", 10}, {"spende", 10},
       {"spendencode", 30}, {"gewinner", 10}, {"ganhador", 10}, {"ganador", 10}, {"vincitore", 10},
       {"gagnant", 10}, {"beneficiário", 10}, {"beneficiario", 10}, {"bénéficiaire", 10},
       {"mega millions", 10}, {"powerball", 10}, {"foi selecionado para receber", 30},
       {"ha sido seleccionado para recibir", 30}, {"wohltätigkeit", 10}, {"charity", 10})},
    /* Romance and sex come-ons: the opening of romance fraud and
     * sextortion, and the link bait of adult spam. */
    {"content.dating_lure", 30, 2,
     P({"want to meet you", 30}, {"wants to meet you", 30}, {"send you my photo", 30},
       {"send you my picture", 30}, {"i will send you my photo", 30}, {"my photo", 10}, {"my picture", 10},
       {"my photos", 10}, {"looking for a man", 30}, {"seeking a man", 30}, {"looking for a gentleman", 30},
       {"i'm single", 10}, {"i am single", 10}, {"unmarried", 10}, {"lonely", 10}, {"gentleman", 10},
       {"small talk", 10}, {"meet men", 30}, {"for sex", 30}, {"hot girls", 30}, {"girls on our site", 30},
       {"hookup", 10}, {"sexy", 10}, {"dating", 10}, {"juicy", 10}, {"chick", 10}, {"nude", 10},
       {"find a girl", 30}, {"want to chat", 10}, {"let's chat", 10}, {"beautiful woman", 10})},
    /* The "call-back" scam: a purchase or renewal you did not make, and a
     * phone number to call to cancel it (check_wording() wants a number). */
    {"content.callback_lure", 30, 3,
     P({"call us", 10}, {"call our", 10}, {"helpline", 10}, {"customer care", 10}, {"support team", 10},
       {"to cancel", 10}, {"cancel the subscription", 10}, {"cancel your subscription", 10},
       {"auto-renew", 10}, {"auto renew", 10}, {"has been renewed", 10}, {"renewal", 10},
       {"did not authorize", 10}, {"didn't authorize", 10}, {"did not make this", 10}, {"refund", 10},
       {"amount charged", 10}, {"total charged", 10}, {"has been processed", 10}, {"has been charged", 10},
       {"order confirmation", 10}, {"transaction id", 10}, {"within the next 24 hours", 10},
       {"if you're unsure", 10}, {"if you are unsure", 10}, {"geek squad", 10}, {"norton", 10},
       {"mcafee", 10}, {"paypal", 10})},
    {"content.bec_urgent", 20, 1,
     P({"至急", 10}, {"大至急", 10}, {"本日中", 10}, {"早急に", 10}, {"urgent payment", 10},
       {"urgent wire", 10}, {"wire transfer today", 10}, {"payment today", 10}, {"immediate payment", 10},
       {"within 24 hours", 10}, {"時間以内", 10}, {"within 48 hours", 10}, {"期限までに", 10})},
};

/* A telephone number written for people: 10 to 15 digits in groups
 * ("+1 802-203-6615", "(805) 248 4054", "0120-123-456"). */
static bool has_phone(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (!(*p == '+' || *p == '(' || isdigit((unsigned char)*p)) || (p > s && isalnum((unsigned char)p[-1])))
            continue;
        /* Digits with single separators between them; a separator not
         * followed by a digit (or '(') ends the number. */
        size_t digits = 0, groups = 0, len = 0;
        bool prev_digit = false;
        while (p[len] && len < 24) {
            char c = p[len];
            if (isdigit((unsigned char)c)) {
                digits++;
                groups += !prev_digit;
                prev_digit = true;
            } else if (strchr(" -.()+", c) && (isdigit((unsigned char)p[len + 1]) || p[len + 1] == '(' ||
                                                (c == ')' && p[len + 1] == ' '))) {
                prev_digit = false;
            } else {
                break;
            }
            len++;
        }
        if (digits >= 10 && digits <= 15 && groups >= 2 && !isalpha((unsigned char)p[len]))
            return true;
        p += len ? len - 1 : 0;
    }
    return false;
}

static void check_wording(const struct mail_msg *m, const char *low, struct mail_result *r)
{
    bool phone = has_phone(low);
    /* "Your account is suspended" lures to a login page: without a link,
     * form or HTML attachment the same words are a bounce or a notice. */
    bool actionable = m->nlinks > 0 || m->nforms > 0;
    for (size_t i = 0; i < m->nattachments; i++) {
        const char *fn = m->attachments[i].filename;
        const char *dot = fn ? strrchr(fn, '.') : NULL;
        actionable |= dot && (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0 ||
                              strcasecmp(dot, ".shtml") == 0 || strcasecmp(dot, ".svg") == 0);
    }
    int total = 0;
    for (size_t c = 0; c < ARRAY_SIZE(categories) && total < 60; c++) {
        const struct category *cat = &categories[c];
        if (!actionable && (strcmp(cat->id, "content.credential_lure") == 0 ||
                            strcmp(cat->id, "content.delivery_lure") == 0))
            continue;
        if (!phone && strcmp(cat->id, "content.callback_lure") == 0)
            continue;
        int best = 0, extra = 0;
        unsigned hits = 0;
        struct strbuf ev = STRBUF_INIT;
        unsigned shown = 0;
        for (const struct phrase *p = cat->ph; p->p; p++) {
            if (!strstr(low, p->p))
                continue;
            if (best == 0)
                best = p->w;
            else {
                extra += 10;
                best = MAX(best, p->w);
            }
            hits++;
            if (shown++ < 4)
                sb_printf(&ev, "%s\"%s\"", shown > 1 ? ", " : "", p->p);
        }
        /* Several weak phrases of one story add up to a clear sign. */
        int s = MIN(best + (extra > 0 ? MIN(extra, 20) : 0), cat->cap);
        /* Payment and delivery words alone are everyday business: only
         * with several phrases do they count at all. */
        if (best > 0 && (best >= 30 || hits >= cat->min)) {
            s = MIN(s, 60 - total);
            mail_reason_add(r, cat->id, s, "%s", sb_str(&ev));
            total += s;
        }
        sb_free(&ev);
    }
}

/* ---------------------------------------------------------------------
 * Reply threads
 * --------------------------------------------------------------------- */

static bool subject_is_reply(const char *s)
{
    if (!s)
        return false;
    while (*s == ' ' || *s == '[') {
        if (*s == '[') { /* "[list] Re:" */
            const char *e = strchr(s, ']');
            if (!e)
                break;
            s = e + 1;
        } else
            s++;
    }
    return strncasecmp(s, "re:", 3) == 0 || strncasecmp(s, "re：", 5) == 0 ||
           strncasecmp(s, "aw:", 3) == 0 || strncmp(s, "返信:", 7) == 0 || strncasecmp(s, "res:", 4) == 0;
}

/* Quoted header lines of an earlier message in the text: "From: Name
 * <a@b>", "差出人: ...", "On ... Name <a@b> wrote:". Calls fn with the
 * display name (may be empty) and address. */
struct quoted {
    char name[128];
    char addr[256];
};

static size_t quoted_senders(const char *text, struct quoted *q, size_t max)
{
    size_t n = 0;
    static const char *const labels[] = {"\nfrom:", "\n> from:", "\n差出人:", "\n差出人：", "\n送信者:",
                                         "\nde:", "\nvon:", "\n*from:*", NULL};
    for (const char *const *l = labels; *l && n < max; l++) {
        for (const char *p = strcasestr(text, *l); p && n < max; p = strcasestr(p + 1, *l)) {
            const char *v = p + strlen(*l);
            const char *eol = strchr(v, '\n');
            size_t len = eol ? (size_t)(eol - v) : strlen(v);
            if (len > 300)
                continue;
            char line[320];
            memcpy(line, v, len);
            line[len] = '\0';
            const char *lt = strchr(line, '<'), *gt = lt ? strchr(lt, '>') : NULL;
            const char *at = strchr(line, '@');
            if (!at)
                continue;
            struct quoted *e = &q[n];
            e->name[0] = e->addr[0] = '\0';
            if (lt && gt && lt < at && at < gt) {
                size_t al = MIN((size_t)(gt - lt - 1), sizeof e->addr - 1);
                memcpy(e->addr, lt + 1, al);
                e->addr[al] = '\0';
                const char *ns = line;
                while (*ns == ' ' || *ns == '"')
                    ns++;
                size_t nl = (size_t)(lt - ns);
                while (nl > 0 && (ns[nl - 1] == ' ' || ns[nl - 1] == '"'))
                    nl--;
                nl = MIN(nl, sizeof e->name - 1);
                memcpy(e->name, ns, nl);
                e->name[nl] = '\0';
            } else {
                const char *s = at, *t = at;
                while (s > line && !strchr(" \t:<(\"[", s[-1]))
                    s--;
                while (*t && !strchr(" \t>)\"]", *t))
                    t++;
                size_t al = MIN((size_t)(t - s), sizeof e->addr - 1);
                memcpy(e->addr, s, al);
                e->addr[al] = '\0';
            }
            for (char *c = e->addr; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            if (e->addr[0])
                n++;
        }
    }
    return n;
}

static bool has_quoted_lines(const char *text)
{
    unsigned q = 0;
    for (const char *p = text; p && *p; p = strchr(p, '\n')) {
        if (*p == '\n')
            p++;
        if (*p == '>')
            q++;
        if (q >= 3)
            return true;
    }
    return strstr(text, "-----Original Message-----") || strstr(text, "----- Original Message -----") ||
           strstr(text, "-----元のメッセージ-----");
}

static void check_thread(const struct mail_msg *m, struct mail_result *r)
{
    if (!m->text || !m->from.addr)
        return;
    bool threaded = m->in_reply_to || m->references;
    bool reply = subject_is_reply(m->subject) || threaded;
    if (!reply)
        return;
    struct quoted q[16];
    size_t nq = quoted_senders(m->text, q, ARRAY_SIZE(q));
    /* Emotet: the name of someone in the thread, an address that is not
     * theirs. */
    if (m->from.display && strlen(m->from.display) >= 3) {
        for (size_t i = 0; i < nq; i++) {
            if (!q[i].name[0] || strcasecmp(q[i].name, m->from.display) != 0)
                continue;
            const char *qd = strchr(q[i].addr, '@');
            const char *fd = strchr(m->from.addr, '@');
            char qr[HOST_MAX], fr[HOST_MAX];
            if (!qd || !fd || !mail_registrable(qd + 1, qr, sizeof qr) ||
                !mail_registrable(fd + 1, fr, sizeof fr) || strcmp(qr, fr) == 0)
                continue;
            mail_reason_add(r, "content.thread_hijack", 60, "From \"%s\" <%s>, quoted as <%s>", m->from.display,
                            m->from.addr, q[i].addr);
            return;
        }
    }
    if (!threaded && subject_is_reply(m->subject) && (nq > 0 || has_quoted_lines(m->text)))
        mail_reason_add(r, "content.fake_thread", 10, "\"%.60s\" quotes %s but has no In-Reply-To/References",
                        m->subject, nq > 0 ? "an earlier message" : "lines");
}

/* ---------------------------------------------------------------------
 * Obfuscated subject and sender name
 * --------------------------------------------------------------------- */

static uint32_t u8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0) {
        *s += 1;
        return 0xFFFD;
    }
    if (n > 1)
        c &= 0x3F >> (n - 1);
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *s += 1;
            return 0xFFFD;
        }
        c = (c << 6) | (p[k] & 0x3F);
    }
    *s += n;
    return c;
}

static bool is_letter(uint32_t c)
{
    return (c < 0x80 && isalpha((int)c)) || (c >= 0xC0 && c <= 0x24F) || (c >= 0x370 && c <= 0x52F) ||
           (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF);
}

static bool is_invisible(uint32_t c)
{
    /* Not U+00AD: soft hyphens are what mis-declared Big5/GB2312 subjects
     * decode to as Latin-1, honest mojibake. */
    return (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) ||
           (c >= 0xFE00 && c <= 0xFE0E) || c == 0xFEFF || c == 0x034F || c == 0x180E;
}

/* Combining marks of other alphabets (Syriac, Arabic, Hebrew, Cyrillic),
 * combining marks for symbols and the overlay strokes U+0334-U+0338: on a
 * Latin letter they only serve to break up a word ("amܿazoܿn", "UPs̷")
 * while it still reads the same. Accents of Latin text (U+0300-U+0333,
 * U+0339-U+036F) are not among them. */
static bool is_foreign_mark(uint32_t c)
{
    return (c >= 0x0334 && c <= 0x0338) || (c >= 0x0483 && c <= 0x0489) ||
           (c >= 0x0591 && c <= 0x05C7) || (c >= 0x0610 && c <= 0x061A) ||
           (c >= 0x064B && c <= 0x065F) || (c >= 0x0730 && c <= 0x074A) ||
           (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

/* What is hidden in s: an invisible character between two letters, or a
 * word mixing ASCII letters with Cyrillic/Greek ones. NULL if nothing. */
static const char *obfuscation(const char *s)
{
    if (!s)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    uint32_t prev = ' ';
    bool latin = false, other = false, pending_invisible = false;
    while (*p) {
        uint32_t c = u8_next(&p);
        /* Mathematical bold/italic letters (U+1D400-U+1D7FF): "𝗘𝘂𝗿𝗼𝗽𝗮" reads as
         * Europa to a person and as nothing to a filter. */
        if (c >= 0x1D400 && c <= 0x1D7FF)
            return TR("styled mathematical letters instead of plain ones", "普通の文字の代わりに装飾用の数学記号文字");
        if (is_foreign_mark(c) && prev < 0x80 && is_letter(prev))
            return TR("marks of another alphabet on Latin letters", "ローマ字に別の文字体系の記号を付加");
        if (is_invisible(c)) {
            if (is_letter(prev))
                pending_invisible = true;
            continue;
        }
        if (pending_invisible && is_letter(c))
            return TR("invisible characters inside a word", "単語の途中に見えない文字");
        pending_invisible = false;
        if (!is_letter(c)) {
            latin = other = false;
        } else if (c < 0x80) {
            latin = true;
        } else if (c >= 0x370 && c <= 0x52F) {
            other = true;
        }
        if (latin && other)
            return TR("Latin and Cyrillic/Greek letters in one word", "1つの単語にローマ字とキリル/ギリシャ文字が混在");
        prev = c;
    }
    return NULL;
}

/* In the body: how many words are broken up by invisible characters or mix
 * Latin with Cyrillic/Greek letters (filter-dodging "St\u200Bate\u200Bment",
 * "yоur" with a Cyrillic о, hidden junk text). One such word can be a typo;
 * several are deliberate. Reads at most the first 256 KiB. */
static unsigned obfuscated_words(const char *s)
{
    if (!s)
        return 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + strnlen(s, 256u << 10);
    unsigned n = 0;
    uint32_t prev = ' ';
    bool latin = false, other = false, counted = false, pending = false;
    while (p < end && *p) {
        uint32_t c = u8_next(&p);
        if (is_invisible(c)) {
            pending |= is_letter(prev);
            continue;
        }
        if (!is_letter(c)) {
            latin = other = counted = pending = false;
            prev = c;
            continue;
        }
        if (c < 0x80)
            latin = true;
        else if (c >= 0x370 && c <= 0x52F)
            other = true;
        if (!counted && ((latin && other) || pending)) {
            n++;
            counted = true;
        }
        pending = false;
        prev = c;
    }
    return n;
}

static void check_obfuscation(const struct mail_msg *m, struct mail_result *r)
{
    unsigned bw = MAX(obfuscated_words(m->text), obfuscated_words(m->html_text));
    if (bw >= 3) {
        mail_reason_add(r, "content.text_obfuscation", 30,
                        TR("body: %u words broken up by invisible characters or mixing Latin and Cyrillic/Greek letters",
                           "本文: 見えない文字で分断された単語、またはローマ字とキリル/ギリシャ文字が混ざった単語が %u 個"),
                        bw);
        return;
    }
    for (size_t i = 0; i < m->nattachments; i++) {
        const unsigned char *p = (const unsigned char *)(m->attachments[i].filename ? m->attachments[i].filename : "");
        while (*p) {
            uint32_t c = u8_next(&p);
            /* Combining grapheme joiners and zero-width characters have no
             * business in a file name but to break up "invoice.pdf". */
            if (is_invisible(c) || c == 0x034F) {
                mail_reason_add(r, "content.text_obfuscation", 30, TR("attachment name \"%s\" has invisible characters", "添付ファイル名「%s」に見えない文字があります"),
                                m->attachments[i].filename);
                return;
            }
        }
    }
    const char *what = obfuscation(m->subject);
    if (what) {
        mail_reason_add(r, "content.text_obfuscation", 30, TR("subject: %s", "件名: %s"), what);
        return;
    }
    what = obfuscation(m->from.display);
    if (!what)
        what = obfuscation(m->from.addr);
    if (what)
        mail_reason_add(r, "content.text_obfuscation", 30, TR("sender: %s", "差出人: %s"), what);
}

/* ---------------------------------------------------------------------
 * The check
 * --------------------------------------------------------------------- */

static bool html_has_password_input(const char *html)
{
    if (!html)
        return false;
    for (const char *p = strcasestr(html, "type"); p; p = strcasestr(p + 4, "type")) {
        const char *q = p + 4;
        while (*q == ' ' || *q == '=' || *q == '"' || *q == '\'')
            q++;
        if (strncasecmp(q, "password", 8) == 0)
            return true;
    }
    return false;
}

void mail_check_content(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    bool bounce = is_bounce(m);
    char *low = body_lower(m);
    if (m->nforms > 0) {
        bool pw = html_has_password_input(m->html);
        mail_reason_add(r, "content.form", pw ? 60 : 30, TR("%zu form(s)%s", "フォーム %zu 個%s"), m->nforms,
                        pw ? TR(" with a password field", "（パスワード入力欄あり）") : "");
    }
    check_obfuscation(m, r);
    if (!bounce) {
        check_links(m, ctx, r);
        check_attachments(m, r);
        check_wording(m, low, r);
        check_thread(m, r);
    }
    free(low);
}

/* mail-lure.c - where a mail tries to take its reader: to a free mail
 * address or a chat account that is not the sender's ("reply to my private
 * e-mail"), to pictures kept on public image hosts instead of the sender's
 * own servers, or, in a mail that comes from a well-known company's domain,
 * to websites that have nothing to do with that company.
 *
 * These are the signs advance-fee (419), lottery, romance and "your points
 * expire" fraud leave in any language: the words change, the address to
 * write to and the links do not. Each is one sentence a person can check.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"
#include "util/i18n.h"

#include "util/util.h"

const struct mail_reason_def mail_texts_lure[] = {
    {"content.contact_freemail",
     "The mail asks you to answer or get in touch through a free mail address that is not the "
     "one it was sent from, the way advance-fee, lottery and romance fraud keeps its victims.",
     "送信元とは別のフリーメールのアドレスに返信・連絡するよう求めています。当選金・遺産・出会い"
     "などを口実にした詐欺が、被害者とやり取りを続けるための手口です。"},
    {"content.contact_chat",
     "The mail asks you to continue on a chat app (QQ, WeChat, WhatsApp, Telegram, LINE) instead "
     "of by replying.",
     "返信ではなく、チャットアプリ（QQ・WeChat・WhatsApp・Telegram・LINE など）で連絡するよう"
     "求めています。"},
    {"content.image_host",
     "The pictures in the mail are kept on a free public image host, which companies do not use "
     "for their mail but bulk fraud does.",
     "メール内の画像が無料の画像共有サイトに置かれています。企業のメールでは使われず、詐欺の一斉"
     "送信でよく使われます。"},
    {"content.brand_links_elsewhere",
     "The mail comes from a well-known company's address, but its links lead to websites that "
     "have nothing to do with that company: the sender address is probably forged.",
     "有名企業のアドレスから送られたように見えますが、リンク先はその企業とは関係のないサイトです。"
     "送信元アドレスが偽装されている可能性が高いです。"},
    {"content.signup_abuse",
     "A website's automatic account mail carries a web address or a sum of money where your user "
     "name belongs: someone registered with a lure as the name so the site itself would send it.",
     "Web サイトの自動送信メール（登録・パスワード設定）のユーザー名の欄に、Web アドレスや金額が"
     "入っています。誘い文句を名前として登録し、そのサイト自身に送らせる手口です。"},
    {"content.link_fake_attachment",
     "A link is labelled like a file or an attachment (\"invoice.pdf\", \"download the "
     "attachments\"), but opens a website of another domain than the sender's.",
     "リンクがファイルや添付ファイルのように表示されていますが（「請求書.pdf」「添付ファイルを"
     "ダウンロード」など）、実際には送信者とは別のドメインの Web サイトが開きます。"},
    {"content.attach_named_recipient",
     "An attachment is named after your own e-mail address, which bulk lures do to look "
     "personal.",
     "添付ファイルの名前があなたのメールアドレスになっています。一斉送信の詐欺メールが個人宛てに"
     "見せるための細工です。"},
    {"content.link_hosting",
     "A link leads to a free web-hosting or file-hosting platform where anyone can put up a page "
     "in minutes, where fake login pages are commonly kept.",
     "リンク先が、誰でもすぐにページを置ける無料の Web ホスティングやファイル置き場です。偽の"
     "ログイン画面がよく置かれる場所です。"},
    {NULL, NULL, NULL},
};

#define HOST_MAX 256

/* ---------------------------------------------------------------------
 * Who wrote the mail
 * --------------------------------------------------------------------- */

const char *mail_sender_domain(const struct mail_msg *m)
{
    if (!m->from.addr)
        return m->from.domain;
    bool list_from = false;
    const char *lp = mail_header_get(m, "List-Post");
    const char *mt = lp ? strcasestr(lp, "mailto:") : NULL;
    if (mt) {
        mt += 7;
        size_t n = strcspn(mt, ">?, ");
        list_from = n == strlen(m->from.addr) && strncasecmp(mt, m->from.addr, n) == 0;
    }
    /* Mailman writes "Author via List <list@...>" without List-Post when
     * the archive dropped it; List-Id still says it is a list. */
    if (!list_from && m->from.display && strstr(m->from.display, " via ") &&
        mail_header_get(m, "List-Id"))
        list_from = true;
    if (list_from && m->reply_to.domain)
        return m->reply_to.domain;
    return m->from.domain;
}

/* ---------------------------------------------------------------------
 * Contact addresses and chat handles in the text
 * --------------------------------------------------------------------- */

/* Words that ask for an answer, in the languages of the fraud we see; the
 * address must follow one of them closely. Lower case (matched against
 * ASCII-lowered text; the others as written). */
static const char *const contact_words[] = {
    "reply",     "respond", "response", "contact",        "write to",     "write me", "email me",
    "e-mail me", "mail me", "reach me", "get back to me", "get in touch", "responda", "responde",
    "resposta",  "contato", "contacto", "contatta",       "contattare",   "contatti", "scrivi",
    "scriva",    "antwort", "kontakt",  "schreib",        "répond",       "repond",   "contactez",
    "écrivez",   "ecrivez", "antwoord", "reageer",        "odpowied",     "napisz",   "ответ",
    "напиш",     "связ",    "联系",     "回复",           "联络",         "連絡",     "返信",
    "ご連絡",    NULL};

/* Lines that carry addresses without asking anything: quoted text, quoted
 * headers of an earlier mail, patch trailers. */
static bool address_line_neutral(const char *ls, size_t n)
{
    while (n > 0 && (*ls == ' ' || *ls == '\t')) {
        ls++;
        n--;
    }
    if (n == 0 || *ls == '>' || *ls == '|')
        return true;
    static const char *const heads[] = {
        "from:", "to:",   "cc:",       "de:",    "para:", "von:", "an:",
        "date:", "sent:", "reply-to:", "差出人", "宛先",  NULL};
    for (const char *const *h = heads; *h; h++)
        if (n >= strlen(*h) && strncasecmp(ls, *h, strlen(*h)) == 0)
            return true;
    char line[512];
    size_t k = MIN(n, sizeof line - 1);
    memcpy(line, ls, k);
    line[k] = '\0';
    return strcasestr(line, "-by:") || strcasestr(line, "wrote:") || strcasestr(line, "schrieb") ||
           strcasestr(line, "escreveu") || strcasestr(line, "escribió") ||
           strcasestr(line, "a écrit");
}

/* Whether a contact word comes shortly before the address at at_start:
 * on its line, or on the line above when the address starts its line
 * ("Reply to me at:\n x@gmail.com"). */
static bool contact_word_before(const char *text, const char *line, const char *at_start)
{
    const char *s = line;
    bool alone = true;
    for (const char *p = line; p < at_start; p++)
        alone &= *p == ' ' || *p == '\t' || *p == ':' || *p == '-' || *p == '>';
    if (alone && line > text) {
        s = line - 1;
        while (s > text && s[-1] != '\n')
            s--;
        if (*s == '>')
            return false;
    }
    if ((size_t)(at_start - s) > 120)
        s = at_start - 120;
    char win[128];
    size_t n = (size_t)(at_start - s);
    memcpy(win, s, n);
    win[n] = '\0';
    for (char *p = win; *p; p++)
        if ((unsigned char)*p < 0x80)
            *p = (char)tolower((unsigned char)*p);
    for (const char *const *w = contact_words; *w; w++)
        if (strstr(win, *w))
            return true;
    return false;
}

static bool addr_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Whether the local part l (n bytes) shares a run of 5+ letters with the
 * sender's own local part or display name. */
static bool same_person(const struct mail_msg *m, const char *l, size_t n)
{
    const char *mine[] = {m->from.addr, m->from.display};
    for (size_t k = 0; k < ARRAY_SIZE(mine); k++) {
        const char *s = mine[k];
        if (!s)
            continue;
        size_t sl = strcspn(s, "@");
        for (size_t i = 0; i + 5 <= n; i++) {
            bool letters = true;
            for (size_t j = 0; j < 5 && letters; j++)
                letters = isalpha((unsigned char)l[i + j]) != 0;
            if (!letters)
                continue;
            for (size_t p = 0; p + 5 <= sl; p++)
                if (strncasecmp(s + p, l + i, 5) == 0)
                    return true;
        }
    }
    return false;
}

/* The first free mail address in text that a nearby word asks to write to
 * and that is not the sender's own (From or Reply-To), into out. */
static bool freemail_contact(const struct mail_msg *m, const char *text, char *out, size_t outlen)
{
    if (!text)
        return false;
    const char *end = text + strnlen(text, 256u << 10);
    for (const char *at = memchr(text, '@', (size_t)(end - text)); at;
         at = at + 1 < end ? memchr(at + 1, '@', (size_t)(end - at - 1)) : NULL) {
        const char *ls = at, *de = at + 1;
        while (ls > text && addr_char(ls[-1]))
            ls--;
        while (de < end && addr_char(*de))
            de++;
        while (de > at + 1 && de[-1] == '.')
            de--;
        size_t ll = (size_t)(at - ls), dl = (size_t)(de - at - 1);
        if (ll == 0 || dl < 4 || ll + dl + 1 >= outlen || ll + dl + 1 >= HOST_MAX)
            continue;
        char dom[HOST_MAX];
        memcpy(dom, at + 1, dl);
        dom[dl] = '\0';
        for (char *p = dom; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!mail_is_freemail(dom))
            continue;
        char addr[HOST_MAX * 2];
        snprintf(addr, sizeof addr, "%.*s", (int)(ll + dl + 1), ls);
        if ((m->from.addr && strcasecmp(addr, m->from.addr) == 0) ||
            (m->reply_to.addr && strcasecmp(addr, m->reply_to.addr) == 0 && m->from.domain &&
             mail_is_freemail(m->from.domain) &&
             strcasecmp(m->reply_to.addr, m->from.addr ? m->from.addr : "") == 0))
            continue;
        const char *line = ls;
        while (line > text && line[-1] != '\n')
            line--;
        const char *eol = memchr(at, '\n', (size_t)(end - at));
        if (address_line_neutral(line, (size_t)((eol ? eol : end) - line)))
            continue;
        if (!contact_word_before(text, line, ls))
            continue;
        /* "ご連絡は tanaka.h@gmail.com まで" from tanaka@company: the same
         * person's private account (a name shared by both local parts). */
        if (same_person(m, ls, ll))
            continue;
        snprintf(out, outlen, "%s", addr);
        return true;
    }
    return false;
}

/* "QQ: 787010974", "WhatsApp +44 7700 900123", "Telegram: @name",
 * "微信：abc123": a chat service named with an account to write to. A
 * number must follow QQ and WhatsApp; the others need a colon and a
 * handle, so news about the apps themselves does not count. Returns the
 * service name or NULL; ev gets what was seen. */
static const char *chat_handle(const char *text, char *ev, size_t evlen)
{
    if (!text)
        return NULL;
    static const struct {
        const char *key;
        const char *name;
        bool number;
    } chats[] = {
        {"qq", "QQ", true},
        {"whatsapp", "WhatsApp", true},
        {"telegram", "Telegram", false},
        {"wechat", "WeChat", false},
        {"微信", "WeChat", false},
        {"line id", "LINE", false},
    };
    size_t tl = strnlen(text, 256u << 10);
    for (size_t c = 0; c < ARRAY_SIZE(chats); c++) {
        size_t kl = strlen(chats[c].key);
        for (const char *p = strcasestr(text, chats[c].key); p && (size_t)(p - text) < tl;
             p = strcasestr(p + 1, chats[c].key)) {
            if (p > text && isalnum((unsigned char)p[-1]))
                continue;
            const char *q = p + kl;
            bool colon = false;
            for (int k = 0; k < 12 && *q; k++) {
                if (*q == ':' || *q == '#') {
                    colon = true;
                    q++;
                } else if (strncmp(q, "\xEF\xBC\x9A", 3) == 0 || strncmp(q, "号", 3) == 0) {
                    colon = true;
                    q += 3;
                } else if (*q == ' ' || *q == '+' || *q == '(')
                    q++;
                else
                    break;
            }
            size_t n = 0, digits = 0;
            while (q[n] && n < 32 &&
                   (isalnum((unsigned char)q[n]) || q[n] == '_' || q[n] == '.' || q[n] == '-' ||
                    (q[n] == ' ' && isdigit((unsigned char)q[n + 1])) || (q[n] == '@' && n == 0))) {
                digits += isdigit((unsigned char)q[n]) != 0;
                n++;
            }
            bool ok =
                chats[c].number ? digits >= 6 && digits * 2 >= n : (colon || *q == '@') && n >= 4;
            if (!ok)
                continue;
            snprintf(ev, evlen, "%s %.*s", chats[c].name, (int)n, q);
            return chats[c].name;
        }
    }
    return NULL;
}

static void check_contact(const struct mail_msg *m, struct mail_result *r)
{
    char addr[HOST_MAX * 2];
    const char *texts[] = {m->text, m->html_text};
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        if (freemail_contact(m, texts[i], addr, sizeof addr)) {
            mail_reason_add(
                r, "content.contact_freemail", 30,
                TR("asks to write to %s; From %s", "%s に連絡するよう求めています。差出人は %s"),
                addr, m->from.addr ? m->from.addr : "?");
            return;
        }
    /* Both ends on free mail, replies to another account: the sender
     * does not want answers where the mail came from. */
    if (m->from.domain && m->reply_to.addr && m->from.addr && mail_is_freemail(m->from.domain) &&
        m->reply_to.domain && mail_is_freemail(m->reply_to.domain) &&
        strcasecmp(m->reply_to.addr, m->from.addr) != 0 && !mail_header_get(m, "List-Id")) {
        mail_reason_add(r, "content.contact_freemail", 30, "From %s, Reply-To %s", m->from.addr,
                        m->reply_to.addr);
        return;
    }
    char ev[96];
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        if (chat_handle(texts[i], ev, sizeof ev)) {
            mail_reason_add(r, "content.contact_chat", 20, "%s", ev);
            return;
        }
}

/* ---------------------------------------------------------------------
 * Pictures on public image hosts
 * --------------------------------------------------------------------- */

static const char *const image_hosts[] = {
    "imgur.com/", "ibb.co/",      "imgbb.com/",      "postimg.cc/",     "postimages.org/",
    "prnt.sc/",   "tinypic.com/", "imageshack.com/", "imagevenue.com/", "gyazo.com/",
    NULL};

/* An image host in an <img src>, a CSS url() or a background attribute of
 * the HTML, or as the "[https://i.imgur.com/x.png]" placeholder a mail
 * program writes for a picture when it forwards as text. */
static const char *image_host_used(const struct mail_msg *m)
{
    for (const char *const *h = image_hosts; *h; h++) {
        for (const char *p = m->html ? strcasestr(m->html, *h) : NULL; p;
             p = strcasestr(p + 1, *h)) {
            size_t back = MIN((size_t)(p - m->html), (size_t)80);
            char win[96];
            memcpy(win, p - back, back);
            win[back] = '\0';
            /* The attribute the URL is the value of: src= or background=. */
            const char *q = strrchr(win, '=');
            size_t qi = q ? (size_t)(q - win) : 0;
            bool attr = q && ((qi >= 3 && strncasecmp(q - 3, "src", 3) == 0) ||
                              (qi >= 10 && strncasecmp(q - 10, "background", 10) == 0));
            if (attr || strcasestr(win, "url("))
                return *h;
        }
        for (const char *p = m->text ? strcasestr(m->text, *h) : NULL; p;
             p = strcasestr(p + 1, *h)) {
            const char *lb = p;
            size_t k = 0;
            while (lb > m->text && lb[-1] != '[' && lb[-1] != ' ' && lb[-1] != '\n' && k++ < 40)
                lb--;
            if (lb > m->text && lb[-1] == '[')
                return *h;
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------------
 * A brand's address, links elsewhere
 * --------------------------------------------------------------------- */

static void check_brand_links(const struct mail_msg *m, struct mail_result *r)
{
    /* The sender's domain signed or authorised it (the header check says
     * so): the brand really sent it, wherever its links go. */
    for (size_t i = 0; i < r->nreasons; i++)
        if (strcmp(r->reasons[i].id, "header.auth_aligned") == 0)
            return;
    const char *sd = mail_sender_domain(m);
    char rd[HOST_MAX];
    if (!sd || !mail_registrable(sd, rd, sizeof rd))
        return;
    const struct mail_brand *b = NULL;
    for (size_t i = 0; i < mail_nbrands && !b; i++)
        if (mail_brand_owns(&mail_brands[i], rd))
            b = &mail_brands[i];
    /* Mail providers' own domains (gmail.com, outlook.com, icloud.com) are
     * everyone's addresses, not the brand speaking. */
    if (!b || mail_is_freemail(rd))
        return;
    char list_rd[HOST_MAX] = "";
    const char *lid = mail_header_get(m, "List-Id");
    const char *lt = lid ? strrchr(lid, '<') : NULL;
    if (lt) {
        char host[HOST_MAX];
        snprintf(host, sizeof host, "%.*s", (int)MIN(strcspn(lt + 1, ">"), (size_t)HOST_MAX - 1),
                 lt + 1);
        if (!mail_registrable(host, list_rd, sizeof list_rd))
            list_rd[0] = '\0';
    }
    size_t own = 0, other = 0;
    const char *first = NULL;
    for (size_t i = 0; i < m->nlinks; i++) {
        const char *h = m->links[i].host;
        char hrd[HOST_MAX];
        if (!h || mail_host_is_tracker(h))
            continue;
        if (!mail_registrable(h, hrd, sizeof hrd)) {
            if (mail_host_is_ip(h)) {
                other++;
                first = first ? first : h;
            }
            continue;
        }
        if (mail_brand_owns(b, hrd) || strcmp(hrd, rd) == 0)
            own++;
        else if (!list_rd[0] || strcmp(hrd, list_rd) != 0) {
            /* Links to the company's social media pages and app stores
             * are in every real notice; they do not make it foreign. */
            bool neutral = false;
            for (size_t k = 0; k < mail_nbrands && !neutral; k++)
                neutral = mail_brand_owns(&mail_brands[k], hrd);
            if (neutral)
                continue;
            other++;
            first = first ? first : h;
        }
    }
    if (own == 0 && other > 0)
        mail_reason_add(r, "content.brand_links_elsewhere", 30,
                        TR("sender %s (%s), %zu link(s), none to %s; e.g. %s",
                           "送信元 %s（%s）、リンク %zu 件のうち %s へのものはなし。例: %s"),
                        sd, b->name, other, b->name, first);
}

/* ---------------------------------------------------------------------
 * Account mail of a website, abused
 * --------------------------------------------------------------------- */

/* The value of parameter name in the query of href, %XX and '+' decoded,
 * into out; false if absent. */
static bool query_param(const char *href, const char *name, char *out, size_t outlen)
{
    const char *q = strchr(href, '?');
    size_t nl = strlen(name);
    for (const char *p = q; p && *p; p = strpbrk(p + 1, "&;")) {
        if (strncasecmp(p + 1, name, nl) != 0 || p[1 + nl] != '=')
            continue;
        const char *v = p + 2 + nl;
        size_t o = 0;
        for (; *v && *v != '&' && *v != '#' && o + 1 < outlen; v++) {
            if (*v == '%' && isxdigit((unsigned char)v[1]) && isxdigit((unsigned char)v[2])) {
                char hex[3] = {v[1], v[2], 0};
                out[o++] = (char)strtol(hex, NULL, 16);
                v += 2;
            } else
                out[o++] = *v == '+' ? ' ' : *v;
        }
        out[o] = '\0';
        return true;
    }
    return false;
}

/* A user name carrying a lure: a web address or an amount of money. */
static bool name_is_lure(const char *v)
{
    if (strcasestr(v, "http") || strcasestr(v, "www.") || strcasestr(v, ".blogspot.") ||
        strcasestr(v, "t.me/"))
        return true;
    static const char *const money[] = {"btc",     "usdt",    "eth ", "usd", "eur",
                                        "bitcoin", "binance", "$",    "€",   NULL};
    bool digit = false;
    for (const char *p = v; *p; p++)
        digit |= isdigit((unsigned char)*p) != 0;
    for (const char *const *k = money; digit && *k; k++)
        if (strcasestr(v, *k))
            return true;
    return false;
}

static void check_signup_abuse(const struct mail_msg *m, struct mail_result *r)
{
    static const char *const params[] = {"login", "user_login", "username", "user", "uname", NULL};
    for (size_t i = 0; i < m->nlinks; i++) {
        const char *h = m->links[i].href;
        if (!h || !strchr(h, '?'))
            continue;
        for (const char *const *pn = params; *pn; pn++) {
            char v[256];
            if (query_param(h, *pn, v, sizeof v) && name_is_lure(v)) {
                mail_reason_add(
                    r, "content.signup_abuse", 30,
                    TR("user name \"%.100s\" in %s=", "%2$s= のユーザー名が「%1$.100s」"), v, *pn);
                return;
            }
        }
    }
}

/* ---------------------------------------------------------------------
 * Links dressed as files, attachments dressed as the reader
 * --------------------------------------------------------------------- */

static bool text_is_file(const char *t)
{
    static const char *const ext[] = {".pdf", ".doc", ".docx", ".xls",  ".xlsx", ".zip",
                                      ".rar", ".7z",  ".ppt",  ".pptx", NULL};
    size_t n = strlen(t);
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == ')' || t[n - 1] == ']'))
        n--;
    for (const char *const *e = ext; *e; e++) {
        size_t el = strlen(*e);
        if (n > el + 1 && strncasecmp(t + n - el, *e, el) == 0 && !strchr(t, ' '))
            return true;
    }
    static const char *const verbs[] = {"download",    "descargar",   "baixar",  "herunterladen",
                                        "télécharger", "telecharger", "scarica", "ダウンロード",
                                        "下载",        NULL};
    static const char *const nouns[] = {"attach",       "adjunto",        "anexo",   "anhang",
                                        "pièce jointe", "pieces jointes", "allegat", "bijlage",
                                        "添付",         "附件",           NULL};
    bool v = false, no = false;
    for (const char *const *p = verbs; *p && !v; p++)
        v = strcasestr(t, *p) != NULL;
    for (const char *const *p = nouns; *p && !no; p++)
        no = strcasestr(t, *p) != NULL;
    return v && no;
}

static void check_fake_attachment(const struct mail_msg *m, struct mail_result *r)
{
    const char *sd = mail_sender_domain(m);
    char srd[HOST_MAX] = "";
    if (sd && !mail_registrable(sd, srd, sizeof srd))
        srd[0] = '\0';
    for (size_t i = 0; i < m->nlinks; i++) {
        const struct mail_link *l = &m->links[i];
        char hrd[HOST_MAX];
        if (!l->in_html || !l->text || !l->host || !l->href || strncasecmp(l->href, "http", 4) != 0)
            continue;
        if (!text_is_file(l->text))
            continue;
        if (mail_registrable(l->host, hrd, sizeof hrd) && srd[0] && strcmp(hrd, srd) == 0)
            continue;
        /* File-sharing services are where honest people put big files. */
        static const char *const sharing[] = {
            "google.com", "live.com",       "1drv.ms",     "sharepoint.com", "dropbox.com",
            "box.com",    "wetransfer.com", "gigafile.nu", "xgf.nu",         "firestorage.jp",
            "icloud.com", "we.tl",          NULL};
        bool shared = false;
        for (const char *const *d = sharing; *d && !shared; d++)
            shared = strcmp(hrd, *d) == 0;
        if (shared)
            continue;
        mail_reason_add(r, "content.link_fake_attachment", 30,
                        TR("link \"%.80s\" opens %s", "リンク「%.80s」は %s を開きます"), l->text,
                        l->host);
        return;
    }
}

static void check_attachment_names(const struct mail_msg *m, struct mail_result *r)
{
    for (size_t i = 0; i < m->nattachments; i++) {
        const char *fn = m->attachments[i].filename;
        for (size_t k = 0; fn && k < m->nto && k < 16; k++) {
            const char *ta = m->to[k].addr;
            if (ta && strchr(ta, '@') && strlen(ta) >= 6 && strcasestr(fn, ta)) {
                mail_reason_add(r, "content.attach_named_recipient", 20,
                                TR("attachment \"%s\", To %s", "添付ファイル「%s」、宛先 %s"), fn,
                                ta);
                return;
            }
        }
    }
}

/* ---------------------------------------------------------------------
 * Links to free hosting
 * --------------------------------------------------------------------- */

/* Platforms that give anyone a page under their name for free (static
 * sites, app previews, IPFS gateways). Left out: github.io and cloud
 * storage buckets, where developers' and companies' honest files live. */
static const char *const free_hosting[] = {
    "web.core.windows.net", "firebaseapp.com", "web.app",     "pages.dev",       "workers.dev",
    "r2.dev",               "netlify.app",     "vercel.app",  "glitch.me",       "000webhostapp.com",
    "weebly.com",           "wixsite.com",     "ipfs.io",     "dweb.link",       "w3s.link",
    "nftstorage.link",      "cf-ipfs.com",     "fleek.co",    "azurewebsites.net", "herokuapp.com",
    "onrender.com",         "repl.co",         "replit.app",  "surge.sh",        "godaddysites.com",
    "webflow.io",           "framer.app",      "sites.google.com", "forms.gle",  NULL};

static void check_link_hosting(const struct mail_msg *m, struct mail_result *r)
{
    for (size_t i = 0; i < m->nlinks; i++) {
        const char *h = m->links[i].host;
        if (!h)
            continue;
        size_t hl = strlen(h);
        for (const char *const *d = free_hosting; *d; d++) {
            size_t dl = strlen(*d);
            if ((hl == dl && strcasecmp(h, *d) == 0) ||
                (hl > dl && h[hl - dl - 1] == '.' && strcasecmp(h + hl - dl, *d) == 0)) {
                /* In an attached PDF the link is all the document is for. */
                bool att = m->links[i].in_attachment;
                mail_reason_add(r, "content.link_hosting", att ? 30 : 20,
                                att ? TR("link in an attached PDF to %s", "添付 PDF 内のリンク先 %s")
                                    : TR("link to %s", "%s へのリンク"),
                                h);
                return;
            }
        }
    }
}

void mail_check_lure(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    (void)ctx;
    /* Delivery reports quote someone else's mail. */
    const char *ct = mail_header_get(m, "Content-Type");
    if (ct && strcasestr(ct, "multipart/report"))
        return;
    check_contact(m, r);
    const char *ih = image_host_used(m);
    if (ih)
        mail_reason_add(r, "content.image_host", 20,
                        TR("pictures from %.*s", "画像の置き場所: %.*s"), (int)(strlen(ih) - 1),
                        ih);
    check_brand_links(m, r);
    check_signup_abuse(m, r);
    check_fake_attachment(m, r);
    check_attachment_names(m, r);
    check_link_hosting(m, r);
}

/* mail-forward.c - a mail forwarded inline ("Fw: ..." with the original's
 * From / Sent / To / Subject lines in the text), rebuilt as a message of its
 * own so that the checks judge the original sender too.
 *
 * People who ask "is this real?" forward the suspicious mail to their IT
 * contact or to a reporting address; most mail programs put the original
 * in the text, not as an attachment. The forwarder's own mail is harmless;
 * the sender named in the quoted header block is the one to judge. The
 * rebuilt message has only what the text shows (From, To, Subject, the
 * text), so mail-header.c leaves out the checks that need real headers.
 *
 * Only a block at the top of a forward is taken: in an ordinary reply the
 * quoted history is the reader's own earlier conversation.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"
#include "util/strbuf.h"

#include "util/util.h"

/* Labels of the quoted header lines, as mail programs write them in the
 * languages of our users and of the mail they receive. */
static const char *const from_labels[] = {"from",   "de",        "von",    "van",    "da",
                                          "od",     "от",        "差出人", "送信者", "发件人",
                                          "寄件者", "보낸 사람", NULL};
static const char *const subject_labels[] = {"subject", "assunto", "asunto", "betreff", "onderwerp",
                                             "oggetto", "objet",   "temat",  "тема",    "件名",
                                             "主题",    "主旨",    "제목",   NULL};
static const char *const to_labels[] = {"to", "para", "an",   "aan",    "a",         "à",
                                        "do", "кому", "宛先", "收件人", "받는 사람", NULL};

/* Subject prefixes of a forward. */
static bool subject_is_forward(const char *s)
{
    static const char *const fw[] = {"fw:",   "fwd:",    "fw :", "tr:",  "wg:", "rv:",   "enc:",
                                     "i:",    "doorst:", "vs:",  "vb:",  "fs:", "転送:", "転送：",
                                     "转发:", "转发：",  "pd:",  "rif:", NULL};
    if (!s)
        return false;
    while (*s == ' ' || *s == '\t')
        s++;
    for (const char *const *f = fw; *f; f++)
        if (strncasecmp(s, *f, strlen(*f)) == 0)
            return true;
    return false;
}

/* If line (n bytes) is "Label: value" with a label of list, the value's
 * start; else NULL. Leading spaces, '>' and Markdown '*' are skipped. */
static const char *label_value(const char *line, size_t n, const char *const *list)
{
    const char *p = line, *end = line + n;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '>' || *p == '*'))
        p++;
    for (const char *const *l = list; *l; l++) {
        size_t ll = strlen(*l);
        if ((size_t)(end - p) <= ll || strncasecmp(p, *l, ll) != 0)
            continue;
        const char *q = p + ll;
        while (q < end && (*q == ' ' || *q == '*'))
            q++;
        if (q < end && *q == ':')
            q++;
        else if (end - q >= 3 && memcmp(q, "\xEF\xBC\x9A", 3) == 0) /* full-width colon */
            q += 3;
        else
            continue;
        while (q < end && (*q == ' ' || *q == '*' || *q == '\t'))
            q++;
        return q;
    }
    return NULL;
}

/* Copies a header value onto one line, "[mailto:a@b]" (Outlook) as "<a@b>",
 * control characters dropped. */
static void put_value(struct strbuf *sb, const char *v, size_t n)
{
    bool mailto = false;
    for (size_t i = 0; i < n; i++) {
        if (n - i >= 8 && strncasecmp(v + i, "[mailto:", 8) == 0) {
            sb_putc(sb, '<');
            i += 7;
            mailto = true;
            continue;
        }
        unsigned char c = (unsigned char)v[i];
        if (c == ']' && mailto) {
            sb_putc(sb, '>');
            mailto = false;
            continue;
        }
        if (c >= 0x20 && c != 0x7f)
            sb_putc(sb, (char)c);
    }
}

/* "Name <a@b>" with the name quoted: quoted header blocks show names with
 * brackets and slashes ("[BB/Cartões] Contrato-123") that RFC 5322 wants
 * in quotes. */
static void put_from(struct strbuf *sb, const char *v, size_t n)
{
    struct strbuf tmp = STRBUF_INIT;
    put_value(&tmp, v, n);
    const char *s = sb_str(&tmp);
    const char *lt = strrchr(s, '<');
    if (!lt || lt == s || !strchr(lt, '>')) {
        sb_puts(sb, s);
        sb_free(&tmp);
        return;
    }
    size_t nl = (size_t)(lt - s);
    while (nl > 0 && s[nl - 1] == ' ')
        nl--;
    size_t st = 0;
    while (st < nl && (s[st] == '"' || s[st] == '\'' || s[st] == ' '))
        st++;
    while (nl > st && (s[nl - 1] == '"' || s[nl - 1] == '\''))
        nl--;
    sb_putc(sb, '"');
    for (size_t i = st; i < nl; i++) {
        if (s[i] == '"' || s[i] == '\\')
            sb_putc(sb, '\\');
        sb_putc(sb, s[i]);
    }
    sb_puts(sb, "\" ");
    sb_puts(sb, lt);
    sb_free(&tmp);
}

char *mail_forward_extract(const char *subject, const char *text, size_t *outlen)
{
    if (!text)
        return NULL;
    bool fwd = subject_is_forward(subject);
    size_t tl = strnlen(text, MAIL_MAX_TEXT);
    const char *end = text + tl;
    size_t own = 0; /* visible characters before the block */
    const char *prev[4]; /* the last lines before the current one (a ring) */
    size_t nprev = 0;
    for (const char *ls = text; ls < end;) {
        const char *eol = memchr(ls, '\n', (size_t)(end - ls));
        const char *le = eol ? eol : end;
        const char *fv = label_value(ls, (size_t)(le - ls), from_labels);
        if (fv && memchr(fv, '@', (size_t)(le - fv))) {
            /* The subject line within the next few lines (Outlook, Gmail),
             * or within the few above (Thunderbird writes Subject and Date
             * before From). The body starts after the block's last line. */
            const char *to = NULL, *toe = NULL, *sv = NULL, *se = NULL;
            const char *p = eol ? eol + 1 : end, *body = p;
            for (int k = 0; k < 8 && p < end; k++) {
                const char *e2 = memchr(p, '\n', (size_t)(end - p));
                const char *le2 = e2 ? e2 : end;
                const char *v;
                if (!sv && (v = label_value(p, (size_t)(le2 - p), subject_labels))) {
                    sv = v;
                    se = le2;
                    body = e2 ? e2 + 1 : end;
                } else if (!to && (v = label_value(p, (size_t)(le2 - p), to_labels))) {
                    to = v;
                    toe = le2;
                    body = e2 ? e2 + 1 : end;
                } else if (sv) {
                    break;
                }
                p = e2 ? e2 + 1 : end;
            }
            for (size_t k = 0; !sv && k < nprev && k < 4; k++) {
                const char *pl = prev[(nprev - 1 - k) % 4];
                const char *pe = memchr(pl, '\n', (size_t)(end - pl));
                const char *v = label_value(pl, (size_t)((pe ? pe : end) - pl), subject_labels);
                if (v) {
                    sv = v;
                    se = pe ? pe : end;
                }
            }
            p = body;
            /* A forward, or a block right at the top (a mail program that
             * wrote no prefix, a "Re:" that only quotes the lure). */
            if (sv && (fwd || own < 200)) {
                struct strbuf sb = STRBUF_INIT;
                sb_puts(&sb, "From: ");
                put_from(&sb, fv, (size_t)(le - fv));
                if (to) {
                    sb_puts(&sb, "\r\nTo: ");
                    put_value(&sb, to, (size_t)(toe - to));
                }
                sb_puts(&sb, "\r\nSubject: ");
                put_value(&sb, sv, (size_t)(se - sv));
                sb_puts(&sb,
                        "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
                sb_putn(&sb, p, (size_t)(end - p));
                *outlen = sb.len;
                return sb_detach(&sb);
            }
            return NULL;
        }
        prev[nprev++ % 4] = ls;
        for (const char *c = ls; c < le; c++)
            own += !isspace((unsigned char)*c) && (((unsigned char)*c & 0xC0) != 0x80);
        if (own >= 200 && !fwd)
            return NULL;
        ls = eol ? eol + 1 : end;
    }
    return NULL;
}

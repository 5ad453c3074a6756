/* mail-verdict.c - runs every check on a message and turns the sum of the
 * reasons' scores into phishing / suspicious / clean (see mail.h).
 *
 * A message with attached messages (a reported or forwarded mail) is judged
 * by the worst of them: a person who forwards a phishing mail to ask "is
 * this real?" writes a harmless wrapper around it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/util.h"

/* Score thresholds (the scale is in mail.h): one clear sign (DMARC failed,
 * replies going to a free mail account) makes a mail suspicious; phishing
 * takes a decisive sign (a look-alike of the company's own domain, an
 * executable attachment) or clear signs that agree. */
#define MAIL_SUSPICIOUS_AT 30
#define MAIL_PHISHING_AT 60

/* Facts about the parse itself, said as evidence, never scored. */
static const struct mail_reason_def mail_texts_parse[] = {
    {"mail.truncated",
     "The message is larger or more deeply nested than mamori reads; only the first part was "
     "checked.",
     "メールが大きすぎるか入れ子が深すぎるため、最初の部分だけを検査しました。"},
    {"mail.tnef",
     "It contains an Outlook TNEF container (winmail.dat); the files inside were unpacked and "
     "checked like any attachment.",
     "Outlook の TNEF 形式（winmail.dat）の添付があります。中のファイルを取り出し、通常の添付"
     "ファイルと同じように検査しました。"},
    {"mail.tnef_unreadable",
     "It contains an Outlook TNEF container (winmail.dat) that mamori could not read, so the "
     "files inside were not checked.",
     "Outlook の TNEF 形式（winmail.dat）の添付がありますが、読み取れなかったため、中のファイルは"
     "検査していません。"},
    {"mail.forwarded_message",
     "A mail forwarded in the text was checked too: its sender is the one named in the quoted "
     "From line.",
     "本文中に転送されたメールも検査しました。その差出人は、引用された From 行の人物です。"},
    {"mail.attached_message",
     "An attached mail (a forwarded or reported message) was checked too.",
     "添付されたメール（転送・報告されたメール）も検査しました。"},
    {NULL, NULL, NULL},
};

void mail_reason_add(struct mail_result *r, const char *id, int score, const char *fmt, ...)
{
    struct mail_reason *x;
    r->reasons = xrealloc(r->reasons, (r->nreasons + 1) * sizeof(*r->reasons));
    x = &r->reasons[r->nreasons++];
    memset(x, 0, sizeof(*x));
    snprintf(x->id, sizeof(x->id), "%s", id);
    x->score = score;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    x->evidence = xstrdup(buf);
    r->score += score;
}

void mail_result_free(struct mail_result *r)
{
    for (size_t i = 0; i < r->nreasons; i++)
        free(r->reasons[i].evidence);
    free(r->reasons);
    memset(r, 0, sizeof(*r));
}

static const char *mail_verdict_of(int score)
{
    if (score >= MAIL_PHISHING_AT)
        return "phishing";
    if (score >= MAIL_SUSPICIOUS_AT)
        return "suspicious";
    return "clean";
}

/* Most serious first; equal scores keep the order the checks gave. */
static void mail_reasons_sort(struct mail_result *r)
{
    for (size_t i = 1; i < r->nreasons; i++) {
        struct mail_reason x = r->reasons[i];
        size_t j = i;
        while (j > 0 && r->reasons[j - 1].score < x.score) {
            r->reasons[j] = r->reasons[j - 1];
            j--;
        }
        r->reasons[j] = x;
    }
}

static void mail_parse_facts(const struct mail_msg *m, struct mail_result *r)
{
    if (m->truncated)
        mail_reason_add(r, "mail.truncated", 0, "%zu MIME parts read, %zu links, %zu attachments",
                        m->nparts, m->nlinks, m->nattachments);
    size_t unpacked = 0;
    const struct mail_attachment *container = NULL;
    for (size_t i = 0; i < m->nattachments; i++) {
        const struct mail_attachment *a = &m->attachments[i];
        unpacked += a->from_tnef;
        if (!container &&
            ((a->content_type && strcmp(a->content_type, "application/ms-tnef") == 0) ||
             (a->magic_mime && strcmp(a->magic_mime, "application/vnd.ms-tnef") == 0) ||
             (a->filename && strcasecmp(a->filename, "winmail.dat") == 0)))
            container = a;
    }
    if (unpacked)
        mail_reason_add(r, "mail.tnef", 0, "%zu file(s) from %s", unpacked,
                        container && container->filename ? container->filename : "winmail.dat");
    else if (container)
        mail_reason_add(r, "mail.tnef_unreadable", 0, "%s (%zu bytes)",
                        container->filename ? container->filename : "winmail.dat",
                        container->len);
}

/* Two checks may see the same thing from two sides; it counts once. The
 * content check's view of a fake reply (it reads the quoted text too) wins
 * over the header check's. */
static void mail_dedupe(struct mail_result *r)
{
    bool content_thread = false;
    for (size_t i = 0; i < r->nreasons; i++)
        if (strcmp(r->reasons[i].id, "content.fake_thread") == 0 ||
            strcmp(r->reasons[i].id, "content.thread_hijack") == 0)
            content_thread = true;
    for (size_t i = 0; content_thread && i < r->nreasons; i++)
        if (strcmp(r->reasons[i].id, "header.fake_reply") == 0) {
            r->score -= r->reasons[i].score;
            r->reasons[i].score = 0;
        }
}

static void mail_evaluate_depth(const struct mail_msg *m, struct mail_ctx *ctx,
                                struct mail_result *r, int depth)
{
    memset(r, 0, sizeof(*r));
    mail_check_headers(m, ctx, r);
    mail_check_lookalike(m, ctx, r);
    mail_check_content(m, ctx, r);
    mail_check_intel(m, ctx, r);
    mail_check_lure(m, ctx, r);
    mail_parse_facts(m, r);
    mail_dedupe(r);
    int own = r->score;
    int worst = own;
    for (size_t i = 0; i < m->ninner && depth < MAIL_MAX_DEPTH; i++) {
        struct mail_result ir;
        /* A part labelled message/rfc822 with no sender, date or
         * Message-ID is a text fragment (a pasted header excerpt, a log),
         * not a mail anyone received: nothing to judge about its headers. */
        const struct mail_msg *in = m->inner[i];
        if (!in->from.addr && in->date == INT64_MIN && !in->message_id)
            continue;
        mail_evaluate_depth(m->inner[i], ctx, &ir, depth + 1);
        mail_reason_add(r, in->quoted ? "mail.forwarded_message" : "mail.attached_message", 0,
                        TR("%s %zu: %s, score %d, from %s, subject \"%s\"",
                           "%s %zu: %s、点数 %d、差出人 %s、件名「%s」"),
                        in->quoted ? TR("forwarded mail", "転送メール") : TR("attached mail", "添付メール"),
                        i + 1, ir.verdict, ir.score,
                        m->inner[i]->from.addr ? m->inner[i]->from.addr : "?",
                        m->inner[i]->subject ? m->inner[i]->subject : "");
        for (size_t k = 0; k < ir.nreasons; k++) {
            if (ir.reasons[k].score == 0 && strcmp(ir.reasons[k].id, "mail.attached_message") &&
                strcmp(ir.reasons[k].id, "mail.forwarded_message"))
                continue;
            /* The forward's own text holds the quoted mail too: what the
             * outer check already said about the same words is said once. */
            bool dup = false;
            for (size_t j = 0; in->quoted && j < r->nreasons && !dup; j++)
                dup = strcmp(r->reasons[j].id, ir.reasons[k].id) == 0 &&
                      strcmp(r->reasons[j].evidence, ir.reasons[k].evidence) == 0;
            if (dup)
                continue;
            if (in->quoted)
                mail_reason_add(r, ir.reasons[k].id, ir.reasons[k].score,
                                TR("[forwarded mail %zu] %s", "[転送メール %zu] %s"), i + 1,
                                ir.reasons[k].evidence);
            else
                mail_reason_add(r, ir.reasons[k].id, ir.reasons[k].score,
                                TR("[attached mail %zu] %s", "[添付メール %zu] %s"), i + 1,
                                ir.reasons[k].evidence);
        }
        if (ir.score > worst)
            worst = ir.score;
        mail_result_free(&ir);
    }
    /* The message's score is its own, or its worst attached message's: the
     * reasons of both are listed, but their scores are not added up. */
    r->score = worst;
    r->verdict = mail_verdict_of(r->score);
    mail_reasons_sort(r);
}

void mail_evaluate(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    mail_evaluate_depth(m, ctx, r, 0);
}

static const struct mail_reason_def *mail_reason_find(const char *id)
{
    const struct mail_reason_def *tables[] = {mail_texts_header, mail_texts_lookalike,
                                              mail_texts_content, mail_texts_intel,
                                              mail_texts_lure, mail_texts_parse};
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct mail_reason_def *d = tables[t]; d->id; d++)
            if (strcmp(d->id, id) == 0)
                return d;
    return NULL;
}

const char *mail_reason_text(const char *id)
{
    const struct mail_reason_def *d = mail_reason_find(id);
    if (!d)
        return id;
    return TR(d->en, d->ja);
}

const char *mail_verdict_advice(const struct mail_result *r)
{
    if (r->verdict && strcmp(r->verdict, "phishing") == 0)
        return TR("Do not click its links, do not open its attachments and do not reply. If it "
                  "asks for money or a password, call the sender on a number you already know. "
                  "Tell your IT contact, then delete it.",
                  "リンクを開かず、添付ファイルも開かず、返信もしないでください。お金やパスワー"
                  "ドを求めている場合は、前から知っている電話番号で送信者に確認してください。"
                  "IT 担当者に知らせてから削除してください。");
    if (r->verdict && strcmp(r->verdict, "suspicious") == 0)
        return TR("Do not open the attachment or click the links yet; call the sender on a number "
                  "you already know (not one in the mail) to check it is real.",
                  "添付ファイルやリンクはまだ開かず、前から知っている電話番号（メールに書かれた番"
                  "号ではなく）で送信者に確認してください。");
    return TR("Nothing suspicious found. Still, never send a password or change bank details "
              "because of an e-mail alone.",
              "不審な点は見つかりませんでした。それでも、メールだけを根拠にパスワードを送ったり"
              "振込先を変更したりしないでください。");
}

/* cmd-mail.c - `mamori mail FILE...`: is this mail spoofed or phishing?
 * Reads .eml files, mbox files or standard input, runs the mail checks
 * (src/mail) and prints per message a verdict, what looks wrong with the
 * evidence, and what to do; or one JSON object a line with --json. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "intel/intel.h"
#include "mail/mail.h"
#include "util/config.h"
#include "util/geoip.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/util.h"

const char *const cmd_mail_usage[2] = {
    "usage: mamori mail [--json] [--lang en|ja] [--partners FILE] [--intel] [--own-domain D]\n"
    "                   [--authserv-id ID] [--config FILE] [--geoip FILE] FILE|- ...\n"
    "\n"
    "Checks e-mail messages for spoofing and phishing: .eml files, mbox files, or\n"
    "'-' for standard input. For each message it prints a verdict (phishing,\n"
    "suspicious or clean), a score, what looks wrong in plain words with the\n"
    "evidence, and what to do. A mail with an attached mail (a forwarded or\n"
    "reported message) is judged by the worst of them.\n"
    "\n"
    "  --json            one JSON object per message and line (file, index, subject,\n"
    "                    from, verdict, score, reasons[{id, text, evidence, score}])\n"
    "  --lang en|ja      language of the output (default: from LANG)\n"
    "  --partners FILE   partner domains, one a line (`domain [name]`): look-alikes\n"
    "                    of these are flagged (config: mail.partners)\n"
    "  --own-domain D    your company's own mail domain; repeat or comma-separate\n"
    "                    (config: mail.own_domains)\n"
    "  --authserv-id ID  a receiving server whose Authentication-Results are trusted;\n"
    "                    repeat or comma-separate (config: mail.authserv_id). Without\n"
    "                    it the topmost Authentication-Results is used, and said so\n"
    "  --intel           check links and domains against the threat lists\n"
    "                    (`mamori intel`; config: intel.dir)\n"
    "  --geoip FILE      country database for the origin of a mail (config: geoip.db)\n"
    "  --config FILE     settings file (default: $MAMORI_CONFIG or " CONFIG_DEFAULT_PATH ")\n"
    "\n"
    "Exit status: 0 every message is clean, 1 at least one is suspicious or\n"
    "phishing, 2 bad usage or a file that cannot be read or is not a mail (the\n"
    "other files are still checked).\n",
    "使い方: mamori mail [--json] [--lang en|ja] [--partners FILE] [--intel] [--own-domain D]\n"
    "                    [--authserv-id ID] [--config FILE] [--geoip FILE] FILE|- ...\n"
    "\n"
    "メールがなりすましやフィッシングでないかを調べます。.eml ファイル、mbox ファイル、\n"
    "または '-'（標準入力）を読み、1通ごとに判定（phishing＝フィッシング、\n"
    "suspicious＝要注意、clean＝問題なし）、点数、怪しい点とその根拠、取るべき対応を\n"
    "表示します。メールが添付されたメール（転送・報告されたメール）は、添付された\n"
    "メールも含めて最も危険なものの判定になります。\n"
    "\n"
    "  --json            1通を1行の JSON で出力（file、index、subject、from、verdict、\n"
    "                    score、reasons[{id, text, evidence, score}]）\n"
    "  --lang en|ja      出力の言語（既定: 環境変数 LANG に従う）\n"
    "  --partners FILE   取引先のドメイン一覧（1行に `ドメイン [名前]`）。これに似せた\n"
    "                    ドメインを検知します（設定: mail.partners）\n"
    "  --own-domain D    自社のメールドメイン。複数なら繰り返すかカンマ区切り\n"
    "                    （設定: mail.own_domains）\n"
    "  --authserv-id ID  送信ドメイン認証の結果（Authentication-Results）を信頼する\n"
    "                    受信サーバー名。複数なら繰り返すかカンマ区切り（設定:\n"
    "                    mail.authserv_id）。指定がなければ一番上の結果を使い、そう表示します\n"
    "  --intel           リンクとドメインを脅威リストと照合（`mamori intel`、設定: intel.dir）\n"
    "  --geoip FILE      送信元の国を調べるデータベース（設定: geoip.db）\n"
    "  --config FILE     設定ファイル（既定: $MAMORI_CONFIG または " CONFIG_DEFAULT_PATH "）\n"
    "\n"
    "終了コード: 0 すべて問題なし、1 要注意またはフィッシングが1通以上、2 使い方の誤り・\n"
    "読めないファイル・メールではないファイル（他のファイルの検査は続けます）。\n",
};

/* Largest file read: an mbox may hold many messages; each message is then
 * bounded by MAIL_MAX_BYTES in the parser. */
#define MAIL_FILE_MAX (1024u << 20)

struct mail_run {
    struct mail_ctx ctx;
    const char *file;
    bool json;
    bool mbox;
    int flagged;
    size_t count;
};

/* Reads a whole file ("-": standard input). Returns 0, or -1 after one line. */
static int mail_read(const char *path, char **buf, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        error(TR("mail: cannot open '%s': %s", "mail: '%s' を開けません: %s"), path,
              strerror(errno));
        return -1;
    }
    struct strbuf sb = STRBUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (sb.len + n > MAIL_FILE_MAX) {
            error(TR("mail: '%s' is larger than %u MiB", "mail: '%s' が %u MiB を超えています"),
                  path, MAIL_FILE_MAX >> 20);
            rc = -1;
            break;
        }
        sb_putn(&sb, chunk, n);
    }
    if (!rc && ferror(f)) {
        error(TR("mail: cannot read '%s': %s", "mail: '%s' を読めません: %s"), path,
              strerror(errno));
        rc = -1;
    }
    if (f != stdin)
        fclose(f);
    if (rc) {
        sb_free(&sb);
        return -1;
    }
    *len = sb.len;
    *buf = sb.s ? sb_detach(&sb) : xstrdup("");
    return 0;
}

static void json_set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v ? json_string(v) : json_null());
    if (v && !json_object_get(o, k)) /* not UTF-8 (cannot happen after parsing) */
        json_object_set_new(o, k, json_null());
}

static json_t *mail_json_reasons(const struct mail_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->nreasons; i++) {
        json_t *o = json_object();
        json_set_str(o, "id", r->reasons[i].id);
        json_set_str(o, "text", mail_reason_text(r->reasons[i].id));
        json_set_str(o, "evidence", r->reasons[i].evidence);
        json_object_set_new(o, "score", json_integer(r->reasons[i].score));
        json_array_append_new(a, o);
    }
    return a;
}

static void mail_print_json(struct mail_run *run, const struct mail_msg *m,
                            const struct mail_result *r, size_t index)
{
    json_t *o = json_object();
    json_set_str(o, "file", run->file);
    json_object_set_new(o, "index", json_integer((json_int_t)index));
    json_set_str(o, "subject", m->subject);
    json_set_str(o, "from", m->from.addr);
    json_set_str(o, "from_name", m->from.display);
    json_set_str(o, "message_id", m->message_id);
    json_set_str(o, "verdict", r->verdict);
    json_object_set_new(o, "score", json_integer(r->score));
    json_set_str(o, "lang", m->lang);
    json_object_set_new(o, "reasons", mail_json_reasons(r));
    json_set_str(o, "advice", mail_verdict_advice(r));
    json_t *att = json_array();
    for (size_t i = 0; i < m->nattachments; i++) {
        const struct mail_attachment *a = &m->attachments[i];
        json_t *x = json_object();
        json_set_str(x, "filename", a->filename);
        json_set_str(x, "content_type", a->content_type);
        json_set_str(x, "magic_mime", a->magic_mime);
        json_object_set_new(x, "size", json_integer((json_int_t)a->len));
        json_array_append_new(att, x);
    }
    json_object_set_new(o, "attachments", att);
    json_t *inner = json_array();
    for (size_t i = 0; i < m->ninner; i++) {
        struct mail_result ir;
        mail_evaluate(m->inner[i], &run->ctx, &ir);
        json_t *x = json_object();
        json_set_str(x, "subject", m->inner[i]->subject);
        json_set_str(x, "from", m->inner[i]->from.addr);
        json_set_str(x, "verdict", ir.verdict);
        json_object_set_new(x, "score", json_integer(ir.score));
        json_object_set_new(x, "reasons", mail_json_reasons(&ir));
        json_array_append_new(inner, x);
        mail_result_free(&ir);
    }
    json_object_set_new(o, "inner", inner);
    json_object_set_new(o, "truncated", json_boolean(m->truncated));
    char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (line) {
        puts(line);
        free(line);
    }
}

/* Text a person reads: no control characters from the mail reach the
 * terminal. */
static void mail_put_safe(const char *s)
{
    for (; s && *s; s++)
        putchar((unsigned char)*s < 32 || *s == 0x7f ? ' ' : *s);
}

static void mail_print_text(struct mail_run *run, const struct mail_msg *m,
                            const struct mail_result *r, size_t index)
{
    const char *v = strcmp(r->verdict, "phishing") == 0
                        ? TR("PHISHING", "フィッシング")
                        : strcmp(r->verdict, "suspicious") == 0 ? TR("SUSPICIOUS", "要注意")
                                                                 : TR("clean", "問題なし");
    mail_put_safe(run->file);
    if (run->mbox)
        printf(" #%zu", index + 1);
    printf(": %s (%s %d)\n", v, TR("score", "点数"), r->score);
    printf("  %s ", TR("From:", "差出人:"));
    if (m->from.display) {
        putchar('"');
        mail_put_safe(m->from.display);
        printf("\" ");
    }
    printf("<");
    mail_put_safe(m->from.addr ? m->from.addr : "?");
    printf(">\n  %s ", TR("Subject:", "件名:"));
    mail_put_safe(m->subject ? m->subject : "");
    putchar('\n');
    bool any = false;
    for (size_t i = 0; i < r->nreasons; i++) {
        if (r->reasons[i].score <= 0)
            continue;
        if (!any)
            printf("  %s\n", TR("What looks wrong:", "怪しい点:"));
        any = true;
        printf("   - ");
        mail_put_safe(mail_reason_text(r->reasons[i].id));
        printf("\n     (");
        mail_put_safe(r->reasons[i].evidence);
        printf(")\n");
    }
    bool facts = false;
    for (size_t i = 0; i < r->nreasons; i++) {
        if (r->reasons[i].score > 0)
            continue;
        if (!facts)
            printf("  %s\n", TR("Also seen:", "その他の情報:"));
        facts = true;
        printf("   - ");
        mail_put_safe(mail_reason_text(r->reasons[i].id));
        printf(" (");
        mail_put_safe(r->reasons[i].evidence);
        printf(")\n");
    }
    printf("  %s ", TR("What to do:", "対処:"));
    mail_put_safe(mail_verdict_advice(r));
    printf("\n\n");
}

static int mail_on_message(void *arg, struct mail_msg *m, size_t index)
{
    struct mail_run *run = arg;
    struct mail_result r;
    mail_evaluate(m, &run->ctx, &r);
    if (strcmp(r.verdict, "clean") != 0)
        run->flagged = 1;
    if (run->json)
        mail_print_json(run, m, &r, index);
    else
        mail_print_text(run, m, &r, index);
    mail_result_free(&r);
    run->count++;
    return 0;
}

/* Splits comma-separated values and appends them to a NULL-ended list. */
static void mail_list_add(char ***list, size_t *n, const char *value)
{
    char *copy = xstrdup(value);
    for (char *p = copy; *p;) {
        size_t k = strcspn(p, ", ");
        if (k) {
            *list = xrealloc(*list, (*n + 2) * sizeof(**list));
            (*list)[*n] = xmalloc(k + 1);
            memcpy((*list)[*n], p, k);
            (*list)[*n][k] = '\0';
            (*n)++;
            (*list)[*n] = NULL;
        }
        p += k;
        while (*p == ',' || *p == ' ')
            p++;
    }
    free(copy);
}

static void mail_list_free(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

struct mail_cli {
    bool json, intel;
    const char *partners, *config, *geoip, *lang;
    char **own, **authserv;
    size_t nown, nauthserv;
};

static int mail_options_parse(int argc, char **argv, struct mail_cli *cli)
{
    enum { O_JSON = 1000, O_LANG, O_PARTNERS, O_INTEL, O_OWN, O_AUTHSERV, O_CONFIG, O_GEOIP,
           O_HELP };
    static const struct option longopts[] = {
        {"json", no_argument, NULL, O_JSON},
        {"lang", required_argument, NULL, O_LANG},
        {"partners", required_argument, NULL, O_PARTNERS},
        {"intel", no_argument, NULL, O_INTEL},
        {"own-domain", required_argument, NULL, O_OWN},
        {"authserv-id", required_argument, NULL, O_AUTHSERV},
        {"config", required_argument, NULL, O_CONFIG},
        {"geoip", required_argument, NULL, O_GEOIP},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_JSON:
            cli->json = true;
            break;
        case O_LANG:
            if (i18n_set(optarg) < 0) {
                error("mail: --lang takes en or ja");
                return EXIT_USAGE;
            }
            break;
        case O_PARTNERS:
            cli->partners = optarg;
            break;
        case O_INTEL:
            cli->intel = true;
            break;
        case O_OWN:
            mail_list_add(&cli->own, &cli->nown, optarg);
            break;
        case O_AUTHSERV:
            mail_list_add(&cli->authserv, &cli->nauthserv, optarg);
            break;
        case O_CONFIG:
            cli->config = optarg;
            break;
        case O_GEOIP:
            cli->geoip = optarg;
            break;
        case 'h':
        case O_HELP:
            fputs(command_usage("mail"), stdout);
            return -1;
        default:
            error(TR("mail: bad or incomplete option '%s' (see 'mamori help mail')",
                     "mail: オプション '%s' が不正か引数がありません（'mamori help mail' を参照）"),
                  argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        error("%s", TR("mail: give one or more files (.eml or mbox), or '-' for standard input",
                       "mail: 検査するファイル（.eml または mbox）か、標準入力を表す '-' を指定して"
                       "ください"));
        return EXIT_USAGE;
    }
    return 0;
}

/* Everything the checks share: settings (config, then the command line),
 * partner list, threat lists, country database. Returns 0 or EXIT_USAGE. */
static int mail_setup(struct mail_cli *cli, struct mamori_config *cfg, struct mail_options *opt,
                      struct mail_ctx *ctx)
{
    if (config_load_cli(cfg, cli->config) < 0)
        return EXIT_USAGE;
    if (!cli->nown && cfg->mail_own_domains[0])
        mail_list_add(&cli->own, &cli->nown, cfg->mail_own_domains);
    if (!cli->nauthserv && cfg->mail_authserv_ids[0])
        mail_list_add(&cli->authserv, &cli->nauthserv, cfg->mail_authserv_ids);
    if (!cli->partners && cfg->mail_partners[0])
        cli->partners = cfg->mail_partners;
    if (!cli->geoip && cfg->geoip_db[0])
        cli->geoip = cfg->geoip_db;
    opt->own_domains = (const char *const *)cli->own;
    opt->authserv_ids = (const char *const *)cli->authserv;
    opt->partners_file = cli->partners;
    opt->use_intel = cli->intel;
    opt->intel_dir = cfg->intel_dir[0] ? cfg->intel_dir : "intel";
    opt->geoip_path = cli->geoip;
    ctx->opt = opt;
    if (cli->partners) {
        ctx->partners = mail_partners_load(cli->partners);
        if (!ctx->partners)
            return EXIT_USAGE;
    }
    if (cli->intel) {
        char err[256] = "";
        ctx->intel = intel_db_new();
        int n = intel_store_load(ctx->intel, opt->intel_dir, 0, true, err, sizeof(err));
        if (n <= 0) {
            error(TR("mail: --intel: no threat lists in '%s'%s%s (see 'mamori help intel')",
                     "mail: --intel: '%s' に脅威リストがありません%s%s（'mamori help intel' を参照）"),
                  opt->intel_dir, err[0] ? ": " : "", err);
            return EXIT_USAGE;
        }
    }
    const char *why = NULL;
    ctx->geoip = geoip_open(cli->geoip, &why);
    if (!ctx->geoip && cli->geoip) {
        error(TR("mail: cannot open the country database '%s': %s",
                 "mail: 国別データベース '%s' を開けません: %s"),
              cli->geoip, why ? why : "?");
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_mail(int argc, char **argv)
{
    struct mail_cli cli = {0};
    struct mamori_config *cfg = xcalloc(1, sizeof(*cfg));
    struct mail_options opt = {0};
    struct mail_run run = {0};
    int rc = mail_options_parse(argc, argv, &cli);
    if (rc == 0)
        rc = mail_setup(&cli, cfg, &opt, &run.ctx);
    if (rc != 0) {
        rc = rc < 0 ? 0 : rc;
        goto out;
    }
    run.json = cli.json;
    int bad = 0;
    for (int i = optind; i < argc; i++) {
        char *buf;
        size_t len;
        const char *path = argv[i];
        if (mail_read(path, &buf, &len) < 0) {
            bad = 1;
            continue;
        }
        run.file = path;
        size_t skip = 0;
        while (skip < len && (buf[skip] == '\n' || buf[skip] == '\r'))
            skip++;
        run.mbox = len - skip > 5 && memcmp(buf + skip, "From ", 5) == 0;
        const char *err = NULL;
        if (mail_parse_each(buf, len, &run.ctx, mail_on_message, &run, &err) < 0) {
            error(TR("mail: '%s': %s", "mail: '%s': %s"), path,
                  ui_lang == LANG_JA && err && strncmp(err, "not a mail", 10) == 0
                      ? "メールではありません（ヘッダー行がありません）"
                      : (err ? err : "unreadable"));
            bad = 1;
        }
        free(buf);
    }
    rc = bad ? EXIT_USAGE : run.flagged ? 1 : 0;
out:
    if (run.ctx.partners)
        mail_partners_free(run.ctx.partners);
    if (run.ctx.intel)
        intel_db_free(run.ctx.intel);
    if (run.ctx.geoip)
        geoip_close(run.ctx.geoip);
    mail_list_free(cli.own, cli.nown);
    mail_list_free(cli.authserv, cli.nauthserv);
    free(cfg);
    return rc;
}

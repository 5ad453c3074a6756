/* cmd-report.c - `mamori report`: the monthly report an owner can read in
 * five minutes (docs/report.md). Builds the model from the store, then
 * prints it as JSON (--json), as text (--text, the default), writes HTML
 * (-o) and PDF (--pdf). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli-args.h"
#include "cli/commands.h"
#include "cli/sensor.h"
#include "inventory/known.h"
#include "report/report.h"
#include "store/store-inv.h"
#include "util/config.h"
#include "util/geoip.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/util.h"

const char *const cmd_report_usage[2] = {
    "usage: mamori report [--db FILE] [--month YYYY-MM | --since T [--until T]]\n"
    "                     [--lang ja|en] [--company NAME] [-o FILE.html] [--pdf FILE.pdf]\n"
    "                     [--text] [--json] [--config FILE] [--geoip FILE] [--known FILE]\n"
    "\n"
    "Writes the monthly security report: the overall status, this month's three\n"
    "things to do, key numbers compared with the previous period, every finding\n"
    "in plain words by theme, devices, charts and what the sensor saw.\n"
    "\n"
    "  --db FILE        the store (default mamori.db)\n"
    "  --month YYYY-MM  the calendar month on the local clock (TZ); default: last month\n"
    "  --since T, --until T  any period instead (2026-10-01, 2026-10-01T09:00, 7d);\n"
    "                   it is compared with the same length just before\n"
    "  --lang ja|en     the report's language (default: from --lang/LANG)\n"
    "  --company NAME   the name on the report (default: site.company in the config)\n"
    "  -o FILE.html     write the HTML report\n"
    "  --pdf FILE.pdf   also print it to PDF (needs Chromium)\n"
    "  --text           print the plain-text report (the default without -o/--pdf/--json)\n"
    "  --json           print the report's data model (docs/report.md)\n"
    "  --config FILE    settings file (site.company, geoip.db, inventory.known_devices)\n"
    "  --geoip FILE     country database (.mmdb) for probes by country\n"
    "  --known FILE     the known-device list (default: beside the database)\n"
    "\n"
    "Exit status: 0 written, 1 the store or an output could not be read or written,\n"
    "2 bad usage.\n",
    "使い方: mamori report [--db ファイル] [--month YYYY-MM | --since 時刻 [--until 時刻]]\n"
    "                     [--lang ja|en] [--company 会社名] [-o ファイル.html] [--pdf ファイル.pdf]\n"
    "                     [--text] [--json] [--config ファイル] [--geoip ファイル] [--known ファイル]\n"
    "\n"
    "月次のセキュリティ報告書を作成します。総合評価、今月やること（3 つまで）、前の期間と\n"
    "比べた主な数字、分野ごとの検知内容のわかりやすい説明、機器の一覧、グラフ、センサーの\n"
    "記録を載せます。\n"
    "\n"
    "  --db ファイル      データベース（既定 mamori.db）\n"
    "  --month YYYY-MM    対象の月（この機械の時刻帯、TZ）。省略すると先月\n"
    "  --since, --until   任意の期間（2026-10-01、2026-10-01T09:00、7d など）。直前の同じ長さの\n"
    "                     期間と比べます\n"
    "  --lang ja|en       報告書の言語（既定は --lang や LANG に従います）\n"
    "  --company 会社名   報告書に載せる会社名（既定は設定ファイルの site.company）\n"
    "  -o ファイル.html   HTML の報告書を書き出します\n"
    "  --pdf ファイル.pdf PDF にも書き出します（Chromium が必要）\n"
    "  --text             テキストの報告書を表示します（-o/--pdf/--json がないときの既定）\n"
    "  --json             報告書のデータモデルを表示します（docs/report.md）\n"
    "  --config ファイル  設定ファイル（site.company、geoip.db、inventory.known_devices）\n"
    "  --geoip ファイル   国別集計に使う国データベース（.mmdb）\n"
    "  --known ファイル   既知の機器リスト（既定はデータベースと同じ場所）\n"
    "\n"
    "終了コード: 0 作成しました、1 データベースや出力ファイルを読み書きできません、\n"
    "2 使い方の誤り。\n",
};

struct report_cli {
    const char *db, *month, *since, *until, *company, *html, *pdf, *config, *geoip, *known;
    int text, json;
};

static int report_args(int argc, char **argv, struct report_cli *c)
{
    enum { O_DB = 1000, O_MONTH, O_SINCE, O_UNTIL, O_LANG, O_COMPANY, O_PDF, O_TEXT, O_JSON,
           O_CONFIG, O_GEOIP, O_KNOWN, O_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, O_DB},
        {"month", required_argument, NULL, O_MONTH},
        {"since", required_argument, NULL, O_SINCE},
        {"until", required_argument, NULL, O_UNTIL},
        {"lang", required_argument, NULL, O_LANG},
        {"company", required_argument, NULL, O_COMPANY},
        {"output", required_argument, NULL, 'o'},
        {"pdf", required_argument, NULL, O_PDF},
        {"text", no_argument, NULL, O_TEXT},
        {"json", no_argument, NULL, O_JSON},
        {"config", required_argument, NULL, O_CONFIG},
        {"geoip", required_argument, NULL, O_GEOIP},
        {"known", required_argument, NULL, O_KNOWN},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (ch) {
        case O_DB: c->db = optarg; break;
        case O_MONTH: c->month = optarg; break;
        case O_SINCE: c->since = optarg; break;
        case O_UNTIL: c->until = optarg; break;
        case O_COMPANY: c->company = optarg; break;
        case 'o': c->html = optarg; break;
        case O_PDF: c->pdf = optarg; break;
        case O_TEXT: c->text = 1; break;
        case O_JSON: c->json = 1; break;
        case O_CONFIG: c->config = optarg; break;
        case O_GEOIP: c->geoip = optarg; break;
        case O_KNOWN: c->known = optarg; break;
        case O_LANG:
            if (i18n_set(optarg) < 0) {
                error("%s", TR("report: --lang takes ja or en",
                               "report: --lang には ja か en を指定してください"));
                return EXIT_USAGE;
            }
            break;
        case 'h':
        case O_HELP:
            fputs(command_usage("report"), stdout);
            return -1;
        default:
            return cli_bad_option("report", argv);
        }
    }
    if (optind < argc)
        return cli_extra_arg("report", argv[optind]);
    if (c->month && (c->since || c->until)) {
        error("%s", TR("report: give either --month or --since/--until, not both",
                       "report: --month と --since/--until は同時に指定できません"));
        return EXIT_USAGE;
    }
    if (c->until && !c->since) {
        error("%s", TR("report: --until needs --since", "report: --until には --since も必要です"));
        return EXIT_USAGE;
    }
    return 0;
}

/* The period and the one it is compared with. */
static int report_period(const struct report_cli *c, struct report_opts *o, uint64_t now)
{
    if (c->since) {
        if (cli_time("report", c->since, now, &o->since_us) ||
            (c->until && cli_time("report", c->until, now, &o->until_us)))
            return EXIT_USAGE;
        if (!c->until)
            o->until_us = now;
        if (o->until_us <= o->since_us) {
            error("%s", TR("report: --until must be after --since",
                           "report: --until は --since より後にしてください"));
            return EXIT_USAGE;
        }
        uint64_t len = o->until_us - o->since_us;
        o->prev_until_us = o->since_us;
        o->prev_since_us = o->since_us > len ? o->since_us - len : 0;
        return 0;
    }
    char ym[16];
    if (c->month) {
        snprintf(ym, sizeof(ym), "%s", c->month);
    } else { /* last month */
        time_t t = (time_t)(now / 1000000);
        struct tm tm;
        localtime_r(&t, &tm);
        int y = tm.tm_year + 1900, m = tm.tm_mon; /* 0-based this month = last month 1-based */
        if (m == 0) {
            y--;
            m = 12;
        }
        snprintf(ym, sizeof(ym), "%04d-%02d", y % 10000, m % 100);
    }
    if (report_month_range(ym, &o->since_us, &o->until_us, &o->prev_since_us,
                           &o->prev_until_us) < 0) {
        error(TR("report: bad month '%s' (use YYYY-MM, e.g. 2026-10)",
                 "report: 月 '%s' が読めません（2026-10 のように YYYY-MM で指定してください）"),
              ym);
        return EXIT_USAGE;
    }
    return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        int e = errno;
        if (f)
            fclose(f);
        error(TR("report: cannot write '%s': %s", "report: '%s' に書き込めません: %s"), path,
              strerror(e));
        return -1;
    }
    return 0;
}

/* HTML to c->html (and PDF from it); without -o the HTML for the PDF goes
 * to a temporary file beside the PDF. */
static int report_outputs(const struct report_cli *c, const json_t *model)
{
    struct strbuf sb = STRBUF_INIT;
    report_html_render(model, &sb);
    char tmp[4096] = "";
    const char *html = c->html;
    if (!html) {
        snprintf(tmp, sizeof(tmp), "%s.html", c->pdf);
        html = tmp;
    }
    int rc = write_file(html, sb_str(&sb), sb.len) < 0 ? EXIT_ENV : 0;
    sb_free(&sb);
    if (!rc && c->pdf) {
        char err[512];
        if (report_pdf_write(html, c->pdf, err, sizeof(err)) < 0) {
            error("report: %s", err);
            rc = EXIT_ENV;
        }
    }
    if (tmp[0])
        unlink(tmp);
    return rc;
}

static int report_known(const struct report_cli *c, const struct mamori_config *cfg,
                        struct known_list *kl)
{
    char path[1024], err[1200];
    sensor_known_path(c->known, cfg->known_devices, c->db, path, sizeof(path));
    if (known_load(kl, path, c->known == NULL, err, sizeof(err)) < 0) {
        error(TR("known-device list: %s", "既知の機器リスト: %s"), err);
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_report(int argc, char **argv)
{
    struct report_cli c = {.db = "mamori.db"};
    int rc = report_args(argc, argv, &c);
    if (rc)
        return rc < 0 ? 0 : rc;
    uint64_t now = cli_now_us();
    struct report_opts o = {.lang = ui_lang, .generated_us = now};
    if ((rc = report_period(&c, &o, now)) != 0)
        return rc;
    struct mamori_config cfg;
    if (config_load_cli(&cfg, c.config) < 0)
        return EXIT_USAGE;
    o.company = c.company ? c.company : cfg.company;
    o.home = &cfg.detect.inv.home;
    struct known_list kl;
    known_init(&kl);
    if ((rc = report_known(&c, &cfg, &kl)) != 0) {
        known_free(&kl);
        return rc;
    }
    o.known = &kl;
    const char *gpath = c.geoip ? c.geoip : cfg.geoip_db[0] ? cfg.geoip_db : NULL;
    o.geoip = geoip_open(gpath, &o.geoip_why);
    if (!o.geoip && c.geoip) {
        error(TR("report: cannot use the country database '%s': %s",
                 "report: 国データベース '%s' を使えません: %s"),
              c.geoip, o.geoip_why ? o.geoip_why : "?");
        known_free(&kl);
        return EXIT_ENV;
    }
    sqlite3 *db = store_open_readonly(c.db);
    if (!db) {
        geoip_close(o.geoip);
        known_free(&kl);
        return EXIT_ENV;
    }
    char err[512] = "";
    json_t *model = report_model_build(db, &o, err, sizeof(err));
    sqlite3_close(db);
    geoip_close(o.geoip);
    known_free(&kl);
    if (!model) {
        error("report: %s", err);
        return EXIT_ENV;
    }
    rc = 0;
    if (c.json) {
        char *s = json_dumps(model, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        if (s) {
            puts(s);
            free(s);
        }
    }
    if (c.text || (!c.json && !c.html && !c.pdf)) {
        struct strbuf sb = STRBUF_INIT;
        report_text_render(model, &sb);
        fputs(sb_str(&sb), stdout);
        sb_free(&sb);
    }
    if (c.html || c.pdf)
        rc = report_outputs(&c, model);
    json_decref(model);
    if (fflush(stdout) != 0) {
        error("report: %s", strerror(errno));
        rc = EXIT_ENV;
    }
    return rc;
}

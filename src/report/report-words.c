/* report-words.c - the fixed words of the monthly report in English and
 * Japanese: themes and which alert categories belong to them, the "things to
 * do" each kind of finding leads to, the glossary and the renderers' labels.
 * The model (report-model.c) picks from these tables; nothing here reads the
 * store.
 */
#include <stddef.h>
#include <string.h>

#include "report/report-internal.h"
#include "util/util.h"

/* --- themes --- */

const struct report_theme report_themes[] = {
    {"devices",
     {"Devices on your network", "ネットワーク上の機器"},
     {"Devices that joined the network, came back after a long absence or started offering "
      "something new. A device nobody recognises is the first thing to check.",
      "新しくつながった機器、久しぶりに戻ってきた機器、新しい機能を提供し始めた機器です。"
      "誰にも心当たりのない機器は、最初に確認すべきものです。"}},
    {"outside",
     {"Attacks from outside", "外部からの攻撃"},
     {"Attempts from the Internet to find a way in: scans, password guessing and attacks on web "
      "servers. Most are automated and fail; they matter when something answered or let them "
      "in.",
      "インターネットから侵入口を探す試みです（ポートスキャン、パスワードの総当たり、Web "
      "サーバーへの攻撃など）。多くは自動化された攻撃で失敗に終わりますが、応答した機器や"
      "入り込まれた形跡がある場合は対応が必要です。"}},
    {"inside",
     {"Suspicious behaviour inside", "社内での不審な動き"},
     {"Devices in the office that behaved like infected or misused computers: contacting other "
      "PCs' administrative shares, calling out at regular intervals, sending large amounts of "
      "data or mail.",
      "社内の機器が、感染した、あるいは不正に使われているパソコンのような動きをしたものです"
      "（他のパソコンの管理用共有への接続、一定間隔での外部への通信、大量のデータやメールの"
      "送信など）。"}},
    {"practice",
     {"Risky practices", "危険な使い方"},
     {"Habits and old equipment that make an attack easier: passwords sent without encryption, "
      "old protocols such as Telnet and SMBv1, and systems that no longer get security updates.",
      "攻撃を受けやすくする使い方や古い機器です（暗号化されずに送られるパスワード、Telnet や "
      "SMBv1 などの古い通信方式、セキュリティ更新が終わったシステムなど）。"}},
};

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is(const char *s, const char *v)
{
    return s && strcmp(s, v) == 0;
}

/* Where a finding is told. Categories with a direction (scans, password
 * guessing, remote access, threat lists) go by their variant: the same
 * category is an attack from outside when it comes in and suspicious
 * behaviour when an office PC does it. */
const char *report_theme_of(const char *category, const char *variant)
{
    if (!category)
        return "inside";
    if (is(category, "device.legacy_os"))
        return "practice";
    if (is(category, "device.arp_spoof"))
        return "inside";
    if (starts(category, "device."))
        return "devices";
    if (starts(category, "cleartext") || starts(category, "legacy."))
        return "practice";
    if (starts(category, "scan.") || starts(category, "bruteforce"))
        return is(variant, "internal") || is(variant, "outbound") ? "inside" : "outside";
    if (starts(category, "web.attack"))
        return is(variant, "webshell") ? "inside" : "outside";
    if (is(category, "dos"))
        return "outside";
    if (starts(category, "remote_access"))
        return is(variant, "inbound") ? "outside" : "inside";
    if (starts(category, "intel."))
        return is(variant, "inbound") ? "outside" : "inside";
    /* lateral, beacon, exfil.*, dns.*, tor, proxy, spam.*, mail.* and
     * anything newer: behaviour of a device inside. */
    return "inside";
}

/* --- things to do --- */

/* Kinds of action, most pressing first among findings of equal severity.
 * {device} is the device's name (or address); {n} how many devices. */
const struct report_todo_kind report_todo_kinds[] = {
    [TODO_ISOLATE] = {"isolate", 0,
                      {"Disconnect {device} from the network and call your IT vendor",
                       "{device} をネットワークから外し、IT 業者に連絡してください"},
                      {"A computer that behaves like this is often controlled by an attacker, "
                       "who can steal data or lock files from it and spread to other PCs.",
                       "このような動きをするパソコンは攻撃者に操られていることが多く、データを"
                       "盗まれたりファイルを暗号化されたりするほか、他のパソコンに被害が広がる"
                       "おそれがあります。"}},
    [TODO_CHECK] = {"check", 0,
                    {"Ask your IT vendor to check {device}",
                     "IT 業者に {device} の点検を依頼してください"},
                    {"This is how infected or misused computers often behave; someone who knows "
                     "the PC should confirm whether it was expected.",
                     "感染したパソコンや不正に使われているパソコンによく見られる動きです。その"
                     "パソコンをよく知る人が、想定どおりの動きか確認する必要があります。"}},
    [TODO_REMOTE] = {"remote", 0,
                     {"Find out who uses remote-control or anonymising software on {device}",
                      "{device} で遠隔操作ソフトや匿名化ソフトを誰が使っているか確認してください"},
                     {"Remote-control and anonymising tools let someone outside the office use "
                      "the PC, or hide where its traffic goes; attackers use them too.",
                      "遠隔操作ソフトや匿名化ソフトは、社外の人がそのパソコンを操作したり、"
                      "通信先を隠したりできるものです。攻撃者もよく使います。"}},
    [TODO_CLEARTEXT] = {"cleartext", 0,
                        {"Stop {device} sending passwords without encryption",
                         "{device} が暗号化せずにパスワードを送るのをやめさせてください"},
                        {"Anyone who can see the traffic on the way can read a password sent "
                         "without encryption and log in with it.",
                         "暗号化されずに送られたパスワードは、途中の通信を見られる人なら誰でも読み"
                         "取ってログインに使えます。"}},
    [TODO_TELNET] = {"telnet", 0,
                     {"Turn off Telnet on {device}", "{device} の Telnet を無効にしてください"},
                     {"Telnet sends every password and command unencrypted and is a favourite "
                      "way in for automated attacks.",
                      "Telnet はパスワードや操作内容をすべて暗号化せずに送るため、自動化された"
                      "攻撃の侵入口としてよく狙われます。"}},
    [TODO_SMB1] = {"smb1", 0,
                   {"Turn off SMBv1 file sharing on {device}",
                    "{device} の SMBv1（古いファイル共有方式）を無効にしてください"},
                   {"SMBv1 is the old file-sharing protocol that WannaCry and similar worms "
                    "spread through.",
                    "SMBv1 は、WannaCry などのワームが感染を広げるのに使った古いファイル共有"
                    "方式です。"}},
    [TODO_OUTSIDE] = {"outside", 1,
                      {"Ask your IT vendor which services your router opens to the Internet",
                       "ルーターがインターネットに公開しているサービスを IT 業者に確認してもらって"
                       "ください"},
                      {"Attacks from the Internet only succeed through a door that is open: a "
                       "forwarded port, a remote-access service or a web server.",
                       "インターネットからの攻撃は、開いている入口（転送設定されたポート、"
                       "リモート接続サービス、Web サーバーなど）があって初めて成功します。"},
                      {"Hand this report to your IT vendor and ask them to list every port the "
                       "router forwards to the office, close those nobody needs, and check that "
                       "the rest (VPN, remote desktop, web server) are up to date and use strong "
                       "passwords.",
                       "この報告書を IT 業者に渡し、ルーターが社内に転送しているポートを一覧に"
                       "してもらってください。不要なものは閉じ、残すもの（VPN、リモートデスク"
                       "トップ、Web サーバーなど）は最新の状態で強いパスワードが使われているか"
                       "確認してもらってください。"}},
    [TODO_UNKNOWN] = {"unknown", 1,
                      {"Register the {n} unknown device(s) on the known-device list, or remove "
                       "them",
                       "見覚えのない機器 {n} 台を既知の機器リストに登録するか、取り外してください"},
                      {"A device nobody recognises may be a visitor's or employee's own PC, or "
                       "something an intruder plugged in.",
                       "誰にも心当たりのない機器は、来客や社員の私物パソコンかもしれませんし、"
                       "侵入者が接続したものかもしれません。"},
                      {"For each device in the list of devices not on the known-device list, "
                       "find out whose it is. Register the company's own with 'mamori devices "
                       "approve MAC --name NAME --owner OWNER'; unplug any nobody recognises and "
                       "have it checked before it goes back.",
                       "「既知の機器リストにない機器」の一覧にある機器それぞれについて、誰のものか"
                       "確認してください。会社の機器は 'mamori devices approve MAC --name 名前 "
                       "--owner 担当者' で登録し、誰にも心当たりのない機器は LAN ケーブルを抜く"
                       "などしてネットワークから外し、確認してから接続し直してください。"}},
    [TODO_CONFLICT] = {"conflict", 0,
                       {"Fix the address conflict of {device}",
                        "{device} の IP アドレスの重複を解消してください"},
                       {"Two devices claiming one address disturb each other, and the same "
                        "trick is used to intercept traffic.",
                        "2 台の機器が同じアドレスを名乗ると互いの通信が乱れます。通信を横取り"
                        "する攻撃でも同じ手口が使われます。"}},
    [TODO_LEGACY] = {"legacy", 0,
                     {"Update or replace the old system on {device}",
                      "{device} の古いシステムを更新するか、入れ替えてください"},
                     {"Systems and protocols that no longer get security updates have known "
                      "holes that attackers use.",
                      "セキュリティ更新が終わったシステムや古い通信方式には、攻撃者に知られた"
                      "弱点があります。"}},
    [TODO_SERVICE] = {"service", 0,
                      {"Check the new service that {device} started offering",
                       "{device} が新たに提供し始めたサービスを確認してください"},
                      {"A device that suddenly accepts remote desktop or file sharing can be a "
                       "new way in.",
                       "急にリモートデスクトップやファイル共有を受け付け始めた機器は、新たな侵入口"
                       "になり得ます。"}},
    [TODO_RETURNED] = {"returned", 1,
                       {"Confirm that the {n} device(s) back after a long absence are expected",
                        "長い間つながっていなかった機器 {n} 台が戻ってきたことに心当たりがあるか"
                        "確認してください"},
                       {"A PC that was away for weeks may have missed updates, or may not be "
                        "the same PC any more.",
                        "何週間もつながっていなかったパソコンは更新が遅れていることがあり、別の"
                        "機器になりすまされている可能性もあります。"},
                      {"Ask the users of the devices listed under 'Back after a long absence' "
                       "whether they brought them back; run Windows Update and a virus scan on "
                       "each before normal use.",
                       "「久しぶりに戻ってきた機器」の一覧にある機器の使用者に、持ち込んだことに"
                       "心当たりがあるか確認してください。使い始める前に Windows Update とウイルス"
                       "検査を行ってください。"}},
    [TODO_OTHER] = {"other", 0,
                    {"Go through the finding about {device} with your IT vendor",
                     "{device} についての検知内容を IT 業者と確認してください"},
                    {"mamori saw something unusual that a person should look at.",
                     "mamori が通常と異なる動きを検知しました。人の目で確認が必要です。"}},
    [TODO_SENSOR] = {"sensor", 1,
                     {"Keep the sensor switched on and connected",
                      "センサーの電源を入れたまま、ネットワークにつないでおいてください"},
                     {"While the sensor is off nothing is watched, so this report cannot say "
                      "what happened then.",
                      "センサーが止まっている間は何も監視できないため、その期間に何が起きたかは"
                      "この報告書ではわかりません。"}},
    [TODO_NODATA] = {"nodata", 1,
                     {"Check that the sensor is running and connected to the network",
                      "センサーが動いていて、ネットワークにつながっているか確認してください"},
                     {"The sensor recorded nothing in this period, so there is nothing to "
                      "report on.",
                      "この期間、センサーは何も記録していないため、報告できる内容がありません。"}},
};

/* Which kind of action a finding calls for. */
enum report_todo_id report_todo_of(const char *category, const char *variant, int severity)
{
    const char *theme = report_theme_of(category, variant);
    if (starts(category, "legacy.protocol")) {
        if (variant && starts(variant, "telnet"))
            return TODO_TELNET;
        if (variant && starts(variant, "smb1"))
            return TODO_SMB1;
        return TODO_LEGACY;
    }
    if (is(category, "device.legacy_os"))
        return TODO_LEGACY;
    if (starts(category, "cleartext"))
        return TODO_CLEARTEXT;
    if (is(category, "device.new"))
        return TODO_UNKNOWN;
    if (is(category, "device.returned"))
        return TODO_RETURNED;
    if (is(category, "device.new_service"))
        return TODO_SERVICE;
    if (is(category, "device.ip_conflict"))
        return TODO_CONFLICT;
    if (strcmp(theme, "outside") == 0)
        return TODO_OUTSIDE;
    if (starts(category, "remote_access") || is(category, "tor") || is(category, "proxy"))
        return TODO_REMOTE;
    if (strcmp(theme, "inside") == 0)
        return severity >= 3 ? TODO_ISOLATE : TODO_CHECK;
    return TODO_OTHER;
}

/* --- severities --- */

const char *const report_severity_names[5] = {"info", "low", "medium", "high", "critical"};
const char *const report_severity_labels[5][2] = {
    {"Information", "情報"}, {"Low", "低"}, {"Medium", "中"}, {"High", "高"}, {"Critical", "緊急"},
};

/* --- glossary: a term is listed when the report uses it --- */

const struct report_term report_terms[] = {
    {"sensor", NULL, {"Sensor", "センサー"},
     {"The small computer running mamori that watches a copy of the office's network traffic. "
      "It only sees traffic while it is switched on.",
      "社内ネットワークの通信の写しを見守る、mamori が動いている小さなコンピューターです。"
      "電源が入っている間の通信だけが見えます。"}},
    {"ip", NULL, {"IP address", "IP アドレス"},
     {"The number a device uses on the network, like a telephone number (e.g. 192.168.1.10).",
      "ネットワーク上で機器が使う番号で、電話番号のようなものです（例: 192.168.1.10）。"}},
    {"mac", NULL, {"MAC address", "MAC アドレス"},
     {"A serial number built into each network adapter; mamori uses it to tell devices apart.",
      "ネットワーク機器ごとに付いている製造番号のようなもので、mamori は機器の区別に使います。"}},
    {"known", NULL, {"Known-device list", "既知の機器リスト"},
     {"The list of devices your company knows about, with their names and users "
      "('mamori devices' can add to it). Devices not on it are shown as unknown.",
      "会社が把握している機器と、その名前・使用者の一覧です（'mamori devices' で登録できます）。"
      "この一覧にない機器は「見覚えのない機器」として表示されます。"}},
    {"scan", "scan.", {"Port scan", "ポートスキャン"},
     {"Knocking on many doors (ports) of a computer to see which ones open; attackers do it "
      "to find a way in.",
      "コンピューターの多数の入口（ポート）を順に叩き、開いているものを探す行為です。攻撃者が"
      "侵入口を探すのに使います。"}},
    {"bruteforce", "bruteforce", {"Password guessing", "パスワードの総当たり"},
     {"Trying many passwords one after another until one works.",
      "ログインできるまで、多数のパスワードを次々に試す攻撃です。"}},
    {"lateral", "lateral", {"Lateral movement", "横展開（ラテラルムーブメント）"},
     {"An attacker who controls one PC using it to take over other PCs and servers in the "
      "office.",
      "1 台のパソコンを乗っ取った攻撃者が、そこから社内の他のパソコンやサーバーに侵入を広げる"
      "ことです。"}},
    {"beacon", "beacon", {"Beaconing", "ビーコン通信"},
     {"A program calling the same outside server at regular intervals, as malware does to "
      "get its orders.",
      "プログラムが一定の間隔で同じ外部サーバーに通信することです。マルウェアが指示を受け取る"
      "ときの典型的な動きです。"}},
    {"exfil", "exfil.", {"Data exfiltration", "データの持ち出し"},
     {"Large amounts of data leaving the office to an outside service.",
      "大量のデータが社外のサービスへ送り出されることです。"}},
    {"cleartext", "cleartext", {"Cleartext password", "平文パスワード"},
     {"A password sent without encryption, readable by anyone on the way.",
      "暗号化されずに送られたパスワードで、途中の通信を見られる人なら誰でも読めます。"}},
    {"telnet", "legacy.protocol/telnet", {"Telnet", "Telnet"},
     {"An old way to log in to devices remotely that sends everything unencrypted.",
      "機器に遠隔でログインする古い方式で、すべてを暗号化せずに送ります。"}},
    {"smb1", "legacy.protocol/smb1", {"SMBv1", "SMBv1"},
     {"The first version of Windows file sharing, without the protections of later versions.",
      "Windows のファイル共有の最初の版で、後の版にある保護がありません。"}},
    {"legacy_os", "device.legacy_os", {"End-of-support system", "サポート終了のシステム"},
     {"An operating system that its maker no longer fixes, such as Windows 7.",
      "Windows 7 など、メーカーが修正を提供しなくなった OS です。"}},
    {"tor", "tor", {"Tor", "Tor"},
     {"A network that hides who is talking to whom; useful for privacy, also for hiding "
      "attacks.",
      "誰が誰と通信しているかを隠すネットワークです。プライバシー保護に役立つ一方、攻撃を隠す"
      "のにも使われます。"}},
    {"remote", "remote_access", {"Remote-access tool", "遠隔操作ツール"},
     {"Software such as TeamViewer or AnyDesk that lets someone control a PC from elsewhere.",
      "TeamViewer や AnyDesk のように、離れた場所からパソコンを操作できるソフトです。"}},
    {"proxy", "proxy", {"Proxy", "プロキシ"},
     {"A relay that forwards traffic on someone's behalf, which can hide where it goes.",
      "通信を代わりに中継する仕組みで、本当の通信先を隠すことができます。"}},
    {"dns_tunnel", "dns.tunnel", {"DNS tunnel", "DNS トンネル"},
     {"Hiding data in name lookups to get it past the firewall.",
      "名前の問い合わせ（DNS）の中にデータを隠して、ファイアウォールをすり抜ける手口です。"}},
    {"dga", "dns.dga", {"Generated domain names (DGA)", "自動生成ドメイン名（DGA）"},
     {"Random-looking names malware makes up to find its control server.",
      "マルウェアが指令サーバーを探すために自動で作る、でたらめに見えるドメイン名です。"}},
    {"arp", "device.arp_spoof", {"ARP spoofing", "ARP スプーフィング"},
     {"A device pretending to be another (often the router) to intercept traffic.",
      "ある機器が別の機器（多くはルーター）になりすまし、通信を横取りする手口です。"}},
    {"dos", "dos", {"Denial of service (DoS)", "サービス妨害（DoS）"},
     {"Flooding a service with traffic so that it stops working.",
      "大量の通信を送りつけて、サービスを使えなくする攻撃です。"}},
    {"intel", "intel.", {"Threat list", "脅威情報リスト"},
     {"Public lists of addresses and names known to be used in attacks; mamori compares "
      "traffic with them.",
      "攻撃に使われていることがわかっているアドレスや名前の公開リストです。mamori は通信を"
      "これと照合します。"}},
    {"spam", "spam.", {"Spam burst", "スパムの大量送信"},
     {"A device sending mail in bulk, often because malware or a stolen password is used to "
      "send spam.",
      "機器がメールを大量に送信することで、マルウェアや盗まれたパスワードによるスパム送信で"
      "あることが多いです。"}},
    {"web", "web.attack", {"Web attack", "Web への攻撃"},
     {"Requests to a web server that try to break in or read files they should not.",
      "Web サーバーに侵入したり、見られてはいけないファイルを読んだりしようとする要求です。"}},
    {"flow", NULL, {"Flow", "フロー"},
     {"One conversation between two devices; the evidence lists flow numbers so your IT "
      "vendor can look them up.",
      "2 台の機器の間の 1 回分の通信です。証拠欄のフロー番号から、IT 業者が詳細を調べられます。"}},
    {"country", NULL, {"Country of an address", "アドレスの国"},
     {"Where an Internet address is registered, from an offline database; attackers often "
      "use machines in other countries, so it says little about who they are.",
      "インターネットのアドレスが登録されている国で、オフラインのデータベースから調べます。"
      "攻撃者は他国の機器を踏み台にすることが多いため、国だけで相手はわかりません。"}},
    {NULL, NULL, {NULL, NULL}, {NULL, NULL}},
};

/* --- labels the renderers need, in the report's language --- */

const struct report_label report_labels[] = {
    {"title", {"Monthly network security report", "月次ネットワークセキュリティ報告書"}},
    {"summary", {"Summary", "概要"}},
    {"status", {"Overall status", "総合評価"}},
    {"status_green", {"No problems found", "問題は見つかりませんでした"}},
    {"status_amber", {"Needs attention", "注意が必要です"}},
    {"status_red", {"Act now", "至急の対応が必要です"}},
    {"todo", {"This month's things to do", "今月やること"}},
    {"todo_none", {"Nothing needs doing this month.", "今月、対応が必要なことはありません。"}},
    {"todo_why", {"Why", "理由"}},
    {"todo_how", {"How", "やり方"}},
    {"urgency", {"When", "期限"}},
    {"urgency_now", {"Today", "今すぐ"}},
    {"urgency_this_week", {"This week", "今週中"}},
    {"urgency_this_month", {"This month", "今月中"}},
    {"counts", {"Key numbers", "主な数字"}},
    {"previous", {"Previous period", "前の期間"}},
    {"change_up", {"up", "増加"}},
    {"change_down", {"down", "減少"}},
    {"change_same", {"no change", "変化なし"}},
    {"happened", {"What happened", "起きたこと"}},
    {"no_findings", {"Nothing to report here.", "この項目で報告することはありません。"}},
    {"what", {"What was seen", "検知した内容"}},
    {"why", {"Why it matters", "なぜ問題か"}},
    {"action", {"What to do", "対処"}},
    {"severity", {"Severity", "重要度"}},
    {"count", {"Times", "回数"}},
    {"first", {"First seen", "最初"}},
    {"last", {"Last seen", "最後"}},
    {"device", {"Device", "機器"}},
    {"evidence", {"Technical details for your IT vendor", "IT 業者向けの技術情報"}},
    {"src_ip", {"Source", "送信元"}},
    {"dest_ip", {"Destination", "宛先"}},
    {"dest_port", {"Port", "ポート"}},
    {"flow_ids", {"Flow numbers", "フロー番号"}},
    {"category", {"Category", "種別"}},
    {"charts", {"Charts", "グラフ"}},
    {"traffic_per_day", {"Internet traffic per day", "1 日ごとのインターネット通信量"}},
    {"bytes_in", {"Received", "受信"}},
    {"bytes_out", {"Sent", "送信"}},
    {"findings_per_week", {"Findings per week", "週ごとの検知件数"}},
    {"inbound_by_country", {"Probes from the Internet by country", "国別の外部からの調査・攻撃"}},
    {"probes", {"Probes", "件数"}},
    {"country", {"Country", "国"}},
    {"top_services", {"Most used outside services", "よく使われている外部サービス"}},
    {"service", {"Service", "サービス"}},
    {"bytes", {"Traffic", "通信量"}},
    {"devices_count", {"Devices", "台数"}},
    {"devices_per_day", {"Devices seen per day", "1 日ごとの稼働機器数"}},
    {"devices", {"Devices", "機器"}},
    {"devices_new", {"New devices", "新しい機器"}},
    {"devices_unknown", {"Devices not on the known-device list", "既知の機器リストにない機器"}},
    {"devices_returned", {"Back after a long absence", "久しぶりに戻ってきた機器"}},
    {"devices_outdated", {"Outdated systems", "古いシステム"}},
    {"devices_none", {"None.", "ありません。"}},
    {"name", {"Name", "名前"}},
    {"owner", {"User", "使用者"}},
    {"vendor", {"Maker", "メーカー"}},
    {"ip", {"IP address", "IP アドレス"}},
    {"os", {"System", "OS"}},
    {"first_seen", {"First seen", "初めて確認"}},
    {"last_seen", {"Last seen", "最後に確認"}},
    {"note", {"Note", "備考"}},
    {"glossary", {"Glossary", "用語集"}},
    {"sensor", {"What the sensor saw", "センサーの記録"}},
    {"period", {"Period", "対象期間"}},
    {"sensor_span", {"Traffic recorded", "記録した通信の期間"}},
    {"packets", {"Packets", "パケット数"}},
    {"flows", {"Conversations (flows)", "通信（フロー）数"}},
    {"runs", {"Sensor runs", "センサーの稼働回数"}},
    {"coverage", {"Time watched", "監視できた時間の割合"}},
    {"gaps", {"When the sensor was off", "センサーが止まっていた期間"}},
    {"gaps_none", {"The sensor ran the whole period.", "期間中、センサーは止まらずに動いていました。"}},
    {"hours", {"hours", "時間"}},
    {"company", {"Company", "会社名"}},
    {"generated_at", {"Written", "作成日時"}},
    {"prepared_by", {"Prepared by mamori", "mamori により作成"}},
    {"unavailable", {"Not available", "利用できません"}},
    {NULL, {NULL, NULL}},
};

/* --- country names (the ones scans most often come from; others show their
 * code) --- */

static const struct {
    const char *cc, *name[2];
} countries[] = {
    {"AE", {"United Arab Emirates", "アラブ首長国連邦"}}, {"AR", {"Argentina", "アルゼンチン"}},
    {"AU", {"Australia", "オーストラリア"}}, {"BD", {"Bangladesh", "バングラデシュ"}},
    {"BG", {"Bulgaria", "ブルガリア"}}, {"BR", {"Brazil", "ブラジル"}},
    {"CA", {"Canada", "カナダ"}}, {"CH", {"Switzerland", "スイス"}},
    {"CN", {"China", "中国"}}, {"CZ", {"Czechia", "チェコ"}},
    {"DE", {"Germany", "ドイツ"}}, {"ES", {"Spain", "スペイン"}},
    {"FI", {"Finland", "フィンランド"}}, {"FR", {"France", "フランス"}},
    {"GB", {"United Kingdom", "イギリス"}}, {"HK", {"Hong Kong", "香港"}},
    {"ID", {"Indonesia", "インドネシア"}}, {"IE", {"Ireland", "アイルランド"}},
    {"IL", {"Israel", "イスラエル"}}, {"IN", {"India", "インド"}},
    {"IR", {"Iran", "イラン"}}, {"IT", {"Italy", "イタリア"}},
    {"JP", {"Japan", "日本"}}, {"KP", {"North Korea", "北朝鮮"}},
    {"KR", {"South Korea", "韓国"}}, {"LT", {"Lithuania", "リトアニア"}},
    {"MX", {"Mexico", "メキシコ"}}, {"MY", {"Malaysia", "マレーシア"}},
    {"NL", {"Netherlands", "オランダ"}}, {"PH", {"Philippines", "フィリピン"}},
    {"PK", {"Pakistan", "パキスタン"}}, {"PL", {"Poland", "ポーランド"}},
    {"RO", {"Romania", "ルーマニア"}}, {"RU", {"Russia", "ロシア"}},
    {"SC", {"Seychelles", "セーシェル"}}, {"SE", {"Sweden", "スウェーデン"}},
    {"SG", {"Singapore", "シンガポール"}}, {"TH", {"Thailand", "タイ"}},
    {"TR", {"Türkiye", "トルコ"}}, {"TW", {"Taiwan", "台湾"}},
    {"UA", {"Ukraine", "ウクライナ"}}, {"US", {"United States", "アメリカ"}},
    {"VN", {"Viet Nam", "ベトナム"}}, {"ZA", {"South Africa", "南アフリカ"}},
};

const char *report_country_name(const char *cc, enum ui_lang lang)
{
    for (size_t i = 0; i < ARRAY_SIZE(countries); i++)
        if (strcmp(countries[i].cc, cc) == 0)
            return countries[i].name[lang == LANG_JA];
    if (strcmp(cc, "??") == 0)
        return lang == LANG_JA ? "不明" : "Unknown";
    return cc;
}

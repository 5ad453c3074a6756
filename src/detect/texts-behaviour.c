/* texts-behaviour.c - explanation texts of the behaviour detectors: beacon
 * (det-beacon.c) and exfil.upload (det-exfil.c). explain.h says how they are
 * rendered, explain-texts.c has the writing rules. */
#include "detect/explain.h"

const struct alert_text alert_texts_behaviour[] = {
    /* --- beacon (det-beacon.c) ---
     * facts: dest, interval_s, interval_min (from 2 minutes), span_min, conns,
     * score, port, ip */
    {
        .id = "beacon",
        .title = {"{device} contacts {dest} at a steady rhythm",
                  "{device}が{dest}と一定の間隔で通信を繰り返しています"},
        .explain = {"{device} connected to {dest} {conns} times over {span_min} minutes, about "
                    "every {interval_s} seconds[[ (about {interval_min} minutes)]], with a "
                    "regularity score of {score} out of 100. A PC taken over by malware checks "
                    "in with its controller like this while it waits for orders; it is often "
                    "the only sign before data is stolen or the infection spreads. Some "
                    "ordinary programs (update checkers, chat or sync tools) behave the same.",
                    "{device}が{dest}へ、{span_min}分の間に{conns}回、約{interval_s}秒"
                    "[[（約{interval_min}分）]]ごとに接続しました（規則性スコア {score}/100）。"
                    "ウイルスに乗っ取られたパソコンは、このように攻撃者のサーバーへ定期的に"
                    "連絡して指示を待ちます。情報が盗まれたり社内に感染が広がったりする前の、"
                    "唯一の兆候であることも少なくありません。ただし、更新の確認やチャット・"
                    "同期ソフトなど、普通のソフトが同じ動きをすることもあります。"},
        .action = {"Ask the user of {device} whether a program they use talks to {dest}. If "
                   "nobody knows it, disconnect the PC from the network and scan it with "
                   "up-to-date antivirus software; if the alert comes back, have a specialist "
                   "check the PC. If it turns out to be a business tool you use, you can "
                   "ignore this alert.",
                   "{device}の利用者に、{dest}と通信するソフトに心当たりがないか確認して"
                   "ください。心当たりがなければ、そのパソコンをネットワークから外し、"
                   "最新の状態にしたウイルス対策ソフトで検査してください。再び通知される"
                   "場合は、専門業者に調査を依頼してください。業務で使っているソフトと"
                   "分かれば、この通知は無視してかまいません。"},
    },
    /* facts: dest (the address), port, interval_s, interval_min, span_min, conns, score */
    {
        .id = "beacon/ip",
        .title = {"{device} contacts the bare address {dest} at a steady rhythm",
                  "{device}が名前のないアドレス{dest}と一定の間隔で通信しています"},
        .explain = {"{device} connected to the Internet address {dest} on port {port} {conns} "
                    "times over {span_min} minutes, about every {interval_s} seconds"
                    "[[ (about {interval_min} minutes)]], without using any name for it "
                    "(regularity score {score} out of 100). Normal services are reached by "
                    "name; malware often carries a list of bare addresses of its controllers "
                    "and checks in with them like this, waiting for orders.",
                    "{device}が、名前（ドメイン名）を使わずにインターネット上のアドレス"
                    "{dest}のポート{port}へ、{span_min}分の間に{conns}回、約{interval_s}秒"
                    "[[（約{interval_min}分）]]ごとに接続しました（規則性スコア {score}/100）。"
                    "普通のサービスは名前で接続します。ウイルスは攻撃者のサーバーの"
                    "アドレスを直接持っていることが多く、このように定期的に連絡して指示を"
                    "待ちます。"},
        .action = {"Treat {device} as possibly infected: disconnect it from the network, scan "
                   "it with up-to-date antivirus software and have a specialist check it. "
                   "Change the passwords used on that PC from another, clean device.",
                   "{device}は感染している可能性があります。ネットワークから外し、最新の"
                   "状態にしたウイルス対策ソフトで検査したうえで、専門業者に調査を依頼して"
                   "ください。そのパソコンで使っていたパスワードは、別の安全な端末から"
                   "変更してください。"},
    },

    /* --- exfil.upload (det-exfil.c) ---
     * facts: dest, mb_out, mb_in, ratio, hours, baseline_mb, local_time, ip */
    {
        .id = "exfil.upload",
        .title = {"{device} sent {mb_out} MB to {dest}, a destination it rarely uses",
                  "{device}が普段使わない送信先{dest}へ{mb_out}MBを送信しました"},
        .explain = {"{device} sent {mb_out} MB to {dest} within {hours} hour(s) and got only "
                    "{mb_in} MB back ({ratio} to 1), the last part around {local_time} local "
                    "time. It had rarely or never sent anything there before, and it usually "
                    "uploads about {baseline_mb} MB a day. This is what it looks like when "
                    "company files are copied to a personal cloud drive, or when an intruder "
                    "takes data away before encrypting the office's files for ransom.",
                    "{device}が{dest}へ{hours}時間以内に{mb_out}MBを送信し、受信は{mb_in}MB"
                    "だけでした（送信が受信の{ratio}倍、最後の送信は現地時刻{local_time}ごろ）。"
                    "このパソコンはこれまで{dest}へほとんどデータを送っておらず、普段の"
                    "送信量は1日あたり約{baseline_mb}MBです。会社のファイルを個人の"
                    "クラウドに持ち出す場合や、ランサムウェアの攻撃者がファイルを暗号化する"
                    "前にデータを盗み出す場合に、このような通信になります。"},
        .action = {"Ask the user of {device} what was uploaded to {dest} around {local_time}. "
                   "If it was not a planned backup or a service your company uses, disconnect "
                   "the PC from the network, leave it as it is, and contact a specialist. A new "
                   "backup or cloud service is flagged only until it becomes routine.",
                   "{device}の利用者に、{local_time}ごろ{dest}へ何を送ったか確認して"
                   "ください。予定していたバックアップや会社で使っているサービスでなければ、"
                   "そのパソコンをネットワークから外し、電源や状態をそのままにして専門業者に"
                   "相談してください。新しく始めたバックアップやクラウドサービスであれば、"
                   "毎日の通信として定着すると通知されなくなります。"},
    },
    /* facts: as exfil.upload */
    {
        .id = "exfil.upload/sharing",
        .title = {"{device} uploaded {mb_out} MB to the file-sharing site {dest}",
                  "{device}がファイル共有サイト{dest}へ{mb_out}MBをアップロードしました"},
        .explain = {"{device} sent {mb_out} MB to the file-transfer site {dest} within {hours} "
                    "hour(s) (received {mb_in} MB, {ratio} to 1), the last part around "
                    "{local_time} local time; it usually uploads about {baseline_mb} MB a day. "
                    "Such sites hand files to anyone who has the link, which makes them a "
                    "common way to carry customer lists and drawings out of a company.",
                    "{device}がファイル転送サイト{dest}へ{hours}時間以内に{mb_out}MBを送信"
                    "しました（受信は{mb_in}MB、送信が{ratio}倍、最後の送信は現地時刻"
                    "{local_time}ごろ）。普段の送信量は1日あたり約{baseline_mb}MBです。"
                    "こうしたサイトはリンクを知っている人なら誰でもファイルを受け取れるため、"
                    "顧客名簿や図面などを社外へ持ち出す手段としてよく使われます。"},
        .action = {"Ask the user of {device} what was sent and to whom. If the transfer was not "
                   "approved, keep the PC as it is and contact a specialist; decide whether "
                   "file-transfer sites should be blocked on your router.",
                   "{device}の利用者に、何を誰に送ったのか確認してください。承認されていない"
                   "送信であれば、パソコンをそのままの状態で保管して専門業者に相談して"
                   "ください。あわせて、ルーターでファイル転送サイトへの接続を禁止するか"
                   "検討してください。"},
    },
    {.id = NULL},
};

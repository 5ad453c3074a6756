/* texts-intel.c - explanation texts of the intel detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules).
 *
 * Facts (det-intel.c): list (the threat list's name), entry (the listed
 * address range, domain, URL or fingerprint), note (what the list says about
 * it: brand, malware family; optional), indicator (what was seen), port
 * (intel.ip only).
 */
#include "detect/explain.h"

const struct alert_text alert_texts_intel[] = {
    /* --- intel.ip (det-intel.c) --- facts: list, entry, note, indicator, port */
    {
        .id = "intel.ip",
        .title = {"{device} connected to a listed address {indicator}",
                  "{device} が脅威リストに載っているアドレス {indicator} と通信しました"},
        .explain = {"{device} connected to {indicator}[[ (port {port})]], which the threat list "
                    "{list} names as dangerous (entry {entry}[[: {note}]]). Addresses on such "
                    "lists are used by criminals to control infected PCs, spread malware or "
                    "attack others.",
                    "{device} が {indicator}[[（ポート {port}）]]と通信しました。このアドレスは"
                    "脅威情報リスト {list} に危険なものとして載っています（登録 {entry}"
                    "[[: {note}]]）。このようなアドレスは、感染したパソコンの遠隔操作や"
                    "ウイルスの配布、攻撃に使われます。"},
        .action = {"Find out what on {device} made this connection. If nobody knows, disconnect "
                   "it from the network and have it checked for viruses.",
                   "{device} のどのソフトがこの通信をしたか確認してください。心当たりがなければ、"
                   "ネットワークから外してウイルス検査を行ってください。"},
    },
    {
        .id = "intel.ip/outbound",
        .title = {"{device} contacted a known-bad address {indicator}",
                  "{device} が危険なアドレス {indicator} に接続しようとしました"},
        .explain = {"{device} opened a connection to {indicator}[[ (port {port})]], which the "
                    "threat list {list} names as dangerous (entry {entry}[[: {note}]]). "
                    "Infected PCs call such addresses to receive orders from criminals (for "
                    "example the Emotet virus, which then sends mail in your company's name to "
                    "your customers).",
                    "{device} が {indicator}[[（ポート {port}）]]への接続を始めました。この"
                    "アドレスは脅威情報リスト {list} に危険なものとして載っています（登録 "
                    "{entry}[[: {note}]]）。ウイルスに感染したパソコンは、こうしたアドレスに"
                    "接続して犯人からの指示を受け取ります（例えば Emotet は、その後あなたの会社の"
                    "名前で取引先へ大量のメールを送ります）。"},
        .action = {"Disconnect {device} from the network (unplug the cable or turn off its "
                   "Wi-Fi) and have it checked for viruses. Change the passwords that were used "
                   "on it, from another PC.",
                   "{device} をネットワークから外し（LANケーブルを抜くかWi-Fiを切る）、"
                   "ウイルス検査を行ってください。その機器で使っていたパスワードは、"
                   "別のパソコンから変更してください。"},
    },
    {
        .id = "intel.ip/data",
        .title = {"{device} exchanged data with a known-bad address {indicator}",
                  "{device} が危険なアドレス {indicator} とデータをやり取りしました"},
        .explain = {"{device} not only connected to {indicator}[[ (port {port})]] but sent and "
                    "received data. The threat list {list} names this address as dangerous "
                    "(entry {entry}[[: {note}]]). The PC is very likely infected and may be "
                    "taking orders, downloading more malware or sending out your data right "
                    "now.",
                    "{device} が {indicator}[[（ポート {port}）]]と実際にデータを送受信しました。"
                    "このアドレスは脅威情報リスト {list} に危険なものとして載っています（登録 "
                    "{entry}[[: {note}]]）。このパソコンは感染している可能性が非常に高く、"
                    "今まさに指示を受けたり、別のウイルスを取り込んだり、情報を送り出したり"
                    "しているおそれがあります。"},
        .action = {"Disconnect {device} from the network now (unplug the cable or turn off its "
                   "Wi-Fi), but do not switch it off, and call your IT support or security "
                   "vendor. From another PC, change the passwords used on it.",
                   "今すぐ {device} をネットワークから外してください（LANケーブルを抜くか"
                   "Wi-Fiを切る）。電源は切らずに、IT担当の業者やセキュリティ会社に連絡して"
                   "ください。その機器で使っていたパスワードは、別のパソコンから変更して"
                   "ください。"},
    },
    {
        .id = "intel.ip/inbound",
        .title = {"Listed address {indicator} reached your network",
                  "脅威リストに載っているアドレス {indicator} から接続がありました"},
        .explain = {"{indicator}, which the threat list {list} names as dangerous (entry "
                    "{entry}[[: {note}]]), sent traffic to {dst}[[ (port {port})]] "
                    "{count} times. Such addresses scan the whole Internet for weak devices "
                    "every day, so this alone is background noise; it matters if one of your "
                    "devices answered.",
                    "脅威情報リスト {list} に載っているアドレス {indicator}（登録 {entry}"
                    "[[: {note}]]）から、{dst}[[（ポート {port}）]]への通信が {count} 回"
                    "ありました。こうしたアドレスはインターネット全体を毎日探っているため、"
                    "これだけなら日常的な雑音です。社内の機器が応答していた場合は注意が"
                    "必要です。"},
        .action = {"Nothing to do now. Make sure your router does not forward ports you do not "
                   "need.",
                   "今すぐの対応は不要です。ルーターで不要なポートを公開していないか確認して"
                   "ください。"},
    },
    {
        .id = "intel.ip/answered",
        .title = {"{device} answered the listed address {indicator}",
                  "{device} が脅威リストのアドレス {indicator} に応答しました"},
        .explain = {"{indicator}, which the threat list {list} names as dangerous (entry "
                    "{entry}[[: {note}]]), connected to {device}[[ on port {port}]] and the "
                    "device answered with data. A service of yours is reachable from the "
                    "Internet and talked to a known attacker.",
                    "脅威情報リスト {list} に載っているアドレス {indicator}（登録 {entry}"
                    "[[: {note}]]）が {device}[[ のポート {port}]] に接続し、機器がデータで"
                    "応答しました。社内の機器のサービスがインターネットから使える状態になって"
                    "おり、既知の攻撃者とやり取りしています。"},
        .action = {"Check whether this service must be reachable from the Internet; if not, "
                   "close the port on your router. If it must, make sure it is updated and "
                   "uses strong passwords.",
                   "このサービスをインターネットに公開する必要があるか確認し、不要であれば"
                   "ルーターでポートを閉じてください。必要な場合は、最新の状態に更新し、"
                   "強いパスワードを使っているか確認してください。"},
    },
    /* --- intel.domain --- facts: list, entry, note, indicator */
    {
        .id = "intel.domain",
        .title = {"{device} looked up a listed domain: {indicator}",
                  "{device} が脅威リストのドメインにアクセスしました: {indicator}"},
        .explain = {"{device} used the name {indicator}, which is on the threat list {list} "
                    "(entry {entry}[[: {note}]]). Such names belong to phishing sites, virus "
                    "download sites or servers that control infected PCs; looking one up "
                    "usually means a person clicked a link or a virus is calling home.",
                    "{device} が {indicator} という名前にアクセスしました。この名前は脅威情報"
                    "リスト {list} に載っています（登録 {entry}[[: {note}]]）。こうした名前は"
                    "偽サイトやウイルスの配布元、感染したパソコンを操るサーバーのものです。"
                    "誰かがリンクを開いたか、ウイルスが外部と連絡している可能性があります。"},
        .action = {"Ask the user of {device} what they were doing at {first}. If they entered a "
                   "password or card number on a page, change that password now. If nobody "
                   "opened anything, have the device checked for viruses.",
                   "{device} の利用者に {first} ごろに何をしていたか確認してください。ページで"
                   "パスワードやカード番号を入力していた場合は、すぐにパスワードを変更して"
                   "ください。心当たりがなければ、ウイルス検査を行ってください。"},
    },
    /* --- intel.url --- facts: list, entry, note, indicator */
    {
        .id = "intel.url",
        .title = {"{device} opened a listed phishing or malware page",
                  "{device} が脅威リストに載っているページを開きました"},
        .explain = {"{device} opened {indicator}, which the threat list {list} names as "
                    "dangerous[[ (a fake site posing as {note})]]. Fake login pages steal "
                    "passwords and card numbers; other listed pages hand out viruses.",
                    "{device} が {indicator} を開きました。このページは脅威情報リスト {list} に"
                    "危険なものとして載っています[[（{note} を装った偽サイト）]]。偽のログイン"
                    "ページはパスワードやカード番号を盗み、別のページはウイルスを配ります。"},
        .action = {"Ask the user of {device} whether they typed anything on that page. If they "
                   "entered a password, change it now; if a card number, call the card company. "
                   "If a file was downloaded, have the device checked for viruses.",
                   "{device} の利用者に、そのページで何か入力したか確認してください。"
                   "パスワードを入力した場合はすぐに変更し、カード番号を入力した場合は"
                   "カード会社に連絡してください。ファイルをダウンロードした場合は、"
                   "ウイルス検査を行ってください。"},
    },
    {
        .id = "intel.url/host",
        .title = {"{device} visited a known phishing site: {indicator}",
                  "{device} が既知の偽サイトにアクセスしました: {indicator}"},
        .explain = {"{device} connected to {indicator}, the site of a page on the threat list "
                    "{list} ({entry}[[, posing as {note}]]). Most fake sites use encryption, so "
                    "only the site name is visible, but someone on this device very likely "
                    "opened the fake page, typically from a link in a mail or a text message.",
                    "{device} が {indicator} に接続しました。このサイトのページは脅威情報リスト "
                    "{list} に載っています（{entry}[[、{note} を装ったもの]]）。偽サイトの多くは"
                    "暗号化されているためサイト名しか見えませんが、この機器で誰かがメールや"
                    "SMSのリンクから偽のページを開いた可能性が高いです。"},
        .action = {"Ask the user of {device} whether they entered a password or card number on "
                   "a page at {first}. If so, change the password now or call the card company. "
                   "Warn your staff about the fake site.",
                   "{device} の利用者に、{first} ごろにページでパスワードやカード番号を入力したか"
                   "確認してください。入力していれば、すぐにパスワードを変更するか、カード会社に"
                   "連絡してください。社員にもこの偽サイトについて注意を呼びかけてください。"},
    },
    /* --- intel.ja3 --- facts: list, entry, note, indicator */
    {
        .id = "intel.ja3",
        .title = {"{device} made an encrypted connection like known malware",
                  "{device} が既知のウイルスに似た暗号化通信をしました"},
        .explain = {"{device} started an encrypted connection to {dst} with a TLS fingerprint "
                    "(JA3 {indicator}) that the threat list {list} links to malware[[ ({note})]]. "
                    "A fingerprint describes the program that made the connection; a few "
                    "ordinary programs share one with malware, so this is a strong hint, not "
                    "proof.",
                    "{device} が {dst} への暗号化通信で、脅威情報リスト {list} がウイルスと"
                    "結び付けている TLS の特徴（JA3 {indicator}）[[（{note}）]]を示しました。"
                    "この特徴は通信したプログラムの種類を表しますが、一部の普通のソフトも同じ"
                    "特徴を持つため、感染の有力な手がかりであって確証ではありません。"},
        .action = {"Have {device} checked for viruses. If other alerts about this device appeared "
                   "at the same time, disconnect it from the network first.",
                   "{device} のウイルス検査を行ってください。同じ時刻にこの機器について"
                   "ほかの警告も出ている場合は、先にネットワークから外してください。"},
    },
    {.id = NULL},
};

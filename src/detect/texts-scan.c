/* texts-scan.c - explanation texts of the scan detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules).
 *
 * Facts per category (tests/unit/test-explain.c keeps a copy):
 *   scan.port:  target, ports, nports, method, open, sessions
 *   scan.host:  port, hosts, nhosts, method, open, sessions
 *   scan.sweep: nhosts, hosts, method
 *   dos:        target, port, rate, window_s, sources, what
 * The plain scan.port / scan.host entries are the inbound variant.
 */
#include "detect/explain.h"
#include "util/util.h"

const struct alert_text alert_texts_scan[] = {
    /* --- scan.port (det-scan.c): one source, many ports of one host --- */
    {
        .id = "scan.port",
        .title = {"Port scan from the Internet: {src} probed {target}",
                  "インターネットからのポートスキャン: {src} が {target} を調査"},
        .explain = {"{src} tried {nports} different ports on {target} ({ports}) between {first} "
                    "and {last}, {count} probes in all ({method}). Automated scanners check every "
                    "address on the Internet each day to find forgotten services such as remote "
                    "desktop or an old router admin page; {open} of the probed ports answered. "
                    "This is background noise on its own, recorded once a day per scanner.",
                    "{src} が {first} から {last} にかけて {target} の {nports} 種類のポート"
                    "（{ports}）を調べました（合計 {count} 回、方式 {method}）。インターネット上"
                    "では自動の調査プログラムが毎日すべてのアドレスを調べ、リモートデスクトップや"
                    "古いルーターの管理画面など、閉め忘れた入口を探しています。応答したポートは "
                    "{open} 個でした。これだけなら日常的な出来事で、送信元ごとに1日1件にまとめて"
                    "記録しています。"},
        .action = {"Nothing to do today. If ports answered, check that each of them is a service "
                   "you meant to offer to the Internet and that it is up to date; close the rest "
                   "on the router.",
                   "すぐに対応する必要はありません。応答したポートがある場合は、それが本当に"
                   "インターネットに公開するつもりのサービスか、最新の状態かを確認し、不要なものは"
                   "ルーターで閉じてください。"},
    },
    {
        .id = "scan.port/internal",
        .title = {"A device on your network is scanning {target}: {device}",
                  "社内の機器が {target} をポートスキャンしています: {device}"},
        .explain = {"{device} ({src}) tried {nports} different ports on {target} ({ports}), "
                    "{count} probes between {first} and {last} ({method}). Ordinary programs "
                    "connect to the one service they need; trying port after port is what "
                    "attack tools and worms do to find a way into the next computer, for example "
                    "a file server to encrypt.",
                    "{device}（{src}）が {first} から {last} にかけて {target} の {nports} 種類の"
                    "ポート（{ports}）を調べました（{count} 回、方式 {method}）。普通のソフトは"
                    "必要なサービスにだけ接続します。ポートを次々に試すのは、攻撃ツールやウイルスが"
                    "ファイルサーバーなど次に侵入する先を探すときの動きです。"},
        .action = {"Ask who uses {device} and whether someone is running a network check on "
                   "purpose. If not, take it off the network now (unplug the cable or turn off "
                   "its Wi-Fi) and have it checked for viruses before it goes back.",
                   "{device} の利用者に、意図してネットワークの点検をしていないか確認してください。"
                   "心当たりがなければ、すぐにLANケーブルを抜く（Wi-Fiを切る）などしてネットワーク"
                   "から外し、ウイルス検査を受けてから戻してください。"},
    },
    {
        .id = "scan.port/outbound",
        .title = {"A device on your network is scanning an Internet host: {device}",
                  "社内の機器がインターネット上の {target} をポートスキャンしています: {device}"},
        .explain = {"{device} ({src}) tried {nports} different ports on {target} on the "
                    "Internet ({ports}), {count} probes between {first} and {last} ({method}). "
                    "Office software does not do this. It usually means the computer is "
                    "infected and used by criminals to attack others, which can get your "
                    "Internet line blocked by the provider and your address blacklisted.",
                    "{device}（{src}）が {first} から {last} にかけて、インターネット上の "
                    "{target} の {nports} 種類のポート（{ports}）を調べました（{count} 回、方式 "
                    "{method}）。業務用のソフトはこのような動きをしません。多くの場合、パソコンが"
                    "ウイルスに感染し、他者への攻撃に使われています。プロバイダーに回線を止められたり"
                    "、会社のアドレスが迷惑リストに載ったりするおそれがあります。"},
        .action = {"Ask who uses {device} and whether a security check is under way. If not, "
                   "disconnect it from the network now and have it checked or reinstalled.",
                   "{device} の利用者に、セキュリティ点検を行っていないか確認してください。"
                   "心当たりがなければ、すぐにネットワークから外し、点検または初期化を"
                   "してください。"},
    },
    {
        .id = "scan.port/followup",
        .title = {"Internet scanner {src} is now using a service on {target}",
                  "スキャン元 {src} が {target} のサービスを使い始めました"},
        .explain = {"{src} first scanned {nports} ports of {target} ({ports}), found {open} "
                    "open, and then opened {sessions} real sessions to it. A scanner that comes "
                    "back to what it found is trying to get in: password guessing on a VPN or "
                    "remote desktop, or an attack on an out-of-date device.",
                    "{src} は {target} の {nports} 種類のポート（{ports}）を調べて {open} 個の応答を"
                    "得たあと、実際の通信を {sessions} 回行いました。見つけた入口に戻ってくる"
                    "調査元は侵入を試みています。VPNやリモートデスクトップのパスワード推測や、"
                    "更新されていない機器への攻撃が考えられます。"},
        .action = {"Check which service on {target} it used and its login records. Block {src} "
                   "on the router, make sure the service has strong passwords and the latest "
                   "updates, and close it to the Internet if nobody needs it from outside.",
                   "{target} のどのサービスが使われたか、ログイン記録を確認してください。ルーターで "
                   "{src} を遮断し、サービスのパスワードを強固にして最新の状態に更新してください。"
                   "外部から使う必要がなければ、インターネットへの公開をやめてください。"},
    },

    /* --- scan.host (det-scan.c): one source, one port on many hosts --- */
    {
        .id = "scan.host",
        .title = {"Host scan from the Internet: {src} looked for port {port}",
                  "インターネットからのホストスキャン: {src} がポート {port} を探索"},
        .explain = {"{src} tried port {port} on {nhosts} of your addresses ({hosts}), {count} "
                    "attempts between {first} and {last} ({method}). Worms and scanners sweep "
                    "whole address ranges looking for one kind of service, such as file sharing "
                    "(445) or remote desktop (3389); {open} of them answered. On its own this is "
                    "background noise, recorded once a day per scanner.",
                    "{src} が {first} から {last} にかけて、社内の {nhosts} 台のアドレス"
                    "（{hosts}）のポート {port} を試しました（{count} 回、方式 {method}）。"
                    "ウイルスや調査プログラムは、ファイル共有（445）やリモートデスクトップ"
                    "（3389）など特定のサービスを探して広い範囲を順に調べます。応答したのは {open} "
                    "件でした。これだけなら日常的な出来事で、送信元ごとに1日1件にまとめています。"},
        .action = {"Nothing to do today. Make sure port {port} is not open to the Internet on "
                   "the router unless you need it.",
                   "すぐに対応する必要はありません。必要がなければ、ルーターでポート {port} が"
                   "インターネットに開いていないことを確認してください。"},
    },
    {
        .id = "scan.host/internal",
        .title = {"A device is searching your network for port {port}: {device}",
                  "社内の機器がポート {port} を持つ機器を探しています: {device}"},
        .explain = {"{device} ({src}) tried port {port} on {nhosts} computers of your network "
                    "({hosts}), {count} attempts between {first} and {last}, most without an "
                    "answer. This is how ransomware and worms look for the next computer or the "
                    "file server to infect; ordinary PCs only connect to the few machines they "
                    "work with.",
                    "{device}（{src}）が {first} から {last} にかけて、社内の {nhosts} 台"
                    "（{hosts}）のポート {port} を試しました（{count} 回、ほとんど応答なし）。"
                    "ランサムウェアやウイルスは、こうして次に感染させるパソコンやファイルサーバー"
                    "を探します。普通のパソコンは、仕事で使う決まった機器にしか接続しません。"},
        .action = {"Take {device} off the network now (unplug the cable or turn off its Wi-Fi) "
                   "unless IT staff are running a scan on purpose, then have it checked. Check "
                   "the other computers and the file server for unusual files.",
                   "担当者が意図して点検しているのでなければ、すぐに {device} のLANケーブルを抜く"
                   "（Wi-Fiを切る）などしてネットワークから外し、点検を受けてください。"
                   "他のパソコンやファイルサーバーに見慣れないファイルがないかも確認してください。"},
    },
    {
        .id = "scan.host/outbound",
        .title = {"A device is scanning the Internet for port {port}: {device}",
                  "社内の機器がインターネット上でポート {port} を探しています: {device}"},
        .explain = {"{device} ({src}) tried port {port} on {nhosts} Internet addresses "
                    "({hosts}), {count} attempts between {first} and {last}, most without an "
                    "answer. Office software does not do this; an infected computer used by "
                    "criminals to find new victims does, and your provider may block the line.",
                    "{device}（{src}）が {first} から {last} にかけて、インターネット上の "
                    "{nhosts} 個のアドレス（{hosts}）のポート {port} を試しました（{count} 回、"
                    "ほとんど応答なし）。業務用のソフトはこのような動きをしません。感染した"
                    "パソコンが新たな標的探しに使われている可能性が高く、プロバイダーに回線を"
                    "止められるおそれもあります。"},
        .action = {"Disconnect {device} from the network now and have it checked or "
                   "reinstalled.",
                   "すぐに {device} をネットワークから外し、点検または初期化をしてください。"},
    },
    {
        .id = "scan.host/followup",
        .title = {"Internet scanner {src} is now using port {port} on your network",
                  "スキャン元 {src} が社内のポート {port} を使い始めました"},
        .explain = {"{src} first swept {nhosts} of your addresses for port {port} ({hosts}), "
                    "found {open} answering, and then opened {sessions} real sessions. A scanner "
                    "that comes back to what it found is trying to get in.",
                    "{src} は社内の {nhosts} 個のアドレス（{hosts}）でポート {port} を探し、"
                    "{open} 件の応答を得たあと、実際の通信を {sessions} 回行いました。"
                    "見つけた入口に戻ってくる調査元は侵入を試みています。"},
        .action = {"Block {src} on the router, check the login records of the service on port "
                   "{port}, and close that port to the Internet if nobody needs it from outside.",
                   "ルーターで {src} を遮断し、ポート {port} のサービスのログイン記録を確認して"
                   "ください。外部から使う必要がなければ、そのポートを閉じてください。"},
    },

    /* --- scan.sweep (det-sweep.c) --- */
    {
        .id = "scan.sweep",
        .title = {"A device is mapping your network: {device}",
                  "社内の機器がネットワーク内の機器を一斉に探しています: {device}"},
        .explain = {"{device} ({src}) asked for {nhosts} different addresses of your network "
                    "with {method} requests ({hosts}) between {first} and {last}. PCs and "
                    "printers only ask for the router and the few devices they use; asking for "
                    "every address is how scanning tools such as nmap, and intruders who have "
                    "taken over one PC, find the others before attacking them.",
                    "{device}（{src}）が {first} から {last} にかけて、{method} の問い合わせで"
                    "社内の {nhosts} 個のアドレス（{hosts}）を調べました。パソコンやプリンターが"
                    "問い合わせるのはルーターと決まった数台だけです。すべてのアドレスを調べるのは、"
                    "nmap などの調査ツールや、1台のパソコンを乗っ取った侵入者が他の機器を探す"
                    "ときの動きです。"},
        .action = {"Ask whether anyone ran a network scanner or inventory tool on {device} at "
                   "{first}. If not, disconnect it from the network and have it checked.",
                   "{first}ごろに {device} でネットワーク調査ツールや機器管理ソフトを動かした人が"
                   "いないか確認してください。心当たりがなければ、ネットワークから外して"
                   "点検してください。"},
    },
    {
        .id = "scan.sweep/icmp",
        .title = {"A device is pinging many addresses on your network: {device}",
                  "社内の機器が多数のアドレスに ping を送っています: {device}"},
        .explain = {"{device} ({src}) sent {method} requests to {nhosts} different addresses of "
                    "your network ({hosts}) between {first} and {last}. A ping sweep finds out "
                    "which computers are switched on; it is the first step of scanning tools "
                    "and of intruders looking for their next target.",
                    "{device}（{src}）が {first} から {last} にかけて、社内の {nhosts} 個の"
                    "アドレス（{hosts}）に {method} を送りました。このような一斉の ping は、"
                    "どの機器が動いているかを調べるためのもので、調査ツールや侵入者が次の標的を"
                    "探す最初の段階です。"},
        .action = {"Ask whether anyone ran a network check or monitoring tool on {device}. If "
                   "not, disconnect it from the network and have it checked.",
                   "{device} でネットワーク点検や監視のソフトを動かした人がいないか確認して"
                   "ください。心当たりがなければ、ネットワークから外して点検してください。"},
    },

    /* --- dos (det-dos.c); the plain entry is the UDP flood --- */
    {
        .id = "dos",
        .title = {"UDP flood involving {target}", "{target} に関わる大量のUDP通信（フラッド）"},
        .explain = {"Up to {rate} {what} in {window_s} seconds went one way to {target} with "
                    "no answer (from {sources} source addresses, first {src}), between {first} "
                    "and {last}. Such a flood fills the Internet line and can take the office "
                    "offline; when it comes from your network, a computer is probably infected "
                    "and used to attack others.",
                    "{first} から {last} にかけて、{target} へ応答のない一方的なUDP通信が "
                    "{window_s} 秒あたり最大 {rate} 件ありました（送信元 {sources} 個、最初は "
                    "{src}）。このような大量通信は回線をふさぎ、社内のインターネットを使えなく"
                    "します。社内から送られている場合は、パソコンが感染して攻撃に使われている"
                    "可能性があります。"},
        .action = {"If {src} is one of your devices, disconnect it and have it checked. If the "
                   "flood comes from outside, contact your Internet provider: they can filter it "
                   "before it reaches your line.",
                   "{src} が社内の機器であれば、ネットワークから外して点検してください。外部から"
                   "の場合は、プロバイダーに連絡してください。回線に届く前に遮断してもらえます。"},
    },
    {
        .id = "dos/request",
        .title = {"Request flood: {src} is hammering {target}",
                  "大量リクエスト: {src} が {target} に集中的にアクセスしています"},
        .explain = {"{device} ({src}) sent up to {rate} {what} in {window_s} seconds to {target}"
                    "[[ on port {port}]] between {first} and {last}. No person and no ordinary "
                    "program asks that fast; a broken or infected program does, and it slows "
                    "down or stops the server for everyone else.",
                    "{device}（{src}）が {first} から {last} にかけて、{target}[[ のポート {port}]] "
                    "に {window_s} 秒あたり最大 {rate} 件の {what} を送りました。人の操作や普通の"
                    "ソフトではこの速さになりません。不具合のあるソフトや感染したソフトによるもの"
                    "で、サーバーが遅くなったり止まったりして他の人も使えなくなります。"},
        .action = {"Find the program on {device} that does this (restart it or the computer). "
                   "If the flood goes on or nobody knows the program, disconnect the device and "
                   "have it checked.",
                   "{device} のどのソフトが原因かを調べ、そのソフトかパソコンを再起動して"
                   "ください。続く場合や心当たりのないソフトの場合は、ネットワークから外して"
                   "点検してください。"},
    },
    {
        .id = "dos/syn",
        .title = {"SYN flood against {target} port {port}",
                  "{target} のポート {port} へのSYNフラッド攻撃"},
        .explain = {"Up to {rate} connection attempts in {window_s} seconds reached {target} on "
                    "port {port} and never completed (from {sources} source addresses, first "
                    "{src}), between {first} and {last}. A SYN flood fills the server's waiting "
                    "list so real customers cannot connect; when it comes from your network, a "
                    "computer is probably infected and used to attack others.",
                    "{first} から {last} にかけて、{target} のポート {port} に、完了しない接続要求が "
                    "{window_s} 秒あたり最大 {rate} 件届きました（送信元 {sources} 個、最初は "
                    "{src}）。SYNフラッドはサーバーの受付を埋め尽くし、本当のお客様が接続できなく"
                    "なる攻撃です。社内から送られている場合は、パソコンが感染している可能性が"
                    "あります。"},
        .action = {"If {src} is one of your devices, disconnect it and have it checked. If the "
                   "attack comes from outside, ask your provider or hosting company to filter it "
                   "and check that the server's SYN protection (SYN cookies) is on.",
                   "{src} が社内の機器であれば、ネットワークから外して点検してください。外部から"
                   "の攻撃であれば、プロバイダーやサーバー会社に遮断を依頼し、サーバーのSYN対策"
                   "（SYN Cookie）が有効か確認してください。"},
    },
    {
        .id = "dos/amplification",
        .title = {"Amplification attack against {target}",
                  "{target} への反射増幅型の攻撃"},
        .explain = {"{target} received up to {rate} unrequested replies in {window_s} seconds "
                    "from port {port} of {sources} servers on the Internet (first {src}), between "
                    "{first} and {last}. Attackers send small questions to public DNS, NTP or "
                    "similar servers with your address forged as the sender, and the much larger "
                    "answers all land on you and fill your line.",
                    "{first} から {last} にかけて、{target} に、問い合わせていない応答が "
                    "インターネット上の {sources} 台のサーバー（最初は {src}）のポート {port} から "
                    "{window_s} 秒あたり最大 {rate} 件届きました。攻撃者は送信元をこの会社の"
                    "アドレスに偽装して、DNSやNTPなどの公開サーバーに小さな問い合わせを送り、"
                    "何倍にもふくらんだ応答をこちらに集中させて回線をふさぎます。"},
        .action = {"Contact your Internet provider: only they can filter the flood before it "
                   "reaches your line. Note the time and the port for them.",
                   "プロバイダーに連絡してください。回線に届く前に遮断できるのはプロバイダー"
                   "だけです。時刻とポート番号を伝えてください。"},
    },
    {.id = NULL},
};

/* explain-texts.c - what each alert means, for a shop owner with no IT
 * staff, in English and Japanese (explain.h says how they are rendered).
 *
 * Writing rules: the title names the thing and the device; the explanation
 * is one paragraph, 2-4 sentences: what was seen (with the facts), why it
 * matters (the stories owners told us); the action is something the owner can
 * do today. Japanese is plain business Japanese (です・ます), not a
 * translation of the English.
 *
 * Next to each entry: the facts its placeholders use beyond the built-ins
 * ({src} {dst} {device} {mac} {count} {first} {last}). A fact the detector
 * did not set renders as "?", so detectors set every fact they can, and a
 * fact that may well be unknown (vendor, IP, OS guess) sits in an optional
 * group [[...]], left out when it is. {device} is the device's name, else its
 * MAC, so texts do not repeat {mac} next to it.
 * tests/unit/test-explain.c keeps a copy of these lists and checks them.
 */
#include "detect/explain.h"
#include "util/util.h"

const struct alert_text alert_texts[] = {
    /* --- device.new (det-device-new.c) ---
     * facts: vendor, os, ip ({device} is the hostname when there is one) */
    {
        .id = "device.new",
        .title = {"New device on the network: {device}",
                  "見慣れない機器がネットワークに接続されました: {device}"},
        .explain = {"A device that is not on your known-device list joined the network: {device}"
                    "[[, made by {vendor}]][[, IP address {ip}]][[, probably running {os}]]. "
                    "An unknown PC is a common way in for viruses: in one small "
                    "company an employee's private laptop was already infected, the virus spread "
                    "to the file server and recovery took three days.",
                    "登録済み機器リストにない機器がネットワークに接続されました: {device}"
                    "[[、メーカー {vendor}]][[、IPアドレス {ip}]][[、推定OS {os}]]。"
                    "持ち込まれたパソコンは、ウイルスが入り込むよくある入口です。"
                    "実際に、社員が持ち込んだ私物のパソコンが感染していてファイルサーバーまで"
                    "被害が広がり、復旧に3日かかった会社があります。"},
        .action = {"Find out whose device this is. If it belongs to your company, add it to the "
                   "known-device list: `mamori devices approve {mac} --name NAME --owner OWNER`. "
                   "If nobody recognizes it, unplug its network cable (or take it off the Wi-Fi) "
                   "and have it checked before it goes back.",
                   "この機器の持ち主を確認してください。会社の機器であれば、"
                   "`mamori devices approve {mac} --name 名前 --owner 担当者` "
                   "で登録済み機器リストに追加してください。誰のものか分からない場合は、"
                   "LANケーブルを抜く（Wi-Fiなら接続を切る）などしてネットワークから外し、"
                   "安全を確認してから接続し直してください。"},
    },
    /* facts: os, ip (a private MAC says nothing about the maker) */
    {
        .id = "device.new/randomized",
        .title = {"New phone or laptop with a private address: {device}",
                  "プライベートアドレスの端末が接続されました: {device}"},
        .explain = {"A device with a private (randomized) MAC address joined the network: "
                    "{device}[[, IP address {ip}]][[, probably running {os}]]. Phones, tablets "
                    "and laptops use such addresses for privacy, so this is most likely a staff "
                    "member's or a visitor's own device on your Wi-Fi. Personal devices are "
                    "usually less well looked after than company PCs and should not share a "
                    "network with your file server.",
                    "ランダムなMACアドレスを使う機器が接続されました: {device}"
                    "[[、IPアドレス {ip}]][[、推定OS {os}]]。スマートフォンやタブレット、"
                    "ノートパソコンはプライバシー保護のためにこうしたアドレスを使うため、"
                    "社員や来客の私物がWi-Fiにつながった可能性が高いです。私物の端末は"
                    "会社のパソコンほど管理されていないことが多く、ファイルサーバーと同じ"
                    "ネットワークに置くべきではありません。"},
        .action = {"Ask who connected a phone or laptop around {first}. Personal devices belong "
                   "on a guest Wi-Fi, not on the office network. If it is a company device, "
                   "register it with `mamori devices approve {mac} --name NAME --owner OWNER`; "
                   "if nobody claims it, change the Wi-Fi password.",
                   "{first}ごろにスマートフォンやノートパソコンをつないだ人がいないか"
                   "確認してください。私物の端末は社内ネットワークではなく、ゲスト用Wi-Fiに"
                   "つなぐようにしてください。会社の端末であれば "
                   "`mamori devices approve {mac} --name 名前 --owner 担当者` "
                   "で登録してください。心当たりのある人がいない場合は、Wi-Fiのパスワードを"
                   "変更してください。"},
    },

    /* --- device.ip_conflict (det-device-arp.c) ---
     * facts: ip, other_device (the other holder's name, else its MAC) */
    {
        .id = "device.ip_conflict",
        .title = {"Two devices are using the same address {ip}",
                  "2台の機器が同じIPアドレス {ip} を使っています"},
        .explain = {"{device} and {other_device} both used the IP address {ip} within"
                    " a few minutes of each other. This is usually a setting mistake, "
                    "such as an address typed in by hand that the router also gives out, and it "
                    "makes one of them lose its connection now and then; less often, one device "
                    "is pretending to be the other.",
                    "{device}と{other_device}が、数分のうちに同じIPアドレス {ip} を"
                    "使いました。多くは設定ミス（手入力で固定したアドレスを、"
                    "ルーターが別の機器にも割り当てているなど）が原因で、どちらかの通信が"
                    "ときどき途切れます。まれに、一方がもう一方になりすましている場合もあります。"},
        .action = {"Check both devices. If one has its IP address set by hand, switch it to "
                   "automatic (DHCP), or reserve the address for it in the router. If you do not "
                   "recognize one of them, unplug it.",
                   "両方の機器を確認してください。どちらかのIPアドレスが手動で設定されていれば"
                   "自動取得（DHCP）に変更するか、ルーターでその機器用にアドレスを予約して"
                   "ください。見覚えのない機器があれば、ネットワークから外してください。"},
    },

    /* --- device.arp_spoof (det-device-arp.c) ---
     * default (flip-flop) facts: ip, other_device */
    {
        .id = "device.arp_spoof",
        .title = {"An address keeps switching between two devices: {ip}",
                  "IPアドレス {ip} が2台の機器の間で行き来しています"},
        .explain = {"The IP address {ip} keeps moving back and forth between {device} and "
                    "{other_device}. A device that keeps claiming another one's "
                    "address may be intercepting its traffic (ARP spoofing); two devices set by "
                    "hand to the same address show the same pattern.",
                    "IPアドレス {ip} が、{device}と{other_device}の間で何度も"
                    "切り替わっています。別の機器のアドレスを繰り返し名乗るのは、その機器"
                    "あての通信を横取りする手口（ARPスプーフィング）です。2台に同じアドレスを"
                    "手動で設定した場合にも、同じ状態になります。"},
        .action = {"Find both devices. If you do not recognize one of them, unplug it. If both "
                   "are yours, set one of them to get its address automatically (DHCP) so they "
                   "stop fighting over it.",
                   "両方の機器を確認してください。見覚えのない機器があればネットワークから外して"
                   "ください。どちらも自社の機器であれば、片方をアドレスの自動取得（DHCP）に"
                   "変更して、アドレスの重複を解消してください。"},
    },
    /* facts: ip (the router's address), other_device (the router: name, else MAC),
     * vendor */
    {
        .id = "device.arp_spoof/gateway",
        .title = {"A device is posing as your router: {device}",
                  "ルーターになりすましている機器があります: {device}"},
        .explain = {"{device}[[ (made by {vendor})]] claimed the router's address {ip} while "
                    "the real router ({other_device}) was still in use. This is how an attacker "
                    "slips in between your PCs and the Internet to read or change what they "
                    "send, passwords included (a \"man-in-the-middle\" attack); a second router "
                    "plugged in by mistake looks the same.",
                    "{device}[[（メーカー {vendor}）]]が、ルーターのアドレス {ip} を自分のもの"
                    "だと名乗りました。本物のルーター（{other_device}）はその時も使われていました。"
                    "これは、攻撃者がパソコンとインターネットの間に割り込み、パスワードを含む"
                    "通信を盗み見たり書き換えたりする「中間者攻撃」の典型的な手口です。誤って"
                    "2台目のルーターをつないだ場合も、同じように見えます。"},
        .action = {"Act today: find the device with MAC address {mac} and unplug it from the "
                   "network. If it is a router or Wi-Fi box someone connected, remove it; if you "
                   "replaced your router just before {first}, you can ignore this. If you cannot "
                   "find the device, call your IT supplier.",
                   "本日中に対応してください。MACアドレス {mac} の機器を探し、ネットワークから"
                   "外してください。誰かがつないだルーターや無線LAN機器であれば取り外して"
                   "ください。{first}の直前にルーターを交換した場合は、この警告は無視して"
                   "かまいません。機器が見つからない場合は、ITの取引先や保守業者に連絡して"
                   "ください。"},
    },
    /* facts: ip, per_min (gratuitous ARPs in the worst minute) */
    {
        .id = "device.arp_spoof/storm",
        .title = {"A device is flooding the network with address announcements: {device}",
                  "アドレスの通知を大量に送っている機器があります: {device}"},
        .explain = {"{device}[[ (IP address {ip})]] sent {per_min} unsolicited ARP "
                    "announcements (\"this address is mine\") within one minute. Flooding the "
                    "network like this is a way to pull other computers' traffic towards one "
                    "device; a faulty network card or a badly configured device can also do it.",
                    "{device}[[（IPアドレス {ip}）]]が、1分間に{per_min}回、求められていない"
                    "ARP通知（「このアドレスは自分のものです」という知らせ）を送りました。"
                    "このような大量の通知は、ほかのパソコンの通信を自分に向けさせる手口として"
                    "使われます。ネットワーク機器の故障や設定の誤りで起きることもあります。"},
        .action = {"Find out what this device is. If you do not recognize it, unplug it. If it "
                   "is yours, restart it; if the alert comes back, ask your IT supplier to check "
                   "it.",
                   "この機器が何かを確認してください。見覚えがなければネットワークから外して"
                   "ください。自社の機器であれば再起動し、それでも同じ警告が出る場合は、"
                   "ITの取引先や保守業者に点検を依頼してください。"},
    },

    /* --- device.returned (det-device-returned.c) ---
     * facts: days (whole days of silence), last_seen (YYYY-MM-DD, UTC), vendor, ip */
    {
        .id = "device.returned",
        .title = {"A device is back after {days} days: {device}",
                  "{days}日ぶりに接続された機器があります: {device}"},
        .explain = {"{device}[[ ({vendor})]] is back on the network after {days} days of "
                    "silence[[ and now uses the IP address {ip}]]; it was last seen on "
                    "{last_seen}. A PC that has "
                    "been off for weeks has missed its security and antivirus updates, so until "
                    "it catches up it is the easiest target on your network.",
                    "{device}[[（{vendor}）]]が{days}日ぶりにネットワークに接続されました"
                    "[[（IPアドレス {ip}）]]。前回確認されたのは{last_seen}です。長く"
                    "使われていなかったパソコンはセキュリティ更新やウイルス対策ソフトの更新が"
                    "止まっているため、最新の状態になるまではネットワーク内で最も狙われやすい"
                    "機器です。"},
        .action = {"If this PC is still in use, run Windows Update and update the antivirus now, "
                   "before opening e-mail or files on it. If nobody needs it anymore, unplug it "
                   "and take it off the known-device list.",
                   "このパソコンを引き続き使う場合は、メールやファイルを開く前に、"
                   "Windows Update とウイルス対策ソフトの更新を済ませてください。もう使わない"
                   "機器であれば、ネットワークから外し、登録済み機器リストからも削除して"
                   "ください。"},
    },

    /* --- device.legacy_os (det-device-legacy-os.c) ---
     * facts (every variant): what ("Windows 7", "Samba 3 or older"), evidence
     * ("<kind>: <value>"), os (the device's OS guess), ip.
     * The plain entry is the fallback for an unknown variant. Old protocols
     * (SMBv1, SSH, TLS) are legacy.protocol's (texts-practice.c). */
    {
        .id = "device.legacy_os",
        .title = {"Outdated software on {device}: {what}",
                  "古いソフトウェアが使われています: {device}（{what}）"},
        .explain = {"{device}[[ (IP address {ip})]] uses {what}, which no longer gets "
                    "security fixes (seen from {evidence}). Known holes in it stay open for good, "
                    "and viruses that spread across a network on their own go for them first.",
                    "{device}[[（IPアドレス {ip}）]]で {what} が使われています"
                    "（根拠: {evidence}）。セキュリティ更新が終了しているため、見つかった弱点は"
                    "修正されないままです。ネットワーク内で自動的に広がるウイルスは、こうした"
                    "機器を真っ先に狙います。"},
        .action = {"Update the device's software or firmware. If that is not possible, ask your "
                   "IT supplier how to replace it or keep it away from the Internet.",
                   "機器のソフトウェアやファームウェアを更新してください。更新できない場合は、"
                   "買い替えやインターネットから切り離す方法をITの取引先や保守業者に相談して"
                   "ください。"},
    },
    {
        .id = "device.legacy_os/os",
        .title = {"Unsupported operating system on {device}: {what}",
                  "サポートが終了したOSが使われています: {device}（{what}）"},
        .explain = {"{device}[[ (IP address {ip})]] runs {what}, which its maker no longer "
                    "fixes with security updates (seen from {evidence}). Known holes in such "
                    "systems stay open for good, and viruses that spread across a network on "
                    "their own go for them first; a factory or reception PC left on an old "
                    "Windows is the typical case.",
                    "{device}[[（IPアドレス {ip}）]]で {what} が使われています"
                    "（根拠: {evidence}）。このOSはメーカーのセキュリティ更新が終了しており、"
                    "見つかった弱点は修正されないままです。ネットワーク内で自動的に広がる"
                    "ウイルスはこうした機器を真っ先に狙います。工場の制御用パソコンや受付の"
                    "パソコンが古いWindowsのまま、というのがよくある例です。"},
        .action = {"If the PC can be upgraded or replaced, plan it now. If it must stay (for "
                   "example because it runs a machine), stop using it for e-mail and web "
                   "browsing and ask your IT supplier to move it to a separate network without "
                   "Internet access.",
                   "更新や買い替えができる場合は、早めに計画してください。機械の制御などで"
                   "どうしても使い続ける必要がある場合は、そのパソコンでメールやインターネット"
                   "閲覧をしないようにし、ITの取引先や保守業者に依頼して、インターネットに"
                   "つながらない別のネットワークに分けてください。"},
    },

    /* --- device.new_service (det-device-new-service.c) ---
     * facts (every variant): service ("RDP", "SMB", ... else "TCP/8081"), port,
     * proto ("TCP"/"UDP"), ip */
    {
        .id = "device.new_service",
        .title = {"New service on {device}: {service}",
                  "新しいサービスが始まりました: {device}（{service}）"},
        .explain = {"{device}[[ (IP address {ip})]] started accepting connections on "
                    "{service} (port {port}/{proto}), which it had not done before. It may be new "
                    "software or a changed setting, but malware opens such doors too, and every "
                    "open door is one more way into your network.",
                    "{device}[[（IPアドレス {ip}）]]が、これまでなかった {service}"
                    "（ポート {port}/{proto}）で接続を受け付け始めました。新しいソフトの導入や"
                    "設定変更によることもありますが、ウイルスが同じように入口を開けることもあり、"
                    "入口が増えるほど侵入の経路も増えます。"},
        .action = {"Ask the person who uses this device whether they installed or turned on "
                   "something new. If nobody knows why, ask your IT supplier to check the "
                   "device.",
                   "この機器の利用者に、新しいソフトを入れたり設定を変えたりしていないか確認して"
                   "ください。理由が分からない場合は、ITの取引先や保守業者に点検を依頼して"
                   "ください。"},
    },
    {
        .id = "device.new_service/remote",
        .title = {"Remote control turned on: {service} on {device}",
                  "遠隔操作の受け付けが始まりました: {device}（{service}）"},
        .explain = {"{device}[[ (IP address {ip})]] started accepting remote-control "
                    "connections over {service} (port {port}/{proto}), which it had not done "
                    "before. Remote access is how attackers hop from one infected PC to the next "
                    "and how ransomware gangs get in, so a device that suddenly allows it may "
                    "have been set up by someone else.",
                    "{device}[[（IPアドレス {ip}）]]が、これまでなかった {service}"
                    "（ポート {port}/{proto}）による遠隔操作の接続を受け付け始めました。"
                    "遠隔操作の機能は、攻撃者が感染したパソコンから次のパソコンへ乗り移るときや、"
                    "ランサムウェアの犯人が侵入するときに使われます。急に遠隔操作ができるように"
                    "なった場合は、第三者が設定した可能性もあります。"},
        .action = {"Ask the person who uses or looks after this device whether remote access "
                   "was turned on on purpose. If not, turn {service} off: on a Windows PC under "
                   "Settings > System > Remote Desktop; on a printer, NAS, router or camera in "
                   "its administration page (usually under network or security settings). "
                   "Then have the device checked for viruses and change its administrator "
                   "password.",
                   "この機器の利用者や管理している人に、遠隔操作を意図して有効にしたか確認して"
                   "ください。心当たりがなければ {service} をオフにしてください。Windows の"
                   "パソコンなら「設定」→「システム」→「リモートデスクトップ」、プリンター・NAS・"
                   "ルーター・カメラなら管理画面（多くはネットワークやセキュリティの設定）で"
                   "変更できます。そのうえでウイルス検査を行い、管理者のパスワードを変えて"
                   "ください。"},
    },
    {
        .id = "device.new_service/share",
        .title = {"New file sharing on {device}: {service}",
                  "ファイル共有が新たに始まりました: {device}（{service}）"},
        .explain = {"{device}[[ (IP address {ip})]] started sharing files over {service} "
                    "(port {port}/{proto}), which it had not done before. Shared folders on "
                    "ordinary PCs are how a virus on one machine reaches everyone's files, and a "
                    "share nobody meant to create is a common way for important files to leak.",
                    "{device}[[（IPアドレス {ip}）]]が、これまでなかった {service}"
                    "（ポート {port}/{proto}）によるファイル共有を始めました。一般のパソコンの"
                    "共有フォルダーは、1台のウイルスが全員のファイルに広がる経路になります。"
                    "また、意図しない共有は重要なファイルが漏れるよくある原因です。"},
        .action = {"Ask the person who uses this device which folder they shared and why. Keep "
                   "shared company files on the file server instead, and turn the share off if "
                   "it is not needed.",
                   "この機器の利用者に、どのフォルダーをなぜ共有したのか確認してください。"
                   "社内で共有するファイルはファイルサーバーにまとめ、不要な共有はオフにして"
                   "ください。"},
    },

    {.id = NULL},
};

/* texts-practice.c - explanation texts of the practice detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules): cleartext
 * (det-cleartext.c) and legacy.protocol (det-legacy-protocol.c). */
#include "detect/explain.h"

const struct alert_text alert_texts_practice[] = {
    /* --- cleartext (det-cleartext.c) ---
     * facts: protocol ("FTP", "Telnet", "POP3", "IMAP", "SMTP", "HTTP"), user,
     * server (host name, may be missing), port, field (HTTP form field).
     * {src} is the client, {dst} the server. The plain entry is the fallback. */
    {
        .id = "cleartext",
        .title = {"Password sent without encryption: {protocol} from {device}",
                  "パスワードが暗号化されずに送られました: {device}（{protocol}）"},
        .explain = {"{device} logged in to {protocol} on {dst}[[ ({server})]], port {port}"
                    "[[, as user \"{user}\"]], without encryption: the password crossed the "
                    "network as plain text that anyone on the path can read. Seen {count} "
                    "time(s) since {first}.",
                    "{device}が、{dst}[[（{server}）]]のポート {port} の {protocol} に"
                    "[[ユーザー名「{user}」で]]暗号化なしでログインしました。パスワードが"
                    "そのままの文字で送られたため、通信経路の途中で誰でも読み取れます。"
                    "{first}以降、{count}回確認されています。"},
        .action = {"Change this password, and switch the program to the encrypted version of "
                   "the service (https, SFTP/FTPS, SSH, IMAPS/POP3S, SMTP with STARTTLS).",
                   "このパスワードを変更し、ソフトの設定を暗号化された接続（https、SFTP/FTPS、"
                   "SSH、IMAPS/POP3S、STARTTLS付きのSMTPなど）に切り替えてください。"},
    },
    {
        .id = "cleartext/internet",
        .title = {"Password sent unencrypted over the Internet: {protocol} from {device}",
                  "パスワードが暗号化されずにインターネットを通りました: {device}（{protocol}）"},
        .explain = {"{device} logged in to {protocol} on {dst}[[ ({server})]], port {port}"
                    "[[, as user \"{user}\"]], without encryption[[ (form field \"{field}\")]]. "
                    "The password crossed the Internet as plain text: anyone along the way, "
                    "such as a public Wi-Fi or a hacked router, can read it and use it. Stolen "
                    "mail passwords are how the Emotet gangs send spam in a company's name. "
                    "Seen {count} time(s) since {first}.",
                    "{device}が、{dst}[[（{server}）]]のポート {port} の {protocol} に"
                    "[[ユーザー名「{user}」で]]暗号化なしでログインしました"
                    "[[（入力欄「{field}」）]]。パスワードがそのままの文字でインターネットを"
                    "通ったため、公衆Wi-Fiや乗っ取られたルーターなど、経路の途中で誰でも"
                    "読み取って悪用できます。盗まれたメールのパスワードは、Emotetなどの"
                    "犯罪グループが会社の名前で迷惑メールを送るのに使われます。"
                    "{first}以降、{count}回確認されています。"},
        .action = {"Change this password today, and anywhere else the same password is used. "
                   "Then switch the program to an encrypted connection: in the mail program "
                   "choose SSL/TLS (IMAP 993, POP3 995, sending on 465, or 587 with STARTTLS); "
                   "upload files with SFTP or FTPS instead of FTP; open web pages with https. "
                   "If the service offers no encryption, ask its provider or your IT supplier.",
                   "今日中にこのパスワードを変更してください。同じパスワードを使い回している"
                   "場所があれば、そちらも変更してください。そのうえで、ソフトの設定を暗号化"
                   "された接続に切り替えてください。メールソフトでは SSL/TLS を選びます"
                   "（受信は IMAP 993 または POP3 995、送信は 465、または STARTTLS 付きの 587）。"
                   "ファイルのアップロードは FTP ではなく SFTP や FTPS を、Webページは https "
                   "を使ってください。暗号化に対応していないサービスであれば、提供元やITの"
                   "取引先に相談してください。"},
    },
    {
        .id = "cleartext/lan",
        .title = {"Password sent unencrypted inside the office: {protocol} from {device}",
                  "社内でパスワードが暗号化されずに送られました: {device}（{protocol}）"},
        .explain = {"{device} logged in to {protocol} on {dst}[[ ({server})]], port {port}"
                    "[[, as user \"{user}\"]], without encryption[[ (form field \"{field}\")]]. "
                    "The password stayed inside your network, but any infected PC or visitor's "
                    "device on the same network can read it as it passes. Seen {count} time(s) "
                    "since {first}.",
                    "{device}が、社内の {dst}[[（{server}）]]のポート {port} の {protocol} に"
                    "[[ユーザー名「{user}」で]]暗号化なしでログインしました"
                    "[[（入力欄「{field}」）]]。パスワードは社外には出ていませんが、同じ"
                    "ネットワークにつながったウイルス感染パソコンや来客の端末から読み取られる"
                    "おそれがあります。{first}以降、{count}回確認されています。"},
        .action = {"Where the device (NAS, router, copier, server) offers it, turn on the "
                   "encrypted version (https, SFTP or FTPS, SSH instead of Telnet, IMAPS or "
                   "POP3S) and switch the programs to it. Do not use this password for anything "
                   "that can be reached from the Internet.",
                   "NAS、ルーター、複合機、サーバーなどの機器が対応していれば、暗号化された"
                   "方式（https、SFTP/FTPS、Telnetの代わりにSSH、IMAPS/POP3S）を有効にして、"
                   "ソフトの設定もそちらに切り替えてください。このパスワードは、インターネット"
                   "から使えるサービスには使わないでください。"},
    },
    {
        .id = "cleartext/weak",
        .title = {"Weakly protected login without encryption: {protocol} from {device}",
                  "暗号化されていない弱いログイン方式が使われています: {device}（{protocol}）"},
        .explain = {"{device} logged in to {protocol} on {dst}[[ ({server})]], port {port}"
                    "[[, as user \"{user}\"]], with an old method that does not send the "
                    "password itself but is not encrypted either. Anyone who records the "
                    "exchange can try passwords against it at leisure until one fits; short "
                    "passwords fall quickly. Seen {count} time(s) since {first}.",
                    "{device}が、{dst}[[（{server}）]]のポート {port} の {protocol} に"
                    "[[ユーザー名「{user}」で]]古いログイン方式でログインしました。"
                    "パスワードそのものは送られませんが、通信は暗号化されていません。"
                    "やり取りを記録した人は、時間をかけてパスワードを総当たりで割り出せます。"
                    "短いパスワードはすぐに見破られます。{first}以降、{count}回確認されて"
                    "います。"},
        .action = {"Switch the mail program to an encrypted connection (SSL/TLS). If that is "
                   "not possible, make sure the password is long (12 characters or more) and "
                   "not used anywhere else.",
                   "メールソフトの設定を暗号化された接続（SSL/TLS）に切り替えてください。"
                   "切り替えられない場合は、パスワードを12文字以上の長いものにし、ほかの"
                   "サービスと使い回さないようにしてください。"},
    },

    /* --- legacy.protocol (det-legacy-protocol.c) ---
     * facts: what ("SMBv1", "Telnet", "TLS 1.0", "SSH protocol 1", "OpenSSH 5.3"),
     * server (TLS SNI, may be missing), port, detail (SMB dialect, SSH banner,
     * "SSLv2-format ClientHello"; may be missing). {src} is the client, {dst}
     * the server; {count} is the number of distinct clients (smb1_offered:
     * servers). The plain entry is the fallback. */
    {
        .id = "legacy.protocol",
        .title = {"Outdated protocol in use: {what} ({device})",
                  "古い通信方式が使われています: {what}（{device}）"},
        .explain = {"A connection from {src} to {dst}, port {port}, used {what}[[ ({detail})]], "
                    "a protocol version that has been replaced because of known weaknesses. "
                    "Devices still speaking it usually run software that has not been updated "
                    "for years. Devices seen using it: {count}.",
                    "{src} から {dst}（ポート {port}）への通信で、{what}[[（{detail}）]]が"
                    "使われました。既知の弱点のために置き換えられた古い方式です。これを使い"
                    "続けている機器は、何年もソフトウェアが更新されていないことがほとんどです。"
                    "使っていた機器の数: {count}。"},
        .action = {"Update the software or firmware of the device concerned, or ask your IT "
                   "supplier how to switch to the current version of the protocol.",
                   "該当する機器のソフトウェアやファームウェアを更新するか、新しい方式への"
                   "切り替え方法をITの取引先や保守業者に相談してください。"},
    },
    {
        .id = "legacy.protocol/smb1",
        .title = {"Old file-sharing protocol SMBv1 in use: {device}",
                  "古いファイル共有方式（SMBv1）が使われています: {device}"},
        .explain = {"{src} and {dst} shared files using SMB version 1[[ (dialect {detail})]], "
                    "a protocol from the 1990s. The WannaCry ransomware spread from PC to PC "
                    "through exactly this protocol, and it is still a favourite path for "
                    "viruses moving inside an office network. Devices seen using it with "
                    "{dst}: {count}.",
                    "{src} と {dst} が、1990年代のファイル共有方式であるSMBバージョン1"
                    "[[（{detail}）]]でファイルをやり取りしました。ランサムウェア「WannaCry」は"
                    "まさにこの方式を悪用してパソコンからパソコンへ広がりました。今でも、社内"
                    "ネットワークでウイルスが広がる主な経路の一つです。{dst} とこの方式で"
                    "通信した機器の数: {count}。"},
        .action = {"On Windows, turn off \"SMB 1.0/CIFS File Sharing Support\" in \"Turn "
                   "Windows features on or off\", on the server and on the PCs. If one of them "
                   "is an old NAS, copier or scanner that only speaks SMBv1, update its "
                   "firmware or ask its maker, and plan to replace it if there is no update.",
                   "Windowsでは「Windowsの機能の有効化または無効化」で「SMB 1.0/CIFS "
                   "ファイル共有のサポート」をオフにしてください（サーバー側とパソコン側の"
                   "両方）。SMBv1しか使えない古いNAS、複合機、スキャナーの場合は、"
                   "ファームウェアを更新するかメーカーに問い合わせ、更新がなければ買い替えを"
                   "検討してください。"},
    },
    {
        .id = "legacy.protocol/smb1_offered",
        .title = {"PC still has old SMBv1 file sharing switched on: {device}",
                  "古いファイル共有方式（SMBv1）が有効なままのパソコンがあります: {device}"},
        .explain = {"{src} offered SMB version 1[[ ({detail})]] when it connected to the file "
                    "server {dst}. The server chose a modern version, so no files went over "
                    "SMBv1, but the PC still has the old protocol installed, and self-spreading "
                    "ransomware such as WannaCry uses it. File servers it offered SMBv1 to: "
                    "{count}.",
                    "{src} がファイルサーバー {dst} に接続する際、SMBバージョン1"
                    "[[（{detail}）]]を使えると申告しました。サーバーが新しい方式を選んだため"
                    "SMBv1でのやり取りはありませんでしたが、このパソコンには古い方式が"
                    "残っています。WannaCryのように自動で広がるランサムウェアは、この方式を"
                    "悪用します。SMBv1を申告した相手のサーバーの数: {count}。"},
        .action = {"On this PC, turn off \"SMB 1.0/CIFS File Sharing Support\" in \"Turn "
                   "Windows features on or off\". Current Windows does not need it unless an "
                   "old NAS or copier depends on it.",
                   "このパソコンの「Windowsの機能の有効化または無効化」で「SMB 1.0/CIFS "
                   "ファイル共有のサポート」をオフにしてください。古いNASや複合機がこの方式を"
                   "必要としていない限り、現在のWindowsでは不要です。"},
    },
    {
        .id = "legacy.protocol/telnet",
        .title = {"Telnet remote login in use: {device}",
                  "Telnetによる遠隔ログインが使われています: {device}"},
        .explain = {"{src} opened a Telnet session to {dst} (port {port}). Telnet is the "
                    "remote-login protocol of the 1980s: everything typed, the password "
                    "included, crosses the network as plain text. Routers, switches and other "
                    "network devices often still have it switched on. Devices seen using it: "
                    "{count}.",
                    "{src} が {dst}（ポート {port}）にTelnetで接続しました。Telnetは1980年代の"
                    "遠隔ログイン方式で、パスワードを含む入力内容がすべてそのままの文字で"
                    "ネットワークを流れます。ルーターやスイッチなどのネットワーク機器では、"
                    "今でも有効なままのことがよくあります。使っていた機器の数: {count}。"},
        .action = {"Use SSH or the device's https settings page instead, and turn Telnet off "
                   "in the device's settings. If the device offers nothing else, keep it on a "
                   "network that visitors and ordinary PCs cannot reach.",
                   "Telnetの代わりにSSHや機器のhttps設定画面を使い、機器の設定でTelnetを"
                   "無効にしてください。ほかの方法がない機器であれば、来客や一般のパソコンが"
                   "つながらないネットワークに分けてください。"},
    },
    {
        .id = "legacy.protocol/telnet_internet",
        .title = {"Telnet login open to the Internet: {device}",
                  "Telnetのログイン画面がインターネットに公開されています: {device}"},
        .explain = {"{dst} answered a Telnet connection (port {port}) from {src}, an address on "
                    "the Internet. Botnets such as Mirai try such login prompts around the "
                    "clock with factory passwords, and any login that works sends its password "
                    "in clear. Outside addresses seen: {count}.",
                    "{dst} が、インターネット上の {src} からのTelnet接続（ポート {port}）に"
                    "応答しました。Miraiなどのボットネットは、こうしたログイン画面に初期"
                    "パスワードで一日中ログインを試みています。また、Telnetのログインは"
                    "パスワードがそのままの文字で送られます。接続してきた外部のアドレスの数: "
                    "{count}。"},
        .action = {"Today: close the port in the router (remove the port forwarding or turn "
                   "off remote administration) and turn Telnet off on the device. If a "
                   "contractor needs remote access, ask for a VPN instead.",
                   "今日中に、ルーターでこのポートを閉じ（ポート転送の設定を削除するか、"
                   "リモート管理を無効にする）、機器のTelnetを無効にしてください。保守業者が"
                   "遠隔で作業する必要がある場合は、VPNを使うよう依頼してください。"},
    },
    {
        .id = "legacy.protocol/tls",
        .title = {"Outdated encryption {what} in use: {device}",
                  "古い暗号化方式（{what}）が使われています: {device}"},
        .explain = {"A connection from {src} to {dst}[[ ({server})]], port {port}, used {what}"
                    "[[ ({detail})]], an outdated version of the encryption that protects web "
                    "pages, mail and logins. These versions have known weaknesses and current "
                    "browsers have dropped them; software that still uses them has usually "
                    "not been updated for a long time. Devices seen using it with {dst}: "
                    "{count}.",
                    "{src} から {dst}[[（{server}）]]（ポート {port}）への通信で、Webページや"
                    "メール、ログインを守る暗号化の古い版である {what}[[（{detail}）]]が"
                    "使われました。この版には既知の弱点があり、現在のブラウザーは対応を"
                    "やめています。これを使い続けているソフトウェアは、長い間更新されていない"
                    "ことがほとんどです。{dst} とこの方式で通信した機器の数: {count}。"},
        .action = {"If {dst} is your own device (NAS, copier, router, web server), update its "
                   "firmware or turn on TLS 1.2 or newer in its settings. If it is an outside "
                   "service, update the program on {src} that made the connection (an old "
                   "mail program, business software or device firmware).",
                   "{dst} が自社の機器（NAS、複合機、ルーター、Webサーバーなど）であれば、"
                   "ファームウェアを更新するか、設定で TLS 1.2 以上を有効にしてください。"
                   "外部のサービスであれば、{src} で接続しているソフト（古いメールソフトや"
                   "業務ソフト、機器のファームウェアなど）を更新してください。"},
    },
    {
        .id = "legacy.protocol/tls_client",
        .title = {"Software with outdated encryption {what}: {device}",
                  "古い暗号化方式（{what}）しか使えないソフトがあります: {device}"},
        .explain = {"{device} connected to {dst}[[ ({server})]], port {port}, with {what}"
                    "[[ ({detail})]] and offered nothing newer. This outdated version of the "
                    "encryption that protects web pages, mail and logins has known weaknesses; "
                    "a program that cannot do better (an old browser, mail program, business "
                    "software or device firmware) has not been updated for years. Internet "
                    "servers it used this way: {count}.",
                    "{device}が {dst}[[（{server}）]]（ポート {port}）に、暗号化の古い版である "
                    "{what}[[（{detail}）]]で接続し、新しい版を使えると申告しませんでした。"
                    "この版には既知の弱点があります。これしか使えないソフト（古いブラウザー、"
                    "メールソフト、業務ソフト、機器のファームウェアなど）は、何年も更新されて"
                    "いません。この方式で接続したインターネット上のサーバーの数: {count}。"},
        .action = {"Find the program on {device} that made these connections and update it, "
                   "or the device's firmware. On an old Windows, plan the move to a supported "
                   "version.",
                   "{device}でこの接続をしているソフトを確認して更新するか、機器の"
                   "ファームウェアを更新してください。古いWindowsの場合は、サポートされている"
                   "版への移行を計画してください。"},
    },
    {
        .id = "legacy.protocol/ssh",
        .title = {"SSH protocol version 1 in use: {device}",
                  "SSHの古い版（バージョン1）が使われています: {device}"},
        .explain = {"The SSH server {dst} (port {port}) accepts version 1 of the SSH "
                    "protocol[[ ({detail})]]. SSH-1 was replaced in 2006 because its protection "
                    "can be broken: someone on the path can take over a session or recover "
                    "what was typed. Devices seen using it: {count}.",
                    "SSHサーバー {dst}（ポート {port}）が、SSHプロトコルのバージョン1"
                    "[[（{detail}）]]を受け付けています。SSH-1は保護を破られる弱点があるため"
                    "2006年に置き換えられました。通信経路の途中にいる第三者が、接続を"
                    "乗っ取ったり入力内容を読み取ったりできます。接続した機器の数: {count}。"},
        .action = {"Update the server's firmware or software and turn protocol 1 off. If the "
                   "device cannot do that, plan to replace it and keep it away from the "
                   "Internet until then.",
                   "サーバーのファームウェアやソフトウェアを更新し、バージョン1を無効にして"
                   "ください。対応できない機器であれば買い替えを計画し、それまではインター"
                   "ネットから接続できないようにしてください。"},
    },
    {
        .id = "legacy.protocol/ssh_software",
        .title = {"Old SSH server software {what}: {device}",
                  "古いSSHサーバーソフト（{what}）が使われています: {device}"},
        .explain = {"The SSH server {dst} (port {port}) runs {what}[[ ({detail})]], a version "
                    "many years old. Old SSH servers have published flaws that let attackers "
                    "guess user names, crash the service or worse; they are typical of NAS "
                    "boxes, routers and servers that have not been updated. Some Linux "
                    "distributions fix old versions without changing the number. Devices that "
                    "connected to it: {count}.",
                    "SSHサーバー {dst}（ポート {port}）で、何年も前の版である {what}"
                    "[[（{detail}）]]が動いています。古いSSHサーバーには、ユーザー名の推測や"
                    "サービス停止などにつながる公開済みの弱点があります。更新されていない"
                    "NASやルーター、サーバーによく見られます。なお、Linuxの配布版によっては、"
                    "版の番号を変えずに修正を当てている場合があります。接続した機器の数: "
                    "{count}。"},
        .action = {"Ask whoever maintains the server whether it still gets security updates, "
                   "and update it or its firmware. If no updates come any more, plan to "
                   "replace it and do not make it reachable from the Internet.",
                   "サーバーの管理者や保守業者に、セキュリティ更新が今も適用されているかを"
                   "確認し、ソフトウェアやファームウェアを更新してください。更新が提供されて"
                   "いない場合は買い替えを計画し、インターネットから接続できないように"
                   "してください。"},
    },
    {.id = NULL},
};

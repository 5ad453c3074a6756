/* texts-lateral.c - explanation texts of the lateral detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules).
 *
 * lateral (det-lateral.c) facts: target, targets, ntargets, service, share,
 *   file, pipe, interface (plus new_path, window_min for machines).
 * remote_access (det-remote-access.c) facts: tool, remote, port, direction.
 * tor: tool, remote, flows. proxy: tool, remote, port, target_host.
 */
#include "detect/explain.h"

const struct alert_text alert_texts_lateral[] = {
    /* --- lateral --- */
    {
        .id = "lateral",
        .title = {"PC reaching other PCs like an intruder: {device}",
                  "他のパソコンへの不審な接続: {device}"},
        .explain = {"{device} connected to other computers of the office in a way intruders "
                    "and viruses use to move from one PC to the next[[ (target {target})]]. "
                    "In small companies hit by ransomware, the first PC was infected by mail and "
                    "the virus then reached the file server this way.",
                    "{device} が、侵入者やウイルスが社内のパソコンからパソコンへ広がるときと"
                    "同じ方法で、他のコンピューターに接続しました[[（接続先 {target}）]]。"
                    "ランサムウェアの被害に遭った会社では、メールで感染した1台から"
                    "この方法でファイルサーバーまで被害が広がりました。"},
        .action = {"Ask whoever manages your PCs whether this was their work. If nobody did it, "
                   "unplug {device} from the network and have it checked.",
                   "パソコンの管理を担当している人（または業者）に、この操作に心当たりがあるか"
                   "確認してください。誰も心当たりがなければ、{device} をネットワークから外し、"
                   "点検を依頼してください。"},
    },
    {
        .id = "lateral/exploit",
        .title = {"Worm attack from {device} on other PCs (SMB exploit)",
                  "{device} から他のパソコンへのワーム攻撃（SMBの脆弱性）"},
        .explain = {"{device} sent the Windows file-sharing (SMB) commands of the EternalBlue / "
                    "DoublePulsar attack to {ntargets} other computer(s): {targets}. This is how "
                    "the WannaCry ransomware spread through whole companies within minutes. "
                    "{device} is almost certainly infected, and the targets may be too.",
                    "{device} が、EternalBlue / DoublePulsar と呼ばれる攻撃のWindowsファイル共有"
                    "（SMB）の命令を、他の {ntargets} 台のコンピューターに送りました: {targets}。"
                    "ランサムウェアのWannaCryは、この方法で数分のうちに会社全体へ広がりました。"
                    "{device} はほぼ確実に感染しており、攻撃先も感染している可能性があります。"},
        .action = {"Unplug {device} and the computers listed from the network now (cable and "
                   "Wi-Fi), do not switch them off, and call your IT vendor. Then make sure every "
                   "Windows PC has its updates installed and that your backups are offline.",
                   "今すぐ {device} と上記のコンピューターをネットワークから外し（LANケーブルを"
                   "抜き、Wi-Fiも切る）、電源は切らずにIT業者へ連絡してください。その後、"
                   "すべてのWindowsパソコンに更新プログラムが適用されているか、バックアップが"
                   "ネットワークから切り離されているかを確認してください。"},
    },
    {
        .id = "lateral/spread",
        .title = {"{device} connected to {ntargets} PCs within minutes",
                  "{device} が短時間に {ntargets} 台のパソコンへ接続しました"},
        .explain = {"{device} opened file-sharing or remote-control connections to {ntargets} "
                    "other computers in a few minutes, none of which it had used before: "
                    "{targets}. Ransomware and worms spread like this; an ordinary office PC "
                    "talks to one or two servers, not to its neighbours.",
                    "{device} が数分のうちに、これまで使っていなかった {ntargets} 台の"
                    "コンピューターへファイル共有や遠隔操作の接続をしました: {targets}。"
                    "ランサムウェアやワームはこのように広がります。通常の事務用パソコンが"
                    "接続するのは1、2台のサーバーで、他のパソコンではありません。"},
        .action = {"If no administrator was running a tool on {device} just now, unplug it from "
                   "the network at once and call your IT vendor. Check the listed computers for "
                   "renamed or encrypted files.",
                   "管理者が今 {device} で管理ツールを動かしていたのでなければ、すぐに"
                   "ネットワークから外し、IT業者へ連絡してください。上記のコンピューターで、"
                   "ファイルの名前が変わったり開けなくなったりしていないか確認してください。"},
    },
    {
        .id = "lateral/psexec",
        .title = {"{device} ran a program remotely on {target}",
                  "{device} が {target} でプログラムを遠隔実行しました"},
        .explain = {"{device} copied a program to the administrative share of {target}"
                    "[[ ({share})]][[, file {file}]] and started it there as a service "
                    "(the PsExec method)[[, pipe {pipe}]]. It needs an administrator password. "
                    "IT staff use it, but ransomware gangs use exactly this to launch their "
                    "program on every PC and server of a company.",
                    "{device} が {target} の管理用共有[[（{share}）]]にプログラムを"
                    "コピーし[[（ファイル {file}）]]、サービスとして起動しました"
                    "（PsExecと呼ばれる方法）[[（パイプ {pipe}）]]。管理者のパスワードが"
                    "必要な操作です。IT担当者も使いますが、ランサムウェアの攻撃者はまさに"
                    "この方法で会社中のパソコンやサーバーに自分のプログラムを送り込みます。"},
        .action = {"Ask your administrator or IT vendor whether they did this at {first}. If not, "
                   "unplug {device} and {target} from the network, change the administrator "
                   "passwords from a clean PC, and have both checked.",
                   "{first}ごろにこの操作をしたかどうか、管理者またはIT業者に確認してください。"
                   "心当たりがなければ、{device} と {target} をネットワークから外し、"
                   "安全なパソコンから管理者のパスワードを変更したうえで、両方の点検を"
                   "依頼してください。"},
    },
    {
        .id = "lateral/psexec_known",
        .title = {"{device} ran a program remotely on {target} (done before)",
                  "{device} が {target} でプログラムを遠隔実行しました（以前にもあり）"},
        .explain = {"{device} again copied a program to the administrative share of {target}"
                    "[[ ({share})]][[, file {file}]] and started it as a service. It did the "
                    "same on an earlier day, so this is probably a management tool, but "
                    "intruders who have an administrator password do the same.",
                    "{device} が再び {target} の管理用共有[[（{share}）]]にプログラムを"
                    "コピーし[[（ファイル {file}）]]、サービスとして起動しました。以前にも"
                    "同じ操作があったため管理ツールの可能性が高いですが、管理者のパスワードを"
                    "盗んだ侵入者も同じことをします。"},
        .action = {"Confirm with your administrator that a tool on {device} does this regularly. "
                   "If nobody knows of one, treat it as an intrusion: unplug both computers and "
                   "call your IT vendor.",
                   "{device} の管理ツールが定期的にこの操作をしているか、管理者に確認して"
                   "ください。誰も知らなければ侵入として扱い、両方のコンピューターを"
                   "ネットワークから外してIT業者へ連絡してください。"},
    },
    {
        .id = "lateral/task",
        .title = {"{device} created a scheduled task on {target}",
                  "{device} が {target} にタスクを遠隔登録しました"},
        .explain = {"{device} used the Windows task scheduler of {target} over the network"
                    "[[ ({interface})]][[ ({pipe})]][[ after copying {file}]]. Intruders use "
                    "remote tasks to start their programs on other computers; office software "
                    "rarely does.",
                    "{device} がネットワーク経由で {target} のタスクスケジューラーを"
                    "操作しました[[（{interface}）]][[（{pipe}）]][[（{file} をコピーした後）]]。"
                    "侵入者は他のコンピューターで自分のプログラムを動かすためにこの方法を使います。"
                    "通常の業務ソフトがこれを行うことはまれです。"},
        .action = {"Ask your administrator whether they set up a task on {target}. If not, "
                   "unplug {device} and {target} and have the scheduled tasks on {target} "
                   "checked.",
                   "{target} にタスクを登録したかどうか管理者に確認してください。心当たりが"
                   "なければ {device} と {target} をネットワークから外し、{target} に"
                   "登録されたタスクを点検してもらってください。"},
    },
    {
        .id = "lateral/wmi",
        .title = {"{device} used WMI remote management on {target}",
                  "{device} が {target} をWMIで遠隔操作しました"},
        .explain = {"{device} connected to the Windows management interface (WMI) of {target} "
                    "for the first time. WMI can start programs on the other computer. "
                    "Management and monitoring tools use it, and so do intruders moving from "
                    "PC to PC without copying files.",
                    "{device} が初めて {target} のWindows管理機能（WMI）に接続しました。"
                    "WMIを使うと相手のコンピューターでプログラムを起動できます。"
                    "管理・監視ツールも使いますが、ファイルを残さずにパソコンからパソコンへ"
                    "移動する侵入者もこれを使います。"},
        .action = {"Check with your administrator whether a management tool runs on {device}. "
                   "If nobody expects {device} to manage other PCs, have it checked.",
                   "{device} で管理ツールが動いているか管理者に確認してください。"
                   "{device} が他のパソコンを管理するはずがなければ、点検を依頼してください。"},
    },
    {
        .id = "lateral/rdp",
        .title = {"Remote Desktop from {device} to {target}",
                  "{device} から {target} へのリモートデスクトップ接続"},
        .explain = {"{device} opened a Remote Desktop (RDP) session to {target}, a connection "
                    "not seen before. Administrators do this, but intruders who have stolen a "
                    "password use Remote Desktop to take over one computer after another.",
                    "{device} が {target} へリモートデスクトップ（RDP）で接続しました。"
                    "これまでになかった接続です。管理者も使いますが、パスワードを盗んだ"
                    "侵入者はリモートデスクトップで次々とコンピューターを乗っ取ります。"},
        .action = {"Ask who used {device} at {first} and whether they meant to work on {target}. "
                   "If this connection is part of someone's job, it will not be reported again.",
                   "{first}ごろに {device} を使っていた人に、{target} で作業したかを"
                   "確認してください。業務上の接続であれば、次回からは通知されません。"},
    },
    {
        .id = "lateral/winrm",
        .title = {"PowerShell remoting from {device} to {target}",
                  "{device} から {target} へのPowerShellリモート操作"},
        .explain = {"{device} controlled {target} through Windows Remote Management (WinRM, "
                    "PowerShell remoting), a connection not seen before. It runs commands on the "
                    "other computer. Administrators use it; so do intruders.",
                    "{device} が Windowsリモート管理（WinRM、PowerShellリモート）で {target} を"
                    "操作しました。これまでになかった接続です。相手のコンピューターで"
                    "コマンドを実行できる機能で、管理者も侵入者も使います。"},
        .action = {"Ask your administrator whether they worked on {target} from {device} at "
                   "{first}. If not, unplug both and have them checked.",
                   "{first}ごろに {device} から {target} を操作したかどうか、管理者に確認して"
                   "ください。心当たりがなければ両方をネットワークから外し、点検を依頼して"
                   "ください。"},
    },

    /* --- remote_access --- */
    {
        .id = "remote_access",
        .title = {"Remote control in use on {device}: {tool}",
                  "{device} で遠隔操作が使われています: {tool}"},
        .explain = {"{device} had a remote-control session ({tool}) with {remote}. Whoever is on "
                    "the other end can see the screen and use the computer.",
                    "{device} が {remote} と遠隔操作（{tool}）で通信しました。相手側の人は"
                    "画面を見て、このコンピューターを操作できます。"},
        .action = {"Find out who set up this connection and why. If nobody did, disconnect "
                   "{device} from the network.",
                   "誰が何のためにこの接続を使ったのか確認してください。心当たりがなければ、"
                   "{device} をネットワークから外してください。"},
    },
    {
        .id = "remote_access/inbound",
        .title = {"{device} can be controlled from the Internet ({tool})",
                  "{device} がインターネットから遠隔操作できる状態です（{tool}）"},
        .explain = {"{remote}, an address on the Internet, connected to {device} with {tool} "
                    "(port {port}) and {device} answered. A remote-control port open to the "
                    "Internet is how most ransomware gets into small companies: attackers try "
                    "passwords on it day and night.",
                    "インターネット上の {remote} が {tool}（ポート {port}）で {device} に接続し、"
                    "{device} が応答しました。インターネットに開いた遠隔操作の入口は、"
                    "中小企業がランサムウェアに侵入される最も多い経路です。攻撃者は昼も夜も"
                    "パスワードを試し続けます。"},
        .action = {"Close the port forwarding for port {port} on your router (or ask your "
                   "vendor to) today. If remote work needs it, use a VPN instead. Check that "
                   "{device} has a strong password and its updates.",
                   "今日中にルーターのポート {port} の転送設定を止めてください（または業者に"
                   "依頼してください）。テレワークで必要な場合はVPNを使ってください。"
                   "{device} のパスワードが推測されにくいものか、更新プログラムが適用されて"
                   "いるかも確認してください。"},
    },
    {
        .id = "remote_access/tool",
        .title = {"{tool} used on {device}", "{device} で {tool} が使われました"},
        .explain = {"{device} used the remote-control tool {tool} (server {remote}). Support "
                    "companies use it, but so do scams: in a common story a fake support call "
                    "has the PC owner install AnyDesk, and the caller then empties the bank "
                    "account or plants a virus.",
                    "{device} で遠隔操作ツール {tool} が使われました（接続先 {remote}）。"
                    "サポート業者も使いますが、詐欺にも使われます。よくある手口では、"
                    "偽のサポート電話でAnyDeskなどをインストールさせ、その後ネットバンキングから"
                    "送金したりウイルスを仕込んだりします。"},
        .action = {"Ask the user of {device} who they let in and why. If it was not your "
                   "regular support company, disconnect {device}, change the passwords used on "
                   "it (bank first) and have it checked.",
                   "{device} の利用者に、誰に何のために操作させたのかを確認してください。"
                   "いつものサポート業者でなければ、{device} をネットワークから外し、"
                   "そのパソコンで使ったパスワード（まずネットバンキング）を変更し、"
                   "点検を依頼してください。"},
    },
    {
        .id = "remote_access/outbound",
        .title = {"{device} controls a computer on the Internet ({tool})",
                  "{device} がインターネット上のコンピューターを遠隔操作しました（{tool}）"},
        .explain = {"{device} opened a {tool} session to {remote} on the Internet (port {port}). "
                    "It may be someone working on a home PC or a rented server; it is also a "
                    "way to take data out of the office unnoticed.",
                    "{device} がインターネット上の {remote} へ {tool} で接続しました"
                    "（ポート {port}）。自宅のパソコンや契約しているサーバーでの作業かもしれませんが、"
                    "気付かれずに社外へデータを持ち出す方法にもなります。"},
        .action = {"Ask the user of {device} what {remote} is. If nobody knows, block it on "
                   "your router.",
                   "{device} の利用者に {remote} が何か確認してください。誰も知らなければ、"
                   "ルーターで接続を止めてください。"},
    },

    /* --- tor --- */
    {
        .id = "tor",
        .title = {"Tor anonymity network used by {device}",
                  "{device} が匿名通信Torを使っています"},
        .explain = {"{device} connected to the Tor network ({remote}, {flows} connection(s) "
                    "today). Tor hides where traffic goes. Ransomware and remote-control viruses "
                    "use it to reach their operators, and it has no place on an office PC.",
                    "{device} が匿名通信ネットワークTorに接続しました（{remote}、本日 {flows} 回）。"
                    "Torは通信先を隠します。ランサムウェアや遠隔操作ウイルスは、攻撃者との通信に"
                    "Torを使います。会社のパソコンで使う理由はほとんどありません。"},
        .action = {"Ask the user of {device} whether they installed the Tor Browser. If not, "
                   "disconnect {device} and have it checked for a virus.",
                   "{device} の利用者に Tor Browser を入れたかどうか確認してください。"
                   "心当たりがなければ、{device} をネットワークから外し、ウイルスの点検を"
                   "依頼してください。"},
    },
    {
        .id = "tor/sustained",
        .title = {"{device} keeps talking over Tor", "{device} がTorで通信を続けています"},
        .explain = {"{device} made {flows} connections to the Tor network today. Software that "
                    "keeps using Tor in the background is typical of ransomware and "
                    "remote-control viruses waiting for orders.",
                    "{device} が本日 {flows} 回、Torネットワークに接続しました。裏でTorを使い"
                    "続けるソフトは、指示を待っているランサムウェアや遠隔操作ウイルスに"
                    "よく見られます。"},
        .action = {"Disconnect {device} from the network and have it checked by your IT vendor.",
                   "{device} をネットワークから外し、IT業者に点検を依頼してください。"},
    },

    /* --- proxy --- */
    {
        .id = "proxy",
        .title = {"{device} sends traffic through an outside proxy",
                  "{device} が外部のプロキシー経由で通信しています"},
        .explain = {"{device} used a proxy server on the Internet ({remote}, {tool}). A proxy "
                    "hides where the traffic really goes: it is used to get round filters, and "
                    "by viruses to hide their servers.",
                    "{device} がインターネット上のプロキシーサーバー（{remote}、{tool}）を"
                    "使いました。プロキシーを使うと本当の通信先が隠れます。フィルターを"
                    "すり抜けるためや、ウイルスが自分のサーバーを隠すために使われます。"},
        .action = {"Ask the user of {device} whether they set up a proxy or a VPN app. If not, "
                   "have {device} checked.",
                   "{device} の利用者に、プロキシーやVPNアプリを設定したか確認してください。"
                   "心当たりがなければ {device} の点検を依頼してください。"},
    },
    {
        .id = "proxy/connect",
        .title = {"{device} tunnels through a proxy on the Internet",
                  "{device} がインターネット上のプロキシーを中継に使っています"},
        .explain = {"{device} asked {remote} (port {port}) to relay a connection"
                    "[[ to {target_host}]] (HTTP CONNECT). An open proxy on the Internet hides "
                    "where the traffic goes; your own network does not need one.",
                    "{device} が {remote}（ポート {port}）に、"
                    "[[{target_host} への]]接続の中継を依頼しました（HTTP CONNECT）。"
                    "インターネット上の公開プロキシーは通信先を隠すために使われます。"
                    "社内の通常の通信には必要ありません。"},
        .action = {"Ask the user of {device} what this proxy is for. If nobody knows, block "
                   "{remote} on your router and have {device} checked.",
                   "{device} の利用者に、このプロキシーを何に使っているか確認してください。"
                   "誰も知らなければ、ルーターで {remote} への接続を止め、{device} の点検を"
                   "依頼してください。"},
    },
    {.id = NULL},
};

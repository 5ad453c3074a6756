/* texts-dns.c - explanation texts of the dns detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules). */
#include "detect/explain.h"
#include "util/util.h"

const struct alert_text alert_texts_dns[] = {
    /* --- dns.tunnel (det-dns-tunnel.c) ---
     * facts: domain, server, names, bytes, seconds, qtype, sample, ip */
    {
        .id = "dns.tunnel",
        .title = {"Data hidden in DNS lookups: {device} and {domain}",
                  "DNSの問い合わせにデータが隠されています: {device} と {domain}"},
        .explain = {"{device}[[ ({ip})]] looked up {names} different names under {domain} in "
                    "{seconds} seconds, carrying about {bytes} bytes of encoded data in the names "
                    "and answers (mostly {qtype} lookups; for example {sample}). Ordinary "
                    "programs do not do this: it is how malware and data theft tools slip "
                    "through a firewall, because DNS is always allowed. Someone may be "
                    "controlling this PC or copying data out through the domain {domain}.",
                    "{device}[[（{ip}）]]が {seconds} 秒間に {domain} の下の異なる名前を "
                    "{names} 件問い合わせ、名前と応答に約 {bytes} バイトの符号化されたデータを"
                    "載せていました（主に {qtype} 型の問い合わせ。例: {sample}）。"
                    "通常のソフトウェアはこのような問い合わせをしません。DNSはファイアウォールで"
                    "まず止められないため、ウイルスや情報持ち出しの道具が抜け道として使う手口です。"
                    "このパソコンが外部から操られているか、{domain} を通じてデータが"
                    "持ち出されているおそれがあります。"},
        .action = {"Disconnect {device} from the network now and have it checked for malware. "
                   "Block {domain} on your router or DNS filter if you can. Find out who used "
                   "the PC around {first} and what data was on it; if customer or personal "
                   "data may have left, ask your IT vendor or a security company for help.",
                   "{device} を今すぐネットワークから外し、ウイルス検査を受けてください。"
                   "可能であればルーターやDNSフィルターで {domain} への通信を止めてください。"
                   "{first}ごろにこのパソコンを誰が使っていたか、どのようなデータが入っていたかを"
                   "確認し、顧客情報や個人情報が流出したおそれがある場合は、"
                   "ITベンダーやセキュリティ会社に相談してください。"},
    },
    {
        .id = "dns.tunnel/direct",
        .title = {"Data hidden in DNS lookups sent straight to {server}: {device}",
                  "DNSの問い合わせにデータが隠されています（{server} へ直接）: {device}"},
        .explain = {"{device}[[ ({ip})]] sent {names} different DNS names that belong to no "
                    "Internet domain straight to the server {server} in {seconds} seconds, "
                    "carrying about {bytes} bytes of encoded data (mostly {qtype} lookups; for "
                    "example {sample}). This is what DNS tunnel tools such as dnscat2 do to pass "
                    "commands and files through a firewall; no ordinary program sends such names.",
                    "{device}[[（{ip}）]]が {seconds} 秒間に、どのインターネットのドメインにも"
                    "属さないDNS名を {names} 件、サーバー {server} に直接送り、約 {bytes} バイトの"
                    "符号化されたデータを載せていました（主に {qtype} 型の問い合わせ。例: {sample}）。"
                    "これはdnscat2などのDNSトンネル用の道具が、ファイアウォールを越えて命令や"
                    "ファイルをやり取りするときの特徴で、通常のソフトウェアはこのような名前を"
                    "送りません。"},
        .action = {"Disconnect {device} from the network now and have it checked for malware. "
                   "Block DNS from your PCs to any server other than your router or your "
                   "provider's DNS servers, and block {server}. If data may have left, ask your "
                   "IT vendor or a security company for help.",
                   "{device} を今すぐネットワークから外し、ウイルス検査を受けてください。"
                   "パソコンからのDNS通信は、ルーターまたはプロバイダーのDNSサーバー以外へは"
                   "送れないように設定し、{server} への通信も止めてください。"
                   "データが流出したおそれがある場合は、ITベンダーやセキュリティ会社に"
                   "相談してください。"},
    },

    /* --- dns.dga (det-dns-dga.c) ---
     * facts: nx_names, ok_names, samples, server, ip; "single": domain, shape, via, ip */
    {
        .id = "dns.dga",
        .title = {"Many made-up domain names looked up: {device} may be infected",
                  "でたらめなドメイン名の大量の問い合わせ: {device} 感染のおそれ"},
        .explain = {"{device}[[ ({ip})]] looked up {nx_names} different domain names that look "
                    "machine-generated and do not exist (for example {samples}); {ok_names} "
                    "such names did resolve. Malware does this to find its control server: it "
                    "tries a new list of random names every day, and only the criminals know "
                    "which one they registered. The program doing it is already running on the "
                    "PC.",
                    "{device}[[（{ip}）]]が、機械的に作られたように見える存在しないドメイン名を"
                    "{nx_names} 件問い合わせました（例: {samples}）。同じような名前で実在したものは "
                    "{ok_names} 件でした。これはウイルスが指令サーバーを探すときの動きです。"
                    "毎日新しいでたらめな名前の一覧を試し、犯人が登録した名前だけがつながる"
                    "仕組みのため、原因のプログラムはすでにこのパソコンで動いています。"},
        .action = {"Disconnect {device} from the network and have it scanned or reinstalled. "
                   "Blocking single domain names does not help, because the list changes "
                   "every day. Check the other PCs too, and change passwords that were used "
                   "on this PC.",
                   "{device} をネットワークから外し、ウイルス検査または初期化をしてください。"
                   "名前の一覧は毎日変わるため、ドメイン名を一つずつ止めても効果はありません。"
                   "ほかのパソコンも確認し、このパソコンで使っていたパスワードは変更してください。"},
    },
    {
        .id = "dns.dga/single",
        .title = {"Connection to a random-looking domain: {device} to {domain}",
                  "でたらめに見えるドメインへの接続: {device} から {domain}"},
        .explain = {"{device}[[ ({ip})]] reached {domain} (seen in {via}). Its name looks "
                    "machine-generated ({shape}) and it sits under a low-cost top-level domain "
                    "that malware often uses for its control servers. On its own this is a weak "
                    "sign: some small sites have such names too.",
                    "{device}[[（{ip}）]]が {domain} に接続しました（{via} で確認）。"
                    "名前が機械的に作られたように見え（{shape}）、ウイルスの指令サーバーに"
                    "よく使われる安価なトップレベルドメインの下にあります。"
                    "これだけでは弱い兆候で、このような名前の普通のサイトもあります。"},
        .action = {"Ask the person using {device} whether they know this site. If nobody does, "
                   "run a malware scan on the PC and block {domain} on your router or DNS "
                   "filter.",
                   "{device} を使っている人に、このサイトに心当たりがあるか確認してください。"
                   "心当たりがない場合は、パソコンのウイルス検査をし、ルーターやDNSフィルターで "
                   "{domain} への通信を止めてください。"},
    },
    {.id = NULL},
};

/* texts-auth.c - explanation texts of the auth detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules).
 *
 * bruteforce (det-bruteforce.c) facts: service, attempts, failures, sessions
 * (encrypted services), users, user_names, seconds, servers (spray across
 * servers); also port and success (0/1), not shown.
 * spam.burst (det-spam.c) facts: servers, sessions, recipients, window, mx,
 * ports; also messages and mx_lookups, not shown.
 */
#include "detect/explain.h"
#include "util/util.h"

const struct alert_text alert_texts_auth[] = {
    /* --- bruteforce, inbound: from the Internet to a service on the LAN --- */
    {
        .id = "bruteforce",
        .title = {"Password guessing from the Internet against {service} on {dst}",
                  "インターネットから {dst} の {service} へのパスワード総当たり"},
        .explain = {"{src} on the Internet tried to log in to {service} on {dst} {attempts} "
                    "times in {seconds} seconds ({failures} refused or cut short)"
                    "[[, with {users} different user names such as {user_names}]]. "
                    "Machines on the Internet try passwords on every exposed login all day; "
                    "this one tried hard. If any account on that service has a weak or "
                    "reused password, it will be found sooner or later.",
                    "インターネット上の {src} が、{dst} の {service} に {seconds} 秒間で "
                    "{attempts} 回ログインを試みました（うち {failures} 回は失敗または途中で"
                    "切断）[[。試されたユーザー名は {users} 種類（{user_names} など）です]]。"
                    "インターネットに公開されたログイン画面は、常に世界中から"
                    "パスワードを試されています。弱いパスワードや使い回しのパスワードの"
                    "アカウントがあれば、いずれ破られます。"},
        .action = {"Check that {service} really has to be reachable from the Internet; if "
                   "not, close the port on the router or allow only your own addresses. "
                   "Make sure every account on it has a long, unique password (or key "
                   "login / two-factor authentication) and that the device's software is up "
                   "to date.",
                   "{service} をインターネットに公開する必要が本当にあるか確認し、不要なら"
                   "ルーターでポートを閉じるか、自社の接続元だけに制限してください。"
                   "公開が必要な場合は、すべてのアカウントに長く使い回しのないパスワード"
                   "（または鍵認証・二要素認証）を設定し、機器のソフトウェアを最新に"
                   "してください。"},
    },
    /* a PC on the LAN guessing passwords of another LAN host */
    {
        .id = "bruteforce/internal",
        .title = {"{device} is guessing passwords on {dst} ({service})",
                  "{device} が {dst} のパスワードを総当たりしています（{service}）"},
        .explain = {"{device} tried to log in to {service} on {dst} {attempts} times in "
                    "{seconds} seconds ({failures} refused or cut short)"
                    "[[, with {users} different user names such as {user_names}]]. People "
                    "do not mistype a password that often: this is a program. A PC inside "
                    "the office that guesses passwords is usually infected, or someone is "
                    "trying to get into a server they should not.",
                    "{device} が {dst} の {service} に {seconds} 秒間で {attempts} 回"
                    "ログインを試みました（うち {failures} 回は失敗または途中で切断）"
                    "[[。試されたユーザー名は {users} 種類（{user_names} など）です]]。"
                    "人の入力ミスでこれほど繰り返すことはなく、プログラムによるものです。"
                    "社内のパソコンがパスワードを総当たりしている場合、ウイルスに感染して"
                    "いるか、権限のない人がサーバーに入ろうとしている可能性があります。"},
        .action = {"Find out who uses {device} and whether anyone started such a tool. If "
                   "nobody did, disconnect it from the network and have it checked for "
                   "viruses. Change the passwords of the accounts on {dst} that were "
                   "tried.",
                   "{device} の利用者に、そのようなツールを使ったか確認してください。"
                   "心当たりがなければ、ネットワークから切り離してウイルス検査をして"
                   "ください。{dst} で試されたアカウントのパスワードは変更してください。"},
    },
    /* a LAN host guessing passwords of an outside service */
    {
        .id = "bruteforce/outbound",
        .title = {"{device} is guessing passwords on an outside server ({service})",
                  "{device} が外部のサーバーにパスワード総当たりをしています（{service}）"},
        .explain = {"{device} tried to log in to {service} on {dst} on the Internet "
                    "{attempts} times in {seconds} seconds ({failures} refused or cut short)"
                    "[[, with {users} different user names such as {user_names}]]. A PC "
                    "that attacks other people's servers is usually infected and used by "
                    "criminals; with mail services, it may be trying stolen passwords. Your "
                    "firm's address is the one the victims see.",
                    "{device} がインターネット上の {dst} の {service} に {seconds} 秒間で "
                    "{attempts} 回ログインを試みました（うち {failures} 回は失敗または途中で"
                    "切断）[[。試されたユーザー名は {users} 種類（{user_names} など）です]]。"
                    "他社のサーバーを攻撃しているパソコンは、ウイルスに感染して犯罪者に"
                    "使われていることがほとんどです。メールサービスの場合は、盗んだ"
                    "パスワードを試している可能性があります。相手から見える攻撃元は"
                    "御社のアドレスです。"},
        .action = {"Disconnect {device} from the network and have it checked for viruses. "
                   "If a staff member started this on purpose, stop it: it is an attack "
                   "on someone else's system.",
                   "{device} をネットワークから切り離し、ウイルス検査をしてください。"
                   "社員が意図して行ったものであれば、他社システムへの攻撃にあたるため"
                   "直ちにやめさせてください。"},
    },
    /* many user names (one server), or many servers (dst unset) */
    {
        .id = "bruteforce/spray",
        .title = {"Password spraying from {src} ({service})",
                  "{src} からのパスワードスプレー攻撃（{service}）"},
        .explain = {"{src} tried passwords on {service} for many accounts at once"
                    "[[: {users} different user names such as {user_names}]]"
                    "[[ on {servers} different servers]]. {failures} attempts were refused "
                    "within {seconds} seconds. Trying one or two common passwords on every "
                    "account avoids locking any of them out and finds the one colleague whose "
                    "password is weak.",
                    "{src} が {service} で多数のアカウントに対してパスワードを試しました"
                    "[[（ユーザー名 {users} 種類、{user_names} など）]]"
                    "[[（{servers} 台のサーバーに対して）]]。{seconds} 秒間に {failures} 回"
                    "失敗しています。よくあるパスワードを全アカウントに少しずつ試す手口で、"
                    "ロックされにくく、弱いパスワードの人が一人でもいれば破られます。"},
        .action = {"If {src} is a PC in the office, disconnect it and have it checked. "
                   "Ask everyone whose account was tried to change to a long, unique "
                   "password, and check the server's log for logins that worked.",
                   "{src} が社内のパソコンであれば、ネットワークから切り離して検査して"
                   "ください。試されたアカウントの利用者には長く使い回しのないパスワードへ"
                   "変更してもらい、サーバーのログで成功したログインがないか確認して"
                   "ください。"},
    },
    /* a login worked after the guessing */
    {
        .id = "bruteforce/success",
        .title = {"Password guessing on {dst} ({service}) was followed by a login",
                  "{dst} へのパスワード総当たりの後にログインが成功しました（{service}）"},
        .explain = {"{src} tried to log in to {service} on {dst} {attempts} times in "
                    "{seconds} seconds ({failures} refused or cut short)"
                    "[[, with {users} user names such as {user_names}]], and then a login "
                    "from the same address worked. The guessing has probably found a "
                    "password: someone may now be inside that system.",
                    "{src} が {dst} の {service} に {seconds} 秒間で {attempts} 回"
                    "ログインを試み（うち {failures} 回は失敗または途中で切断）"
                    "[[、ユーザー名は {users} 種類（{user_names} など）]]、その後同じ"
                    "アドレスからのログインが成功しました。パスワードが破られ、"
                    "第三者がシステムに入り込んだおそれがあります。"},
        .action = {"Act today: change the passwords of the accounts on {dst} (first those "
                   "named here), end open sessions, and block {src} on the router. Check "
                   "{dst} for new accounts, files or programs you do not recognise; if you "
                   "find any, ask your IT vendor for help.",
                   "本日中に対応してください。{dst} のアカウントのパスワード（まず"
                   "ここに挙がったもの）を変更し、接続中のセッションを切断して、ルーターで "
                   "{src} を遮断してください。{dst} に見覚えのないアカウント、ファイル、"
                   "プログラムがないか確認し、見つかった場合は IT 業者に相談してください。"},
    },

    /* --- spam.burst (det-spam.c) --- */
    {
        .id = "spam.burst",
        .title = {"{device} is sending mail in bulk", "{device} が大量のメールを送信しています"},
        .explain = {"{device} opened {sessions} mail (SMTP) connections to {servers} different "
                    "mail servers within {window} seconds (ports {ports})"
                    "[[, for {recipients} recipients]][[, after looking up the mail servers "
                    "of {mx}]]. Office PCs send mail through one server; delivering straight "
                    "to many is what spam viruses such as Emotet do, often mailing your "
                    "partners in your firm's name. Your address may end up on blocklists "
                    "and your own mail stop arriving.",
                    "{device} が {window} 秒間に {servers} 台のメールサーバーへ {sessions} 回の"
                    "メール送信（SMTP）接続を行いました（ポート {ports}）"
                    "[[。宛先は {recipients} 件です]][[。送信前に {mx} などのメールサーバーを"
                    "調べています]]。通常のパソコンは決まった1台のサーバー経由でメールを"
                    "送ります。多数のサーバーへ直接送るのは Emotet などのウイルスの特徴で、"
                    "取引先へ御社の名前で迷惑メールを送ることがあります。御社のアドレスが"
                    "ブラックリストに載り、正規のメールが届かなくなるおそれもあります。"},
        .action = {"Disconnect {device} from the network now and have it checked for "
                   "viruses. Change the mail passwords used on it. Warn your partners not to "
                   "open unexpected mail that seems to come from you.",
                   "{device} を今すぐネットワークから切り離し、ウイルス検査をしてください。"
                   "そのパソコンで使っていたメールのパスワードを変更し、取引先には御社を"
                   "名乗る不審なメールを開かないよう連絡してください。"},
    },
    /* the host is itself a mail server (limits raised) */
    {
        .id = "spam.burst/mailserver",
        .title = {"Mail server {device} is sending unusually much mail",
                  "メールサーバー {device} が普段より大量のメールを送信しています"},
        .explain = {"The mail server {device} opened {sessions} connections to {servers} "
                    "different mail servers within {window} seconds (ports {ports})"
                    "[[, for {recipients} recipients]], far more than an office sends. An "
                    "account whose password was stolen, or an open relay, lets criminals "
                    "send spam through your server; it then gets blocklisted and your own "
                    "mail stops arriving.",
                    "メールサーバー {device} が {window} 秒間に {servers} 台のメールサーバーへ"
                    " {sessions} 回の接続を行いました（ポート {ports}）"
                    "[[。宛先は {recipients} 件です]]。通常の業務量を大きく超えています。"
                    "パスワードを盗まれたアカウントや、誰でも中継できる設定（オープン"
                    "リレー）があると、サーバーが迷惑メールの送信に使われ、ブラックリストに"
                    "載って正規のメールが届かなくなります。"},
        .action = {"Look at the server's mail queue and log: which account or PC is "
                   "sending. Change that account's password and ask whoever maintains the "
                   "server to check its relay settings.",
                   "サーバーの送信キューとログで、どのアカウントやパソコンが送信しているか"
                   "確認してください。該当アカウントのパスワードを変更し、サーバーの管理者"
                   "に中継設定の確認を依頼してください。"},
    },
    {.id = NULL},
};

/* texts-web.c - explanation texts of the web detectors (explain.h says how
 * they are rendered, explain-texts.c has the writing rules).
 *
 * web.attack (det-web-attack.c); {src} is the client, {count} the requests
 * of that kind. Facts: site (the Host name, else the server address; absent
 * for an access log read without --site), requests (all of the client's
 * requests that day when raised), failures, paths (up to three examples),
 * path (the one that matters), statuses ("404 x25, 200 x3"), user_agent,
 * sources (card_slow). The server is the device ({device}) only in the
 * sensor's case, so the texts name the site instead.
 */
#include "detect/explain.h"
#include "util/util.h"

const struct alert_text alert_texts_web[] = {
    /* facts: site, requests, paths, statuses */
    {
        .id = "web.attack",
        .title = {"Attack on your web site from {src}", "Webサイトへの攻撃: {src} から"},
        .explain = {"{src} sent {count} suspicious requests to your web site[[ {site}]]"
                    "[[ (for example {paths})]][[; answers: {statuses}]]. "
                    "Attacks on web sites are how shops lose customer data and get their "
                    "pages replaced.",
                    "{src} からWebサイト[[ {site}]]に不審なリクエストが {count} 件ありました"
                    "[[（例: {paths}）]][[。応答: {statuses}]]。"
                    "Webサイトへの攻撃は、顧客情報の流出やページの改ざんにつながります。"},
        .action = {"Ask whoever runs the site (your web company or hosting provider) to look "
                   "at the server's logs for {src} around {first}, and keep the site's "
                   "software up to date.",
                   "Webサイトの管理者（制作会社やレンタルサーバー事業者）に、{first}ごろの "
                   "{src} からのアクセスをサーバーのログで確認してもらってください。"
                   "サイトのソフトウェアも最新の状態に保ってください。"},
    },
    /* facts: site, failures, paths, statuses, user_agent */
    {
        .id = "web.attack/scan",
        .title = {"Vulnerability scan of your web site from {src}",
                  "Webサイトへの脆弱性スキャン: {src} から"},
        .explain = {"{src} probed your web site[[ {site}]] for known weak spots: {count} "
                    "requests for files and pages that attackers look for[[, such as {paths}]]"
                    "[[; answers: {statuses}]][[; program: {user_agent}]]. "
                    "Tools on the Internet do this to every site every day, so this alone is "
                    "not a break-in; it matters if something they asked for was there.",
                    "{src} がWebサイト[[ {site}]]の弱点を探していました。攻撃者が狙うファイルや"
                    "ページへのリクエストが {count} 件ありました[[（例: {paths}）]]"
                    "[[。応答: {statuses}]][[。使われたプログラム: {user_agent}]]。"
                    "インターネット上ではこうした調査がどのサイトにも毎日行われているため、"
                    "これだけで侵入されたわけではありません。問題になるのは、探されたものが"
                    "実際にサイトにあった場合です。"},
        .action = {"No action is needed today if your site's software (WordPress, plugins, "
                   "EC-CUBE) is up to date. If this happens every day, ask your web company to "
                   "block {src} or put the site behind a web application firewall (WAF).",
                   "サイトのソフトウェア（WordPress、プラグイン、EC-CUBE など）が最新であれば、"
                   "今日すぐに対応する必要はありません。毎日続くようであれば、制作会社に "
                   "{src} の遮断や、WAF（Webアプリケーションファイアウォール）の導入を"
                   "相談してください。"},
    },
    /* facts: site, path, paths */
    {
        .id = "web.attack/exposed",
        .title = {"Scanner found an admin or test page on your web site",
                  "スキャンで管理画面やテスト用ページが見つかりました"},
        .explain = {"{src} was scanning your web site[[ {site}]] and the page {path} answered "
                    "with content. Admin tools (phpMyAdmin, server status, test pages) left "
                    "open on the Internet are a common way in: the attacker now knows it is "
                    "there and will try passwords and known flaws on it.",
                    "{src} がWebサイト[[ {site}]]を調査し、{path} が実際に応答しました。"
                    "インターネットから見える状態の管理ツール（phpMyAdmin、サーバー状態ページ、"
                    "テスト用ページなど）はよく侵入口になります。攻撃者はその存在を知ったので、"
                    "今後パスワードの総当たりや既知の弱点を試してくる可能性があります。"},
        .action = {"Ask your web company whether {path} needs to be reachable from the "
                   "Internet. If not, remove it or allow it only from the office; if it does, "
                   "make sure it has a strong password and is up to date.",
                   "{path} をインターネットから見られる必要があるか、制作会社に確認してください。"
                   "不要なら削除するか社内からだけ見られるようにし、必要なら強いパスワードを"
                   "設定して最新の状態にしてください。"},
    },
    /* facts: site, path */
    {
        .id = "web.attack/leak",
        .title = {"Secret file on your web site was downloaded by {src}",
                  "Webサイトの秘密のファイルが {src} に取得されました"},
        .explain = {"{src} asked your web site[[ {site}]] for {path} and got it. Files like "
                    "this (.env, .git, configuration backups, database dumps) usually hold "
                    "database and mail passwords or API keys: assume they are now known to an "
                    "attacker. Shops have lost their customer database this way.",
                    "{src} がWebサイト[[ {site}]]から {path} を取得しました。"
                    "このようなファイル（.env、.git、設定ファイルのバックアップ、データベースの"
                    "書き出しなど）には、データベースやメールのパスワード、APIキーが含まれている"
                    "ことが多く、攻撃者に知られたと考えるべきです。実際にこの方法で顧客データを"
                    "盗まれたショップがあります。"},
        .action = {"Today: have your web company remove the file from the site, then change "
                   "every password and key it contained (database, mail, payment service). "
                   "Check the server for other files that should not be public.",
                   "今日中に、制作会社にファイルをサイトから削除してもらい、そのファイルに"
                   "含まれていたパスワードやキー（データベース、メール、決済サービスなど）を"
                   "すべて変更してください。公開されるべきでないファイルが他にないかも"
                   "確認してください。"},
    },
    /* facts: site, failures, paths, user_agent */
    {
        .id = "web.attack/login",
        .title = {"Password guessing on your web site's login page from {src}",
                  "Webサイトのログイン画面でパスワードの総当たり: {src} から"},
        .explain = {"{src} tried to log in to your web site[[ {site}]] {count} times"
                    "[[ through {paths}]][[, {failures} of them rejected]]. This is a program "
                    "guessing the admin password; with a weak or reused password it gets in "
                    "and can change pages, add malware or read customer data.",
                    "{src} がWebサイト[[ {site}]]に {count} 回ログインを試みました"
                    "[[（{paths}）]][[。うち {failures} 回は失敗しています]]。"
                    "プログラムで管理者パスワードを推測する攻撃です。弱いパスワードや"
                    "使い回しのパスワードだと侵入され、ページの改ざん、ウイルスの埋め込み、"
                    "顧客情報の閲覧をされるおそれがあります。"},
        .action = {"Make sure every admin account of the site has a long, unique password and, "
                   "if possible, two-step login. Ask your web company to limit login attempts "
                   "and to block {src}.",
                   "サイトの管理者アカウントすべてに、長く使い回していないパスワードを設定し、"
                   "できれば2段階認証を有効にしてください。ログイン試行回数の制限と {src} の"
                   "遮断を制作会社に依頼してください。"},
    },
    /* facts: site, failures, paths */
    {
        .id = "web.attack/login_success",
        .title = {"Login to your web site succeeded after many wrong passwords",
                  "パスワードの失敗が続いた後、Webサイトへのログインが成功しました"},
        .explain = {"{src} failed to log in to your web site[[ {site}]][[ {failures} times]] "
                    "and then got in[[ ({paths})]]. Unless this was a staff member who forgot "
                    "the password, an attacker guessed it and now controls the site: pages can "
                    "be changed and customer data read.",
                    "{src} がWebサイト[[ {site}]]へのログインに[[ {failures} 回]]失敗した後、"
                    "ログインに成功しました[[（{paths}）]]。社員がパスワードを忘れていただけで"
                    "なければ、攻撃者がパスワードを当ててサイトを操作できる状態です。"
                    "ページの改ざんや顧客情報の閲覧が可能になっています。"},
        .action = {"Ask your staff whether someone logged in around {first}. If nobody did: "
                   "change all admin passwords now, remove admin accounts you do not know, "
                   "and have your web company check the site for changed files.",
                   "{first}ごろにログインした社員がいないか確認してください。心当たりがなければ、"
                   "すぐに管理者パスワードをすべて変更し、知らない管理者アカウントを削除して、"
                   "改ざんされたファイルがないか制作会社に調べてもらってください。"},
    },
    /* facts: site, failures, paths, user_agent */
    {
        .id = "web.attack/card",
        .title = {"Card testing on your web shop from {src}",
                  "ネットショップでクレジットカードの不正試行: {src} から"},
        .explain = {"{src} sent {count} payment requests to your shop[[ {site}]][[ ({paths})]]"
                    "[[, {failures} of them refused]]. This is card testing: criminals check "
                    "which stolen card numbers still work by making small payments. The shop "
                    "pays fees for every attempt and chargeback, and the card company may end "
                    "the shop's payment contract.",
                    "{src} からショップ[[ {site}]]に決済のリクエストが {count} 件ありました"
                    "[[（{paths}）]][[。うち {failures} 件は拒否されています]]。"
                    "盗んだカード番号が使えるかを少額の決済で確かめる「クレジットマスター」"
                    "などの不正です。ショップは試行やチャージバックのたびに手数料を負担し、"
                    "カード会社から決済契約を止められることもあります。"},
        .action = {"Today: tell your payment provider, and ask your web company to block {src} "
                   "and add a CAPTCHA and a limit on payment attempts. Check recent orders for "
                   "small amounts you do not recognize and do not ship them.",
                   "今日中に決済代行会社へ連絡し、制作会社に {src} の遮断、CAPTCHA（画像認証）"
                   "の追加、決済試行回数の制限を依頼してください。心当たりのない少額の注文が"
                   "ないか確認し、あれば発送しないでください。"},
    },
    /* facts: site, sources, failures, paths */
    {
        .id = "web.attack/card_slow",
        .title = {"Card testing on your web shop from many addresses",
                  "ネットショップで多数のアドレスからクレジットカードの不正試行"},
        .explain = {"Your shop[[ {site}]] got {count} payment requests that were refused or "
                    "came without any visit to the shop first[[, from {sources} different "
                    "addresses]][[ ({paths})]]. Card testers spread their attempts over many "
                    "addresses and hours so that each one looks harmless. The shop pays fees "
                    "for every attempt and may lose its payment contract.",
                    "ショップ[[ {site}]]に、拒否された、またはショップのページを見ずにいきなり"
                    "送られた決済のリクエストが {count} 件ありました[[（{sources} 個の異なる"
                    "アドレスから）]][[（{paths}）]]。カードの不正試行では、1件ずつが目立たない"
                    "ように多数のアドレスと長い時間に分けて送られます。ショップは試行の"
                    "たびに手数料を負担し、決済契約を止められることもあります。"},
        .action = {"Tell your payment provider today and ask your web company to add a CAPTCHA "
                   "and a limit on payment attempts. Check recent orders for small amounts you "
                   "do not recognize and do not ship them.",
                   "今日中に決済代行会社へ連絡し、制作会社にCAPTCHA（画像認証）と決済試行回数の"
                   "制限の追加を依頼してください。心当たりのない少額の注文がないか確認し、"
                   "あれば発送しないでください。"},
    },
    /* facts: site, path */
    {
        .id = "web.attack/webshell",
        .title = {"Possible backdoor program on your web site",
                  "Webサイトに裏口プログラムが置かれた可能性があります"},
        .explain = {"{src} ran or uploaded the program {path} on your web site[[ {site}]], "
                    "in a place meant for pictures and uploads, and the server accepted it. "
                    "Attackers put such a \"web shell\" on a site to control it: to replace "
                    "pages, send spam or steal customer data.",
                    "{src} がWebサイト[[ {site}]]の画像やアップロード用の場所にあるプログラム "
                    "{path} を実行、またはアップロードし、サーバーが受け付けました。"
                    "攻撃者はこのような「Webシェル」を置いてサイトを操り、ページの改ざん、"
                    "迷惑メールの送信、顧客情報の窃取を行います。"},
        .action = {"Today: ask your web company to check {path} and the upload folders for "
                   "files nobody put there, restore the site from a clean backup if they find "
                   "any, and change all admin and server passwords.",
                   "今日中に、{path} とアップロード用フォルダに身に覚えのないファイルがないか"
                   "制作会社に確認してもらい、見つかった場合は安全なバックアップから復元し、"
                   "管理者とサーバーのパスワードをすべて変更してください。"},
    },
    {.id = NULL},
};

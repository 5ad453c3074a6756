/* mail-intel.c - the message's URLs, link hosts and sender domains against
 * the threat lists the sensor uses (src/intel: JPCERT/CC phishing URLs,
 * URLhaus, OpenPhish, domain lists...; `mamori intel add` fills the
 * directory, --intel loads it).
 *
 * A listed URL or domain is decisive on its own (60): someone already saw it
 * serve phishing or malware. A link host that only appears as the host of
 * some listed URL is weaker (30): free hosting and URL shorteners carry
 * honest pages beside the bad one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"
#include "mail/mail.h"
#include "util/netaddr.h"

#include "util/util.h"

const struct mail_reason_def mail_texts_intel[] = {
    {"intel.url",
     "A link in this mail is on a threat list of known phishing or malware addresses.",
     "このメールのリンクは、既知のフィッシング・ウイルス配布サイトとして脅威リストに登録されています。"},
    {"intel.link_domain",
     "A link in this mail leads to a domain on a threat list.",
     "このメールのリンク先ドメインは脅威リストに登録されています。"},
    {"intel.link_host",
     "A link in this mail leads to a site that has hosted listed phishing or malware pages.",
     "このメールのリンク先サイトでは、過去にフィッシングやウイルス配布のページが確認されています。"},
    {"intel.link_ip",
     "A link in this mail points to an IP address on a threat list.",
     "このメールのリンク先IPアドレスは脅威リストに登録されています。"},
    {"intel.sender_domain",
     "The sender's domain is on a threat list.",
     "送信元のドメインは脅威リストに登録されています。"},
    {NULL, NULL, NULL},
};

struct intel_db *mail_intel_open(const char *dir, const char **err)
{
    static char msg[256];
    struct intel_db *db = intel_db_new();
    char e[200];
    int n = intel_store_load(db, dir, INTEL_IPSUM_MIN_DEFAULT, true, e, sizeof e);
    if (n < 0) {
        snprintf(msg, sizeof msg, "%s", e);
        *err = msg;
        intel_db_free(db);
        return NULL;
    }
    if (n == 0) {
        snprintf(msg, sizeof msg, "%s: no threat lists (add some with `mamori intel add`)", dir);
        *err = msg;
        intel_db_free(db);
        return NULL;
    }
    return db;
}

static const char *note_of(const struct intel_match *im)
{
    return im->note && *im->note ? im->note : "";
}

#define MAX_INTEL_REASONS 4

void mail_check_intel(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r)
{
    const struct intel_db *db = ctx->intel;
    if (!db)
        return;
    unsigned n = 0;
    struct intel_match im;
    /* Sender domains first: From, then the addresses replies and bounces go to. */
    const struct mail_addr *addrs[] = {&m->from, &m->reply_to, &m->return_path, &m->sender};
    const char *roles[] = {"From", "Reply-To", "Return-Path", "Sender"};
    for (size_t i = 0; i < ARRAY_SIZE(addrs) && n < MAX_INTEL_REASONS; i++) {
        const char *d = addrs[i]->domain;
        bool dup = false;
        for (size_t k = 0; k < i; k++)
            dup |= addrs[k]->domain && d && strcasecmp(addrs[k]->domain, d) == 0;
        if (!d || dup || !intel_match_domain(db, d, &im))
            continue;
        mail_reason_add(r, "intel.sender_domain", 60, "%s %s on list %s (%s)%s%s", roles[i], d, im.list,
                        im.entry, *note_of(&im) ? ": " : "", note_of(&im));
        n++;
    }
    /* Links: the URL itself, then its domain, then its host as the host of
     * a listed URL; IP literals against the address lists. One reason per
     * link, a few at most. */
    for (size_t i = 0; i < m->nlinks && n < MAX_INTEL_REASONS; i++) {
        const struct mail_link *l = &m->links[i];
        if (!l->href)
            continue;
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = m->links[k].host && l->host && strcmp(m->links[k].host, l->host) == 0 &&
                  m->links[k].href && strcmp(m->links[k].href, l->href) == 0;
        if (dup)
            continue;
        if (intel_match_url(db, l->href, &im)) {
            mail_reason_add(r, "intel.url", 60, "%.200s on list %s%s%s", l->href, im.list,
                            *note_of(&im) ? ": " : "", note_of(&im));
            n++;
            continue;
        }
        if (!l->host)
            continue;
        char h[256];
        if (!mail_host_norm(l->host, h, sizeof h))
            continue;
        if (mail_host_is_ip(h)) {
            struct ip_addr a;
            char bare[64];
            size_t hl = strlen(h);
            if (h[0] == '[' && hl >= 2 && hl - 2 < sizeof bare) {
                memcpy(bare, h + 1, hl - 2);
                bare[hl - 2] = '\0';
            } else if (hl < sizeof bare) {
                memcpy(bare, h, hl + 1);
            } else
                continue;
            if (ip_addr_parse(bare, &a) == 0 && intel_match_ip(db, &a, &im)) {
                mail_reason_add(r, "intel.link_ip", 60, "link to %s on list %s (%s)%s%s", h, im.list, im.entry,
                                *note_of(&im) ? ": " : "", note_of(&im));
                n++;
            }
            continue;
        }
        if (intel_match_domain(db, h, &im)) {
            mail_reason_add(r, "intel.link_domain", 60, "link host %s on list %s (%s)%s%s", h, im.list,
                            im.entry, *note_of(&im) ? ": " : "", note_of(&im));
            n++;
        } else if (intel_match_url_host(db, h, &im)) {
            mail_reason_add(r, "intel.link_host", 30, "link host %s: listed URL %s on %s", h, im.entry, im.list);
            n++;
        }
    }
}

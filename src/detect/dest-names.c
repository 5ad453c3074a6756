/* dest-names.c - the name a connection's outside end was reached by
 * (behaviour.h), learnt once by the detection stage for every detector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/behaviour.h"
#include "detect/track.h"
#include "util/netaddr.h"
#include "util/util.h"

struct dn_flow_val {
    char name[DEST_NAME_LEN];
    unsigned flags;
};

struct dn_ip_val {
    char name[DEST_NAME_LEN];
};

struct dest_names {
    struct track *flows; /* flow id -> name from the flow's own TLS/HTTP */
    struct track *ips;   /* address -> name a DNS answer gave it */
};

struct dest_names *dest_names_new(uint32_t max_flows, uint32_t max_ips)
{
    struct dest_names *n = xcalloc(1, sizeof(*n));
    n->flows = track_new(sizeof(uint64_t), sizeof(struct dn_flow_val), max_flows);
    n->ips = track_new(sizeof(struct ip_addr), sizeof(struct dn_ip_val), max_ips);
    return n;
}

void dest_names_free(struct dest_names *n)
{
    if (!n)
        return;
    track_free(n->flows);
    track_free(n->ips);
    free(n);
}

/* Copies a host name in lower case without a trailing dot or ":port".
 * Returns false for what is not a name: empty, an address, odd bytes. A
 * name too long keeps its end (the registered domain). */
static bool dn_clean(const char *in, size_t len, char out[DEST_NAME_LEN])
{
    if (len > 0 && in[0] == '[')
        return false; /* [v6]:port */
    const char *colon = memchr(in, ':', len);
    if (colon) {
        if (memchr(colon + 1, ':', len - (size_t)(colon + 1 - in)))
            return false; /* a bare IPv6 address */
        len = (size_t)(colon - in);
    }
    while (len > 0 && in[len - 1] == '.')
        len--;
    if (len == 0 || len > 253)
        return false;
    if (len >= DEST_NAME_LEN) {
        in += len - (DEST_NAME_LEN - 1);
        len = DEST_NAME_LEN - 1;
    }
    bool alpha = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z')
            alpha = true;
        else if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            return false;
        out[i] = (char)c;
    }
    out[len] = '\0';
    struct ip_addr tmp;
    if (!alpha && ip_addr_parse(out, &tmp) == 0)
        return false;
    return true;
}

static void dn_flow_set(struct dest_names *n, const struct app_event *ev, const char *name,
                        size_t len, unsigned flags)
{
    char clean[DEST_NAME_LEN];
    bool have = name && dn_clean(name, len, clean);
    if (!have && !(flags & DEST_SELF_SIGNED))
        return;
    uint64_t id = ev->f->id;
    struct dn_flow_val *v = track_get(n->flows, &id, ev->ts_us, NULL);
    if (have && !v->name[0]) {
        memcpy(v->name, clean, sizeof(v->name));
        v->flags |= flags & (DEST_NAME_SNI | DEST_NAME_HTTP);
    }
    v->flags |= flags & DEST_SELF_SIGNED;
}

static void dn_dns(struct dest_names *n, const struct app_event *ev)
{
    const json_t *b = ev->body;
    if (!json_is_object(b) || strcmp(ev->app_proto ? ev->app_proto : "", "dns") != 0)
        return;
    const char *type = json_string_value(json_object_get(b, "type"));
    const char *qname = json_string_value(json_object_get(b, "rrname"));
    const json_t *answers = json_object_get(b, "answers");
    if (!type || strcmp(type, "answer") != 0 || !qname || !json_is_array(answers))
        return;
    char clean[DEST_NAME_LEN];
    if (!dn_clean(qname, strlen(qname), clean))
        return;
    size_t na = json_array_size(answers);
    for (size_t i = 0; i < na && i < 32; i++) {
        const json_t *a = json_array_get(answers, i);
        const char *rt = json_string_value(json_object_get(a, "rrtype"));
        const char *rd = json_string_value(json_object_get(a, "rdata"));
        if (!rt || !rd || (strcmp(rt, "A") != 0 && strcmp(rt, "AAAA") != 0))
            continue;
        struct ip_addr ip;
        if (ip_addr_parse(rd, &ip) != 0)
            continue;
        struct dn_ip_val *v = track_get(n->ips, &ip, ev->ts_us, NULL);
        memcpy(v->name, clean, sizeof(v->name));
    }
}

void dest_names_app_event(struct dest_names *n, const struct app_event *ev)
{
    if (!ev->type || !ev->f)
        return;
    if (strcmp(ev->type, "tls") == 0) {
        const char *sni = json_string_value(json_object_get(ev->body, "sni"));
        unsigned flags = DEST_NAME_SNI;
        if (json_is_true(json_object_get(ev->extra, "self_signed")))
            flags |= DEST_SELF_SIGNED;
        dn_flow_set(n, ev, sni, sni ? strlen(sni) : 0, flags);
    } else if (strcmp(ev->type, "http") == 0) {
        const char *host = json_string_value(json_object_get(ev->body, "hostname"));
        if (host)
            dn_flow_set(n, ev, host, strlen(host), DEST_NAME_HTTP);
    } else if (strcmp(ev->type, "dns") == 0) {
        dn_dns(n, ev);
    }
}

void dest_names_flow(struct dest_names *n, const struct flow *f, char *out, size_t outlen,
                     unsigned *flags)
{
    *flags = 0;
    out[0] = '\0';
    uint64_t id = f->id;
    struct dn_flow_val *v = track_find(n->flows, &id);
    if (v) {
        snprintf(out, outlen, "%s", v->name);
        *flags = v->flags;
        track_del(n->flows, &id);
    }
    if (out[0])
        return;
    const struct dn_ip_val *iv = track_find(n->ips, &f->dst);
    if (iv && iv->name[0]) {
        snprintf(out, outlen, "%s", iv->name);
        *flags |= DEST_NAME_DNS;
    }
}

void dest_names_expire(struct dest_names *n, uint64_t before_us)
{
    track_expire(n->flows, before_us, NULL, NULL);
    track_expire(n->ips, before_us, NULL, NULL);
}

/* fuzz-proto-dns.c - dns_parse() over the input as one DNS message, then the
 * input as a DNS-over-TCP stream through dns_tcp_framer in pieces of 1-7
 * bytes (sizes from the input), each framed message parsed too. NetBIOS
 * decoding runs on the question name. Checks what proto-dns.h promises:
 * return values, counts within caps (questions, answers, authorities), every
 * text field NUL-terminated. */
#include "fuzz.h"
#include "proto/proto-dns.h"
#include "util/util.h"

static void fuzz_dns_check_text(const char *s, size_t cap, const char *what)
{
    if (!memchr(s, '\0', cap))
        fuzz_fail(what);
}

static void fuzz_dns_parse_one(const uint8_t *data, uint32_t len)
{
    static struct dns_msg m;
    struct dns_anomalies an;
    char nb[70];

    memset(&an, 0, sizeof(an));
    int rc = dns_parse(data, len, &m, &an);
    if (rc != DNS_OK && rc != DNS_ERR_SHORT && rc != DNS_ERR_PARTIAL)
        fuzz_fail("dns_parse returned an undocumented value");
    if (rc == DNS_ERR_SHORT && len >= 12)
        fuzz_fail("DNS_ERR_SHORT with a full header");
    if (rc < 0) {
        uint32_t total = 0;
        for (unsigned i = 0; i < DNS_AN_MAX; i++)
            total += an.count[i];
        if (total == 0)
            fuzz_fail("dns_parse failed without an anomaly");
    }
    if (rc == DNS_ERR_SHORT)
        return;
    if (m.answer_count > DNS_MAX_ANSWERS || m.answer_count > m.answers_parsed ||
        m.answers_parsed > m.ancount || m.authority_parsed > m.nscount ||
        m.additional_parsed > m.arcount)
        fuzz_fail("record counts out of range");
    if (m.question_count > DNS_MAX_QUESTIONS || m.question_count > m.qdcount ||
        m.has_question != (m.question_count > 0) || m.authority_count > DNS_MAX_AUTHORITIES ||
        m.authority_count > m.authority_parsed)
        fuzz_fail("question or authority counts out of range");
    fuzz_dns_check_text(m.qname, sizeof(m.qname), "qname not terminated");
    if (m.has_question && strcmp(m.qname, m.questions[0].name) != 0)
        fuzz_fail("qname is not the first question");
    for (unsigned i = 0; i < m.question_count; i++)
        fuzz_dns_check_text(m.questions[i].name, sizeof(m.questions[i].name), "question name");
    for (unsigned i = 0; i < m.answer_count + m.authority_count; i++) {
        const struct dns_rr *rr =
            i < m.answer_count ? &m.answers[i] : &m.authorities[i - m.answer_count];
        fuzz_dns_check_text(rr->name, sizeof(rr->name), "rr name");
        fuzz_dns_check_text(rr->rdata, sizeof(rr->rdata), "rr rdata");
        /* The EVE "soa" object splits rdata into words: two names, a serial. */
        if (rr->soa_ok && (rr->type != DNS_TYPE_SOA || !strchr(rr->rdata, ' ')))
            fuzz_fail("soa_ok on a record that is not a whole SOA");
    }
    if (m.has_question && dns_nbns_name_decode(m.qname, nb, sizeof(nb)) == 0)
        fuzz_dns_check_text(nb, sizeof(nb), "nbns name");
}

static void fuzz_dns_on_msg(const uint8_t *msg, uint32_t len, void *user)
{
    (void)user;
    fuzz_dns_parse_one(msg, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dns_tcp_framer f;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    fuzz_dns_parse_one(data, (uint32_t)size);

    dns_tcp_framer_init(&f, fuzz_dns_on_msg, NULL);
    for (size_t off = 0; off < size;) {
        size_t piece = MIN((size_t)(data[off] % 7u) + 1u, size - off);
        dns_tcp_framer_feed(&f, data + off, (uint32_t)piece);
        off += piece;
    }
    dns_tcp_framer_release(&f);
    return 0;
}

/* mail-html.h - what a person sees in an HTML mail, and the links in it.
 *
 * A bounded, single-pass tag scanner (not a full HTML parser): it never
 * builds a tree, so hostile nesting costs nothing, and its output is only
 * what the checks need: visible text, <a href> with its text, <form> count.
 */
#ifndef MAMORI_MAIL_HTML_H
#define MAMORI_MAIL_HTML_H

#include <stdbool.h>
#include <stddef.h>

struct mail_link;

struct mail_html_out {
    char *text;              /* visible text, entities decoded, UTF-8 (caller frees) */
    struct mail_link *links; /* <a href> (caller frees each field and the array) */
    size_t nlinks;
    size_t nforms;
    bool truncated;          /* MAIL_MAX_LINKS reached */
};

/* Scans len bytes of UTF-8 HTML. Never fails. */
void mail_html_extract(const char *html, size_t len, struct mail_html_out *out);
/* Appends the http(s):// and www. URLs written in plain text to *links
 * (at most MAIL_MAX_LINKS in all). */
void mail_text_links(const char *text, struct mail_link **links, size_t *nlinks);
/* Appends the http(s) links of a PDF's link annotations ("/URI (...)" in
 * uncompressed objects) found in d[0..n) to *links, marked in_attachment
 * (at most MAIL_MAX_LINKS in all; each URL at most 2 KiB). */
void mail_pdf_links(const unsigned char *d, size_t n, struct mail_link **links, size_t *nlinks);
/* Lower-case host of a URL ("https://User@Host.example:8080/x" ->
 * "host.example", "www.example.com/x" -> "www.example.com"), or NULL.
 * Caller frees. */
char *mail_url_host(const char *href);
/* Decodes HTML character references in [s, s+n) into sb (UTF-8). */
struct strbuf;
void mail_html_unescape(struct strbuf *sb, const char *s, size_t n);

#endif

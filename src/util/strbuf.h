/* strbuf.h - a growable string for building text, JSON-free HTML, SVG and
 * messages. Appends never fail (allocation dies on real OOM, like xmalloc).
 *
 *   struct strbuf sb = STRBUF_INIT;
 *   sb_printf(&sb, "<p>%d</p>", n);
 *   sb_html(&sb, untrusted);         // escaped for element text and attributes
 *   fputs(sb.s, f); sb_free(&sb);
 */
#ifndef MAMORI_STRBUF_H
#define MAMORI_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *s;    /* always NUL-terminated once anything was appended; NULL before */
    size_t len;
    size_t cap;
};

#define STRBUF_INIT {NULL, 0, 0}

void sb_putn(struct strbuf *sb, const char *p, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
/* Appends item to a ", "-separated list ("scan.min_ports, net.home"). */
void sb_list_add(struct strbuf *sb, const char *item);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped for HTML/XML text and quoted attribute values
 * (& < > " '). NULL appends nothing. */
void sb_html(struct strbuf *sb, const char *s);
/* The text so far ("" if empty); stays owned by sb. */
const char *sb_str(const struct strbuf *sb);
/* Takes the string out (caller frees); sb is empty afterwards. */
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);

#endif

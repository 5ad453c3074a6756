/* app-util.c - small helpers every parser needs: JSON text from untrusted
 * bytes, and a line collector for text protocols. */
#include <stdio.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "app/app.h"
#include "decode/decode.h"
#include "util/util.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid.
 * Overlongs, surrogates and code points past U+10FFFF are invalid
 * (RFC 3629 section 4). */
static size_t app_utf8_len(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    size_t need;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return need;
}

/* Copies the printable ASCII bytes (0x20-0x7e) at the start of s[0..n) to
 * o and returns how many there are; 16 at a time with SSE2 (every x86-64
 * has it). It may write past the returned count, never past o[n - 1]. */
static size_t app_copy_printable(char *o, const uint8_t *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i lo = _mm_set1_epi8(0x1f), hi = _mm_set1_epi8(0x7f);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        _mm_storeu_si128((__m128i *)(void *)(o + i), v);
        /* Signed compares: bytes >= 0x80 are negative and fail "> 0x1f". */
        __m128i ok = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi));
        unsigned m = ~(unsigned)_mm_movemask_epi8(ok) & 0xffffu;
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i < n && s[i] >= 0x20 && s[i] < 0x7f; i++)
        o[i] = (char)s[i];
    return i;
}

json_t *app_json_str(const uint8_t *s, size_t len, size_t max)
{
    if (len > max)
        len = max;
    /* Worst case every byte becomes "\xNN". */
    char stackbuf[512];
    stackbuf[0] = '\0';
    size_t cap = len * 4 + 1;
    char *out = cap <= sizeof(stackbuf) ? stackbuf : xmalloc(cap);
    size_t o = 0;
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len;) {
        /* Printable ASCII, nearly every byte of a name or header, needs no
         * UTF-8 decoding. The byte after the run is taken below whatever it
         * is, so each turn moves on. */
        size_t k = app_copy_printable(out + o, s + i, len - i);
        o += k;
        i += k;
        if (i == len)
            break;
        size_t n = s[i] >= 0x20 && s[i] != 0x7f ? app_utf8_len(s + i, len - i) : 0;
        if (n == 0) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[s[i] >> 4];
            out[o++] = hex[s[i] & 15];
            i++;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        }
    }
    json_t *j = json_stringn_nocheck(out, o);
    if (out != stackbuf)
        free(out);
    if (!j)
        die("out of memory");
    return j;
}

json_t *app_json_cstr(const char *s)
{
    return app_json_str((const uint8_t *)s, strlen(s), SIZE_MAX / 8);
}

void app_json_set_bytes(json_t *obj, const char *key, const uint8_t *s, size_t len, size_t max)
{
    json_object_set_new_nocheck(obj, key, app_json_str(s, len, max));
}

json_t *app_json_ip(const struct ip_addr *a)
{
    char buf[IP_ADDR_TEXT_MAX];
    ip_addr_fmt(a, buf, sizeof(buf));
    return json_string_nocheck(buf);
}

bool app_line_take(struct app_line *lb, const uint8_t **data, uint32_t *len)
{
    if (lb->max == 0)
        lb->max = 1024;
    const uint8_t *p = *data;
    uint32_t n = *len;
    const uint8_t *nl = n ? memchr(p, '\n', n) : NULL;
    uint32_t take = nl ? (uint32_t)(nl - p) + 1 : n;
    uint32_t body = nl ? take - 1 : take;
    uint32_t room = lb->max - lb->len;
    if (body > room) {
        lb->overlong = true;
        body = room;
    }
    /* Always a buffer once a line is taken, even an empty one: callers do
     * pointer arithmetic on lb->buf. */
    if (lb->len + body > lb->cap || !lb->buf) {
        uint32_t cap = lb->cap ? lb->cap : 128;
        while (cap < lb->len + body)
            cap *= 2;
        cap = MIN(cap, lb->max);
        /* Not realloc: the old buffer may hold part of a password line
         * (callers wipe lines that carry secrets), so clear it first. */
        uint8_t *nb = xmalloc(cap);
        if (lb->len)
            memcpy(nb, lb->buf, lb->len);
        if (lb->buf)
            explicit_bzero(lb->buf, lb->cap);
        free(lb->buf);
        lb->buf = nb;
        lb->cap = cap;
    }
    if (body)
        memcpy(lb->buf + lb->len, p, body);
    lb->len += body;
    *data = p + take;
    *len = n - take;
    if (!nl)
        return false;
    /* Strip the CR of CR LF (when the line was not cut before it). */
    if (lb->len > 0 && lb->buf[lb->len - 1] == '\r' && !lb->overlong)
        lb->len--;
    return true;
}

void app_line_reset(struct app_line *lb)
{
    lb->len = 0;
    lb->overlong = false;
}

void app_line_free(struct app_line *lb)
{
    free(lb->buf);
    lb->buf = NULL;
    lb->len = 0;
    lb->cap = 0;
    lb->overlong = false;
}

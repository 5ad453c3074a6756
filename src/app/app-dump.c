/* app-dump.c - compact JSON text of an event object without jansson's dumper.
 *
 * Every protocol event is serialised once (app_event_json) for the EVE line
 * and the SQLite row. jansson's json_dump_callback costs more than the event
 * is worth: it guards against cycles by formatting each object's address
 * with snprintf("%p") into a hash table it allocates per call, formats every
 * integer with snprintf, and calls its output callback once per token. The
 * event objects parsers build are small trees of ASCII strings, integers and
 * booleans, so this writes them straight into one growable buffer.
 *
 * The text must stay byte for byte what jansson writes (golden EVE files and
 * stored bodies compare it), so only the cases whose output is simple and
 * certain are handled here: anything else (a real, a string with a byte
 * >= 0x80, whose UTF-8 validity jansson checks, nesting deeper than any
 * event has) makes the whole dump return -1 and the caller uses jansson.
 * jansson 2.14 (dump.c) writes, with JSON_COMPACT and without
 * JSON_ENSURE_ASCII / JSON_ESCAPE_SLASH / JSON_SORT_KEYS:
 *   - objects in insertion order (json_object_iter), "key":value, "," between;
 *   - integers as "%" JSON_INTEGER_FORMAT;
 *   - strings with \" \\ \b \f \n \r \t and other bytes < 0x20 as \u00XX
 *     (upper-case hex), every other byte as is.
 * test-app-dump checks these against jansson itself.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "app/app-dump.h"
#include "util/util.h"

/* Deeper than any event object; also stops a (buggy) cyclic tree, which
 * jansson then refuses the same way it always did. */
#define APP_DUMP_MAX_DEPTH 32

static void ad_reserve(struct app_dump_buf *b, size_t n)
{
    if (b->cap - b->len >= n + 1)
        return;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->len < n + 1)
        cap *= 2;
    b->buf = xrealloc(b->buf, cap);
    b->cap = cap;
}

static void ad_raw(struct app_dump_buf *b, const char *s, size_t n)
{
    ad_reserve(b, n);
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

static void ad_char(struct app_dump_buf *b, char c)
{
    ad_reserve(b, 1);
    b->buf[b->len++] = c;
}

/* Non-zero when one of the 8 bytes of w is < 0x20, '"', '\\' or >= 0x80
 * (the classic "has a zero byte" test, on w and on w xor each special). */
static inline uint64_t ad_word_special(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
    uint64_t below = w - ones * 0x20; /* a byte < 0x20 borrows into its high bit */
    return ((below & ~w) | ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash) | w) & highs;
}

/* Copies the bytes of s[0..n) up to the first one that needs escaping or is
 * >= 0x80 into o and returns how many that is. Most names, URIs and user
 * agents are plain ASCII from end to end, so this goes 16 bytes at a time
 * (SSE2, which every x86-64 has), else 8. It may write past the returned
 * count, never past o[n - 1]. */
static size_t ad_copy_plain(char *o, const char *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"');
    const __m128i bslash = _mm_set1_epi8('\\');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        _mm_storeu_si128((__m128i *)(void *)(o + i), v);
        /* Signed compare: bytes >= 0x80 are negative, so "< 0x20" takes them too. */
        __m128i bad =
            _mm_or_si128(_mm_cmplt_epi8(v, space),
                         _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)));
        unsigned m = (unsigned)_mm_movemask_epi8(bad);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (ad_word_special(w))
            break;
        memcpy(o + i, &w, 8);
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
            break;
        o[i] = (char)c;
    }
    return i;
}

static int ad_string(struct app_dump_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    /* Worst case: every byte becomes \u00XX. */
    ad_reserve(b, 6 * n + 2);
    char *o = b->buf + b->len;
    *o++ = '"';
    size_t i = 0;
    for (;;) {
        size_t k = ad_copy_plain(o, s + i, n - i);
        o += k;
        i += k;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i++];
        if (c >= 0x80)
            return -1;
        *o++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *o++ = (char)c;
            break;
        case '\b':
            *o++ = 'b';
            break;
        case '\f':
            *o++ = 'f';
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\r':
            *o++ = 'r';
            break;
        case '\t':
            *o++ = 't';
            break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
            break;
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->buf);
    return 0;
}

static void ad_integer(struct app_dump_buf *b, json_int_t v)
{
    char tmp[24];
    ad_raw(b, tmp, (size_t)(put_i64(tmp, (int64_t)v) - tmp));
}

static int ad_value(struct app_dump_buf *b, const json_t *v, int depth)
{
    if (!v || depth > APP_DUMP_MAX_DEPTH)
        return -1;
    switch (json_typeof(v)) {
    case JSON_NULL:
        ad_raw(b, "null", 4);
        return 0;
    case JSON_TRUE:
        ad_raw(b, "true", 4);
        return 0;
    case JSON_FALSE:
        ad_raw(b, "false", 5);
        return 0;
    case JSON_INTEGER:
        ad_integer(b, json_integer_value(v));
        return 0;
    case JSON_STRING:
        return ad_string(b, json_string_value(v), json_string_length(v));
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        ad_char(b, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                ad_char(b, ',');
            if (ad_value(b, json_array_get(v, i), depth + 1) < 0)
                return -1;
        }
        ad_char(b, ']');
        return 0;
    }
    case JSON_OBJECT: {
        /* jansson's iterator API takes a non-const object but only reads it. */
        json_t *o = (json_t *)(uintptr_t)v;
        ad_char(b, '{');
        bool first = true;
        for (void *it = json_object_iter(o); it; it = json_object_iter_next(o, it)) {
            if (!first)
                ad_char(b, ',');
            first = false;
            if (ad_string(b, json_object_iter_key(it), json_object_iter_key_len(it)) < 0)
                return -1;
            ad_char(b, ':');
            if (ad_value(b, json_object_iter_value(it), depth + 1) < 0)
                return -1;
        }
        ad_char(b, '}');
        return 0;
    }
    case JSON_REAL:
    default:
        return -1;
    }
}

/* jansson's dump callback, for what app_dump_compact leaves to it. */
static int ad_jansson_cb(const char *p, size_t n, void *arg)
{
    ad_raw(arg, p, n);
    return 0;
}

int app_dump_json(struct app_dump_buf *b, const json_t *v)
{
    size_t start = b->len;
    if (app_dump_compact(b, v) == 0)
        return 0;
    if (json_dump_callback(v, ad_jansson_cb, b, JSON_COMPACT | JSON_ENCODE_ANY) == 0 &&
        b->len > start) {
        b->buf[b->len] = '\0';
        return 0;
    }
    b->len = start;
    b->buf[start] = '\0';
    return -1;
}

int app_dump_compact(struct app_dump_buf *b, const json_t *v)
{
    size_t start = b->len;
    ad_reserve(b, 0);
    if (ad_value(b, v, 0) < 0) {
        b->len = start;
        b->buf[start] = '\0';
        return -1;
    }
    b->buf[b->len] = '\0';
    return 0;
}

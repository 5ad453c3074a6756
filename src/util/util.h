/* util.h - allocation that dies on real OOM, logging, small helpers.
 * Every .c file includes this (it pulls in banned.h last). */
#ifndef MAMORI_UTIL_H
#define MAMORI_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#if defined(__GNUC__)
#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ATTR_NORETURN __attribute__((noreturn))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define ATTR_PRINTF(f, a)
#define ATTR_NORETURN
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

/* Our own bug: print where and abort. */
#define BUG(msg) bug_at(__FILE__, __LINE__, (msg))
void bug_at(const char *file, int line, const char *msg) ATTR_NORETURN;

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Messages go to stderr prefixed "mamori: ". error() is for environment
 * failures the CLI reports; warn() for things the user should know. */
void error(const char *fmt, ...) ATTR_PRINTF(1, 2);
void warning(const char *fmt, ...) ATTR_PRINTF(1, 2);
void die(const char *fmt, ...) ATTR_PRINTF(1, 2) ATTR_NORETURN;
extern int log_verbose;
void debug(const char *fmt, ...) ATTR_PRINTF(1, 2);

/* Wall-clock milliseconds from a monotonic clock: only for commit cadence
 * and the elapsed time in summaries, never for analysis. */
uint64_t mono_ms(void);

/* Freed memory and the allocator. mamori's main has its allocator give
 * freed blocks back to the system at once, which keeps peak memory low; a
 * phase that frees and takes the same big blocks again and again (the index
 * builds at the end of read, each with a sorter of several MiB) turns that
 * off meanwhile, so the blocks are reused instead of faulted in anew. main
 * sets the hook when its allocator has the setting (tcmalloc); without one,
 * mem_release_at_once does nothing. */
void mem_set_release_hook(void (*hook)(bool at_once));
void mem_release_at_once(bool at_once);

/* Writes v in decimal at p (at most 20 characters, no terminator) and
 * returns the end. For the hot paths (EVE lines, JA3 strings, DNS text,
 * fingerprints), where snprintf was a visible part of the cost. */
static inline char *put_dec(char *p, uint64_t v)
{
    char tmp[20];
    unsigned n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* The same for a signed v (at most 20 characters). */
static inline char *put_i64(char *p, int64_t v)
{
    if (v < 0)
        *p++ = '-';
    /* Negated as unsigned so that the most negative value works too. */
    return put_dec(p, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

/* Writes v in lower-case hex without leading zeros (printf's "%x") at p
 * (at most 16 characters, no terminator) and returns the end. */
static inline char *put_hex(char *p, uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[16];
    unsigned n = 0;
    do {
        tmp[n++] = digits[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Writes the n bytes at b as two lower-case hex digits each (at most 2n
 * characters, no terminator) and returns the end. */
static inline char *put_hex_bytes(char *p, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        *p++ = digits[b[i] >> 4];
        *p++ = digits[b[i] & 15];
    }
    return p;
}

/* Formats packet time (microseconds since the epoch, UTC) the way Suricata's
 * EVE does: 2024-01-01T00:00:00.000000+0000. buf needs 32 bytes. */
void fmt_ts_eve(char *buf, size_t len, uint64_t ts_us);

/* Parses a non-negative decimal integer; returns 0 or -1 on junk/overflow. */
int parse_u64(const char *s, uint64_t *out);

/* Parses a time given on the command line: "2026-11-26",
 * "2026-11-26T09:00[:00]", "2026-11-26 09:00" on the local clock (TZ), the
 * same with "Z" or " UTC" appended for UTC, "@1764115200", or an age before
 * now_us: "90m", "24h", "7d", "2w". Returns 0 or -1. */
int parse_time_arg(const char *s, uint64_t now_us, uint64_t *out_us);

/* The local clock (the TZ environment, /etc/localtime), for what people read.
 * local_add_days: the same local time `days` calendar days later (or earlier);
 * local_day_start: local midnight of the day holding us; local_month_start:
 * local midnight on the 1st (Unix seconds, -1 on error); fmt_iso_local:
 * "2026-11-01T09:00:00+09:00" ("...Z" where the zone is UTC); fmt_date_local:
 * "2026-11-01". */
uint64_t local_add_days(uint64_t us, int days);
uint64_t local_day_start(uint64_t us);
int64_t local_month_start(int year, int month);
void fmt_iso_local(char *buf, size_t len, uint64_t us);
void fmt_date_local(char *buf, size_t len, uint64_t us);
/* The local zone's name at that time: "JST", "CET", "UTC", else "UTC+05:30". */
void fmt_zone_local(char *buf, size_t len, uint64_t us);

#include "banned.h"

#endif

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

int log_verbose;

void bug_at(const char *file, int line, const char *msg)
{
    fprintf(stderr, "mamori: BUG at %s:%d: %s\n", file, line, msg);
    abort();
}

static void *oom_check(void *p, size_t n)
{
    if (!p && n) {
        fprintf(stderr, "mamori: out of memory allocating %zu bytes\n", n);
        exit(3);
    }
    return p;
}

void *xmalloc(size_t n)
{
    return oom_check(malloc(n ? n : 1), n ? n : 1);
}

void *xcalloc(size_t nmemb, size_t size)
{
    return oom_check(calloc(nmemb ? nmemb : 1, size ? size : 1), nmemb * size);
}

void *xrealloc(void *p, size_t n)
{
    return oom_check(realloc(p, n ? n : 1), n ? n : 1);
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n);
    memcpy(d, s, n);
    return d;
}

ATTR_PRINTF(2, 0) static void vreport(const char *prefix, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    fprintf(stderr, "mamori: %s%s\n", prefix, msg);
}

void error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
}

void warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
    exit(2);
}

void debug(const char *fmt, ...)
{
    if (!log_verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport("debug: ", fmt, ap);
    va_end(ap);
}

uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void (*mem_release_hook)(bool at_once);

void mem_set_release_hook(void (*hook)(bool at_once))
{
    mem_release_hook = hook;
}

void mem_release_at_once(bool at_once)
{
    if (mem_release_hook)
        mem_release_hook(at_once);
}

void fmt_ts_eve(char *buf, size_t len, uint64_t ts_us)
{
    time_t secs = (time_t)(ts_us / 1000000u);
    struct tm tm;
    if (!gmtime_r(&secs, &tm))
        memset(&tm, 0, sizeof(tm));
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06u+0000", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (unsigned)(ts_us % 1000000u));
}

int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

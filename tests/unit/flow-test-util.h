/* flow-test-util.h - helpers the flow sink unit tests share.
 *
 * Used by test-store-sqlite.c and test-output-eve.c, which build flows by
 * hand and check that a failing sink prints exactly one line; both carried
 * identical copies of these. Everything is static inline, so a test that
 * uses only part of it still builds warning-free.
 */
#ifndef MAMORI_FLOW_TEST_UTIL_H
#define MAMORI_FLOW_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/decode.h"

/* 2024-01-01T00:00:00Z in microseconds. */
#define T0_US 1704067200000000ull

/* Capture of stdout (fd 1) or stderr (fd 2) into `text`, e.g. to check that
 * a failure prints exactly one line. */
struct capture {
    int saved_fd;
    char path[64];
    char text[4096];
};

static inline void capture_begin(struct capture *c, int fd_to_capture)
{
    if (fd_to_capture == 2)
        fflush(stderr);
    else
        fflush(stdout);
    snprintf(c->path, sizeof(c->path), "/tmp/mamori-test-capture-XXXXXX");
    int fd = mkstemp(c->path);
    assert_true(fd >= 0);
    c->saved_fd = dup(fd_to_capture);
    assert_true(c->saved_fd >= 0);
    dup2(fd, fd_to_capture);
    close(fd);
}

static inline void capture_end(struct capture *c, int fd_to_capture)
{
    if (fd_to_capture == 2)
        fflush(stderr);
    else
        fflush(stdout);
    dup2(c->saved_fd, fd_to_capture);
    close(c->saved_fd);
    FILE *fp = fopen(c->path, "r");
    assert_non_null(fp);
    size_t n = fread(c->text, 1, sizeof(c->text) - 1, fp);
    c->text[n] = '\0';
    fclose(fp);
    unlink(c->path);
}

static inline int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (*s == '\n')
            n++;
    return n;
}

static inline void v4(struct ip_addr *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
    const uint8_t v[4] = {b0, b1, b2, b3};
    ip_addr_from_v4(a, v);
}

#endif

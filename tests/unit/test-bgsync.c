/* test-bgsync.c - background fsync: rounds, errors, files that cannot sync. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/bgsync.h"

static int tmpfile_fd(char *path, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/mamori-bgsync-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    return fd;
}

/* Rounds on a real file: every kick returns 0, the data is there after a
 * drain, and free closes the descriptor it owns. */
static void test_rounds_on_a_file(void **state)
{
    (void)state;
    char path[256];
    int fd = tmpfile_fd(path, sizeof(path));
    struct bgsync *b = bgsync_new(fd, true);
    assert_non_null(b);
    for (int i = 0; i < 50; i++) {
        char line[32];
        int n = snprintf(line, sizeof(line), "line %d\n", i);
        assert_int_equal(write(fd, line, (size_t)n), n);
        assert_int_equal(bgsync_kick(b), 0);
    }
    assert_int_equal(bgsync_drain(b), 0);
    assert_int_equal(bgsync_drain(b), 0); /* nothing in flight: returns at once */
    bgsync_free(b);
    errno = 0;
    assert_int_equal(fcntl(fd, F_GETFD), -1); /* closed by bgsync_free */
    assert_int_equal(errno, EBADF);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int lines = 0, c;
    while ((c = fgetc(f)) != EOF)
        lines += c == '\n';
    fclose(f);
    assert_int_equal(lines, 50);
    unlink(path);
}

/* A sync that fails is reported once, by the next call, then forgotten. */
static void test_error_reported_once(void **state)
{
    (void)state;
    int fd = 1000; /* not open: fdatasync fails with EBADF */
    assert_int_equal(fcntl(fd, F_GETFD), -1);
    struct bgsync *b = bgsync_new(fd, false);
    assert_non_null(b);
    assert_int_equal(bgsync_kick(b), 0);     /* the round only starts */
    assert_int_equal(bgsync_kick(b), EBADF); /* the first round's error */
    assert_int_equal(bgsync_drain(b), EBADF); /* the second's */
    assert_int_equal(bgsync_drain(b), 0);
    bgsync_free(b);
}

/* A pipe cannot be synced (EINVAL): not a failure, as for stdout. */
static void test_pipe_is_not_a_failure(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    struct bgsync *b = bgsync_new(p[1], true);
    assert_non_null(b);
    assert_int_equal(bgsync_kick(b), 0);
    assert_int_equal(bgsync_drain(b), 0);
    bgsync_free(b);
    close(p[0]);
}

/* free with a round in flight waits for it and leaves a descriptor it does
 * not own open; free(NULL) is a no-op. */
static void test_free_waits(void **state)
{
    (void)state;
    char path[256];
    int fd = tmpfile_fd(path, sizeof(path));
    struct bgsync *b = bgsync_new(fd, false);
    assert_non_null(b);
    assert_int_equal(write(fd, "x", 1), 1);
    assert_int_equal(bgsync_kick(b), 0);
    bgsync_free(b);
    bgsync_free(NULL);
    assert_int_equal(fcntl(fd, F_GETFD) >= 0, 1); /* not owned: still open */
    close(fd);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounds_on_a_file),
        cmocka_unit_test(test_error_reported_once),
        cmocka_unit_test(test_pipe_is_not_a_failure),
        cmocka_unit_test(test_free_waits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* report-pdf.c - print the HTML report to PDF with headless Chromium.
 *
 * Chromium lays out the page with the report's own print stylesheet (A4,
 * page one alone, cards unbroken), which no small PDF library would match.
 * It is started with posix_spawn and an argv array (no shell: the paths
 * come from the user), with the network cut off the same way the browser
 * tests do it (tests/browser/chromium.py), a fresh profile in a temporary
 * directory that is removed afterwards, and a time limit after which it is
 * killed. Its chatter goes to /dev/null; success is judged by the output
 * file starting with "%PDF-".
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report/report.h"
#include "util/strbuf.h"
#include "util/util.h"

extern char **environ;

/* A month's report prints in 2-5 s; a first start with a cold font cache can
 * take 20 s. Past this Chromium is stuck (e.g. waiting on a display). */
#define PDF_TIMEOUT_MS 60000

/* Finds the browser on PATH; returns 0 and the path in buf, or -1. */
static int find_chromium(char *buf, size_t len)
{
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome"};
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        const char *p = path;
        while (*p) {
            const char *e = strchr(p, ':');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (n > 0 && (size_t)snprintf(buf, len, "%.*s/%s", (int)n, p, names[i]) < len &&
                access(buf, X_OK) == 0)
                return 0;
            p += n + (e ? 1 : 0);
        }
    }
    return -1;
}

/* file:// URL of an absolute path, percent-encoding all but unreserved
 * characters and '/', so spaces, '#' and '?' in names survive. */
static void file_url(struct strbuf *sb, const char *abs)
{
    sb_puts(sb, "file://");
    for (const unsigned char *p = (const unsigned char *)abs; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            sb_putc(sb, (char)*p);
        else
            sb_printf(sb, "%%%02X", *p);
    }
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Waits for pid up to timeout_ms; kills it after that. Returns its wait
 * status, or -1 on timeout. */
static int wait_limited(pid_t pid, long timeout_ms)
{
    uint64_t start = mono_ms();
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return st;
        if (r < 0 && errno != EINTR)
            return -1;
        if ((long)(mono_ms() - start) > timeout_ms) {
            /* Chromium forks helpers (zygote, renderer): stop the group. */
            kill(-pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        sleep_ms(50);
    }
}

static bool is_pdf(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char head[5] = {0};
    bool ok = fread(head, 1, sizeof(head), f) == sizeof(head) && !memcmp(head, "%PDF-", 5);
    fclose(f);
    return ok;
}

int report_pdf_write(const char *html_path, const char *pdf_path, char *err, size_t errlen)
{
    char exe[PATH_MAX], html_abs[PATH_MAX], pdf_abs[PATH_MAX + 64];
    if (find_chromium(exe, sizeof(exe)) < 0) {
        snprintf(err, errlen,
                 "cannot make a PDF: chromium is not installed (apt-get install chromium); "
                 "the HTML report can be printed from any browser instead");
        return -1;
    }
    if (!realpath(html_path, html_abs)) {
        snprintf(err, errlen, "cannot read '%s': %s", html_path, strerror(errno));
        return -1;
    }
    /* The output may not exist yet: resolve its directory. */
    char dir[PATH_MAX];
    const char *slash = strrchr(pdf_path, '/');
    const char *base = slash ? slash + 1 : pdf_path;
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == pdf_path)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - pdf_path), pdf_path);
    char dir_abs[PATH_MAX];
    if (!*base || !realpath(dir, dir_abs)) {
        snprintf(err, errlen, "cannot write '%s': %s", pdf_path,
                 *base ? strerror(errno) : "not a file name");
        return -1;
    }
    snprintf(pdf_abs, sizeof(pdf_abs), "%s/%s", strcmp(dir_abs, "/") ? dir_abs : "", base);
    unlink(pdf_abs); /* so a stale file is never taken for success */

    const char *tmp = getenv("TMPDIR");
    char profile[PATH_MAX];
    snprintf(profile, sizeof(profile), "%s/mamori-pdf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(profile)) {
        snprintf(err, errlen, "cannot make a temporary directory in '%s': %s",
                 tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return -1;
    }

    struct strbuf url = STRBUF_INIT, a_profile = STRBUF_INIT, a_out = STRBUF_INIT,
                  a_home = STRBUF_INIT;
    file_url(&url, html_abs);
    sb_printf(&a_profile, "--user-data-dir=%s", profile);
    sb_printf(&a_out, "--print-to-pdf=%s", pdf_abs);
    const char *const args[] = {
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--disable-extensions", "--disable-domain-reliability", "--no-pings",
        "--metrics-recording-only", "--disable-breakpad", "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND", a_profile.s, "--no-pdf-header-footer",
        a_out.s, url.s,
    };
    /* posix_spawn wants char *const[]: give it copies it may not write to
     * anyway, rather than casting string literals. */
    char *argv[ARRAY_SIZE(args) + 1];
    for (size_t i = 0; i < ARRAY_SIZE(args); i++)
        argv[i] = xstrdup(args[i]);
    argv[ARRAY_SIZE(args)] = NULL;
    /* Chromium writes caches under $HOME: point it into the profile so a
     * read-only or shared home is never touched. */
    sb_printf(&a_home, "HOME=%s", profile);
    size_t ne = 0;
    while (environ && environ[ne])
        ne++;
    char **envp = xcalloc(ne + 2, sizeof(*envp));
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (strncmp(environ[i], "HOME=", 5))
            envp[k++] = environ[i];
    envp[k++] = a_home.s;
    envp[k] = NULL;

    int rc = -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    /* Its own process group, so a timeout can stop all of its helpers. */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid;
    int e = posix_spawn(&pid, exe, &fa, &attr, argv, envp);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    if (e) {
        snprintf(err, errlen, "cannot start '%s': %s", exe, strerror(e));
        goto out_cleanup;
    }
    int st = wait_limited(pid, PDF_TIMEOUT_MS);
    if (st == -1) {
        snprintf(err, errlen, "chromium did not finish '%s' within %d s and was stopped",
                 pdf_path, PDF_TIMEOUT_MS / 1000);
        goto out_cleanup;
    }
    if (!is_pdf(pdf_abs)) {
        if (WIFEXITED(st) && WEXITSTATUS(st))
            snprintf(err, errlen, "chromium failed to print '%s' (exit status %d)", pdf_path,
                     WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            snprintf(err, errlen, "chromium failed to print '%s' (killed by signal %d)",
                     pdf_path, WTERMSIG(st));
        else
            snprintf(err, errlen, "chromium wrote no PDF to '%s'", pdf_path);
        unlink(pdf_abs);
        goto out_cleanup;
    }
    rc = 0;
out_cleanup:
    nftw(profile, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(envp);
    for (size_t i = 0; i < ARRAY_SIZE(args); i++)
        free(argv[i]);
    sb_free(&url);
    sb_free(&a_profile);
    sb_free(&a_out);
    sb_free(&a_home);
    return rc;
}

/* intel-store.c - the list directory: one file per list as fetched
 * (NAME.list) and an index, sources.tsv:
 *
 *     # name<TAB>origin<TAB>format<TAB>fetched<TAB>entries<TAB>sha256
 *
 * fetched is Unix time. Both are written atomically (temp file in the same
 * directory, fsync, rename, fsync of the directory), so a crash or a failed
 * update never leaves a half-written list or index behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intel/intel.h"
#include "util/i18n.h"
#include "util/util.h"

#define STORE_INDEX "sources.tsv"

bool intel_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > INTEL_NAME_MAX || name[0] == '.' || name[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

void intel_default_dir(const char *db, char *out, size_t outlen)
{
    const char *slash = strrchr(db, '/');
    if (slash)
        snprintf(out, outlen, "%.*s/intel", (int)(slash - db), db);
    else
        snprintf(out, outlen, "intel");
}

void intel_sha256_hex(const void *buf, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    if (EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) {
        snprintf(out, 65, "%s", "");
        return;
    }
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int intel_read_file(const char *path, size_t max, char **buf, size_t *len, char *err,
                    size_t errlen)
{
    *buf = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                fclose(fp);
                free(b);
                snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
                return -1;
            }
            cap = MIN(cap * 2, max);
            b = xrealloc(b, cap + 1);
        }
        size_t got = fread(b + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(fp) != 0;
    fclose(fp);
    if (bad) {
        free(b);
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    if (n == cap) {
        /* Filled exactly: one more byte would say whether there is more. */
        fp = fopen(path, "rb");
        if (fp && fseek(fp, (long)n, SEEK_SET) == 0 && fgetc(fp) != EOF) {
            fclose(fp);
            free(b);
            snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
            return -1;
        }
        if (fp)
            fclose(fp);
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

static int store_mkdir(const char *dir, char *err, size_t errlen)
{
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* Writes path atomically. */
static int store_write_atomic(const char *dir, const char *path, const void *buf, size_t len,
                              char *err, size_t errlen)
{
    char tmp[1200];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    const char *p = buf;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int intel_store_put(const char *dir, const char *name, const void *buf, size_t len, char *err,
                    size_t errlen)
{
    if (!intel_name_ok(name)) {
        snprintf(err, errlen, "bad list name '%s'", name);
        return -1;
    }
    if (store_mkdir(dir, err, errlen) < 0)
        return -1;
    char path[1100];
    snprintf(path, sizeof(path), "%s/%s.list", dir, name);
    return store_write_atomic(dir, path, buf, len, err, errlen);
}

void intel_sources_free(struct intel_sources *s)
{
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

struct intel_source *intel_sources_find(struct intel_sources *s, const char *name)
{
    for (unsigned i = 0; i < s->n; i++)
        if (strcmp(s->v[i].name, name) == 0)
            return &s->v[i];
    return NULL;
}

int intel_sources_read(const char *dir, struct intel_sources *s, char *err, size_t errlen)
{
    s->v = NULL;
    s->n = 0;
    char path[1100];
    snprintf(path, sizeof(path), "%s/%s", dir, STORE_INDEX);
    if (access(path, F_OK) < 0)
        return 0;
    char *buf;
    size_t len;
    if (intel_read_file(path, 16u << 20, &buf, &len, err, errlen) < 0)
        return -1;
    unsigned lineno = 0;
    for (char *line = buf, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (!*line || *line == '#')
            continue;
        char *f[6];
        int n = 0;
        for (char *p = line; n < 6; n++) {
            f[n] = p;
            char *tab = strchr(p, '\t');
            if (!tab) {
                n++;
                break;
            }
            *tab = '\0';
            p = tab + 1;
        }
        uint64_t fetched, entries;
        if (n != 6 || !intel_name_ok(f[0]) || intel_format_parse(f[2]) < 0 ||
            parse_u64(f[3], &fetched) < 0 || parse_u64(f[4], &entries) < 0 ||
            s->n >= INTEL_MAX_LISTS) {
            snprintf(err, errlen, "%s: line %u: not name, origin, format, fetched, entries, "
                                  "sha256", path, lineno);
            free(buf);
            intel_sources_free(s);
            return -1;
        }
        s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
        struct intel_source *src = &s->v[s->n++];
        memset(src, 0, sizeof(*src));
        snprintf(src->name, sizeof(src->name), "%s", f[0]);
        snprintf(src->origin, sizeof(src->origin), "%s", f[1]);
        snprintf(src->format, sizeof(src->format), "%s", f[2]);
        src->fetched = (int64_t)fetched;
        src->entries = entries;
        snprintf(src->sha256, sizeof(src->sha256), "%s", f[5]);
    }
    free(buf);
    return 0;
}

int intel_sources_write(const char *dir, const struct intel_sources *s, char *err,
                        size_t errlen)
{
    if (store_mkdir(dir, err, errlen) < 0)
        return -1;
    size_t cap = 256 + (size_t)s->n * 1300, len = 0;
    char *buf = xmalloc(cap);
    len += (size_t)snprintf(buf, cap, "# name\torigin\tformat\tfetched\tentries\tsha256\n");
    for (unsigned i = 0; i < s->n; i++) {
        const struct intel_source *src = &s->v[i];
        int n = snprintf(buf + len, cap - len, "%s\t%s\t%s\t%lld\t%llu\t%s\n", src->name,
                         src->origin, src->format, (long long)src->fetched,
                         (unsigned long long)src->entries, src->sha256);
        if (n < 0 || (size_t)n >= cap - len) {
            free(buf);
            snprintf(err, errlen, "index too large");
            return -1;
        }
        len += (size_t)n;
    }
    char path[1100];
    snprintf(path, sizeof(path), "%s/%s", dir, STORE_INDEX);
    int r = store_write_atomic(dir, path, buf, len, err, errlen);
    free(buf);
    return r;
}

static int load_one(struct intel_db *db, const char *path, const char *name,
                    enum intel_format f, uint32_t ipsum_min)
{
    char *buf;
    size_t len;
    char err[1400];
    if (intel_read_file(path, INTEL_MAX_FILE, &buf, &len, err, sizeof(err)) < 0) {
        warning(TR("threat list %s: %s (skipped)", "脅威情報リスト %s: %s（読み飛ばしました）"),
                name, err);
        return -1;
    }
    struct intel_load_opts o = {f, ipsum_min};
    struct intel_load_result r;
    int rc = intel_db_add_list(db, name, buf, len, &o, &r, err, sizeof(err));
    free(buf);
    if (rc < 0) {
        warning(TR("threat list %s: %s (skipped)", "脅威情報リスト %s: %s（読み飛ばしました）"),
                name, err);
        return -1;
    }
    debug("intel: %s: %llu entries (%s), %llu bad lines", name, (unsigned long long)r.entries,
          intel_format_name(r.format), (unsigned long long)r.bad);
    return 0;
}

int intel_store_load(struct intel_db *db, const char *dir, uint32_t ipsum_min, bool must_exist,
                     char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) < 0) {
        if (!must_exist && (errno == ENOENT || errno == ENOTDIR))
            return 0;
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: not a directory", dir);
        return -1;
    }
    struct intel_sources s;
    if (intel_sources_read(dir, &s, err, errlen) < 0)
        return -1;
    int loaded = 0;
    char path[1400];
    if (s.n) {
        for (unsigned i = 0; i < s.n; i++) {
            snprintf(path, sizeof(path), "%s/%s.list", dir, s.v[i].name);
            int f = intel_format_parse(s.v[i].format);
            if (load_one(db, path, s.v[i].name, f < 0 ? INTEL_FMT_AUTO : (enum intel_format)f,
                         ipsum_min) == 0)
                loaded++;
        }
        intel_sources_free(&s);
        return loaded;
    }
    /* No index: a directory of list files (tests, or lists put there by
     * hand). Names sorted so the order (and "which list matched first") does
     * not depend on the file system. */
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *fn = names[i]->d_name;
        char name[INTEL_NAME_MAX + 1];
        size_t nl = strcspn(fn, ".");
        if (fn[0] != '.' && nl > 0 && nl <= INTEL_NAME_MAX && !strstr(fn, ".tmp.")) {
            snprintf(name, sizeof(name), "%.*s", (int)nl, fn);
            snprintf(path, sizeof(path), "%s/%s", dir, fn);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && intel_name_ok(name) &&
                load_one(db, path, name, INTEL_FMT_AUTO, ipsum_min) == 0)
                loaded++;
        }
        free(names[i]);
    }
    free(names);
    return loaded;
}

/* replay-main.c - runs a fuzz target over saved inputs, without libFuzzer.
 *
 * Builds where the compiler has no -fsanitize=fuzzer (gcc, the normal
 * ASan+UBSan tree) link each fuzz target with this main, and `meson test
 * --suite fuzz` runs it over tests/fuzz/corpus/<target>/: the seeds and every
 * crash-* regression input must stay clean under the sanitizers.
 *
 * Usage: fuzz-<name> [-libfuzzer-style-flags...] FILE|DIR...
 * Flags starting with '-' are ignored, so a libFuzzer command line works too.
 * A directory is read one level deep, files in name order, so the targets
 * that keep state across inputs (ipv4/ipv6/packet) replay the same way every
 * time. Each input is copied into a buffer of exactly its size, so ASan
 * catches a read one byte past the end as libFuzzer would. Exits 1 when an
 * argument cannot be read or nothing ran, so a missing corpus fails the test.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util/util.h"

static int replay_file(const char *path, unsigned long *ran)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || st.st_size < 0 || st.st_size > FUZZ_MAX_INPUT) {
        fprintf(stderr, "replay: cannot use '%s': not a file of at most %u bytes\n", path,
                FUZZ_MAX_INPUT);
        fclose(fp);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    /* Exactly size bytes (1 for an empty file, which is never read), so an
     * overread lands in ASan's redzone. */
    uint8_t *buf = xmalloc(size ? size : 1);
    if (size && fread(buf, 1, size, fp) != size) {
        fprintf(stderr, "replay: cannot read '%s'\n", path);
        free(buf);
        fclose(fp);
        return -1;
    }
    fclose(fp);
    LLVMFuzzerTestOneInput(buf, size);
    free(buf);
    (*ran)++;
    return 0;
}

static int replay_skip_entry(const struct dirent *de)
{
    return de->d_name[0] != '.';
}

static int replay_dir(const char *dir, unsigned long *ran)
{
    struct dirent **names;
    int rc = 0;
    int n = scandir(dir, &names, replay_skip_entry, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: cannot list '%s': %s\n", dir, strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        int len = snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        if (len < 0 || (size_t)len >= sizeof(path) || stat(path, &st) != 0) {
            fprintf(stderr, "replay: cannot use '%s/%s'\n", dir, names[i]->d_name);
            rc = -1;
        } else if (S_ISREG(st.st_mode) && replay_file(path, ran) != 0) {
            rc = -1;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned long ran = 0;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (argv[i][0] == '-')
            continue;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: cannot open '%s': %s\n", argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (replay_dir(argv[i], &ran) != 0)
                rc = 1;
        } else if (replay_file(argv[i], &ran) != 0) {
            rc = 1;
        }
    }
    printf("replay: %lu inputs ran\n", ran);
    if (ran == 0) {
        fprintf(stderr, "replay: no inputs given\n");
        rc = 1;
    }
    return rc;
}

/* known.h - the known-device list: a plain CSV a shop's IT person keeps,
 * with one line per device they know about.
 *
 *   mac,name,owner,note
 *   f8:bc:12:8b:7c:36,総務PC01,佐藤,2024年購入
 *
 * RFC 4180 CSV: a header line (these four column names, in any order, extra
 * columns kept but ignored), fields may be quoted with "..." ("" inside
 * quotes is a quote, quoted fields may span lines), CRLF or LF. UTF-8, with
 * or without a BOM; a file that is not valid UTF-8 is read as Shift_JIS
 * (CP932), which is how Excel saves CSV on Japanese Windows. MACs in any
 * common spelling (mac_parse in util/netaddr.h). Saving always writes UTF-8 with
 * LF, quoting where needed, to a temporary file in the same directory which
 * is fsynced and renamed over the old one, so a crash never leaves a
 * half-written list.
 */
#ifndef MAMORI_KNOWN_H
#define MAMORI_KNOWN_H

#include <stddef.h>
#include <stdint.h>

/* Field sizes (bytes, UTF-8, including the NUL); longer fields are an error. */
#define KNOWN_NAME_MAX 128
#define KNOWN_OWNER_MAX 128
#define KNOWN_NOTE_MAX 512
/* Lines accepted in one file. */
#define KNOWN_MAX_DEVICES 100000

struct known_device {
    uint8_t mac[6];
    char name[KNOWN_NAME_MAX];
    char owner[KNOWN_OWNER_MAX];
    char note[KNOWN_NOTE_MAX];
};

struct known_list {
    struct known_device *v;   /* sorted by MAC */
    size_t n, cap;
};

void known_init(struct known_list *kl);
void known_free(struct known_list *kl);

/* Parses a whole CSV buffer into kl (which is cleared first). On error
 * returns -1 and writes "line N: what is wrong" into err; kl is then empty.
 * A duplicate MAC is an error. Header names may also be Japanese
 * (MACアドレス, 名前/機器名/端末名, 担当者/使用者/所有者, メモ/備考). */
int known_parse(struct known_list *kl, const char *buf, size_t len, char *err, size_t errlen);

/* Loads a file. A missing file is an empty list when missing_ok, else an
 * error. Returns 0 or -1 with "FILE: line N: ..." (or the OS error) in err. */
int known_load(struct known_list *kl, const char *path, int missing_ok, char *err,
               size_t errlen);

/* Writes the list (temporary file, fsync, rename, fsync of the directory).
 * Returns 0 or -1 with the reason in err; the old file is untouched on
 * failure. */
int known_save(const struct known_list *kl, const char *path, char *err, size_t errlen);

/* The entry for mac, or NULL. */
const struct known_device *known_find(const struct known_list *kl, const uint8_t mac[6]);

/* Adds or updates the entry for mac; NULL fields leave an existing value
 * unchanged (and are empty for a new entry). Returns 0, or -1 (with err) when
 * a field is too long or the list is full. */
int known_upsert(struct known_list *kl, const uint8_t mac[6], const char *name, const char *owner,
                 const char *note, char *err, size_t errlen);

/* Merges src into dst: entries of src replace those of dst with the same
 * MAC. Returns how many entries were added or changed. */
size_t known_merge(struct known_list *dst, const struct known_list *src);

#endif

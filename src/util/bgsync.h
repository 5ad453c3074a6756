/* bgsync.h - fsync in the background, one commit behind.
 *
 * A bulk writer (`mamori read`) commits every few hundred thousand packets;
 * waiting for the disk at each commit was a sixth of read's wall time. With
 * a bgsync, a commit only starts the fdatasync of its files on a thread of
 * their own and goes on; the next commit first waits for that sync (and
 * reports its error). So a commit is on disk by the time the next one
 * returns, bgsync_drain() makes everything durable before the writer says
 * it is done, and a crash of the process itself loses nothing committed
 * (the kernel holds the data): only a power cut may lose the last interval.
 */
#ifndef MAMORI_UTIL_BGSYNC_H
#define MAMORI_UTIL_BGSYNC_H

#include <stdbool.h>

struct bgsync;

/* Starts the thread that syncs fd; the bgsync closes fd when freed if own
 * is set. NULL when the thread cannot start (the caller then syncs inline,
 * and still owns fd). */
struct bgsync *bgsync_new(int fd, bool own);

/* Waits for the round in flight, then starts a new one. Returns 0, or the
 * errno of a sync that failed since the last call (a pipe or a read-only
 * file system, which cannot be synced, is not a failure). */
int bgsync_kick(struct bgsync *b);

/* Waits for the round in flight. Returns 0 or the errno of a failed sync. */
int bgsync_drain(struct bgsync *b);

/* Drains, stops the thread, closes fd if it owns it. NULL is a no-op. */
void bgsync_free(struct bgsync *b);

#endif

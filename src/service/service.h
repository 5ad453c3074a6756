/* service.h - what the always-on sensor records about itself: gaps in
 * watching (sensor_gaps), small state (the `state` table: pid, last prune,
 * disk low, last checkpoint), run checkpoints, free disk space.
 *
 * All of it goes through a second SQLite connection of its own (struct
 * svc_db), used from the capture thread right after the store's own
 * commit, when the store holds no transaction: so nothing here waits on the
 * writer, and a failure here never touches the flows being written.
 * Timestamps are microseconds since the Unix epoch, like every *_ts column.
 */
#ifndef MAMORI_SERVICE_H
#define MAMORI_SERVICE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct svc_db {
    sqlite3 *db;
    char path[1024];
    int64_t run_id;     /* the run being checkpointed (0: none) */
    int64_t open_gap;   /* sensor_gaps id of a gap still open (0: none) */
};

/* Opens the service connection (the store must exist: the sink made it).
 * Returns 0 or -1 with a reason in err. */
int svc_open(struct svc_db *s, const char *path, char *err, size_t errlen);
void svc_close(struct svc_db *s);

uint64_t svc_now_us(void);

/* Opens a gap (reason: "not_running", "capture_error", "interface_down",
 * "store_error", "disk_full") at start_us; returns its id or -1. */
int64_t svc_gap_open(struct svc_db *s, uint64_t start_us, const char *reason, const char *detail);
/* Closes gap id at end_us. Returns 0 or -1. */
int svc_gap_close(struct svc_db *s, int64_t id, uint64_t end_us);
/* Records the time the sensor was not running before this run: from the
 * latest earlier `watch` run's last activity (last_ts, else its last
 * checkpoint) to now_us, as a closed "not_running" gap. Does nothing when
 * there is no earlier watch run or the gap is shorter than min_gap_s.
 * Returns 1 when a gap was recorded, 0 when none, -1 on error. */
int svc_gap_between_runs(struct svc_db *s, int64_t this_run, uint64_t now_us,
                         unsigned min_gap_s);
/* Gaps of an earlier run left open (the process died): closed at that
 * run's last activity. Returns how many or -1. */
int svc_gap_close_stale(struct svc_db *s, int64_t this_run);

/* The latest run row (the one `watch` just started). 0 if none. */
int64_t svc_latest_run(struct svc_db *s);
/* Saves counters of the running run: packets, bytes, flows, drops, last
 * packet time, and state "run.checkpoint" = now. Returns 0 or -1. */
int svc_checkpoint(struct svc_db *s, uint64_t packets, uint64_t bytes, uint64_t flows,
                   uint64_t kernel_drops, uint64_t iface_drops, uint64_t first_ts_us,
                   uint64_t last_ts_us);
/* Marks a run that will get no run_end (its store connection broke) so it
 * does not look like it is still running. */
int svc_run_mark(struct svc_db *s, int64_t run_id, const char *status);

/* state table: one text value per key. Returns 0 or -1. */
int svc_state_set(struct svc_db *s, const char *key, const char *value);
/* Copies the value into out; returns 0, 1 when absent, -1 on error. */
int svc_state_get(sqlite3 *db, const char *key, char *out, size_t outlen);
/* The same with a fresh "2026-11-26T10:00:00Z " prefix (for
 * human-readable states such as "prune.last"). */
int svc_state_set_stamped(struct svc_db *s, const char *key, const char *value);

/* Removes every state key starting with prefix (e.g. "capture." at start:
 * the interfaces of an earlier run). Returns 0 or -1. */
int svc_state_clear_prefix(struct svc_db *s, const char *prefix);
/* One interface's counters in the state table, in one transaction:
 * capture.IFACE.packets, capture.IFACE.drops (kernel + interface drops),
 * capture.IFACE.state ("capturing", or "lost TIME REASON"). Returns 0 or
 * -1. */
int svc_iface_counters(struct svc_db *s, const char *iface, uint64_t packets, uint64_t drops,
                       const char *state);

/* Free space on the filesystem holding path, in MiB; -1 if unknown. Tests
 * set svc_free_mb_override to a number >= 0 to inject one. */
int64_t svc_free_mb(const char *path);
extern int64_t svc_free_mb_override;

/* pid file beside the store ("mamori.db" -> "mamori.db.pid"): written at
 * start, removed at exit; `status` reads it to tell whether watch is alive. */
void svc_pidfile_path(const char *db, char *out, size_t outlen);
int svc_pidfile_write(const char *db);
void svc_pidfile_remove(const char *db);
/* The pid of a live watch on db, or 0. */
long svc_pidfile_alive(const char *db);

#endif

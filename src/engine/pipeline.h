/* pipeline.h - one packet's trip: decode -> flows -> application layer ->
 * sinks.
 *
 * The capture layer (or a test, or a fuzz target) hands packets to
 * pipeline_packet(); each TCP/UDP layer's payload goes to the application
 * layer (app/app.h), whose events go to every sink as they happen; ended
 * flows go to every sink; about once a second of
 * wall-clock time the sinks commit, so a kill loses at most that much (or
 * every commit_packets packets, for reading a file).
 */
#ifndef MAMORI_PIPELINE_H
#define MAMORI_PIPELINE_H

#include <stdint.h>

#include "app/app.h"
#include "decode/decode.h"
#include "detect/detect.h"
#include "flow/flow.h"
#include "store/sink.h"
#include "util/config.h"

#define PIPELINE_MAX_SINKS 4
/* read commits every this many packets (pipeline.commit_packets; a multiple
 * of 4096, the packet count at which the commit cadence is looked at). */
#define READ_COMMIT_PACKETS 131072

struct pipeline {
    struct decode_ctx dec;
    struct flow_table *ft;
    struct app_layer *app;    /* payload parsers; flows end through it */
    struct detect *det;       /* inventory and detectors; NULL when detect.enabled is off */
    struct sink *sinks[PIPELINE_MAX_SINKS];
    int nsinks;
    int sink_failed;          /* a sink reported an environment failure */
    uint64_t now_us;          /* latest packet time seen */
    uint64_t last_expire_us;
    uint64_t last_commit_ms;  /* wall clock, for commit cadence */
    uint32_t commit_packets;  /* > 0: commit every this many packets instead (read: the same
                               * file always gives the same store, however fast it runs) */
    /* totals */
    uint64_t packets, bytes, flows_out, decode_errors, app_events, alerts;
    uint64_t first_ts_us, last_ts_us;
    uint64_t kernel_drops, iface_drops;
};

/* Sets up decode context and flow table. Sinks are added afterwards and are
 * owned (closed) by the pipeline from then on. */
void pipeline_init(struct pipeline *p, const struct mamori_config *cfg);
/* The same with the MAC vendor registry and the known-device list for the
 * inventory (either may be NULL; both must outlive the pipeline). */
void pipeline_init_detect(struct pipeline *p, const struct mamori_config *cfg,
                          const struct oui_db *oui, const struct known_list *known);
void pipeline_add_sink(struct pipeline *p, struct sink *s);

/* Tells every sink a run starts, and loads the devices the store knows into
 * the inventory. Returns 0 or -1. */
int pipeline_run_start(struct pipeline *p, const struct run_info *ri);

/* Processes one captured packet (pkt->ts_us, caplen, wirelen, linktype and
 * data set by the caller). Returns 0, or -1 once a sink has failed. */
int pipeline_packet(struct pipeline *p, struct packet *pkt);

/* Commits sinks if a second of wall time has passed since the last commit. */
int pipeline_maybe_commit(struct pipeline *p);

/* Live capture with no packets for a while: moves time on to now_us (wall
 * clock, which is what live packet timestamps are) so idle flows expire. */
void pipeline_tick(struct pipeline *p, uint64_t now_us);

/* Ends all flows (capture end), records totals, commits. Returns 0 or -1. */
int pipeline_finish(struct pipeline *p);

/* Closes sinks and frees everything. */
void pipeline_release(struct pipeline *p);

#endif

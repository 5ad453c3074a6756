/* pipeline.c - decode each packet, account its IP layers to flows, hand
 * ended flows to the sinks, commit about once a second. */
#include <string.h>

#include "engine/pipeline.h"
#include "decode/defrag.h"
#include "util/util.h"

/* Flows end inside flow-table calls; this forwards each to every sink. */
static void pipeline_on_flow_end(void *arg, struct flow *f)
{
    struct pipeline *p = arg;
    /* The parsers report what is pending and name the flow first. */
    app_flow_end(p->app, f);
    if (p->det)
        detect_flow(p->det, f);
    p->flows_out++;
    for (int i = 0; i < p->nsinks; i++) {
        if (p->sinks[i]->ops->flow(p->sinks[i], f) < 0)
            p->sink_failed = 1;
    }
}

/* Application-layer events go to every sink that takes them. */
static void pipeline_on_app_event(void *arg, const struct app_event *ev)
{
    struct pipeline *p = arg;
    p->app_events++;
    if (p->det)
        detect_app_event(p->det, ev);
    for (int i = 0; i < p->nsinks; i++) {
        struct sink *s = p->sinks[i];
        if (s->ops->app_event && s->ops->app_event(s, ev) < 0)
            p->sink_failed = 1;
    }
}

/* Alerts go to every sink that takes them. */
static void pipeline_on_alert(void *arg, const struct alert *a)
{
    struct pipeline *p = arg;
    if (!a->update)
        p->alerts++;
    for (int i = 0; i < p->nsinks; i++) {
        struct sink *s = p->sinks[i];
        if (s->ops->alert && s->ops->alert(s, a) < 0)
            p->sink_failed = 1;
    }
}

void pipeline_init(struct pipeline *p, const struct mamori_config *cfg)
{
    pipeline_init_detect(p, cfg, NULL, NULL);
}

void pipeline_init_detect(struct pipeline *p, const struct mamori_config *cfg,
                          const struct oui_db *oui, const struct known_list *known)
{
    memset(p, 0, sizeof(*p));
    decode_ctx_init(&p->dec, &cfg->decode);
    if (cfg->detect.enabled)
        p->det = detect_new(&cfg->detect, oui, known, pipeline_on_alert, p);
    p->app = app_layer_new(&cfg->app, pipeline_on_app_event, p);
    p->ft = flow_table_new(&cfg->flow, pipeline_on_flow_end, p);
    p->last_commit_ms = mono_ms();
}

void pipeline_add_sink(struct pipeline *p, struct sink *s)
{
    if (p->nsinks >= PIPELINE_MAX_SINKS)
        BUG("too many sinks");
    p->sinks[p->nsinks++] = s;
}

int pipeline_run_start(struct pipeline *p, const struct run_info *ri)
{
    for (int i = 0; i < p->nsinks; i++) {
        struct sink *s = p->sinks[i];
        if (s->ops->run_start && s->ops->run_start(s, ri) < 0)
            return -1;
        if (p->det && s->ops->load_inventory &&
            s->ops->load_inventory(s, detect_inventory(p->det)) < 0)
            return -1;
    }
    return 0;
}

static int pipeline_save_device(void *arg, const struct device *d)
{
    struct pipeline *p = arg;
    for (int i = 0; i < p->nsinks; i++) {
        struct sink *s = p->sinks[i];
        if (s->ops->device && s->ops->device(s, d) < 0) {
            p->sink_failed = 1;
            return -1;
        }
    }
    return 0;
}

static int pipeline_commit(struct pipeline *p)
{
    int rc = 0;
    /* Aggregated alerts and changed devices join this commit. */
    if (p->det) {
        detect_flush(p->det);
        inventory_save(detect_inventory(p->det), pipeline_save_device, p);
    }
    for (int i = 0; i < p->nsinks; i++) {
        if (p->sinks[i]->ops->commit(p->sinks[i]) < 0)
            rc = -1;
    }
    p->last_commit_ms = mono_ms();
    if (rc < 0)
        p->sink_failed = 1;
    return rc;
}

int pipeline_maybe_commit(struct pipeline *p)
{
    if (mono_ms() - p->last_commit_ms < STORE_COMMIT_INTERVAL_MS)
        return p->sink_failed ? -1 : 0;
    return pipeline_commit(p);
}

/* Moves packet time forward: expire flows and fragments once per second of
 * packet time (flow_table_expire only looks at list heads, but there is no
 * point calling it more often than the timeouts' resolution). */
static void pipeline_advance(struct pipeline *p, uint64_t ts_us)
{
    if (ts_us <= p->now_us)
        return;
    p->now_us = ts_us;
    if (ts_us - p->last_expire_us >= 1000000u) {
        p->last_expire_us = ts_us;
        flow_table_expire(p->ft, ts_us);
        defrag_expire(p->dec.defrag, &p->dec, ts_us);
        if (p->det)
            detect_tick(p->det, ts_us);
    }
}

int pipeline_packet(struct pipeline *p, struct packet *pkt)
{
    p->packets++;
    p->bytes += pkt->wirelen;
    if (!p->first_ts_us || pkt->ts_us < p->first_ts_us)
        p->first_ts_us = pkt->ts_us;
    if (pkt->ts_us > p->last_ts_us)
        p->last_ts_us = pkt->ts_us;
    pipeline_advance(p, pkt->ts_us);

    decode_packet(&p->dec, pkt);
    if (pkt->malformed)
        p->decode_errors++;
    if (p->det)
        detect_packet(p->det, pkt);

    for (unsigned i = 0; i < pkt->layer_count; i++) {
        const struct ip_layer *l = &pkt->layers[i];
        uint32_t frames = 1;
        uint64_t wire = pkt->wirelen;
        if (l->is_fragment)
            continue; /* credited when the datagram completes */
        if (l->reassembled) {
            frames = l->frag_frames;
            wire = l->frag_wire_bytes;
        }
        struct flow *f = flow_table_update(p->ft, pkt, l, frames, wire);
        if (!f)
            continue;
        if (p->det && f->pkts[0] + f->pkts[1] == frames)
            detect_flow_start(p->det, f);
        app_packet(p->app, f, l, f->pkt_dir, pkt->ts_us);
    }

    /* Checking the clock on every packet would cost more than the rest of
     * the pipeline; every 4096 packets is well under a second at any rate
     * we care about. Reading a file commits by packet count instead (a
     * multiple of 4096), so that what is saved when (devices, evidence,
     * aggregated alerts) does not depend on how fast the machine is. */
    if ((p->packets & 4095) == 0) {
        if (!p->commit_packets)
            return pipeline_maybe_commit(p);
        if (p->packets % p->commit_packets == 0)
            return pipeline_commit(p);
    }
    return p->sink_failed ? -1 : 0;
}

void pipeline_tick(struct pipeline *p, uint64_t now_us)
{
    pipeline_advance(p, now_us);
}

int pipeline_finish(struct pipeline *p)
{
    flow_table_flush(p->ft);
    if (p->det)
        detect_finish(p->det);
    struct run_stats rs = {
        .packets = p->packets,
        .bytes = p->bytes,
        .flows = p->flows_out,
        .decode_errors = p->decode_errors,
        .first_ts_us = p->first_ts_us,
        .last_ts_us = p->last_ts_us,
        .kernel_drops = p->kernel_drops,
        .iface_drops = p->iface_drops,
        .event_counts = p->dec.events,
        .flow_stats = flow_table_stats(p->ft),
    };
    for (int i = 0; i < p->nsinks; i++) {
        struct sink *s = p->sinks[i];
        if (s->ops->run_end && s->ops->run_end(s, &rs) < 0)
            p->sink_failed = 1;
    }
    pipeline_commit(p);
    return p->sink_failed ? -1 : 0;
}

void pipeline_release(struct pipeline *p)
{
    for (int i = 0; i < p->nsinks; i++)
        p->sinks[i]->ops->close(p->sinks[i]);
    p->nsinks = 0;
    /* Flows still open (no pipeline_finish: an error path) go nowhere, but
     * their application state must be freed. */
    flow_table_flush(p->ft);
    flow_table_free(p->ft);
    p->ft = NULL;
    app_layer_free(p->app);
    p->app = NULL;
    detect_free(p->det);
    p->det = NULL;
    decode_ctx_release(&p->dec);
}

/* reload.h - what a SIGHUP changes in a running `mamori watch`.
 *
 * The new settings were loaded and checked (a bad file never gets here).
 * Each setting is one of three kinds:
 *  - applied at once: store.* retention and disk numbers,
 *    service.checkpoint_interval, the list paths (inventory.known_devices,
 *    intel.dir: the lists are loaded again), [notify] and site.company (the
 *    notifier takes them), detector thresholds (detect_reconfigure());
 *  - needs a restart: what a component copied when it was made and cannot
 *    change under running flows (capture.*, flow.*, stream.*, defrag.*,
 *    app.*, decode.*, net.home, inventory.* numbers, detector table caps,
 *    the store path, the user, the EVE sensor name);
 *  - not used by watch (mail.*, geoip.db: read by `mamori mail`/`report`
 *    each time they run): neither listed nor reported.
 * A restart-only key keeps its old value in the running settings, so the
 * next reload still lists it until the process restarts.
 */
#ifndef MAMORI_SERVICE_RELOAD_H
#define MAMORI_SERVICE_RELOAD_H

#include <stddef.h>

#include "util/config.h"
#include "util/strbuf.h"

/* Compares the settings in effect (cur) with ncfg, outside the detection
 * stage (the caller runs detect_reconfigure() for ncfg->detect): changed
 * keys are appended to applied or restart (", "-separated), the ones that
 * apply are copied into cur. Returns how many keys changed. */
unsigned reload_settings(struct mamori_config *cur, const struct mamori_config *ncfg,
                         struct strbuf *applied, struct strbuf *restart);

/* The i-th restart-only key reload_settings() knows, NULL past the last
 * (for the tests: each must be a real setting). */
const char *reload_restart_key(size_t i);

#endif

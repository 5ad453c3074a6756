/* sensor.h - what `read` and `watch` share: options, sinks, signals, the
 * summary. */
#ifndef MAMORI_CLI_SENSOR_H
#define MAMORI_CLI_SENSOR_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/pipeline.h"
#include "inventory/known.h"
#include "inventory/oui.h"
#include "util/config.h"

struct sensor_opts {
    const char *db;       /* --db, else store.path, else ./mamori.db */
    const char *eve;      /* NULL: no EVE output */
    const char *bpf;
    char ifaces[256];     /* watch only: every -i, joined with commas; overrides
                           * capture.interface (also on reload) */
    const char *user;     /* watch only */
    const char *known_path; /* --known, else the config's, else beside the db */
    const char *intel_dir;  /* --intel, else the config's intel.dir, else "intel" beside the db */
    int quiet;
    bool is_watch;           /* watch; else read (a bulk load into the store) */
    const char *config_path; /* --config (reloaded on SIGHUP by watch) */
    const char *sets[64];    /* --set KEY=VALUE, applied after the file (and again on reload) */
    int nsets;
    struct mamori_config cfg;
    /* loaded by sensor_setup() for the inventory */
    struct oui_db *oui;
    struct known_list known;
    struct intel_db *intel; /* threat lists (NULL: none loaded) */
};

/* Parses the options common to read and watch (getopt_long); on return
 * *first_arg is the index of the first operand. Returns 0, or EXIT_USAGE
 * after printing one line. `is_watch` enables -i and --user. */
int sensor_parse_opts(int argc, char **argv, int is_watch, struct sensor_opts *o,
                      int *first_arg);

/* Loads what the inventory reads (MAC vendors, the known-device list), sets
 * up the pipeline with them, and opens the SQLite store and EVE sinks into
 * it. Returns 0, EXIT_USAGE (a malformed known-device list) or EXIT_ENV
 * (message printed). The pipeline must be released before sensor_release(). */
int sensor_setup(struct sensor_opts *o, struct pipeline *p);
/* Frees what sensor_setup() loaded. */
void sensor_release(struct sensor_opts *o);

/* The known-device list path for a database: explicit (--known) if given,
 * else the config's inventory.known_devices, else known-devices.csv in the
 * database's directory. */
void sensor_known_path(const char *explicit_path, const char *cfg_path, const char *db,
                       char *out, size_t outlen);

/* SIGINT/SIGTERM set this to the signal number; the capture loop checks it. */
extern volatile sig_atomic_t sensor_stop;
/* SIGHUP sets this; watch reloads its settings and lists and clears it. */
extern volatile sig_atomic_t sensor_reload;
void sensor_install_signals(void);

/* Loads the settings again (--config, then --set, then -i) into cfg: defaults first,
 * so a removed key goes back to its default. Returns 0, or -1 after
 * printing every problem (cfg is then half-filled: throw it away). */
int sensor_load_config(const struct sensor_opts *o, struct mamori_config *cfg);

/* SIGHUP: with new settings already checked, loads the known-device list
 * and the threat lists again and swaps them in; either one that fails to
 * load keeps the old one (one line says so). Returns the number of lists
 * that failed. Flows and the inventory are untouched. */
int sensor_reload_lists(struct sensor_opts *o, struct pipeline *p,
                        const struct mamori_config *ncfg);

/* Prints the end-of-run summary on stdout. */
void sensor_print_summary(const struct pipeline *p, double elapsed_s, int live);

/* Whether decode_packet() understands a link type. */
int sensor_linktype_supported(int linktype);

#endif

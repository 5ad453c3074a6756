/* sensor.h - what `read` and `watch` share: options, sinks, signals, the
 * summary. */
#ifndef MAMORI_CLI_SENSOR_H
#define MAMORI_CLI_SENSOR_H

#include <signal.h>
#include <stdint.h>

#include "engine/pipeline.h"
#include "util/config.h"

struct sensor_opts {
    const char *db;       /* default ./mamori.db */
    const char *eve;      /* NULL: no EVE output */
    const char *bpf;
    const char *iface;    /* watch only */
    const char *user;     /* watch only */
    int quiet;
    struct mamori_config cfg;
};

/* Parses the options common to read and watch (getopt_long); on return
 * *first_arg is the index of the first operand. Returns 0, or EXIT_USAGE
 * after printing one line. `is_watch` enables -i and --user. */
int sensor_parse_opts(int argc, char **argv, int is_watch, struct sensor_opts *o,
                      int *first_arg);

/* Opens the SQLite store and EVE sinks into the pipeline. Returns 0 or
 * EXIT_ENV (message printed). */
int sensor_open_sinks(struct sensor_opts *o, struct pipeline *p);

/* SIGINT/SIGTERM set this to the signal number; the capture loop checks it. */
extern volatile sig_atomic_t sensor_stop;
void sensor_install_signals(void);

/* Prints the end-of-run summary on stdout. */
void sensor_print_summary(const struct pipeline *p, double elapsed_s, int live);

/* Whether decode_packet() understands a link type. */
int sensor_linktype_supported(int linktype);

#endif

/* scenario.h - the table of synthetic capture scenarios.
 *
 * `mamori gen-scenario NAME -o FILE` writes one of these. They exist so the
 * project never ships a capture it did not make: the demo, the tests and
 * every detector's test (one scenario per threat) come from here.
 *
 * Output is deterministic: the same name, seed and options give the same
 * bytes, on any machine.
 */
#ifndef MAMORI_SCENARIO_H
#define MAMORI_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

struct scn;

/* Options a scenario may read; 0 means "the scenario's default". */
struct scenario_opts {
    uint64_t seed;    /* PRNG seed (default 1) */
    uint32_t hosts;   /* number of client PCs (office) */
    uint32_t minutes; /* packet time covered (office) */
    uint64_t packets; /* packet count (flood) */
};

struct scenario {
    const char *name;
    const char *description; /* one line for --list */
    void (*generate)(struct scn *s, const struct scenario_opts *o);
};

/* Detector scenarios, one table per detector family (scn-<family>.c), each
 * terminated by an entry with name NULL; expectations in
 * tests/golden/scenarios-<family>.tsv. */
extern const struct scenario scn_table_scan[], scn_table_auth[], scn_table_lateral[],
    scn_table_behaviour[], scn_table_intel[], scn_table_dns[], scn_table_practice[],
    scn_table_web[], scn_table_incident[], scn_table_month[];

/* NULL if no scenario has that name. */
const struct scenario *scenario_find(const char *name);
/* The i-th scenario, NULL past the end (for --list and tests). */
const struct scenario *scenario_get(size_t i);

/* Generates sc into path ("-" for stdout). Returns 0, or -1 with errno set
 * if the file could not be opened or written. *npackets (may be NULL) gets
 * the number of packets written. */
int scenario_write(const struct scenario *sc, const struct scenario_opts *o, const char *path,
                   uint64_t *npackets);

/* Generators (one file each when they grow big). */
void scn_gen_office(struct scn *s, const struct scenario_opts *o);
/* One per application protocol family (scn-app2.c, scn-quic.c): the
 * parsers' fixtures, facts listed in tests/golden/scenarios-app.tsv. */
void scn_gen_app_dns(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_dhcp(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_tls(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_http(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_mail(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_ssh(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_smb(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_quic(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_rdp(struct scn *s, const struct scenario_opts *o);
void scn_gen_app_stream(struct scn *s, const struct scenario_opts *o);
/* Device inventory findings (scn-devices.c), expectations in
 * tests/golden/scenarios-devices.tsv. */
void scn_gen_dev_office(struct scn *s, const struct scenario_opts *o);
void scn_gen_dev_rotate(struct scn *s, const struct scenario_opts *o);
void scn_gen_dev_arpspoof(struct scn *s, const struct scenario_opts *o);
void scn_gen_dev_ipconflict(struct scn *s, const struct scenario_opts *o);
void scn_gen_dev_returned(struct scn *s, const struct scenario_opts *o);
void scn_gen_dev_legacy(struct scn *s, const struct scenario_opts *o);
void scn_gen_dev_newservice(struct scn *s, const struct scenario_opts *o);

#endif

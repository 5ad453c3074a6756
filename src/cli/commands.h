/* commands.h - the subcommands of `mamori`, git style.
 * Each cmd_<name>(argc, argv) gets argv[0] == "<name>" and returns the exit
 * status: 0 ok, 1 environment failure, 2 bad usage or bad input. */
#ifndef MAMORI_COMMANDS_H
#define MAMORI_COMMANDS_H

#include <stdint.h>

int cmd_read(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_gen_scenario(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_intel(int argc, char **argv);
int cmd_weblog(int argc, char **argv);
int cmd_scope(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_notify(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_config(int argc, char **argv);

extern const char cmd_gen_scenario_usage[];
/* Usage texts kept beside their command: [0] English, [1] Japanese. */
extern const char *const cmd_intel_usage[2], *const cmd_weblog_usage[2],
    *const cmd_scope_usage[2], *const cmd_timeline_usage[2], *const cmd_report_usage[2],
    *const cmd_mail_usage[2], *const cmd_notify_usage[2], *const cmd_status_usage[2],
    *const cmd_config_usage[2];

/* Usage text of a command in the current language, NULL if unknown. */
const char *command_usage(const char *name);
/* Prints `mamori help` (the list of commands). */
void print_command_list(void);

struct alert;
/* Prints one alert as `mamori alerts` does (json: its --json line), in the
 * current language; id is the alert's number. */
void alert_print(const struct alert *a, int64_t id, int json);

#define EXIT_ENV 1
#define EXIT_USAGE 2

#endif

/* cli-args.h - command-line errors worded the same way by every command.
 *
 * Each returns EXIT_USAGE after printing one "mamori: CMD: ..." line, so a
 * command's option loop reads `return cli_bad_option("scope", argv);`. */
#ifndef MAMORI_CLI_ARGS_H
#define MAMORI_CLI_ARGS_H

#include <stdint.h>

/* The current wall-clock time in microseconds since the epoch (UTC). */
uint64_t cli_now_us(void);

/* getopt_long returned '?' or ':' for argv[optind - 1]. */
int cli_bad_option(const char *cmd, char **argv);

/* A positional argument the command does not take. */
int cli_extra_arg(const char *cmd, const char *arg);

/* Parses --since/--until's ARG into *out (see parse_time_arg); 0, or
 * EXIT_USAGE with the accepted forms named. */
int cli_time(const char *cmd, const char *arg, uint64_t now_us, uint64_t *out);

/* 0 when the window [since, until] is empty-ended or in order, else
 * EXIT_USAGE ("--until is before --since"). */
int cli_window(const char *cmd, uint64_t since_us, uint64_t until_us);

#endif

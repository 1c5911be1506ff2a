/* cli.h — the subcommand table shared by main.c and the cmd_*.c files. */
#ifndef MANRS_CLI_H
#define MANRS_CLI_H

#include <stdbool.h>
#include <stdint.h>

struct mrs_command {
    const char *name;
    int (*fn)(int argc, char **argv); /* argv[0] is the subcommand name */
    const char *summary;
};


/* A moment in time as every command accepts it: Unix seconds or ISO 8601 in UTC
 * (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]). False if it is neither. */
bool cli_parse_time(const char *s, uint32_t *out);
#define CLI_TIME_HELP "Unix seconds or ISO 8601 (2025-12-01, 2025-12-01T12:00:00Z)"

int cmd_dump(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_example(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_antispoof(int argc, char **argv);
int cmd_whoisd(int argc, char **argv);
int cmd_filter(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_observe(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif

/* cli.h — the subcommand table shared by main.c and the cmd_*.c files. */
#ifndef MANRS_CLI_H
#define MANRS_CLI_H

struct mrs_command {
    const char *name;
    int (*fn)(int argc, char **argv); /* argv[0] is the subcommand name */
    const char *summary;
};


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

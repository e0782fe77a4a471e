/* cli.h - what the parts of the sbx tool share: the exit statuses, the
 * helpers (cli.c), the options (run-options.c), the commands, the
 * terminal (tty.c).  sbx.c calls the commands, the commands the options,
 * the terminal and the helpers, the options the helpers: never back. */
#ifndef SBX_CLI_H
#define SBX_CLI_H

#include <stdio.h>

#include "sandbox.h"

/* Every exit status sbx decides itself, the one list of them; README's
 * "Exit status" table documents it and tests/cli-exit.sh holds the two
 * together.  Otherwise a run exits with the program's own status. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_CANNOT_RUN = 1, /* sbx doctor: the default policy cannot
				  * run on this host */
	CLI_EXIT_TIMEOUT = 124,  /* the wall clock (--timeout) ended the run */
	CLI_EXIT_SETUP = 125,    /* a bad option or policy, or the sandbox
				  * could not be set up: sbx said why */
	CLI_EXIT_NOEXEC = 126,   /* the program cannot be executed */
	CLI_EXIT_NOTFOUND = 127, /* the program is not found inside */
	CLI_EXIT_SIGNAL = 128,   /* + N: signal N killed the program; SIGKILL
				  * (137) too when a limit did */
};

/* cli.c: print "sbx: ..." on stderr; returns CLI_EXIT_SETUP. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli.c: print text wrapped at 79 columns, each line after the first
 * indented. */
void cli_wrap(FILE *f, const char *first, const char *text, int indent);

/* run-options.c: the options of `sbx run` (those of policies too:
 * --policy, --preset, --allow-degraded, --require, --read-only) parsed
 * onto sbx, without running anything.  0: parsed, the program (or the
 * arguments of `sbx policy explain`) at argv[o->argi]; 1: sbx is to exit
 * with *ret_exit (--help, --version, or an error it printed).  getopt
 * starts over at each call. */
struct cli_run_opts {
	const char *json_dest; /* --json-result */
	int pty;               /* --pty 1, --no-pty 0, else -1 */
	int argi;
};
int cli_run_parse(sbx_t *sbx, int argc, char **argv, const char *policy_action,
		  struct cli_run_opts *o, int *ret_exit);
/* run-options.c: the usage text of sbx, its options included. */
void cli_usage(FILE *f);

/* The commands, which main() (sbx.c) chooses among: argv[0] is "sbx run",
 * "sbx policy" or "sbx doctor"; each returns sbx's exit status. */
int cmd_run(int argc, char **argv);    /* run.c */
int cmd_policy(int argc, char **argv); /* policy-cmd.c */
int cmd_doctor(int argc, char **argv); /* doctor.c */

/* tty.c: the caller's terminal fd in raw mode while a program's terminal
 * is relayed and sbx is in the foreground (keys, ^C included, go to the
 * program); restored at the end, on fatal signals, while stopped or in
 * the background.  Nothing happens unless fd is a terminal. */
void cli_tty_raw(int fd);
void cli_tty_restore(void);
/* 1 while the terminal waits to go raw (sbx is in the background: `fg`
 * of a running job sends no signal, so cli_tty_check() now and then). */
int cli_tty_cooked(void);
void cli_tty_check(void);

#endif

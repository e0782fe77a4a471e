/* sbx.c - the command-line tool: a thin layer over the public API. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sandbox.h"

static int write_json(sbx_t *sbx, const char *dest)
{
	const char *json = sbx_result_json(sbx);
	FILE *f;

	if (!dest || !json)
		return 0;
	if (strcmp(dest, "-") == 0) {
		fprintf(stderr, "%s\n", json);
		return 0;
	}
	f = fopen(dest, "we");
	if (!f)
		return cli_fail("cannot write the result to %s: %s", dest,
				strerror(errno));
	fprintf(f, "%s\n", json);
	if (fclose(f) != 0)
		return cli_fail("cannot write the result to %s: %s", dest,
				strerror(errno));
	return 0;
}

/* Wait for the run.  Started in the background, our terminal goes raw
 * once `fg` gives it to us, which no signal tells: look now and then. */
static int wait_run(sbx_t *sbx)
{
	while (cli_tty_cooked() && sbx_try_wait(sbx) == -EAGAIN) {
		struct pollfd p = { sbx_fd(sbx, SBX_FD_STATUS), POLLIN, 0 };

		if (poll(&p, 1, 250) < 0 && errno != EINTR)
			break;
		cli_tty_check();
	}
	return sbx_wait(sbx);
}

/* Changes the copy-on-write workspace did not take (withheld, or no room
 * for them on a full disk: the message names where they are kept): the
 * developer must hear of them, whatever the program's status says. */
static void note_withheld(sbx_t *sbx)
{
	if (sbx_result(sbx, SBX_RESULT_WITHHELD) > 0 ||
	    sbx_result(sbx, SBX_RESULT_UNAPPLIED) > 0)
		fprintf(stderr, "sbx: %s\n", sbx_result_message(sbx));
}

/* The exit status a shell user expects, and one line on stderr when the
 * sandbox, not the program, decided it. */
static int exit_status(sbx_t *sbx)
{
	int64_t status = sbx_result(sbx, SBX_RESULT_STATUS);
	int64_t sig = sbx_result(sbx, SBX_RESULT_SIGNAL);
	int64_t err = sbx_result(sbx, SBX_RESULT_SETUP_ERRNO);
	const char *json = sbx_result_json(sbx);

	switch (status) {
	case SBX_STATUS_EXITED:
		return (int)sbx_result(sbx, SBX_RESULT_EXIT_CODE);
	case SBX_STATUS_SIGNALED:
		return CLI_EXIT_SIGNAL + (int)sig;
	case SBX_STATUS_TIMEOUT:
		fprintf(stderr, "sbx: timed out: %s\n", sbx_result_message(sbx));
		return CLI_EXIT_TIMEOUT;
	case SBX_STATUS_CPU_LIMIT:
	case SBX_STATUS_KILLED:
		fprintf(stderr, "sbx: %s\n", sbx_result_message(sbx));
		return CLI_EXIT_SIGNAL + SIGKILL;
	case SBX_STATUS_MEMORY_LIMIT:
	case SBX_STATUS_PIDS_LIMIT:
		/* killed at the limit, or failed there by itself: then its
		 * own status */
		fprintf(stderr, "sbx: %s\n", sbx_result_message(sbx));
		if (sig)
			return CLI_EXIT_SIGNAL + (int)sig;
		return sbx_result(sbx, SBX_RESULT_EXIT_CODE) > 0
			       ? (int)sbx_result(sbx, SBX_RESULT_EXIT_CODE)
			       : CLI_EXIT_SIGNAL + SIGKILL;
	case SBX_STATUS_SETUP_ERROR:
		fprintf(stderr, "sbx: %s\n", sbx_last_error(sbx));
		if (json && strstr(json, "\"step\":\"exec\""))
			return err == ENOENT ? CLI_EXIT_NOTFOUND
					     : CLI_EXIT_NOEXEC;
		return CLI_EXIT_SETUP;
	}
	fprintf(stderr, "sbx: the sandbox ended in an unknown way: %s\n",
		json ? json : "(no result)");
	return CLI_EXIT_SETUP;
}

/* cli.h: policy_action is NULL for `sbx run`. */
int cli_run(int argc, char **argv, const char *policy_action)
{
	struct cli_run_opts o;
	sbx_t *sbx = NULL;
	int r, rc = CLI_EXIT_SETUP;

	r = sbx_create(&sbx);
	if (r < 0)
		return cli_fail("cannot create a sandbox: %s", strerror(-r));
	if (cli_run_parse(sbx, argc, argv, policy_action, &o, &rc))
		goto out;
	rc = CLI_EXIT_SETUP;
	if (policy_action) { /* sbx policy ...: print, do not run */
		rc = cli_policy_finish(sbx, policy_action, argc - o.argi,
				       argv + o.argi);
		goto out;
	}
	/* The output is the program's to stream as it would to our
	 * terminal; the terminal it gets is its own (the library relays). */
	if (o.pty < 0)
		o.pty = isatty(1);
	sbx_set_flag(sbx, SBX_FLAG_PTY, o.pty);
	r = sbx_exec(sbx, (const char *const *)&argv[o.argi]);
	if (r < 0) {
		rc = cli_fail("%s", sbx_last_error(sbx));
		goto out;
	}
	if (o.pty)
		cli_tty_raw(0); /* tty.c: keys go to the program's terminal */
	r = wait_run(sbx);
	cli_tty_restore();
	if (r < 0) {
		rc = cli_fail("%s", sbx_last_error(sbx));
		goto out;
	}
	cli_note_degraded(sbx);
	note_withheld(sbx);
	rc = exit_status(sbx);
	if (write_json(sbx, o.json_dest))
		rc = CLI_EXIT_SETUP;
out:
	cli_tty_restore();
	sbx_destroy(sbx);
	return rc;
}

int main(int argc, char **argv)
{
	static char name_run[] = "sbx run", name_policy[] = "sbx policy",
		    name_doctor[] = "sbx doctor";

	if (argc < 2)
		return cli_fail("usage: sbx run [OPTIONS] [--] PROGRAM [ARG...]; "
				"see `sbx --help`");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sbx (libsandbox) %s\n", sbx_version());
		return 0;
	}
	/* getopt names argv[0] in its messages: "sbx run: unrecognized..." */
	if (strcmp(argv[1], "run") == 0) {
		argv[1] = name_run;
		return cli_run(argc - 1, argv + 1, NULL);
	}
	if (strcmp(argv[1], "policy") == 0) {
		argv[1] = name_policy;
		return cmd_policy(argc - 1, argv + 1); /* policy-cmd.c */
	}
	if (strcmp(argv[1], "doctor") == 0) {
		argv[1] = name_doctor;
		return cmd_doctor(argc - 1, argv + 1); /* doctor.c */
	}
	return cli_fail("unknown command '%s'; see `sbx --help`", argv[1]);
}

/* run.c - `sbx run`: run the program the options name, wait for it with
 * the caller's terminal given to it, and report its result: the exit
 * status (enum cli_exit), what the sandbox decided on stderr, the result
 * as JSON. */
#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

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
	const char *json = sbx_result_json(sbx), *step;

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
		step = sbx_result_setup_step(sbx);
		if (step && strcmp(step, "exec") == 0)
			return err == ENOENT ? CLI_EXIT_NOTFOUND
					     : CLI_EXIT_NOEXEC;
		return CLI_EXIT_SETUP;
	}
	fprintf(stderr, "sbx: the sandbox ended in an unknown way: %s\n",
		json ? json : "(no result)");
	return CLI_EXIT_SETUP;
}

/* After a run: a degraded sandbox is said out loud. */
static void note_degraded(sbx_t *sbx)
{
	json_object *o, *v;
	const char *json = sbx_result_json(sbx);

	if (sbx_result(sbx, SBX_RESULT_DEGRADED) != 1 || !json)
		return;
	cli_wrap(stderr, "sbx: warning: ran degraded, without namespaces:",
		 sbx_result_degraded_reason(sbx), 5);
	cli_wrap(stderr, "sbx: enforced:", sbx_result_layers(sbx), 5);
	o = json_tokener_parse(json);
	if (json_object_object_get_ex(o, "degraded_not_hidden", &v) &&
	    json_object_array_length(v)) {
		size_t i;

		fprintf(stderr, "sbx: not hidden without namespaces:\n");
		for (i = 0; i < json_object_array_length(v); i++)
			cli_wrap(stderr, "  -",
				 json_object_get_string(
					 json_object_array_get_idx(v, i)),
				 4);
	}
	json_object_put(o);
}

/* `sbx run`: the options onto a handle (run-options.c), the run, and
 * what sbx says of it: its exit status, the result as JSON. */
int cmd_run(int argc, char **argv)
{
	struct cli_run_opts o;
	sbx_t *sbx = NULL;
	int r, rc = CLI_EXIT_SETUP;

	r = sbx_create(&sbx);
	if (r < 0)
		return cli_fail("cannot create a sandbox: %s", strerror(-r));
	if (cli_run_parse(sbx, argc, argv, NULL, &o, &rc))
		goto out;
	rc = CLI_EXIT_SETUP;
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
	note_degraded(sbx);
	note_withheld(sbx);
	rc = exit_status(sbx);
	if (write_json(sbx, o.json_dest))
		rc = CLI_EXIT_SETUP;
out:
	cli_tty_restore();
	sbx_destroy(sbx);
	return rc;
}


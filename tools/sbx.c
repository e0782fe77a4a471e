/* sbx.c - the command-line tool: a thin layer over the public API. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sandbox.h"

#define EXIT_TIMEOUT 124
#define EXIT_SETUP 125
#define EXIT_NOEXEC 126
#define EXIT_NOTFOUND 127

static const char usage_text[] =
	"Usage: sbx run [OPTIONS] [--] PROGRAM [ARG...]\n"
	"       sbx policy show|explain|export [OPTIONS]\n"
	"       sbx doctor [--json]\n"
	"       sbx --version | --help\n"
	"\n"
	"Run PROGRAM in a sandbox: its own user, PID, mount, network, IPC,\n"
	"UTS and cgroup namespaces, read-only system directories, no home,\n"
	"no network, a scrubbed environment, no capabilities, seccomp.\n"
	"\n"
	"Options:\n"
	"  --workspace DIR       bind DIR at /workspace (the start directory),\n"
	"                        read-only unless --rw\n"
	"  --rw                  make the workspace writable\n"
	"  --ro-bind SRC[:DST]   bind host path SRC read-only at DST\n"
	"  --bind SRC[:DST]      bind host path SRC read-write at DST\n"
	"  --env NAME=VALUE      set a variable in the program's environment\n"
	"  --env NAME            pass the caller's NAME\n"
	"  --cwd DIR             start directory inside the sandbox\n"
	"  --rw-live             make the workspace a live, writable bind\n"
	"                        (changes land at once; no disk budget)\n"
	"  --timeout SECONDS     wall-clock limit (kills every process;\n"
	"                        0: none; 500ms, 90s, 2m, 1h too)\n"
	"  --cpu SECONDS         CPU time of the whole sandbox (e.g. 1.5;\n"
	"                        0: none; units as --timeout)\n"
	"  --memory SIZE         memory + swap of the whole sandbox (256M)\n"
	"  --pids N              processes and threads\n"
	"  --disk SIZE           every byte written to /tmp, the home and a\n"
	"                        --rw workspace together (default 512M)\n"
	"  --fsize SIZE          largest file written\n"
	"  --nofile N            open files per process\n"
	"  --output-limit SIZE   bytes per output stream; past it output is\n"
	"                        dropped (default 64M)\n"
	"  --ptys N              terminals the program may open (default 16)\n"
	"  --cpus N              CPU bandwidth, in CPUs (e.g. 0.5)\n"
	"  --net none|host       network: none (default) or the host's\n"
	"  --pty                 give the program a terminal of its own, which\n"
	"                        the supervisor relays (the default when stdout\n"
	"                        is a terminal); never the caller's terminal\n"
	"  --no-pty              no terminal: the program's streams are pipes\n"
	"  --seccomp-kill        kill the program on a denied system call\n"
	"                        (default: the call fails with EPERM)\n"
	"  --single-id           map only the caller's id into the sandbox\n"
	"  --allow-setid         keep CAP_SETUID/CAP_SETGID inside, so programs\n"
	"                        can switch among the sandbox's mapped ids\n"
	"  --allow-trusted-paths let the program change what the host runs or\n"
	"                        trusts: .git/config and hooks, .envrc,\n"
	"                        .vscode/, CI workflows..., and leave symlinks\n"
	"                        out of the workspace (withheld from --rw,\n"
	"                        read-only in --rw-live and --bind otherwise)\n"
	"  --json-result FILE    write the result as JSON to FILE (- = stderr)\n"
	"  -h, --help            this text\n"
	"  --version             the version\n"
	"\n"
	"SIZE: bytes, or with K, M, G, T (powers of 1024; KiB... too).\n"
	"\n"
	"Exit status: the program's own; 128+N if killed by signal N (137\n"
	"for the memory, CPU and process limits, with the reason on stderr;\n"
	"a program that failed at the memory or process limit by itself\n"
	"keeps its own); 124 on timeout; 125 if the sandbox could not be set\n"
	"up; 126 if the program cannot be executed; 127 if it is not found.\n";

enum {
	OPT_WORKSPACE = 256,
	OPT_RW,
	OPT_RW_LIVE,
	OPT_CPU,
	OPT_MEMORY,
	OPT_PIDS,
	OPT_DISK,
	OPT_FSIZE,
	OPT_NOFILE,
	OPT_OUTPUT_LIMIT,
	OPT_CPUS,
	OPT_RO_BIND,
	OPT_BIND,
	OPT_ENV,
	OPT_CWD,
	OPT_TIMEOUT,
	OPT_NET,
	OPT_SECCOMP_KILL,
	OPT_SINGLE_ID,
	OPT_ALLOW_SETID,
	OPT_ALLOW_TRUSTED_PATHS,
	OPT_JSON,
	OPT_VERSION,
	OPT_PTY,
	OPT_NO_PTY,
	OPT_PTYS,
};

static const struct option run_options[] = {
	{ "workspace", required_argument, NULL, OPT_WORKSPACE },
	{ "rw", no_argument, NULL, OPT_RW },
	{ "rw-live", no_argument, NULL, OPT_RW_LIVE },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "pids", required_argument, NULL, OPT_PIDS },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "fsize", required_argument, NULL, OPT_FSIZE },
	{ "nofile", required_argument, NULL, OPT_NOFILE },
	{ "output-limit", required_argument, NULL, OPT_OUTPUT_LIMIT },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "ro-bind", required_argument, NULL, OPT_RO_BIND },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "cwd", required_argument, NULL, OPT_CWD },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "net", required_argument, NULL, OPT_NET },
	{ "seccomp-kill", no_argument, NULL, OPT_SECCOMP_KILL },
	{ "single-id", no_argument, NULL, OPT_SINGLE_ID },
	{ "allow-setid", no_argument, NULL, OPT_ALLOW_SETID },
	{ "allow-trusted-paths", no_argument, NULL, OPT_ALLOW_TRUSTED_PATHS },
	{ "json-result", required_argument, NULL, OPT_JSON },
	{ "pty", no_argument, NULL, OPT_PTY },
	{ "no-pty", no_argument, NULL, OPT_NO_PTY },
	{ "ptys", required_argument, NULL, OPT_PTYS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sbx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_SETUP;
}

/* --timeout, --cpu: seconds or a number with a unit, as the library
 * parses them for every front end (0: no limit); --cpus: CPUs, rounded to
 * thousandths alike, without a unit. */
static int limit_duration(sbx_t *sbx, const char *flag, int kind,
			  const char *arg)
{
	char err[256];
	uint64_t v;

	if (kind == SBX_LIMIT_CPU_SHARE && arg[strspn(arg, "0123456789.")])
		return fail("--%s %s: expected a number of CPUs, like 1 or "
			    "0.5 (0: no limit)",
			    flag, arg);
	if (sbx_parse_duration(arg, &v, err, sizeof(err)) < 0)
		return kind == SBX_LIMIT_CPU_SHARE
			       ? fail("--%s %s: expected a number of CPUs, "
				      "like 1 or 0.5, at least 0.001 (0: no "
				      "limit)",
				      flag, arg)
			       : fail("--%s: %s", flag, err);
	if (sbx_limit(sbx, kind, v) < 0)
		return fail("--%s %s: %s", flag, arg, sbx_last_error(sbx));
	return 0;
}

/* --memory 256M and friends: a size, with a message that names the flag. */
static int limit_size(sbx_t *sbx, const char *flag, int kind, const char *arg)
{
	uint64_t v;
	int r = sbx_parse_size(arg, &v);

	if (r == -ERANGE)
		return fail("--%s %s: too large", flag, arg);
	if (r < 0)
		return fail("--%s %s: expected a size like 512K, 256M or 2G",
			    flag, arg);
	if (sbx_limit(sbx, kind, v) < 0)
		return fail("--%s %s: %s", flag, arg, sbx_last_error(sbx));
	return 0;
}

static int limit_count(sbx_t *sbx, const char *flag, int kind, const char *arg)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v == 0)
		return fail("--%s %s: expected a positive whole number", flag,
			    arg);
	if (sbx_limit(sbx, kind, v) < 0)
		return fail("--%s %s: %s", flag, arg, sbx_last_error(sbx));
	return 0;
}

static int add_bind(sbx_t *sbx, const char *arg, uint32_t flags)
{
	char *copy = strdup(arg), *colon;
	int r;

	if (!copy)
		return -ENOMEM;
	colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	r = sbx_add_bind(sbx, copy, colon ? colon + 1 : NULL, flags);
	free(copy);
	return r;
}

static int set_env(sbx_t *sbx, const char *arg)
{
	char *copy = strdup(arg), *eq;
	int r;

	if (!copy)
		return -ENOMEM;
	eq = strchr(copy, '=');
	if (eq)
		*eq = '\0';
	r = sbx_set_env(sbx, copy, eq ? eq + 1 : NULL);
	free(copy);
	return r;
}

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
		return fail("cannot write the result to %s: %s", dest,
			    strerror(errno));
	fprintf(f, "%s\n", json);
	if (fclose(f) != 0)
		return fail("cannot write the result to %s: %s", dest,
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
		return 128 + (int)sig;
	case SBX_STATUS_TIMEOUT:
		fprintf(stderr, "sbx: timed out: %s\n", sbx_result_message(sbx));
		return EXIT_TIMEOUT;
	case SBX_STATUS_CPU_LIMIT:
	case SBX_STATUS_KILLED:
		fprintf(stderr, "sbx: %s\n", sbx_result_message(sbx));
		return 128 + 9;
	case SBX_STATUS_MEMORY_LIMIT:
	case SBX_STATUS_PIDS_LIMIT:
		/* killed at the limit, or failed there by itself: then its
		 * own status */
		fprintf(stderr, "sbx: %s\n", sbx_result_message(sbx));
		if (sig)
			return 128 + (int)sig;
		return sbx_result(sbx, SBX_RESULT_EXIT_CODE) > 0
			       ? (int)sbx_result(sbx, SBX_RESULT_EXIT_CODE)
			       : 128 + 9;
	case SBX_STATUS_SETUP_ERROR:
		fprintf(stderr, "sbx: %s\n", sbx_last_error(sbx));
		if (json && strstr(json, "\"step\":\"exec\""))
			return err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
		return EXIT_SETUP;
	}
	fprintf(stderr, "sbx: the sandbox ended in an unknown way: %s\n",
		json ? json : "(no result)");
	return EXIT_SETUP;
}

/* cli.h: policy_action is NULL for `sbx run`. */
int cli_run(int argc, char **argv, const char *policy_action)
{
	sbx_t *sbx = NULL;
	const char *json_dest = NULL, *workspace = NULL;
	int rw = 0, rw_flags = 0, pty = -1, c, r, rc = EXIT_SETUP;
	int option_index = 0;

	r = sbx_create(&sbx);
	if (r < 0)
		return fail("cannot create a sandbox: %s", strerror(-r));
	rc = cli_policy_prescan(sbx, argc, argv, run_options); /* policy */
	if (rc)
		goto out;
	rc = EXIT_SETUP;
	optind = 1;
	/* cli_options() puts run_options first: option_index names them */
	while ((c = getopt_long(argc, argv, "+h", cli_options(run_options),
				&option_index)) != -1) {
		r = 0;
		switch (c) {
		case OPT_WORKSPACE:
			workspace = optarg;
			break;
		case OPT_RW:
			rw = 1;
			rw_flags++;
			break;
		case OPT_RW_LIVE:
			rw = 2;
			rw_flags++;
			break;
		case OPT_CPU:
		case OPT_CPUS:
		case OPT_TIMEOUT:
			if (limit_duration(sbx, run_options[option_index].name,
					   c == OPT_CPU	   ? SBX_LIMIT_CPU_MS
					   : c == OPT_CPUS ? SBX_LIMIT_CPU_SHARE
							   : SBX_LIMIT_WALL_MS,
					   optarg))
				goto out;
			break;
		case OPT_OUTPUT_LIMIT:
		case OPT_MEMORY:
		case OPT_DISK:
		case OPT_FSIZE:
			if (limit_size(sbx,
				       run_options[option_index].name,
				       c == OPT_MEMORY	 ? SBX_LIMIT_MEMORY
				       : c == OPT_DISK	 ? SBX_LIMIT_DISK
				       : c == OPT_FSIZE ? SBX_LIMIT_FSIZE
							 : SBX_LIMIT_OUTPUT,
				       optarg))
				goto out;
			break;
		case OPT_PIDS:
		case OPT_NOFILE:
		case OPT_PTYS:
			if (limit_count(sbx, run_options[option_index].name,
					c == OPT_PIDS	  ? SBX_LIMIT_PIDS
					: c == OPT_NOFILE ? SBX_LIMIT_NOFILE
							  : SBX_LIMIT_PTYS,
					optarg))
				goto out;
			break;
		case OPT_PTY:
		case OPT_NO_PTY:
			pty = c == OPT_PTY;
			break;
		case OPT_RO_BIND:
			r = add_bind(sbx, optarg, 0);
			break;
		case OPT_BIND:
			r = add_bind(sbx, optarg, SBX_BIND_RW);
			break;
		case OPT_ENV:
			r = set_env(sbx, optarg);
			break;
		case OPT_CWD:
			r = sbx_set_cwd(sbx, optarg);
			break;
		case OPT_NET:
			if (strcmp(optarg, "none") == 0)
				r = sbx_set_network(sbx, SBX_NET_NONE);
			else if (strcmp(optarg, "host") == 0)
				r = sbx_set_network(sbx, SBX_NET_HOST);
			else {
				rc = fail("--net %s: expected none or host",
					  optarg);
				goto out;
			}
			break;
		case OPT_SECCOMP_KILL:
			r = sbx_set_flag(sbx, SBX_FLAG_SECCOMP_KILL, 1);
			break;
		case OPT_SINGLE_ID:
			r = sbx_set_flag(sbx, SBX_FLAG_SINGLE_ID, 1);
			break;
		case OPT_ALLOW_SETID:
			r = sbx_set_flag(sbx, SBX_FLAG_ALLOW_SETID, 1);
			break;
		case OPT_ALLOW_TRUSTED_PATHS:
			r = sbx_set_flag(sbx, SBX_FLAG_ALLOW_TRUSTED_PATHS, 1);
			break;
		case OPT_JSON:
			json_dest = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(cli_policy_usage, stdout);
			rc = 0;
			goto out;
		case OPT_VERSION:
			printf("sbx (libsandbox) %s\n", sbx_version());
			rc = 0;
			goto out;
		default:
			if (cli_policy_option(sbx, c, optarg, &r))
				break; /* policy-cmd.c */
			rc = fail(policy_action ? "see `sbx policy --help`"
					        : "see `sbx run --help`");
			goto out;
		}
		if (r < 0) {
			rc = fail("%s", sbx_last_error(sbx));
			goto out;
		}
	}
	if (rw && rw_flags > 1) {
		rc = fail("--rw and --rw-live exclude each other");
		goto out;
	}
	if (optind >= argc && !policy_action) {
		rc = fail("nothing to run; usage: sbx run [OPTIONS] [--] "
			  "PROGRAM [ARG...]");
		goto out;
	}
	if (rw && !workspace) {
		rc = fail("--rw and --rw-live need --workspace DIR");
		goto out;
	}
	if (workspace) {
		r = sbx_set_workspace(sbx, workspace,
				      rw == 2	? SBX_WORKSPACE_RW_LIVE
				      : rw == 1 ? SBX_WORKSPACE_RW
						: SBX_WORKSPACE_RO);
		if (r < 0) {
			rc = fail("%s", sbx_last_error(sbx));
			goto out;
		}
	}
	if (policy_action) { /* sbx policy ...: print, do not run */
		rc = cli_policy_finish(sbx, policy_action, argc - optind,
				       argv + optind);
		goto out;
	}
	/* The output is the program's to stream as it would to our
	 * terminal; the terminal it gets is its own (the library relays). */
	if (pty < 0)
		pty = isatty(1);
	sbx_set_flag(sbx, SBX_FLAG_PTY, pty);
	r = sbx_exec(sbx, (const char *const *)&argv[optind]);
	if (r < 0) {
		rc = fail("%s", sbx_last_error(sbx));
		goto out;
	}
	if (pty)
		cli_tty_raw(0); /* tty.c: keys go to the program's terminal */
	r = wait_run(sbx);
	cli_tty_restore();
	if (r < 0) {
		rc = fail("%s", sbx_last_error(sbx));
		goto out;
	}
	cli_note_degraded(sbx);
	note_withheld(sbx);
	rc = exit_status(sbx);
	if (write_json(sbx, json_dest))
		rc = EXIT_SETUP;
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
		return fail("usage: sbx run [OPTIONS] [--] PROGRAM [ARG...]; "
			    "see `sbx --help`");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		fputs(cli_policy_usage, stdout);
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
	return fail("unknown command '%s'; see `sbx --help`", argv[1]);
}

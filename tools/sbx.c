/* sbx.c - the command-line tool: a thin layer over the public API. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <math.h>
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
	"  --timeout SECONDS     wall-clock limit (kills every process)\n"
	"  --net none|host       network: none (default) or the host's\n"
	"  --seccomp-kill        kill the program on a denied system call\n"
	"                        (default: the call fails with EPERM)\n"
	"  --single-id           map only the caller's id into the sandbox\n"
	"  --json-result FILE    write the result as JSON to FILE (- = stderr)\n"
	"  -h, --help            this text\n"
	"  --version             the version\n"
	"\n"
	"Exit status: the program's own; 128+N if killed by signal N;\n"
	"124 on timeout; 125 if the sandbox could not be set up; 126 if\n"
	"the program cannot be executed; 127 if it is not found.\n";

enum {
	OPT_WORKSPACE = 256,
	OPT_RW,
	OPT_RO_BIND,
	OPT_BIND,
	OPT_ENV,
	OPT_CWD,
	OPT_TIMEOUT,
	OPT_NET,
	OPT_SECCOMP_KILL,
	OPT_SINGLE_ID,
	OPT_JSON,
	OPT_VERSION,
};

static const struct option run_options[] = {
	{ "workspace", required_argument, NULL, OPT_WORKSPACE },
	{ "rw", no_argument, NULL, OPT_RW },
	{ "ro-bind", required_argument, NULL, OPT_RO_BIND },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "cwd", required_argument, NULL, OPT_CWD },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "net", required_argument, NULL, OPT_NET },
	{ "seccomp-kill", no_argument, NULL, OPT_SECCOMP_KILL },
	{ "single-id", no_argument, NULL, OPT_SINGLE_ID },
	{ "json-result", required_argument, NULL, OPT_JSON },
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

/* "12", "0.5", "1.25": milliseconds, or -1 when not a duration. */
static long long parse_seconds(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || !isfinite(v) ||
	    v > 365.0 * 24 * 3600)
		return -1;
	return (long long)(v * 1000.0 + 0.5);
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
		fprintf(stderr, "sbx: timed out: %s\n", sbx_last_error(sbx));
		return EXIT_TIMEOUT;
	case SBX_STATUS_SETUP_ERROR:
		fprintf(stderr, "sbx: %s\n", sbx_last_error(sbx));
		if (json && strstr(json, "\"step\":\"exec\""))
			return err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
		return EXIT_SETUP;
	default:
		fprintf(stderr, "sbx: %s\n",
			json ? json : "the sandbox ended abnormally");
		return 128 + (int)(sig > 0 ? sig : 9);
	}
}

/* cli.h: policy_action is NULL for `sbx run`. */
int cli_run(int argc, char **argv, const char *policy_action)
{
	sbx_t *sbx = NULL;
	const char *json_dest = NULL, *workspace = NULL;
	int rw = 0, c, r, rc = EXIT_SETUP;
	long long ms;

	r = sbx_create(&sbx);
	if (r < 0)
		return fail("cannot create a sandbox: %s", strerror(-r));
	rc = cli_policy_prescan(sbx, argc, argv, run_options); /* policy */
	if (rc)
		goto out;
	rc = EXIT_SETUP;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", cli_options(run_options),
				NULL)) != -1) {
		r = 0;
		switch (c) {
		case OPT_WORKSPACE:
			workspace = optarg;
			break;
		case OPT_RW:
			rw = 1;
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
		case OPT_TIMEOUT:
			ms = parse_seconds(optarg);
			if (ms < 0) {
				rc = fail("--timeout %s: expected a positive "
					  "number of seconds, like 10 or 0.5",
					  optarg);
				goto out;
			}
			r = sbx_limit(sbx, SBX_LIMIT_WALL_MS, (uint64_t)ms);
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
			rc = fail("see `sbx run --help`");
			goto out;
		}
		if (r < 0) {
			rc = fail("%s", sbx_last_error(sbx));
			goto out;
		}
	}
	if (optind >= argc && !policy_action) {
		rc = fail("nothing to run; usage: sbx run [OPTIONS] [--] "
			  "PROGRAM [ARG...]");
		goto out;
	}
	if (rw && !workspace) {
		rc = fail("--rw needs --workspace DIR");
		goto out;
	}
	if (workspace) {
		r = sbx_set_workspace(sbx, workspace,
				      rw ? SBX_WORKSPACE_RW : SBX_WORKSPACE_RO);
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
	r = sbx_exec(sbx, (const char *const *)&argv[optind]);
	if (r < 0) {
		rc = fail("%s", sbx_last_error(sbx));
		goto out;
	}
	r = sbx_wait(sbx);
	if (r < 0) {
		rc = fail("%s", sbx_last_error(sbx));
		goto out;
	}
	cli_note_degraded(sbx);
	rc = exit_status(sbx);
	if (write_json(sbx, json_dest))
		rc = EXIT_SETUP;
out:
	sbx_destroy(sbx);
	return rc;
}

int main(int argc, char **argv)
{
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
	if (strcmp(argv[1], "run") == 0)
		return cli_run(argc - 1, argv + 1, NULL);
	if (strcmp(argv[1], "policy") == 0)
		return cmd_policy(argc - 1, argv + 1); /* policy-cmd.c */
	if (strcmp(argv[1], "doctor") == 0)
		return cmd_doctor(argc - 1, argv + 1); /* doctor.c */
	return fail("unknown command '%s'; see `sbx --help`", argv[1]);
}

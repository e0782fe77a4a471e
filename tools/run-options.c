/* run-options.c - the options of `sbx run` and `sbx policy`, parsed onto
 * a handle without running anything: sbx and its fuzzer
 * (fuzz/fuzz-cli.c) share it.  Policies are applied first (presets, then
 * files), the other options on top of them, in order: flags override the
 * file. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
	"  --rw                  make the workspace writable (--workspace's\n"
	"                        or the policy's)\n"
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

/*
 * getopt's value of an option.  A limit's is OPT_LIMIT plus its
 * SBX_LIMIT_*, a switch's OPT_FLAG plus its SBX_FLAG_*: a new limit or
 * switch of `sbx run` is its row below and its line in usage_text.
 */
enum {
	OPT_WORKSPACE = 256,
	OPT_RW,
	OPT_RW_LIVE,
	OPT_RO_BIND,
	OPT_BIND,
	OPT_ENV,
	OPT_CWD,
	OPT_NET,
	OPT_JSON,
	OPT_VERSION,
	OPT_PTY,
	OPT_NO_PTY,
	OPT_LIMIT = 512,
	OPT_FLAG = OPT_LIMIT + SBX_LIMIT_KIND_MAX,
	OPT_FLAG_END = OPT_FLAG + SBX_FLAG_MAX,
};

static const struct option run_options[] = {
	{ "workspace", required_argument, NULL, OPT_WORKSPACE },
	{ "rw", no_argument, NULL, OPT_RW },
	{ "rw-live", no_argument, NULL, OPT_RW_LIVE },
	{ "timeout", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_WALL_MS },
	{ "cpu", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_CPU_MS },
	{ "memory", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_MEMORY },
	{ "pids", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_PIDS },
	{ "disk", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_DISK },
	{ "fsize", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_FSIZE },
	{ "nofile", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_NOFILE },
	{ "output-limit", required_argument, NULL,
	  OPT_LIMIT + SBX_LIMIT_OUTPUT },
	{ "cpus", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_CPU_SHARE },
	{ "ptys", required_argument, NULL, OPT_LIMIT + SBX_LIMIT_PTYS },
	{ "ro-bind", required_argument, NULL, OPT_RO_BIND },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "cwd", required_argument, NULL, OPT_CWD },
	{ "net", required_argument, NULL, OPT_NET },
	{ "seccomp-kill", no_argument, NULL, OPT_FLAG + SBX_FLAG_SECCOMP_KILL },
	{ "single-id", no_argument, NULL, OPT_FLAG + SBX_FLAG_SINGLE_ID },
	{ "allow-setid", no_argument, NULL, OPT_FLAG + SBX_FLAG_ALLOW_SETID },
	{ "allow-trusted-paths", no_argument, NULL,
	  OPT_FLAG + SBX_FLAG_ALLOW_TRUSTED_PATHS },
	{ "json-result", required_argument, NULL, OPT_JSON },
	{ "pty", no_argument, NULL, OPT_PTY },
	{ "no-pty", no_argument, NULL, OPT_NO_PTY },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* --timeout, --cpu, --cpus, --memory, --pids and the other limits: the
 * library reads the value by the limit's unit (sbx_parse_limit(), as for
 * the bindings: durations with units, sizes, whole numbers, CPUs; 0 is no
 * limit) and says what is wrong; the message names the flag. */
static int limit_text(sbx_t *sbx, const char *flag, int kind, const char *arg)
{
	char err[256];
	uint64_t v;

	if (sbx_parse_limit(kind, arg, &v, err, sizeof(err)) < 0)
		return cli_fail("--%s: %s", flag, err);
	if (sbx_limit(sbx, kind, v) < 0)
		return cli_fail("--%s %s: %s", flag, arg, sbx_last_error(sbx));
	return 0;
}

/* arg up to its first sep, copied (NULL when out of memory); what
 * follows sep in *ret_tail, NULL without one. */
static char *split(const char *arg, int sep, const char **ret_tail)
{
	const char *s = strchr(arg, sep);

	*ret_tail = s ? s + 1 : NULL;
	return strndup(arg, s ? (size_t)(s - arg) : strlen(arg));
}

/* --ro-bind, --bind SRC[:DST] */
static int add_bind(sbx_t *sbx, const char *arg, uint32_t flags)
{
	const char *dst;
	char *src = split(arg, ':', &dst);
	int r = src ? sbx_add_bind(sbx, src, dst, flags) : -ENOMEM;

	free(src);
	return r;
}

/* --env NAME[=VALUE] */
static int set_env(sbx_t *sbx, const char *arg)
{
	const char *value;
	char *name = split(arg, '=', &value);
	int r = name ? sbx_set_env(sbx, name, value) : -ENOMEM;

	free(name);
	return r;
}

enum {
	OPT_POLICY = 1000,
	OPT_PRESET,
	OPT_REQUIRE,
};

static const struct option policy_options[] = {
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "preset", required_argument, NULL, OPT_PRESET },
	{ "allow-degraded", no_argument, NULL,
	  OPT_FLAG + SBX_FLAG_ALLOW_DEGRADED },
	{ "require", required_argument, NULL, OPT_REQUIRE },
	{ "read-only", no_argument, NULL, OPT_FLAG + SBX_FLAG_READ_ONLY },
};

static const char cli_policy_usage[] =
	"\n"
	"Policy options (applied first: --preset, then --policy; the options\n"
	"above override them):\n"
	"  --preset NAME         start from a preset: default, strict, build\n"
	"  --policy FILE         a JSON policy (docs/policy.md)\n"
	"  --allow-degraded      when user namespaces are unavailable, run\n"
	"                        without namespaces (Landlock, seccomp, rlimits)\n"
	"                        instead of refusing; the result lists the layers\n"
	"  --require LAYER[,..]  fail unless these layers are enforced (netns,\n"
	"                        pidns, landlock, landlock-abi6, seccomp, ...)\n"
	"  --read-only           nothing writable, not even /tmp\n"
	"\n"
	"Other commands:\n"
	"  sbx policy show [OPTIONS]                the effective policy (JSON)\n"
	"  sbx policy explain [OPTIONS] PATH|SYSCALL what it allows and why\n"
	"  sbx policy export --format docker-seccomp [OPTIONS]\n"
	"                                           the seccomp part for Docker\n"
	"  sbx doctor [--json]                      what this host can enforce\n";

/* The run options followed by the policy options. */
static const struct option *cli_options(const struct option *base)
{
	static struct option all[128];
	size_t n = 0, i;

	while (base[n].name && n < 100)
		n++;
	memcpy(all, base, n * sizeof(*base));
	for (i = 0; i < sizeof(policy_options) / sizeof(policy_options[0]); i++)
		all[n++] = policy_options[i];
	memset(&all[n], 0, sizeof(all[n]));
	return all;
}

/* Presets, then policy files, before any other option (parsed with all
 * of them, so that option arguments are not taken for options). */
static int cli_policy_prescan(sbx_t *sbx, int argc, char **argv,
			      const struct option *base)
{
	const struct option *opts = cli_options(base);
	int pass, c, r, saved = opterr;

	for (pass = OPT_PRESET; pass >= OPT_POLICY; pass--) {
		optind = 0; /* getopt starts over, all of its state */
		opterr = 0;
		while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
			if (c != pass)
				continue;
			r = c == OPT_PRESET ? sbx_policy_preset(sbx, optarg)
					    : sbx_policy_load_file(sbx, optarg);
			if (r < 0) {
				opterr = saved;
				return cli_fail("%s", sbx_last_error(sbx));
			}
		}
	}
	opterr = saved;
	optind = 0;
	return 0;
}

/* "netns,pidns" or one name. */
static int require(sbx_t *sbx, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !r;
	     tok = strtok_r(NULL, ",", &save))
		r = sbx_require_layer(sbx, tok);
	free(copy);
	return r;
}

static int cli_policy_option(sbx_t *sbx, int c, const char *arg,
			     int *ret_r)
{
	switch (c) {
	case OPT_POLICY:
	case OPT_PRESET:
		*ret_r = 0; /* applied by the prescan */
		return 1;
	case OPT_REQUIRE:
		*ret_r = require(sbx, arg);
		return 1;
	}
	if (c >= OPT_FLAG && c < OPT_FLAG_END) { /* a switch: on */
		*ret_r = sbx_set_flag(sbx, c - OPT_FLAG, 1);
		return 1;
	}
	return 0;
}

void cli_usage(FILE *f)
{
	fputs(usage_text, f);
	fputs(cli_policy_usage, f);
}

int cli_run_parse(sbx_t *sbx, int argc, char **argv, const char *policy_action,
		  struct cli_run_opts *o, int *ret_exit)
{
	const char *workspace = NULL;
	int rw = 0, rw_flags = 0, mode, c, r, rc;
	int option_index = 0;

	o->json_dest = NULL;
	o->pty = -1;
	o->argi = argc;
	rc = cli_policy_prescan(sbx, argc, argv, run_options); /* policy */
	if (rc)
		goto out;
	rc = CLI_EXIT_SETUP;
	optind = 0; /* getopt starts over (the prescan used it) */
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
		case OPT_PTY:
		case OPT_NO_PTY:
			o->pty = c == OPT_PTY;
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
				rc = cli_fail("--net %s: expected none or host",
					      optarg);
				goto out;
			}
			break;
		case OPT_JSON:
			o->json_dest = optarg;
			break;
		case 'h':
			cli_usage(stdout);
			rc = 0;
			goto out;
		case OPT_VERSION:
			printf("sbx (libsandbox) %s\n", sbx_version());
			rc = 0;
			goto out;
		default:
			if (c >= OPT_LIMIT && c < OPT_FLAG) {
				if (limit_text(sbx,
					       run_options[option_index].name,
					       c - OPT_LIMIT, optarg))
					goto out;
				break;
			}
			if (cli_policy_option(sbx, c, optarg, &r))
				break;
			rc = cli_fail(policy_action ? "see `sbx policy --help`"
				      : "see `sbx run --help`");
			goto out;
		}
		if (r < 0) {
			rc = cli_fail("%s", sbx_last_error(sbx));
			goto out;
		}
	}
	if (rw && rw_flags > 1) {
		rc = cli_fail("--rw and --rw-live exclude each other");
		goto out;
	}
	if (optind >= argc && !policy_action) {
		rc = cli_fail("nothing to run; usage: sbx run [OPTIONS] [--] "
			      "PROGRAM [ARG...]");
		goto out;
	}
	mode = rw == 2 ? SBX_WORKSPACE_RW_LIVE
	       : rw == 1 ? SBX_WORKSPACE_RW
			 : SBX_WORKSPACE_RO;
	/* without --workspace, --rw makes the policy's workspace writable */
	r = workspace ? sbx_set_workspace(sbx, workspace, mode)
		      : rw ? sbx_set_workspace_mode(sbx, mode) : 0;
	if (r < 0) {
		rc = cli_fail("%s%s%s", workspace ? "" : rw == 2 ? "--rw-live: "
								  : "--rw: ",
			      sbx_last_error(sbx),
			      workspace ? "" : " (--workspace DIR)");
		goto out;
	}
	o->argi = optind;
	return 0;
out:
	*ret_exit = rc;
	return 1;
}

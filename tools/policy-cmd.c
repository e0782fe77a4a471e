/* policy-cmd.c - `sbx policy show|explain|export` and the policy options
 * of `sbx run`.  Policies are applied first (presets, then files), the
 * other options on top of them, in order: flags override the file. */
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_POLICY = 1000,
	OPT_PRESET,
	OPT_ALLOW_DEGRADED,
	OPT_REQUIRE,
	OPT_READ_ONLY,
};

static const struct option policy_options[] = {
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "preset", required_argument, NULL, OPT_PRESET },
	{ "allow-degraded", no_argument, NULL, OPT_ALLOW_DEGRADED },
	{ "require", required_argument, NULL, OPT_REQUIRE },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
};

const char cli_policy_usage[] =
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

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sbx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return SBX_EXIT_SETUP;
}

void cli_wrap(FILE *f, const char *first, const char *text, int indent)
{
	int col = fprintf(f, "%s", first), fresh = col == 0;
	const char *p = text ? text : "";

	while (*p) {
		int n = (int)strcspn(p, " ");

		if (!fresh && col > indent && col + 1 + n > 79) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			fresh = 1;
		}
		if (!fresh) {
			fputc(' ', f);
			col++;
		}
		col += fprintf(f, "%.*s", n, p);
		fresh = 0;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

/* The run options followed by the policy options. */
const struct option *cli_options(const struct option *base)
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
int cli_policy_prescan(sbx_t *sbx, int argc, char **argv,
		       const struct option *base)
{
	const struct option *opts = cli_options(base);
	int pass, c, r, saved = opterr;

	for (pass = OPT_PRESET; pass >= OPT_POLICY; pass--) {
		optind = 1;
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
	optind = 1;
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

int cli_policy_option(sbx_t *sbx, int c, const char *arg, int *ret_r)
{
	switch (c) {
	case OPT_POLICY:
	case OPT_PRESET:
		*ret_r = 0; /* applied by the prescan */
		return 1;
	case OPT_ALLOW_DEGRADED:
		*ret_r = sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
		return 1;
	case OPT_REQUIRE:
		*ret_r = require(sbx, arg);
		return 1;
	case OPT_READ_ONLY:
		*ret_r = sbx_set_flag(sbx, SBX_FLAG_READ_ONLY, 1);
		return 1;
	}
	return 0;
}

/* After a run: a degraded sandbox is said out loud. */
void cli_note_degraded(sbx_t *sbx)
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

/* ------------------------------------------------------------- explain */

static const char *yes(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return "?";
	return json_object_get_boolean(v) ? "yes" : "no";
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static void print_action(const char *first, json_object *o)
{
	char line[256];
	const char *err = str(o, "errno");

	snprintf(line, sizeof(line), "%s%s%s%s", str(o, "action"),
		 err ? " (" : "", err ? err : "", err ? ")" : "");
	printf("%s%s\n", first, line);
	cli_wrap(stdout, "  rule:", str(o, "rule") ? str(o, "rule") : "", 8);
}

static void print_explanation(const char *json)
{
	json_object *o = json_tokener_parse(json), *d;
	const char *kind = str(o, "kind");

	if (kind && strcmp(kind, "path") == 0) {
		printf("%s: read %s, write %s, exec %s\n", str(o, "path"),
		       yes(o, "read"), yes(o, "write"), yes(o, "exec"));
		cli_wrap(stdout, "  rule:", str(o, "rule"), 8);
		if (str(o, "trusted"))
			cli_wrap(stdout, "  trusted:", str(o, "trusted"), 11);
		if (str(o, "host_path") && str(o, "host_mode"))
			printf("  host: %s (mode %s: file modes apply as "
			       "well)\n",
			       str(o, "host_path"), str(o, "host_mode"));
		else if (str(o, "host_path"))
			printf("  host: %s%s\n", str(o, "host_path"),
			       strcmp(yes(o, "exists"), "no") == 0
				       ? " (does not exist)"
				       : "");
		cli_wrap(stdout, "  landlock:", str(o, "landlock"), 12);
	} else {
		char first[128];
		json_object *nr;

		json_object_object_get_ex(o, "number", &nr);
		snprintf(first, sizeof(first), "%s%s%s%s: ", str(o, "what"),
			 nr ? " (" : "", nr ? json_object_get_string(nr) : "",
			 nr ? ")" : "");
		print_action(first, o);
		if (json_object_object_get_ex(o, "degraded", &d))
			print_action(
				"  without namespaces (--allow-degraded): ", d);
	}
	json_object_put(o);
}

static int explain(sbx_t *sbx, int argc, char **argv, int as_json)
{
	int i, rc = 0;

	if (argc < 1)
		return cli_fail("sbx policy explain: give a path inside the "
				"sandbox or a system call name");
	for (i = 0; i < argc; i++) {
		const char *text = sbx_policy_explain(sbx, argv[i]);

		if (!text) {
			rc = cli_fail("%s", sbx_last_error(sbx));
			continue;
		}
		if (as_json)
			printf("%s\n", text);
		else
			print_explanation(text);
	}
	return rc;
}

/* -------------------------------------------------------------- policy */

struct policy_args {
	const char *format;
	int json;
};

/* Take the options that belong to `sbx policy` out of argv, so that
 * the rest parses as `sbx run` options. */
static int strip_own(int argc, char **argv, struct policy_args *pa, char **out)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				out[n++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--json") == 0) {
			pa->json = 1;
		} else if (strcmp(argv[i], "--format") == 0) {
			if (i + 1 >= argc)
				return -1;
			pa->format = argv[++i];
		} else if (strncmp(argv[i], "--format=", 9) == 0) {
			pa->format = argv[i] + 9;
		} else {
			out[n++] = argv[i];
		}
	}
	out[n] = NULL;
	return n;
}

static struct policy_args args;

int cli_policy_finish(sbx_t *sbx, const char *action, int argc, char **argv)
{
	const char *text;
	int format = SBX_POLICY_JSON;

	if (strcmp(action, "explain") == 0)
		return explain(sbx, argc, argv, args.json);
	if (argc > 0)
		return cli_fail("sbx policy %s: unexpected argument '%s'",
				action, argv[0]);
	if (strcmp(action, "export") == 0) {
		if (!args.format || strcmp(args.format, "docker-seccomp") == 0)
			format = SBX_POLICY_DOCKER_SECCOMP;
		else if (strcmp(args.format, "json") != 0)
			return cli_fail("--format %s: expected docker-seccomp "
					"or json",
					args.format);
	}
	text = sbx_policy_export(sbx, format);
	if (!text)
		return cli_fail("%s", sbx_last_error(sbx));
	printf("%s\n", text);
	return fflush(stdout) == 0
		       ? 0
		       : cli_fail("cannot write: %s", strerror(errno));
}

static const char policy_usage[] =
	"Usage: sbx policy show [RUN OPTIONS]\n"
	"       sbx policy explain [--json] [RUN OPTIONS] PATH|SYSCALL...\n"
	"       sbx policy export [--format docker-seccomp|json] [RUN OPTIONS]\n"
	"\n"
	"The policy is built as `sbx run` builds it: --preset, --policy FILE,\n"
	"then the other options of `sbx run --help`.\n"
	"  show     print the effective policy as a policy document (JSON)\n"
	"  explain  say whether the program may read, write or execute a path\n"
	"           inside the sandbox, or make a system call, and which rule\n"
	"           decides\n"
	"  export   print the seccomp filter as a Docker/OCI seccomp profile:\n"
	"           docker run --security-opt seccomp=FILE applies it\n";

int cmd_policy(int argc, char **argv)
{
	static char name[32];
	char **rest;
	int n, rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(policy_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? SBX_EXIT_SETUP : 0;
	}
	if (strcmp(argv[1], "show") && strcmp(argv[1], "explain") &&
	    strcmp(argv[1], "export"))
		return cli_fail("unknown policy command '%s' (show, explain, "
				"export); see `sbx policy --help`",
				argv[1]);
	rest = calloc((size_t)argc + 1, sizeof(*rest));
	if (!rest)
		return cli_fail("out of memory");
	n = strip_own(argc - 1, argv + 1, &args, rest);
	if (n < 0) {
		free(rest);
		return cli_fail("--format needs a value: docker-seccomp or "
				"json");
	}
	if ((args.format && strcmp(argv[1], "export") != 0) ||
	    (args.json && strcmp(argv[1], "explain") != 0)) {
		free(rest);
		return cli_fail("%s belongs to `sbx policy %s`",
				args.format ? "--format" : "--json",
				args.format ? "export" : "explain");
	}
	/* getopt's messages name rest[0]: "sbx policy show: ..." */
	snprintf(name, sizeof(name), "sbx policy %s", argv[1]);
	rest[0] = name;
	rc = cli_run(n, rest, argv[1]);
	free(rest);
	return rc;
}

/* policy-cmd.c - `sbx policy show|explain|export`, whose options are
 * those of `sbx run` (run-options.c). */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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

static int finish(sbx_t *sbx, const char *action,
		  const struct policy_args *args, int argc, char **argv)
{
	const char *text;
	int format = SBX_POLICY_JSON;

	if (strcmp(action, "explain") == 0)
		return explain(sbx, argc, argv, args->json);
	if (argc > 0)
		return cli_fail("sbx policy %s: unexpected argument '%s'",
				action, argv[0]);
	if (strcmp(action, "export") == 0) {
		if (!args->format ||
		    strcmp(args->format, "docker-seccomp") == 0)
			format = SBX_POLICY_DOCKER_SECCOMP;
		else if (strcmp(args->format, "json") != 0)
			return cli_fail("--format %s: expected docker-seccomp "
					"or json",
					args->format);
	}
	text = sbx_policy_export(sbx, format);
	if (!text)
		return cli_fail("%s", sbx_last_error(sbx));
	printf("%s\n", text);
	return fflush(stdout) == 0
		       ? 0
		       : cli_fail("cannot write: %s", strerror(errno));
}

/* The options of `sbx run` onto a handle (run-options.c), which action
 * prints instead of running anything. */
static int policy(int argc, char **argv, const char *action,
		  const struct policy_args *args)
{
	struct cli_run_opts o;
	sbx_t *sbx;
	int r, rc = CLI_EXIT_SETUP;

	r = sbx_create(&sbx);
	if (r < 0)
		return cli_fail("cannot create a sandbox: %s", strerror(-r));
	if (!cli_run_parse(sbx, argc, argv, action, &o, &rc))
		rc = finish(sbx, action, args, argc - o.argi,
			    argv + o.argi);
	sbx_destroy(sbx);
	return rc;
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
	struct policy_args args = { NULL, 0 };
	char **rest;
	int n, rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(policy_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_SETUP : CLI_EXIT_OK;
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
	rc = policy(n, rest, argv[1], &args);
	free(rest);
	return rc;
}

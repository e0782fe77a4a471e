/* doctor.c - `sbx doctor`: what this host lets libsandbox enforce, layer
 * by layer, and the fix for each missing piece.  The library runs the
 * checks in the supervisor (sbx_probe_host()); this prints them. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *get(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static int print_report(const char *json)
{
	json_object *o = json_tokener_parse(json), *checks, *k, *v;
	int runs = 0, degraded = 0;
	size_t i;

	if (!o || !json_object_object_get_ex(o, "checks", &checks))
		return cli_fail("the host report is not readable");
	json_object_object_get_ex(o, "kernel", &k);
	printf("sbx doctor: libsandbox %s, Linux %s (%s), uid %s%s%s\n\n",
	       get(o, "libsandbox"), get(k, "release"), get(k, "machine"),
	       get(o, "uid"), get(o, "container") ? ", in a container: " : "",
	       get(o, "container") ? get(o, "container") : "");
	for (i = 0; i < json_object_array_length(checks); i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		const char *status = get(c, "status");
		char first[64];

		snprintf(first, sizeof(first), "  %-5s %-11s",
			 strcmp(status, "ok") == 0     ? "ok"
			 : strcmp(status, "fail") == 0 ? "FAIL"
						       : "warn",
			 get(c, "name"));
		cli_wrap(stdout, first, get(c, "summary"), 20);
		if (get(c, "fix"))
			cli_wrap(stdout,
				 "                    fix:", get(c, "fix"), 25);
	}
	if (json_object_object_get_ex(o, "can_run_default", &v))
		runs = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "can_run_degraded", &v))
		degraded = json_object_get_boolean(v);
	printf("\n");
	if (runs)
		printf("The default policy can run here.\n");
	else
		cli_wrap(stdout, "The default policy cannot run here:",
			 degraded
				 ? "fix the FAIL lines above, or accept a "
				   "weaker sandbox without namespaces with "
				   "`sbx run --allow-degraded` (Landlock, "
				   "seccomp, rlimits)."
				 : "fix the FAIL lines above (not even "
				   "--allow-degraded can run here: see the "
				   "landlock line).",
			 0);
	if (!runs && degraded &&
	    json_object_object_get_ex(o, "degraded_not_hidden", &v)) {
		printf("\nWithout namespaces the program still sees:\n");
		for (i = 0; i < json_object_array_length(v); i++)
			cli_wrap(stdout, "  -",
				 json_object_get_string(
					 json_object_array_get_idx(v, i)),
				 4);
	}
	json_object_put(o);
	return runs ? CLI_EXIT_OK : CLI_EXIT_CANNOT_RUN;
}

int cmd_doctor(int argc, char **argv)
{
	sbx_t *sbx;
	int json = 0, r, rc;

	if (argc > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage: sbx doctor [--json]\n\n"
		       "Check what this host lets libsandbox enforce: user "
		       "namespaces and what\nblocks them, the other "
		       "namespaces, mounts, ids, seccomp, Landlock, cgroups,\n"
		       "overlayfs, pidfd, clone3, AppArmor and SELinux; and "
		       "how to fix what is\nmissing.  Exit status 0 when the default policy can "
		       "run here, 1 when it cannot.\n");
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--json") == 0)
		json = 1;
	else if (argc > 1)
		return cli_fail("sbx doctor: unknown option '%s' (--json)",
				argv[1]);
	if (sbx_create(&sbx) < 0)
		return cli_fail("out of memory");
	r = sbx_probe_host(sbx);
	if (r < 0) {
		rc = cli_fail("%s", sbx_last_error(sbx));
	} else if (json) {
		printf("%s\n", sbx_probe_report(sbx));
		rc = r ? CLI_EXIT_CANNOT_RUN : CLI_EXIT_OK;
	} else {
		rc = print_report(sbx_probe_report(sbx));
	}
	sbx_destroy(sbx);
	return rc;
}

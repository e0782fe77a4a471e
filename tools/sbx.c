/* sbx.c - the command-line tool, a thin layer over the public API: the
 * command named first chooses the file that does the rest. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

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
		return cmd_run(argc - 1, argv + 1); /* run.c */
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

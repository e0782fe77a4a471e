/* test-api.c - the C API's contract: argument checks, the errno of each
 * misuse, the state machine, results, and no leaks in the caller. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static void test_create_destroy(void)
{
	sbx_t *sbx = NULL;

	CU_ASSERT_EQUAL(sbx_create(NULL), -EINVAL);
	CU_ASSERT_EQUAL(sbx_create(&sbx), 0);
	CU_ASSERT_PTR_NOT_NULL(sbx);
	CU_ASSERT_STRING_EQUAL(sbx_last_error(sbx), "");
	sbx_destroy(sbx);
	sbx_destroy(NULL);
	CU_ASSERT_PTR_NOT_NULL(sbx_last_error(NULL));
	CU_ASSERT_PTR_NOT_NULL(sbx_version());
	CU_ASSERT(strchr(sbx_version(), '.') != NULL);
}

static void test_null_handle(void)
{
	const char *argv[] = { "/bin/true", NULL };
	const char *data;
	size_t len;

	CU_ASSERT_EQUAL(sbx_limit(NULL, SBX_LIMIT_WALL_MS, 1), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_workspace(NULL, "/tmp", 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_add_bind(NULL, "/tmp", NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_env(NULL, "A", "b"), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_stdio(NULL, 1, SBX_STDIO_NULL, -1), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_network(NULL, SBX_NET_NONE), -EINVAL);
	CU_ASSERT_EQUAL(sbx_exec(NULL, argv), -EINVAL);
	CU_ASSERT_EQUAL(sbx_wait(NULL), -EINVAL);
	CU_ASSERT_EQUAL(sbx_try_wait(NULL), -EINVAL);
	CU_ASSERT_EQUAL(sbx_kill(NULL), -EINVAL);
	CU_ASSERT_EQUAL(sbx_fd(NULL, SBX_FD_STATUS), -EINVAL);
	CU_ASSERT_EQUAL(sbx_result(NULL, SBX_RESULT_STATUS), -EINVAL);
	CU_ASSERT_PTR_NULL(sbx_result_json(NULL));
	CU_ASSERT_EQUAL(sbx_output(NULL, 1, &data, &len), -EINVAL);
}

static void test_bad_values(void)
{
	sbx_t *sbx;
	int i;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	CU_ASSERT_EQUAL(sbx_limit(sbx, -1, 1), -EINVAL);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_KIND_MAX, 1), -EINVAL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "unknown limit") != NULL);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_PIDS, 1ull << 40), -EINVAL);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_WALL_MS, 1500), 0);

	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, "/nonexistent/sbx-ws",
					  SBX_WORKSPACE_RO),
			-ENOENT);
	CU_ASSERT(strstr(sbx_last_error(sbx), "/nonexistent/sbx-ws") != NULL);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, "/etc/passwd",
					  SBX_WORKSPACE_RO),
			-ENOTDIR);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, "/", SBX_WORKSPACE_RO), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, "/tmp", 99), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, "", SBX_WORKSPACE_RO), -EINVAL);

	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "relative", NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", "/proc/x", 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", "/dev", 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", "/", 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", "/a/../etc", 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", "rel", 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", "/x", 0x100), -EINVAL);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/nonexistent/x", NULL, 0), -ENOENT);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/nonexistent/x", NULL, SBX_BIND_TRY),
			0);
	for (i = 0; i < 256; i++)
		CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", "/mnt/x", 0), 0);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", "/mnt/x", 0), -E2BIG);

	CU_ASSERT_EQUAL(sbx_set_env(sbx, "", "x"), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_env(sbx, "A=B", "x"), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_env(sbx, NULL, "x"), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_env(sbx, "OK", "x"), 0);
	CU_ASSERT_EQUAL(sbx_clear_env(sbx), 0);

	CU_ASSERT_EQUAL(sbx_set_stdio(sbx, 3, SBX_STDIO_NULL, -1), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_stdio(sbx, 0, SBX_STDIO_CAPTURE, -1), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_stdio(sbx, 1, SBX_STDIO_FD, -1), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_stdio(sbx, 1, 42, -1), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_input(sbx, NULL, 3), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_network(sbx, 7), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_MAX, 1), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_cwd(sbx, "relative"), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_cwd(sbx, "/a/../b"), -EINVAL);
	sbx_destroy(sbx);
}

/* The mode alone: the directory stays, whoever gave it (a policy too). */
static void test_workspace_mode(void)
{
	const char *doc;
	sbx_t *sbx;

	CU_ASSERT_EQUAL(sbx_set_workspace_mode(NULL, SBX_WORKSPACE_RW),
			-EINVAL);
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	/* nothing to make read-only; nothing to make writable */
	CU_ASSERT_EQUAL(sbx_set_workspace_mode(sbx, SBX_WORKSPACE_RO), 0);
	CU_ASSERT_EQUAL(sbx_set_workspace_mode(sbx, SBX_WORKSPACE_RW),
			-EINVAL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "needs a workspace") != NULL);
	CU_ASSERT_EQUAL(sbx_set_workspace_mode(sbx, SBX_WORKSPACE_RW_LIVE),
			-EINVAL);
	CU_ASSERT_EQUAL(sbx_set_workspace_mode(sbx, 99), -EINVAL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "unknown workspace mode") !=
		  NULL);
	doc = sbx_policy_export(sbx, SBX_POLICY_JSON);
	CU_ASSERT(doc && strstr(doc, "\"workspace\": null") != NULL);

	CU_ASSERT_EQUAL(sbx_policy_load_string(sbx, "{\"workspace\": "
						    "\"/tmp\"}"),
			0);
	CU_ASSERT_EQUAL(sbx_set_workspace_mode(sbx, SBX_WORKSPACE_RW_LIVE),
			0);
	doc = sbx_policy_export(sbx, SBX_POLICY_JSON);
	CU_ASSERT(doc && strstr(doc, "\"/tmp\"") != NULL &&
		  strstr(doc, "\"rw-live\"") != NULL);
	CU_ASSERT_EQUAL(sbx_set_workspace_mode(sbx, SBX_WORKSPACE_RO), 0);
	doc = sbx_policy_export(sbx, SBX_POLICY_JSON);
	CU_ASSERT(doc && strstr(doc, "\"/tmp\"") != NULL &&
		  strstr(doc, "\"rw-live\"") == NULL);
	sbx_destroy(sbx);
}

static void test_wrong_state(void)
{
	const char *sleeper[] = { "/bin/sleep", "30", NULL };
	const char *empty[] = { NULL };
	const char *blank[] = { "", NULL };
	const char *data;
	size_t len;
	sbx_t *sbx;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	CU_ASSERT_EQUAL(sbx_exec(sbx, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sbx_exec(sbx, empty), -EINVAL);
	CU_ASSERT_EQUAL(sbx_exec(sbx, blank), -EINVAL);
	CU_ASSERT_EQUAL(sbx_wait(sbx), -ECHILD);
	CU_ASSERT_EQUAL(sbx_try_wait(sbx), -ECHILD);
	CU_ASSERT_EQUAL(sbx_kill(sbx), -ECHILD);
	CU_ASSERT_EQUAL(sbx_fd(sbx, SBX_FD_STATUS), -ECHILD);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), -ENODATA);
	CU_ASSERT_EQUAL(sbx_result(sbx, 999), -EINVAL);
	CU_ASSERT_PTR_NULL(sbx_result_json(sbx));
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), -ENODATA);

	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, sleeper), 0);
	CU_ASSERT_EQUAL(sbx_exec(sbx, sleeper), -EBUSY);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_WALL_MS, 5), -EBUSY);
	CU_ASSERT_EQUAL(sbx_set_workspace_mode(sbx, SBX_WORKSPACE_RO), -EBUSY);
	CU_ASSERT_EQUAL(sbx_set_env(sbx, "A", "b"), -EBUSY);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, "/tmp", 0), -EBUSY);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/tmp", NULL, 0), -EBUSY);
	CU_ASSERT_EQUAL(sbx_set_stdio(sbx, 1, SBX_STDIO_NULL, -1), -EBUSY);
	CU_ASSERT_EQUAL(sbx_set_network(sbx, SBX_NET_NONE), -EBUSY);
	CU_ASSERT(sbx_fd(sbx, SBX_FD_STATUS) >= 0);
	CU_ASSERT_EQUAL(sbx_fd(sbx, SBX_FD_STDOUT), -EBADF);
	CU_ASSERT_EQUAL(sbx_fd(sbx, 17), -EINVAL);
	CU_ASSERT_EQUAL(sbx_try_wait(sbx), -EAGAIN);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), -ENODATA);
	CU_ASSERT_EQUAL(sbx_kill(sbx), 0);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_KILLED);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_SIGNAL), 9);
	/* done: waiting again is harmless, and the handle runs again */
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	sbx_destroy(sbx);
}

static void test_parse_size(void)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t bytes;
	} cases[] = {
		{ "0", 0, 0 },
		{ "512", 0, 512 },
		{ "64K", 0, 64ull << 10 },
		{ "64k", 0, 64ull << 10 },
		{ "256M", 0, 256ull << 20 },
		{ "256MiB", 0, 256ull << 20 },
		{ "1G", 0, 1ull << 30 },
		{ "1.5GiB", 0, 3ull << 29 },
		{ "2T", 0, 2ull << 40 },
		{ "1.5K", 0, 1536 },
		{ "0.5kib", 0, 512 },
		{ "7B", 0, 7 },
		{ "1.0", 0, 1 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "", -EINVAL, 0 },
		/* what strtoull() and strtod() would have taken */
		{ " 7M", -EINVAL, 0 },
		{ "\t5M", -EINVAL, 0 },
		{ "7 M", -EINVAL, 0 },
		{ "7M ", -EINVAL, 0 },
		{ "+5", -EINVAL, 0 },
		{ "-0", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "1e3", -EINVAL, 0 },
		{ "inf", -EINVAL, 0 },
		{ "nan", -EINVAL, 0 },
		{ "1.", -EINVAL, 0 },
		{ ".5K", -EINVAL, 0 },
		{ "1,5K", -EINVAL, 0 },
		{ "5MM", -EINVAL, 0 },
		{ "1.5B", -EINVAL, 0 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "99999999999999999999G", -ERANGE, 0 },
		{ "16777216T", -ERANGE, 0 },
		{ "16777215.99999999999T", 0, 18446744073709550516ull },
		{ "M", -EINVAL, 0 },
		{ "12Q", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "1.5", -EINVAL, 0 },
		{ "1e9", -EINVAL, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "99999999999T", -ERANGE, 0 },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 12345;
		CU_ASSERT_EQUAL(sbx_parse_size(cases[i].text, &v), cases[i].rc);
		/* untouched on failure */
		CU_ASSERT_EQUAL(v, cases[i].rc == 0 ? cases[i].bytes : 12345);
	}
	CU_ASSERT_EQUAL(sbx_parse_size(NULL, &v), -EINVAL);
}

/* Durations: one parser, one rounding, for every front end. */
static void test_parse_duration(void)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t ms;
	} cases[] = {
		{ "0", 0, 0 },
		{ "10", 0, 10000 },
		{ "0.5", 0, 500 },
		{ "1.25", 0, 1250 },
		{ "0.0015", 0, 2 },   /* halves up, in decimal */
		{ "0.0014999", 0, 1 },
		{ "500ms", 0, 500 },
		{ "1.5ms", 0, 2 },
		{ "90s", 0, 90000 },
		{ "2m", 0, 120000 },
		{ "1h", 0, 3600000 },
		{ "8760h", 0, 365ull * 24 * 3600 * 1000 },
		{ "8761h", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 },
		{ "0.0004", -ERANGE, 0 }, /* not 0: that is no limit */
		{ "0.4ms", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "s", -EINVAL, 0 },
		{ ".", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "1e3", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 s", -EINVAL, 0 },
		{ "5x", -EINVAL, 0 },
		{ "inf", -EINVAL, 0 },
		/* what strtod() would also have taken */
		{ "\t5s", -EINVAL, 0 },
		{ "5s ", -EINVAL, 0 },
		{ "+5s", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "1e3s", -EINVAL, 0 },
		{ "nan", -EINVAL, 0 },
		{ "1,5s", -EINVAL, 0 },
		{ "5S", -EINVAL, 0 },
		{ "5min", -EINVAL, 0 },
		{ "99999999999999999999h", -ERANGE, 0 },
		/* positive past the twelfth decimal: still not "no limit" */
		{ "0.0000000000001", -ERANGE, 0 },
		{ "0.0000000000000", 0, 0 },
	};
	char err[256];
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 424242;
		strcpy(err, "unset");
		CU_ASSERT_EQUAL(sbx_parse_duration(cases[i].text, &v, err,
						   sizeof(err)),
				cases[i].rc);
		if (cases[i].rc == 0) {
			CU_ASSERT_EQUAL(v, cases[i].ms);
			CU_ASSERT_STRING_EQUAL(err, "");
		} else {
			CU_ASSERT_EQUAL(v, 424242); /* not written */
			CU_ASSERT(strstr(err, cases[i].text) != NULL);
		}
		if (sbx_parse_duration(cases[i].text, &v, NULL, 0) !=
		    cases[i].rc)
			printf("\n  %s\n", cases[i].text);
	}
	CU_ASSERT_EQUAL(sbx_parse_duration("5x", &v, err, 8), -EINVAL);
	CU_ASSERT_EQUAL(strlen(err), 7); /* cut, NUL-terminated */
	CU_ASSERT_EQUAL(sbx_parse_duration(NULL, &v, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_EQUAL(sbx_parse_duration("1", NULL, NULL, 0), -EINVAL);
}

/* Every limit's value as text, by its unit: what the CLI and the
 * bindings pass, so that they take and refuse alike. */
static void test_parse_limit(void)
{
	static const struct {
		int kind;
		const char *text;
		int rc;
		uint64_t value;
		const char *says;
	} cases[] = {
		{ SBX_LIMIT_WALL_MS, "1.5", 0, 1500, "" },
		{ SBX_LIMIT_WALL_MS, "0.0015", 0, 2, "" },
		{ SBX_LIMIT_CPU_MS, "2m", 0, 120000, "" },
		{ SBX_LIMIT_WALL_MS, "0", 0, 0, "" },
		{ SBX_LIMIT_WALL_MS, "0.0001", -ERANGE, 0, "millisecond" },
		{ SBX_LIMIT_WALL_MS, "-1", -EINVAL, 0, "not a duration" },
		{ SBX_LIMIT_CPU_MS, "366d", -EINVAL, 0, "not a duration" },
		{ SBX_LIMIT_CPU_MS, "31536001", -ERANGE, 0, "365 days" },
		{ SBX_LIMIT_MEMORY, "256M", 0, 256ull << 20, "" },
		{ SBX_LIMIT_DISK, "4096", 0, 4096, "" },
		{ SBX_LIMIT_OUTPUT, "12Q", -EINVAL, 0, "not a size" },
		{ SBX_LIMIT_FSIZE, "-1", -EINVAL, 0, "not a size" },
		{ SBX_LIMIT_MEMORY, "99999999999T", -ERANGE, 0, "64 bits" },
		{ SBX_LIMIT_PIDS, "512", 0, 512, "" },
		{ SBX_LIMIT_PTYS, "0", 0, 0, "" },
		{ SBX_LIMIT_PIDS, "1.5", -EINVAL, 0, "whole number" },
		{ SBX_LIMIT_NOFILE, "-3", -EINVAL, 0, "whole number" },
		{ SBX_LIMIT_NOFILE, "", -EINVAL, 0, "whole number" },
		{ SBX_LIMIT_NOFILE, "1e3", -EINVAL, 0, "whole number" },
		{ SBX_LIMIT_PIDS, "4194305", -ERANGE, 0, "maximum, 4194304" },
		{ SBX_LIMIT_PIDS, "99999999999999999999999", -ERANGE, 0,
		  "maximum" },
		{ SBX_LIMIT_CPU_SHARE, "0.5", 0, 500, "" },
		{ SBX_LIMIT_CPU_SHARE, "0.0015", 0, 2, "" },
		{ SBX_LIMIT_CPU_SHARE, "1024", 0, 1024000, "" },
		{ SBX_LIMIT_CPU_SHARE, "1024.001", -ERANGE, 0,
		  "larger than the maximum, 1024 CPUs" },
		{ SBX_LIMIT_CPU_SHARE, "99999999999999999999", -ERANGE, 0,
		  "larger than the maximum, 1024 CPUs" },
		{ SBX_LIMIT_CPU_SHARE, "0.0001", -ERANGE, 0,
		  "less than a thousandth" },
		{ SBX_LIMIT_CPU_SHARE, "2s", -EINVAL, 0, "number of CPUs" },
		{ SBX_LIMIT_CPU_SHARE, "nan", -EINVAL, 0, "number of CPUs" },
	};
	char err[256];
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		v = 4242;
		strcpy(err, "unset");
		rc = sbx_parse_limit(cases[i].kind, cases[i].text, &v, err,
				     sizeof(err));
		if (rc != cases[i].rc || !strstr(err, cases[i].says) ||
		    (rc == 0 && (v != cases[i].value || err[0])) ||
		    (rc < 0 && v != 4242))
			printf("\n  limit %d \"%s\": %d %llu \"%s\"",
			       cases[i].kind, cases[i].text, rc,
			       (unsigned long long)v, err);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		CU_ASSERT(strstr(err, cases[i].says) != NULL);
		CU_ASSERT_EQUAL(v, rc == 0 ? cases[i].value : 4242);
	}
	CU_ASSERT_EQUAL(sbx_parse_limit(SBX_LIMIT_KIND_MAX, "1", &v, err,
					sizeof(err)),
			-EINVAL);
	CU_ASSERT(strstr(err, "unknown limit kind") != NULL);
	CU_ASSERT_EQUAL(sbx_parse_limit(-1, "1", &v, NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_parse_limit(SBX_LIMIT_PIDS, NULL, &v, NULL, 0),
			-EINVAL);
	CU_ASSERT_EQUAL(sbx_parse_limit(SBX_LIMIT_PIDS, "1", NULL, NULL, 0),
			-EINVAL);
}

/* The defaults sandbox.h documents in its table above enum
 * sbx_limit_kind ("WALL_MS     1 hour ..."), read from the header itself,
 * are the ones a new handle has (the library's table of limits). */
static void test_header_defaults(void)
{
	static const char *const names[SBX_LIMIT_KIND_MAX] = {
		"WALL_MS", "CPU_MS", "MEMORY", "PIDS", "FSIZE",
		"NOFILE", "DISK", "OUTPUT", "CPU_SHARE", "PTYS",
	};
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = {
		{ "hour", 3600000 }, { "minutes", 60000 }, { "GiB", 1ull << 30 },
		{ "MiB", 1ull << 20 }, { "", 1 },
	};
	const char *dir = getenv("srcdir");
	char path[4096], line[512];
	int seen[SBX_LIMIT_KIND_MAX] = { 0 };
	sbx_t *sbx;
	FILE *f;
	int k;

	snprintf(path, sizeof(path), "%s/include/sandbox.h", dir ? dir : ".");
	f = fopen(path, "r");
	if (!f) {
		tl_skip("cannot read %s (srcdir)", path);
		return;
	}
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	while (fgets(line, sizeof(line), f)) {
		char name[32], value[32], unit[32] = "";
		unsigned long long n;
		uint64_t want, have;
		size_t u;

		/* " *   NAME   VALUE [UNIT]   mechanism..." */
		if (sscanf(line, " * %31s %31s %31s", name, value, unit) < 2)
			continue;
		for (k = 0; k < SBX_LIMIT_KIND_MAX; k++)
			if (strcmp(name, names[k]) == 0)
				break;
		if (k == SBX_LIMIT_KIND_MAX || seen[k])
			continue;
		seen[k] = 1;
		if (strcmp(value, "none") == 0) {
			want = 0;
		} else {
			CU_ASSERT_FATAL(sscanf(value, "%llu", &n) == 1);
			for (u = 0; u < sizeof(units) / sizeof(units[0]); u++)
				if (strcmp(unit, units[u].unit) == 0 ||
				    !units[u].unit[0])
					break;
			want = n * units[u].mult;
			if (!units[u].unit[0])
				unit[0] = '\0'; /* the mechanism's first word */
		}
		CU_ASSERT_EQUAL(sbx_get_limit(sbx, k, &have), 0);
		if (have != want)
			printf("\n  sandbox.h says %s is %s %s, the library "
			       "gives %llu",
			       name, value, unit, (unsigned long long)have);
		CU_ASSERT_EQUAL(have, want);
	}
	fclose(f);
	for (k = 0; k < SBX_LIMIT_KIND_MAX; k++) {
		if (!seen[k])
			printf("\n  sandbox.h documents no default for %s",
			       names[k]);
		CU_ASSERT(seen[k]);
	}
	sbx_destroy(sbx);
}

/* Each limit reads back as its documented default, then as set. */
static void test_getters(void)
{
	static const uint64_t defaults[SBX_LIMIT_KIND_MAX] = {
		[SBX_LIMIT_WALL_MS] = 3600ull * 1000,
		[SBX_LIMIT_CPU_MS] = 600ull * 1000,
		[SBX_LIMIT_MEMORY] = 1ull << 30,
		[SBX_LIMIT_PIDS] = 512,
		[SBX_LIMIT_FSIZE] = 0,
		[SBX_LIMIT_NOFILE] = 1024,
		[SBX_LIMIT_DISK] = 512ull << 20,
		[SBX_LIMIT_OUTPUT] = 64ull << 20,
		[SBX_LIMIT_CPU_SHARE] = 0,
		[SBX_LIMIT_PTYS] = 16,
	};
	uint64_t v = 42;
	sbx_t *sbx;
	int i;

	CU_ASSERT_EQUAL(sbx_get_limit(NULL, SBX_LIMIT_PIDS, &v), -EINVAL);
	CU_ASSERT_EQUAL(sbx_get_flag(NULL, SBX_FLAG_READ_ONLY), -EINVAL);
	CU_ASSERT_EQUAL(sbx_get_network(NULL), -EINVAL);
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	for (i = 0; i < SBX_LIMIT_KIND_MAX; i++) {
		CU_ASSERT_EQUAL(sbx_get_limit(sbx, i, &v), 0);
		CU_ASSERT_EQUAL(v, defaults[i]);
	}
	v = 42;
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, -1, &v), -EINVAL);
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, SBX_LIMIT_KIND_MAX, &v), -EINVAL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "unknown limit kind") != NULL);
	CU_ASSERT_EQUAL(v, 42); /* not written on failure */
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, SBX_LIMIT_PIDS, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_OUTPUT, 0), 0);
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, SBX_LIMIT_OUTPUT, &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	/* a policy's values, and a preset's reset */
	CU_ASSERT_EQUAL(sbx_policy_load_string(
				sbx, "{\"limits\":{\"wall\":2.5,"
				     "\"memory\":\"256M\"},\"network\":\"host\","
				     "\"read_only\":true}"),
			0);
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, SBX_LIMIT_WALL_MS, &v), 0);
	CU_ASSERT_EQUAL(v, 2500);
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, SBX_LIMIT_MEMORY, &v), 0);
	CU_ASSERT_EQUAL(v, 256ull << 20);
	/* a policy's seconds round as sbx_parse_duration() rounds, halves
	 * up in decimal, whatever a double makes of them */
	CU_ASSERT_EQUAL(sbx_policy_load_string(
				sbx, "{\"limits\":{\"wall\":0.0015,"
				     "\"cpu\":0.0005}}"),
			0);
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, SBX_LIMIT_WALL_MS, &v), 0);
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, SBX_LIMIT_CPU_MS, &v), 0);
	CU_ASSERT_EQUAL(v, 1);
	CU_ASSERT_EQUAL(sbx_get_network(sbx), SBX_NET_HOST);
	CU_ASSERT_EQUAL(sbx_get_flag(sbx, SBX_FLAG_READ_ONLY), 1);
	CU_ASSERT_EQUAL(sbx_get_flag(sbx, SBX_FLAG_SECCOMP_KILL), 0);
	CU_ASSERT_EQUAL(sbx_policy_preset(sbx, "default"), 0);
	CU_ASSERT_EQUAL(sbx_get_network(sbx), SBX_NET_NONE);
	for (i = 0; i < SBX_FLAG_MAX; i++)
		CU_ASSERT_EQUAL(sbx_get_flag(sbx, i), 0);
	CU_ASSERT_EQUAL(sbx_get_limit(sbx, SBX_LIMIT_OUTPUT, &v), 0);
	CU_ASSERT_EQUAL(v, defaults[SBX_LIMIT_OUTPUT]);
	CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_SINGLE_ID, 1), 0);
	CU_ASSERT_EQUAL(sbx_get_flag(sbx, SBX_FLAG_SINGLE_ID), 1);
	CU_ASSERT_EQUAL(sbx_get_flag(sbx, SBX_FLAG_MAX), -EINVAL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "unknown flag") != NULL);
	CU_ASSERT_EQUAL(sbx_get_flag(sbx, -1), -EINVAL);
	/* no result: no layers, no reason */
	CU_ASSERT_PTR_NULL(sbx_result_layers(sbx));
	CU_ASSERT_PTR_NULL(sbx_result_degraded_reason(sbx));
	CU_ASSERT_PTR_NULL(sbx_result_layers(NULL));
	CU_ASSERT_PTR_NULL(sbx_result_degraded_reason(NULL));
	CU_ASSERT_PTR_NULL(sbx_result_setup_step(sbx));
	CU_ASSERT_PTR_NULL(sbx_result_setup_step(NULL));
	sbx_destroy(sbx);
}

/* A copy has the configuration, all of it, and nothing of a run. */
static void test_dup(void)
{
	const char *sleeper[] = { "/bin/sleep", "30", NULL };
	const char *env[] = { "/bin/sh", "-c", "echo $SBX_DUP", NULL };
	char *a, *b;
	const char *data;
	size_t len;
	sbx_t *sbx, *copy = NULL;
	uint64_t v;
	int r;

	CU_ASSERT_EQUAL(sbx_dup(NULL, &copy), -EINVAL);
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	CU_ASSERT_EQUAL(sbx_dup(sbx, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, "/tmp", SBX_WORKSPACE_RW), 0);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/etc", "/mnt/etc", 0), 0);
	CU_ASSERT_EQUAL(sbx_set_cwd(sbx, "/mnt"), 0);
	CU_ASSERT_EQUAL(sbx_set_env(sbx, "SBX_DUP", "copied"), 0);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_PIDS, 77), 0);
	CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_SECCOMP_KILL, 1), 0);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "ptrace", SBX_SYSCALL_DENY, 1),
			0);
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, "seccomp"), 0);
	CU_ASSERT_EQUAL(sbx_set_network(sbx, SBX_NET_HOST), 0);
	CU_ASSERT_EQUAL(sbx_dup(sbx, &copy), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	a = strdup(sbx_policy_export(sbx, SBX_POLICY_JSON));
	b = strdup(sbx_policy_export(copy, SBX_POLICY_JSON));
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT(strstr(b, "ptrace") != NULL);
	CU_ASSERT(strstr(b, "/mnt/etc") != NULL);
	free(a);
	free(b);
	/* independent: a change to one is not the other's */
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_PIDS, 5), 0);
	CU_ASSERT_EQUAL(sbx_clear_env(sbx), 0);
	CU_ASSERT_EQUAL(sbx_get_limit(copy, SBX_LIMIT_PIDS, &v), 0);
	CU_ASSERT_EQUAL(v, 77);
	sbx_destroy(sbx);
	/* the copy outlives the original and runs */
	CU_ASSERT_EQUAL(sbx_set_workspace(copy, NULL, SBX_WORKSPACE_RO), 0);
	CU_ASSERT_EQUAL(sbx_set_cwd(copy, NULL), 0);
	CU_ASSERT_EQUAL(sbx_set_network(copy, SBX_NET_NONE), 0);
	/* libseccomp asks seccomp() whether the kill action exists, which
	 * valgrind (the memcheck pass of this suite) does not answer */
	CU_ASSERT_EQUAL(sbx_set_flag(copy, SBX_FLAG_SECCOMP_KILL, 0), 0);
	sbx_set_stdio(copy, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(copy, 1, SBX_STDIO_CAPTURE, -1);
	r = sbx_exec(copy, env);
	if (r < 0)
		fprintf(stderr, "\n  sbx_exec of the copy: %s\n",
			sbx_last_error(copy));
	CU_ASSERT_EQUAL_FATAL(r, 0);
	CU_ASSERT_EQUAL_FATAL(sbx_wait(copy), 0);
	CU_ASSERT_EQUAL(sbx_result(copy, SBX_RESULT_EXIT_CODE), 0);
	CU_ASSERT_EQUAL(sbx_output(copy, 1, &data, &len), 0);
	CU_ASSERT(len == 7 && memcmp(data, "copied\n", 7) == 0);

	/* a copy of a handle that ran, or runs, has none of its run */
	CU_ASSERT_FATAL(sbx_dup(copy, &sbx) == 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), -ENODATA);
	CU_ASSERT_PTR_NULL(sbx_result_json(sbx));
	sbx_destroy(sbx);
	sbx_set_stdio(copy, 1, SBX_STDIO_NULL, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(copy, sleeper), 0);
	CU_ASSERT_FATAL(sbx_dup(copy, &sbx) == 0);
	CU_ASSERT_EQUAL(sbx_fd(sbx, SBX_FD_STATUS), -ECHILD);
	CU_ASSERT_EQUAL(sbx_pid(sbx), -ECHILD);
	CU_ASSERT_EQUAL(sbx_kill(sbx), -ECHILD);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_PIDS, 9), 0); /* idle */
	sbx_destroy(sbx);
	CU_ASSERT_EQUAL(sbx_kill(copy), 0);
	CU_ASSERT_EQUAL(sbx_wait(copy), 0);
	CU_ASSERT_EQUAL(sbx_result(copy, SBX_RESULT_STATUS), SBX_STATUS_KILLED);
	sbx_destroy(copy);
}

/* Read from fd until text arrives (the program is ready) or EOF. */
static int await_text(int fd, const char *text)
{
	char buf[256];
	size_t have = 0;

	while (have < sizeof(buf) - 1) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);

		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if (strstr(buf, text))
			return 0;
	}
	return -1;
}

static void test_signal_and_pid(void)
{
	const char *trap[] = { "/bin/sh", "-c",
			       "trap 'echo got-term; exit 7' TERM; echo ready; "
			       "while :; do sleep 0.05; done",
			       NULL };
	const char *sleeper[] = { "/bin/sh", "-c", "echo ready; exec sleep 30",
				  NULL };
	const char *quick[] = { "/bin/true", NULL };
	const char *data;
	size_t len;
	char path[64], stat[512], *p;
	FILE *f;
	pid_t pid;
	sbx_t *sbx;
	int fd;

	CU_ASSERT_EQUAL(sbx_signal(NULL, SIGTERM), -EINVAL);
	CU_ASSERT_EQUAL(sbx_pid(NULL), -EINVAL);
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	/* no run */
	CU_ASSERT_EQUAL(sbx_signal(sbx, SIGTERM), -ECHILD);
	CU_ASSERT(strstr(sbx_last_error(sbx), "no sandbox is running") != NULL);
	CU_ASSERT_EQUAL(sbx_pid(sbx), -ECHILD);
	CU_ASSERT_EQUAL(sbx_signal(sbx, SIGKILL), -EINVAL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "sbx_kill") != NULL);
	CU_ASSERT_EQUAL(sbx_signal(sbx, SIGSEGV), -EINVAL);
	CU_ASSERT_EQUAL(sbx_signal(sbx, 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_signal(sbx, 200), -EINVAL);

	/* a program that handles SIGTERM ends as it chooses */
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_PIPE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, trap), 0);
	pid = sbx_pid(sbx);
	CU_ASSERT(pid > 0);
	/* the caller's own child: the supervisor */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(fgets(stat, sizeof(stat), f) != NULL);
	fclose(f);
	p = strrchr(stat, ')');
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	{
		char state;
		int ppid = 0;

		CU_ASSERT_EQUAL(sscanf(p + 1, " %c %d", &state, &ppid), 2);
		CU_ASSERT_EQUAL(ppid, (int)getpid());
	}
	fd = sbx_fd(sbx, SBX_FD_STDOUT);
	CU_ASSERT_EQUAL_FATAL(await_text(fd, "ready"), 0);
	CU_ASSERT_EQUAL(sbx_signal(sbx, SIGTERM), 0);
	CU_ASSERT_EQUAL(await_text(fd, "got-term"), 0);
	CU_ASSERT_EQUAL_FATAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_EXIT_CODE), 7);
	/* run finished */
	CU_ASSERT_EQUAL(sbx_signal(sbx, SIGTERM), -ECHILD);
	CU_ASSERT_EQUAL(sbx_pid(sbx), -ECHILD);

	/* one that does not: killed by it, as the result says */
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, sleeper), 0);
	CU_ASSERT_EQUAL_FATAL(await_text(sbx_fd(sbx, SBX_FD_STDOUT), "ready"),
			      0);
	CU_ASSERT_EQUAL(sbx_signal(sbx, SIGUSR1), 0);
	CU_ASSERT_EQUAL_FATAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS),
			SBX_STATUS_SIGNALED);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_SIGNAL), SIGUSR1);

	/* ended, not yet waited for */
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, quick), 0);
	{
		struct pollfd pf = { sbx_fd(sbx, SBX_FD_STATUS), POLLIN, 0 };

		CU_ASSERT_EQUAL(poll(&pf, 1, 60000), 1);
	}
	CU_ASSERT_EQUAL(sbx_signal(sbx, SIGTERM), -ECHILD);
	CU_ASSERT(strstr(sbx_last_error(sbx), "has ended") != NULL);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_EXIT_CODE), 0);
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
	/* the layers of the run, as the JSON lists them */
	CU_ASSERT_PTR_NOT_NULL_FATAL(sbx_result_layers(sbx));
	CU_ASSERT(strncmp(sbx_result_layers(sbx), "userns ", 7) == 0);
	CU_ASSERT(strstr(sbx_result_layers(sbx), "seccomp") != NULL);
	CU_ASSERT_STRING_EQUAL(sbx_result_degraded_reason(sbx), "");
	sbx_destroy(sbx);
}

static void test_missing_supervisor(void)
{
	const char *argv[] = { "/bin/true", NULL };
	char *saved = getenv("SBX_SUPERVISOR") ? strdup(getenv("SBX_SUPERVISOR"))
					       : NULL;
	sbx_t *sbx;

	setenv("SBX_SUPERVISOR", "/nonexistent/sbx-supervisor", 1);
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	CU_ASSERT_EQUAL(sbx_exec(sbx, argv), -ENOENT);
	CU_ASSERT(strstr(sbx_last_error(sbx), "/nonexistent/sbx-supervisor") !=
		  NULL);
	CU_ASSERT_EQUAL(sbx_wait(sbx), -ECHILD);
	sbx_destroy(sbx);
	if (saved)
		setenv("SBX_SUPERVISOR", saved, 1);
	else
		unsetenv("SBX_SUPERVISOR");
	free(saved);
}

static void test_reuse_and_results(void)
{
	const char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 3",
			       NULL };
	const char *data;
	size_t len;
	sbx_t *sbx;
	int i;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
		CU_ASSERT_EQUAL_FATAL(sbx_wait(sbx), 0);
		CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS),
				SBX_STATUS_EXITED);
		CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_EXIT_CODE), 3);
		CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_SIGNAL), 0);
		CU_ASSERT(sbx_result(sbx, SBX_RESULT_WALL_MS) >= 0);
		CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
		CU_ASSERT_EQUAL(len, 4);
		CU_ASSERT_NSTRING_EQUAL(data, "out\n", 4);
		CU_ASSERT_EQUAL(sbx_output(sbx, 2, &data, &len), 0);
		CU_ASSERT_NSTRING_EQUAL(data, "err\n", 4);
		CU_ASSERT_EQUAL(sbx_output(sbx, 0, &data, &len), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sbx_result_json(sbx));
		CU_ASSERT(strstr(sbx_result_json(sbx),
				 "\"status\":\"exited\",\"exit_code\":3") !=
			  NULL);
		CU_ASSERT(strstr(sbx_result_json(sbx), "\"wall_ms\":") != NULL);
		CU_ASSERT(strstr(sbx_result_json(sbx), "\"layers\":[\"userns\"") !=
			  NULL);
	}
	sbx_destroy(sbx);
}

/* Every default variable passed by name from a caller who has none: the
 * program runs with an empty environment (the sandbox's init once got
 * no list at all, and crashed searching PATH for a name without a
 * slash). */
static void no_env(sbx_t *sbx, void *arg)
{
	static const char *const names[] = { "PATH", "HOME", "LANG", "TERM",
					     "TMPDIR" };
	char *saved[5];
	size_t i;

	(void)arg;
	for (i = 0; i < 5; i++) {
		const char *v = getenv(names[i]);

		saved[i] = v ? strdup(v) : NULL;
		unsetenv(names[i]);
	}
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(sbx_set_env(sbx, names[i], NULL), 0);
	for (i = 0; i < 5; i++) {
		if (saved[i])
			setenv(names[i], saved[i], 1);
		free(saved[i]);
	}
}

static void test_empty_environment(void)
{
	const char *env[] = { "env", NULL };
	struct tl_run r;

	tl_run_argv(&r, no_env, NULL, env);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	CU_ASSERT_STRING_EQUAL(r.out, "");
	tl_run_free(&r);
}

static void test_input_and_pipes(void)
{
	const char *cat[] = { "/bin/cat", NULL };
	struct tl_run r;
	const char *data;
	size_t len;
	char buf[64];
	sbx_t *sbx;
	ssize_t n;
	int fd;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	sbx_set_input(sbx, "fed via input\n", 14);
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, cat), 0);
	CU_ASSERT_EQUAL_FATAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
	CU_ASSERT_EQUAL(len, 14);
	CU_ASSERT_NSTRING_EQUAL(data, "fed via input\n", 14);

	/* the caller's own pipes */
	sbx_set_stdio(sbx, 0, SBX_STDIO_PIPE, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_PIPE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, cat), 0);
	fd = sbx_fd(sbx, SBX_FD_STDIN);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, "ping\n", 5), 5);
	CU_ASSERT_EQUAL(sbx_close_stdin(sbx), 0);
	CU_ASSERT_EQUAL(sbx_close_stdin(sbx), -EBADF);
	fd = sbx_fd(sbx, SBX_FD_STDOUT);
	CU_ASSERT_FATAL(fd >= 0);
	len = 0;
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_NSTRING_EQUAL(buf, "ping\n", 5);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_EXIT_CODE), 0);
	sbx_destroy(sbx);

	/* an explicit fd */
	{
		char path[] = "/tmp/sbx-test-out-XXXXXX";
		char *text;
		int out = mkstemp(path);

		CU_ASSERT_FATAL(out >= 0);
		CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
		sbx_set_stdio(sbx, 1, SBX_STDIO_FD, out);
		sbx_set_input(sbx, "to a file\n", 10);
		CU_ASSERT_EQUAL(sbx_exec(sbx, cat), 0);
		CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
		close(out);
		text = tl_read_file(path);
		CU_ASSERT_STRING_EQUAL(text, "to a file\n");
		free(text);
		unlink(path);
		sbx_destroy(sbx);
	}
	(void)r;
}

/* What an event loop does: watch the status fd, then collect without
 * blocking; take a pipe's ownership and read it to EOF. */
static void test_event_loop_contract(void)
{
	const char *argv[] = { "/bin/sh", "-c", "sleep 0.2; echo done", NULL };
	struct pollfd p;
	char buf[64];
	size_t len = 0;
	ssize_t n;
	sbx_t *sbx;
	int status_fd, out_fd, polls = 0;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_PIPE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	out_fd = sbx_take_fd(sbx, SBX_FD_STDOUT);
	CU_ASSERT_FATAL(out_fd >= 0);
	CU_ASSERT_EQUAL(sbx_take_fd(sbx, SBX_FD_STDOUT), -EBADF);
	CU_ASSERT_EQUAL(sbx_fd(sbx, SBX_FD_STDOUT), -EBADF);
	status_fd = sbx_fd(sbx, SBX_FD_STATUS);
	CU_ASSERT_FATAL(status_fd >= 0);
	CU_ASSERT_EQUAL(sbx_try_wait(sbx), -EAGAIN);
	while ((n = read(out_fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(out_fd);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_NSTRING_EQUAL(buf, "done\n", 5);
	for (;;) {
		p = (struct pollfd){ status_fd, POLLIN, 0 };
		CU_ASSERT_EQUAL_FATAL(poll(&p, 1, 10000), 1);
		polls++;
		/* EOF, never data */
		CU_ASSERT_EQUAL(read(status_fd, buf, sizeof(buf)), 0);
		if (sbx_try_wait(sbx) == 0)
			break;
		CU_ASSERT_FATAL(polls < 100);
	}
	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(sbx_fd(sbx, SBX_FD_STATUS), -ECHILD);
	sbx_destroy(sbx);
}

/* Runs that end every way leave no descriptor and no child behind. */
static void test_no_fd_leak(void)
{
	const char *ok[] = { "/bin/true", NULL };
	const char *missing[] = { "/no/such/program", NULL };
	const char *sleeper[] = { "/bin/sleep", "30", NULL };
	int before = tl_count_fds(), i, st;
	sbx_t *sbx;

	for (i = 0; i < 30; i++) {
		CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
		sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
		sbx_set_stdio(sbx, 1, i % 2 ? SBX_STDIO_CAPTURE : SBX_STDIO_PIPE,
			      -1);
		sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
		switch (i % 3) {
		case 0:
			sbx_exec(sbx, ok);
			sbx_wait(sbx);
			CU_ASSERT_STRING_EQUAL(sbx_result_setup_step(sbx), "");
			break;
		case 1:
			sbx_exec(sbx, missing);
			sbx_wait(sbx);
			CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS),
					SBX_STATUS_SETUP_ERROR);
			/* the message and its errno: the step's own */
			CU_ASSERT(strstr(sbx_last_error(sbx),
					 "/no/such/program") != NULL);
			CU_ASSERT_EQUAL(sbx_last_errno(sbx), ENOENT);
			CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_SETUP_ERRNO),
					ENOENT);
			CU_ASSERT_STRING_EQUAL(sbx_result_setup_step(sbx),
					       "exec");
			break;
		case 2:
			sbx_exec(sbx, sleeper); /* destroyed while running */
			break;
		}
		sbx_destroy(sbx);
	}
	CU_ASSERT_EQUAL(tl_count_fds(), before);
	CU_ASSERT_EQUAL(waitpid(-1, &st, WNOHANG), -1);
	CU_ASSERT_EQUAL(errno, ECHILD);
}

static CU_TestInfo api_tests[] = {
	{ "create and destroy", test_create_destroy },
	{ "NULL handle", test_null_handle },
	{ "bad values", test_bad_values },
	{ "the workspace mode alone", test_workspace_mode },
	{ "calls in the wrong state", test_wrong_state },
	{ "size strings", test_parse_size },
	{ "duration strings", test_parse_duration },
	{ "limit values as text", test_parse_limit },
	{ "the header's documented defaults", test_header_defaults },
	{ "getters", test_getters },
	{ "dup", test_dup },
	{ "signal and pid", test_signal_and_pid },
	{ "missing supervisor", test_missing_supervisor },
	{ "reuse and results", test_reuse_and_results },
	{ "an empty environment", test_empty_environment },
	{ "input and pipes", test_input_and_pipes },
	{ "event loop contract", test_event_loop_contract },
	{ "no fd or child leak", test_no_fd_leak },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "api", NULL, NULL, NULL, NULL, api_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

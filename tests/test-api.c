/* test-api.c - the C API's contract: argument checks, the errno of each
 * misuse, the state machine, results, and no leaks in the caller. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "size.h"
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

/* The library's parser of durations (policies; sbx): digits, an
 * optional fraction and unit, nothing else. */
static void test_parse_duration(void)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t ms;
	} cases[] = {
		{ "0", 0, 0 },
		{ "90", 0, 90000 },
		{ "1.5", 0, 1500 },
		{ "1.5s", 0, 1500 },
		{ "500ms", 0, 500 },
		{ "0.5ms", 0, 1 },
		{ "0.4ms", 0, 0 },
		{ "1.0005s", 0, 1001 },
		{ "2m", 0, 120000 },
		{ "1h", 0, 3600000 },
		{ "0.000000001h", 0, 0 },
		{ "1.23456789999h", 0, 4444444 },
		{ "18446744073709551615ms", 0, UINT64_MAX },
		{ "", -EINVAL, 0 },
		{ "s", -EINVAL, 0 },
		{ "\t5s", -EINVAL, 0 },
		{ " 5s", -EINVAL, 0 },
		{ "5 s", -EINVAL, 0 },
		{ "5s ", -EINVAL, 0 },
		{ "+5s", -EINVAL, 0 },
		{ "-0", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "1e3s", -EINVAL, 0 },
		{ "inf", -EINVAL, 0 },
		{ "nan", -EINVAL, 0 },
		{ "1,5s", -EINVAL, 0 },
		{ "1.s", -EINVAL, 0 },
		{ "5S", -EINVAL, 0 },
		{ "5min", -EINVAL, 0 },
		{ "5d", -EINVAL, 0 },
		{ "18446744073709551616ms", -ERANGE, 0 },
		{ "99999999999999999999h", -ERANGE, 0 },
		{ "5124095576031h", -ERANGE, 0 },
		{ "5124095576030h", 0, 5124095576030ull * 3600000 },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		v = 12345;
		r = sbx_duration_parse(cases[i].text, &v);
		if (r != cases[i].rc ||
		    v != (cases[i].rc == 0 ? cases[i].ms : 12345))
			fprintf(stderr, "\n  \"%s\": %d, %llu\n",
				cases[i].text, r, (unsigned long long)v);
		CU_ASSERT_EQUAL(r, cases[i].rc);
		CU_ASSERT_EQUAL(v, cases[i].rc == 0 ? cases[i].ms : 12345);
	}
	CU_ASSERT_EQUAL(sbx_duration_parse(NULL, &v), -EINVAL);
	CU_ASSERT_EQUAL(sbx_decimal_parse("0.5", 1000, &v), 0);
	CU_ASSERT_EQUAL(v, 500);
	CU_ASSERT_EQUAL(sbx_decimal_parse("0.5s", 1000, &v), -EINVAL);
	CU_ASSERT_EQUAL(sbx_decimal_parse(" 1", 1000, &v), -EINVAL);
	CU_ASSERT_EQUAL(sbx_decimal_parse("1", 3600001, &v), -EINVAL);
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
	{ "calls in the wrong state", test_wrong_state },
	{ "size strings", test_parse_size },
	{ "duration strings", test_parse_duration },
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

/* test-layers.c - the layers with namespaces: Landlock as a second wall
 * (it denies what the mounts alone would allow), the presets and policy
 * rules at run time, required layers, and `sbx doctor`'s checks on this
 * machine, each compared with what the test finds itself. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nouserns.h"

static char *tmp;
static int abi;

static int setup(void)
{
	long v = syscall(444 /* landlock_create_ruleset */, NULL, 0, 1u);

	abi = v < 0 ? 0 : (int)v;
	tmp = tl_tmpdir();
	return tmp ? 0 : 1;
}

static int teardown(void)
{
	tl_rmrf(tmp);
	free(tmp);
	return 0;
}

struct cfg {
	const char *preset;
	const char *policy;
	const char *require;
	int rw_workspace;
};

static void configure(sbx_t *sbx, void *arg)
{
	struct cfg *c = arg;

	if (c && c->preset)
		CU_ASSERT_EQUAL(sbx_policy_preset(sbx, c->preset), 0);
	if (c && c->policy && sbx_policy_load_string(sbx, c->policy) < 0)
		fprintf(stderr, "\n  policy: %s\n", sbx_last_error(sbx));
	if (c && c->require)
		CU_ASSERT_EQUAL(sbx_require_layer(sbx, c->require), 0);
	if (c && c->rw_workspace)
		CU_ASSERT_EQUAL(sbx_set_workspace(sbx, tmp, SBX_WORKSPACE_RW),
				0);
	sbx_add_bind(sbx, nu_helper_dir(), NULL, 0);
}

static void try_op(struct tl_run *r, struct cfg *c, const char *op,
		   const char *a1, const char *a2)
{
	const char *argv[] = { nu_helper(), op, a1, a2, NULL };

	tl_run_argv(r, configure, c, argv);
	TL_ASSERT_STATUS(r, SBX_STATUS_EXITED);
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static void test_landlock_reported(void)
{
	struct tl_run r;
	char want[80];

	try_op(&r, NULL, "fds", NULL, NULL);
	if (abi > 0) {
		snprintf(want, sizeof(want),
			 "\"nnp\",\"landlock-abi%d:fs%s\",\"seccomp\"",
			 abi > 7 ? 7 : abi, abi >= 6 ? ",scope" : "");
		CU_ASSERT(strstr(r.json, want) != NULL);
	} else {
		CU_ASSERT(strstr(r.json, "landlock") == NULL);
	}
	CU_ASSERT(strstr(r.json, "\"degraded\":false") != NULL);
	tl_run_free(&r);
}

/* The root tmpfs and /dev are writable mounts: only Landlock keeps the
 * program from planting files there. */
static void test_landlock_second_wall(void)
{
	struct tl_run r;

	if (!abi) {
		tl_skip("no Landlock on this kernel");
		return;
	}
	try_op(&r, NULL, "write", "/planted", NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "EACCES\n");
	tl_run_free(&r);
	try_op(&r, NULL, "write", "/dev/planted", NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "EACCES\n");
	tl_run_free(&r);
	try_op(&r, NULL, "mkdir", "/home/other", NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "EACCES\n");
	tl_run_free(&r);
	/* where the policy writes, it writes */
	try_op(&r, NULL, "write", "/tmp/ok", NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	tl_run_free(&r);
	try_op(&r, NULL, "write", "/home/sandbox/ok", NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	tl_run_free(&r);
	try_op(&r, NULL, "write", "/dev/null", NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	tl_run_free(&r);
}

/* A file the caller gives as stdin may be reopened to read, not to
 * write (/proc/self/fd/0): the program's stdin is the supervisor's pipe,
 * whatever Landlock would say about the file. */
static void cfg_stdin_file(sbx_t *sbx, void *arg)
{
	sbx_set_stdio(sbx, 0, SBX_STDIO_FD, *(int *)arg);
	sbx_add_bind(sbx, nu_helper_dir(), NULL, 0);
}

static void test_landlock_stdio(void)
{
	const char *argv[] = { nu_helper(), "reopen-write", "/proc/self/fd/0",
			       NULL };
	const char *argr[] = { nu_helper(), "read", "/dev/stdin", NULL };
	char path[512], *text;
	struct tl_run r;
	int fd;

	snprintf(path, sizeof(path), "%s/input", tmp);
	tl_write_file(path, "caller's file\n");
	chmod(path, 0666); /* so that only the sandbox can say no */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0);
	tl_run_argv(&r, cfg_stdin_file, &fd, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	tl_run_free(&r);
	text = tl_read_file(path);
	CU_ASSERT_STRING_EQUAL(text, "caller's file\n");
	free(text);
	tl_run_argv(&r, cfg_stdin_file, &fd, argr);
	CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	tl_run_free(&r);
	close(fd);
}

static void test_strict(void)
{
	struct cfg c = { .preset = "strict" };
	struct tl_run r;

	try_op(&r, &c, "socket", "unix", NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	CU_ASSERT(strstr(r.json, "\"read-only\"") != NULL);
	tl_run_free(&r);
	try_op(&r, &c, "socket", "inet", NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	try_op(&r, &c, "socketpair", NULL, NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	try_op(&r, &c, "shmget", NULL, NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	/* nothing writable, /tmp included */
	try_op(&r, &c, "write", "/tmp/x", NULL);
	CU_ASSERT(strcmp(r.out, "ok\n") != 0);
	tl_run_free(&r);
	try_op(&r, &c, "mkfifo", "/home/sandbox/fifo", NULL);
	CU_ASSERT(strcmp(r.out, "ok\n") != 0);
	tl_run_free(&r);
	/* and a writable workspace contradicts it */
	c.rw_workspace = 1;
	{
		const char *argv[] = { "/bin/true", NULL };

		tl_run_argv(&r, configure, &c, argv);
		CU_ASSERT_EQUAL(r.rc, -EINVAL);
		CU_ASSERT(strstr(r.message, "read-only") != NULL);
		tl_run_free(&r);
	}
}

/* build: a compiler in a writable workspace, offline. */
static void test_build(void)
{
	const char *argv[] = {
		"/bin/sh", "-c",
		"printf 'int main(void){return 42;}' > t.c && cc t.c -o t && "
		"./t; echo $?; echo $PIP_NO_INDEX",
		NULL
	};
	struct cfg c = { .preset = "build", .rw_workspace = 1 };
	struct tl_run r;

	if (access("/usr/bin/cc", X_OK) < 0) {
		tl_skip("no C compiler on this host");
		return;
	}
	tl_run_argv(&r, configure, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(r.out, "42\n1\n");
	tl_run_free(&r);
	try_op(&r, &c, "tcp-connect", "1.1.1.1", "443");
	CU_ASSERT(strcmp(r.out, "ok\n") != 0);
	tl_run_free(&r);
}

static void test_policy_rules_at_run_time(void)
{
	struct cfg c = {
		.policy = "{\"seccomp\": {\"deny\": [{\"name\": \"mkdir\", "
			  "\"errno\": \"EACCES\"}, \"mkdirat\"], \"kill\": "
			  "[\"shmget\"], \"allow\": [\"ptrace\"]}}"
	};
	struct tl_run r;

	try_op(&r, &c, "mkdir", "/tmp/d", NULL);
	CU_ASSERT(strcmp(r.out, "EACCES\n") == 0 ||
		  strcmp(r.out, "EPERM\n") == 0);
	tl_run_free(&r);
	{
		const char *argv[] = { nu_helper(), "shmget", NULL };

		tl_run_argv(&r, configure, &c, argv);
		TL_ASSERT_STATUS(&r, SBX_STATUS_SIGNALED);
		CU_ASSERT_EQUAL(r.signal, SIGSYS);
		tl_run_free(&r);
	}
	/* allowed by the policy: the kernel decides (no tracer here) */
	try_op(&r, &c, "ptrace", NULL, NULL);
	CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	tl_run_free(&r);
	/* allow_setid reaches the run (SBX_FLAG_ALLOW_SETID) */
	c.policy = "{\"allow_setid\": true}";
	{
		const char *argv[] = { "/bin/true", NULL };

		tl_run_argv(&r, configure, &c, argv);
		TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
		CU_ASSERT(r.json && strstr(r.json, "\"caps:setid\"") != NULL);
		tl_run_free(&r);
	}
}

static void test_required_layers(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct cfg c = { .require = "landlock-abi99" };
	struct tl_run r;

	tl_run_argv(&r, configure, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT(strstr(r.message, "requires the layer landlock-abi99") !=
		  NULL);
	CU_ASSERT(strstr(r.json, "\"step\":\"require\"") != NULL);
	tl_run_free(&r);
	c.require = "netns";
	c.policy = "{\"network\": \"host\"}";
	tl_run_argv(&r, configure, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT(strstr(r.message, "netns") != NULL);
	tl_run_free(&r);
	c.policy = "{\"require\": [\"userns\", \"pidns\", \"seccomp\", "
		   "\"caps\", \"nnp\"]}";
	tl_run_argv(&r, configure, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	tl_run_free(&r);
}

/* ------------------------------------------------------------- doctor */

static json_object *check_of(json_object *report, const char *name)
{
	json_object *checks = get(report, "checks");
	size_t i;

	for (i = 0; i < json_object_array_length(checks); i++) {
		json_object *c = json_object_array_get_idx(checks, i);

		if (strcmp(json_object_get_string(get(c, "name")), name) == 0)
			return c;
	}
	return NULL;
}

static const char *status_of(json_object *report, const char *name)
{
	json_object *c = check_of(report, name);

	return c ? json_object_get_string(get(c, "status")) : "(missing)";
}

/* What the test finds itself: can it make the namespaces? */
static int can_unshare_all(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void test_doctor_here(void)
{
	json_object *o, *c;
	struct statfs sf;
	sbx_t *sbx;
	int r;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	r = sbx_probe_host(sbx);
	CU_ASSERT(r == 0 || r == 1);
	o = json_tokener_parse(sbx_probe_report(sbx));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	/* the verdict matches the return value, and what the test finds */
	CU_ASSERT_EQUAL(json_object_get_boolean(get(o, "can_run_default")),
			r == 0);
	CU_ASSERT_EQUAL(r == 0, can_unshare_all());
	CU_ASSERT_STRING_EQUAL(status_of(o, "userns"),
			       can_unshare_all() ? "ok" : "fail");
	if (r == 0) {
		CU_ASSERT_STRING_EQUAL(status_of(o, "namespaces"), "ok");
		CU_ASSERT_STRING_EQUAL(status_of(o, "mounts"), "ok");
	}
	CU_ASSERT_STRING_EQUAL(status_of(o, "seccomp"), "ok");
	c = check_of(o, "landlock");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(json_object_get_int(get(c, "abi")), abi);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(c, "status")),
			       abi ? "ok" : "warn");
	CU_ASSERT_EQUAL(json_object_get_int(get(o, "landlock_abi")), abi);
	c = check_of(o, "cgroup");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_FATAL(statfs("/sys/fs/cgroup", &sf) == 0);
	CU_ASSERT_EQUAL(json_object_get_int(get(c, "version")),
			sf.f_type == 0x63677270 ? 2 : 1);
	/* what doctor says of cgroups is what a run gets */
	{
		const char *argv[] = { "/bin/true", NULL };
		const char *ctl = json_object_get_string(get(c, "controllers"));
		char want[64];
		struct tl_run run;

		snprintf(want, sizeof(want), "\"cgroup-v%d:%s\"",
			 json_object_get_int(get(c, "used_version")), ctl);
		tl_run_argv(&run, NULL, NULL, argv);
		TL_ASSERT_STATUS(&run, SBX_STATUS_EXITED);
		CU_ASSERT_PTR_NOT_NULL_FATAL(run.json);
		if (ctl && ctl[0]) {
			CU_ASSERT(strstr(run.json, want) != NULL);
		} else {
			CU_ASSERT(strstr(run.json, "\"cgroup-v") == NULL);
		}
		CU_ASSERT_EQUAL(strcmp(json_object_get_string(get(c, "status")),
				       "ok") == 0,
				strstr(ctl, "memory") && strstr(ctl, "pids"));
		tl_run_free(&run);
	}
	CU_ASSERT_PTR_NOT_NULL(check_of(o, "overlayfs"));
	CU_ASSERT_PTR_NOT_NULL(check_of(o, "id_range"));
	CU_ASSERT_STRING_EQUAL(status_of(o, "pidfd"), "ok");
	CU_ASSERT_STRING_EQUAL(status_of(o, "clone3"), "ok");
	CU_ASSERT_STRING_EQUAL(status_of(o, "kernel"), "ok");
	json_object_put(o);
	sbx_destroy(sbx);
}

static CU_TestInfo layer_tests[] = {
	{ "Landlock is reported", test_landlock_reported },
	{ "Landlock denies what the mounts allow", test_landlock_second_wall },
	{ "a stdin file stays read-only", test_landlock_stdio },
	{ "strict: no sockets, nothing writable", test_strict },
	{ "build: a compiler in the workspace, offline", test_build },
	{ "seccomp rules of a policy at run time",
	  test_policy_rules_at_run_time },
	{ "required layers", test_required_layers },
	{ "doctor on this machine", test_doctor_here },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "layers", setup, teardown, NULL, NULL, layer_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

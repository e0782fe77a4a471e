/* test-sec-setid.c - set-id files (issue 10, item 2).  The sandbox owns
 * whatever of its owner's files it can reach, and nosuid inside says
 * nothing about the same file seen from the host: a file it wrote into a
 * writable workspace and made set-uid would be a set-uid executable on
 * the host.  The program tries every call that takes a mode (chmod,
 * fchmod, fchmodat, fchmodat2, open, openat, creat, mknod, mknodat,
 * openat2, an O_TMPFILE given a name, a mode with high bits), in a live
 * and in a copy-on-write workspace; the files are judged on the host,
 * by their set-id bits (not their owner: a root caller's sandbox may map
 * to root or to an idmapped id).  The controls: the same program on the
 * host does make set-id files, and a chmod without set-id bits inside
 * does change the host's file. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"

#define SETID_BITS (S_ISUID | S_ISGID)

/* What each attack answers inside, where the call exists: the filter's
 * EPERM, and ENOSYS for openat2 (whose mode seccomp cannot read). */
static const struct {
	const char *name;
	int err;
} attacks[] = {
	{ "chmod-u", EPERM },	{ "chmod-g", EPERM },
	{ "chmod-high", EPERM }, { "fchmod", EPERM },
	{ "fchmodat", EPERM },	{ "fchmodat2", EPERM },
	{ "openat", EPERM },	{ "openat2", ENOSYS },
	{ "mknodat", EPERM },	{ "tmpfile", EPERM },
	{ "open", EPERM },	{ "creat", EPERM },
	{ "mknod", EPERM },	{ "control", 0 },
};

struct ws {
	const char *dir;
	int mode;
	int kill;
};

static void configure(sbx_t *sbx, void *arg)
{
	const struct ws *w = arg;

	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, w->dir, w->mode), 0);
	if (w->kill)
		CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_SECCOMP_KILL, 1), 0);
}

/* Every file in dir, judged on the host: none is set-uid or set-gid.
 * Returns how many files there were. */
static int assert_no_setid(const char *dir)
{
	char path[4200];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		CU_ASSERT_EQUAL_FATAL(lstat(path, &st), 0);
		if (st.st_mode & SETID_BITS)
			fprintf(stderr, "\n  %s is mode %04o on the host\n",
				path, (unsigned)(st.st_mode & 07777));
		CU_ASSERT_EQUAL(st.st_mode & SETID_BITS, 0);
		n++;
	}
	closedir(d);
	return n;
}

static mode_t host_mode(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) < 0 ? (mode_t)-1 : st.st_mode & 07777;
}

/* The answers inside, where the architecture has the call. */
static void assert_answers(const struct tl_run *r)
{
	size_t i;

	for (i = 0; i < LIVE_N(attacks); i++) {
		int got = live_int(r->out, attacks[i].name, -1);

#ifndef __x86_64__
		if (got == -1 && attacks[i].err == EPERM)
			continue; /* no open, creat or mknod here */
#endif
		if (got != attacks[i].err)
			fprintf(stderr, "\n  %s: got %d, expected %d\n",
				attacks[i].name, got, attacks[i].err);
		CU_ASSERT_EQUAL(got, attacks[i].err);
	}
}

/* The control: on the host, without the filter, the same program does
 * leave set-id files (in a directory of our own, 0700, removed at
 * once).  Returns 1 when it did. */
static int host_makes_setid(void)
{
	char tmpl[] = "/tmp/sbx-setid-control-XXXXXX";
	const char *argv[] = { live_host_path("try-escape"), "setid", tmpl,
			       NULL };
	char *out = NULL;
	int st, yes;

	if (!mkdtemp(tmpl))
		return 0;
	st = live_host_run(argv, -1, &out);
	yes = st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	      live_int(out, "chmod-u", -1) == 0 &&
	      (host_mode(tmpl, "chmod-u") & S_ISUID) &&
	      (host_mode(tmpl, "chmod-g") & S_ISGID) &&
	      (host_mode(tmpl, "openat") & S_ISUID);
	free(out);
	tl_rmrf(tmpl);
	return yes;
}

static void test_host_control(void)
{
	CU_ASSERT(host_makes_setid());
}

static void run_setid(const char *dir, int mode)
{
	const char *argv[] = { LIVE_TRY_ESCAPE, "setid", "/workspace", NULL };
	struct ws w = { dir, mode, 0 };
	struct tl_run r;

	tl_run_argv(&r, configure, &w, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	assert_answers(&r);
	tl_run_free(&r);
}

/* The files the program wrote land on the host at once. */
static void test_live_workspace(void)
{
	char *dir = tl_tmpdir();

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	chmod(dir, 0777); /* the sandbox's ids may differ from ours */
	run_setid(dir, SBX_WORKSPACE_RW_LIVE);
	/* the files the program wrote are there, none set-id */
	CU_ASSERT(assert_no_setid(dir) >= 7);
	CU_ASSERT_EQUAL(host_mode(dir, "chmod-u"), 0755);
	/* a mode without set-id bits did change the host's file */
	CU_ASSERT_EQUAL(host_mode(dir, "control"), 0700);
	tl_rmrf(dir);
	free(dir);
}

/* Copy-on-write: what the supervisor applies after the run. */
static void test_cow_workspace(void)
{
	char *dir = tl_tmpdir();

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	run_setid(dir, SBX_WORKSPACE_RW);
	CU_ASSERT(assert_no_setid(dir) >= 7);
	CU_ASSERT_EQUAL(host_mode(dir, "chmod-u"), 0755);
	CU_ASSERT_EQUAL(host_mode(dir, "control"), 0700);
	tl_rmrf(dir);
	free(dir);
}

/* With SBX_FLAG_SECCOMP_KILL the attempt ends the program: proof that
 * the filter, not the kernel, said no. */
static void test_kill_mode(void)
{
	static const char *const one[] = { "chmod-u", "fchmodat2", "openat" };
	char *dir = tl_tmpdir();
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	chmod(dir, 0777);
	for (i = 0; i < LIVE_N(one); i++) {
		const char *argv[] = { LIVE_TRY_ESCAPE, "setid", "/workspace",
				       one[i], NULL };
		struct ws w = { dir, SBX_WORKSPACE_RW_LIVE, 1 };
		struct tl_run r;

		tl_run_argv(&r, configure, &w, argv);
		CU_ASSERT_EQUAL(r.status, SBX_STATUS_SIGNALED);
		CU_ASSERT_EQUAL(r.signal, SIGSYS);
		CU_ASSERT_PTR_NULL(live_value(r.out, one[i]));
		tl_run_free(&r);
	}
	assert_no_setid(dir);
	tl_rmrf(dir);
	free(dir);
}

/* A policy cannot take the rules away. */
static void test_policy_cannot_allow(void)
{
	static const char *const calls[] = { "chmod", "fchmod", "fchmodat",
					     "fchmodat2", "openat", "open",
					     "creat", "mknodat", "openat2" };
	sbx_t *sbx;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	for (i = 0; i < LIVE_N(calls); i++) {
		int r = sbx_set_syscall(sbx, calls[i], SBX_SYSCALL_ALLOW, 0);

		CU_ASSERT_EQUAL(r, -EINVAL);
		CU_ASSERT(strstr(sbx_last_error(sbx), "cannot be allowed") !=
			  NULL);
	}
	/* denying stays possible */
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "chmod", SBX_SYSCALL_DENY, 0), 0);
	sbx_destroy(sbx);
}

static CU_TestInfo setid_tests[] = {
	{ "control: on the host the same calls make set-id files",
	  test_host_control },
	{ "live workspace: no set-id file on the host", test_live_workspace },
	{ "copy-on-write: no set-id file applied", test_cow_workspace },
	{ "kill mode: SIGSYS", test_kill_mode },
	{ "a policy cannot allow the calls", test_policy_cannot_allow },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "setid", NULL, NULL, NULL, NULL, setid_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

/* test-cgroup.c - the cgroup code against a fake cgroupfs tree in a temp
 * directory: this machine's v2 tree has no memory or pids controller, and
 * most users' machines are v2.  Covers detection from mountinfo, the
 * choice of parent (root: a libsandbox cgroup at the top; unprivileged: the
 * nearest delegated ancestor), the limits written, stats read, and the
 * fallback to v1 when v2 lacks controllers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cgroup.h"
#include "testlib.h"

#define USER "/user.slice/user-1000.slice/user@1000.service"
#define SELF USER "/app.slice/term.scope"
#define CHILD "sbx-4242"
/* the scope the fake systemd below gives */
#define SCOPE USER "/app.slice/sbx-4242-0a1b2c3d.scope"

static char *root;     /* temp dir */
static char mnt[4096]; /* the fake cgroup2 mount */
static char calls[4200]; /* the fake systemd's calls */

static void put(const char *rel, const char *text)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", mnt, rel);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(path, text), 0);
}

static char *get(const char *rel)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", mnt, rel);
	return tl_read_file(path);
}

static void mk(const char *rel)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", mnt, rel);
	CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
}

/* A cgroup directory with the interface files the code touches. */
static void fake_cgroup(const char *rel, const char *controllers)
{
	static const char *const files[] = {
		"cgroup.procs",	 "cgroup.subtree_control", "memory.max",
		"memory.swap.max", "memory.oom.group",	   "pids.max",
		"cpu.max",	 "cpu.stat",		   "memory.peak",
		"memory.events",	 "pids.events",
	};
	char path[8192];
	size_t i;

	if (rel[0])
		mk(rel);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s", rel, rel[0] ? "/" : "",
			 files[i]);
		put(path, "");
	}
	snprintf(path, sizeof(path), "%s%scgroup.controllers", rel,
		 rel[0] ? "/" : "");
	put(path, controllers);
}

/* systemd, as cgroup.c asks it for a delegated scope (systemd.c): it
 * answers unit_answer; the scope (and what the kernel would put in it)
 * is made by the test beforehand.  Each call is counted in a file that
 * the forked callers, of another uid, may write. */
static int unit_answer;

int sup_cg_unit(const struct sup_cg_host *h, char *ret_cgroup, size_t len,
		char *why, size_t why_len)
{
	char path[8192];
	FILE *f;

	(void)h;
	snprintf(path, sizeof(path), "%s/calls/unit", root);
	f = fopen(path, "a");
	if (f) {
		fputs("x", f);
		fclose(f);
	}
	if (unit_answer < 0) {
		snprintf(why, why_len, "fake: no manager");
		return unit_answer;
	}
	snprintf(ret_cgroup, len, "%s", SCOPE);
	return 0;
}

static int unit_calls(void)
{
	char path[8192], *text;
	int n;

	snprintf(path, sizeof(path), "%s/calls/unit", root);
	text = tl_read_file(path);
	n = text ? (int)strlen(text) : 0;
	free(text);
	unlink(path);
	return n;
}

static void write_proc_files(const char *fstype, const char *self)
{
	char path[8192], text[8192];

	snprintf(path, sizeof(path), "%s/mountinfo", root);
	snprintf(text, sizeof(text),
		 "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
		 "41 31 0:38 / %s rw,relatime - %s cgroup2 rw\n",
		 mnt, fstype);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(path, text), 0);
	snprintf(path, sizeof(path), "%s/cgroup", root);
	snprintf(text, sizeof(text), "0::%s\n", self);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(path, text), 0);
}

static int setup(void)
{
	root = tl_tmpdir();
	if (!root)
		return 1;
	snprintf(mnt, sizeof(mnt), "%s/cg", root);
	snprintf(calls, sizeof(calls), "%s/calls", root);
	return mkdir(mnt, 0755) || mkdir(calls, 0777) || chmod(calls, 0777) ||
	       chmod(root, 0755);
}

static int teardown(void)
{
	char cmd[8400];

	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' 2>/dev/null", root);
	if (system(cmd) != 0) {
		/* rmrf below does what it can */
	}
	tl_rmrf(root);
	free(root);
	return 0;
}

static void build_tree(const char *top_controllers)
{
	char cmd[8400];

	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s'; rm -rf '%s'/*", mnt,
		 mnt);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	fake_cgroup("", top_controllers);
	fake_cgroup("user.slice", "cpu memory pids");
	fake_cgroup("user.slice/user-1000.slice", "cpu memory pids");
	fake_cgroup("user.slice/user-1000.slice/user@1000.service",
		    "cpu memory pids");
	fake_cgroup("user.slice/user-1000.slice/user@1000.service/app.slice",
		    "memory pids");
	fake_cgroup(SELF + 1, "memory pids");
	put(SELF "/cgroup.procs", "1234\n");
	write_proc_files("cgroup2", SELF);
}

static void detect(struct sup_cg_host *h)
{
	char mi[4200], cg[4200];

	snprintf(mi, sizeof(mi), "%s/mountinfo", root);
	snprintf(cg, sizeof(cg), "%s/cgroup", root);
	CU_ASSERT_EQUAL_FATAL(sup_cg_detect(h, mi, cg), 0);
}

static void test_detect(void)
{
	struct sup_cg_host h;
	char want[8192];

	build_tree("cpuset cpu io memory pids");
	detect(&h);
	CU_ASSERT_STRING_EQUAL(h.v2_mount, mnt);
	snprintf(want, sizeof(want), "%s%s", mnt, SELF);
	CU_ASSERT_STRING_EQUAL(h.v2_self, want);
	CU_ASSERT_EQUAL(h.v1_self[SUP_CG_MEMORY][0], '\0');
}

static void assert_file(const char *rel, const char *want)
{
	char *got = get(rel);

	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n  %s: '%s', expected '%s'\n", rel, got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static void test_root_caller(void)
{
	struct sup_cg_want want = { .memory = 256ull << 20,
				    .pids = 64,
				    .cpu_milli = 500 };
	struct sup_cgroup cg;
	struct sup_cg_host h;
	char dir[8192];

	build_tree("cpuset cpu io memory pids");
	/* the cgroup code creates libsandbox/ and the child; the fake
	 * tree supplies what the kernel would put in them */
	fake_cgroup("libsandbox", "cpu memory pids");
	fake_cgroup("libsandbox/" CHILD, "cpu memory pids");
	detect(&h);
	h.uid = 0;
	CU_ASSERT_EQUAL(sup_cg_create(&cg, &h, &want, CHILD), 0);
	CU_ASSERT_EQUAL(cg.version, 2);
	snprintf(dir, sizeof(dir), "%s/libsandbox/" CHILD, mnt);
	CU_ASSERT_STRING_EQUAL(cg.v2_dir, dir);
	CU_ASSERT(cg.limited & (1u << SUP_CG_MEMORY));
	CU_ASSERT(cg.limited & (1u << SUP_CG_PIDS));
	CU_ASSERT(cg.limited & (1u << SUP_CG_CPU));
	CU_ASSERT(cg.swap_limited);
	assert_file("libsandbox/" CHILD "/memory.max", "268435456");
	assert_file("libsandbox/" CHILD "/memory.swap.max", "0");
	assert_file("libsandbox/" CHILD "/memory.oom.group", "1");
	assert_file("libsandbox/" CHILD "/pids.max", "64");
	assert_file("libsandbox/" CHILD "/cpu.max", "50000 100000");
	/* controllers were enabled for the children of both levels */
	{
		char *top = get("cgroup.subtree_control");
		char *ls = get("libsandbox/cgroup.subtree_control");

		CU_ASSERT(top && strlen(top) > 0);
		CU_ASSERT(ls && strlen(ls) > 0);
		free(top);
		free(ls);
	}
	/* root's own parent at the top: no scope asked for */
	CU_ASSERT_EQUAL(unit_calls(), 0);
	CU_ASSERT_EQUAL(sup_cg_attach(&cg, 777), 0);
	assert_file("libsandbox/" CHILD "/cgroup.procs", "777");
}

/* Run fn as an unprivileged uid (the test may run as root, for whom
 * access(2) grants everything). */
static int as_user(void (*fn)(void *), void *arg)
{
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		fn(arg);
		return 0;
	}
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct user_case {
	char expect[8192];
	int ok;
	int unheld;     /* expected */
	int no_limits;  /* a run without limits */
};

static void user_create(void *arg)
{
	struct sup_cg_want want = { .memory = 128ull << 20, .pids = 32 };
	struct user_case *uc = arg;
	struct sup_cgroup cg;
	struct sup_cg_host h;

	if (uc->no_limits)
		memset(&want, 0, sizeof(want));
	detect(&h);
	if (sup_cg_create(&cg, &h, &want, CHILD) != 0 || cg.version != 2 ||
	    strcmp(cg.v2_dir, uc->expect) != 0) {
		fprintf(stderr, "\n  got version %d dir '%s' (%s), expected %s\n",
			cg.version, cg.v2_dir, cg.why, uc->expect);
		_exit(1);
	}
	if (!uc->no_limits && (!(cg.limited & (1u << SUP_CG_MEMORY)) ||
			       !(cg.limited & (1u << SUP_CG_PIDS))))
		_exit(2);
	if (cg.unheld != uc->unheld) {
		fprintf(stderr, "\n  unheld %d, expected %d (%s)\n", cg.unheld,
			uc->unheld, cg.why);
		_exit(3);
	}
}

/* chown the tree to the uid that will act, then take write access away
 * from what systemd would not delegate. */
static void own_tree(uid_t uid, const char *const *not_delegated)
{
	char cmd[8400];
	size_t i;

	snprintf(cmd, sizeof(cmd), "chown -R %u '%s'", (unsigned)uid, mnt);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	for (i = 0; not_delegated[i]; i++) {
		snprintf(cmd, sizeof(cmd),
			 "chown root '%s/%s' '%s/%s/cgroup.procs' "
			 "'%s/%s/cgroup.subtree_control' 2>/dev/null; "
			 "chmod 555 '%s/%s'; chmod 444 '%s/%s/cgroup.procs' "
			 "'%s/%s/cgroup.subtree_control'",
			 mnt, not_delegated[i], mnt, not_delegated[i], mnt,
			 not_delegated[i], mnt, not_delegated[i], mnt,
			 not_delegated[i], mnt, not_delegated[i]);
		CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	}
}

/* own_tree() undone: the tree is root's again, and writable. */
static void give_back_tree(void)
{
	char cmd[8300];

	if (geteuid() != 0)
		return;
	snprintf(cmd, sizeof(cmd), "chown -R root '%s'; chmod -R u+w '%s'",
		 mnt, mnt);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_unprivileged_caller(void)
{
	static const char *const nothing[] = { "user.slice",
					       "user.slice/user-1000.slice",
					       NULL };
	static const char *const app_locked[] = {
		"user.slice", "user.slice/user-1000.slice",
		"user.slice/user-1000.slice/user@1000.service/app.slice", NULL
	};
	uid_t uid = geteuid() == 0 ? 65534 : geteuid();
	struct user_case uc;

	memset(&uc, 0, sizeof(uc));
	/* the nearest writable ancestor holds the sandbox beside us; here
	 * app.slice, which systemd manages: with no systemd to give a
	 * scope, there as before, and the result says it may not hold */
	unit_answer = -ENOENT;
	build_tree("cpuset cpu io memory pids");
	fake_cgroup("user.slice/user-1000.slice/user@1000.service/app.slice/"
		    CHILD,
		    "memory pids");
	own_tree(uid, nothing);
	snprintf(uc.expect, sizeof(uc.expect),
		 "%s/user.slice/user-1000.slice/user@1000.service/app.slice/"
		 CHILD,
		 mnt);
	uc.unheld = 1;
	CU_ASSERT_EQUAL(as_user(user_create, &uc), 0);
	CU_ASSERT_EQUAL(unit_calls(), 1);
	assert_file("user.slice/user-1000.slice/user@1000.service/app.slice/"
		    CHILD "/memory.max",
		    "134217728");

	/* app.slice not ours: one level up (which systemd manages too) */
	build_tree("cpuset cpu io memory pids");
	fake_cgroup("user.slice/user-1000.slice/user@1000.service/" CHILD,
		    "memory pids");
	own_tree(uid, app_locked);
	snprintf(uc.expect, sizeof(uc.expect),
		 "%s/user.slice/user-1000.slice/user@1000.service/" CHILD, mnt);
	CU_ASSERT_EQUAL(as_user(user_create, &uc), 0);
	CU_ASSERT_EQUAL(unit_calls(), 1);
	give_back_tree();
}

/* Where systemd would take controllers from the slice we would use, a
 * scope of our own from it (cgroup.c, systemd.c): the supervisor moves
 * into a leaf of the scope, the sandbox's cgroup is the leaf's sibling,
 * and the scope hands memory, pids and cpu to both. */
static void test_systemd_scope(void)
{
	static const char *const nothing[] = { "user.slice",
					       "user.slice/user-1000.slice",
					       NULL };
	uid_t uid = geteuid() == 0 ? 65534 : geteuid();
	struct user_case uc;
	char path[8192], *procs, *sub;

	memset(&uc, 0, sizeof(uc));
	unit_answer = 0;
	build_tree("cpuset cpu io memory pids");
	fake_cgroup(SCOPE + 1, "cpu memory pids");
	fake_cgroup(SCOPE "/supervisor" + 1, "");
	fake_cgroup(SCOPE "/" CHILD + 1, "memory pids");
	own_tree(uid, nothing);
	snprintf(uc.expect, sizeof(uc.expect), "%s" SCOPE "/" CHILD, mnt);
	CU_ASSERT_EQUAL(as_user(user_create, &uc), 0);
	CU_ASSERT_EQUAL(unit_calls(), 1);
	/* "0": the writer, the supervisor */
	procs = get(SCOPE "/supervisor/cgroup.procs" + 1);
	CU_ASSERT(procs && strcmp(procs, "0") == 0);
	free(procs);
	sub = get(SCOPE "/cgroup.subtree_control" + 1);
	CU_ASSERT(sub && strlen(sub) > 0);
	free(sub);
	assert_file(SCOPE "/" CHILD "/memory.max" + 1, "134217728");
	/* nothing was made in app.slice */
	snprintf(path, sizeof(path), "%s" USER "/app.slice/" CHILD, mnt);
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);

	/* a run without limits needs no scope: accounting only, as before */
	build_tree("cpuset cpu io memory pids");
	fake_cgroup(USER "/app.slice/" CHILD + 1, "memory pids");
	own_tree(uid, nothing);
	snprintf(uc.expect, sizeof(uc.expect), "%s" USER "/app.slice/" CHILD,
		 mnt);
	uc.no_limits = 1;
	CU_ASSERT_EQUAL(as_user(user_create, &uc), 0);
	CU_ASSERT_EQUAL(unit_calls(), 0);
	uc.no_limits = 0;

	/* delegated to us (systemd's user.delegate on app.slice): ours,
	 * no scope asked for */
	build_tree("cpuset cpu io memory pids");
	fake_cgroup(USER "/app.slice/" CHILD + 1, "memory pids");
	snprintf(path, sizeof(path), "%s" USER "/app.slice", mnt);
	if (setxattr(path, "user.delegate", "1", 1, 0) == 0) {
		own_tree(uid, nothing);
		CU_ASSERT_EQUAL(as_user(user_create, &uc), 0);
		CU_ASSERT_EQUAL(unit_calls(), 0);
	} else {
		fprintf(stderr, "\n  (no user xattrs here: %s; the delegated "
				"case is not checked)\n",
			strerror(errno));
	}

	/* the root of a systemd instance's tree (it holds init.scope):
	 * managed, whatever its name and marks */
	build_tree("cpuset cpu io memory pids");
	fake_cgroup(SCOPE + 1, "cpu memory pids");
	fake_cgroup(SCOPE "/supervisor" + 1, "");
	fake_cgroup(SCOPE "/" CHILD + 1, "memory pids");
	fake_cgroup(USER "/app.slice/payload" + 1, "memory pids");
	fake_cgroup(USER "/app.slice/payload/inner" + 1, "memory pids");
	fake_cgroup(USER "/app.slice/payload/init.scope" + 1, "");
	put(USER "/app.slice/payload/inner/cgroup.procs" + 1, "1234\n");
	write_proc_files("cgroup2", USER "/app.slice/payload/inner");
	own_tree(uid, nothing);
	snprintf(uc.expect, sizeof(uc.expect), "%s" SCOPE "/" CHILD, mnt);
	CU_ASSERT_EQUAL(as_user(user_create, &uc), 0);
	CU_ASSERT_EQUAL(unit_calls(), 1);
	/* a directory of our own below app.slice, with no manager: ours */
	build_tree("cpuset cpu io memory pids");
	fake_cgroup(USER "/app.slice/payload" + 1, "memory pids");
	fake_cgroup(USER "/app.slice/payload/inner" + 1, "memory pids");
	fake_cgroup(USER "/app.slice/payload/" CHILD + 1, "memory pids");
	put(USER "/app.slice/payload/inner/cgroup.procs" + 1, "1234\n");
	write_proc_files("cgroup2", USER "/app.slice/payload/inner");
	own_tree(uid, nothing);
	snprintf(uc.expect, sizeof(uc.expect),
		 "%s" USER "/app.slice/payload/" CHILD, mnt);
	CU_ASSERT_EQUAL(as_user(user_create, &uc), 0);
	CU_ASSERT_EQUAL(unit_calls(), 0);

	/* a login session's scope, root's: nothing writable, but the
	 * user's manager gives a scope */
	build_tree("cpuset cpu io memory pids");
	fake_cgroup("user.slice/user-1000.slice/session-3.scope",
		    "memory pids");
	fake_cgroup(SCOPE + 1, "cpu memory pids");
	fake_cgroup(SCOPE "/supervisor" + 1, "");
	fake_cgroup(SCOPE "/" CHILD + 1, "memory pids");
	write_proc_files("cgroup2",
			 "/user.slice/user-1000.slice/session-3.scope");
	{
		static const char *const session[] = {
			"", "user.slice", "user.slice/user-1000.slice",
			"user.slice/user-1000.slice/session-3.scope", NULL
		};

		own_tree(uid, session);
	}
	snprintf(uc.expect, sizeof(uc.expect), "%s" SCOPE "/" CHILD, mnt);
	CU_ASSERT_EQUAL(as_user(user_create, &uc), 0);
	CU_ASSERT_EQUAL(unit_calls(), 1);
	give_back_tree();
}

static void test_stats(void)
{
	struct sup_cg_stats st;
	struct sup_cgroup cg;

	build_tree("cpuset cpu io memory pids");
	memset(&cg, 0, sizeof(cg));
	cg.version = 2;
	snprintf(cg.v2_dir, sizeof(cg.v2_dir), "%s%s", mnt, SELF);
	put(SELF "/cpu.stat",
	    "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n"
	    "nr_periods 0\n");
	put(SELF "/memory.peak", "123456789\n");
	put(SELF "/memory.events",
	    "low 0\nhigh 0\nmax 5\noom 1\noom_kill 2\noom_group_kill 1\n");
	put(SELF "/pids.events", "max 3\n");
	sup_cg_read_stats(&cg, &st);
	CU_ASSERT(st.have_cpu);
	CU_ASSERT_EQUAL(st.cpu_total_us, 1500000);
	CU_ASSERT_EQUAL(st.cpu_user_us, 1000000);
	CU_ASSERT_EQUAL(st.cpu_system_us, 500000);
	CU_ASSERT(st.have_peak);
	CU_ASSERT_EQUAL(st.peak_memory, 123456789);
	CU_ASSERT_EQUAL(st.oom_kills, 2);
	CU_ASSERT_EQUAL(st.pids_max_hits, 3);
	CU_ASSERT_EQUAL(sup_cg_cpu_us(&cg), 1500000);
}

/* A v2 tree without memory/pids (hybrid hosts like this one): not used for
 * limits; with no v1 either, nothing, and the reason is kept. */
static void test_v2_without_controllers(void)
{
	struct sup_cg_want want = { .memory = 1 << 20, .pids = 8 };
	struct sup_cgroup cg;
	struct sup_cg_host h;

	build_tree("hugetlb");
	put("user.slice/cgroup.controllers", "hugetlb");
	put("user.slice/user-1000.slice/cgroup.controllers", "hugetlb");
	put("user.slice/user-1000.slice/user@1000.service/cgroup.controllers",
	    "hugetlb");
	put("user.slice/user-1000.slice/user@1000.service/app.slice/"
	    "cgroup.controllers",
	    "hugetlb");
	detect(&h);
	CU_ASSERT_EQUAL(sup_cg_create(&cg, &h, &want, CHILD), 0);
	CU_ASSERT_EQUAL(cg.version, 0);
	CU_ASSERT(strlen(cg.why) > 0);
	CU_ASSERT_EQUAL(cg.limited, 0);
	/* no scope could have those controllers either */
	CU_ASSERT_EQUAL(unit_calls(), 0);
}

/* v1 hierarchies, found through mountinfo's super options, with the
 * mount's own root taken off our path (a container's bind of a subtree). */
static void test_v1_detect(void)
{
	char path[8192], text[8192], want[8192];
	struct sup_cg_host h;

	snprintf(path, sizeof(path), "%s/mountinfo", root);
	snprintf(text, sizeof(text),
		 "32 31 0:29 / %s/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
		 "35 31 0:32 /docker/abc %s/memory rw - cgroup cgroup rw,memory\n"
		 "39 31 0:36 / %s/pids rw - cgroup cgroup rw,pids\n",
		 mnt, mnt, mnt);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(path, text), 0);
	snprintf(path, sizeof(path), "%s/cgroup", root);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(path,
					    "8:pids:/a/b\n4:memory:/docker/abc/x\n"
					    "2:cpu,cpuacct:/\n0::/\n"),
			      0);
	detect(&h);
	CU_ASSERT_EQUAL(h.v2_mount[0], '\0');
	snprintf(want, sizeof(want), "%s/pids/a/b", mnt);
	CU_ASSERT_STRING_EQUAL(h.v1_self[SUP_CG_PIDS], want);
	snprintf(want, sizeof(want), "%s/memory/x", mnt);
	CU_ASSERT_STRING_EQUAL(h.v1_self[SUP_CG_MEMORY], want);
	snprintf(want, sizeof(want), "%s/cpu,cpuacct", mnt);
	CU_ASSERT_STRING_EQUAL(h.v1_self[SUP_CG_CPU], want);
	CU_ASSERT_STRING_EQUAL(h.v1_self[SUP_CG_CPUACCT], want);
}

static CU_TestInfo cg_tests[] = {
	{ "detect v2 from mountinfo", test_detect },
	{ "root caller: libsandbox parent, limits", test_root_caller },
	{ "unprivileged: nearest delegated ancestor", test_unprivileged_caller },
	{ "systemd: a delegated scope of our own", test_systemd_scope },
	{ "stats", test_stats },
	{ "v2 without memory/pids is not used", test_v2_without_controllers },
	{ "detect v1 hierarchies", test_v1_detect },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "cgroup (fake cgroupfs)", setup, teardown, NULL, NULL, cg_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

/* test-sec-new.c - attacks on what ABI 1.1's session added: the
 * copy-on-write apply's unapplied changes, kept in the caller's
 * /var/tmp/sbx-unapplied-XXXXXX when the host has no room for them.
 *
 * The program cannot choose when the host's disk is full, but it chooses
 * what is kept then: a sparse file (a byte of data, a size of 40 MB)
 * costs the sandbox's disk budget one page, and a file with a hundred
 * names costs it one copy.  Judged on the host: what the apply kept in
 * /var/tmp stays within the disk budget, and the directory is the
 * caller's, mode 0700.  /var/tmp and the workspace are tmpfs mounts of
 * the test's own, in a mount namespace of its own: the host's /var/tmp is
 * never written.  And the collection of dead degraded runs: root spares
 * another local user's directories. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"

#define DISK_BUDGET (4u << 20)

/* Paths the tests look for in the unapplied directory. */
static const char *const kept_names[] = {
	"proj/ok.txt",	      "proj/.envrc",	 "proj/.git/config",
	"proj/.git/hooks",    "proj/.git/HEAD", "proj/.vscode",
	"proj/sub/HEAD",      "proj/sub/config", "proj/out",
};
#define VAR_TMP_SIZE "size=64M"

/* Fill the file system of dir until it has no room left. */
static int fill(const char *dir)
{
	char path[600], buf[65536];
	int fd;

	snprintf(path, sizeof(path), "%s/filler", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	memset(buf, 'f', sizeof(buf));
	while (write(fd, buf, sizeof(buf)) > 0)
		;
	while (write(fd, buf, 1) > 0)
		;
	close(fd);
	/* and its inodes, where it has a count of them */
	for (int i = 0; i < 100000; i++) {
		snprintf(path, sizeof(path), "%s/i%d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			break;
		close(fd);
	}
	return 0;
}

/* Bytes used on the file system of path. */
static long long used_bytes(const char *path)
{
	struct statvfs sv;

	if (statvfs(path, &sv) < 0)
		return -1;
	return (long long)(sv.f_blocks - sv.f_bfree) * (long long)sv.f_frsize;
}

struct full_host {
	const char *ws;
	const char *script;
};

/* In a mount namespace of its own: /var/tmp and ws are fresh tmpfs
 * mounts, ws full; the program runs script; what /var/tmp holds
 * afterwards is written to out as KEY=VALUE lines. */
static void full_host_child(int out, void *arg)
{
	const struct full_host *h = arg;
	const char *ws = h->ws;
	const char *argv[] = { "/bin/sh", "-c", h->script, NULL };
	const char *json, *p;
	struct stat sb;
	sbx_t *sbx;
	int r;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/var/tmp", "tmpfs", 0, VAR_TMP_SIZE) < 0 ||
	    mount("tmpfs", ws, "tmpfs", 0,
		  "size=1M,nr_inodes=64,mode=0755") < 0 ||
	    fill(ws) < 0) {
		dprintf(out, "setup=%s\n", strerror(errno));
		return;
	}
	dprintf(out, "before=%lld\n", used_bytes("/var/tmp"));
	if (sbx_create(&sbx) < 0)
		return;
	sbx_set_workspace(sbx, ws, SBX_WORKSPACE_RW);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS);
	sbx_limit(sbx, SBX_LIMIT_DISK, DISK_BUDGET);
	r = sbx_exec(sbx, argv);
	if (r == 0)
		r = sbx_wait(sbx);
	if (r < 0)
		dprintf(out, "error=%s\n", sbx_last_error(sbx));
	dprintf(out, "rc=%d\nstatus=%lld\nunapplied=%lld\n", r,
		(long long)sbx_result(sbx, SBX_RESULT_STATUS),
		(long long)sbx_result(sbx, SBX_RESULT_UNAPPLIED));
	dprintf(out, "after=%lld\n", used_bytes("/var/tmp"));
	json = sbx_result_json(sbx);
	p = json ? strstr(json, "\"unapplied_dir\":\"") : NULL;
	if (p) {
		char dir[512];

		snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(p + 17, "\""),
			 p + 17);
		dprintf(out, "dir=%s\n", dir);
		if (lstat(dir, &sb) == 0)
			dprintf(out, "mode=%o\nowner=%u\n",
				(unsigned)(sb.st_mode & 07777),
				(unsigned)sb.st_uid);
		/* what the directory holds, by name */
		for (int i = 0; i < (int)LIVE_N(kept_names); i++) {
			char path[1100];

			snprintf(path, sizeof(path), "%s/%s", dir,
				 kept_names[i]);
			dprintf(out, "kept:%s=%d\n", kept_names[i],
				lstat(path, &sb) == 0);
		}
	}
	dprintf(out, "msg=%s\n",
		sbx_result_message(sbx) ? sbx_result_message(sbx) : "");
	dprintf(out, "withheld=%lld\n",
		(long long)sbx_result(sbx, SBX_RESULT_WITHHELD));
	sbx_destroy(sbx);
	umount2(ws, MNT_DETACH);
	umount2("/var/tmp", MNT_DETACH);
}

/* Run script against a full host workspace (as root, in a mount
 * namespace of its own); what full_host_child() said, or NULL when the
 * test was skipped. */
static char *full_host_run(const char *script)
{
	char *ws, *text;
	struct full_host h;

	if (getuid() != 0) {
		tl_skip("needs root for tmpfs mounts in a private mount "
			"namespace");
		return NULL;
	}
	ws = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	h.ws = ws;
	h.script = script;
	text = tl_child_output(full_host_child, &h);
	tl_rmrf(ws);
	free(ws);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	if (live_value(text, "setup")) {
		tl_skip("no tmpfs in a mount namespace: %s",
			live_value(text, "setup"));
		free(text);
		return NULL;
	}
	return text;
}

/* Run script against a full host workspace; judge what /var/tmp got. */
static void kept_within_budget(const char *script)
{
	char *text = full_host_run(script);
	long long grew;

	if (!text)
		return;
	CU_ASSERT_EQUAL(live_int(text, "rc", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "status", -1), SBX_STATUS_EXITED);
	/* something was kept: the attack reached the unapplied directory */
	CU_ASSERT(live_int(text, "unapplied", 0) > 0);
	CU_ASSERT_PTR_NOT_NULL(live_value(text, "dir"));
	CU_ASSERT_EQUAL(live_int(text, "owner", -1), 0);
	CU_ASSERT_STRING_EQUAL(live_value(text, "mode") ?
				       live_value(text, "mode") : "",
			       "700");
	/* the host's side: /var/tmp got no more than the disk budget (and
	 * some room for the directories) */
	grew = atoll(live_value(text, "after") ? live_value(text, "after")
					       : "-1") -
	       atoll(live_value(text, "before") ? live_value(text, "before")
						: "0");
	if (getenv("SBX_TEST_VERBOSE") ||
	    grew > (long long)DISK_BUDGET + (1 << 20) || grew < 0)
		fprintf(stderr, "\n  /var/tmp grew by %lld bytes\n%s\n", grew,
			text);
	CU_ASSERT(grew >= 0 && grew <= (long long)DISK_BUDGET + (1 << 20));
	free(text);
}

/*
 * A directory the host has no room for is kept whole; what the apply
 * withholds in it must be withheld there too.  The caller is told to copy
 * what it needs from the unapplied directory: a git directory's config
 * with core.fsmonitor, a hook, an .envrc or a .vscode copied from there
 * runs the program's code on the host, and a symlink out of the project
 * writes outside it.
 */
static void test_kept_withheld(void)
{
	static const char script[] =
		"mkdir -p proj/.git/hooks proj/sub proj/.vscode && "
		"echo ok > proj/ok.txt && "
		"echo 'echo pwned' > proj/.envrc && "
		"printf '[core]\\n\\tfsmonitor = touch /tmp/x\\n' "
		"> proj/.git/config && "
		"echo 'ref: refs/heads/main' > proj/.git/HEAD && "
		"echo '#!/bin/sh' > proj/.git/hooks/pre-commit && "
		"echo '{}' > proj/.vscode/tasks.json && "
		"echo 'ref: refs/heads/main' > proj/sub/HEAD && "
		"printf '[core]\\n\\tfsmonitor = x\\n' > proj/sub/config && "
		"ln -s ../../../.ssh proj/out";
	char *text = full_host_run(script);

	if (!text)
		return;
	if (live_int(text, "kept:proj/ok.txt", 0) != 1 ||
	    live_int(text, "kept:proj/.envrc", 1) != 0)
		fprintf(stderr, "\n%s\n", text);
	CU_ASSERT_EQUAL(live_int(text, "rc", -1), 0);
	/* the control: the directory was kept */
	CU_ASSERT_EQUAL(live_int(text, "kept:proj/ok.txt", -1), 1);
	CU_ASSERT_EQUAL(live_int(text, "kept:proj/.git/HEAD", -1), 1);
	/* the trusted paths were not, and are listed */
	CU_ASSERT_EQUAL(live_int(text, "kept:proj/.envrc", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "kept:proj/.git/config", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "kept:proj/.git/hooks", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "kept:proj/.vscode", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "kept:proj/sub/config", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "kept:proj/out", -1), 0);
	CU_ASSERT(live_int(text, "withheld", 0) >= 6);
	free(text);
}

/* One byte of data, 40 MB of size: one page of the disk budget.  (Within
 * the test's 64 MB /var/tmp: a larger one fills it, and is removed.) */
static void test_sparse_kept(void)
{
	kept_within_budget("printf x > sparse && "
			   "dd if=/dev/null of=sparse bs=1 seek=40M "
			   "2>/dev/null");
}

/* 300 KB with a hundred names: one copy's worth of the budget. */
static void test_links_kept(void)
{
	kept_within_budget("head -c 300000 /dev/urandom > f && i=0 && "
			   "while [ $i -lt 100 ]; do ln f l$i; i=$((i+1)); "
			   "done");
}

/* ------------------------------------------- degraded runs' collection */

/* A pid no process has now (a child of ours, reaped). */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

static void plant(int out, const char *dir, uid_t uid)
{
	char path[700];

	snprintf(path, sizeof(path), "%s/secret", dir);
	if (mkdir(dir, 0700) < 0 || tl_write_file(path, "x\n") < 0 ||
	    lchown(path, uid, uid) < 0 || chown(dir, uid, uid) < 0)
		dprintf(out, "setup=%s: %s\n", dir, strerror(errno));
}

/* "SUPERVISOR --gc" through a descriptor opened before the test mounts
 * its own /tmp: a build tree below /tmp (the sanitizers' pass of
 * tools/run-tests) is hidden by that mount. */
static void gc_command(char *cmd, size_t len)
{
	const char *sup = getenv("SBX_SUPERVISOR");
	int fd = sup ? open(sup, O_RDONLY) : -1;

	if (fd >= 0)
		snprintf(cmd, len, "/proc/self/fd/%d --gc", fd);
	else
		snprintf(cmd, len, "%s --gc", sup ? sup : "sbx-supervisor");
}

/* In the child: a mount namespace of its own with fresh /tmp, /var/tmp
 * and /dev/shm (where the collection looks), so the host's stay
 * untouched; -1 after writing "setup=" when that cannot be had. */
static int gc_tmps(int out, const char *tmp, const char *var_tmp)
{
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/tmp", "tmpfs", 0, tmp) < 0 ||
	    mount("tmpfs", "/var/tmp", "tmpfs", 0, var_tmp) < 0 ||
	    mount("tmpfs", "/dev/shm", "tmpfs", 0, "size=1M") < 0) {
		dprintf(out, "setup=%s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* What child said (see gc_tmps()), or NULL when the test was skipped:
 * not root, or no tmpfs in a mount namespace. */
static char *gc_run(void (*child)(int out, void *arg))
{
	char *text;

	if (getuid() != 0) {
		tl_skip("needs root for tmpfs mounts in a private mount "
			"namespace");
		return NULL;
	}
	text = tl_child_output(child, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	if (live_value(text, "setup")) {
		tl_skip("cannot set up: %s", live_value(text, "setup"));
		free(text);
		return NULL;
	}
	return text;
}

static void gc_child(int out, void *arg)
{
	char mine[300], theirs[300], cmd[600];
	pid_t pid = dead_pid();

	(void)arg;
	gc_command(cmd, sizeof(cmd));
	if (gc_tmps(out, "size=1M", "size=1M") < 0)
		return;
	/* a dead run of the caller's (root's program runs as
	 * SBX_ROOT_ID_BASE, which owns its directory), and a directory of
	 * the same form that another local user made */
	snprintf(mine, sizeof(mine), "/tmp/sbx-degraded-%d-AAAAAA", (int)pid);
	snprintf(theirs, sizeof(theirs), "/tmp/sbx-degraded-%d-BBBBBB",
		 (int)pid);
	plant(out, mine, 1879048192u);
	plant(out, theirs, 4242);
	unsetenv("TMPDIR");
	dprintf(out, "gc=%d\n", system(cmd));
	dprintf(out, "mine=%d\ntheirs=%d\n", access(mine, F_OK) == 0,
		access(theirs, F_OK) == 0);
}

/*
 * Root's collection of dead degraded runs removed every directory named
 * like one, whoever owned it: another local user could have root walk
 * (by path, nftw) a tree that user changes meanwhile, and swap a
 * directory for a symlink to /etc between the listing and the removal.
 * Judged on the host (a /tmp of the test's own): the other user's
 * directory stays; the dead run's own goes (the control).
 */
static void test_gc_other_user(void)
{
	char *text;

	text = gc_run(gc_child);
	if (!text)
		return;
	CU_ASSERT_EQUAL(live_int(text, "gc", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "mine", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "theirs", -1), 1);
	free(text);
}

/* Nested directories, where the host has no inode left for the first:
 * the supervisor that keeps the tree does not crash on the way down (it
 * did at 200, 64 KiB a level), and keeps a file beside it. */
static void test_deep_kept(void)
{
	kept_within_budget("echo x > top; i=0; while [ $i -lt 3000 ]; do "
			   "mkdir d 2>/dev/null && cd d || break; "
			   "i=$((i+1)); done; "
			   "echo x 2>/dev/null > f");
}

#define SWAP_FILES 5000

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* As the collection's removal begins in dir/a, dir/a becomes a symlink to
 * target: what a process left of a dead run can do to its own /tmp. */
static pid_t swapper(const char *dir, const char *target)
{
	char a[600], moved[600];
	int p[2], fd;
	pid_t pid;

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(moved, sizeof(moved), "%s/moved", dir);
	if (pipe(p) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char buf[4096];

		alarm(60);
		fd = inotify_init1(IN_CLOEXEC);
		if (fd < 0 || inotify_add_watch(fd, a, IN_DELETE) < 0)
			_exit(1);
		close(p[0]);
		close(p[1]); /* ready */
		if (read(fd, buf, sizeof(buf)) <= 0 || rename(a, moved) < 0 ||
		    symlink(target, a) < 0)
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &fd, 1) < 0)
		fd = -1; /* ready either way: closed */
	close(p[0]);
	return pid;
}

static void gc_swap_child(int out, void *arg)
{
	char dir[300], sub[400], path[500], cmd[600];
	const char *target = "/var/tmp/target";
	pid_t pid = dead_pid(), sw;
	int i, st = 0;

	(void)arg;
	gc_command(cmd, sizeof(cmd));
	if (gc_tmps(out, "size=4M", "size=4M") < 0)
		return;
	/* a dead run of the caller's own: its /tmp holds a directory of
	 * many files, and a host directory holds the same names */
	snprintf(dir, sizeof(dir), "/tmp/sbx-degraded-%d-CCCCCC", (int)pid);
	snprintf(sub, sizeof(sub), "%s/tmp", dir);
	if (mkdir(dir, 0700) < 0 || mkdir(sub, 0700) < 0 ||
	    mkdir(target, 0755) < 0) {
		dprintf(out, "setup=%s\n", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/a", sub);
	mkdir(path, 0700);
	for (i = 0; i < SWAP_FILES; i++) {
		snprintf(path, sizeof(path), "%s/a/f%05d", sub, i);
		close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
		snprintf(path, sizeof(path), "%s/f%05d", target, i);
		close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	}
	sw = swapper(sub, target);
	unsetenv("TMPDIR");
	dprintf(out, "gc=%d\n", system(cmd));
	waitpid(sw, &st, 0);
	dprintf(out, "swapped=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	dprintf(out, "target=%d\n", count_entries(target));
	dprintf(out, "left=%d\n", access(dir, F_OK) == 0);
}

/*
 * The collection removes a dead run's directory, whose contents the
 * run's program made; one of its processes left behind (a degraded run
 * documents that one may outlive a supervisor killed with SIGKILL) can
 * change them while they go, Landlock or not: a directory becomes a
 * symlink to a host directory as its removal begins.  Judged on the
 * host: the host directory keeps every file.
 */
static void test_gc_swap(void)
{
	char *text;

	text = gc_run(gc_swap_child);
	if (!text)
		return;
	if (live_int(text, "target", -1) != SWAP_FILES)
		fprintf(stderr, "\n%s\n", text);
	CU_ASSERT_EQUAL(live_int(text, "gc", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "target", -1), SWAP_FILES);
	free(text);
}

static void gc_deep_child(int out, void *arg)
{
	char dir[300], cmd[600];
	pid_t pid = dead_pid();
	int i, fd;

	(void)arg;
	gc_command(cmd, sizeof(cmd));
	if (gc_tmps(out, "size=8M", "size=1M") < 0)
		return;
	snprintf(dir, sizeof(dir), "/tmp/sbx-degraded-%d-DDDDDD", (int)pid);
	fd = mkdir(dir, 0700) == 0 ? open(dir, O_PATH | O_CLOEXEC) : -1;
	/* 3,000 levels: deeper than one pass goes, and than a path
	 * of PATH_MAX can name */
	for (i = 0; fd >= 0 && i < 3000; i++) {
		int next;

		if (mkdirat(fd, "d", 0700) < 0)
			break;
		next = openat(fd, "d", O_PATH | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	if (fd < 0 || i < 3000) {
		dprintf(out, "setup=nesting: %s\n", strerror(errno));
		return;
	}
	close(fd);
	unsetenv("TMPDIR");
	dprintf(out, "gc=%d\n", system(cmd));
	dprintf(out, "left=%d\n", access(dir, F_OK) == 0);
}

/* A dead run's /tmp nested 3,000 levels deep is collected whole. */
static void test_gc_deep(void)
{
	char *text;

	text = gc_run(gc_deep_child);
	if (!text)
		return;
	CU_ASSERT_EQUAL(live_int(text, "gc", -1), 0);
	CU_ASSERT_EQUAL(live_int(text, "left", -1), 0);
	free(text);
}

/* ------------------------------------------------------------ sbx_dup() */

/*
 * A copy shares no memory with its original: everything a handle holds
 * (workspace, cwd, input, environment, binds, system call rules,
 * required layers) is set, copied, the original destroyed with its
 * memory reused, and the copy runs with all of it.  Under valgrind (the
 * suite's memcheck pass) or the sanitizers, a shared pointer is a read
 * after free.
 */
static void test_dup_owns(void)
{
	char *ws = tl_tmpdir(), out_path[600], sub[600], *out, *junk;
	const char *const argv[] = { "/bin/sh", "-c",
				     "cat; pwd; echo \"$SBX_DUP\"", NULL };
	sbx_t *sbx, *copy = NULL;
	int fd, r, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	snprintf(sub, sizeof(sub), "%s/sub", ws);
	snprintf(out_path, sizeof(out_path), "%s.out", ws);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0755), 0);
	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	{
		char *w = strdup(ws), *c = strdup("/workspace/sub");
		char *in = strdup("input bytes\n"), *v = strdup("copied");

		CU_ASSERT_EQUAL(sbx_set_workspace(sbx, w, SBX_WORKSPACE_RO),
				0);
		CU_ASSERT_EQUAL(sbx_set_cwd(sbx, c), 0);
		CU_ASSERT_EQUAL(sbx_set_input(sbx, in, strlen(in)), 0);
		CU_ASSERT_EQUAL(sbx_set_env(sbx, "SBX_DUP", v), 0);
		/* the caller's strings go too */
		memset(w, 'x', strlen(w));
		memset(c, 'x', strlen(c));
		memset(in, 'x', strlen(in));
		memset(v, 'x', strlen(v));
		free(w);
		free(c);
		free(in);
		free(v);
	}
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, "/etc", "/mnt/etc", 0), 0);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "ptrace", SBX_SYSCALL_DENY, 1),
			0);
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, "seccomp"), 0);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS);
	CU_ASSERT_EQUAL_FATAL(sbx_dup(sbx, &copy), 0);
	sbx_destroy(sbx);
	/* reuse what the original freed */
	for (i = 0; i < 64; i++) {
		junk = malloc(32 + (size_t)i * 8);
		if (junk)
			memset(junk, 'J', 32 + (size_t)i * 8);
		free(junk);
	}
	fd = open(out_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(sbx_set_stdio(copy, 1, SBX_STDIO_FD, fd), 0);
	r = sbx_exec(copy, argv);
	if (r == 0)
		r = sbx_wait(copy);
	CU_ASSERT_EQUAL(r, 0);
	if (r < 0)
		fprintf(stderr, "\n  %s\n", sbx_last_error(copy));
	CU_ASSERT_EQUAL(sbx_result(copy, SBX_RESULT_EXIT_CODE), 0);
	close(fd);
	out = tl_read_file(out_path);
	CU_ASSERT_PTR_NOT_NULL(out);
	if (out)
		CU_ASSERT_STRING_EQUAL(out, "input bytes\n/workspace/sub\n"
					    "copied\n");
	free(out);
	sbx_destroy(copy);
	unlink(out_path);
	tl_rmrf(ws);
	free(ws);
}

static CU_TestInfo unapplied_tests[] = {
	{ "unapplied: a sparse file does not fill /var/tmp",
	  test_sparse_kept },
	{ "unapplied: a hundred hard links do not fill /var/tmp",
	  test_links_kept },
	{ "unapplied: 3,000 nested directories", test_deep_kept },
	{ "unapplied: trusted paths and links out are not kept",
	  test_kept_withheld },
	{ "degraded: root's collection spares another user's directory",
	  test_gc_other_user },
	{ "degraded: a directory swapped for a symlink during the collection",
	  test_gc_swap },
	{ "degraded: a dead run's /tmp 3,000 levels deep is collected",
	  test_gc_deep },
	{ "dup: the copy owns everything it holds", test_dup_owns },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "new", NULL, NULL, NULL, NULL, unapplied_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

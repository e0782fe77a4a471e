/* test-sec-ids.c - attacks on who the sandbox is on the host: a root
 * caller's sandbox must never be the host's root nor own host files it
 * did not create (bound device nodes, root-only /proc files), what it
 * writes through a bind must belong to the caller, and /etc entries the
 * caller's own groups could read are hidden, also when added later.
 * Judged on the host: the program's host uid, the device nodes' mode and
 * times, the owners of files written. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../live.h"
#include "../nouserns.h"

struct ids_cfg {
	const char *workspace;
	int ws_mode;
	const char *bind_src; /* bound writable at /data, unless bind_ro */
	int bind_ro;
	int single_id;
	int no_helpers; /* nothing of the build tree bound */
	int allow_setid;
};

static void configure(sbx_t *sbx, void *arg)
{
	const struct ids_cfg *c = arg;

	if (c->no_helpers)
		sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS);
	else
		live_setup(sbx);
	if (c->workspace)
		CU_ASSERT_EQUAL(sbx_set_workspace(sbx, c->workspace,
						  c->ws_mode),
				0);
	if (c->bind_src)
		CU_ASSERT_EQUAL(sbx_add_bind(sbx, c->bind_src, "/data",
					     c->bind_ro ? 0 : SBX_BIND_RW),
				0);
	if (c->single_id)
		CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_SINGLE_ID, 1), 0);
	if (c->allow_setid)
		CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_ALLOW_SETID, 1),
				0);
}

static int is_root(void)
{
	return geteuid() == 0;
}

static char *tmpdir_mode(mode_t mode)
{
	char *d = tl_tmpdir();

	if (d)
		chmod(d, mode);
	return d;
}

static char *join(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

/* ---- the program's host uid --------------------------------------- */

/* The four uids of the first process whose command line holds marker;
 * 0 when found. */
static int host_uids(const char *marker, unsigned long uids[4])
{
	char path[64], buf[8192];
	pid_t pid;

	for (pid = 2; pid < 4194304; pid++) {
		FILE *f;
		size_t n, i;

		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
		f = fopen(path, "re");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		for (i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[n] = '\0';
		if (!strstr(buf, marker))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(buf, sizeof(buf), f))
			if (sscanf(buf, "Uid: %lu %lu %lu %lu", &uids[0],
				   &uids[1], &uids[2], &uids[3]) == 4) {
				fclose(f);
				return 0;
			}
		fclose(f);
	}
	return -1;
}

/* With everything writable bound (the case where a root caller's sandbox
 * used to be the host's root), the program's host ids are never 0. */
static void test_never_host_root(void)
{
	char *ws = tl_tmpdir(), *data = tl_tmpdir(), script[256];
	const char *marker = live_marker("never-root");
	struct ids_cfg c = { ws, SBX_WORKSPACE_RW_LIVE, data, 0, 0, 0, 0 };
	unsigned long uids[4] = { 0 };
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	sbx_t *sbx;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	snprintf(script, sizeof(script), "sleep 30; : %s", marker);
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	configure(sbx, &c);
	sbx_set_stdio(sbx, 1, SBX_STDIO_NULL, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	CU_ASSERT(live_wait_count_atleast(marker, 1, 10000) >= 1);
	CU_ASSERT_EQUAL(host_uids(marker, uids), 0);
	for (i = 0; i < 4; i++) {
		if (uids[i] == 0)
			fprintf(stderr, "\n  the program's uid %d is %lu\n", i,
				uids[i]);
		CU_ASSERT_NOT_EQUAL(uids[i], 0);
		/* an unprivileged caller's sandbox is the caller */
		if (!is_root())
			CU_ASSERT_EQUAL(uids[i], (unsigned long)getuid());
	}
	sbx_kill(sbx);
	CU_ASSERT_EQUAL(sbx_wait(sbx), 0);
	sbx_destroy(sbx);
	live_kill_marked(marker);
	tl_rmrf(ws);
	tl_rmrf(data);
	free(ws);
	free(data);
}

/* ---- bound device nodes ------------------------------------------- */

static const char *const dev_nodes[] = { "/dev/null", "/dev/zero",
					 "/dev/full", "/dev/random",
					 "/dev/urandom", "/dev/tty" };
#define N_DEV (sizeof(dev_nodes) / sizeof(dev_nodes[0]))

static int same_meta(const struct stat *a, const struct stat *b)
{
	return a->st_mode == b->st_mode && a->st_uid == b->st_uid &&
	       a->st_gid == b->st_gid &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_atim.tv_sec == b->st_atim.tv_sec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Undo what a regression let the program do, so a failing test does not
 * leave the host broken. */
static void restore(const char *path, const struct stat *st)
{
	struct timespec t[2] = { st->st_atim, st->st_mtim };

	chmod(path, st->st_mode & 07777);
	if (geteuid() == 0 && chown(path, st->st_uid, st->st_gid) < 0)
		fprintf(stderr, "\n  cannot restore the owner of %s\n", path);
	utimensat(AT_FDCWD, path, t, 0);
}

/*
 * chmod 600 /dev/null would break every other program on the host.  The
 * program sets each node to the mode, owner and times it already has:
 * harmless if it works, and still seen on the host, since any change
 * moves the node's ctime.
 */
static void test_device_nodes(void)
{
	static const char script[] =
		"for d in /dev/null /dev/zero /dev/full /dev/random "
		"/dev/urandom /dev/tty; do "
		"chmod $(stat -c %a $d) $d 2>/dev/null && echo CHMOD=$d; "
		"touch -r $d $d 2>/dev/null && echo TOUCH=$d; "
		"chown $(stat -c %u:%g $d) $d 2>/dev/null && echo CHOWN=$d; "
		"done; "
		"echo x > /dev/null && echo WRITE=ok; "
		"echo IO=$(head -c 4 /dev/zero | wc -c); "
		"touch /tmp/f && chmod 0700 /tmp/f && echo CONTROL=ok";
	char *ws = tl_tmpdir();
	struct ids_cfg c = { ws, SBX_WORKSPACE_RW_LIVE, NULL, 0, 0, 0, 0 };
	struct stat before[N_DEV], after[N_DEV];
	int have[N_DEV];
	struct tl_run r;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	for (i = 0; i < N_DEV; i++)
		have[i] = stat(dev_nodes[i], &before[i]) == 0;
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	/* the devices still work, and chmod works where it may */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "WRITE=ok"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "IO=4"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "CONTROL=ok"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "CHMOD="));
	CU_ASSERT_PTR_NULL(strstr(r.out, "TOUCH="));
	CU_ASSERT_PTR_NULL(strstr(r.out, "CHOWN="));
	if (strstr(r.out, "CHMOD=") || strstr(r.out, "TOUCH="))
		fprintf(stderr, "\n  %s\n", r.out);
	for (i = 0; i < N_DEV; i++) {
		if (!have[i])
			continue;
		CU_ASSERT_EQUAL(stat(dev_nodes[i], &after[i]), 0);
		if (!same_meta(&before[i], &after[i])) {
			fprintf(stderr, "\n  %s changed on the host\n",
				dev_nodes[i]);
			restore(dev_nodes[i], &before[i]);
		}
		CU_ASSERT(same_meta(&before[i], &after[i]));
	}
	tl_run_free(&r);
	tl_rmrf(ws);
	free(ws);
}

/* ---- what a writable bind creates belongs to the caller ----------- */

static void check_owner(const char *dir, const char *name)
{
	char *p = join(dir, name);
	struct stat st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(lstat(p, &st), 0);
	if (st.st_uid != getuid() || st.st_gid != getgid())
		fprintf(stderr, "\n  %s is %u:%u on the host, not %u:%u\n", p,
			(unsigned)st.st_uid, (unsigned)st.st_gid,
			(unsigned)getuid(), (unsigned)getgid());
	CU_ASSERT_EQUAL(st.st_uid, getuid());
	CU_ASSERT_EQUAL(st.st_gid, getgid());
	free(p);
}

static void test_written_files_are_the_callers(void)
{
	static const char script[] =
		"echo a > /workspace/file && mkdir /workspace/dir && "
		"echo b > /workspace/dir/inner && ln -s file /workspace/link "
		"&& echo c > /data/bound && mkdir /data/bdir && echo OK";
	char *ws = tl_tmpdir(), *data = tl_tmpdir();
	struct ids_cfg c = { ws, SBX_WORKSPACE_RW_LIVE, data, 0, 0, 0, 0 };
	struct tl_run r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "OK"));
	check_owner(ws, "file");
	check_owner(ws, "dir");
	check_owner(ws, "dir/inner");
	check_owner(ws, "link");
	check_owner(data, "bound");
	check_owner(data, "bdir");
	tl_run_free(&r);
	tl_rmrf(ws);
	tl_rmrf(data);
	free(ws);
	free(data);
}

/*
 * With set-id capabilities kept, the program can become any id mapped
 * into its namespace.  A root caller's bind must still not let it own a
 * host user's file there, nor create files that user would own.
 */
static void test_setid_host_users(void)
{
	static const char script[] =
		"python3 -c '\n"
		"import os\n"
		"os.setgroups([]); os.setgid(1000); os.setuid(1000)\n"
		"def t(what, f):\n"
		"    try:\n"
		"        f(); print(what)\n"
		"    except OSError:\n"
		"        pass\n"
		"t(\"CHMOD\", lambda: os.chmod(\"/workspace/users\", 0o666))\n"
		"t(\"WROTE\", lambda: open(\"/workspace/users\", \"a\")"
		".write(\"x\"))\n"
		"t(\"MADE\", lambda: open(\"/workspace/made\", \"w\")"
		".write(\"y\"))\n"
		"'";
	char *ws = tl_tmpdir(), *users, *made, *text;
	struct ids_cfg c = { ws, SBX_WORKSPACE_RW_LIVE, NULL, 0, 0, 0, 1 };
	struct stat st;
	struct tl_run r;

	if (!is_root()) {
		tl_skip("needs a root caller (an unprivileged caller's ids "
			"1..65535 map to its subordinate range, which owns "
			"nothing)");
		free(ws);
		return;
	}
	if (access("/usr/bin/python3", X_OK) < 0) {
		tl_skip("no /usr/bin/python3 to switch ids with");
		free(ws);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	chmod(ws, 0777);
	users = join(ws, "users");
	made = join(ws, "made");
	CU_ASSERT_EQUAL_FATAL(tl_write_file(users, "theirs\n"), 0);
	CU_ASSERT_EQUAL_FATAL(chown(users, 1000, 1000), 0);
	chmod(users, 0600);
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	/* the control: the id switch itself worked */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "MADE"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "CHMOD"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "WROTE"));
	CU_ASSERT_EQUAL(stat(users, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);
	text = tl_read_file(users);
	CU_ASSERT(text && strcmp(text, "theirs\n") == 0);
	free(text);
	if (stat(made, &st) == 0) {
		CU_ASSERT_NOT_EQUAL(st.st_uid, 1000);
		CU_ASSERT(st.st_uid >= 65536);
	}
	tl_run_free(&r);
	tl_rmrf(ws);
	free(users);
	free(made);
	free(ws);
}

/* ---- root-only /proc files ---------------------------------------- */

static void test_root_only_proc(void)
{
	static const char *const files[] = { "/proc/slabinfo",
					     "/proc/timer_list",
					     "/proc/vmallocinfo",
					     "/proc/pagetypeinfo" };
	char *ws = tl_tmpdir(), script[512];
	struct ids_cfg c = { ws, SBX_WORKSPACE_RW_LIVE, NULL, 0, 0, 0, 0 };
	struct tl_run r;
	size_t i, n = 0;
	int controls = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	for (i = 0; i < LIVE_N(files); i++) {
		int fd = open(files[i], O_RDONLY | O_CLOEXEC);

		/* the host's root can read them: the check can fail */
		if (fd >= 0) {
			controls++;
			close(fd);
		}
		n += (size_t)snprintf(script + n, sizeof(script) - n,
				      "head -c1 %s >/dev/null 2>&1 && "
				      "echo READ=%s; ",
				      files[i], files[i]);
	}
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	if (strstr(r.out, "READ="))
		fprintf(stderr, "\n  %s\n", r.out);
	CU_ASSERT_PTR_NULL(strstr(r.out, "READ="));
	if (is_root())
		CU_ASSERT(controls > 0);
	tl_run_free(&r);
	tl_rmrf(ws);
	free(ws);
}

/* ---- a root caller's 0700 workspace ------------------------------- */

/* mkdtemp() gives 0700: a root caller's sandbox, which is not the host's
 * root, reads it through the idmapped bind, and cannot change it. */
static void test_private_workspace(void)
{
	static const char ro_script[] =
		"cat /workspace/secret; "
		"chmod 0777 /workspace/secret 2>/dev/null && echo CHMOD; "
		"echo x >> /workspace/secret 2>/dev/null && echo WROTE; :";
	static const char rw_script[] =
		"cat /workspace/secret && echo more >> /workspace/secret && "
		"echo new > /workspace/new && echo DONE";
	char *ws, *secret, *text;
	struct ids_cfg c = { NULL, SBX_WORKSPACE_RO, NULL, 0, 0, 0, 0 };
	struct stat st;
	struct tl_run r;

	if (!is_root()) {
		tl_skip("needs a root caller (an unprivileged caller's "
			"sandbox is the caller, and reads its own 0700 "
			"directories anyway)");
		return;
	}
	ws = tmpdir_mode(0700);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	secret = join(ws, "secret");
	CU_ASSERT_EQUAL_FATAL(tl_write_file(secret, "the-content\n"), 0);
	chmod(secret, 0600);
	c.workspace = ws;

	tl_run_sh(&r, configure, &c, ro_script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "the-content"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "CHMOD"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "WROTE"));
	CU_ASSERT_EQUAL(stat(secret, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);
	tl_run_free(&r);

	c.ws_mode = SBX_WORKSPACE_RW;
	tl_run_sh(&r, configure, &c, rw_script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "DONE"));
	text = tl_read_file(secret);
	CU_ASSERT_PTR_NOT_NULL(text);
	if (text)
		CU_ASSERT_STRING_EQUAL(text, "the-content\nmore\n");
	free(text);
	check_owner(ws, "new");
	CU_ASSERT_EQUAL(stat(secret, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);
	tl_run_free(&r);
	tl_rmrf(ws);
	free(secret);
	free(ws);
}

/* ---- a file system without idmapped mounts ------------------------ */

static void test_not_idmappable(void)
{
	char *dir, *lower, *upper, *work, *merged, *p, opts[1024];
	struct ids_cfg c = { NULL, SBX_WORKSPACE_RO, NULL, 0, 0, 0, 0 };
	struct stat st;
	struct tl_run r;

	if (!is_root()) {
		tl_skip("needs a root caller (only a host-root caller's "
			"binds are idmapped) and root to mount an overlayfs");
		return;
	}
	dir = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	lower = join(dir, "l");
	upper = join(dir, "u");
	work = join(dir, "w");
	merged = join(dir, "m");
	mkdir(lower, 0755);
	mkdir(upper, 0755);
	mkdir(work, 0755);
	mkdir(merged, 0755);
	p = join(lower, "readme");
	tl_write_file(p, "public\n");
	chmod(p, 0644);
	free(p);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s",
		 lower, upper, work);
	if (mount("overlay", merged, "overlay", 0, opts) < 0) {
		tl_skip("cannot mount an overlayfs here: %s", strerror(errno));
		goto out;
	}

	/* writable and live: refused, naming the way that works */
	c.bind_src = merged;
	tl_run_sh(&r, configure, &c, "echo x > /data/new");
	CU_ASSERT_EQUAL(r.status, SBX_STATUS_SETUP_ERROR); /* not fatal: */
	/* the overlay must be unmounted whatever happens */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.message, "idmapped"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.message, "--rw"));
	p = join(merged, "new");
	CU_ASSERT_NOT_EQUAL(lstat(p, &st), 0);
	free(p);
	tl_run_free(&r);

	/* read-only: a plain bind, what others may read is there */
	c.bind_ro = 1;
	tl_run_sh(&r, configure, &c, "cat /data/readme");
	CU_ASSERT_EQUAL(r.status, SBX_STATUS_EXITED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "public"));
	tl_run_free(&r);

	/* copy-on-write works everywhere, applied as the caller */
	c.bind_src = NULL;
	c.workspace = merged;
	c.ws_mode = SBX_WORKSPACE_RW;
	tl_run_sh(&r, configure, &c, "echo cow > /workspace/cow");
	CU_ASSERT_EQUAL(r.status, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	check_owner(merged, "cow");
	tl_run_free(&r);
	umount2(merged, MNT_DETACH);
out:
	tl_rmrf(dir);
	free(lower);
	free(upper);
	free(work);
	free(merged);
	free(dir);
}

/* ---- /etc entries the caller's groups could read ------------------ */

#define MASK_UID 61000
#define MASK_GID 61000
#define MASK_GROUP 61001

static int write_secret(const char *path)
{
	char dir[512], *slash;

	/* a file in a directory only the group may enter: 0710 */
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && strstr(slash, ".d/") == NULL && strstr(dir, ".d/")) {
		*slash = '\0';
		if (mkdir(dir, 0710) < 0 || chown(dir, 0, MASK_GROUP) < 0 ||
		    chmod(dir, 0710) < 0)
			return -errno;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);

	if (fd < 0)
		return -errno;
	if (write(fd, "group-secret\n", 13) != 13 ||
	    fchown(fd, 0, MASK_GROUP) < 0 || fchmod(fd, 0640) < 0) {
		close(fd);
		unlink(path);
		return -EIO;
	}
	close(fd);
	return 0;
}

/* In a child that is an unprivileged user in MASK_GROUP: reads on the
 * host (the control), in the sandbox, then again after the parent added
 * another secret.  Exit status: a bit per failed check. */
static void degraded_cfg(sbx_t *sbx, void *arg)
{
	configure(sbx, arg);
	sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
}

static int mask_child(const char *first, const char *key, const char *second,
		      int go_fd, int done_fd)
{
	gid_t g = MASK_GROUP;
	struct ids_cfg c = { NULL, SBX_WORKSPACE_RO, NULL, 0, 1, 1, 0 };
	struct tl_run r;
	char script[512], *host;
	int fail = 0;
	char b;

	if (setgroups(1, &g) < 0 || setresgid(MASK_GID, MASK_GID, MASK_GID) < 0 ||
	    setresuid(MASK_UID, MASK_UID, MASK_UID) < 0)
		return 64;
	/* the id change made this process undumpable: its /proc files
	 * would stay root's, which nu_run_argv() writes */
	prctl(PR_SET_DUMPABLE, 1);
	host = tl_read_file(first);
	if (!host || !strstr(host, "group-secret"))
		fail |= 1; /* the control: the caller's group reads it */
	free(host);
	host = tl_read_file(key); /* in a 0710 directory of the group */
	if (!host || !strstr(host, "group-secret"))
		fail |= 1;
	free(host);
	/* twice: a process's second run keeps what it learnt of /etc
	 * (hostinfo.c), which the third must not trust blindly */
	snprintf(script, sizeof(script), "cat %s %s 2>&1; :", first, key);
	for (int i = 0; i < 2; i++) {
		tl_run_sh(&r, configure, &c, script);
		if (r.status != SBX_STATUS_EXITED ||
		    strstr(r.out, "group-secret"))
			fail |= 2;
		tl_run_free(&r);
	}
	/* the parent adds a second secret; this process's library has seen
	 * /etc already */
	if (write(done_fd, "1", 1) != 1 || read(go_fd, &b, 1) != 1)
		return fail | 32;
	snprintf(script, sizeof(script), "cat %s %s 2>&1; :", first, second);
	tl_run_sh(&r, configure, &c, script);
	if (r.status != SBX_STATUS_EXITED || strstr(r.out, "group-secret"))
		fail |= 4;
	tl_run_free(&r);
	/* without namespaces nothing can cover them: Landlock leaves them
	 * out (where user namespaces can be disabled for the test) */
	{
		const char *argv[] = { "/bin/sh", "-c", script, NULL };

		if (nu_run_argv(&r, degraded_cfg, &c, argv) == 0) {
			if (r.status != SBX_STATUS_EXITED ||
			    strstr(r.out, "group-secret"))
				fail |= 8;
			tl_run_free(&r);
		}
	}
	return fail;
}

/* A copy of the supervisor any id may run (the build tree may be below
 * a 0700 home); its directory's path, or NULL. */
static char *stage_supervisor(void)
{
	const char *sup = getenv("SBX_SUPERVISOR");
	char tmpl[] = "/tmp/sbx-test-sup-XXXXXX", *dst = NULL;
	int in = -1, out = -1, ok = 0;
	char buf[65536];
	ssize_t n;

	if (!sup || !*sup)
		sup = LIBEXECDIR "/sbx-supervisor";
	if (!mkdtemp(tmpl) || chmod(tmpl, 0755) < 0)
		return NULL;
	dst = join(tmpl, "sbx-supervisor");
	in = open(sup, O_RDONLY | O_CLOEXEC);
	out = dst ? open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755)
		  : -1;
	if (in >= 0 && out >= 0) {
		ok = 1;
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				ok = 0;
		if (n < 0)
			ok = 0;
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		ok = 0;
	free(dst);
	if (!ok) {
		tl_rmrf(tmpl);
		return NULL;
	}
	return strdup(tmpl);
}

static void test_etc_masks(void)
{
	char *staged;
	char first[] = "/etc/sbx-test-mask-XXXXXX";
	char second[64], keydir[64], key[80];
	int go[2], done[2], st = 0;
	pid_t pid;
	char b;

	if (!is_root()) {
		tl_skip("needs root to place a group-readable file in /etc "
			"and to become an unprivileged user with that group");
		return;
	}
	/* a unique name: mkstemp, then replace it by the secret */
	{
		int fd = mkstemp(first);

		CU_ASSERT_FATAL(fd >= 0);
		close(fd);
		unlink(first);
	}
	snprintf(second, sizeof(second), "%s-later", first);
	snprintf(keydir, sizeof(keydir), "%s.d", first);
	snprintf(key, sizeof(key), "%s/key.pem", keydir);
	staged = stage_supervisor();
	CU_ASSERT_PTR_NOT_NULL_FATAL(staged);
	CU_ASSERT_EQUAL_FATAL(write_secret(first), 0);
	CU_ASSERT_EQUAL(write_secret(key), 0);
	CU_ASSERT_FATAL(pipe2(go, O_CLOEXEC) == 0 && pipe2(done, O_CLOEXEC) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		char *sup = join(staged, "sbx-supervisor");

		setenv("SBX_SUPERVISOR", sup, 1);
		_exit(mask_child(first, key, second, go[0], done[1]));
	}
	close(go[0]);
	close(done[1]);
	if (read(done[0], &b, 1) == 1) {
		CU_ASSERT_EQUAL(write_secret(second), 0);
		if (write(go[1], "1", 1) != 1)
			CU_FAIL("the child is gone");
	}
	close(go[1]);
	close(done[0]);
	waitpid(pid, &st, 0);
	unlink(first);
	unlink(second);
	unlink(key);
	rmdir(keydir);
	tl_rmrf(staged);
	free(staged);
	CU_ASSERT(WIFEXITED(st));
	if (WEXITSTATUS(st))
		fprintf(stderr, "\n  mask checks failed: %#x (1 control, 2 "
			"hidden, 4 hidden when added later, 8 hidden without "
			"namespaces)\n",
			WEXITSTATUS(st));
	CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
}

/* ---- the host's kernel command line ------------------------------- */

static void test_proc_cmdline(void)
{
	char *host = tl_read_file("/proc/cmdline");
	struct ids_cfg c = { NULL, 0, NULL, 0, 0, 0, 0 };
	struct tl_run r;

	/* the control: the host's is not empty */
	CU_ASSERT(host && strlen(host) > 1);
	free(host);
	tl_run_sh(&r, configure, &c,
		  "echo N=$(wc -c < /proc/cmdline); chmod 0 /proc/cmdline "
		  "2>/dev/null && echo CHMOD; :");
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "N=0"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "CHMOD"));
	tl_run_free(&r);
}

static CU_TestInfo ids_tests[] = {
	{ "the program is never the host's root", test_never_host_root },
	{ "bound device nodes: mode and times unchanged",
	  test_device_nodes },
	{ "files written through binds are the caller's",
	  test_written_files_are_the_callers },
	{ "set-id kept: a host user's files in a root caller's bind",
	  test_setid_host_users },
	{ "root-only /proc files stay closed", test_root_only_proc },
	{ "a root caller's 0700 workspace", test_private_workspace },
	{ "a writable bind that cannot be idmapped", test_not_idmappable },
	{ "/etc entries the caller's groups could read, also added later",
	  test_etc_masks },
	{ "the host's kernel command line", test_proc_cmdline },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "ids", NULL, NULL, NULL, NULL, ids_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

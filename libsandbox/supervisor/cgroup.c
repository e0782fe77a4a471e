/* cgroup.c - the sandbox's cgroup: v2 where its controllers are usable
 * (a delegated subtree for an unprivileged caller), else v1 per controller,
 * else nothing (the caller falls back to rlimits). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "readfile.h"

static const char *const v1_names[SUP_CG_N] = {
	[SUP_CG_MEMORY] = "memory",
	[SUP_CG_PIDS] = "pids",
	[SUP_CG_CPU] = "cpu",
	[SUP_CG_CPUACCT] = "cpuacct",
};

static void why(struct sup_cgroup *cg, const char *fmt, const char *arg)
{
	size_t n = strlen(cg->why);

	if (n && n < sizeof(cg->why) - 2) {
		cg->why[n++] = ';';
		cg->why[n++] = ' ';
		cg->why[n] = '\0';
	}
	snprintf(cg->why + n, sizeof(cg->why) - n, fmt, arg);
}

/* ---------------------------------------------------------- detection */

/* "/a/b" with mount root "/a" -> "/b": our path as the mount shows it. */
static void join_mount(char *out, size_t len, const char *mnt, const char *root,
		       const char *rel)
{
	size_t rl = strlen(root);

	if (strcmp(root, "/") != 0 && strncmp(rel, root, rl) == 0 &&
	    (rel[rl] == '/' || rel[rl] == '\0'))
		rel += rl;
	if (strcmp(rel, "/") == 0)
		rel = "";
	snprintf(out, len, "%s%s", mnt, rel);
}

struct mount_seen {
	char mnt[PATH_MAX];
	char root[PATH_MAX];
};

static int has_option(const char *opts, const char *name)
{
	size_t n = strlen(name);
	const char *p = opts;

	while ((p = strstr(p, name))) {
		if ((p == opts || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

int sup_cg_detect(struct sup_cg_host *h, const char *mountinfo,
		  const char *self_cgroup)
{
	static struct mount_seen v2, v1[SUP_CG_N];
	char line[4096], v2_rel[PATH_MAX] = "", v1_rel[SUP_CG_N][PATH_MAX];
	FILE *f;
	int i;

	memset(h, 0, sizeof(*h));
	memset(&v2, 0, sizeof(v2));
	memset(v1, 0, sizeof(v1));
	memset(v1_rel, 0, sizeof(v1_rel));
	h->uid = getuid();

	f = fopen(mountinfo, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char root[PATH_MAX], mnt[PATH_MAX], fstype[64], opts[1024];
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %4095s %4095s", root,
				   mnt) != 2 ||
		    sscanf(sep + 3, "%63s %*s %1023s", fstype, opts) != 2)
			continue;
		if (strcmp(fstype, "cgroup2") == 0 && !v2.mnt[0]) {
			snprintf(v2.mnt, sizeof(v2.mnt), "%s", mnt);
			snprintf(v2.root, sizeof(v2.root), "%s", root);
		} else if (strcmp(fstype, "cgroup") == 0) {
			for (i = 0; i < SUP_CG_N; i++)
				if (!v1[i].mnt[0] && has_option(opts, v1_names[i])) {
					snprintf(v1[i].mnt, sizeof(v1[i].mnt),
						 "%s", mnt);
					snprintf(v1[i].root, sizeof(v1[i].root),
						 "%s", root);
				}
		}
	}
	fclose(f);

	f = fopen(self_cgroup, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2, *nl;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c2 = '\0';
		nl = strchr(c2 + 1, '\n');
		if (nl)
			*nl = '\0';
		if (c1[1] == '\0') {
			snprintf(v2_rel, sizeof(v2_rel), "%s", c2 + 1);
			continue;
		}
		for (i = 0; i < SUP_CG_N; i++)
			if (has_option(c1 + 1, v1_names[i]))
				snprintf(v1_rel[i], sizeof(v1_rel[i]), "%s",
					 c2 + 1);
	}
	fclose(f);

	snprintf(h->self_file, sizeof(h->self_file), "%s", self_cgroup);
	if (v2.mnt[0] && v2_rel[0]) {
		snprintf(h->v2_mount, sizeof(h->v2_mount), "%s", v2.mnt);
		snprintf(h->v2_root, sizeof(h->v2_root), "%s", v2.root);
		join_mount(h->v2_self, sizeof(h->v2_self), v2.mnt, v2.root,
			   v2_rel);
	}
	for (i = 0; i < SUP_CG_N; i++)
		if (v1[i].mnt[0] && v1_rel[i][0])
			join_mount(h->v1_self[i], sizeof(h->v1_self[i]),
				   v1[i].mnt, v1[i].root, v1_rel[i]);
	return 0;
}

/* ------------------------------------------------------------ files */

static int write_at(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0)
		r = -errno;
	close(fd);
	return r;
}

static int write_u64(const char *dir, const char *file, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return write_at(dir, file, buf);
}

static int read_at(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX + 64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	n = sup_read_file(path, buf, len);
	return n < 0 ? (int)n : 0;
}

static int exists_at(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* "key value" lines (cpu.stat, memory.events, pids.events). */
static int read_key(const char *dir, const char *file, const char *key,
		    uint64_t *ret)
{
	char buf[4096], *p;
	size_t n = strlen(key);

	if (read_at(dir, file, buf, sizeof(buf)) < 0)
		return -ENOENT;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, n) == 0 && p[n] == ' ') {
			*ret = strtoull(p + n + 1, NULL, 10);
			return 0;
		}
	return -ENOENT;
}

static int read_u64(const char *dir, const char *file, uint64_t *ret)
{
	char buf[64];

	if (read_at(dir, file, buf, sizeof(buf)) < 0)
		return -ENOENT;
	*ret = strtoull(buf, NULL, 10);
	return 0;
}

static void remove_dir(char *dir);

/* Directories of supervisors that were killed before cleaning up:
 * "sbx-PID" whose PID is gone.  What might still run in one (it dies with
 * its supervisor, but may not be gone yet) is killed. */
static void collect_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[PATH_MAX + 300], *end;
		long pid;

		if (strncmp(de->d_name, "sbx-", 4) != 0)
			continue;
		pid = strtol(de->d_name + 4, &end, 10);
		if (*end || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", parent, de->d_name);
		remove_dir(path);
	}
	closedir(d);
}

void sup_cg_collect(const struct sup_cg_host *h)
{
	char dir[PATH_MAX + 16], *slash;
	int i;

	if (h->v2_mount[0]) {
		snprintf(dir, sizeof(dir), "%s/libsandbox", h->v2_mount);
		collect_stale(dir);
		/* an unprivileged sandbox's cgroup is beside an ancestor of
		 * ours */
		snprintf(dir, sizeof(dir), "%s", h->v2_self);
		while ((slash = strrchr(dir, '/')) &&
		       strlen(dir) > strlen(h->v2_mount)) {
			*slash = '\0';
			collect_stale(dir);
		}
	}
	for (i = 0; i < SUP_CG_N; i++)
		if (h->v1_self[i][0])
			collect_stale(h->v1_self[i]);
}

static int make_dir(const char *parent, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", parent, name);
	collect_stale(parent);
	if (mkdir(out, 0755) < 0 && errno != EEXIST) {
		int e = errno;

		out[0] = '\0';
		return -e;
	}
	return 0;
}

/* ---------------------------------------------------------------- v2 */

/* Is ctl one of the space-separated words of dir/file? */
static int v2_has(const char *dir, const char *file, const char *ctl)
{
	char buf[512];
	const char *p = buf;
	size_t n = strlen(ctl);

	if (read_at(dir, file, buf, sizeof(buf)) < 0)
		return 0;
	while ((p = strstr(p, ctl))) {
		if ((p == buf || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* Enable a controller for the children of dir (no-op when it is). */
static int v2_enable(const char *dir, const char *ctl)
{
	char op[32];

	if (v2_has(dir, "cgroup.subtree_control", ctl))
		return 0;
	snprintf(op, sizeof(op), "+%s", ctl);
	return write_at(dir, "cgroup.subtree_control", op);
}

static int v2_usable_parent(const char *dir, int root_caller)
{
	if (!v2_has(dir, "cgroup.controllers", "memory") ||
	    !v2_has(dir, "cgroup.controllers", "pids"))
		return 0;
	if (root_caller)
		return 1;
	/* Delegated to us: we may create children and move processes. */
	{
		char a[PATH_MAX + 64], b[PATH_MAX + 64];

		snprintf(a, sizeof(a), "%s/cgroup.procs", dir);
		snprintf(b, sizeof(b), "%s/cgroup.subtree_control", dir);
		return access(a, W_OK) == 0 && access(b, W_OK) == 0 &&
		       access(dir, W_OK) == 0;
	}
}

static int v2_try_parent(struct sup_cgroup *cg, const char *parent,
			 const struct sup_cg_want *want, const char *name)
{
	if (v2_enable(parent, "memory") < 0 || v2_enable(parent, "pids") < 0)
		return -EBUSY; /* processes of its own: no children limits */
	if (want->cpu_milli)
		v2_enable(parent, "cpu");
	return make_dir(parent, name, cg->v2_dir, sizeof(cg->v2_dir));
}

static void v2_limit(struct sup_cgroup *cg, const struct sup_cg_want *want)
{
	const char *d = cg->v2_dir;

	if (want->memory && write_u64(d, "memory.max", want->memory) == 0) {
		cg->limited |= 1u << SUP_CG_MEMORY;
		/* swap cannot dodge the limit; the whole tree dies on OOM */
		if (write_at(d, "memory.swap.max", "0") == 0 ||
		    !exists_at(d, "memory.swap.max"))
			cg->swap_limited = 1;
		write_at(d, "memory.oom.group", "1");
	} else if (want->memory) {
		why(cg, "memory.max not writable in %s", d);
	}
	if (want->pids && write_u64(d, "pids.max", want->pids) == 0)
		cg->limited |= 1u << SUP_CG_PIDS;
	else if (want->pids)
		why(cg, "pids.max not writable in %s", d);
	if (want->cpu_milli) {
		char v[64];

		snprintf(v, sizeof(v), "%llu 100000",
			 (unsigned long long)want->cpu_milli * 100);
		if (write_at(d, "cpu.max", v) == 0)
			cg->limited |= 1u << SUP_CG_CPU;
		else
			why(cg, "cpu.max not writable in %s (no cpu "
				"controller delegated)", d);
	}
	cg->limited |= 1u << SUP_CG_CPUACCT; /* cpu.stat is always there */
}

/* ------------------------------------------------------------- systemd */

/* systemd names the cgroup of a unit after it. */
static int unit_name(const char *base)
{
	static const char *const suffix[] = { ".slice",	 ".scope", ".service",
					      ".socket", ".mount", ".swap" };
	size_t n = strlen(base), i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		size_t k = strlen(suffix[i]);

		if (n > k && strcmp(base + n - k, suffix[i]) == 0)
			return 1;
	}
	return 0;
}

/* systemd marks the cgroup of a unit with Delegate=yes: trusted.delegate
 * (which only root may read) and, from v251, user.delegate. */
static int delegated(const char *dir)
{
	static const char *const attr[] = { "trusted.delegate",
					    "user.delegate" };
	char v[8];
	size_t i;

	for (i = 0; i < 2; i++)
		if (getxattr(dir, attr[i], v, sizeof(v)) > 0 && v[0] == '1')
			return 1;
	return 0;
}

/*
 * Does a systemd instance rewrite dir's cgroup.subtree_control when it
 * realizes units (any unit starting, a daemon-reload), taking out the
 * controllers none of its units asked for?  It does for the cgroup of
 * each of its units that is not delegated (the slices above a terminal's
 * scope, that scope), and for the root of its own tree, which holds its
 * init.scope (the host's root; user@UID.service, delegated to the user's
 * manager but managed by it; a container's root).  It leaves alone a
 * delegated unit's cgroup and what its payload made below it.
 */
static int v2_systemd_managed(const char *dir)
{
	const char *base = strrchr(dir, '/');

	if (exists_at(dir, "init.scope"))
		return 1;
	return base && unit_name(base + 1) && !delegated(dir);
}

/* Is our own cgroup a systemd unit's, or below one (so that a manager is
 * there to ask)? */
static int v2_systemd_tree(const struct sup_cg_host *h)
{
	char rel[PATH_MAX], *p, *save = NULL;

	snprintf(rel, sizeof(rel), "%s", h->v2_self + strlen(h->v2_mount));
	for (p = strtok_r(rel, "/", &save); p; p = strtok_r(NULL, "/", &save))
		if (unit_name(p))
			return 1;
	return 0;
}

/*
 * A scope of our own from systemd, delegated to us (sup_cg_unit()), which
 * nothing rewrites: the supervisor, alone in it, moves into a leaf of its
 * own so that the scope may hand its controllers to its children (cgroup
 * v2 allows no processes beside them); the sandbox's cgroup is the leaf's
 * sibling.  systemd removes the scope, leaf and all, once we have exited.
 */
static int v2_scope(struct sup_cgroup *cg, const struct sup_cg_host *h,
		    const struct sup_cg_want *want, const char *name)
{
	char rel[PATH_MAX], scope[PATH_MAX], leaf[PATH_MAX + 16], msg[320];
	int r;

	r = sup_cg_unit(h, rel, sizeof(rel), msg, sizeof(msg));
	if (r < 0) {
		why(cg, "no delegated scope from systemd (%s)", msg);
		return r;
	}
	join_mount(scope, sizeof(scope), h->v2_mount, h->v2_root, rel);
	snprintf(leaf, sizeof(leaf), "%s/supervisor", scope);
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		r = -errno;
	else
		r = write_at(leaf, "cgroup.procs", "0");
	if (r == 0)
		r = v2_try_parent(cg, scope, want, name);
	if (r < 0)
		why(cg, "cannot make the sandbox's cgroup in the delegated "
			"scope %s",
		    scope);
	return r;
}

static int v2_create(struct sup_cgroup *cg, const struct sup_cg_host *h,
		     const struct sup_cg_want *want, const char *name)
{
	char dir[PATH_MAX], *slash;
	int root_caller = h->uid == 0;
	/* a run without limits needs no more than accounting: no scope,
	 * nothing on its path */
	int limits = want->memory || want->pids || want->cpu_milli;
	int asked = 0;

	if (!h->v2_mount[0])
		return -ENOENT;
	if (root_caller) {
		/* A parent of our own, beside everything else; it never
		 * holds processes. */
		char parent[PATH_MAX + 16];

		snprintf(parent, sizeof(parent), "%s/libsandbox", h->v2_mount);
		if (v2_usable_parent(h->v2_mount, 1) &&
		    (mkdir(parent, 0755) == 0 || errno == EEXIST) &&
		    v2_enable(h->v2_mount, "memory") == 0 &&
		    v2_enable(h->v2_mount, "pids") == 0) {
			if (want->cpu_milli)
				v2_enable(h->v2_mount, "cpu");
			if (v2_try_parent(cg, parent, want, name) == 0)
				return 0;
		}
	}
	/* Our own cgroup holds processes (us): walk up to the nearest
	 * ancestor we may manage. */
	snprintf(dir, sizeof(dir), "%s", h->v2_self);
	while ((slash = strrchr(dir, '/')) &&
	       strlen(dir) > strlen(h->v2_mount)) {
		*slash = '\0';
		if (strlen(dir) < strlen(h->v2_mount))
			break;
		if (!v2_usable_parent(dir, root_caller))
			continue;
		if (limits && v2_systemd_managed(dir)) {
			/* once: the answer would be the same higher up */
			if (!asked++ && v2_scope(cg, h, want, name) == 0)
				return 0;
			/* what we did before there were scopes: the limits
			 * hold until systemd next realizes dir */
			if (v2_try_parent(cg, dir, want, name) == 0) {
				cg->unheld = 1;
				why(cg, "the sandbox's cgroup is in %s, whose "
					"controllers systemd rewrites: it may "
					"take cpu away mid-run",
				    dir);
				return 0;
			}
			continue;
		}
		if (v2_try_parent(cg, dir, want, name) == 0)
			return 0;
	}
	/* Nothing of ours (a login session's scope belongs to root): the
	 * user's manager can still give us a scope. */
	if (limits && !asked && v2_systemd_tree(h) &&
	    v2_has(h->v2_mount, "cgroup.controllers", "memory") &&
	    v2_has(h->v2_mount, "cgroup.controllers", "pids") &&
	    v2_scope(cg, h, want, name) == 0)
		return 0;
	return -EACCES;
}

/* ---------------------------------------------------------------- v1 */

static void v1_create(struct sup_cgroup *cg, const struct sup_cg_host *h,
		      const struct sup_cg_want *want, const char *name)
{
	int i;

	for (i = 0; i < SUP_CG_N; i++) {
		int needed = i == SUP_CG_CPUACCT ||
			     (i == SUP_CG_MEMORY && want->memory) ||
			     (i == SUP_CG_PIDS && want->pids) ||
			     (i == SUP_CG_CPU && want->cpu_milli);

		if (!needed)
			continue;
		if (!h->v1_self[i][0]) {
			why(cg, "no cgroup v1 %s hierarchy", v1_names[i]);
			continue;
		}
		if (access(h->v1_self[i], W_OK) < 0 ||
		    make_dir(h->v1_self[i], name, cg->v1_dir[i],
			     sizeof(cg->v1_dir[i])) < 0)
			why(cg, "cgroup v1 %s is not writable by this user "
				"(an administrator may chown a directory for "
				"it)", v1_names[i]);
	}
	if (cg->v1_dir[SUP_CG_MEMORY][0]) {
		const char *d = cg->v1_dir[SUP_CG_MEMORY];

		/* memsw is a total: set memory first, it may not exceed it */
		if (write_u64(d, "memory.limit_in_bytes", want->memory) == 0) {
			cg->limited |= 1u << SUP_CG_MEMORY;
			if (write_u64(d, "memory.memsw.limit_in_bytes",
				      want->memory) == 0)
				cg->swap_limited = 1;
		}
	}
	if (cg->v1_dir[SUP_CG_PIDS][0] &&
	    write_u64(cg->v1_dir[SUP_CG_PIDS], "pids.max", want->pids) == 0)
		cg->limited |= 1u << SUP_CG_PIDS;
	if (cg->v1_dir[SUP_CG_CPU][0]) {
		const char *d = cg->v1_dir[SUP_CG_CPU];

		if (write_at(d, "cpu.cfs_period_us", "100000") == 0 &&
		    write_u64(d, "cpu.cfs_quota_us", want->cpu_milli * 100) == 0)
			cg->limited |= 1u << SUP_CG_CPU;
	}
	if (cg->v1_dir[SUP_CG_CPUACCT][0])
		cg->limited |= 1u << SUP_CG_CPUACCT;
	for (i = 0; i < SUP_CG_N; i++)
		if (cg->v1_dir[i][0])
			cg->version = 1;
}

int sup_cg_create(struct sup_cgroup *cg, const struct sup_cg_host *h,
		  const struct sup_cg_want *want, const char *name)
{
	memset(cg, 0, sizeof(*cg));
	if (v2_create(cg, h, want, name) == 0) {
		cg->version = 2;
		v2_limit(cg, want);
		return 0;
	}
	v1_create(cg, h, want, name);
	if (!cg->version)
		why(cg, "%s", "no cgroup this user may manage");
	return 0;
}

int sup_cg_attach(const struct sup_cgroup *cg, pid_t pid)
{
	char buf[32];
	int i, r;

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	if (cg->version == 2)
		return write_at(cg->v2_dir, "cgroup.procs", buf);
	for (i = 0; i < SUP_CG_N; i++) {
		if (!cg->v1_dir[i][0])
			continue;
		r = write_at(cg->v1_dir[i], "cgroup.procs", buf);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Moving a task between cgroups takes a global lock whose writer first
 * waits for an RCU grace period when no move happened lately: milliseconds
 * of nothing, on the path of every run that must be moved (v1; v2 is born
 * in place with CLONE_INTO_CGROUP).  A throwaway child that joins the new
 * cgroup at once starts that wait while the supervisor builds the
 * sandbox; the real move then finds it (mostly) over.  Returns the child's
 * pid to reap, or -1.
 */
pid_t sup_cg_prewarm(const struct sup_cgroup *cg)
{
	pid_t pid;
	int i;

	if (cg->version != 1)
		return -1;
	pid = fork();
	if (pid != 0)
		return pid;
	for (i = 0; i < SUP_CG_N; i++)
		if (cg->v1_dir[i][0]) {
			write_at(cg->v1_dir[i], "cgroup.procs", "0");
			break;
		}
	_exit(0);
}

int sup_cg_open_v2(const struct sup_cgroup *cg)
{
	if (cg->version != 2)
		return -1;
	return open(cg->v2_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int64_t sup_cg_cpu_us(const struct sup_cgroup *cg)
{
	uint64_t v;

	if (cg->version == 2)
		return read_key(cg->v2_dir, "cpu.stat", "usage_usec", &v) == 0
			       ? (int64_t)v
			       : -1;
	if (cg->version == 1 && cg->v1_dir[SUP_CG_CPUACCT][0] &&
	    read_u64(cg->v1_dir[SUP_CG_CPUACCT], "cpuacct.usage", &v) == 0)
		return (int64_t)(v / 1000);
	return -1;
}

void sup_cg_read_stats(const struct sup_cgroup *cg, struct sup_cg_stats *st)
{
	uint64_t v;

	memset(st, 0, sizeof(*st));
	if (cg->version == 2) {
		const char *d = cg->v2_dir;

		if (read_key(d, "cpu.stat", "usage_usec", &st->cpu_total_us) ==
		    0) {
			st->have_cpu = 1;
			read_key(d, "cpu.stat", "user_usec", &st->cpu_user_us);
			read_key(d, "cpu.stat", "system_usec",
				 &st->cpu_system_us);
		}
		if (read_u64(d, "memory.peak", &st->peak_memory) == 0)
			st->have_peak = 1;
		read_key(d, "memory.events", "oom_kill", &st->oom_kills);
		read_key(d, "pids.events", "max", &st->pids_max_hits);
		return;
	}
	if (cg->version != 1)
		return;
	if (cg->v1_dir[SUP_CG_CPUACCT][0]) {
		const char *d = cg->v1_dir[SUP_CG_CPUACCT];

		if (read_u64(d, "cpuacct.usage", &v) == 0) {
			st->have_cpu = 1;
			st->cpu_total_us = v / 1000;
			if (read_u64(d, "cpuacct.usage_user", &v) == 0)
				st->cpu_user_us = v / 1000;
			if (read_u64(d, "cpuacct.usage_sys", &v) == 0)
				st->cpu_system_us = v / 1000;
		}
	}
	if (cg->v1_dir[SUP_CG_MEMORY][0]) {
		const char *d = cg->v1_dir[SUP_CG_MEMORY];

		if (read_u64(d, "memory.max_usage_in_bytes",
			     &st->peak_memory) == 0)
			st->have_peak = 1;
		read_key(d, "memory.oom_control", "oom_kill", &st->oom_kills);
	}
	if (cg->v1_dir[SUP_CG_PIDS][0])
		read_key(cg->v1_dir[SUP_CG_PIDS], "pids.events", "max",
			 &st->pids_max_hits);
}

static void kill_procs(const char *dir)
{
	char buf[8192], *p, *end;

	if (read_at(dir, "cgroup.procs", buf, sizeof(buf)) < 0)
		return;
	for (p = buf; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0)
			kill((pid_t)pid, SIGKILL);
		while (*end == '\n')
			end++;
	}
}

/* A cgroup can be removed once its last task is gone; tasks killed a
 * moment ago may still be exiting. */
static void remove_dir(char *dir)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	int i;

	if (!dir[0])
		return;
	for (i = 0; i < 500; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			break;
		if (errno != EBUSY)
			break;
		kill_procs(dir);
		nanosleep(&ts, NULL);
	}
	dir[0] = '\0';
}

void sup_cg_destroy(struct sup_cgroup *cg)
{
	int i;

	/* The sandbox's PID namespace is gone by now, so the cgroup is
	 * normally empty: rmdir first, and kill only what remove_dir() finds
	 * (reading a v1 cgroup.procs is not free). */
	if (cg->version == 2) {
		if (rmdir(cg->v2_dir) < 0 && errno == EBUSY &&
		    write_at(cg->v2_dir, "cgroup.kill", "1") < 0)
			kill_procs(cg->v2_dir);
		remove_dir(cg->v2_dir);
	}
	for (i = 0; i < SUP_CG_N; i++)
		remove_dir(cg->v1_dir[i]);
	cg->version = 0;
}

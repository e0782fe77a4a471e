/* mounts.c - build the sandbox's root: a tmpfs with read-only binds of the
 * system, a fresh /proc, a minimal /dev, /tmp, a home and the workspace;
 * then pivot_root into it and detach the host's root. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "layout.h"
#include "sup.h"
#include "trusted.h"

struct sbx_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

/* A bind source, opened before the root tmpfs covers anything: a detached
 * recursive clone (new mount API) or an O_PATH fd (older kernels). */
struct source {
	int fd;
	int is_dir;
	int rw;
	int tree; /* fd is a detached clone */
	int preset; /* the supervisor set its attributes (idmap.c) */
	int inside; /* no fd: the sandbox's own view at dst (plan_inside) */
};

/* Everything bound from the host, in the order it is attached. */
struct planned_bind {
	const char *src;
	const char *dst;
	enum sbx_step step;
	int index; /* idmap.c's numbering; -1 for the system */
	struct source source;
};

/* ... and the trusted paths of writable binds, bound read-only over
 * themselves (plan_trusted()). */
#define MAX_TRUSTED SBX_TRUST_WALK_BINDS
#define MAX_PLANNED (SBX_MAX_SYSTEM_PATHS + 1 + 256 + MAX_TRUSTED)

struct root_ctx {
	const struct sup_config *cfg;
	int report;
	int rootfd;
	int new_api; /* open_tree/mount_setattr available */
	struct planned_bind planned[MAX_PLANNED];
	size_t n_planned;
	unsigned n_trusted; /* of them, plan_trusted()'s */
	int lower_fd;   /* the host workspace, under a copy-on-write layer */
	int lower_tree; /* lower_fd is a detached idmapped tree (idmap.c) */
	int upper_fd;   /* where the sandbox's changes to it go */
};

int sup_openat2(int dfd, const char *path, int flags, uint64_t resolve)
{
	struct sbx_open_how how = {
		.flags = (uint64_t)flags,
		.resolve = resolve,
	};

	return (int)syscall(SYS_openat2, dfd, path, &how, sizeof(how));
}

/* path in the new root, as if it were "/" */
static int sys_openat2(int dfd, const char *path, int flags)
{
	return sup_openat2(dfd, path, flags,
			   SUP_RESOLVE_IN_ROOT | SUP_RESOLVE_NO_MAGICLINKS);
}

/* Flags of the source mount that an unprivileged remount must keep. */
static unsigned long locked_flags(const char *src)
{
	struct statvfs sv;
	unsigned long f = 0;

	if (statvfs(src, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	return f;
}

static int open_source(struct root_ctx *rc, const char *src, int rw,
		       struct source *ret)
{
	struct stat st;

	if (stat(src, &st) < 0)
		return -errno;
	ret->is_dir = S_ISDIR(st.st_mode);
	ret->rw = rw;
	if (rc->new_api) {
		ret->fd = (int)syscall(SYS_open_tree, AT_FDCWD, src,
				       OPEN_TREE_CLONE | O_CLOEXEC |
					       AT_RECURSIVE);
		if (ret->fd >= 0) {
			ret->tree = 1;
			return 0;
		}
		if (errno != ENOSYS)
			return -errno;
		rc->new_api = 0;
	}
	ret->tree = 0;
	ret->fd = open(src, O_PATH | O_CLOEXEC);
	return ret->fd < 0 ? -errno : 0;
}

/* Attach a source onto the target fd: recursive, nosuid, nodev, and
 * read-only unless rw (submounts too). */
static int attach_source(const struct source *s, int target)
{
	char from[64], to[64];

	if (s->tree && s->preset) {
		if (syscall(SYS_move_mount, s->fd, "", target, "",
			    MOVE_MOUNT_F_EMPTY_PATH |
				    MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return -errno;
		return 0;
	}
	if (s->tree) {
		struct sup_mount_attr a = {
			.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				    (s->rw ? 0 : MOUNT_ATTR_RDONLY),
		};

		if (syscall(SYS_mount_setattr, s->fd, "",
			    AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0 ||
		    syscall(SYS_move_mount, s->fd, "", target, "",
			    MOVE_MOUNT_F_EMPTY_PATH |
				    MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return -errno;
		return 0;
	}
	/* Kernels before 5.12: a non-recursive bind, so no submount can stay
	 * writable; then remount with the source's locked flags kept. */
	snprintf(from, sizeof(from), "/proc/self/fd/%d", s->fd);
	snprintf(to, sizeof(to), "/proc/self/fd/%d", target);
	if (mount(from, to, NULL, MS_BIND, NULL) < 0)
		return -errno;
	if (mount(NULL, to, NULL,
		  MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV |
			  (s->rw ? 0 : MS_RDONLY) | locked_flags(from),
		  NULL) < 0)
		return -errno;
	return 0;
}

/* Open (creating if needed) a mount target inside the new root, resolving
 * symlinks as if the new root were "/", so no bind can land on the host. */
static int open_target(struct root_ctx *rc, const char *dst, int is_dir,
		       int *ret_fd)
{
	char prefix[PATH_MAX];
	const char *rel = dst;
	size_t i, n;
	int fd;

	while (*rel == '/')
		rel++;
	if (!*rel)
		return -EINVAL;
	fd = sys_openat2(rc->rootfd, rel, O_PATH | O_CLOEXEC);
	if (fd >= 0) {
		*ret_fd = fd;
		return 0;
	}
	if (errno != ENOENT)
		return -errno;
	n = strlen(rel);
	if (n >= sizeof(prefix))
		return -ENAMETOOLONG;
	/* Create each missing component, the last one as a file when the
	 * source is a file. */
	for (i = 0; i <= n; i++) {
		int parent, last = i == n;
		const char *slash;

		if (!last && rel[i] != '/')
			continue;
		memcpy(prefix, rel, i);
		prefix[i] = '\0';
		fd = sys_openat2(rc->rootfd, prefix, O_PATH | O_CLOEXEC);
		if (fd >= 0) {
			if (last)
				break;
			close(fd);
			continue;
		}
		if (errno != ENOENT)
			return -errno;
		slash = strrchr(prefix, '/');
		if (slash) {
			char dir[PATH_MAX];

			memcpy(dir, prefix, (size_t)(slash - prefix));
			dir[slash - prefix] = '\0';
			parent = sys_openat2(rc->rootfd, dir,
					     O_PATH | O_DIRECTORY | O_CLOEXEC);
		} else {
			parent = fcntl(rc->rootfd, F_DUPFD_CLOEXEC, 3);
		}
		if (parent < 0)
			return -errno;
		if (!last || is_dir)
			fd = mkdirat(parent, slash ? slash + 1 : prefix, 0755);
		else
			fd = openat(parent, slash ? slash + 1 : prefix,
				    O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW |
					    O_CLOEXEC,
				    0644);
		if (fd < 0 && errno != EEXIST) {
			int e = errno;

			close(parent);
			return -e;
		}
		if (fd > 0 && !(!last || is_dir))
			close(fd);
		close(parent);
		if (last) {
			fd = sys_openat2(rc->rootfd, prefix,
					 O_PATH | O_CLOEXEC);
			if (fd < 0)
				return -errno;
			break;
		}
	}
	*ret_fd = fd;
	return 0;
}

static void plan_bind(struct root_ctx *rc, enum sbx_step step, int index,
		      const char *src, const char *dst, int rw, int optional)
{
	struct planned_bind *b;
	int r;

	if (rc->n_planned >= MAX_PLANNED)
		child_fail(rc->report, step, E2BIG, "too many binds");
	b = &rc->planned[rc->n_planned];
	memset(&b->source, 0, sizeof(b->source));
	r = open_source(rc, src, rw, &b->source);
	if (r == -ENOENT && optional)
		return;
	if (r < 0)
		child_fail(rc->report, step, -r, "cannot bind %s at %s: %s", src,
			   dst, strerror(-r));
	b->src = src;
	b->dst = dst;
	b->step = step;
	b->index = index;
	rc->n_planned++;
}

static int attach_inside(struct root_ctx *rc, const char *dst, int target);

static void attach_binds(struct root_ctx *rc)
{
	size_t i;

	for (i = 0; i < rc->n_planned; i++) {
		struct planned_bind *b = &rc->planned[i];
		int target, r;

		if (b->source.inside) {
			/* what the sandbox does not see (a submount a
			 * non-recursive bind left out) needs no cover, and
			 * making a mount point would write to the host */
			const char *rel = b->dst;

			while (*rel == '/')
				rel++;
			target = sys_openat2(rc->rootfd, rel,
					     O_PATH | O_CLOEXEC);
			if (target < 0 && errno == ENOENT)
				continue;
			r = target < 0 ? -errno : 0;
		} else {
			r = open_target(rc, b->dst, b->source.is_dir, &target);
		}
		if (r == -EROFS || r == -EACCES || r == -EPERM)
			child_fail(rc->report, b->step, -r,
				   "cannot create the mount point %s inside "
				   "the sandbox: it lies in a read-only part; "
				   "bind to a path that exists or is outside "
				   "the system directories",
				   b->dst);
		if (r < 0)
			child_fail(rc->report, b->step, -r,
				   "cannot create the mount point %s: %s",
				   b->dst, strerror(-r));
		r = b->source.inside ? attach_inside(rc, b->dst, target)
				     : attach_source(&b->source, target);
		close(target);
		if (b->source.fd >= 0)
			close(b->source.fd);
		if (r < 0)
			child_fail(rc->report, b->step, -r,
				   "cannot bind %s at %s: %s", b->src, b->dst,
				   strerror(-r));
	}
}

static void plan_system(struct root_ctx *rc)
{
	struct stat st;
	size_t i;

	for (i = 0; i < sbx_n_system_paths; i++)
		if (lstat(sbx_system_paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			plan_bind(rc, SBX_STEP_MOUNT, -1, sbx_system_paths[i],
				  sbx_system_paths[i], 0, 1);
}

/* Merged /usr: /bin -> usr/bin and the like are recreated as they are. */
static void make_system_links(struct root_ctx *rc)
{
	char link[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < sbx_n_system_paths; i++) {
		const char *p = sbx_system_paths[i];
		ssize_t n;

		if (lstat(p, &st) < 0 || !S_ISLNK(st.st_mode))
			continue;
		n = readlink(p, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (symlinkat(link, rc->rootfd, p + 1) < 0)
			child_fail(rc->report, SBX_STEP_MOUNT, errno,
				   "cannot create the symlink %s: %s", p,
				   strerror(errno));
	}
}

static void mount_proc(struct root_ctx *rc, const struct sup_plan *plan)
{
	int fd;

	if (mkdirat(rc->rootfd, "proc", 0555) < 0)
		child_fail(rc->report, SBX_STEP_PROC, errno, "mkdir /proc: %s",
			   strerror(errno));
	if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		child_fail(rc->report, SBX_STEP_PROC, errno,
			   "cannot mount /proc for the sandbox's PID "
			   "namespace: %s (a container that masks parts of "
			   "/proc forbids new proc mounts; see sbx doctor)",
			   strerror(errno));
	/* The namespaces' own limits go in while it is writable... */
	fd = openat(rc->rootfd, "proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		child_fail(rc->report, SBX_STEP_PROC, errno, "open /proc: %s",
			   strerror(errno));
	sandbox_budgets(rc->cfg, plan, fd, rc->report);
	close(fd);
	/* ...then read-only: no sysctl, sysrq-trigger or /proc/self/attr
	 * writes, whatever ids the sandbox maps to. */
	if (mount(NULL, "proc", NULL,
		  MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC |
			  MS_RDONLY,
		  NULL) < 0)
		child_fail(rc->report, SBX_STEP_PROC, errno,
			   "cannot make /proc read-only: %s", strerror(errno));
}

/* What a directory of /dev holds (layout.c's sbx_dev_dirs). */
static void mount_dev_dir(struct root_ctx *rc, const struct sbx_dev_dir *d,
			  uint64_t ptys, char *opts, size_t len)
{
	char at[32];

	snprintf(at, sizeof(at), "dev/%s", d->name);
	switch (d->kind) {
	case SBX_DEV_DIR_PTS:
		/* An instance of its own, with a maximum: ptys come from
		 * one pool for all instances but the host's (kernel.pty.max
		 * less kernel.pty.reserve), which other sandboxes and
		 * containers share. */
		snprintf(opts, len, "newinstance,ptmxmode=0666,mode=0620");
		if (ptys)
			snprintf(opts + strlen(opts), len - strlen(opts),
				 ",max=%llu", (unsigned long long)ptys);
		if (mount("devpts", at, "devpts", MS_NOSUID | MS_NOEXEC,
			  opts) < 0)
			child_fail(rc->report, SBX_STEP_DEV, errno,
				   "cannot mount /%s: %s", at, strerror(errno));
		break;
	case SBX_DEV_DIR_MQUEUE:
		/* POSIX message queues: the IPC namespace's own file
		 * system.  mq_open() reaches it without a path, but Landlock
		 * allows a file only below a rule, and its rule is on this
		 * directory (the same inode the queues live under).  Their
		 * bytes are RLIMIT_MSGQUEUE's and their number
		 * fs.mqueue.queues_max's (budgets.c). */
		if (mount("mqueue", at, "mqueue",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			child_fail(rc->report, SBX_STEP_DEV, errno,
				   "cannot mount /%s: %s", at, strerror(errno));
		break;
	case SBX_DEV_DIR_SHM:
		break; /* on the root tmpfs */
	}
}

static void mount_dev(struct root_ctx *rc, const struct sup_plan *plan)
{
	uint64_t ptys = rc->cfg->limits[SBX_LIMIT_PTYS];
	char src[32], dst[32], opts[96];
	size_t i;

	if (mkdirat(rc->rootfd, "dev", 0755) < 0)
		child_fail(rc->report, SBX_STEP_DEV, errno, "mkdir /dev: %s",
			   strerror(errno));
	for (i = 0; i < sbx_n_dev_dirs; i++) {
		const struct sbx_dev_dir *d = &sbx_dev_dirs[i];

		snprintf(dst, sizeof(dst), "dev/%s", d->name);
		if (mkdirat(rc->rootfd, dst, d->mode & 0777) < 0 ||
		    fchmodat(rc->rootfd, dst, d->mode, 0) < 0)
			child_fail(rc->report, SBX_STEP_DEV, errno,
				   "mkdir /%s: %s", dst, strerror(errno));
	}
	for (i = 0; i < sbx_n_dev_nodes; i++) {
		int fd;

		snprintf(src, sizeof(src), "/dev/%s", sbx_dev_nodes[i]);
		snprintf(dst, sizeof(dst), "dev/%s", sbx_dev_nodes[i]);
		/* A shared mapping of /dev/zero is shared memory the memory
		 * watch cannot see once shrunk (memwatch.c); /dev/full reads
		 * the same zeros and cannot be mapped. */
		if (plan->mem_watch && strcmp(sbx_dev_nodes[i], "zero") == 0)
			snprintf(src, sizeof(src), "/dev/full");
		fd = openat(rc->rootfd, dst,
			    O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0)
			child_fail(rc->report, SBX_STEP_DEV, errno,
				   "create /%s: %s", dst, strerror(errno));
		close(fd);
		/* Read-only: reads and writes of the device still work, but
		 * its mode, owner and times cannot change (EROFS), whoever
		 * the sandbox's ids are. */
		if (mount(src, dst, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, dst, NULL,
			  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
				  MS_NOEXEC | locked_flags(src),
			  NULL) < 0)
			child_fail(rc->report, SBX_STEP_DEV, errno,
				   "cannot bind %s read-only: %s", src,
				   strerror(errno));
	}
	for (i = 0; i < sbx_n_dev_dirs; i++)
		mount_dev_dir(rc, &sbx_dev_dirs[i], ptys, opts, sizeof(opts));
	for (i = 0; i < sbx_n_dev_links; i++) {
		snprintf(dst, sizeof(dst), "dev/%s", sbx_dev_links[i].name);
		if (symlinkat(sbx_dev_links[i].target, rc->rootfd, dst) < 0)
			child_fail(rc->report, SBX_STEP_DEV, errno,
				   "symlink /%s: %s", dst, strerror(errno));
	}
}

/* A read-only bind of what the sandbox sees at dst over itself, made
 * when the binds are attached: the entry comes from the bind it is in (a
 * root caller's idmapped one too, so its owners look as in the rest of
 * it).  src names it in messages; absent, it is skipped. */
static void plan_inside(struct root_ctx *rc, enum sbx_step step,
			const char *src, const char *dst)
{
	struct planned_bind *b;
	struct stat st;

	if (lstat(src, &st) < 0)
		return;
	if (rc->n_planned >= MAX_PLANNED)
		child_fail(rc->report, step, E2BIG, "too many binds");
	b = &rc->planned[rc->n_planned++];
	memset(b, 0, sizeof(*b));
	b->src = src;
	b->dst = dst;
	b->step = step;
	b->index = -1;
	b->source.fd = -1;
	b->source.is_dir = S_ISDIR(st.st_mode);
	b->source.inside = 1;
}

/* Bind the mount point target's own contents over it, read-only.  With
 * mount(2), not open_tree(): a clone makes an anonymous mount namespace,
 * and by now the sandbox's user namespace may allow none (budgets.c).
 * Not recursive, so nothing below can stay writable. */
static int attach_inside(struct root_ctx *rc, const char *dst, int target)
{
	char path[64];
	int top, r = 0;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", target);
	if (mount(path, path, NULL, MS_BIND, NULL) < 0)
		return -errno;
	/* target is what lies under the new mount: open the mount */
	while (*dst == '/')
		dst++;
	top = sys_openat2(rc->rootfd, dst, O_PATH | O_CLOEXEC);
	if (top < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", top);
	if (mount(NULL, path, NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV |
			  locked_flags(path),
		  NULL) < 0)
		r = -errno;
	close(top);
	return r;
}

struct trusted_plan {
	struct root_ctx *rc;
	enum sbx_step step;
	const char *src;
	const char *dst;
};

static void plan_one_trusted(void *arg, const char *rel)
{
	struct trusted_plan *t = arg;
	char *src, *dst;

	if (asprintf(&src, "%s/%s", t->src, rel) < 0 ||
	    asprintf(&dst, "%s/%s", t->dst, rel) < 0)
		child_fail(t->rc->report, t->step, ENOMEM, "out of memory");
	/* strings live until exec: the plan keeps pointers to them */
	plan_inside(t->rc, t->step, src, dst);
	t->rc->n_trusted++;
}

/*
 * A live writable directory (--rw-live, a writable --bind): what the host
 * runs or trusts (trusted.h) stays read-only, each one, at any depth,
 * bound read-only over itself after the writable bind: .git whole (a new
 * commondir or config.worktree in it would do what config does), .envrc,
 * .vscode, .github, a nested repository's .git, the config and hooks of
 * a bare repository, the hooks directories.  Writes get EROFS, deleting
 * or renaming them EBUSY.  What a bind cannot do: keep the program from
 * creating one that does not exist yet (a new .envrc, a nested sub/.git,
 * a HEAD that makes a directory holding a config a git directory, a hooks
 * directory made anew after its parent was moved away), or from replacing
 * a trusted name that is a symlink; the copy-on-write workspace (--rw)
 * withholds those too.  A directory that is itself a trusted place (a git
 * directory, ~/.ssh, a .vscode) is refused: nothing in it could stay
 * writable; so is one the walk cannot finish (trusted.c's limits).
 */
static void plan_trusted(struct root_ctx *rc, enum sbx_step step,
			 const char *src, const char *dst)
{
	struct trusted_plan t = { rc, step, src, dst };
	struct sbx_trust_walk w = { .max_found = MAX_TRUSTED - rc->n_trusted };
	struct stat st;
	unsigned ctx;
	enum sbx_trust v;
	char msg[PATH_MAX * 2 + 512];
	int fd, r;

	if (sup_flag(rc->cfg, SBX_FLAG_ALLOW_TRUSTED_PATHS))
		return;
	/* a file too: --bind ~/.bashrc, --bind .git/config */
	v = sbx_trust_host_path(src, &ctx);
	if (v != SBX_TRUST_CONTENT || (ctx & SBX_TRUST_GITDIR))
		child_fail(rc->report, step, EPERM,
			   "%s is %s: bound writable, the program could change "
			   "what git or other tools run on the host; bind it "
			   "read-only, use a copy-on-write workspace (--rw), "
			   "or allow it with allow_trusted_paths "
			   "(--allow-trusted-paths)",
			   src,
			   ctx & SBX_TRUST_GITDIR
				   ? "a git directory"
				   : "a place the host runs or trusts (.git, "
				     ".ssh, .vscode, ...)");
	if (stat(src, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	fd = open(src, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return; /* plan_bind() of the directory itself says why */
	r = sbx_trust_scan(fd, src, ctx, &w, plan_one_trusted, &t);
	close(fd);
	if (r == -E2BIG) {
		sbx_trust_walk_message(&w, src, msg, sizeof(msg));
		child_fail(rc->report, step, E2BIG, "%s", msg);
	}
	if (r < 0)
		child_fail(rc->report, step, -r,
			   "cannot find what the host runs or trusts in %s: %s",
			   src, strerror(-r));
}

static void plan_workspace_and_binds(struct root_ctx *rc)
{
	const struct sup_config *cfg = rc->cfg;
	size_t i;

	if (cfg->workspace && cfg->workspace_mode != SBX_WORKSPACE_RW)
		plan_bind(rc, SBX_STEP_WORKSPACE, 0, cfg->workspace,
			  "/workspace",
			  cfg->workspace_mode == SBX_WORKSPACE_RW_LIVE, 0);
	if (cfg->workspace && cfg->workspace_mode == SBX_WORKSPACE_RW_LIVE)
		plan_trusted(rc, SBX_STEP_WORKSPACE, cfg->workspace,
			     "/workspace");
	if (cfg->workspace && cfg->workspace_mode == SBX_WORKSPACE_RW) {
		rc->lower_fd = open(cfg->workspace,
				    O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rc->lower_fd < 0)
			child_fail(rc->report, SBX_STEP_WORKSPACE, errno,
				   "cannot open the workspace %s: %s",
				   cfg->workspace, strerror(errno));
	}
	for (i = 0; i < cfg->n_binds; i++) {
		size_t before = rc->n_planned;

		plan_bind(rc, SBX_STEP_BIND, (int)i + 1, cfg->binds[i].src,
			  cfg->binds[i].dst,
			  !!(cfg->binds[i].flags & SBX_BIND_RW),
			  !!(cfg->binds[i].flags & SBX_BIND_TRY));
		if ((cfg->binds[i].flags & SBX_BIND_RW) &&
		    rc->n_planned > before)
			plan_trusted(rc, SBX_STEP_BIND, cfg->binds[i].src,
				     cfg->binds[i].dst);
	}
}

/*
 * A writable workspace is copy-on-write: overlayfs with the host directory
 * as its lower layer and the upper on the root tmpfs, so every byte the
 * sandbox writes there counts against the disk budget (and the memory
 * cgroup).  The supervisor applies the upper layer to the host when the
 * run ends (apply.c).  Directory renames stay copies (redirect_dir=nofollow) so
 * the upper layer alone says what changed.
 */
static void mount_overlay_workspace(struct root_ctx *rc)
{
	char opts[256];
	struct stat st;
	int fd;

	if (rc->lower_fd < 0)
		return;
	/* overlayfs shows its root with the upper directory's mode: give it
	 * the workspace's own */
	if (fstat(rc->lower_fd, &st) < 0)
		st.st_mode = 0755;
	if (mkdirat(rc->rootfd, ".sandbox", 0700) < 0 ||
	    mkdirat(rc->rootfd, ".sandbox/lower", 0700) < 0 ||
	    mkdirat(rc->rootfd, ".sandbox/upper", 0755) < 0 ||
	    fchmodat(rc->rootfd, ".sandbox/upper", st.st_mode & 07777, 0) < 0 ||
	    mkdirat(rc->rootfd, ".sandbox/work", 0700) < 0 ||
	    mkdirat(rc->rootfd, "workspace", 0755) < 0)
		child_fail(rc->report, SBX_STEP_WORKSPACE, errno,
			   "cannot prepare the workspace's layers: %s",
			   strerror(errno));
	/* overlayfs takes a lower layer by path: an idmapped tree is
	 * attached (below .sandbox, hidden with it) to have one */
	if (rc->lower_tree) {
		int at = openat(rc->rootfd, ".sandbox/lower",
				O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (at < 0 ||
		    syscall(SYS_move_mount, rc->lower_fd, "", at, "",
			    MOVE_MOUNT_F_EMPTY_PATH |
				    MOVE_MOUNT_T_EMPTY_PATH) < 0)
			child_fail(rc->report, SBX_STEP_WORKSPACE, errno,
				   "cannot attach the idmapped workspace "
				   "%s: %s",
				   rc->cfg->workspace, strerror(errno));
		close(rc->lower_fd);
		close(at);
		/* the path again: at is the directory under the mount */
		rc->lower_fd = openat(rc->rootfd, ".sandbox/lower",
				      O_PATH | O_DIRECTORY | O_NOFOLLOW |
					      O_CLOEXEC);
		if (rc->lower_fd < 0)
			child_fail(rc->report, SBX_STEP_WORKSPACE, errno,
				   "cannot open the idmapped workspace: %s",
				   strerror(errno));
	}
	snprintf(opts, sizeof(opts),
		 "lowerdir=/proc/self/fd/%d,upperdir=/proc/self/fd/%d/"
		 ".sandbox/upper,workdir=/proc/self/fd/%d/.sandbox/work,"
		 "userxattr,redirect_dir=nofollow",
		 rc->lower_fd, rc->rootfd, rc->rootfd);
	if (mount("overlay", "workspace", "overlay", MS_NOSUID | MS_NODEV,
		  opts) < 0)
		child_fail(rc->report, SBX_STEP_WORKSPACE, errno,
			   "cannot make the workspace %s copy-on-write "
			   "(overlayfs: %s); the file system may not support "
			   "it in a user namespace: use --rw-live for a "
			   "direct, unbudgeted bind",
			   rc->cfg->workspace, strerror(errno));
	close(rc->lower_fd);
	rc->lower_fd = -1;
	fd = openat(rc->rootfd, ".sandbox/upper",
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		child_fail(rc->report, SBX_STEP_WORKSPACE, errno,
			   "cannot open the workspace's upper layer: %s",
			   strerror(errno));
	rc->upper_fd = fd;
	/* The layers themselves stay out of the program's reach. */
	if (mount("tmpfs", ".sandbox", "tmpfs",
		  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,nr_inodes=1,mode=000") < 0)
		child_fail(rc->report, SBX_STEP_WORKSPACE, errno,
			   "cannot hide the workspace's layers: %s",
			   strerror(errno));
}

/* The supervisor keeps the root tmpfs (to see whether the disk budget ran
 * out) and the upper layer (to apply the changes) after the sandbox. */
static void send_fs_fds(struct root_ctx *rc)
{
	int fds[2] = { rc->rootfd, rc->upper_fd };
	int n = rc->upper_fd >= 0 ? 2 : 1, r;
	struct sup_report rep = { .kind = SUP_REPORT_FS, .err = n };

	r = sup_send_record(rc->report, &rep, fds, n);
	if (r < 0)
		child_fail(rc->report, SBX_STEP_MOUNT, -r,
			   "cannot hand the sandbox's file system to the "
			   "supervisor: %s",
			   strerror(-r));
	if (rc->upper_fd >= 0)
		close(rc->upper_fd);
	rc->upper_fd = -1;
}

/* Cover a file with the sandbox's /dev/null, read-only. */
static int mask_file(const char *rel)
{
	if (mount("dev/null", rel, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, rel, NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOEXEC |
			  locked_flags("dev/null"),
		  NULL) < 0)
		return -1;
	return 0;
}

/*
 * Hide what the host keeps from other users (the library's hostinfo.c
 * says which: what the sandbox's ids could read only as the caller's):
 * an empty read-only tmpfs over a directory, /dev/null over a file.  And
 * the host's kernel command line, which /proc shows every user.
 */
static void mount_masks(struct root_ctx *rc)
{
	const struct sup_config *cfg = rc->cfg;
	size_t i;

	for (i = 0; i < cfg->n_masks; i++) {
		const char *rel = cfg->masks[i] + 1;
		struct stat st;
		int r;

		if (fstatat(rc->rootfd, rel, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* not visible inside: nothing to hide */
		if (S_ISDIR(st.st_mode))
			r = mount("tmpfs", rel, "tmpfs",
				  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				  "size=4k,nr_inodes=1,mode=000");
		else
			r = mask_file(rel);
		if (r < 0)
			child_fail(rc->report, SBX_STEP_MOUNT, errno,
				   "cannot hide %s: %s", cfg->masks[i],
				   strerror(errno));
	}
	if (mask_file("proc/cmdline") < 0)
		child_fail(rc->report, SBX_STEP_PROC, errno,
			   "cannot hide /proc/cmdline: %s", strerror(errno));
}

static void make_dirs(struct root_ctx *rc)
{
	const struct sup_config *cfg = rc->cfg;
	const char *home = cfg->home;
	char rel[PATH_MAX];
	int fd;

	if (mkdirat(rc->rootfd, "tmp", 01777) < 0 ||
	    fchmodat(rc->rootfd, "tmp", 01777, 0) < 0)
		child_fail(rc->report, SBX_STEP_MOUNT, errno, "mkdir /tmp: %s",
			   strerror(errno));
	snprintf(rel, sizeof(rel), "%s", home);
	if (open_target(rc, rel, 1, &fd) < 0)
		child_fail(rc->report, SBX_STEP_MOUNT, errno,
			   "cannot create the home %s", home);
	close(fd);
}

static const char *pick_base(void)
{
	static const char *const bases[] = { "/tmp", "/mnt", "/run", "/var" };
	struct stat st;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(bases); i++)
		if (lstat(bases[i], &st) == 0 && S_ISDIR(st.st_mode))
			return bases[i];
	return NULL;
}

static struct root_ctx rc;

/*
 * Open everything the sandbox binds from the host, with the caller's own
 * access: before the sandbox switches to the ids its maps give it (a root
 * caller's sandbox is an id that owns nothing, which could not reach a
 * workspace below /root), and before the root tmpfs covers anything (a
 * workspace below /tmp must still be the host's).  The program, later,
 * sees only what these sources show, with its own ids.
 */
void sandbox_open_sources(const struct sup_config *cfg, int report)
{
	rc.cfg = cfg;
	rc.report = report;
	rc.new_api = 1;
	rc.lower_fd = rc.upper_fd = -1;
	/* Nothing done here may reach the host's mount table. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_fail(report, SBX_STEP_MOUNT, errno,
			   "cannot make / private: %s", strerror(errno));
	plan_system(&rc);
	plan_workspace_and_binds(&rc);
}

/* An idmapped tree from the supervisor replaces the sandbox's own
 * source: the bind, or the copy-on-write workspace's lower layer. */
void sandbox_use_tree(uint32_t index, int fd, int report)
{
	size_t i;

	if (index == 0 && rc.lower_fd >= 0) {
		close(rc.lower_fd);
		rc.lower_fd = fd;
		rc.lower_tree = 1;
		return;
	}
	for (i = 0; i < rc.n_planned; i++) {
		struct planned_bind *b = &rc.planned[i];

		if (b->index != (int)index)
			continue;
		close(b->source.fd);
		b->source.fd = fd;
		b->source.tree = 1;
		b->source.preset = 1;
		return;
	}
	child_fail(report, SBX_STEP_BIND, EPROTO,
		   "the supervisor sent a bind the sandbox did not plan (%u)",
		   index);
}

void sandbox_build_root(const struct sup_config *cfg,
			const struct sup_plan *plan, int report)
{
	uint64_t disk = cfg->limits[SBX_LIMIT_DISK];
	uint64_t inodes = disk / 16384;
	const char *base = pick_base();
	char opts[128];

	if (!base)
		child_fail(report, SBX_STEP_MOUNT, ENOENT,
			   "the host has none of /tmp, /mnt, /run, /var to "
			   "build the sandbox's root on");

	/* The root is one size-capped tmpfs: /tmp, the home, /dev/shm and
	 * the workspace's changes are on it, so they share the disk budget.
	 * Inodes cost kernel memory beyond size=, about 1 KiB each: one per
	 * 16 KiB of budget, taken out of the size, keeps the sum within the
	 * budget. */
	if (inodes < 1024)
		inodes = 1024;
	disk = disk > inodes * 1024 ? disk - inodes * 1024 : 0;
	if (disk < 4096)
		disk = 4096;
	snprintf(opts, sizeof(opts), "mode=0755,size=%llu,nr_inodes=%llu",
		 (unsigned long long)disk, (unsigned long long)inodes);
	if (mount("sandbox", base, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		child_fail(report, SBX_STEP_MOUNT, errno,
			   "cannot mount the sandbox's root tmpfs: %s",
			   strerror(errno));
	if (chdir(base) < 0)
		child_fail(report, SBX_STEP_MOUNT, errno, "chdir: %s",
			   strerror(errno));
	rc.rootfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rc.rootfd < 0)
		child_fail(report, SBX_STEP_MOUNT, errno, "open root: %s",
			   strerror(errno));

	make_dirs(&rc);
	make_system_links(&rc);
	attach_binds(&rc);
	mount_overlay_workspace(&rc);
	mount_proc(&rc, plan);
	sandbox_memwatch_fs(cfg, plan, rc.rootfd, report); /* memwatch.c */
	mount_dev(&rc, plan);
	mount_masks(&rc);
	send_fs_fds(&rc);

	/* Enter the new root and detach the host's: afterwards no path
	 * leads out. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		child_fail(report, SBX_STEP_PIVOT, errno, "pivot_root: %s",
			   strerror(errno));
	if (umount2(".", MNT_DETACH) < 0)
		child_fail(report, SBX_STEP_PIVOT, errno,
			   "cannot detach the host's root: %s",
			   strerror(errno));
	if (chdir("/") < 0)
		child_fail(report, SBX_STEP_PIVOT, errno, "chdir /: %s",
			   strerror(errno));
	close(rc.rootfd);
}

/* Nothing writable: /tmp, the home and /dev/shm live on the root tmpfs,
 * so one read-only remount of it covers them.  Needs CAP_SYS_ADMIN:
 * before the capabilities go. */
void sandbox_root_read_only(const struct sup_config *cfg, int report)
{
	if (sup_flag(cfg, SBX_FLAG_READ_ONLY) &&
	    mount(NULL, "/", NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
		  NULL) < 0)
		child_fail(report, SBX_STEP_MOUNT, errno,
			   "cannot make the sandbox's root read-only: %s",
			   strerror(errno));
}

/* landlock.c - Landlock (docs/design.md, "The layer order"): a second
 * wall around the filesystem when the namespaces work, and the only one
 * in a run without them.  Best effort across ABI 1 up to
 * SBX_LANDLOCK_ABI_KNOWN: the rules match the sandbox's view (read and
 * execute on the system directories and read-only binds, everything on
 * the writable areas); in a degraded run (no namespaces) whose network
 * is none, TCP bind and connect are denied (ABI 4), as an empty network
 * namespace would (a run with the host's network allows them, by the
 * caller's choice); abstract unix sockets and signals are scoped to the
 * sandbox (ABI 6).
 * The supervisor plans, the sandbox's init applies: after the
 * capabilities and no_new_privs, before seccomp. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "layers.h"
#include "layout.h"
#include "sup.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

/* The kernel's ABI, defined here: the installed headers may be older
 * than the running kernel. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;	     /* ABI 6 */
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#define LL_RULE_PATH_BENEATH 1

#define LL_FS_EXECUTE (1ull << 0)
#define LL_FS_WRITE_FILE (1ull << 1)
#define LL_FS_READ_FILE (1ull << 2)
#define LL_FS_READ_DIR (1ull << 3)
#define LL_FS_REFER (1ull << 13)     /* ABI 2 */
#define LL_FS_TRUNCATE (1ull << 14)  /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ull << 15) /* ABI 5 */
#define LL_NET_BIND_TCP (1ull << 0)
#define LL_NET_CONNECT_TCP (1ull << 1)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ull << 0)
#define LL_SCOPE_SIGNAL (1ull << 1)

/* Rights that a rule on a file (not a directory) may hold. */
#define LL_FILE_RIGHTS                                                         \
	(LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | \
	 LL_FS_IOCTL_DEV)
#define LL_RX (LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR)
#define LL_RO (LL_FS_READ_FILE | LL_FS_READ_DIR)
#define LL_DEV                                                 \
	(LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_READ_DIR | \
	 LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)
#define LL_ALL (~0ull)

static uint64_t fs_handled(int abi)
{
	uint64_t fs = (1ull << 13) - 1; /* ABI 1: execute .. make_sym */

	if (abi >= 2)
		fs |= LL_FS_REFER;
	if (abi >= 3)
		fs |= LL_FS_TRUNCATE;
	if (abi >= 5)
		fs |= LL_FS_IOCTL_DEV;
	return fs;
}

void sup_landlock_plan(const struct sup_config *cfg, struct sup_plan *plan)
{
	int abi = sbx_landlock_abi();

	plan->pol.landlock_abi = 0;
	plan->pol.landlock_parts = 0;
	if (abi <= 0)
		return; /* not built, disabled at boot, or forbidden */
	if (abi > SBX_LANDLOCK_ABI_KNOWN)
		abi = SBX_LANDLOCK_ABI_KNOWN;
	plan->pol.landlock_abi = abi;
	plan->pol.landlock_parts = SUP_LL_FS;
	/* With a network namespace TCP reaches only the sandbox's own lo,
	 * which programs and their tests use: the namespace is the wall.
	 * Without one, Landlock is. */
	if (abi >= 4 && plan->pol.degraded && cfg->net == SBX_NET_NONE)
		plan->pol.landlock_parts |= SUP_LL_TCP;
	if (abi >= 6)
		plan->pol.landlock_parts |= SUP_LL_SCOPE;
}

struct ruleset {
	int fd;
	uint64_t handled;
	int report;
};

static void add_fd_rule(struct ruleset *rs, int fd, const char *what,
			uint64_t access)
{
	struct ll_path_beneath pb;
	struct stat st;

	if (fstat(fd, &st) < 0)
		child_fail(rs->report, SBX_STEP_LANDLOCK, errno, "stat %s: %s",
			   what, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		access &= LL_FILE_RIGHTS;
	access &= rs->handled;
	if (!access)
		return;
	pb.allowed_access = access;
	pb.parent_fd = fd;
	if (syscall(SYS_landlock_add_rule, rs->fd, LL_RULE_PATH_BENEATH, &pb,
		    0) < 0)
		child_fail(rs->report, SBX_STEP_LANDLOCK, errno,
			   "cannot add the Landlock rule for %s: %s", what,
			   strerror(errno));
}

/* A path that is not there needs no rule. */
static void allow(struct ruleset *rs, const char *path, uint64_t access)
{
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == EACCES)
			return;
		child_fail(rs->report, SBX_STEP_LANDLOCK, errno,
			   "cannot open %s for a Landlock rule: %s", path,
			   strerror(errno));
	}
	add_fd_rule(rs, fd, path, access);
	close(fd);
}

/* A program may reopen its own stdio through /proc/self/fd (as
 * `echo >/dev/stderr` does): allow that, in the mode the caller opened it
 * (a file given as stdin stays read-only).  Pipes and sockets are not
 * paths and need nothing. */
static void allow_stdio(struct ruleset *rs)
{
	char what[32];
	struct stat st;
	int fd;

	for (fd = 0; fd < 3; fd++) {
		int fl = fcntl(fd, F_GETFL);
		uint64_t access = 0;

		if (fl < 0 || fstat(fd, &st) < 0 ||
		    !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
			continue;
		if ((fl & O_ACCMODE) != O_WRONLY)
			access |= LL_FS_READ_FILE;
		if ((fl & O_ACCMODE) != O_RDONLY)
			access |= LL_FS_WRITE_FILE | LL_FS_TRUNCATE;
		if (S_ISCHR(st.st_mode))
			access |= LL_FS_IOCTL_DEV;
		snprintf(what, sizeof(what), "stream %d", fd);
		add_fd_rule(rs, fd, what, access);
	}
}

static int has_flag(const struct sup_config *cfg, int flag)
{
	return (cfg->flags >> flag) & 1;
}

/* Inside the new root (after pivot_root): the sandbox's own paths. */
static void rules_namespaced(struct ruleset *rs, const struct sup_config *cfg)
{
	uint64_t w = has_flag(cfg, SBX_FLAG_READ_ONLY) ? LL_RX : LL_ALL;
	size_t i;

	allow(rs, "/", LL_FS_READ_DIR);
	for (i = 0; i < sbx_n_system_paths; i++)
		allow(rs, sbx_system_paths[i], LL_RX);
	if (cfg->workspace)
		allow(rs, SBX_WORKSPACE_INSIDE,
		      cfg->workspace_mode == SBX_WORKSPACE_RO ? LL_RX : LL_ALL);
	for (i = 0; i < cfg->n_binds; i++)
		allow(rs, cfg->binds[i].dst,
		      cfg->binds[i].flags & SBX_BIND_RW ? LL_ALL : LL_RX);
	allow(rs, "/tmp", w);
	allow(rs, cfg->home, w);
	allow(rs, "/dev", LL_DEV);
	for (i = 0; i < sbx_n_dev_dirs; i++) {
		char dir[32];

		if (!sbx_dev_dirs[i].read_only_flag)
			continue; /* /dev's rule: devices, ptys */
		snprintf(dir, sizeof(dir), "/dev/%s", sbx_dev_dirs[i].name);
		allow(rs, dir, w);
	}
	allow(rs, "/proc", LL_RO);
	/* memfds, in a tmpfs of their own without a path (memwatch.c) */
	if (sandbox_memwatch_memfs() >= 0)
		add_fd_rule(rs, sandbox_memwatch_memfs(), "the memfds",
			    LL_FS_READ_FILE | LL_FS_WRITE_FILE |
				    LL_FS_EXECUTE | LL_FS_TRUNCATE);
}

/* Without a mount namespace: the host's paths, and nothing of / but the
 * system directories, the workspace, the binds and the run's own
 * directory. */
/* Is path, or something below it, to be hidden (the library's /etc
 * masks, sent for a sandbox whose ids are the caller's)?  2: path
 * itself; 1: something below; 0: nothing. */
static int masked(const struct sup_config *cfg, const char *path)
{
	size_t i, n = strlen(path);
	int below = 0;

	for (i = 0; i < cfg->n_masks; i++) {
		const char *m = cfg->masks[i];

		if (strcmp(m, path) == 0)
			return 2;
		if (strncmp(m, path, n) == 0 && m[n] == '/')
			below = 1;
	}
	return below;
}

/*
 * Without a mount namespace nothing can be covered: a hidden entry is
 * left out of the rules instead.  A directory with something hidden below
 * it may be listed (its names are not secret), and each of its other
 * entries gets the access on its own; the hidden ones get none.
 */
static void allow_except_masks(struct ruleset *rs, const struct sup_config *cfg,
			       const char *path, uint64_t access, int depth)
{
	struct dirent *de;
	DIR *d;
	int m = masked(cfg, path);

	if (m == 2)
		return;
	if (m == 0 || depth > 16) {
		if (m == 0)
			allow(rs, path, access);
		return; /* too deep to split: nothing (fail closed) */
	}
	allow(rs, path, LL_FS_READ_DIR);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char child[4096];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(child, sizeof(child), "%s/%s", path,
				     de->d_name) >= sizeof(child))
			continue;
		allow_except_masks(rs, cfg, child, access, depth + 1);
	}
	closedir(d);
}

static void rules_degraded(struct ruleset *rs, const struct sup_config *cfg,
			   const struct sup_plan *plan)
{
	uint64_t w = has_flag(cfg, SBX_FLAG_READ_ONLY) ? LL_RX : LL_ALL;
	char dev[32];
	size_t i;

	for (i = 0; i < sbx_n_system_paths; i++)
		allow_except_masks(rs, cfg, sbx_system_paths[i], LL_RX, 0);
	if (cfg->workspace)
		allow(rs, cfg->workspace,
		      cfg->workspace_mode == SBX_WORKSPACE_RO ? LL_RX : LL_ALL);
	for (i = 0; i < cfg->n_binds; i++)
		allow(rs, cfg->binds[i].src,
		      cfg->binds[i].flags & SBX_BIND_RW ? LL_ALL : LL_RX);
	allow(rs, plan->pol.tmpdir, w);
	for (i = 0; i < sbx_n_dev_nodes; i++) {
		snprintf(dev, sizeof(dev), "/dev/%s", sbx_dev_nodes[i]);
		allow(rs, dev, LL_DEV);
	}
	/* The host's processes are visible (no PID namespace); Landlock's
	 * ptrace rules keep their memory, environment and fds out. */
	allow(rs, "/proc", LL_RO);
}

void sandbox_landlock(const struct sup_config *cfg,
		      const struct sup_plan *plan, int report)
{
	struct ll_ruleset_attr attr = { 0 };
	struct ruleset rs = { .report = report };
	int abi = plan->pol.landlock_abi;
	size_t size;

	if (!abi)
		return;
	attr.handled_access_fs = fs_handled(abi);
	if (plan->pol.landlock_parts & SUP_LL_TCP)
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
	if (plan->pol.landlock_parts & SUP_LL_SCOPE)
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
	/* Older kernels take only the fields they know. */
	size = abi >= 6 ? sizeof(attr)
	       : abi >= 4
		       ? offsetof(struct ll_ruleset_attr, scoped)
		       : offsetof(struct ll_ruleset_attr, handled_access_net);
	rs.handled = attr.handled_access_fs;
	rs.fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (rs.fd < 0)
		child_fail(report, SBX_STEP_LANDLOCK, errno,
			   "cannot create the Landlock ruleset (ABI %d): %s",
			   abi, strerror(errno));
	if (plan->pol.degraded)
		rules_degraded(&rs, cfg, plan);
	else
		rules_namespaced(&rs, cfg);
	allow_stdio(&rs);
	/* no_new_privs is set (drop_privileges or the degraded drop). */
	if (syscall(SYS_landlock_restrict_self, rs.fd, 0) < 0)
		child_fail(report, SBX_STEP_LANDLOCK, errno,
			   "cannot enforce the Landlock ruleset: %s",
			   strerror(errno));
	close(rs.fd);
}

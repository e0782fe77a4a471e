/* idmap.c - idmapped binds for a caller that is the host's root.
 *
 * Such a caller's sandbox runs as an id that owns nothing on the host
 * (namespaces.c): mapping its root to the host's root would let it own
 * every root-owned file it can reach (chmod the bound /dev/null, leave a
 * set-uid-root file in the project, read root-only /proc files).  Its
 * files must still belong to the caller where it writes, and a
 * workspace in a 0700 directory must still be readable.  So the
 * supervisor, which is the host's root, makes a detached copy of each
 * bound host path (the workspace, the binds; never the system
 * directories) idmapped through the sandbox's own user namespace: there
 * the host's root appears as the sandbox's root, and what the sandbox
 * creates is the caller's on disk.  The sandbox's init attaches these
 * copies instead of its own (mounts.c).
 *
 * A filesystem that cannot be idmapped (overlayfs, NFS, FUSE, ...) gets
 * the plain bind for read-only use (the sandbox then reads what other
 * users may read); a writable live bind of it is refused, since its
 * files would belong to nobody the caller knows, with the copy-on-write
 * workspace named as the way that works everywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sup.h"

/*
 * The user namespace whose map idmaps the binds.  Usually the sandbox's
 * own: its root is the caller's root there, and its other ids are host
 * users' ids (1..65535), which the sandbox cannot become.  With
 * SBX_FLAG_ALLOW_SETID it can, and would then own a host user's files in
 * the bind and create files that user owns: so a namespace of its own
 * maps the caller's root to the sandbox's root and the sandbox's other
 * ids to themselves (ids that own nothing); a host user's file shows as
 * nobody's.  Returns an fd of the namespace, or -errno.
 */
static int idmap_userns(const struct sup_ids *ids, pid_t init)
{
	char path[64], map[128];
	int pipefd[2], pidfd = -1, in_cg, fd, i, r = 0;
	pid_t pid;

	if (ids->range <= 1) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)init);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = sup_clone(CLONE_NEWUSER, -1, &pidfd, &in_cg);
	if (pid == 0) {
		char b;

		close(pipefd[1]);
		while (read(pipefd[0], &b, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(pipefd[0]);
	if (pid < 0) {
		r = -errno;
		close(pipefd[1]);
		return r;
	}
	for (i = 0; i < 2 && !r; i++) {
		unsigned base = i ? ids->inside_root_gid : ids->inside_root;
		unsigned sub = i ? ids->sub_gid : ids->sub_uid;
		int mfd;

		snprintf(map, sizeof(map), "0 %u 1\n%u %u %u\n", base, sub, sub,
			 ids->sub_count);
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid,
			 i ? "gid_map" : "uid_map");
		mfd = open(path, O_WRONLY | O_CLOEXEC);
		if (mfd < 0 || write(mfd, map, strlen(map)) < 0)
			r = -errno;
		if (mfd >= 0)
			close(mfd);
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	fd = r ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	if (!r && fd < 0)
		r = -errno;
	close(pipefd[1]); /* the namespace outlives its process via fd */
	if (pidfd >= 0)
		close(pidfd);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return r ? r : fd;
}

/* Index of a source in the messages: 0 the workspace, 1 + i bind i. */
int sup_idmap_wanted(const struct sup_config *cfg, const struct sup_ids *ids)
{
	return ids->host_root && (cfg->workspace || cfg->n_binds);
}

static int send_one(int sock, uint32_t kind, uint32_t index, int fd)
{
	struct sup_report rep = { .kind = kind, .step = index };

	return sup_send_record(sock, &rep, &fd, fd >= 0 ? 1 : 0);
}

static const char *fs_name(const char *path)
{
	struct statfs sf;

	if (statfs(path, &sf) < 0)
		return "its file system";
	switch ((unsigned long)sf.f_type) {
	case 0x794c7630: return "overlayfs";
	case 0x6969: return "NFS";
	case 0x65735546: return "a FUSE file system";
	case 0xff534d42: return "CIFS";
	case 0x01021994: return "tmpfs (before Linux 6.3)";
	default: return "its file system";
	}
}

/* One source: a detached, idmapped tree, or -errno. */
static int make_tree(const char *src, int userns, int rw)
{
	struct sup_mount_attr a = {
		.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSUID |
			    MOUNT_ATTR_NODEV | (rw ? 0 : MOUNT_ATTR_RDONLY),
		.userns_fd = (uint64_t)userns,
	};
	int fd, e;

	fd = (int)syscall(SYS_open_tree, AT_FDCWD, src,
			  OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE,
		    &a, sizeof(a)) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/*
 * Make and send the idmapped trees to the sandbox's init (its end of
 * sock), then an end marker.  Returns 0, or -errno with err saying why
 * the run must be refused (a writable bind that cannot be idmapped).
 */
int sup_idmap_send(const struct sup_config *cfg, const struct sup_ids *ids,
		   pid_t init, int sock, char *err, size_t errlen)
{
	struct sup_ids own = *ids;
	size_t i, n = cfg->n_binds + 1;
	int userns, r = 0;

	if (!sup_flag(cfg, SBX_FLAG_ALLOW_SETID))
		own.range = 1; /* the sandbox's own namespace will do */
	userns = idmap_userns(&own, init);
	if (userns < 0) {
		r = userns;
		snprintf(err, errlen, "cannot make the user namespace that "
			 "idmaps the binds: %s", strerror(-r));
		return r;
	}
	for (i = 0; i < n && !r; i++) {
		const char *src;
		int rw, optional, fd;

		if (i == 0) {
			if (!cfg->workspace)
				continue;
			src = cfg->workspace;
			rw = cfg->workspace_mode == SBX_WORKSPACE_RW_LIVE;
			optional = 0;
		} else {
			src = cfg->binds[i - 1].src;
			rw = !!(cfg->binds[i - 1].flags & SBX_BIND_RW);
			optional = !!(cfg->binds[i - 1].flags & SBX_BIND_TRY);
		}
		fd = make_tree(src, userns, rw);
		if (fd == -ENOENT && optional)
			continue;
		if (fd < 0 && rw) {
			r = fd;
			snprintf(err, errlen,
				 "cannot bind %s writable for a root caller: "
				 "%s does not support idmapped mounts (%s), "
				 "and without one the sandbox would have to "
				 "run as the host's root; use the "
				 "copy-on-write workspace (--rw, "
				 "SBX_WORKSPACE_RW), whose changes are "
				 "applied as you, or run as an unprivileged "
				 "user",
				 src, fs_name(src), strerror(-fd));
			break;
		}
		if (fd < 0)
			continue; /* read-only: the sandbox's own plain bind */
		r = send_one(sock, SUP_MSG_IDMAP, (uint32_t)i, fd);
		close(fd);
		if (r < 0)
			snprintf(err, errlen, "cannot hand the idmapped "
				 "binds to the sandbox: %s", strerror(-r));
	}
	close(userns);
	if (!r) {
		r = send_one(sock, SUP_MSG_IDMAP_END, 0, -1);
		if (r < 0)
			snprintf(err, errlen, "cannot hand the idmapped "
				 "binds to the sandbox: %s", strerror(-r));
	}
	return r;
}

/* In the sandbox: take the trees until the end marker. */
void sandbox_idmap_receive(int sock, int report)
{
	for (;;) {
		struct sup_report rep;
		int fds[SUP_RECORD_FDS], n, i;
		ssize_t r = sup_recv_record(sock, &rep, fds, &n);

		if (r == -EINTR)
			continue;
		if (r != (ssize_t)sizeof(rep))
			_exit(127); /* the supervisor is gone */
		for (i = 1; i < n; i++)
			close(fds[i]);
		if (rep.kind == SUP_MSG_IDMAP_END) {
			if (fds[0] >= 0)
				close(fds[0]);
			return;
		}
		if (rep.kind != SUP_MSG_IDMAP || fds[0] < 0)
			child_fail(report, SBX_STEP_BIND, EPROTO,
				   "unexpected message from the supervisor "
				   "(kind %u)", rep.kind);
		sandbox_use_tree(rep.step, fds[0], report);
	}
}

/* sbx doctor: can a writable bind of path be idmapped for a root caller?
 * 0, or -errno (EINVAL: its file system cannot). */
int sup_idmap_probe(const char *path)
{
	struct sup_ids ids = { .inside_root = SBX_ROOT_ID_BASE,
			       .inside_root_gid = SBX_ROOT_ID_BASE,
			       .sub_uid = SBX_ROOT_ID_BASE + 1,
			       .sub_gid = SBX_ROOT_ID_BASE + 1,
			       .sub_count = 1,
			       .range = 2 };
	int userns = idmap_userns(&ids, -1), fd;

	if (userns < 0)
		return userns;
	fd = make_tree(path, userns, 1);
	close(userns);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

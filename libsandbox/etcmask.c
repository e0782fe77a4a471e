/* etcmask.c - the entries of /etc the sandbox must not see although its
 * ids could read them: compiled into the supervisor (which hides them,
 * each run) and the library (which explains them).
 *
 * /etc is bound read-only, but some of it is kept from other users only
 * by its mode: /etc/shadow, private TLS keys, VPN and Wi-Fi secrets.  A
 * sandbox whose ids are the caller's (an unprivileged caller: its uid,
 * and its groups, which an unprivileged user namespace cannot drop)
 * could read what the caller's owner or group bits allow.  Those entries
 * are hidden; what "other" may read stays, and what the sandbox's ids
 * cannot read anyway needs nothing.  Computed per run: a long-lived
 * caller must not expose a secret added after it started.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "etcmask.h"

#define MAX_DEPTH 8

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct scan {
	const struct sbx_identity *id;
	struct sbx_masks *out;
	int watch_fd; /* inotify: watch every directory read, or -1 */
	int err;
};

/* What in a watched directory can change the answer: entries appearing,
 * going or changing their mode or owner. */
#define WATCH_MASK                                                     \
	(IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
	 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

static int in_groups(const struct sbx_identity *id, gid_t gid)
{
	size_t i;

	if (gid == id->gid)
		return 1;
	for (i = 0; i < id->n_groups; i++)
		if (id->groups[i] == gid)
			return 1;
	return 0;
}

/* What the identity may do beyond "other": read a file through its owner
 * or group bits; for a directory that "other" may not both list and
 * enter, get in at all (a 0710 root:ssl-cert directory is entered by
 * its group only, and what is inside cannot be listed to judge it one by
 * one: it is hidden whole). */
static int private_to(const struct stat *st, const struct sbx_identity *id)
{
	mode_t m = st->st_mode;

	if (S_ISDIR(m)) {
		if ((m & S_IROTH) && (m & S_IXOTH))
			return 0;
		if (st->st_uid == id->uid)
			return (m & (S_IRUSR | S_IXUSR)) != 0;
		if (in_groups(id, st->st_gid))
			return (m & (S_IRGRP | S_IXGRP)) != 0;
		/* only what "other" may: entering by a known name */
		return (m & S_IXOTH) != 0;
	}
	if (m & S_IROTH)
		return 0;
	if (st->st_uid == id->uid)
		return (m & S_IRUSR) != 0;
	if (in_groups(id, st->st_gid))
		return (m & S_IRGRP) != 0;
	return 0;
}

static int add(struct sbx_masks *m, const char *path)
{
	char **n, *p;

	if (m->n >= SBX_MAX_MASKS)
		return -E2BIG;
	p = strdup(path);
	if (!p)
		return -ENOMEM;
	n = realloc(m->paths, (m->n + 1) * sizeof(*n));
	if (!n) {
		free(p);
		return -ENOMEM;
	}
	m->paths = n;
	m->paths[m->n++] = p;
	return 0;
}

static void scan_dir(struct scan *s, int dfd, const char *path, int depth);

static void scan_entry(struct scan *s, int dfd, const char *path,
		       const char *name, unsigned char type, int depth)
{
	char child[4096];
	struct stat st;

	if (type != DT_DIR && type != DT_REG && type != DT_UNKNOWN)
		return; /* symlinks, devices: nothing to read */
	if (name[0] == '.' &&
	    (!name[1] || (name[1] == '.' && !name[2])))
		return;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) < 0)
		return;
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return;
	if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, name) >=
	    sizeof(child))
		return;
	if (private_to(&st, s->id)) {
		s->err = add(s->out, child);
		return;
	}
	/* a directory "other" may search: look inside */
	if (S_ISDIR(st.st_mode) && (st.st_mode & S_IXOTH)) {
		int sub = openat(dfd, name,
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (sub >= 0)
			scan_dir(s, sub, child, depth + 1);
	}
}

/* One directory, read with large getdents64 calls: the scan runs per
 * run for an unprivileged caller, and system calls are its whole cost. */
static void scan_dir(struct scan *s, int dfd, const char *path, int depth)
{
	char buf[32768];
	long n;

	if (depth > MAX_DEPTH) {
		/* too deep to judge entry by entry: hidden whole */
		s->err = add(s->out, path);
		goto out;
	}
	/* watched before it is read: no change can fall in between */
	if (s->watch_fd >= 0 &&
	    inotify_add_watch(s->watch_fd, path, WATCH_MASK) < 0)
		s->err = -errno;
	while (!s->err && (n = syscall(SYS_getdents64, dfd, buf,
				       sizeof(buf))) > 0) {
		long pos;

		for (pos = 0; pos < n && !s->err;) {
			struct linux_dirent64 *de =
				(struct linux_dirent64 *)(buf + pos);

			pos += de->d_reclen;
			scan_entry(s, dfd, path, de->d_name, de->d_type,
				   depth);
		}
		/* a short read: nothing more (saves the call that says so) */
		if ((size_t)n < sizeof(buf) - 4096)
			break;
	}
out:
	close(dfd);
}

int sbx_etc_masks(const struct sbx_identity *id, int watch_fd,
		  struct sbx_masks *ret)
{
	struct sbx_masks m = { 0 };
	struct scan s = { id, &m, watch_fd, 0 };
	int fd = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		scan_dir(&s, fd, "/etc", 0);
	if (s.err) {
		sbx_masks_free(&m);
		return s.err;
	}
	*ret = m;
	return 0;
}

void sbx_masks_free(struct sbx_masks *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->paths[i]);
	free(m->paths);
	m->paths = NULL;
	m->n = 0;
}

int sbx_is_host_root(void)
{
	unsigned long in, out, count;
	FILE *f;
	int r = 1;

	if (geteuid() != 0)
		return 0;
	f = fopen("/proc/self/uid_map", "re");
	if (!f)
		return 1; /* no user namespaces at all: the initial one */
	while (fscanf(f, "%lu %lu %lu", &in, &out, &count) == 3)
		if (in == 0) {
			r = out == 0;
			break;
		}
	fclose(f);
	return r;
}

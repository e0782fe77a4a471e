/* apply.c - bring the changes a sandbox made to its copy-on-write
 * workspace (the overlayfs upper layer) onto the host directory.
 *
 * The upper layer is the untrusted program's work: every host-side step
 * is relative to a directory fd and never follows a symlink, set-id bits
 * are dropped, and only directories, regular files, symlinks and
 * deletions (overlayfs whiteouts) are carried over.  The host receives no
 * more bytes than the disk budget: holes stay holes, hard links stay
 * links, and the total is capped. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sup.h"

#define MAX_DEPTH 256
#define MAX_LINKS 1024

/* An upper-layer inode with several names, and its first host copy. */
struct link {
	ino_t ino;
	int host_fd; /* O_PATH */
};

struct apply {
	long changes;
	int err;
	char *msg;
	size_t msglen;
	int depth;
	uint64_t budget;  /* bytes the host may receive: the disk budget */
	uint64_t written;
	struct link links[MAX_LINKS];
	size_t n_links;
};

static void fail(struct apply *a, int err, const char *what, const char *name)
{
	if (!a->err) {
		a->err = err;
		snprintf(a->msg, a->msglen, "%s %s: %s", what, name,
			 strerror(err));
	}
}

static int is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == 0 &&
	       minor(st->st_rdev) == 0;
}

static int is_opaque(int dirfd)
{
	char v[4];
	ssize_t n = fgetxattr(dirfd, "user.overlay.opaque", v, sizeof(v));

	return n == 1 && v[0] == 'y';
}

/* Remove name below dfd, a whole tree if it is a directory. */
static int remove_tree(int dfd, const char *name, int depth)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) < 0 ? -errno : 0;
	if (depth > MAX_DEPTH)
		return -ELOOP;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				   O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			remove_tree(dirfd(d), de->d_name, depth + 1);
	closedir(d);
	return unlinkat(dfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

/* Copy the data of in to out, holes kept as holes: a sparse file costs the
 * host what it cost the sandbox.  The total is held to the budget. */
static int copy_data(struct apply *a, int in, int out, off_t size)
{
	char buf[65536];
	off_t pos = 0;

	while (pos < size) {
		off_t data = lseek(in, pos, SEEK_DATA), hole;

		if (data < 0)
			break; /* only a hole is left */
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		if (lseek(in, data, SEEK_SET) < 0 ||
		    lseek(out, data, SEEK_SET) < 0)
			return -errno;
		for (pos = data; pos < hole;) {
			size_t want = (size_t)(hole - pos) < sizeof(buf)
					      ? (size_t)(hole - pos)
					      : sizeof(buf);
			ssize_t n = read(in, buf, want);

			if (n < 0)
				return -errno;
			if (n == 0)
				return 0;
			if (a->written + (uint64_t)n > a->budget)
				return -EDQUOT;
			if (sbx_write_full(out, buf, (size_t)n) < 0)
				return -errno;
			a->written += (uint64_t)n;
			pos += n;
		}
	}
	return ftruncate(out, size) < 0 ? -errno : 0;
}

/* A second name of an inode already copied: link it on the host too, so
 * a thousand links do not become a thousand copies. */
static int link_again(struct apply *a, int hfd, const char *name, ino_t ino)
{
	char path[64];
	size_t i;

	for (i = 0; i < a->n_links; i++) {
		if (a->links[i].ino != ino)
			continue;
		remove_tree(hfd, name, 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d",
			 a->links[i].host_fd);
		if (linkat(AT_FDCWD, path, hfd, name, AT_SYMLINK_FOLLOW) < 0)
			return -errno;
		return 1;
	}
	return 0;
}

static void remember_link(struct apply *a, int hfd, const char *name,
			  ino_t ino)
{
	int fd;

	if (a->n_links >= MAX_LINKS)
		return;
	fd = openat(hfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	a->links[a->n_links].ino = ino;
	a->links[a->n_links].host_fd = fd;
	a->n_links++;
}

static int copy_file(struct apply *a, int ufd, int hfd, const char *name,
		     const struct stat *ust)
{
	char tmp[64];
	int in, out, r = 0;
	mode_t mode = ust->st_mode;

	if (ust->st_nlink > 1) {
		r = link_again(a, hfd, name, ust->st_ino);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	in = openat(ufd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -errno;
	snprintf(tmp, sizeof(tmp), ".sbx-apply-%d", (int)getpid());
	unlinkat(hfd, tmp, 0);
	out = openat(hfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_CLOEXEC,
		     0600);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	r = copy_data(a, in, out, ust->st_size);
	if (!r && fchmod(out, mode & 0777) < 0) /* no set-id bits */
		r = -errno;
	close(in);
	if (close(out) < 0 && !r)
		r = -errno;
	if (!r) {
		struct stat st;

		/* a directory in the way is replaced, as in the sandbox */
		if (fstatat(hfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode))
			remove_tree(hfd, name, 0);
		if (renameat(hfd, tmp, hfd, name) < 0)
			r = -errno;
	}
	if (r)
		unlinkat(hfd, tmp, 0);
	else if (ust->st_nlink > 1)
		remember_link(a, hfd, name, ust->st_ino);
	return r;
}

static int copy_symlink(int ufd, int hfd, const char *name)
{
	char target[4096];
	ssize_t n = readlinkat(ufd, name, target, sizeof(target) - 1);
	int r;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	r = remove_tree(hfd, name, 0);
	if (r < 0)
		return r;
	return symlinkat(target, hfd, name) < 0 ? -errno : 0;
}

static void apply_dir(struct apply *a, int ufd, int hfd);

static void apply_subdir(struct apply *a, int ufd, int hfd, const char *name,
			 const struct stat *ust)
{
	struct stat hst;
	int usub, hsub, r;

	usub = openat(ufd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
	if (usub < 0) {
		fail(a, errno, "reading the changed directory", name);
		return;
	}
	/* opaque: the sandbox replaced the directory, nothing of the host's
	 * old one remains */
	if (is_opaque(usub))
		remove_tree(hfd, name, 0);
	if (fstatat(hfd, name, &hst, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISDIR(hst.st_mode))
		remove_tree(hfd, name, 0);
	r = mkdirat(hfd, name, ust->st_mode & 0777);
	if (r == 0)
		a->changes++;
	else if (errno != EEXIST)
		fail(a, errno, "creating the directory", name);
	hsub = openat(hfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
	if (hsub < 0) {
		fail(a, errno, "opening the directory", name);
		close(usub);
		return;
	}
	fchmod(hsub, ust->st_mode & 0777);
	apply_dir(a, usub, hsub);
	close(hsub);
	close(usub);
}

static void apply_dir(struct apply *a, int ufd, int hfd)
{
	struct dirent *de;
	DIR *d;
	int dup_fd;

	if (++a->depth > MAX_DEPTH) {
		fail(a, ELOOP, "nesting too deep below", "the workspace");
		a->depth--;
		return;
	}
	dup_fd = fcntl(ufd, F_DUPFD_CLOEXEC, 3);
	d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		fail(a, errno, "reading", "the workspace's changes");
		a->depth--;
		return;
	}
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		struct stat st;
		int r = 0;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (fstatat(ufd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (is_whiteout(&st)) {
			r = remove_tree(hfd, name, 0);
		} else if (S_ISDIR(st.st_mode)) {
			apply_subdir(a, ufd, hfd, name, &st);
			continue;
		} else if (S_ISREG(st.st_mode)) {
			r = copy_file(a, ufd, hfd, name, &st);
		} else if (S_ISLNK(st.st_mode)) {
			r = copy_symlink(ufd, hfd, name);
		} else {
			continue; /* fifos, sockets, devices stay inside */
		}
		if (r < 0)
			fail(a, -r, "applying", name);
		else
			a->changes++;
	}
	closedir(d);
	a->depth--;
}

long sup_apply_changes(int upper_fd, const char *host_dir, uint64_t budget,
		       char *err, size_t errlen)
{
	static struct apply a;
	size_t i;
	int hfd;

	memset(&a, 0, sizeof(a));
	a.msg = err;
	a.msglen = errlen;
	a.budget = budget;

	hfd = open(host_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (hfd < 0) {
		snprintf(err, errlen,
			 "cannot open the workspace %s to apply the changes: "
			 "%s",
			 host_dir, strerror(errno));
		return -errno;
	}
	apply_dir(&a, upper_fd, hfd);
	close(hfd);
	for (i = 0; i < a.n_links; i++)
		close(a.links[i].host_fd);
	if (a.err == EDQUOT)
		snprintf(err, errlen,
			 "applying the changes would write more than the disk "
			 "budget (%llu bytes) to the host; the rest was not "
			 "applied",
			 (unsigned long long)budget);
	return a.err ? -a.err : a.changes;
}

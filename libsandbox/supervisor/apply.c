/* apply.c - bring the changes a sandbox made to its copy-on-write
 * workspace (the overlayfs upper layer) onto the host directory.
 *
 * The upper layer is the untrusted program's work: every host-side step
 * is relative to a directory fd and never follows a symlink, set-id bits
 * are dropped, and only directories, regular files, symlinks and
 * deletions (overlayfs whiteouts) are carried over.  The host receives no
 * more bytes than the disk budget: holes stay holes, hard links stay
 * links, and the total is capped.  No file or directory gets group or
 * other write permission the host's did not have.  Paths the host runs
 * or trusts (trusted.h: .git/config, hooks, .envrc, ...) are withheld, in
 * either direction: neither written nor removed, and listed in the
 * result; so are a HEAD that would make a directory holding such files a
 * git directory, and symlinks that lead out of the workspace. */
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
#include "trusted.h"

#define MAX_DEPTH 256
#define MAX_LINKS 1024
#define MAX_HOPS 8 /* symlinks followed to see where one leads */

/* A context bit of apply.c's own (trusted.h): the directory's HEAD is
 * withheld (head_ctx()). */
#define CTX_NO_HEAD 0x100u

/* Write permission for others than the owner: never added by the apply. */
#define GO_WRITE (S_IWGRP | S_IWOTH)

/* An upper-layer inode with several names, and its first host copy. */
struct link {
	ino_t ino;
	mode_t mode; /* the mode it got */
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
	uint64_t kept;    /* bytes kept unapplied, held to the budget too */
	struct link links[MAX_LINKS];
	size_t n_links;
	/* trusted paths: withheld unless SBX_FLAG_ALLOW_TRUSTED_PATHS */
	int guard;
	struct sbx_trust_hooks hooks;
	struct sup_withheld *wh;
	int upper_root; /* the program's workspace and the host's, where */
	int host_root;  /* symlinks lead (leads_out()) */
	int host_only;  /* leads_out() sees the host alone (recheck_links()) */
	char *made;     /* the symlinks applied, NUL-separated paths */
	size_t made_len, made_cap;
	/* changes that could not be applied (a full disk), kept for the
	 * caller in a directory of its own */
	struct sup_unapplied *un;
	int un_fd;
	char path[PATH_MAX]; /* the entry at hand, relative to the workspace */
	size_t path_len;
	int path_short; /* the entry at hand's name did not fit in path */
};

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when
 * invalid; C1 controls count as invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] == 0xc2)
		lo = 0xa0; /* not U+0080..U+009F */
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* Names are the program's: make them safe to print and to put in JSON
 * (valid UTF-8, no control characters a terminal would act on). */
static void clean_text(char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = utf8_len((const unsigned char *)s + i, n - i);

		if (!k || c < 0x20 || c == 0x7f) {
			s[i++] = '?';
			continue;
		}
		i += k;
	}
}

#define PATH_SHORT ((size_t)1 << (sizeof(size_t) * 8 - 1))

/* Name the entry at hand: a->path becomes its path; returns what to give
 * path_pop().  A path too long to hold stays its parent's (only the
 * listing of withheld paths reads it). */
static size_t path_push(struct apply *a, const char *name)
{
	size_t old = a->path_len, n = strlen(name);

	if (old + n + 2 > sizeof(a->path)) {
		a->path_short++;
		return old | PATH_SHORT;
	}
	if (old)
		a->path[a->path_len++] = '/';
	memcpy(a->path + a->path_len, name, n + 1);
	a->path_len += n;
	return old;
}

static void path_pop(struct apply *a, size_t old)
{
	if (old & PATH_SHORT) {
		a->path_short--;
		old &= ~PATH_SHORT;
	}
	a->path_len = old;
	a->path[old] = '\0';
}

/* The entry at hand was withheld: count it, and list it while the list
 * has room (suffix "/" for a directory). */
static void note_withheld(struct apply *a, const char *suffix)
{
	struct sup_withheld *w = a->wh;
	size_t n = a->path_len + strlen(suffix) + 1;

	w->count++;
	if (w->len + n > sizeof(w->list))
		return;
	memcpy(w->list + w->len, a->path, a->path_len);
	memcpy(w->list + w->len + a->path_len, suffix, n - a->path_len);
	clean_text(w->list + w->len, n - 1);
	w->len += n;
}

static void fail(struct apply *a, int err, const char *what, const char *name)
{
	if (!a->err) {
		a->err = err;
		snprintf(a->msg, a->msglen, "%s %s: %s", what, name,
			 strerror(err));
		clean_text(a->msg, strlen(a->msg));
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

/*
 * Open the host's directory name below dfd, never through a symlink, and
 * never into a file system mounted there (EXDEV): the overlay's lower
 * layer holds none of it, only the empty directory under it, so nothing
 * the program did was done to it.  Crossing, `rm -rf data` of an empty
 * directory in the sandbox emptied the host's dataset mounted on it,
 * and names were written to a file system that compares them otherwise
 * (a case-insensitive one).
 */
static int open_host_dir(int dfd, const char *name, int flags)
{
	return sup_openat2(dfd, name,
			   flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
			   SUP_RESOLVE_NO_XDEV | SUP_RESOLVE_NO_SYMLINKS);
}

static int has_head(int dfd)
{
	struct stat st;

	return fstatat(dfd, "HEAD", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* The host's directory hfd holds a control file of a git directory
 * (config, hooks, ..., folded): whoever wrote it. */
static int has_git_control(int hfd)
{
	struct dirent *de;
	DIR *d;
	int fd, found = 0;

	fd = openat(hfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 1; /* unknown: as if it did */
	}
	while (!found && (de = readdir(d)))
		found = sbx_trust_is_git_control(de->d_name);
	closedir(d);
	return found;
}

/*
 * The context HEAD gives a directory's entries (trusted.h: a directory
 * holding one is a git directory), the program's directory ufd onto the
 * host's hfd; host_head: the host's held one before the apply.  A HEAD
 * of the host's or of the program's (any case; deleted too) makes its
 * control files withheld.  And a HEAD the program adds to a host
 * directory that holds control files already is withheld itself (the
 * directory stays no git directory): they may be the program's, from an
 * earlier run in which they were content (a config with core.fsmonitor
 * first, the HEAD that makes git read it next).  .git's own control files
 * are withheld always (named: its context has the bit already), so never
 * the program's.
 */
static unsigned head_ctx(int ufd, int hfd, int host_head, unsigned ctx)
{
	struct dirent *de;
	DIR *d;
	int fd, written = 0, deleted = 0;

	/* a description of its own: a dup would share (and move) the
	 * offset apply_dir() reads from */
	fd = ufd >= 0 ? openat(ufd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
		      : -1;
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d && fd >= 0)
		close(fd);
	while (d && (de = readdir(d))) {
		struct stat st;

		if (!sbx_trust_is_head(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
			    0 &&
		    is_whiteout(&st))
			deleted = 1;
		else
			written = 1;
	}
	if (d)
		closedir(d);
	if (written && !host_head && !(ctx & SBX_TRUST_GITDIR) &&
	    has_git_control(hfd))
		ctx |= CTX_NO_HEAD;
	if (host_head || written || deleted || has_head(hfd))
		ctx |= SBX_TRUST_GITDIR;
	return ctx;
}

/* The verdict on the entry at hand (a->path), name in a directory of
 * context ctx; *ret_ctx the context of its entries (without HEAD). */
static enum sbx_trust judge(struct apply *a, unsigned ctx, const char *name,
			    int is_dir, unsigned *ret_ctx)
{
	enum sbx_trust v = sbx_trust_judge(ctx, name, is_dir, ret_ctx);

	if (!a->guard)
		return SBX_TRUST_CONTENT;
	if (v == SBX_TRUST_CONTENT &&
	    (sbx_trust_is_hooks(&a->hooks, a->path) ||
	     ((ctx & CTX_NO_HEAD) && sbx_trust_is_head(name))))
		v = SBX_TRUST_WITHHELD;
	return v;
}

/*
 * Remove the entry at hand, name below dfd (a directory of context ctx),
 * a whole tree if it is a directory.  Trusted entries of the host are
 * spared and listed: the program may not delete a hook or .git/config
 * any more than write one, nor a whole .git.  Returns 0, 1 when
 * something was spared (a directory then stays), or -errno.
 */
static int remove_host(struct apply *a, int dfd, const char *name,
		       unsigned ctx, int depth)
{
	struct stat st;
	struct dirent *de;
	unsigned sub_ctx;
	DIR *d;
	int fd, spared = 0;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (judge(a, ctx, name, S_ISDIR(st.st_mode), &sub_ctx) !=
	    SBX_TRUST_CONTENT) {
		note_withheld(a, "");
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) < 0 ? -errno : 0;
	if (depth > MAX_DEPTH)
		return -ELOOP;
	fd = open_host_dir(dfd, name, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (a->guard && has_head(fd))
		sub_ctx |= SBX_TRUST_GITDIR;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		size_t old;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		old = path_push(a, de->d_name);
		if (remove_host(a, dirfd(d), de->d_name, sub_ctx, depth + 1) ==
		    1)
			spared = 1;
		path_pop(a, old);
	}
	closedir(d);
	if (spared)
		return 1;
	return unlinkat(dfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

/* The program's entry at hand (name below ufd) is withheld: list what it
 * wrote there, leaf by leaf (an empty directory as "dir/"). */
static void withhold(struct apply *a, int ufd, const char *name,
		     const struct stat *st, int depth)
{
	struct dirent *de;
	uint32_t before = a->wh->count;
	DIR *d;
	int fd;

	if (!S_ISDIR(st->st_mode) || depth > MAX_DEPTH) {
		note_withheld(a, "");
		return;
	}
	fd = openat(ufd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				   O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		note_withheld(a, "/");
		return;
	}
	while ((de = readdir(d))) {
		struct stat sub;
		size_t old;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    fstatat(dirfd(d), de->d_name, &sub, AT_SYMLINK_NOFOLLOW) <
			    0)
			continue;
		old = path_push(a, de->d_name);
		withhold(a, dirfd(d), de->d_name, &sub, depth + 1);
		path_pop(a, old);
	}
	closedir(d);
	if (a->wh->count == before)
		note_withheld(a, "/");
}

/* Copy the data of in to out, holes kept as holes: a sparse file costs the
 * host what it cost the sandbox.  The total (*used) is held to the
 * budget. */
static int copy_data(struct apply *a, uint64_t *used, int in, int out,
		     off_t size)
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
			if (*used + (uint64_t)n > a->budget)
				return -EDQUOT;
			if (sbx_write_full(out, buf, (size_t)n) < 0)
				return -errno;
			*used += (uint64_t)n;
			pos += n;
		}
	}
	return ftruncate(out, size) < 0 ? -errno : 0;
}

/*
 * A second name of an inode already copied: link it on the host too, so
 * a thousand links do not become a thousand copies.  Not where the copy
 * got group or other write that this name's mode (the host's file here)
 * does not allow: linked, src/main.c would be the same file as the
 * host's world-writable shared.txt, written by anyone.  It is copied.
 */
static int link_again(struct apply *a, int hfd, const char *name,
		      unsigned ctx, ino_t ino, mode_t mode)
{
	char path[64];
	size_t i;
	int r;

	for (i = 0; i < a->n_links; i++) {
		if (a->links[i].ino != ino)
			continue;
		if (a->links[i].mode & GO_WRITE & ~mode)
			return 0;
		r = remove_host(a, hfd, name, ctx, 0);
		if (r < 0)
			return r;
		if (r == 1)
			return 2; /* withheld: trusted entries in the way */
		snprintf(path, sizeof(path), "/proc/self/fd/%d",
			 a->links[i].host_fd);
		if (linkat(AT_FDCWD, path, hfd, name, AT_SYMLINK_FOLLOW) < 0)
			return -errno;
		return 1;
	}
	return 0;
}

static void remember_link(struct apply *a, int hfd, const char *name,
			  ino_t ino, mode_t mode)
{
	size_t i;

	for (i = 0; i < a->n_links; i++)
		if (a->links[i].ino == ino)
			return; /* a copy of a name not linked */
	int fd;

	if (a->n_links >= MAX_LINKS)
		return;
	fd = openat(hfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	a->links[a->n_links].ino = ino;
	a->links[a->n_links].mode = mode;
	a->links[a->n_links].host_fd = fd;
	a->n_links++;
}

/* Returns 0, 1 when withheld (trusted entries of the host in the way),
 * or -errno. */
static int copy_file(struct apply *a, int ufd, int hfd, const char *name,
		     unsigned ctx, const struct stat *ust)
{
	char tmp[64];
	struct stat hst;
	int in, out, r = 0, anon = 0, named = 0;
	/* no set-id bits; group and other write only where the host's file
	 * had them (a chmod 666 src/main.c would let others plant code) */
	mode_t mode = ust->st_mode & 0777 & ~GO_WRITE;

	if (fstatat(hfd, name, &hst, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(hst.st_mode))
		mode |= ust->st_mode & hst.st_mode & GO_WRITE;

	if (ust->st_nlink > 1) {
		r = link_again(a, hfd, name, ctx, ust->st_ino, mode);
		if (r != 0)
			return r < 0 ? r : r - 1;
	}
	in = openat(ufd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -errno;
	/* Written unnamed (O_TMPFILE), named only once complete: a full
	 * disk or a killed apply leaves nothing half-written to be seen.
	 * Only where the file system has no O_TMPFILE, a hidden name is
	 * written, and removed on every way out. */
	out = openat(hfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (out >= 0) {
		anon = 1;
	} else if (errno == EOPNOTSUPP || errno == EISDIR ||
		   errno == EINVAL) {
		snprintf(tmp, sizeof(tmp), ".sbx-apply-%d", (int)getpid());
		unlinkat(hfd, tmp, 0);
		out = openat(hfd, tmp,
			     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				     O_CLOEXEC,
			     0600);
	}
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	r = copy_data(a, &a->written, in, out, ust->st_size);
	if (!r && fchmod(out, mode) < 0)
		r = -errno;
	close(in);
	if (!r && anon) {
		char fdpath[64];

		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", out);
		/* a new file gets its name at once, complete */
		if (fstatat(hfd, name, &hst, AT_SYMLINK_NOFOLLOW) < 0 &&
		    errno == ENOENT &&
		    linkat(AT_FDCWD, fdpath, hfd, name, AT_SYMLINK_FOLLOW) ==
			    0) {
			if (close(out) < 0) {
				r = -errno; /* NFS says it late */
				unlinkat(hfd, name, 0);
				return r;
			}
			if (ust->st_nlink > 1)
				remember_link(a, hfd, name, ust->st_ino, mode);
			return 0;
		}
		/* one that replaces another gets its hidden name only for
		 * the rename below */
		snprintf(tmp, sizeof(tmp), ".sbx-apply-%d", (int)getpid());
		unlinkat(hfd, tmp, 0);
		if (linkat(AT_FDCWD, fdpath, hfd, tmp, AT_SYMLINK_FOLLOW) < 0)
			r = -errno;
		else
			named = 1;
	} else if (!anon) {
		named = 1;
	}
	if (close(out) < 0 && !r)
		r = -errno;
	if (!r) {
		struct stat st;

		/* a directory in the way is replaced, as in the sandbox */
		if (fstatat(hfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode))
			r = remove_host(a, hfd, name, ctx, 0);
		if (!r && renameat(hfd, tmp, hfd, name) < 0)
			r = -errno;
	}
	if (r && named)
		unlinkat(hfd, tmp, 0);
	else if (!r && ust->st_nlink > 1)
		remember_link(a, hfd, name, ust->st_ino, mode);
	return r;
}

/* ------------------------------------------------- what does not fit */

/* The caller's directory for what could not be applied, made at the
 * first such change: /var/tmp survives a reboot, and is rarely the
 * full disk's own /tmp. */
static int unapplied_root(struct apply *a)
{
	char path[sizeof(a->un->dir)];

	if (a->un_fd >= 0)
		return a->un_fd;
	if (!a->un)
		return -ENOENT;
	snprintf(path, sizeof(path), "/var/tmp/sbx-unapplied-XXXXXX");
	if (!mkdtemp(path))
		return -errno;
	a->un_fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (a->un_fd < 0) {
		int e = errno;

		rmdir(path);
		return -e;
	}
	snprintf(a->un->dir, sizeof(a->un->dir), "%s", path);
	return a->un_fd;
}

/* The directory of a->path's parent in the unapplied tree, made as
 * needed; an fd, or -errno. */
static int unapplied_parent(struct apply *a)
{
	char rel[PATH_MAX], *c, *slash;
	int fd, next;

	fd = unapplied_root(a);
	if (fd < 0)
		return fd;
	fd = dup(fd);
	snprintf(rel, sizeof(rel), "%s", a->path);
	slash = strrchr(rel, '/');
	if (!slash)
		return fd;
	*slash = '\0';
	for (c = rel; fd >= 0 && c && *c;) {
		char *e = strchr(c, '/');

		if (e)
			*e = '\0';
		mkdirat(fd, c, 0700);
		next = openat(fd, c,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		c = e ? e + 1 : NULL;
	}
	return fd < 0 ? -errno : fd;
}

static int leads_out(struct apply *a, const char *target);

/*
 * Whether the entry at hand (a->path, name below ufd), met below a kept
 * directory whose entries have context ctx, is withheld as the apply
 * would have withheld it: a trusted path, or a symlink out of the
 * workspace.  The caller is told to copy what it needs from the kept
 * tree, and the copy must not plant what the apply kept out.  Listed
 * when withheld; *ret_ctx the context of its own entries.
 */
static int keep_withheld(struct apply *a, int ufd, const char *name,
			 const struct stat *st, unsigned ctx,
			 unsigned *ret_ctx)
{
	char target[4096];
	ssize_t n;

	*ret_ctx = 0;
	if (!a->guard)
		return 0;
	if (judge(a, ctx, name, S_ISDIR(st->st_mode), ret_ctx) ==
	    SBX_TRUST_WITHHELD) {
		withhold(a, ufd, name, st, 0);
		return 1;
	}
	if (!S_ISLNK(st->st_mode))
		return 0;
	n = readlinkat(ufd, name, target, sizeof(target) - 1);
	if (n < 0)
		return 0; /* keep_tree() fails on it */
	target[n] = '\0';
	if (!leads_out(a, target))
		return 0;
	note_withheld(a, "");
	return 1;
}

/* Copy one entry of the upper layer (and what is below it) into pfd;
 * ctx the context of its entries (a directory's), without HEAD.  The
 * program chose the tree's depth: a level costs little stack, and none
 * goes deeper than the apply would have (MAX_DEPTH). */
static int keep_tree(struct apply *a, int pfd, int ufd, const char *name,
		     const struct stat *st, int depth, unsigned ctx)
{
	char buf[PATH_MAX];
	int in, out, r = 0;
	ssize_t n;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	if (S_ISLNK(st->st_mode)) {
		n = readlinkat(ufd, name, buf, sizeof(buf) - 1);
		if (n < 0)
			return -errno;
		buf[n] = '\0';
		if (symlinkat(buf, pfd, name) < 0)
			return -errno;
		a->un->count++;
		return 0;
	}
	if (S_ISDIR(st->st_mode)) {
		struct dirent *de;
		DIR *d;
		int sub;

		if (mkdirat(pfd, name, 0700) < 0 && errno != EEXIST)
			return -errno;
		out = openat(pfd, name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		in = openat(ufd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		sub = in >= 0 ? dup(in) : -1;
		d = sub >= 0 ? fdopendir(sub) : NULL;
		if (out < 0 || in < 0 || !d) {
			r = -errno;
			if (d)
				closedir(d);
			else if (sub >= 0)
				close(sub);
		} else {
			/* no host directory: a HEAD the program wrote
			 * makes this a git directory, and is withheld
			 * itself where it would be the one to */
			if (a->guard)
				ctx = head_ctx(in, -1, 0, ctx);
			while ((de = readdir(d))) {
				struct stat cst;
				unsigned sub_ctx;
				size_t old;
				int e = 0;

				if (!strcmp(de->d_name, ".") ||
				    !strcmp(de->d_name, "..") ||
				    fstatat(in, de->d_name, &cst,
					    AT_SYMLINK_NOFOLLOW) < 0 ||
				    is_whiteout(&cst))
					continue;
				old = path_push(a, de->d_name);
				if (!keep_withheld(a, in, de->d_name, &cst,
						   ctx, &sub_ctx))
					e = keep_tree(a, out, in, de->d_name,
						      &cst, depth + 1,
						      sub_ctx);
				path_pop(a, old);
				if (e < 0 && !r)
					r = e;
			}
			closedir(d);
		}
		if (out >= 0)
			close(out);
		if (in >= 0)
			close(in);
		return r;
	}
	if (!S_ISREG(st->st_mode))
		return 0;
	in = openat(ufd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = openat(pfd, name,
		     O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		     st->st_mode & 0700);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	/* holes kept and the bytes held to the disk budget, as on the way
	 * to the workspace: a sparse file of 1 TB, or a file with a
	 * thousand names (each kept as a copy), costs the sandbox little
	 * and would fill the caller's /var/tmp */
	r = copy_data(a, &a->kept, in, out, st->st_size);
	close(in);
	if (close(out) < 0 && !r)
		r = -errno;
	if (r)
		unlinkat(pfd, name, 0); /* half a file helps nobody */
	else
		a->un->count++;
	return r;
}

/*
 * The program's entry a->path (name below ufd) could not be applied, for
 * want of room: keep it for the caller instead of losing it (ctx: the
 * context of its entries, when a directory).  When even that fails, the
 * run's message says so (fail()).
 */
static void keep_unapplied(struct apply *a, int ufd, const char *name,
			   const struct stat *st, unsigned ctx)
{
	int pfd = unapplied_parent(a), r;

	if (pfd < 0) {
		a->un->lost++;
		return;
	}
	r = keep_tree(a, pfd, ufd, name, st, a->depth, ctx);
	close(pfd);
	if (r < 0)
		a->un->lost++;
}

/* Errors for which a change is kept rather than lost: the host had no
 * room (or no budget) for it. */
static int no_room(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EFBIG;
}

/*
 * What rel (relative to the workspace) will be on the host after the
 * apply, when a symlink: the program's entry where it has one (a
 * whiteout: none), else the host's.  Resolved without following any
 * symlink: the callers have found every component before it to be none.
 * Returns 1 and the target in buf, or 0.
 */
static int link_after(struct apply *a, const char *rel, char *buf,
		      size_t len)
{
	const int roots[] = { a->upper_root, a->host_root };
	char parent[PATH_MAX];
	const char *slash = strrchr(rel, '/'), *name = slash ? slash + 1 : rel;
	size_t i;

	snprintf(parent, sizeof(parent), "%.*s",
		 slash ? (int)(slash - rel) : 1, slash ? rel : ".");
	for (i = a->host_only; i < SBX_ARRAY_SIZE(roots); i++) {
		struct stat st;
		ssize_t n = -1;
		int dfd = sup_openat2(roots[i], parent,
				      O_PATH | O_DIRECTORY | O_CLOEXEC,
				      SUP_RESOLVE_BENEATH |
					      SUP_RESOLVE_NO_SYMLINKS);

		if (dfd < 0)
			continue;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			close(dfd);
			continue;
		}
		if (S_ISLNK(st.st_mode))
			n = readlinkat(dfd, name, buf, len - 1);
		close(dfd);
		if (n < 0)
			return 0; /* a file, a directory, a whiteout */
		buf[n] = '\0';
		return 1;
	}
	return 0;
}

/*
 * Does the program's symlink at hand (a->path), pointing at target, lead
 * out of the workspace?  Absolute targets do.  Relative ones are walked
 * lexically from the link's directory (".." above the root leads out),
 * through the symlinks met on the way as the host will have them
 * (link_after()), up to MAX_HOPS of them.  A host tool that writes
 * through such a link (a build writing out/, an editor saving a file)
 * writes outside the project: out -> ../../.ssh, build -> ~/.bashrc.
 */
static int leads_out(struct apply *a, const char *target)
{
	char cur[PATH_MAX], rest[PATH_MAX * 2], link[PATH_MAX];
	const char *slash, *c;
	size_t o;
	int hops = 0;

	if (a->path_short)
		return 1; /* too long to judge */
	slash = strrchr(a->path, '/');
	o = slash ? (size_t)(slash - a->path) : 0;
	memcpy(cur, a->path, o);
	cur[o] = '\0';
	snprintf(rest, sizeof(rest), "%s", target);
again:
	if (rest[0] == '/')
		return 1;
	for (c = rest; *c;) {
		const char *e = strchrnul(c, '/');
		size_t n = (size_t)(e - c);

		if (n == 0 || (n == 1 && c[0] == '.')) {
			/* nothing */
		} else if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (o == 0)
				return 1;
			while (o > 0 && cur[--o] != '/')
				;
			cur[o] = '\0';
		} else {
			size_t base = o;

			if (o + n + 2 > sizeof(cur))
				return 1;
			if (o)
				cur[o++] = '/';
			memcpy(cur + o, c, n);
			o += n;
			cur[o] = '\0';
			if (link_after(a, cur, link, sizeof(link))) {
				char next[PATH_MAX * 2];

				if (++hops > MAX_HOPS)
					return 1;
				/* the link's target, then what followed it */
				if ((size_t)snprintf(next, sizeof(next), "%s%s",
						     link, e) >= sizeof(next))
					return 1;
				memcpy(rest, next, strlen(next) + 1);
				o = base;
				cur[o] = '\0';
				goto again;
			}
		}
		c = *e ? e + 1 : e;
	}
	return 0;
}

/* Note the symlink at hand, applied, for recheck_links(); 0 or -ENOMEM. */
static int note_made(struct apply *a)
{
	size_t n = a->path_len + 1;

	if (a->made_len + n > a->made_cap) {
		size_t cap = a->made_cap ? a->made_cap * 2 : 16384;
		char *p;

		while (cap < a->made_len + n)
			cap *= 2;
		p = realloc(a->made, cap);
		if (!p)
			return -ENOMEM;
		a->made = p;
		a->made_cap = cap;
	}
	memcpy(a->made + a->made_len, a->path, n);
	a->made_len += n;
	return 0;
}

/* Returns 0, 1 when withheld (trusted entries of the host in the way, or
 * a link out of the workspace), or -errno. */
static int copy_symlink(struct apply *a, int ufd, int hfd, const char *name,
			unsigned ctx)
{
	char target[4096], host[4096];
	ssize_t n = readlinkat(ufd, name, target, sizeof(target) - 1);
	int r;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (a->guard && leads_out(a, target)) {
		/* the host's own link, copied up unchanged (touch -h) */
		n = readlinkat(hfd, name, host, sizeof(host) - 1);
		if (n < 0)
			return 1;
		host[n] = '\0';
		return strcmp(host, target) == 0 ? 0 : 1;
	}
	r = remove_host(a, hfd, name, ctx, 0);
	if (r != 0)
		return r;
	if (symlinkat(target, hfd, name) < 0)
		return -errno;
	/* unchecked, it does not stay */
	if (a->guard && note_made(a) < 0) {
		unlinkat(hfd, name, 0);
		return -ENOMEM;
	}
	return 0;
}

/*
 * The symlinks applied, judged again on the host as the apply left it;
 * one that leads out there is removed and listed.  leads_out() judged
 * each through the program's entries first, but some of those never
 * land: withheld (a .git or .vscode the program replaced by a link
 * deeper into the tree, or deleted where the host's leads out), or
 * failed.  Then `y -> .git/../../../.ssh` looked like it stayed inside
 * (through the program's .git -> a/b/c) while the host's real .git
 * directory takes it out.  Removing a link that leads out changes no
 * verdict of another: one through it leads out at the same step.
 */
static void recheck_links(struct apply *a)
{
	size_t off;

	a->host_only = 1;
	for (off = 0; off < a->made_len;
	     off += strlen(a->made + off) + 1) {
		const char *rel = a->made + off, *slash = strrchr(rel, '/');
		const char *name = slash ? slash + 1 : rel;
		char parent[PATH_MAX], target[4096];
		ssize_t n;
		int dfd;

		snprintf(parent, sizeof(parent), "%.*s",
			 slash ? (int)(slash - rel) : 1, slash ? rel : ".");
		dfd = sup_openat2(a->host_root, parent,
				  O_PATH | O_DIRECTORY | O_CLOEXEC,
				  SUP_RESOLVE_BENEATH |
					  SUP_RESOLVE_NO_SYMLINKS);
		if (dfd < 0)
			continue; /* reached through no link of ours */
		n = readlinkat(dfd, name, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			a->path_len = strlen(rel);
			memcpy(a->path, rel, a->path_len + 1);
			if (leads_out(a, target)) {
				if (unlinkat(dfd, name, 0) < 0)
					fail(a, errno, "removing the link",
					     rel);
				note_withheld(a, "");
				a->changes--;
			}
		}
		close(dfd);
	}
	a->host_only = 0;
	a->path_len = 0;
	a->path[0] = '\0';
}

static void apply_dir(struct apply *a, int ufd, int hfd, unsigned ctx);

/*
 * Modes of directories.  Set-gid and sticky bits of a host directory are
 * the host's (a group-shared tree, a shared drop box): the program
 * changes its permission bits only, and a git directory keeps its mode.
 * A directory the program created gets its permission bits and sticky
 * bit (which only restricts deletion), and set-gid only as the kernel
 * gives it on the host: inherited, with the group, from a set-gid parent.
 * Group and other write are never added (GO_WRITE): made writable by
 * others, a directory lets any local user plant code in the project.
 */
static void set_dir_mode(int hsub, const struct stat *ust, int created,
			 int keep)
{
	struct stat hst;
	mode_t mode;

	if (keep || fstat(hsub, &hst) < 0)
		return;
	if (created)
		mode = (ust->st_mode & (0777 | S_ISVTX) & ~GO_WRITE) |
		       (hst.st_mode & S_ISGID);
	else
		mode = (ust->st_mode & 0777 & ~(GO_WRITE & ~hst.st_mode)) |
		       (hst.st_mode & (S_ISGID | S_ISVTX));
	if ((hst.st_mode & 07777) != mode)
		fchmod(hsub, mode);
}

/* The program's directory name (below ufd) onto the host (below hfd, a
 * directory of context ctx); sub_ctx the context of its entries. */
static void apply_subdir(struct apply *a, int ufd, int hfd, const char *name,
			 const struct stat *ust, unsigned ctx,
			 unsigned sub_ctx)
{
	struct stat hst;
	int usub, hsub, r, created = 0, host_head = 0;

	usub = openat(ufd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
	if (usub < 0) {
		fail(a, errno, "reading the changed directory", name);
		return;
	}
	/* a git directory before an opaque one replaces it (head_ctx()) */
	hsub = open_host_dir(hfd, name, O_PATH);
	if (hsub >= 0) {
		host_head = has_head(hsub);
		close(hsub);
	}
	/* opaque: the sandbox replaced the directory, nothing of the host's
	 * old one remains (but its trusted entries) */
	r = 0;
	if (is_opaque(usub))
		r = remove_host(a, hfd, name, ctx, 0);
	else if (fstatat(hfd, name, &hst, AT_SYMLINK_NOFOLLOW) == 0 &&
		 !S_ISDIR(hst.st_mode))
		r = remove_host(a, hfd, name, ctx, 0);
	if (r < 0)
		fail(a, -r,
		     r == -EXDEV ? "not replacing the mount point" : "replacing",
		     name);
	if (mkdirat(hfd, name, ust->st_mode & 0777 & ~GO_WRITE) == 0) {
		a->changes++;
		created = 1;
	} else if (errno != EEXIST) {
		int e = errno;

		fail(a, e, "creating the directory", name);
		if (no_room(e)) {
			keep_unapplied(a, ufd, name, ust, sub_ctx);
			close(usub);
			return;
		}
	}
	hsub = open_host_dir(hfd, name, O_RDONLY);
	if (hsub < 0) {
		fail(a, errno,
		     errno == EXDEV ? "not applying below the mount point"
				    : "opening the directory",
		     name);
		close(usub);
		return;
	}
	if (a->guard)
		sub_ctx = head_ctx(usub, hsub, host_head, sub_ctx);
	set_dir_mode(hsub, ust, created,
		     a->guard && !created && (sub_ctx & SBX_TRUST_GITDIR));
	apply_dir(a, usub, hsub, sub_ctx);
	close(hsub);
	close(usub);
}

/* One entry of the program's directory ufd (name, st) onto hfd, a
 * directory of context ctx; a->path names it. */
static void apply_entry(struct apply *a, int ufd, int hfd, unsigned ctx,
			const char *name, const struct stat *st)
{
	struct stat hst;
	unsigned sub_ctx;
	enum sbx_trust v;
	int r = 0;

	v = judge(a, ctx, name, S_ISDIR(st->st_mode), &sub_ctx);
	/* a .git directory is never replaced as a whole: not by a file
	 * (gitdir: elsewhere), a symlink, or a whiteout (judge() withholds
	 * those), nor over the host's .git file */
	if (v == SBX_TRUST_DOTGIT &&
	    fstatat(hfd, name, &hst, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISDIR(hst.st_mode))
		v = SBX_TRUST_WITHHELD;
	if (v == SBX_TRUST_WITHHELD) {
		withhold(a, ufd, name, st, 0);
		return;
	}
	if (is_whiteout(st)) {
		r = remove_host(a, hfd, name, ctx, 0);
	} else if (S_ISDIR(st->st_mode)) {
		apply_subdir(a, ufd, hfd, name, st, ctx, sub_ctx);
		return;
	} else if (S_ISREG(st->st_mode)) {
		r = copy_file(a, ufd, hfd, name, ctx, st);
	} else if (S_ISLNK(st->st_mode)) {
		r = copy_symlink(a, ufd, hfd, name, ctx);
	} else {
		return; /* fifos, sockets, devices stay inside */
	}
	if (r == 1 && !is_whiteout(st)) {
		/* trusted entries of the host in the way (listed): the
		 * program's file does not replace them */
		note_withheld(a, "");
		return;
	}
	if (r < 0) {
		fail(a, -r,
		     r == -EXDEV ? "not replacing the mount point" : "applying",
		     name);
		if (no_room(-r) && !is_whiteout(st))
			keep_unapplied(a, ufd, name, st, 0);
	} else {
		a->changes++;
	}
}

static void apply_dir(struct apply *a, int ufd, int hfd, unsigned ctx)
{
	struct dirent *de;
	DIR *d;
	int dup_fd;

	if (++a->depth > MAX_DEPTH) {
		fail(a, ELOOP, "nesting too deep below", "the workspace");
		a->depth--;
		return;
	}
	dup_fd = openat(ufd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
		size_t old;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (fstatat(ufd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		old = path_push(a, name);
		apply_entry(a, ufd, hfd, ctx, name, &st);
		path_pop(a, old);
	}
	closedir(d);
	a->depth--;
}

/* The workspace itself lies in a trusted place (it is ~/.ssh, a .vscode,
 * a .git/hooks): everything the program wrote is withheld. */
static void withhold_all(struct apply *a, int ufd)
{
	struct dirent *de;
	int fd = openat(ufd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;
		size_t old;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    fstatat(ufd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		old = path_push(a, de->d_name);
		withhold(a, ufd, de->d_name, &st, 0);
		path_pop(a, old);
	}
	closedir(d);
}

int sup_apply_changes(int upper_fd, const char *host_dir, uint64_t budget,
		      int allow_trusted, struct sup_withheld *wh,
		      struct sup_unapplied *un, long *ret_changes, char *err,
		      size_t errlen)
{
	static struct apply a;
	enum sbx_trust v = SBX_TRUST_CONTENT;
	unsigned ctx = 0;
	size_t i;
	int hfd;

	memset(&a, 0, sizeof(a));
	a.msg = err;
	a.msglen = errlen;
	a.budget = budget;
	a.guard = !allow_trusted;
	a.wh = wh;
	a.un = un;
	a.un_fd = -1;
	a.upper_root = upper_fd;
	*ret_changes = 0;
	if (a.guard)
		v = sbx_trust_host_path(host_dir, &ctx);

	hfd = open(host_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (hfd < 0) {
		snprintf(err, errlen,
			 "cannot open the workspace %s to apply the changes: "
			 "%s",
			 host_dir, strerror(errno));
		return -errno;
	}
	a.host_root = hfd;
	if (v == SBX_TRUST_WITHHELD) {
		withhold_all(&a, upper_fd);
	} else {
		if (a.guard) {
			/* read before anything is applied: the host's
			 * own config names them, not the program's */
			sbx_trust_find_hooks(hfd, host_dir, &a.hooks);
			ctx = head_ctx(upper_fd, hfd, has_head(hfd), ctx);
		}
		apply_dir(&a, upper_fd, hfd, ctx);
		recheck_links(&a);
	}
	close(hfd);
	free(a.made);
	for (i = 0; i < a.n_links; i++)
		close(a.links[i].host_fd);
	if (a.un_fd >= 0)
		close(a.un_fd);
	if (a.err == EDQUOT)
		snprintf(err, errlen,
			 "applying the changes would write more than the disk "
			 "budget (%llu bytes) to the host; the rest was not "
			 "applied",
			 (unsigned long long)budget);
	/* what was applied, even when not everything was */
	*ret_changes = a.changes;
	return a.err ? -a.err : 0;
}

/* memwatch.c - the memory limit where no memory cgroup can be had: the
 * supervisor measures the whole sandbox and kills it at the limit.
 *
 * RLIMIT_DATA, the only rlimit left, is per process and does not count
 * shared memory: a program could hold any amount in memfds, SysV segments
 * or shared mappings, and multiply it by forking.  So the supervisor adds
 * up, at a rate that rises as the sandbox nears its limit:
 *
 * - private memory: RssAnon + VmSwap of every process of the tree (its
 *   proportional share, Pss_Anon, when the sum of RSS reaches the limit,
 *   so that pages shared after fork() count once);
 * - memfds: memfd_create() is caught by a seccomp filter of its own
 *   (SECCOMP_FILTER_FLAG_NEW_LISTENER) whose listener the supervisor holds.
 *   It answers with an unlinked file (O_TMPFILE) of a tmpfs the sandbox's
 *   init mounted for the purpose, never attached anywhere, sized at the
 *   limit.  The kernel counts every page of every such file for as long
 *   as anything holds it, mapped, closed or in flight in a unix socket:
 *   statfs() of that tmpfs is the exact total, and no memfd can ever
 *   outgrow the limit.  (A memfd of the kernel's own, by contrast, can be
 *   closed with one page mapped and leave no trace an unprivileged
 *   supervisor may measure: /proc/PID/map_files needs CAP_SYS_ADMIN.)
 * - SysV shared memory: the resident and swapped bytes of every segment
 *   of the sandbox's IPC namespace, from its /proc/sysvipc/shm, which the
 *   init opened for us (the file lists the opener's namespace); shmall
 *   bounds them at the limit in the kernel too (budgets.c).
 * - shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): its pages, too,
 *   can outlive every mapping of them (fill, then shrink the mapping to a
 *   page).  Such an mmap() goes to the supervisor as well, which notes the
 *   size asked and lets it through; the objects the walk then meets for
 *   the first time are charged what was asked, together, for as long as
 *   any of them is mapped; every object at least by the largest extent
 *   seen mapped.  /dev/zero, which makes the same objects when mapped
 *   shared, is /dev/full in these runs (the same zeros, no mapping).
 *
 * What stays uncounted is in the README's Limits section.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "readfile.h"
#include "sup.h"

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define NATIVE_ARCH AUDIT_ARCH_S390X
#else
#error "the memory watch's filter needs this architecture's AUDIT_ARCH"
#endif

/* the mmap() whose flags are a register (i386's old mmap() passes them
 * in memory: its objects are seen by their mappings only) */
#ifdef SYS_mmap2
#undef SYS_mmap
#define SYS_mmap SYS_mmap2
#endif

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447 /* the same number on every architecture */
#endif

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#define MFD_KNOWN (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | \
		   MFD_NOEXEC_SEAL | MFD_EXEC)
#define MFD_HUGE_BITS (0x3fU << 26)

/* The answers of sandbox_memwatch_filter(), and the low half of an
 * argument, which the kernel reads as an int. */
enum { F_ALLOW = 9, F_MEMFD, F_ENOSYS, F_MMAP };
#define TO(answer, at) ((answer) - (at) - 1)
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG_LO(n) (offsetof(struct seccomp_data, args[n]) + 4)
#else
#define ARG_LO(n) offsetof(struct seccomp_data, args[n])
#endif

#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif

/* Memfds the sandbox may hold at once (inodes cost kernel memory beyond
 * the size budget). */
#define MEMFS_INODES 4096

/* How fast a sandbox can grow, per CPU: page faults that zero 4 KiB pages
 * run at a few GiB/s, huge pages faster.  The next sample comes when the
 * rest of the budget could be gone at the earliest, within these bounds
 * (a run shorter than the first sample costs nothing). */
#define GROW_PER_CPU (8ull << 30)
#define SAMPLE_MIN_US 5000
#define SAMPLE_MAX_US 100000

/* Shared anonymous objects remembered at most (32 bytes each). */
#define MAX_OBJS (1u << 20)
#define STALE (~0u)

/* ------------------------------------------------------ in the sandbox */

static void send_fds(int report, enum sup_report_kind kind, const int *fds,
		     int n)
{
	struct sup_report rep = { .kind = kind, .err = n };
	int r = sup_send_record(report, &rep, fds, n);

	if (r < 0)
		child_fail(report, SBX_STEP_MOUNT, -r,
			   "cannot hand the memory watch to the supervisor: "
			   "%s",
			   strerror(-r));
}

/* The memfd tmpfs, kept by the init until its Landlock rule is made: a
 * program reopens its memfds through /proc/self/fd (to exec one, or read
 * it apart), and Landlock, unlike for the kernel's own memfds, sees a
 * file system there. */
static int memfs_keep = -1;

/*
 * Before pivot_root, with /proc mounted: a tmpfs for the memfds, detached
 * at once so that no path inside leads to it, and the IPC namespace's
 * list of SysV segments.  Both go to the supervisor, which keeps them.
 */
void sandbox_memwatch_fs(const struct sup_config *cfg,
			 const struct sup_plan *plan, int rootfd, int report)
{
	char opts[96];
	int fds[3];

	if (!plan->mem_watch || plan->pol.degraded)
		return;
	snprintf(opts, sizeof(opts), "size=%llu,nr_inodes=%d,mode=0700",
		 (unsigned long long)cfg->limits[SBX_LIMIT_MEMORY],
		 MEMFS_INODES);
	if (mkdirat(rootfd, ".memfs", 0700) < 0 ||
	    mount("sbx-memfd", ".memfs", "tmpfs", MS_NOSUID | MS_NODEV,
		  opts) < 0)
		child_fail(report, SBX_STEP_MOUNT, errno,
			   "cannot mount the tmpfs that holds the sandbox's "
			   "memfds: %s",
			   strerror(errno));
	fds[0] = openat(rootfd, ".memfs", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fds[0] < 0 || umount2(".memfs", MNT_DETACH) < 0 ||
	    unlinkat(rootfd, ".memfs", AT_REMOVEDIR) < 0)
		child_fail(report, SBX_STEP_MOUNT, errno,
			   "cannot detach the sandbox's memfd tmpfs: %s",
			   strerror(errno));
	/* absent without CONFIG_SYSVIPC: then there is nothing to count */
	fds[1] = openat(rootfd, "proc/sysvipc/shm", O_RDONLY | O_CLOEXEC);
	send_fds(report, SUP_REPORT_MEM, fds, fds[1] >= 0 ? 2 : 1);
	/* socket buffers, in a network namespace of the sandbox's own
	 * (sockmem.c); absent without sock_diag: then they go uncounted */
	fds[2] = cfg->net == SBX_NET_NONE ? sandbox_sockmem_open() : -1;
	if (fds[2] >= 0) {
		send_fds(report, SUP_REPORT_SOCKS, &fds[2], 1);
		close(fds[2]);
	}
	/* above the numbers the init moves its stdio and report fds to */
	memfs_keep = fcntl(fds[0], F_DUPFD_CLOEXEC, 4);
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

int sandbox_memwatch_keep(int at)
{
	if (memfs_keep < 0)
		return at;
	if (memfs_keep != at) {
		int e = dup3(memfs_keep, at, O_CLOEXEC);

		close(memfs_keep);
		if (e < 0) {
			/* no rule then: reopening a memfd fails */
			memfs_keep = -1;
			return at;
		}
		memfs_keep = at;
	}
	return at + 1;
}

int sandbox_memwatch_memfs(void)
{
	return memfs_keep;
}

/*
 * Last before the sandbox's own filter: memfd_create() goes to the
 * supervisor (user notification), and so does a shared anonymous mmap()
 * (the supervisor notes its size and lets it through), memfd_secret()
 * fails (its pages could hide like a closed memfd's).  The sandbox's
 * filter is evaluated too, and its denials win over a notification.  A run
 * without namespaces has no
 * tmpfs to put memfds in: memfd_create() fails there, as on kernels
 * without user notification, with ENOSYS, which programs take for an old
 * kernel.
 *
 * Of two filters that answer with a notification the newest wins, but a
 * program cannot install one with a listener to answer for itself (and
 * let its calls through to the kernel): the kernel allows one listener
 * per chain of filters, ours (EBUSY).
 */
void sandbox_memwatch_filter(const struct sup_config *cfg,
			     const struct sup_plan *plan, int report)
{
	uint32_t act = plan->pol.degraded ? SECCOMP_RET_ERRNO | ENOSYS
					 : SECCOMP_RET_USER_NOTIF;
	struct sock_filter f[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				 offsetof(struct seccomp_data, arch)),
		/* 1: other ABIs: the sandbox's filter deals with them */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 0,
			 TO(F_ALLOW, 1)),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				 offsetof(struct seccomp_data, nr)),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_memfd_create,
				 TO(F_MEMFD, 3), 0),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_memfd_secret,
				 TO(F_ENOSYS, 4), 0),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0,
				 TO(F_ALLOW, 5)),
		/* 6: mmap()'s flags, an int */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(3)),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MAP_ANONYMOUS, 0,
				 TO(F_ALLOW, 7)),
		/* 8: MAP_SHARED, MAP_SHARED_VALIDATE */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MAP_SHARED,
			 TO(F_MMAP, 8), TO(F_ALLOW, 8)),
		[F_ALLOW] = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		[F_MEMFD] = BPF_STMT(BPF_RET | BPF_K, act),
		[F_ENOSYS] = BPF_STMT(BPF_RET | BPF_K,
				      SECCOMP_RET_ERRNO | ENOSYS),
		/* without a listener the watch sees these by their
		 * mappings only */
		[F_MMAP] = BPF_STMT(BPF_RET | BPF_K,
				    act == SECCOMP_RET_USER_NOTIF
					    ? SECCOMP_RET_USER_NOTIF
					    : SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { SBX_ARRAY_SIZE(f), f };
	int fd;

	/* Landlock has its rule: the program must not hold the tmpfs */
	if (memfs_keep >= 0)
		close(memfs_keep);
	memfs_keep = -1;
	if (!plan->mem_watch)
		return;
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  act == SECCOMP_RET_USER_NOTIF
				  ? SECCOMP_FILTER_FLAG_NEW_LISTENER
				  : 0,
			  &prog);
	if (fd < 0 && errno == EINVAL && act == SECCOMP_RET_USER_NOTIF) {
		/* before Linux 5.0: no memfds then */
		f[F_MEMFD].k = SECCOMP_RET_ERRNO | ENOSYS;
		f[F_MMAP].k = SECCOMP_RET_ALLOW;
		act = 0;
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				  &prog);
	}
	if (fd < 0)
		child_fail(report, SBX_STEP_SECCOMP, errno,
			   "cannot load the filter of the memory watch: %s",
			   strerror(errno));
	if (act != SECCOMP_RET_USER_NOTIF)
		return;
	/* The program must never hold it: it could answer for itself. */
	send_fds(report, SUP_REPORT_NOTIFY, &fd, 1);
	close(fd);
}

/* ------------------------------------------------------- the supervisor */

void sup_memwatch_init(struct sup_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->memfs_fd = m->sysv_fd = m->listener = m->sock_fd = -1;
}

/* The device of the kernel's internal tmpfs, where shared anonymous
 * mappings live: that of a memfd of our own. */
static void find_shm_dev(struct sup_mem *m)
{
	struct stat st;
	int fd;

	m->shm_dev_known = 1;
	fd = memfd_create("sbx-probe", MFD_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0)
		m->shm_dev = st.st_dev;
	if (fd >= 0)
		close(fd);
}

void sup_memwatch_take(struct sup_mem *m, uint32_t kind, const int *fds,
		       size_t n)
{
	size_t i = 0;

	if (kind == SUP_REPORT_MEM && m->memfs_fd < 0 && n >= 1) {
		m->memfs_fd = fds[i++];
		if (n >= 2)
			m->sysv_fd = fds[i++];
	} else if (kind == SUP_REPORT_NOTIFY && m->listener < 0 && n >= 1) {
		m->listener = fds[i++];
	} else if (kind == SUP_REPORT_SOCKS && m->sock_fd < 0 && n >= 1) {
		m->sock_fd = fds[i++];
	}
	for (; i < n; i++)
		close(fds[i]);
}

void sup_memwatch_close(struct sup_mem *m)
{
	sbx_closep(&m->memfs_fd);
	sbx_closep(&m->sysv_fd);
	sbx_closep(&m->listener);
	sbx_closep(&m->sock_fd);
	free(m->objs);
	m->objs = NULL;
	m->n_objs = m->cap_objs = 0;
	free(m->groups);
	m->groups = NULL;
	m->n_groups = 0;
}

/* An unlinked file of the memfd tmpfs, as the sandbox's root owns them. */
static int memfs_file(struct sup_mem *m, uint32_t flags)
{
	uid_t ou = (uid_t)setfsuid(m->uid);
	gid_t og = (gid_t)setfsgid(m->gid);
	int fd, e;

	fd = openat(m->memfs_fd, ".", O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC,
		    0600);
	e = errno;
	if (fd >= 0 &&
	    fchmod(fd, (flags & MFD_NOEXEC_SEAL) ? 0666 : 0777) < 0) {
		e = errno;
		close(fd);
		fd = -1;
	}
	setfsgid(og);
	setfsuid(ou);
	if (fd >= 0)
		return fd;
	/* the tmpfs is out of inodes or of space: as the kernel says */
	return -(e == ENOSPC || e == EOVERFLOW ? ENOMEM : e);
}

static void respond(int listener, uint64_t id, int err, uint32_t flags)
{
	struct seccomp_notif_resp resp = { .id = id, .flags = flags };

	resp.error = -err;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* A memfd_create(name, flags) or a shared anonymous mmap() of a process
 * of the sandbox.  Only registers are read (memfd_create()'s name is not
 * kept): nothing of the program's memory is trusted or read. */
void sup_memwatch_notify(struct sup_mem *m)
{
	static struct seccomp_notif_sizes sz;
	static struct seccomp_notif *req;
	struct seccomp_notif_addfd add = { 0 };
	uint32_t flags;
	int fd, r;

	if (!req) {
		if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
			sz.seccomp_notif = sizeof(*req);
		if (sz.seccomp_notif < sizeof(*req))
			sz.seccomp_notif = sizeof(*req);
		req = malloc(sz.seccomp_notif);
		if (!req)
			return; /* the program waits; killed at the end */
	}
	memset(req, 0, sz.seccomp_notif);
	if (ioctl(m->listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
		if (errno != EINTR && errno != ENOENT)
			sbx_closep(&m->listener); /* nobody left to ask */
		return;
	}
	if (req->data.nr == SYS_mmap) {
		/* a shared anonymous object of at most this size: counted
		 * whole once the walk meets it (group_fresh()), however it is
		 * shrunk later; the length is a register, read once */
		uint64_t len = req->data.args[1];

		len = len > UINT64_MAX - 4095 ? UINT64_MAX
					      : (len + 4095) & ~4095ull;
		m->asked = len > UINT64_MAX - m->asked ? UINT64_MAX
						       : m->asked + len;
		respond(m->listener, req->id, 0,
			SECCOMP_USER_NOTIF_FLAG_CONTINUE);
		return;
	}
	flags = (uint32_t)req->data.args[1]; /* an unsigned int, as the
					       * kernel reads it */
	if (req->data.nr != SYS_memfd_create) {
		respond(m->listener, req->id, ENOSYS, 0);
		return;
	}
	if ((flags & ~(MFD_KNOWN | MFD_HUGE_BITS)) ||
	    ((flags & MFD_HUGE_BITS) && !(flags & MFD_HUGETLB)) ||
	    ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))) {
		respond(m->listener, req->id, EINVAL, 0);
		return;
	}
	if (flags & MFD_HUGETLB) {
		/* a tmpfs file has no huge pages; programs fall back */
		respond(m->listener, req->id, EINVAL, 0);
		return;
	}
	fd = memfs_file(m, flags);
	if (fd < 0) {
		respond(m->listener, req->id, -fd, 0);
		return;
	}
	add.id = req->id;
	add.flags = SECCOMP_ADDFD_FLAG_SEND;
	add.srcfd = (uint32_t)fd;
	add.newfd_flags = (flags & MFD_CLOEXEC) ? O_CLOEXEC : 0;
	r = ioctl(m->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	if (r < 0 && errno == EINVAL) {
		/* before Linux 5.14: add, then answer with the number */
		add.flags = 0;
		r = ioctl(m->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
		if (r >= 0) {
			struct seccomp_notif_resp resp = { .id = req->id,
							   .val = r };

			ioctl(m->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		}
	}
	if (r < 0 && errno != ENOENT) /* ENOENT: the asker is gone */
		respond(m->listener, req->id, errno, 0);
	close(fd);
}

/* A value of /proc/PID/status ("RssAnon:	  1234 kB"), in bytes. */
static uint64_t status_kb(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtoull(p + strlen(key), NULL, 10) * 1024 : 0;
}

/* The entry of a shared anonymous object, by inode number (open
 * addressing); NULL when the table is full. */
static struct sup_mem_obj *obj_slot(struct sup_mem *m, unsigned long long ino)
{
	size_t i;

	if (m->n_objs * 2 >= m->cap_objs) {
		size_t c = m->cap_objs ? m->cap_objs * 2 : 64, k;
		struct sup_mem_obj *o;

		if (c > MAX_OBJS || !(o = calloc(c, sizeof(*o))))
			return NULL;
		for (k = 0; k < m->cap_objs; k++) {
			struct sup_mem_obj *e = &m->objs[k];

			if (!e->gen)
				continue;
			i = e->ino & (c - 1);
			while (o[i].gen)
				i = (i + 1) & (c - 1);
			o[i] = *e;
		}
		free(m->objs);
		m->objs = o;
		m->cap_objs = c;
	}
	for (i = ino & (m->cap_objs - 1); m->objs[i].gen;
	     i = (i + 1) & (m->cap_objs - 1))
		if (m->objs[i].ino == ino)
			return &m->objs[i];
	m->objs[i] = (struct sup_mem_obj){ .ino = ino, .fresh = 1,
					   .group = -1 };
	m->n_objs++;
	return &m->objs[i];
}

/* Shared anonymous objects mapped by pid: their largest extent seen. */
static void scan_maps(struct sup_mem *m, pid_t pid)
{
	char path[64], line[512];
	FILE *f;

	if (!m->shm_dev)
		return;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end, off, ino;
		struct sup_mem_obj *o;
		unsigned maj, min;
		size_t n = strlen(line);

		/* "/dev/zero (deleted)" names every shared anonymous
		 * mapping; the device tells them from a file of that name */
		if (n < 20 || strcmp(line + n - 20, "/dev/zero (deleted)\n"))
			continue;
		if (sscanf(line, "%llx-%llx %*s %llx %x:%x %llu", &start, &end,
			   &off, &maj, &min, &ino) != 6 ||
		    makedev(maj, min) != m->shm_dev)
			continue;
		end = end - start + off;
		o = obj_slot(m, ino);
		if (!o) {
			/* too many to remember: counted, not remembered */
			m->untracked += end;
			continue;
		}
		if (o->extent < end)
			o->extent = end;
		o->gen = m->gen;
	}
	fclose(f);
}

/*
 * Objects first seen in this sample were made since the last one, by the
 * shared anonymous mmap() calls the supervisor was told of: they are
 * charged together what those calls asked for, for as long as any of
 * them stays mapped, so that one filled and then shrunk to a page between
 * two samples still counts whole.  A call whose object the walk has not
 * met yet (it ran after the walk passed) waits one more sample.
 */
static void group_fresh(struct sup_mem *m)
{
	uint64_t asked = m->asked + m->asked_before;
	struct sup_mem_group *g = NULL;
	size_t i;
	int fresh = 0;

	for (i = 0; i < m->cap_objs; i++)
		fresh |= m->objs[i].gen == m->gen && m->objs[i].fresh;
	if (fresh && asked) {
		g = realloc(m->groups, (m->n_groups + 1) * sizeof(*g));
		if (g) {
			m->groups = g;
			g = &m->groups[m->n_groups++];
			*g = (struct sup_mem_group){ .asked = asked };
		} else {
			m->untracked += asked; /* counted once at least */
		}
	}
	for (i = 0; i < m->cap_objs; i++) {
		if (m->objs[i].fresh && g)
			m->objs[i].group = (int)(g - m->groups);
		m->objs[i].fresh = 0;
	}
	m->asked_before = fresh ? 0 : m->asked;
	m->asked = 0;
}

/* The shared anonymous objects still mapped: each by its extent, a group
 * by what was asked for it if more; dead objects marked STALE, dead
 * groups dropped. */
static uint64_t shared_anon(struct sup_mem *m)
{
	uint64_t total = 0;
	size_t i, j;
	int *to = NULL;

	for (i = 0; i < m->n_groups; i++)
		m->groups[i].alive = 0, m->groups[i].extent = 0;
	for (i = 0; i < m->cap_objs; i++) {
		struct sup_mem_obj *o = &m->objs[i];

		if (!o->gen)
			continue;
		if (o->gen != m->gen) {
			o->gen = STALE;
		} else if (o->group >= 0) {
			m->groups[o->group].alive = 1;
			m->groups[o->group].extent += o->extent;
		} else {
			total += o->extent;
		}
	}
	if (m->n_groups)
		to = malloc(m->n_groups * sizeof(*to));
	for (i = j = 0; i < m->n_groups; i++) {
		struct sup_mem_group *g = &m->groups[i];

		if (!g->alive) {
			if (to)
				to[i] = -1;
			continue;
		}
		total += g->asked > g->extent ? g->asked : g->extent;
		if (to) {
			to[i] = (int)j;
			m->groups[j++] = *g;
		}
	}
	if (!to)
		return total; /* no memory to compact: keep them all */
	m->n_groups = j;
	for (i = 0; i < m->cap_objs; i++)
		if (m->objs[i].gen && m->objs[i].gen != STALE &&
		    m->objs[i].group >= 0)
			m->objs[i].group = to[m->objs[i].group];
	free(to);
	return total;
}

/* Drop the objects no longer mapped (marked STALE) from the table. */
static void rehash(struct sup_mem *m)
{
	struct sup_mem_obj *old = m->objs;
	size_t i, cap = m->cap_objs;

	m->objs = NULL;
	m->n_objs = m->cap_objs = 0;
	for (i = 0; i < cap; i++) {
		struct sup_mem_obj *o;

		if (!old[i].gen || old[i].gen == STALE)
			continue;
		o = obj_slot(m, old[i].ino);
		if (o)
			*o = old[i];
	}
	free(old);
}

struct sample {
	struct sup_mem *m;
	pid_t skip;     /* the supervisor itself (a run without a PID ns) */
	int pss;        /* proportional: pages shared after fork() once */
	uint64_t anon;
};

static void sample_process(pid_t pid, void *arg)
{
	struct sample *s = arg;
	char path[64], buf[4096], rollup[4096];

	if (pid == s->skip)
		return;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (sup_read_file(path, buf, sizeof(buf)) <= 0)
		return; /* gone */
	/* Page tables are the process's own, and no RSS shows them: a
	 * program touching one page in every 2 MiB of a read-only mapping
	 * (the zero page: no RSS at all) makes 4 KiB of them each time. */
	s->anon += status_kb(buf, "\nVmPTE:");
	/* smaps needs ptrace access, which a run without namespaces lacks
	 * over a program that made itself non-dumpable: then its RSS */
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (s->pss && sup_read_file(path, rollup, sizeof(rollup)) > 0 &&
	    strstr(rollup, "\nPss_Anon:")) {
		s->anon += status_kb(rollup, "\nPss_Anon:") +
			   status_kb(rollup, "\nSwapPss:");
		return;
	}
	s->anon += status_kb(buf, "\nRssAnon:") + status_kb(buf, "\nVmSwap:");
	if (!s->pss)
		scan_maps(s->m, pid);
}

/* Bytes in the memfd tmpfs; *ret_full when it is full. */
static uint64_t memfs_used(const struct sup_mem *m, int *ret_full)
{
	struct statfs sf;

	*ret_full = 0;
	if (m->memfs_fd < 0 || fstatfs(m->memfs_fd, &sf) < 0)
		return 0;
	*ret_full = sf.f_bavail == 0;
	return (uint64_t)(sf.f_blocks - sf.f_bfree) * (uint64_t)sf.f_bsize;
}

/* Resident and swapped bytes of the IPC namespace's SysV segments: the
 * last two columns of /proc/sysvipc/shm. */
static uint64_t sysv_used(const struct sup_mem *m)
{
	char buf[8192], *line, *nl;
	uint64_t total = 0;
	off_t at = 0;
	size_t have = 0;
	ssize_t n;

	if (m->sysv_fd < 0)
		return 0;
	for (;;) {
		n = pread(m->sysv_fd, buf + have, sizeof(buf) - 1 - have, at);
		if (n <= 0)
			break;
		at += n;
		have += (size_t)n;
		buf[have] = '\0';
		for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
			unsigned long long v[16];
			char *p = line, *end;
			int k;

			*nl = '\0';
			for (k = 0; k < 16; k++, p = end) {
				v[k] = strtoull(p, &end, 10);
				if (end == p)
					break;
			}
			if (k == 16) /* not the header */
				total += v[14] + v[15];
		}
		have = (size_t)(buf + have - line);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0; /* no line is that long */
	}
	return total;
}

/* This thread's CPU time, microseconds. */
static uint64_t cpu_now_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t sup_memwatch_sample(struct sup_mem *m, pid_t init, int degraded,
			     uint64_t limit)
{
	struct sample s = { .m = m };
	uint64_t shared, total, start, cpu = cpu_now_us();
	int full;

	/* Without a PID namespace the orphans are the supervisor's own
	 * children (degraded.c), not init's. */
	s.skip = degraded ? getpid() : 0;
	if (!m->shm_dev_known)
		find_shm_dev(m);
	start = sup_now_ns();
	if (++m->gen == 0 || m->gen == STALE)
		m->gen = 1; /* 0 marks a free slot */
	m->untracked = 0;
	sup_tree_walk(degraded ? getpid() : init, sample_process, &s);
	group_fresh(m);
	shared = shared_anon(m);
	/* objects no longer mapped anywhere are gone: rebuild the table
	 * with the others */
	rehash(m);
	shared += m->untracked + memfs_used(m, &full) + sysv_used(m) +
		  sup_sockmem_used(m->sock_fd);
	total = s.anon + shared;
	if (total >= limit) {
		/* RSS counts a page shared after fork() in every process */
		s.pss = 1;
		s.anon = 0;
		sup_tree_walk(degraded ? getpid() : init, sample_process, &s);
		total = s.anon + shared;
	}
	if (total > m->peak)
		m->peak = total;
	m->last = total;
	m->cost_us = (sup_now_ns() - start) / 1000;
	m->cpu_us += cpu_now_us() - cpu;
	return total;
}

uint64_t sup_memwatch_next_us(const struct sup_mem *m, uint64_t used,
			      uint64_t limit, int ncpu)
{
	uint64_t left = used < limit ? limit - used : 0;
	uint64_t us = left / ((GROW_PER_CPU * (uint64_t)ncpu) / 1000000);

	if (us < SAMPLE_MIN_US)
		us = SAMPLE_MIN_US;
	/* a tree that is slow to read (thousands of mappings) should not
	 * take the supervisor's whole time; but a program that makes it
	 * slow must not buy itself time unmeasured either: never past
	 * SAMPLE_MAX_US, and the samples' CPU time is the sandbox's (its
	 * CPU limit pays for them, watch.c) */
	if (us < m->cost_us * 10)
		us = m->cost_us * 10;
	return us > SAMPLE_MAX_US ? SAMPLE_MAX_US : us;
}

int sup_memwatch_memfs_full(const struct sup_mem *m)
{
	int full;

	memfs_used(m, &full);
	return full;
}

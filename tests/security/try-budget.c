/*
 * try-budget.c - hostile programs against the kernel's per-user budgets
 * and the memory limit, for tests/security/test-sec-budgets.c and
 * test-sec-memory.c.  Each prints what it got as "KEY=VALUE" lines and
 * flushes them; the hogs then hold what they took until killed.
 *
 * Usage: try-budget COMMAND ARG... [exit]
 *   budgets               take every inotify instance and every queued
 *                         signal it can, say how many, print "ready=1",
 *                         hold
 *   mqueue                make POSIX message queues of the default size
 *                         (unlinked at once, held open) until refused,
 *                         send and receive on one, say how many, print
 *                         "ready=1", hold
 *   aio                   take every kernel AIO event the machine has
 *                         (io_setup() of ever smaller contexts), say
 *                         how many, print "ready=1", hold
 *   sockbuf SIZE          fill unix socket pairs' buffers (SO_SNDBUF as
 *                         large as allowed) with SIZE bytes, hold
 *   pagetables SIZE       make SIZE of page tables: one page of a file
 *                         mapped in every 2 MiB (no anonymous RSS),
 *                         across processes of 192 MiB each, hold
 *   memfd SIZE            write SIZE bytes into memfds (1 MiB writes, a
 *                         new memfd at each failure), hold
 *   memfd-closed SIZE     the same in memfds of 64 MiB each written, one
 *                         page mapped and the descriptor closed: nothing
 *                         but a one-page mapping left of each
 *   memfd-fork N SIZE     N processes, each "memfd SIZE/N"
 *   anon-fork N SIZE      N processes, each touching SIZE/N of private
 *                         memory in 16 MiB mappings
 *   sysv SIZE             SysV segments of 16 MiB, touched, detached and
 *                         left in the IPC namespace
 *   shared-anon SIZE      MAP_SHARED|MAP_ANONYMOUS mappings, touched
 *   shared-shrunk SIZE    MAP_SHARED|MAP_ANONYMOUS mappings of 256 KiB,
 *                         each touched and shrunk to its first page: its
 *                         pages stay, outside any mapping
 *   shared-use N SIZE     a legitimate program: N times a shared
 *                         anonymous mapping of SIZE, touched and unmapped
 *                         (a fifth of a second apart); exits 0
 *   own-listener SIZE     install a seccomp filter of its own that sends
 *                         memfd_create() to its own listener, let every
 *                         call through to the kernel from there, then
 *                         "memfd SIZE"
 *   anon-share N SIZE     a legitimate program: SIZE of private memory,
 *                         then N children that share it (copy-on-write)
 *                         for a second; exits 0
 *   memfd-use SIZE        a legitimate program: a memfd of SIZE, written,
 *                         mapped, read back and checked; exits 0
 *
 * SIZE takes K, M and G suffixes (powers of 1024).  Holding means
 * pause() forever: the sandbox's limits end it; with "exit" as the last
 * argument (a control run on the host) it exits instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <mqueue.h>
#include <stddef.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1ull << 20)
#define CHUNK (16 * MIB)

static uint64_t size_arg(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 10);

	switch (*end) {
	case 'G': return v << 30;
	case 'M': return v << 20;
	case 'K': return v << 10;
	}
	return v;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static int no_hold; /* "exit" as the last argument: a host control */

static __attribute__((noreturn)) void hold(void)
{
	say("holding=1\n");
	if (no_hold)
		exit(0);
	for (;;)
		pause();
}

static int cmd_budgets(void)
{
	union sigval v = { 0 };
	sigset_t rt;
	long n;
	int e;

	for (n = 0; inotify_init1(IN_CLOEXEC) >= 0; n++)
		;
	e = errno;
	say("inotify=%ld\ninotify_errno=%d\n", n, e);
	/* queued while blocked: each one is charged until delivered */
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	for (n = 0; sigqueue(getpid(), SIGRTMIN, v) == 0; n++)
		;
	e = errno;
	say("signals=%ld\nsignals_errno=%d\nready=1\n", n, e);
	hold();
}

/* RLIMIT_MSGQUEUE: every queue is charged its whole size when made.
 * Unlinked at once, so that none outlives the hog (a control on the
 * host makes them in the host's IPC namespace). */
static int cmd_mqueue(void)
{
	struct mq_attr a = { .mq_maxmsg = 10, .mq_msgsize = 8192 };
	char name[64], buf[8192];
	long n;
	int e = 0, sent = 0;

	for (n = 0; n < 4096; n++) {
		mqd_t q;

		snprintf(name, sizeof(name), "/sbx-hog-%d-%ld", (int)getpid(),
			 n);
		q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
		if (q == (mqd_t)-1) {
			e = errno;
			break;
		}
		mq_unlink(name);
		if (!n && mq_send(q, "sbx", 3, 0) == 0 &&
		    mq_receive(q, buf, sizeof(buf), NULL) == 3)
			sent = 1;
	}
	say("mqueues=%ld\nmq_errno=%d\nmq_sent=%d\nready=1\n", n, e,
	    sent);
	hold();
}

/* Socket buffers are kernel memory no RSS shows: up to twice
 * net.core.wmem_max per socket. */
static int cmd_sockbuf(uint64_t size)
{
	static char buf[65536];
	uint64_t done = 0;
	int big = 1 << 30, e = 0;

	while (done < size) {
		int sv[2];
		ssize_t n;

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0) {
			e = errno;
			break;
		}
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
		while (done < size && (n = write(sv[0], buf, sizeof(buf))) > 0)
			done += (uint64_t)n;
	}
	say("sock_bytes=%llu\nsock_errno=%d\n", (unsigned long long)done, e);
	hold();
}

/* Page tables are kernel memory too: one page of a file mapped alone in
 * every 2 MiB costs a 4 KiB page table each time, and no anonymous RSS
 * (the file's page is one page of page cache, shared by all of them).
 * A process may have 65530 mappings: the work is shared by processes of
 * 192 MiB of page tables each. */
#define PT_PER_PROC (192 * MIB)
static void make_pagetables(uint64_t size)
{
	uint64_t n = size / 4096, i, span = n * 2 * MIB;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	char *base = mmap(NULL, span, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (fd < 0 || base == MAP_FAILED) {
		say("pt_errno=%d\n", errno);
		return;
	}
	munmap(base, span); /* the room, now free */
	for (i = 0; i < n; i++) {
		volatile char *p = mmap(base + i * 2 * MIB, 4096, PROT_READ,
					MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd,
					0);

		if (p == MAP_FAILED) {
			say("pt_errno=%d\n", errno);
			break;
		}
		(void)p[0];
	}
}

static int cmd_pagetables(uint64_t size)
{
	uint64_t made;

	for (made = 0; made < size; made += PT_PER_PROC) {
		uint64_t part = size - made < PT_PER_PROC ? size - made
							  : PT_PER_PROC;

		if (fork() == 0) {
			make_pagetables(part);
			for (;;)
				pause();
		}
	}
	say("pt_bytes=%llu\n", (unsigned long long)size);
	hold();
}

/* fs.aio-max-nr is one budget of the whole machine. */
static int cmd_aio(void)
{
	unsigned long ctx;
	long n, events = 0;
	int e = 0;

	for (n = 1 << 20; n >= 1;) {
		ctx = 0;
		if (syscall(SYS_io_setup, n, &ctx) == 0) {
			events += n;
			continue;
		}
		e = errno;
		if (e != EAGAIN)
			break;
		n /= 2;
	}
	say("aio_events=%ld\naio_errno=%d\nready=1\n", events, e);
	hold();
}

/* Write size bytes into memfds; each failure (ENOSPC, EFBIG...) starts a
 * new one, until a few in a row fail. */
static uint64_t fill_memfds(uint64_t size)
{
	static char buf[MIB];
	uint64_t done = 0;
	int fd = -1, fails = 0;

	memset(buf, 0x5a, sizeof(buf));
	while (done < size && fails < 3) {
		if (fd < 0)
			fd = (int)syscall(SYS_memfd_create, "hog", 0);
		if (fd < 0) {
			say("memfd_errno=%d\n", errno);
			fails++;
			continue;
		}
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			say("write_errno=%d\n", errno);
			fd = -1; /* kept open: its pages stay */
			fails++;
			continue;
		}
		fails = 0;
		done += sizeof(buf);
	}
	say("memfd_bytes=%llu\n", (unsigned long long)done);
	return done;
}

static int cmd_memfd_closed(uint64_t size)
{
	static char buf[MIB];
	uint64_t done = 0;
	int fails = 0;

	memset(buf, 0x5a, sizeof(buf));
	while (done < size && fails < 3) {
		uint64_t i;
		int fd = (int)syscall(SYS_memfd_create, "hog", MFD_CLOEXEC);
		void *page;

		if (fd < 0) {
			say("memfd_errno=%d\n", errno);
			fails++;
			continue;
		}
		for (i = 0; i < 64; i++) {
			if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				break;
			done += sizeof(buf);
		}
		if (i < 64) {
			say("write_errno=%d\n", errno);
			fails++;
		}
		/* one page stays mapped; no descriptor is left */
		page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (page == MAP_FAILED)
			say("mmap_errno=%d\n", errno);
		close(fd);
	}
	say("memfd_bytes=%llu\n", (unsigned long long)done);
	hold();
}

static void touch(char *p, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i += 4096)
		p[i] = 1;
}

static uint64_t fill_anon(uint64_t size, int flags)
{
	uint64_t done = 0;

	while (done < size) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			       flags | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			say("mmap_errno=%d\n", errno);
			break;
		}
		touch(p, CHUNK);
		done += CHUNK;
	}
	say("anon_bytes=%llu\n", (unsigned long long)done);
	return done;
}

static int cmd_fork(int n, uint64_t size, int memfd)
{
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			say("fork_errno=%d\n", errno);
		if (pid == 0) {
			if (memfd)
				fill_memfds(size / (uint64_t)n);
			else
				fill_anon(size / (uint64_t)n, MAP_PRIVATE);
			hold();
		}
	}
	say("forked=%d\n", n);
	hold();
}

static int cmd_shared_shrunk(uint64_t size)
{
	uint64_t done = 0, each = 256 << 10;

	while (done < size) {
		char *p = mmap(NULL, each, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			say("mmap_errno=%d\n", errno);
			break;
		}
		touch(p, each);
		munmap(p + 4096, each - 4096);
		done += each;
	}
	say("shared_bytes=%llu\n", (unsigned long long)done);
	hold();
}

static int cmd_shared_use(int n, uint64_t size)
{
	int i;

	for (i = 0; i < n; i++) {
		char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			say("mmap_errno=%d\n", errno);
			return 1;
		}
		touch(p, size);
		usleep(100000); /* seen by the watch */
		munmap(p, size);
		usleep(100000);
	}
	say("ok=1\n");
	return 0;
}

static int cmd_sysv(uint64_t size)
{
	uint64_t done = 0;

	while (done < size) {
		int id = shmget(IPC_PRIVATE, CHUNK, IPC_CREAT | 0600);
		char *p;

		if (id < 0) {
			say("shmget_errno=%d\n", errno);
			break;
		}
		p = shmat(id, NULL, 0);
		if (p == (void *)-1) {
			say("shmat_errno=%d\n", errno);
			break;
		}
		touch(p, CHUNK);
		shmdt(p); /* the segment stays, attached to nothing */
		done += CHUNK;
	}
	say("sysv_bytes=%llu\n", (unsigned long long)done);
	hold();
}

/* Of two filters that notify, the newest wins: ours would take the
 * calls before the sandbox's memory watch sees them. */
static int cmd_own_listener(uint64_t size)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_memfd_create, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	int l = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			     SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);

	say("listener_errno=%d\n", l < 0 ? errno : 0);
	if (l >= 0 && fork() == 0) {
		static char req[4096];
		struct seccomp_notif_resp resp;

		for (;;) {
			memset(req, 0, sizeof(req));
			if (ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
				continue;
			memset(&resp, 0, sizeof(resp));
			resp.id = ((struct seccomp_notif *)req)->id;
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(l, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		}
	}
	if (l >= 0)
		close(l);
	fill_memfds(size);
	hold();
}

static int cmd_anon_share(int n, uint64_t size)
{
	int i, st, bad = 0;

	fill_anon(size, MAP_PRIVATE);
	for (i = 0; i < n; i++)
		if (fork() == 0) {
			sleep(1);
			_exit(0);
		}
	while (wait(&st) > 0)
		bad |= !WIFEXITED(st) || WEXITSTATUS(st);
	say("ok=%d\n", !bad);
	return bad;
}

static int cmd_memfd_use(uint64_t size)
{
	uint64_t done = 0, i;
	unsigned char *p;
	char buf[65536];
	int fd = (int)syscall(SYS_memfd_create, "legit",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0) {
		say("memfd_errno=%d\n", errno);
		return 1;
	}
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	while (done < size) {
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			say("write_errno=%d\n", errno);
			return 1;
		}
		done += sizeof(buf);
	}
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		say("mmap_errno=%d\n", errno);
		return 1;
	}
	for (i = 0; i < size; i++)
		if (p[i] != (unsigned char)((i % sizeof(buf)) * 7)) {
			say("mismatch_at=%llu\n", (unsigned long long)i);
			return 1;
		}
	say("memfd_bytes=%llu\nok=1\n", (unsigned long long)done);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc > 2 && strcmp(argv[argc - 1], "exit") == 0) {
		no_hold = 1;
		argc--;
	}
	if (strcmp(cmd, "budgets") == 0)
		return cmd_budgets();
	if (strcmp(cmd, "aio") == 0)
		return cmd_aio();
	if (strcmp(cmd, "mqueue") == 0)
		return cmd_mqueue();
	if (argc > 2 && strcmp(cmd, "sockbuf") == 0)
		return cmd_sockbuf(size_arg(argv[2]));
	if (argc > 2 && strcmp(cmd, "pagetables") == 0)
		return cmd_pagetables(size_arg(argv[2]));
	if (argc > 2 && strcmp(cmd, "memfd") == 0) {
		fill_memfds(size_arg(argv[2]));
		hold();
	}
	if (argc > 2 && strcmp(cmd, "memfd-closed") == 0)
		return cmd_memfd_closed(size_arg(argv[2]));
	if (argc > 3 && strcmp(cmd, "memfd-fork") == 0)
		return cmd_fork(atoi(argv[2]), size_arg(argv[3]), 1);
	if (argc > 3 && strcmp(cmd, "anon-fork") == 0)
		return cmd_fork(atoi(argv[2]), size_arg(argv[3]), 0);
	if (argc > 2 && strcmp(cmd, "sysv") == 0)
		return cmd_sysv(size_arg(argv[2]));
	if (argc > 2 && strcmp(cmd, "shared-anon") == 0) {
		fill_anon(size_arg(argv[2]), MAP_SHARED);
		hold();
	}
	if (argc > 2 && strcmp(cmd, "shared-shrunk") == 0)
		return cmd_shared_shrunk(size_arg(argv[2]));
	if (argc > 3 && strcmp(cmd, "shared-use") == 0)
		return cmd_shared_use(atoi(argv[2]), size_arg(argv[3]));
	if (argc > 2 && strcmp(cmd, "own-listener") == 0)
		return cmd_own_listener(size_arg(argv[2]));
	if (argc > 3 && strcmp(cmd, "anon-share") == 0)
		return cmd_anon_share(atoi(argv[2]), size_arg(argv[3]));
	if (argc > 2 && strcmp(cmd, "memfd-use") == 0)
		return cmd_memfd_use(size_arg(argv[2]));
	fprintf(stderr, "usage: try-budget COMMAND ARG... (see the source)\n");
	return 2;
}

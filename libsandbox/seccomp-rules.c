/* seccomp-rules.c - the built-in table of filtered system calls
 * (seccomp_rules.h) and what reads a row: its argument conditions, its
 * errno, and a call's number where libseccomp does not know its name.
 * The filter (seccomp.c), its explanation (explain.c), the Docker profile
 * (docker-seccomp.c) and the policy's rules (seccomp-policy.c) share them. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "internal.h"
#include "seccomp_rules.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Table entries: a plain denial, a call the filter depends on (a policy
 * may deny it, never allow it), a mode argument checked for set-id bits,
 * a call that answers ENOSYS (that a policy may allow, or not). */
#define DENY(n) { .name = (n), .kind = SBX_RULE_DENY }
#define MUST(n, k) { .name = (n), .kind = (k), .must = 1 }
#define SETID(n, a) \
	{ .name = (n), .kind = SBX_RULE_SETID_MODE, .arg = (a), .must = 1 }
#define NOSYS(n, w) \
	{ .name = (n), .kind = SBX_RULE_ENOSYS, .must = 1, .why = (w) }
#define ABSENT(n, w) { .name = (n), .kind = SBX_RULE_ENOSYS, .why = (w) }

/* The deny list (docs/design.md, "The seccomp filter").  Order does not
 * matter; names unknown to this libseccomp and absent from
 * sbx_syscall_resolve()'s numbers (older kernels' headers) are skipped. */
const struct sbx_syscall_rule sbx_syscall_rules[] = {
	/* tracing and other processes' memory */
	DENY("ptrace"),
	DENY("process_vm_readv"),
	DENY("process_vm_writev"),
	DENY("pidfd_getfd"),
	DENY("kcmp"),
	/* mounts, the old and the new API */
	DENY("mount"),
	DENY("umount2"),
	DENY("pivot_root"),
	DENY("chroot"),
	DENY("fsopen"),
	DENY("fsconfig"),
	DENY("fsmount"),
	DENY("fspick"),
	DENY("move_mount"),
	DENY("open_tree"),
	DENY("open_tree_attr"),
	DENY("mount_setattr"),
	/* namespaces */
	MUST("unshare", SBX_RULE_DENY),
	MUST("setns", SBX_RULE_DENY),
	MUST("clone", SBX_RULE_CLONE_NS),
	NOSYS("clone3", "clone3 hides its flags from seccomp, so it answers "
			"ENOSYS and libc falls back to clone"),
	/* kernel attack surface not namespaced */
	DENY("bpf"),
	DENY("perf_event_open"),
	DENY("userfaultfd"),
	DENY("keyctl"),
	DENY("add_key"),
	DENY("request_key"),
	/* io_uring's operations bypass seccomp */
	MUST("io_uring_setup", SBX_RULE_DENY),
	MUST("io_uring_enter", SBX_RULE_DENY),
	MUST("io_uring_register", SBX_RULE_DENY),
	/* Kernel AIO's contexts come from one budget of the whole machine
	 * (fs.aio-max-nr), which no namespace or cgroup divides: one
	 * sandbox could take all of it, and the host's databases and VMs
	 * would fail at io_setup().  Without a context the other io_*
	 * calls do nothing.  ENOSYS, as on a kernel without AIO: libaio's
	 * users fall back to threads or say so, and glibc's POSIX aio
	 * uses threads anyway.  A policy may allow it. */
	ABSENT("io_setup", "kernel AIO contexts come from one budget of the "
			   "whole machine (fs.aio-max-nr), which one sandbox "
			   "could take; io_setup answers ENOSYS, as on a "
			   "kernel without AIO (glibc's aio_* use threads)"),
	/* the machine itself */
	DENY("kexec_load"),
	DENY("kexec_file_load"),
	DENY("init_module"),
	DENY("finit_module"),
	DENY("delete_module"),
	DENY("swapon"),
	DENY("swapoff"),
	DENY("reboot"),
	DENY("syslog"),
	DENY("acct"),
	DENY("quotactl"),
	DENY("quotactl_fd"),
	DENY("uselib"),
	DENY("lookup_dcookie"),
	/* file handles (Shocker) */
	DENY("open_by_handle_at"),
	DENY("name_to_handle_at"),
	/* execution domain and terminal injection */
	MUST("personality", SBX_RULE_PERSONALITY),
	MUST("ioctl", SBX_RULE_IOCTL_TTY),
	/* Set-id files.  The sandbox owns whatever of its owner's files it
	 * can reach (for a root caller, root's), and nosuid inside says
	 * nothing about the same file seen from the host: a set-uid file
	 * made through a writable bind is live there.  So no mode with
	 * S_ISUID or S_ISGID, neither by chmod nor at creation (the kernel
	 * keeps S_ISUID on O_CREAT, O_TMPFILE and mknod), whatever the
	 * flags. */
	SETID("chmod", 1),
	SETID("fchmod", 1),
	SETID("fchmodat", 2),
	SETID("fchmodat2", 2),
	SETID("open", 2),
	SETID("openat", 3),
	SETID("creat", 1),
	SETID("mknod", 1),
	SETID("mknodat", 2),
	NOSYS("openat2", "openat2 hides the mode in a structure seccomp "
			 "cannot read, so it answers ENOSYS and callers fall "
			 "back to openat, whose mode is checked"),
	/* Address families: AF_VSOCK, for one, is not namespaced, and on a
	 * VM guest reaches the hypervisor around any network namespace. */
	MUST("socket", SBX_RULE_SOCKET),
	MUST("socketpair", SBX_RULE_SOCKETPAIR),
	NOSYS("socketcall", "socketcall hides its arguments (the address "
			    "family) behind a pointer, so it answers ENOSYS "
			    "and libc makes the socket calls themselves "
			    "(Linux 4.3 and later have them everywhere)"),
};
const size_t sbx_n_syscall_rules = SBX_ARRAY_SIZE(sbx_syscall_rules);

/* Also read by the Docker profile and explanations (seccomp_rules.h). */
const uint64_t sbx_clone_ns_flags[] = {
	CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID,   CLONE_NEWNET,
};
const size_t sbx_n_clone_ns_flags = SBX_ARRAY_SIZE(sbx_clone_ns_flags);

/* Keystrokes pushed into the terminal (CVE-2017-5226), the console's
 * selection and paste, and the line discipline: a program holding the
 * caller's terminal could make it unusable after the run. */
const struct sbx_tty_ioctl sbx_tty_ioctls[] = {
	{ TIOCSTI, "TIOCSTI" },
	{ TIOCLINUX, "TIOCLINUX" },
	{ TIOCSETD, "TIOCSETD" },
};
const size_t sbx_n_tty_ioctls = SBX_ARRAY_SIZE(sbx_tty_ioctls);

/* What programs use: unix, IPv4 and IPv6 sockets, and netlink's route
 * protocol (getaddrinfo's AI_ADDRCONFIG, if_nameindex, `ip`); not the
 * other netlink protocols (audit, uevents, sock_diag), and no packet,
 * vsock, crypto, bluetooth... sockets. */
const struct sbx_socket_family sbx_socket_families[] = {
	{ AF_UNIX, "AF_UNIX", -1, NULL },
	{ AF_INET, "AF_INET", -1, NULL },
	{ AF_INET6, "AF_INET6", -1, NULL },
	{ AF_NETLINK, "AF_NETLINK", NETLINK_ROUTE, "NETLINK_ROUTE" },
};
const size_t sbx_n_socket_families = SBX_ARRAY_SIZE(sbx_socket_families);

static const struct sbx_socket_family *family_of(uint64_t v)
{
	size_t i;

	for (i = 0; i < sbx_n_socket_families; i++)
		if ((uint64_t)sbx_socket_families[i].family == v)
			return &sbx_socket_families[i];
	return NULL;
}

static size_t cond(struct sbx_rule_cond *out, size_t n, size_t max,
		   unsigned arg, enum scmp_compare op, uint64_t a, uint64_t b)
{
	if (n >= max)
		return n;
	memset(&out[n], 0, sizeof(out[n]));
	out[n].n = 1;
	out[n].cmp[0] = (struct scmp_arg_cmp){ arg, op, a, b };
	return n + 1;
}

size_t sbx_rule_conds(const struct sbx_syscall_rule *r,
		      struct sbx_rule_cond *out, size_t max)
{
	uint64_t top = 0, v;
	size_t i, n = 0;

	switch (r->kind) {
	case SBX_RULE_CLONE_NS:
		/* x86_64 and most others: flags are the first argument.  One
		 * rule per flag: any of them set is denied. */
		for (i = 0; i < sbx_n_clone_ns_flags; i++)
			n = cond(out, n, max, 0, SCMP_CMP_MASKED_EQ,
				 sbx_clone_ns_flags[i], sbx_clone_ns_flags[i]);
		break;
	case SBX_RULE_IOCTL_TTY:
		/* The kernel truncates the request to 32 bits, so compare the
		 * low 32 bits only: (1 << 32) | TIOCSTI is TIOCSTI
		 * (CVE-2019-10063). */
		for (i = 0; i < sbx_n_tty_ioctls; i++)
			n = cond(out, n, max, 1, SCMP_CMP_MASKED_EQ,
				 0xffffffffull, sbx_tty_ioctls[i].request);
		break;
	case SBX_RULE_SETID_MODE:
		/* The kernel reads a umode_t: the two bits are all that
		 * counts, whatever the rest of the register holds. */
		n = cond(out, n, max, r->arg, SCMP_CMP_MASKED_EQ, S_ISUID,
			 S_ISUID);
		n = cond(out, n, max, r->arg, SCMP_CMP_MASKED_EQ, S_ISGID,
			 S_ISGID);
		break;
	case SBX_RULE_SOCKET:
		/* The kernel reads an int, the low 32 bits.  A family with
		 * any high bit set is refused outright, so the whole-register
		 * comparisons below see what the kernel sees (libseccomp
		 * 2.5's SCMP_A0_32 still compares the high half). */
		n = cond(out, n, max, 0, SCMP_CMP_GT, 0xffffffffull, 0);
		for (i = 0; i < sbx_n_socket_families; i++)
			if ((uint64_t)sbx_socket_families[i].family > top)
				top = (uint64_t)sbx_socket_families[i].family;
		n = cond(out, n, max, 0, SCMP_CMP_GT, top, 0);
		for (v = 0; v <= top; v++) {
			const struct sbx_socket_family *f = family_of(v);

			if (!f) {
				n = cond(out, n, max, 0, SCMP_CMP_EQ, v, 0);
			} else if (f->protocol >= 0 && n < max) {
				n = cond(out, n, max, 0, SCMP_CMP_EQ, v, 0);
				out[n - 1].n = 2;
				out[n - 1].cmp[1] = (struct scmp_arg_cmp){
					2, SCMP_CMP_NE, (uint64_t)f->protocol, 0
				};
			}
		}
		break;
	case SBX_RULE_SOCKETPAIR:
		/* nothing but a pair of unix sockets (the kernel has no
		 * other pairs that are namespaced) */
		n = cond(out, n, max, 0, SCMP_CMP_NE, AF_UNIX, 0);
		break;
	default:
		break;
	}
	return n;
}

int sbx_rule_errno(enum sbx_rule_kind kind)
{
	switch (kind) {
	case SBX_RULE_ENOSYS:
		return ENOSYS;
	case SBX_RULE_SOCKET:
	case SBX_RULE_SOCKETPAIR:
		/* "not here", which programs probing a family expect; not
		 * the handle's kill, as for clone3's ENOSYS */
		return EAFNOSUPPORT;
	default:
		return 0;
	}
}

/* Calls newer than some libseccomp 2.5 releases (Debian 12's knows
 * fchmodat2 by a patch, upstream 2.5.4 does not): by number where the
 * name is unknown.  Since Linux 5.1 a new call has the same number on
 * every architecture but alpha and mips (which add an offset and are
 * left out), so one number serves the architectures below. */
static const struct {
	const char *name;
	int nr;
} late_calls[] = {
	{ "fchmodat2", 452 },	   /* Linux 6.6 */
	{ "setxattrat", 463 },	   /* 6.13 */
	{ "removexattrat", 466 },  /* 6.13 */
	{ "open_tree_attr", 467 }, /* 6.15 */
	{ "file_setattr", 469 },   /* 6.17 */
};

static int unified_numbers(uint32_t arch)
{
	return arch == SCMP_ARCH_X86_64 || arch == SCMP_ARCH_X86 ||
	       arch == SCMP_ARCH_AARCH64 || arch == SCMP_ARCH_ARM ||
	       arch == SCMP_ARCH_PPC64LE || arch == SCMP_ARCH_PPC64 ||
	       arch == SCMP_ARCH_S390X || arch == SCMP_ARCH_RISCV64;
}

int sbx_syscall_resolve(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);
	size_t i;

	if (nr != __NR_SCMP_ERROR || !unified_numbers(seccomp_arch_native()))
		return nr;
	for (i = 0; i < SBX_ARRAY_SIZE(late_calls); i++)
		if (strcmp(name, late_calls[i].name) == 0)
			return late_calls[i].nr;
	return nr;
}

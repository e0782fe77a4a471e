/* seccomp_rules.h - the table of filtered system calls (seccomp-rules.c),
 * read by the filter (seccomp.c), its explanation (explain.c) and the
 * Docker profile (docker-seccomp.c), so the three cannot disagree. */
#ifndef SBX_SECCOMP_RULES_H
#define SBX_SECCOMP_RULES_H

#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>

enum sbx_rule_kind {
	SBX_RULE_DENY,        /* always denied (EPERM, or kill) */
	SBX_RULE_ENOSYS,      /* "not implemented": libc falls back */
	SBX_RULE_CLONE_NS,    /* denied with any namespace flag */
	SBX_RULE_PERSONALITY, /* denied unless the default persona */
	SBX_RULE_IOCTL_TTY,   /* the requests of sbx_tty_ioctls denied */
	SBX_RULE_SETID_MODE,  /* denied when the mode sets S_ISUID/S_ISGID */
	SBX_RULE_SOCKET,      /* families outside sbx_socket_families fail */
	SBX_RULE_SOCKETPAIR,  /* anything but AF_UNIX fails */
};

struct sbx_syscall_rule {
	const char *name;
	enum sbx_rule_kind kind;
	unsigned arg;	 /* SBX_RULE_SETID_MODE: the mode's argument */
	int must;	 /* a policy may deny it but never allow it */
	const char *why; /* SBX_RULE_ENOSYS: why, for explanations */
};

extern const struct sbx_syscall_rule sbx_syscall_rules[];
extern const size_t sbx_n_syscall_rules;

/* The arguments of SBX_RULE_CLONE_NS and SBX_RULE_IOCTL_TTY. */
extern const uint64_t sbx_clone_ns_flags[];
extern const size_t sbx_n_clone_ns_flags;
struct sbx_tty_ioctl {
	uint64_t request;
	const char *name;
};
extern const struct sbx_tty_ioctl sbx_tty_ioctls[];
extern const size_t sbx_n_tty_ioctls;

/* The address families socket() may make; protocol -1 allows any. */
struct sbx_socket_family {
	int family;
	const char *name;
	int protocol;
	const char *protocol_name;
};
extern const struct sbx_socket_family sbx_socket_families[];
extern const size_t sbx_n_socket_families;

/* A conditional rule as comparisons that must all hold for its action
 * (libseccomp's and runc's AND of one rule's arguments). */
struct sbx_rule_cond {
	unsigned n;
	struct scmp_arg_cmp cmp[2];
};
#define SBX_MAX_RULE_CONDS 40

/* The conditions of a rule of kind SBX_RULE_CLONE_NS, _IOCTL_TTY,
 * _SETID_MODE, _SOCKET or _SOCKETPAIR: when any one of them holds, the
 * call fails with sbx_rule_errno() (or the handle's deny action when
 * that is 0).  Returns how many were written to out. */
size_t sbx_rule_conds(const struct sbx_syscall_rule *r,
		      struct sbx_rule_cond *out, size_t max);
/* What a run without namespaces denies on top of the rules above
 * (seccomp-policy.c), and why: the whole call when n_conds is 0, else
 * the call when any one of its conditions holds. */
#define SBX_MAX_DEGRADED_CONDS 10
struct sbx_degraded_rule {
	const char *name;
	const char *why;
	unsigned n_conds;
	struct sbx_rule_cond conds[SBX_MAX_DEGRADED_CONDS];
};
extern const struct sbx_degraded_rule sbx_degraded_rules[];
extern const size_t sbx_n_degraded_rules;

/* The errno a rule's kind always answers with (ENOSYS, EAFNOSUPPORT),
 * whatever the deny action; 0 when it takes the handle's deny action. */
int sbx_rule_errno(enum sbx_rule_kind kind);

/* The number of a system call on the native architecture, also of the
 * ones this libseccomp does not know by name; else like
 * seccomp_syscall_resolve_name(). */
int sbx_syscall_resolve(const char *name);

#endif

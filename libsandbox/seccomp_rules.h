/* seccomp_rules.h - the table of filtered system calls. */
#ifndef SBX_SECCOMP_RULES_H
#define SBX_SECCOMP_RULES_H

#include <stddef.h>
#include <stdint.h>

enum sbx_rule_kind {
	SBX_RULE_DENY,        /* always denied (EPERM, or kill) */
	SBX_RULE_ENOSYS,      /* "not implemented": libc falls back */
	SBX_RULE_CLONE_NS,    /* denied with any namespace flag */
	SBX_RULE_PERSONALITY, /* denied unless the default persona */
	SBX_RULE_IOCTL_TTY,   /* TIOCSTI and TIOCLINUX denied */
};

struct sbx_syscall_rule {
	const char *name;
	enum sbx_rule_kind kind;
};

extern const struct sbx_syscall_rule sbx_syscall_rules[];
extern const size_t sbx_n_syscall_rules;

/* The arguments of SBX_RULE_CLONE_NS and SBX_RULE_IOCTL_TTY. */
extern const uint64_t sbx_clone_ns_flags[];
extern const size_t sbx_n_clone_ns_flags;
extern const uint64_t sbx_tty_ioctls[];
extern const size_t sbx_n_tty_ioctls;

#endif

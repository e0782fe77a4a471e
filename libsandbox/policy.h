/* policy.h - the handle's policy state beyond the core configuration
 * (seccomp additions, required layers, texts made for the caller) and the
 * policy modules' private interfaces. */
#ifndef SBX_POLICY_H
#define SBX_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "layers.h"

#define SBX_MAX_SYSCALL_RULES 512
#define SBX_POLICY_MAX_BYTES (1u << 20)

struct sbx;
struct sbx_buf;

/* A compiled seccomp filter and what it was built for (key): kept until
 * the key or the rules change. */
struct sbx_filter {
	void *bpf;
	size_t len;
	uint32_t key;
};

/* One rule of sbx_set_syscall(). */
struct sbx_syscall_add {
	char *name;
	int action; /* enum sbx_syscall_action */
	int err;    /* SBX_SYSCALL_DENY: 0 = the handle's deny action */
};

struct sbx_policy_state {
	struct sbx_syscall_add *sys;
	size_t n_sys;
	char *require[SBX_MAX_REQUIRE];
	size_t n_require;
	/* the filter for a run without namespaces, built for the kill flag
	 * and the network mode */
	struct sbx_filter degraded;
	char *text;   /* the last export or explanation */
	char *probe;  /* the last host report */
	char *reason; /* why the last run was degraded */
};

/* policy-state.c */
int sbx_policy_require(struct sbx *sbx, const char *name);
void sbx_policy_filter_changed(struct sbx *sbx);
void sbx_policy_state_free(struct sbx *sbx);

/* api-policy.c */
int sbx_policy_keep_text(struct sbx *sbx, char *text);

/* seccomp-policy.c: the policy's part of the filter */
const struct sbx_syscall_add *sbx_syscall_find(const struct sbx *sbx,
					       const char *name);
int sbx_syscall_set(struct sbx *sbx, const char *name, int action, int err);
void sbx_syscall_clear(struct sbx *sbx);
/* 1 when the call may never be allowed (the filter depends on it). */
int sbx_syscall_must_filter(const char *name);
/* 1 when a run without namespaces denies the whole call for this handle,
 * so that its built-in conditional rule is left out. */
int sbx_degraded_denies_all(const struct sbx *sbx, const char *name);
/* ctx is a scmp_filter_ctx; deny the handle's deny action.  degraded adds
 * what a run without namespaces needs (sbx_degraded_rules: no sockets,
 * no SysV IPC, no metadata changes, no file watching, no tuning of
 * other processes). */
int sbx_seccomp_add_policy(const struct sbx *sbx, void *ctx, uint32_t deny,
			   int degraded, const char **ret_failed);
/* The calls a run without namespaces denies in addition, and why:
 * sbx_degraded_rules in seccomp_rules.h. */
/* errno names: "EPERM" <-> 1 */
int sbx_errno_parse(const char *name);
const char *sbx_errno_name(int err);

/* seccomp.c: the filter of this handle's policy for flags into f, unless
 * f holds the one built for key already; degraded: for a run without
 * namespaces.  0, or a negative errno and the rule that failed in
 * *ret_failed. */
int sbx_seccomp_build(const struct sbx *sbx, struct sbx_filter *f,
		      uint32_t key, uint32_t flags, int degraded,
		      const char **ret_failed);

/* policy-run.c: what sbx_exec() sends */
int sbx_policy_put_config(struct sbx *sbx, struct sbx_buf *cfg);

/* policy-load.c */
int sbx_policy_load(struct sbx *sbx, const char *text, size_t len,
		    const char *origin, const char *base_dir);
int sbx_policy_reset(struct sbx *sbx);

/* presets.c */
const char *sbx_preset_text(const char *name);
const char *sbx_preset_names(void);

/* policy-show.c */
char *sbx_policy_show(struct sbx *sbx);

/* docker-seccomp.c */
char *sbx_docker_seccomp(struct sbx *sbx);

/* explain.c */
char *sbx_explain(struct sbx *sbx, const char *what);

/* probe.c */
int sbx_probe(struct sbx *sbx);

#endif

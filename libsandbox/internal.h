/* internal.h - the handle and the library's private helpers. */
#ifndef SBX_INTERNAL_H
#define SBX_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox.h"
#include "limit-table.h"
#include "policy.h"
#include "util.h"
#include "wire.h"

#define SBX_EXPORT __attribute__((visibility("default")))

#define SBX_MAX_BINDS 256
#define SBX_MAX_ENV 4096
#define SBX_ERRMSG_MAX 1024

struct sbx_bind {
	char *src;
	char *dst;
	uint32_t flags;
};

struct sbx_env {
	char *name;
	char *value; /* "NAME=VALUE" is built at exec */
	int by_name; /* the caller's value: a policy shows no value */
};

enum sbx_state {
	SBX_STATE_IDLE = 0, /* configured, nothing running */
	SBX_STATE_RUNNING,
	SBX_STATE_DONE,     /* a result is kept */
};

struct sbx {
	char errmsg[SBX_ERRMSG_MAX];
	int errnum; /* positive; goes with errmsg */

	/* configuration */
	char *workspace;
	int workspace_mode;
	char *cwd;
	struct sbx_bind *binds;
	size_t n_binds;
	struct sbx_env *env;
	size_t n_env;
	int stdio_mode[3];
	int stdio_fd[3];
	char *input;
	size_t input_len;
	int has_input;
	int net;
	uint32_t flags;
	uint64_t limits[SBX_LIMIT_KIND_MAX];

	/* the compiled seccomp filter, built for the kill flag */
	struct sbx_filter filter;

	/* the running sandbox */
	enum sbx_state state;
	pid_t sup_pid;
	pid_t zombie_pid; /* a supervisor that wrote its result, to reap */
	int ctl_fd;
	int done_fd;     /* EOF once the result is ready (SBX_FD_STATUS) */
	int fds[3];      /* caller's ends: stdin write, stdout/stderr read */
	struct sbx_buf ctl_in;
	struct sbx_buf out[3];

	/* the result */
	int has_result;
	struct sbx_wire_result res;
	char *res_msg;
	char *res_layers;
	char *res_json;
	char *res_withheld; /* NUL-terminated paths, res_withheld_len bytes */
	size_t res_withheld_len;
	char *res_unapplied_dir; /* "" when nothing was kept */

	/* policy: seccomp additions, required layers (policy.h) */
	struct sbx_policy_state pol;
};

/* error.c */
int sbx_error(sbx_t *sbx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sbx_clear_error(sbx_t *sbx);
int sbx_rc(int r);
/* The same for a function without a handle: the message into the
 * caller's err (errlen bytes; nothing when NULL or 0), and -e. */
int sbx_fail(char *err, size_t errlen, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A setter's guard: what a policy sets stays as it is while a sandbox
 * runs on the handle (api.c, api-policy.c). */
#define CHECK_IDLE(sbx)                                                        \
	do {                                                                   \
		if ((sbx)->state == SBX_STATE_RUNNING)                         \
			return sbx_error((sbx), EBUSY,                         \
					 "a sandbox is running on this "       \
					 "handle; wait for it first");         \
	} while (0)

/* api.c: what a policy sets (workspace, cwd, binds, environment,
 * network, flags, limits, system call rules, required layers), copied
 * onto a handle fresh from sbx_create() (0 or -ENOMEM, after which dst
 * holds a part to destroy), or traded between two handles. */
int sbx_config_copy(sbx_t *dst, const sbx_t *src);
void sbx_config_swap(sbx_t *a, sbx_t *b);
/* api.c: what a policy sets, as a new handle has it and a preset starts
 * from (the limits' defaults are limit-table.c's). */
void sbx_config_defaults(sbx_t *sbx);

/* seccomp.c: compile the filter for these flags into sbx->filter. */
int sbx_seccomp_compile(sbx_t *sbx);

/* hostinfo.c: call fn for each host path that must be hidden from a
 * sandbox whose ids are the caller's (etcmask.c), up to the first
 * negative return; 0 or -errno. */
int sbx_host_masks_each(int (*fn)(void *arg, const char *path), void *arg);
const char *sbx_supervisor_path(void);

/* spawn.c */
int sbx_spawn(sbx_t *sbx, const char *const *argv);
int sbx_wait_internal(sbx_t *sbx, int block);
int sbx_kill_internal(sbx_t *sbx);
void sbx_reap(sbx_t *sbx);
void sbx_reap_status(sbx_t *sbx, int *ret_status);
int sbx_check_supervisor(sbx_t *sbx, const char *sup);
void sbx_reap_zombie(sbx_t *sbx);

/* result.c */
int sbx_result_take(sbx_t *sbx, const char *data, size_t len);
void sbx_result_reset(sbx_t *sbx);
int sbx_json_escape(struct sbx_buf *b, const char *s, size_t len);
int sbx_policy_result_json(const sbx_t *sbx, struct sbx_buf *b);

#endif

/* api-get.c - what a handle holds, read back (getters), a copy of its
 * configuration, and the running program's signals and pid.  Bindings and
 * the CLI read the library's answer here instead of keeping their own. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

SBX_EXPORT int sbx_get_limit(sbx_t *sbx, int kind, uint64_t *ret_value)
{
	if (!sbx)
		return -EINVAL;
	if (kind < 0 || kind >= SBX_LIMIT_KIND_MAX)
		return sbx_error(sbx, EINVAL,
				 "unknown limit kind %d (SBX_LIMIT_WALL_MS.."
				 "SBX_LIMIT_PTYS, 0..%d)",
				 kind, SBX_LIMIT_KIND_MAX - 1);
	if (!ret_value)
		return sbx_error(sbx, EINVAL,
				 "sbx_get_limit: ret_value is NULL");
	*ret_value = sbx->limits[kind];
	return 0;
}

SBX_EXPORT int sbx_get_flag(sbx_t *sbx, int flag)
{
	if (!sbx)
		return -EINVAL;
	if (flag < 0 || flag >= SBX_FLAG_MAX)
		return sbx_error(sbx, EINVAL, "unknown flag %d (0..%d)", flag,
				 SBX_FLAG_MAX - 1);
	return !!(sbx->flags & (1u << flag));
}

SBX_EXPORT int sbx_get_network(const sbx_t *sbx)
{
	return sbx ? sbx->net : -EINVAL;
}

SBX_EXPORT const char *sbx_result_layers(const sbx_t *sbx)
{
	return sbx && sbx->has_result ? sbx->res_layers : NULL;
}

SBX_EXPORT const char *sbx_result_degraded_reason(const sbx_t *sbx)
{
	if (!sbx || !sbx->has_result)
		return NULL;
	return sbx->res.degraded && sbx->pol.reason ? sbx->pol.reason : "";
}

SBX_EXPORT const char *sbx_result_setup_step(const sbx_t *sbx)
{
	if (!sbx || !sbx->has_result)
		return NULL;
	if (sbx->res.status != SBX_STATUS_SETUP_ERROR)
		return "";
	return sbx_step_name(sbx->res.setup_step);
}

/* Copy what was set with sbx_set_*(), sbx_add_bind(), sbx_limit(),
 * sbx_set_syscall(), sbx_require_layer() and the policy functions. */
static int copy_config(sbx_t *dst, const sbx_t *src)
{
	size_t i;
	int r;

	if (src->workspace && !(dst->workspace = strdup(src->workspace)))
		return -ENOMEM;
	dst->workspace_mode = src->workspace_mode;
	if (src->cwd && !(dst->cwd = strdup(src->cwd)))
		return -ENOMEM;
	if (src->n_binds) {
		dst->binds = calloc(src->n_binds, sizeof(*dst->binds));
		if (!dst->binds)
			return -ENOMEM;
		for (i = 0; i < src->n_binds; i++) {
			dst->binds[i].src = strdup(src->binds[i].src);
			dst->binds[i].dst = strdup(src->binds[i].dst);
			dst->binds[i].flags = src->binds[i].flags;
			dst->n_binds++;
			if (!dst->binds[i].src || !dst->binds[i].dst)
				return -ENOMEM;
		}
	}
	if (src->n_env) {
		dst->env = calloc(src->n_env, sizeof(*dst->env));
		if (!dst->env)
			return -ENOMEM;
		for (i = 0; i < src->n_env; i++) {
			dst->env[i].name = strdup(src->env[i].name);
			dst->env[i].value = src->env[i].value
						    ? strdup(src->env[i].value)
						    : NULL;
			dst->env[i].by_name = src->env[i].by_name;
			dst->n_env++;
			if (!dst->env[i].name ||
			    (src->env[i].value && !dst->env[i].value))
				return -ENOMEM;
		}
	}
	memcpy(dst->stdio_mode, src->stdio_mode, sizeof(dst->stdio_mode));
	memcpy(dst->stdio_fd, src->stdio_fd, sizeof(dst->stdio_fd));
	if (src->has_input) {
		if (src->input_len) {
			dst->input = malloc(src->input_len);
			if (!dst->input)
				return -ENOMEM;
			memcpy(dst->input, src->input, src->input_len);
		}
		dst->input_len = src->input_len;
		dst->has_input = 1;
	}
	dst->net = src->net;
	dst->flags = src->flags;
	memcpy(dst->limits, src->limits, sizeof(dst->limits));
	for (i = 0; i < src->pol.n_sys; i++) {
		r = sbx_syscall_set(dst, src->pol.sys[i].name,
				    src->pol.sys[i].action,
				    src->pol.sys[i].err);
		if (r < 0)
			return r;
	}
	for (i = 0; i < src->pol.n_require; i++) {
		r = sbx_policy_require(dst, src->pol.require[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

SBX_EXPORT int sbx_dup(const sbx_t *sbx, sbx_t **ret_sbx)
{
	sbx_t *copy;
	int r;

	if (!sbx || !ret_sbx)
		return -EINVAL;
	r = sbx_create(&copy);
	if (r < 0)
		return r;
	r = copy_config(copy, sbx);
	if (r < 0) {
		sbx_destroy(copy);
		return r;
	}
	*ret_sbx = copy;
	return 0;
}

/* The signals sbx_signal() forwards: those a program is asked to stop,
 * reload, pause or go on with.  The same set init forwards (sup.h). */
static int forwardable(int sig)
{
	switch (sig) {
	case SIGHUP:
	case SIGINT:
	case SIGQUIT:
	case SIGTERM:
	case SIGUSR1:
	case SIGUSR2:
	case SIGALRM:
	case SIGCONT:
	case SIGTSTP:
	case SIGWINCH:
		return 1;
	}
	return 0;
}

SBX_EXPORT int sbx_signal(sbx_t *sbx, int sig)
{
	unsigned char byte;
	ssize_t n;

	if (!sbx)
		return -EINVAL;
	if (sig == SIGKILL)
		return sbx_error(sbx, EINVAL,
				 "SIGKILL is sbx_kill(): it ends every "
				 "process of the sandbox");
	if (!forwardable(sig))
		return sbx_error(sbx, EINVAL,
				 "signal %d cannot be sent to the program "
				 "(SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, "
				 "SIGUSR2, SIGALRM, SIGCONT, SIGTSTP, SIGWINCH "
				 "can; sbx_kill() ends the sandbox)",
				 sig);
	if (sbx->state != SBX_STATE_RUNNING || sbx->ctl_fd < 0)
		return sbx_error(sbx, ECHILD,
				 "no sandbox is running on this handle: "
				 "nothing to signal");
	if (sbx->done_fd >= 0) {
		struct pollfd p = { sbx->done_fd, POLLIN, 0 };

		if (poll(&p, 1, 0) == 1)
			return sbx_error(sbx, ECHILD,
					 "the program has ended: nothing to "
					 "signal (sbx_wait() collects the "
					 "result)");
	}
	/* After the configuration, each byte on the control socket is a
	 * signal for the program (supervisor/watch.c); its end (sbx_kill)
	 * ends the sandbox.  The supervisor forwards it to init, which
	 * sends it to the program while it has not reaped it, so it never
	 * reaches a pid used again. */
	byte = (unsigned char)sig;
	do
		n = send(sbx->ctl_fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		return 0;
	if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
		return sbx_error(sbx, ECHILD,
				 "the sandbox has ended: nothing to signal "
				 "(sbx_wait() collects its result)");
	if (n < 0 && errno == EAGAIN)
		return sbx_error(sbx, EAGAIN,
				 "the supervisor is not reading its signals "
				 "now; try again");
	return sbx_error(sbx, errno ? errno : EIO,
			 "cannot send signal %d to the supervisor: %s", sig,
			 strerror(errno ? errno : EIO));
}

SBX_EXPORT pid_t sbx_pid(const sbx_t *sbx)
{
	if (!sbx)
		return -EINVAL;
	if (sbx->state != SBX_STATE_RUNNING || sbx->sup_pid <= 0)
		return -ECHILD;
	return sbx->sup_pid;
}

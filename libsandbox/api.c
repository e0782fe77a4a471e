/* api.c - the exported functions: argument checks, then the internals. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "path.h"
#include "size.h"

#define CHECK_HANDLE(sbx)                                                      \
	do {                                                                   \
		if (!(sbx))                                                    \
			return -EINVAL;                                        \
	} while (0)

SBX_EXPORT const char *sbx_version(void)
{
	return PACKAGE_VERSION;
}

/* What a policy sets, as a new handle has it and a preset starts from:
 * the limits' defaults are limit-table.c's. */
void sbx_config_defaults(sbx_t *sbx)
{
	int k;

	sbx->workspace_mode = SBX_WORKSPACE_RO;
	sbx->net = SBX_NET_NONE;
	sbx->flags = 0;
	for (k = 0; k < SBX_LIMIT_KIND_MAX; k++)
		sbx->limits[k] = sbx_limit_table[k].def;
}

SBX_EXPORT int sbx_create(sbx_t **ret_sbx)
{
	sbx_t *sbx;
	int i;

	if (!ret_sbx)
		return -EINVAL;
	sbx = calloc(1, sizeof(*sbx));
	if (!sbx)
		return -ENOMEM;
	sbx_config_defaults(sbx);
	for (i = 0; i < 3; i++) {
		sbx->stdio_mode[i] = SBX_STDIO_INHERIT;
		sbx->stdio_fd[i] = -1;
		sbx->fds[i] = -1;
	}
	sbx->sup_pid = -1;
	sbx->zombie_pid = -1;
	sbx->ctl_fd = -1;
	sbx->done_fd = -1;
	*ret_sbx = sbx;
	return 0;
}

static void free_config(sbx_t *sbx)
{
	size_t i;

	free(sbx->workspace);
	free(sbx->cwd);
	for (i = 0; i < sbx->n_binds; i++) {
		free(sbx->binds[i].src);
		free(sbx->binds[i].dst);
	}
	free(sbx->binds);
	for (i = 0; i < sbx->n_env; i++) {
		free(sbx->env[i].name);
		free(sbx->env[i].value);
	}
	free(sbx->env);
	free(sbx->input);
	free(sbx->filter.bpf);
	sbx_policy_state_free(sbx);
}

static char *dup_or_null(const char *s, int *failed)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*failed = 1;
	return d;
}

/* What a policy sets, copied from src onto dst, a handle fresh from
 * sbx_create(): the scratch copy a document is applied to. */
int sbx_config_copy(sbx_t *dst, const sbx_t *src)
{
	size_t i;
	int failed = 0;

	dst->workspace = dup_or_null(src->workspace, &failed);
	dst->workspace_mode = src->workspace_mode;
	dst->cwd = dup_or_null(src->cwd, &failed);
	if (src->n_binds) {
		dst->binds = calloc(src->n_binds, sizeof(*dst->binds));
		if (!dst->binds)
			return -ENOMEM;
		for (i = 0; i < src->n_binds; i++) {
			dst->binds[i].src = dup_or_null(src->binds[i].src,
							&failed);
			dst->binds[i].dst = dup_or_null(src->binds[i].dst,
							&failed);
			dst->binds[i].flags = src->binds[i].flags;
		}
		dst->n_binds = src->n_binds;
	}
	if (src->n_env) {
		dst->env = calloc(src->n_env, sizeof(*dst->env));
		if (!dst->env)
			return -ENOMEM;
		for (i = 0; i < src->n_env; i++) {
			dst->env[i].name = dup_or_null(src->env[i].name,
						       &failed);
			dst->env[i].value = dup_or_null(src->env[i].value,
							&failed);
			dst->env[i].by_name = src->env[i].by_name;
		}
		dst->n_env = src->n_env;
	}
	dst->net = src->net;
	dst->flags = src->flags;
	memcpy(dst->limits, src->limits, sizeof(dst->limits));
	if (src->pol.n_sys) {
		dst->pol.sys = calloc(src->pol.n_sys, sizeof(*dst->pol.sys));
		if (!dst->pol.sys)
			return -ENOMEM;
		for (i = 0; i < src->pol.n_sys; i++) {
			dst->pol.sys[i] = src->pol.sys[i];
			dst->pol.sys[i].name = dup_or_null(src->pol.sys[i].name,
							   &failed);
		}
		dst->pol.n_sys = src->pol.n_sys;
	}
	for (i = 0; i < src->pol.n_require; i++)
		dst->pol.require[i] = dup_or_null(src->pol.require[i], &failed);
	dst->pol.n_require = src->pol.n_require;
	return failed ? -ENOMEM : 0;
}

#define SWAP(a, b)                                                             \
	do {                                                                   \
		__typeof__(a) tmp_ = (a);                                      \
		(a) = (b);                                                     \
		(b) = tmp_;                                                    \
	} while (0)

/* The two handles trade what a policy sets; the filters built for the
 * old rules go. */
void sbx_config_swap(sbx_t *a, sbx_t *b)
{
	struct sbx_policy_state pa = a->pol;
	uint64_t limits[SBX_LIMIT_KIND_MAX];

	SWAP(a->workspace, b->workspace);
	SWAP(a->workspace_mode, b->workspace_mode);
	SWAP(a->cwd, b->cwd);
	SWAP(a->binds, b->binds);
	SWAP(a->n_binds, b->n_binds);
	SWAP(a->env, b->env);
	SWAP(a->n_env, b->n_env);
	SWAP(a->net, b->net);
	SWAP(a->flags, b->flags);
	memcpy(limits, a->limits, sizeof(limits));
	memcpy(a->limits, b->limits, sizeof(limits));
	memcpy(b->limits, limits, sizeof(limits));
	a->pol.sys = b->pol.sys;
	a->pol.n_sys = b->pol.n_sys;
	memcpy(a->pol.require, b->pol.require, sizeof(a->pol.require));
	a->pol.n_require = b->pol.n_require;
	b->pol.sys = pa.sys;
	b->pol.n_sys = pa.n_sys;
	memcpy(b->pol.require, pa.require, sizeof(b->pol.require));
	b->pol.n_require = pa.n_require;
	sbx_policy_filter_changed(a);
	sbx_policy_filter_changed(b);
}

SBX_EXPORT void sbx_destroy(sbx_t *sbx)
{
	if (!sbx)
		return;
	if (sbx->state == SBX_STATE_RUNNING)
		sbx_reap(sbx);
	sbx_reap_zombie(sbx);
	sbx_result_reset(sbx);
	free_config(sbx);
	free(sbx);
}

SBX_EXPORT const char *sbx_last_error(const sbx_t *sbx)
{
	return sbx ? sbx->errmsg : "no handle (NULL)";
}

SBX_EXPORT int sbx_last_errno(const sbx_t *sbx)
{
	if (!sbx)
		return EINVAL;
	return sbx->errmsg[0] ? sbx->errnum : 0;
}

SBX_EXPORT int sbx_limit(sbx_t *sbx, int kind, uint64_t value)
{
	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (kind < 0 || kind >= SBX_LIMIT_KIND_MAX)
		return sbx_error(sbx, EINVAL, "unknown limit kind %d", kind);
	if (value > sbx_limit_table[kind].max)
		return sbx_error(sbx, EINVAL,
				 "limit %d: %llu is larger than the maximum "
				 "%llu",
				 kind, (unsigned long long)value,
				 (unsigned long long)sbx_limit_table[kind].max);
	sbx->limits[kind] = value;
	return 0;
}

SBX_EXPORT int sbx_parse_size(const char *text, uint64_t *ret_bytes)
{
	return sbx_size_parse(text, ret_bytes);
}

/* Resolve a host path for a bind: absolute, symlinks followed, exists. */
static int resolve_host_path(sbx_t *sbx, const char *what, const char *path,
			     int want_dir, char **ret)
{
	_cleanup_free_ char *real = NULL;
	struct stat st;

	if (!path || !*path)
		return sbx_error(sbx, EINVAL, "%s: empty path", what);
	real = realpath(path, NULL);
	if (!real) {
		int e = errno;

		if (e == ENOENT)
			return sbx_error(sbx, ENOENT,
					 "%s %s does not exist; create it or "
					 "pass an existing path",
					 what, path);
		if (e == ENOTDIR)
			return sbx_error(sbx, ENOTDIR,
					 "%s %s: a component of the path is "
					 "not a directory",
					 what, path);
		if (e == EACCES)
			return sbx_error(sbx, EACCES,
					 "%s %s: permission denied while "
					 "resolving it",
					 what, path);
		if (e == ENOMEM)
			return -ENOMEM;
		return sbx_error(sbx, EINVAL, "%s %s: %s", what, path,
				 strerror(e));
	}
	if (stat(real, &st) < 0)
		return sbx_error(sbx, errno == EACCES ? EACCES : ENOENT,
				 "%s %s: %s", what, path, strerror(errno));
	if (want_dir && !S_ISDIR(st.st_mode))
		return sbx_error(sbx, ENOTDIR,
				 "%s %s is not a directory", what, path);
	if (want_dir && access(real, X_OK) < 0)
		return sbx_error(sbx, EACCES,
				 "%s %s cannot be searched by this user", what,
				 path);
	*ret = steal_pointer(&real);
	return 0;
}

SBX_EXPORT int sbx_set_workspace(sbx_t *sbx, const char *path, int mode)
{
	char *real = NULL;
	int r;

	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (mode < 0 || mode >= SBX_WORKSPACE_MODE_MAX)
		return sbx_error(sbx, EINVAL, "unknown workspace mode %d",
				 mode);
	if (path) {
		r = resolve_host_path(sbx, "workspace", path, 1, &real);
		if (r < 0)
			return r;
		if (strcmp(real, "/") == 0) {
			free(real);
			return sbx_error(sbx, EINVAL,
					 "the workspace may not be / (that "
					 "would expose the whole host)");
		}
	}
	free(sbx->workspace);
	sbx->workspace = real;
	sbx->workspace_mode = mode;
	return 0;
}

SBX_EXPORT int sbx_set_workspace_mode(sbx_t *sbx, int mode)
{
	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (mode < 0 || mode >= SBX_WORKSPACE_MODE_MAX)
		return sbx_error(sbx, EINVAL, "unknown workspace mode %d",
				 mode);
	if (!sbx->workspace) {
		if (mode == SBX_WORKSPACE_RO)
			return 0; /* nothing to make read-only */
		return sbx_error(sbx, EINVAL,
				 "a writable mode needs a workspace, and "
				 "none is set: give its directory too");
	}
	sbx->workspace_mode = mode;
	return 0;
}

/* Paths inside the sandbox that the sandbox itself provides. */
static int reserved_dst(const char *dst)
{
	static const char *const reserved[] = { "/proc", "/dev" };
	size_t i, n;

	if (strcmp(dst, "/") == 0)
		return 1;
	for (i = 0; i < SBX_ARRAY_SIZE(reserved); i++) {
		n = strlen(reserved[i]);
		if (strncmp(dst, reserved[i], n) == 0 &&
		    (dst[n] == '\0' || dst[n] == '/'))
			return 1;
	}
	return 0;
}

/* An inside path: absolute, no "." or ".." components. */
static int valid_inside_path(const char *p)
{
	const char *c = p, *name;
	size_t n;

	if (!p || p[0] != '/' || strlen(p) >= PATH_MAX)
		return 0;
	while ((name = sbx_path_next(&c, &n)))
		if (sbx_path_dots(name, n))
			return 0;
	return 1;
}

SBX_EXPORT int sbx_add_bind(sbx_t *sbx, const char *src, const char *dst,
			    uint32_t flags)
{
	_cleanup_free_ char *real = NULL;
	_cleanup_free_ char *d = NULL;
	struct sbx_bind *n;
	int r;

	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (flags & ~(uint32_t)(SBX_BIND_RW | SBX_BIND_TRY))
		return sbx_error(sbx, EINVAL, "unknown bind flags 0x%x",
				 flags);
	if (!src || src[0] != '/')
		return sbx_error(sbx, EINVAL,
				 "bind source %s must be an absolute path",
				 src ? src : "(null)");
	if (!dst)
		dst = src;
	if (!valid_inside_path(dst))
		return sbx_error(sbx, EINVAL,
				 "bind destination %s must be an absolute "
				 "path without . or .. components",
				 dst);
	if (reserved_dst(dst))
		return sbx_error(sbx, EINVAL,
				 "bind destination %s is reserved: the "
				 "sandbox builds /, /proc and /dev itself",
				 dst);
	if (sbx->n_binds >= SBX_MAX_BINDS)
		return sbx_error(sbx, E2BIG, "too many binds (at most %d)",
				 SBX_MAX_BINDS);
	r = resolve_host_path(sbx, "bind source", src, 0, &real);
	if (r == -ENOENT && (flags & SBX_BIND_TRY)) {
		sbx_clear_error(sbx);
		return 0;
	}
	if (r < 0)
		return r;
	d = strdup(dst);
	if (!d)
		return -ENOMEM;
	n = realloc(sbx->binds, (sbx->n_binds + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	sbx->binds = n;
	n[sbx->n_binds].src = steal_pointer(&real);
	n[sbx->n_binds].dst = steal_pointer(&d);
	n[sbx->n_binds].flags = flags;
	sbx->n_binds++;
	return 0;
}

SBX_EXPORT int sbx_set_cwd(sbx_t *sbx, const char *path)
{
	char *p = NULL;

	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (path) {
		if (!valid_inside_path(path))
			return sbx_error(sbx, EINVAL,
					 "working directory %s must be an "
					 "absolute path inside the sandbox",
					 path);
		p = strdup(path);
		if (!p)
			return -ENOMEM;
	}
	free(sbx->cwd);
	sbx->cwd = p;
	return 0;
}

SBX_EXPORT int sbx_set_env(sbx_t *sbx, const char *name, const char *value)
{
	_cleanup_free_ char *n = NULL;
	_cleanup_free_ char *v = NULL;
	struct sbx_env *e;
	size_t i;
	int by_name;

	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (!name || !*name || strchr(name, '=') || strlen(name) > 4096)
		return sbx_error(sbx, EINVAL,
				 "environment variable name \"%s\" is empty, "
				 "too long or contains '='",
				 name ? name : "(null)");
	by_name = !value;
	if (!value)
		value = getenv(name);
	n = strdup(name);
	if (!n || (value && !(v = strdup(value))))
		return -ENOMEM;
	for (i = 0; i < sbx->n_env; i++)
		if (strcmp(sbx->env[i].name, name) == 0) {
			free(sbx->env[i].value);
			sbx->env[i].value = steal_pointer(&v);
			sbx->env[i].by_name = by_name;
			return 0;
		}
	if (sbx->n_env >= SBX_MAX_ENV)
		return sbx_error(sbx, E2BIG,
				 "too many environment variables (at most "
				 "%d)",
				 SBX_MAX_ENV);
	e = realloc(sbx->env, (sbx->n_env + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	sbx->env = e;
	e[sbx->n_env].name = steal_pointer(&n);
	e[sbx->n_env].value = steal_pointer(&v);
	e[sbx->n_env].by_name = by_name;
	sbx->n_env++;
	return 0;
}

SBX_EXPORT int sbx_clear_env(sbx_t *sbx)
{
	size_t i;

	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	for (i = 0; i < sbx->n_env; i++) {
		free(sbx->env[i].name);
		free(sbx->env[i].value);
	}
	free(sbx->env);
	sbx->env = NULL;
	sbx->n_env = 0;
	return 0;
}

SBX_EXPORT int sbx_set_stdio(sbx_t *sbx, int stream, int mode, int fd)
{
	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (stream < 0 || stream > 2)
		return sbx_error(sbx, EINVAL,
				 "stream %d: only 0, 1 and 2 exist", stream);
	if (mode < 0 || mode >= SBX_STDIO_MODE_MAX)
		return sbx_error(sbx, EINVAL, "unknown stdio mode %d", mode);
	if (mode == SBX_STDIO_CAPTURE && stream == 0)
		return sbx_error(sbx, EINVAL,
				 "stdin cannot be captured; use "
				 "sbx_set_input() or SBX_STDIO_PIPE");
	if (mode == SBX_STDIO_FD && fd < 0)
		return sbx_error(sbx, EINVAL,
				 "SBX_STDIO_FD needs a file descriptor, got "
				 "%d",
				 fd);
	if (stream == 0 && sbx->has_input) {
		free(sbx->input);
		sbx->input = NULL;
		sbx->input_len = 0;
		sbx->has_input = 0;
	}
	sbx->stdio_mode[stream] = mode;
	sbx->stdio_fd[stream] = mode == SBX_STDIO_FD ? fd : -1;
	return 0;
}

SBX_EXPORT int sbx_set_input(sbx_t *sbx, const void *data, size_t len)
{
	char *copy = NULL;

	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (!data && len)
		return sbx_error(sbx, EINVAL, "input is NULL but len is %zu",
				 len);
	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, len);
	}
	free(sbx->input);
	sbx->input = copy;
	sbx->input_len = len;
	sbx->has_input = 1;
	sbx->stdio_mode[0] = SBX_STDIO_PIPE;
	sbx->stdio_fd[0] = -1;
	return 0;
}

SBX_EXPORT int sbx_set_network(sbx_t *sbx, int mode)
{
	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (mode < 0 || mode >= SBX_NET_MODE_MAX)
		return sbx_error(sbx, EINVAL, "unknown network mode %d", mode);
	sbx->net = mode;
	return 0;
}

SBX_EXPORT int sbx_set_flag(sbx_t *sbx, int flag, int on)
{
	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (flag < 0 || flag >= SBX_FLAG_MAX)
		return sbx_error(sbx, EINVAL, "unknown flag %d", flag);
	if (on)
		sbx->flags |= 1u << flag;
	else
		sbx->flags &= ~(1u << flag);
	return 0;
}

SBX_EXPORT int sbx_exec(sbx_t *sbx, const char *const *argv)
{
	CHECK_HANDLE(sbx);
	CHECK_IDLE(sbx);
	if (!argv || !argv[0] || !argv[0][0])
		return sbx_error(sbx, EINVAL,
				 "nothing to run: argv is empty");
	sbx_clear_error(sbx);
	return sbx_rc(sbx_spawn(sbx, argv));
}

SBX_EXPORT int sbx_fd(const sbx_t *sbx, int kind)
{
	CHECK_HANDLE(sbx);
	if (kind < 0 || kind >= SBX_FD_KIND_MAX)
		return -EINVAL;
	if (sbx->state != SBX_STATE_RUNNING)
		return -ECHILD;
	if (kind == SBX_FD_STATUS)
		return sbx->done_fd >= 0 ? sbx->done_fd : -EBADF;
	if (sbx->stdio_mode[kind] != SBX_STDIO_PIPE || sbx->fds[kind] < 0)
		return -EBADF;
	if (kind == 0 && sbx->has_input)
		return -EBADF;
	return sbx->fds[kind];
}

SBX_EXPORT int sbx_take_fd(sbx_t *sbx, int kind)
{
	int fd = sbx_fd(sbx, kind);

	if (fd < 0)
		return fd;
	if (kind == SBX_FD_STATUS)
		sbx->done_fd = -1;
	else
		sbx->fds[kind] = -1;
	return fd;
}

SBX_EXPORT int sbx_close_stdin(sbx_t *sbx)
{
	CHECK_HANDLE(sbx);
	if (sbx->state != SBX_STATE_RUNNING)
		return -ECHILD;
	if (sbx->fds[0] < 0)
		return -EBADF;
	sbx_closep(&sbx->fds[0]);
	return 0;
}

SBX_EXPORT int sbx_wait(sbx_t *sbx)
{
	CHECK_HANDLE(sbx);
	return sbx_rc(sbx_wait_internal(sbx, 1));
}

SBX_EXPORT int sbx_try_wait(sbx_t *sbx)
{
	CHECK_HANDLE(sbx);
	return sbx_rc(sbx_wait_internal(sbx, 0));
}

SBX_EXPORT int sbx_kill(sbx_t *sbx)
{
	CHECK_HANDLE(sbx);
	return sbx_rc(sbx_kill_internal(sbx));
}

SBX_EXPORT int64_t sbx_result(const sbx_t *sbx, int field)
{
	const struct sbx_wire_result *r;

	if (!sbx || field < 0 || field >= SBX_RESULT_FIELD_MAX)
		return -EINVAL;
	if (!sbx->has_result)
		return -ENODATA;
	r = &sbx->res;
	switch (field) {
	case SBX_RESULT_STATUS:
		return r->status;
	case SBX_RESULT_EXIT_CODE:
		return r->exit_code;
	case SBX_RESULT_SIGNAL:
		return r->signal;
	case SBX_RESULT_WALL_MS:
		return (int64_t)r->wall_ms;
	case SBX_RESULT_CPU_USER_MS:
		return (int64_t)r->cpu_user_ms;
	case SBX_RESULT_CPU_SYSTEM_MS:
		return (int64_t)r->cpu_system_ms;
	case SBX_RESULT_PEAK_MEMORY:
		return (int64_t)r->peak_memory;
	case SBX_RESULT_STDOUT_TRUNCATED:
		return r->truncated[1];
	case SBX_RESULT_STDERR_TRUNCATED:
		return r->truncated[2];
	case SBX_RESULT_SETUP_ERRNO:
		return r->setup_errno;
	case SBX_RESULT_ID_RANGE:
		return r->id_range;
	case SBX_RESULT_DISK_FULL:
		return r->disk_full;
	case SBX_RESULT_WORKSPACE_CHANGES:
		return r->workspace_changes;
	case SBX_RESULT_DEGRADED:
		return r->degraded;
	case SBX_RESULT_WITHHELD:
		return r->withheld;
	case SBX_RESULT_UNAPPLIED:
		return r->unapplied;
	}
	return -EINVAL;
}

SBX_EXPORT const char *sbx_result_message(const sbx_t *sbx)
{
	return sbx && sbx->has_result ? sbx->res_msg : NULL;
}

SBX_EXPORT const char *sbx_result_json(const sbx_t *sbx)
{
	return sbx && sbx->has_result ? sbx->res_json : NULL;
}

SBX_EXPORT int sbx_output(const sbx_t *sbx, int stream, const char **ret_data,
			  size_t *ret_len)
{
	if (!sbx || (stream != 1 && stream != 2) || !ret_data || !ret_len)
		return -EINVAL;
	if (!sbx->has_result)
		return -ENODATA;
	*ret_data = sbx->out[stream].data ? sbx->out[stream].data : "";
	*ret_len = sbx->out[stream].len;
	return 0;
}

/* spawn.c - start the supervisor, hand it the configuration, wait for it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "etcmask.h"
#include "internal.h"

static int default_env(struct sbx_buf *cfg, const sbx_t *sbx, const char *name,
		       const char *value)
{
	size_t i;
	char *kv;
	int r;

	for (i = 0; i < sbx->n_env; i++)
		if (strcmp(sbx->env[i].name, name) == 0)
			return 0; /* the caller's choice wins */
	if (asprintf(&kv, "%s=%s", name, value) < 0)
		return -ENOMEM;
	r = sbx_wire_put_str(cfg, SBX_W_ENV, kv);
	free(kv);
	return r;
}

static int put_mask(void *cfg, const char *path)
{
	return sbx_wire_put_str(cfg, SBX_W_MASK, path);
}

static int build_config(sbx_t *sbx, const char *const *argv, uint32_t relay,
			struct sbx_buf *cfg)
{
	const char *home = "/home/sandbox";
	const char *term = getenv("TERM");
	const char *lang = getenv("LANG");
	struct sbx_wire_hdr hdr = { .magic = SBX_WIRE_MAGIC,
				    .version = SBX_WIRE_VERSION };
	size_t i;
	int r = 0;

	r = sbx_buf_append(cfg, &hdr, sizeof(hdr));
	for (i = 0; argv[i] && !r; i++)
		r = sbx_wire_put_str(cfg, SBX_W_ARG, argv[i]);
	/* The environment is built from scratch. */
	if (!r)
		r = default_env(cfg, sbx, "PATH",
				"/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:"
				"/usr/sbin:/sbin");
	if (!r)
		r = default_env(cfg, sbx, "HOME", home);
	if (!r)
		r = default_env(cfg, sbx, "LANG",
				lang && *lang ? lang : "C.UTF-8");
	if (!r)
		r = default_env(cfg, sbx, "TERM", term && *term ? term : "dumb");
	if (!r)
		r = default_env(cfg, sbx, "TMPDIR", "/tmp");
	for (i = 0; i < sbx->n_env && !r; i++) {
		char *kv;

		if (!sbx->env[i].value)
			continue; /* passed by name, but the caller has none */
		if (asprintf(&kv, "%s=%s", sbx->env[i].name,
			     sbx->env[i].value) < 0)
			return -ENOMEM;
		r = sbx_wire_put_str(cfg, SBX_W_ENV, kv);
		free(kv);
	}
	if (!r)
		r = sbx_wire_put_str(cfg, SBX_W_HOME, home);
	for (i = 0; i < sbx->n_binds && !r; i++) {
		struct sbx_buf b = { 0 };

		r = sbx_buf_append(&b, &sbx->binds[i].flags, sizeof(uint32_t));
		if (!r)
			r = sbx_buf_append(&b, sbx->binds[i].src,
					   strlen(sbx->binds[i].src) + 1);
		if (!r)
			r = sbx_buf_append(&b, sbx->binds[i].dst,
					   strlen(sbx->binds[i].dst) + 1);
		if (!r)
			r = sbx_wire_put(cfg, SBX_W_BIND, b.data, b.len);
		sbx_buf_free(&b);
	}
	if (sbx->workspace && !r) {
		struct sbx_buf b = { 0 };
		uint32_t mode = (uint32_t)sbx->workspace_mode;

		r = sbx_buf_append(&b, &mode, sizeof(mode));
		if (!r)
			r = sbx_buf_append(&b, sbx->workspace,
					   strlen(sbx->workspace) + 1);
		if (!r)
			r = sbx_wire_put(cfg, SBX_W_WORKSPACE, b.data, b.len);
		sbx_buf_free(&b);
	}
	if (!r)
		r = sbx_wire_put_str(cfg, SBX_W_CWD,
				     sbx->cwd	    ? sbx->cwd
				     : sbx->workspace ? "/workspace"
						      : home);
	for (i = 0; i < SBX_LIMIT_KIND_MAX && !r; i++) {
		struct {
			uint32_t kind, pad;
			uint64_t value;
		} l = { (uint32_t)i, 0, sbx->limits[i] };

		r = sbx_wire_put(cfg, SBX_W_LIMIT, &l, sizeof(l));
	}
	if (!r)
		r = sbx_wire_put_u32(cfg, SBX_W_NET, (uint32_t)sbx->net);
	if (!r)
		r = sbx_wire_put_u32(cfg, SBX_W_FLAGS, sbx->flags);
	if (!r)
		r = sbx_wire_put_u32(cfg, SBX_W_STDIO, relay);
	if (!r && sbx->has_input)
		r = sbx_wire_put(cfg, SBX_W_INPUT, sbx->input, sbx->input_len);
	if (!r)
		r = sbx_wire_put(cfg, SBX_W_SECCOMP, sbx->filter.bpf,
				 sbx->filter.len);
	/* A sandbox whose ids are the caller's could read what /etc keeps
	 * from other users through the caller's owner or group bits; a
	 * host-root caller's sandbox runs as an id that owns nothing. */
	if (!r && !sbx_is_host_root())
		r = sbx_host_masks_each(put_mask, cfg);
	if (!r) /* required layers, the degraded filter (policy-run.c) */
		r = sbx_policy_put_config(sbx, cfg);
	if (!r)
		r = sbx_wire_put(cfg, SBX_W_END, NULL, 0);
	if (!r)
		((struct sbx_wire_hdr *)cfg->data)->length =
			(uint32_t)(cfg->len - sizeof(hdr));
	return r;
}

/* Keep a descriptor out of 0..2, so dup2 onto 0..2 cannot clobber it. */
static int above_stdio(int fd)
{
	int n;

	if (fd < 0 || fd > 2)
		return fd;
	n = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return n;
}

struct spawn_fds {
	int ctl[2];
	int done[2];
	int pipes[3][2];
	int given[3];
};

static void close_spawn_fds(struct spawn_fds *f, int keep_caller_ends)
{
	int i;

	sbx_closep(&f->ctl[1]);
	sbx_closep(&f->done[1]);
	if (!keep_caller_ends) {
		sbx_closep(&f->ctl[0]);
		sbx_closep(&f->done[0]);
	}
	for (i = 0; i < 3; i++) {
		int mine = i == 0 ? 1 : 0; /* the caller's end */

		sbx_closep(&f->pipes[i][!mine]);
		if (!keep_caller_ends)
			sbx_closep(&f->pipes[i][mine]);
		sbx_closep(&f->given[i]);
	}
}

/* The same file, pipe or terminal: what goes to one goes to the other
 * anyway. */
static int same_file(int a, int b)
{
	struct stat sa, sb;

	return a >= 0 && b >= 0 && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * The supervisor's fds 0..2: the caller's own descriptors (INHERIT, FD),
 * the library's pipes (PIPE, CAPTURE) or /dev/null.  The program gets
 * none of them: the supervisor relays each stream through a pipe of its
 * own or the sandbox's terminal (enum sbx_relay says how).
 */
static int setup_stdio(sbx_t *sbx, struct spawn_fds *f,
		       posix_spawn_file_actions_t *fa, uint32_t *ret_relay)
{
	static const uint32_t relayed[3] = { SBX_RELAY_STDIN, SBX_RELAY_STDOUT,
					     SBX_RELAY_STDERR };
	int caller[3] = { -1, -1, -1 }; /* the caller's fd of each stream */
	uint32_t relay = 0;
	int i, r;

	for (i = 0; i < 3; i++) {
		int mode = sbx->stdio_mode[i];

		switch (mode) {
		case SBX_STDIO_INHERIT:
			caller[i] = i;
			relay |= relayed[i] | SBX_RELAY_SHARED(i);
			break;
		case SBX_STDIO_NULL:
			/* the supervisor's, read or written by nobody */
			r = posix_spawn_file_actions_addopen(
				fa, i, "/dev/null", i ? O_WRONLY : O_RDONLY, 0);
			if (r)
				return -r;
			break;
		case SBX_STDIO_FD:
			f->given[i] =
				fcntl(sbx->stdio_fd[i], F_DUPFD_CLOEXEC, 3);
			if (f->given[i] < 0)
				return sbx_error(sbx, EBADF,
						 "stream %d: fd %d is not open",
						 i, sbx->stdio_fd[i]);
			r = posix_spawn_file_actions_adddup2(fa, f->given[i],
							     i);
			if (r)
				return -r;
			caller[i] = f->given[i];
			relay |= relayed[i] | SBX_RELAY_SHARED(i);
			break;
		case SBX_STDIO_PIPE:
		case SBX_STDIO_CAPTURE:
			if (i == 0 && sbx->has_input) {
				/* the supervisor feeds it from the config */
				relay |= SBX_RELAY_INPUT;
				r = posix_spawn_file_actions_addopen(
					fa, 0, "/dev/null", O_RDONLY, 0);
				if (r)
					return -r;
				break;
			}
			if (pipe2(f->pipes[i], O_CLOEXEC) < 0)
				return -errno;
			f->pipes[i][0] = above_stdio(f->pipes[i][0]);
			f->pipes[i][1] = above_stdio(f->pipes[i][1]);
			if (f->pipes[i][0] < 0 || f->pipes[i][1] < 0)
				return -EMFILE;
			r = posix_spawn_file_actions_adddup2(
				fa, f->pipes[i][i == 0 ? 0 : 1], i);
			if (r)
				return -r;
			relay |= relayed[i];
			break;
		}
	}
	/* Where both go to one place anyway (a terminal, 2>&1), one pipe
	 * keeps their order; 2>errors.log keeps its own. */
	if ((relay & SBX_RELAY_STDOUT) && (relay & SBX_RELAY_STDERR) &&
	    same_file(caller[1], caller[2]))
		relay |= SBX_RELAY_MERGE_ERR;
	/* Typing into a terminal echoes and edits what arrives: only from
	 * a terminal, or a caller who types (PIPE). */
	if ((sbx->flags & (1u << SBX_FLAG_PTY)) && (relay & SBX_RELAY_STDIN) &&
	    (sbx->stdio_mode[0] == SBX_STDIO_PIPE || isatty(caller[0])))
		relay |= SBX_RELAY_PTY_IN;
	*ret_relay = relay;
	return 0;
}

/*
 * Say what is wrong with the supervisor's path before starting it:
 * posix_spawn's bare EACCES does not tell a directory from a file
 * without the x bit.
 */
int sbx_check_supervisor(sbx_t *sbx, const char *sup)
{
	static const char *const hint =
		"is libsandbox installed, or SBX_SUPERVISOR set to the build "
		"tree's sbx-supervisor?";
	struct stat st;

	if (stat(sup, &st) < 0)
		return sbx_error(sbx, ENOENT,
				 "the supervisor %s cannot be found (%s); %s",
				 sup, strerror(errno), hint);
	if (S_ISDIR(st.st_mode))
		return sbx_error(sbx, ENOENT,
				 "the supervisor %s is a directory, not the "
				 "sbx-supervisor executable; %s",
				 sup, hint);
	if (!S_ISREG(st.st_mode))
		return sbx_error(sbx, ENOENT,
				 "the supervisor %s is not a regular file; %s",
				 sup, hint);
	if (access(sup, X_OK) < 0)
		return sbx_error(sbx, ENOENT,
				 "the supervisor %s is not executable (mode "
				 "%04o: %s); %s",
				 sup, (unsigned)(st.st_mode & 07777),
				 strerror(errno), hint);
	return 0;
}

/* "exited with status N" or "was killed by signal N", for messages. */
static const char *describe_exit(int status, char *buf, size_t size)
{
	if (status != -1 && WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d",
			 WTERMSIG(status));
	else if (status != -1 && WIFEXITED(status))
		snprintf(buf, size, "exited with status %d",
			 WEXITSTATUS(status));
	else
		snprintf(buf, size, "ended");
	return buf;
}

/* The caller's descriptor table is full: its own limit, not ours. */
static int caller_out_of_fds(sbx_t *sbx)
{
	struct rlimit rl = { 0, 0 };

	getrlimit(RLIMIT_NOFILE, &rl);
	return sbx_error(sbx, EMFILE,
			 "cannot start a sandbox: the calling process ran out "
			 "of file descriptors (RLIMIT_NOFILE soft limit %llu); "
			 "a run needs about ten free ones to start and five "
			 "while it runs: close some, or raise the limit",
			 (unsigned long long)rl.rlim_cur);
}

/* The supervisor starts with an empty environment but for the caller's
 * TMPDIR: where a run without namespaces keeps its /tmp when the host's
 * is read-only (degraded.c).  envp[0] is malloc'd or NULL. */
static void supervisor_env(char **envp)
{
	const char *t = getenv("TMPDIR");

	envp[0] = NULL;
	if (t && t[0] == '/' && asprintf(&envp[0], "TMPDIR=%s", t) < 0)
		envp[0] = NULL;
}

int sbx_spawn(sbx_t *sbx, const char *const *argv)
{
	struct spawn_fds f = { { -1, -1 },
			       { -1, -1 },
			       { { -1, -1 }, { -1, -1 }, { -1, -1 } },
			       { -1, -1, -1 } };
	struct sbx_buf cfg = { 0 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	const char *sup = sbx_supervisor_path();
	char *const sup_argv[] = { (char *)"sbx-supervisor", NULL };
	char *sup_env[2] = { NULL, NULL };
	uint32_t relay = 0;
	pid_t pid;
	int i, r;

	/* The last run's supervisor first, whatever happens to this one. */
	sbx_reap_zombie(sbx);
	r = sbx_check_supervisor(sbx, sup);
	if (r < 0)
		return r;
	r = sbx_seccomp_compile(sbx);
	if (r < 0)
		return r;
	sbx_result_reset(sbx);

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	r = setup_stdio(sbx, &f, &fa, &relay);
	if (r < 0)
		goto out;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, f.ctl) < 0) {
		r = -errno;
		goto out;
	}
	f.ctl[0] = above_stdio(f.ctl[0]);
	f.ctl[1] = above_stdio(f.ctl[1]);
	if (f.ctl[0] < 0 || f.ctl[1] < 0) {
		r = -EMFILE;
		goto out;
	}
	if (pipe2(f.done, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	f.done[0] = above_stdio(f.done[0]);
	f.done[1] = above_stdio(f.done[1]);
	if (f.done[0] < 0 || f.done[1] < 0) {
		r = -EMFILE;
		goto out;
	}
	r = posix_spawn_file_actions_adddup2(&fa, f.ctl[1], SBX_SUP_FD_CTL);
	if (!r)
		r = posix_spawn_file_actions_adddup2(&fa, f.done[1],
						     SBX_SUP_FD_DONE);
	if (r) {
		r = -r;
		goto out;
	}
	r = build_config(sbx, argv, relay, &cfg);
	if (r < 0)
		goto out;

	/* A clean start whatever the host did to its signals (Python
	 * ignores SIGPIPE; ignored signals survive exec). */
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr,
				 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	supervisor_env(sup_env);
	r = posix_spawn(&pid, sup, &fa, &attr, sup_argv, sup_env);
	free(sup_env[0]);
	if (r) {
		r = sbx_error(sbx, r, "cannot start the supervisor %s: %s",
			      sup, strerror(r));
		goto out;
	}
	sbx->sup_pid = pid;
	close_spawn_fds(&f, 1);
	sbx->ctl_fd = f.ctl[0];
	sbx->done_fd = f.done[0];
	sbx->fds[0] = f.pipes[0][1];
	sbx->fds[1] = f.pipes[1][0];
	sbx->fds[2] = f.pipes[2][0];
	sbx->state = SBX_STATE_RUNNING;
	for (i = 1; i < 3; i++)
		sbx->out[i].len = 0;
	/* The supervisor reads the whole config before anything else, so a
	 * blocking write cannot deadlock; EPIPE means it died at once. */
	r = sbx_send_full(sbx->ctl_fd, cfg.data, cfg.len);
	sbx_buf_free(&cfg);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (r < 0) {
		char how[48];
		int status;

		sbx_reap_status(sbx, &status);
		return sbx_error(sbx, EPROTO,
				 "the supervisor %s %s before reading its "
				 "configuration: is it libsandbox's "
				 "sbx-supervisor (SBX_SUPERVISOR)?",
				 sup, describe_exit(status, how, sizeof(how)));
	}
	return 0;
out:
	sbx_buf_free(&cfg);
	close_spawn_fds(&f, 0);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (r == -EMFILE)
		return caller_out_of_fds(sbx);
	if (r == -ENOMEM || r == -ENFILE || r == -EAGAIN)
		return sbx_error(sbx, r, "cannot start a sandbox: %s",
				 strerror(-r));
	return r;
}

/* Wait for the supervisor process itself.  It exits right after writing
 * the result; when it has not quite yet and the caller may not block, it
 * is reaped at the next sbx_exec() or sbx_destroy(). */
static void reap_supervisor(sbx_t *sbx, int block, int *ret_status)
{
	int status = 0;
	pid_t r;

	if (ret_status)
		*ret_status = -1;
	if (sbx->sup_pid <= 0)
		return;
	do
		r = waitpid(sbx->sup_pid, &status, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		sbx->zombie_pid = sbx->sup_pid;
	} else if (ret_status && r > 0) {
		*ret_status = status;
	}
	sbx->sup_pid = -1;
}

/* A supervisor killed before it cleaned up leaves its (empty) cgroup:
 * have a new one remove what dead supervisors left. */
static void collect_dead_supervisors(void)
{
	char *const argv[] = { (char *)"sbx-supervisor", (char *)"--gc", NULL };
	char *envp[2] = { NULL, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	supervisor_env(envp);

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, sbx_supervisor_path(), &fa, NULL, argv, envp) ==
	    0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	posix_spawn_file_actions_destroy(&fa);
	free(envp[0]);
}

void sbx_reap_zombie(sbx_t *sbx)
{
	if (sbx->zombie_pid > 0) {
		while (waitpid(sbx->zombie_pid, NULL, 0) < 0 && errno == EINTR)
			;
		sbx->zombie_pid = -1;
	}
}

/* The supervisor's answer is self-delimiting: complete once the record
 * and its texts (message, layers, degraded reason, withheld paths) are
 * in. */
static int result_complete(const struct sbx_buf *b)
{
	struct sbx_wire_result res;

	if (b->len < sizeof(res))
		return 0;
	memcpy(&res, b->data, sizeof(res));
	return b->len >= sizeof(res) + (size_t)res.msg_len + res.layers_len +
				 res.reason_len + res.withheld_len +
				 res.unapplied_dir_len;
}

static void close_run_fds(sbx_t *sbx)
{
	int i;

	sbx_closep(&sbx->ctl_fd);
	sbx_closep(&sbx->done_fd);
	for (i = 0; i < 3; i++)
		sbx_closep(&sbx->fds[i]);
	sbx_buf_free(&sbx->ctl_in);
}

/* Read what is there on fd into b (capped by cap: the rest is dropped);
 * returns 1 at EOF, 0 if more may come, -errno. */
static int drain(int fd, struct sbx_buf *b, uint64_t cap)
{
	char tmp[65536];

	for (;;) {
		ssize_t n = read(fd, tmp, sizeof(tmp));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (n == 0)
			return 1;
		if (b->len < cap) {
			size_t take = (size_t)n;

			if (take > cap - b->len)
				take = (size_t)(cap - b->len);
			if (sbx_buf_append(b, tmp, take) < 0)
				return -ENOMEM;
		}
		if ((size_t)n < sizeof(tmp))
			return 0;
	}
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -errno : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int sbx_wait_internal(sbx_t *sbx, int block)
{
	struct pollfd pfd[3];
	int status, i, r;

	if (sbx->state == SBX_STATE_DONE)
		return 0;
	if (sbx->state != SBX_STATE_RUNNING)
		return sbx_error(sbx, ECHILD, "no sandbox was started");
	set_nonblock(sbx->ctl_fd);
	for (i = 1; i < 3; i++)
		if (sbx->stdio_mode[i] == SBX_STDIO_CAPTURE && sbx->fds[i] >= 0)
			set_nonblock(sbx->fds[i]);
	for (;;) {
		int n = 0, ctl_eof = 0;

		r = drain(sbx->ctl_fd, &sbx->ctl_in, UINT64_MAX);
		if (r < 0 && r != -ECONNRESET)
			return sbx_error(sbx, r, "reading the supervisor: %s",
					 strerror(-r));
		ctl_eof = r != 0 || result_complete(&sbx->ctl_in);
		if (!ctl_eof)
			pfd[n++] = (struct pollfd){ sbx->ctl_fd, POLLIN, 0 };
		for (i = 1; i < 3; i++) {
			if (sbx->stdio_mode[i] != SBX_STDIO_CAPTURE ||
			    sbx->fds[i] < 0)
				continue;
			/* uncapped here: the supervisor enforces the cap */
			r = drain(sbx->fds[i], &sbx->out[i], UINT64_MAX);
			if (r < 0)
				return sbx_error(sbx, r,
						 "reading stream %d: %s", i,
						 strerror(-r));
			if (r == 1) {
				sbx_closep(&sbx->fds[i]);
				continue;
			}
			pfd[n++] = (struct pollfd){ sbx->fds[i], POLLIN, 0 };
		}
		if (n == 0)
			break;
		if (!block)
			return -EAGAIN;
		if (poll(pfd, (nfds_t)n, -1) < 0 && errno != EINTR)
			return sbx_error(sbx, errno, "poll: %s",
					 strerror(errno));
	}
	/* A supervisor that answered is finishing its cleanup (the cgroup):
	 * not the caller's wait; sbx_destroy() or the next sbx_exec() reaps
	 * it.  One that did not answer has exited or is exiting: wait. */
	reap_supervisor(sbx, !result_complete(&sbx->ctl_in), &status);
	r = sbx_result_take(sbx, sbx->ctl_in.data, sbx->ctl_in.len);
	close_run_fds(sbx);
	sbx->state = SBX_STATE_DONE;
	if (r < 0) {
		sbx->state = SBX_STATE_IDLE;
		sbx_reap_zombie(sbx);
		collect_dead_supervisors();
		if (status != -1 && WIFSIGNALED(status))
			return sbx_error(sbx, EPROTO,
					 "the supervisor was killed by signal "
					 "%d before it reported a result",
					 WTERMSIG(status));
		return sbx_error(sbx, EPROTO,
				 "the supervisor %s exited (status %d) without "
				 "a result: is it libsandbox's sbx-supervisor "
				 "(SBX_SUPERVISOR), of this version?",
				 sbx_supervisor_path(),
				 status != -1 && WIFEXITED(status)
					 ? WEXITSTATUS(status)
					 : -1);
	}
	return 0;
}

int sbx_kill_internal(sbx_t *sbx)
{
	if (sbx->state != SBX_STATE_RUNNING || sbx->ctl_fd < 0)
		return -ECHILD;
	/* End of the caller's stream: the supervisor kills the sandbox and
	 * still reports the result on the other direction. */
	if (shutdown(sbx->ctl_fd, SHUT_WR) < 0)
		return -errno;
	return 0;
}

/* Kill and reap without keeping a result (sbx_destroy of a running
 * sandbox).  The caller's pipe ends are closed first so the supervisor
 * never blocks writing output nobody will read. */
void sbx_reap(sbx_t *sbx)
{
	struct timespec deadline, now;
	int i, killed = 0;

	for (i = 0; i < 3; i++)
		sbx_closep(&sbx->fds[i]);
	if (sbx->ctl_fd >= 0) {
		shutdown(sbx->ctl_fd, SHUT_WR);
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += 10;
		for (;;) {
			struct pollfd p = { sbx->ctl_fd, POLLIN, 0 };
			char tmp[4096];
			ssize_t n;
			long ms;

			clock_gettime(CLOCK_MONOTONIC, &now);
			ms = (deadline.tv_sec - now.tv_sec) * 1000 +
			     (deadline.tv_nsec - now.tv_nsec) / 1000000;
			if (ms <= 0) {
				/* last resort: the sandbox dies with it */
				kill(sbx->sup_pid, SIGKILL);
				killed = 1;
				break;
			}
			if (poll(&p, 1, (int)ms) < 0 && errno != EINTR)
				break;
			n = read(sbx->ctl_fd, tmp, sizeof(tmp));
			if (n == 0 || (n < 0 && errno != EINTR &&
				       errno != EAGAIN))
				break;
		}
	}
	if (sbx->sup_pid > 0)
		reap_supervisor(sbx, 1, NULL);
	sbx_reap_zombie(sbx);
	if (killed)
		collect_dead_supervisors();
	close_run_fds(sbx);
	sbx->state = SBX_STATE_IDLE;
}

/*
 * The supervisor closed its end of the control socket before reading the
 * configuration: it is exiting, or it is not a supervisor at all and may
 * go on running (anything SBX_SUPERVISOR names).  Reap it without
 * hanging on such a program: a moment's grace, then SIGKILL.
 */
void sbx_reap_status(sbx_t *sbx, int *ret_status)
{
	int status = -1, i;
	pid_t r = 0;

	for (i = 0; i < 200 && sbx->sup_pid > 0; i++) {
		r = waitpid(sbx->sup_pid, &status, WNOHANG);
		if (r != 0 && !(r < 0 && errno == EINTR))
			break;
		usleep(10000);
	}
	if (sbx->sup_pid > 0 && r == 0) {
		kill(sbx->sup_pid, SIGKILL);
		while (waitpid(sbx->sup_pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	sbx->sup_pid = -1;
	*ret_status = status;
	close_run_fds(sbx);
	sbx->state = SBX_STATE_IDLE;
}

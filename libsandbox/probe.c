/* probe.c - sbx_probe_host(): run the supervisor in its probe mode
 * (supervisor/probe.c) and keep its report.  The checks run there, not
 * here: the supervisor is the process that builds sandboxes (an AppArmor
 * profile may name it), and it is single-threaded, so it may fork and
 * unshare freely. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "jsonpos.h"

#define PROBE_TIMEOUT_MS 20000
#define PROBE_MAX_BYTES (1u << 20)

static int spawn_probe(sbx_t *sbx, const char *sup, int out, pid_t *ret_pid)
{
	char *const argv[] = { (char *)"sbx-supervisor", (char *)"--probe",
			       NULL };
	char *const envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	int r;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
						POSIX_SPAWN_SETSIGMASK);
	r = posix_spawn(ret_pid, sup, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (r)
		return sbx_error(sbx, r, "cannot start the supervisor %s: %s",
				 sup, strerror(r));
	return 0;
}

/* Read to EOF within the deadline. */
static int read_report(int fd, struct sbx_buf *b)
{
	struct timespec start, now;
	char tmp[4096];

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long ms;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = PROBE_TIMEOUT_MS -
		     ((now.tv_sec - start.tv_sec) * 1000 +
		      (now.tv_nsec - start.tv_nsec) / 1000000);
		if (ms <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)ms) < 0 && errno != EINTR)
			return -errno;
		n = read(fd, tmp, sizeof(tmp));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (b->len + (size_t)n > PROBE_MAX_BYTES)
			return -E2BIG;
		if (sbx_buf_append(b, tmp, (size_t)n) < 0)
			return -ENOMEM;
	}
}

/* 0 when the report says the default policy can run, 1 when not. */
static int verdict(sbx_t *sbx, const char *text)
{
	json_object *o = sbx_json_parse(text), *v;
	int r;

	if (!o || !json_object_object_get_ex(o, "can_run_default", &v) ||
	    !json_object_is_type(v, json_type_boolean)) {
		json_object_put(o);
		return sbx_error(sbx, EPROTO,
				 "the supervisor's probe report is not what "
				 "this library expects; reinstall libsandbox");
	}
	r = json_object_get_boolean(v) ? 0 : 1;
	json_object_put(o);
	return r;
}

int sbx_probe(sbx_t *sbx)
{
	const char *sup = sbx_supervisor_path();
	struct sbx_buf b = { 0 };
	int pipefd[2], status = 0, r;
	pid_t pid;

	r = sbx_check_supervisor(sbx, sup);
	if (r < 0)
		return r;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return sbx_error(sbx, errno, "cannot probe the host: %s",
				 strerror(errno));
	r = spawn_probe(sbx, sup, pipefd[1], &pid);
	close(pipefd[1]);
	if (r < 0) {
		close(pipefd[0]);
		return r;
	}
	r = read_report(pipefd[0], &b);
	close(pipefd[0]);
	if (r < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		r = -EPROTO;
	if (r == 0)
		r = sbx_buf_append(&b, "", 1); /* the NUL */
	if (r < 0) {
		sbx_buf_free(&b);
		if (r == -ENOMEM)
			return r;
		return sbx_error(sbx, EPROTO,
				 "the supervisor %s gave no host report (%s)",
				 sup,
				 r == -EPROTO ? "it failed" : strerror(-r));
	}
	r = verdict(sbx, b.data);
	if (r < 0) {
		sbx_buf_free(&b);
		return r;
	}
	free(sbx->pol.probe);
	sbx->pol.probe = b.data;
	return r;
}

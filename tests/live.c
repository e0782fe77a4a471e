/* live.c - helpers of the live attack suites (see live.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"

#ifndef LIVE_HELPER_DIR
#error "LIVE_HELPER_DIR must name the build tree's tests directory"
#endif

extern char **environ;

const char *live_host_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("SBX_TEST_HELPERS");

	if (!dir || !*dir)
		dir = LIVE_HELPER_DIR;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

void live_setup(sbx_t *sbx)
{
	static const char *const helpers[] = { "try-syscall", "try-escape" };
	size_t i;

	for (i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		char dst[256];

		snprintf(dst, sizeof(dst), "%s/%s", LIVE_DIR, helpers[i]);
		CU_ASSERT_EQUAL(sbx_add_bind(sbx, live_host_path(helpers[i]),
					     dst, 0),
				0);
	}
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS), 0);
}

const char *live_marker(const char *what)
{
	static char buf[128];
	static unsigned n;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, sizeof(buf), "sbx-mark-%s-%d-%u-%ld", what, (int)getpid(),
		 ++n, ts.tv_nsec);
	return buf;
}

static char *read_all(int fd)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (len + 4097 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

int live_host_run(const char *const *argv, int in_fd, char **ret_out)
{
	posix_spawn_file_actions_t fa;
	int p[2], st, r;
	pid_t pid;
	char *out;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	if (in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
						 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	r = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv,
			environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r) {
		close(p[0]);
		return -r;
	}
	out = read_all(p[0]);
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (ret_out)
		*ret_out = out ? out : strdup("");
	else
		free(out);
	return st;
}

pid_t live_host_spawn(const char *const *argv)
{
	pid_t pid = fork();
	int i, nul;

	if (pid != 0)
		return pid < 0 ? -errno : pid;
	/* It dies with the test, even when a failed assertion ends the
	 * test before its cleanup.  (The tests are single-threaded.) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	nul = open("/dev/null", O_RDWR);
	for (i = 0; i < 3; i++)
		dup2(nul, i);
	execve(argv[0], (char *const *)argv, environ);
	_exit(127);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

int live_wait_count(const char *marker, int want, int ms)
{
	int n;

	for (;;) {
		n = tl_count_procs(marker);
		if (n == want || ms <= 0)
			return n;
		sleep_ms(50);
		ms -= 50;
	}
}

int live_wait_count_atleast(const char *marker, int want, int ms)
{
	int n;

	for (;;) {
		n = tl_count_procs(marker);
		if (n >= want || ms <= 0)
			return n;
		sleep_ms(50);
		ms -= 50;
	}
}

void live_kill_marked(const char *marker)
{
	tl_signal_procs(marker, SIGKILL);
}

const char *live_value(const char *out, const char *key)
{
	static char val[4096];
	size_t kl = strlen(key);
	const char *p = out;

	while (p && *p) {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			const char *e = strchrnul(p + kl + 1, '\n');
			size_t n = (size_t)(e - (p + kl + 1));

			if (n >= sizeof(val))
				n = sizeof(val) - 1;
			memcpy(val, p + kl + 1, n);
			val[n] = '\0';
			return val;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

int live_int(const char *out, const char *key, int dflt)
{
	const char *v = live_value(out, key);
	char *end;
	long n;

	if (!v)
		return dflt;
	n = strtol(v, &end, 10);
	return end == v ? dflt : (int)n;
}

pid_t live_child_of(pid_t pid)
{
	char path[64], buf[256];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
		 (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return (pid_t)atoi(buf);
}

int live_wait_done(sbx_t *sbx, int ms)
{
	struct timespec now, end;
	int fd = sbx_fd(sbx, SBX_FD_STATUS), r;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		char c;

		r = sbx_try_wait(sbx);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (r != -EAGAIN || now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			return r;
		/* EOF on the status fd: the result is coming; else wait */
		if (fd < 0 || (poll(&p, 1, 100) > 0 && read(fd, &c, 1) == 0))
			sleep_ms(10);
	}
}

/* watch.c - the supervisor's loop: wall clock, the caller's liveness, the
 * sandbox's reports, and the output relay with its cap. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sup.h"

#define RELAY_BUF 65536

uint64_t sup_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct relay {
	int src;         /* the program's output (our read end) */
	int sink;        /* the caller's pipe */
	char buf[RELAY_BUF];
	size_t len;
	uint64_t passed; /* bytes handed on, counted against the cap */
	int truncated;
};

enum end_reason { END_NONE, END_TIMEOUT, END_KILLED };

struct watch {
	struct sup_run *run;
	struct relay relay[3];
	const char *in_pos;
	size_t in_left;
	int timer;
	int init_done;
	int init_status;
	struct rusage ru;
	int have_exit;
	int exit_status;
	int have_setup_error;
	enum end_reason reason;
	int caller_gone;
};

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void kill_sandbox(struct watch *w, enum end_reason why)
{
	if (w->reason == END_NONE && !w->init_done)
		w->reason = why;
	if (!w->init_done)
		kill(w->run->init_pid, SIGKILL); /* PID 1: the whole namespace */
}

static void closep(int *fd)
{
	sbx_closep(fd);
}

static void on_report(struct watch *w)
{
	struct sup_report rep;
	ssize_t n = read(w->run->report_fd, &rep, sizeof(rep));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n != (ssize_t)sizeof(rep)) {
		closep(&w->run->report_fd);
		return;
	}
	rep.msg[sizeof(rep.msg) - 1] = '\0';
	if (rep.kind == SUP_REPORT_SETUP && !w->have_setup_error) {
		w->have_setup_error = 1;
		w->run->res.setup_step = rep.step;
		w->run->res.setup_errno = rep.err;
		snprintf(w->run->msg, sizeof(w->run->msg), "%s", rep.msg);
	} else if (rep.kind == SUP_REPORT_EXIT) {
		w->have_exit = 1;
		w->exit_status = rep.wstatus;
	}
}

static void on_init_exit(struct watch *w)
{
	int st;
	pid_t p = wait4(w->run->init_pid, &st, WNOHANG, &w->ru);

	if (p == w->run->init_pid) {
		w->init_done = 1;
		w->init_status = st;
		closep(&w->run->init_pidfd);
		/* no PID namespace ends the rest with init (degraded.c) */
		sup_degraded_end(w->run->cfg);
	}
}

static void on_ctl(struct watch *w)
{
	char tmp[256];
	ssize_t n = read(w->run->ctl_fd, tmp, sizeof(tmp));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* sbx_kill(), sbx_destroy() or the caller died */
		w->caller_gone = 1;
		kill_sandbox(w, END_KILLED);
	}
}

/* Read what the program wrote; past the cap, read and drop it so the
 * program never blocks on the cap. */
static void relay_read(struct watch *w, struct relay *r, uint64_t cap)
{
	char drop[RELAY_BUF];

	for (;;) {
		size_t room = sizeof(r->buf) - r->len;
		int over = r->passed + r->len >= cap || r->sink < 0;
		ssize_t n;

		if (!over && room == 0)
			return;
		n = over ? read(r->src, drop, sizeof(drop))
			 : read(r->src, r->buf + r->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			closep(&r->src);
			return;
		}
		if (over) {
			if (r->sink >= 0)
				r->truncated = 1;
			continue;
		}
		if (r->passed + r->len + (size_t)n > cap) {
			r->truncated = 1;
			n = (ssize_t)(cap - r->passed - r->len);
		}
		r->len += (size_t)n;
	}
	(void)w;
}

static void relay_write(struct relay *r)
{
	while (r->len && r->sink >= 0) {
		ssize_t n = write(r->sink, r->buf, r->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			/* the caller closed its end: nobody wants the rest */
			closep(&r->sink);
			r->len = 0;
			return;
		}
		memmove(r->buf, r->buf + n, r->len - (size_t)n);
		r->len -= (size_t)n;
		r->passed += (uint64_t)n;
	}
}

static void feed_input(struct watch *w)
{
	while (w->in_left) {
		ssize_t n = write(w->run->in_sink, w->in_pos, w->in_left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0)
			break; /* the program closed its stdin */
		w->in_pos += n;
		w->in_left -= (size_t)n;
	}
	closep(&w->run->in_sink);
}

static int arm_timer(uint64_t ms)
{
	struct itimerspec its = { 0 };
	int fd;

	if (!ms)
		return -1;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return -1;
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	timerfd_settime(fd, 0, &its, NULL);
	return fd;
}

static int finished(struct watch *w)
{
	int i;

	if (!w->init_done || w->run->report_fd >= 0)
		return 0;
	for (i = 1; i < 3; i++) {
		struct relay *r = &w->relay[i];

		if (r->src >= 0 || (r->len && r->sink >= 0))
			return 0;
	}
	return 1;
}

static void fill_result(struct watch *w)
{
	struct sbx_wire_result *res = &w->run->res;
	const struct sup_config *cfg = w->run->cfg;
	int st = w->exit_status;
	int i;

	res->wall_ms = (sup_now_ns() - w->run->start_ns) / 1000000;
	res->cpu_user_ms = (uint64_t)w->ru.ru_utime.tv_sec * 1000 +
			   (uint64_t)w->ru.ru_utime.tv_usec / 1000;
	res->cpu_system_ms = (uint64_t)w->ru.ru_stime.tv_sec * 1000 +
			     (uint64_t)w->ru.ru_stime.tv_usec / 1000;
	for (i = 1; i < 3; i++)
		res->truncated[i] = (uint32_t)w->relay[i].truncated;
	if (res->truncated[1] || res->truncated[2])
		res->limits[SBX_LIMIT_OUTPUT].fired = 1;

	if (w->reason == END_TIMEOUT) {
		res->status = SBX_STATUS_TIMEOUT;
		res->signal = SIGKILL;
		res->limits[SBX_LIMIT_WALL_MS].fired = 1;
		snprintf(w->run->msg, sizeof(w->run->msg),
			 "wall-clock limit of %llu ms reached; every process "
			 "of the sandbox was killed",
			 (unsigned long long)cfg->limits[SBX_LIMIT_WALL_MS]);
	} else if (w->reason == END_KILLED) {
		res->status = SBX_STATUS_KILLED;
		res->signal = SIGKILL;
		snprintf(w->run->msg, sizeof(w->run->msg),
			 "killed at the caller's request");
	} else if (w->have_setup_error) {
		res->status = SBX_STATUS_SETUP_ERROR;
	} else if (w->have_exit && WIFEXITED(st)) {
		res->status = SBX_STATUS_EXITED;
		res->exit_code = WEXITSTATUS(st);
	} else if (w->have_exit && WIFSIGNALED(st)) {
		res->status = SBX_STATUS_SIGNALED;
		res->signal = WTERMSIG(st);
		snprintf(w->run->msg, sizeof(w->run->msg),
			 "the program was killed by signal %d (%s)%s",
			 res->signal, strsignal(res->signal),
			 res->signal == SIGSYS ? ": a denied system call"
					       : "");
	} else {
		/* init ended without a word: killed from outside */
		res->status = SBX_STATUS_SIGNALED;
		res->signal = WIFSIGNALED(w->init_status)
				      ? WTERMSIG(w->init_status)
				      : SIGKILL;
		snprintf(w->run->msg, sizeof(w->run->msg),
			 "the sandbox was killed by signal %d before the "
			 "program ended",
			 res->signal);
	}
}

void sup_watch(struct sup_run *run)
{
	static struct watch w;
	const struct sup_config *cfg = run->cfg;
	uint64_t cap = cfg->limits[SBX_LIMIT_OUTPUT];
	int i;

	w.run = run;
	w.timer = arm_timer(cfg->limits[SBX_LIMIT_WALL_MS]);
	w.relay[0].src = w.relay[0].sink = -1;
	for (i = 1; i < 3; i++) {
		w.relay[i].src = run->out_src[i];
		w.relay[i].sink = run->out_src[i] >= 0 ? i : -1;
		if (w.relay[i].src >= 0) {
			set_nonblock(w.relay[i].src);
			set_nonblock(w.relay[i].sink);
		}
	}
	if (run->in_sink >= 0) {
		w.in_pos = cfg->input;
		w.in_left = cfg->input_len;
		set_nonblock(run->in_sink);
		feed_input(&w);
	}
	set_nonblock(run->ctl_fd);
	set_nonblock(run->report_fd);

	while (!finished(&w)) {
		struct pollfd p[10];
		int n = 0, ip = -1, irep = -1, ictl = -1, itim = -1, iin = -1;
		int isrc[3] = { -1, -1, -1 }, isink[3] = { -1, -1, -1 };

		if (!w.init_done) {
			ip = n;
			p[n++] = (struct pollfd){ run->init_pidfd, POLLIN, 0 };
		}
		if (run->report_fd >= 0) {
			irep = n;
			p[n++] = (struct pollfd){ run->report_fd, POLLIN, 0 };
		}
		if (!w.caller_gone) {
			ictl = n;
			p[n++] = (struct pollfd){ run->ctl_fd, POLLIN, 0 };
		}
		if (w.timer >= 0 && !w.init_done) {
			itim = n;
			p[n++] = (struct pollfd){ w.timer, POLLIN, 0 };
		}
		if (run->in_sink >= 0) {
			iin = n;
			p[n++] = (struct pollfd){ run->in_sink, POLLOUT, 0 };
		}
		for (i = 1; i < 3; i++) {
			struct relay *r = &w.relay[i];

			if (r->src >= 0 && r->len < sizeof(r->buf)) {
				isrc[i] = n;
				p[n++] = (struct pollfd){ r->src, POLLIN, 0 };
			}
			if (r->len && r->sink >= 0) {
				isink[i] = n;
				p[n++] = (struct pollfd){ r->sink, POLLOUT, 0 };
			}
		}
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (ictl >= 0 && p[ictl].revents)
			on_ctl(&w);
		if (itim >= 0 && p[itim].revents)
			kill_sandbox(&w, END_TIMEOUT);
		if (irep >= 0 && p[irep].revents)
			on_report(&w);
		if (iin >= 0 && p[iin].revents)
			feed_input(&w);
		for (i = 1; i < 3; i++) {
			if (isrc[i] >= 0 && p[isrc[i]].revents)
				relay_read(&w, &w.relay[i], cap);
			if (isink[i] >= 0 && p[isink[i]].revents)
				relay_write(&w.relay[i]);
			if (w.relay[i].len && w.caller_gone)
				w.relay[i].len = 0; /* nobody will read it */
		}
		if (ip >= 0 && p[ip].revents)
			on_init_exit(&w);
	}
	for (i = 1; i < 3; i++)
		closep(&w.relay[i].sink);
	closep(&w.timer);
	fill_result(&w);
}

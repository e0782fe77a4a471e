/* watch.c - the supervisor's loop: wall clock, the caller's liveness, the
 * sandbox's reports, and the relay of the standard streams (relay.c). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"
#include "sup.h"

#define OUTPUT_GRACE_MS 2000

enum end_reason { END_NONE, END_TIMEOUT, END_KILLED, END_CPU, END_MEMORY };

struct watch {
	struct sup_run *run;
	int timer;
	int cpu_timer;
	int mem_timer;        /* the memory watch (memwatch.c) */
	uint64_t cpu_seen_us; /* procfs: the last whole-tree sample */
	int ncpu;
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

static void sample_tree_cpu(struct watch *w);

static void kill_sandbox(struct watch *w, enum end_reason why)
{
	if (w->init_done)
		return;
	if (w->reason == END_NONE)
		w->reason = why;
	/* processes killed with the namespace are reaped by the kernel, not
	 * by init: their CPU time must be read before */
	sample_tree_cpu(w);
	kill(w->run->init_pid, SIGKILL); /* PID 1: the whole namespace */
}

static void closep(int *fd)
{
	sbx_closep(fd);
}

/* Descriptors that came with a record: the sandbox's file system. */
static void take_fds(struct watch *w, const struct sup_report *rep,
		     int *fds, int n)
{
	if (rep->kind == SUP_REPORT_FS && w->run->root_fd < 0) {
		w->run->root_fd = fds[0];
		w->run->upper_fd = fds[1];
		return;
	}
	if (rep->kind == SUP_REPORT_PTY && fds[0] >= 0) {
		sup_relay_take_pty(fds[0]);
		closep(&fds[1]);
		return;
	}
	if (rep->kind == SUP_REPORT_MEM || rep->kind == SUP_REPORT_NOTIFY ||
	    rep->kind == SUP_REPORT_SOCKS) {
		sup_memwatch_take(&w->run->mem, rep->kind, fds, n);
		return;
	}
	closep(&fds[0]);
	closep(&fds[1]);
}

static void on_report(struct watch *w)
{
	struct sup_report rep;
	int fds[SUP_RECORD_FDS], k;
	ssize_t n = sup_recv_record(w->run->report_fd, &rep, fds, &k);

	/* (ECONNRESET is read past in report.c) */
	if (n == -EINTR || n == -EAGAIN)
		return;
	if (n > 0)
		take_fds(w, &rep, fds, k);
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

static void set_timer(int fd, uint64_t us);

/* What the program wrote and its destination has not taken yet is
 * delivered until the wall-clock limit; after a kill at the limit, for a
 * moment more (the caller reads it at once unless it cannot). */
static void output_grace(struct watch *w)
{
	struct itimerspec left;

	if (w->timer >= 0 && timerfd_gettime(w->timer, &left) == 0 &&
	    !left.it_value.tv_sec && !left.it_value.tv_nsec)
		set_timer(w->timer, OUTPUT_GRACE_MS * 1000);
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
		sup_degraded_end(w->run->plan);
		sup_relay_program_ended();
		output_grace(w);
	}
}

/* sbx_signal(): init sends it on to the program (process.c).  Through
 * the pidfd, so that it never reaches a pid used again; dropped once
 * init is gone (the program ended) or for a signal init does not relay. */
static void forward_signal(struct watch *w, unsigned char sig)
{
	if (w->init_done || w->run->init_pidfd < 0 ||
	    !sup_signal_forwarded(sig))
		return;
	if (syscall(SYS_pidfd_send_signal, w->run->init_pidfd, (int)sig,
		    NULL, 0) < 0) {
		/* init is ending: its exit is on the way */
	}
}

static void on_ctl(struct watch *w)
{
	unsigned char tmp[256];
	ssize_t n = read(w->run->ctl_fd, tmp, sizeof(tmp)), i;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	for (i = 0; i < n; i++) /* after the config: signals */
		forward_signal(w, tmp[i]);
	if (n <= 0) {
		/* sbx_kill(), sbx_destroy() or the caller died */
		w->caller_gone = 1;
		sup_relay_drop_output(); /* nobody will read it */
		kill_sandbox(w, END_KILLED);
	}
}

static void set_timer(int fd, uint64_t us)
{
	struct itimerspec its = { 0 };

	if (!us)
		us = 1;
	its.it_value.tv_sec = (time_t)(us / 1000000);
	its.it_value.tv_nsec = (long)(us % 1000000) * 1000;
	timerfd_settime(fd, 0, &its, NULL);
}

static int arm_timer(uint64_t ms)
{
	int fd;

	if (!ms)
		return -1;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd >= 0)
		set_timer(fd, ms * 1000);
	return fd;
}

/* CPU time of the whole sandbox so far, microseconds, or -1. */
static int64_t sandbox_cpu_us(struct watch *w)
{
	struct sup_plan *plan = w->run->plan;

	if (plan->cpu == SUP_CPU_CGROUP)
		return sup_cg_cpu_us(&plan->cg);
	if (plan->cpu == SUP_CPU_PROCFS)
		return sup_tree_cpu_us(w->run->init_pid);
	return -1;
}

static void sample_tree_cpu(struct watch *w)
{
	int64_t us;

	if (w->run->plan->cpu != SUP_CPU_PROCFS)
		return;
	us = sup_tree_cpu_us(w->run->init_pid);
	if (us > 0 && (uint64_t)us > w->cpu_seen_us)
		w->cpu_seen_us = (uint64_t)us;
}

/* The sandbox cannot burn CPU faster than it has CPUs: look again when
 * the rest of the budget could be gone at the earliest. */
static void on_cpu_check(struct watch *w)
{
	uint64_t limit = w->run->cfg->limits[SBX_LIMIT_CPU_MS] * 1000;
	int64_t used = sandbox_cpu_us(w);
	uint64_t next;

	if (used < 0)
		return;
	if (w->run->plan->cpu == SUP_CPU_PROCFS && (uint64_t)used > w->cpu_seen_us)
		w->cpu_seen_us = (uint64_t)used;
	/* the memory watch's samples, which a program can make slow
	 * (memwatch.c), are paid from the sandbox's budget */
	used += (int64_t)w->run->mem.cpu_us;
	if ((uint64_t)used >= limit) {
		kill_sandbox(w, END_CPU);
		return;
	}
	next = (limit - (uint64_t)used) / (uint64_t)w->ncpu;
	set_timer(w->cpu_timer, next < 2000 ? 2000 : next);
}

/* The memory watch: measure, kill at the limit, else look again when the
 * rest of the budget could be gone at the earliest. */
static void on_mem_check(struct watch *w)
{
	uint64_t limit = w->run->cfg->limits[SBX_LIMIT_MEMORY];
	uint64_t used = sup_memwatch_sample(&w->run->mem, w->run->init_pid,
					    w->run->plan->pol.degraded, limit);

	if (used >= limit) {
		kill_sandbox(w, END_MEMORY);
		return;
	}
	set_timer(w->mem_timer,
		  sup_memwatch_next_us(&w->run->mem, used, limit, w->ncpu));
}

static int count_cpus(const struct sup_config *cfg)
{
	cpu_set_t set;
	int n = 1;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (cfg->limits[SBX_LIMIT_CPU_SHARE]) {
		int share = (int)((cfg->limits[SBX_LIMIT_CPU_SHARE] + 999) /
				  1000);

		if (share < n)
			n = share;
	}
	return n > 0 ? n : 1;
}

static int finished(struct watch *w)
{
	return w->init_done && w->run->report_fd < 0 && !sup_relay_busy();
}

/* Did the sandbox use up its disk budget (bytes or inodes)? */
static int disk_full(int root_fd)
{
	struct statfs sf;

	if (root_fd < 0 || fstatfs(root_fd, &sf) < 0)
		return 0;
	return sf.f_bavail == 0 || sf.f_ffree == 0;
}

static void apply_workspace(struct watch *w)
{
	struct sup_run *run = w->run;
	char err[512];
	long n = 0;
	int r;

	if (run->upper_fd < 0 || run->cfg->workspace_mode != SBX_WORKSPACE_RW)
		return;
	r = sup_apply_changes(run->upper_fd, run->cfg->workspace,
			      run->cfg->limits[SBX_LIMIT_DISK],
			      sup_flag(run->cfg, SBX_FLAG_ALLOW_TRUSTED_PATHS),
			      &run->withheld, &run->unapplied, &n, err,
			      sizeof(err));
	run->res.workspace_changes = (uint32_t)n;
	run->res.unapplied = run->unapplied.count + run->unapplied.lost;
	if (r == 0)
		return;
	run->res.workspace_apply_errno = (int32_t)-r;
	snprintf(run->apply_msg, sizeof(run->apply_msg), "%s", err);
}

/* The limit an ending names, where the ending fired none itself. */
#define NO_LIMIT -1

/* How the run ended: its status, the signal that ended it, the limit that
 * fired (or NO_LIMIT) and the message that says so. */
static void __attribute__((format(printf, 5, 6)))
end_as(struct watch *w, uint32_t status, int sig, int limit,
       const char *fmt, ...)
{
	struct sbx_wire_result *res = &w->run->res;
	va_list ap;

	res->status = status;
	res->signal = sig;
	if (limit != NO_LIMIT)
		res->limits[limit].fired = 1;
	va_start(ap, fmt);
	vsnprintf(w->run->msg, sizeof(w->run->msg), fmt, ap);
	va_end(ap);
}

/* The program's own exit code and signal, where a limit explains why it
 * failed: 0 for what it did not do. */
static int program_exit_code(const struct watch *w)
{
	int st = w->exit_status;

	return w->have_exit && WIFEXITED(st) ? WEXITSTATUS(st) : 0;
}

static int program_signal(const struct watch *w)
{
	int st = w->exit_status;

	return w->have_exit && WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static void fill_result(struct watch *w)
{
	struct sbx_wire_result *res = &w->run->res;
	const struct sup_config *cfg = w->run->cfg;
	struct sup_cg_stats cg;
	int st = w->exit_status;
	int program_failed, memfs_full;

	sup_cg_read_stats(&w->run->plan->cg, &cg);
	res->wall_ms = (sup_now_ns() - w->run->start_ns) / 1000000;
	if (cg.have_cpu) {
		res->cpu_user_ms = cg.cpu_user_us / 1000;
		res->cpu_system_ms = cg.cpu_system_us / 1000;
		if (res->cpu_user_ms + res->cpu_system_ms == 0)
			res->cpu_user_ms = cg.cpu_total_us / 1000;
	} else {
		/* init's own and everything it reaped: the whole tree */
		res->cpu_user_ms = (uint64_t)w->ru.ru_utime.tv_sec * 1000 +
				   (uint64_t)w->ru.ru_utime.tv_usec / 1000;
		res->cpu_system_ms = (uint64_t)w->ru.ru_stime.tv_sec * 1000 +
				     (uint64_t)w->ru.ru_stime.tv_usec / 1000;
		/* what the kernel reaped itself is only in the last sample
		 * (its split into user and system is not known) */
		if (w->cpu_seen_us / 1000 >
		    res->cpu_user_ms + res->cpu_system_ms)
			res->cpu_user_ms = w->cpu_seen_us / 1000 -
					   res->cpu_system_ms;
	}
	/* without a cgroup: the largest process, or the largest sum the
	 * memory watch measured */
	res->peak_memory = cg.have_peak ? cg.peak_memory
					: (uint64_t)w->ru.ru_maxrss * 1024;
	if (!cg.have_peak && w->run->mem.peak > res->peak_memory)
		res->peak_memory = w->run->mem.peak;
	sup_relay_finish(res); /* truncation */
	if (res->truncated[1] || res->truncated[2])
		res->limits[SBX_LIMIT_OUTPUT].fired = 1;
	if (cg.oom_kills)
		res->limits[SBX_LIMIT_MEMORY].fired = 1;
	if (cg.pids_max_hits)
		res->limits[SBX_LIMIT_PIDS].fired = 1;
	if (disk_full(w->run->root_fd)) {
		res->disk_full = 1;
		res->limits[SBX_LIMIT_DISK].fired = 1;
	}
	program_failed = !w->have_exit || !WIFEXITED(st) || WEXITSTATUS(st);
	/* a memfd write past the limit fails (ENOSPC, SIGBUS when mapped)
	 * before the watch looks: the program failed at the limit */
	memfs_full = w->reason == END_NONE && program_failed &&
		     sup_memwatch_memfs_full(&w->run->mem);

	if (w->reason == END_TIMEOUT && cg.pids_max_hits) {
		/* A fork bomb the process limit held until the wall clock
		 * ended it: what stopped it was the process limit. */
		end_as(w, SBX_STATUS_PIDS_LIMIT, SIGKILL, SBX_LIMIT_WALL_MS,
		       "the process limit of %llu was reached (%llu "
		       "fork/clone calls failed) and the program kept "
		       "trying until the wall-clock limit of %llu ms, "
		       "which killed every process of the sandbox",
		       (unsigned long long)cfg->limits[SBX_LIMIT_PIDS],
		       (unsigned long long)cg.pids_max_hits,
		       (unsigned long long)cfg->limits[SBX_LIMIT_WALL_MS]);
	} else if (w->reason == END_TIMEOUT) {
		end_as(w, SBX_STATUS_TIMEOUT, SIGKILL, SBX_LIMIT_WALL_MS,
		       "wall-clock limit of %llu ms reached; every process "
		       "of the sandbox was killed",
		       (unsigned long long)cfg->limits[SBX_LIMIT_WALL_MS]);
	} else if (w->reason == END_CPU ||
		   (w->have_exit && WIFSIGNALED(st) &&
		    WTERMSIG(st) == SIGXCPU)) {
		end_as(w, SBX_STATUS_CPU_LIMIT, SIGKILL, SBX_LIMIT_CPU_MS,
		       "CPU time limit of %llu ms reached; every process of "
		       "the sandbox was killed",
		       (unsigned long long)cfg->limits[SBX_LIMIT_CPU_MS]);
	} else if (w->reason == END_MEMORY) {
		end_as(w, SBX_STATUS_MEMORY_LIMIT, SIGKILL, SBX_LIMIT_MEMORY,
		       "memory limit of %llu bytes reached: the supervisor "
		       "measured %llu bytes in the sandbox's processes "
		       "(their page tables too), memfds, shared memory and "
		       "socket buffers, and killed every process",
		       (unsigned long long)cfg->limits[SBX_LIMIT_MEMORY],
		       (unsigned long long)w->run->mem.last);
	} else if (w->reason == END_KILLED) {
		end_as(w, SBX_STATUS_KILLED, SIGKILL, NO_LIMIT,
		       "killed at the caller's request");
	} else if (cg.oom_kills && program_failed) {
		/* the memory limit's bit is set above */
		end_as(w, SBX_STATUS_MEMORY_LIMIT, SIGKILL, NO_LIMIT,
		       "memory limit of %llu bytes reached: the kernel "
		       "killed the sandbox (out of memory)",
		       (unsigned long long)cfg->limits[SBX_LIMIT_MEMORY]);
	} else if (memfs_full && !w->have_setup_error) {
		res->exit_code = program_exit_code(w);
		end_as(w, SBX_STATUS_MEMORY_LIMIT, program_signal(w),
		       SBX_LIMIT_MEMORY,
		       "memory limit of %llu bytes reached: the sandbox's "
		       "memfds filled it (writes failed with ENOSPC, "
		       "mapped pages with SIGBUS) and the program failed",
		       (unsigned long long)cfg->limits[SBX_LIMIT_MEMORY]);
	} else if (w->have_setup_error) {
		res->status = SBX_STATUS_SETUP_ERROR;
	} else if (cg.pids_max_hits && program_failed) {
		/* the process limit's bit is set above */
		res->exit_code = program_exit_code(w);
		end_as(w, SBX_STATUS_PIDS_LIMIT, program_signal(w), NO_LIMIT,
		       "the process limit of %llu was reached (%llu "
		       "fork/clone calls failed) and the program failed",
		       (unsigned long long)cfg->limits[SBX_LIMIT_PIDS],
		       (unsigned long long)cg.pids_max_hits);
	} else if (w->have_exit && WIFEXITED(st)) {
		res->status = SBX_STATUS_EXITED;
		res->exit_code = WEXITSTATUS(st);
	} else if (w->have_exit && WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);

		end_as(w, SBX_STATUS_SIGNALED, sig, NO_LIMIT,
		       "the program was killed by signal %d (%s)%s", sig,
		       strsignal(sig),
		       sig == SIGSYS	? ": a denied system call"
		       : sig == SIGXFSZ ? ": a file grew past the fsize limit"
					: "");
	} else {
		/* init ended without a word: killed from outside */
		int sig = WIFSIGNALED(w->init_status)
				  ? WTERMSIG(w->init_status)
				  : SIGKILL;

		end_as(w, SBX_STATUS_SIGNALED, sig, NO_LIMIT,
		       "the sandbox was killed by signal %d before the "
		       "program ended",
		       sig);
	}
}

void sup_watch(struct sup_run *run)
{
	static struct watch w;
	const struct sup_config *cfg = run->cfg;

	w.run = run;
	w.timer = arm_timer(cfg->limits[SBX_LIMIT_WALL_MS]);
	w.cpu_timer = -1;
	w.ncpu = count_cpus(cfg);
	if (cfg->limits[SBX_LIMIT_CPU_MS] && run->plan->cpu != SUP_CPU_NONE) {
		w.cpu_timer = timerfd_create(CLOCK_MONOTONIC,
					     TFD_CLOEXEC | TFD_NONBLOCK);
		if (w.cpu_timer >= 0)
			set_timer(w.cpu_timer,
				  cfg->limits[SBX_LIMIT_CPU_MS] * 1000 /
					  (uint64_t)w.ncpu);
	}
	sup_relay_start(cfg);
	w.mem_timer = -1;
	if (run->plan->mem_watch) {
		uint64_t limit = cfg->limits[SBX_LIMIT_MEMORY];

		w.mem_timer = timerfd_create(CLOCK_MONOTONIC,
					     TFD_CLOEXEC | TFD_NONBLOCK);
		if (w.mem_timer >= 0)
			set_timer(w.mem_timer, sup_memwatch_next_us(
						       &run->mem, 0, limit,
						       w.ncpu));
	}
	set_nonblock(run->ctl_fd);
	set_nonblock(run->report_fd);

	while (!finished(&w)) {
		struct pollfd p[18];
		int n = 0, ip = -1, irep = -1, ictl = -1, itim = -1;
		int icpu = -1, imem = -1, inot = -1;

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
		/* after the program: while its output still waits for a
		 * destination that does not take it */
		if (w.timer >= 0 && (!w.init_done || sup_relay_busy())) {
			itim = n;
			p[n++] = (struct pollfd){ w.timer, POLLIN, 0 };
		}
		if (w.cpu_timer >= 0 && !w.init_done) {
			icpu = n;
			p[n++] = (struct pollfd){ w.cpu_timer, POLLIN, 0 };
		}
		if (w.mem_timer >= 0 && !w.init_done) {
			imem = n;
			p[n++] = (struct pollfd){ w.mem_timer, POLLIN, 0 };
		}
		if (run->mem.listener >= 0) {
			inot = n;
			p[n++] = (struct pollfd){ run->mem.listener, POLLIN,
						  0 };
		}
		n = sup_relay_poll(p, n, (int)SBX_ARRAY_SIZE(p));
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (ictl >= 0 && p[ictl].revents)
			on_ctl(&w);
		if (itim >= 0 && p[itim].revents) {
			uint64_t ticks;

			if (read(w.timer, &ticks, sizeof(ticks)) < 0) {
				/* the next poll tells again */
			}
			if (w.init_done)
				sup_relay_drop_output();
			else
				kill_sandbox(&w, END_TIMEOUT);
		}
		if (icpu >= 0 && p[icpu].revents) {
			uint64_t ticks;

			if (read(w.cpu_timer, &ticks, sizeof(ticks)) > 0)
				on_cpu_check(&w);
		}
		if (imem >= 0 && p[imem].revents) {
			uint64_t ticks;

			if (read(w.mem_timer, &ticks, sizeof(ticks)) > 0)
				on_mem_check(&w);
		}
		if (inot >= 0 && (p[inot].revents & POLLIN))
			sup_memwatch_notify(&run->mem);
		else if (inot >= 0 && p[inot].revents)
			closep(&run->mem.listener); /* no process left */
		if (irep >= 0 && p[irep].revents)
			on_report(&w);
		sup_relay_events(p);
		if (ip >= 0 && p[ip].revents)
			on_init_exit(&w);
	}
	closep(&w.timer);
	closep(&w.cpu_timer);
	closep(&w.mem_timer);
	fill_result(&w);
	sup_memwatch_close(&run->mem);
	apply_workspace(&w);
}

/* main.c - sbx-supervisor: reads one configuration from the library,
 * builds and watches one sandbox, and writes one result. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"
#include "sup.h"

static struct sup_config cfg;
static struct sup_plan plan;
static struct sup_run run;

/* What the apply withheld, in the message: the count, the first paths,
 * and the option that lets them through. */
static void note_withheld(void)
{
	const struct sup_withheld *w = &run.withheld;
	size_t n = strlen(run.msg), off = 0;
	int i;

	if (!w->count)
		return;
	n += (size_t)snprintf(run.msg + n, sizeof(run.msg) - n,
			      "%s%u change%s to paths the host runs or trusts, "
			      "or symlinks leading out, %s withheld from the "
			      "workspace (",
			      n ? "; " : "", w->count, w->count == 1 ? "" : "s",
			      w->count == 1 ? "was" : "were");
	for (i = 0; i < 3 && off < w->len && n < sizeof(run.msg); i++) {
		n += (size_t)snprintf(run.msg + n, sizeof(run.msg) - n, "%s%s",
				      i ? ", " : "", w->list + off);
		off += strlen(w->list + off) + 1;
	}
	if (n < sizeof(run.msg))
		snprintf(run.msg + n, sizeof(run.msg) - n,
			 "%s): review them; allow_trusted_paths "
			 "(--allow-trusted-paths) applies them",
			 w->count > (uint32_t)i ? ", ..." : "");
}

/* What the apply had no room for, in the message: where it is kept. */
static void note_unapplied(void)
{
	const struct sup_unapplied *u = &run.unapplied;
	size_t n = strlen(run.msg);

	if (u->count && n < sizeof(run.msg))
		snprintf(run.msg + n, sizeof(run.msg) - n,
			 "%s%u change%s found no room in the workspace and "
			 "%s kept in %s: copy what you need from there, then "
			 "remove it",
			 n ? "; " : "", u->count, u->count == 1 ? "" : "s",
			 u->count == 1 ? "is" : "are", u->dir);
	n = strlen(run.msg);
	if (u->lost && n < sizeof(run.msg))
		snprintf(run.msg + n, sizeof(run.msg) - n,
			 "%s%u change%s found no room in the workspace nor "
			 "in /var/tmp and %s lost",
			 n ? "; " : "", u->lost, u->lost == 1 ? "" : "s",
			 u->lost == 1 ? "was" : "were");
}

/* Limits in a cgroup that systemd rewrites (cgroup.c): say so. */
static void note_unheld(void)
{
	size_t n = strlen(run.msg);

	/* (a setup failure removed the cgroup: its message is the error) */
	if (plan.cg.version && plan.cg.unheld && n < sizeof(run.msg))
		snprintf(run.msg + n, sizeof(run.msg) - n,
			 "%scgroup limits may not hold: %s (see sbx doctor)",
			 n ? "; " : "", plan.cg.why);
}

static void send_result(void)
{
	size_t ml, ll = strlen(run.layers);
	/* policy: why the run had no namespaces (degraded.c) */
	const char *reason = plan.pol.degraded ? sup_degraded_reason() : "";
	size_t rl = strlen(reason);

	if (run.apply_msg[0]) {
		size_t n = strlen(run.msg);

		snprintf(run.msg + n, sizeof(run.msg) - n,
			 "%sthe workspace's changes could not all be applied: "
			 "%s",
			 n ? "; " : "", run.apply_msg);
	}
	note_withheld();
	note_unapplied();
	note_unheld();
	ml = strlen(run.msg);

	run.res.magic = SBX_WIRE_MAGIC;
	run.res.msg_len = (uint32_t)ml;
	run.res.layers_len = (uint32_t)ll;
	run.res.degraded = plan.pol.degraded;
	run.res.reason_len = (uint32_t)rl;
	run.res.withheld = run.withheld.count;
	run.res.withheld_len = (uint32_t)run.withheld.len;
	run.res.unapplied_dir_len = (uint32_t)strlen(run.unapplied.dir);
	/* The caller may be gone: then nobody needs the result. */
	if (sbx_write_full(run.ctl_fd, &run.res, sizeof(run.res)) == 0 &&
	    sbx_write_full(run.ctl_fd, run.msg, ml) == 0 &&
	    sbx_write_full(run.ctl_fd, run.layers, ll) == 0 &&
	    sbx_write_full(run.ctl_fd, reason, rl) == 0 &&
	    sbx_write_full(run.ctl_fd, run.withheld.list,
			   run.withheld.len) == 0)
		sbx_write_full(run.ctl_fd, run.unapplied.dir,
			       run.res.unapplied_dir_len);
	/* EOF on the status fd: the result is there to read. */
	close(SBX_SUP_FD_DONE);
}

static __attribute__((noreturn)) void setup_failed(enum sbx_step step, int err)
{
	sup_degraded_cleanup(&plan);
	sup_cg_destroy(&plan.cg);
	run.res.status = SBX_STATUS_SETUP_ERROR;
	run.res.setup_step = step;
	run.res.setup_errno = err;
	run.res.wall_ms = (sup_now_ns() - run.start_ns) / 1000000;
	send_result();
	_exit(0);
}

/*
 * The sandbox's init failed or must go before it ran anything: kill it,
 * and say why.  When it reported a failed step of its own first (a bind
 * source it could not open while we were handing it the idmapped trees),
 * that is the cause, not what failed here as a consequence.
 */
static __attribute__((noreturn)) void abort_init(enum sbx_step step, int err)
{
	struct sup_report rep;
	int fds[SUP_RECORD_FDS], n, i;
	ssize_t r;

	kill(run.init_pid, SIGKILL);
	waitpid(run.init_pid, NULL, 0);
	while (run.report_fd >= 0 &&
	       (r = sup_recv_record(run.report_fd, &rep, fds, &n)) ==
		       (ssize_t)sizeof(rep)) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		if (rep.kind != SUP_REPORT_SETUP)
			continue;
		rep.msg[sizeof(rep.msg) - 1] = '\0';
		snprintf(run.msg, sizeof(run.msg), "%s", rep.msg);
		step = (enum sbx_step)rep.step;
		err = rep.err;
		break;
	}
	setup_failed(step, err);
}

/* fds 0..2 must exist so that nothing opened later lands on them. */
static void ensure_stdio(void)
{
	int i;

	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			open("/dev/null", i ? O_WRONLY : O_RDONLY);
}

int main(int argc, char **argv)
{
	struct sup_ids ids;
	unsigned long flags;
	int go[2], report[2];
	int child_stdio[3] = { -1, -1, -1 }, in_cgroup = 0;
	pid_t prewarm;
	sigset_t fwd, saved_mask;
	char err[512];
	int i, r;

	if (argc > 1 && strcmp(argv[1], "--probe") == 0)
		return sup_probe_main(); /* sbx doctor (probe.c) */
	if (argc > 1 && strcmp(argv[1], "--gc") == 0) {
		/* the library's cleanup after a supervisor was killed */
		struct sup_cg_host host;

		if (sup_cg_detect(&host, "/proc/self/mountinfo",
				  "/proc/self/cgroup") == 0)
			sup_cg_collect(&host);
		sup_degraded_collect();
		return 0;
	}
	run.start_ns = sup_now_ns();
	/* A caller with a low soft limit (ulimit -Sn 16) left us too few
	 * descriptors to build a sandbox: we take what the hard limit
	 * allows, and give the program the caller's limit back
	 * (process.c). */
	if (getrlimit(RLIMIT_NOFILE, &plan.caller_nofile) == 0 &&
	    plan.caller_nofile.rlim_cur < plan.caller_nofile.rlim_max) {
		struct rlimit raised = plan.caller_nofile;

		raised.rlim_cur = raised.rlim_max;
		setrlimit(RLIMIT_NOFILE, &raised);
	}
	run.ctl_fd = SBX_SUP_FD_CTL;
	run.root_fd = run.upper_fd = -1;
	sup_memwatch_init(&run.mem);
	run.cfg = &cfg;
	run.plan = &plan;
	plan.cg_fd = -1;
	signal(SIGPIPE, SIG_IGN);
	ensure_stdio();
	/* Nothing the supervisor starts (newuidmap) inherits these. */
	fcntl(SBX_SUP_FD_CTL, F_SETFD, FD_CLOEXEC);
	fcntl(SBX_SUP_FD_DONE, F_SETFD, FD_CLOEXEC);

	r = sup_config_read(run.ctl_fd, &cfg, err, sizeof(err));
	if (r < 0) {
		snprintf(run.msg, sizeof(run.msg), "%s", err);
		setup_failed(SBX_STEP_CONFIG, -r);
	}

	/* The program's filter, start directory and environment are the
	 * library's, unless the ladder changes them (degraded.c). */
	plan.bpf = cfg.bpf;
	plan.bpf_count = cfg.bpf_count;
	plan.cwd = cfg.cwd;
	plan.envp = cfg.envp;
	/* The cgroup exists, limited, before the sandbox does. */
	sup_plan_limits(&cfg, &plan, &run.res);
	prewarm = sup_cg_prewarm(&plan.cg);

	/* The program's streams are our pipes (or its own terminal), never
	 * the caller's descriptors: we relay (relay.c). */
	r = sup_stdio_open(&cfg, child_stdio);
	if (r < 0) {
		errno = -r;
		goto resources;
	}
	/* The report channel carries records, and descriptors of the
	 * sandbox's filesystem (SCM_RIGHTS). */
	if (pipe2(go, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, report) < 0)
		goto resources;

	sup_ids_choose(&cfg, &ids);
	plan.idmap = sup_idmap_wanted(&cfg, &ids);
	sup_stdio_own(child_stdio, ids.inside_root, ids.inside_root_gid);
	/* the memfds the supervisor makes belong to the sandbox's root */
	run.mem.uid = ids.inside_root;
	run.mem.gid = ids.inside_root_gid;
	/* CLONE_NEWCGROUP is left to the child, after it joined its
	 * cgroup, so the namespace's root is the sandbox's own cgroup. */
	flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC |
		CLONE_NEWUTS;
	if (cfg.net == SBX_NET_NONE)
		flags |= CLONE_NEWNET;
	sup_landlock_plan(&cfg, &plan);
	/* init handles sbx_signal()'s signals before it takes them */
	sup_signal_forward_set(&fwd);
	sigprocmask(SIG_BLOCK, &fwd, &saved_mask);
	run.init_pid = sup_clone(flags, plan.cg_fd, &run.init_pidfd, &in_cgroup);
	if (run.init_pid != 0)
		sigprocmask(SIG_SETMASK, &saved_mask, NULL);
	/* Refuse, or run without namespaces (degraded.c): in the sandbox's
	 * cgroup all the same. */
	if (run.init_pid < 0 && sup_ladder(&run, &ids, errno) == 0) {
		sup_stdio_own(child_stdio,
			      plan.pol.run_uid != (uid_t)-1 ? plan.pol.run_uid
							   : getuid(),
			      plan.pol.run_gid != (gid_t)-1 ? plan.pol.run_gid
							   : getgid());
		sigprocmask(SIG_BLOCK, &fwd, &saved_mask);
		run.init_pid = sup_clone(0, plan.cg_fd, &run.init_pidfd,
					 &in_cgroup);
		if (run.init_pid != 0)
			sigprocmask(SIG_SETMASK, &saved_mask, NULL);
	}
	if (run.init_pid < 0) {
		int e = sup_ladder_failed(&run, errno);

		/* sup_ladder() said why (sup_userns_diagnose()) */
		setup_failed(plan.pol.step ? plan.pol.step : SBX_STEP_CLONE, e);
	}
	if (run.init_pid == 0) {
		close(go[1]);
		close(report[0]);
		sup_stdio_close_ours();
		if (plan.cg_fd >= 0)
			close(plan.cg_fd);
		sandbox_init(&cfg, &plan, child_stdio, go[0], report[1]);
	}
	close(go[0]);
	close(report[1]);
	if (plan.cg_fd >= 0)
		close(plan.cg_fd);
	for (i = 0; i < 3; i++)
		if (child_stdio[i] >= 0)
			close(child_stdio[i]);
	run.report_fd = report[0];

	r = plan.pol.degraded ? 0
			     : sup_write_idmaps(run.init_pid, &ids, err,
						sizeof(err));
	if (r < 0) {
		snprintf(run.msg, sizeof(run.msg), "%s", err);
		abort_init(SBX_STEP_IDMAP, -r);
	}
	if (!plan.pol.degraded && plan.idmap) {
		r = sup_idmap_send(&cfg, &ids, run.init_pid, run.report_fd, err,
				   sizeof(err));
		if (r < 0) {
			snprintf(run.msg, sizeof(run.msg), "%s", err);
			abort_init(SBX_STEP_BIND, -r);
		}
	}
	run.res.id_range = ids.range;
	/* Every layer is decided now: the list for the result, and the
	 * check of the required ones (layers.c). */
	sup_layers_record(&run.enforced, &cfg, &plan, &ids);
	sup_layers_render(&run.enforced, run.layers, sizeof(run.layers));
	r = sup_layers_check(&cfg, &plan, run.layers, run.msg, sizeof(run.msg));
	if (r < 0)
		abort_init(SBX_STEP_REQUIRE, -r);
	/* Go: the sandbox builds its root while we move it into its cgroup
	 * (when clone3 could not place it there).  On cgroup v1 the first
	 * move waits for an RCU grace period; it overlaps that work, and the
	 * sandbox starts nothing before the second byte says it joined. */
	if (write(go[1], "g", 1) != 1) {
		/* init died already; the report says why */
	}
	if (plan.cg.version && !in_cgroup &&
	    (r = sup_cg_attach(&plan.cg, run.init_pid)) < 0) {
		snprintf(run.msg, sizeof(run.msg),
			 "cannot move the sandbox into its cgroup: %s",
			 strerror(-r));
		abort_init(SBX_STEP_CGROUP, -r);
	}
	if (prewarm > 0)
		waitpid(prewarm, NULL, 0);
	if (write(go[1], "j", 1) != 1) {
		/* init died already; the report says why */
	}
	close(go[1]);

	sup_watch(&run);
	/* The run's own /tmp of a degraded run goes before the answer: the
	 * caller may look for it at once. */
	sup_degraded_cleanup(&plan);
	/* The result first: removing the cgroup is not the caller's wait
	 * (the library reaps us later, and sbx_destroy() waits for us). */
	send_result();
	sup_cg_destroy(&plan.cg);
	return 0;

resources:
	snprintf(run.msg, sizeof(run.msg), "supervisor out of resources: %s",
		 strerror(errno));
	setup_failed(SBX_STEP_CLONE, errno);
}

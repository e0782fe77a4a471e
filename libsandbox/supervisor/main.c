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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sup.h"

static void send_result(struct sup_run *run)
{
	size_t ml = strlen(run->msg), ll = strlen(run->layers);
	const char *reason = run->cfg && run->cfg->pol.degraded
				     ? sup_degraded_reason()
				     : "";
	size_t rl = strlen(reason);

	run->res.magic = SBX_WIRE_MAGIC;
	run->res.msg_len = (uint32_t)ml;
	run->res.layers_len = (uint32_t)ll;
	run->res.degraded = run->cfg && run->cfg->pol.degraded;
	run->res.reason_len = (uint32_t)rl;
	/* The caller may be gone: then nobody needs the result. */
	if (sbx_write_full(run->ctl_fd, &run->res, sizeof(run->res)) == 0 &&
	    sbx_write_full(run->ctl_fd, run->msg, ml) == 0 &&
	    sbx_write_full(run->ctl_fd, run->layers, ll) == 0)
		sbx_write_full(run->ctl_fd, reason, rl);
	/* EOF on the status fd: the result is there to read, and so is the
	 * EOF after it (sbx_try_wait() needs both). */
	close(run->ctl_fd);
	close(SBX_SUP_FD_DONE);
}

static __attribute__((noreturn)) void setup_failed(struct sup_run *run,
						   enum sbx_step step, int err)
{
	run->res.status = SBX_STATUS_SETUP_ERROR;
	run->res.setup_step = step;
	run->res.setup_errno = err;
	run->res.wall_ms = (sup_now_ns() - run->start_ns) / 1000000;
	send_result(run);
	_exit(0);
}

/* fds 0..2 must exist so that nothing opened later lands on them. */
static void ensure_stdio(void)
{
	int i;

	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			open("/dev/null", i ? O_WRONLY : O_RDONLY);
}

static void note_limits(struct sup_run *run, const struct sup_config *cfg)
{
	int i;

	for (i = 0; i < SBX_LIMIT_KIND_MAX; i++)
		run->res.limits[i].value = cfg->limits[i];
	if (cfg->limits[SBX_LIMIT_WALL_MS])
		run->res.limits[SBX_LIMIT_WALL_MS].mechanism =
			SBX_MECH_SUPERVISOR;
	if (cfg->limits[SBX_LIMIT_NOFILE])
		run->res.limits[SBX_LIMIT_NOFILE].mechanism = SBX_MECH_RLIMIT;
	if (cfg->limits[SBX_LIMIT_FSIZE])
		run->res.limits[SBX_LIMIT_FSIZE].mechanism = SBX_MECH_RLIMIT;
	run->res.limits[SBX_LIMIT_DISK].mechanism = SBX_MECH_TMPFS;
	if (cfg->relay & 3)
		run->res.limits[SBX_LIMIT_OUTPUT].mechanism =
			SBX_MECH_SUPERVISOR;
}

int main(int argc, char **argv)
{
	static struct sup_config cfg;
	static struct sup_run run;
	struct sup_ids ids;
	unsigned long flags;
	int go[2], report[2], out[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
	int child_stdio[3] = { -1, -1, -1 };
	char err[512];
	int i, r;

	if (argc > 1 && strcmp(argv[1], "--probe") == 0)
		return sup_probe_main(); /* sbx doctor (probe.c) */
	run.start_ns = sup_now_ns();
	run.ctl_fd = SBX_SUP_FD_CTL;
	run.in_sink = -1;
	run.out_src[0] = run.out_src[1] = run.out_src[2] = -1;
	signal(SIGPIPE, SIG_IGN);
	ensure_stdio();
	/* Nothing the supervisor starts (newuidmap) inherits these. */
	fcntl(SBX_SUP_FD_CTL, F_SETFD, FD_CLOEXEC);
	fcntl(SBX_SUP_FD_DONE, F_SETFD, FD_CLOEXEC);

	r = sup_config_read(run.ctl_fd, &cfg, err, sizeof(err));
	if (r < 0) {
		snprintf(run.msg, sizeof(run.msg), "%s", err);
		setup_failed(&run, SBX_STEP_CONFIG, -r);
	}
	run.cfg = &cfg;
	note_limits(&run, &cfg);

	/* Relayed streams: the program writes into our pipe, we forward to
	 * the caller's (fd 1/2) under the output cap. */
	for (i = 1; i < 3; i++) {
		if (!(cfg.relay & (1u << (i - 1))))
			continue;
		if (pipe2(out[i], O_CLOEXEC) < 0)
			goto resources;
		child_stdio[i] = out[i][1];
		run.out_src[i] = out[i][0];
	}
	if (cfg.relay & 4) {
		if (pipe2(out[0], O_CLOEXEC) < 0)
			goto resources;
		child_stdio[0] = out[0][0];
		run.in_sink = out[0][1];
	}
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0)
		goto resources;

	sup_ids_choose(&cfg, &ids);
	flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC |
		CLONE_NEWUTS | CLONE_NEWCGROUP;
	if (cfg.net == SBX_NET_NONE)
		flags |= CLONE_NEWNET;
	sup_landlock_plan(&cfg);
	run.init_pid = sup_clone(flags, &run.init_pidfd);
	/* Refuse, or run without namespaces (degraded.c). */
	if (run.init_pid < 0 && sup_ladder(&run, &cfg, &ids, errno) == 0)
		run.init_pid = sup_clone(0, &run.init_pidfd);
	if (run.init_pid < 0) {
		int e = sup_ladder_failed(&run, &cfg, errno);

		setup_failed(&run, cfg.pol.step ? cfg.pol.step : SBX_STEP_CLONE,
			     e);
	}
	if (run.init_pid == 0) {
		close(go[1]);
		close(report[0]);
		for (i = 0; i < 3; i++)
			if (run.out_src[i] >= 0)
				close(run.out_src[i]);
		if (run.in_sink >= 0)
			close(run.in_sink);
		sandbox_init(&cfg, child_stdio, go[0], report[1]);
	}
	close(go[0]);
	close(report[1]);
	for (i = 0; i < 3; i++)
		if (child_stdio[i] >= 0)
			close(child_stdio[i]);
	run.report_fd = report[0];

	r = cfg.pol.degraded ? 0
			     : sup_write_idmaps(run.init_pid, &ids, err,
						sizeof(err));
	if (r < 0) {
		kill(run.init_pid, SIGKILL);
		waitpid(run.init_pid, NULL, 0);
		snprintf(run.msg, sizeof(run.msg), "%s", err);
		setup_failed(&run, SBX_STEP_IDMAP, -r);
	}
	run.res.id_range = ids.range;
	snprintf(run.layers, sizeof(run.layers),
		 "userns%s pidns mountns%s ipcns utsns cgroupns caps nnp "
		 "seccomp",
		 ids.range > 1 ? "" : ":single-id",
		 cfg.net == SBX_NET_NONE ? " netns" : "");
	/* Landlock, a run without namespaces, required layers (policy.c) */
	sup_layers_adjust(run.layers, sizeof(run.layers), &cfg);
	r = sup_layers_check(&cfg, run.layers, run.msg, sizeof(run.msg));
	if (r < 0) {
		kill(run.init_pid, SIGKILL);
		waitpid(run.init_pid, NULL, 0);
		sup_degraded_cleanup(&cfg);
		setup_failed(&run, SBX_STEP_REQUIRE, -r);
	}
	if (write(go[1], "g", 1) != 1) {
		/* init died already; the report pipe says why */
	}
	close(go[1]);

	sup_watch(&run);
	sup_degraded_cleanup(&cfg);
	send_result(&run);
	return 0;

resources:
	snprintf(run.msg, sizeof(run.msg), "supervisor out of resources: %s",
		 strerror(errno));
	setup_failed(&run, SBX_STEP_CLONE, errno);
}

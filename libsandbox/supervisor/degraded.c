/* degraded.c - the fallback ladder.  When no user namespace can be made
 * (user.max_user_namespaces=0, AppArmor's restriction, a container's
 * seccomp profile) the run is refused with the cause and the fix, unless
 * the caller allowed a weaker sandbox (SBX_FLAG_ALLOW_DEGRADED).  Then the
 * sandbox runs without namespaces, with what remains: Landlock for the
 * filesystem, TCP and the scoping of signals and abstract sockets (ABI 6
 * or later, else the run is refused), seccomp with sockets, SysV IPC,
 * metadata changes and file watching denied, rlimits, a scrubbed
 * environment, closed descriptors, a private /tmp and home, and the
 * caller's own ids (never the host's root).  No PID namespace means the
 * supervisor itself must end whatever the program left behind: it is a
 * subreaper and kills its remaining children when the sandbox's init
 * ends. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/securebits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "etcmask.h"
#include "layers.h"
#include "readfile.h"
#include "sup.h"
#include "trusted.h"

static char reason[1024];

const char *sup_degraded_reason(void)
{
	return reason;
}

static int refuse(struct sup_run *run, uint32_t step, int err,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int refuse(struct sup_run *run, uint32_t step, int err,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->msg, sizeof(run->msg), fmt, ap);
	va_end(ap);
	run->plan->pol.step = step;
	errno = err;
	return -1;
}

static void count_trusted(void *arg, const char *rel)
{
	const char **first = arg;

	if (!*first)
		*first = strdup(rel);
}

/* Without a mount namespace no bind can keep .git read-only inside a
 * writable directory, and Landlock grants write to a whole tree: a live
 * directory that holds a trusted path at any depth (trusted.h; mounts.c
 * protects them with binds) is refused, unless allowed; so is one whose
 * walk stops at a limit. */
static int check_trusted(struct sup_run *run, const char *src)
{
	_cleanup_free_ char *first = NULL;
	struct sbx_trust_walk w = { .max_found = 1 };
	char msg[PATH_MAX * 2 + 512];
	unsigned ctx;
	int fd, n = 0;

	if (sup_flag(run->cfg, SBX_FLAG_ALLOW_TRUSTED_PATHS))
		return 0;
	if (sbx_trust_host_path(src, &ctx) != SBX_TRUST_CONTENT ||
	    (ctx & SBX_TRUST_GITDIR))
		n = 1;
	fd = n ? -1 : open(src, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		/* one is enough to refuse: stop there */
		n = sbx_trust_scan(fd, src, ctx, &w, count_trusted, &first);
		close(fd);
		if (n == -E2BIG && first)
			n = 1;
	}
	if (n == -E2BIG) {
		sbx_trust_walk_message(&w, src, msg, sizeof(msg));
		return refuse(run, SBX_STEP_DEGRADED, E2BIG,
			      "without namespaces (degraded): %s", msg);
	}
	if (n < 0)
		return refuse(run, SBX_STEP_DEGRADED, -n,
			      "without namespaces (degraded): cannot find "
			      "what the host runs or trusts in %s: %s",
			      src, strerror(-n));
	if (!n)
		return 0;
	return refuse(run, SBX_STEP_DEGRADED, EPERM,
		      "without namespaces (degraded) %s%s%s cannot be kept "
		      "read-only in the writable %s: the program could change "
		      "what git or other tools run on the host; make it "
		      "read-only, or allow it with allow_trusted_paths "
		      "(--allow-trusted-paths)",
		      first ? src : "", first ? "/" : "", first ? first : src,
		      src);
}

/* Without a mount namespace nothing can appear elsewhere than it is. */
static int check_view(struct sup_run *run)
{
	const struct sup_config *cfg = run->cfg;
	size_t i;

	if (cfg->workspace && cfg->workspace_mode == SBX_WORKSPACE_RW_LIVE &&
	    check_trusted(run, cfg->workspace) < 0)
		return -1;
	for (i = 0; i < cfg->n_binds; i++)
		if ((cfg->binds[i].flags & SBX_BIND_RW) &&
		    check_trusted(run, cfg->binds[i].src) < 0)
			return -1;

	for (i = 0; i < cfg->n_binds; i++)
		if (strcmp(cfg->binds[i].src, cfg->binds[i].dst) != 0)
			return refuse(run, SBX_STEP_DEGRADED, EINVAL,
				      "without namespaces (degraded) a bind "
				      "cannot move %s to %s: bind it at its "
				      "own path",
				      cfg->binds[i].src, cfg->binds[i].dst);
	/* A copy-on-write workspace needs an overlay in a mount namespace:
	 * writing to the directory itself instead would be weaker than
	 * asked, silently. */
	if (cfg->workspace && cfg->workspace_mode != SBX_WORKSPACE_RO &&
	    cfg->workspace_mode != SBX_WORKSPACE_RW_LIVE)
		return refuse(run, SBX_STEP_DEGRADED, EINVAL,
			      "without namespaces (degraded) a copy-on-write "
			      "workspace (mode rw, --rw) cannot be made: it "
			      "needs a mount namespace; use mode rw-live "
			      "(--rw-live) to write to %s directly, or ro",
			      cfg->workspace);
	return 0;
}

/* The host's root must not run the program: as root it would own /etc
 * and every file of the system, and Landlock cannot take /etc/shadow out
 * of a readable /etc.  It runs as the id a root caller's namespaced
 * sandbox maps to, which owns nothing. */
static void choose_ids(struct sup_plan *plan)
{
	plan->pol.run_uid = (uid_t)-1;
	plan->pol.run_gid = (gid_t)-1;
	if (sbx_is_host_root()) {
		plan->pol.run_uid = SBX_ROOT_ID_BASE;
		plan->pol.run_gid = SBX_ROOT_ID_BASE;
	}
}

static int refuse_root(struct sup_run *run, const char *path)
{
	if (errno == EINVAL)
		return refuse(run, SBX_STEP_DEGRADED, EINVAL,
			      "without namespaces the program would run as "
			      "the host's root, and the id it should run as "
			      "instead (%u) is not mapped in this user "
			      "namespace: map it, or run as an unprivileged "
			      "user",
			      (unsigned)run->plan->pol.run_uid);
	return refuse(run, SBX_STEP_DEGRADED, errno,
		      "cannot give %s to uid %u: %s", path,
		      (unsigned)run->plan->pol.run_uid, strerror(errno));
}

/*
 * Where a run's own /tmp and home may go (the host's /tmp is shared): the
 * host's /tmp, else the caller's $TMPDIR (the library passes it on), else
 * /var/tmp, else /dev/shm.  A read-only /tmp must not stop the run.
 */
static const char *tmp_base(int i)
{
	static const char *const bases[] = { "/tmp", NULL, "/var/tmp",
					     "/dev/shm" };
	const char *t;

	if (i < 0 || i >= (int)SBX_ARRAY_SIZE(bases))
		return NULL;
	if (bases[i])
		return bases[i];
	t = getenv("TMPDIR");
	return t && t[0] == '/' && strcmp(t, "/tmp") != 0 ? t : "";
}

#define TMP_PREFIX "sbx-degraded-"

static void remove_tree(const char *path);

/*
 * Whose run directories we collect: our own, and a root caller's runs'
 * (make_tmpdir() gives them to the id its program runs as).  Never those
 * of another local user, whatever their name: root would walk by path a
 * tree that user may change under it (a directory swapped for a symlink
 * to /etc between the listing and the removal).
 */
static int collectable(uid_t owner)
{
	uid_t me = geteuid();

	return owner == me || (me == 0 && owner == SBX_ROOT_ID_BASE);
}

/*
 * A supervisor killed before its cleanup leaves its run's directory; the
 * directory is named after it (TMP_PREFIX PID-XXXXXX), so the next run,
 * or the library's collection after a killed supervisor (--gc), removes
 * those whose supervisor is gone.  Everything of that run died with its
 * supervisor (the parent-death signal, its cgroup).
 */
void sup_degraded_collect(void)
{
	const char *base;
	int i;

	for (i = 0; (base = tmp_base(i)); i++) {
		struct dirent *de;
		DIR *d;

		if (!base[0] || !(d = opendir(base)))
			continue;
		while ((de = readdir(d))) {
			char path[PATH_MAX], *end;
			struct stat st;
			long pid;

			if (strncmp(de->d_name, TMP_PREFIX,
				    strlen(TMP_PREFIX)) != 0)
				continue;
			pid = strtol(de->d_name + strlen(TMP_PREFIX), &end, 10);
			if (*end != '-' || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
			    errno != ESRCH)
				continue;
			snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
			if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) ||
			    !collectable(st.st_uid))
				continue;
			remove_tree(path);
		}
		closedir(d);
	}
}

static int make_tmpdir(struct sup_run *run)
{
	struct sup_policy_plan *pol = &run->plan->pol;
	static const char *const subdirs[] = { "home", "tmp" };
	char path[PATH_MAX], sub[PATH_MAX + 16], tried[768] = "";
	const char *base;
	size_t i, n = 0;
	int made = 0, err = 0;

	for (i = 0; (base = tmp_base((int)i)) && !made; i++) {
		if (!base[0])
			continue;
		snprintf(path, sizeof(path), "%s/" TMP_PREFIX "%d-XXXXXX", base,
			 (int)getpid());
		if (mkdtemp(path)) {
			made = 1;
			break;
		}
		err = errno;
		if (n < sizeof(tried))
			n += (size_t)snprintf(tried + n, sizeof(tried) - n,
					      "%s%s: %s", n ? ", " : "", base,
					      strerror(err));
	}
	if (!made)
		return refuse(run, SBX_STEP_DEGRADED, err,
			      "a run without namespaces needs a directory of "
			      "its own for /tmp and the home, and none could "
			      "be created (%s): make one of them writable, or "
			      "set TMPDIR to a writable directory",
			      tried);
	pol->tmpdir = strdup(path);
	if (!pol->tmpdir)
		return refuse(run, SBX_STEP_DEGRADED, ENOMEM,
			      "out of memory");
	for (i = 0; i < SBX_ARRAY_SIZE(subdirs); i++) {
		snprintf(sub, sizeof(sub), "%s/%s", path, subdirs[i]);
		if (mkdir(sub, 0700) < 0)
			return refuse(run, SBX_STEP_DEGRADED, errno,
				      "cannot create %s: %s", sub,
				      strerror(errno));
		if (pol->run_uid != (uid_t)-1 &&
		    chown(sub, pol->run_uid, pol->run_gid) < 0)
			return refuse_root(run, sub);
	}
	if (pol->run_uid != (uid_t)-1 &&
	    chown(path, pol->run_uid, pol->run_gid) < 0)
		return refuse_root(run, path);
	return 0;
}

/* NAME=VALUE of the sandbox's defaults move into the run's directory
 * (in envp, the plan's copy of the library's environment). */
static int move_env(char **envp, const struct sup_plan *plan,
		    const char *name, const char *inside, const char *sub)
{
	size_t i, n = strlen(name);
	char *kv;

	for (i = 0; envp[i]; i++) {
		const char *e = envp[i];

		if (strncmp(e, name, n) != 0 || e[n] != '=' ||
		    strcmp(e + n + 1, inside) != 0)
			continue;
		if (asprintf(&kv, "%s=%s/%s", name, plan->pol.tmpdir, sub) < 0)
			return -ENOMEM;
		envp[i] = kv;
	}
	return 0;
}

/* /workspace, the home: where they are on the host. */
static int move_cwd(const struct sup_config *cfg, struct sup_plan *plan)
{
	size_t n = strlen("/workspace");
	char *p = NULL;

	if (strcmp(cfg->cwd, cfg->home) == 0) {
		if (asprintf(&p, "%s/home", plan->pol.tmpdir) < 0)
			return -ENOMEM;
	} else if (cfg->workspace && strncmp(cfg->cwd, "/workspace", n) == 0 &&
		   (cfg->cwd[n] == '\0' || cfg->cwd[n] == '/')) {
		if (asprintf(&p, "%s%s", cfg->workspace, cfg->cwd + n) < 0)
			return -ENOMEM;
	}
	if (p)
		plan->cwd = p;
	return 0;
}

static int prepare(struct sup_run *run)
{
	const struct sup_config *cfg = run->cfg;
	struct sup_plan *plan = run->plan;
	char **envp;

	if (check_view(run) < 0)
		return -1;
	if (!cfg->pol.bpf_degraded)
		return refuse(run, SBX_STEP_CONFIG, EPROTO,
			      "the library sent no filter for a run without "
			      "namespaces; reinstall libsandbox");
	choose_ids(plan);
	sup_degraded_collect();
	if (make_tmpdir(run) < 0)
		return -1;
	envp = calloc(cfg->n_env + 1, sizeof(*envp));
	if (!envp)
		return refuse(run, SBX_STEP_DEGRADED, ENOMEM,
			      "out of memory");
	memcpy(envp, cfg->envp, cfg->n_env * sizeof(*envp));
	plan->envp = envp;
	if (move_env(envp, plan, "HOME", cfg->home, "home") < 0 ||
	    move_env(envp, plan, "TMPDIR", "/tmp", "tmp") < 0 ||
	    move_cwd(cfg, plan) < 0)
		return refuse(run, SBX_STEP_DEGRADED, ENOMEM,
			      "out of memory");
	plan->bpf = cfg->pol.bpf_degraded;
	plan->bpf_count = cfg->pol.bpf_degraded_count;
	return 0;
}

/* Clone errors that mean "this host gives no user namespace"; others
 * (out of memory, too many processes) are reported as they are. */
static int userns_refused(int err)
{
	return err == EPERM || err == EACCES || err == ENOSPC ||
	       err == EUSERS || err == EINVAL;
}

int sup_ladder(struct sup_run *run, struct sup_ids *ids, int err)
{
	const struct sup_config *cfg = run->cfg;
	struct sup_plan *plan = run->plan;
	size_t n;
	int abi;

	sup_userns_diagnose(err, run->msg, sizeof(run->msg));
	if (!userns_refused(err)) {
		errno = err;
		return -1;
	}
	n = strlen(run->msg);
	if (!sup_flag(cfg, SBX_FLAG_ALLOW_DEGRADED)) {
		snprintf(run->msg + n, sizeof(run->msg) - n,
			 "; or accept a weaker sandbox without namespaces "
			 "(Landlock, seccomp, rlimits) with --allow-degraded "
			 "(policy \"allow_degraded\": true, "
			 "SBX_FLAG_ALLOW_DEGRADED)");
		errno = err;
		return -1;
	}
	abi = sbx_landlock_abi();
	if (abi <= 0) {
		snprintf(run->msg + n, sizeof(run->msg) - n,
			 "; --allow-degraded cannot help: this kernel has no "
			 "Landlock (%s), and without namespaces nothing would "
			 "keep the program from your files",
			 strerror(-abi));
		plan->pol.step = SBX_STEP_DEGRADED;
		errno = err;
		return -1;
	}
	if (abi < SBX_DEGRADED_LANDLOCK_ABI) {
		snprintf(run->msg + n, sizeof(run->msg) - n,
			 "; --allow-degraded cannot help: this kernel's "
			 "Landlock is ABI %d, and a run without namespaces "
			 "needs ABI %d (Linux %s or later), which keeps "
			 "signals and abstract unix sockets inside the "
			 "sandbox",
			 abi, SBX_DEGRADED_LANDLOCK_ABI,
			 SBX_DEGRADED_LANDLOCK_KERNEL);
		plan->pol.step = SBX_STEP_DEGRADED;
		errno = err;
		return -1;
	}
	snprintf(reason, sizeof(reason), "%s", run->msg);
	run->msg[0] = '\0';
	if (prepare(run) < 0) {
		int e = errno;

		sup_degraded_cleanup(plan);
		errno = e;
		return -1;
	}
	plan->pol.degraded = 1;
	sup_landlock_plan(cfg, plan);
	ids->range = 1;
	/* no tmpfs: /tmp and the home are a directory of the host's /tmp */
	run->res.limits[SBX_LIMIT_DISK].mechanism = SBX_MECH_NONE;
	/* no devpts of its own: a terminal comes from the host's */
	run->res.limits[SBX_LIMIT_PTYS].mechanism = SBX_MECH_NONE;
	/* Orphans of the sandbox come to us, and the program cannot read
	 * our memory or descriptors through /proc. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_DUMPABLE, 0);
	return 0;
}

/* No sandbox could be started: say why if the ladder did not, and leave
 * nothing behind.  Returns err. */
int sup_ladder_failed(struct sup_run *run, int err)
{
	if (!run->msg[0])
		snprintf(run->msg, sizeof(run->msg),
			 "cannot start the sandbox without namespaces: %s",
			 strerror(err));
	sup_degraded_cleanup(run->plan);
	return err;
}

/* ------------------------------------------------------ in the sandbox */

/* A sandbox without namespaces up to its working directory (the rest is
 * start_program(), process.c, as for a namespaced one): no new root to
 * build, no ids to become. */
void sandbox_degraded_enter(int go_fd)
{
	char go;

	/* Orphans of the program stay in reach until the end. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* The first byte of the go pipe; the second, once the sandbox is in
	 * its cgroup, is read by sandbox_init() before anything runs. */
	if (read(go_fd, &go, 1) != 1)
		_exit(127); /* the supervisor is gone or refused */
	prctl(PR_SET_DUMPABLE, 0);
}

/*
 * Without a PID namespace nothing ends what init took in as the
 * subreaper of the program's orphans (a setsid() daemon) when the
 * supervisor dies: init does, on its way out.  Its parent-death signal
 * becomes DEATH_SIG, caught: it kills its children until none is left
 * (the program's own come to it as they are orphaned), then itself.
 * Not SIGTERM, which init relays to the program (sbx_signal(), the
 * caller's Ctrl-C): that asked the program to end, and killed the run.
 * The list of its children is opened before Landlock can refuse it.
 */
#define DEATH_SIG SIGPWR

static int children_fd = -1;

static void end_everything(int sig)
{
	struct timespec ms = { 0, 1000000 };
	char buf[4096];
	int round;

	(void)sig;
	for (round = 0; round < 100000; round++) {
		ssize_t n = pread(children_fd, buf, sizeof(buf) - 1, 0);
		char *p = buf;
		int any = 0;

		buf[n > 0 ? n : 0] = '\0';
		while (*p) {
			long pid = 0;

			while (*p == ' ' || *p == '\n')
				p++;
			while (*p >= '0' && *p <= '9')
				pid = pid * 10 + (*p++ - '0');
			if (pid <= 0)
				break;
			kill((pid_t)pid, SIGKILL);
			any = 1;
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!any && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			break;
		nanosleep(&ms, NULL);
	}
	_exit(127);
}

void sandbox_degraded_guard_open(void)
{
	children_fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
}

void sandbox_degraded_guard(int report)
{
	struct sigaction sa;

	if (children_fd < 0)
		return; /* no /proc: init's SIGKILL, as before */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = end_everything;
	sigfillset(&sa.sa_mask);
	sigaction(DEATH_SIG, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, DEATH_SIG);
	if (sandbox_supervisor_gone(report))
		end_everything(DEATH_SIG);
}

/* drop_privileges() for a process that may hold no capability at all:
 * what needs CAP_SETPCAP is done when it is held (under no_new_privs an
 * exec gains nothing anyway), then the ids; sandbox_init() clears the
 * capabilities and sets no_new_privs after it. */
void sandbox_degraded_drop(const struct sup_plan *plan, int report)
{
	int cap;

	for (cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			break; /* EPERM: no CAP_SETPCAP */
	if (cap == 64)
		prctl(PR_SET_SECUREBITS,
		      SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
			      SECBIT_NO_SETUID_FIXUP_LOCKED |
			      SECBIT_KEEP_CAPS_LOCKED |
			      SECBIT_NO_CAP_AMBIENT_RAISE |
			      SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
		      0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (plan->pol.run_uid != (uid_t)-1) {
		if (setgroups(0, NULL) < 0 ||
		    setresgid(plan->pol.run_gid, plan->pol.run_gid,
			      plan->pol.run_gid) < 0 ||
		    setresuid(plan->pol.run_uid, plan->pol.run_uid,
			      plan->pol.run_uid) < 0)
			child_fail(report, SBX_STEP_DEGRADED, errno,
				   "cannot leave root for uid %u in the "
				   "degraded sandbox: %s (map that id, or run "
				   "as an unprivileged user)",
				   (unsigned)plan->pol.run_uid, strerror(errno));
		/* The id switch cleared the parent-death signal: set it
		 * again, and end if the supervisor died meanwhile. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (sandbox_supervisor_gone(report))
			_exit(127);
	}
}

/* ------------------------------------------------------- the supervisor */

/* Send sig to every child of ours; how many there were. */
static int signal_children(int sig)
{
	char path[300], buf[4096];
	struct dirent *de;
	int n = 0;
	char *p, *end;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children",
		 (int)getpid());
	if (sup_read_file(path, buf, sizeof(buf)) >= 0) {
		for (p = buf; *p; p = end) {
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			if (pid > 0 && kill((pid_t)pid, sig) == 0)
				n++;
		}
		return n;
	}
	/* No CONFIG_PROC_CHILDREN: look for our children in /proc. */
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		long ppid = 0;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (sup_read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		p = strrchr(buf, ')');
		if (p && sscanf(p + 1, " %*c %ld", &ppid) == 1 &&
		    ppid == getpid() && kill((pid_t)atol(de->d_name), sig) == 0)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* The sandbox's init has ended: with no PID namespace to take them
 * along, whatever the program left running is ended here.  Orphans are
 * ours (we are their subreaper), so killing our children until none is
 * left ends them all, the ones that forked meanwhile too. */
void sup_degraded_end(const struct sup_plan *plan)
{
	int round;

	if (!plan->pol.degraded)
		return;
	for (round = 0; round < 100000; round++) {
		pid_t p;

		if (signal_children(SIGKILL) > 0) {
			waitpid(-1, NULL, 0); /* one of them is dying */
			continue;
		}
		p = waitpid(-1, NULL, WNOHANG);
		if (p < 0)
			break; /* ECHILD: nothing is left */
		if (p == 0)
			usleep(1000); /* one just became ours */
	}
}

/* How deep the removal of a run's directory goes in one pass (a
 * descriptor a level); a tree nested deeper is moved up, whole, into the
 * run's directory, and the next pass goes on with it. */
#define REMOVE_DEPTH 128
#define REMOVE_PASSES 1024

/*
 * Remove name below dfd and everything in it, never through a symlink:
 * each directory is opened without following one, and its entries are
 * removed relative to it.  The collection removes the directory of a
 * dead run, whose contents its program made, and a process the run left
 * may still change them: a directory swapped for a symlink to a host
 * directory, as its removal begins, took a removal by path there.  A
 * directory is made the owner's (0700) through its descriptor first: the
 * program may have left one that cannot be read or written.  top is the
 * run's directory (-1 at its own level); returns 1 when a tree too deep
 * was moved up into it.
 */
static int remove_at(int dfd, const char *name, int depth, int top)
{
	static unsigned moved;
	char self[64];
	struct stat st;
	struct dirent *de;
	DIR *d;
	int pfd, fd, more = 0;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		unlinkat(dfd, name, 0);
		return 0;
	}
	if (depth > REMOVE_DEPTH) {
		snprintf(self, sizeof(self), ".sbx-deep-%u", moved++);
		return renameat(dfd, name, top, self) == 0;
	}
	pfd = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return 0;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	chmod(self, 0700); /* the inode pfd holds, whatever name is now */
	fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pfd);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			more |= remove_at(dirfd(d), de->d_name, depth + 1,
					  top >= 0 ? top : dirfd(d));
	closedir(d);
	/* a symlink put in its place meanwhile: ENOTDIR, and it stays for
	 * the next collection, which removes the link itself */
	if (!more || top >= 0)
		unlinkat(dfd, name, AT_REMOVEDIR);
	return more;
}

/* Nothing of the run stays in /tmp (path is BASE/NAME). */
static void remove_tree(const char *path)
{
	const char *slash = strrchr(path, '/');
	char base[PATH_MAX];
	int dfd, pass;

	if (!slash || (size_t)(slash - path) >= sizeof(base))
		return;
	snprintf(base, sizeof(base), "%.*s", (int)(slash - path), path);
	dfd = open(base[0] ? base : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	for (pass = 0; pass < REMOVE_PASSES; pass++)
		if (!remove_at(dfd, slash + 1, 0, -1))
			break;
	close(dfd);
}

void sup_degraded_cleanup(struct sup_plan *plan)
{
	if (!plan->pol.tmpdir)
		return;
	remove_tree(plan->pol.tmpdir);
	free(plan->pol.tmpdir);
	plan->pol.tmpdir = NULL;
}

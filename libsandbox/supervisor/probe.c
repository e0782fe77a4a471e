/* probe.c - `sbx-supervisor --probe` (sbx doctor): check, in the process
 * that builds sandboxes, each layer this host allows and why not, and
 * print one JSON report on stdout.  Nothing is left behind: the checks
 * that need namespaces run in a child that exits. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "layers.h"
#include "readfile.h"
#include "etcmask.h"
#include "sup.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

/* What the namespace child could do, one bit each. */
#define NS_MOUNT_TMPFS 1u
#define NS_MOUNT_PROC 2u
#define NS_OVERLAY 4u

struct probe {
	json_object *checks;
	int userns_ok;
	int ns_ok;
	int mounts_ok;
	int seccomp_ok;
	int landlock_abi;
	char userns_why[512];
};

static void check(struct probe *p, const char *name, const char *status,
		  const char *fix, json_object *extra, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void check(struct probe *p, const char *name, const char *status,
		  const char *fix, json_object *extra, const char *fmt, ...)
{
	json_object *c = extra ? extra : json_object_new_object();
	char summary[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(summary, sizeof(summary), fmt, ap);
	va_end(ap);
	json_object_object_add(c, "name", json_object_new_string(name));
	json_object_object_add(c, "status", json_object_new_string(status));
	json_object_object_add(c, "summary", json_object_new_string(summary));
	json_object_object_add(c, "fix",
			       fix ? json_object_new_string(fix) : NULL);
	json_object_array_add(p->checks, c);
}

/* The first line of a small file. */
static int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n = sup_read_file(path, buf, len);

	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static const char *container(void)
{
	static char kind[64];

	if (access("/run/.containerenv", F_OK) == 0)
		return "podman";
	if (access("/.dockerenv", F_OK) == 0)
		return "docker";
	if (read_text("/run/systemd/container", kind, sizeof(kind)) == 0 &&
	    kind[0])
		return kind;
	return NULL;
}

static void probe_kernel(struct probe *p, json_object *report)
{
	struct utsname u;
	json_object *k = json_object_new_object();

	uname(&u);
	json_object_object_add(k, "release", json_object_new_string(u.release));
	json_object_object_add(k, "machine", json_object_new_string(u.machine));
	json_object_object_add(report, "kernel", k);
	check(p, "kernel", "ok", NULL, NULL, "Linux %s (%s)", u.release,
	      u.machine);
}

/* ------------------------------------------------------------ namespaces */

/* In the new namespaces: what mounts work (docs/design.md, "The layer
 * order": building the root needs a tmpfs and proc; the copy-on-write
 * workspace needs overlayfs). */
static __attribute__((noreturn)) void ns_child(int go, int out)
{
	unsigned char bits = 0;
	char c;

	if (read(go, &c, 1) != 1)
		_exit(1);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		_exit(2);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("probe", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		  "size=1m,mode=0755") == 0) {
		bits |= NS_MOUNT_TMPFS;
		if (mkdir("/tmp/proc", 0555) == 0 &&
		    mount("proc", "/tmp/proc", "proc",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
			bits |= NS_MOUNT_PROC;
		if (mkdir("/tmp/l", 0755) == 0 && mkdir("/tmp/u", 0755) == 0 &&
		    mkdir("/tmp/w", 0755) == 0 && mkdir("/tmp/m", 0755) == 0 &&
		    /* the options of the workspace's overlay (mounts.c) */
		    mount("overlay", "/tmp/m", "overlay", MS_NOSUID | MS_NODEV,
			  "lowerdir=/tmp/l,upperdir=/tmp/u,workdir=/tmp/w,"
			  "userxattr,redirect_dir=nofollow") == 0)
			bits |= NS_OVERLAY;
	}
	if (write(out, &bits, 1) != 1)
		_exit(3);
	_exit(0);
}

/* Clone with flags; the child maps its ids (as a sandbox would) and
 * reports its mount bits.  Returns the bits, or -errno of the clone. */
static int try_namespaces(unsigned long flags, struct sup_ids *ids,
			  int *ret_map_err)
{
	static struct sup_config cfg;
	int go[2], out[2], pidfd = -1, st, in_cgroup;
	unsigned char bits = 0;
	char err[256];
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		return -errno;
	sup_ids_choose(&cfg, ids);
	pid = sup_clone(flags, -1, &pidfd, &in_cgroup);
	if (pid == 0) {
		close(go[1]);
		close(out[0]);
		ns_child(go[0], out[1]);
	}
	close(go[0]);
	close(out[1]);
	if (pid < 0) {
		int e = errno;

		close(go[1]);
		close(out[0]);
		return -e;
	}
	*ret_map_err = (flags & CLONE_NEWUSER)
			       ? sup_write_idmaps(pid, ids, err, sizeof(err))
			       : 0;
	if (*ret_map_err == 0 && write(go[1], "g", 1) == 1 &&
	    read(out[0], &bits, 1) != 1)
		bits = 0;
	close(go[1]);
	close(out[0]);
	if (*ret_map_err)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (pidfd >= 0)
		close(pidfd);
	return bits;
}

/* Remove the first "what" from text (we are sbx doctor). */
static void strip(char *text, const char *what)
{
	char *at = strstr(text, what);

	if (at)
		memmove(at, at + strlen(what), strlen(at + strlen(what)) + 1);
}

/* The cause and the fix, as precise as the host lets us be. */
static const char *userns_fix(int err, char *buf, size_t len)
{
	const char *ctr = container();
	char self[512];
	ssize_t n;

	if (sup_read_long("/proc/sys/user/max_user_namespaces", -1) == 0)
		return "sysctl -w user.max_user_namespaces=15000 (and put "
		       "user.max_user_namespaces=15000 in /etc/sysctl.d/ to "
		       "keep it); or run with --allow-degraded";
	if (sup_read_long("/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
		      0) == 1 &&
	    getuid() != 0) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = '\0';
		snprintf(buf, len,
			 "allow user namespaces for the supervisor with an "
			 "AppArmor profile (docs/policy.md: profile "
			 "sbx-supervisor %s { userns, }), or sysctl -w "
			 "kernel.apparmor_restrict_unprivileged_userns=0; or "
			 "run with --allow-degraded",
			 self);
		return buf;
	}
	if (sup_read_long("/proc/sys/kernel/unprivileged_userns_clone", 1) == 0 &&
	    getuid() != 0)
		return "sysctl -w kernel.unprivileged_userns_clone=1; or run "
		       "with --allow-degraded";
	if (ctr && err == EPERM) {
		snprintf(buf, len,
			 "this is a %s container whose seccomp profile or "
			 "capabilities forbid namespaces: run on the host, or "
			 "start the container with a seccomp profile that "
			 "allows unshare and clone with namespace flags; or "
			 "run with --allow-degraded",
			 ctr);
		return buf;
	}
	return "see the message above; or run with --allow-degraded";
}

static json_object *userns_sysctls(void)
{
	static const struct {
		const char *name;
		const char *path;
	} s[] = {
		{ "user.max_user_namespaces",
		  "/proc/sys/user/max_user_namespaces" },
		{ "kernel.unprivileged_userns_clone",
		  "/proc/sys/kernel/unprivileged_userns_clone" },
		{ "kernel.apparmor_restrict_unprivileged_userns",
		  "/proc/sys/kernel/apparmor_restrict_unprivileged_userns" },
	};
	json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(s); i++) {
		long v = sup_read_long(s[i].path, -1);

		json_object_object_add(o, s[i].name,
				       v < 0 ? NULL : json_object_new_int64(v));
	}
	return o;
}

static void probe_namespaces(struct probe *p)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} ns[] = {
		{ CLONE_NEWPID, "pid" }, { CLONE_NEWNS, "mount" },
		{ CLONE_NEWNET, "net" }, { CLONE_NEWIPC, "ipc" },
		{ CLONE_NEWUTS, "uts" }, { CLONE_NEWCGROUP, "cgroup" },
	};
	unsigned long all = CLONE_NEWUSER;
	char fixbuf[768], missing[128] = "";
	json_object *extra = json_object_new_object();
	struct sup_ids ids;
	size_t i;
	int r, map_err = 0;

	json_object_object_add(extra, "sysctls", userns_sysctls());
	r = try_namespaces(CLONE_NEWUSER, &ids, &map_err);
	if (r < 0 || map_err) {
		int e = r < 0 ? -r : -map_err;

		sup_userns_diagnose(e, p->userns_why, sizeof(p->userns_why));
		strip(p->userns_why, " (see sbx doctor)");
		check(p, "userns", "fail",
		      userns_fix(e, fixbuf, sizeof(fixbuf)), extra, "%s%s",
		      map_err ? "the id maps cannot be written: " : "",
		      p->userns_why);
		check(p, "namespaces", "fail",
		      "make user namespaces work first", NULL,
		      "not tried: they need a user namespace");
		check(p, "mounts", "fail", "make user namespaces work first",
		      NULL, "not tried: they need a user namespace");
		check(p, "overlayfs", "warn", NULL, NULL,
		      "not tried: it needs a user namespace");
		check(p, "id_range", "warn", NULL, NULL,
		      "not tried: it needs a user namespace");
		return;
	}
	p->userns_ok = 1;
	check(p, "userns", "ok", NULL, extra,
	      "user namespaces can be created (user.max_user_namespaces=%ld)",
	      sup_read_long("/proc/sys/user/max_user_namespaces", -1));
	for (i = 0; i < SBX_ARRAY_SIZE(ns); i++) {
		all |= ns[i].flag;
		r = try_namespaces(CLONE_NEWUSER | ns[i].flag, &ids, &map_err);
		if (r < 0)
			snprintf(missing + strlen(missing),
				 sizeof(missing) - strlen(missing), "%s%s",
				 missing[0] ? ", " : "", ns[i].name);
	}
	if (missing[0]) {
		check(p, "namespaces", "fail",
		      "run on the host, or allow these namespaces in the "
		      "container's seccomp profile; or run with "
		      "--allow-degraded",
		      NULL, "cannot create these namespaces: %s", missing);
		return;
	}
	r = try_namespaces(all, &ids, &map_err);
	p->ns_ok = r >= 0;
	check(p, "namespaces", p->ns_ok ? "ok" : "fail",
	      p->ns_ok ? NULL : "see sbx doctor --json", NULL,
	      p->ns_ok ? "user, pid, mount, net, ipc, uts and cgroup"
		       : "each alone works, together they do not: %s",
	      r < 0 ? strerror(-r) : "");
	p->mounts_ok = r >= 0 && (r & NS_MOUNT_TMPFS) && (r & NS_MOUNT_PROC);
	check(p, "mounts", p->mounts_ok ? "ok" : "fail",
	      p->mounts_ok ? NULL
			   : "a container that masks parts of /proc forbids "
			     "new proc mounts: run on the host, or give the "
			     "container an unmasked /proc",
	      NULL, "%s",
	      p->mounts_ok ? "tmpfs and a new /proc in a user namespace"
	      : r >= 0 && (r & NS_MOUNT_TMPFS)
		      ? "a tmpfs mounts, but a new /proc does not"
		      : "a tmpfs cannot be mounted in a user namespace");
	check(p, "overlayfs", r >= 0 && (r & NS_OVERLAY) ? "ok" : "warn",
	      r >= 0 && (r & NS_OVERLAY)
		      ? NULL
		      : "Linux 5.11 or later mounts overlayfs in a user "
			"namespace; meanwhile use --rw-live or a read-only "
			"workspace",
	      NULL, "%s",
	      r >= 0 && (r & NS_OVERLAY)
		      ? "mounts in a user namespace (the copy-on-write "
			"workspace, --rw)"
		      : "does not mount in a user namespace: a copy-on-write "
			"workspace (--rw) cannot be made");
	if (ids.range > 1)
		check(p, "id_range", "ok", NULL, NULL,
		      "%u ids are mapped into the sandbox%s", ids.range,
		      ids.newidmap ? " (newuidmap, /etc/subuid)" : "");
	else
		check(p, "id_range", "warn",
		      "install uidmap and give this user a range in "
		      "/etc/subuid and /etc/subgid (usermod --add-subuids "
		      "100000-165535 --add-subgids 100000-165535 USER)",
		      NULL,
		      "only your own id is mapped: files of other owners "
		      "show as nobody inside");
}

/* --------------------------------------------------------------- seccomp */

static void probe_seccomp(struct probe *p)
{
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 1, allow };
	char actions[512] = "";
	json_object *extra = json_object_new_object();
	int notif, st = 0;
	pid_t pid;

	read_text("/proc/sys/kernel/seccomp/actions_avail", actions,
		  sizeof(actions));
	notif = strstr(actions, "user_notif") != NULL;
	pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(1);
		_exit(0);
	}
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	p->seccomp_ok = pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	json_object_object_add(extra, "actions",
			       json_object_new_string(actions));
	json_object_object_add(extra, "user_notification",
			       json_object_new_boolean(notif));
	check(p, "seccomp", p->seccomp_ok ? "ok" : "fail",
	      p->seccomp_ok ? NULL
			    : "a kernel with CONFIG_SECCOMP_FILTER is needed",
	      extra, "%s; user notification %s",
	      p->seccomp_ok ? "filters load" : "filters cannot be loaded",
	      notif ? "available" : "not available");
}

/* -------------------------------------------------------------- landlock */

static void probe_landlock(struct probe *p)
{
	json_object *extra = json_object_new_object();
	int abi = sbx_landlock_abi();
	char old[128] = "";

	p->landlock_abi = abi > 0 ? abi : 0;
	json_object_object_add(extra, "abi",
			       json_object_new_int(p->landlock_abi));
	if (abi <= 0) {
		check(p, "landlock", "warn",
		      abi == -EOPNOTSUPP
			      ? "enable it at boot: add landlock to the lsm= "
				"kernel parameter"
			      : "Linux 5.13 or later with CONFIG_SECURITY_"
				"LANDLOCK",
		      extra,
		      "not available (%s): no second wall around the "
		      "filesystem, and no run without namespaces",
		      abi == -EOPNOTSUPP ? "disabled at boot" : strerror(-abi));
		return;
	}
	if (abi < SBX_DEGRADED_LANDLOCK_ABI)
		snprintf(old, sizeof(old),
			 "; too old for runs without namespaces "
			 "(--allow-degraded needs ABI %d, Linux %s)",
			 SBX_DEGRADED_LANDLOCK_ABI,
			 SBX_DEGRADED_LANDLOCK_KERNEL);
	check(p, "landlock", "ok", NULL, extra, "ABI %d: filesystem%s%s%s%s",
	      abi, abi >= 4 ? ", TCP bind/connect" : "",
	      abi >= 6 ? ", scoping of abstract sockets and signals" : "",
	      abi > SBX_LANDLOCK_ABI_KNOWN ? " (and more than this "
					     "libsandbox uses)"
					   : "",
	      old);
}

/* ---------------------------------------------------------------- cgroup */

/* What a run gets: the cgroup code of the runs (cgroup.c) creates the
 * sandbox's cgroup as sup_plan_limits() would for the default limits,
 * then removes it; so doctor and the result's layers agree. */
static void probe_cgroup(struct probe *p)
{
	static const char *const ctl[SUP_CG_N] = { "memory", "pids", "cpu",
						   "cpuacct" };
	const struct sup_cg_want want = { .memory = 1ull << 30, .pids = 512 };
	json_object *extra = json_object_new_object();
	struct sup_cg_host host;
	struct sup_cgroup cg;
	char name[48], limited[64] = "";
	struct statfs sf;
	int i, ok, version;

	if (statfs("/sys/fs/cgroup", &sf) < 0) {
		check(p, "cgroup", "warn", "mount cgroupfs at /sys/fs/cgroup",
		      extra, "no cgroup filesystem at /sys/fs/cgroup");
		return;
	}
	/* the host's hierarchy, and the one a run uses (0: none) */
	json_object_object_add(
		extra, "version",
		json_object_new_int((unsigned long)sf.f_type ==
						    CGROUP2_SUPER_MAGIC
					    ? 2
					    : 1));
	memset(&cg, 0, sizeof(cg));
	/* named as a run's: a stale one is collected like theirs */
	snprintf(name, sizeof(name), "sbx-%d", (int)getpid());
	if (sup_cg_detect(&host, "/proc/self/mountinfo",
			  "/proc/self/cgroup") == 0)
		sup_cg_create(&cg, &host, &want, name);
	else
		snprintf(cg.why, sizeof(cg.why),
			 "no cgroup filesystem in /proc/self/mountinfo");
	for (i = 0; i < SUP_CG_N; i++)
		if ((cg.limited & (1u << i)) && i != SUP_CG_CPUACCT)
			snprintf(limited + strlen(limited),
				 sizeof(limited) - strlen(limited), "%s%s",
				 limited[0] ? "," : "", ctl[i]);
	ok = (cg.limited & (1u << SUP_CG_MEMORY)) &&
	     (cg.limited & (1u << SUP_CG_PIDS));
	json_object_object_add(extra, "used_version",
			       json_object_new_int(cg.version));
	json_object_object_add(extra, "controllers",
			       json_object_new_string(limited));
	json_object_object_add(extra, "writable",
			       json_object_new_boolean(cg.version != 0));
	json_object_object_add(
		extra, "path",
		cg.version == 2	  ? json_object_new_string(cg.v2_dir)
		: cg.version == 1 ? json_object_new_string(
					    cg.v1_dir[SUP_CG_MEMORY][0]
						    ? cg.v1_dir[SUP_CG_MEMORY]
						    : cg.v1_dir[SUP_CG_PIDS])
				  : NULL);
	json_object_object_add(extra, "why",
			       cg.why[0] ? json_object_new_string(cg.why)
					 : NULL);
	version = cg.version;
	sup_cg_destroy(&cg);
	if (ok && cg.unheld)
		check(p, "cgroup", "warn",
		      "let the supervisor reach systemd's manager (for a user: "
		      "/run/user/UID/systemd/private or /run/user/UID/bus), or "
		      "run inside a unit with Delegate=yes",
		      extra, "v%d (%s), in a cgroup systemd rewrites: %s",
		      version, limited, cg.why);
	else if (ok)
		check(p, "cgroup", "ok", NULL, extra,
		      "v%d: each sandbox gets a cgroup of its own (%s)",
		      version, limited);
	else if (version == 2 || (unsigned long)sf.f_type ==
					    CGROUP2_SUPER_MAGIC)
		check(p, "cgroup", "warn",
		      "delegate a cgroup to this user (systemd-run --user "
		      "--scope -p Delegate=yes ..., or run inside a delegated "
		      "unit)",
		      extra,
		      "v2, %s%s: limits fall back to rlimits, which are per "
		      "process, and the supervisor's watch of the whole "
		      "sandbox's memory (%s)",
		      limited[0] ? "only " : "no cgroup with memory and pids",
		      limited, cg.why[0] ? cg.why : "no reason given");
	else
		check(p, "cgroup", "warn",
		      "give this user writable memory and pids hierarchies, "
		      "or boot with cgroup v2 (systemd.unified_cgroup_"
		      "hierarchy=1) and delegate a subtree",
		      extra,
		      "v1, %s%s: other limits fall back to rlimits, which are "
		      "per process, and the supervisor's watch of the whole "
		      "sandbox's memory (%s)",
		      limited[0] ? "writable for " : "nothing writable",
		      limited, cg.why[0] ? cg.why : "no reason given");
}

/* ------------------------------------------------------- pidfd, clone3 */

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls;
};

static void probe_process_api(struct probe *p)
{
	struct clone_args_v0 a = { .exit_signal = SIGCHLD };
	int fd = (int)syscall(SYS_pidfd_open, getpid(), 0), e = errno;
	long pid;

	if (fd >= 0)
		close(fd);
	check(p, "pidfd", fd >= 0 ? "ok" : "warn",
	      fd >= 0 ? NULL : "Linux 5.3 or later", NULL, "%s",
	      fd >= 0 ? "pidfd_open works" : strerror(e));
#ifdef SYS_clone3
	pid = syscall(SYS_clone3, &a, sizeof(a));
	e = errno;
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
#else
	pid = -1;
	e = ENOSYS;
#endif
	check(p, "clone3", pid > 0 ? "ok" : "warn",
	      pid > 0 ? NULL : "Linux 5.3 or later (clone is used instead)",
	      NULL, "%s", pid > 0 ? "clone3 works" : strerror(e));
}

/* A root caller's binds are idmapped (idmap.c): can they be here, for
 * the file systems of the current directory and /tmp? */
static void probe_idmap(struct probe *p)
{
	static const char *const where[] = { ".", "/tmp" };
	char cwd[PATH_MAX] = "", bad[1024] = "";
	size_t i, n = 0;

	if (!sbx_is_host_root() || !p->userns_ok)
		return;
	for (i = 0; i < SBX_ARRAY_SIZE(where); i++) {
		const char *path = where[i];
		int r;

		if (i == 0 && getcwd(cwd, sizeof(cwd)))
			path = cwd;
		if (i > 0 && strcmp(path, cwd) == 0)
			continue;
		r = sup_idmap_probe(path);
		if (r < 0)
			n += (size_t)snprintf(bad + n, sizeof(bad) - n,
					      "%s%s (%s)", n ? ", " : "", path,
					      strerror(-r));
		if (n >= sizeof(bad))
			break;
	}
	if (!bad[0])
		check(p, "idmap", "ok", NULL, NULL,
		      "a root caller's binds are idmapped (its sandbox owns "
		      "nothing on the host), here and in /tmp");
	else
		check(p, "idmap", "warn",
		      "use the copy-on-write workspace (--rw) there, or run "
		      "as an unprivileged user",
		      NULL,
		      "cannot idmap a bind of %s: a root caller's writable "
		      "live binds there are refused",
		      bad);
}

/*
 * The Linux security modules that can stand between the supervisor and
 * what it needs: AppArmor (Debian, Ubuntu, SUSE) confines by the
 * executable's path, and a profile that applies to the caller or to the
 * supervisor decides whether it may mount and create user namespaces;
 * Ubuntu's apparmor_restrict_unprivileged_userns sysctl is read by the
 * userns check.  SELinux in enforcing mode can deny the same.  What
 * worked is the other checks' verdict; this says who else decides.
 */
static void probe_lsm(struct probe *p)
{
	json_object *extra = json_object_new_object();
	char lsms[256] = "", aa[8] = "", label[256] = "", se[8] = "";
	char summary[640];
	int apparmor, confined = 0, selinux;
	size_t n = 0;

	if (read_text("/sys/kernel/security/lsm", lsms, sizeof(lsms)) < 0)
		lsms[0] = '\0';
	apparmor = read_text("/sys/module/apparmor/parameters/enabled", aa,
			     sizeof(aa)) == 0 && aa[0] == 'Y';
	if (apparmor &&
	    read_text("/proc/self/attr/apparmor/current", label,
		      sizeof(label)) < 0 &&
	    read_text("/proc/self/attr/current", label, sizeof(label)) < 0)
		label[0] = '\0';
	if (apparmor && label[0] && strcmp(label, "unconfined") != 0)
		confined = 1;
	selinux = read_text("/sys/fs/selinux/enforce", se, sizeof(se)) == 0;
	json_object_object_add(extra, "modules",
			       lsms[0] ? json_object_new_string(lsms) : NULL);
	json_object_object_add(extra, "apparmor",
			       json_object_new_boolean(apparmor));
	json_object_object_add(extra, "apparmor_label",
			       label[0] ? json_object_new_string(label)
					: NULL);
	json_object_object_add(
		extra, "selinux",
		selinux ? json_object_new_string(se[0] == '1' ? "enforcing"
							      : "permissive")
			: NULL);
	if (apparmor)
		n += (size_t)snprintf(summary + n, sizeof(summary) - n,
				      "AppArmor on, the supervisor %s%s%s",
				      confined ? "confined by " : "unconfined",
				      confined ? label : "",
				      selinux ? "; " : "");
	if (selinux && n < sizeof(summary))
		n += (size_t)snprintf(summary + n, sizeof(summary) - n,
				      "SELinux %s", se[0] == '1'
							    ? "enforcing"
							    : "permissive");
	if (!apparmor && !selinux)
		snprintf(summary, sizeof(summary), "no AppArmor or SELinux");
	if (lsms[0] && n < sizeof(summary))
		snprintf(summary + strlen(summary),
			 sizeof(summary) - strlen(summary), " (modules: %s)",
			 lsms);
	if (confined && (!p->userns_ok || !p->mounts_ok))
		check(p, "lsm", "warn",
		      "let the profile allow userns and mount for the "
		      "supervisor (docs/policy.md), or run from an unconfined "
		      "process",
		      extra, "%s: it may be what denies the above", summary);
	else
		check(p, "lsm", "ok", NULL, extra, "%s", summary);
}

/* What a run without namespaces would not hide (layers.c), all of it:
 * the network's part holds only with the host's network. */
static json_object *not_hidden(void)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < sbx_n_degraded_unhidden; i++) {
		const char *w = sbx_degraded_unhidden[i].what;

		json_object_array_add(a, json_object_new_string(w));
	}
	return a;
}

int sup_probe_main(void)
{
	json_object *report = json_object_new_object();
	struct probe p = { .checks = json_object_new_array() };
	const char *ctr = container();
	int runs, degraded;

	if (!report || !p.checks)
		return 1;
	json_object_object_add(report, "libsandbox",
			       json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(report, "uid",
			       json_object_new_int((int)getuid()));
	json_object_object_add(report, "container",
			       ctr ? json_object_new_string(ctr) : NULL);
	probe_kernel(&p, report);
	probe_namespaces(&p);
	probe_seccomp(&p);
	probe_landlock(&p);
	probe_cgroup(&p);
	probe_process_api(&p);
	probe_idmap(&p);
	probe_lsm(&p);
	runs = p.userns_ok && p.ns_ok && p.mounts_ok && p.seccomp_ok;
	degraded = p.seccomp_ok &&
		   p.landlock_abi >= SBX_DEGRADED_LANDLOCK_ABI;
	json_object_object_add(report, "can_run_default",
			       json_object_new_boolean(runs));
	json_object_object_add(report, "can_run_degraded",
			       json_object_new_boolean(degraded));
	json_object_object_add(report, "degraded_not_hidden", not_hidden());
	json_object_object_add(report, "landlock_abi",
			       json_object_new_int(p.landlock_abi));
	json_object_object_add(report, "checks", p.checks);
	printf("%s\n", json_object_to_json_string_ext(
			       report, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_SPACED |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(report);
	return fflush(stdout) == 0 ? 0 : 1;
}

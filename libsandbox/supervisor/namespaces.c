/* namespaces.c - clone into the new namespaces and map the user ids. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "etcmask.h"
#include "readfile.h"
#include "sup.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

struct clone_args_v0 {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

/* fork() into new namespaces, and straight into the cgroup when a v2
 * directory is given (Linux 5.7+), so the child never runs outside its
 * limits.  The supervisor is single-threaded: the child may use the heap.
 * Returns the pid (0 in the child) or -1 with errno; *ret_in_cgroup says
 * whether the kernel placed the child (else the caller attaches it). */
pid_t sup_clone(unsigned long flags, int cgroup_fd, int *ret_pidfd,
		int *ret_in_cgroup)
{
	struct clone_args_v0 a = { 0 };
	int pidfd = -1;
	long pid;

	*ret_in_cgroup = 0;
	a.flags = flags | CLONE_PIDFD;
	a.pidfd = (uint64_t)(uintptr_t)&pidfd;
	a.exit_signal = SIGCHLD;
#ifdef SYS_clone3
	if (cgroup_fd >= 0) {
		a.flags |= CLONE_INTO_CGROUP;
		a.cgroup = (uint64_t)cgroup_fd;
		pid = syscall(SYS_clone3, &a, sizeof(a));
		if (pid > 0)
			*ret_in_cgroup = 1;
		if (pid >= 0 || (errno != ENOSYS && errno != E2BIG &&
				 errno != EINVAL))
			goto done;
		a.flags &= ~CLONE_INTO_CGROUP;
		a.cgroup = 0;
	}
	pid = syscall(SYS_clone3, &a, offsetof(struct clone_args_v0, set_tid));
	if (pid >= 0 || errno != ENOSYS)
		goto done;
#endif
	/* The raw clone's first two arguments swap places on s390 */
#if defined(__s390__)
	pid = syscall(SYS_clone, NULL, flags | CLONE_PIDFD | SIGCHLD, &pidfd,
		      NULL, 0);
#else
	pid = syscall(SYS_clone, flags | CLONE_PIDFD | SIGCHLD, NULL, &pidfd,
		      NULL, 0);
#endif
done:
	if (pid > 0)
		*ret_pidfd = pidfd;
	return (pid_t)pid;
}

/* Look up "name:start:count" or "uid:start:count" in /etc/subuid-like
 * files; 0 when found. */
static int find_subid(const char *file, const char *name, unsigned long id,
		      unsigned long *ret_start, unsigned long *ret_count)
{
	char line[512];
	FILE *f = fopen(file, "re");
	int r = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2, *end;
		unsigned long start, count;

		if (!c1)
			continue;
		*c1 = '\0';
		c2 = strchr(c1 + 1, ':');
		if (!c2)
			continue;
		start = strtoul(c1 + 1, &end, 10);
		if (end != c2)
			continue;
		count = strtoul(c2 + 1, &end, 10);
		if (!count)
			continue;
		if ((name && strcmp(line, name) == 0) ||
		    (strtoul(line, &end, 10) == id && *end == '\0' &&
		     line[0])) {
			*ret_start = start;
			*ret_count = count;
			r = 0;
			break;
		}
	}
	fclose(f);
	return r;
}

static int have_newidmap(void)
{
	return access("/usr/bin/newuidmap", X_OK) == 0 &&
	       access("/usr/bin/newgidmap", X_OK) == 0;
}

/*
 * Which host ids the sandbox's ids are.  No id inside ever maps to the
 * host's root: a root caller's sandbox runs as an id that owns nothing
 * (SBX_ROOT_ID_BASE, with a range above it), and its binds are idmapped
 * (idmap.c) so that what it writes there belongs to the caller.  Any
 * other caller's sandbox runs as the caller (an unprivileged process
 * may map only itself), with a subordinate range when newuidmap and
 * /etc/subuid give one.
 */
void sup_ids_choose(const struct sup_config *cfg, struct sup_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
	ids->uid = getuid();
	ids->gid = getgid();
	ids->inside_root = ids->uid;
	ids->inside_root_gid = ids->gid;
	ids->range = 1;
	if (sbx_is_host_root()) {
		ids->host_root = 1;
		ids->inside_root = SBX_ROOT_ID_BASE;
		ids->inside_root_gid = SBX_ROOT_ID_BASE;
		if (!sup_flag(cfg, SBX_FLAG_SINGLE_ID)) {
			ids->sub_uid = SBX_ROOT_ID_BASE + 1;
			ids->sub_gid = SBX_ROOT_ID_BASE + 1;
			ids->sub_count = SBX_ID_RANGE - 1;
			ids->range = SBX_ID_RANGE;
		}
		return;
	}
	if (!sup_flag(cfg, SBX_FLAG_SINGLE_ID) && have_newidmap()) {
		unsigned long us, uc, gs, gc;
		struct passwd *pw = getpwuid(ids->uid);
		const char *name = pw ? pw->pw_name : NULL;

		if (find_subid("/etc/subuid", name, ids->uid, &us, &uc) == 0 &&
		    find_subid("/etc/subgid", name, ids->uid, &gs, &gc) == 0) {
			unsigned long n = uc < gc ? uc : gc;

			if (n > SBX_ID_RANGE - 1)
				n = SBX_ID_RANGE - 1;
			ids->newidmap = 1;
			ids->sub_uid = (uid_t)us;
			ids->sub_gid = (gid_t)gs;
			ids->sub_count = (uint32_t)n;
			ids->range = (uint32_t)n + 1;
		}
	}
}

static int write_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, r = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* newuidmap PID 0 ID 1 1 SUB COUNT, and the same for gids, at once. */
static int run_newidmaps(pid_t pid, const struct sup_ids *ids, char *err,
			 size_t errlen)
{
	char spid[16], sid[2][16], ssub[2][16], scount[16];
	const char *prog[2] = { "/usr/bin/newuidmap", "/usr/bin/newgidmap" };
	char *const env[] = { NULL };
	pid_t helper[2] = { -1, -1 };
	int i, r = 0;

	snprintf(spid, sizeof(spid), "%d", (int)pid);
	snprintf(sid[0], sizeof(sid[0]), "%u", (unsigned)ids->uid);
	snprintf(sid[1], sizeof(sid[1]), "%u", (unsigned)ids->gid);
	snprintf(ssub[0], sizeof(ssub[0]), "%u", (unsigned)ids->sub_uid);
	snprintf(ssub[1], sizeof(ssub[1]), "%u", (unsigned)ids->sub_gid);
	snprintf(scount, sizeof(scount), "%u", ids->sub_count);
	for (i = 0; i < 2; i++) {
		char *const argv[] = { (char *)prog[i], spid,	  "0",
				       sid[i],		"1",	  "1",
				       ssub[i],		scount,	  NULL };
		posix_spawn_file_actions_t fa;

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY,
						 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY,
						 0);
		r = posix_spawn(&helper[i], prog[i], &fa, NULL, argv, env);
		posix_spawn_file_actions_destroy(&fa);
		if (r) {
			helper[i] = -1;
			snprintf(err, errlen, "cannot run %s: %s", prog[i],
				 strerror(r));
			r = -r;
			break;
		}
	}
	for (i = 0; i < 2; i++) {
		int st;

		if (helper[i] < 0)
			continue;
		while (waitpid(helper[i], &st, 0) < 0 && errno == EINTR)
			;
		if (!r && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
			snprintf(err, errlen,
				 "%s failed for the sandbox (check /etc/%s for "
				 "this user, or pass --single-id)",
				 prog[i], i ? "subgid" : "subuid");
			r = -EPERM;
		}
	}
	return r;
}

int sup_write_idmaps(pid_t pid, const struct sup_ids *ids, char *err,
		     size_t errlen)
{
	char map[128];
	int r;

	if (ids->newidmap)
		return run_newidmaps(pid, ids, err, errlen);
	if (!ids->host_root) {
		/* An unprivileged writer may map only itself, and only once
		 * setgroups is denied. */
		r = write_file(pid, "setgroups", "deny");
		if (r < 0 && r != -ENOENT) {
			snprintf(err, errlen, "cannot write setgroups: %s",
				 strerror(-r));
			return r;
		}
	}
	if (ids->sub_count)
		snprintf(map, sizeof(map), "0 %u 1\n1 %u %u\n",
			 (unsigned)ids->inside_root, (unsigned)ids->sub_uid,
			 ids->sub_count);
	else
		snprintf(map, sizeof(map), "0 %u 1\n",
			 (unsigned)ids->inside_root);
	r = write_file(pid, "uid_map", map);
	if (r < 0) {
		snprintf(err, errlen, "cannot write uid_map (%s): %s", map,
			 strerror(-r));
		return r;
	}
	if (ids->sub_count)
		snprintf(map, sizeof(map), "0 %u 1\n1 %u %u\n",
			 (unsigned)ids->inside_root_gid,
			 (unsigned)ids->sub_gid, ids->sub_count);
	else
		snprintf(map, sizeof(map), "0 %u 1\n",
			 (unsigned)ids->inside_root_gid);
	r = write_file(pid, "gid_map", map);
	if (r < 0)
		snprintf(err, errlen, "cannot write gid_map: %s", strerror(-r));
	return r;
}

/* Why could no user namespace be made?  Each known cause has its fix. */
int sup_userns_diagnose(int err, char *msg, size_t len)
{
	/* -1: the knob is not there (these are never negative) */
	if (sup_read_long("/proc/sys/user/max_user_namespaces", -1) == 0) {
		snprintf(msg, len,
			 "user namespaces are disabled on this host "
			 "(user.max_user_namespaces=0); enable them with "
			 "`sysctl -w user.max_user_namespaces=15000` (see "
			 "sbx doctor)");
		return 0;
	}
	if (sup_read_long("/proc/sys/kernel/"
			  "apparmor_restrict_unprivileged_userns", -1) == 1 &&
	    getuid() != 0) {
		snprintf(msg, len,
			 "user namespaces are restricted by AppArmor "
			 "(kernel.apparmor_restrict_unprivileged_userns=1, "
			 "Ubuntu 23.10 and later); allow them with an "
			 "AppArmor profile for the sbx supervisor or "
			 "`sysctl -w "
			 "kernel.apparmor_restrict_unprivileged_userns=0` "
			 "(see sbx doctor)");
		return 0;
	}
	if (sup_read_long("/proc/sys/kernel/unprivileged_userns_clone", -1) ==
		    0 &&
	    getuid() != 0) {
		snprintf(msg, len,
			 "unprivileged user namespaces are disabled "
			 "(kernel.unprivileged_userns_clone=0); enable them "
			 "with `sysctl -w kernel.unprivileged_userns_clone=1`");
		return 0;
	}
	if (err == ENOSPC || err == EUSERS) {
		snprintf(msg, len,
			 "the limit of user namespaces is reached "
			 "(user.max_user_namespaces); raise it or end other "
			 "sandboxes");
		return 0;
	}
	if (err == EPERM) {
		snprintf(msg, len,
			 "creating namespaces was refused (EPERM): running "
			 "in a chroot, or inside a container whose seccomp "
			 "profile forbids unshare/clone with namespace flags; "
			 "run on the host or allow user namespaces in the "
			 "container (see sbx doctor)");
		return 0;
	}
	snprintf(msg, len, "cannot create the sandbox's namespaces: %s",
		 strerror(err));
	return 0;
}

/* systemd.h - a delegated scope of our own from systemd, for the
 * sandbox's cgroup (see systemd.c). */
#ifndef SBX_SUP_SYSTEMD_H
#define SBX_SUP_SYSTEMD_H

#include <stddef.h>

struct sup_bus_addr {
	const char *path; /* a unix socket: "/path" or "@abstract" */
	int direct;       /* the manager's own socket, not a bus daemon */
};

/*
 * Ask the service manager behind the first address of addrs (ended by a
 * NULL path) that answers for a transient scope "sbx-PID-XXXXXXXX.scope"
 * with Delegate=yes holding this process, and wait (at most timeout_ms)
 * until /proc/self/cgroup (self_cgroup, a file for tests) shows us in it.
 * 0 with ret_cgroup our new cgroup v2 path as that file says it
 * ("/user.slice/.../sbx-1-0a1b2c3d.scope"); or -errno with why saying
 * what each address answered.
 */
int sup_systemd_scope(const struct sup_bus_addr *addrs, const char *self_cgroup,
		      int timeout_ms, char *ret_cgroup, size_t len, char *why,
		      size_t why_len);

#endif

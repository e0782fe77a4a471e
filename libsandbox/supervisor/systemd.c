/* systemd.c - a delegated scope of our own from systemd, for the
 * sandbox's cgroup.
 *
 * Why: on a systemd host an unprivileged caller's nearest writable cgroup
 * is a slice of its user manager (app.slice), which is not delegated to
 * anyone.  systemd rewrites the cgroup.subtree_control of its slices
 * whenever it realizes them (a unit starting, a daemon-reload) and takes
 * out the controllers no unit there asked for: a sandbox's cpu.max
 * vanished mid-run that way.  runc, crun and podman's systemd cgroup
 * managers ask systemd for a transient unit with Delegate=yes instead, and
 * so do we: the supervisor moves into a scope of its own, which systemd
 * leaves to us and removes once we are gone.
 *
 * How we talk to it: a small hand-written D-Bus client (dbus.c), not
 * libsystemd.  Linking libsystemd would make the supervisor fail to start
 * on hosts without it (containers, Alpine-like hosts, minimal images),
 * for a feature only systemd hosts use; dlopen("libsystemd.so.0") with
 * sd-bus prototypes of our own avoids that, but ties us to an ABI we
 * would declare by hand and costs the loader's work (a few hundred
 * microseconds and another library mapped into every such run).  What we
 * need is one method call and one signal, a few hundred lines with no
 * dependency, and testable against dbus-daemon (tests/test-systemd.c).
 *
 * Where: the manager's own socket first ($XDG_RUNTIME_DIR/systemd/private
 * for the user's manager, /run/systemd/private for the system's), as
 * systemctl and systemd-run do for the local manager: no bus daemon needed
 * (a lingering user often has none), one round trip fewer, and the job's
 * signals come without a match rule; then the bus ($XDG_RUNTIME_DIR/bus,
 * /run/dbus/system_bus_socket).  $XDG_RUNTIME_DIR is /run/user/UID
 * wherever a user manager runs (pam_systemd sets it so); the supervisor
 * starts with an empty environment on purpose (the sandbox's init is a
 * copy of it, and /proc/1/environ would show what it had), so the paths
 * are derived, not read from the caller's variables.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "dbus.h"
#include "readfile.h"
#include "systemd.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"

static void note(char *why, size_t len, const char *fmt, const char *a,
		 const char *b)
{
	size_t n = strlen(why);

	if (n && n + 2 < len) {
		why[n++] = ';';
		why[n++] = ' ';
		why[n] = '\0';
	}
	if (n < len)
		snprintf(why + n, len - n, fmt, a, b);
}

/* Our cgroup v2 path, if /proc/self/cgroup's is unit's. */
static int in_unit(const char *self_cgroup, const char *unit, char *ret,
		   size_t len)
{
	char buf[4096], *p, *nl;
	size_t u = strlen(unit);

	if (sup_read_file(self_cgroup, buf, sizeof(buf)) < 0)
		return 0;
	for (p = buf; p && *p; p = nl ? nl + 1 : NULL) {
		size_t n;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(p, "0::", 3) != 0)
			continue;
		p += 3;
		n = strlen(p);
		if (n > u && p[n - u - 1] == '/' &&
		    strcmp(p + n - u, unit) == 0 && n < len) {
			memcpy(ret, p, n + 1);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* StartTransientUnit(name, "fail", properties, no auxiliary units). */
static int start_body(struct sup_dbuf *b, const char *unit)
{
	struct sup_darray props, pids, aux;

	sup_d_str(b, unit);
	sup_d_str(b, "fail");
	props = sup_d_array_open(b, 8);
	sup_d_struct(b);
	sup_d_str(b, "Description");
	sup_d_sig(b, "s");
	sup_d_str(b, "libsandbox supervisor and its sandbox");
	sup_d_struct(b);
	sup_d_str(b, "PIDs");
	sup_d_sig(b, "au");
	pids = sup_d_array_open(b, 4);
	sup_d_u32(b, (uint32_t)getpid());
	sup_d_array_close(b, pids);
	sup_d_struct(b);
	sup_d_str(b, "Delegate");
	sup_d_sig(b, "b");
	sup_d_u32(b, 1);
	/* unloaded once it is over, failed or not: nothing stays listed */
	sup_d_struct(b);
	sup_d_str(b, "CollectMode");
	sup_d_sig(b, "s");
	sup_d_str(b, "inactive-or-failed");
	sup_d_array_close(b, props);
	aux = sup_d_array_open(b, 8);
	sup_d_array_close(b, aux);
	return b->failed ? -ENOMEM : 0;
}

/*
 * One manager: the scope, then its start job's end.  The job's
 * JobRemoved signal says how it ended (on a bus daemon we match it; the
 * manager's own socket gets every signal); /proc/self/cgroup, looked at
 * between messages, is the proof either way.  1: in it; 0: this manager
 * is not there (try the next); <0: it answered and refused.
 */
static int ask(const struct sup_bus_addr *a, const char *self_cgroup,
	       const char *unit, int64_t deadline, char *ret, size_t len,
	       char *why, size_t why_len)
{
	struct sup_dbuf body = { 0 }, match = { 0 };
	struct sup_bus bus;
	uint32_t start, hello_or_match = 0;
	int r, replied = 0;

	r = sup_bus_open(&bus, a->path, a->direct, deadline);
	if (r < 0) {
		note(why, why_len, "%s: %s", a->path, strerror(-r));
		return 0;
	}
	if (!a->direct) {
		sup_d_str(&match, "type='signal',sender='" SD_DEST
				  "',path='" SD_PATH "',interface='" SD_MANAGER
				  "',member='JobRemoved'");
		r = sup_bus_call(&bus, "org.freedesktop.DBus",
				 "/org/freedesktop/DBus", "org.freedesktop.DBus",
				 "AddMatch", "s", &match, &hello_or_match);
	}
	if (r == 0)
		r = start_body(&body, unit);
	if (r == 0)
		r = sup_bus_call(&bus, SD_DEST, SD_PATH, SD_MANAGER,
				 "StartTransientUnit", "ssa(sv)a(sa(sv))",
				 &body, &start);
	sup_dbuf_free(&body);
	sup_dbuf_free(&match);
	while (r == 0) {
		struct sup_dmsg m;
		int64_t now = sup_bus_now_ns(), until = deadline;

		/* after the reply, look at our cgroup every 20 ms too */
		if (replied && until > now + 20000000)
			until = now + 20000000;
		r = sup_bus_read(&bus, &m, until);
		if (replied && in_unit(self_cgroup, unit, ret, len)) {
			r = 1;
			break;
		}
		if (r == -ETIMEDOUT && sup_bus_now_ns() < deadline) {
			r = 0;
			continue;
		}
		if (r < 0) {
			note(why, why_len, "%s: %s", a->path,
			     r == -ETIMEDOUT ? "no answer in time"
					     : strerror(-r));
			r = replied ? -ETIMEDOUT : 0;
			break;
		}
		if (m.type == SUP_DMSG_ERROR && m.reply_serial == start) {
			struct sup_dread rd;
			char what[512];

			sup_dread_init(&rd, &m);
			snprintf(what, sizeof(what), "%s (%s)",
				 m.error ? m.error : "an error",
				 strncmp(m.sig, "s", 1) == 0 ? sup_dr_str(&rd)
							     : "");
			note(why, why_len, "%s refused the scope: %s", a->path,
			     what);
			r = -EPERM;
		} else if (m.type == SUP_DMSG_ERROR && m.reply_serial &&
			   m.reply_serial == hello_or_match) {
			/* no match rule: the cgroup is looked at anyway */
		} else if (m.type == SUP_DMSG_RETURN &&
			   m.reply_serial == start) {
			replied = 1;
		} else if (m.type == SUP_DMSG_SIGNAL && m.member &&
			   strcmp(m.member, "JobRemoved") == 0 &&
			   strcmp(m.sig, "uoss") == 0) {
			struct sup_dread rd;
			const char *u, *result;

			sup_dread_init(&rd, &m);
			sup_dr_u32(&rd);
			sup_dr_str(&rd);
			u = sup_dr_str(&rd);
			result = sup_dr_str(&rd);
			if (rd.bad || strcmp(u, unit) != 0)
				continue;
			if (in_unit(self_cgroup, unit, ret, len)) {
				r = 1;
			} else {
				note(why, why_len,
				     "%s: the scope's start ended \"%s\", and "
				     "this process is not in it",
				     a->path, result);
				r = -ESRCH;
			}
		}
	}
	sup_bus_close(&bus);
	return r;
}

int sup_systemd_scope(const struct sup_bus_addr *addrs, const char *self_cgroup,
		      int timeout_ms, char *ret_cgroup, size_t len, char *why,
		      size_t why_len)
{
	int64_t deadline = sup_bus_now_ns() + (int64_t)timeout_ms * 1000000;
	char unit[64];
	uint32_t rnd;
	int r = 0;

	why[0] = '\0';
	/* unique even when a unit of a reused pid is still listed */
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = (uint32_t)sup_bus_now_ns();
	snprintf(unit, sizeof(unit), "sbx-%d-%08x.scope", (int)getpid(),
		 (unsigned)rnd);
	for (; addrs->path && r == 0; addrs++)
		r = ask(addrs, self_cgroup, unit, deadline, ret_cgroup, len,
			why, why_len);
	if (r == 1)
		return 0;
	return r < 0 ? r : -ENOENT;
}

/* The cgroup code's way to a delegated unit (cgroup.h): the manager of
 * this uid, at the sockets it always has. */
int sup_cg_unit(const struct sup_cg_host *h, char *ret_cgroup, size_t len,
		char *why, size_t why_len)
{
	char priv[64], busp[64];
	struct sup_bus_addr addrs[3] = {
		{ "/run/systemd/private", 1 },
		{ "/run/dbus/system_bus_socket", 0 },
		{ NULL, 0 },
	};

	if (h->uid != 0) {
		snprintf(priv, sizeof(priv), "/run/user/%u/systemd/private",
			 (unsigned)h->uid);
		snprintf(busp, sizeof(busp), "/run/user/%u/bus",
			 (unsigned)h->uid);
		addrs[0].path = priv;
		addrs[1].path = busp;
	}
	/* generous: a loaded manager, or one under emulation, answers in
	 * hundreds of milliseconds; a run without a scope is worse */
	return sup_systemd_scope(addrs, h->self_file, 10000, ret_cgroup, len,
				 why, why_len);
}

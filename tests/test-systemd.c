/* test-systemd.c - the supervisor's request for a delegated scope
 * (systemd.c, dbus.c) against a fake systemd written on libdbus
 * (tests/fake-systemd.py): over a dbus-daemon started here, and peer to
 * peer as on a manager's private socket.  What is sent (the unit's name,
 * mode and properties, as the reference implementation decodes them),
 * and each answer: the scope, a refusal, a failed job, a missing signal,
 * no manager at all.  This machine runs no systemd; check-vm asks a real
 * one (tests/vm/payload.sh). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbus.h"
#include "systemd.h"
#include "testlib.h"

#define PYTHON "/usr/bin/python3"
#define START_CG "0::/user.slice/user-1000.slice/session-2.scope\n"

static char *dir;
static char script[4096], record[4200], cgfile[4200];
static const char *skip_why;

/* Start argv with its stdout on a pipe; the first line it prints (within
 * 30 s) in line.  The pid, or -1. */
static pid_t start(char *const argv[], char *line, size_t len)
{
	int p[2];
	pid_t pid;
	struct pollfd pf;
	size_t n = 0;

	line[0] = '\0';
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		/* dbus-daemon's complaints about rlimits it may not raise */
		if (strcmp(argv[0], "/usr/bin/dbus-daemon") == 0) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0)
				dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	pf.fd = p[0];
	pf.events = POLLIN;
	while (n + 1 < len && poll(&pf, 1, 30000) == 1) {
		ssize_t r = read(p[0], line + n, 1);

		if (r <= 0 || line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	close(p[0]);
	return pid;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

static int setup(void)
{
	const char *srcdir = getenv("srcdir");

	dir = tl_tmpdir();
	if (!dir)
		return 1;
	snprintf(script, sizeof(script), "%s/tests/fake-systemd.py",
		 srcdir ? srcdir : ".");
	snprintf(record, sizeof(record), "%s/record.json", dir);
	snprintf(cgfile, sizeof(cgfile), "%s/cgroup", dir);
	if (access("/usr/bin/dbus-daemon", X_OK) < 0)
		skip_why = "no dbus-daemon (apt-get install dbus-daemon)";
	else if (system(PYTHON " -c 'import dbus.server, "
			"dbus.mainloop.glib, gi.repository.GLib' "
			"2>/dev/null") != 0)
		skip_why = "no dbus-python or PyGObject for " PYTHON
			   " (apt-get install python3-dbus python3-gi)";
	else if (access(script, R_OK) < 0)
		skip_why = "tests/fake-systemd.py not found (set srcdir)";
	return 0;
}

static int teardown(void)
{
	tl_rmrf(dir);
	free(dir);
	return 0;
}

struct fake {
	pid_t daemon, fake;
	char addr[4096]; /* the socket to give the client */
};

/* A fake systemd behaving so, on a bus daemon of its own (direct 0) or
 * listening peer to peer. */
static int fake_start(struct fake *f, int direct, const char *behaviour)
{
	char line[4096], where[4200];

	memset(f, 0, sizeof(*f));
	unlink(record);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(cgfile, START_CG), 0);
	if (!direct) {
		char *const dargv[] = { (char *)"/usr/bin/dbus-daemon",
					(char *)"--session", (char *)"--nofork",
					(char *)"--print-address=1", NULL };

		f->daemon = start(dargv, line, sizeof(line));
		/* the client takes the address as a bus would give it */
		if (f->daemon < 0 ||
		    sup_bus_parse_address(line, f->addr, sizeof(f->addr)) < 0) {
			fprintf(stderr, "\n  dbus-daemon said '%s'\n", line);
			return -1;
		}
		snprintf(where, sizeof(where), "%s", line);
	} else {
		snprintf(f->addr, sizeof(f->addr), "%s/private", dir);
		unlink(f->addr);
		snprintf(where, sizeof(where), "%s", f->addr);
	}
	{
		char *const fargv[] = { (char *)PYTHON,
					script,
					(char *)(direct ? "direct" : "bus"),
					where,
					record,
					cgfile,
					(char *)behaviour,
					NULL };

		f->fake = start(fargv, line, sizeof(line));
	}
	if (strcmp(line, "ready") != 0) {
		fprintf(stderr, "\n  the fake systemd said '%s'\n", line);
		return -1;
	}
	return 0;
}

static void fake_stop(struct fake *f)
{
	stop(f->fake);
	stop(f->daemon);
}

static int ask(const struct fake *f, int direct, char *cg, size_t len,
	       char *why, size_t why_len)
{
	struct sup_bus_addr a[2] = { { f->addr, direct }, { NULL, 0 } };

	return sup_systemd_scope(a, cgfile, 5000, cg, len, why, why_len);
}

static int contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		fprintf(stderr, "\n  '%s' lacks '%s'\n", hay, needle);
		return 0;
	}
	return 1;
}

/* The call as libdbus decoded it: systemd's StartTransientUnit with the
 * properties a delegated scope of ours needs, and nothing else. */
static void check_record(void)
{
	char *r = tl_read_file(record), want[128];

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	snprintf(want, sizeof(want), "\"name\": \"sbx-%d-", (int)getpid());
	CU_ASSERT(contains(r, want));
	CU_ASSERT(contains(r, ".scope\""));
	CU_ASSERT(contains(r, "\"mode\": \"fail\""));
	snprintf(want, sizeof(want), "\"PIDs\": [%d]", (int)getpid());
	CU_ASSERT(contains(r, want));
	CU_ASSERT(contains(r, "\"Delegate\": true"));
	CU_ASSERT(contains(r, "\"CollectMode\": \"inactive-or-failed\""));
	CU_ASSERT(contains(r, "\"aux\": 0"));
	free(r);
}

/* Ask a fake systemd that behaves so for a scope: 0 and ask()'s return
 * in *ret, or -1 when the test was skipped or the fake did not start. */
static int ask_fake(struct fake *f, int direct, const char *behaviour,
		    char *cg, size_t cg_len, char *why, size_t why_len,
		    int *ret)
{
	if (skip_why) {
		tl_skip("%s", skip_why);
		return -1;
	}
	if (fake_start(f, direct, behaviour) < 0) {
		CU_FAIL("the fake systemd did not start");
		fake_stop(f);
		return -1;
	}
	*ret = ask(f, direct, cg, cg_len, why, why_len);
	fake_stop(f);
	return 0;
}

static void scope_done(int direct, const char *behaviour)
{
	char cg[4096] = "", why[1024] = "", want[64];
	struct fake f;
	int r;

	if (ask_fake(&f, direct, behaviour, cg, sizeof(cg), why, sizeof(why),
		     &r) < 0)
		return;
	if (r != 0)
		fprintf(stderr, "\n  %d: %s\n", r, why);
	CU_ASSERT_EQUAL(r, 0);
	check_record();
	/* our new cgroup, as "/proc/self/cgroup" says once we are in */
	snprintf(want, sizeof(want), "/app.slice/sbx-%d-", (int)getpid());
	CU_ASSERT(contains(cg, want));
	CU_ASSERT(contains(cg, ".scope"));
}

static void test_bus(void)
{
	scope_done(0, "done");
}

static void test_direct(void)
{
	scope_done(1, "done");
}

/* No JobRemoved (a bus daemon that would not route it): our cgroup,
 * looked at while waiting, says it all the same. */
static void test_no_signal(void)
{
	scope_done(0, "silent");
}

static void scope_fails(int direct, const char *behaviour, int want_r,
			const char *want_why)
{
	char cg[4096] = "", why[1024] = "";
	struct fake f;
	int r;

	if (ask_fake(&f, direct, behaviour, cg, sizeof(cg), why, sizeof(why),
		     &r) < 0)
		return;
	CU_ASSERT_EQUAL(r, want_r);
	CU_ASSERT(contains(why, want_why));
	CU_ASSERT(contains(why, f.addr));
}

static void test_refused(void)
{
	scope_fails(0, "refuse", -EPERM, "org.freedesktop.systemd1.UnitExists");
}

static void test_job_failed(void)
{
	scope_fails(1, "failed", -ESRCH, "\"failed\"");
}

/* No manager behind the sockets: each says so, quickly; then the next
 * address is tried. */
static void test_no_manager(void)
{
	struct sup_bus_addr a[3] = { { "/nonexistent/systemd/private", 1 },
				     { "/nonexistent/bus", 0 },
				     { NULL, 0 } };
	char cg[4096], why[1024];
	struct fake f;
	int r;

	r = sup_systemd_scope(a, "/proc/self/cgroup", 5000, cg, sizeof(cg), why,
			      sizeof(why));
	CU_ASSERT_EQUAL(r, -ENOENT);
	CU_ASSERT(contains(why, "/nonexistent/systemd/private: No such file"));
	CU_ASSERT(contains(why, "/nonexistent/bus: No such file"));
	if (skip_why) {
		tl_skip("%s", skip_why);
		return;
	}
	if (fake_start(&f, 1, "done") < 0) {
		CU_FAIL("the fake systemd did not start");
		fake_stop(&f);
		return;
	}
	a[1].path = f.addr;
	a[1].direct = 1;
	r = sup_systemd_scope(a, cgfile, 5000, cg, sizeof(cg), why,
			      sizeof(why));
	fake_stop(&f);
	CU_ASSERT_EQUAL(r, 0);
}

static void test_addresses(void)
{
	char out[256];

	CU_ASSERT_EQUAL(sup_bus_parse_address("unix:path=/run/user/1000/bus",
					      out, sizeof(out)),
			0);
	CU_ASSERT_STRING_EQUAL(out, "/run/user/1000/bus");
	CU_ASSERT_EQUAL(sup_bus_parse_address("tcp:host=x,port=1;unix:guid=ab,"
					      "abstract=/tmp/dbus-%41b",
					      out, sizeof(out)),
			0);
	CU_ASSERT_STRING_EQUAL(out, "@/tmp/dbus-Ab");
	CU_ASSERT_EQUAL(sup_bus_parse_address("tcp:host=x", out, sizeof(out)),
			-EINVAL);
}

/* A peer on the socket that authenticates, then sends msg (len bytes). */
static pid_t raw_peer(const char *path, const unsigned char *msg, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int l, c;
	pid_t pid;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	unlink(path);
	l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(l, 1) < 0) {
		if (l >= 0)
			close(l);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char buf[512];
		const char ok[] = "OK 0123456789abcdef0123456789abcdef\r\n";

		alarm(30);
		c = accept(l, NULL, NULL);
		if (c < 0 || read(c, buf, sizeof(buf)) <= 0 ||
		    write(c, ok, sizeof(ok) - 1) < 0 ||
		    write(c, msg, len) < 0)
			_exit(1);
		while (read(c, buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	close(l);
	return pid;
}

/*
 * A broken or hostile peer on the manager's socket: a reply whose header
 * holds an array of empty structs ("a()", which the specification does
 * not allow), 8 bytes long.  Each element takes no bytes, so a reader
 * that steps element by element never reaches the array's end.  The
 * supervisor must call it malformed (EBADMSG), not spin until killed.
 */
static void test_empty_struct_array(void)
{
	static const char *const sigs[] = { "a()", "a{}" };
	char path[4200];
	size_t i;

	snprintf(path, sizeof(path), "%s/raw.sock", dir);
	for (i = 0; i < 2; i++) {
		unsigned char msg[40] = { 'l', 2, 0, 1 };
		uint32_t v;
		struct sup_bus bus;
		struct sup_dmsg m;
		pid_t peer, reader;
		int st = 0;

		v = 1; /* serial */
		memcpy(msg + 8, &v, 4);
		v = 24; /* the header fields: 16..40 */
		memcpy(msg + 12, &v, 4);
		msg[16] = 100; /* a field code nobody knows */
		msg[17] = 3;
		memcpy(msg + 18, sigs[i], 4);
		v = 8; /* the array's bytes, 32..40 */
		memcpy(msg + 24, &v, 4);
		peer = raw_peer(path, msg, sizeof(msg));
		CU_ASSERT_FATAL(peer > 0);
		fflush(NULL);
		reader = fork();
		if (reader == 0) {
			int64_t end = sup_bus_now_ns() + 5000000000LL;
			int r;

			alarm(20); /* a reader that spins */
			r = sup_bus_open(&bus, path, 1, end);
			if (r == 0)
				r = sup_bus_read(&bus, &m, end);
			_exit(r == -EBADMSG ? 0 : 1);
		}
		waitpid(reader, &st, 0);
		kill(peer, SIGKILL);
		waitpid(peer, NULL, 0);
		if (!WIFEXITED(st))
			fprintf(stderr, "\n  %s: the reader was killed by "
				"signal %d\n", sigs[i], WTERMSIG(st));
		CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	unlink(path);
}

static CU_TestInfo tests[] = {
	{ "scope over a bus daemon", test_bus },
	{ "scope over a manager's own socket", test_direct },
	{ "no JobRemoved: the cgroup tells", test_no_signal },
	{ "refused: the manager's error", test_refused },
	{ "job failed: not in it", test_job_failed },
	{ "no manager, then the next address", test_no_manager },
	{ "bus addresses", test_addresses },
	{ "a reply with an array of empty structs", test_empty_struct_array },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "systemd scope (fake systemd on libdbus)", setup, teardown, NULL,
	  NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

/* test-isolation.c - attacks on the namespaces and the scrubbing: host
 * files, leaked descriptors, the caller's environment, the host's network
 * and its processes.  Each test fails if the attack works, judged from the
 * host's side wherever there is one. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"

/* What a configuration callback applies to the handle. */
struct iso_cfg {
	const char *workspace; /* bound at /workspace */
	int ws_mode;
	const char *bind;      /* bound read-only at the same path */
	int net;
	const char *env_name;  /* passed explicitly (a control) */
	const char *env_value;
};

static void configure(sbx_t *sbx, void *arg)
{
	const struct iso_cfg *c = arg;

	live_setup(sbx);
	if (!c)
		return;
	if (c->workspace)
		CU_ASSERT_EQUAL(sbx_set_workspace(sbx, c->workspace,
						  c->ws_mode),
				0);
	if (c->bind)
		CU_ASSERT_EQUAL(sbx_add_bind(sbx, c->bind, NULL, 0), 0);
	CU_ASSERT_EQUAL(sbx_set_network(sbx, c->net), 0);
	if (c->env_name)
		CU_ASSERT_EQUAL(sbx_set_env(sbx, c->env_name, c->env_value),
				0);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

static int has(const struct tl_run *r, const char *s)
{
	return strstr(r->out, s) || strstr(r->err, s);
}

/* A secret nobody could guess, so finding it in the output means it was
 * read. */
static char *new_secret(const char *what)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return fmt("sbx-secret-%s-%d-%ld", what, (int)getpid(), ts.tv_nsec);
}

/* ---- host files ---------------------------------------------------- */

struct files {
	char *dir;     /* a host tmp dir, not bound */
	char *ws;      /* dir/ws: the workspace */
	char *path;    /* dir/secret */
	char *secret;
	char *home_path; /* a secret in the caller's home, or NULL */
	char *home_secret;
};

static void files_make(struct files *f)
{
	const char *home = getenv("HOME");

	memset(f, 0, sizeof(*f));
	f->dir = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->dir);
	f->ws = fmt("%s/ws", f->dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(f->ws, 0755), 0);
	f->path = fmt("%s/secret", f->dir);
	f->secret = new_secret("file");
	/* readable by everyone: only the mount namespace may keep it */
	CU_ASSERT_EQUAL_FATAL(tl_write_file(f->path, f->secret), 0);
	chmod(f->path, 0644);
	if (home && home[0] == '/' && strncmp(home, "/tmp", 4) != 0) {
		f->home_path = fmt("%s/.sbx-test-secret-%d", home,
				   (int)getpid());
		f->home_secret = new_secret("home");
		if (tl_write_file(f->home_path, f->home_secret) == 0) {
			chmod(f->home_path, 0644);
		} else {
			free(f->home_path);
			f->home_path = NULL;
		}
	}
}

static void files_free(struct files *f)
{
	char *text = tl_read_file(f->path);

	/* whatever the sandbox tried, the host's file is as it was */
	CU_ASSERT_PTR_NOT_NULL(text);
	if (text)
		CU_ASSERT_STRING_EQUAL(text, f->secret);
	free(text);
	if (f->home_path) {
		text = tl_read_file(f->home_path);
		CU_ASSERT_PTR_NOT_NULL(text);
		if (text)
			CU_ASSERT_STRING_EQUAL(text, f->home_secret);
		free(text);
		unlink(f->home_path);
	}
	tl_rmrf(f->dir);
	free(f->dir);
	free(f->ws);
	free(f->path);
	free(f->secret);
	free(f->home_path);
	free(f->home_secret);
}

/* Read (and try to overwrite) the secrets every way a path allows. */
static char *read_script(const struct files *f)
{
	const char *hp = f->home_path ? f->home_path : "/nonexistent";

	return fmt("for p in '%s' /workspace/../secret /proc/1/root'%s' "
		   "/proc/self/root'%s' '%s'; do cat \"$p\"; "
		   "echo PWNED > \"$p\"; done; "
		   "cat /root/* /root/.* /home/*/* /home/*/.* 2>&1; "
		   "ls -A /root /home; echo end-of-script",
		   f->path, f->path, f->path, hp);
}

static void test_host_files(void)
{
	struct iso_cfg c = { 0 };
	struct files f;
	struct tl_run r;
	char *script;

	files_make(&f);
	/* A writable workspace: the sandbox's root is then the caller
	 * itself (as root, host root), so only the namespaces stand in the
	 * way, not file modes. */
	c.workspace = f.ws;
	c.ws_mode = SBX_WORKSPACE_RW;
	script = read_script(&f);
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT(has(&r, "end-of-script"));
	CU_ASSERT(!has(&r, f.secret));
	if (f.home_path)
		CU_ASSERT(!has(&r, f.home_secret));
	tl_run_free(&r);

	/* The control: bound, the same script does read it, so the check
	 * above can fail. */
	c.bind = f.dir;
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT(has(&r, f.secret));
	tl_run_free(&r);
	free(script);
	files_free(&f);
}

/* Nothing of the host's /root, /home, /run, /var, /mnt, /media, /srv or
 * /sys shows inside; /home may hold only the sandbox's own home. */
static void test_hidden_dirs(void)
{
	struct tl_run r;
	DIR *d;
	struct dirent *de;

	tl_run_sh(&r, configure, NULL,
		  "for d in /root /run /var /mnt /media /srv /sys; do "
		  "[ -e $d ] && for e in $d/* $d/.*; do "
		  "case $e in */.|*/..|*/'*'|*/'.*') ;; *) echo \"seen=$e\";; "
		  "esac; done; done; "
		  "for e in /home/*; do echo \"home=$e\"; done; echo done=1");
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "done", 0), 1);
	if (live_value(r.out, "seen"))
		fprintf(stderr, "\n  visible inside: %s\n", r.out);
	CU_ASSERT_PTR_NULL(live_value(r.out, "seen"));
	/* no host user's home by name */
	d = opendir("/home");
	while (d && (de = readdir(d))) {
		char *line;

		if (de->d_name[0] == '.' || strcmp(de->d_name, "sandbox") == 0)
			continue;
		line = fmt("home=/home/%s\n", de->d_name);
		CU_ASSERT_PTR_NULL(strstr(r.out, line));
		free(line);
	}
	if (d)
		closedir(d);
	tl_run_free(&r);
}

/*
 * `sbx policy explain` describes the sandbox from the same layout the
 * supervisor builds it from (layout.c): every entry the program finds in
 * its /, /dev and /home is a place explain knows ("exists": true), not
 * one it would call absent or leave unknown.  A /dev entry mounts.c makes
 * that explain leaves out (it said nothing of /dev/mqueue before) fails.
 */
static void test_explain_matches(void)
{
	struct iso_cfg c = { .net = SBX_NET_NONE };
	char *ws = tl_tmpdir(), *line, *save = NULL;
	struct tl_run r;
	sbx_t *sbx;
	int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
	c.workspace = ws;
	c.ws_mode = SBX_WORKSPACE_RW;
	tl_run_sh(&r, configure, &c,
		  "for e in /* /dev/* /home/*; do echo \"entry=$e\"; done; "
		  "echo done=1");
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL_FATAL(live_int(r.out, "done", 0), 1);
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	configure(sbx, &c);
	for (line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *e = line + strlen("entry="), *t;

		if (strncmp(line, "entry=", 6) != 0)
			continue;
		n++;
		t = sbx_policy_explain(sbx, e);
		CU_ASSERT_PTR_NOT_NULL(t);
		if (t && !strstr(t, "\"exists\": true")) {
			fprintf(stderr, "\n  in the sandbox, unknown to "
					"explain: %s\n%s\n", e, t);
			CU_FAIL("an entry explain does not know");
		}
	}
	/* the control: the listing was there, /dev's dozen entries too */
	CU_ASSERT(n >= 20);
	sbx_destroy(sbx);
	tl_run_free(&r);
	tl_rmrf(ws);
	free(ws);
}

/* A read-only workspace cannot be changed: not written, removed, or
 * added to. */
static void test_readonly_workspace(void)
{
	struct iso_cfg c = { 0 };
	char *dir = tl_tmpdir(), *file, *added, *text;
	struct tl_run r;
	struct stat st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	file = fmt("%s/kept", dir);
	added = fmt("%s/added", dir);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(file, "original\n"), 0);
	chmod(file, 0666);
	c.workspace = dir;
	c.ws_mode = SBX_WORKSPACE_RO;
	tl_run_sh(&r, configure, &c,
		  "cat /workspace/kept; echo PWNED > /workspace/kept; "
		  "echo PWNED >> /workspace/kept; rm -f /workspace/kept; "
		  "touch /workspace/added; mv /workspace/kept /workspace/x; "
		  "chmod 000 /workspace/kept; echo done=1");
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	/* the control: it could read the workspace */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "original"));
	CU_ASSERT_EQUAL(live_int(r.out, "done", 0), 1);
	text = tl_read_file(file);
	CU_ASSERT_PTR_NOT_NULL(text);
	if (text)
		CU_ASSERT_STRING_EQUAL(text, "original\n");
	CU_ASSERT_EQUAL(stat(file, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0666);
	CU_ASSERT_NOT_EQUAL(access(added, F_OK), 0);
	free(text);
	tl_run_free(&r);
	tl_rmrf(dir);
	free(dir);
	free(file);
	free(added);
}

/* ---- leaked descriptors -------------------------------------------- */

/* fd moved to 40 or above, without O_CLOEXEC. */
static int leak_high(int fd)
{
	int high = fd >= 0 ? fcntl(fd, F_DUPFD, 40) : -1;

	if (fd >= 0)
		close(fd);
	return high;
}

/* runc CVE-2024-21626 and plain fd leaks: the caller leaves a file and a
 * directory open without O_CLOEXEC, and sits in the directory. */
static void test_leaked_fds(void)
{
	struct iso_cfg c = { 0 };
	struct files f;
	struct tl_run r;
	char *script, *created, cwd[4096];
	int file_fd, dir_fd;

	files_make(&f);
	/* above the few low numbers the library and the supervisor dup
	 * their own fds onto, which would hide a leak there */
	file_fd = leak_high(open(f.path, O_RDWR));
	dir_fd = leak_high(open(f.dir, O_RDONLY | O_DIRECTORY));
	CU_ASSERT_FATAL(file_fd > 2 && dir_fd > 2);
	/* the leak is real: neither is close-on-exec */
	CU_ASSERT_EQUAL(fcntl(file_fd, F_GETFD) & FD_CLOEXEC, 0);
	CU_ASSERT_EQUAL(fcntl(dir_fd, F_GETFD) & FD_CLOEXEC, 0);
	CU_ASSERT_FATAL(getcwd(cwd, sizeof(cwd)) != NULL);
	CU_ASSERT_EQUAL_FATAL(chdir(f.dir), 0);

	c.workspace = f.ws;
	c.ws_mode = SBX_WORKSPACE_RW;
	script = fmt("T=%s; $T fds; $T read-fd %d; $T write-fd %d PWNED; "
		     "$T dir-fd %d secret; cat secret ../secret; "
		     "cat /proc/self/fd/%d; echo done=1",
		     LIVE_TRY_ESCAPE, file_fd, file_fd, dir_fd, file_fd);
	tl_run_sh(&r, configure, &c, script);
	CU_ASSERT_EQUAL(chdir(cwd), 0);
	close(file_fd);
	close(dir_fd);

	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "done", 0), 1);
	/* nothing but stdio reached the program */
	CU_ASSERT_EQUAL(live_int(r.out, "fds", -1), 0);
	CU_ASSERT(!has(&r, f.secret));
	/* nothing was created through the directory fd (files_free checks
	 * the file is unchanged) */
	created = fmt("%s/sbx-escape-created", f.dir);
	CU_ASSERT_NOT_EQUAL(access(created, F_OK), 0);
	free(created);
	tl_run_free(&r);
	free(script);
	files_free(&f);
}

/* ---- the caller's environment -------------------------------------- */

/* The environment of the sandbox's PID 1, read from the host while the
 * sandbox runs: NULL when it cannot be read (then it is not checked). */
/* Is pid the PID 1 of a PID namespace below ours?  The supervisor has
 * other short-lived children too (the cgroup's prewarm, newuidmap). */
static int is_sandbox_init(pid_t pid)
{
	char path[64], *status, *ns;
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	status = tl_read_file(path);
	ns = status ? strstr(status, "\nNSpid:") : NULL;
	if (ns) {
		char *end = strchr(ns + 1, '\n');

		if (end)
			*end = '\0';
		r = strlen(ns) > 2 && strcmp(ns + strlen(ns) - 2, "\t1") == 0;
	}
	free(status);
	return r;
}

static char *init_environ(void)
{
	pid_t sup = -1, init = -1;
	char path[64], *env = NULL;
	int i;

	for (i = 0; i < 100 && !env; i++) {
		struct timespec ts = { 0, 20 * 1000000 };

		sup = live_child_of(getpid());
		init = sup > 0 ? live_child_of(sup) : -1;
		if (init > 0 && is_sandbox_init(init)) {
			snprintf(path, sizeof(path), "/proc/%d/environ",
				 (int)init);
			env = tl_read_file(path);
		}
		if (!env)
			nanosleep(&ts, NULL);
	}
	return env;
}

static void test_environment(void)
{
	const char *name = "SBX_TEST_SECRET_TOKEN";
	/* sleep first, so that PID 1 can be read from the host meanwhile */
	const char *argv[] = { "/bin/sh", "-c",
			       "sleep 1; env; for f in /proc/self/environ "
			       "/proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; "
			       "done 2>&1; echo done=1",
			       NULL };
	char *secret = new_secret("env"), *aws = new_secret("aws");
	char *passed = new_secret("passed"), *penv;
	struct iso_cfg c = { 0 };
	const char *data;
	size_t len;
	sbx_t *sbx;

	setenv(name, secret, 1);
	setenv("AWS_SECRET_ACCESS_KEY", aws, 1);
	/* the control: a variable the caller names does get through */
	c.env_name = "SBX_TEST_PASSED";
	c.env_value = passed;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	configure(sbx, &c);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	CU_ASSERT_EQUAL_FATAL(sbx_exec(sbx, argv), 0);
	penv = init_environ();
	CU_ASSERT_EQUAL_FATAL(sbx_wait(sbx), 0);
	unsetenv(name);
	unsetenv("AWS_SECRET_ACCESS_KEY");

	CU_ASSERT_EQUAL(sbx_result(sbx, SBX_RESULT_STATUS), SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(sbx_output(sbx, 1, &data, &len), 0);
	CU_ASSERT_PTR_NOT_NULL(memmem(data, len, "done=1", 6));
	CU_ASSERT_PTR_NOT_NULL(memmem(data, len, passed, strlen(passed)));
	CU_ASSERT_PTR_NULL(memmem(data, len, secret, strlen(secret)));
	CU_ASSERT_PTR_NULL(memmem(data, len, aws, strlen(aws)));
	CU_ASSERT_PTR_NULL(memmem(data, len, name, strlen(name)));
	/* PID 1 of the sandbox (the init) carries nothing of the caller.
	 * It is not dumpable, so only root can read it from the host. */
	if (geteuid() == 0)
		CU_ASSERT_PTR_NOT_NULL(penv);
	if (penv) {
		CU_ASSERT_PTR_NULL(strstr(penv, secret));
		CU_ASSERT_PTR_NULL(strstr(penv, aws));
	}
	free(penv);
	sbx_destroy(sbx);
	free(secret);
	free(aws);
	free(passed);
}

/* ---- the host's network -------------------------------------------- */

struct listeners {
	int tcp4, tcp6, udp4, udp6, ustream, udgram, tcp_any;
	int port4, port6, uport4, uport6, port_any;
	char uname[64], dname[64];
	char ext_addr[INET_ADDRSTRLEN]; /* a non-loopback IPv4 of the host */
};

static int inet_listener(int fam, int type, const char *addr, int *ret_port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int s = socket(fam, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fam == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &a->sin_addr);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &a->sin6_addr);
		len = sizeof(*a);
	}
	if (bind(s, (struct sockaddr *)&ss, len) < 0 ||
	    (type == SOCK_STREAM && listen(s, 16) < 0) ||
	    getsockname(s, (struct sockaddr *)&ss, &len) < 0) {
		close(s);
		return -1;
	}
	*ret_port = ntohs(fam == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					 : ((struct sockaddr_in6 *)&ss)
						   ->sin6_port);
	return s;
}

static int unix_listener(int type, const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	memcpy(a.sun_path + 1, name, strlen(name));
	if (s < 0 ||
	    bind(s, (struct sockaddr *)&a,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			     strlen(name))) < 0 ||
	    (type == SOCK_STREAM && listen(s, 16) < 0)) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

static void find_external_ipv4(char *buf)
{
	struct ifaddrs *ifa, *i;

	buf[0] = '\0';
	if (getifaddrs(&ifa) < 0)
		return;
	for (i = ifa; i; i = i->ifa_next) {
		struct sockaddr_in *a = (struct sockaddr_in *)i->ifa_addr;

		if (a && a->sin_family == AF_INET &&
		    strcmp(i->ifa_name, "lo") != 0) {
			inet_ntop(AF_INET, &a->sin_addr, buf, INET_ADDRSTRLEN);
			break;
		}
	}
	freeifaddrs(ifa);
}

static void listeners_open(struct listeners *l)
{
	memset(l, 0, sizeof(*l));
	l->tcp4 = inet_listener(AF_INET, SOCK_STREAM, "127.0.0.1", &l->port4);
	l->tcp6 = inet_listener(AF_INET6, SOCK_STREAM, "::1", &l->port6);
	l->udp4 = inet_listener(AF_INET, SOCK_DGRAM, "127.0.0.1", &l->uport4);
	l->udp6 = inet_listener(AF_INET6, SOCK_DGRAM, "::1", &l->uport6);
	l->tcp_any = inet_listener(AF_INET, SOCK_STREAM, "0.0.0.0",
				   &l->port_any);
	snprintf(l->uname, sizeof(l->uname), "sbx-test-stream-%d",
		 (int)getpid());
	snprintf(l->dname, sizeof(l->dname), "sbx-test-dgram-%d",
		 (int)getpid());
	l->ustream = unix_listener(SOCK_STREAM, l->uname);
	l->udgram = unix_listener(SOCK_DGRAM, l->dname);
	CU_ASSERT_FATAL(l->tcp4 >= 0 && l->udp4 >= 0 && l->ustream >= 0 &&
			l->udgram >= 0 && l->tcp_any >= 0);
	find_external_ipv4(l->ext_addr);
}

static void listeners_close(struct listeners *l)
{
	int *fds[] = { &l->tcp4, &l->tcp6, &l->udp4, &l->udp6, &l->ustream,
		       &l->udgram, &l->tcp_any };
	size_t i;

	for (i = 0; i < LIVE_N(fds); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
}

/* Did anything reach this listener?  1 for a connection or datagram. */
static int arrived(int s, int stream)
{
	struct pollfd p = { s, POLLIN, 0 };
	char buf[256];

	if (s < 0)
		return 0;
	if (poll(&p, 1, 200) <= 0)
		return 0;
	if (stream) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0)
			return 0;
		close(c);
		return 1;
	}
	return recv(s, buf, sizeof(buf), MSG_DONTWAIT) >= 0;
}

static char *net_script(const struct listeners *l)
{
	return fmt("T=%s; $T tcp 127.0.0.1 %d; $T tcp ::1 %d; "
		   "$T udp 127.0.0.1 %d; $T udp ::1 %d; $T unix %s; "
		   "$T unix-dgram %s; %s%s%s%d; echo done=1",
		   LIVE_TRY_ESCAPE, l->port4, l->port6, l->uport4, l->uport6,
		   l->uname, l->dname, l->ext_addr[0] ? "$T tcp " : "",
		   l->ext_addr[0] ? l->ext_addr : "",
		   l->ext_addr[0] ? " " : ": ", l->port_any);
}

/* Count what arrived at the loopback listeners (TCP, UDP), at the
 * abstract unix ones (*ret_unix) and the external address (*ret_ext). */
static int count_arrivals(struct listeners *l, int *ret_unix, int *ret_ext)
{
	int n = 0;

	n += arrived(l->tcp4, 1);
	n += arrived(l->tcp6, 1);
	n += arrived(l->udp4, 0);
	n += arrived(l->udp6, 0);
	*ret_unix = arrived(l->ustream, 1) + arrived(l->udgram, 0);
	*ret_ext = arrived(l->tcp_any, 1);
	return n;
}

/* The abstract unix listeners reached from the host, outside any
 * sandbox: the probe itself works. */
static int unix_arrivals_unsandboxed(struct listeners *l)
{
	const char *stream[] = { live_host_path("try-escape"), "unix",
				 l->uname, NULL };
	const char *dgram[] = { live_host_path("try-escape"), "unix-dgram",
				l->dname, NULL };
	char *out = NULL;
	int nu, ext;

	live_host_run(stream, -1, &out);
	free(out);
	out = NULL;
	live_host_run(dgram, -1, &out);
	free(out);
	count_arrivals(l, &nu, &ext);
	return nu;
}

static void test_network(void)
{
	struct iso_cfg c = { 0 };
	struct listeners l;
	struct tl_run r;
	char *script;
	int n, nu, ext;

	listeners_open(&l);
	script = net_script(&l);
	c.net = SBX_NET_NONE;
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "done", 0), 1);
	n = count_arrivals(&l, &nu, &ext);
	if (n || nu || ext)
		fprintf(stderr, "\n  reached the host: %s\n", r.out);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(nu, 0);
	CU_ASSERT_EQUAL(ext, 0);
	tl_run_free(&r);

	/* The control: with the host's network, the same program reaches
	 * every TCP and UDP listener, so the checks above can fail.  The
	 * abstract unix listeners too, unless Landlock scopes abstract
	 * sockets to the sandbox (ABI 6, whatever the network): then they
	 * must stay out of reach, and a run outside any sandbox is their
	 * control. */
	c.net = SBX_NET_HOST;
	tl_run_sh(&r, configure, &c, script);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	n = count_arrivals(&l, &nu, &ext);
	CU_ASSERT_EQUAL(n, (l.tcp6 >= 0) + (l.udp6 >= 0) + 2);
	if (r.json && strstr(r.json, "\"landlock-abi") &&
	    strstr(r.json, ",scope\"")) {
		CU_ASSERT_EQUAL(nu, 0);
		CU_ASSERT_EQUAL(unix_arrivals_unsandboxed(&l), 2);
	} else {
		CU_ASSERT_EQUAL(nu, 2);
	}
	if (l.ext_addr[0])
		CU_ASSERT_EQUAL(ext, 1);
	tl_run_free(&r);
	free(script);
	listeners_close(&l);
}

static int host_has_other_iface(void)
{
	struct ifaddrs *ifa, *i;
	int n = 0;

	if (getifaddrs(&ifa) < 0)
		return 0;
	for (i = ifa; i; i = i->ifa_next)
		n += strcmp(i->ifa_name, "lo") != 0;
	freeifaddrs(ifa);
	return n > 0;
}

/* Only lo, up, with 127.0.0.1/8 and ::1/128. */
static void test_interfaces(void)
{
	const char *argv[] = { LIVE_TRY_ESCAPE, "ifaces", NULL };
	struct iso_cfg c = { 0 };
	struct tl_run r;
	char *line, *save = NULL;
	int lines = 0, v4 = 0, v6 = 0, other = 0;

	c.net = SBX_NET_NONE;
	tl_run_argv(&r, configure, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	for (line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lines++;
		if (strncmp(line, "iface lo ", 9) != 0)
			other++, fprintf(stderr, "\n  seen: %s\n", line);
		else if (strcmp(line, "iface lo inet 127.0.0.1/255.0.0.0 up") ==
			 0)
			v4++;
		else if (strcmp(line, "iface lo inet6 ::1/ffff:ffff:ffff:ffff:"
				      "ffff:ffff:ffff:ffff up") == 0)
			v6++;
	}
	CU_ASSERT(lines > 0);
	CU_ASSERT_EQUAL(other, 0);
	CU_ASSERT_EQUAL(v4, 1);
	CU_ASSERT_EQUAL(v6, 1);
	tl_run_free(&r);

	/* The control: with the host's network the helper lists the
	 * host's other interfaces, so the check above can fail. */
	if (!host_has_other_iface())
		return;
	c.net = SBX_NET_HOST;
	tl_run_argv(&r, configure, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "iface "));
	other = 0;
	for (line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		other += strncmp(line, "iface lo ", 9) != 0;
	CU_ASSERT(other > 0);
	tl_run_free(&r);
}

/* ---- host processes ------------------------------------------------ */

static void test_processes(void)
{
	const char *marker = live_marker("host");
	const char *sleeper[] = { live_host_path("try-escape"), "sleep",
				  marker, NULL };
	struct iso_cfg c = { 0 };
	char *dir = tl_tmpdir(), pidbuf[16];
	const char *argv[] = { LIVE_TRY_ESCAPE, "procs", marker, pidbuf,
			       NULL };
	struct tl_run r;
	pid_t pid;
	int st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	pid = live_host_spawn(sleeper);
	CU_ASSERT_FATAL(pid > 0);
	/* the marker is running and findable by its command line */
	CU_ASSERT_EQUAL(live_wait_count(marker, 1, 10000), 1);
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)pid);

	/* Writable workspace: the sandbox's root is the caller, the
	 * marker's owner, so only the PID namespace keeps it safe. */
	c.workspace = dir;
	c.ws_mode = SBX_WORKSPACE_RW;
	tl_run_argv(&r, configure, &c, argv);
	CU_ASSERT_EQUAL(r.status, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "visible", -1), 0);
	CU_ASSERT_EQUAL(live_int(r.out, "proc-entry", -1), 0);
	CU_ASSERT_EQUAL(live_int(r.out, "kill0", -1), ESRCH);
	CU_ASSERT_EQUAL(live_int(r.out, "kill9", -1), ESRCH);
	/* kill(-1) ran, and found nothing but the sandbox to hit */
	CU_ASSERT_PTR_NOT_NULL(live_value(r.out, "killall"));

	/* the host's check: the marker survived everything */
	CU_ASSERT_EQUAL(kill(pid, 0), 0);
	CU_ASSERT_EQUAL(waitpid(pid, &st, WNOHANG), 0);
	CU_ASSERT_EQUAL(tl_count_procs(marker), 1);
	tl_run_free(&r);

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	tl_rmrf(dir);
	free(dir);
}

/* ---- the runtime and the kernel's files ---------------------------- */

/* What could show that a host file was written: its identity, times and
 * an FNV-1a digest of its bytes. */
struct file_print {
	int ok;
	struct stat st;
	uint64_t digest;
};

static void print_file(const char *path, struct file_print *p)
{
	unsigned char buf[65536];
	uint64_t h = 1469598103934665603ULL;
	ssize_t n, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(p, 0, sizeof(*p));
	if (fd < 0 || fstat(fd, &p->st) < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ULL;
	close(fd);
	p->digest = h;
	p->ok = n == 0;
}

static int same_file(const struct file_print *a, const struct file_print *b)
{
	return a->ok && b->ok && a->digest == b->digest &&
	       a->st.st_ino == b->st.st_ino && a->st.st_size == b->st.st_size &&
	       a->st.st_mtim.tv_sec == b->st.st_mtim.tv_sec &&
	       a->st.st_mtim.tv_nsec == b->st.st_mtim.tv_nsec &&
	       a->st.st_ctim.tv_sec == b->st.st_ctim.tv_sec &&
	       a->st.st_ctim.tv_nsec == b->st.st_ctim.tv_nsec;
}

/*
 * CVE-2019-5736 and friends: PID 1 of the sandbox is a fork of the
 * supervisor, so /proc/1/exe is the supervisor's binary on the host.  The
 * program must not read, write or reopen it, nor trace, poke or kill the
 * init, nor write the kernel's knobs in /proc.
 * Judged on the host: the supervisor's binary and the knobs unchanged, the
 * init alive to the end (the run exits normally).  Tried with a
 * copy-on-write and a live writable workspace too (a root caller's
 * sandbox was once the host's root with one).
 */
static void test_runtime(void)
{
	static const char *const knobs[] = { "/proc/sys/kernel/core_pattern",
					     "/proc/sys/kernel/modprobe",
					     "/proc/sys/kernel/sysrq" };
	static const char *const denied[] = {
		"exe-readlink", "exe-write", "exe-read", "exe-reopen", "mem",
		"root", "ptrace", "vm-write", "core-pattern", "sysrq",
		"sysrq-enable", "modprobe", "kcore", "kmem"
	};
	const char *sup = getenv("SBX_SUPERVISOR");
	const char *argv[] = { LIVE_TRY_ESCAPE, "runtime", NULL };
	char *before[3], *after, *dir = tl_tmpdir();
	struct file_print sup0, sup1;
	struct iso_cfg c = { 0 };
	struct tl_run r;
	size_t i;
	int mode;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	if (!sup || !*sup)
		sup = LIBEXECDIR "/sbx-supervisor";
	print_file(sup, &sup0);
	CU_ASSERT_FATAL(sup0.ok);
	for (i = 0; i < 3; i++)
		before[i] = tl_read_file(knobs[i]);

	for (mode = 0; mode < 3; mode++) {
		c.workspace = dir;
		c.ws_mode = mode == 2	? SBX_WORKSPACE_RW_LIVE
			    : mode == 1 ? SBX_WORKSPACE_RW
					: SBX_WORKSPACE_RO;
		tl_run_argv(&r, configure, &c, argv);
		/* the init survived kill(1, SIGKILL) and everything else */
		CU_ASSERT_EQUAL(r.status, SBX_STATUS_EXITED);
		CU_ASSERT_EQUAL(r.exit_code, 0);
		for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
			int err = live_int(r.out, denied[i], -1);

			/* -1: the helper never got there; 0: it worked */
			if (err <= 0)
				fprintf(stderr, "\n  %s: %d (mode %d)\n",
					denied[i], err, mode);
			CU_ASSERT(err > 0);
		}
		tl_run_free(&r);
	}

	print_file(sup, &sup1);
	CU_ASSERT(same_file(&sup0, &sup1));
	/* core_pattern is always there; the others only with modules and
	 * sysrq built into the kernel */
	CU_ASSERT_PTR_NOT_NULL(before[0]);
	for (i = 0; i < 3; i++) {
		if (!before[i])
			continue;
		after = tl_read_file(knobs[i]);
		CU_ASSERT_PTR_NOT_NULL(after);
		if (after)
			CU_ASSERT_STRING_EQUAL(before[i], after);
		free(after);
		free(before[i]);
	}
	tl_rmrf(dir);
	free(dir);
}

static CU_TestInfo isolation_tests[] = {
	{ "host files outside the binds", test_host_files },
	{ "host directories are not there", test_hidden_dirs },
	{ "explain knows every entry of /, /dev and /home", test_explain_matches },
	{ "a read-only workspace stays unchanged", test_readonly_workspace },
	{ "leaked file and directory fds, and the cwd", test_leaked_fds },
	{ "the caller's environment", test_environment },
	{ "host TCP, UDP and abstract unix listeners", test_network },
	{ "only lo, with 127.0.0.1/8 and ::1", test_interfaces },
	{ "host processes: see, signal, kill(-1)", test_processes },
	{ "the init's binary (CVE-2019-5736), /proc's kernel knobs",
	  test_runtime },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "isolation", NULL, NULL, NULL, NULL, isolation_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

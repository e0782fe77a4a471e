/* test-ladder.c - the fallback ladder, on a host where user namespaces
 * cannot be created (nouserns.h): the default refuses with the cause and
 * the fix; --allow-degraded runs, and every attack below must still fail:
 * reading a host file outside the policy, writing outside the writable
 * areas, TCP to a host loopback listener, the host's unix sockets (by
 * path and abstract), SysV IPC, signals to host processes, processes
 * left behind.  Listeners are checked on the host side. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nouserns.h"

static char *tmp;
static int abi;

/* Degraded runs need Landlock's scoping (layers.h): older kernels
 * refuse them. */
#define DEGRADED_ABI 6

/* The kernel's Landlock ABI, as the supervisor sees it. */
static int landlock_abi(void)
{
	long v = syscall(444 /* landlock_create_ruleset */, NULL, 0, 1u);

	return v < 0 ? 0 : (int)v;
}

static int setup(void)
{
	char path[512];

	tmp = tl_tmpdir();
	abi = landlock_abi();
	if (!tmp)
		return 1;
	snprintf(path, sizeof(path), "%s/secret", tmp);
	tl_write_file(path, "host secret\n");
	chmod(path, 0644);
	snprintf(path, sizeof(path), "%s/victim", tmp);
	mkdir(path, 0777);
	chmod(path, 0777);
	return 0;
}

static int teardown(void)
{
	tl_rmrf(tmp);
	free(tmp);
	return 0;
}

static void cfg_degraded(sbx_t *sbx, void *arg)
{
	const char *policy = arg;

	sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
	sbx_add_bind(sbx, nu_helper_dir(), NULL, 0);
	if (policy && sbx_policy_load_string(sbx, policy) < 0)
		fprintf(stderr, "policy: %s\n", sbx_last_error(sbx));
}

/* Run argv in a degraded sandbox: 0, or -1 when the test is skipped. */
static int try_argv(struct tl_run *r, const char *policy,
		    const char *const *argv)
{
	if (nu_run_argv(r, cfg_degraded, (void *)policy, argv) < 0) {
		tl_skip("cannot make a user namespace to disable them in");
		return -1;
	}
	if (!abi) {
		/* no Landlock: even --allow-degraded must refuse */
		TL_ASSERT_STATUS(r, SBX_STATUS_SETUP_ERROR);
		CU_ASSERT(strstr(r->message, "no Landlock") != NULL);
		tl_skip("no Landlock on this kernel: degraded runs refuse");
		return -1;
	}
	if (abi < DEGRADED_ABI) {
		/* too old a Landlock: refused, naming the kernel needed */
		TL_ASSERT_STATUS(r, SBX_STATUS_SETUP_ERROR);
		CU_ASSERT(strstr(r->message, "Linux 6.12") != NULL);
		tl_skip("Landlock ABI %d: degraded runs refuse", abi);
		return -1;
	}
	TL_ASSERT_STATUS(r, SBX_STATUS_EXITED);
	return 0;
}

/* Run the helper with one operation in a degraded sandbox. */
static int try_op(struct tl_run *r, const char *policy, const char *op,
		  const char *a1, const char *a2)
{
	const char *argv[] = { nu_helper(), op, a1, a2, NULL };

	return try_argv(r, policy, argv);
}

/*
 * Landlock's TCP rules and its scoping of abstract sockets stand behind
 * seccomp's denial of socket() in a run without namespaces.  No program
 * can reach them there: a policy may not allow socket(), every inherited
 * descriptor is closed, and the standard streams are the supervisor's
 * pipes, never a socket of the caller's.  What is checked is that they
 * are applied: the run's layers name them.
 */
static void assert_landlock_parts(const char *parts)
{
	const char *argv[] = { "/bin/true", NULL };
	struct tl_run r;

	if (try_argv(&r, NULL, argv) == 0) {
		const char *l = r.json ? strstr(r.json, "landlock-abi") : NULL;
		const char *end = l ? strchr(l, ' ') : NULL;
		char tok[64] = "";

		if (l) {
			size_t n = end ? (size_t)(end - l) : strcspn(l, "\"");

			snprintf(tok, sizeof(tok), "%.*s", (int)n, l);
		}
		if (!strstr(tok, parts))
			fprintf(stderr, "\n  layer %s lacks %s\n", tok, parts);
		CU_ASSERT_PTR_NOT_NULL(strstr(tok, parts));
	}
	tl_run_free(&r);
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static void test_refuses_by_default(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct tl_run r;

	if (nu_run_argv(&r, NULL, NULL, argv) < 0) {
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	/* the cause, the fix, and the way out */
	CU_ASSERT(strstr(r.message, "user.max_user_namespaces=0") != NULL);
	CU_ASSERT(strstr(r.message, "sysctl -w user.max_user_namespaces") !=
		  NULL);
	CU_ASSERT(strstr(r.message, "--allow-degraded") != NULL);
	CU_ASSERT(strstr(r.json, "\"step\":\"namespaces\"") != NULL);
	CU_ASSERT(strstr(r.json, "\"degraded\":false") != NULL);
	tl_run_free(&r);
}

/* The result lists exactly what was enforced: no namespaces, and the
 * sandbox's cgroup when the limits went to one (as with namespaces). */
static void test_degraded_layers(void)
{
	const char *want[5] = { "caps", "nnp", NULL,
				"seccomp:no-sockets,no-sysv-ipc,"
				"no-metadata-changes,no-file-watching,"
				"no-other-processes",
				NULL };
	json_object *o, *layers, *reason;
	const char *mech, *unhidden;
	char ll[64], cg[64];
	struct tl_run r;
	size_t i, n = 4;

	if (try_op(&r, NULL, "env", NULL, NULL) < 0)
		goto out;
	snprintf(ll, sizeof(ll), "landlock-abi%d:fs%s%s", abi > 7 ? 7 : abi,
		 abi >= 4 ? ",tcp" : "", abi >= 6 ? ",scope" : "");
	want[2] = ll;
	o = json_tokener_parse(r.json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	mech = json_object_get_string(
		get(get(get(o, "limits"), "memory"), "mechanism"));
	if (mech && strncmp(mech, "cgroup-v", 8) == 0) {
		snprintf(cg, sizeof(cg), "%s:", mech);
		want[n++] = cg;
	}
	layers = get(o, "layers");
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(layers), n);
	for (i = 0; i < n; i++) {
		const char *l = json_object_get_string(
			json_object_array_get_idx(layers, i));

		if (i == 4) { /* "cgroup-v2:memory,pids" and more */
			CU_ASSERT(strncmp(l, want[i], strlen(want[i])) == 0 &&
				  strstr(l, "memory") != NULL);
		} else {
			CU_ASSERT_STRING_EQUAL(l, want[i]);
		}
	}
	CU_ASSERT(json_object_get_boolean(get(o, "degraded")));
	/* what it does not hide, said plainly: the host's processes; the
	 * host's network only with network "host" */
	unhidden = json_object_to_json_string(get(o, "degraded_not_hidden"));
	CU_ASSERT(strstr(unhidden, "processes") != NULL);
	CU_ASSERT(strstr(unhidden, "command lines") != NULL);
	CU_ASSERT(strstr(unhidden, "TCP") == NULL);
	reason = get(o, "degraded_reason");
	CU_ASSERT(reason && strstr(json_object_get_string(reason),
				   "user.max_user_namespaces=0"));
	CU_ASSERT_STRING_EQUAL(
		json_object_get_string(
			get(get(get(o, "limits"), "disk"), "mechanism")),
		"none");
	json_object_put(o);
	/* the environment is still built from scratch */
	CU_ASSERT(strstr(r.out, "PATH=") != NULL);
	CU_ASSERT(strstr(r.out, "HOME=/tmp/sbx-degraded-") != NULL);
	CU_ASSERT(strstr(r.out, "SBX_SUPERVISOR") == NULL);
out:
	tl_run_free(&r);
}

static void test_degraded_no_host_files(void)
{
	char secret[512];
	struct tl_run r;

	snprintf(secret, sizeof(secret), "%s/secret", tmp);
	if (try_op(&r, NULL, "read", secret, NULL) == 0) {
		CU_ASSERT_EQUAL(r.exit_code, 1);
		CU_ASSERT_STRING_EQUAL(r.out, "EACCES\n");
	}
	tl_run_free(&r);
	if (try_op(&r, NULL, "list", "/home", NULL) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "EACCES\n");
	tl_run_free(&r);
	/* the system directories stay readable */
	if (try_op(&r, NULL, "read", "/etc/hostname", NULL) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	tl_run_free(&r);
}

static void test_degraded_no_writes_outside(void)
{
	char victim[512];
	struct stat st;
	struct tl_run r;

	snprintf(victim, sizeof(victim), "%s/victim/planted", tmp);
	if (try_op(&r, NULL, "write", victim, NULL) == 0) {
		CU_ASSERT_STRING_EQUAL(r.out, "EACCES\n");
		CU_ASSERT_EQUAL(stat(victim, &st), -1);
	}
	tl_run_free(&r);
	if (try_op(&r, NULL, "mkdir", "/tmp/sbx-planted-dir", NULL) == 0) {
		CU_ASSERT_STRING_EQUAL(r.out, "EACCES\n");
		CU_ASSERT_EQUAL(stat("/tmp/sbx-planted-dir", &st), -1);
	}
	tl_run_free(&r);
}

/* The run's own /tmp works, and is gone afterwards. */
static void test_degraded_private_tmp(void)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "echo data > \"$TMPDIR/f\" && cat \"$TMPDIR/f\" "
			       "&& echo \"$HOME\"",
			       NULL };
	struct tl_run r;
	char *nl, *home;
	struct stat st;

	if (nu_run_argv(&r, cfg_degraded, NULL, argv) < 0 ||
	    abi < DEGRADED_ABI) {
		tl_skip("no user namespace to disable, or no Landlock ABI %d",
			DEGRADED_ABI);
		tl_run_free(&r);
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	CU_ASSERT(strncmp(r.out, "data\n", 5) == 0);
	home = r.out + 5;
	nl = strchr(home, '\n');
	if (nl)
		*nl = '\0';
	CU_ASSERT(strncmp(home, "/tmp/sbx-degraded-", 18) == 0);
	CU_ASSERT_EQUAL(stat(home, &st), -1);
	tl_run_free(&r);
}

/* A listener on the host, checked on the host side afterwards. */
static int tcp_listener(int *ret_port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (void *)&a, sizeof(a)) < 0 || listen(s, 8) < 0 ||
	    getsockname(s, (void *)&a, &len) < 0)
		return -1;
	*ret_port = ntohs(a.sin_port);
	return s;
}

static int unix_listener(const char *name, int abstract)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	size_t n = strlen(name);

	memcpy(a.sun_path + (abstract ? 1 : 0), name, n);
	if (s < 0 ||
	    bind(s, (void *)&a,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
			     (abstract ? 1 : 0))) < 0 ||
	    listen(s, 8) < 0)
		return -1;
	if (!abstract)
		chmod(name, 0777);
	return s;
}

/* Nothing reached the listener. */
static void assert_untouched(int s)
{
	int c = accept(s, NULL, NULL);

	CU_ASSERT_EQUAL(c, -1);
	CU_ASSERT_EQUAL(errno, EAGAIN);
	if (c >= 0)
		close(c);
}

/* The control: where nothing blocks it (the host's network, namespaces
 * working), the listener does see the connection. */
static void cfg_host_net(sbx_t *sbx, void *arg)
{
	(void)arg;
	sbx_set_network(sbx, SBX_NET_HOST);
	sbx_add_bind(sbx, nu_helper_dir(), NULL, 0);
}

static void test_listener_control(void)
{
	char port[16];
	struct tl_run r;
	int p, s = tcp_listener(&p), c;
	const char *argv[] = { nu_helper(), "tcp-connect", "127.0.0.1", port,
			       NULL };

	CU_ASSERT_FATAL(s >= 0);
	snprintf(port, sizeof(port), "%d", p);
	tl_run_argv(&r, cfg_host_net, NULL, argv);
	if (r.status == SBX_STATUS_SETUP_ERROR) {
		tl_skip("no namespaces on this host: %s", r.message);
	} else {
		CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
		c = accept(s, NULL, NULL);
		CU_ASSERT(c >= 0);
		if (c >= 0)
			close(c);
	}
	tl_run_free(&r);
	close(s);
}

static void test_degraded_no_tcp(void)
{
	char port[16];
	struct tl_run r;
	int p, s = tcp_listener(&p);

	CU_ASSERT_FATAL(s >= 0);
	snprintf(port, sizeof(port), "%d", p);
	/* seccomp: no socket at all */
	if (try_op(&r, NULL, "tcp-connect", "127.0.0.1", port) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	assert_untouched(s);
	/* Landlock too (ABI 4): no TCP connect or bind */
	assert_landlock_parts("tcp");
	close(s);
}

static void test_degraded_no_unix_sockets(void)
{
	char path[512], name[64];
	struct tl_run r;
	int s, a;

	snprintf(path, sizeof(path), "%s/host.sock", tmp);
	snprintf(name, sizeof(name), "sbx-test-%d", (int)getpid());
	s = unix_listener(path, 0);
	a = unix_listener(name, 1);
	CU_ASSERT_FATAL(s >= 0 && a >= 0);
	/* like the D-Bus session bus or the Docker socket */
	if (try_op(&r, NULL, "unix-connect", path, NULL) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	assert_untouched(s);
	if (try_op(&r, NULL, "abstract-connect", name, NULL) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	assert_untouched(a);
	/* Landlock too (ABI 6) scopes abstract sockets */
	assert_landlock_parts("scope");
	/* a pair between the program's own processes stays */
	if (try_op(&r, NULL, "socketpair", NULL, NULL) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	tl_run_free(&r);
	close(s);
	close(a);
}

static void test_degraded_no_ipc_or_signals(void)
{
	char pid[16];
	struct tl_run r;
	pid_t victim;
	int st;

	if (try_op(&r, NULL, "shmget", NULL, NULL) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	if (try_op(&r, NULL, "unshare-user", NULL, NULL) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	if (try_op(&r, NULL, "ptrace", NULL, NULL) == 0)
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	/* a host process of the same user (ABI 6 scopes signals) */
	victim = fork();
	if (victim == 0) {
		pause();
		_exit(0);
	}
	snprintf(pid, sizeof(pid), "%d", (int)victim);
	if (try_op(&r, NULL, "kill", pid, NULL) == 0 && abi >= 6)
		CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	tl_run_free(&r);
	CU_ASSERT_EQUAL(waitpid(victim, &st, WNOHANG), 0); /* alive */
	kill(victim, SIGKILL);
	waitpid(victim, &st, 0);
}

/* Without a PID namespace the supervisor ends what the program left. */
static void test_degraded_no_leftovers(void)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "setsid sleep 60 >/dev/null 2>&1 & echo $!",
			       NULL };
	struct tl_run r;
	pid_t left;

	if (nu_run_argv(&r, cfg_degraded, NULL, argv) < 0 ||
	    abi < DEGRADED_ABI) {
		tl_skip("no user namespace to disable, or no Landlock ABI %d",
			DEGRADED_ABI);
		tl_run_free(&r);
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	left = (pid_t)atoi(r.out);
	CU_ASSERT(left > 0);
	CU_ASSERT_EQUAL(kill(left, 0), -1);
	CU_ASSERT_EQUAL(errno, ESRCH);
	tl_run_free(&r);
}

struct ws {
	const char *path;
	int mode;
};

static void cfg_workspace(sbx_t *sbx, void *arg)
{
	struct ws *w = arg;

	cfg_degraded(sbx, NULL);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, w->path, w->mode), 0);
}

/* The workspace is the host's directory itself: read-only, written
 * directly (rw-live), never copy-on-write (that needs a mount namespace,
 * and writing directly instead would be weaker than asked). */
static void test_degraded_workspace(void)
{
	const char *argv[] = { nu_helper(), "write", "new-file", NULL };
	char ws[512], file[600];
	struct ws w = { ws, SBX_WORKSPACE_RO };
	struct stat st;
	struct tl_run r;

	snprintf(ws, sizeof(ws), "%s/ws", tmp);
	mkdir(ws, 0777);
	chmod(ws, 0777); /* so that only the sandbox can say no */
	snprintf(file, sizeof(file), "%s/new-file", ws);
	if (nu_run_argv(&r, cfg_workspace, &w, argv) < 0 ||
	    abi < DEGRADED_ABI) {
		tl_skip("no user namespace to disable, or no Landlock ABI %d",
			DEGRADED_ABI);
		tl_run_free(&r);
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(r.out, "EACCES\n");
	CU_ASSERT_EQUAL(stat(file, &st), -1);
	tl_run_free(&r);
	w.mode = SBX_WORKSPACE_RW_LIVE;
	nu_run_argv(&r, cfg_workspace, &w, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	CU_ASSERT_EQUAL(stat(file, &st), 0);
	tl_run_free(&r);
	w.mode = SBX_WORKSPACE_RW;
	nu_run_argv(&r, cfg_workspace, &w, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT(strstr(r.message, "copy-on-write") != NULL);
	CU_ASSERT(strstr(r.message, "rw-live") != NULL);
	tl_run_free(&r);
}

static void cfg_require_netns(sbx_t *sbx, void *arg)
{
	cfg_degraded(sbx, arg);
	sbx_require_layer(sbx, "netns");
}

static void test_required_layer(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct tl_run r;

	if (nu_run_argv(&r, cfg_require_netns, NULL, argv) < 0 ||
	    abi < DEGRADED_ABI) {
		tl_skip("no user namespace to disable, or no Landlock ABI %d",
			DEGRADED_ABI);
		tl_run_free(&r);
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT(strstr(r.json, "\"step\":\"require\"") != NULL);
	CU_ASSERT(strstr(r.message, "requires the layer netns") != NULL);
	CU_ASSERT(strstr(r.message, "user.max_user_namespaces=0") != NULL);
	tl_run_free(&r);
}

static void cfg_policy_only(sbx_t *sbx, void *arg)
{
	(void)arg;
	sbx_add_bind(sbx, nu_helper_dir(), NULL, 0);
	sbx_policy_load_string(sbx, "{ \"allow_degraded\": true }");
}

static void test_policy_key(void)
{
	const char *argv[] = { nu_helper(), "socket", "inet", NULL };
	struct tl_run r;

	if (nu_run_argv(&r, cfg_policy_only, NULL, argv) < 0 ||
	    abi < DEGRADED_ABI) {
		tl_skip("no user namespace to disable, or no Landlock ABI %d",
			DEGRADED_ABI);
		tl_run_free(&r);
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(r.out, "EPERM\n");
	CU_ASSERT(strstr(r.json, "\"degraded\":true") != NULL);
	tl_run_free(&r);
}

static void cfg_moved_bind(sbx_t *sbx, void *arg)
{
	(void)arg;
	sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
	sbx_add_bind(sbx, nu_helper_dir(), "/opt/helper", 0);
}

static void test_bind_cannot_move(void)
{
	const char *argv[] = { "/opt/helper/sbx-try", "env", NULL };
	struct tl_run r;

	if (nu_run_argv(&r, cfg_moved_bind, NULL, argv) < 0 ||
	    abi < DEGRADED_ABI) {
		tl_skip("no user namespace to disable, or no Landlock ABI %d",
			DEGRADED_ABI);
		tl_run_free(&r);
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT(strstr(r.json, "\"step\":\"degraded\"") != NULL);
	CU_ASSERT(strstr(r.message, "/opt/helper") != NULL);
	tl_run_free(&r);
}

/* sbx doctor's checks with namespaces disabled. */
static void test_doctor_without_userns(void)
{
	json_object *o, *checks, *c;
	char *json = NULL;
	size_t i;
	int r = nu_probe(&json), seen = 0;

	if (r == -1000) {
		tl_skip("cannot make a user namespace to disable them in");
		return;
	}
	CU_ASSERT_EQUAL(r, 1);
	o = json_tokener_parse(json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_FALSE(json_object_get_boolean(get(o, "can_run_default")));
	CU_ASSERT_EQUAL(json_object_get_boolean(get(o, "can_run_degraded")),
			abi >= DEGRADED_ABI);
	CU_ASSERT(strstr(json_object_to_json_string(
				 get(o, "degraded_not_hidden")),
			 "command lines") != NULL);
	checks = get(o, "checks");
	for (i = 0; i < json_object_array_length(checks); i++) {
		c = json_object_array_get_idx(checks, i);
		if (strcmp(json_object_get_string(get(c, "name")), "userns"))
			continue;
		seen = 1;
		CU_ASSERT_STRING_EQUAL(json_object_get_string(get(c, "status")),
				       "fail");
		CU_ASSERT(strstr(json_object_get_string(get(c, "summary")),
				 "user.max_user_namespaces=0") != NULL);
		CU_ASSERT(strstr(json_object_get_string(get(c, "fix")),
				 "sysctl -w user.max_user_namespaces=") !=
			  NULL);
		CU_ASSERT_EQUAL(
			json_object_get_int(get(get(c, "sysctls"),
						"user.max_user_namespaces")),
			0);
	}
	CU_ASSERT(seen);
	json_object_put(o);
	free(json);
}

static CU_TestInfo ladder_tests[] = {
	{ "the default refuses, with the cause and the fix",
	  test_refuses_by_default },
	{ "degraded: the result lists exactly what ran", test_degraded_layers },
	{ "degraded: host files outside the policy stay unreadable",
	  test_degraded_no_host_files },
	{ "degraded: no writes outside the writable areas",
	  test_degraded_no_writes_outside },
	{ "degraded: a private /tmp, removed afterwards",
	  test_degraded_private_tmp },
	{ "control: the host's listener sees what reaches it",
	  test_listener_control },
	{ "degraded: no TCP to a host loopback listener",
	  test_degraded_no_tcp },
	{ "degraded: no host unix sockets", test_degraded_no_unix_sockets },
	{ "degraded: no SysV IPC, ptrace, userns or signals to the host",
	  test_degraded_no_ipc_or_signals },
	{ "degraded: nothing is left running", test_degraded_no_leftovers },
	{ "degraded: the workspace", test_degraded_workspace },
	{ "a required layer that is missing fails the run",
	  test_required_layer },
	{ "the policy key allow_degraded", test_policy_key },
	{ "degraded: a bind cannot move", test_bind_cannot_move },
	{ "doctor without user namespaces", test_doctor_without_userns },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "ladder", setup, teardown, NULL, NULL, ladder_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

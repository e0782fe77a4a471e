/* test-sec-sockets.c - address families (issue 10, item 5).  AF_VSOCK is
 * not namespaced: on a VM guest it reaches the hypervisor around any
 * network namespace.  Inside, only AF_UNIX, AF_INET, AF_INET6 and
 * netlink's route protocol may be made; AF_VSOCK, AF_PACKET, AF_ALG and
 * the other netlink protocols fail with EAFNOSUPPORT, with high bits in
 * the family or protocol too, with the network off and with the host's.
 * Sockets are only created, never connected or used.  The control: on
 * the host, without the sandbox, the same AF_VSOCK socket is made. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "live.h"

/* try-syscall's recipes: what must work, and what must not be made. */
static const char *const allowed[] = {
	"socket-unix",		"socket-inet",	   "socket-inet6",
	"socket-netlink-route", "socketpair-unix",
};
static const char *const refused[] = {
	"socket-vsock",		 "socket-packet",
	"socket-alg",		 "socket-netlink-audit",
	"socket-netlink-uevent", "socket-netlink-diag",
	"socket-vsock-high",	 "socket-netlink-audit-high",
	"socketpair-inet",
};

struct cfg {
	int net;
	int kill;
};

static void configure(sbx_t *sbx, void *arg)
{
	const struct cfg *c = arg;

	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_set_network(sbx, c->net), 0);
	if (c->kill)
		CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_SECCOMP_KILL, 1), 0);
}

static void expect(const char *out, const char *name, int want)
{
	int got = live_int(out, name, -1);

	if (got != want)
		fprintf(stderr, "\n  %s: got %d, expected %d\n", name, got,
			want);
	CU_ASSERT_EQUAL(got, want);
}

static void families(int net, int kill)
{
	const char *argv[LIVE_N(allowed) + LIVE_N(refused) + 2];
	struct cfg c = { net, kill };
	struct tl_run r;
	size_t i, k = 0;

	argv[k++] = LIVE_TRY_SYSCALL;
	for (i = 0; i < LIVE_N(allowed); i++)
		argv[k++] = allowed[i];
	for (i = 0; i < LIVE_N(refused); i++)
		argv[k++] = refused[i];
	argv[k] = NULL;
	tl_run_argv(&r, configure, &c, argv);
	/* kill mode too: a missing family is "not here", not an attack to
	 * end the program for (programs probe families) */
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	for (i = 0; i < LIVE_N(allowed); i++)
		expect(r.out, allowed[i], 0);
	for (i = 0; i < LIVE_N(refused); i++)
		expect(r.out, refused[i], EAFNOSUPPORT);
	tl_run_free(&r);
}

/* What the kernel does with recipe on the host, without a sandbox: 0,
 * an errno, or -1 when the helper could not run. */
static int on_host(const char *recipe)
{
	const char *argv[] = { live_host_path("try-syscall"), recipe, NULL };
	char *out = NULL;
	int st = live_host_run(argv, -1, &out), v = -1;

	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		v = live_int(out, recipe, -1);
	free(out);
	return v;
}

static void test_network_none(void)
{
	families(SBX_NET_NONE, 0);
}

static void test_network_host(void)
{
	families(SBX_NET_HOST, 0);
}

static void test_kill_flag(void)
{
	families(SBX_NET_NONE, 1);
}

/* The control: this kernel makes an AF_VSOCK socket for anyone, so
 * EAFNOSUPPORT inside is the filter's doing. */
static void test_vsock_control(void)
{
	int v = on_host("socket-vsock"), hi = on_host("socket-vsock-high");

	if (v != 0) {
		tl_skip("AF_VSOCK sockets cannot be made on this host even "
			"without a sandbox (%s): the refusal inside could be "
			"the kernel's",
			v > 0 ? strerror(v) : "the helper did not run");
		return;
	}
	/* the kernel ignores the high bits of the family */
	CU_ASSERT_EQUAL(hi, 0);
}

/* Other families the kernel makes for anyone here: the same refusal
 * inside is the filter's (AF_PACKET needs CAP_NET_RAW, and AF_ALG may be
 * missing, so those prove less). */
static void test_netlink_control(void)
{
	static const char *const made[] = { "socket-netlink-audit",
					     "socket-netlink-uevent",
					     "socket-netlink-diag" };
	size_t i;

	for (i = 0; i < LIVE_N(made); i++) {
		int v = on_host(made[i]);

		if (v != 0) {
			tl_skip("%s fails on this host even without a sandbox "
				"(%d): the refusal inside could be the "
				"kernel's",
				made[i], v);
			return;
		}
	}
}

/* A policy may deny socket() entirely, never allow every family. */
static void test_policy(void)
{
	sbx_t *sbx;

	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "socket", SBX_SYSCALL_ALLOW, 0),
			-EINVAL);
	CU_ASSERT_EQUAL(
		sbx_set_syscall(sbx, "socketpair", SBX_SYSCALL_ALLOW, 0),
		-EINVAL);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "socket", SBX_SYSCALL_DENY, 0),
			0);
	sbx_destroy(sbx);
}

static CU_TestInfo socket_tests[] = {
	{ "control: AF_VSOCK on the host", test_vsock_control },
	{ "control: netlink protocols on the host", test_netlink_control },
	{ "network none: only unix, inet, inet6, netlink route",
	  test_network_none },
	{ "network host: the same families", test_network_host },
	{ "kill flag: a missing family does not kill", test_kill_flag },
	{ "a policy may deny sockets, not allow every family", test_policy },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "sockets", NULL, NULL, NULL, NULL, socket_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

/*
 * test-sec-memory.c - the memory limit where no memory cgroup can be had
 * (an unprivileged caller without cgroup delegation).  RLIMIT_DATA alone
 * is per process and does not count shared memory; the supervisor must
 * measure the whole sandbox and kill it at the limit.  Each hog tries to
 * hold 1 GiB under a 128 MiB limit and would otherwise sit until the
 * wall-clock limit: the run must end promptly with status memory_limit,
 * the mechanism "supervisor", and nothing of it left.  Judged by the
 * sandbox's result and its processes, not by the host's free memory
 * (other processes move it).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"
#include "nouserns.h"

#define TRY_BUDGET LIVE_DIR "/try-budget"
#define LIMIT (128ull << 20)

/* "Promptly": a hog that is not stopped holds until the wall-clock
 * limit (LIVE_WALL_MS); the watch samples every 100 ms at most. */
#define PROMPT_MS 20000

static const char *skip_reason;

static void config(sbx_t *sbx, void *arg)
{
	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, live_host_path("security/try-budget"),
				     TRY_BUDGET, 0),
			0);
	CU_ASSERT_EQUAL(sbx_limit(sbx, SBX_LIMIT_MEMORY, *(uint64_t *)arg), 0);
}

static const char *json_mech(const struct tl_run *r)
{
	static char mech[32];
	const char *p = r->json ? strstr(r->json, "\"memory\":{") : NULL;

	mech[0] = '\0';
	if (p && (p = strstr(p, "\"mechanism\":\"")))
		sscanf(p + 13, "%31[^\"]", mech);
	return mech;
}

/* (outside a test: no assertions) */
static void probe_config(sbx_t *sbx, void *arg)
{
	(void)arg;
	sbx_limit(sbx, SBX_LIMIT_MEMORY, LIMIT);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS);
}

/* The watch is there for callers without a memory cgroup; root and a
 * delegated user get the cgroup, which the other suites test. */
static int suite_init(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct tl_run r;

	tl_run_argv(&r, probe_config, NULL, argv);
	if (strcmp(json_mech(&r), "supervisor") != 0)
		skip_reason = getuid() == 0
				      ? "root gets a memory cgroup; the "
					"supervisor's watch is tested as an "
					"unprivileged caller without cgroup "
					"delegation"
				      : "this caller has a memory cgroup "
					"(delegated); the supervisor's watch "
					"is for callers without one";
	tl_run_free(&r);
	return 0;
}

/* Run a hog of try-budget under the limit; it must be killed for
 * memory, promptly, and leave nothing. */
static void hog(const char *what, const char *const *args)
{
	const char *marker = live_marker(what);
	const char *argv[8] = { TRY_BUDGET };
	uint64_t limit = LIMIT;
	struct tl_run r;
	size_t i;
	long wall;

	if (skip_reason) {
		tl_skip("%s", skip_reason);
		return;
	}
	for (i = 0; args[i] && i < 5; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = marker;
	tl_run_argv(&r, config, &limit, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_MEMORY_LIMIT);
	CU_ASSERT_STRING_EQUAL(json_mech(&r), "supervisor");
	CU_ASSERT(r.json && strstr(r.json, "\"memory\":{\"value\":134217728,"
					   "\"mechanism\":\"supervisor\","
					   "\"fired\":true"));
	CU_ASSERT(r.json && strstr(r.json, "\"message\":\"memory limit of "
					   "134217728 bytes reached"));
	wall = r.json && strstr(r.json, "\"wall_ms\":")
		       ? atol(strstr(r.json, "\"wall_ms\":") + 10)
		       : -1;
	if (wall < 0 || wall > PROMPT_MS)
		fprintf(stderr, "\n  %s: ended after %ld ms\n", what, wall);
	CU_ASSERT(wall >= 0 && wall <= PROMPT_MS);
	/* the memfds never outgrew the limit: their tmpfs is that big */
	CU_ASSERT(live_int(r.out, "memfd_bytes", 0) <= (long)LIMIT);
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, 5000), 0);
	tl_run_free(&r);
}

static void test_memfd(void)
{
	const char *a[] = { "memfd", "1G", NULL };

	hog("memfd", a);
}

static void test_memfd_closed(void)
{
	const char *a[] = { "memfd-closed", "1G", NULL };

	hog("memfd-closed", a);
}

static void test_memfd_fork(void)
{
	const char *a[] = { "memfd-fork", "8", "1G", NULL };

	hog("memfd-fork", a);
}

static void test_anon_fork(void)
{
	const char *a[] = { "anon-fork", "8", "1G", NULL };

	hog("anon-fork", a);
}

static void test_sysv(void)
{
	const char *a[] = { "sysv", "1G", NULL };

	hog("sysv", a);
}

static void test_shared_anon(void)
{
	const char *a[] = { "shared-anon", "1G", NULL };

	hog("shared-anon", a);
}

/* Each object filled, then shrunk to one page before the watch looks:
 * its pages stay, and no mapping shows them. */
static void test_shared_shrunk(void)
{
	const char *a[] = { "shared-shrunk", "1G", NULL };

	hog("shared-shrunk", a);
}

/* Kernel memory no RSS shows: unix sockets' buffers (8 MiB each), and
 * page tables (a file's page mapped alone in every 2 MiB). */
static void test_sockbuf(void)
{
	const char *a[] = { "sockbuf", "1G", NULL };

	hog("sockbuf", a);
}

static void test_pagetables(void)
{
	const char *a[] = { "pagetables", "1G", NULL };

	hog("pagetables", a);
}

/* Not every socket buffer is an attack: 16 MiB under 128 MiB. */
static void test_legit_sockbuf(void)
{
	const char *argv[] = { TRY_BUDGET, "sockbuf", "16M", "exit", NULL };
	uint64_t limit = LIMIT;
	struct tl_run r;

	if (skip_reason) {
		tl_skip("%s", skip_reason);
		return;
	}
	tl_run_argv(&r, config, &limit, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	CU_ASSERT(live_int(r.out, "sock_bytes", 0) >= 16 << 20);
	tl_run_free(&r);
}

/* /dev/zero mapped shared is the same kind of object: no such mapping. */
static void test_dev_zero(void)
{
	struct tl_run r;
	uint64_t limit = LIMIT;

	if (skip_reason) {
		tl_skip("%s", skip_reason);
		return;
	}
	tl_run_sh(&r, config, &limit,
		  "exec python3 -c \"import mmap, os\n"
		  "fd = os.open('/dev/zero', os.O_RDWR)\n"
		  "print('zeros=%d' % (os.read(fd, 4) == bytes(4)))\n"
		  "try:\n"
		  "    mmap.mmap(fd, 1 << 20)\n"
		  "    print('mapped=1')\n"
		  "except OSError as e:\n"
		  "    print('mapped=0')\"");
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "zeros", 0), 1);
	CU_ASSERT_EQUAL(live_int(r.out, "mapped", 1), 0);
	tl_run_free(&r);
}

/* The program's own seccomp listener would answer its memfd_create()
 * before the supervisor does (the newest filter wins), and let it through
 * to the kernel; the kernel allows one listener per chain of filters. */
static void test_own_listener(void)
{
	const char *a[] = { "own-listener", "1G", NULL };

	hog("own-listener", a);
}

/* Not every memfd is an attack. */
static void test_legit_memfd(void)
{
	const char *argv[] = { TRY_BUDGET, "memfd-use", "50M", NULL };
	uint64_t limit = 256ull << 20;
	struct tl_run r;

	if (skip_reason) {
		tl_skip("%s", skip_reason);
		return;
	}
	tl_run_argv(&r, config, &limit, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	CU_ASSERT_EQUAL(live_int(r.out, "ok", 0), 1);
	CU_ASSERT_EQUAL(live_int(r.out, "memfd_bytes", 0), 50 << 20);
	tl_run_free(&r);
}

/* Shared anonymous memory that is unmapped is given back: 10 times
 * 64 MiB, one at a time, under 256 MiB. */
static void test_legit_shared(void)
{
	const char *argv[] = { TRY_BUDGET, "shared-use", "10", "64M", NULL };
	uint64_t limit = 256ull << 20;
	struct tl_run r;

	if (skip_reason) {
		tl_skip("%s", skip_reason);
		return;
	}
	tl_run_argv(&r, config, &limit, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	CU_ASSERT_EQUAL(live_int(r.out, "ok", 0), 1);
	tl_run_free(&r);
}

/* Pages shared after fork() are one page: 96 MiB in five processes is
 * not 480 MiB. */
static void test_legit_fork(void)
{
	const char *argv[] = { TRY_BUDGET, "anon-share", "4", "96M", NULL };
	uint64_t limit = 256ull << 20;
	struct tl_run r;

	if (skip_reason) {
		tl_skip("%s", skip_reason);
		return;
	}
	tl_run_argv(&r, config, &limit, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	CU_ASSERT_EQUAL(live_int(r.out, "ok", 0), 1);
	tl_run_free(&r);
}

static char degraded_helper[4096];

static void degraded_config(sbx_t *sbx, void *arg)
{
	(void)arg;
	sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
	sbx_limit(sbx, SBX_LIMIT_WALL_MS, LIVE_WALL_MS);
	sbx_limit(sbx, SBX_LIMIT_MEMORY, LIMIT);
	/* without a mount namespace, at its own path */
	sbx_add_bind(sbx, degraded_helper, degraded_helper, 0);
}

/* Without namespaces (--allow-degraded): no tmpfs for memfds, so no
 * memfds; the processes are the supervisor's to walk (no PID namespace
 * gathers them under init). */
static void test_degraded(void)
{
	const char *marker = live_marker("degraded");
	const char *hog_argv[] = { degraded_helper, "anon-fork", "8", "1G",
				   marker, NULL };
	const char *memfd_argv[] = { degraded_helper, "memfd-use", "1M", NULL };
	struct tl_run r;

	if (skip_reason) {
		tl_skip("%s", skip_reason);
		return;
	}
	snprintf(degraded_helper, sizeof(degraded_helper), "%s",
		 live_host_path("security/try-budget"));
	if (nu_run_argv(&r, degraded_config, NULL, hog_argv) < 0) {
		tl_skip("no user namespace of the test's own to disable "
			"nested ones in");
		return;
	}
	if (r.status == SBX_STATUS_SETUP_ERROR) {
		tl_skip("no degraded sandbox here: %s", r.message);
		tl_run_free(&r);
		return;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_MEMORY_LIMIT);
	CU_ASSERT_STRING_EQUAL(json_mech(&r), "supervisor");
	CU_ASSERT(r.json && strstr(r.json, "\"degraded\":true"));
	CU_ASSERT_EQUAL(live_wait_count(marker, 0, 5000), 0);
	tl_run_free(&r);
	CU_ASSERT_FATAL(nu_run_argv(&r, degraded_config, NULL, memfd_argv) ==
			0);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(r.out, "memfd_errno", 0), ENOSYS);
	tl_run_free(&r);
}

/* The control: RLIMIT_DATA, the rlimit there is, does not hold a memfd
 * back.  On the host, 256 MiB under a 64 MiB RLIMIT_DATA, then exit. */
static void test_control_rlimit_data(void)
{
	/* lowered in the helper's process only: this one keeps allocating
	 * (and an --enable-sanitizers build could not under 64 MiB) */
	const char *argv[] = { "/bin/sh", "-c",
			       "ulimit -d 65536 && "
			       "[ \"$(ulimit -d)\" = 65536 ] && "
			       "exec \"$0\" memfd 256M exit",
			       live_host_path("security/try-budget"), NULL };
	struct rlimit old;
	char *out = NULL;
	int st;

	if (getrlimit(RLIMIT_DATA, &old) < 0 ||
	    (old.rlim_max != RLIM_INFINITY && old.rlim_max < (64 << 20))) {
		tl_skip("cannot set RLIMIT_DATA for the control");
		return;
	}
	st = live_host_run(argv, -1, &out);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_EQUAL(live_int(out ? out : "", "memfd_bytes", 0), 256 << 20);
	free(out);
}

static CU_TestInfo tests[] = {
	{ "memfds: 1 GiB under 128 MiB", test_memfd },
	{ "memfds written, one page mapped, closed", test_memfd_closed },
	{ "memfds across 8 processes", test_memfd_fork },
	{ "private memory across 8 processes", test_anon_fork },
	{ "SysV segments left detached", test_sysv },
	{ "shared anonymous mappings", test_shared_anon },
	{ "shared anonymous mappings shrunk to a page", test_shared_shrunk },
	{ "/dev/zero cannot be mapped", test_dev_zero },
	{ "unix socket buffers", test_sockbuf },
	{ "page tables of one-page file mappings", test_pagetables },
	{ "a program holding 16 MiB in socket buffers under 128 MiB",
	  test_legit_sockbuf },
	{ "memfds let through by a seccomp listener of the program's own",
	  test_own_listener },
	{ "a program using 50 MB of memfd under 256 MiB", test_legit_memfd },
	{ "a program sharing 96 MiB with 4 children under 256 MiB",
	  test_legit_fork },
	{ "a program mapping 64 MiB shared, 10 times, under 256 MiB",
	  test_legit_shared },
	{ "without namespaces: no memfds, and processes still summed",
	  test_degraded },
	{ "control: RLIMIT_DATA does not count a memfd",
	  test_control_rlimit_data },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "memory without a cgroup", suite_init, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

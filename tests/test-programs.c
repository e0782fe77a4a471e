/* test-programs.c - real programs work inside with a read-write workspace:
 * Python writing a file, threaded Python, gcc, git.  Judged on the host:
 * the files they leave in the workspace, their content and their owner. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live.h"

static void configure(sbx_t *sbx, void *arg)
{
	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, arg, SBX_WORKSPACE_RW), 0);
}

/* A file the sandbox left in the workspace: its content, and it belongs
 * to the caller (the sandbox's root is the caller). */
static void expect_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	struct stat st;
	char *got;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_uid, getuid());
	CU_ASSERT_EQUAL(st.st_gid, getgid());
	if (!text)
		return;
	got = tl_read_file(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	if (strcmp(got, text) != 0)
		fprintf(stderr, "\n  %s: [%s], expected [%s]\n", name, got,
			text);
	CU_ASSERT_STRING_EQUAL(got, text);
	free(got);
}

static int missing(const char *prog)
{
	if (access(prog, X_OK) == 0)
		return 0;
	tl_skip("%s is not installed on this host", prog);
	return 1;
}

static void run_in(const char *dir, const char *const *argv)
{
	struct tl_run r;

	tl_run_argv(&r, configure, (void *)dir, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	if (r.exit_code != 0)
		fprintf(stderr, "\n  exit %lld\n  stdout: %s\n  stderr: %s\n",
			(long long)r.exit_code, r.out, r.err);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	tl_run_free(&r);
}

static void test_python_file(void)
{
	const char *argv[] = {
		"/usr/bin/python3", "-c",
		"import os\n"
		"with open('/workspace/out.txt', 'w') as f:\n"
		"    f.write('python as uid %d in %s\\n' % (os.getuid(),\n"
		"                                          os.getcwd()))\n",
		NULL
	};
	char *dir;

	if (missing(argv[0]))
		return;
	dir = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	run_in(dir, argv);
	expect_file(dir, "out.txt", "python as uid 0 in /workspace\n");
	tl_rmrf(dir);
	free(dir);
}

/* Threads (glibc tries clone3 first: the filter's ENOSYS must send it to
 * clone), a thread pool, and a subprocess. */
static void test_python_threads(void)
{
	const char *argv[] = {
		"/usr/bin/python3", "-c",
		"import concurrent.futures, subprocess, threading\n"
		"done = []\n"
		"lock = threading.Lock()\n"
		"def work(i):\n"
		"    s = sum(range(i * 1000))\n"
		"    with lock:\n"
		"        done.append(i)\n"
		"ts = [threading.Thread(target=work, args=(i,))\n"
		"      for i in range(16)]\n"
		"for t in ts: t.start()\n"
		"for t in ts: t.join()\n"
		"with concurrent.futures.ThreadPoolExecutor(8) as ex:\n"
		"    sq = sum(ex.map(lambda x: x * x, range(100)))\n"
		"out = subprocess.run(['echo', 'child'], capture_output=True,\n"
		"                     text=True, check=True).stdout\n"
		"with open('threads.txt', 'w') as f:\n"
		"    f.write('%d %d %s' % (len(done), sq, out))\n",
		NULL
	};
	char *dir;

	if (missing(argv[0]))
		return;
	dir = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	run_in(dir, argv);
	expect_file(dir, "threads.txt", "16 328350 child\n");
	tl_rmrf(dir);
	free(dir);
}

static void test_gcc(void)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "gcc -O2 -Wall -o hello hello.c && ./hello",
			       NULL };
	char *dir, path[4096];
	struct stat st;

	if (missing("/usr/bin/gcc"))
		return;
	dir = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/hello.c", dir);
	CU_ASSERT_EQUAL_FATAL(
		tl_write_file(path,
			      "#include <stdio.h>\n"
			      "int main(void)\n{\n"
			      "\tFILE *f = fopen(\"hello.out\", \"w\");\n\n"
			      "\tif (!f)\n\t\treturn 1;\n"
			      "\tfprintf(f, \"hello from C, %d\\n\", 6 * 7);\n"
			      "\treturn fclose(f) != 0;\n}\n"),
		0);
	run_in(dir, argv);
	expect_file(dir, "hello", NULL);
	snprintf(path, sizeof(path), "%s/hello", dir);
	CU_ASSERT(stat(path, &st) == 0 && (st.st_mode & S_IXUSR));
	expect_file(dir, "hello.out", "hello from C, 42\n");
	tl_rmrf(dir);
	free(dir);
}

static void test_git(void)
{
	const char *argv[] = {
		"/bin/sh", "-c",
		"git init -q && git add README && "
		"git -c user.name=sbx -c user.email=sbx@example.invalid "
		"commit -q -m 'first commit, from the sandbox'",
		NULL
	};
	char *dir, path[4096], *out = NULL;
	const char *log[] = { "/usr/bin/git", "-c", "safe.directory=*", "-C",
			      NULL, "log", "-1", "--format=%s %an", NULL };
	int st;

	if (missing("/usr/bin/git"))
		return;
	dir = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/README", dir);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(path, "sandboxed\n"), 0);
	run_in(dir, argv);
	expect_file(dir, ".git/HEAD", NULL);
	/* the host's git sees the commit */
	log[4] = dir;
	st = live_host_run(log, -1, &out);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(out, "first commit, from the sandbox sbx\n");
	free(out);
	tl_rmrf(dir);
	free(dir);
}

static void configure_setid(sbx_t *sbx, void *arg)
{
	configure(sbx, arg);
	CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_ALLOW_SETID, 1), 0);
}

/* A program that switches users (subprocess with user=, as package
 * managers do): refused by default (no capabilities at all); with
 * SBX_FLAG_ALLOW_SETID it works wherever a range of ids is mapped.  Inside,
 * its file belongs to uid 1000; applied to the host it belongs to the
 * caller, like everything the sandbox writes to its workspace. */
static void test_switch_user(void)
{
	static const char script[] =
		"import subprocess\n"
		"try:\n"
		"    subprocess.run(['touch', '/workspace/by-1000'], user=1000,\n"
		"                   group=1000, check=True)\n"
		"    import os\n"
		"    print('switched', os.stat('/workspace/by-1000').st_uid)\n"
		"except (PermissionError, OSError) as e:\n"
		"    print('refused', e.errno)\n";
	const char *argv[] = { "/usr/bin/python3", "-c", script, NULL };
	char *dir, path[4200];
	struct tl_run r;
	struct stat st;

	if (missing(argv[0]))
		return;
	dir = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_EQUAL(chmod(dir, 0777), 0); /* uid 1000 may write there */
	tl_run_argv(&r, configure, dir, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(r.out, "refused 1\n");
	tl_run_free(&r);

	tl_run_argv(&r, configure_setid, dir, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT(strstr(r.json, "\"caps:setid\"") != NULL);
	snprintf(path, sizeof(path), "%s/by-1000", dir);
	if (strstr(r.json, "\"id_range\":1,")) {
		/* only the caller's id is mapped: nobody to switch to */
		CU_ASSERT(strncmp(r.out, "refused", 7) == 0);
		CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
		tl_skip("only one id is mapped for this user (no subordinate "
			"range or newuidmap)");
	} else {
		CU_ASSERT_STRING_EQUAL(r.out, "switched 1000\n");
		CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
		CU_ASSERT_EQUAL(st.st_uid, getuid());
	}
	tl_run_free(&r);
	tl_rmrf(dir);
	free(dir);
}

static void configure_ro(sbx_t *sbx, void *arg)
{
	live_setup(sbx);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, arg, SBX_WORKSPACE_RO), 0);
}

/* A workspace inside a directory only the caller may search (a checkout
 * below /root): the caller chose to bind it, so the sandbox sees it, even
 * where its own ids on the host (a root caller's sandbox) could not. */
static void test_workspace_below_private_dir(void)
{
	const char *argv[] = { "/bin/cat", "/workspace/file", NULL };
	char *top = tl_tmpdir(), ws[4200], file[4300];
	struct tl_run r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(top);
	CU_ASSERT_EQUAL(chmod(top, 0700), 0);
	snprintf(ws, sizeof(ws), "%s/project", top);
	CU_ASSERT_EQUAL_FATAL(mkdir(ws, 0755), 0);
	snprintf(file, sizeof(file), "%s/file", ws);
	CU_ASSERT_EQUAL_FATAL(tl_write_file(file, "reachable\n"), 0);
	tl_run_argv(&r, configure_ro, ws, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(r.exit_code, 0);
	CU_ASSERT_STRING_EQUAL(r.out, "reachable\n");
	tl_run_free(&r);
	tl_rmrf(top);
	free(top);
}

static CU_TestInfo programs_tests[] = {
	{ "python3 writes to /workspace", test_python_file },
	{ "threaded python3 with a subprocess", test_python_threads },
	{ "gcc compiles and runs a C file", test_gcc },
	{ "git init and a commit", test_git },
	{ "switching users needs SBX_FLAG_ALLOW_SETID", test_switch_user },
	{ "a workspace below a private directory", test_workspace_below_private_dir },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "programs", NULL, NULL, NULL, NULL, programs_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}

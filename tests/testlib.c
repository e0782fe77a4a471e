/* testlib.c - helpers shared by the CUnit suites. */
#include <CUnit/Basic.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static unsigned n_skipped;
static CU_pTest last_skipped;

static char *dup_bytes(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		if (n)
			memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

int tl_run_argv(struct tl_run *r, tl_config_fn cfg, void *arg,
		const char *const *argv)
{
	sbx_t *sbx = NULL;
	const char *data, *json;
	size_t len;

	memset(r, 0, sizeof(*r));
	r->rc = sbx_create(&sbx);
	if (r->rc < 0)
		return r->rc;
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	if (cfg)
		cfg(sbx, arg);
	r->rc = sbx_exec(sbx, argv);
	if (r->rc == 0)
		r->rc = sbx_wait(sbx);
	r->message = strdup(sbx_last_error(sbx));
	if (r->rc == 0) {
		r->status = sbx_result(sbx, SBX_RESULT_STATUS);
		r->exit_code = sbx_result(sbx, SBX_RESULT_EXIT_CODE);
		r->signal = sbx_result(sbx, SBX_RESULT_SIGNAL);
		r->setup_errno = sbx_result(sbx, SBX_RESULT_SETUP_ERRNO);
		if (sbx_output(sbx, 1, &data, &len) == 0) {
			r->out = dup_bytes(data, len);
			r->out_len = len;
		}
		if (sbx_output(sbx, 2, &data, &len) == 0) {
			r->err = dup_bytes(data, len);
			r->err_len = len;
		}
		json = sbx_result_json(sbx);
		r->json = json ? strdup(json) : NULL;
	} else {
		r->status = -1;
	}
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
	sbx_destroy(sbx);
	return r->rc;
}

int tl_run_sh(struct tl_run *r, tl_config_fn cfg, void *arg,
	      const char *script)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };

	return tl_run_argv(r, cfg, arg, argv);
}

void tl_run_free(struct tl_run *r)
{
	free(r->out);
	free(r->err);
	free(r->json);
	free(r->message);
	memset(r, 0, sizeof(*r));
}

char *tl_tmpdir(void)
{
	char tmpl[] = "/tmp/sbx-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	if (!d)
		return NULL;
	/* The sandbox may run as another id than the test (root's sandbox
	 * is unprivileged unless it binds something writable). */
	chmod(d, 0755);
	return strdup(d);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void tl_rmrf(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int tl_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -errno;
}

char *tl_read_fd(int fd)
{
	char *buf = calloc(1, 65536);
	size_t len = 0;
	ssize_t n;

	while (buf && len < 65535 &&
	       (n = read(fd, buf + len, 65535 - len)) > 0)
		len += (size_t)n;
	return buf;
}

int tl_write_proc(pid_t pid, const char *name, const char *text)
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

int tl_map_child_ids(pid_t pid)
{
	char map[128];
	int r;

	if (getuid() == 0) {
		snprintf(map, sizeof(map), "0 0 1\n1879048192 1879048192 1\n");
		r = tl_write_proc(pid, "uid_map", map);
		return r ? r : tl_write_proc(pid, "gid_map", map);
	}
	r = tl_write_proc(pid, "setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)getuid());
	if (!r)
		r = tl_write_proc(pid, "uid_map", map);
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)getgid());
	return r ? r : tl_write_proc(pid, "gid_map", map);
}

char *tl_child_output(tl_child_fn fn, void *arg)
{
	char *text;
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fn(p[1], arg);
		_exit(0);
	}
	close(p[1]);
	text = pid > 0 ? tl_read_fd(p[0]) : NULL;
	close(p[0]);
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return text;
}

/* Make a path of the caller's mount namespace read-only. */
static int make_ro(const char *path)
{
	return mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0 ||
			       mount(NULL, path, NULL,
				     MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0
		       ? -errno
		       : 0;
}

pid_t tl_start_nouserns(const char *const *ro_dirs, tl_child_fn fn,
			void *arg, int *ret_in)
{
	int to_child[2], to_parent[2];
	char c;
	pid_t pid;

	if (pipe(to_child) < 0)
		return -1;
	if (pipe(to_parent) < 0) {
		close(to_child[0]);
		close(to_child[1]);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd;

		close(to_child[1]);
		close(to_parent[0]);
		if (ro_dirs) {
			if (unshare(CLONE_NEWNS) < 0 ||
			    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) <
				    0)
				_exit(3);
			for (; *ro_dirs; ro_dirs++)
				if (make_ro(*ro_dirs) < 0)
					_exit(3);
		}
		if (unshare(CLONE_NEWUSER) < 0) {
			fprintf(stderr, "unshare(CLONE_NEWUSER): %s\n",
				strerror(errno));
			_exit(3);
		}
		if (write(to_parent[1], "u", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1 || c != 'm')
			_exit(4);
		fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1) {
			fprintf(stderr, "user.max_user_namespaces=0: %s\n",
				strerror(errno));
			_exit(5);
		}
		close(fd);
		fn(to_parent[1], arg);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	if (pid < 0 || read(to_parent[0], &c, 1) != 1 ||
	    tl_map_child_ids(pid) < 0 || write(to_child[1], "m", 1) != 1) {
		int e = errno;

		close(to_child[1]);
		close(to_parent[0]);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		errno = e;
		return -1;
	}
	close(to_child[1]);
	*ret_in = to_parent[0];
	return pid;
}

char *tl_read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

int tl_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own fd */
}

int tl_signal_procs(const char *marker, int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], buf[4096];
		ssize_t len, i;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		for (i = 0; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[len] = '\0';
		if (!strstr(buf, marker))
			continue;
		n++;
		if (sig)
			kill((pid_t)atoi(de->d_name), sig);
	}
	closedir(d);
	return n;
}

int tl_count_cgroups(pid_t sup)
{
	char cmd[256];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd),
		 "find /sys/fs/cgroup -maxdepth 8 -type d -name 'sbx-%d' "
		 "2>/dev/null | wc -l",
		 (int)sup);
	f = popen(cmd, "r");
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		pclose(f);
	}
	return n;
}

int tl_count_procs(const char *marker)
{
	return tl_signal_procs(marker, 0);
}

void tl_skip(const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "\n  SKIP: ");
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fprintf(stdout, "\n");
	/* a test that skips several parts is still one skipped test */
	if (CU_get_current_test() != last_skipped) {
		last_skipped = CU_get_current_test();
		n_skipped++;
	}
}

/* Does "suite/test" match one of the comma-separated fnmatch patterns? */
static int name_matches(const char *list, const char *suite, const char *test)
{
	char name[512], pat[256];
	const char *p = list;

	snprintf(name, sizeof(name), "%s/%s", suite, test);
	while (*p) {
		size_t n = strcspn(p, ",");

		snprintf(pat, sizeof(pat), "%.*s", (int)n, p);
		if (n && fnmatch(pat, name, 0) == 0)
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* SBX_TEST_ONLY runs only the tests whose "suite/test" matches one of its
 * patterns, SBX_TEST_SKIP leaves out those that match one of its: the VM
 * payload (tests/vm) runs under software emulation, where a thousand
 * runs take an hour.  A test left out is neither run nor counted. */
static void select_tests(void)
{
	const char *only = getenv("SBX_TEST_ONLY"),
		   *skip = getenv("SBX_TEST_SKIP");
	CU_pSuite s;
	CU_pTest t;

	if ((!only || !*only) && (!skip || !*skip))
		return;
	CU_set_fail_on_inactive(CU_FALSE);
	for (s = CU_get_registry()->pSuite; s; s = s->pNext)
		for (t = s->pTest; t; t = t->pNext)
			if ((only && *only &&
			     !name_matches(only, s->pName, t->pName)) ||
			    (skip && *skip &&
			     name_matches(skip, s->pName, t->pName)))
				CU_set_test_active(t, CU_FALSE);
}

int tl_main(CU_SuiteInfo *suites)
{
	unsigned run, failed, passed;

	/* Point at the build tree's supervisor unless the caller did. */
	if (!getenv("SBX_SUPERVISOR") && access("./sbx-supervisor", X_OK) == 0) {
		char cwd[4096], path[4200];

		if (getcwd(cwd, sizeof(cwd))) {
			snprintf(path, sizeof(path), "%s/sbx-supervisor", cwd);
			setenv("SBX_SUPERVISOR", path, 1);
		}
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 99;
	if (CU_register_suites(suites) != CUE_SUCCESS) {
		fprintf(stderr, "suite registration failed: %s\n",
			CU_get_error_msg());
		return 99;
	}
	select_tests();
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	passed = run - failed - n_skipped;
	printf("\n## tests: %u passed, %u failed, %u skipped\n", passed, failed,
	       n_skipped);
	CU_cleanup_registry();
	if (failed)
		return 1;
	if (run && n_skipped == run)
		return 77;
	return 0;
}

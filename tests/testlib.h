/* testlib.h - helpers shared by the CUnit suites: running a sandbox and
 * capturing its result, temp dirs, host-side checks, skips. */
#ifndef SBX_TESTLIB_H
#define SBX_TESTLIB_H

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox.h"

/* The result of one sandboxed run with stdout and stderr captured. */
struct tl_run {
	int rc;             /* what sbx_exec/sbx_wait returned */
	int64_t status;     /* enum sbx_status */
	int64_t exit_code;
	int64_t signal;
	int64_t setup_errno;
	char *out;          /* NUL-terminated copies */
	size_t out_len;
	char *err;
	size_t err_len;
	char *json;
	char *message;      /* sbx_last_error() after the run */
};

typedef void (*tl_config_fn)(sbx_t *sbx, void *arg);

/* Run argv in a fresh sandbox; cfg (may be NULL) configures the handle. */
int tl_run_argv(struct tl_run *r, tl_config_fn cfg, void *arg,
		const char *const *argv);
/* Run "/bin/sh -c script". */
int tl_run_sh(struct tl_run *r, tl_config_fn cfg, void *arg,
	      const char *script);
void tl_run_free(struct tl_run *r);

/* A directory below /tmp, removed by tl_rmrf(). */
char *tl_tmpdir(void);
void tl_rmrf(const char *path);
int tl_write_file(const char *path, const char *text);
char *tl_read_file(const char *path);
/* What fd gives until its end, at most 64 KiB less a byte
 * (NUL-terminated, malloc'd), or NULL. */
char *tl_read_fd(int fd);

/* What a forked child runs: it writes its answer to out. */
typedef void (*tl_child_fn)(int out, void *arg);
/* Fork a child that runs fn and ends; what it wrote (tl_read_fd()),
 * once it is reaped, or NULL. */
char *tl_child_output(tl_child_fn fn, void *arg);
/* Fork a child that cannot make user namespaces, as on a host where they
 * are disabled: it enters a user namespace of its own and sets
 * user.max_user_namespaces=0 there (the sysctl is per user namespace),
 * then runs fn and ends.  With ro_dirs (root only), first a private
 * mount namespace where those directories are read-only, the host's
 * untouched.  Returns the child's pid and the read end of out in
 * *ret_in, or -1. */
pid_t tl_start_nouserns(const char *const *ro_dirs, tl_child_fn fn,
			void *arg, int *ret_in);

/* Write text to /proc/PID/name: 0 or -errno. */
int tl_write_proc(pid_t pid, const char *name, const char *text);
/* Map the ids of pid, a child that has just entered a user namespace
 * of its own: a root parent maps root and the id a degraded sandbox runs
 * a root caller's program as, an unprivileged one only itself.  0 or
 * -errno. */
int tl_map_child_ids(pid_t pid);

/* Open descriptors of this process. */
int tl_count_fds(void);
/* Processes on the host whose command line contains marker; with sig,
 * each is sent that signal. */
/* Cgroup directories named after supervisor sup (sbx-PID), in every
 * hierarchy of /sys/fs/cgroup; -1 when they cannot be counted. */
int tl_count_cgroups(pid_t sup);
int tl_count_procs(const char *marker);
int tl_signal_procs(const char *marker, int sig);

/* Mark the current test skipped with a reason (it must return at once). */
void tl_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Register suites, run them verbosely and print the summary line
 * "## tests: P passed, F failed, S skipped".  Exits 77 when every test
 * was skipped, 1 when any failed. */
int tl_main(CU_SuiteInfo *suites);

#define TL_ASSERT_STATUS(r, st)                                                \
	do {                                                                   \
		if ((r)->status != (st))                                       \
			fprintf(stderr, "\n  status %lld, expected %d\n"      \
					"  stdout: %s\n  stderr: %s\n"          \
					"  message: %s\n",                     \
				(long long)(r)->status, (int)(st), (r)->out,   \
				(r)->err, (r)->message);                       \
		CU_ASSERT_EQUAL_FATAL((r)->status, (st));                      \
	} while (0)

#endif

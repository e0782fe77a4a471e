/* live.h - helpers of the live attack suites: the helper programs bound
 * into the sandbox, processes and listeners on the host, and reading the
 * "KEY=VALUE" lines the helpers print. */
#ifndef SBX_LIVE_H
#define SBX_LIVE_H

#include <sys/types.h>

#include "testlib.h"

/* Where the helpers are inside the sandbox. */
#define LIVE_DIR "/opt/sbx-test"
#define LIVE_TRY_SYSCALL LIVE_DIR "/try-syscall"
#define LIVE_TRY_ESCAPE LIVE_DIR "/try-escape"

#define LIVE_N(a) (sizeof(a) / sizeof((a)[0]))

/* Every live run gets a hard wall-clock limit, so that no attack, and no
 * bug, can keep a sandbox running past the test. */
#define LIVE_WALL_MS 60000

/* The host path of helper name (SBX_TEST_HELPERS overrides the build
 * tree's tests directory). */
const char *live_host_path(const char *name);

/* Bind the helpers read-only and set the hard wall-clock limit. */
void live_setup(sbx_t *sbx);

/* A string no other process on the machine has in its command line. */
const char *live_marker(const char *what);

/* Run argv on the host, without a sandbox (a control), stdin from in_fd
 * (-1: /dev/null), stdout captured into *ret_out (malloc'd).  Returns the
 * wait status, or -errno. */
int live_host_run(const char *const *argv, int in_fd, char **ret_out);

/* Start argv on the host in the background, killed when the test ends;
 * returns its pid or -errno. */
pid_t live_host_spawn(const char *const *argv);

/* Poll until exactly want processes hold marker, for at most ms; returns
 * the last count. */
int live_wait_count(const char *marker, int want, int ms);

/* Poll until at least want processes hold marker, for at most ms. */
int live_wait_count_atleast(const char *marker, int want, int ms);

/* SIGKILL whatever still holds marker (cleanup after a failed test). */
void live_kill_marked(const char *marker);

/* The value of "KEY=..." at the start of a line of out, up to the end of
 * the line, in a static buffer; NULL when there is no such line. */
const char *live_value(const char *out, const char *key);

/* The same as a number; dflt when the line is missing or not a number. */
int live_int(const char *out, const char *key, int dflt);

/* Wait at most ms for the running sandbox's result, watching its status
 * fd; returns what sbx_try_wait() last returned (-EAGAIN: still
 * running). */
int live_wait_done(sbx_t *sbx, int ms);

/* The first child of process pid (from /proc), or -1. */
pid_t live_child_of(pid_t pid);

#endif

/*
 * try-budget.c - hostile programs against the kernel's per-user budgets,
 * for tests/security/test-sec-budgets.c.  Each prints what it got as
 * "KEY=VALUE" lines and flushes them; the hogs then hold what they took
 * until killed.
 *
 * Usage: try-budget COMMAND ARG...
 *   budgets               take every inotify instance and every queued
 *                         signal it can, say how many, print "ready=1",
 *                         hold
 *
 * Holding means pause() forever: the sandbox's limits end it.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static __attribute__((noreturn)) void hold(void)
{
	say("holding=1\n");
	for (;;)
		pause();
}

static int cmd_budgets(void)
{
	union sigval v = { 0 };
	sigset_t rt;
	long n;
	int e;

	for (n = 0; inotify_init1(IN_CLOEXEC) >= 0; n++)
		;
	e = errno;
	say("inotify=%ld\ninotify_errno=%d\n", n, e);
	/* queued while blocked: each one is charged until delivered */
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	for (n = 0; sigqueue(getpid(), SIGRTMIN, v) == 0; n++)
		;
	e = errno;
	say("signals=%ld\nsignals_errno=%d\nready=1\n", n, e);
	hold();
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "budgets") == 0)
		return cmd_budgets();
	fprintf(stderr, "usage: try-budget COMMAND ARG... (see the source)\n");
	return 2;
}

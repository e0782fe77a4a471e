/* fail.c - the sandbox's side of failure: a setup step that fails
 * reports (step, errno, message) on the report socket and ends the
 * init; and the check, after an id switch, that the supervisor is still
 * there to hear it.  Every sandbox_*() step calls these, so they live
 * apart from the steps (process.c, mounts.c, landlock.c, ...). */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "sup.h"

void child_fail(int report_fd, enum sbx_step step, int err, const char *fmt,
		...)
{
	struct sup_report rep = { .kind = SUP_REPORT_SETUP,
				  .step = step,
				  .err = err };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rep.msg, sizeof(rep.msg), fmt, ap);
	va_end(ap);
	if (write(report_fd, &rep, sizeof(rep)) < 0) {
		/* nothing more can be said */
	}
	_exit(127);
}

/* The supervisor's end of the report socket closes when it dies. */
int sandbox_supervisor_gone(int report)
{
	struct pollfd p = { report, POLLOUT, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* pty.c - the sandbox's own terminal (SBX_FLAG_PTY): a pseudo-terminal of
 * the sandbox's devpts, whose master the supervisor relays (relay.c).  The
 * program never gets the caller's terminal, where it could change the
 * mode, the owner or the line discipline (TIOCSETD) of the caller's tty,
 * or push input into it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "relay.h"

/* Without a terminal of the caller's: what terminals start with. */
static struct winsize size = { .ws_row = 24, .ws_col = 80 };

void sup_pty_size_from(int tty)
{
	struct winsize ws;

	if (tty >= 0 && ioctl(tty, TIOCGWINSZ, &ws) == 0 && ws.ws_row &&
	    ws.ws_col)
		size = ws;
}

/* On the master, TIOCSWINSZ sets the other end's size, and the kernel
 * sends SIGWINCH to the foreground of the program's session. */
void sup_pty_resize(int tty, int master)
{
	struct winsize ws;

	if (ioctl(tty, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* A terminal that reads lines ends its input at VEOF typed at the start
 * of a line; typed after other text it only hands that text on, so a
 * second one is needed.  A terminal in raw mode has no end of input. */
size_t sup_pty_eof_chars(int master, int last, char *buf)
{
	struct termios t;

	if (tcgetattr(master, &t) < 0 || !(t.c_lflag & ICANON) ||
	    t.c_cc[VEOF] == _POSIX_VDISABLE)
		return 0;
	buf[0] = (char)t.c_cc[VEOF];
	if (last < 0 || last == '\n' || last == '\r' || last == t.c_cc[VEOF])
		return 1;
	buf[1] = buf[0];
	return 2;
}

static void send_master(int report, int master)
{
	struct sup_report rep = { .kind = SUP_REPORT_PTY };
	int r = sup_send_record(report, &rep, &master, 1);

	if (r < 0)
		child_fail(report, SBX_STEP_FDS, -r,
			   "cannot hand the sandbox's terminal to the "
			   "supervisor: %s",
			   strerror(-r));
}

/* In the sandbox's init, after pivot_root: /dev/ptmx leads to the
 * sandbox's own devpts, mounted with max= (SBX_LIMIT_PTYS).  Without
 * namespaces it is the host's. */
void sandbox_pty_open(const struct sup_config *cfg, int report, int stdio[3])
{
	int master, slave, unlock = 0, i;

	if (!sup_flag(cfg, SBX_FLAG_PTY))
		return;
	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		child_fail(report, SBX_STEP_FDS, errno,
			   "cannot open a terminal for the sandbox "
			   "(/dev/ptmx): %s%s",
			   strerror(errno),
			   errno == ENOSPC ? "; the ptys limit is reached"
					   : "");
	/* TIOCGPTPEER (Linux 4.13) opens this master's other end, not
	 * whatever a path in /dev/pts names. */
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 ||
	    (slave = ioctl(master, TIOCGPTPEER,
			   O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		child_fail(report, SBX_STEP_FDS, errno,
			   "cannot open the other end of the sandbox's "
			   "terminal: %s (Linux 4.13 or later is needed)",
			   strerror(errno));
	ioctl(slave, TIOCSWINSZ, &size);
	send_master(report, master);
	close(master);
	for (i = 0; i < 3; i++)
		if (stdio[i] < 0)
			stdio[i] = slave;
}

/* The program leads a session of its own whose controlling terminal is
 * the sandbox's: ^C typed there reaches the program's foreground, never
 * the sandbox's init, and the caller's session is not involved. */
void sandbox_pty_ctty(const struct sup_config *cfg, int report)
{
	if (!sup_flag(cfg, SBX_FLAG_PTY))
		return;
	if (setsid() < 0 || ioctl(1, TIOCSCTTY, 0) < 0)
		child_fail(report, SBX_STEP_FDS, errno,
			   "cannot make the sandbox's terminal the program's "
			   "controlling terminal: %s",
			   strerror(errno));
}

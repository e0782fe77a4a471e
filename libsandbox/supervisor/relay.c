/* relay.c - the program's standard streams, on the supervisor's side.
 *
 * The program never holds a descriptor of the caller: one could change the
 * mode and owner of the caller's file or terminal (fchmod of
 * /proc/self/fd/1), grow the file past the output cap (fallocate, pwrite)
 * or change the terminal's line discipline.  Its fds 0..2 are pipes made
 * here, or the sandbox's own terminal (pty.c); the supervisor copies
 * between them and its own fds 0..2, which posix_spawn set to the caller's
 * descriptors, the library's pipes or /dev/null, and counts the output
 * against the cap on the way.
 *
 * The caller's descriptors share their open file description with the
 * caller's shell and terminal, so their flags are never changed: an
 * O_NONBLOCK there would make the shell's next read fail with EAGAIN.
 * They are polled first and written in pieces the other side takes
 * (PIPE_BUF to a pipe or terminal that polled writable); a socket gets
 * MSG_DONTWAIT; and a call that blocks anyway (another writer was faster,
 * the terminal was stopped with ^S) is interrupted by an interval timer,
 * so the loop goes on, and the wall-clock limit with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "relay.h"

#define RELAY_BUF 65536
/* How long a call on a caller's descriptor may block the loop. */
#define GUARD_US 50000

struct end {
	int fd;
	int shared; /* the caller's open file description */
	int sock;   /* a socket: MSG_DONTWAIT does what O_NONBLOCK would */
	int piece;  /* a pipe or terminal: PIPE_BUF at a time */
	int file;   /* a regular file, whose offset can be set back */
};

struct copy {
	struct end src, dst;
	char buf[RELAY_BUF];
	size_t len;
	uint64_t passed; /* handed on, counted against the cap */
	uint64_t cap;
	int truncated;
	int eof; /* 1: src ended; 2: the terminal's EOF is typed (stdin) */
	int slot_src, slot_dst; /* in the poll set */
};

static struct {
	const struct sup_config *cfg;
	struct copy io[3];  /* [0] into the program, [1] and [2] out of it */
	const char *input;  /* SBX_RELAY_INPUT: what is left to feed */
	size_t input_left;
	int in_peek;        /* the program's stdin pipe, to count what it
			     * left unread of a regular file (fd 0) */
	off_t in_start;     /* that file's offset when the run started */
	uint64_t in_read;   /* bytes read from it since */
	int pty;            /* the terminal's master, once it came */
	int pty_in;         /* stdin is the terminal */
	int tty;            /* the caller's terminal, for the window size */
	int in_tty;         /* stdin is the caller's terminal */
	int sigs;           /* signalfd of SIGWINCH and SIGCONT */
	int slot_sigs;
	int fg_timer;       /* in the background: look for `fg` */
	int slot_fg;
	int last_typed;     /* the last byte typed at the terminal */
} rs;

static void on_alarm(int sig)
{
	(void)sig; /* only to interrupt a blocked call */
}

static void guard(int on)
{
	struct itimerval it = { { 0, on ? GUARD_US : 0 },
				{ 0, on ? GUARD_US : 0 } };
	int e = errno;

	setitimer(ITIMER_REAL, &it, NULL);
	errno = e;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fd >= 0 && fl >= 0 && !(fl & O_NONBLOCK))
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void mark(struct end *e, int fd, int shared)
{
	struct stat st;

	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->shared = shared;
	if (fstat(fd, &st) < 0)
		return;
	e->sock = S_ISSOCK(st.st_mode);
	e->file = S_ISREG(st.st_mode);
	e->piece = S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode);
}

/* Our own descriptors only: 0..2 stay (nothing opened later may land
 * there), the terminal's master is closed at the end. */
static void end_close(struct end *e)
{
	if (e->fd > 2 && e->fd != rs.pty)
		close(e->fd);
	e->fd = -1;
}

static ssize_t end_read(const struct end *e, void *buf, size_t len)
{
	ssize_t n;

	if (e->sock)
		return recv(e->fd, buf, len, MSG_DONTWAIT);
	if (!e->shared)
		return read(e->fd, buf, len);
	guard(1);
	n = read(e->fd, buf, len);
	guard(0);
	return n;
}

static ssize_t end_write(const struct end *e, const void *buf, size_t len)
{
	ssize_t n;

	if (e->sock)
		return send(e->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (!e->shared)
		return write(e->fd, buf, len);
	if (e->piece && len > PIPE_BUF)
		len = PIPE_BUF;
	guard(1);
	n = write(e->fd, buf, len);
	guard(0);
	return n;
}

int sup_stdio_open(const struct sup_config *cfg, int stdio[3])
{
	static const uint32_t out_bit[3] = { 0, SBX_RELAY_STDOUT,
					     SBX_RELAY_STDERR };
	uint32_t relay = cfg->relay;
	int pty = sup_flag(cfg, SBX_FLAG_PTY);
	int merge = !!(relay & SBX_RELAY_MERGE_ERR);
	struct copy *c;
	int p[2], i;

	/* Once per supervisor: rs is zero from the start, and its buffers
	 * are left untouched until used (no page faults for them). */
	rs.cfg = cfg;
	rs.pty = rs.tty = rs.sigs = rs.in_peek = rs.fg_timer = -1;
	rs.last_typed = -1;
	rs.pty_in = pty && (relay & SBX_RELAY_PTY_IN);
	for (i = 0; i < 3; i++) {
		stdio[i] = -1;
		rs.io[i].src.fd = rs.io[i].dst.fd = -1;
		rs.io[i].cap = i ? cfg->limits[SBX_LIMIT_OUTPUT] : UINT64_MAX;
	}

	/* stdin: the caller's, the input bytes, or an empty pipe */
	c = &rs.io[0];
	if (relay & SBX_RELAY_STDIN)
		mark(&c->src, 0, !!(relay & SBX_RELAY_SHARED(0)));
	rs.in_tty = c->src.shared && isatty(0);
	if (relay & SBX_RELAY_INPUT) {
		rs.input = cfg->input;
		rs.input_left = cfg->input_len;
	}
	if (!rs.pty_in) {
		if (pipe2(p, O_CLOEXEC) < 0)
			return -errno;
		stdio[0] = p[0];
		if (relay & (SBX_RELAY_STDIN | SBX_RELAY_INPUT))
			mark(&c->dst, p[1], 0);
		else
			close(p[1]);
		if (c->src.file &&
		    (rs.in_peek = fcntl(p[0], F_DUPFD_CLOEXEC, 3)) < 0)
			return -errno;
		rs.in_start = c->src.file ? lseek(0, 0, SEEK_CUR) : -1;
	}
	/* stdout and stderr: to the supervisor's fd 1 and 2, or dropped;
	 * stderr into stdout's pipe or terminal when both go one way */
	for (i = 1; i < 3; i++) {
		c = &rs.io[i];
		if (i == 2 && merge) {
			if (stdio[1] >= 0)
				stdio[2] = fcntl(stdio[1], F_DUPFD_CLOEXEC, 3);
			if (stdio[1] >= 0 && stdio[2] < 0)
				return -errno;
			break;
		}
		if (relay & out_bit[i])
			mark(&c->dst, i, !!(relay & SBX_RELAY_SHARED(i)));
		if (pty && i == 1)
			continue; /* the terminal, once it comes */
		if (pipe2(p, O_CLOEXEC) < 0)
			return -errno;
		stdio[i] = p[1];
		c->src.fd = p[0];
	}
	if (pty) {
		static const int order[] = { 1, 0, 2 };

		for (i = 0; i < 3 && rs.tty < 0; i++)
			if (isatty(order[i]))
				rs.tty = order[i];
		sup_pty_size_from(rs.tty);
	}
	return 0;
}

void sup_stdio_own(const int stdio[3], uid_t uid, gid_t gid)
{
	int i;

	for (i = 0; i < 3; i++)
		if (stdio[i] >= 0 && fchown(stdio[i], uid, gid) < 0) {
			/* unprivileged: the pipes are the caller's already */
		}
}

void sup_stdio_close_ours(void)
{
	if (rs.in_peek >= 0)
		close(rs.in_peek);
	end_close(&rs.io[0].dst);
	end_close(&rs.io[1].src);
	end_close(&rs.io[2].src);
}

static void feed_input(void)
{
	struct copy *c = &rs.io[0];

	while (rs.input_left && c->dst.fd >= 0) {
		ssize_t n = write(c->dst.fd, rs.input, rs.input_left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0)
			break; /* the program closed its stdin */
		rs.input += n;
		rs.input_left -= (size_t)n;
	}
	rs.input_left = 0;
	end_close(&c->dst);
}

void sup_relay_start(const struct sup_config *cfg)
{
	int i, guarded = 0;

	for (i = 0; i < 3; i++) {
		struct end *e[2] = { &rs.io[i].src, &rs.io[i].dst };
		int k;

		for (k = 0; k < 2; k++) {
			if (e[k]->fd < 0)
				continue;
			if (!e[k]->shared)
				set_nonblock(e[k]->fd);
			else if (!e[k]->sock)
				guarded = 1;
		}
	}
	if (guarded) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm; /* no SA_RESTART: the call ends */
		sigaction(SIGALRM, &sa, NULL);
	}
	/* The window size follows the caller's.  A caller's terminal is
	 * read only in the foreground (in_background()); `fg` of a stopped
	 * job comes with SIGCONT, which wakes us to look. */
	if ((sup_flag(cfg, SBX_FLAG_PTY) && rs.tty >= 0) || rs.in_tty) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGWINCH);
		sigaddset(&set, SIGCONT);
		sigprocmask(SIG_BLOCK, &set, NULL);
		rs.sigs = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	}
	if (cfg->relay & SBX_RELAY_INPUT)
		feed_input();
}

void sup_relay_take_pty(int master)
{
	if (rs.pty >= 0 || !sup_flag(rs.cfg, SBX_FLAG_PTY)) {
		close(master);
		return;
	}
	rs.pty = master;
	set_nonblock(master);
	mark(&rs.io[1].src, master, 0);
	if (rs.pty_in && rs.io[0].src.fd >= 0)
		mark(&rs.io[0].dst, master, 0);
	/* the size may have changed since the supervisor read it */
	if (rs.tty >= 0)
		sup_pty_resize(rs.tty, master);
}

/* No more input for the program. */
static void stop_input(void)
{
	struct copy *c = &rs.io[0];

	end_close(&c->src);
	end_close(&c->dst);
	c->len = 0;
	rs.input_left = 0;
}

/* The program ended: what it did not read of a regular file goes back to
 * the file, so the caller's offset says what was read, as if the program
 * had read the file itself.  What its pipe holds is not all the file's:
 * the program can write into its own stdin (open /proc/self/fd/0 for
 * writing gives the pipe's other end), and a count with those bytes in
 * would move the caller's offset back past where the run started.  So
 * never more than was read from the file, never before the start. */
static void give_back_input(void)
{
	struct copy *c = &rs.io[0];
	uint64_t back;
	off_t at;
	int queued = 0;

	if (rs.in_peek < 0)
		return;
	if (ioctl(rs.in_peek, FIONREAD, &queued) < 0 || queued < 0)
		queued = 0;
	back = c->len + (uint64_t)queued;
	if (back > rs.in_read)
		back = rs.in_read;
	at = lseek(0, 0, SEEK_CUR);
	if (back && rs.in_start >= 0 && at > rs.in_start)
		lseek(0,
		      at - rs.in_start > (off_t)back ? at - (off_t)back
						     : rs.in_start,
		      SEEK_SET);
	close(rs.in_peek);
	rs.in_peek = -1;
}

/* After the caller's stdin ended and all of it is delivered: EOF for the
 * program (its pipe closes, or the terminal's EOF character is typed). */
static void input_progress(void)
{
	struct copy *c = &rs.io[0];

	if (!c->eof || c->len || c->dst.fd < 0)
		return;
	if (c->dst.fd != rs.pty || c->eof == 2) {
		stop_input();
		return;
	}
	c->eof = 2;
	c->len = sup_pty_eof_chars(rs.pty, rs.last_typed, c->buf);
	if (!c->len)
		stop_input();
}

/* Read what there is; output past the cap, or with nowhere to go, is read
 * and dropped so the program never blocks on it.  A caller's descriptor
 * is read once per poll: a second read could block. */
static void copy_read(struct copy *c, int output)
{
	static char drop[RELAY_BUF];

	if (!output && c->dst.fd < 0)
		return; /* nobody to give it to: leave it with the caller */
	for (;;) {
		size_t room = sizeof(c->buf) - c->len;
		int over = c->dst.fd < 0 || c->passed + c->len >= c->cap;
		ssize_t n;

		if (!over && room == 0)
			return;
		n = end_read(&c->src, over ? drop : c->buf + c->len,
			     over ? sizeof(drop) : room);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		if (n <= 0) {
			/* EOF; EIO from a terminal whose every other end
			 * is closed */
			c->eof = 1;
			end_close(&c->src);
			return;
		}
		if (over) {
			if (c->dst.fd >= 0)
				c->truncated = 1;
		} else {
			if (c->passed + c->len + (size_t)n > c->cap) {
				c->truncated = 1;
				n = (ssize_t)(c->cap - c->passed - c->len);
			}
			c->len += (size_t)n;
			if (c == &rs.io[0])
				rs.in_read += (uint64_t)n;
		}
		if (c->src.shared)
			return;
	}
}

static void copy_write(struct copy *c)
{
	while (c->len && c->dst.fd >= 0) {
		ssize_t n = end_write(&c->dst, c->buf, c->len);

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		if (n <= 0) {
			/* the reader went away: nobody wants the rest (for
			 * stdin: the program closed it) */
			if (c == &rs.io[0])
				stop_input();
			end_close(&c->dst);
			c->len = 0;
			return;
		}
		if (c->dst.fd == rs.pty)
			rs.last_typed = (unsigned char)c->buf[n - 1];
		memmove(c->buf, c->buf + n, c->len - (size_t)n);
		c->len -= (size_t)n;
		c->passed += (uint64_t)n;
		if (c->dst.shared && !c->dst.file)
			return; /* one piece per poll */
	}
}

/* The caller's controlling terminal is read only in the foreground: a
 * background read would stop us (SIGTTIN), and `sbx run ... &` with us.
 * `fg` of a running job sends no signal: look again now and then. */
static int in_background(void)
{
	struct itimerspec every = { { 0, 250000000 }, { 0, 250000000 } };
	pid_t fg;

	if (!rs.in_tty || rs.io[0].src.fd < 0 || rs.io[0].eof)
		return 0;
	fg = tcgetpgrp(0);
	if (fg < 0 || fg == getpgrp())
		return 0;
	if (rs.fg_timer < 0) {
		rs.fg_timer = timerfd_create(CLOCK_MONOTONIC,
					     TFD_CLOEXEC | TFD_NONBLOCK);
		if (rs.fg_timer >= 0)
			timerfd_settime(rs.fg_timer, 0, &every, NULL);
	}
	return 1;
}

int sup_relay_poll(struct pollfd *p, int n, int max)
{
	int i, bg = in_background();

	for (i = 0; i < 3; i++) {
		struct copy *c = &rs.io[i];
		int want_in = c->src.fd >= 0 && !c->eof &&
			      c->len < sizeof(c->buf) &&
			      (i > 0 || (c->dst.fd >= 0 && !bg));
		int want_out = c->dst.fd >= 0 &&
			       (c->len || (i == 0 && rs.input_left));

		c->slot_src = c->slot_dst = -1;
		if (want_in && n < max) {
			c->slot_src = n;
			p[n++] = (struct pollfd){ c->src.fd, POLLIN, 0 };
		}
		if (want_out && n < max) {
			c->slot_dst = n;
			p[n++] = (struct pollfd){ c->dst.fd, POLLOUT, 0 };
		}
	}
	rs.slot_sigs = rs.slot_fg = -1;
	if (rs.sigs >= 0 && n < max) {
		rs.slot_sigs = n;
		p[n++] = (struct pollfd){ rs.sigs, POLLIN, 0 };
	}
	if (bg && rs.fg_timer >= 0 && n < max) {
		rs.slot_fg = n;
		p[n++] = (struct pollfd){ rs.fg_timer, POLLIN, 0 };
	}
	return n;
}

void sup_relay_events(const struct pollfd *p)
{
	int i;

	if (rs.slot_sigs >= 0 && p[rs.slot_sigs].revents) {
		struct signalfd_siginfo si;

		/* SIGCONT: the next poll looks at the foreground again */
		while (read(rs.sigs, &si, sizeof(si)) == (ssize_t)sizeof(si))
			;
		if (rs.pty >= 0 && rs.tty >= 0)
			sup_pty_resize(rs.tty, rs.pty);
	}
	if (rs.slot_fg >= 0 && p[rs.slot_fg].revents) {
		uint64_t ticks;

		if (read(rs.fg_timer, &ticks, sizeof(ticks)) < 0) {
			/* the next poll looks again anyway */
		}
	}
	for (i = 0; i < 3; i++) {
		struct copy *c = &rs.io[i];

		if (c->slot_src >= 0 && p[c->slot_src].revents)
			copy_read(c, i > 0);
		if (c->slot_dst >= 0 && p[c->slot_dst].revents) {
			if (i == 0 && rs.input_left)
				feed_input();
			else
				copy_write(c);
		}
	}
	input_progress();
}

void sup_relay_program_ended(void)
{
	give_back_input();
	stop_input();
}

void sup_relay_drop_output(void)
{
	int i;

	for (i = 1; i < 3; i++) {
		struct copy *c = &rs.io[i];

		if (c->len && c->dst.fd >= 0)
			c->truncated = 1;
		c->len = 0;
		end_close(&c->dst); /* what still comes is read and dropped */
	}
	stop_input();
}

int sup_relay_busy(void)
{
	int i;

	for (i = 1; i < 3; i++) {
		const struct copy *c = &rs.io[i];

		if (c->src.fd >= 0 || (c->len && c->dst.fd >= 0))
			return 1;
	}
	return 0;
}

void sup_relay_finish(struct sbx_wire_result *res)
{
	int i;

	for (i = 1; i < 3; i++) {
		res->truncated[i] = (uint32_t)rs.io[i].truncated;
		end_close(&rs.io[i].src);
		end_close(&rs.io[i].dst);
	}
	stop_input();
	if (rs.in_peek >= 0)
		close(rs.in_peek);
	rs.in_peek = -1;
	/* EOF for the library's pipes now, not when the supervisor exits
	 * after removing the cgroup */
	if (rs.cfg->relay & SBX_RELAY_STDOUT)
		close(1);
	if (rs.cfg->relay & SBX_RELAY_STDERR)
		close(2);
	if (rs.pty >= 0)
		close(rs.pty);
	if (rs.sigs >= 0)
		close(rs.sigs);
	if (rs.fg_timer >= 0)
		close(rs.fg_timer);
	rs.pty = rs.sigs = rs.fg_timer = -1;
}

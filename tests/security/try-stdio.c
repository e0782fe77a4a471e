/*
 * try-stdio.c - attacks on the descriptors a sandboxed program is given as
 * its standard streams: the caller's file or terminal, if it ever got
 * them.  Each prints "KEY=VALUE" lines on fd OUT (an errno number, 0 for
 * success, or data); the tests judge from the host's side.
 *
 * Usage: try-stdio COMMAND ARG...
 *   file FD OUT SIZE   on fd FD: fchmod 04777 and 0666, chmod through
 *                      /proc/self/fd/FD, fchown to root and to nobody,
 *                      fallocate SIZE bytes, ftruncate to SIZE, pwrite
 *                      at 1 GiB; then write "payload\n" to FD
 *   tty FD OUT TEXT    on fd FD: fchmod 0666, TIOCSETD to N_NULL, TIOCSTI
 *                      each byte of TEXT
 *   null OUT           on fds 0 and 1: fchmod 0666, chmod through
 *                      /proc/self/fd, fchown to nobody; what they are
 *   ptys [MAX]         open /dev/ptmx until it fails (or MAX times); print
 *                      how many (opened=N, err=E), then wait for EOF on
 *                      stdin
 *   stream             print a line through stdio (buffered unless stdout
 *                      is a terminal), then read a line and print it
 *   flood BYTES        write BYTES bytes to stdout
 *   info               isatty of 0..2, the window size, the session
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#ifndef N_NULL
#define N_NULL 27
#endif

static int out = 2;

static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(out, line, (size_t)n) < 0) {
		/* nowhere to say it */
	}
}

static void result(const char *key, int r)
{
	say("%s=%d", key, r < 0 ? errno : 0);
}

static void show_link(const char *key, int fd)
{
	char path[64], target[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	target[n < 0 ? 0 : n] = '\0';
	say("%s=%s", key, target);
}

static int cmd_file(int fd, long long size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	show_link("link", fd);
	result("fchmod_suid", fchmod(fd, 04777));
	result("fchmod_0666", fchmod(fd, 0666));
	result("chmod_proc", chmod(path, 04777));
	result("fchown_root", fchown(fd, 0, 0));
	result("fchown_nobody", fchown(fd, 65534, 65534));
	result("fallocate", fallocate(fd, 0, 0, (off_t)size));
	result("ftruncate", ftruncate(fd, (off_t)size));
	result("pwrite", (int)pwrite(fd, "x", 1, 1ll << 30));
	result("payload", (int)write(fd, "payload\n", 8));
	return 0;
}

static int cmd_tty(int fd, const char *text)
{
	int ldisc = N_NULL;
	const char *p;
	int err = 0;

	show_link("link", fd);
	result("isatty", isatty(fd) ? 0 : -1);
	result("fchmod_0666", fchmod(fd, 0666));
	result("tiocsetd", ioctl(fd, TIOCSETD, &ldisc));
	for (p = text; *p && !err; p++)
		if (ioctl(fd, TIOCSTI, p) < 0)
			err = errno;
	say("tiocsti=%d", err);
	return 0;
}

static int cmd_null(void)
{
	int fd;

	for (fd = 0; fd < 2; fd++) {
		char key[32], path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		snprintf(key, sizeof(key), "link%d", fd);
		show_link(key, fd);
		snprintf(key, sizeof(key), "fchmod%d", fd);
		result(key, fchmod(fd, 0600));
		snprintf(key, sizeof(key), "chmod%d", fd);
		result(key, chmod(path, 0600));
		snprintf(key, sizeof(key), "fchown%d", fd);
		result(key, fchown(fd, 65534, 65534));
	}
	return 0;
}

static int cmd_ptys(int max)
{
	char buf[64];
	int n = 0, err = 0;

	while (n < max) {
		int fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);

		if (fd < 0) {
			err = errno;
			break;
		}
		n++;
	}
	say("opened=%d", n);
	say("err=%d", err);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}

static int cmd_flood(long long bytes)
{
	static char buf[65536];

	memset(buf, 'f', sizeof(buf));
	while (bytes > 0) {
		size_t k = bytes < (long long)sizeof(buf) ? (size_t)bytes
							 : sizeof(buf);
		ssize_t n = write(1, buf, k);

		if (n <= 0)
			return 1;
		bytes -= n;
	}
	return 0;
}

static int cmd_info(void)
{
	struct winsize ws = { 0 };

	say("isatty=%d%d%d", isatty(0), isatty(1), isatty(2));
	ioctl(1, TIOCGWINSZ, &ws);
	say("size=%dx%d", ws.ws_row, ws.ws_col);
	say("ctty=%d", tcgetsid(1) == getsid(0) ? 1 : 0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "file") && argc == 5) {
		out = atoi(argv[3]);
		return cmd_file(atoi(argv[2]), atoll(argv[4]));
	}
	if (!strcmp(cmd, "tty") && argc == 5) {
		out = atoi(argv[3]);
		return cmd_tty(atoi(argv[2]), argv[4]);
	}
	if (!strcmp(cmd, "null") && argc == 3) {
		out = atoi(argv[2]);
		return cmd_null();
	}
	if (!strcmp(cmd, "ptys") && (argc == 2 || argc == 3)) {
		out = 1;
		return cmd_ptys(argc == 3 ? atoi(argv[2]) : 4096);
	}
	if (!strcmp(cmd, "stream") && argc == 2) {
		char line[128] = "";

		printf("first\n");
		if (!fgets(line, sizeof(line), stdin))
			strcpy(line, "(eof)\n");
		printf("got=%s", line);
		return 0;
	}
	if (!strcmp(cmd, "flood") && argc == 3)
		return cmd_flood(atoll(argv[2]));
	if (!strcmp(cmd, "info") && argc == 2) {
		out = 1;
		return cmd_info();
	}
	fprintf(stderr, "usage: try-stdio file|tty|null|ptys|stream|flood|info "
			"...\n");
	return 2;
}

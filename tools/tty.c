/* tty.c - the caller's terminal while a program's own terminal is relayed
 * (--pty): raw while `sbx` is in the foreground, so that every key, ^C and
 * ^Z included, reaches the program's terminal, whose line discipline does
 * what the caller's would; and always given back as it was: at the end, on
 * a fatal signal, when stopped or sent to the background. */
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static struct termios saved, raw;
static volatile sig_atomic_t tty_fd = -1; /* the terminal we manage */
static volatile sig_atomic_t is_raw;

static const int fatal[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE };

/* Async-signal-safe, as every call here.  A background job leaves the
 * terminal to the shell (and tcsetattr() would stop it). */
static void go_raw(void)
{
	if (tty_fd < 0 || is_raw || tcgetpgrp(tty_fd) != getpgrp() ||
	    tcgetattr(tty_fd, &saved) < 0)
		return;
	raw = saved;
	cfmakeraw(&raw);
	if (tcsetattr(tty_fd, TCSADRAIN, &raw) == 0)
		is_raw = 1;
}

static void go_cooked(void)
{
	if (tty_fd >= 0 && is_raw) {
		tcsetattr(tty_fd, TCSADRAIN, &saved);
		is_raw = 0;
	}
}

static void on_fatal(int sig)
{
	go_cooked();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Stopped from outside (kill -TSTP; in raw mode the keyboard cannot):
 * the shell gets its terminal back as it was; raw again once we are
 * continued in the foreground. */
static void on_stop(int sig)
{
	(void)sig;
	go_cooked();
	kill(getpid(), SIGSTOP);
	go_raw();
}

/* `fg` (or `bg`) continues us. */
static void on_cont(int sig)
{
	(void)sig;
	go_raw();
}

void cli_tty_raw(int fd)
{
	struct sigaction sa;
	size_t i;

	if (tty_fd >= 0 || !isatty(fd))
		return;
	memset(&sa, 0, sizeof(sa));
	sigfillset(&sa.sa_mask);
	sa.sa_handler = on_fatal;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	sa.sa_handler = on_stop;
	sigaction(SIGTSTP, &sa, NULL);
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	tty_fd = fd;
	go_raw();
}

int cli_tty_cooked(void)
{
	return tty_fd >= 0 && !is_raw;
}

void cli_tty_check(void)
{
	go_raw();
}

void cli_tty_restore(void)
{
	size_t i;

	if (tty_fd < 0)
		return;
	go_cooked();
	tty_fd = -1;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGCONT, SIG_DFL);
}

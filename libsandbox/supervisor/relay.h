/* relay.h - the program's standard streams: the supervisor's pipes or the
 * sandbox's terminal, relayed to and from the caller's (relay.c, pty.c). */
#ifndef SBX_RELAY_H
#define SBX_RELAY_H

#include <poll.h>
#include <sys/types.h>

#include "sup.h"

/* The supervisor, before the clone: the program's fds 0..2 into stdio[]
 * (-1: the sandbox's terminal, which its init opens).  0 or -errno. */
int sup_stdio_open(const struct sup_config *cfg, int stdio[3]);
/* The program's ends belong to the id the program runs as (inside root's
 * host id), so that it may reopen them (/dev/stdout): pipes are 0600. */
void sup_stdio_own(const int stdio[3], uid_t uid, gid_t gid);
/* In the sandbox's init, right after the clone: the supervisor's ends go. */
void sup_stdio_close_ours(void);

/* The watch loop (watch.c).  sup_relay_poll() adds what to wait for to
 * p[n...] and returns the new count; sup_relay_events() handles what
 * poll() found there. */
void sup_relay_start(const struct sup_config *cfg);
int sup_relay_poll(struct pollfd *p, int n, int max);
void sup_relay_events(const struct pollfd *p);
/* The terminal's master, from the sandbox's report (SUP_REPORT_PTY). */
void sup_relay_take_pty(int master);
/* The program ended: no more input for it (what it did not read of a
 * regular file is given back to the file's offset). */
void sup_relay_program_ended(void);
/* Nobody will read the output any more: drop it (the caller went away,
 * or the wall clock ran out while a destination did not take it). */
void sup_relay_drop_output(void);
/* 1 while output is still to be read or delivered. */
int sup_relay_busy(void);
/* Truncation by stream, then close everything (the library's pipes see
 * EOF). */
void sup_relay_finish(struct sbx_wire_result *res);

/* pty.c: the sandbox's terminal (SBX_FLAG_PTY). */
/* The supervisor: the size it starts with, from the caller's terminal. */
void sup_pty_size_from(int tty);
/* The supervisor, on SIGWINCH: the caller's size to the master. */
void sup_pty_resize(int tty, int master);
/* The supervisor, at the end of stdin: the EOF character(s) to type into
 * buf when the terminal reads lines (last: the last byte typed, -1 for
 * none); how many. */
size_t sup_pty_eof_chars(int master, int last, char *buf);
/* The sandbox's init, once its root is built: open the terminal, hand
 * the master to the supervisor, put the other end into stdio[]'s -1s. */
void sandbox_pty_open(const struct sup_config *cfg, int report, int stdio[3]);
/* The program's process, before exec: the terminal becomes the
 * controlling terminal of its own session. */
void sandbox_pty_ctty(const struct sup_config *cfg, int report);

#endif

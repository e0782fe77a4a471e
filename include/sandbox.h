/*
 * sandbox.h - libsandbox: run untrusted programs in a throw-away Linux sandbox.
 *
 * Lifecycle
 *
 *     sbx_t *sbx;
 *     sbx_create(&sbx);                       1. create a handle
 *     sbx_set_workspace(sbx, dir, SBX_WORKSPACE_RO);
 *     sbx_limit(sbx, SBX_LIMIT_WALL_MS, 5000);   2. configure it
 *     sbx_exec(sbx, argv);                    3. start the program
 *     sbx_wait(sbx);                          4. wait for its result
 *     sbx_result(sbx, SBX_RESULT_EXIT_CODE);  5. read the result
 *     sbx_destroy(sbx);                       6. destroy (kills if running)
 *
 * A handle keeps its configuration across runs: after sbx_wait() it may be
 * given to sbx_exec() again.  One handle runs one sandbox at a time; use one
 * handle per thread (handles are not locked).
 *
 * Every sandbox runs under a small supervisor process that the library
 * starts with posix_spawn(), so calling sbx_exec() from a multi-threaded
 * program is safe.  Everything the caller may wait on is a file descriptor
 * (sbx_fd()), so event loops can watch a sandbox without blocking.
 * Beyond a run's descriptors (closed when it ends), the library keeps one
 * of its own per process: from an unprivileged caller's second run on,
 * an inotify instance (close-on-exec) that tells it when its scan of /etc
 * must be made again.
 *
 * Errors: every function that can fail returns 0 (or a non-negative value)
 * on success and a negative errno value on failure, and keeps a message on
 * the handle that sbx_last_error() returns.  Output parameters (ret_...)
 * are never written on failure.  The library never prints, aborts or exits.
 *
 * This header is C89 and uses only <stdint.h> and <sys/types.h> types; the
 * ABI only grows (new functions, new enum values before the _MAX sentinel).
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The opaque sandbox handle. */
typedef struct sbx sbx_t;

/** The library's version, "MAJOR.MINOR.PATCH". Never NULL. */
const char *sbx_version(void);

/* ------------------------------------------------------------------ */
/* Lifecycle                                                           */
/* ------------------------------------------------------------------ */

/**
 * Create a handle with the default configuration: read-only system
 * directories, no workspace, no network, a scrubbed environment, the
 * caller's stdio relayed (SBX_STDIO_INHERIT), and every limit at its
 * default (see enum sbx_limit_kind).
 *
 * Returns 0 and stores the handle in *ret_sbx, or
 *   -EINVAL  ret_sbx is NULL
 *   -ENOMEM  out of memory
 */
int sbx_create(sbx_t **ret_sbx);

/**
 * Destroy a handle.  A sandbox still running is killed and reaped first, so
 * nothing of it outlives this call.  Accepts NULL.
 */
void sbx_destroy(sbx_t *sbx);

/**
 * The message of the last failure on this handle: what failed, on which
 * path, and what to do.  Also set when a run ended in a setup error.
 * Never NULL; "" when there was none.  Valid until the next call on sbx.
 */
const char *sbx_last_error(const sbx_t *sbx);

/**
 * The errno that goes with sbx_last_error()'s message, for the functions
 * that return a pointer (sbx_policy_export(), sbx_policy_explain()): one
 * of the values the failing function documents, positive; after a run
 * that ended in a setup error, that error's errno (as
 * SBX_RESULT_SETUP_ERRNO).  0 when the message is empty; EINVAL when sbx
 * is NULL.
 */
int sbx_last_errno(const sbx_t *sbx);

/* ------------------------------------------------------------------ */
/* Limits                                                              */
/* ------------------------------------------------------------------ */

/**
 * What sbx_limit() limits, and each limit's default.  A value of 0 means
 * "no limit" for every kind except SBX_LIMIT_DISK and SBX_LIMIT_OUTPUT,
 * where it means "nothing may be written".  Each limit is enforced by the
 * strongest mechanism the host gives the caller, and the result says which
 * (SBX_RESULT_... and the "limits" object of sbx_result_json()):
 *
 *   WALL_MS     1 hour      the supervisor kills every process
 *   CPU_MS      10 minutes  whole sandbox: the cgroup's CPU counter, else
 *                           the process tree in /proc; RLIMIT_CPU backstop
 *   MEMORY      1 GiB       cgroup v2 memory.max + swap.max 0, v1 memory +
 *                           memsw; else the supervisor sums the sandbox's
 *                           private memory and page tables, memfds, SysV
 *                           and shared anonymous memory, and the socket
 *                           buffers of its own network namespace, and
 *                           kills at the limit
 *                           (status MEMORY_LIMIT, mechanism "supervisor";
 *                           what it counts: README, "Memory without a
 *                           cgroup"), and RLIMIT_DATA per process
 *   PIDS        512         cgroup pids.max; else RLIMIT_NPROC, counted in
 *                           the sandbox's user namespace (Linux 5.14+)
 *   FSIZE       none        RLIMIT_FSIZE (EFBIG, or SIGXFSZ if not ignored)
 *   NOFILE      1024        RLIMIT_NOFILE
 *   DISK        512 MiB     one size-capped tmpfs holds /tmp, the home,
 *                           /dev/shm and a RW workspace's changes
 *   OUTPUT      64 MiB      per stream, every mode but NULL: the
 *                           supervisor relays the output and reads and
 *                           drops the rest
 *   CPU_SHARE   none        cgroup cpu.max / cfs_quota (1000 = one CPU)
 *   PTYS        16          the sandbox's own devpts (max=): terminals
 *                           the program may open, SBX_FLAG_PTY's included
 *
 * Besides these, every sandbox gets small per-user budgets of its own, so
 * that it cannot take the caller's (README, "Per-user kernel budgets"):
 * RLIMIT_SIGPENDING 256, RLIMIT_MSGQUEUE 256 KiB, RLIMIT_MEMLOCK 8 MiB
 * (each at most half the caller's), 16 inotify instances and 8192 watches
 * (at most 1/8 of the caller's), and no new namespaces.
 *
 * Append-only.
 */
enum sbx_limit_kind {
	SBX_LIMIT_WALL_MS = 0,     /* wall-clock time, ms */
	SBX_LIMIT_CPU_MS = 1,      /* CPU time of the whole sandbox, ms */
	SBX_LIMIT_MEMORY = 2,      /* memory + swap of the whole sandbox, bytes */
	SBX_LIMIT_PIDS = 3,        /* processes and threads */
	SBX_LIMIT_FSIZE = 4,       /* largest file written, bytes */
	SBX_LIMIT_NOFILE = 5,      /* open files per process */
	SBX_LIMIT_DISK = 6,        /* every byte written to /tmp, home, workspace */
	SBX_LIMIT_OUTPUT = 7,      /* captured bytes per output stream */
	SBX_LIMIT_CPU_SHARE = 8,   /* CPU bandwidth, thousandths of a CPU */
	SBX_LIMIT_PTYS = 9,        /* pseudo-terminals open at once */
	SBX_LIMIT_KIND_MAX
};

/**
 * Set one limit.  Takes effect at the next sbx_exec().
 *
 * Returns 0, or
 *   -EINVAL  sbx is NULL, kind is unknown, or value is out of range for kind
 *   -EBUSY   a sandbox is running on this handle
 */
int sbx_limit(sbx_t *sbx, int kind, uint64_t value);

/**
 * The value of one limit as the next sbx_exec() would use it: what
 * sbx_limit() or a policy set, else the default (enum sbx_limit_kind).
 *
 * Returns 0 and stores the value in *ret_value, or
 *   -EINVAL  sbx is NULL, kind is unknown, or ret_value is NULL
 */
int sbx_get_limit(sbx_t *sbx, int kind, uint64_t *ret_value);

/**
 * Parse a size such as "512", "64K", "256M", "1G", "1.5GiB" (K/M/G/T and
 * KiB/MiB/GiB/TiB are powers of 1024; a plain number is bytes): digits,
 * an optional fraction with a point in every locale, and the unit right
 * after; no white space, sign, exponent or hex.
 *
 * Returns 0 and stores the size in *ret_bytes, or
 *   -EINVAL  the string is not a size (sbx_last_error(NULL) is not kept:
 *            errors of this function carry no handle)
 *   -ERANGE  the size does not fit in 64 bits
 */
int sbx_parse_size(const char *text, uint64_t *ret_bytes);

/**
 * Parse a duration: seconds ("10", "0.5", "1.25") or a number with a unit
 * ("500ms", "90s", "2m", "1h"), into milliseconds, rounded to the nearest
 * one, halves up, in decimal ("0.0015" is 2 ms).  "0" is 0, which every
 * time limit takes as no limit; a positive duration that would round to 0
 * is refused rather than read as no limit.  The one parser of `sbx run
 * --timeout/--cpu/--cpus` and of the bindings' seconds (Python's
 * timeout=0.5, cpus=0.5; Node's cpuShare), so that every front end rounds
 * alike (policy documents round the same way).  No sign, no exponent, no
 * spaces.
 *
 * err, when not NULL, receives a message for the caller to show (there
 * is no handle to keep it): what is wrong with text and what to write
 * instead, NUL-terminated and cut at errlen bytes; "" on success.
 *
 * Returns 0 and stores the milliseconds in *ret_ms, or
 *   -EINVAL  text or ret_ms is NULL, or text is not a duration
 *   -ERANGE  longer than 365 days (sbx_limit()'s maximum), or shorter
 *            than half a millisecond but not 0
 */
int sbx_parse_duration(const char *text, uint64_t *ret_ms, char *err,
		       size_t errlen);

/**
 * Parse the value of one limit as text, by the limit's unit, and check it
 * against the limit's maximum, as sbx_limit() would: the one check of the
 * values of `sbx run`'s limit options and of the bindings' limits, so
 * that every front end takes, rounds and refuses a value alike and with
 * the same words.  A binding writes its number as decimal text.
 *
 *   SBX_LIMIT_WALL_MS, SBX_LIMIT_CPU_MS: a duration (sbx_parse_duration())
 *   SBX_LIMIT_MEMORY, _FSIZE, _DISK, _OUTPUT: a size (sbx_parse_size())
 *   SBX_LIMIT_PIDS, _NOFILE, _PTYS: a whole number ("512")
 *   SBX_LIMIT_CPU_SHARE: CPUs ("0.5"), into thousandths, rounded as
 *                        durations are; 0.001 to 1024, or 0
 *
 * err, when not NULL, receives the message for the caller to show after
 * its own name of the option (there is no handle to keep it): what is
 * wrong with text and what to give instead; "" on success.
 *
 * Returns 0 and stores the value for sbx_limit() in *ret_value, or
 *   -EINVAL  kind is unknown, text or ret_value is NULL, or text is not a
 *            value of the limit's unit
 *   -ERANGE  the value is larger than the limit's maximum, or positive
 *            but rounds to 0 (which would be no limit)
 */
int sbx_parse_limit(int kind, const char *text, uint64_t *ret_value,
		    char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* Filesystem                                                          */
/* ------------------------------------------------------------------ */

/**
 * How the workspace is mounted at /workspace.  Append-only.
 *
 * RW is copy-on-write: the program's changes go to an overlayfs upper layer
 * on the sandbox's tmpfs (so they count against SBX_LIMIT_DISK), and the
 * supervisor applies them to the host directory when the run ends, however
 * it ended (SBX_RESULT_WORKSPACE_CHANGES says how many).  Applying never
 * follows a symlink on the host and drops set-id bits; host directories
 * keep their set-gid and sticky bits; no entry gets group or other write
 * permission that the host's did not have (new ones get the program's
 * mode without them).  Paths the host runs or trusts (.git/config,
 * .git/hooks/, .envrc, .vscode/, mise and cargo configs, toolchain pins,
 * CI workflows, shell rc files, ...: the list is in README.md), a HEAD
 * that would make a directory already holding git's control files a git
 * directory, and symlinks that lead out of the workspace are withheld,
 * neither written nor deleted, and listed in the result
 * (SBX_RESULT_WITHHELD, the JSON key "withheld"), unless
 * SBX_FLAG_ALLOW_TRUSTED_PATHS.  RW_LIVE is a plain writable bind:
 * changes land at once and are not budgeted; its .git and the trusted
 * paths that exist in it when the run starts, at any depth, are bound
 * read-only (EROFS), unless SBX_FLAG_ALLOW_TRUSTED_PATHS.  A tree too big
 * to walk for them (README.md gives the limits) ends the run in
 * SBX_STATUS_SETUP_ERROR with a message naming the limit, never with part
 * of it writable.  What the program creates during the run (a new .envrc,
 * a nested .git, a symlink out) no bind can cover: use RW for a program
 * you do not trust.
 *
 * For a caller that is the host's root the sandbox runs as an id that
 * owns nothing, and the workspace and binds are idmapped mounts, so that
 * what the program writes belongs to the caller and a 0700 directory can
 * be read.  Where the file system cannot be idmapped (overlayfs, NFS,
 * FUSE), a read-only bind is a plain one, and a writable live bind
 * (RW_LIVE, SBX_BIND_RW) ends the run in SBX_STATUS_SETUP_ERROR with a
 * message naming RW, which works everywhere.
 */
enum sbx_workspace_mode {
	SBX_WORKSPACE_RO = 0,      /* read-only bind (the default) */
	SBX_WORKSPACE_RW = 1,      /* copy-on-write, applied after the run */
	SBX_WORKSPACE_RW_LIVE = 2, /* writable live bind, no disk budget */
	SBX_WORKSPACE_MODE_MAX
};

/**
 * Bind the host directory path at /workspace (the start directory).  The
 * path is resolved and checked now.  path NULL removes the workspace.
 *
 * Returns 0, or
 *   -EINVAL   mode is unknown, or path is not absolute after resolution
 *   -ENOENT   path does not exist
 *   -ENOTDIR  path is not a directory
 *   -EACCES   path cannot be searched by the caller
 *   -EBUSY    a sandbox is running on this handle
 *   -ENOMEM   out of memory
 */
int sbx_set_workspace(sbx_t *sbx, const char *path, int mode);

/**
 * Change the mode of the workspace the handle has (from
 * sbx_set_workspace() or a policy's "workspace"), keeping its directory:
 * what `sbx run --rw` and the bindings' writable option do when a policy
 * gives the directory.  Without a workspace, SBX_WORKSPACE_RO does
 * nothing and returns 0; a writable mode is an error.
 *
 * Returns 0, or
 *   -EINVAL   mode is unknown, or writable without a workspace
 *   -EBUSY    a sandbox is running on this handle
 */
int sbx_set_workspace_mode(sbx_t *sbx, int mode);

/** Flags of sbx_add_bind(). */
enum sbx_bind_flag {
	SBX_BIND_RW = 1,           /* writable (default read-only) */
	SBX_BIND_TRY = 2           /* skip silently when src does not exist */
};

/**
 * Bind host path src (a file or directory) at dst inside the sandbox
 * (dst NULL: the same path).  Read-only, nosuid and nodev unless
 * SBX_BIND_RW.  dst may not be /, /proc, /dev or below them.  A writable
 * directory keeps its .git and the trusted paths in it, at any depth,
 * read-only as a SBX_WORKSPACE_RW_LIVE workspace does; a writable bind of
 * a trusted place itself (a git directory, ~/.ssh, a .vscode), or of a
 * tree too big to walk for them, fails at sbx_exec()'s setup.
 * SBX_FLAG_ALLOW_TRUSTED_PATHS lifts both.
 *
 * Returns 0, or
 *   -EINVAL  src or dst is not absolute, dst is reserved, flags unknown
 *   -ENOENT  src does not exist (and SBX_BIND_TRY is not set)
 *   -E2BIG   too many binds (more than 256)
 *   -EBUSY   a sandbox is running on this handle
 *   -ENOMEM  out of memory
 */
int sbx_add_bind(sbx_t *sbx, const char *src, const char *dst, uint32_t flags);

/**
 * The start directory inside the sandbox (default /workspace when there
 * is a workspace, else the home directory).
 *
 * Returns 0, or -EINVAL (not absolute), -EBUSY, -ENOMEM.
 */
int sbx_set_cwd(sbx_t *sbx, const char *path);

/* ------------------------------------------------------------------ */
/* Environment                                                         */
/* ------------------------------------------------------------------ */

/**
 * Pass one environment variable.  The program's environment is built from
 * scratch: PATH, HOME, LANG, TERM and TMPDIR get sandbox values, and only
 * the variables named here are added.  value NULL passes the caller's
 * current value (nothing when the caller has none).  Setting a name again
 * replaces it; a value of PATH, HOME, ... replaces the sandbox's value.
 *
 * Returns 0, or
 *   -EINVAL  name is empty or contains '=' or is too long
 *   -E2BIG   4096 variables are set already
 *   -EBUSY   a sandbox is running on this handle
 *   -ENOMEM  out of memory
 */
int sbx_set_env(sbx_t *sbx, const char *name, const char *value);

/** Remove every variable set with sbx_set_env().  Returns 0 or -EBUSY. */
int sbx_clear_env(sbx_t *sbx);

/* ------------------------------------------------------------------ */
/* Standard streams                                                    */
/* ------------------------------------------------------------------ */

/**
 * Where a standard stream of the program comes from or goes.  In every
 * mode the program's fds 0, 1 and 2 are pipes of the supervisor (or, with
 * SBX_FLAG_PTY, the sandbox's own terminal), never a descriptor of the
 * caller: a program holding the caller's file or terminal could change
 * its mode and owner (fchmod of /proc/self/fd/1), grow the file past the
 * output cap (fallocate, pwrite) or break the terminal (TIOCSETD).  The
 * supervisor keeps the caller's descriptor and copies between it and the
 * pipe; it never changes the descriptor's flags (O_NONBLOCK would reach
 * the caller's shell).  When stdout and stderr go to the same file, pipe
 * or terminal (INHERIT or FD), the program gets one pipe for both, so
 * their order is kept; their output then counts as stdout's.
 * Append-only.
 */
enum sbx_stdio_mode {
	SBX_STDIO_INHERIT = 0,  /* the caller's own fd 0/1/2, relayed (the
				 * default).  The supervisor reads stdin
				 * ahead of the program: what the program
				 * did not read is lost, except from a
				 * regular file, whose offset is set back
				 * (never before where the run started) */
	SBX_STDIO_NULL = 1,     /* nothing: stdin is an empty pipe, output
				 * is read and dropped (no device node of
				 * the host reaches the program) */
	SBX_STDIO_PIPE = 2,     /* a pipe; the caller reads/writes sbx_fd() */
	SBX_STDIO_FD = 3,       /* a file descriptor the caller gives,
				 * relayed as INHERIT */
	SBX_STDIO_CAPTURE = 4,  /* stdout/stderr: collected by sbx_wait() */
	SBX_STDIO_MODE_MAX
};

/**
 * Choose where stream 0, 1 or 2 goes.  fd is used only with SBX_STDIO_FD
 * (it is duplicated at sbx_exec(); the caller keeps its own).  Output is
 * capped at SBX_LIMIT_OUTPUT bytes per stream in every mode: the rest is
 * read and dropped, so the program is never blocked by the cap, and the
 * result says so (SBX_RESULT_STDOUT_TRUNCATED, mechanism "supervisor").
 * Output the supervisor still holds when the program has ended is
 * delivered until the wall-clock limit (after a kill at the limit, for
 * two seconds more), then dropped and counted as truncated: a destination
 * that takes nothing (a terminal stopped with ^S) cannot keep the run.
 *
 * Returns 0, or
 *   -EINVAL  stream or mode unknown, CAPTURE on stdin, fd < 0 with FD
 *   -EBUSY   a sandbox is running on this handle
 */
int sbx_set_stdio(sbx_t *sbx, int stream, int mode, int fd);

/**
 * Feed data to the program's standard input, then close it (like
 * subprocess's input=).  Replaces the stdin mode.  len 0 gives an empty,
 * closed stdin.  The data is copied.
 *
 * Returns 0, or -EINVAL (data NULL with len > 0), -EBUSY, -ENOMEM.
 */
int sbx_set_input(sbx_t *sbx, const void *data, size_t len);

/* ------------------------------------------------------------------ */
/* Network and other switches                                          */
/* ------------------------------------------------------------------ */

/** Network modes.  Append-only. */
enum sbx_net_mode {
	SBX_NET_NONE = 0,  /* a new network namespace with only lo (default) */
	SBX_NET_HOST = 1,  /* the host's network: explicit opt-in (its
			    * abstract unix sockets stay out of reach where
			    * Landlock scopes them, ABI 6) */
	SBX_NET_MODE_MAX
};

/** Returns 0, or -EINVAL (unknown mode), -EBUSY. */
int sbx_set_network(sbx_t *sbx, int mode);

/** The network mode (enum sbx_net_mode), or -EINVAL when sbx is NULL. */
int sbx_get_network(const sbx_t *sbx);

/** On/off switches of sbx_set_flag().  Append-only. */
enum sbx_flag {
	/* A denied system call kills the program (SIGSYS) instead of
	 * failing with EPERM.  Calls that answer "not here" still do:
	 * clone3 and openat2 ENOSYS, an address family other than
	 * AF_UNIX, AF_INET, AF_INET6 and netlink's route EAFNOSUPPORT. */
	SBX_FLAG_SECCOMP_KILL = 0,
	/* Map only the caller's id into the sandbox, even when a range of
	 * ids could be mapped. */
	SBX_FLAG_SINGLE_ID = 1,
	/* Keep CAP_SETUID and CAP_SETGID inside the sandbox's user
	 * namespace (every other capability is still dropped), so programs
	 * that switch users (package managers, subprocess with user=) work.
	 * They reach only the ids mapped into the sandbox, which own nothing
	 * on the host; with a single mapped id there is nothing to switch
	 * to.  The result's layers then say "caps:setid". */
	SBX_FLAG_ALLOW_SETID = 2,
	/* When user namespaces cannot be created (user.max_user_namespaces=0,
	 * AppArmor's restriction, a container's seccomp profile), run anyway
	 * with the layers that remain instead of refusing: Landlock for the
	 * filesystem, TCP and the scoping of abstract sockets and signals,
	 * seccomp with sockets denied (socketpair() stays), and chmod,
	 * chown, times, xattrs, inode flags (chattr) and inotify/fanotify
	 * denied (Landlock does not cover them, and the program runs as the
	 * caller), as are prlimit64(), setpriority(), ioprio_set() and the
	 * sched_set*() calls on any process but its own (pid 0: the
	 * caller's other processes could be named and crippled), the limits
	 * (the sandbox's cgroup where one can be made, else rlimits;
	 * RLIMIT_NPROC then counts the caller's processes on the host), a
	 * scrubbed environment and closed descriptors.  A kernel whose
	 * Landlock is older than ABI 6 (Linux 6.12) still refuses: nothing
	 * would keep the host's files, signals or abstract sockets from the
	 * program.  So does a copy-on-write workspace
	 * (SBX_WORKSPACE_RW: it needs a mount namespace; RW_LIVE and RO
	 * work), and a bind to another path.  SBX_FLAG_ALLOW_SETID does
	 * nothing there (no user namespace to keep the capabilities in).
	 * The result says what ran (SBX_RESULT_DEGRADED and the JSON keys
	 * "layers", "degraded" and "degraded_reason") and what such a run
	 * does not hide ("degraded_not_hidden": the host's processes and
	 * their command lines, and more; null with namespaces). */
	SBX_FLAG_ALLOW_DEGRADED = 3,
	/* Nothing in the sandbox is writable: not /tmp, the home, /dev/shm
	 * or /dev/mqueue (POSIX message queues cannot be opened) either.
	 * A writable workspace or bind is then an error of sbx_exec(). */
	SBX_FLAG_READ_ONLY = 4,
	/* A terminal of the sandbox's own: a pseudo-terminal opened in the
	 * sandbox's devpts (it counts against SBX_LIMIT_PTYS) becomes the
	 * controlling terminal of the program's session (setsid) and its
	 * stdout, so programs that buffer or drop colours when not on a
	 * terminal stream as they would on one.  The supervisor relays the
	 * terminal's output to stdout's destination (capped) and copies the
	 * window size of the caller's terminal, at the start and on
	 * SIGWINCH, when one of the caller's fds 0..2 is a terminal (else
	 * 80x24).  stdin is the terminal too when it comes from a terminal
	 * or is SBX_STDIO_PIPE (what the caller writes is typed: echoed and
	 * line-edited; at its end the supervisor types the EOF character);
	 * else (a file, a pipe, NULL, sbx_set_input()) it stays a pipe.
	 * stderr is the terminal too when it goes where stdout goes (the
	 * same terminal or file): its output then arrives in stdout's stream
	 * (a result's stderr is empty); else it stays a pipe to its own
	 * destination.  Not part of a policy; kept by presets.  Without
	 * namespaces (SBX_FLAG_ALLOW_DEGRADED) the terminal comes from the
	 * host's /dev/ptmx and SBX_LIMIT_PTYS is not enforced. */
	SBX_FLAG_PTY = 5,
	/* Let the program change paths the host runs or trusts (see enum
	 * sbx_workspace_mode): a copy-on-write workspace applies them, and
	 * the symlinks it made that lead out of the workspace, and writable
	 * binds leave them writable.  Only for programs trusted like the
	 * developer: a core.fsmonitor line in .git/config runs at the next
	 * `git status`.  The apply's write permission rule is not lifted. */
	SBX_FLAG_ALLOW_TRUSTED_PATHS = 6,
	SBX_FLAG_MAX
};

/** Returns 0, or -EINVAL (unknown flag), -EBUSY. */
int sbx_set_flag(sbx_t *sbx, int flag, int on);

/**
 * Whether a flag is on: 1 or 0 (every flag is off by default), or
 * -EINVAL when sbx is NULL or the flag is unknown.
 */
int sbx_get_flag(sbx_t *sbx, int flag);

/**
 * A new handle with the configuration of sbx: everything the sbx_set_*()
 * functions, sbx_add_bind(), sbx_limit(), sbx_set_syscall(),
 * sbx_require_layer() and the policy functions set (standard streams,
 * input and SBX_FLAG_PTY included), and nothing of a run (no result,
 * nothing running, no error message).  sbx may be running.  An
 * SBX_STDIO_FD descriptor is the same number: the caller keeps it open
 * for both handles.  Destroy the copy with sbx_destroy().
 *
 * Returns 0 and stores the copy in *ret_sbx, or
 *   -EINVAL  sbx or ret_sbx is NULL
 *   -ENOMEM  out of memory
 */
int sbx_dup(const sbx_t *sbx, sbx_t **ret_sbx);

/* ------------------------------------------------------------------ */
/* Running                                                             */
/* ------------------------------------------------------------------ */

/**
 * Start argv[0] with arguments argv (NULL-terminated) in a new sandbox.
 * argv[0] without a '/' is looked up in the sandbox's PATH.  Returns as
 * soon as the supervisor is started: a program that cannot be found or
 * a sandbox that cannot be built is reported by the result
 * (SBX_STATUS_SETUP_ERROR), not here.
 *
 * Returns 0, or
 *   -EINVAL  argv is NULL or empty, or SBX_FLAG_READ_ONLY is set with a
 *            writable workspace or bind
 *   -EBUSY   a sandbox is already running on this handle
 *   -ENOENT  the supervisor executable is missing, a directory, or not
 *            executable (see sbx_last_error())
 *   -EPROTO  the supervisor exited before reading its configuration
 *            (SBX_SUPERVISOR names something that is not one)
 *   -EMFILE  the calling process has no free file descriptors
 *   -ENFILE, -ENOMEM, -EAGAIN  out of resources
 */
int sbx_exec(sbx_t *sbx, const char *const *argv);

/** What sbx_fd() returns.  Append-only. */
enum sbx_fd_kind {
	SBX_FD_STDIN = 0,   /* write end of the stdin pipe (SBX_STDIO_PIPE) */
	SBX_FD_STDOUT = 1,  /* read end of the stdout pipe (SBX_STDIO_PIPE) */
	SBX_FD_STDERR = 2,  /* read end of the stderr pipe (SBX_STDIO_PIPE) */
	SBX_FD_STATUS = 3,  /* a pipe that reaches EOF once the result is
			     * ready: watch it or read it, then call
			     * sbx_try_wait() (it carries no data) */
	SBX_FD_KIND_MAX
};

/**
 * A descriptor of the running sandbox, owned by the handle (do not close
 * it, except SBX_FD_STDIN, which the caller may close with
 * sbx_close_stdin()).  Valid until sbx_wait() returns.  SBX_FD_STDIN is
 * the write end of a pipe, written by the caller: once the sandbox has
 * ended, a write() fails with EPIPE and, as on any pipe, raises SIGPIPE
 * unless the caller ignores or blocks it.  The library's own writes never
 * raise SIGPIPE.
 *
 * Returns the fd, or
 *   -EINVAL  kind unknown
 *   -EBADF   no such descriptor (stream not in PIPE mode, or closed)
 *   -ECHILD  no sandbox is running
 */
int sbx_fd(const sbx_t *sbx, int kind);

/** Close the stdin pipe (EOF for the program).  Returns 0, -EBADF, -ECHILD. */
int sbx_close_stdin(sbx_t *sbx);

/**
 * Like sbx_fd(), but the descriptor becomes the caller's: the handle
 * forgets it, and the caller must close it (for runtimes whose stream
 * objects own their descriptor, such as Node's net.Socket or Python's
 * os.fdopen).  Taking SBX_FD_STDIN means the program sees EOF only when
 * the caller closes it.
 *
 * Returns the fd, or -EINVAL, -EBADF (not available or already taken),
 * -ECHILD (nothing running).
 */
int sbx_take_fd(sbx_t *sbx, int kind);

/**
 * Wait for the running sandbox to end and collect its result.  Streams in
 * SBX_STDIO_CAPTURE mode are read meanwhile (sbx_output()).  Streams in
 * SBX_STDIO_PIPE mode are the caller's to read: read them to EOF, or the
 * program may block on a full pipe.
 *
 * The supervisor finishes its cleanup (the sandbox's cgroup) after it
 * answered; sbx_destroy() and the next sbx_exec() wait for that, so nothing
 * of a run outlives the handle's next step.
 *
 * Returns 0 once the result is kept on the handle (also when the run ended
 * in a setup error: see SBX_RESULT_STATUS), or
 *   -ECHILD  no sandbox was started
 *   -EPROTO  the supervisor died without a result (message says how)
 *   -EINTR   never: interrupted waits are resumed
 */
int sbx_wait(sbx_t *sbx);

/**
 * Like sbx_wait() but never blocks: returns -EAGAIN while the sandbox is
 * still running.  For event loops that watch SBX_FD_STATUS.
 */
int sbx_try_wait(sbx_t *sbx);

/**
 * Kill the running sandbox (every process in it).  The result will say
 * SBX_STATUS_KILLED.  Returns 0, or -ECHILD when nothing runs.
 */
int sbx_kill(sbx_t *sbx);

/**
 * Send a signal to the running program (the process sbx_exec() started,
 * not the processes it started itself): SIGHUP, SIGINT, SIGQUIT,
 * SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGCONT, SIGTSTP or SIGWINCH, so
 * that it can stop cleanly, reload or pause; sbx_kill() ends the whole
 * sandbox.  The supervisor relays it to the sandbox's init, which sends
 * it to the program while it has not reaped it: it never reaches another
 * process that got the program's pid.  It is sent asynchronously: one
 * that reaches the sandbox after the program ended is dropped.  The
 * result tells how the program ended (a program that does not handle
 * SIGTERM ends SBX_STATUS_SIGNALED with SBX_RESULT_SIGNAL 15).
 *
 * Returns 0, or
 *   -EINVAL  sbx is NULL, or the signal is not one of those above
 *            (SIGKILL: use sbx_kill())
 *   -ECHILD  nothing runs on this handle, or the program has ended
 *            (sbx_wait() collects its result)
 *   -EAGAIN  the supervisor's control socket is full; try again
 */
int sbx_signal(sbx_t *sbx, int sig);

/**
 * The pid of the running sandbox's supervisor: the caller's child
 * process that builds, watches and reports the sandbox.  It is not the
 * program's: the program runs in a PID namespace of its own (its pid
 * inside is small and means nothing outside), and a pid of a process
 * that is not the caller's child can be reused by another process as
 * soon as it ends, so signalling it would be unsafe (use sbx_signal()).
 * The supervisor's pid stays the caller's child's until sbx_wait(),
 * sbx_try_wait() or sbx_destroy() reaps it: fit for accounting, process
 * listings, or a pidfd_open() while the run lasts.  Do not waitpid() it:
 * the handle does.
 *
 * Returns the pid, or
 *   -EINVAL  sbx is NULL
 *   -ECHILD  nothing runs on this handle
 */
pid_t sbx_pid(const sbx_t *sbx);

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

/** How a run ended.  Append-only. */
enum sbx_status {
	SBX_STATUS_EXITED = 0,        /* the program exited; see EXIT_CODE */
	SBX_STATUS_SIGNALED = 1,      /* killed by a signal; see SIGNAL */
	SBX_STATUS_TIMEOUT = 2,       /* SBX_LIMIT_WALL_MS reached */
	SBX_STATUS_SETUP_ERROR = 3,   /* the sandbox could not be built */
	SBX_STATUS_CPU_LIMIT = 4,     /* SBX_LIMIT_CPU_MS reached */
	SBX_STATUS_MEMORY_LIMIT = 5,  /* killed by the memory limit */
	SBX_STATUS_PIDS_LIMIT = 6,    /* failed at the process limit */
	SBX_STATUS_KILLED = 7,        /* sbx_kill() or the caller went away */
	SBX_STATUS_MAX
};

/** Fields of the result.  Append-only. */
enum sbx_result_field {
	SBX_RESULT_STATUS = 0,            /* enum sbx_status */
	SBX_RESULT_EXIT_CODE = 1,         /* exit code when the program
					   * exited by itself: EXITED, or
					   * PIDS_LIMIT / MEMORY_LIMIT when
					   * it failed at the limit with a
					   * code; else 0, which is not a
					   * success: read STATUS first (the
					   * JSON's exit_code is null) */
	SBX_RESULT_SIGNAL = 2,            /* signal number, else 0 */
	SBX_RESULT_WALL_MS = 3,           /* wall time of the run */
	SBX_RESULT_CPU_USER_MS = 4,       /* user CPU of the whole sandbox */
	SBX_RESULT_CPU_SYSTEM_MS = 5,     /* system CPU of the whole sandbox */
	SBX_RESULT_PEAK_MEMORY = 6,       /* bytes, 0 when unknown */
	SBX_RESULT_STDOUT_TRUNCATED = 7,  /* 1 when output was dropped */
	SBX_RESULT_STDERR_TRUNCATED = 8,
	SBX_RESULT_SETUP_ERRNO = 9,       /* errno of a setup error */
	SBX_RESULT_ID_RANGE = 10,         /* how many ids were mapped */
	SBX_RESULT_DISK_FULL = 11,        /* 1 when the disk budget was hit */
	SBX_RESULT_WORKSPACE_CHANGES = 12, /* entries applied to a RW
					    * workspace after the run */
	SBX_RESULT_DEGRADED = 13,         /* 1 when the run had no namespaces
					   * (SBX_FLAG_ALLOW_DEGRADED) */
	SBX_RESULT_WITHHELD = 14,         /* changes to trusted paths of a RW
					   * workspace, and symlinks out of
					   * it, that were not applied (the
					   * JSON's "withheld" lists them) */
	SBX_RESULT_UNAPPLIED = 15,        /* changes to a RW workspace the
					   * host had no room for (a full
					   * disk): kept in a new directory
					   * /var/tmp/sbx-unapplied-XXXXXX of
					   * the caller's, mode 0700, which
					   * the message and the JSON's
					   * workspace.unapplied_dir name
					   * (null when even that failed: the
					   * message says how many were
					   * lost).  Nothing half-written is
					   * ever left in the workspace */
	SBX_RESULT_FIELD_MAX
};

/**
 * One field of the last result.
 *
 * Returns the value (never negative), or
 *   -EINVAL  field unknown
 *   -ENODATA no result yet (nothing ran, or still running)
 */
int64_t sbx_result(const sbx_t *sbx, int field);

/**
 * Why the last run ended, in one sentence: the limit that fired, the signal,
 * the setup step that failed and what to do ("" for a plain exit).  NULL
 * when there is no result.  Valid until the next sbx_exec() or
 * sbx_destroy().
 */
const char *sbx_result_message(const sbx_t *sbx);

/**
 * The last result as one JSON object (the format of `sbx run
 * --json-result`; keys are documented in the README).  Never NULL after a
 * successful sbx_wait(); NULL when there is no result.  Valid until the
 * next sbx_exec() or sbx_destroy().
 */
const char *sbx_result_json(const sbx_t *sbx);

/**
 * The layers of protection the last run had, separated by one space, as
 * the result's "layers" ("userns pidns mountns ... landlock-abi7:fs,scope
 * cgroup-v1:memory,pids,cpu"; the names sbx_require_layer() takes).
 * NULL when there is no result; "" when the run ended before the sandbox
 * was built.  Valid until the next sbx_exec() or sbx_destroy().
 */
const char *sbx_result_layers(const sbx_t *sbx);

/**
 * Why the last run had no namespaces (SBX_FLAG_ALLOW_DEGRADED; the
 * result's "degraded_reason"): what kept user namespaces from this host.
 * "" when the run had them; NULL when there is no result.  Valid until
 * the next sbx_exec() or sbx_destroy().
 */
const char *sbx_result_degraded_reason(const sbx_t *sbx);

/**
 * The step a setup error failed at (the result's setup_error.step, as
 * in README's "Results": "exec" when the program could not be run, its
 * errno SBX_RESULT_SETUP_ERRNO; "mount", "require", ...).  "" when the
 * last run had no setup error; NULL when there is no result.  Valid
 * until the next sbx_exec() or sbx_destroy().
 */
const char *sbx_result_setup_step(const sbx_t *sbx);

/**
 * Output collected from stream 1 or 2 in SBX_STDIO_CAPTURE mode.
 *
 * Returns 0 and stores a pointer (owned by the handle, valid until the
 * next sbx_exec() or sbx_destroy(); not NUL-terminated) and its length,
 * or -EINVAL (stream is not 1 or 2), -ENODATA (no result yet).
 */
int sbx_output(const sbx_t *sbx, int stream, const char **ret_data,
	       size_t *ret_len);

/* ------------------------------------------------------------------ */
/* Policies, required layers and the host                              */
/* ------------------------------------------------------------------ */

/**
 * Require a layer of protection: a run on a host that cannot enforce it
 * ends in SBX_STATUS_SETUP_ERROR (step "require") with a message naming
 * the layer and why it is missing, instead of running without it.  Names
 * are those of the result's "layers": userns, pidns, mountns, netns,
 * ipcns, utsns, cgroupns, caps, nnp, seccomp, landlock, cgroup,
 * read-only.  A name matches a layer of that name and the layers that
 * detail it ("landlock" matches "landlock-abi7:fs,scope", "cgroup"
 * matches "cgroup-v2:memory,pids"); "landlock-abiN" needs Landlock ABI N
 * or later.  layer NULL removes every requirement.
 *
 * Returns 0, or
 *   -EINVAL  the name is not a known layer
 *   -E2BIG   too many requirements (more than 32)
 *   -EBUSY   a sandbox is running on this handle
 *   -ENOMEM  out of memory
 */
int sbx_require_layer(sbx_t *sbx, const char *layer);

/** What sbx_set_syscall() does with a system call.  Append-only. */
enum sbx_syscall_action {
	SBX_SYSCALL_ALLOW = 0, /* allowed, even if the built-in list denies it */
	SBX_SYSCALL_DENY = 1,  /* fails with the errno given; 0 means the
				* handle's action: EPERM, or a kill with
				* SBX_FLAG_SECCOMP_KILL */
	SBX_SYSCALL_KILL = 2,  /* kills the program (SIGSYS) */
	SBX_SYSCALL_ACTION_MAX
};

/**
 * Add a rule for one system call (by name, as in "ptrace" or "socket") to
 * the seccomp filter; it replaces the built-in rule for that call, and an
 * earlier sbx_set_syscall() for the same name.  err is the errno of
 * SBX_SYSCALL_DENY (1..4095, or 0) and must be 0 otherwise.  name NULL
 * removes every rule added.  Calls the filter cannot do without (clone,
 * clone3, unshare, setns, ioctl, personality, io_uring_*; the calls that
 * take a file mode, whose set-id bits are refused: chmod, fchmod,
 * fchmodat, fchmodat2, open, openat, openat2, creat, mknod, mknodat; and
 * socket and socketpair, whose address families are limited) cannot be
 * allowed: that would let the program around the filter.  Denying them
 * is fine.
 *
 * Returns 0, or
 *   -EINVAL  unknown system call name, unknown action, err out of range,
 *            or ALLOW of a call that must stay filtered
 *   -E2BIG   too many rules (more than 512)
 *   -EBUSY   a sandbox is running on this handle
 *   -ENOMEM  out of memory
 */
int sbx_set_syscall(sbx_t *sbx, const char *name, int action, int err);

/**
 * Apply a policy: a JSON document whose keys say what the functions of
 * this header say (workspace, cwd, binds, env, network, read_only,
 * single_id, allow_setid, allow_degraded, allow_trusted_paths, require,
 * limits, seccomp; the reference is docs/policy.md).  Lists are added to what the handle
 * has; a "preset" key first resets the handle's policy to that preset.
 * The whole document is checked before anything is applied: on failure
 * the handle is unchanged and sbx_last_error() names the file, the line
 * and the key.
 * Relative paths are relative to the file's directory (to the current
 * directory for a string); "~/" is the caller's home.  Standard streams,
 * input and SBX_FLAG_PTY are not part of a policy.
 *
 * Returns 0, or
 *   -EINVAL  not JSON, an unknown key, a wrong type or a bad value
 *   -ENOENT  no such policy file, or a path it names does not exist
 *   -EACCES  the file, or a path it names, cannot be read
 *   -E2BIG   the document is larger than 1 MiB, or too many binds
 *   -EBUSY   a sandbox is running on this handle
 *   -ENOMEM  out of memory
 */
int sbx_policy_load_file(sbx_t *sbx, const char *path);
int sbx_policy_load_string(sbx_t *sbx, const char *json);

/**
 * Reset the handle's policy (everything but standard streams, input and
 * SBX_FLAG_PTY) to a preset shipped with the library:
 *   "default"  what sbx_create() gives
 *   "strict"   nothing writable, no sockets at all, a tighter system call
 *              set, small limits
 *   "build"    offline builds (compilers, pip from local wheels, npm from
 *              its local cache): larger limits, package managers told to
 *              stay offline, their caches bound read-only when present
 *
 * Returns 0, or -EINVAL (unknown name), -EBUSY, -ENOMEM.
 */
int sbx_policy_preset(sbx_t *sbx, const char *name);

/** Formats of sbx_policy_export().  Append-only. */
enum sbx_policy_format {
	SBX_POLICY_JSON = 0,           /* the effective policy as a policy
					* document */
	SBX_POLICY_DOCKER_SECCOMP = 1, /* the seccomp filter as a Docker/OCI
					* seccomp profile */
	SBX_POLICY_FORMAT_MAX
};

/**
 * The handle's effective policy in a format.  The SBX_POLICY_JSON
 * document is complete: sbx_policy_load_string() of it on a new handle
 * gives the same policy.
 *
 * Returns the text, owned by the handle and valid until the next
 * sbx_policy_export(), sbx_policy_explain() or sbx_destroy(); or NULL
 * when sbx is NULL, the format is unknown (sbx_last_errno() EINVAL) or
 * memory ran out (ENOMEM); sbx_last_error() says which.
 */
const char *sbx_policy_export(sbx_t *sbx, int format);

/**
 * Explain what the policy does with a path inside the sandbox (one that
 * starts with '/') or a system call (a name such as "ptrace"): whether
 * the program may read, write or execute the path, or make the call, and
 * which rule decides.
 *
 * Returns a JSON object (its keys are in docs/policy.md), owned by the
 * handle like the text of sbx_policy_export(); or NULL when what is NULL,
 * empty, a relative path or an unknown system call (sbx_last_errno()
 * EINVAL) or memory ran out (ENOMEM); sbx_last_error() says which.
 */
const char *sbx_policy_explain(sbx_t *sbx, const char *what);

/**
 * Check what this host allows, in the supervisor (the process that will
 * build the sandboxes): the kernel, user namespaces and what blocks them
 * (sysctls, AppArmor, a container), the other namespaces and mounts in a
 * user namespace, the id range, seccomp and user notification, the
 * Landlock ABI, the cgroup version, its controllers and whether the
 * caller may create a subtree, overlayfs in a user namespace, pidfd and
 * clone3.  Runs nothing of the caller's; takes milliseconds.
 *
 * Returns 0 when the default policy can run here, 1 when it cannot (the
 * report says why and how to fix it), or
 *   -EINVAL  sbx is NULL
 *   -ENOENT  the supervisor executable is missing
 *   -EPROTO  the supervisor gave no report
 *   -ENOMEM, -EMFILE, -ENFILE, -EAGAIN  out of resources
 */
int sbx_probe_host(sbx_t *sbx);

/**
 * The report of the last sbx_probe_host() as one JSON object (the format
 * of `sbx doctor --json`), owned by the handle and valid until the next
 * sbx_probe_host() or sbx_destroy(); NULL before the first.
 */
const char *sbx_probe_report(const sbx_t *sbx);

#ifdef __cplusplus
}
#endif

#endif /* SANDBOX_H */

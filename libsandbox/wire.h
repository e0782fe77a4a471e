/* wire.h - the private protocol between libsandbox and its supervisor. */
#ifndef SBX_WIRE_H
#define SBX_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "limit-table.h"
#include "sandbox.h"

/* Both ends come from one build: a mismatch is a setup error, not a guess. */
#define SBX_WIRE_MAGIC 0x53425831u /* "SBX1" */
#define SBX_WIRE_VERSION 8u

/* The supervisor's descriptors, placed by posix_spawn file actions. */
#define SBX_SUP_FD_CTL 3
#define SBX_SUP_FD_DONE 4 /* closed once the result is written */

/* Config records: [u16 type][u16 pad][u32 len][len bytes], 8-aligned. */
enum sbx_wire_type {
	SBX_W_END = 0,
	SBX_W_ARG = 1,        /* one argv string */
	SBX_W_ENV = 2,        /* one "NAME=VALUE" */
	SBX_W_BIND = 3,       /* u32 flags, src\0, dst\0 */
	SBX_W_WORKSPACE = 4,  /* u32 mode, path\0 */
	SBX_W_CWD = 5,        /* path\0 */
	SBX_W_LIMIT = 6,      /* u32 kind, u32 pad, u64 value */
	SBX_W_NET = 7,        /* u32 mode */
	SBX_W_FLAGS = 8,      /* u32 flag bits (1 << enum sbx_flag) */
	SBX_W_STDIO = 9,      /* u32 enum sbx_relay bits */
	SBX_W_INPUT = 10,     /* raw bytes for stdin */
	SBX_W_SECCOMP = 11,   /* struct sock_filter[] */
	SBX_W_MASK = 12,      /* path\0 of a host file to hide */
	SBX_W_HOME = 13,      /* path\0 of HOME inside */
	/* policy (supervisor/layers.c, degraded.c) */
	SBX_W_REQUIRE = 14,   /* name\0 of a required layer */
	SBX_W_SECCOMP_DEGRADED = 15, /* struct sock_filter[] without namespaces */
	SBX_W_TYPE_MAX
};

/*
 * SBX_W_STDIO: what the supervisor does with each stream.  The program's
 * fds 0..2 are always the supervisor's pipes or the sandbox's terminal;
 * the supervisor's own fds 0..2 (placed by posix_spawn) are the library's
 * pipes, the caller's descriptors, or /dev/null.
 */
enum sbx_relay {
	SBX_RELAY_STDOUT = 1u << 0, /* stdout to its fd 1 (else dropped) */
	SBX_RELAY_STDERR = 1u << 1, /* stderr to its fd 2 (else dropped) */
	SBX_RELAY_INPUT = 1u << 2,  /* stdin: the bytes of SBX_W_INPUT */
	SBX_RELAY_STDIN = 1u << 3,  /* stdin: what its fd 0 gives (neither:
				     * an empty pipe) */
	SBX_RELAY_SHARED_IN = 1u << 4, /* its fd 0, 1, 2 is the caller's own */
	SBX_RELAY_SHARED_OUT = 1u << 5, /* open file description: its flags */
	SBX_RELAY_SHARED_ERR = 1u << 6, /* are never changed */
	SBX_RELAY_PTY_IN = 1u << 7,  /* SBX_FLAG_PTY: stdin is the terminal */
	SBX_RELAY_MERGE_ERR = 1u << 8, /* stderr goes where stdout goes: the
					* program's fds 1 and 2 are one pipe
					* (or the terminal), in order */
};
#define SBX_RELAY_SHARED(i) ((uint32_t)SBX_RELAY_SHARED_IN << (i))

struct sbx_wire_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t length; /* bytes of records that follow */
	uint32_t pad;
};

struct sbx_wire_rec {
	uint16_t type;
	uint16_t pad;
	uint32_t length;
};

/* Where a setup error happened (the result's setup step). */
enum sbx_step {
	SBX_STEP_NONE = 0,
	SBX_STEP_CONFIG,
	SBX_STEP_CGROUP,
	SBX_STEP_CLONE,
	SBX_STEP_IDMAP,
	SBX_STEP_NETWORK,
	SBX_STEP_MOUNT,
	SBX_STEP_WORKSPACE,
	SBX_STEP_BIND,
	SBX_STEP_PROC,
	SBX_STEP_DEV,
	SBX_STEP_PIVOT,
	SBX_STEP_HOSTNAME,
	SBX_STEP_RLIMIT,
	SBX_STEP_FDS,
	SBX_STEP_CAPS,
	SBX_STEP_SECCOMP,
	SBX_STEP_CWD,
	SBX_STEP_FORK,
	SBX_STEP_EXEC,
	SBX_STEP_LANDLOCK,
	SBX_STEP_REQUIRE,  /* a required layer is missing */
	SBX_STEP_DEGRADED, /* the degraded sandbox cannot be built */
	SBX_STEP_MAX
};

/* How a limit was enforced. */
enum sbx_mech {
	SBX_MECH_NONE = 0,
	SBX_MECH_CGROUP2,
	SBX_MECH_CGROUP1,
	SBX_MECH_RLIMIT,
	SBX_MECH_TMPFS,
	SBX_MECH_SUPERVISOR,
	SBX_MECH_DEVPTS,
	SBX_MECH_MAX
};

struct sbx_wire_limit {
	uint64_t value;
	uint32_t mechanism; /* enum sbx_mech */
	uint32_t fired;
};

/* The supervisor's one answer, then msg_len + layers_len + reason_len +
 * withheld_len bytes of text. */
struct sbx_wire_result {
	uint32_t magic;
	uint32_t status;        /* enum sbx_status */
	int32_t exit_code;
	int32_t signal;
	uint64_t wall_ms;
	uint64_t cpu_user_ms;
	uint64_t cpu_system_ms;
	uint64_t peak_memory;
	uint32_t truncated[3];  /* by stream */
	int32_t setup_errno;
	uint32_t setup_step;    /* enum sbx_step */
	uint32_t id_range;
	uint32_t disk_full;
	uint32_t workspace_changes;
	int32_t workspace_apply_errno;
	uint32_t msg_len;
	uint32_t layers_len;
	struct sbx_wire_limit limits[SBX_LIMIT_KIND_MAX];
	/* policy: the run had no namespaces; why (reason_len bytes of text
	 * after the layers) */
	uint32_t degraded;
	uint32_t reason_len;
	/* trusted paths the apply left alone: how many, and withheld_len
	 * bytes of NUL-terminated paths after the reason (as many as fit) */
	uint32_t withheld;
	uint32_t withheld_len;
	/* changes the apply had no room for: how many (kept or lost), and
	 * unapplied_dir_len bytes after the withheld paths: the directory
	 * that keeps them, empty when none does */
	uint32_t unapplied;
	uint32_t unapplied_dir_len;
};

/* A growable byte buffer. */
struct sbx_buf {
	char *data;
	size_t len;
	size_t cap;
};

int sbx_buf_reserve(struct sbx_buf *b, size_t extra);
int sbx_buf_append(struct sbx_buf *b, const void *data, size_t len);
void sbx_buf_free(struct sbx_buf *b);

/* Append one record; returns 0 or -ENOMEM. */
int sbx_wire_put(struct sbx_buf *b, uint16_t type, const void *data,
		 size_t len);
int sbx_wire_put_str(struct sbx_buf *b, uint16_t type, const char *s);
int sbx_wire_put_u32(struct sbx_buf *b, uint16_t type, uint32_t v);

/* Iterate over records in [data, data+len): returns 1 and fills the
 * record, 0 at the end, -EBADMSG on a malformed stream. */
struct sbx_wire_iter {
	const char *pos;
	const char *end;
};
int sbx_wire_next(struct sbx_wire_iter *it, uint16_t *ret_type,
		  const char **ret_data, uint32_t *ret_len);

const char *sbx_step_name(uint32_t step);
const char *sbx_mech_name(uint32_t mech);

/* Read or write exactly len bytes, resuming after EINTR; 0 or -errno
 * (-EPIPE on a short read at EOF). */
int sbx_read_full(int fd, void *data, size_t len);
int sbx_write_full(int fd, const void *data, size_t len);
/* The same on a socket, with EPIPE instead of SIGPIPE. */
int sbx_send_full(int fd, const void *data, size_t len);

#endif

/* sup.h - the supervisor's private interfaces. */
#ifndef SBX_SUP_H
#define SBX_SUP_H

#include <linux/filter.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

#include "cgroup.h"
#include "sandbox.h"
#include "sup-policy.h"
#include "util.h"
#include "wire.h"

/* The new mount API's constants (linux/mount.h), where the C library's
 * headers are older than the kernel: mounts.c and idmap.c. */
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
/* mount_setattr()'s argument: struct mount_attr, by another name so as
 * not to meet the C library's */
struct sup_mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

/* Inside uid/gid ranges for a root caller start here: a block that
 * systemd documents as unused, so it owns nothing on the host. */
#define SBX_ROOT_ID_BASE 1879048192u
#define SBX_ID_RANGE 65536u

struct sup_bind {
	const char *src;
	const char *dst;
	uint32_t flags;
};

/* What the library sent (config.c), as it sent it; what the supervisor
 * decides for the run goes in struct sup_plan. */
struct sup_config {
	char *raw; /* owns every string below */
	char **argv;
	size_t argc;
	char **envp;
	size_t n_env;
	struct sup_bind *binds;
	size_t n_binds;
	const char *workspace;
	uint32_t workspace_mode;
	const char *cwd;
	const char *home;
	uint64_t limits[SBX_LIMIT_KIND_MAX];
	uint32_t net;
	uint32_t flags;
	uint32_t relay; /* enum sbx_relay (wire.h) */
	const char *input;
	size_t input_len;
	const struct sock_filter *bpf;
	unsigned short bpf_count;
	const char **masks;
	size_t n_masks;
	struct sup_policy pol; /* sup-policy.h */
};

/* The monotonic clock, nanoseconds: the run's wall time (main.c,
 * watch.c) and the memory watch's cost (memwatch.c). */
static inline uint64_t sup_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline int sup_flag(const struct sup_config *c, int flag)
{
	return (c->flags >> flag) & 1;
}

/* config.c: read the configuration from fd, or decode the records (raw,
 * len bytes after the header; cfg owns raw from then on, also on
 * failure).  0, or -errno with err saying what was wrong. */
int sup_config_read(int fd, struct sup_config *cfg, char *err, size_t errlen);
int sup_config_parse(struct sup_config *cfg, char *raw, size_t len, char *err,
		     size_t errlen);
/* What cfg holds (the supervisor itself never frees it: it exits). */
void sup_config_free(struct sup_config *cfg);

/* A record on the report socket (a SOCK_SEQPACKET pair) from the
 * sandbox to the supervisor: one message each. */
enum sup_report_kind {
	SUP_REPORT_SETUP = 1, /* a setup step failed */
	SUP_REPORT_EXIT = 2,  /* the program ended: wait status */
	SUP_REPORT_FS = 3,    /* with fds: the root tmpfs, the upper dir */
	SUP_REPORT_PTY = 4,   /* with an fd: the sandbox's terminal's master */
	SUP_REPORT_MEM = 5,   /* with fds: the memfd tmpfs, sysvipc/shm */
	SUP_REPORT_NOTIFY = 6, /* with an fd: the memfd_create() listener */
	/* the other way, supervisor to sandbox (idmap.c) */
	SUP_MSG_IDMAP = 7,     /* with an fd: the idmapped tree of source
				* step (0 the workspace, 1 + i bind i) */
	SUP_MSG_IDMAP_END = 8, /* no more trees */
	SUP_REPORT_SOCKS = 9,  /* with an fd: sock_diag in the sandbox's
				* network namespace (sockmem.c) */
};

/* report.c: one record, with up to SUP_RECORD_FDS descriptors.  Send:
 * 0 or -errno.  Receive: the bytes of the record or -errno; fds filled
 * (-1 where none came, close-on-exec), *ret_n how many came. */
#define SUP_RECORD_FDS 2
struct sup_report;
int sup_send_record(int sock, const struct sup_report *rep, const int *fds,
		    int n);
ssize_t sup_recv_record(int sock, struct sup_report *rep, int *fds,
			int *ret_n);

struct sup_report {
	uint32_t kind;
	uint32_t step;
	int32_t err;
	int32_t wstatus;
	char msg[496];
};

/* fail.c (in the sandbox): report a failed step and exit.
 * Async-signal-safe enough for the sandbox's single thread. */
__attribute__((noreturn, format(printf, 4, 5))) void
child_fail(int report_fd, enum sbx_step step, int err, const char *fmt, ...);
/* 1 when the supervisor's end of the report socket is closed (it died):
 * after an id switch, which clears the parent-death signal. */
int sandbox_supervisor_gone(int report_fd);

/* namespaces.c */
struct sup_ids {
	uid_t uid;          /* the caller's */
	gid_t gid;
	uid_t inside_root;  /* what inside uid 0 is on the host */
	gid_t inside_root_gid;
	uint32_t range;     /* ids mapped in all */
	int newidmap;       /* via newuidmap/newgidmap */
	uid_t sub_uid;      /* first id of the extra range */
	gid_t sub_gid;
	uint32_t sub_count;
	int host_root;      /* the caller is the host's root */
};
void sup_ids_choose(const struct sup_config *cfg, struct sup_ids *ids);
pid_t sup_clone(unsigned long flags, int cgroup_fd, int *ret_pidfd,
		int *ret_in_cgroup);
int sup_write_idmaps(pid_t pid, const struct sup_ids *ids, char *err,
		     size_t errlen);
int sup_userns_diagnose(int err, char *msg, size_t len);

/* mounts.c (in the sandbox, after the go) */
void sandbox_open_sources(const struct sup_config *cfg, int report_fd);
struct sup_plan;
void sandbox_build_root(const struct sup_config *cfg,
			const struct sup_plan *plan, int report_fd);
/* SBX_FLAG_READ_ONLY: remount the root read-only (after the fds, before
 * the capabilities go). */
void sandbox_root_read_only(const struct sup_config *cfg, int report);
/* Use the idmapped tree fd for source index (idmap.c's numbering). */
void sandbox_use_tree(uint32_t index, int fd, int report);
/* openat2(2) with resolve flags (SUP_RESOLVE_*): an fd, or -1 and errno. */
#define SUP_RESOLVE_NO_XDEV 0x01
#define SUP_RESOLVE_NO_MAGICLINKS 0x02
#define SUP_RESOLVE_NO_SYMLINKS 0x04
#define SUP_RESOLVE_BENEATH 0x08
#define SUP_RESOLVE_IN_ROOT 0x10
int sup_openat2(int dfd, const char *path, int flags, uint64_t resolve);

/* idmap.c: idmapped binds for a caller that is the host's root */
int sup_idmap_wanted(const struct sup_config *cfg, const struct sup_ids *ids);
int sup_idmap_send(const struct sup_config *cfg, const struct sup_ids *ids,
		   pid_t init, int sock, char *err, size_t errlen);
void sandbox_idmap_receive(int sock, int report);
int sup_idmap_probe(const char *path);

/* network.c (in the sandbox) */
int sandbox_loopback_up(char *err, size_t errlen);

/* How each limit is enforced in this run, decided before the clone. */
enum sup_cpu_source {
	SUP_CPU_NONE = 0,
	SUP_CPU_CGROUP,  /* the cgroup's cpu.stat / cpuacct.usage */
	SUP_CPU_PROCFS,  /* the process tree's times in /proc */
};

/* The sandbox's own per-user limits (budgets.c). */
struct sup_budgets {
	uint64_t sigpending;        /* RLIMIT_SIGPENDING */
	uint64_t msgqueue;          /* RLIMIT_MSGQUEUE, bytes */
	uint64_t memlock;           /* RLIMIT_MEMLOCK, bytes */
	uint64_t inotify_instances; /* /proc/sys/user/max_... */
	uint64_t inotify_watches;
	uint64_t fanotify_groups;
	uint64_t fanotify_marks;
};

struct sup_plan {
	struct sup_cgroup cg;
	int cg_fd;                  /* v2 directory for CLONE_INTO_CGROUP */
	uint64_t rl_data;           /* RLIMIT_DATA when no memory cgroup */
	uint64_t rl_nproc;          /* RLIMIT_NPROC when no pids cgroup */
	uint64_t rl_cpu_s;          /* RLIMIT_CPU, a per-process backstop */
	enum sup_cpu_source cpu;    /* how the watchdog measures CPU */
	int idmap;                  /* the supervisor sends idmapped binds */
	int mem_watch;              /* no memory cgroup: memwatch.c */
	struct sup_budgets budget;
	/* RLIMIT_NOFILE as the caller had it: the supervisor runs with its
	 * soft limit raised to the hard one, the program with the caller's
	 * (unless SBX_LIMIT_NOFILE sets its own) */
	struct rlimit caller_nofile;
	struct sup_policy_plan pol; /* the ladder, Landlock (sup-policy.h) */
	/* What the program gets: the library's filter, start directory and
	 * environment, or what the ladder chose instead (degraded.c). */
	const struct sock_filter *bpf;
	unsigned short bpf_count;
	const char *cwd;
	char *const *envp;
};

/* limits.c: choose the mechanisms and note them in the result. */
void sup_plan_limits(const struct sup_config *cfg, struct sup_plan *plan,
		     struct sbx_wire_result *res);

/* proctree.c: every process of a tree (children of every thread), and
 * the tree's CPU time from /proc, microseconds. */
void sup_tree_walk(pid_t root, void (*fn)(pid_t pid, void *arg), void *arg);
int64_t sup_tree_cpu_us(pid_t root);

/* budgets.c: the sandbox's own per-user limits, planned before the clone
 * (lowers the supervisor's soft rlimits: the new user namespace keeps
 * them); in the sandbox, its rlimits and, through its fresh /proc, its
 * namespaces' limits. */
void sup_plan_budgets(struct sup_budgets *b);
void sandbox_budgets_early(const struct sup_config *cfg,
			   const struct sup_plan *plan);
void sandbox_budget_rlimits(const struct sup_budgets *b, int report);
void sandbox_budgets(const struct sup_config *cfg, const struct sup_plan *plan,
		     int proc_fd, int report);

/* memwatch.c: the memory limit without a memory cgroup. */
struct sup_mem_obj {
	unsigned long long ino; /* a shared anonymous object */
	uint64_t extent;        /* the largest extent seen mapped */
	unsigned gen;           /* the last sample that saw it; 0: free */
	int fresh;              /* first seen in this sample */
	int group;              /* of objects made together, or -1 */
};

/* Shared anonymous objects first seen in one sample, and what their
 * mmap() calls asked for. */
struct sup_mem_group {
	uint64_t asked;  /* bytes */
	uint64_t extent; /* the members' extents, this sample */
	int alive;       /* a member is still mapped */
};

struct sup_mem {
	int memfs_fd;     /* the detached tmpfs that holds the memfds */
	int sysv_fd;      /* the IPC namespace's /proc/sysvipc/shm */
	int listener;     /* memfd_create() notifications */
	uid_t uid;        /* owner of the memfds: the sandbox's root */
	gid_t gid;
	dev_t shm_dev;    /* the kernel's tmpfs of shared anonymous memory */
	int shm_dev_known;
	struct sup_mem_obj *objs; /* a hash table by inode */
	size_t n_objs, cap_objs;
	unsigned gen;
	uint64_t untracked;  /* objects past the table's size */
	struct sup_mem_group *groups;
	size_t n_groups;
	uint64_t asked, asked_before; /* mmap() of shared anonymous memory
				       * since the last sample, and before */
	int sock_fd;         /* sock_diag of the sandbox's netns, or -1 */
	uint64_t last, peak; /* bytes measured */
	uint64_t cost_us;    /* of the last sample, wall clock */
	uint64_t cpu_us;     /* all samples' CPU time, the sandbox's to pay */
};
void sandbox_memwatch_fs(const struct sup_config *cfg,
			 const struct sup_plan *plan, int rootfd, int report);
/* the memfd tmpfs moves to fd at (kept over the init's close_range());
 * returns the first fd to close */
int sandbox_memwatch_keep(int at);
int sandbox_memwatch_memfs(void); /* for its Landlock rule, or -1 */
void sandbox_memwatch_filter(const struct sup_config *cfg,
			     const struct sup_plan *plan, int report);
void sup_memwatch_init(struct sup_mem *m);
void sup_memwatch_take(struct sup_mem *m, uint32_t kind, const int *fds,
		       size_t n);
void sup_memwatch_notify(struct sup_mem *m);
uint64_t sup_memwatch_sample(struct sup_mem *m, pid_t init, int degraded,
			     uint64_t limit);
uint64_t sup_memwatch_next_us(const struct sup_mem *m, uint64_t used,
			      uint64_t limit, int ncpu);
int sup_memwatch_memfs_full(const struct sup_mem *m);
void sup_memwatch_close(struct sup_mem *m);

/* sockmem.c: in the sandbox, a sock_diag socket of its network
 * namespace (or -1); in the supervisor, the bytes its sockets' buffers
 * hold (0 for fd -1) */
int sandbox_sockmem_open(void);
uint64_t sup_sockmem_used(int fd);

/* process.c (in the sandbox) */
__attribute__((noreturn)) void sandbox_init(const struct sup_config *cfg,
					    const struct sup_plan *plan,
					    const int stdio[3], int go_fd,
					    int report_fd);
/* sbx_signal(): the signals init relays to the program (the library's
 * list in api-get.c is the same).  The supervisor blocks them around the
 * clone of init, which handles them before it unblocks them, so that
 * none ends an init without a handler (degraded: no PID namespace). */
int sup_signal_forwarded(int sig);
void sup_signal_forward_set(sigset_t *set);

/* apply.c: the paths the host runs or trusts (trusted.h) that the apply
 * left alone: NUL-terminated paths relative to the workspace, as many as
 * fit; count has them all. */
#define SUP_WITHHELD_MAX 32768
struct sup_withheld {
	char list[SUP_WITHHELD_MAX];
	size_t len;
	uint32_t count;
};

/* Changes the apply had no room for on the host: kept, count entries in
 * dir (the caller's, 0700), lost those that did not fit there either. */
struct sup_unapplied {
	uint32_t count;
	uint32_t lost;
	char dir[64];
};

/* apply.c: copy the changes of an overlay upper dir onto the host
 * directory, withholding trusted paths into *wh unless allow_trusted,
 * keeping what has no room into *un; *ret_changes is how many entries
 * changed (also on failure); returns 0 or -errno (the first error). */
int sup_apply_changes(int upper_fd, const char *host_dir, uint64_t budget,
		      int allow_trusted, struct sup_withheld *wh,
		      struct sup_unapplied *un, long *ret_changes, char *err,
		      size_t errlen);

/* watch.c (the supervisor's loop) */
struct sup_run {
	const struct sup_config *cfg;
	struct sup_plan *plan;
	pid_t init_pid;
	int init_pidfd;
	int report_fd;
	int ctl_fd;
	int root_fd;     /* the sandbox's root tmpfs (disk budget) */
	int upper_fd;    /* the workspace's copy-on-write layer */
	struct sup_mem mem; /* plan->mem_watch (memwatch.c) */
	uint64_t start_ns;
	struct sbx_wire_result res;
	char msg[1024];
	struct sup_layers enforced; /* sup-policy.h */
	char layers[512];           /* rendered from it, once */
	char apply_msg[512];
	struct sup_unapplied unapplied;
	struct sup_withheld withheld; /* apply.c */
};
void sup_watch(struct sup_run *run);

#endif

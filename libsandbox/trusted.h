/* trusted.h - paths of a workspace that the host runs or trusts without
 * the developer running the project (git's config and hooks, direnv,
 * editors' tasks, CI workflows, shell rc files): withheld from the
 * copy-on-write apply and kept read-only in live writable binds, unless
 * SBX_FLAG_ALLOW_TRUSTED_PATHS (library: explain.c; supervisor: apply.c,
 * mounts.c, degraded.c).  trusted.c says why each name is on the list and
 * at which depths it counts. */
#ifndef SBX_TRUSTED_H
#define SBX_TRUSTED_H

#include <limits.h>
#include <stddef.h>

/* What a directory is, for the names in it: a context, of bits.  Bits
 * 0x2 to 0x80 are trusted.c's own (.hg, .jj, .config, ...); bits from
 * 0x100 up are free for a caller's own use. */
#define SBX_TRUST_GITDIR 1u /* a git directory: .git, or one holding HEAD */

enum sbx_trust {
	SBX_TRUST_CONTENT = 0,  /* the project's own: applied as written */
	SBX_TRUST_WITHHELD = 1, /* the entry and everything below it */
	SBX_TRUST_DOTGIT = 2,   /* a repository's directory (.git, .hg, .jj):
				 * its data (objects, refs, index, HEAD, logs,
				 * store) is content, its control files are
				 * withheld, and it is never removed or
				 * replaced as a whole */
};

/*
 * Judge name, an entry of a directory whose context is ctx
 * (SBX_TRUST_* bits); is_dir: the entry is a directory.  Names are
 * compared folded (ASCII case, the two non-ASCII letters that fold into
 * ASCII, trailing dots and spaces), as a case-insensitive file system
 * would find them.  *ret_ctx (may be NULL) gets the context of the
 * entry's own entries, before the HEAD check (sbx_trust_is_head()),
 * which needs the file system.
 */
enum sbx_trust sbx_trust_judge(unsigned ctx, const char *name, int is_dir,
			       unsigned *ret_ctx);

/* 1 when name, folded, is HEAD: a directory holding one is a git
 * directory (a bare repository, a submodule's or a worktree's). */
int sbx_trust_is_head(const char *name);

/* 1 when name, folded, is a control file of a git directory (config,
 * hooks, ...: what the HEAD rule withholds). */
int sbx_trust_is_git_control(const char *name);

/*
 * The verdict for an absolute host path, judging each of its components
 * from "/" with the name rules and the HEAD check on the host.  For the
 * root of a workspace or a bind: SBX_TRUST_WITHHELD when it lies in a
 * trusted place (~/.ssh, a .vscode, .git/hooks), else the verdict of its
 * last component; *ret_ctx the context of its entries.
 */
enum sbx_trust sbx_trust_host_path(const char *path, unsigned *ret_ctx);

/*
 * Directories that the repository at the root of a workspace names as its
 * hooks: core.hooksPath of its git config (husky and the like), and the
 * target of a .git/hooks symlink, when they lie inside the workspace.
 * Their contents run at the next commit, like .git/hooks.  Paths are
 * relative to the root, without "." or ".." components.
 */
#define SBX_TRUST_MAX_HOOKS 4
struct sbx_trust_hooks {
	char path[SBX_TRUST_MAX_HOOKS][PATH_MAX];
	size_t n;
};

/* Fill hooks from the workspace whose host path is root (root_fd its
 * directory).  Never fails: what cannot be read names nothing. */
void sbx_trust_find_hooks(int root_fd, const char *root,
			  struct sbx_trust_hooks *hooks);

/* 1 when rel (relative to the root) is one of hooks' directories. */
int sbx_trust_is_hooks(const struct sbx_trust_hooks *hooks, const char *rel);

/*
 * The trusted entries that exist in a live writable directory (dfd, whose
 * host path is root and context ctx), at any depth, for binding them
 * read-only: .git, .envrc, .vscode, .github and the like, a nested
 * repository's, the control files of a directory holding HEAD, the
 * hooks directories, and the target of a trusted name that is a symlink
 * (one hop, when it stays below the root).  fn gets each path relative to
 * the root.  Ones the program creates later are not found: a bind needs
 * something to cover.
 *
 * The walk has limits (below, and w->max_found, at most
 * SBX_TRUST_WALK_BINDS); past one it stops and returns -E2BIG, w naming
 * the limit, and the caller must refuse the run (never leave the rest
 * writable): sbx_trust_walk_message() says why and what to use instead.
 * Returns how many were found, -E2BIG, or -ENOMEM.
 */
#define SBX_TRUST_WALK_DEPTH 64       /* directory levels below the top */
#define SBX_TRUST_WALK_DIRS 25000     /* directories read */
#define SBX_TRUST_WALK_ENTRIES 250000 /* names read */
#define SBX_TRUST_WALK_BINDS 1024     /* trusted entries found in a run */

struct sbx_trust_walk {
	unsigned max_found; /* in: at most this many found */
	unsigned dirs, entries, found;
	const char *limit;  /* the limit that stopped the walk, or NULL */
	unsigned max;       /* its value */
	char at[PATH_MAX];  /* where it stopped, relative to the root */
};

typedef void (*sbx_trust_fn)(void *arg, const char *rel);
int sbx_trust_scan(int dfd, const char *root, unsigned ctx,
		   struct sbx_trust_walk *w, sbx_trust_fn fn, void *arg);

/* The refusal for a walk that stopped at a limit: what, where, and the
 * alternatives (--rw, a read-only bind, allow_trusted_paths). */
void sbx_trust_walk_message(const struct sbx_trust_walk *w, const char *root,
			    char *buf, size_t len);

#endif

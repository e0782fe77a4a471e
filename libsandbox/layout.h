/* layout.h - the sandbox's file system as one description: what the
 * supervisor builds (mounts.c), what Landlock allows in it (landlock.c)
 * and what `sbx policy explain` says of it (explain.c) read these, so
 * the three cannot disagree.  Defined in layout.c, linked into the
 * library and the supervisor. */
#ifndef SBX_LAYOUT_H
#define SBX_LAYOUT_H

#include <stddef.h>

/* Where the workspace and the sandbox's home are, inside. */
#define SBX_WORKSPACE_INSIDE "/workspace"
#define SBX_HOME_INSIDE "/home/sandbox"

/* What the sandbox sees of the host's system: bound read-only (nosuid,
 * nodev) when a directory, recreated when a symlink (merged /usr),
 * skipped when absent; Landlock allows reading and executing them. */
extern const char *const sbx_system_paths[];
extern const size_t sbx_n_system_paths;
#define SBX_MAX_SYSTEM_PATHS 16 /* at least sbx_n_system_paths */

/* The host's device nodes bound into the sandbox's /dev, read-only
 * mounts (the node's mode and times cannot change; reading and writing
 * it works). */
extern const char *const sbx_dev_nodes[];
extern const size_t sbx_n_dev_nodes;

/* The directories of the sandbox's /dev, and what is in each. */
enum sbx_dev_dir_kind {
	SBX_DEV_DIR_PTS,    /* a devpts instance of its own */
	SBX_DEV_DIR_SHM,    /* a directory on the root tmpfs */
	SBX_DEV_DIR_MQUEUE, /* the IPC namespace's mqueue file system */
};
struct sbx_dev_dir {
	const char *name; /* below /dev */
	enum sbx_dev_dir_kind kind;
	unsigned mode;	    /* of the directory made for it */
	int read_only_flag; /* read-only when the policy's read_only is */
	const char *what;   /* for explanations */
};
extern const struct sbx_dev_dir sbx_dev_dirs[];
extern const size_t sbx_n_dev_dirs;

/* The symlinks of the sandbox's /dev: name below /dev, and the target
 * as written (relative ones are relative to /dev). */
struct sbx_dev_link {
	const char *name;
	const char *target;
};
extern const struct sbx_dev_link sbx_dev_links[];
extern const size_t sbx_n_dev_links;

#endif

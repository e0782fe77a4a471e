/* layout.c - the sandbox's file system, stated once (layout.h). */
#include "layout.h"
#include "util.h"

const char *const sbx_system_paths[] = {
	"/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc",
};
const size_t sbx_n_system_paths = SBX_ARRAY_SIZE(sbx_system_paths);
_Static_assert(SBX_ARRAY_SIZE(sbx_system_paths) <= SBX_MAX_SYSTEM_PATHS,
	       "SBX_MAX_SYSTEM_PATHS sizes mounts.c's plan");

const char *const sbx_dev_nodes[] = {
	"null", "zero", "full", "random", "urandom", "tty",
};
const size_t sbx_n_dev_nodes = SBX_ARRAY_SIZE(sbx_dev_nodes);

const struct sbx_dev_dir sbx_dev_dirs[] = {
	{ "pts", SBX_DEV_DIR_PTS, 0755, 0,
	  "a devpts instance of the sandbox's own, with at most the ptys "
	  "limit of terminals" },
	{ "shm", SBX_DEV_DIR_SHM, 01777, 1,
	  "/dev/shm on the sandbox's tmpfs, counted against the disk "
	  "limit" },
	{ "mqueue", SBX_DEV_DIR_MQUEUE, 0755, 1,
	  "the POSIX message queues of the sandbox's own IPC namespace" },
};
const size_t sbx_n_dev_dirs = SBX_ARRAY_SIZE(sbx_dev_dirs);

const struct sbx_dev_link sbx_dev_links[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};
const size_t sbx_n_dev_links = SBX_ARRAY_SIZE(sbx_dev_links);

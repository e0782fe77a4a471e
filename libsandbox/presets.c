/* presets.c - the policies shipped with the library (docs/policy.md
 * explains each choice).  They are policy documents like any other, read
 * by the same code, on top of a reset to sbx_create()'s defaults. */
#include <string.h>

#include "internal.h"

/* What sbx_create() gives: nothing to add. */
static const char preset_default[] = "{ \"version\": 1 }";

/* Nothing writable, no sockets at all, a tighter system call set and
 * small limits: for code that only computes. */
static const char preset_strict[] =
	"{\n"
	"  \"version\": 1,\n"
	"  \"network\": \"none\",\n"
	"  \"read_only\": true,\n"
	"  \"single_id\": true,\n"
	"  \"limits\": {\n"
	"    \"wall\": 60, \"cpu\": 30, \"memory\": \"512M\", \"pids\": 64,\n"
	"    \"fsize\": \"16M\", \"nofile\": 256, \"disk\": \"16M\",\n"
	"    \"output\": \"8M\"\n"
	"  },\n"
	"  \"seccomp\": {\n"
	"    \"deny\": [\n"
	/* no sockets at all, not even a pair */
	"      \"socket\", \"socketpair\",\n"
	/* no device nodes or fifos */
	"      \"mknod\", \"mknodat\",\n"
	/* SysV IPC and POSIX queues outlive a sandbox and its cgroup */
	"      \"shmget\", \"shmat\", \"shmctl\", \"msgget\", \"msgsnd\",\n"
	"      \"msgrcv\", \"msgctl\", \"semget\", \"semop\", \"semtimedop\",\n"
	"      \"semctl\", \"mq_open\", \"mq_unlink\", \"mq_timedsend\",\n"
	"      \"mq_timedreceive\", \"mq_notify\", \"mq_getsetattr\",\n"
	/* NUMA placement and other processes' memory */
	"      \"mbind\", \"migrate_pages\", \"move_pages\", \"set_mempolicy\",\n"
	"      \"process_madvise\", \"process_mrelease\", \"memfd_secret\",\n"
	/* file change notification and handles: not needed to compute */
	"      \"fanotify_init\", \"fanotify_mark\"\n"
	"    ]\n"
	"  }\n"
	"}\n";

/* Offline builds: compilers, pip from local wheels, npm from its cache.
 * Package managers are told to stay offline (the network is off anyway,
 * so they fail fast instead of timing out); their caches are bound
 * read-only when the caller has them. */
static const char preset_build[] =
	"{\n"
	"  \"version\": 1,\n"
	"  \"network\": \"none\",\n"
	"  \"limits\": {\n"
	/* CPU: the wall clock on four CPUs (the library's default, 10
	 * minutes, would end a parallel build long before its 30) */
	"    \"wall\": \"30m\", \"cpu\": \"2h\", \"memory\": \"4G\",\n"
	"    \"pids\": 2048,\n"
	"    \"nofile\": 8192, \"disk\": \"4G\", \"output\": \"64M\"\n"
	"  },\n"
	"  \"env\": {\n"
	"    \"PIP_NO_INDEX\": \"1\",\n"
	"    \"PIP_DISABLE_PIP_VERSION_CHECK\": \"1\",\n"
	"    \"PIP_NO_INPUT\": \"1\",\n"
	"    \"npm_config_offline\": \"true\",\n"
	"    \"npm_config_audit\": \"false\",\n"
	"    \"npm_config_fund\": \"false\",\n"
	"    \"npm_config_update_notifier\": \"false\",\n"
	"    \"CARGO_NET_OFFLINE\": \"true\",\n"
	"    \"GOPROXY\": \"off\",\n"
	"    \"GOTOOLCHAIN\": \"local\"\n"
	"  },\n"
	"  \"binds\": [\n"
	"    { \"src\": \"~/.npm\", \"dst\": \"/home/sandbox/.npm\",\n"
	"      \"optional\": true },\n"
	"    { \"src\": \"~/.cache/pip\", \"dst\": \"/home/sandbox/.cache/pip\",\n"
	"      \"optional\": true },\n"
	"    { \"src\": \"~/.cargo/registry\",\n"
	"      \"dst\": \"/home/sandbox/.cargo/registry\", \"optional\": true },\n"
	"    { \"src\": \"~/go/pkg/mod\", \"dst\": \"/home/sandbox/go/pkg/mod\",\n"
	"      \"optional\": true }\n"
	"  ]\n"
	"}\n";

static const struct {
	const char *name;
	const char *text;
} presets[] = {
	{ "default", preset_default },
	{ "strict", preset_strict },
	{ "build", preset_build },
};

const char *sbx_preset_text(const char *name)
{
	size_t i;

	for (i = 0; name && i < SBX_ARRAY_SIZE(presets); i++)
		if (strcmp(name, presets[i].name) == 0)
			return presets[i].text;
	return NULL;
}

const char *sbx_preset_names(void)
{
	return "default, strict, build";
}

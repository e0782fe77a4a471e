/* limit-table.c - the one table of limits (limit-table.h). */
#include <stddef.h>
#include <stdint.h>

#include "limit-table.h"

#define YEAR_MS (365ull * 24 * 3600 * 1000)

const struct sbx_limit_info sbx_limit_table[SBX_LIMIT_KIND_MAX] = {
	[SBX_LIMIT_WALL_MS] = { "wall", "timeout", "wall_ms", SBX_UNIT_MS,
				YEAR_MS, 3600ull * 1000 },
	[SBX_LIMIT_CPU_MS] = { "cpu", NULL, "cpu_ms", SBX_UNIT_MS, YEAR_MS,
			       600ull * 1000 },
	[SBX_LIMIT_MEMORY] = { "memory", NULL, "memory", SBX_UNIT_BYTES,
			       UINT64_MAX, 1024ull << 20 },
	[SBX_LIMIT_PIDS] = { "pids", NULL, "pids", SBX_UNIT_COUNT, 4194304,
			     512 },
	[SBX_LIMIT_FSIZE] = { "fsize", NULL, "fsize", SBX_UNIT_BYTES,
			      UINT64_MAX, 0 },
	[SBX_LIMIT_NOFILE] = { "nofile", NULL, "nofile", SBX_UNIT_COUNT,
			       1048576, 1024 },
	[SBX_LIMIT_DISK] = { "disk", NULL, "disk", SBX_UNIT_BYTES, UINT64_MAX,
			     512ull << 20 },
	[SBX_LIMIT_OUTPUT] = { "output", NULL, "output", SBX_UNIT_BYTES,
			       UINT64_MAX, 64ull << 20 },
	/* a thousand CPUs */
	[SBX_LIMIT_CPU_SHARE] = { "cpus", NULL, "cpu_share", SBX_UNIT_MILLICPU,
				  1024 * 1000, 0 },
	/* devpts' own maximum; 16 is enough for a shell, tmux and an ssh or
	 * two, and far from the host's 4096 */
	[SBX_LIMIT_PTYS] = { "ptys", NULL, "ptys", SBX_UNIT_COUNT, 1048576,
			     16 },
};

const struct sbx_limit_info *sbx_limit_info(int kind)
{
	if (kind < 0 || kind >= SBX_LIMIT_KIND_MAX)
		return NULL;
	return &sbx_limit_table[kind];
}

uint64_t sbx_limit_max(uint32_t kind)
{
	return kind < SBX_LIMIT_KIND_MAX ? sbx_limit_table[kind].max : 0;
}

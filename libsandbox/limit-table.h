/* limit-table.h - the one table of limits: for each SBX_LIMIT_* its
 * names in a policy and in a result, its unit, its largest value and its
 * default.
 * The library (defaults, sbx_limit(), the policy loader and exporter, the
 * result), the supervisor's decoder of the configuration and the CLI read
 * it; a new limit is a row here (docs/design.md, "How to add a limit"). */
#ifndef SBX_LIMIT_TABLE_H
#define SBX_LIMIT_TABLE_H

#include <stdint.h>

#include "sandbox.h"

enum sbx_limit_unit {
	SBX_UNIT_MS = 0,  /* milliseconds; seconds or "500ms" in a policy */
	SBX_UNIT_BYTES,   /* bytes; "512M" in a policy */
	SBX_UNIT_COUNT,   /* a plain number */
	SBX_UNIT_MILLICPU, /* thousandths of a CPU; CPUs in a policy */
};

struct sbx_limit_info {
	const char *policy_key; /* in a policy's "limits" */
	const char *policy_alias; /* another name of it there, or NULL */
	const char *result_key; /* in sbx_result_json()'s "limits" */
	enum sbx_limit_unit unit;
	uint64_t max;
	uint64_t def; /* what sbx_create() gives; sandbox.h documents it */
};

/* Indexed by SBX_LIMIT_*; every row is filled (tests/test-api.c checks
 * the defaults against the ones sandbox.h documents). */
extern const struct sbx_limit_info sbx_limit_table[SBX_LIMIT_KIND_MAX];

/* The row of kind, or NULL for an unknown kind. */
const struct sbx_limit_info *sbx_limit_info(int kind);

/* The largest value of each limit (sbx_limit() and the supervisor's
 * check of the configuration); 0 for an unknown kind. */
uint64_t sbx_limit_max(uint32_t kind);

#endif

/* try-syscall-x32.c - x32 numbers (nr | 0x40000000 on the x86_64 entry). */
#include "try-syscall.h"

#ifdef __x86_64__
/* <asm/unistd.h> defines the bit; that header would pull in the native
 * numbers, so define it here. */
#define __X32_SYSCALL_BIT 0x40000000
#include <asm/unistd_x32.h>

#ifndef __NR_uselib
#define __NR_uselib -1 /* x32 has none */
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr (__X32_SYSCALL_BIT + TS_NR_OPEN_TREE_ATTR)
#endif

const struct ts_nr ts_nrs_x32[] = { TS_CALLS(TS_ENTRY){ 0, 0 } };
#else
const struct ts_nr ts_nrs_x32[] = { { 0, 0 } }; /* no such entry here */
#endif

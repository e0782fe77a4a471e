/* try-syscall-i386.c - i386 numbers, for calls through int $0x80. */
#include "try-syscall.h"

#ifdef __x86_64__
#include <asm/unistd_32.h>

#ifndef __NR_kexec_file_load
#define __NR_kexec_file_load -1 /* i386 has none */
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr TS_NR_OPEN_TREE_ATTR
#endif

const struct ts_nr ts_nrs_i386[] = { TS_CALLS(TS_ENTRY){ 0, 0 } };
#else
const struct ts_nr ts_nrs_i386[] = { { 0, 0 } }; /* no such entry here */
#endif

/* sanitizers.c - where ASan, LSan and UBSan report in the supervisor and
 * sbx of an --enable-sanitizers build: their standard streams belong to
 * the program and the caller (and the supervisor starts with an empty
 * environment), so reports go to files that the last check of `make
 * check` reads (tests/sanitizer-logs.sh). */
#include <dlfcn.h>
#include <sanitizer/common_interface_defs.h>

#include "sanitizers.h"

#define SBX_SANITIZER_REPORT SBX_SANITIZER_LOG_DIR "/report"

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

__attribute__((visibility("default"), used)) const char *
__asan_default_options(void)
{
	return "log_path=" SBX_SANITIZER_REPORT;
}

/* The same log_path: GCC's UBSan runtime hands its own to the first
 * __sanitizer_set_report_path() the dynamic linker finds, ASan's, which
 * must not go back to stderr. */
__attribute__((visibility("default"), used)) const char *
__ubsan_default_options(void)
{
	return "log_path=" SBX_SANITIZER_REPORT ":print_stacktrace=1";
}

/* Both runtimes' reports to path ("stderr" or a file's prefix).  GCC
 * links UBSan as a library of its own (libubsan.so.1) beside ASan's, with
 * a report file of its own, set only through its own copy of the
 * function: the log_path above sets ASan's. */
static void set_report_path(const char *path)
{
	void *ubsan = dlopen("libubsan.so.1", RTLD_NOW | RTLD_NOLOAD);
	void (*ubsan_set)(const char *) = NULL;

	__sanitizer_set_report_path(path);
	if (!ubsan)
		return; /* not GCC's runtime: one report file for both */
	*(void **)&ubsan_set = dlsym(ubsan, "__sanitizer_set_report_path");
	if (ubsan_set)
		ubsan_set(path);
	dlclose(ubsan);
}

__attribute__((constructor)) static void report_to_files(void)
{
	set_report_path(SBX_SANITIZER_REPORT);
}

/* The sandbox's init is a clone of the supervisor, where the reports'
 * path would be the sandbox's own /tmp, lost with it: its reports go to
 * its stderr, the program's, which the caller sees with the run that
 * failed (the runtime ends the process at a report). */
void sup_sanitizers_in_sandbox(void)
{
	set_report_path("stderr");
}

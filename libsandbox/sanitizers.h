/* sanitizers.h - the supervisor's hooks for an --enable-sanitizers build
 * (sanitizers.c); in any other build they do nothing. */
#ifndef SBX_SANITIZERS_H
#define SBX_SANITIZERS_H

#ifdef SBX_SANITIZER_LOG_DIR
void sup_sanitizers_in_sandbox(void);
#else
static inline void sup_sanitizers_in_sandbox(void)
{
}
#endif

#endif

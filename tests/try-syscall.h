/* try-syscall.h - the system calls try-syscall knows, and their numbers in
 * each x86 ABI (one table per ABI: the kernel's headers for i386 and x32
 * reuse the native __NR_ names, so each lives in its own file). */
#ifndef SBX_TRY_SYSCALL_H
#define SBX_TRY_SYSCALL_H

#define TS_CALLS(X)                                                            \
	X(getpid) X(ptrace) X(process_vm_readv) X(process_vm_writev)           \
	X(pidfd_getfd) X(kcmp) X(mount) X(umount2) X(pivot_root) X(chroot)     \
	X(fsopen) X(fsconfig) X(fsmount) X(fspick) X(move_mount) X(open_tree)  \
	X(mount_setattr) X(unshare) X(setns) X(clone) X(clone3) X(bpf)         \
	X(perf_event_open) X(userfaultfd) X(keyctl) X(add_key)                 \
	X(request_key) X(io_uring_setup) X(io_uring_enter)                     \
	X(io_uring_register) X(kexec_load) X(kexec_file_load) X(init_module)   \
	X(finit_module) X(delete_module) X(swapon) X(swapoff) X(reboot)        \
	X(syslog) X(acct) X(quotactl) X(quotactl_fd) X(uselib)                 \
	X(lookup_dcookie) X(open_by_handle_at) X(name_to_handle_at)            \
	X(personality) X(ioctl) X(socket) X(socketpair) X(open_tree_attr)      \
	X(io_setup)

/* A call's number in one ABI; -1 when the ABI does not have it. */
struct ts_nr {
	const char *name;
	long nr;
};

#define TS_ENTRY(n) { #n, __NR_##n },

/* Newer than some kernel headers: the number every architecture shares
 * (the x32 table adds its bit). */
#define TS_NR_OPEN_TREE_ATTR 467

extern const struct ts_nr ts_nrs_i386[];
extern const struct ts_nr ts_nrs_x32[];

#endif

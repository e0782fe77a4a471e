"""Run a command as on a host where user namespaces cannot be created,
without touching the host (what tests/nouserns.c does for the C suites).

    python3 nouserns.py PROGRAM [ARG...]

A forked child enters a user namespace of its own, where the parent maps
its ids (a root parent: root, and the id a degraded sandbox runs a root
caller's program as; an unprivileged parent: itself), sets
user.max_user_namespaces=0 there (the sysctl is per user namespace), and
execs PROGRAM: a sandbox it builds meets ENOSPC and the sysctl at 0, as on
such a host.  Exits with the program's status, or 77 (skip) and a line on
stderr when this host cannot set that up.  Used by the Python and the Node
suites (the Node one runs it with the system's python3).
"""

import ctypes
import os
import sys

CLONE_NEWUSER = 0x10000000
SKIP = 77
# The id a degraded sandbox runs a host-root caller's program as.
NOBODY_ID = 1879048192


def write(pid, name, text):
    with open(f"/proc/{pid}/{name}", "w") as f:
        f.write(text)


def map_ids(pid):
    if os.getuid() == 0:
        ids = f"0 0 1\n{NOBODY_ID} {NOBODY_ID} 1\n"
        write(pid, "uid_map", ids)
        write(pid, "gid_map", ids)
        return
    write(pid, "setgroups", "deny")
    write(pid, "uid_map", f"0 {os.getuid()} 1\n")
    write(pid, "gid_map", f"0 {os.getgid()} 1\n")


def child(to_child, to_parent, argv):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER) != 0:
        err = ctypes.get_errno()
        sys.stderr.write(f"nouserns: unshare(CLONE_NEWUSER): "
                         f"{os.strerror(err)}\n")
        os._exit(SKIP)
    os.write(to_parent, b"u")
    if os.read(to_child, 1) != b"m":
        os._exit(SKIP)  # the parent said why
    try:
        with open("/proc/sys/user/max_user_namespaces", "w") as f:
            f.write("0")
    except OSError as e:
        sys.stderr.write(f"nouserns: user.max_user_namespaces=0: {e}\n")
        os._exit(SKIP)
    os.close(to_child)
    os.close(to_parent)
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        sys.stderr.write(f"nouserns: {argv[0]}: {e}\n")
    os._exit(127)


def main(argv):
    if not argv:
        sys.exit("usage: nouserns.py PROGRAM [ARG...]")
    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(to_child_w)
        os.close(to_parent_r)
        child(to_child_r, to_parent_w, argv)
    os.close(to_child_r)
    os.close(to_parent_w)
    if os.read(to_parent_r, 1) == b"u":
        try:
            map_ids(pid)
            os.write(to_child_w, b"m")
        except OSError as e:
            sys.stderr.write(f"nouserns: cannot map the ids of the user "
                             f"namespace: {e}\n")
    os.close(to_child_w)
    os.close(to_parent_r)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code  # killed by signal -code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

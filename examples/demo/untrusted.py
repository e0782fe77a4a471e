#!/usr/bin/env python3
"""untrusted.py - what model-written code might do on a developer's machine.

Each attempt prints one line: BLOCKED when the sandbox stopped it, LEAKED
when it got through.  Arguments: the caller's real home directory, a port
of a service on the host's loopback, the name of a host abstract socket.
"""
import glob
import os
import socket
import sys

home, port, abstract = sys.argv[1], int(sys.argv[2]), sys.argv[3]
leaks = 0


def attempt(what, fn):
    global leaks
    try:
        detail = fn()
    except Exception as e:  # the sandbox answers with an error
        print(f"  BLOCKED  {what}: {type(e).__name__}: {e}")
        return
    if detail is None:
        print(f"  BLOCKED  {what}: nothing there")
        return
    leaks += 1
    print(f"  LEAKED   {what}: {detail}")


def read_ssh_keys():
    keys = glob.glob(os.path.join(home, ".ssh", "*"))
    if not os.path.isdir(home):
        raise FileNotFoundError(f"{home} does not exist in here")
    return f"{len(keys)} files: {keys[:3]}" if keys else None


def read_file(path):
    with open(path) as f:
        return f.read(40).replace("\n", " ")


def secret_env():
    found = {k: v for k, v in os.environ.items()
             if any(s in k for s in ("SECRET", "TOKEN", "KEY", "PASSWORD"))}
    return found or None


def connect(family, addr):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect(addr)
    s.sendall(b"exfiltrated\n")
    return f"connected to {addr!r}"


def vsock():
    # only created, never connected: the hypervisor is not ours to probe
    s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    s.close()
    return "a vsock socket, which no network namespace confines"


def setuid_program():
    path = "/tmp/backdoor"
    with open(path, "w") as f:
        f.write("#!/bin/sh\n")
    os.chmod(path, 0o4755)
    return f"{path} is set-uid"


def touch_dev_null():
    # its own mode again: harmless anywhere, still a change of the node
    os.chmod("/dev/null", os.stat("/dev/null").st_mode & 0o7777)
    return "changed the host's /dev/null"


def delete_project():
    victim = os.path.join(os.getcwd(), "README.md")
    os.remove(victim)
    return f"deleted {victim}"


print(f"untrusted code running as uid {os.getuid()}, pid {os.getpid()}")
attempt(f"read SSH keys in {home}/.ssh", read_ssh_keys)
attempt("read /etc/shadow", lambda: read_file("/etc/shadow"))
attempt("read secret environment variables", secret_env)
attempt(f"reach a service on 127.0.0.1:{port}",
        lambda: connect(socket.AF_INET, ("127.0.0.1", port)))
attempt(f"reach the host's abstract socket @{abstract}",
        lambda: connect(socket.AF_UNIX, "\0" + abstract))
attempt("open a socket to the hypervisor (AF_VSOCK)", vsock)
attempt("make a set-uid program", setuid_program)
attempt("chmod the host's /dev/null", touch_dev_null)
attempt("delete a file of the project", delete_project)
attempt("see the host's processes",
        lambda: (lambda n: f"{n} processes" if n > 3 else None)(
            len([p for p in os.listdir("/proc") if p.isdigit()])))
sys.exit(1 if leaks else 0)

"""Options of a sandbox: checked in Python, then applied to a C handle."""

from __future__ import annotations

import errno
import math
import os
from typing import (Any, Iterable, List, Mapping, NamedTuple, Optional,
                    Tuple, Union)

from . import _sandbox as _c
from ._errors import sandbox_error

StrPath = Union[str, "os.PathLike[str]"]
Size = Union[int, str]


class Bind(NamedTuple):
    """A host path bound into the sandbox.

    ``src`` is the host path (a file or directory), ``dst`` where it
    appears inside (None: the same path), ``writable`` makes it writable
    (default read-only, always nosuid and nodev), and ``optional`` skips
    it silently when ``src`` does not exist.
    """

    src: StrPath
    dst: Optional[StrPath] = None
    writable: bool = False
    optional: bool = False


def parse_size(text: Union[str, int]) -> int:
    """A size in bytes from an int or a string such as "512", "64K",
    "256M", "1G" or "1.5GiB" (K/M/G/T and KiB/... are powers of 1024).

    Raises ValueError for anything else.
    """
    if isinstance(text, bool):
        raise TypeError("a size must be an int or a str, not bool")
    if isinstance(text, int):
        if text < 0:
            raise ValueError(f"a size cannot be negative: {text}")
        return text
    if not isinstance(text, str):
        raise TypeError(
            f"a size must be an int or a str, not {type(text).__name__}")
    rc, value = _c.sbx_parse_size(text)
    if rc == -errno.ERANGE:
        raise ValueError(f"size {text!r} does not fit in 64 bits")
    if rc < 0 or value is None:
        raise ValueError(f"{text!r} is not a size (examples: 4096, 64K, "
                         f"256M, 1.5G)")
    return int(value)


def _seconds_to_ms(name: str, value: float) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, "
                        f"not {type(value).__name__}")
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"{name} must be a positive number of seconds, "
                         f"got {value!r}")
    return max(1, int(math.ceil(value * 1000.0)))


def _count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative: {value}")
    return value


class Options(NamedTuple):
    """The checked configuration of a Sandbox; None keeps a default."""

    limits: Tuple[Tuple[int, int], ...]
    env: Tuple[Tuple[str, Optional[str]], ...]
    cwd: Optional[str]
    workspace: Optional[str]
    workspace_mode: int
    binds: Tuple[Tuple[str, Optional[str], int], ...]
    network: bool
    seccomp_kill: bool
    single_id: bool
    output_limit: Optional[int]

    @property
    def timeout_ms(self) -> int:
        for kind, value in self.limits:
            if kind == _c.SBX_LIMIT_WALL_MS:
                return value
        return 0


def _bind(item: Any) -> Tuple[str, Optional[str], int]:
    if isinstance(item, (str, os.PathLike)):
        item = Bind(item)
    elif isinstance(item, tuple) and not isinstance(item, Bind):
        item = Bind(*item)
    if not isinstance(item, Bind):
        raise TypeError(f"a bind is a path, a (src, dst) tuple or a "
                        f"sandbox.Bind, not {type(item).__name__}")
    flags = ((_c.SBX_BIND_RW if item.writable else 0)
             | (_c.SBX_BIND_TRY if item.optional else 0))
    dst = os.fspath(item.dst) if item.dst is not None else None
    return os.fspath(item.src), dst, flags


def make_options(*, timeout: Optional[float] = None,
                 cpu_time: Optional[float] = None,
                 memory: Optional[Size] = None, pids: Optional[int] = None,
                 file_size: Optional[Size] = None,
                 open_files: Optional[int] = None,
                 disk: Optional[Size] = None,
                 output_limit: Optional[Size] = None,
                 cpus: Optional[float] = None,
                 env: Optional[Mapping[str, Optional[str]]] = None,
                 cwd: Optional[StrPath] = None,
                 workspace: Optional[StrPath] = None,
                 writable: Union[bool, str] = False,
                 binds: Iterable[Any] = (), network: bool = False,
                 seccomp_kill: bool = False,
                 single_id: bool = False) -> Options:
    """Check the options of Sandbox() and run(); raise TypeError or
    ValueError for a value that cannot be right."""
    limits: List[Tuple[int, int]] = []
    if timeout is not None:
        limits.append((_c.SBX_LIMIT_WALL_MS,
                       _seconds_to_ms("timeout", timeout)))
    if cpu_time is not None:
        limits.append((_c.SBX_LIMIT_CPU_MS,
                       _seconds_to_ms("cpu_time", cpu_time)))
    for kind, name, value in ((_c.SBX_LIMIT_MEMORY, "memory", memory),
                              (_c.SBX_LIMIT_FSIZE, "file_size", file_size),
                              (_c.SBX_LIMIT_DISK, "disk", disk),
                              (_c.SBX_LIMIT_OUTPUT, "output_limit",
                               output_limit)):
        if value is not None:
            try:
                limits.append((kind, parse_size(value)))
            except (TypeError, ValueError) as e:
                raise type(e)(f"{name}: {e}") from None
    if pids is not None:
        limits.append((_c.SBX_LIMIT_PIDS, _count("pids", pids)))
    if open_files is not None:
        limits.append((_c.SBX_LIMIT_NOFILE, _count("open_files", open_files)))
    if cpus is not None:
        if isinstance(cpus, bool) or not isinstance(cpus, (int, float)) \
                or not cpus > 0 or not math.isfinite(cpus):
            raise ValueError(f"cpus must be a positive number of CPUs, "
                             f"got {cpus!r}")
        limits.append((_c.SBX_LIMIT_CPU_SHARE,
                       max(1, int(round(cpus * 1000)))))

    pairs: List[Tuple[str, Optional[str]]] = []
    for name, value in (env or {}).items():
        if not isinstance(name, str):
            raise TypeError(f"environment names must be str, not "
                            f"{type(name).__name__}")
        if value is not None and not isinstance(value, str):
            raise TypeError(f"environment value of {name} must be str or "
                            f"None, not {type(value).__name__}")
        pairs.append((name, value))

    if writable not in (False, True, "live"):
        raise ValueError(f"writable must be False, True or 'live', "
                         f"got {writable!r}")
    if writable and workspace is None:
        raise ValueError("writable needs a workspace")
    mode = {False: _c.SBX_WORKSPACE_RO, True: _c.SBX_WORKSPACE_RW,
            "live": _c.SBX_WORKSPACE_RW_LIVE}[writable]
    if isinstance(binds, (str, os.PathLike, Bind)):
        binds = [binds]
    out_limit = next((v for k, v in limits if k == _c.SBX_LIMIT_OUTPUT),
                     None)
    return Options(
        limits=tuple(limits), env=tuple(pairs),
        cwd=os.fspath(cwd) if cwd is not None else None,
        workspace=os.fspath(workspace) if workspace is not None else None,
        workspace_mode=mode, binds=tuple(_bind(b) for b in binds),
        network=bool(network), seccomp_kill=bool(seccomp_kill),
        single_id=bool(single_id), output_limit=out_limit)


class Handle:
    """One C handle (sbx_t): owned by exactly one run at a time."""

    __slots__ = ("ptr", "__weakref__")

    def __init__(self) -> None:
        rc, ptr = _c.sbx_create()
        if rc < 0:
            raise sandbox_error(-rc, "cannot create a sandbox handle")
        self.ptr = ptr

    def check(self, rc: int, what: str = "", *, config: bool = False) -> int:
        """Raise the SandboxError of a negative return code."""
        if rc >= 0:
            return rc
        message = _c.sbx_last_error(self.ptr) or os.strerror(-rc)
        if what and what not in message:
            message = f"{what}: {message}"
        raise sandbox_error(-rc, message, config=config)

    def apply(self, opts: Options) -> None:
        """Configure the handle; SandboxError for what the library
        refuses (a missing workspace, a reserved bind destination...)."""
        p = self.ptr
        for kind, value in opts.limits:
            self.check(_c.sbx_limit(p, kind, value), config=True)
        for name, text in opts.env:
            self.check(_c.sbx_set_env(p, name, text), config=True)
        if opts.workspace is not None:
            self.check(_c.sbx_set_workspace(p, opts.workspace,
                                            opts.workspace_mode),
                       config=True)
        for src, dst, flags in opts.binds:
            self.check(_c.sbx_add_bind(p, src, dst, flags), config=True)
        if opts.cwd is not None:
            self.check(_c.sbx_set_cwd(p, opts.cwd), config=True)
        if opts.network:
            self.check(_c.sbx_set_network(p, _c.SBX_NET_HOST), config=True)
        if opts.seccomp_kill:
            self.check(_c.sbx_set_flag(p, _c.SBX_FLAG_SECCOMP_KILL, 1),
                       config=True)
        if opts.single_id:
            self.check(_c.sbx_set_flag(p, _c.SBX_FLAG_SINGLE_ID, 1),
                       config=True)

    def close(self) -> None:
        """Destroy the handle (kills a sandbox still running on it)."""
        ptr, self.ptr = self.ptr, None
        if ptr is not None:
            _c.sbx_destroy(ptr)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

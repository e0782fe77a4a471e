"""Options of a sandbox: checked in Python, then applied to a C handle."""

from __future__ import annotations

import errno
import json
import math
import os
from typing import (Any, Iterable, List, Mapping, NamedTuple, Optional,
                    Tuple, Union)

from . import _sandbox as _c
from ._errors import sandbox_error

StrPath = Union[str, "os.PathLike[str]"]
Size = Union[int, str]
Policy = Union[StrPath, Mapping[str, Any]]

# Workspace modes as a policy document names them.
_MODE_NAMES = {False: "ro", True: "rw", "live": "rw-live"}


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
    network: Optional[bool]
    seccomp_kill: Optional[bool]
    single_id: Optional[bool]
    output_limit: Optional[int]
    # The policy layer, applied before everything above: a preset name,
    # then a document, ("file", path) or ("json", text).
    preset: Optional[str] = None
    policy: Optional[Tuple[str, str]] = None
    # A workspace mode without a workspace: the policy's workspace's.
    policy_mode: Optional[str] = None
    allow_degraded: Optional[bool] = None
    read_only: Optional[bool] = None
    allow_setid: Optional[bool] = None
    allow_trusted_paths: Optional[bool] = None
    require: Tuple[str, ...] = ()

    @property
    def has_policy(self) -> bool:
        return self.preset is not None or self.policy is not None

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
                 writable: Union[bool, str, None] = None,
                 binds: Iterable[Any] = (), network: Optional[bool] = None,
                 seccomp_kill: Optional[bool] = None,
                 single_id: Optional[bool] = None,
                 preset: Optional[str] = None,
                 policy: Optional[Policy] = None,
                 allow_degraded: Optional[bool] = None,
                 require: Iterable[str] = (),
                 read_only: Optional[bool] = None,
                 allow_setid: Optional[bool] = None,
                 allow_trusted_paths: Optional[bool] = None) -> Options:
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

    if preset is not None and not isinstance(preset, str):
        raise TypeError(f"preset must be a str such as 'strict', not "
                        f"{type(preset).__name__}")
    doc: Optional[Tuple[str, str]] = None
    if isinstance(policy, (str, os.PathLike)):
        doc = ("file", os.fspath(policy))
    elif isinstance(policy, Mapping):
        try:
            # One key a line, so that the library's line numbers tell
            # the keys apart.
            doc = ("json", json.dumps(dict(policy), indent=2))
        except (TypeError, ValueError) as e:
            raise type(e)(f"policy: {e}") from None
    elif policy is not None:
        raise TypeError(f"policy must be a path or a dict, not "
                        f"{type(policy).__name__}")
    if isinstance(require, str):
        require = (require,)
    layers = tuple(require)
    for layer in layers:
        if not isinstance(layer, str):
            raise TypeError(f"require: layer names are str, not "
                            f"{type(layer).__name__}")

    if writable not in (None, False, True, "live"):
        raise ValueError(f"writable must be False, True or 'live', "
                         f"got {writable!r}")
    policy_mode = None
    if workspace is None and writable is not None:
        if doc is None and preset is None:
            if writable:
                raise ValueError("writable needs a workspace")
        else:
            policy_mode = _MODE_NAMES[writable]  # the policy's workspace
    mode = {None: _c.SBX_WORKSPACE_RO, False: _c.SBX_WORKSPACE_RO,
            True: _c.SBX_WORKSPACE_RW,
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
        network=_switch(network), seccomp_kill=_switch(seccomp_kill),
        single_id=_switch(single_id), output_limit=out_limit,
        preset=preset, policy=doc, policy_mode=policy_mode,
        allow_degraded=_switch(allow_degraded),
        read_only=_switch(read_only), allow_setid=_switch(allow_setid),
        allow_trusted_paths=_switch(allow_trusted_paths),
        require=layers)


def _switch(value: Optional[bool]) -> Optional[bool]:
    # None keeps what the policy (or the library) says.
    return None if value is None else bool(value)


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

    def apply(self, opts: Options, template: Optional[str] = None) -> None:
        """Configure the handle: the policy ``template`` (see
        policy_template()) first, then the options over it.  SandboxError
        for what the library refuses (a missing workspace, a reserved bind
        destination...)."""
        p = self.ptr
        if template is not None:
            self.check(_c.sbx_policy_load_string(p, template), config=True)
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
        if opts.policy_mode is not None:
            # A mode without a path applies to the policy's workspace.
            mode = {"workspace": {"mode": opts.policy_mode}}
            self.check(_c.sbx_policy_load_string(p, json.dumps(mode)),
                       config=True)
        if opts.cwd is not None:
            self.check(_c.sbx_set_cwd(p, opts.cwd), config=True)
        if opts.network is not None:
            self.check(_c.sbx_set_network(
                p, _c.SBX_NET_HOST if opts.network else _c.SBX_NET_NONE),
                config=True)
        for flag, on in ((_c.SBX_FLAG_SECCOMP_KILL, opts.seccomp_kill),
                         (_c.SBX_FLAG_SINGLE_ID, opts.single_id),
                         (_c.SBX_FLAG_ALLOW_SETID, opts.allow_setid),
                         (_c.SBX_FLAG_ALLOW_TRUSTED_PATHS,
                          opts.allow_trusted_paths),
                         (_c.SBX_FLAG_ALLOW_DEGRADED, opts.allow_degraded),
                         (_c.SBX_FLAG_READ_ONLY, opts.read_only)):
            if on is not None:
                self.check(_c.sbx_set_flag(p, flag, int(on)), config=True)
        for layer in opts.require:
            self.check(_c.sbx_require_layer(p, layer), config=True)

    def export(self) -> str:
        """The handle's effective policy as a policy document (JSON)."""
        text = _c.sbx_policy_export(self.ptr, _c.SBX_POLICY_JSON)
        if text is None:  # only when out of memory
            raise sandbox_error(_c.sbx_last_errno(self.ptr) or errno.ENOMEM,
                                _c.sbx_last_error(self.ptr))
        return str(text)

    def explain(self, what: str) -> str:
        """sbx_policy_explain(): JSON, or SandboxError (a ValueError) for
        what is neither an absolute path nor a known system call."""
        text = _c.sbx_policy_explain(self.ptr, what)
        if text is None:  # EINVAL: what is not a path nor a system call
            raise sandbox_error(_c.sbx_last_errno(self.ptr) or errno.EINVAL,
                                _c.sbx_last_error(self.ptr), config=True)
        return str(text)

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


def policy_template(opts: Options) -> Optional[str]:
    """The preset and the policy document of ``opts`` as one complete
    document (sbx_policy_export() of a scratch handle), or None without
    either.  Made once per Sandbox: every handle of it starts from the
    same text, so a policy file is read once, and its relative paths are
    already resolved against its directory."""
    if not opts.has_policy:
        return None
    h = Handle()
    try:
        if opts.preset is not None:
            h.check(_c.sbx_policy_preset(h.ptr, opts.preset), config=True)
        if opts.policy is not None:
            kind, value = opts.policy
            load = (_c.sbx_policy_load_file if kind == "file"
                    else _c.sbx_policy_load_string)
            h.check(load(h.ptr, value), config=True)
        return h.export()
    finally:
        h.close()


"""Options of a sandbox: checked in Python, then applied to a C handle."""

from __future__ import annotations

import decimal
import errno
import json
import os
from collections import abc
from typing import (Any, Iterable, List, Literal, Mapping, NamedTuple,
                    Optional, Tuple, Union)

from . import _sandbox as _c
from ._errors import sandbox_error

StrPath = Union[str, "os.PathLike[str]"]
Size = Union[int, str]
Policy = Union[StrPath, Mapping[str, Any]]
# The types of the options as type checkers see them; the checks below
# are what holds at run time.
#: A preset shipped with the library (docs/policy.md).
Preset = Literal["default", "strict", "build"]
#: A network mode (docs/policy.md, "network").
Network = Literal["none", "host"]
#: writable: read-only, copy-on-write, or a live bind.
Writable = Union[bool, Literal["live"]]
#: env: a value of None passes the caller's.
Env = Mapping[str, Optional[str]]

# What each option of Sandbox() accepts.  Every value is checked here, by
# type and value, before anything reaches the library: nothing is coerced
# (bool("none") is True, and network="none" once gave the host's network).
# TypeError for a wrong type, ValueError for a wrong value; the message
# names the option and what it takes.

# Switches: the option's name and its sbx_set_flag() flag.  True or False,
# or None to keep what the policy (or the library) says.  A new switch is
# one line here (and its keyword in the signatures).
_FLAGS = {
    "seccomp_kill": _c.SBX_FLAG_SECCOMP_KILL,
    "single_id": _c.SBX_FLAG_SINGLE_ID,
    "allow_setid": _c.SBX_FLAG_ALLOW_SETID,
    "allow_degraded": _c.SBX_FLAG_ALLOW_DEGRADED,
    "read_only": _c.SBX_FLAG_READ_ONLY,
    "allow_trusted_paths": _c.SBX_FLAG_ALLOW_TRUSTED_PATHS,
}
# Network modes, by the names of the policy document and `sbx run --net`.
_NETWORK = {"none": _c.SBX_NET_NONE, "host": _c.SBX_NET_HOST}
# Limits: the option's name, its SBX_LIMIT_* and the Python type it
# takes (seconds, a size, a count, CPUs).  The library checks the value
# (sbx_parse_limit()): its unit, rounding, maximum and message.
_LIMITS = {
    "timeout": (_c.SBX_LIMIT_WALL_MS, "seconds"),
    "cpu_time": (_c.SBX_LIMIT_CPU_MS, "seconds"),
    "memory": (_c.SBX_LIMIT_MEMORY, "size"),
    "file_size": (_c.SBX_LIMIT_FSIZE, "size"),
    "disk": (_c.SBX_LIMIT_DISK, "size"),
    "output_limit": (_c.SBX_LIMIT_OUTPUT, "size"),
    "pids": (_c.SBX_LIMIT_PIDS, "count"),
    "open_files": (_c.SBX_LIMIT_NOFILE, "count"),
    "cpus": (_c.SBX_LIMIT_CPU_SHARE, "cpus"),
}
# writable: the workspace mode of each value.
_WRITABLE: Tuple[Tuple[Writable, int], ...] = (
    (False, _c.SBX_WORKSPACE_RO), (True, _c.SBX_WORKSPACE_RW),
    ("live", _c.SBX_WORKSPACE_RW_LIVE))


class Bind(NamedTuple):
    """A host path bound into the sandbox.

    ``src`` is the host path (a file or directory), ``dst`` where it
    appears inside (None: the same path), ``writable`` (True or False)
    makes it writable (default read-only, always nosuid and nodev), and
    ``optional`` (True or False) skips it silently when ``src`` does not
    exist.
    """

    src: StrPath
    dst: Optional[StrPath] = None
    writable: bool = False
    optional: bool = False


#: One of binds: a path, a (src, dst) tuple or a Bind.
BindSpec = Union[StrPath, Tuple[StrPath, StrPath], Bind]


def _kind(value: Any) -> str:
    return type(value).__name__


def switch(name: str, value: Any) -> Optional[bool]:
    """True, False, or None (the default); nothing else, not even 0/1
    or "false"."""
    if value is None or value is True or value is False:
        return value
    raise TypeError(f"{name} must be True or False (or None for the "
                    f"default), not {value!r}")


def _choice(name: str, value: Any, names: Iterable[str]) -> str:
    """One of the strings ``names``, exactly (case matters)."""
    accepted = " or ".join(repr(n) for n in names)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be {accepted}, not {value!r}")
    if value not in names:
        raise ValueError(f"{name} must be {accepted}, not {value!r}")
    return value


def _no_nul(name: str, text: str) -> str:
    if "\0" in text:
        raise ValueError(f"{name} contains a NUL character: {text!r}")
    return text


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_kind(value)}")
    return _no_nul(name, value)


def check_path(name: str, value: Any) -> str:
    """A path given as str or os.PathLike (of str)."""
    path = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not isinstance(path, str):
        raise TypeError(f"{name} must be a path (str or os.PathLike), not "
                        f"{_kind(value)}")
    return _no_nul(name, path)


def _limit(name: str, kind: int, value: Any) -> int:
    """The value of one limit, given as decimal text to the library,
    which reads it by the limit's unit, rounds it, checks it against the
    limit's maximum and says what is wrong (sbx_parse_limit(), as `sbx
    run` and Node): only the type is checked here."""
    rc, parsed, message = _c.sbx_parse_limit(kind, _no_nul(name, value))
    if rc < 0 or parsed is None:
        raise ValueError(f"{name}: {message}")
    return int(parsed)


def _decimal(value: Union[int, float]) -> str:
    """A number as decimal text, as written (never an exponent): what
    sbx_parse_limit() reads."""
    if isinstance(value, int):
        return str(value)
    return format(decimal.Decimal(repr(value)), "f")


def parse_size(text: Union[str, int]) -> int:
    """A size in bytes from an int or a string such as "512", "64K",
    "256M", "1G" or "1.5GiB" (K/M/G/T and KiB/... are powers of 1024).

    Raises ValueError for anything else.
    """
    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise TypeError(
            f"a size must be an int or a str, not {type(text).__name__}")
    rc, value, message = _c.sbx_parse_limit(
        _c.SBX_LIMIT_MEMORY, _no_nul("a size", _decimal(text)
                                     if isinstance(text, int) else text))
    if rc < 0 or value is None:
        raise ValueError(message)
    return int(value)


def _size(name: str, kind: int, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{name} must be a size (an int of bytes, or a "
                        f"str like \"256M\"), not {_kind(value)}")
    return _limit(name, kind,
                  _decimal(value) if isinstance(value, int) else value)


def _seconds(name: str, kind: int, value: Any) -> int:
    # 0 is no limit, as in the library, `sbx run` and Node (None too).
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, "
                        f"not {_kind(value)}")
    return _limit(name, kind, _decimal(value))


def _count(name: str, kind: int, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {_kind(value)}")
    return _limit(name, kind, _decimal(value))


def _cpus(name: str, kind: int, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of CPUs, not "
                        f"{_kind(value)}")
    return _limit(name, kind, _decimal(value))


_TYPES = {"seconds": _seconds, "size": _size, "count": _count,
          "cpus": _cpus}


def limit_option(name: str, value: Any) -> Tuple[int, int]:
    """(SBX_LIMIT_*, value) of the limit option ``name`` (a key of
    _LIMITS) given as ``value``, not None."""
    kind, unit = _LIMITS[name]
    return kind, _TYPES[unit](name, kind, value)


def _env(value: Any) -> Tuple[Tuple[str, Optional[str]], ...]:
    if value is None:
        return ()
    if not isinstance(value, abc.Mapping):
        raise TypeError(f"env must be a mapping of names to str (or None: "
                        f"the caller's value), not {_kind(value)}")
    pairs: List[Tuple[str, Optional[str]]] = []
    for name, text in value.items():
        if not isinstance(name, str):
            raise TypeError(f"env: names must be str, not {_kind(name)}")
        # the library checks the name itself (empty, '=')
        _no_nul("env", name)
        if text is not None:
            if not isinstance(text, str):
                raise TypeError(f"env: the value of {name} must be a str "
                                f"or None, not {_kind(text)}")
            _no_nul(f"env: the value of {name}", text)
        pairs.append((name, text))
    return tuple(pairs)


def _bind(item: Any) -> Tuple[str, Optional[str], int]:
    what = ("binds: each bind is a path, a (src, dst) tuple or a "
            "sandbox.Bind")
    if isinstance(item, (str, os.PathLike)):
        item = Bind(item)
    elif isinstance(item, tuple) and not isinstance(item, Bind):
        if len(item) != 2:
            raise TypeError(f"{what}, not a tuple of {len(item)} "
                            f"(sandbox.Bind(src, dst, writable=True) for "
                            f"more)")
        item = Bind(*item)
    if not isinstance(item, Bind):
        raise TypeError(f"{what}, not {_kind(item)}")
    flags = 0
    if switch("binds: writable", item.writable):
        flags |= _c.SBX_BIND_RW
    if switch("binds: optional", item.optional):
        flags |= _c.SBX_BIND_TRY
    dst = None if item.dst is None else check_path("binds: dst", item.dst)
    return check_path("binds: src", item.src), dst, flags


def _binds(value: Any) -> Tuple[Tuple[str, Optional[str], int], ...]:
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike, Bind)):
        value = [value]  # one bind
    elif isinstance(value, (bytes, abc.Mapping)) or not isinstance(
            value, abc.Iterable):
        raise TypeError(f"binds must be a list of paths, (src, dst) "
                        f"tuples or sandbox.Bind, not {_kind(value)}")
    return tuple(_bind(b) for b in value)


def _require(value: Any) -> Tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = (value,)  # one name, not its characters
    elif isinstance(value, (bytes, abc.Mapping)) or not isinstance(
            value, abc.Iterable):
        raise TypeError(f"require must be a list of layer names (str), "
                        f"not {_kind(value)}")
    layers = tuple(value)
    for layer in layers:
        if not isinstance(layer, str):
            raise TypeError(f"require: layer names are str, not "
                            f"{_kind(layer)}")
        # the library knows the names
        _no_nul("require", layer)
    return layers


def _policy(value: Any) -> Optional[Tuple[str, str]]:
    if value is None:
        return None
    if isinstance(value, abc.Mapping):
        try:
            # One key a line, so that the library's line numbers tell
            # the keys apart.
            return ("json", json.dumps(dict(value), indent=2))
        except (TypeError, ValueError) as e:
            raise type(e)(f"policy: {e}") from None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"policy must be a path or a dict, not "
                        f"{_kind(value)}")
    return ("file", check_path("policy", value))


def _writable(value: Any) -> Optional[int]:
    """The workspace mode of writable=; None keeps the handle's."""
    if value is None:
        return None
    for given, mode in _WRITABLE:
        if value is given or (isinstance(given, str) and value == given):
            return mode
    accepted = "False, True or 'live'"
    if isinstance(value, str):
        raise ValueError(f"writable must be {accepted}, not {value!r}")
    raise TypeError(f"writable must be {accepted}, not {value!r}")


class Options(NamedTuple):
    """The checked configuration of a Sandbox; None keeps a default."""

    # (option, SBX_LIMIT_*, value): the option names the library's errors
    limits: Tuple[Tuple[str, int, int], ...]
    env: Tuple[Tuple[str, Optional[str]], ...]
    cwd: Optional[str]
    workspace: Optional[str]
    workspace_mode: Optional[int]  # an SBX_WORKSPACE_*
    binds: Tuple[Tuple[str, Optional[str], int], ...]
    network: Optional[int]  # an SBX_NET_* mode
    flags: Tuple[Tuple[str, int, bool], ...]  # (option, SBX_FLAG_*, on)
    # The policy layer, applied before everything above: a preset name,
    # then a document, ("file", path) or ("json", text).
    preset: Optional[str] = None
    policy: Optional[Tuple[str, str]] = None
    require: Tuple[str, ...] = ()

    @property
    def has_policy(self) -> bool:
        return self.preset is not None or self.policy is not None


def make_options(**given: Any) -> Options:
    """Check the options of Sandbox() (every keyword, as given) and
    raise TypeError or ValueError for a value that cannot be right."""
    opts = dict(given)
    limits: List[Tuple[str, int, int]] = []
    for name in _LIMITS:
        value = opts.pop(name, None)
        if value is not None:
            limits.append((name, *limit_option(name, value)))
    flags = []
    for name, flag in _FLAGS.items():
        on = switch(name, opts.pop(name, None))
        if on is not None:
            flags.append((name, flag, on))
    network = opts.pop("network", None)
    if network is not None:
        network = _NETWORK[_choice("network", network, _NETWORK)]
    env = _env(opts.pop("env", None))
    cwd = opts.pop("cwd", None)
    workspace = opts.pop("workspace", None)
    binds = _binds(opts.pop("binds", None))
    preset = opts.pop("preset", None)
    if preset is not None:
        preset = _text("preset", preset)  # the library knows the names
    doc = _policy(opts.pop("policy", None))
    require = _require(opts.pop("require", None))
    mode = _writable(opts.pop("writable", None))
    if opts:
        raise TypeError(f"unknown option {next(iter(opts))!r}")

    return Options(
        limits=tuple(limits), env=env,
        cwd=check_path("cwd", cwd) if cwd is not None else None,
        workspace=(check_path("workspace", workspace) if workspace is not None
                   else None),
        workspace_mode=mode, binds=binds, network=network,
        flags=tuple(flags), preset=preset,
        policy=doc, require=require)


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
        if what and not message.startswith(what):
            message = f"{what}: {message}"
        raise sandbox_error(-rc, message, config=config)

    @classmethod
    def copy_of(cls, template: Optional["Handle"]) -> "Handle":
        """A new handle: the configuration of ``template`` (sbx_dup()),
        or the defaults without one."""
        if template is None:
            return cls()
        h = cls.__new__(cls)
        rc, ptr = _c.sbx_dup(template.ptr)
        if rc < 0:
            raise sandbox_error(-rc, "cannot copy a sandbox handle")
        h.ptr = ptr
        return h

    def limit(self, kind: int) -> int:
        """The value the next run has for a limit (sbx_get_limit()):
        the options', else the policy's, else the library's default."""
        rc, value = _c.sbx_get_limit(self.ptr, kind)
        self.check(rc)
        return int(value)

    def apply(self, opts: Options) -> None:
        """Configure the handle: the options over what it has (the
        policy template, see policy_template()), one library call each
        and in this order.  SandboxError for what the library refuses
        (a missing workspace, a reserved bind destination, writable
        without a workspace...)."""
        p = self.ptr
        for option, kind, value in opts.limits:
            self.check(_c.sbx_limit(p, kind, value), option, config=True)
        for name, text in opts.env:
            self.check(_c.sbx_set_env(p, name, text), "env", config=True)
        mode = opts.workspace_mode
        if opts.workspace is not None:
            self.check(_c.sbx_set_workspace(
                p, opts.workspace, _c.SBX_WORKSPACE_RO if mode is None
                else mode), "workspace", config=True)
        elif mode is not None:
            # the policy's workspace; a writable mode without one is
            # the library's error
            self.check(_c.sbx_set_workspace_mode(p, mode), "writable",
                       config=True)
        for src, dst, flags in opts.binds:
            self.check(_c.sbx_add_bind(p, src, dst, flags), "binds",
                       config=True)
        if opts.cwd is not None:
            self.check(_c.sbx_set_cwd(p, opts.cwd), "cwd", config=True)
        if opts.network is not None:
            self.check(_c.sbx_set_network(p, opts.network), "network",
                       config=True)
        for option, flag, on in opts.flags:
            self.check(_c.sbx_set_flag(p, flag, int(on)), option,
                       config=True)
        for layer in opts.require:
            self.check(_c.sbx_require_layer(p, layer), "require",
                       config=True)

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


def policy_template(opts: Options) -> Optional[Handle]:
    """A handle with the preset and the policy document of ``opts``
    applied, or None without either.  Made once per Sandbox: every
    handle of it is a copy (sbx_dup()), so a policy file is read once,
    and its relative paths are resolved against its directory once.
    Nothing is read back from it: the options are applied over each
    copy (Handle.apply()), and the library keeps what they leave."""
    if not opts.has_policy:
        return None
    h = Handle()
    try:
        if opts.preset is not None:
            h.check(_c.sbx_policy_preset(h.ptr, opts.preset), "preset",
                    config=True)
        if opts.policy is not None:
            kind, value = opts.policy
            load = (_c.sbx_policy_load_file if kind == "file"
                    else _c.sbx_policy_load_string)
            # the library's message names the file (or "policy"), the
            # line and the key
            h.check(load(h.ptr, value), config=True)
    except BaseException:
        h.close()
        raise
    return h

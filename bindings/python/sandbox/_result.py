"""The result of a sandboxed run, the pieces it is made of, and the
exceptions check=True raises from it (shaped like subprocess's)."""

from __future__ import annotations

import signal as _signal
import subprocess
from typing import Any, Dict, Mapping, NamedTuple, Optional, Tuple, Union

# The library's status names (enum sbx_status, as in the result JSON), and
# what ended the run in one word: Result.reason, the same words as the
# Node binding's result.reason (README, "Results").  A program that ended
# by itself (status "exited" or "signaled") has no reason: None.
_REASONS = {
    "timeout": "timeout",
    "cpu_limit": "cpu",
    "memory_limit": "memory",
    "pids_limit": "pids",
    "killed": "killed",
}


class Limit(NamedTuple):
    """One limit of a run, as the library applied it.

    ``value`` is the limit (0: none, except for disk and output, where 0
    means nothing may be written), ``mechanism`` what enforced it
    ("cgroup-v2", "cgroup-v1", "rlimit", "tmpfs", "supervisor", or "none"
    when nothing could), and ``fired`` whether the run hit it.
    """

    value: int
    mechanism: str
    fired: bool


class Chunk(NamedTuple):
    """A piece of output streamed from a running program.

    ``stream`` is "stdout" or "stderr"; ``data`` is bytes, or str when the
    run is in text mode.
    """

    stream: str
    data: Union[bytes, str]


class Result(subprocess.CompletedProcess):  # type: ignore[type-arg]
    """How a sandboxed run ended: subprocess.CompletedProcess plus the
    sandbox's answer.

    Like CompletedProcess: ``args``, ``returncode`` (the exit code, or the
    negative number of the signal that killed the program: -9 when a
    limit or the timeout killed it), ``stdout`` and ``stderr`` (bytes, str
    in text mode, None when not captured), ``check_returncode()``.

    From the sandbox: ``status`` (the library's status: "exited",
    "signaled", "timeout", "cpu_limit", "memory_limit", "pids_limit",
    "killed"), ``reason`` (None when the program ended by itself, exited
    or signaled, else what ended it: "timeout", "cpu", "memory", "pids"
    (the process limit stopped it: it failed there, or kept trying until
    the timeout), or "killed" for kill() and cancellation; the Node
    binding's words), ``message`` (the library's one-line explanation, ""
    when there is nothing to say), ``exit_code`` (the program's own exit
    code, None when it did not exit by itself) and ``signal`` (None when
    not applicable),
    ``wall_time`` and ``cpu_time`` (seconds), ``peak_memory`` (bytes, None
    when unknown), ``truncated`` / ``stdout_truncated`` /
    ``stderr_truncated`` (output past the output limit was dropped),
    ``disk_full``, ``limits`` (each limit's :class:`Limit`: value, the
    mechanism that enforced it, whether it fired; keyed by the library's
    names: wall_ms, cpu_ms, memory, pids, fsize, nofile, disk, output,
    cpu_share), ``layers`` (the isolation layers enforced),
    ``degraded`` (True when the run had no namespaces: the host gives
    none and ``allow_degraded`` accepted that), ``degraded_reason`` (why,
    else None) and ``degraded_not_hidden`` (what such a run did not hide
    from the program, else None), ``withheld`` (the paths of a
    ``writable=True`` workspace that the host runs or trusts, such as
    ".git/config", or symlinks that lead out of it, whose changes were
    not applied: see
    ``allow_trusted_paths``), ``id_range``, and ``json``, the whole record
    as a dict (the format of ``sbx run --json-result``).
    """

    status: str
    reason: Optional[str]
    message: str
    exit_code: Optional[int]
    signal: Optional[int]
    wall_time: float
    cpu_time: float
    peak_memory: Optional[int]
    stdout_truncated: bool
    stderr_truncated: bool
    disk_full: bool
    limits: Mapping[str, Limit]
    layers: Tuple[str, ...]
    degraded: bool
    degraded_reason: Optional[str]
    withheld: Tuple[str, ...]
    degraded_not_hidden: Optional[Tuple[str, ...]]
    id_range: int
    json: Dict[str, Any]

    def __init__(self, args: Any, record: Dict[str, Any], stdout: Any = None,
                 stderr: Any = None, *, stdout_truncated: bool = False,
                 stderr_truncated: bool = False) -> None:
        status = str(record.get("status", ""))
        # null when the program did not exit by itself (a timeout, a
        # kill); a program that failed at the pids or memory limit with
        # an exit code has it
        code = record.get("exit_code")
        exit_code = int(code) if code is not None else None
        sig = int(record.get("signal", 0))
        if status in _REASONS and not sig and exit_code is None:
            sig = int(_signal.SIGKILL)  # what every limit kills with
        super().__init__(args, -sig if sig else (exit_code or 0), stdout,
                         stderr)
        self.status = status
        self.reason = _REASONS.get(status)
        self.message = str(record.get("message", ""))
        self.exit_code = exit_code
        self.signal = sig or None
        self.wall_time = int(record.get("wall_ms", 0)) / 1000.0
        self.cpu_time = int(record.get("cpu_ms", 0)) / 1000.0
        self.peak_memory = int(record.get("peak_memory_bytes", 0)) or None
        self.stdout_truncated = (bool(record.get("stdout_truncated"))
                                 or stdout_truncated)
        self.stderr_truncated = (bool(record.get("stderr_truncated"))
                                 or stderr_truncated)
        self.disk_full = bool(record.get("disk_full"))
        self.limits = {
            name: Limit(int(v.get("value", 0)), str(v.get("mechanism", "")),
                        bool(v.get("fired")))
            for name, v in dict(record.get("limits") or {}).items()
        }
        self.layers = tuple(record.get("layers") or ())
        self.degraded = bool(record.get("degraded"))
        reason = record.get("degraded_reason")
        self.degraded_reason = str(reason) if reason is not None else None
        self.withheld = tuple(str(p) for p in record.get("withheld") or ())
        hidden = record.get("degraded_not_hidden")
        self.degraded_not_hidden = (tuple(str(w) for w in hidden)
                                    if hidden is not None else None)
        self.id_range = int(record.get("id_range", 0))
        self.json = record

    @property
    def truncated(self) -> bool:
        """True when output of either stream was dropped at the limit."""
        return self.stdout_truncated or self.stderr_truncated

    def check_returncode(self) -> None:
        """Raise CalledProcessError (or TimeoutExpired, when the timeout
        ended the run) unless the program exited with status 0."""
        if self.status == "timeout":
            limit = self.limits.get("wall_ms")
            timeout = limit.value / 1000.0 if limit else 0.0
            raise TimeoutExpired(self.args, timeout, self.stdout or None,
                                 self.stderr or None, self)
        if self.returncode or self.reason is not None:
            raise CalledProcessError(self.returncode, self.args, self.stdout,
                                     self.stderr, self)

    def __repr__(self) -> str:
        text = super().__repr__()
        if self.reason is not None:
            text = (f"{text[:-1]}, status={self.status!r}, "
                    f"reason={self.reason!r})")
        return text


class CalledProcessError(subprocess.CalledProcessError):
    """Raised by ``check=True`` when the program failed.

    A subclass of subprocess.CalledProcessError with the same attributes
    (``returncode``, ``cmd``, ``output``/``stdout``, ``stderr``), plus
    ``result``, the run's :class:`Result`, whose ``status`` and ``reason``
    say whether a limit of the sandbox ended the program.
    """

    result: Optional[Result]

    def __init__(self, returncode: int, cmd: Any, output: Any = None,
                 stderr: Any = None,
                 result: Optional[Result] = None) -> None:
        super().__init__(returncode, cmd, output, stderr)
        self.result = result

    def __str__(self) -> str:
        r = self.result
        if r is not None and r.reason is not None:
            return (f"Command '{self.cmd}' was stopped by the sandbox "
                    f"({r.status}): {r.message}")
        return super().__str__()


class TimeoutExpired(subprocess.TimeoutExpired):
    """Raised by ``check=True`` when the wall-clock timeout killed the run.

    A subclass of subprocess.TimeoutExpired (``cmd``, ``timeout``,
    ``output``/``stdout``, ``stderr``: the output up to the timeout), plus
    ``result``, the run's :class:`Result`.  Every process of the sandbox is
    gone when it is raised.
    """

    result: Optional[Result]

    def __init__(self, cmd: Any, timeout: float, output: Any = None,
                 stderr: Any = None,
                 result: Optional[Result] = None) -> None:
        super().__init__(cmd, timeout, output, stderr)
        self.result = result

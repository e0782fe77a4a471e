"""Run untrusted programs, such as code an AI model wrote, in a throw-away
Linux sandbox, the way subprocess runs trusted ones.

    >>> import sandbox
    >>> r = sandbox.run(["python3", "-c", "print(6 * 7)"], timeout=10)
    >>> r.returncode, r.stdout
    (0, b'42\\n')

Each run gets its own user, PID, mount, network, IPC, UTS and cgroup
namespaces, a root built from read-only system directories, only a
loopback network, a scrubbed environment, no capabilities and a seccomp
filter; limits (timeout, memory, cpu_time, pids, ...) end it with a reason
the result reports.

run() mirrors subprocess.run() and returns a :class:`Result` (a
subprocess.CompletedProcess with the sandbox's fields: status, reason,
wall_time, cpu_time, peak_memory, truncated, limits).  :class:`Sandbox`
keeps a configuration for many runs; run_async() and stream() serve
asyncio without blocking its loop.  One JSON policy document
(docs/policy.md), the one ``sbx run --policy`` reads, configures it too:
``policy=`` (a path or a dict) and ``preset=`` ("default", "strict",
"build"), under the other options; Sandbox.policy() and
Sandbox.explain() show what it allows.  Errors are :class:`SandboxError`
(an OSError), :class:`CalledProcessError` and :class:`TimeoutExpired`
(subclasses of subprocess's).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional

from . import _sandbox as _c
from ._config import (Bind, BindSpec, Env, Network, Policy, Preset, Size,
                      StrPath, Writable, parse_size)
from ._errors import SandboxError
from ._exec import (DEVNULL, INHERIT, PIPE, STDOUT, Args, Callback, File,
                    Input)
from ._result import (CalledProcessError, Chunk, Limit, Result,
                      TimeoutExpired)
from ._run import Sandbox, run_options

if TYPE_CHECKING:
    from ._aio import Stream

__all__ = [
    "run", "run_async", "stream", "Sandbox", "Result", "Limit", "Chunk",
    "Stream", "Bind", "SandboxError", "CalledProcessError",
    "TimeoutExpired", "PIPE", "DEVNULL", "STDOUT", "INHERIT", "parse_size",
    "library_version",
]

__version__: str = _c.sbx_version()


def library_version() -> str:
    """The version of the C library libsandbox in use."""
    return str(_c.sbx_version())


def __getattr__(name: str) -> Any:
    # Stream lives with asyncio; import it only when asked for.
    if name == "Stream":
        from ._aio import Stream

        return Stream
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")


# The keywords of Sandbox() that run(), run_async() and stream() take as
# they are; timeout is the run's own (Sandbox.run(timeout=...)).
_SANDBOX_KEYWORDS = tuple(
    name for name in inspect.signature(Sandbox).parameters
    if name != "timeout")


def _sandbox_of(arguments: Mapping[str, Any]) -> Sandbox:
    """A Sandbox of the sandbox options among a function's arguments
    (its locals()): each function names them all, so none is dropped."""
    return Sandbox(**{name: arguments[name] for name in _SANDBOX_KEYWORDS})


def run(args: Args, *, input: Input = None,
        stdin: File = None, stdout: File = None, stderr: File = None,
        capture_output: bool = True, text: bool = False,
        encoding: Optional[str] = None, errors: Optional[str] = None,
        check: bool = False, shell: bool = False, pty: bool = False,
        on_stdout: Optional[Callback] = None,
        on_stderr: Optional[Callback] = None,
        timeout: Optional[float] = None, cpu_time: Optional[float] = None,
        memory: Optional[Size] = None, pids: Optional[int] = None,
        file_size: Optional[Size] = None, open_files: Optional[int] = None,
        disk: Optional[Size] = None, output_limit: Optional[Size] = None,
        cpus: Optional[float] = None,
        env: Optional[Env] = None,
        cwd: Optional[StrPath] = None, workspace: Optional[StrPath] = None,
        writable: Optional[Writable] = None, binds: Iterable[BindSpec] = (),
        network: Optional[Network] = None, seccomp_kill: Optional[bool] = None,
        single_id: Optional[bool] = None, preset: Optional[Preset] = None,
        policy: Optional[Policy] = None,
        allow_degraded: Optional[bool] = None, require: Iterable[str] = (),
        read_only: Optional[bool] = None,
        allow_setid: Optional[bool] = None,
        allow_trusted_paths: Optional[bool] = None) -> Result:
    """Run ``args`` in a new sandbox, wait for it, return a Result.

    Like subprocess.run(), with output captured by default: ``input``,
    ``stdin``/``stdout``/``stderr``, ``capture_output``, ``text``,
    ``encoding``, ``errors``, ``check``, ``shell`` and ``timeout`` mean
    what they mean there (see Sandbox.run() for the differences: stdin is
    /dev/null by default, and without ``check`` a timeout returns a
    Result whose ``reason`` is "timeout").  ``on_stdout``/``on_stderr``
    stream output to a callback.  The sandbox options (``memory``,
    ``cpu_time``, ``pids``, ``env``, ``workspace``, ``network``,
    ``preset``, ``policy``, ``require``, ...) are those of
    :class:`Sandbox`; sizes take ints or strings like "256M".  A
    ``policy`` (a JSON file's path or a dict) is applied after the
    ``preset`` and before the other options, which override it.

    Raises SandboxError when the sandbox cannot be set up, and with
    ``check=True`` CalledProcessError or TimeoutExpired.
    """
    with _sandbox_of(locals()) as sb:
        return sb.run(args, check=check, **run_options(locals()))


async def run_async(args: Args, *, input: Input = None,
                    stdin: File = None, stdout: File = None,
                    stderr: File = None,
                    capture_output: bool = True, text: bool = False,
                    encoding: Optional[str] = None,
                    errors: Optional[str] = None, check: bool = False,
                    shell: bool = False, pty: bool = False,
                    on_stdout: Optional[Callback] = None,
                    on_stderr: Optional[Callback] = None,
                    timeout: Optional[float] = None,
                    cpu_time: Optional[float] = None,
                    memory: Optional[Size] = None, pids: Optional[int] = None,
                    file_size: Optional[Size] = None,
                    open_files: Optional[int] = None,
                    disk: Optional[Size] = None,
                    output_limit: Optional[Size] = None,
                    cpus: Optional[float] = None,
                    env: Optional[Env] = None,
                    cwd: Optional[StrPath] = None,
                    workspace: Optional[StrPath] = None,
                    writable: Optional[Writable] = None,
                    binds: Iterable[BindSpec] = (),
                    network: Optional[Network] = None,
                    seccomp_kill: Optional[bool] = None,
                    single_id: Optional[bool] = None,
                    preset: Optional[Preset] = None,
                    policy: Optional[Policy] = None,
                    allow_degraded: Optional[bool] = None,
                    require: Iterable[str] = (),
                    read_only: Optional[bool] = None,
                    allow_setid: Optional[bool] = None,
                    allow_trusted_paths: Optional[bool] = None) -> Result:
    """run() for asyncio: the same arguments and Result, and the event
    loop keeps running meanwhile.  Cancelling the task kills the sandbox
    (every process of it is gone when CancelledError propagates)."""
    sb = _sandbox_of(locals())
    try:
        return await sb.run_async(args, check=check,
                                  **run_options(locals()))
    finally:
        sb.close()


def stream(args: Args, *, input: Input = None,
           stdin: File = None, text: bool = False,
           encoding: Optional[str] = None, errors: Optional[str] = None,
           check: bool = False, shell: bool = False, pty: bool = False,
           timeout: Optional[float] = None, cpu_time: Optional[float] = None,
           memory: Optional[Size] = None, pids: Optional[int] = None,
           file_size: Optional[Size] = None, open_files: Optional[int] = None,
           disk: Optional[Size] = None, output_limit: Optional[Size] = None,
           cpus: Optional[float] = None,
           env: Optional[Env] = None,
           cwd: Optional[StrPath] = None, workspace: Optional[StrPath] = None,
           writable: Optional[Writable] = None,
           binds: Iterable[BindSpec] = (), network: Optional[Network] = None,
           seccomp_kill: Optional[bool] = None,
           single_id: Optional[bool] = None, preset: Optional[Preset] = None,
           policy: Optional[Policy] = None,
           allow_degraded: Optional[bool] = None, require: Iterable[str] = (),
           read_only: Optional[bool] = None,
           allow_setid: Optional[bool] = None,
           allow_trusted_paths: Optional[bool] = None) -> "Stream":
    """Start ``args`` in a new sandbox and return a :class:`Stream`, an
    async iterator of its output chunks; call it from a coroutine::

        async with sandbox.stream(["pytest", "-x"], timeout=600) as run:
            async for chunk in run:
                print(chunk.stream, chunk.data)
        print(run.result.status)

    The options are those of run().
    """
    from ._aio import Stream

    sb = _sandbox_of(locals())
    return Stream(sb, args, run_options(locals()), check, close_owner=True)

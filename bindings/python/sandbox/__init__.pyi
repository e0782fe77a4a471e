# Type stubs of the sandbox package (its public API; see __init__.py).
import enum
import os
import subprocess
from types import TracebackType
from typing import (Any, AsyncIterator, Callable, Dict, Final, IO, Iterable,
                    Literal, Mapping, NamedTuple, Optional, Sequence, Tuple,
                    Type, Union)

__all__ = [
    "run", "run_async", "stream", "Sandbox", "Result", "Limit", "Chunk",
    "Stream", "Bind", "SandboxError", "CalledProcessError",
    "TimeoutExpired", "PIPE", "DEVNULL", "STDOUT", "INHERIT", "parse_size",
    "library_version",
]

__version__: str

StrPath = Union[str, os.PathLike[str]]
Size = Union[int, str]
Policy = Union[StrPath, Mapping[str, Any]]
Args = Union[StrPath, bytes, Sequence[Union[StrPath, bytes]]]
Callback = Callable[[Union[bytes, str]], Any]

class _Special(enum.Enum):
    INHERIT = "INHERIT"

PIPE: Final[int]
DEVNULL: Final[int]
STDOUT: Final[int]
INHERIT: Final[_Special]

# stdin / stdout / stderr: None, PIPE, DEVNULL, STDOUT (stderr only),
# INHERIT, a file descriptor or a file object (the caller's descriptors
# are relayed by the supervisor, never handed to the program).
# pty=True: the program's own terminal as stdout (and as stderr when that
# goes where stdout goes), relayed like a pipe.
_File = Union[None, int, _Special, IO[Any]]
_Input = Union[bytes, bytearray, memoryview, str, None]
_Bind = Union[StrPath, Tuple[StrPath, StrPath], "Bind"]
_Env = Mapping[str, Optional[str]]
# The presets shipped with the library (docs/policy.md).
_Preset = Literal["default", "strict", "build"]
# Network modes (docs/policy.md, "network").
_Network = Literal["none", "host"]
# writable: read-only, copy-on-write, or a live bind.
_Writable = Union[bool, Literal["live"]]

def library_version() -> str: ...
def parse_size(text: Union[int, str]) -> int: ...

class Bind(NamedTuple):
    src: StrPath
    dst: Optional[StrPath] = None
    writable: bool = False
    optional: bool = False

class Limit(NamedTuple):
    value: int
    mechanism: str
    fired: bool

class Chunk(NamedTuple):
    stream: str
    data: Union[bytes, str]

class Result(subprocess.CompletedProcess[Any]):
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
    id_range: int
    json: Dict[str, Any]
    def __init__(self, args: Any, record: Dict[str, Any], stdout: Any = None,
                 stderr: Any = None, *, stdout_truncated: bool = False,
                 stderr_truncated: bool = False) -> None: ...
    @property
    def truncated(self) -> bool: ...
    def check_returncode(self) -> None: ...

class SandboxError(OSError):
    step: Optional[str]
    result: Optional[Result]
    def __init__(self, errno: int, message: str, step: Optional[str] = None,
                 result: Optional[Result] = None) -> None: ...
    @property
    def message(self) -> str: ...

class CalledProcessError(subprocess.CalledProcessError):
    result: Optional[Result]
    def __init__(self, returncode: int, cmd: Any, output: Any = None,
                 stderr: Any = None,
                 result: Optional[Result] = None) -> None: ...

class TimeoutExpired(subprocess.TimeoutExpired):
    result: Optional[Result]
    def __init__(self, cmd: Any, timeout: float, output: Any = None,
                 stderr: Any = None,
                 result: Optional[Result] = None) -> None: ...

class Stream(AsyncIterator[Chunk]):
    result: Optional[Result]
    def __aiter__(self) -> Stream: ...
    async def __anext__(self) -> Chunk: ...
    def kill(self) -> None: ...
    async def wait(self) -> Result: ...
    async def __aenter__(self) -> Stream: ...
    async def __aexit__(self, et: Optional[Type[BaseException]],
                        e: Optional[BaseException],
                        tb: Optional[TracebackType]) -> None: ...

class Sandbox:
    def __init__(self, *, timeout: Optional[float] = None,
                 cpu_time: Optional[float] = None,
                 memory: Optional[Size] = None, pids: Optional[int] = None,
                 file_size: Optional[Size] = None,
                 open_files: Optional[int] = None,
                 disk: Optional[Size] = None,
                 output_limit: Optional[Size] = None,
                 cpus: Optional[float] = None, env: Optional[_Env] = None,
                 cwd: Optional[StrPath] = None,
                 workspace: Optional[StrPath] = None,
                 writable: Optional[_Writable] = None,
                 binds: Iterable[_Bind] = (),
                 network: Optional[_Network] = None,
                 seccomp_kill: Optional[bool] = None,
                 single_id: Optional[bool] = None,
                 preset: Optional[_Preset] = None,
                 policy: Optional[Policy] = None,
                 allow_degraded: Optional[bool] = None,
                 require: Iterable[str] = (),
                 read_only: Optional[bool] = None,
                 allow_setid: Optional[bool] = None,
                 allow_trusted_paths: Optional[bool] = None) -> None: ...
    def run(self, args: Args, *, input: _Input = None, stdin: _File = None,
            stdout: _File = None, stderr: _File = None,
            capture_output: bool = True, text: bool = False,
            encoding: Optional[str] = None, errors: Optional[str] = None,
            check: bool = False, shell: bool = False, pty: bool = False,
            timeout: Optional[float] = None,
            on_stdout: Optional[Callback] = None,
            on_stderr: Optional[Callback] = None) -> Result: ...
    async def run_async(self, args: Args, *, input: _Input = None,
                        stdin: _File = None, stdout: _File = None,
                        stderr: _File = None, capture_output: bool = True,
                        text: bool = False, encoding: Optional[str] = None,
                        errors: Optional[str] = None, check: bool = False,
                        shell: bool = False, pty: bool = False,
                        timeout: Optional[float] = None,
                        on_stdout: Optional[Callback] = None,
                        on_stderr: Optional[Callback] = None) -> Result: ...
    def stream(self, args: Args, *, input: _Input = None,
               stdin: _File = None, text: bool = False,
               encoding: Optional[str] = None, errors: Optional[str] = None,
               check: bool = False, shell: bool = False, pty: bool = False,
               timeout: Optional[float] = None) -> Stream: ...
    def policy(self) -> Dict[str, Any]: ...
    def explain(self, what: StrPath) -> Dict[str, Any]: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Sandbox: ...
    def __exit__(self, et: Optional[Type[BaseException]],
                 e: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None: ...

def run(args: Args, *, input: _Input = None, stdin: _File = None,
        stdout: _File = None, stderr: _File = None,
        capture_output: bool = True, text: bool = False,
        encoding: Optional[str] = None, errors: Optional[str] = None,
        check: bool = False, shell: bool = False, pty: bool = False,
        on_stdout: Optional[Callback] = None,
        on_stderr: Optional[Callback] = None,
        timeout: Optional[float] = None, cpu_time: Optional[float] = None,
        memory: Optional[Size] = None, pids: Optional[int] = None,
        file_size: Optional[Size] = None, open_files: Optional[int] = None,
        disk: Optional[Size] = None, output_limit: Optional[Size] = None,
        cpus: Optional[float] = None, env: Optional[_Env] = None,
        cwd: Optional[StrPath] = None, workspace: Optional[StrPath] = None,
        writable: Optional[_Writable] = None,
        binds: Iterable[_Bind] = (),
        network: Optional[_Network] = None,
        seccomp_kill: Optional[bool] = None,
        single_id: Optional[bool] = None, preset: Optional[_Preset] = None,
        policy: Optional[Policy] = None,
        allow_degraded: Optional[bool] = None, require: Iterable[str] = (),
        read_only: Optional[bool] = None,
        allow_setid: Optional[bool] = None,
        allow_trusted_paths: Optional[bool] = None) -> Result: ...

async def run_async(args: Args, *, input: _Input = None, stdin: _File = None,
                    stdout: _File = None, stderr: _File = None,
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
                    cpus: Optional[float] = None, env: Optional[_Env] = None,
                    cwd: Optional[StrPath] = None,
                    workspace: Optional[StrPath] = None,
                    writable: Optional[_Writable] = None,
                    binds: Iterable[_Bind] = (),
                    network: Optional[_Network] = None,
                    seccomp_kill: Optional[bool] = None,
                    single_id: Optional[bool] = None,
                    preset: Optional[_Preset] = None,
                    policy: Optional[Policy] = None,
                    allow_degraded: Optional[bool] = None,
                    require: Iterable[str] = (),
                    read_only: Optional[bool] = None,
                    allow_setid: Optional[bool] = None,
                    allow_trusted_paths: Optional[bool] = None) -> Result: ...

def stream(args: Args, *, input: _Input = None, stdin: _File = None,
           text: bool = False, encoding: Optional[str] = None,
           errors: Optional[str] = None, check: bool = False,
           shell: bool = False, pty: bool = False,
           timeout: Optional[float] = None,
           cpu_time: Optional[float] = None, memory: Optional[Size] = None,
           pids: Optional[int] = None, file_size: Optional[Size] = None,
           open_files: Optional[int] = None, disk: Optional[Size] = None,
           output_limit: Optional[Size] = None, cpus: Optional[float] = None,
           env: Optional[_Env] = None, cwd: Optional[StrPath] = None,
           workspace: Optional[StrPath] = None,
           writable: Optional[_Writable] = None,
           binds: Iterable[_Bind] = (),
           network: Optional[_Network] = None,
           seccomp_kill: Optional[bool] = None,
           single_id: Optional[bool] = None,
           preset: Optional[_Preset] = None, policy: Optional[Policy] = None,
           allow_degraded: Optional[bool] = None, require: Iterable[str] = (),
           read_only: Optional[bool] = None,
           allow_setid: Optional[bool] = None,
           allow_trusted_paths: Optional[bool] = None) -> Stream: ...

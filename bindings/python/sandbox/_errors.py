"""SandboxError: the sandbox could not be configured, started or built.
(The exceptions of check=True are the result's: _result.py.)"""

from __future__ import annotations

import errno as _errno
import os
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from ._result import Result


class SandboxError(OSError):
    """The sandbox could not be configured, started or built.

    ``errno`` is the library's errno value and ``strerror`` (also
    ``message``) its message, which says what failed and what to do.
    ``step`` names the setup step that failed inside the supervisor
    ("namespaces", "mount", "exec", ...) or is None for errors of the
    calling process, and ``result`` is the run's :class:`Result` when the
    run got that far.

    The exception raised is also an instance of the builtin OSError
    subclass of its errno, so code written for subprocess keeps working:
    a program missing inside the sandbox raises an error that is a
    FileNotFoundError, as subprocess.run() does for a missing program.
    Invalid configuration values (EINVAL) are also a ValueError.
    """

    step: Optional[str]
    result: Optional["Result"]

    def __init__(self, errno: int, message: str, step: Optional[str] = None,
                 result: Optional["Result"] = None) -> None:
        super().__init__(errno, message)
        self.step = step
        self.result = result

    @property
    def message(self) -> str:
        """The library's message (the same as ``strerror``)."""
        return self.strerror or ""

    def __str__(self) -> str:
        name = _errno.errorcode.get(self.errno or 0, str(self.errno))
        return f"{self.strerror} [{name}]"


class SandboxFileNotFoundError(SandboxError, FileNotFoundError):
    """A SandboxError with ENOENT: also a FileNotFoundError."""


class SandboxPermissionError(SandboxError, PermissionError):
    """A SandboxError with EACCES or EPERM: also a PermissionError."""


class SandboxNotADirectoryError(SandboxError, NotADirectoryError):
    """A SandboxError with ENOTDIR: also a NotADirectoryError."""


class SandboxValueError(SandboxError, ValueError):
    """An invalid configuration value (EINVAL, ERANGE): also a ValueError."""


_BY_ERRNO = {
    _errno.ENOENT: SandboxFileNotFoundError,
    _errno.EACCES: SandboxPermissionError,
    _errno.EPERM: SandboxPermissionError,
    _errno.ENOTDIR: SandboxNotADirectoryError,
}


def sandbox_error(err: int, message: str, *, step: Optional[str] = None,
                  result: Optional["Result"] = None,
                  config: bool = False) -> SandboxError:
    """The SandboxError for a positive errno value.

    ``config`` marks errors of configuration calls, where EINVAL and
    ERANGE mean a bad value (so also a ValueError); in the supervisor's
    setup they mean something else failed.
    """
    if not message:
        message = os.strerror(err)
    cls = _BY_ERRNO.get(err, SandboxError)
    if config and err in (_errno.EINVAL, _errno.ERANGE, _errno.E2BIG):
        cls = SandboxValueError
    return cls(err, message, step, result)

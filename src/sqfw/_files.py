"""Writing files atomically: a file sqfw writes is whole, or it is not there.

Every file sqfw writes goes to a temporary file beside the target, which is flushed,
synced and renamed over the target only when everything was written. An error — or an
interrupt (SIGINT) — while writing removes the temporary file and leaves any earlier file
at the target as it was.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal, overload

__all__ = ["atomic_write"]


@overload
def atomic_write(
    path: str | os.PathLike[str], mode: Literal["w"] = "w", *, encoding: str = "utf-8"
) -> contextlib.AbstractContextManager[IO[str]]: ...


@overload
def atomic_write(
    path: str | os.PathLike[str], mode: Literal["wb"], *, encoding: str = "utf-8"
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_write(
    path: str | os.PathLike[str], mode: str = "w", *, encoding: str = "utf-8"
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """A file to write to, renamed to ``path`` when the ``with`` block ends without error.

    Args:
        path: the file to (re)place.
        mode: ``"w"`` for text (``encoding``; newlines as written) or ``"wb"`` for bytes.
        encoding: the text encoding.

    Raises:
        OSError: the folder does not exist or cannot be written; nothing is left behind.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode: expected 'w' or 'wb', got {mode!r}")
    opened: contextlib.AbstractContextManager[Any] = _atomic(Path(path), mode, encoding)
    return opened


@contextlib.contextmanager
def _atomic(target: Path, mode: str, encoding: str) -> Iterator[IO[str] | IO[bytes]]:
    folder = target.parent
    # an interrupt between creating the temporary file and guarding it would leave it
    # behind: hold SIGINT back until the guard is in place (it is delivered just after)
    blocked = _block_interrupts()
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=folder if str(folder) else "."
        )
    except BaseException:
        _restore(blocked)
        raise
    try:
        _restore(blocked)
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary open() would create it
        if mode == "wb":
            stream: IO[str] | IO[bytes] = os.fdopen(descriptor, "wb")
        else:
            stream = os.fdopen(descriptor, "w", encoding=encoding, newline="")
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _block_interrupts() -> set[int | signal.Signals] | None:
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _restore(previous: set[int | signal.Signals] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)

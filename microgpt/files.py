"""Writing a file atomically: readers see the old file or the complete new one, never half of it.

Used by `weights.save` (lesson 07) and the dataset download (lesson 02). What may be replaced is decided
here once: a regular file that is not read-only, or nothing. Folders, devices (/dev/null), pipes and
symbolic links are refused, so saving can never replace something that is not a plain file.
"""

import os
import signal
import stat
import tempfile

from .errors import MicrogptError


class TargetError(MicrogptError):
    """A path that must not be written to: a folder, a device, a pipe, a symbolic link, a read-only file."""


def check_target(path):
    """Refuse a path that atomic_write must not replace (a missing file is fine). Used in lesson 07."""
    if not path:
        raise TargetError("the file name to write to is empty")
    if str(path).endswith(("/", os.sep)):
        raise TargetError(f"{path} names a folder; give a file name such as {os.path.join(path, 'weights.json')}")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except (OSError, ValueError) as err:  # e.g. a NUL character in the path, or a parent that is a file
        raise TargetError(f"cannot write to {path!r}: {getattr(err, 'strerror', None) or err}") from None
    if stat.S_ISLNK(info.st_mode):
        raise TargetError(f"{path} is a symbolic link (to {os.readlink(path)}); give the path of the file itself, "
                          "this package does not write through links")
    if stat.S_ISDIR(info.st_mode):
        raise TargetError(f"{path} is a folder; give a file name such as {os.path.join(path, 'weights.json')}")
    if not stat.S_ISREG(info.st_mode):
        raise TargetError(f"{path} is not a regular file (a device or a pipe) and will not be replaced; "
                          "give the name of a regular file")
    if not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise TargetError(f"{path} is read-only and was left as it is; make it writable or choose another name")


def atomic_write(path, data):
    """Write bytes to `path` through a temporary file in the same folder and a rename. Used in lesson 07.

    SIGINT and SIGTERM are held back while the file is written and renamed (where the system allows), so
    an interrupted program leaves the old file or the new one, and no temporary `.microgpt-*.part` file.
    """
    check_target(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    held = _hold_signals()
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".microgpt-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            umask = os.umask(0)  # mkstemp makes the file private (0600); give it the usual permissions
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)  # atomic on POSIX and Windows
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise
    finally:
        _release_signals(held)  # a signal that came meanwhile is delivered now, after the clean-up


_SIGNALS = {signal.SIGINT, getattr(signal, "SIGTERM", signal.SIGINT)}


def _hold_signals():
    """Block SIGINT and SIGTERM; returns what to restore (None where blocking is not available)."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: the except clause above cleans up instead
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)


def _release_signals(held):
    """Restore the signal mask that _hold_signals replaced."""
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)

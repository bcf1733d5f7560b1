"""In IPython and Jupyter, show an error the library raises as PyTorch does: the caller's lines and the message.

An error raised inside autograd_kit (in-place on a leaf, backward twice, a shape mismatch) would
otherwise show five to eight frames of library internals under the learner's line; PyTorch's
errors come from C++ and show none. When the package is imported inside IPython, ``install()``
registers a custom exception handler that drops the *trailing* frames that lie inside the package
before IPython formats the traceback, so the last frame shown is the learner's own call. Errors
raised in the learner's code (a hook, a custom Function) keep every frame, and so does plain
Python, where nothing is installed. ``%xmode Verbose`` shows the library frames in IPython too.

Nothing here runs per operation: the handler only runs when an exception reaches the top of a cell.
IPython's ``__tracebackhide__`` is not used because it needs a local variable in every raising
frame (hot paths included) and always keeps the innermost frame.
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

__all__ = ["learner_traceback", "install", "ERROR_TYPES"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
# the types the library raises on purpose, as PyTorch does; anything else shows in full
ERROR_TYPES = (RuntimeError, TypeError, ValueError, IndexError, NotImplementedError)
_MARK = "_autograd_kit_tracebacks"


def _in_package(tb: types.TracebackType) -> bool:
    return tb.tb_frame.f_code.co_filename.startswith(_PACKAGE_DIR)


def learner_traceback(tb: types.TracebackType | None) -> types.TracebackType | None:
    """``tb`` without its trailing frames inside autograd_kit (``tb`` itself when it has none)."""
    frames = []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    keep = len(frames)
    while keep > 1 and _in_package(frames[keep - 1]):
        keep -= 1
    if keep == len(frames):
        return frames[0] if frames else None
    # a new chain, so the exception's own __traceback__ (and a debugger's view of it) stays whole
    trimmed = None
    for frame in reversed(frames[:keep]):
        trimmed = types.TracebackType(trimmed, frame.tb_frame, frame.tb_lasti, frame.tb_lineno)
    return trimmed


def _show(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> None:
    if getattr(shell.InteractiveTB, "mode", "") != "Verbose":
        tb = learner_traceback(tb)
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def install() -> bool:
    """Register the handler in the running IPython shell, if any and if it has no handler of its own."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if getattr(shell, _MARK, False) and shell.custom_exceptions == ERROR_TYPES:
        return True
    if getattr(shell, "custom_exceptions", ()):  # someone else's handler: leave it alone
        return False
    shell.set_custom_exc(ERROR_TYPES, _show)
    setattr(shell, _MARK, True)
    return True

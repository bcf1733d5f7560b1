"""PyTorch's ``torch.autograd.profiler``: ``profile`` and ``record_function`` (``profile.py``),
the events they record (``recorder.py``, ``../profiler_util.py``), the table (``table.py``) and
the Chrome trace (``trace.py``)."""

from ..profiler_util import EventList, FunctionEvent, FunctionEventAvg
from .session import profile, record_function

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg"]

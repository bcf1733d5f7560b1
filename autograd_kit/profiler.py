"""``autograd_kit.profiler``: PyTorch's ``torch.profiler`` names for the autograd profiler.

The same ``profile`` and ``record_function`` as ``autograd_kit.autograd.profiler`` (there is no
``ProfilerActivity`` or ``schedule``: a NumPy engine has only the CPU to profile).
"""

from __future__ import annotations

from .autograd.profiler.session import EventList, FunctionEvent, FunctionEventAvg, profile, record_function

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg"]

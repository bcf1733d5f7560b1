"""(being written) shape ops."""

from __future__ import annotations

__all__: list[str] = []

TENSOR_METHODS: dict = {}

"""(being written) pointwise ops."""

from __future__ import annotations

__all__: list[str] = []

TENSOR_METHODS: dict = {}

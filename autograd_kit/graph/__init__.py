"""The backward graph and what runs it: nodes (``node.py``), the op base ``Function`` and its
ctx (``function.py``, ``ctx.py``), how a built-in or custom op records a node
(``builtin_apply.py``, ``custom_function.py``), views, and the engine with its hooks and
gradient helpers (``engine.py``, ``hooks.py``, ``gradients.py``)."""

__all__: list[str] = []

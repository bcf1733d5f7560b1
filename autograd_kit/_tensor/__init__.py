"""The Tensor itself: the class (``tensor.py``), conversions (``convert.py``), printing
(``printing.py``) and ``device``. Underscored because ``autograd_kit.tensor`` is PyTorch's
creation function; users import all of it from the package root."""

__all__: list[str] = []

"""The checked-in Tensor stub lists every method, the attached ones included, so IDEs complete
``x.sin()`` and a reader finds where it lives; it must match what the package installs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import autograd_kit as ak
from autograd_kit._bindings import tensor_methods

ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "autograd_kit" / "_tensor" / "tensor.pyi"


def test_stub_is_up_to_date():
    script = ROOT / "scripts" / "generate_tensor_stub.py"
    result = subprocess.run([sys.executable, str(script), "--check"], cwd=ROOT)
    assert result.returncode == 0, "run: .venv/bin/python scripts/generate_tensor_stub.py"


def test_stub_names_every_attached_method_and_its_family():
    text = STUB.read_text()
    for name in tensor_methods():
        assert f"    def {name}(" in text
    assert "    def sin(self) -> Any: ...  # ops.pointwise" in text
    assert "    def sum(" in text and "# ops.reduction" in text


def test_attached_methods_are_the_installed_ones():
    for name, method in tensor_methods().items():
        assert getattr(ak.Tensor, name) is method

"""The core never imports the widgets' dependencies; the widgets never import torch."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_core_import_loads_no_widget_dependencies():
    out = run(
        """
        import sys
        import autograd_kit
        import autograd_kit.graph.engine, autograd_kit.autograd
        heavy = [m for m in ("ipywidgets", "matplotlib", "IPython", "autograd_kit.widgets") if m in sys.modules]
        print(heavy)
        """
    )
    assert out == "[]"


def test_widgets_work_without_importing_torch():
    out = run(
        """
        import sys
        import numpy as np
        from autograd_kit._tensor.tensor import wrap_array
        from autograd_kit.widgets import BackwardStepper, GraphView
        a = wrap_array(np.ones(3, dtype=np.float32)).requires_grad_()
        loss = (a * a).sum()
        GraphView(loss, show_saved=True).to_svg()
        BackwardStepper(loss).step()
        print("ipywidgets" in sys.modules, "torch" in sys.modules)
        """
    )
    assert out == "True False"

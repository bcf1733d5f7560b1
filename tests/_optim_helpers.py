"""The starting weights and loss coefficients shared by the test_optim_*.py files."""

from __future__ import annotations

import numpy as np

RNG = np.random.default_rng(0)
W0 = RNG.standard_normal((3, 4))
C = RNG.standard_normal((3, 4))

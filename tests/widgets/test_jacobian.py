"""JacobianView: the heatmap's data against jacobian/hessian results, blocks, values, bad input, repr."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_kit as ak
from autograd_kit.autograd.functional import hessian, jacobian
from autograd_kit.widgets import JacobianView

pytestmark = pytest.mark.usefixtures("no_open_figures")


def heat(view: JacobianView) -> np.ndarray:
    """The array drawn by the heatmap."""
    return np.asarray(view.figure.axes[0].images[0].get_array())


def texts(view: JacobianView) -> list[str]:
    return [t.get_text() for t in view.figure.axes[0].texts]


def test_square_jacobian_heatmap_values_and_toggle():
    x = ak.tensor([1.0, -2.0, 3.0])
    view = JacobianView(jacobian(lambda x: x**2, x), x)
    np.testing.assert_array_equal(heat(view), np.diag([2.0, -4.0, 6.0]))
    assert view.figure.axes[0].images[0].get_clim() == (-6.0, 6.0)  # symmetric: zero is white
    assert texts(view) == ["2", "0", "0", "0", "-4", "0", "0", "0", "6"]
    assert "max |M - Mᵀ|" in view.report.value and "(symmetric)" in view.report.value
    assert "6 of 9" in view.report.value  # zeros
    before = bytes(view.image.value)
    view.values.value = False
    assert texts(view) == [] and bytes(view.image.value) != before
    assert view.block.layout.display == "none"  # one block: nothing to choose


def test_tuple_inputs_make_blocks_and_the_dropdown_zooms():
    ak.manual_seed(0)
    a, b = ak.randn(2, 3), ak.randn(3, 2)
    ja, jb = jacobian(lambda a, b: a @ b, (a, b))
    view = JacobianView.of(lambda a, b: a @ b, (a, b), names=["a", "b"])
    full = np.hstack([ja.numpy().reshape(4, 6), jb.numpy().reshape(4, 6)])
    np.testing.assert_array_equal(heat(view), full)
    ax = view.figure.axes[0]
    assert [ln.get_xdata()[0] for ln in ax.get_lines()] == [5.5]  # the line between the two blocks
    assert ax.get_xlabel() == "inputs: a | b (flattened)"
    assert [label for label, _ in view.block.options] == ["all blocks", "d out / d a", "d out / d b"]
    view.block.value = (0, 1)
    np.testing.assert_array_equal(heat(view), jb.numpy().reshape(4, 6))
    np.testing.assert_array_equal(view.matrix, jb.numpy().reshape(4, 6))
    assert ax is not view.figure.axes[0] and view.figure.axes[0].get_lines() == []
    assert repr(view) == "JacobianView(kind='jacobian', shape=[4, 12], blocks=1x2)"


def test_hessian_of_two_inputs_is_a_symmetric_block_matrix():
    x, y = ak.tensor([1.0, 2.0, 3.0]), ak.tensor([1.0, -1.0])

    def f(x, y):
        return (x**2).sum() * y.sum() + (y**3).sum()

    view = JacobianView.of(f, (x, y), hessian=True, names=["x", "y"])
    h = hessian(f, (x, y))
    expected = np.block([[h[0][0].numpy(), h[0][1].numpy()], [h[1][0].numpy(), h[1][1].numpy()]])
    np.testing.assert_array_equal(heat(view), expected)
    np.testing.assert_allclose(expected[3:, 3:], np.diag([6.0, -6.0]))
    assert view.kind == "hessian" and "(symmetric)" in view.report.value
    assert view.figure.axes[0].get_ylabel() == "inputs: x | y"
    assert [label for label, _ in view.block.options][1:] == [
        "d x / d x",
        "d x / d y",
        "d y / d x",
        "d y / d y",
    ]
    view.block.value = (1, 1)
    assert texts(view) == ["6", "0", "0", "-6"]


def test_several_outputs_of_one_input_stack_as_rows():
    x = ak.tensor([0.5, 1.0])
    view = JacobianView.of(lambda x: (x.sin(), x.cos()), x)
    assert repr(view) == "JacobianView(kind='jacobian', shape=[4, 2], blocks=2x1)"
    np.testing.assert_allclose(
        heat(view), np.vstack([np.diag(np.cos([0.5, 1.0])), np.diag(-np.sin([0.5, 1.0]))])
    )
    assert [ln.get_ydata()[0] for ln in view.figure.axes[0].get_lines()] == [1.5]


def test_shapes_without_inputs_and_scalar_outputs():
    grad_row = JacobianView(ak.tensor([1.0, 2.0, 3.0]))  # gradient of a scalar output: one row
    np.testing.assert_array_equal(heat(grad_row), [[1.0, 2.0, 3.0]])
    column = JacobianView(ak.tensor([1.0, 2.0, 3.0]), ak.tensor(0.5))  # R -> R^3: one column
    np.testing.assert_array_equal(heat(column), [[1.0], [2.0], [3.0]])
    four_d = JacobianView(ak.arange(36.0).reshape(2, 3, 2, 3))
    assert heat(four_d).shape == (6, 6)
    assert "read as outputs [2, 3] x inputs [2, 3]; pass inputs= to say otherwise" in four_d.message.value


def test_non_finite_entries_and_big_matrices_are_noted():
    view = JacobianView(ak.tensor([[1.0, float("inf")], [float("nan"), 0.0]]))
    assert "2 entries are not finite (drawn blank)" in view.message.value
    big = JacobianView(ak.ones(30, 30), annotate=True)
    assert "900 cells are too many to print values" in big.message.value and texts(big) == []
    assert not JacobianView(ak.ones(30, 30)).values.value  # off by default when large


def test_bad_input_raises_clear_errors():
    with pytest.raises(
        TypeError, match="expects a tensor, a tuple of tensors .* found a value of type float"
    ):
        JacobianView([[1.0, 2.0]])
    with pytest.raises(TypeError, match="got list \\(empty\\)"):
        JacobianView([])
    with pytest.raises(TypeError, match="got ndarray"):
        JacobianView(np.eye(2))
    with pytest.raises(TypeError, match="got tuple \\(empty\\)"):
        JacobianView(())
    with pytest.raises(ValueError, match="does not end with the input's shape \\[4\\]"):
        JacobianView(ak.ones(3, 3), ak.ones(4))
    with pytest.raises(ValueError, match="inputs= must be the 2 tensor\\(s\\)"):
        JacobianView((ak.ones(3), ak.ones(3)), ak.ones(3))
    with pytest.raises(ValueError, match="JacobianView.of: jacobian\\(func, inputs\\) raised IndexError"):
        JacobianView.of(lambda x: x[10], ak.ones(3))
    with pytest.raises(ValueError, match="kind must be 'jacobian' or 'hessian'"):
        JacobianView(ak.ones(2, 2), kind="gradient")


def test_repr_is_stable():
    x = ak.tensor([1.0, 2.0])
    assert repr(JacobianView.of(lambda x: (x**3).sum(), x, hessian=True)) == (
        "JacobianView(kind='hessian', shape=[2, 2], blocks=1x1)"
    )

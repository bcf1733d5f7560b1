"""PyTorch's tutorial "The Fundamentals of Autograd" (tracking, backward, turning autograd off and
on, detach, in-place): the tutorial's code with ``ak`` (autograd_kit) where it says ``torch``. Every
expected output below is what torch 2.13 prints for the same code (object addresses normalised
to ADDR).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import autograd_kit as ak


def printed(capsys) -> str:
    return re.sub(r"0x[0-9a-f]+", "ADDR", capsys.readouterr().out)


def test_tracking_the_computation(capsys):
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    print(a)
    b = ak.sin(a)
    print(b)
    c = 2 * b
    print(c)
    d = c + 1
    print(d)
    out = d.sum()
    print(out)
    assert printed(capsys) == (
        "tensor([0.0000, 0.2618, 0.5236, 0.7854, 1.0472, 1.3090, 1.5708, 1.8326, 2.0944,\n"
        "        2.3562, 2.6180, 2.8798, 3.1416, 3.4034, 3.6652, 3.9270, 4.1888, 4.4506,\n"
        "        4.7124, 4.9742, 5.2360, 5.4978, 5.7596, 6.0214, 6.2832],\n"
        "       requires_grad=True)\n"
        "tensor([ 0.0000e+00,  2.5882e-01,  5.0000e-01,  7.0711e-01,  8.6603e-01,\n"
        "         9.6593e-01,  1.0000e+00,  9.6593e-01,  8.6603e-01,  7.0711e-01,\n"
        "         5.0000e-01,  2.5882e-01, -8.7423e-08, -2.5882e-01, -5.0000e-01,\n"
        "        -7.0711e-01, -8.6603e-01, -9.6593e-01, -1.0000e+00, -9.6593e-01,\n"
        "        -8.6603e-01, -7.0711e-01, -5.0000e-01, -2.5882e-01,  1.7485e-07],\n"
        "       grad_fn=<SinBackward0>)\n"
        "tensor([ 0.0000e+00,  5.1764e-01,  1.0000e+00,  1.4142e+00,  1.7321e+00,\n"
        "         1.9319e+00,  2.0000e+00,  1.9319e+00,  1.7321e+00,  1.4142e+00,\n"
        "         1.0000e+00,  5.1764e-01, -1.7485e-07, -5.1764e-01, -1.0000e+00,\n"
        "        -1.4142e+00, -1.7321e+00, -1.9319e+00, -2.0000e+00, -1.9319e+00,\n"
        "        -1.7321e+00, -1.4142e+00, -1.0000e+00, -5.1764e-01,  3.4969e-07],\n"
        "       grad_fn=<MulBackward0>)\n"
        "tensor([ 1.0000e+00,  1.5176e+00,  2.0000e+00,  2.4142e+00,  2.7321e+00,\n"
        "         2.9319e+00,  3.0000e+00,  2.9319e+00,  2.7321e+00,  2.4142e+00,\n"
        "         2.0000e+00,  1.5176e+00,  1.0000e+00,  4.8236e-01, -3.5763e-07,\n"
        "        -4.1421e-01, -7.3205e-01, -9.3185e-01, -1.0000e+00, -9.3185e-01,\n"
        "        -7.3205e-01, -4.1421e-01,  4.7684e-07,  4.8236e-01,  1.0000e+00],\n"
        "       grad_fn=<AddBackward0>)\n"
        "tensor(25., grad_fn=<SumBackward0>)\n"
    )


def test_grad_fn_walk(capsys):
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    b = ak.sin(a)
    c = 2 * b
    d = c + 1
    print("d:")
    print(d.grad_fn)
    print(d.grad_fn.next_functions)
    print(d.grad_fn.next_functions[0][0].next_functions)
    print(d.grad_fn.next_functions[0][0].next_functions[0][0].next_functions)
    print(d.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions)
    print("\nc:")
    print(c.grad_fn)
    print("\nb:")
    print(b.grad_fn)
    print("\na:")
    print(a.grad_fn)
    assert printed(capsys) == (
        "d:\n"
        "<AddBackward0 object at ADDR>\n"
        "((<MulBackward0 object at ADDR>, 0), (None, 0))\n"
        "((<SinBackward0 object at ADDR>, 0), (None, 0))\n"
        "((<AccumulateGrad object at ADDR>, 0),)\n"
        "()\n"
        "\nc:\n"
        "<MulBackward0 object at ADDR>\n"
        "\nb:\n"
        "<SinBackward0 object at ADDR>\n"
        "\na:\n"
        "None\n"
    )
    # the walk reaches the very objects: c's node, b's node, a's accumulator
    mul = d.grad_fn.next_functions[0][0]
    sin = mul.next_functions[0][0]
    acc = sin.next_functions[0][0]
    assert mul is c.grad_fn and sin is b.grad_fn and acc.variable is a


def test_backward_gives_two_cos_a(capsys):
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    out = (2 * ak.sin(a) + 1).sum()
    out.backward()
    print(a.grad)
    assert printed(capsys) == (
        "tensor([ 2.0000e+00,  1.9319e+00,  1.7321e+00,  1.4142e+00,  1.0000e+00,\n"
        "         5.1764e-01, -8.7423e-08, -5.1764e-01, -1.0000e+00, -1.4142e+00,\n"
        "        -1.7321e+00, -1.9319e+00, -2.0000e+00, -1.9319e+00, -1.7321e+00,\n"
        "        -1.4142e+00, -1.0000e+00, -5.1764e-01,  2.3850e-08,  5.1764e-01,\n"
        "         1.0000e+00,  1.4142e+00,  1.7321e+00,  1.9319e+00,  2.0000e+00])\n"
    )
    # the tutorial's point: d out / d a = 2 cos(a)
    np.testing.assert_allclose(a.grad.numpy(), 2 * np.cos(a.detach().numpy()), atol=1e-6)
    assert a.grad.dtype == ak.float32 and a.grad.grad_fn is None


def test_turning_autograd_off_with_requires_grad(capsys):
    a = ak.ones(2, 3, requires_grad=True)
    print(a)
    b1 = 2 * a
    print(b1)
    a.requires_grad = False
    b2 = 2 * a
    print(b2)
    assert printed(capsys) == (
        "tensor([[1., 1., 1.],\n        [1., 1., 1.]], requires_grad=True)\n"
        "tensor([[2., 2., 2.],\n        [2., 2., 2.]], grad_fn=<MulBackward0>)\n"
        "tensor([[2., 2., 2.],\n        [2., 2., 2.]])\n"
    )


def test_no_grad_context(capsys):
    a = ak.ones(2, 3, requires_grad=True) * 2
    b = ak.ones(2, 3, requires_grad=True) * 3
    c1 = a + b
    print(c1)
    with ak.no_grad():
        c2 = a + b
    print(c2)
    c3 = a * b
    print(c3)
    assert printed(capsys) == (
        "tensor([[5., 5., 5.],\n        [5., 5., 5.]], grad_fn=<AddBackward0>)\n"
        "tensor([[5., 5., 5.],\n        [5., 5., 5.]])\n"
        "tensor([[6., 6., 6.],\n        [6., 6., 6.]], grad_fn=<MulBackward0>)\n"
    )


def test_no_grad_decorator(capsys):
    def add_tensors1(x, y):
        return x + y

    @ak.no_grad()
    def add_tensors2(x, y):
        return x + y

    a = ak.ones(2, 3, requires_grad=True) * 2
    b = ak.ones(2, 3, requires_grad=True) * 3
    c1 = add_tensors1(a, b)
    print(c1)
    c2 = add_tensors2(a, b)
    print(c2)
    assert printed(capsys) == (
        "tensor([[5., 5., 5.],\n        [5., 5., 5.]], grad_fn=<AddBackward0>)\n"
        "tensor([[5., 5., 5.],\n        [5., 5., 5.]])\n"
    )


def test_enable_grad_inside_no_grad():
    a = ak.ones(2, requires_grad=True)
    with ak.no_grad():
        with ak.enable_grad():
            y = a * 2
        z = a * 2
    assert y.grad_fn.name() == "MulBackward0" and z.grad_fn is None


def test_detach(capsys):
    x = ak.rand(5, requires_grad=True)
    y = x.detach()
    print(x)
    print(y)
    text = capsys.readouterr().out.splitlines()
    # the same (random) values; only the original carries requires_grad
    assert text[0].endswith(", requires_grad=True)") and not text[1].endswith("requires_grad=True)")
    assert text[0].replace(", requires_grad=True)", ")") == text[1]
    assert y.grad_fn is None and not y.requires_grad
    assert np.shares_memory(x.detach().numpy(), y.numpy())


def test_in_place_on_leaf_is_refused():
    a = ak.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=re.escape("a leaf Variable that requires grad is being used in an in-place operation."),
    ):
        ak.sin_(a)


def test_backward_with_a_vector(capsys):
    # the tutorial's "advanced topic", with fixed values instead of randn
    x = ak.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    print(y)
    v = ak.tensor([0.1, 1.0, 0.0001], dtype=ak.float)
    y.backward(v)
    print(x.grad)
    assert printed(capsys) == (
        "tensor([ 256., -512., 1024.], grad_fn=<MulBackward0>)\ntensor([5.1200e+01, 5.1200e+02, 5.1200e-02])\n"
    )

"""Leaf gradients never alias each other, even when the engine hands a view of one gradient
buffer to a leaf instead of copying it (as PyTorch steals a buffer nothing else holds)."""

import numpy as np

import autograd_kit as ak


def test_two_leaves_fed_the_same_gradient_get_independent_buffers():
    a = ak.ones(2, 3, requires_grad=True)
    b = ak.ones(3, 2, requires_grad=True)
    (a + b.t()).sum().backward()  # Add sends one array to both; b's arrives through a transpose
    a.grad.add_(1)
    np.testing.assert_array_equal(b.grad.numpy(), np.ones((3, 2)))
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())


def test_a_gradient_accumulates_in_place_without_touching_another_leaf():
    w = ak.ones(4, 3, requires_grad=True)
    x = ak.ones(5, 3, requires_grad=True)
    for _ in range(2):
        (x @ w.t()).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), np.full((4, 3), 10.0))
    np.testing.assert_array_equal(x.grad.numpy(), np.full((5, 3), 8.0))


def test_the_users_gradient_argument_is_never_aliased():
    x = ak.ones(3, requires_grad=True)
    seed = ak.tensor([1.0, 2.0, 3.0])
    (x * 1).backward(seed)
    x.grad.add_(10)
    np.testing.assert_array_equal(seed.numpy(), [1.0, 2.0, 3.0])

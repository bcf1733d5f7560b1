"""Op-table cases for indexing: every kind of ``x[key]`` (ints, slices, None, ..., index lists and
tensors with repeated entries, bool masks, mixes, 0-d results), ``x[key] = value`` through a
function, select, index_select, gather, masked_select and take."""

import numpy as np

import autograd_kit as ak
from tests.ops.op_table import OpCase

M = [((3, 4),)]
M3 = [((3, 4, 5),)]
MASK = np.array([[True, False, True, False], [False, False, False, False], [True, True, False, True]])
IDX = np.array([2, 0, 2, 2])  # repeated on purpose: gradients must add up
GATHER = np.array([[0, 3], [1, 1], [3, 0]])


def _setter(key, value_is_tensor=True):
    """``y = a * 1; y[key] = b`` as a function of (a, b), and its NumPy reference."""

    def fn(a, b=None):
        y = a * 1
        y[key] = b if value_is_tensor else 2.5
        return y

    def ref(a, b=None):
        y = a.copy()
        y[key] = b if value_is_tensor else 2.5
        return y

    return fn, ref


def _setcase(name, key, shapes, node, value_is_tensor=True):
    fn, ref = _setter(key, value_is_tensor)
    return OpCase(name, fn, ref, shapes, node=node, fan_out=False)


def _gather_ref(a):
    return np.take_along_axis(a, GATHER, 1)


CASES = [
    OpCase("getitem_int", lambda a: a[1], lambda a: a[1], M + M3, node="SelectBackward0"),
    OpCase("getitem_neg_int", lambda a: a[-1, -2], lambda a: a[-1, -2], M3, node="SelectBackward0"),
    OpCase("getitem_0d_result", lambda a: a[2, 1], lambda a: a[2, 1], M, node="SelectBackward0"),
    OpCase("getitem_0d_tensor_index", lambda a: a[ak.tensor(1)], lambda a: a[1], M, node="SelectBackward0"),
    OpCase("getitem_slice", lambda a: a[1:3], lambda a: a[1:3], M, node="SliceBackward0"),
    OpCase("getitem_step", lambda a: a[:, ::2], lambda a: a[:, ::2], M, node="SliceBackward0"),
    # second_order=False: gradcheck cannot perturb an empty grad_output (its storage check fails)
    OpCase(
        "getitem_empty_slice",
        lambda a: a[2:2],
        lambda a: a[2:2],
        M,
        node="SliceBackward0",
        second_order=False,
    ),
    OpCase("getitem_full_slice", lambda a: a[:], lambda a: a[:], M, node="SliceBackward0"),
    OpCase("getitem_full_tuple", lambda a: a[:, 0:4], lambda a: a, M, node="AliasBackward0"),
    OpCase("getitem_ellipsis", lambda a: a[...], lambda a: a[...], M + [((),)], node="AliasBackward0"),
    OpCase("getitem_none", lambda a: a[None], lambda a: a[None], M + [((),)], node="UnsqueezeBackward0"),
    OpCase(
        "getitem_mixed_basic",
        lambda a: a[1:, None, ..., 2],
        lambda a: a[1:, None, ..., 2],
        M3,
        node="SelectBackward0",
    ),
    OpCase("getitem_int_then_none", lambda a: a[1, None], lambda a: a[1, None], M, node="UnsqueezeBackward0"),
    OpCase("getitem_list", lambda a: a[[2, 0, 2, 2]], lambda a: a[IDX], M, node="IndexBackward0"),
    OpCase("getitem_tensor", lambda a: a[:, ak.tensor(IDX)], lambda a: a[:, IDX], M, node="IndexBackward0"),
    OpCase(
        "getitem_2d_index",
        lambda a: a[ak.tensor([[0, 0], [2, 1]])],
        lambda a: a[np.array([[0, 0], [2, 1]])],
        M,
        node="IndexBackward0",
    ),
    OpCase(
        "getitem_two_lists",
        lambda a: a[[0, 2, 2], [1, 1, 3]],
        lambda a: a[[0, 2, 2], [1, 1, 3]],
        M,
        node="IndexBackward0",
    ),
    OpCase(
        "getitem_split_lists",
        lambda a: a[[0, 2], :, [1, 1]],
        lambda a: a[[0, 2], :, [1, 1]],
        M3,
        node="IndexBackward0",
    ),
    # PyTorch applies the int first (a select), so the index list stays at its dim:
    # NumPy's a[1, :, [0, 1]] would give (2, 4) here, PyTorch gives (4, 2).
    OpCase(
        "getitem_int_and_list",
        lambda a: a[1, :, [0, 1]],
        lambda a: a[1][:, [0, 1]],
        M3,
        node="IndexBackward0",
    ),
    OpCase("getitem_mask", lambda a: a[ak.tensor(MASK)], lambda a: a[MASK], M, node="IndexBackward0"),
    OpCase(
        "getitem_mask_list",
        lambda a: a[[True, False, True]],
        lambda a: a[np.array([True, False, True])],
        M3,
        node="IndexBackward0",
    ),
    OpCase(
        "getitem_mask_later_dim",
        lambda a: a[:, ak.tensor([True, False, True, True])],
        lambda a: a[:, [0, 2, 3]],
        M3,
        node="IndexBackward0",
    ),
    OpCase("getitem_bool_scalar", lambda a: a[True], lambda a: a[None], M + [((),)], node="IndexBackward0"),
    OpCase(
        "getitem_empty_index",
        lambda a: a[[]],
        lambda a: a[np.array([], dtype=np.int64)],
        M,
        node="IndexBackward0",
        second_order=False,
    ),
    OpCase(
        "iterate_rows",
        lambda a: ak.stack([row * i for i, row in enumerate(a)]),
        lambda a: a * np.arange(3)[:, None],
        M,
    ),
    # setitem: zeros for the overwritten entries of the old tensor, the indexed grad for the value
    _setcase(
        "setitem_row", 0, [((3, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), ())], "torch::autograd::CopySlices"
    ),
    _setcase(
        "setitem_block",
        (slice(1, None), slice(1, 3)),
        [((3, 4), (2, 2)), ((3, 4), (2, 1))],
        "torch::autograd::CopySlices",
    ),
    _setcase("setitem_number", (slice(None), 1), M, "torch::autograd::CopySlices", value_is_tensor=False),
    _setcase("setitem_list", [2, 0], [((3, 4), (2, 4)), ((3, 4), (4,))], "IndexPutBackward0"),
    _setcase("setitem_mask", MASK, [((3, 4), (5,)), ((3, 4), ())], "IndexPutBackward0"),
    _setcase("setitem_mask_number", MASK, M, "IndexPutBackward0", value_is_tensor=False),
    _setcase("setitem_int_and_list", (1, [0, 3]), [((3, 4), (2,))], "torch::autograd::CopySlices"),
    _setcase("setitem_whole", Ellipsis, [((3, 4), (4,))], "torch::autograd::CopyBackwards"),
    _setcase("setitem_whole_number", slice(None), M, "FillBackward3", value_is_tensor=False),
    # the other index ops
    OpCase("select", lambda a: a.select(1, -1), lambda a: a[:, -1], M3, node="SelectBackward0"),
    OpCase(
        "index_select",
        lambda a: a.index_select(1, ak.tensor(IDX)),
        lambda a: a[:, IDX],
        M,
        node="IndexSelectBackward0",
    ),
    OpCase(
        "index_select_0d",
        lambda a: ak.index_select(a, 0, ak.tensor([0])),
        lambda a: a,
        [((),)],
        node="IndexSelectBackward0",
    ),
    OpCase("gather", lambda a: a.gather(1, ak.tensor(GATHER)), _gather_ref, M, node="GatherBackward0"),
    OpCase(
        "gather_dim0",
        lambda a: ak.gather(a, 0, ak.tensor([[2, 2, 0, 1]])),
        lambda a: np.take_along_axis(a, np.array([[2, 2, 0, 1]]), 0),
        M,
        node="GatherBackward0",
    ),
    OpCase(
        "masked_select",
        lambda a: a.masked_select(ak.tensor(MASK)),
        lambda a: a[MASK],
        M,
        node="MaskedSelectBackward0",
    ),
    OpCase(
        "masked_select_broadcast",
        lambda a: ak.masked_select(a, ak.tensor(MASK)),
        lambda a: np.broadcast_to(a, (3, 4))[MASK],
        [((4,),), ((3, 1),), ((),)],
        node="MaskedSelectBackward0",
    ),
    OpCase(
        "take",
        lambda a: a.take(ak.tensor([[0, 11], [-1, 5]])),
        lambda a: a.reshape(-1)[[[0, 11], [-1, 5]]],
        M,
        node="TakeBackward0",
    ),
    OpCase(
        "take_t",
        lambda a: ak.take(a.t(), ak.tensor([1, 1, 4])),
        lambda a: a.T.reshape(-1)[[1, 1, 4]],
        M,
        node="TakeBackward0",
    ),
]

"""Op-table cases for the shape ops: reshape/view, flatten, squeeze/unsqueeze, expand, t/T/mT,
transpose, permute, movedim, flip, roll, repeat, narrow, cat, stack, split, chunk, unbind."""

import numpy as np

import autograd_kit as ak
from tests.ops.op_table import OpCase

M = [((3, 4),)]
M3 = [((2, 3, 4),)]


def _split_ref(a, sizes, axis):
    return tuple(np.split(a, np.cumsum(sizes)[:-1], axis=axis))


CASES = [
    # reshape / view (node names checked against torch 2.13)
    OpCase(
        "reshape", lambda a: a.reshape(4, 3), lambda a: a.reshape(4, 3), M + [((2, 6),)], node="ViewBackward0"
    ),
    OpCase("reshape_infer", lambda a: a.reshape(2, -1), lambda a: a.reshape(2, -1), M, node="ViewBackward0"),
    OpCase("reshape_0d", lambda a: a.reshape(1, 1), lambda a: a.reshape(1, 1), [((),)], node="ViewBackward0"),
    OpCase(
        "reshape_to_0d", lambda a: a.reshape(()), lambda a: a.reshape(()), [((1,),)], node="ViewBackward0"
    ),
    OpCase(
        "reshape_copy", lambda a: a.t().reshape(-1), lambda a: a.T.reshape(-1), M, node="UnsafeViewBackward0"
    ),
    OpCase(
        "reshape_alias",
        lambda a: a.t().reshape(4, 3),
        lambda a: a.T.reshape(4, 3),
        M,
        node="ReshapeAliasBackward0",
    ),
    OpCase("fn_reshape", lambda a: ak.reshape(a, (6, 2)), lambda a: a.reshape(6, 2), M, node="ViewBackward0"),
    OpCase("view", lambda a: a.view(2, 2, 3), lambda a: a.reshape(2, 2, 3), M, node="ViewBackward0"),
    OpCase("view_list", lambda a: a.view([-1]), lambda a: a.reshape(-1), M3, node="ViewBackward0"),
    OpCase("view_as", lambda a: a.view_as(ak.zeros(12)), lambda a: a.reshape(12), M, node="ViewBackward0"),
    OpCase(
        "reshape_as",
        lambda a: a.reshape_as(ak.zeros(4, 3)),
        lambda a: a.reshape(4, 3),
        M,
        node="ViewBackward0",
    ),
    OpCase("flatten", lambda a: a.flatten(), lambda a: a.reshape(-1), M3 + [((),)], node="ViewBackward0"),
    OpCase("flatten_dims", lambda a: ak.flatten(a, 1), lambda a: a.reshape(2, 12), M3, node="ViewBackward0"),
    OpCase(
        "flatten_t",
        lambda a: a.transpose(0, 1).flatten(0, 1),
        lambda a: a.swapaxes(0, 1).reshape(6, 4),
        M3,
        node="UnsafeViewBackward0",
    ),
    OpCase(
        "unflatten", lambda a: a.unflatten(1, (2, -1)), lambda a: a.reshape(3, 2, 2), M, node="ViewBackward0"
    ),
    OpCase(
        "unflatten_t",
        lambda a: a.t().unflatten(0, (2, 2)),
        lambda a: a.T.reshape(2, 2, 3),
        M,
        node="ViewBackward0",
    ),
    OpCase("squeeze", lambda a: a.squeeze(), np.squeeze, [((1, 3, 1, 4),), ((1,),)], node="SqueezeBackward0"),
    OpCase(
        "squeeze_dim",
        lambda a: a.squeeze(-2),
        lambda a: a.squeeze(-2),
        [((3, 1, 4),)],
        node="SqueezeBackward1",
    ),
    OpCase("squeeze_dim_noop", lambda a: a.squeeze(0), lambda a: a, M, node="SqueezeBackward1"),
    OpCase(
        "squeeze_dims",
        lambda a: ak.squeeze(a, (0, 1, 2)),
        lambda a: a.squeeze((0, 2)),
        [((1, 3, 1, 4),)],
        node="SqueezeBackward2",
    ),
    OpCase("unsqueeze", lambda a: a.unsqueeze(1), lambda a: a[:, None], M, node="UnsqueezeBackward0"),
    OpCase(
        "unsqueeze_neg",
        lambda a: ak.unsqueeze(a, -1),
        lambda a: a[..., None],
        M + [((),)],
        node="UnsqueezeBackward0",
    ),
    # expand: the engine sums the gradient back over the repeated dims
    OpCase(
        "expand",
        lambda a: a.expand(2, 3, 4),
        lambda a: np.broadcast_to(a, (2, 3, 4)),
        [((3, 1),), ((4,),), ((),), ((1, 4),)],
        node="ExpandBackward0",
    ),
    OpCase(
        "expand_keep",
        lambda a: a.expand(-1, 5),
        lambda a: np.broadcast_to(a, (3, 5)),
        [((3, 1),)],
        node="ExpandBackward0",
    ),
    OpCase("expand_noop", lambda a: a.expand(3, 4), lambda a: a, M, node="ExpandBackward0"),
    OpCase("expand_as", lambda a, b: a.expand_as(b) * b, lambda a, b: a * b, [((3, 1), (2, 3, 4))]),
    OpCase(
        "broadcast_to",
        lambda a: ak.broadcast_to(a, (2, 4)),
        lambda a: np.broadcast_to(a, (2, 4)),
        [((4,),)],
        node="ExpandBackward0",
    ),
    # dim reorders
    OpCase("t", lambda a: a.t(), lambda a: a.T, M + [((4,),), ((),)], node="TBackward0"),
    OpCase("T", lambda a: a.T, lambda a: a.T, M, node="PermuteBackward0"),
    OpCase("mT", lambda a: a.mT, lambda a: a.swapaxes(-1, -2), M3, node="TransposeBackward0"),
    OpCase("H", lambda a: a.H, lambda a: a.T, M, node="TransposeBackward0"),
    OpCase(
        "transpose", lambda a: a.transpose(0, 2), lambda a: a.swapaxes(0, 2), M3, node="TransposeBackward0"
    ),
    OpCase("transpose_same", lambda a: ak.transpose(a, 1, -2), lambda a: a, M3, node="TransposeBackward0"),
    OpCase(
        "swapaxes",
        lambda a: ak.swapaxes(a, -1, 0),
        lambda a: a.swapaxes(-1, 0),
        M3,
        node="TransposeBackward0",
    ),
    OpCase(
        "permute", lambda a: a.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1), M3, node="PermuteBackward0"
    ),
    OpCase("permute_0d", lambda a: a.permute(()), lambda a: a, [((),)], node="PermuteBackward0"),
    OpCase(
        "movedim",
        lambda a: a.movedim((0, 1), (2, 0)),
        lambda a: np.moveaxis(a, (0, 1), (2, 0)),
        M3,
        node="PermuteBackward0",
    ),
    OpCase("flip", lambda a: a.flip(0, -1), lambda a: a[::-1, ..., ::-1], M3, node="FlipBackward0"),
    OpCase("roll", lambda a: a.roll(2, 1), lambda a: np.roll(a, 2, 1), M, node="RollBackward0"),
    OpCase(
        "roll_multi",
        lambda a: a.roll((1, -1), (0, 2)),
        lambda a: np.roll(a, (1, -1), (0, 2)),
        M3,
        node="RollBackward0",
    ),
    OpCase("roll_flat", lambda a: ak.roll(a, 5), lambda a: np.roll(a, 5), M, node="RollBackward0"),
    OpCase("repeat", lambda a: a.repeat(2, 3), lambda a: np.tile(a, (2, 3)), M, node="RepeatBackward0"),
    OpCase(
        "repeat_lead",
        lambda a: a.repeat(2, 1, 2),
        lambda a: np.tile(a, (2, 1, 2)),
        M + [((),)],
        node="RepeatBackward0",
    ),
    OpCase("narrow", lambda a: a.narrow(1, 1, 2), lambda a: a[:, 1:3], M, node="SliceBackward0"),
    OpCase("narrow_neg", lambda a: ak.narrow(a, -1, -3, 2), lambda a: a[..., 1:3], M3, node="SliceBackward0"),
    # joining and splitting
    OpCase(
        "cat",
        lambda a, b: ak.cat([a, b]),
        lambda a, b: np.concatenate([a, b]),
        [((3, 4), (2, 4)), ((3, 4), (3, 4))],
        node="CatBackward0",
    ),
    OpCase(
        "cat_dim",
        lambda a, b, c: ak.cat((a, b, c), dim=-1),
        lambda a, b, c: np.concatenate([a, b, c], -1),
        [((2, 1), (2, 3), (2, 2))],
        node="CatBackward0",
    ),
    OpCase("cat_one", lambda a: ak.cat([a]), lambda a: a, M, node="CatBackward0"),
    OpCase(
        "concat",
        lambda a, b: ak.concat([a, b], 1),
        lambda a, b: np.concatenate([a, b], 1),
        [((3, 4), (3, 4))],
    ),
    OpCase(
        "stack",
        lambda a, b: ak.stack([a, b]),
        lambda a, b: np.stack([a, b]),
        [((3, 4), (3, 4)), ((), ())],
        node="StackBackward0",
    ),
    OpCase(
        "stack_last",
        lambda a, b, c: ak.stack([a, b, c], -1),
        lambda a, b, c: np.stack([a, b, c], -1),
        [((2, 3), (2, 3), (2, 3))],
        node="StackBackward0",
    ),
    OpCase("split", lambda a: a.split(2), lambda a: _split_ref(a, [2, 1], 0), M, node="SplitBackward0"),
    OpCase(
        "split_sizes",
        lambda a: ak.split(a, [1, 3], dim=1),
        lambda a: _split_ref(a, [1, 3], 1),
        M,
        node="SplitWithSizesBackward0",
    ),
    OpCase("split_one_used", lambda a: a.split(1, -1)[2] * 2, lambda a: a[..., 2:3] * 2, M3),
    OpCase("chunk", lambda a: a.chunk(3, 1), lambda a: _split_ref(a, [2, 2], 1), M, node="SplitBackward0"),
    OpCase(
        "unbind", lambda a: a.unbind(1), lambda a: tuple(np.moveaxis(a, 1, 0)), M3, node="UnbindBackward0"
    ),
    OpCase("unbind_used_twice", lambda a: ak.unbind(a)[0] * a.unbind()[1], lambda a: a[0] * a[1], M),
]

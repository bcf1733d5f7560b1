"""The derivative formula of each backward node, by node name, as the widgets show it.

``grad`` is the gradient arriving at the node (w.r.t. its forward output); ``grad_<input>`` is
what the node sends to that input. Names follow PyTorch's ``derivatives.yaml`` operands.
"""

from __future__ import annotations

from typing import Any

from ._base import short_name

__all__ = ["FORMULAS", "formula_for"]

UNDOCUMENTED = "formula not documented"

FORMULAS: dict[str, str] = {
    "AccumulateGrad": "variable.grad += grad   (sets .grad when it is None)",
    "AddBackward0": "grad_self = grad;  grad_other = alpha * grad",
    "AddBackward1": "grad_self = grad   (other is a number)",
    "SubBackward0": "grad_self = grad;  grad_other = -alpha * grad",
    "SubBackward1": "grad_self = grad   (other is a number)",
    "RsubBackward1": "result = other - alpha * self:  grad_self = -alpha * grad",
    "MulBackward0": "grad_self = grad * other;  grad_other = grad * self",
    "MulBackward1": "grad_self = grad * other   (other is a number)",
    "DivBackward0": "grad_self = grad / other;  grad_other = -grad * self / other**2",
    "DivBackward1": "grad_self = grad / other   (other is a number)",
    "NegBackward0": "grad_self = -grad",
    "PowBackward0": "grad_self = grad * exponent * self**(exponent - 1)",
    "PowBackward1": "grad_self = grad * exponent * self**(exponent - 1);  "
    "grad_exponent = grad * result * log(self)",
    "PowBackward2": "grad_exponent = grad * result * log(self)   (self is a number)",
    "ReciprocalBackward0": "grad_self = -grad * result**2",
    "SinBackward0": "grad_self = grad * cos(self)",
    "CosBackward0": "grad_self = -grad * sin(self)",
    "TanBackward0": "grad_self = grad * (1 + result**2)",
    "ExpBackward0": "grad_self = grad * result   (result = exp(self))",
    "LogBackward0": "grad_self = grad / self",
    "SqrtBackward0": "grad_self = grad / (2 * result)",
    "AbsBackward0": "grad_self = grad * sign(self)",
    "TanhBackward0": "grad_self = grad * (1 - result**2)",
    "SigmoidBackward0": "grad_self = grad * result * (1 - result)",
    "ReluBackward0": "grad_self = grad * (result > 0)",
    "LeakyReluBackward0": "grad_self = grad * (self > 0 ? 1 : negative_slope)",
    "GeluBackward0": "grad_self = grad * (Phi(self) + self * phi(self))",
    "ClampBackward1": "grad_self = grad * (min <= self <= max)",
    "SumBackward0": "grad_self = grad.expand(self.shape)",
    "SumBackward1": "grad_self = grad (unsqueezed at dim unless keepdim).expand(self.shape)",
    "MeanBackward0": "grad_self = grad.expand(self.shape) / self.numel()",
    "MeanBackward1": "grad_self = grad (unsqueezed at dim).expand(self.shape) / (elements reduced)",
    "MaxBackward1": "grad_self = grad scattered to the argmax positions (0 elsewhere)",
    "MinBackward1": "grad_self = grad scattered to the argmin positions (0 elsewhere)",
    "MaxBackward0": "grad_self = grad shared evenly among the maximal elements",
    "MmBackward0": "grad_self = grad @ mat2.T;  grad_mat2 = self.T @ grad",
    "MvBackward0": "grad_self = outer(grad, vec);  grad_vec = self.T @ grad",
    "DotBackward0": "grad_self = grad * tensor;  grad_tensor = grad * self",
    "BmmBackward0": "grad_self = grad @ mat2.mT;  grad_mat2 = self.mT @ grad",
    "AddmmBackward0": "grad_self = beta * grad;  grad_mat1 = alpha * grad @ mat2.T;  "
    "grad_mat2 = alpha * mat1.T @ grad",
    "TBackward0": "grad_self = grad.T",
    "TransposeBackward0": "grad_self = grad.transpose(dim0, dim1)",
    "PermuteBackward0": "grad_self = grad.permute(inverse of dims)",
    "ViewBackward0": "grad_self = grad.reshape(self.shape)",
    "ReshapeAliasBackward0": "grad_self = grad.reshape(self.shape)",
    "UnsqueezeBackward0": "grad_self = grad.squeeze(dim)",
    "SqueezeBackward0": "grad_self = grad.reshape(self.shape)",
    "SqueezeBackward1": "grad_self = grad.unsqueeze(dim)",
    "ExpandBackward0": "grad_self = grad summed over the expanded dims",
    "CloneBackward0": "grad_self = grad",
    "SelectBackward0": "grad_self = zeros(self.shape) with grad placed at [index] along dim",
    "SliceBackward0": "grad_self = zeros(self.shape) with grad placed in the slice",
    "IndexBackward0": "grad_self = zeros(self.shape).index_put(indices, grad, accumulate=True)",
    "CatBackward0": "grad_tensors[i] = grad sliced back to tensor i's part along dim",
    "StackBackward0": "grad_tensors[i] = grad.select(dim, i)",
    "MseLossBackward0": "grad_self = 2 * (self - target) * grad / N   (reduction='mean');  "
    "grad_target = -grad_self",
    "NllLossBackward0": "grad_self[i, target[i]] = -weight[target[i]] * grad / N   "
    "(reduction='mean'); 0 elsewhere",
    "LogSoftmaxBackward0": "grad_self = grad - exp(result) * grad.sum(dim, keepdim=True)",
    "SoftmaxBackward0": "grad_self = result * (grad - (grad * result).sum(dim, keepdim=True))",
    "BinaryCrossEntropyBackward0": "grad_self = grad * (self - target) / (self * (1 - self)) / N",
}


def formula_for(node: Any) -> str:
    """The readable derivative formula of a node, or ``'formula not documented'``."""
    return FORMULAS.get(short_name(node), UNDOCUMENTED)

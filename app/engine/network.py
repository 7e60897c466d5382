"""The network: hidden layers a' = σ(W·a + b) (optionally a + σ(…)), a linear readout, softmax.

All parameters live in one flat float64 vector. Each layer owns a contiguous block [W | b] of
shape (out, in + 1); `W` (out, in) and `b` (out,) are views into it, and so are the gradients.
Optimizers update everything in a handful of NumPy calls. Public shapes follow the (n, d)
convention — a layer computes `a @ W.T + b` — while training works on transposed (d + 1, n)
arrays with a row of ones, so that one matmul applies W and b and one more gives both gradients:
at these sizes NumPy's per-call cost, not arithmetic, is what a step costs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from app.engine.activations import Activation, get_activation
from app.engine.stages import StageRecord, stage_records

Array = np.ndarray


@dataclass(frozen=True)
class Layout:
    input_dim: int
    width: int
    layers: int
    classes: int
    residual: bool
    activation: str

    def shapes(self) -> list[tuple[int, int]]:
        """(out, in) of each hidden layer, then of the readout."""
        dims = [self.input_dim] + [self.width] * self.layers
        return [(dims[k + 1], dims[k]) for k in range(self.layers)] + [(self.classes, dims[-1])]

    def size(self) -> int:
        return sum(out * (inp + 1) for out, inp in self.shapes())


def lift(a: Array, dim: int) -> Array:
    """Embed (n, d) points in `dim` dimensions with zeros: the input plane at z = 0."""
    if a.shape[1] == dim:
        return a
    return np.concatenate([a, np.zeros((a.shape[0], dim - a.shape[1]))], axis=1)


def apply(a: Array, W: Array) -> Array:
    """`a @ W.T` for (n, in) points and W (out, in), summed over `in` in order, one rounded
    product at a time. BLAS may fuse a multiply into an add, which changes the last bit and can
    turn an overflow's NaN into inf; this order is the one static/js/maths.js follows, so the
    page computes the stages the engine shows, bit for bit where σ agrees."""
    out = a[:, :1] * W[:, 0]
    for j in range(1, W.shape[1]):
        out += a[:, j : j + 1] * W[:, j]
    return out


def _augmented(rows: int, n: int, dtype: np.dtype) -> Array:
    """A (rows + 1, n) buffer whose last row is ones, for the bias column of [W | b]."""
    buffer = np.empty((rows + 1, n), dtype=dtype)
    buffer[rows] = 1.0
    return buffer


@cache
def _blocks(layout: Layout) -> tuple[list[tuple[int, int, tuple[int, int]]], Array]:
    """Where each layer's [W | b] block sits in the flat vector, and the mask of weights."""
    blocks = []
    mask = np.zeros(layout.size(), dtype=bool)
    offset = 0
    for out, inp in layout.shapes():
        size = out * (inp + 1)
        blocks.append((offset, offset + size, (out, inp + 1)))
        mask[offset : offset + size].reshape(out, inp + 1)[:, :inp] = True
        offset += size
    mask.flags.writeable = False  # shared by every network of this layout
    return blocks, mask


class Network:
    """Parameters and the verbs: forward (keeping what backward needs), stages, loss_and_grad."""

    def __init__(self, layout: Layout, flat: Array | None = None) -> None:
        self.layout = layout
        self.params = np.zeros(layout.size()) if flat is None else flat
        self.grads = np.zeros(layout.size(), dtype=self.params.dtype)
        self.sigma: Activation = get_activation(layout.activation)
        blocks, self.weight_mask = _blocks(layout)  # L2 applies to W (the mask), not b
        # (out, in + 1) views [W | b] of the parameters and of the gradients
        self.Wb = [self.params[start:stop].reshape(shape) for start, stop, shape in blocks]
        self.gWb = [self.grads[start:stop].reshape(shape) for start, stop, shape in blocks]
        self.W = [block[:, :-1] for block in self.Wb]
        self._widths = [out for out, _ in layout.shapes()[:-1]]
        # Augmented activations for forward, by batch size: reused, so a step allocates little.
        # Bounded: a run sees at most three sizes (batch, last partial batch, full set).
        self._buffers: dict[int, list[Array]] = {}
        self.b = [block[:, -1] for block in self.Wb]
        self.gW = [block[:, :-1] for block in self.gWb]
        self.gb = [block[:, -1] for block in self.gWb]

    def copy(self, dtype: type = np.float64) -> "Network":
        """An independent copy; float32 is for display-only work where speed beats precision."""
        return Network(self.layout, self.params.astype(dtype))

    @property
    def hidden(self) -> int:
        return self.layout.layers

    def forward(self, X: Array) -> tuple[list[Array], list[Array], list[Array], Array]:
        """(augmented inputs of each layer (d + 1, n), pre-activations z, σ(z), logits (K, n)).

        The inputs (and, without residual, σ(z)) live in buffers the next call reuses.
        """
        n = X.shape[0]
        buffers = self._buffers.get(n)
        if buffers is None:
            buffers = self._buffers[n] = [
                _augmented(out, n, self.params.dtype) for out in [X.shape[1]] + self._widths
            ]
        a = buffers[0]
        a[:-1] = X.T
        inputs, zs, hs = [a], [], []
        f = self.sigma.f
        residual = self.layout.residual
        for k in range(self.hidden):
            z = self.Wb[k] @ a
            nxt = buffers[k + 1]
            if residual:
                h = f(z, None)
                nxt[:-1] = h
                nxt[: a.shape[0] - 1] += a[:-1]
            else:
                h = f(z, nxt[:-1])
            zs.append(z)
            hs.append(h)
            inputs.append(nxt)
            a = nxt
        return inputs, zs, hs, self.Wb[-1] @ a

    def predict_proba(self, X: Array) -> Array:
        """Class probabilities, shape (n, K)."""
        return softmax(self.forward(X)[3].T)

    def stages(self, X: Array) -> list[tuple[StageRecord, Array]]:
        """Positions (n, d) after every stage: input, k.W, k.b, k.act and k.res (when residual)."""
        dim = self.layout.width if self.hidden else X.shape[1]
        positions = [lift(X, dim)]
        a = X
        for k in range(self.hidden):
            moved = apply(a, self.W[k])
            shifted = moved + self.b[k]
            bent = self.sigma(shifted)
            positions += [moved, shifted, bent]
            if self.layout.residual:
                bent = bent + lift(a, bent.shape[1])
                positions.append(bent)
            a = bent
        records = stage_records(self.hidden, self.layout.residual)
        return list(zip(records, positions, strict=True))

    def loss_and_grad(self, X: Array, onehot: Array, l2: float) -> float:
        """Mean cross-entropy + l2·Σ‖W‖²/2; gradients land in self.grads.

        `onehot` is (K, n): column i is the one-hot label of X[i].
        """
        inputs, zs, hs, logits = self.forward(X)
        n = X.shape[0]
        logits -= logits.max(axis=0)
        p = np.exp(logits)
        total = p.sum(axis=0)
        p /= total
        # log p_y = logit_y − log Σ exp(logits), computed without taking log of a tiny p
        loss = float(np.log(total).sum() - np.vdot(onehot, logits)) / n
        delta = p - onehot  # ∂E/∂logits (K, n), before dividing by n
        delta /= n
        np.matmul(delta, inputs[-1].T, out=self.gWb[-1])
        da = self.W[-1].T @ delta
        df = self.sigma.df
        residual = self.layout.residual
        for k in range(self.hidden - 1, -1, -1):
            dz = da * df(zs[k], hs[k])
            a = inputs[k]
            np.matmul(dz, a.T, out=self.gWb[k])
            da_prev = self.W[k].T @ dz
            if residual:
                da_prev += da[: da_prev.shape[0]]
            da = da_prev
        if l2:
            weights = self.params[self.weight_mask]
            self.grads[self.weight_mask] += l2 * weights
            loss += 0.5 * l2 * float(weights @ weights)
        return loss


def one_hot(y: Array, classes: int) -> Array:
    """(K, n) one-hot columns."""
    out = np.zeros((classes, len(y)))
    out[y, np.arange(len(y))] = 1.0
    return out


def softmax(logits: Array) -> Array:
    """Row-wise softmax of (n, K) logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def _xavier(shape: tuple[int, int], rng: np.random.Generator) -> Array:
    out, inp = shape
    return rng.normal(0.0, np.sqrt(2.0 / (inp + out)), shape)


def _he(shape: tuple[int, int], rng: np.random.Generator) -> Array:
    return rng.normal(0.0, np.sqrt(2.0 / shape[1]), shape)


def _orthogonal(shape: tuple[int, int], rng: np.random.Generator) -> Array:
    out, inp = shape
    q, r = np.linalg.qr(rng.normal(0.0, 1.0, (max(out, inp), min(out, inp))))
    q *= np.sign(np.diag(r))
    return q if out >= inp else q.T


def _identity(shape: tuple[int, int], rng: np.random.Generator) -> Array:
    # Identity plus a little noise, so units are not exact twins.
    return np.eye(*shape) + rng.normal(0.0, 0.01, shape)


Init = Callable[[tuple[int, int], np.random.Generator], Array]

INITS: dict[str, Init] = {
    "xavier": _xavier,
    "he": _he,
    "orthogonal": _orthogonal,
    "identity": _identity,
}
"""How a hidden layer's W (out, in) starts, by name; the config's allowed values come from here."""


def initialise(layout: Layout, scheme: str, rng: np.random.Generator) -> Network:
    """Weights by the named scheme, biases zero; the readout always starts Xavier-scaled."""
    if scheme not in INITS:
        raise ValueError(f"unknown init {scheme!r}; one of {', '.join(INITS)}")
    net = Network(layout)
    for k, W in enumerate(net.W):
        readout = k == len(net.W) - 1
        W[:] = (_xavier if readout else INITS[scheme])(W.shape, rng)
    return net

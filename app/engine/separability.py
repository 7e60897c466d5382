"""How linearly separable the classes are in a space: the accuracy of a good linear classifier.

The exact best (0-1 loss) linear classifier is a hard combinatorial problem; a least-squares
fit to one-hot targets gives a direction, and for two classes the best threshold along it is
found exactly by sorting. Affine stages cannot change the answer, so it is computed only for
the input and each layer's output — all of them at once, since they share labels and shapes.
"""

import numpy as np

Array = np.ndarray


def _best_threshold_accuracy(scores: Array, y: Array) -> Array:
    """Per space, the best accuracy of `score > t` (either orientation) over every t.

    scores: (S, n) one score per point per space; y: (n,) labels in {0, 1}.
    """
    order = np.argsort(scores, axis=1, kind="stable")
    ys = y[order]  # (S, n) labels in score order
    n = ys.shape[1]
    # predicting 1 above a cut after position i is right for the zeros up to i and ones after
    ones_below = np.cumsum(ys, axis=1)
    zeros_below = np.arange(1, n + 1) - ones_below
    correct = zeros_below + (ys.sum(axis=1, keepdims=True) - ones_below)
    all_ones = ys.sum(axis=1)  # the cut below every point
    best = np.maximum(correct.max(axis=1), all_ones)
    best = np.maximum(best, n - np.minimum(correct.min(axis=1), all_ones))
    return best / n


def linear_separability(spaces: Array, y: Array, classes: int) -> Array:
    """Accuracy in [0, 1] of a linear classifier fitted in each space.

    spaces: (S, n, d) the same n labelled points in S spaces; returns (S,).
    """
    count, n, dims = spaces.shape
    if n == 0:
        return np.ones(count)
    design = np.empty((count, n, dims + 1))
    design[:, :, :dims] = spaces
    design[:, :, dims] = 1.0
    targets = np.zeros((n, classes))
    targets[np.arange(n), y] = 1.0
    gram = np.swapaxes(design, 1, 2) @ design  # (S, d+1, d+1)
    ridge = 1e-9 * (np.trace(gram, axis1=1, axis2=2) + 1.0)  # never singular (z = 0 input)
    gram += ridge[:, None, None] * np.eye(dims + 1)
    moments = np.swapaxes(design, 1, 2) @ targets
    try:
        coef = np.linalg.solve(gram, moments)  # (S, d+1, K)
    except np.linalg.LinAlgError:  # only for degenerate spaces, e.g. clipped to one corner
        coef = np.linalg.pinv(gram) @ moments
    scores = design @ coef  # (S, n, K)
    accuracy = (scores.argmax(axis=2) == y).mean(axis=1)
    if classes == 2:
        margin = scores[:, :, 1] - scores[:, :, 0]
        accuracy = np.maximum(accuracy, _best_threshold_accuracy(margin, y))
    return accuracy

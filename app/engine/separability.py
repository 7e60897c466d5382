"""How linearly separable the classes are in a space: the accuracy of a good linear classifier.

The exact best (0-1 loss) linear classifier is a hard combinatorial problem; a least-squares
fit to one-hot targets gives a direction, and for two classes the best threshold along it is
found exactly by sorting. Affine stages cannot change the answer, so it is computed only for
the input and each layer's output.
"""

import numpy as np

Array = np.ndarray


def _best_threshold_accuracy(score: Array, y: Array) -> float:
    """Best accuracy of `score > t` (either orientation) over every threshold t."""
    order = np.argsort(score, kind="stable")
    ys = y[order]
    n = len(ys)
    ones_total = ys.sum()
    # predict 1 above the cut: correct = zeros at or below + ones above
    zeros_below = np.concatenate([[0], np.cumsum(1 - ys)])
    ones_below = np.concatenate([[0], np.cumsum(ys)])
    correct = zeros_below + (ones_total - ones_below)
    best = max(correct.max(), (n - correct).max())
    return float(best) / n


def linear_separability(positions: Array, y: Array, classes: int) -> float:
    """Accuracy in [0, 1] of a linear classifier fitted to `positions` (n, d) with labels y."""
    n = len(y)
    if n == 0:
        return 1.0
    design = np.column_stack([positions, np.ones(n)])
    targets = np.zeros((n, classes))
    targets[np.arange(n), y] = 1.0
    gram = design.T @ design
    gram[np.diag_indices_from(gram)] += 1e-9 * (np.trace(gram) + 1.0)  # tiny ridge: never singular
    coef = np.linalg.solve(gram, design.T @ targets)
    scores = design @ coef
    accuracy = float((scores.argmax(axis=1) == y).mean())
    if classes == 2:
        accuracy = max(accuracy, _best_threshold_accuracy(scores[:, 1] - scores[:, 0], y))
    return accuracy

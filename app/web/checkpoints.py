"""Training checkpoints held in memory, counted in a budget of their own (LAYERWARP_CHECKPOINT_MB).

A checkpoint (weights and optimizer state at a step) lets a run, a resume or a replay start near
its target instead of at step 0. With up to 512 configs × 256 checkpoints of ~7.5 KB each they
were outside every budget (~1 GB at worst). Each config's checkpoints are a `Store`: a dict that
counts what is put in and taken out, so the code that keeps and thins them stays a dict's; past
the budget, the least recently used configs lose theirs (they are recomputed when needed).
"""

from collections import OrderedDict
from typing import Any

import numpy as np


def checkpoint_bytes(value: Any) -> int:
    """Roughly what a checkpoint holds in memory: its arrays' bytes plus the containers."""
    if isinstance(value, np.ndarray):
        return value.nbytes + 112
    if isinstance(value, dict):
        return 64 * len(value) + sum(checkpoint_bytes(item) for item in value.values())
    if isinstance(value, list | tuple):
        return 56 + 8 * len(value) + sum(checkpoint_bytes(item) for item in value)
    return 32


class Store(dict):
    """One config's checkpoints, step -> checkpoint (0: None, the start, always there)."""

    def __init__(self, budget: "Checkpoints", key: str) -> None:
        super().__init__({0: None})
        self.budget = budget
        self.key = key
        self.sizes: dict[int, int] = {}

    def __setitem__(self, step: int, checkpoint: Any) -> None:
        if step in self.sizes:
            del self[step]
        super().__setitem__(step, checkpoint)
        if checkpoint is not None:
            self.sizes[step] = checkpoint_bytes(checkpoint)
            self.budget.added(self, self.sizes[step])

    def __delitem__(self, step: int) -> None:
        super().__delitem__(step)
        self.budget.bytes -= self.sizes.pop(step, 0)

    def forget(self) -> None:
        """Let every checkpoint but the start go."""
        for step in list(self.sizes):
            del self[step]


class Checkpoints:
    """The Stores of the configs seen lately, least recently used first."""

    def __init__(self, max_bytes: float, max_configs: int) -> None:
        self.max_bytes = max_bytes
        self.max_configs = max_configs
        self.stores: OrderedDict[str, Store] = OrderedDict()
        self.bytes = 0

    def for_config(self, key: str) -> Store:
        store = self.stores.get(key)
        if store is None:
            store = self.stores[key] = Store(self, key)
            while len(self.stores) > self.max_configs:
                self.stores.popitem(last=False)[1].forget()
        self.stores.move_to_end(key)
        return store

    def added(self, store: Store, size: int) -> None:
        self.bytes += size
        if self.stores.get(store.key) is not store:
            store.forget()  # forgotten while its run went on: it keeps nothing more
            return
        for key in list(self.stores):
            if self.bytes <= self.max_bytes:
                return
            if key != store.key:
                self.stores[key].forget()
        while self.bytes > self.max_bytes and len(store.sizes) > 1:
            del store[min(store.sizes)]  # alone over the budget: its oldest go first

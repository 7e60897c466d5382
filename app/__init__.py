"""Layerwarp: see how each layer of a neural network warps the plane."""

__version__ = "0.1.0"

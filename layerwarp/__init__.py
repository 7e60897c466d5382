"""Layerwarp in a notebook: the page's pictures of how each layer warps the plane, from Python.

    import layerwarp as lw
    lw.offline()                      # figures carry plotly.js from the plotly package, no CDN
    run = lw.Run(preset="spiral2", layers=6).train(500)
    run.figure(stage="last")          # a plotly Figure, drawn as the page draws its warp view
    run.animation()                   # every stage and in-between frame, with play and a slider
    lw.language("zh-CN")              # the figures' words in 简体中文 (or "en")

A thin layer over app/engine (no server, no HTTP): the same config fields, the same errors as
the CLI, and the same numbers as /api/snapshot.
"""

from layerwarp.offline import offline
from layerwarp.run import ConfigError, Run
from layerwarp.words import language

__all__ = ["ConfigError", "Run", "language", "offline"]

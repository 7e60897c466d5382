"""The page's maths (static/js/maths.js through decode.js) against the engine: every stage and
tween frame of every preset and every lesson step, computed in Chromium from the streamed maps,
equals /api/snapshot?form=exact to 1e-9; and every engine activation has its JavaScript twin."""

import json

import httpx
import numpy as np
import pytest

from app.engine.activations import ACTIVATIONS
from app.engine.tweens import tween_matrices
from app.lessons import LESSONS
from app.presets import PRESETS
from app.schemas import TrainConfig
from tests.support import iter_events

RELATIVE = 1e-9
DIVERGING = TrainConfig(lr=10, activation="linear", optimizer="sgd", steps=50)  # clipped stages


def configs() -> dict[str, TrainConfig]:
    """Each preset's config and each lesson step's (the step the lesson shows: its last)."""
    out = {f"preset {name}": preset.train_config() for name, preset in PRESETS.items()}
    out |= {f"lesson {step.id}": step.train_config() for step in LESSONS}
    out["diverging"] = DIVERGING
    return out


def query(config: TrainConfig) -> str:
    values = {k: v for k, v in config.model_dump().items() if v is not None}
    return str(
        httpx.QueryParams(
            {k: str(v).lower() if isinstance(v, bool) else v for k, v in values.items()}
        )
    )


def stream_meta(server: str, config: TrainConfig) -> dict:
    """The stream's `meta` (a stream asked for after the last step sends meta and done only)."""
    url = f"{server}/api/stream?{query(config)}&after={config.steps}"
    with httpx.stream("GET", url, timeout=120) as response:
        response.raise_for_status()
        for event in iter_events(response.iter_lines()):
            if event.event == "meta":
                return json.loads(event.data)
    raise AssertionError("no meta")


def module(watched, name: str) -> str:
    """The URL of static/js/<name> under the page's asset hash."""
    layer = watched.page.evaluate(
        """() => [...document.querySelectorAll('link[rel="modulepreload"]')]
            .map((l) => l.href).find((h) => h.endsWith('/js/playground/layer.js'))"""
    )
    return layer.replace("playground/layer.js", name)


@pytest.fixture
def page_modules(watched):
    watched.page.goto(f"{watched.base}/playground")
    watched.page.wait_for_selector("[data-playground][data-ready]")
    return {name: module(watched, name) for name in ("decode.js", "maths.js")}


COMPUTE = """async ([url, meta, wire]) => {
    const { decodeMeta, Snapshot } = await import(url);
    const decoded = decodeMeta(meta);
    const snapshot = Snapshot.fromWire(decoded, wire);
    const stages = {};
    for (const name of meta.stages) stages[name] = Array.from(snapshot.stage(name));
    const tweens = snapshot.tweens.map(({ name, M }) => ({ name, M,
        at: Array.from(snapshot.stage(name)) }));
    return { stages, tweens };
}"""


def close(page: np.ndarray, engine: np.ndarray, what: str) -> None:
    scale = float(np.abs(engine).max(initial=0.0))
    np.testing.assert_allclose(page, engine, rtol=RELATIVE, atol=RELATIVE * scale, err_msg=what)


@pytest.mark.parametrize(("label", "config"), list(configs().items()), ids=list(configs()))
def test_every_stage_computed_in_the_page_equals_the_engines(
    watched, server, page_modules, label, config
):
    meta = stream_meta(server, config)
    base = f"{server}/api/snapshot?{query(config)}&step={config.steps}"
    wire = httpx.get(f"{base}&form=wire", timeout=300).json()
    exact = httpx.get(f"{base}&form=exact", timeout=300).json()
    page = watched.page.evaluate(COMPUTE, [page_modules["decode.js"], meta, wire])
    dims = meta["dims"]
    assert list(page["stages"]) == [s["name"] for s in exact["stages"]]
    for stage in exact["stages"]:
        engine = np.concatenate([stage["grid"], stage["points"]])
        drawn = np.reshape(page["stages"][stage["name"]], (-1, dims))
        close(drawn, engine, f"{label}: {stage['name']}")
    assert [t["name"] for t in page["tweens"]] == [t["name"] for t in exact["tweens"]]
    inputs = {s["layer"]: s for s in exact["stages"] if s["kind"] in ("input", "act", "res")}
    for mine, theirs in zip(page["tweens"], exact["tweens"], strict=True):
        M = np.array(theirs["matrix"])
        close(np.array(mine["M"]), M, f"{label}: {theirs['name']}")
        # the frame's positions: the layer's input (unclipped = shown here: nothing clips) · Mᵀ
        previous = inputs[theirs["layer"] - 1]
        a = np.concatenate([previous["grid"], previous["points"]])
        a = np.pad(a, ((0, 0), (0, M.shape[1] - a.shape[1])))
        if not any(s["clipped"] for s in exact["stages"]):
            close(np.reshape(mine["at"], (-1, M.shape[0])), a @ M.T, f"{label}: {theirs['name']}")


def test_every_engine_activation_has_its_javascript_twin(watched, page_modules):
    """A σ added to app/engine/activations.py without one in static/js/maths.js fails here."""
    z = np.concatenate([np.linspace(-40, 40, 801), [0.0, -0.0, 1e-300, -1e-300, 700.0, -700.0]])
    twins = watched.page.evaluate(
        """async ([url, z]) => {
            const { ACTIVATIONS } = await import(url);
            const { CONSTANTS } = await import(url.replace('maths.js', 'constants.js'));
            const values = {};
            for (const [name, sigma] of Object.entries(ACTIVATIONS)) values[name] = z.map(sigma);
            return { values, served: CONSTANTS.maths.activations };
        }""",
        [page_modules["maths.js"], z.tolist()],
    )
    assert twins["served"] == list(ACTIVATIONS)  # the page is told the engine's names
    missing = set(ACTIVATIONS) - set(twins["values"])
    assert not missing, f"no JavaScript twin in static/js/maths.js for {sorted(missing)}"
    for name, activation in ACTIVATIONS.items():
        np.testing.assert_allclose(twins["values"][name], activation(z), rtol=1e-14, atol=1e-15)


def awkward_3d_maps() -> list[np.ndarray]:
    """3-D layer maps a trained net may hold: random, mirrors (det < 0), near half-turns,
    badly conditioned, huge (a diverging run), and 3×2 lifts of the plane."""
    rng = np.random.default_rng(7)
    maps = [rng.normal(size=(3, 3)) for _ in range(20)]
    maps += [np.diag([1.0, 1.0, -1.0]) @ rng.normal(size=(3, 3)) for _ in range(5)]
    half = np.diag([-1.0, -1.0, 1.0])  # a half-turn about z, then a small wobble
    maps += [half @ (np.eye(3) + 1e-8 * rng.normal(size=(3, 3))) @ np.diag([2.0, 0.5, 1.0])]
    maps += [np.diag([1e3, 1.0, 1e-2]) @ rng.normal(size=(3, 3)), 1e150 * rng.normal(size=(3, 3))]
    maps += [rng.normal(size=(3, 2)) for _ in range(5)]
    return maps


def test_3d_tween_frames_computed_in_the_page_equal_the_engines(watched, page_modules):
    """The page computes a width-3 layer's frames into k.W (polar factors by Newton's iteration,
    not an SVD): each frame's matrix is the engine's to 1e-9 of its largest entry, mirrors and
    half-turns included, so a 3-D snapshot carries no matrices."""
    maps = awkward_3d_maps()
    page = watched.page.evaluate(
        """async ([url, maps]) => {
            const { tweenFrames3d } = await import(url);
            return maps.map((W) => tweenFrames3d(W));
        }""",
        [page_modules["maths.js"], [W.tolist() for W in maps]],
    )
    assert any(frames["mirror"] for frames in page)  # the mirror path was taken
    for W, mine, theirs in zip(maps, page, tween_matrices(maps), strict=True):
        assert mine["mirror"] == (theirs[0][0].kind == "mirror"), W
        assert len(mine["matrices"]) == len(theirs), W
        for M, (record, engine) in zip(mine["matrices"], theirs, strict=True):
            close(np.array(M), engine, f"{record.name} of {W.tolist()}")

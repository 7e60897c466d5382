"""Each lesson step, opened by its URL, shows on the screen what its text claims.

The checks read what Plotly drew (trace data, the field's pixels), the inspector's table and
the panel's text, the way a student would look at them, at 1440×900 with one browser page
for every step. The geometry is tests/lesson_facts.py, which tests/test_lessons.py also
applies to the engine's own positions, so the two checks cannot drift apart.
"""

import re
from collections.abc import Callable, Iterator

import httpx
import numpy as np
import pytest

from app.engine.datasets import soft_probability
from app.engine.training import network_at
from app.engine.warp import DATA_EXTENT
from app.schemas import TrainConfig
from tests import lesson_facts as facts
from tests.browser.conftest import Watched
from tests.browser.harness import PIXELS_OF

LAPTOP = {"width": 1440, "height": 900}
PACING = "theme=light&rate=20&every=25"  # few snapshots: short runs, even with 3-D redraws
# the mini-batch curve's jitter is claimed at the page's own pace, a snapshot every 5 steps
OWN_PACE = {"mini-batch": "theme=light&rate=20"}
DONE = ("done-steps", "done-converged")


@pytest.fixture(scope="module")
def lessons(server) -> dict[str, dict]:
    return {lesson["id"]: lesson for lesson in httpx.get(f"{server}/api/lessons").json()}


@pytest.fixture(scope="module")
def student(browser, server) -> Iterator[Watched]:
    """One page for every step: a student clicking from lesson link to lesson link."""
    context = browser.new_context(viewport=LAPTOP)
    yield Watched(context.new_page(), server)
    context.close()


def wait_done(page) -> None:
    """Until the run has stopped (at its last step, or converged sooner)."""
    page.wait_for_function(
        "(kinds) => kinds.includes(document.querySelector('[data-status]').dataset.kind)",
        arg=list(DONE),
        timeout=120000,  # 3-D redraws are slow on a busy machine without a GPU
    )


def wait_pinned(student: Watched, lesson: dict) -> None:
    """Until the run has stopped at the lesson's pinned step and the warp view shows its stage."""
    page = student.page
    wait_done(page)
    stage = lesson["stage"]
    stage = stage or "input"  # /api/lessons names it, "last" resolved
    student.wait_drawn(stage=stage, timeout=30000)
    page.wait_for_function(  # the side views follow within a few hundred milliseconds
        """(step) => document.querySelector('[data-timeline-readout]').textContent
            .startsWith(`step ${step} `)""",
        arg=lesson["config"]["steps"],
    )
    page.wait_for_timeout(400)  # their redraw is throttled to one per 200 ms


def plot(page, view: str) -> list[dict]:
    """The view's traces, without a traced point's path and ring (no point is traced here)."""
    traces = page.evaluate(
        """(view) => document.querySelector(`[data-view="${view}"]`).data.map((t) => ({
            type: t.type, mode: t.mode, name: t.name, x: t.x, y: t.y, z: t.z,
        }))""",
        view,
    )
    return [t for t in traces if t["name"] not in ("trace-path", "trace-ring")]


def on_screen(page, selector: str) -> bool:
    """The element is inside the window: seen without scrolling."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 1


SEEN_WHOLE = """(el) => {
    // inside the window and inside every box that clips it (a scroll region shows only part)
    const r = el.getBoundingClientRect();
    const inside = (o) => r.left >= o.left - 1 && r.right <= o.right + 1
      && r.top >= o.top - 1 && r.bottom <= o.bottom + 1;
    if (!inside({ left: 0, top: 0, right: innerWidth, bottom: innerHeight })) return false;
    for (let box = el.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflow !== 'visible' && !inside(box.getBoundingClientRect())) {
        return false;
      }
    }
    return r.width > 0 && r.height > 0;
}"""


def seen_whole(locator) -> bool:
    """A person sees the whole element without scrolling the page or any region in it."""
    return locator.evaluate(SEEN_WHOLE)


def point_groups(traces: list[dict], classes: int, dims: int) -> list[np.ndarray]:
    """Drawn points of each class, train and test (the traces after the grid, in class order)."""
    axes = "xyz"[:dims]
    groups = []
    for c in range(classes):
        parts = traces[1 + 2 * c : 3 + 2 * c]
        groups.append(np.concatenate([np.column_stack([t[a] for a in axes]) for t in parts]))
    return groups


def grid(traces: list[dict]) -> np.ndarray:
    lines = facts.polylines(traces[0]["x"], traces[0]["y"])
    return np.stack(lines)


def curve(page, index: int) -> list[float]:
    return plot(page, "curves")[index]["y"]


def field_probability(page) -> dict:
    """The input view's picture decoded back to probabilities: p of class 1 and of the winner
    for each pixel, from its colour and the renderer's own palette (two classes)."""
    return page.evaluate(
        """async () => {
            const pixelsOf = PIXELS_OF;
            const entry = document.querySelector('script[type="module"]').src;
            const { CLASS_COLOURS, plotLook } = await import(new URL('render/style.js', entry));
            const el = document.querySelector('[data-view="field"]');
            const trace = el.data.find((t) => t.type === 'image');
            const image = await pixelsOf(trace.source);
            const pixels = image.data;
            const base = plotLook({ theme: document.documentElement.dataset.theme }).fieldBase;
            const rgbOf = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
            const colours = CLASS_COLOURS.slice(0, 2).map(rgbOf);
            const winner = [];
            const p1 = [];
            for (let i = 0; i < pixels.length; i += 4) {
              const rgb = [pixels[i], pixels[i + 1], pixels[i + 2]];
              // strength along each class's colour from the base; the winner fits best
              const fit = colours.map((colour) => {
                const away = [0, 1, 2].map((k) => colour[k] - base[k]);
                const seen = [0, 1, 2].map((k) => rgb[k] - base[k]);
                const dot = (u, v) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
                const s = Math.max(0, dot(seen, away) / dot(away, away));
                let err = 0;
                for (let k = 0; k < 3; k++) err += (seen[k] - s * away[k]) ** 2;
                return { s, err };
              });
              const c = fit[0].err <= fit[1].err ? 0 : 1;
              const best = 0.5 + 0.5 * fit[c].s / 0.55; // field.js: strength = 0.55·(p − ½)/(1 − ½)
              winner.push(best);
              p1.push(c === 1 ? best : 1 - best);
            }
            const { x0, dx, y0, dy } = trace;
            return { size: image.width, x0, dx, y0, dy, winner, p1 };
        }""".replace("PIXELS_OF", PIXELS_OF)
    )


def pixel_coordinates(picture: dict) -> np.ndarray:
    """(pixels, 2) positions of the picture's pixels; canvas row i is drawn at y0 + i·dy."""
    size = picture["size"]
    rows, columns = np.divmod(np.arange(size * size), size)
    return np.column_stack(
        [picture["x0"] + columns * picture["dx"], picture["y0"] + rows * picture["dy"]]
    )


def numbers_in(text: str) -> list[float]:
    """Every number written in `text`, with the page's minus sign and exponents."""
    found = re.findall(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?", text)
    return [float(n.replace("−", "-")) for n in found]


# ---- what each step claims, read off the screen ------------------------------------------


def key_to_stage(page, key: str, stage: str) -> None:
    """Press ← or → once and wait until the warp view rests at `stage` (a student's pace)."""
    page.keyboard.press(key)
    page.wait_for_function(
        """(stage) => { const el = document.querySelector('[data-view="warp"]');
            return el.dataset.stage === stage && !el.dataset.animating; }""",
        arg=stage,
    )


def three_moves(page, lesson) -> None:
    for stage, straight in (("1.W", True), ("1.b", True), ("1.act", False)):
        if stage != "1.W":
            key_to_stage(page, "ArrowRight", stage)
        lines = grid(plot(page, "warp"))
        half = len(lines) // 2
        bends = [facts.bend(line) for line in lines]
        if straight:  # every line straight, each family parallel, the two families apart
            assert max(bends) < 1e-3, (stage, max(bends))
            assert facts.spread(lines[:half]) < 0.5 and facts.spread(lines[half:]) < 0.5, stage
            across = facts.angle(facts.direction(lines[0]), facts.direction(lines[half]))
            assert across > 20, (stage, across)  # a plane, not squeezed to a sliver
        else:
            assert max(bends) > 0.01, stage  # σ bends it


def compose(page, lesson) -> None:
    separability = plot(page, "separability")[0]["y"]
    assert separability[0] <= 0.9 and separability[-1] >= 0.99, separability
    assert all(b >= a - 0.02 for a, b in zip(separability, separability[1:], strict=False))
    assert on_screen(page, '[data-view="separability"]')


def perceptron_xor(page, lesson) -> None:
    traces = plot(page, "field")
    assert not [t for t in traces if t["type"] == "contour"]  # no lattice staircase
    (line,) = [t for t in traces if t["mode"] == "lines"]
    assert line["x"][2:] == [None] and line["y"][2:] == [None]  # one straight segment
    ends = np.array([line["x"][:2], line["y"][:2]]).T
    # the segment lies on the readout's line (W₀ − W₁)·x + (b₀ − b₁) = 0 of the step shown
    query = httpx.QueryParams({**lesson["config"], "step": lesson["config"]["steps"]})
    snap = httpx.get(f"{page.url.split('/?')[0]}/api/snapshot?{query}").json()
    W, b = np.array(snap["readout"]["W"]), np.array(snap["readout"]["b"])
    normal, offset = W[0] - W[1], b[0] - b[1]
    distance = np.abs(ends @ normal + offset) / np.linalg.norm(normal)
    assert distance.max() < 1e-4, distance  # far below a pixel of the 2.5-wide window
    # whichever way round, at least a quarter of the drawn points are on the wrong side
    points = [t for t in traces if t["mode"] == "markers"]
    labels = np.concatenate([np.full(len(t["x"]), k // 2) for k, t in enumerate(points)])
    xy = np.concatenate([np.column_stack([t["x"], t["y"]]) for t in points])
    side = (xy @ normal + offset) < 0
    wrong = min((side == labels).mean(), (side != labels).mean())
    assert wrong >= 0.25, wrong


def separated_by_the_plane(page, lesson) -> None:
    traces = plot(page, "warp")
    (plane,) = [t for t in traces if t["type"] == "mesh3d"]
    corners = np.column_stack([plane["x"], plane["y"], plane["z"]])
    normal = np.cross(corners[1] - corners[0], corners[2] - corners[0])
    offset = -float(normal @ corners[0])
    groups = point_groups(traces, 2, 3)
    assert facts.plane_agreement(groups, normal, offset) >= 0.99


def three_classes(page, lesson) -> None:
    traces = plot(page, "warp")
    assert traces[0]["type"] == "scatter3d"
    assert len([t for t in traces if t["type"] == "mesh3d"]) >= 2  # the readout's planes
    assert facts.own_corner(point_groups(traces, 3, 3)) >= 0.95


def gradient_step(page, lesson) -> None:
    page.locator("[data-single-step] [data-example]").wait_for(timeout=20000)
    assert on_screen(page, "[data-single-step] [data-example]")
    loss = page.text_content("[data-single-step] p:nth-child(2)")
    before, after, change = numbers_in(loss)[:3]
    assert after < before and change < 0, loss
    example = page.text_content("[data-single-step] [data-example]")
    numbers = numbers_in(example.split(":", 1)[1])  # after "for W₁[i,j]:"
    w, lr, grad, result, moved = numbers
    assert lr == lesson["config"]["lr"]
    # each number is rounded where it is printed: allow half a unit of each one's last digit
    printed = re.search(r"× (\S+) =", example).group(1)
    digits = len(printed.split(".")[1]) if "." in printed else 0
    slack = lr * 0.5 * 10.0**-digits + 1e-6
    assert abs(w - lr * grad - result) <= slack and abs(result - moved) <= 1e-6, example


def mini_batch(page, lesson) -> None:
    loss = curve(page, 0)  # training loss, every snapshot
    rises = sum(b > a for a, b in zip(loss, loss[1:], strict=False))
    assert rises >= 5 and loss[-1] <= 0.5 * loss[0], (rises, loss[0], loss[-1])
    assert on_screen(page, '[data-view="curves"]')


def sigmoid_stalls(page, lesson) -> None:
    assert on_screen(page, '[data-view="inspector"] table')
    rows = page.locator('[data-view="inspector"] tbody tr[data-layer]')
    grads = [
        numbers_in(rows.nth(k).locator("td").nth(4).text_content())[0] for k in range(rows.count())
    ]
    assert len(grads) == lesson["config"]["layers"]
    cells = [rows.nth(k).locator("td").nth(4) for k in range(rows.count())]
    hidden = [k + 1 for k, cell in enumerate(cells) if not seen_whole(cell)]
    assert hidden == [], f"the gradient of layers {hidden} is cut off or scrolled away"
    assert all(a < b for a, b in zip(grads, grads[1:], strict=False)), grads
    assert grads[0] / grads[-1] <= 1e-3, grads
    assert curve(page, 3)[-1] <= 0.6  # test accuracy still at chance


def relu_folds(page, lesson) -> None:
    traces = plot(page, "warp")
    drawn = np.concatenate(
        [grid(traces).reshape(-1, 2)] + [np.column_stack([t["x"], t["y"]]) for t in traces[1:-1]]
    )
    assert (drawn[:, 1] == 0).all() and np.ptp(drawn[:, 0]) > 0.1  # 2.act: unit 2 is dead
    for stage in ("2.b", "2.W", "1.act"):  # back to where layer 1 folds
        key_to_stage(page, "ArrowLeft", stage)
    traces = plot(page, "warp")
    points = np.concatenate([np.column_stack([t["x"], t["y"]]) for t in traces[1:-1]])
    for unit in range(2):  # both alive: each folds part of the data flat, not all of it
        flat = (points[:, unit] == 0).mean()
        assert 0.05 < flat < 0.95, (unit, flat)
    assert curve(page, 3)[-1] >= 0.85  # and the net trains


def leaky_relu(page, lesson) -> None:
    traces = plot(page, "warp")
    lines = grid(traces)
    assert facts.one_to_one(lines[: len(lines) // 2])
    assert max(facts.turn(line) for line in lines) > 20  # creased
    points = np.concatenate([np.column_stack([t["x"], t["y"]]) for t in traces[1:-1]])
    assert (points != 0).all()  # nothing lands on an axis
    assert (points.min(axis=0) < 0).all()  # both units keep a pressed, negative side


def overfit(page, lesson) -> None:
    train, test = curve(page, 2), curve(page, 3)
    assert train[-1] >= 0.99 and train[-1] - test[-1] >= 0.15, (train[-1], test[-1])


def regularise(page, lesson) -> None:
    train, test = curve(page, 2), curve(page, 3)
    assert train[-1] <= 0.98 and train[-1] - test[-1] <= 0.1, (train[-1], test[-1])


def probability(page, lesson) -> None:
    picture = field_probability(page)
    truth = soft_probability(pixel_coordinates(picture))
    error = np.abs(np.array(picture["p1"]) - truth).mean()
    assert error <= 0.1, error


def extrapolation(page, lesson) -> None:
    assert page.is_checked("[data-wide]")
    picture = field_probability(page)
    xy = pixel_coordinates(picture)
    outside = np.abs(xy).max(axis=1) > DATA_EXTENT
    assert np.abs(xy).max() > 3 * DATA_EXTENT * 0.99  # three times wider
    confident = np.array(picture["winner"])[outside] >= 0.94
    assert confident.mean() >= 0.5, confident.mean()


def topology_leak(page, lesson) -> None:
    assert page.is_checked("[data-wide]")
    hint = page.text_content("[data-wide-hint]")
    classes = re.search(r"edge of the window \(unbounded\): ([\d, ]+)\.", hint).group(1)
    assert "0" in classes.split(", "), hint  # the inner class
    picture = field_probability(page)
    size = picture["size"]
    p1 = np.array(picture["p1"]).reshape(size, size)
    border = np.concatenate([p1[0], p1[-1], p1[:, 0], p1[:, -1]])
    assert (border < 0.5).any()  # the inner class's colour at the window's edge
    assert curve(page, 3)[-1] >= 0.9


def relu_pieces(page, lesson) -> None:
    """The input space is coloured by linear region, and their count is the run's own."""
    assert page.is_checked("[data-regions]")
    shown = page.text_content("[data-regions-count]")
    count = int(re.match(r"(\d+) linear regions", shown).group(1))
    query = "&".join(
        f"{k}={str(v).lower() if isinstance(v, bool) else v}"
        for k, v in lesson["config"].items()
        if v not in (None, "")
    )
    steps = lesson["config"]["steps"]
    base = page.url.split("/?")[0]
    wire = httpx.get(f"{base}/api/snapshot?{query}&step={steps}&form=wire", timeout=120).json()
    assert count == wire["regions"]["count"] >= 15
    traces = plot(page, "field")
    assert traces[0]["name"] == "regions"


CHECKS: dict[str, Callable] = {
    "three-moves": three_moves,
    "compose": compose,
    "three-classes": three_classes,
    "perceptron-xor": perceptron_xor,
    "xor-hidden": separated_by_the_plane,
    "gradient-step": gradient_step,
    "mini-batch": mini_batch,
    "sigmoid-stalls": sigmoid_stalls,
    "relu-folds": relu_folds,
    "leaky-relu": leaky_relu,
    "relu-pieces": relu_pieces,
    "overfit": overfit,
    "regularise": regularise,
    "probability": probability,
    "extrapolation": extrapolation,
    "topology-leak": topology_leak,
    "topology-lift": separated_by_the_plane,
}


# steps whose view is a page of their own, checked where that page is
ELSEWHERE = dict.fromkeys(
    ["tanh-beside-relu", "width-side-by-side"], "tests/browser/test_compare.py"
)


def test_every_lesson_step_has_a_check(lessons) -> None:
    assert set(CHECKS) | set(ELSEWHERE) == set(lessons)


@pytest.mark.parametrize("lesson_id", list(CHECKS))
def test_the_step_shows_its_claim(student, lessons, lesson_id) -> None:
    lesson = lessons[lesson_id]
    student.page.goto(f"{student.base}/?lesson={lesson_id}&{OWN_PACE.get(lesson_id, PACING)}")
    if lesson["view"] == "step":  # the lesson pauses at once and takes one step
        student.page.locator("[data-single-step]").wait_for(state="visible", timeout=30000)
    else:
        wait_pinned(student, lesson)
        when = student.page.text_content("[data-lesson-view]")
        assert f"stops at step {lesson['config']['steps']}" in when
    CHECKS[lesson_id](student.page, lesson)
    assert student.errors == [], lesson_id


def test_n_walks_to_the_next_steps_and_each_shows_its_claim(student, lessons) -> None:
    order = list(lessons)
    start = order.index("relu-folds")
    student.page.goto(f"{student.base}/?lesson=sigmoid-stalls&{PACING}")
    student.page.locator("[data-lesson]").wait_for(state="visible")
    # relu-folds, the comparison tanh-beside-relu (a page of its own), then back on the page
    for lesson_id in order[start : start + 3]:
        student.page.keyboard.press("n")
        if lesson_id in ELSEWHERE:
            student.page.wait_for_url(f"**/compare?lesson={lesson_id}&**")
            student.page.wait_for_function(
                "(id) => document.querySelector('[data-compare-lesson]').dataset.lessonId === id",
                arg=lesson_id,
            )
            continue
        student.page.wait_for_function(
            "(id) => document.querySelector('[data-lesson]')?.dataset.lessonId === id",
            arg=lesson_id,
        )
        wait_pinned(student, lessons[lesson_id])
        CHECKS[lesson_id](student.page, lessons[lesson_id])


def test_a_linear_net_with_hidden_layers_gets_its_exact_boundary_line(student) -> None:
    """σ = linear with residual layers of width 3: still one affine map, still one straight line."""
    config = {"dataset": "moons", "layers": 2, "width": 3, "activation": "linear"}
    config |= {"residual": True, "steps": 40}
    query = "&".join(f"{k}={str(v).lower()}" for k, v in config.items())
    student.page.goto(f"{student.base}/?{query}&{PACING}")
    wait_done(student.page)
    # the side views redraw between the warp's tweens: wait for the map of the last step
    student.page.wait_for_function(
        "(step) => document.querySelector('[data-view=\"field\"]').dataset.step === step",
        arg=str(config["steps"]),
        timeout=30000,
    )
    traces = plot(student.page, "field")
    assert not [t for t in traces if t["type"] == "contour"]
    (line,) = [t for t in traces if t["mode"] == "lines"]
    ends = np.array([line["x"][:2], line["y"][:2]]).T
    network, _ = network_at(TrainConfig(**config), config["steps"])
    logits = network.forward(ends)[3]  # (classes, 2): the two classes tie on the line
    assert np.abs(logits[0] - logits[1]).max() < 1e-4 * np.abs(logits).max()


def test_in_presentation_the_compose_step_shows_its_chart(browser, server, lessons) -> None:
    """The chart the compose step points at is on the projector's screen, beside the warp view."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    projector = Watched(context.new_page(), server)
    try:
        projector.page.goto(f"{server}/?lesson=compose&present=1&{PACING}")
        wait_pinned(projector, lessons["compose"])
        assert projector.page.locator('[data-view="separability"]').is_visible()
        assert on_screen(projector.page, '[data-view="separability"]')
        compose(projector.page, lessons["compose"])
    finally:
        context.close()

"""How long a teacher's move takes to show on the students' screens, in real browsers.

    python -m bench.class_screens [--students 3] [--repeats 3]      (or: make bench-class-screens)

A teacher and `--students` students, each in a browser context of its own, on one server. Every
student page keeps a log of what its screen shows (the warp view's drawn stage and step, the
form's values, the lesson step, the traced point's table, the filmstrip, the run's status), with
the wall-clock time of each change. For each kind of move the teacher makes (a stage jump, a
config change, pause and play, a traced point, a view toggle, a lesson step), the time from the
teacher's click to the moment the last student's screen shows it. Beside it: a fresh page load
of the same config, from navigation to its first drawn snapshot (what a config change can at
best approach), and the server's count of computations while the whole class watches one run.
Medians and worst cases printed as JSON, never asserted.
"""

import argparse
import json
import statistics
import time

import httpx
from playwright.sync_api import sync_playwright

from tests.browser.harness import CHROMIUM, LAUNCH_ARGS, free_port, start_server, stop_server
from tests.browser.test_trace import _ON_SCREEN, _loneliest

# a run that trains for minutes at 10 snapshots a second: moves land while it trains
RUN = "dataset=spiral2&points=200&layers=2&width=2&steps=20000&every=10&rate=10&lang=en"
LAPTOP = {"width": 1366, "height": 768}
TIMEOUT_S = 60
# What a screen shows, read off the DOM (never the page's store).
SHOWN = """() => {
  const warp = document.querySelector('[data-view="warp"]');
  const fields = Object.fromEntries([...document.querySelectorAll('[data-field]')]
    .map((el) => [el.dataset.field, el.type === 'checkbox' ? String(el.checked) : el.value]));
  return {
    stage: warp.dataset.stage ?? null, step: warp.dataset.step ?? null,
    animating: Boolean(warp.dataset.animating), fields,
    lesson: document.querySelector('[data-lesson]').hidden ? null
      : document.querySelector('[data-lesson-title]').textContent,
    trace: document.querySelector('.trace-title')?.textContent ?? null,
    filmstrip: !document.querySelector('[data-view="filmstrip"]').hidden,
    status: document.querySelector('[data-status]').dataset.kind ?? null,
    draws: window.__draws ?? 0,
  };
}"""
# Logs every change of SHOWN with Date.now() (one clock for every context of the machine): on
# any change of the DOM, and every 10 ms for values a DOM change does not announce.
LOGGER = f"""() => {{
  const shown = {SHOWN};
  window.__log = [];
  window.__draws = 0;
  new MutationObserver(() => {{ window.__draws += 1; }}).observe(
    document.querySelector('[data-view="warp"]'),
    {{ attributes: true, attributeFilter: ['data-step', 'data-sketch-step'] }});
  let last = '';
  const sample = () => {{
    const now = shown();
    const text = JSON.stringify(now);
    if (text !== last) {{ window.__log.push({{ t: Date.now(), ...now }}); last = text; }}
  }};
  new MutationObserver(sample).observe(document, {{
    subtree: true, attributes: true, childList: true, characterData: true }});
  setInterval(sample, 10);
  sample();
}}"""


def arrival(page, since: float, want: dict, redrawn: bool) -> float | None:
    """When (ms since the epoch) the page's screen first showed `want` after `since`: every
    field of `want` equal, the warp view not mid-tween, a drawn step; with `redrawn`, drawn
    again after the form showed `want` (a new run's snapshot, not the last run's picture)."""
    return page.evaluate(
        """([since, want, redrawn]) => {
          const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
          const matches = (e) => Object.entries(want).every(([k, v]) => k === 'fields'
            ? Object.entries(v).every(([f, x]) => e.fields[f] === x) : same(e[k], v));
          const first = window.__log.findIndex((e) => e.t >= since && matches(e));
          if (first < 0) return null;
          const from = window.__log[first].draws;
          const hit = window.__log.slice(first).find((e) => e.step !== null && !e.animating
            && matches(e) && (!redrawn || e.draws > from));
          return hit ? hit.t : null;
        }""",
        [since, want, redrawn],
    )


def wait_shown(pages: list, since: float, want: dict, redrawn: bool = False) -> list[float]:
    """Milliseconds from `since` to each page showing `want` (waits up to TIMEOUT_S)."""
    deadline = time.monotonic() + TIMEOUT_S
    times: list[float | None] = [None] * len(pages)
    while None in times and time.monotonic() < deadline:
        for i, page in enumerate(pages):
            if times[i] is None:
                times[i] = arrival(page, since, want, redrawn)
        if None in times:
            time.sleep(0.05)
    if None in times:
        raise RuntimeError(f"a student's screen did not show {want} within {TIMEOUT_S} s")
    return [t - since for t in times]


def clicked_at(page, script: str, arg: object = None) -> float:
    """Run the teacher's move (`script`) in the page; the wall-clock ms just before it."""
    return page.evaluate(f"(arg) => {{ const t = Date.now(); ({script})(arg); return t; }}", arg)


def drawn(page, extra: str = "true") -> dict:
    """Wait until the warp view shows its caption's stage, not mid-tween; what the page shows."""
    page.wait_for_function(
        f"""() => {{ const el = document.querySelector('[data-view="warp"]');
          return el.dataset.step !== undefined && !el.dataset.animating
            && el.dataset.stage === (document.querySelector('[data-stage-id]').textContent
              || 'input') && ({extra}); }}""",
        timeout=TIMEOUT_S * 1000,
    )
    return page.evaluate(SHOWN)


def settled(page, quiet_s: float = 1.0) -> dict:
    """drawn(), and what it shows (stage, settings, lesson) unchanged for `quiet_s`: a lesson
    step's title and settings change at the click, its run's own stage only once that run has
    drawn, so a screen read at once can hold a mix no screen is meant to show."""
    keys = ("stage", "fields", "lesson")
    shown = drawn(page)
    still = time.monotonic()
    while time.monotonic() - still < quiet_s:
        time.sleep(0.1)
        now = drawn(page)
        if any(now[k] != shown[k] for k in keys):
            shown, still = now, time.monotonic()
    return shown


SLIDER = """(index) => { const s = document.querySelector('[data-stage-slider]');
  s.value = String(index); s.dispatchEvent(new Event('input')); }"""
FIELD = """([name, value]) => { const el = document.querySelector(`[data-field="${name}"]`);
  el.value = value; el.dispatchEvent(new Event('change', { bubbles: true })); }"""
CLICK = "(selector) => document.querySelector(selector).click()"
LESSON_TITLE = "() => document.querySelector('[data-lesson-title]').textContent"


class StateEvents:
    """The class's `state` events as a student's browser received them (the DevTools protocol's
    own clock, turned into wall-clock ms): how much of a move's delay is the network's."""

    def __init__(self, context, page) -> None:
        self.offset: float | None = None  # wall-clock s minus the protocol's monotonic s
        self.arrivals: list[float] = []
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self.clock)
        session.on("Network.eventSourceMessageReceived", self.message)
        session.send("Network.enable")

    def clock(self, event: dict) -> None:
        self.offset = event["wallTime"] - event["timestamp"]

    def message(self, event: dict) -> None:
        if event["eventName"] == "state" and self.offset is not None:
            self.arrivals.append((event["timestamp"] + self.offset) * 1000)

    def first_after(self, since: float) -> float | None:
        return next((t - since for t in self.arrivals if t >= since), None)


class Posts:
    """When the teacher's browser sent each move (`POST …/state`) and heard the answer."""

    def __init__(self, context, page) -> None:
        self.offset: float | None = None
        self.sent: list[float] = []
        self.answered: list[float] = []
        self.ids: set[str] = set()
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self.request)
        session.on("Network.loadingFinished", self.finished)
        session.send("Network.enable")

    def request(self, event: dict) -> None:
        self.offset = event["wallTime"] - event["timestamp"]
        request = event["request"]
        if request["method"] == "POST" and request["url"].endswith("/state"):
            self.ids.add(event["requestId"])
            self.sent.append(event["wallTime"] * 1000)

    def finished(self, event: dict) -> None:
        if event["requestId"] in self.ids and self.offset is not None:
            self.answered.append((event["timestamp"] + self.offset) * 1000)

    def after(self, since: float) -> tuple[float | None, float | None]:
        sent = next((t - since for t in self.sent if t >= since), None)
        answered = next((t - since for t in self.answered if t >= since), None)
        return sent, answered


def measure_moves(
    teacher, posts: Posts, students: list, listeners: list, repeats: int, base: str, code: str
) -> dict[str, list[float]]:
    """Each kind of move `repeats` times: ms from the teacher's click to the last student."""
    times: dict[str, list[float]] = {}

    def note(name: str, since: float, want: dict, redrawn: bool = False) -> None:
        times.setdefault(name, []).append(max(wait_shown(students, since, want, redrawn)))
        own = wait_shown([teacher], since, want, redrawn)[0]
        times.setdefault(f"{name}_teacher", []).append(own)
        heard = [events.first_after(since) for events in listeners]
        if None not in heard:
            times.setdefault(f"{name}_event", []).append(max(heard))
        sent, answered = posts.after(since)
        if sent is not None:
            times.setdefault(f"{name}_post_sent", []).append(sent)
        if answered is not None:
            times.setdefault(f"{name}_post_answered", []).append(answered)

    stages = teacher.evaluate("() => Number(document.querySelector('[data-stage-slider]').max)")
    for number in range(repeats):
        # a stage jump (two or more stages away)
        since = clicked_at(teacher, SLIDER, stages - 1 if number % 2 == 0 else 1)
        shown = drawn(teacher)
        note("stage_jump", since, {"stage": shown["stage"]})
        # a config change: a seed the server has never trained (a fresh computation)
        seed = str(1000 + number)
        since = clicked_at(teacher, FIELD, ["seed", seed])
        seeded = f"document.querySelector('[data-field=\"seed\"]').value === '{seed}'"
        shown = drawn(teacher, seeded)
        note("config", since, {"fields": {"seed": seed}, "stage": shown["stage"]}, redrawn=True)
        # pause, then play
        for button, kind in (("pause", "paused"), ("play", None)):
            since = clicked_at(teacher, CLICK, f'[data-action="{button}"]')
            if kind:
                note("pause", since, {"status": kind})
            else:
                teacher.wait_for_function(
                    "() => document.querySelector('[data-status]').dataset.kind !== 'paused'"
                )
                times.setdefault("play", []).append(max(wait_until_not_paused(students, since)))
        # a traced point: the teacher clicks the loneliest point of the warp view, on a still
        # picture (a point that moves with every snapshot can be gone from under the pointer)
        teacher.evaluate(CLICK, '[data-action="pause"]')
        drawn(teacher)
        target = _loneliest(teacher.evaluate(_ON_SCREEN, "warp"))
        teacher.mouse.move(target["px"], target["py"])
        since = teacher.evaluate("() => Date.now()")
        teacher.mouse.click(target["px"], target["py"])
        teacher.wait_for_function("() => document.querySelector('.trace-title')")
        title = teacher.evaluate("() => document.querySelector('.trace-title').textContent")
        note("trace", since, {"trace": title})
        teacher.evaluate(CLICK, '[data-action="play"]')
        # a view toggle: the filmstrip on, then off
        for on in (True, False):
            since = clicked_at(teacher, CLICK, "[data-filmstrip-toggle]")
            note("view", since, {"filmstrip": on})
        # a lesson step: open the lessons (the first step's run and stage), then the next one
        for selector in ("[data-lesson-open]", '[data-lesson-action="lesson-next"]'):
            before = teacher.evaluate(SHOWN)["fields"]
            since = clicked_at(teacher, CLICK, selector)
            title = teacher.evaluate(LESSON_TITLE)
            shown = settled(teacher)
            want = {"lesson": title, "stage": shown["stage"], "fields": shown["fields"]}
            note("lesson", since, want, redrawn=shown["fields"] != before)  # a new run: drawn anew
        since = clicked_at(teacher, CLICK, '[data-lesson-action="close"]')
        note("lesson", since, {"lesson": None})
        # back to the long run for the next round (the teacher's page leads the class again)
        teacher.goto(f"{base}/?{RUN}&stage=input&class={code}")
        drawn(teacher)
        teacher.evaluate(LOGGER)
    return times


def wait_until_not_paused(pages: list, since: float) -> list[float]:
    """Milliseconds from `since` until each page's status leaves `paused`."""
    deadline = time.monotonic() + TIMEOUT_S
    result = []
    for page in pages:
        while True:
            hit = page.evaluate(
                "(since) => window.__log.find((e) => e.t >= since && e.status !== 'paused')?.t",
                since,
            )
            if hit is not None:
                result.append(hit - since)
                break
            if time.monotonic() > deadline:
                raise RuntimeError("a student stayed paused")
            time.sleep(0.05)
    return result


def fresh_loads(browser, base: str, seeds: list[str]) -> list[float]:
    """Ms from navigation to the first drawn snapshot of a page opened on a new config."""
    result = []
    for seed in seeds:
        context = browser.new_context(viewport=LAPTOP)
        page = context.new_page()
        query = RUN.replace("spiral2", "spiral2&seed=" + seed)
        started = time.time() * 1000
        page.goto(f"{base}/?{query}&stage=input")
        page.wait_for_function(
            """() => { const el = document.querySelector('[data-view="warp"]');
              return el.dataset.step !== undefined || el.dataset.sketchStep !== undefined; }""",
            timeout=TIMEOUT_S * 1000,
        )
        done = page.evaluate("() => Date.now()")
        result.append(done - started)
        context.close()
    return result


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "max_ms": round(ordered[-1], 1),
        "count": len(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    port = free_port()
    process = start_server(port, {"LAYERWARP_CLASS_JOINS_PER_MINUTE": "1000"})
    base = f"http://127.0.0.1:{port}"
    results: dict[str, object] = {"students": args.students, "repeats": args.repeats}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            contexts = [browser.new_context(viewport=LAPTOP) for _ in range(args.students + 1)]
            pages = [context.new_page() for context in contexts]
            teacher, students = pages[0], pages[1:]
            posts = Posts(contexts[0], teacher)
            listeners = [StateEvents(c, p) for c, p in zip(contexts[1:], students, strict=True)]
            teacher.goto(f"{base}/?{RUN}&stage=input")
            drawn(teacher)
            teacher.click("[data-class-start]")
            code_el = teacher.locator("[data-class-code]")
            code_el.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
            code = code_el.inner_text()
            for student in students:
                student.goto(f"{base}/join/{code.strip()}?lang=en")
                student.locator("[data-class-following]").wait_for(timeout=TIMEOUT_S * 1000)
                student.evaluate(LOGGER)
            drawn(teacher)
            teacher.evaluate(LOGGER)
            for student in students:
                drawn(student)
            health = httpx.get(f"{base}/healthz", timeout=30).json()
            results["while_following"] = {k: health[k] for k in ("streams", "computations")}
            code = code.strip()
            moves = measure_moves(teacher, posts, students, listeners, args.repeats, base, code)
            results["last_student_ms"] = {name: summary(v) for name, v in moves.items()}
            seeds = [str(2000 + n) for n in range(args.repeats)]
            results["fresh_page_load_first_draw_ms"] = summary(fresh_loads(browser, base, seeds))
            browser.close()
    finally:
        stop_server(process)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

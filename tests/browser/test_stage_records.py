"""The page reads what a stage is from its record, never from its name: with every layer stage
and tween frame renamed to a meaningless token on the wire, the screen says and draws the same.

Only `input` keeps its name: it is the one fixed name (as `last` is in URLs), not a format.
"""

import json

from tests.browser.conftest import Watched

# relu: the inspector marks dead units from each layer's k.b stage; seed 0 has det W < 0 in
# both layers, so the tweens into 1.W start with a mirror frame (a jump, not a tween)
RUN = "layers=2&activation=relu&seed=0&steps=20&every=20&rate=20&stage=input&trace=7"
OPEN = f"{RUN}&view=filmstrip"


def opaque_names(body: str, names: dict[str, str]) -> str:
    """The stream `body` with every stage and tween name but `input` replaced by a token."""

    def token(name: str) -> str:
        if name != "input" and name not in names:
            names[name] = f"s{len(names)}"
        return names.get(name, name)

    out = []
    for line in body.split("\n"):
        if line.startswith("data:") and '"stage' in line:
            data = json.loads(line[5:])
            if "stage_records" in data:  # meta
                data["stages"] = [token(n) for n in data["stages"]]
                data["sent_stages"] = [token(n) for n in data["sent_stages"]]
            for record in [*data.get("stage_records", []), *data.get("stages", [])]:
                if isinstance(record, dict):
                    record["name"] = token(record["name"])
            for record in data.get("tweens", []):
                record["name"] = token(record["name"])
            for layer in data.get("tween_records", []):  # the records the page's frames take
                for record in layer:
                    record["name"] = token(record["name"])
            line = "data: " + json.dumps(data, separators=(",", ":"))
        out.append(line)
    return "\n".join(out)


def readings(watched: Watched, names: dict[str, str] | None) -> dict:
    """What a reader sees: the trace table, filmstrip, inspector, and the caption, formula and
    tween time of a move to the first stage after input and a jump to the last."""
    page = watched.page
    if names is not None:

        def rename(route) -> None:
            response = route.fetch()
            route.fulfill(response=response, body=opaque_names(response.text(), names))

        page.route("**/api/stream?**", rename)
    watched.open(OPEN)
    watched.wait_drawn(step=20, stage="input", timeout=60000)
    for view in ("filmstrip", "field"):  # the side views follow the warp view
        page.wait_for_function(
            "(view) => document.querySelector(`[data-view='${view}']`).dataset.step === '20'",
            arg=view,
            timeout=30000,
        )
    shown = page.evaluate("""() => ({
        stages: [...document.querySelectorAll('[data-trace-stage]')].map(
            (row) => row.dataset.traceStage),
        trace: [...document.querySelectorAll('[data-trace-stage]')].map(
            (row) => [...row.querySelectorAll('td')].map((td) => td.textContent)),
        filmstrip: [...document.querySelectorAll('[data-filmstrip-stage] span')].map(
            (span) => span.textContent),
        inspector: document.querySelector('[data-view="inspector"]').textContent,
    })""")
    caption = """() => ['[data-stage-name]', '[data-stage-hint]', '[data-formula]'].map(
        (selector) => document.querySelector(selector).textContent)"""
    page.keyboard.press("ArrowRight")
    watched.wait_drawn(stage=shown["stages"][1])
    shown["next"] = page.evaluate(caption)
    shown["tween_ms"] = page.get_attribute("[data-view='warp']", "data-tween-ms")
    page.evaluate("""() => {
        const slider = document.querySelector('[data-stage-slider]');
        slider.value = slider.max;
        slider.dispatchEvent(new Event('input'));
    }""")
    watched.wait_drawn(stage=shown["stages"][-1])
    shown["last"] = page.evaluate(caption)
    shown["last_traces"] = len(watched.warp_data())  # the readout's boundaries are drawn here
    return shown


def test_the_page_reads_records_not_names(watched, browser, server):
    plain = readings(watched, None)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        renamed = Watched(context.new_page(), server)
        names: dict[str, str] = {}
        hidden = readings(renamed, names)
        assert renamed.errors == []
    finally:
        context.close()
    assert len(names) > len(plain["stages"])  # tween frames were renamed too
    assert hidden["stages"] == [names.get(n, n) for n in plain["stages"]]
    del plain["stages"], hidden["stages"]
    named = {token: name for name, token in names.items()}  # the filmstrip captions name stages
    hidden["filmstrip"] = [named.get(text, text) for text in hidden["filmstrip"]]
    assert hidden == plain
    assert plain["last"][1] != plain["next"][1]  # the last stage's hint names the boundaries

"""The store is the only way the page's state changes: each user action goes through exactly
one named event of the store (state.js; the playground's store.js), and the screen follows.

Every store's `change` events are counted from outside (EventTarget.prototype.dispatchEvent
is wrapped before the page's modules run), so a module that wrote around the store would show
as a missing event while the screen still changed, or as a screen that did not follow."""

from urllib.parse import parse_qs, urlsplit

from tests.support import html_host

# a run that streams for minutes, so pausing and resuming act on a live stream
LONG = "steps=3000&every=10&rate=5&layers=1&stage=input"

COUNT_EVENTS = """
(() => {
  window.storeEvents = [];
  const dispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (event) {
    const store = ['State', 'PlaygroundStore'].includes(this.constructor?.name);
    if (store && event.type === 'change') {
      window.store = this;
      window.storeEvents.push(event.detail.what);
    }
    return dispatch.call(this, event);
  };
})();
"""


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# what the stream writes into the store by itself, whatever a user does meanwhile
STREAM_EVENTS = {"meta", "snapshot", "status"}


def events_during(target, action, follows: str, arg=None) -> list[str]:
    """The store's events from `action` until the screen shows what `follows` checks, less those
    a running stream adds by itself."""
    target.evaluate("() => { window.storeEvents.length = 0; }")
    action()
    target.wait_for_function(follows, arg=arg, timeout=20000)
    events = target.evaluate("() => window.storeEvents.slice()")
    return [what for what in events if what not in STREAM_EVENTS]


def next_stage_events(target) -> list[str]:
    """The store's events from a click on "next stage" until the warp view rests at 1.W."""
    return events_during(
        target,
        lambda: target.click('[data-action="stage-next"]'),
        """() => { const el = document.querySelector('[data-view="warp"]');
                   return el.dataset.stage === '1.W' && !el.dataset.animating; }""",
    )


def test_each_action_on_the_page_is_one_event_of_the_store_and_the_screen_follows(watched):
    page = watched.page
    page.add_init_script(COUNT_EVENTS)
    watched.open(LONG)
    watched.wait_drawn()

    # writing around the store changes nothing: its fields are read-only from outside
    assert page.evaluate(
        """() => {
            const before = window.store.paused;
            try { window.store.paused = !before; } catch (error) { /* strict code throws */ }
            try { window.store.config = {}; } catch (error) { /* likewise */ }
            return window.store.paused === before && window.store.config.layers === 1;
        }"""
    )

    events = events_during(
        page,
        lambda: page.click('[data-action="pause"]'),
        "() => document.querySelector('[data-status]').dataset.kind === 'paused'",
    )
    assert events == ["paused"], events

    # paused, the page is quiet: each action below is exactly its one event
    assert next_stage_events(page) == ["stage"]
    assert query_of(page.url)["stage"] == "1.W"

    # (what a person does, what the screen then shows, its one event, what the URL then says)
    actions = [
        (
            lambda: page.click("[data-theme-toggle]"),
            """() => document.documentElement.dataset.theme === 'dark'
                 && document.querySelector('[data-view="warp"]')._fullLayout.plot_bgcolor
                   === '#1b1e25'""",
            "theme",
            ("theme", "dark"),
        ),
        (
            lambda: page.click("[data-present-toggle]"),
            "() => document.documentElement.dataset.present === 'true'",
            "present",
            ("present", "1"),
        ),
        (
            lambda: page.click("[data-present-toggle]"),
            "() => document.documentElement.dataset.present === 'false'",
            "present",
            None,
        ),
        (
            lambda: page.check("[data-filmstrip-toggle]"),
            """() => !document.querySelector('[data-view="filmstrip"]').hidden
                 && document.querySelectorAll('[data-filmstrip-stage]').length > 0""",
            "param",
            ("view", "filmstrip"),
        ),
        (
            lambda: page.click('[data-action="play"]'),
            "() => document.querySelector('[data-status]').dataset.kind !== 'paused'",
            "paused",
            None,
        ),
    ]
    for action, follows, what, url in actions:
        events = events_during(page, action, follows)
        assert events == [what], (what, events)
        if url:
            assert query_of(page.url)[url[0]] == url[1]

    def change_lr():
        page.fill('[data-field="lr"]', "0.07")
        page.dispatch_event('[data-field="lr"]', "change")

    events = events_during(
        page,
        change_lr,
        """() => window.store.config.lr === 0.07 && window.store.snapshots.length > 0
             && document.querySelector('[data-view="warp"]').dataset.step === '0'""",
    )
    assert events == ["config", "run"], events  # the new run starts from the new config
    assert query_of(page.url)["lr"] == "0.07"
    assert not watched.errors, watched.errors


def test_each_action_in_the_embed_is_one_event_of_the_store(browser, server):
    frame = f'<iframe id="layerwarp" src="{server}/embed?{LONG}" width="800" height="600">'
    host_page = f"<!doctype html>{frame}</iframe>"
    with html_host(lambda: host_page) as origin:
        context = browser.new_context(viewport={"width": 1000, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(COUNT_EVENTS)
        page.goto(origin)
        frame = page.wait_for_selector("#layerwarp").content_frame()
        # without autoplay the embed shows step 0, then waits for play
        frame.wait_for_function(
            """() => document.querySelector('[data-view="warp"]').dataset.step === '0'
                 && window.store.paused""",
            timeout=30000,
        )

        toggle = '[data-action="toggle"]'
        events = events_during(frame, lambda: frame.click(toggle), "() => !window.store.paused")
        assert events == ["paused"], events
        events = events_during(
            frame,
            lambda: frame.click(toggle),
            "() => document.querySelector('[data-embed-readout]').dataset.kind === 'paused'",
        )
        assert events == ["paused"], events

        assert next_stage_events(frame) == ["stage"]

        def set_config():
            page.evaluate(
                """() => document.getElementById('layerwarp').contentWindow.postMessage(
                    {source: 'layerwarp', type: 'setConfig', config: {seed: 3}}, '*')"""
            )

        events = events_during(
            frame,
            set_config,
            """() => window.store.config.seed === 3
                 && document.querySelector('[data-view="warp"]').dataset.step !== undefined
                 && window.store.snapshots.length > 0""",
        )
        assert events == ["config", "run"], events
        assert query_of(frame.url)["seed"] == "3"
        assert not errors, errors
        context.close()


def test_a_language_switch_is_one_event_and_the_plots_speak_it(watched):
    page = watched.page
    page.add_init_script(COUNT_EVENTS)
    # the page: a language is chosen by reloading in it, and the plots' text follows
    watched.open(f"{LONG}&lang=zh-CN")
    watched.wait_drawn()
    assert page.evaluate("() => window.store.language") == "zh-CN"
    names = [trace["name"] for trace in watched.warp_data()]
    assert "网格" in names, names
    # the playground switches in place: one event of its store, and its text follows
    page.goto(f"{watched.base}/playground")
    page.wait_for_selector("[data-ready]")
    title = page.text_content("h1")
    events = events_during(
        page,
        lambda: page.select_option("[data-language]", "zh-CN"),
        "(before) => document.querySelector('h1').textContent !== before",
        arg=title,
    )
    assert events == ["language"], events
    assert query_of(page.url)["lang"] == "zh-CN"
    assert not watched.errors, watched.errors

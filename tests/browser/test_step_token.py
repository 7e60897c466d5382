"""A single step whose answers arrive after the run changed is dropped: its snapshot belongs to
the old run (stepOnce's run token). Without it the old run's step N + 1 was added to the new
run, and the store's step guard then dropped the new run's snapshots up to N + 1."""

from tests.browser.test_store import COUNT_EVENTS

LONG = "steps=3000&every=10&rate=5&layers=1&stage=input"


def test_a_step_answered_after_a_restart_is_not_added_to_the_new_run(watched):
    page = watched.page
    page.add_init_script(COUNT_EVENTS)
    held = []
    watched.open(LONG)
    page.wait_for_function(
        "() => window.store && window.store.snapshots.length >= 3", timeout=30000
    )
    page.route("**/api/snapshot?*", lambda route: held.append(route))
    page.click('[data-action="step"]')
    page.wait_for_function("() => window.store.status.kind === 'stepping'", timeout=10000)
    deadline_ms = 20000
    page.wait_for_timeout(100)
    for _ in range(deadline_ms // 100):
        if len(held) >= 2:
            break
        page.wait_for_timeout(100)
    assert len(held) >= 2
    stepped_to = page.evaluate("() => window.store.snapshots.at(-1).step") + 1
    page.click('[data-action="reset"]')  # a new run of the config, from step 0
    page.wait_for_function("() => window.store.snapshots.length >= 1", timeout=30000)
    for route in held:
        route.continue_()
    page.unroute("**/api/snapshot?*")
    # the new run streams past the old step; every snapshot it holds is one of its own
    page.wait_for_function(
        "(step) => window.store.snapshots.at(-1).step > step", arg=stepped_to, timeout=60000
    )
    steps = page.evaluate("() => window.store.snapshots.map((s) => s.step)")
    assert stepped_to not in steps, steps
    assert steps == sorted(steps) and steps[0] == 0
    assert all(step % 10 == 0 for step in steps), steps

"""The 3-D warp view turns under one finger on a touch screen and stays turned when redrawn."""

import json

from tests.browser.harness import settle

QUERY = "width=3&layers=1&steps=20&every=10&rate=4&stage=input&loop=0&lang=en"
EYE = """() => JSON.stringify(
    document.querySelector('[data-view="warp"]')._fullLayout.scene.camera.eye)"""


def test_one_finger_drag_turns_the_3d_scene(browser, server):
    context = browser.new_context(
        viewport={"width": 412, "height": 915}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(f"{server}/?{QUERY}")
        page.wait_for_function(
            "() => document.querySelector('[data-view=\"warp\"]')._fullLayout?.scene"
        )
        settle(page)  # drawn at its box's size: no refit moves the camera after the drag
        canvas = page.locator('[data-view="warp"] .gl-container canvas').first
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        before = json.loads(page.evaluate(EYE))
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        touch = context.new_cdp_session(page)
        touch.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
        )
        for i in range(1, 16):
            point = {"x": x + 6 * i, "y": y + 2 * i}
            touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        # the turn is kept when the scene is drawn again (the next stage)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            """() => { const el = document.querySelector('[data-view="warp"]');
                return el.dataset.stage === '1.W' && !el.dataset.animating; }"""
        )
        after = json.loads(page.evaluate(EYE))
        moved = sum((after[k] - before[k]) ** 2 for k in "xyz") ** 0.5
        assert moved > 0.5, (before, after)
    finally:
        context.close()

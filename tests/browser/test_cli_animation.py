"""`layerwarp export animation` writes the file the page's export link downloads, and it plays
in a Chromium with the network off."""

import httpx

from app.cli import main
from tests.browser.offline import assert_plays_offline

CONFIG = ["--layers", "3", "--steps", "50", "--seed", "4"]


def test_the_cli_animation_is_the_pages_and_plays_offline(browser, server, tmp_path):
    saved = tmp_path / "slides.html"
    main(["export", "animation", *CONFIG, "--step", "40", "--out", str(saved)])
    page_link = httpx.get(
        f"{server}/api/export/animation?layers=3&steps=50&seed=4&step=40", timeout=60
    )
    assert page_link.status_code == 200
    assert saved.read_bytes() == page_link.content
    assert_plays_offline(browser, saved)

"""Linear regions on the page: the count shown is the snapshot's, the picture is the regions'."""

import base64

import httpx
import numpy as np

RUN = "activation=relu&layers=4&dataset=moons&steps=20&every=10&rate=20"


def test_the_regions_shown_are_the_snapshots(watched, server):
    watched.open(RUN + "&regions=1")
    watched.wait_drawn(step=20, timeout=60000)
    page = watched.page
    page.wait_for_function("() => document.querySelector('[data-regions-count]').textContent")
    wire = httpx.get(f"{server}/api/snapshot?{RUN}&step=20&form=wire", timeout=60).json()
    count = wire["regions"]["count"]
    assert page.text_content("[data-regions-count]").startswith(f"{count} linear regions")
    assert page.is_checked("[data-regions]")
    image = page.evaluate("() => document.querySelector('[data-view=\"field\"]').data[0].name")
    assert image == "regions"
    ids = np.frombuffer(base64.b64decode(wire["regions"]["q"]), dtype=np.uint8)
    assert len(np.unique(ids)) == min(count, 256)
    page.uncheck("[data-regions]")
    page.wait_for_function("() => !document.querySelector('[data-regions-count]').textContent")
    assert "regions" not in page.evaluate("() => location.search")


def test_a_tanh_net_offers_no_regions(watched):
    watched.open("activation=tanh&layers=2&steps=10&every=10&rate=20&lang=zh-CN")
    watched.wait_drawn(step=10, timeout=60000)
    assert watched.page.locator("[data-regions]").is_hidden()

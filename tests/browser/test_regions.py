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


def test_regions_asked_of_a_tanh_net_are_dropped_with_a_reason(watched):
    """A shared link with regions=1 on a tanh run: the page says why there is nothing to colour
    and drops the setting from the link instead of keeping it silently."""
    watched.open("activation=tanh&layers=2&steps=10&every=10&rate=20&regions=1&lang=en")
    watched.wait_drawn(step=10, timeout=60000)
    page = watched.page
    line = page.locator("[data-url-notice] [data-dropped='regions']")
    line.wait_for(state="visible")
    assert line.text_content().startswith("Linear regions are coloured for ReLU and Leaky ReLU")
    assert "tanh bends the plane smoothly" in line.text_content()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('regions')")
    assert page.locator("[data-regions]").is_hidden()
    # the same in Chinese, for a linear net: one affine map, one region
    watched.open("activation=linear&layers=2&steps=10&every=10&rate=20&regions=1&lang=zh-CN")
    line.wait_for(state="visible")
    assert "只有 ReLU 和 Leaky ReLU 网络才给线性区域着色" in line.text_content()
    assert "只有一个区域" in line.text_content()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('regions')")
    assert watched.errors == []

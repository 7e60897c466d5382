"""The hostile corpus against every endpoint: each case a 4xx, never a 5xx, nothing reflected
unescaped in a page, and the process's memory bounded."""

from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.web.hostile import PAGES, cases, header_cases, reflected

CASES = cases()


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise KeyError("VmRSS")


def test_the_corpus_is_large_and_covers_every_parameter():
    assert len(CASES) >= 300
    assert len(header_cases()) >= 20


def test_every_hostile_case_is_refused_and_nothing_is_reflected(client):
    before = resident_mb()
    failures = []
    for path, query in CASES:
        response = client.get(f"{path}?{query}")
        value = unquote(query.split("=", 1)[1])
        if not 400 <= response.status_code < 500:
            failures.append((path, query[:80], response.status_code))
        content_type = response.headers.get("content-type", "")
        if path in PAGES and response.status_code == 422:
            assert content_type.startswith("text/html")
        if content_type.startswith("text/html") and reflected(value, response.text):
            failures.append((path, query[:80], "reflected"))
        if not content_type.startswith("text/html"):
            assert path not in PAGES or response.status_code == 414
    assert failures == []
    assert resident_mb() - before < 50


@pytest.mark.parametrize("value", header_cases())
def test_a_hostile_last_event_id_is_a_422(client, value):
    response = client.get("/api/stream?steps=20", headers={"Last-Event-ID": value})
    assert response.status_code == 422, value
    assert response.json()["detail"][0]["loc"] == ["header", "last-event-id"]


@pytest.mark.parametrize("path", ["/", "/embed"])
def test_a_page_with_a_bad_config_is_the_page_with_a_422_naming_the_field(client, path):
    response = client.get(f"{path}?layers=<b>20</b>&theme=dark")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "data-query-errors" in response.text
    assert "layers must be an integer between 0 and 16" in response.text
    assert "&lt;b&gt;20&lt;/b&gt;" in response.text and "<b>20" not in response.text
    assert client.get(f"{path}?layers=3&unknown=<b>").status_code == 200

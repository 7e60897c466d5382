"""Pure answers are compressed, tagged and revalidated without running; the stream is not."""

import gzip

import pytest
from fastapi.testclient import TestClient

from app import __version__
from app.main import PURE_PATHS
from app.schemas import TrainConfig
from app.web.httpcache import CACHE_CONTROL, entity_tag
from tests.web.conftest import named, parse

SNAPSHOT = "/api/snapshot?layers=3&steps=40&seed=2&step=20"
PURE_URLS = [
    SNAPSHOT,
    "/api/export/animation?layers=2&steps=20&step=10",
    "/api/export/run?layers=2&steps=20&every=5",
    "/api/presets",
    "/api/lessons",
    "/api/config?preset=xor&lr=0.2",
]
GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


def raw(client: TestClient, url: str, headers: dict) -> tuple[int, dict, bytes]:
    """Status, headers and the body as it travelled (not decompressed)."""
    with client.stream("GET", url, headers=headers) as response:
        return response.status_code, response.headers, b"".join(response.iter_raw())


def test_every_pure_path_is_a_get_route(client: TestClient) -> None:
    paths = client.app.openapi()["paths"]
    assert all("get" in paths.get(path, {}) for path in PURE_PATHS)


@pytest.mark.parametrize("url", PURE_URLS)
def test_a_pure_answer_is_the_same_bytes_each_time_gzipped_when_accepted(
    client: TestClient, url: str
) -> None:
    status, plain_headers, plain = raw(client, url, IDENTITY)
    assert status == 200
    assert "content-encoding" not in plain_headers
    path, _, query = url.partition("?")
    assert plain_headers["etag"] == entity_tag(__version__, path, query.encode())
    assert plain_headers["cache-control"] == CACHE_CONTROL
    assert "accept-encoding" in plain_headers["vary"].lower()
    assert raw(client, url, IDENTITY)[2] == plain  # deterministic: the strong tag is honest

    status, zipped_headers, zipped = raw(client, url, GZIP)
    assert status == 200
    if len(plain) >= 1024:
        assert zipped_headers["content-encoding"] == "gzip"
        assert gzip.decompress(zipped) == plain
        assert len(zipped) < len(plain)
        if "content-length" in zipped_headers:  # exports stream from their spooled file
            assert int(zipped_headers["content-length"]) == len(zipped)
        assert zipped_headers["etag"] == plain_headers["etag"][:-1] + '-gzip"'
    else:
        assert zipped == plain


def test_a_snapshot_travels_in_less_than_half_the_bytes(client: TestClient) -> None:
    plain = raw(client, SNAPSHOT, IDENTITY)[2]
    zipped = raw(client, SNAPSHOT, GZIP)[2]
    assert len(zipped) * 2 < len(plain)


@pytest.mark.parametrize("encoding", [GZIP, IDENTITY])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_revalidation_is_304_without_running_the_route(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, encoding: dict, method: str
) -> None:
    tag = client.get(SNAPSHOT, headers=encoding).headers["etag"]
    ran: list[object] = []
    hub = client.app.state.hub

    async def counted(function, *args, **options):
        ran.append(function)
        return await type(hub).submit(hub, function, *args, **options)

    monkeypatch.setattr(hub, "submit", counted)
    for held in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = client.request(method, SNAPSHOT, headers={**encoding, "If-None-Match": held})
        assert again.status_code == 304, held
        assert again.content == b""
        assert again.headers["cache-control"] == CACHE_CONTROL
        assert again.headers["etag"] in (tag, tag.replace('-gzip"', '"'))  # `*`: the plain one
    assert ran == []
    unseen = 21 + 2 * (method == "HEAD") + (encoding is GZIP)  # a step no other case asks for
    fresh = SNAPSHOT.replace("step=20", f"step={unseen}")
    assert client.request(method, fresh, headers={"If-None-Match": tag}).status_code == 200
    assert ran  # the spy sees the work a URL not yet held does
    # either representation's tag confirms the copy a client holds
    other = client.get(SNAPSHOT, headers=GZIP if encoding is IDENTITY else IDENTITY)
    assert client.get(SNAPSHOT, headers={"If-None-Match": other.headers["etag"]}).status_code == 304


def test_a_tag_from_another_version_or_url_gets_the_answer(client: TestClient) -> None:
    path, _, query = SNAPSHOT.partition("?")
    older = entity_tag("0.0.1", path, query.encode())
    elsewhere = client.get(SNAPSHOT.replace("step=20", "step=10")).headers["etag"]
    for tag in (older, elsewhere):
        response = client.get(SNAPSHOT, headers={"If-None-Match": tag})
        assert response.status_code == 200
        assert response.json()["step"] == 20


def test_errors_and_other_routes_are_not_tagged(client: TestClient) -> None:
    bad = client.get("/api/snapshot?steps=10&step=20")
    assert bad.status_code == 422
    assert "etag" not in bad.headers and "cache-control" not in bad.headers
    assert "etag" not in client.get("/healthz").headers


def test_the_event_stream_is_never_compressed(client: TestClient) -> None:
    query = "/api/stream?layers=2&steps=20&every=10&rate=20"
    with client.stream("GET", query, headers=GZIP) as response:
        assert response.status_code == 200
        assert "content-encoding" not in response.headers
        assert "etag" not in response.headers
        events = parse([line.decode() for line in b"".join(response.iter_raw()).split(b"\n")])
    assert [e.id for e in named(events, "snapshot")] == ["0", "10", "20"]


def test_the_page_is_compressed_but_not_cached_as_pure(client: TestClient) -> None:
    status, headers, body = raw(client, "/", GZIP)
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert b"<html" in gzip.decompress(body)
    assert headers["cache-control"] == "no-cache" and "etag" not in headers


def test_an_export_is_gzipped_once_and_sent_as_it_lies_on_disk(client: TestClient) -> None:
    """A hundred downloads of one animation cost one compression: the bytes a gzip client gets
    are the spooled `.gz` file's, unchanged, and they decompress to the plain answer."""
    url = "/api/export/animation?layers=2&steps=20&seed=5&step=10"
    plain = raw(client, url, IDENTITY)[2]
    spool = client.app.state.replays.spool
    config = TrainConfig(layers=2, steps=20, seed=5)
    zipped_file = spool.gzipped(spool.key("animation", config.model_dump_json(), 10))
    _, headers, first = raw(client, url, GZIP)
    assert headers["content-encoding"] == "gzip"
    assert first == zipped_file.read_bytes()
    assert gzip.decompress(first) == plain
    assert raw(client, url, GZIP)[2] == first

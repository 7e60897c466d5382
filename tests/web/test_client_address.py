"""Who a client is: X-Forwarded-For is believed only from LAYERWARP_TRUSTED_PROXIES. With none
(the default), a local process cannot pose as other addresses past the per-address limit."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from app.config import Settings
from tests.web.servers import HOST, free_port, serve, stop, wait_until_up

STREAM = "/api/stream?rate=0.1&every=1000&steps=2000"


@contextmanager
def open_stream(port: int, source: str = HOST, headers: str = "") -> Iterator[int]:
    """A stream request from `source` (any 127.x address is this machine), held open while the
    block runs; yields its status."""
    with socket.create_connection((HOST, port), timeout=30, source_address=(source, 0)) as sock:
        sock.sendall(f"GET {STREAM} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
        yield int(sock.recv(64).split(b" ", 2)[1])


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored():
    port = free_port()
    process = serve(port, max_streams_per_address=1)
    try:
        wait_until_up(f"http://{HOST}:{port}")
        with open_stream(port, headers="X-Forwarded-For: 203.0.113.5\r\n") as first:
            assert first == 200
            # the same peer, posing as another address: still the same client
            with open_stream(port, headers="X-Forwarded-For: 203.0.113.6\r\n") as second:
                assert second == 503
            with open_stream(port, source="127.0.0.2") as other:  # a real other address
                assert other == 200
    finally:
        stop(process)


def test_trusted_proxies_must_be_addresses_or_networks():
    assert Settings(trusted_proxies=" 127.0.0.1, 10.1.0.0/16").trusted_proxies == (
        "127.0.0.1/32,10.1.0.0/16"
    )
    with pytest.raises(ValueError, match="proxy.example"):
        Settings(trusted_proxies="proxy.example")

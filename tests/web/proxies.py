"""nginx in front of real replicas (deploy/nginx.conf with test ports and private paths): what
the deployment tests and the abuse benchmark share."""

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import HOST, ROOT, free_port, serve, stop, wait_until_up

OPENSSL = shutil.which("openssl") or "openssl"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
)


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, made now (openssl), for the HTTPS + HTTP/2 listener."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key)]
        + ["-out", str(cert), "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_config(
    directory: Path, listen: int, replicas: list[int], tls: int | None = None, **timeouts: str
) -> str:
    """deploy/nginx.conf with test ports, run in the foreground with every path in `directory`
    (HTTPS on `tls`, with a certificate made now; `timeouts` override directives by name)."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = iter(replicas)
    text = re.sub(r"server 127\.0\.0\.1:\d+", lambda _: f"server {HOST}:{next(servers)}", text)
    text = text.replace("listen 8080;", f"listen {HOST}:{listen};")
    cert, key = self_signed(directory)
    text = text.replace("listen 8443 ssl http2;", f"listen {HOST}:{tls or free_port()} ssl http2;")
    text = text.replace("/etc/ssl/layerwarp/cert.pem", str(cert))
    text = text.replace("/etc/ssl/layerwarp/key.pem", str(key))
    for name, value in timeouts.items():
        text, count = re.subn(rf"\b{name} [^;]+;", f"{name} {value};", text)
        assert count == 1, name
    text = text.replace("/var/cache/nginx/layerwarp", f"{directory}/cache")
    text = text.replace("worker_processes auto;", "worker_processes 1;")
    paths = "\n".join(
        f"    {name}_temp_path {directory}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace(
        "http {\n", f"http {{\n    access_log {directory}/access.log;\n{paths}\n", 1
    )
    header = f"daemon off;\npid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
    if os.geteuid() == 0:  # workers would be `nobody`, shut out of the private tmp_path (cache)
        header += "user root;\n"
    return header + text


@contextmanager
def behind_nginx(
    directory: Path,
    replicas: list[int],
    tls: int | None = None,
    settings: dict | None = None,
    **timeouts: str,
) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """`layerwarp serve` on each distinct port of `replicas` (trusting nginx's X-Forwarded-For,
    as deploy/nginx.conf says to run them, plus `settings`) and nginx in front of them
    (deploy/nginx.conf, see `nginx_config`); yields nginx's plain http origin and the replica
    processes by origin, once all answer; stops them all after."""
    listen = free_port()
    logs = {f"http://{HOST}:{port}": directory / f"replica-{port}.log" for port in replicas}
    settings = {"trusted_proxies": "127.0.0.1", **(settings or {})}
    processes = {
        base: serve(int(base.rsplit(":", 1)[1]), log=log, **settings) for base, log in logs.items()
    }
    config = directory / "nginx.conf"
    config.write_text(nginx_config(directory, listen, replicas, tls, **timeouts))
    nginx = subprocess.Popen(
        [NGINX, "-p", str(directory), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for base, process in processes.items():
            try:
                wait_until_up(base, process=process)
            except RuntimeError as error:  # say why: the replica's own last words
                raise RuntimeError(f"{error}:\n{logs[base].read_text()[-2000:]}") from None
        front = f"http://{HOST}:{listen}"
        wait_until_up(front, process=nginx)
        yield front, processes
    finally:
        nginx.send_signal(signal.SIGQUIT)
        try:
            nginx.wait(10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        for process in processes.values():
            stop(process)

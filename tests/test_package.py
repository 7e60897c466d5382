"""The wheel is the product: built from the files the Dockerfile copies, installed into a fresh
venv, and served by `layerwarp serve` from an unrelated directory — the page, every asset it
links and plotly.js, with no `bench` beside it.

The fresh venv borrows this venv's dependencies through a .pth line (installed with --no-deps),
so the test needs PyPI only for setuptools, which pip then keeps in its cache.
"""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app import __version__
from tests.web.servers import HOST, free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
# as the Dockerfile copies them
SOURCES = ("pyproject.toml", "README.md", "app", "layerwarp", "static", "templates")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    skip = shutil.ignore_patterns("__pycache__")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out)]
    subprocess.run([*command, str(source)], check=True, cwd=source)
    (built,) = out.glob("layerwarp-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed, then this venv's packages on its path."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home)], check=True)
    python = home / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    subprocess.run([*pip, "--no-deps", "--no-index", str(wheel)], check=True)
    # after the install, or pip would see this venv's editable layerwarp and skip the wheel
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return home


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return {**env, "LAYERWARP_COMPUTE_PROCESSES": "1"}


def run_in(venv: Path, cwd: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(venv / "bin" / command[0]), *command[1:]],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
    )


def test_the_wheel_holds_the_package_its_pages_and_assets_and_not_bench(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = {n for n in archive.namelist() if ".dist-info/" not in n}
    expected = {
        str(path.relative_to(ROOT))
        for package in ("app", "layerwarp")
        for path in (ROOT / package).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    for folder in ("static", "templates"):
        expected |= {
            f"app/{path.relative_to(ROOT)}" for path in (ROOT / folder).rglob("*") if path.is_file()
        }
    assert names == expected


@pytest.fixture(scope="module")
def served(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    port = free_port()
    process = subprocess.Popen(
        [venv / "bin" / "layerwarp", "serve", "--host", HOST, "--port", str(port)],
        cwd=elsewhere,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, seconds=120)
        yield base
    finally:
        stop(process)


@pytest.mark.parametrize("page", ["/", "/embed"])
def test_the_installed_app_serves_each_page_and_everything_it_links(served: str, page: str) -> None:
    response = httpx.get(served + page, timeout=60)  # generous: the suite may share two cores
    assert response.status_code == 200
    assert 'data-view="warp"' in response.text
    linked = re.findall(r'(?:href|src)="(/[^"]+)"', response.text)
    assert any(url.startswith("/vendor/plotly-") for url in linked)
    assert any(url.endswith(("/js/main.js", "/js/embed.js")) for url in linked)
    with httpx.Client(base_url=served, timeout=60) as client:
        for url in linked:
            fetched = client.get(url)
            assert fetched.status_code == 200, url
            assert fetched.content, url
    plotly_url = next(u for u in linked if u.startswith("/vendor/plotly-"))
    plotly = httpx.get(served + plotly_url, timeout=60)
    assert len(plotly.content) > 1_000_000  # the whole bundle, served offline from the package


def test_the_installed_app_runs_from_its_venv_without_bench(venv: Path, tmp_path: Path) -> None:
    where = run_in(venv, tmp_path, "python", "-c", "import app; print(app.__file__)")
    assert where.stdout.strip().startswith(str(venv))
    no_bench = run_in(venv, tmp_path, "python", "-c", "import bench")
    assert "No module named 'bench'" in no_bench.stderr
    assert run_in(venv, tmp_path, "layerwarp", "--version").stdout.strip() == (
        f"layerwarp {__version__}"
    )
    refused = run_in(venv, tmp_path, "layerwarp", "bench", "--quick")
    assert refused.returncode == 2
    assert "source checkout" in refused.stderr and "Traceback" not in refused.stderr


NOTEBOOK_SCRIPT = """
import layerwarp as lw
run = lw.Run(preset="spiral2", layers=2, steps=40).train()
figure = run.figure(stage="last")
figure.write_html("warp.html")
print(lw.__file__, run.step, len(figure.data))
"""


def test_the_installed_wheel_has_the_notebook_api(venv: Path, tmp_path: Path) -> None:
    """`import layerwarp` from the wheel alone (no checkout beside it) draws a figure that
    carries plotly.js inline, so it opens offline."""
    made = run_in(venv, tmp_path, "python", "-c", NOTEBOOK_SCRIPT)
    assert made.returncode == 0, made.stderr
    where, step, traces = made.stdout.split()
    assert where.startswith(str(venv)) and step == "40" and int(traces) >= 5
    page = (tmp_path / "warp.html").read_text(encoding="utf-8")
    assert len(page) > 1_000_000 and "<script src" not in page  # plotly.js inside

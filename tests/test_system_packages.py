"""`make test` on a fresh machine: scripts/system-packages installs what the suite drives (as
root on Debian) or stops with one line naming the command. Run here against fake `id`, `dpkg`
and `apt-get` on an otherwise empty PATH, so no real package is touched."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system-packages"
INSTALL = "apt-get install -y --no-install-recommends chromium fonts-noto-cjk"


def fake_machine(
    tmp_path: Path,
    uid: int,
    fonts: bool,
    apt: bool = True,
    chromium: bool = False,
    openssl: bool = True,
    redis: bool = True,
) -> tuple[dict[str, str], Path]:
    """A PATH of stand-ins (nginx present, fonts, openssl and redis-server as told), and the
    file apt-get logs to."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    tools = {
        "id": f"echo {uid}",
        "dpkg": "exit 0" if fonts else "exit 1",
        "nginx": "exit 0",
        "chromium": "exit 0",
    }
    if openssl:
        tools["openssl"] = "exit 0"
    if redis:
        tools["redis-server"] = "exit 0"
    if apt:
        tools["apt-get"] = f'echo "$*" >> {log}'
    for name, body in tools.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    where = bin_dir / "chromium" if chromium else tmp_path / "no-chromium"
    return {"PATH": str(bin_dir), "LAYERWARP_CHROMIUM": str(where)}, log


def run(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/bash", SCRIPT], env=env, capture_output=True, text=True)


def test_without_root_it_stops_with_one_line_naming_the_command(tmp_path: Path) -> None:
    env, log = fake_machine(tmp_path, uid=1000, fonts=False)
    result = run(env)
    assert result.returncode == 1
    command = f"sudo apt-get update && sudo {INSTALL}"
    assert result.stderr.splitlines() == [
        f"missing for the tests: chromium fonts-noto-cjk; run: {command}"
    ]
    assert not log.exists()


def test_as_root_it_updates_once_and_installs_only_what_is_missing(tmp_path: Path) -> None:
    env, log = fake_machine(tmp_path, uid=0, fonts=False)
    result = run(env)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends chromium fonts-noto-cjk",
    ]


def test_without_openssl_it_installs_it(tmp_path: Path) -> None:
    env, log = fake_machine(tmp_path, uid=0, fonts=True, chromium=True, openssl=False)
    result = run(env)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines()[-1] == "install -y -qq --no-install-recommends openssl"


def test_without_redis_it_installs_it(tmp_path: Path) -> None:
    env, log = fake_machine(tmp_path, uid=0, fonts=True, chromium=True, redis=False)
    result = run(env)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines()[-1] == "install -y -qq --no-install-recommends redis-server"


@pytest.mark.parametrize("uid", [0, 1000])
def test_a_ready_machine_goes_straight_on(tmp_path: Path, uid: int) -> None:
    env, log = fake_machine(tmp_path, uid=uid, fonts=True, chromium=True)
    result = run(env)
    assert (result.returncode, result.stderr) == (0, "")
    assert not log.exists()


def test_without_apt_it_names_the_packages(tmp_path: Path) -> None:
    env, _ = fake_machine(tmp_path, uid=0, fonts=True, apt=False)
    result = run(env)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("missing for the tests: chromium (Debian names)")
    assert "LAYERWARP_CHROMIUM" in line


def test_make_test_checks_the_system_before_the_suite() -> None:
    plan = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert plan.index("scripts/system-packages") < plan.index("-m pytest")

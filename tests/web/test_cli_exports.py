"""`layerwarp export animation|run` writes, byte for byte, what the page's "Share and export"
links download (the API), with a progress bar on a terminal and one-line errors for bad flags.
(Playing the animation offline: tests/browser/test_cli_animation.py.)"""

import io
import json
import re

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app import progress
from app.cli import main
from app.engine.training import Trainer
from app.schemas import TrainConfig
from app.web.vendor import inline_bundle, plotly_js_version

FLAGS = ["--dataset", "xor", "--layers", "2", "--steps", "60", "--seed", "3"]
QUERY = {"dataset": "xor", "layers": 2, "steps": 60, "seed": 3}


def test_run_file_is_the_pages_and_replays_identically(client: TestClient, tmp_path) -> None:
    saved = tmp_path / "run.json"
    main(["export", "run", *FLAGS, "--every", "20", "--out", str(saved)])
    page_link = client.get("/api/export/run", params={**QUERY, "every": 20})
    assert saved.read_bytes() == page_link.content

    record = json.loads(saved.read_text())
    assert [s["step"] for s in record["snapshots"]] == [0, 20, 40, 60]
    recorded = {s["step"]: s for s in record["snapshots"]}
    replayed = 0
    for step in Trainer(TrainConfig(**record["config"])).run():
        if step.step in recorded:
            layers = recorded[step.step]["layers"]
            for k, layer in enumerate(layers):
                assert np.round(step.network.W[k], 9).tolist() == layer["W"]
                assert np.round(step.network.b[k], 9).tolist() == layer["b"]
            assert np.round(step.network.W[-1], 9).tolist() == recorded[step.step]["readout"]["W"]
            replayed += 1
    assert replayed == 4


def test_animation_file_is_the_pages_with_plotly_inlined(client: TestClient, tmp_path) -> None:
    saved = tmp_path / "slides.html"
    main(["export", "animation", *FLAGS, "--step", "30", "--out", str(saved)])
    page_link = client.get("/api/export/animation", params={**QUERY, "step": 30})
    assert saved.read_bytes() == page_link.content
    html = saved.read_text()
    assert not re.search(r"<script[^>]+src=", html)
    assert f"plotly.js v{plotly_js_version()}" in html
    # the page's 2-D bundle travels inside the file whole, the 3-D one (unused: 2-D stages) not
    assert inline_bundle("2d") in html
    assert "Layerwarp's 3-D bundle" not in html


def test_without_out_the_file_gets_the_pages_name(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    main(["export", "animation", *FLAGS, "--step", "30"])
    main(["export", "run", *FLAGS])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "layerwarp-run.json",
        "layerwarp-step30.html",
    ]
    assert "wrote layerwarp-run.json" in capsys.readouterr().err


def test_out_dash_writes_to_stdout(capfdbinary) -> None:
    main(["export", "run", *FLAGS, "--every", "30", "--out", "-"])
    record = json.loads(capfdbinary.readouterr().out)
    assert [s["step"] for s in record["snapshots"]] == [0, 30, 60]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_a_progress_bar_a_pipe_does_not(tmp_path, monkeypatch, capsys) -> None:
    out = str(tmp_path / "run.json")
    main(["export", "run", *FLAGS, "--out", out])
    assert "[" not in capsys.readouterr().err  # not a terminal: only the "wrote" line

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(progress, "DELAY_S", 0.0)  # as if the replay were a long one
    monkeypatch.setattr(progress, "REDRAW_S", 0.0)
    main(["export", "run", *FLAGS, "--out", out])
    drawn = terminal.getvalue()
    assert "\rrecording the run [" in drawn
    last_bar = drawn.split("\r")[-1]
    assert last_bar.startswith("recording the run [" + "#" * progress.WIDTH + "] 60/60\n")


@pytest.mark.parametrize(
    "argv,named",
    [
        (["animation", "--stpe", "3"], "--stpe (did you mean --step?)"),
        (["run", "--evry", "3"], "--evry (did you mean --every?)"),
        (["run", "--every", "0"], "--every: must be between 1 and 1000 (got 0)"),
        (["animation", "--steps", "50", "--step", "60"], "step: must be between 0 and steps (50)"),
        (["animation", "--lr", "100"], "lr:"),
        (["animation", "--step", "ten"], "argument --step: invalid int value: 'ten'"),
        (["gif"], "invalid choice: 'gif'"),
    ],
)
def test_a_bad_flag_is_one_clear_line_and_status_2(capsys, argv, named) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", *argv])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert named in err
    assert "Traceback" not in err and "usage:" not in err
    assert len(err.strip().splitlines()) <= 2  # the config errors: a heading and the field


def test_a_file_that_cannot_be_written_is_named(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", "run", *FLAGS, "--out", str(tmp_path / "missing" / "run.json")])
    assert caught.value.code == 2
    assert "--out: cannot write" in capsys.readouterr().err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert re.fullmatch(r"layerwarp \d+\.\d+\.\d+\n", capsys.readouterr().out)

"""The CLI: `train --json` and `snapshot` output shapes; bad flags exit 2 naming the field."""

import json
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.schemas import FIELD_NAMES

QUICK = ["--points", "60", "--layers", "2", "--steps", "5"]
METRICS = {"loss_train", "loss_test", "acc_train", "acc_test"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    main(list(argv))
    return json.loads(capsys.readouterr().out)


def test_train_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "train", "--json", *QUICK)
    assert set(result) == {"config", "steps", "reason", "metrics"}
    assert set(result["config"]) == set(FIELD_NAMES)
    assert result["steps"] == 5 and result["reason"] == "steps"
    assert set(result["metrics"]) == METRICS
    assert all(0 <= result["metrics"][k] <= 1 for k in ("acc_train", "acc_test"))


def test_train_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    main(["train", *QUICK])
    out = capsys.readouterr().out
    assert "stopped after 5 steps (steps)" in out
    assert all(name in out for name in METRICS)


def test_preset_sets_the_config_and_flags_override_it(capsys: pytest.CaptureFixture[str]) -> None:
    config = run(capsys, "train", "--json", "--preset", "circles-3d", "--steps", "3")["config"]
    assert (config["dataset"], config["width"], config["layers"]) == ("circles", 3, 2)
    assert config["steps"] == 3


def test_text_flags_are_read_as_their_types(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--width", "3", "--residual", "true", "--lr", "0.05", "--activation", "relu"]
    config = run(capsys, "train", "--json", *QUICK, *argv)["config"]
    assert (config["width"], config["residual"], config["lr"]) == (3, True, 0.05)
    assert config["activation"] == "relu"


def test_snapshot_plain_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    snap = run(capsys, "snapshot", *QUICK, "--residual", "true", "--step", "3")
    expected = {
        "step", "config", "metrics", "layers", "readout", "labels", "n_train", "stages",
        "separability", "probability",
    }  # fmt: skip
    assert expected <= set(snap)
    assert snap["step"] == 3
    assert set(snap["metrics"]) == METRICS
    assert len(snap["layers"]) == 2
    assert {"W", "b", "activation"} <= set(snap["layers"][0])
    assert {"W", "b"} <= set(snap["readout"])
    assert len(snap["labels"]) == 60
    assert snap["n_train"] == 60 - 2 * round(30 * 0.25)  # stratified: each class of 30 alone
    names = [stage["name"] for stage in snap["stages"]]
    assert names == ["input"] + [f"{k}.{s}" for k in (1, 2) for s in ("W", "b", "act", "res")]
    for stage in snap["stages"]:
        assert {"name", "grid", "points"} <= set(stage)
        assert len(stage["points"]) == 60
        assert all(len(point) == 2 for point in stage["points"])


@pytest.mark.parametrize(
    "argv,field",
    [
        (["--lr", "100"], "lr"),
        (["--width", "4"], "width"),
        (["--dataset", "spiral9"], "dataset"),
        (["--points", "ten"], "points"),
        (["--points", "50", "--batch_size", "60"], "batch_size"),
        (["--activation", "swish"], "activation"),
    ],
)
@pytest.mark.parametrize("command", ["train", "snapshot"])
def test_invalid_flag_exits_2_naming_the_field(
    capsys: pytest.CaptureFixture[str], command: str, argv: list[str], field: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, *argv])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"{field}:" in err
    assert "Traceback" not in err


def test_snapshot_step_beyond_the_run_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["snapshot", *QUICK, "--step", "6"])
    assert caught.value.code == 2
    assert "step" in capsys.readouterr().err


def test_unknown_preset_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["train", "--preset", "nope"])
    assert caught.value.code == 2
    assert "preset" in capsys.readouterr().err


def test_bench_runs_from_the_checkout_though_a_console_script_has_it_not_on_its_path(
    monkeypatch, capsys, tmp_path
):
    """`layerwarp bench` (and `make bench`, which calls it) refused in the checkout: a console
    script's sys.path is its bin directory, so `bench/` beside `app/` could not be imported."""
    root = Path(__file__).resolve().parents[2]
    outside = [p for p in sys.path if p and Path(p).resolve() != root]
    monkeypatch.setattr(sys, "path", outside)
    for name in [m for m in sys.modules if m == "bench" or m.startswith("bench.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.chdir(tmp_path)  # not the checkout: found from where `app` was installed
    main(["bench", "--quick"])
    assert json.loads(capsys.readouterr().out)["reference"]["preset"]

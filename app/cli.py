"""`layerwarp serve | train | snapshot | bench`: flags are TrainConfig's field names."""

import argparse
import json
import sys
from typing import Any, NoReturn

from pydantic import ValidationError

from app import __version__
from app.presets import PRESETS, resolve
from app.schemas import TrainConfig


def describe_errors(error: ValidationError) -> str:
    """One line per bad field: its name, what was given, and what is allowed."""
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "config"
        lines.append(f"{field}: {item['msg']} (got {item.get('input')!r})")
    return "\n".join(lines)


def fail(message: str) -> NoReturn:
    """One line on stderr and exit status 2, as argparse does for a bad flag."""
    print(f"layerwarp {message}", file=sys.stderr)
    raise SystemExit(2)


def _add_config_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=sorted(PRESETS), help="start from a named preset")
    for name, info in TrainConfig.model_fields.items():
        parser.add_argument(f"--{name}", dest=name, default=None, help=info.description)


def _config_from(args: argparse.Namespace) -> TrainConfig:
    given = {
        name: getattr(args, name)
        for name in TrainConfig.model_fields
        if getattr(args, name) is not None
    }
    try:
        return resolve(args.preset, given)
    except ValidationError as error:
        print(f"invalid configuration:\n{describe_errors(error)}", file=sys.stderr)
        raise SystemExit(2) from None


def _progress(done: int, total: int, loss: float | None) -> None:
    width = 30
    filled = int(width * done / total)
    shown = f"{loss:.4f}" if loss is not None else "—"
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} loss {shown}")
    sys.stderr.flush()


def cmd_train(args: argparse.Namespace) -> None:
    from app.engine.training import Trainer
    from app.engine.warp import snapshot

    config = _config_from(args)
    trainer = Trainer(config)
    show = sys.stderr.isatty() and not args.json
    last = None
    for last in trainer.run():
        if show and (last.step % 25 == 0 or last.reason):
            _progress(last.step, config.steps, last.loss)
    if show:
        sys.stderr.write("\n")
    assert last is not None
    metrics = snapshot(trainer.network, trainer.data, last.step, config.l2).metrics
    result: dict[str, Any] = {
        "config": config.model_dump(),
        "steps": last.step,
        "reason": last.reason,
        "metrics": metrics,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"stopped after {last.step} steps ({last.reason})")
        for key, value in metrics.items():
            print(f"  {key:10s} {value:.4f}")


def cmd_snapshot(args: argparse.Namespace) -> None:
    from app.engine.training import Trainer
    from app.engine.warp import snapshot
    from app.export.plain import plain

    config = _config_from(args)
    if args.step < 0 or args.step > config.steps:
        print(f"step: must be between 0 and steps ({config.steps})", file=sys.stderr)
        raise SystemExit(2)
    trainer = Trainer(config)
    last = None
    for last in trainer.run():
        if last.step >= args.step or last.reason:
            break
    assert last is not None
    snap = snapshot(trainer.network, trainer.data, last.step, config.l2, reason=last.reason)
    print(json.dumps(plain(snap, config.model_dump())))


def cmd_bench(args: argparse.Namespace) -> None:
    try:
        from bench.engine import run
    except ModuleNotFoundError as error:
        if error.name != "bench":
            raise
        fail("bench: runs from a source checkout (`make bench`); the package does not install it")
    print(json.dumps(run(quick=args.quick), indent=2))


def cmd_serve(args: argparse.Namespace) -> None:
    from app.web.serve import serve

    serve(host=args.host, port=args.port, workers=args.workers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="layerwarp", description=__doc__)
    parser.add_argument("--version", action="version", version=f"layerwarp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train and print the final metrics")
    _add_config_flags(train)
    train.add_argument("--json", action="store_true", help="print the result as JSON")
    train.set_defaults(run=cmd_train)

    snap = commands.add_parser("snapshot", help="print one snapshot as plain JSON")
    _add_config_flags(snap)
    snap.add_argument("--step", type=int, default=0, help="training step to show")
    snap.set_defaults(run=cmd_snapshot)

    bench = commands.add_parser("bench", help="print engine benchmark figures as JSON")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.set_defaults(run=cmd_bench)

    serve = commands.add_parser("serve", help="serve the app")
    # Unset flags fall back to LAYERWARP_HOST / _PORT / _WORKERS, then 127.0.0.1:8000 × 1.
    serve.add_argument("--host", default=None, help="default 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default 8000")
    serve.add_argument("--workers", type=int, default=None, help="default 1")
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()

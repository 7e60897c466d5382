"""`layerwarp serve | train | snapshot | export | bench`: flags are TrainConfig's field names."""

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from app import __version__
from app.explain import describe_errors, nearest, step_problem
from app.presets import PRESETS, resolve
from app.progress import ProgressBar
from app.schemas import TrainConfig


def fail(message: str) -> NoReturn:
    """One line on stderr and exit status 2, as argparse does for a bad flag."""
    print(f"layerwarp {message}", file=sys.stderr)
    raise SystemExit(2)


class Parser(argparse.ArgumentParser):
    """argparse whose errors are one line and a pointer to --help, not a page of usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (`{self.prog} --help` lists the flags)\n")


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


def _checked_step(step: int, config: TrainConfig) -> int:
    """`--step` as the API checks it: within the run."""
    problem = step_problem(step, config.steps)
    if problem:
        print(problem, file=sys.stderr)
        raise SystemExit(2)
    return step


def cmd_train(args: argparse.Namespace) -> None:
    from app.engine.training import Trainer
    from app.engine.warp import snapshot

    config = _config_from(args)
    trainer = Trainer(config)
    last = None
    with ProgressBar(config.steps, "training") as bar:
        for last in trainer.run():
            bar(last.step, "" if last.loss is None else f"loss {last.loss:.4f}")
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
    _checked_step(args.step, config)
    trainer = Trainer(config)
    last = None
    for last in trainer.run():
        if last.step >= args.step or last.reason:
            break
    assert last is not None
    snap = snapshot(trainer.network, trainer.data, last.step, config.l2, reason=last.reason)
    print(json.dumps(plain(snap, config.model_dump())))


def cmd_export(args: argparse.Namespace) -> None:
    """The files the page's "Share and export" links give, byte for byte, without a browser."""
    from app.export import jobs

    config = _config_from(args)
    if args.kind == "animation":
        step = _checked_step(args.step, config)
        out = args.out or f"layerwarp-step{step}.html"
        with ProgressBar(step, f"replaying to step {step}") as bar:
            body = jobs.animation(config.model_dump_json(), step, bar)
    else:
        every = jobs.DEFAULT_EVERY if args.every is None else args.every
        if not 1 <= every <= jobs.MAX_EVERY:
            fail(f"export run: --every: must be between 1 and {jobs.MAX_EVERY} (got {every})")
        out = args.out or "layerwarp-run.json"
        with ProgressBar(config.steps, "recording the run") as bar:
            body = jobs.run_record(config.model_dump_json(), every, bar)
    if out == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        Path(out).write_bytes(body)
    except OSError as error:
        fail(f"export {args.kind}: --out: cannot write {out}: {error.strerror}")
    print(f"wrote {out} ({len(body):,} bytes)", file=sys.stderr)


def checkout_with_bench() -> Path | None:
    """The source checkout holding bench/: the one this `app` was installed from (editable), or
    the working directory. A console script's sys.path has neither, so `bench` needs adding."""
    for root in (Path(__file__).resolve().parents[1], Path.cwd()):
        if (root / "bench" / "engine.py").is_file():
            return root
    return None


def cmd_bench(args: argparse.Namespace) -> None:
    root = checkout_with_bench()
    if root is None:
        fail("bench: runs from a source checkout (`make bench`); the package does not install it")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from bench.engine import run

    print(json.dumps(run(quick=args.quick), indent=2))


def cmd_serve(args: argparse.Namespace) -> None:
    from app.web.serve import serve

    serve(host=args.host, port=args.port, workers=args.workers)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="layerwarp", description=__doc__)
    parser.add_argument("--version", action="version", version=f"layerwarp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train and print the final metrics")
    _add_config_flags(train)
    train.add_argument("--json", action="store_true", help="print the result as JSON")
    train.set_defaults(run=cmd_train, parser=train)

    snap = commands.add_parser("snapshot", help="print one snapshot as plain JSON")
    _add_config_flags(snap)
    snap.add_argument("--step", type=int, default=0, help="training step to show")
    snap.set_defaults(run=cmd_snapshot, parser=snap)

    export = commands.add_parser(
        "export", help="write the page's export files: an HTML animation or the run as JSON"
    )
    kinds = export.add_subparsers(dest="kind", required=True)
    animation = kinds.add_parser(
        "animation", help="a standalone HTML animation of every stage at --step (plays offline)"
    )
    _add_config_flags(animation)
    animation.add_argument("--step", type=int, default=0, help="training step to animate")
    record = kinds.add_parser("run", help="the config and the weights every --every steps")
    _add_config_flags(record)
    record.add_argument(
        "--every", type=int, default=None, help="steps between recorded weights (default 5)"
    )
    for kind in (animation, record):
        kind.add_argument(
            "--out", default=None, help="file to write ('-': stdout); default: the page's name"
        )
        kind.set_defaults(run=cmd_export, parser=kind)

    bench = commands.add_parser("bench", help="print engine benchmark figures as JSON")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.set_defaults(run=cmd_bench, parser=bench)

    serve = commands.add_parser("serve", help="serve the app")
    # Unset flags fall back to LAYERWARP_HOST / _PORT / _WORKERS, then 127.0.0.1:8000 × 1.
    serve.add_argument("--host", default=None, help="default 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default 8000")
    serve.add_argument("--workers", type=int, default=None, help="default 1")
    serve.set_defaults(run=cmd_serve, parser=serve)
    return parser


def _unrecognised(flags: list[str], parser: argparse.ArgumentParser) -> str:
    """argparse's complaint, with the nearest real flag for each typo."""
    known = [option for action in parser._actions for option in action.option_strings]
    named = []
    for flag in flags:
        near = nearest(flag.partition("=")[0], known)
        named.append(f"{flag} (did you mean {near}?)" if near else flag)
    return f"unrecognized arguments: {' '.join(named)}"


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # each command's parser names it (`layerwarp export run: error: …`)
        args.parser.error(_unrecognised(unknown, args.parser))
    args.run(args)


if __name__ == "__main__":
    main()

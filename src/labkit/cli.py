"""The command line the Makefile calls: ``python -m labkit up|down|status|logs|setup|bench|lab``."""

from __future__ import annotations

import argparse
import os
import sys

from labkit import emulator, emulator_env, paths, prereqs, targets


def _up(_: argparse.Namespace) -> int:
    before = emulator.status()
    after = emulator.up()
    if before.running and not before.embedded:
        print(f"{after.describe()} already answers; using it (nothing started).")
    elif before.running:
        print(f"Reusing the running {after.describe()}.")
    else:
        print(f"Started the {after.describe()}.")
    return 0


def _down(_: argparse.Namespace) -> int:
    stopped = emulator.down()
    print(f"Stopped {len(stopped)} processes." if stopped else "No embedded LocalStack was running.")
    return 0


def _status(_: argparse.Namespace) -> int:
    current = emulator.status()
    print(current.describe())
    return 0 if current.running else 3


def _logs(args: argparse.Namespace) -> int:
    print(emulator.log_tail(args.lines))
    return 0


def _setup(_: argparse.Namespace) -> int:
    emulator_env.ensure()
    print(f"The embedded LocalStack's environments are ready under {paths.EMULATOR_HOME}.")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from labkit import bench

    bench.main(cold=args.cold, warm=args.warm)
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from labkit import cleanup

    targets.connect(start=False)
    found = cleanup.sweep(args.lesson, dry_run=args.dry_run)
    verb = "Would delete" if args.dry_run else "Deleted"
    print("\n".join(f"{verb} {line}" for line in found) or "Nothing of the suite's is left.")
    return 0


def _lab(args: argparse.Namespace) -> int:
    """Open JupyterLab on the chosen target, with the SDK settings in its environment."""
    target = targets.connect()
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    command = [jupyter, "lab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={paths.PROJECT}", *args.rest]
    if os.geteuid() == 0:  # containers and CI machines run as root; JupyterLab refuses that by default
        command.append("--allow-root")
    print(f"Opening JupyterLab; the notebooks will use {target.describe()}")
    os.execve(jupyter, command, dict(os.environ))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start the embedded LocalStack unless one answers").set_defaults(run=_up)
    commands.add_parser("down", help="stop the embedded LocalStack and all it started").set_defaults(run=_down)
    commands.add_parser("status", help="what answers on the emulator's port").set_defaults(run=_status)
    logs = commands.add_parser("logs", help="the tail of the embedded LocalStack's log")
    logs.add_argument("-n", "--lines", type=int, default=60)
    logs.set_defaults(run=_logs)
    commands.add_parser("setup", help="create the emulator's environments (done by up)").set_defaults(run=_setup)
    bench = commands.add_parser("bench", help="measure start-up and Lambda invoke latency")
    bench.add_argument("--cold", type=int, default=20, help="functions to cold-start")
    bench.add_argument("--warm", type=int, default=300, help="warm invokes")
    bench.set_defaults(run=_bench)
    sweep = commands.add_parser("sweep", help="delete what the suite created (prefix and tag)")
    sweep.add_argument("--lesson", help="only this lesson's resources, e.g. 010")
    sweep.add_argument("--dry-run", action="store_true", help="list, delete nothing")
    sweep.set_defaults(run=_sweep)
    lab = commands.add_parser("lab", help="open JupyterLab on the target (other options go to JupyterLab)")
    lab.set_defaults(run=_lab)
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.rest = extra
    try:
        return args.run(args)
    except (emulator.EmulatorError, prereqs.MissingPrerequisite, targets.TargetNotRunning) as problem:
        print(f"labkit: {problem}", file=sys.stderr)
        return 2

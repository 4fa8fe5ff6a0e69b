"""Command line of `python -m streams.launch` and the children it implies."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence

from streams.launch.supervisor import ChildSpec

CHILD_NAMES = ("consumer", "simulator", "dashboard", "briefings")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m streams.launch",
        description=(
            "Start Jiguan IOC on one machine: embedded PostgreSQL, Redis and MQTT "
            "broker for every IOC_*_URL left unset, then the consumer, the "
            "simulator and the dashboard, supervised. Ctrl-C stops everything."
        ),
    )
    sim = parser.add_argument_group("simulator")
    sim.add_argument("--start", default="today", help="simulated start (default today)")
    sim.add_argument("--speed", type=float, default=600.0, help="speed-up (600)")
    sim.add_argument("--seed", type=int, default=None, help="random seed")
    sim.add_argument(
        "--incident",
        action="append",
        default=[],
        metavar="NAME",
        help="scripted incident to inject (repeatable)",
    )
    sim.add_argument("--no-simulator", action="store_true", help="do not start it")
    parser.add_argument(
        "--broker",
        choices=("auto", "mosquitto", "amqtt"),
        default="auto",
        help="embedded MQTT broker: auto = mosquitto if installed, else amqtt",
    )
    parser.add_argument(
        "--command",
        action="append",
        default=[],
        metavar="NAME=CMD",
        help=(
            f"replace a child's command line ({', '.join(CHILD_NAMES)}); "
            "an empty CMD leaves that child out"
        ),
    )
    parser.add_argument(
        "--ready-timeout",
        type=float,
        default=120.0,
        help="seconds to wait for the dashboard port before logging an error",
    )
    args = parser.parse_args(argv)
    args.overrides = _parse_overrides(parser, args.command)
    return args


def _parse_overrides(
    parser: argparse.ArgumentParser, items: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    overrides: dict[str, tuple[str, ...]] = {}
    for item in items:
        name, sep, command = item.partition("=")
        if not sep or name not in CHILD_NAMES:
            parser.error(f"--command wants NAME=CMD with NAME in {CHILD_NAMES}")
        overrides[name] = tuple(shlex.split(command))
    return overrides


def simulator_argv(args: argparse.Namespace) -> tuple[str, ...]:
    argv = [sys.executable, "-m", "streams.simulator", "--start", args.start]
    argv += ["--speed", f"{args.speed:g}"]
    if args.seed is not None:
        argv += ["--seed", str(args.seed)]
    for incident in args.incident:
        argv += ["--incident", incident]
    return tuple(argv)


def child_specs(args: argparse.Namespace) -> list[ChildSpec]:
    """consumer, simulator, dashboard, briefings (in start order), after
    overrides."""
    defaults: dict[str, tuple[str, ...]] = {
        "consumer": (sys.executable, "-m", "streams"),
        "simulator": () if args.no_simulator else simulator_argv(args),
        "dashboard": (sys.executable, "-m", "dashboard"),
        # the briefing schedule (daily 07:30, weekly Monday 08:00) into the archive
        "briefings": (sys.executable, "-m", "dashboard.briefing.jobs"),
    }
    defaults.update(args.overrides)
    return [ChildSpec(name, argv) for name, argv in defaults.items() if argv]

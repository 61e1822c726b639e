"""``python -m bench``: the benchmarks, one table per server, and a side-by-side summary.

Runs against the dev server (in its own process), or a real ColonyOS server when
``COLONIES_SERVER_HOST``, ``COLONIES_SERVER_PORT``, ``COLONIES_TLS`` and
``COLONIES_SERVER_PRVKEY`` are set. ``--sections`` and the sizes make a real-server run fit
in minutes; ``--quick`` runs tiny sizes (the test suite's smoke test uses it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from bench import (
    client_bench,
    crypto_bench,
    drift_bench,
    reconcile_bench,
    resync_bench,
    transport_bench,
)
from bench.delay_proxy import delayed
from bench.plot import write_plot
from bench.report import Report, render_table, server_description, write_results
from bench.server_process import devserver_process
from colonies.testing.targets import (
    ServerTarget,
    real_server_config,
    server_target,
    throwaway_colony,
)

_HERE = Path(__file__).parent
SECTIONS = (
    "crypto",
    "client",
    "transport",
    "reconcile",
    "replicas",
    "resync",
    "footprint",
    "drift",
)
RPC_DELAY = 0.005
"""Seconds a dev-server run adds to each RPC in a second reconcile run (real servers take
5-13 ms per RPC); never added on a real server."""


_QUICK_REPLICAS = {
    "COLONIES_RECONCILER_SHARD_REFRESH": "1",  # a joining replica's writes wait this long
    "COLONIES_RECONCILER_ASSIGN_TIMEOUT": "1",  # stopping waits out the long polls
}
"""Settings for ``--quick`` replicas; the full run keeps the deployed ones."""


def _numbers(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas: {text!r}"
        ) from None


def _sections(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
        )
    return chosen


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    parser.add_argument(
        "--sections",
        type=_sections,
        default=list(SECTIONS),
        help=f"comma-separated, from {','.join(SECTIONS)} (default: all)",
    )
    parser.add_argument("--blueprints", type=int, default=200, help="reconcile and storm size")
    parser.add_argument("--workers", type=_numbers, default=[4, 16], help="e.g. 4,16")
    parser.add_argument("--replicas", type=_numbers, default=[1, 2, 4], help="e.g. 1,2,4")
    parser.add_argument(
        "--replica-blueprints",
        type=int,
        default=1000,
        help="replica rows' size (larger than --blueprints: a 200-blueprint phase lasts under "
        "a second on the dev server, too short to compare replica counts)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="runtime-against-loop rounds, in alternating order; the rows keep the median "
        "(default 3)",
    )
    parser.add_argument("--resync", type=_numbers, default=[1000, 10_000], help="e.g. 1000,10000")
    parser.add_argument("--rpc-calls", type=int, default=2000, help="client section size")
    parser.add_argument(
        "--debounce",
        type=float,
        default=0.0,
        help="also run the runtime with COLONIES_RECONCILER_DEBOUNCE at this value (default "
        "0: off, to show what the 0.1 s default buys; negative: no such run)",
    )
    parser.add_argument(
        "--output-dir", type=Path, default=_HERE / "results", help="where the tables go"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.blueprints, args.workers, args.replicas = 6, [2], [1, 2]
        args.replica_blueprints = 6
        args.resync, args.rpc_calls, args.rounds = [20], 40, 1
    return args


def _progress(section: str) -> None:
    print(f"bench: {section} ...", file=sys.stderr, flush=True)


def _run_sections(
    report: Report, target: ServerTarget, args: argparse.Namespace, *, real: bool
) -> None:
    sections = args.sections
    if "client" in sections:
        _progress("client")
        with throwaway_colony(target, prefix="bench-client") as colony:
            client_bench.run(report, colony, calls=args.rpc_calls)
    if "transport" in sections:
        _progress("async transport: our pool against httpx")
        with throwaway_colony(target, prefix="bench-transport") as colony:
            transport_bench.run(report, colony, calls=args.rpc_calls, workers=args.workers)
    if "reconcile" in sections:
        for workers in args.workers:
            _progress(f"reconcile and update storm, {workers} workers")
            reconcile_bench.run(
                report,
                target,
                blueprints=args.blueprints,
                concurrency=workers,
                debounce=args.debounce if args.debounce >= 0 else None,
                rounds=args.rounds,
            )
        if not real and not args.quick:
            _progress(f"reconcile and update storm, +{RPC_DELAY * 1e3:g} ms per RPC")
            with delayed(target, RPC_DELAY) as slow:
                reconcile_bench.run(
                    report,
                    slow,
                    blueprints=args.blueprints,
                    concurrency=args.workers[0],
                    note=f"+{RPC_DELAY * 1e3:g} ms per RPC",
                    rounds=args.rounds,
                )
    if "replicas" in sections:
        _progress(f"replicas {args.replicas}")
        reconcile_bench.run_replicas(
            report,
            target,
            blueprints=args.replica_blueprints,
            concurrency=args.workers[0],
            counts=args.replicas,
            env=_QUICK_REPLICAS if args.quick else None,
        )
    if "resync" in sections:
        _progress(f"resync {args.resync}")
        resync_bench.run_resync(report, target, sizes=tuple(args.resync))
    if "footprint" in sections:
        _progress("footprint")
        resync_bench.run_footprint(report, target, deployed=not args.quick)
    if "drift" in sections:
        _progress("drift")
        drift_bench.run(report, target, sizes=drift_bench.QUICK if args.quick else drift_bench.FULL)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    logging.basicConfig(level=logging.WARNING)
    report = Report()
    started = time.monotonic()
    if "crypto" in args.sections:
        _progress("crypto")
        crypto_bench.run(report, seconds=0.1 if args.quick else 1.0)
    real = real_server_config(os.environ)
    with server_target() if real else devserver_process() as target:
        server = server_description(target, real=real is not None)
        _run_sections(report, target, args, real=real is not None)
    print(render_table(report.rows))
    name = "real" if real else "dev"
    args.output_dir.mkdir(parents=True, exist_ok=True)
    plot: Path | None = None
    if report.samples:  # sections like resync measure no latencies
        plot = args.output_dir / f"{name}-latency.png"
        write_plot(report, plot)
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    written = write_results(
        report,
        args.output_dir,
        name=name,
        server=server,
        command=command.strip(),
        minutes=(time.monotonic() - started) / 60,
        plot=plot,
    )
    print("\nwrote " + ", ".join(str(path) for path in written))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

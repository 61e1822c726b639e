"""``python -m bench``: every benchmark in one run, one table, ``bench/RESULTS.md`` and a plot.

Runs against the dev server (in its own process), or a real ColonyOS server when ``COLONIES_SERVER_HOST``,
``COLONIES_SERVER_PORT``, ``COLONIES_TLS`` and ``COLONIES_SERVER_PRVKEY`` are set.
``--quick`` runs tiny sizes (the test suite's smoke test uses it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import client_bench, crypto_bench, drift_bench, reconcile_bench, resync_bench
from bench.delay_proxy import delayed
from bench.plot import write_plot
from bench.report import Report, render_table, write_results
from bench.server_process import devserver_process
from colonies.testing.targets import real_server_config, server_target, throwaway_colony

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Sizes:
    crypto_seconds: float
    rpc_calls: int
    blueprints: int
    concurrency: int
    resync: tuple[int, ...]
    rpc_delay: float
    """Seconds added to each RPC for a second reconcile run on the dev server (0: none)."""


FULL = Sizes(
    crypto_seconds=1.0,
    rpc_calls=2000,
    blueprints=200,
    concurrency=4,
    resync=(1000, 10_000),
    rpc_delay=0.005,
)
QUICK = Sizes(
    crypto_seconds=0.1, rpc_calls=40, blueprints=6, concurrency=2, resync=(20,), rpc_delay=0.0
)


def _progress(section: str) -> None:
    print(f"bench: {section} ...", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    parser.add_argument("--output", type=Path, default=_HERE / "RESULTS.md")
    parser.add_argument("--plot", type=Path, default=_HERE / "latency.png")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    sizes = QUICK if args.quick else FULL
    report = Report()
    _progress("crypto")
    crypto_bench.run(report, seconds=sizes.crypto_seconds)
    real = real_server_config(os.environ)
    with server_target() if real else devserver_process() as target:
        _progress("client")
        with throwaway_colony(target, prefix="bench-client") as colony:
            client_bench.run(report, colony, calls=sizes.rpc_calls)
        _progress("reconcile and update storm")
        reconcile_bench.run(
            report, target, blueprints=sizes.blueprints, concurrency=sizes.concurrency
        )
        if sizes.rpc_delay and not real:
            _progress(f"reconcile and update storm, {sizes.rpc_delay * 1e3:g} ms per RPC")
            with delayed(target, sizes.rpc_delay) as slow:
                reconcile_bench.run(
                    report,
                    slow,
                    blueprints=sizes.blueprints,
                    concurrency=sizes.concurrency,
                    note=f"+{sizes.rpc_delay * 1e3:g} ms per RPC",
                )
        _progress("resync")
        resync_bench.run_resync(report, target, sizes=sizes.resync)
        _progress("footprint")
        resync_bench.run_footprint(report, target, deployed=not args.quick)
        _progress("drift")
        drift_bench.run(report, target, sizes=drift_bench.QUICK if args.quick else drift_bench.FULL)
        where = f"the ColonyOS server at {target.url}" if real else "the dev server (own process)"
    print(render_table(report.rows))
    write_plot(report, args.plot)
    write_results(report, args.output, target=where, plot=args.plot)
    print(f"\nwrote {args.output} and {args.plot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

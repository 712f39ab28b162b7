"""``python -m benchmarks``: the load harness (see benchmarks/README.md).

    python -m benchmarks [--quick] [--factors 1 4] [--seconds 10] [--connections 8]

Needs PostgreSQL (BENCH_DATABASE_URL: a server URL of a role that may create
databases and roles; default the local postgres), gunicorn and wrk. Prints a
table per factor, writes the figures to benchmarks/results/, and prints them
as one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from benchmarks import harness

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a reduced run, under 3 minutes")
    parser.add_argument("--factors", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--explain", action="store_true", help="write each page's slowest plan to results/"
    )
    args = parser.parse_args()
    if args.quick:
        args.factors, args.seconds = [0.25, 1.0], 2.0
    server = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    server = server.replace("postgresql://", "postgresql+psycopg://", 1)
    by_factor, plans = {}, {}
    for factor in args.factors:
        site = harness.prepare(server, factor)
        pages = harness.resolve_pages(site)
        readings = harness.read_in_process(site, pages, explain=args.explain)
        load = harness.measure(site, pages, args.seconds, args.connections, args.workers)
        by_factor[factor] = {
            name: {**load[name], "queries": readings[name].queries} for name in load
        }
        if args.explain:
            plans[factor] = {name: vars(reading) for name, reading in readings.items()}
        _table(factor, by_factor[factor])
    small, large = args.factors[0], args.factors[-1]
    summary = {
        name: {
            "ratio": by_factor[large][name]["ratio"],
            "queries": [by_factor[small][name]["queries"], by_factor[large][name]["queries"]],
            "p50_growth": _growth(by_factor[small][name]["p50"], by_factor[large][name]["p50"]),
        }
        for name in by_factor[large]
    }
    record = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "settings": vars(args),
        "factors": by_factor,
        "plans": plans,
    }
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    stamp = record["date"].replace(":", "").replace("-", "")[:15]
    (folder / f"{stamp}.json").write_text(json.dumps(record, indent=2, default=str))
    if plans:
        (folder / f"{stamp}-plans.md").write_text(_plans(plans))
    print(json.dumps(summary))


def _growth(before: float, after: float) -> float | None:
    # a page that answered no request in the time given has no p50
    return round(after / before, 2) if before and after else None


def _table(factor: float, rows: dict) -> None:
    print(f"\nfactor {factor}", file=sys.stderr)
    print(f"{'page':32} {'req/s':>8} {'ratio':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'SQL':>4}",
          file=sys.stderr)  # fmt: skip
    for name, row in rows.items():
        figures = f"{row['rps']:8.1f} {row['ratio']:6.2f} {row['p50']:7.1f} {row['p95']:7.1f}"
        print(f"{name:32} {figures} {row['p99']:7.1f} {row['queries']:4d}", file=sys.stderr)


def _plans(plans: dict) -> str:
    """The slowest statement of each page and its plan, as Markdown."""
    lines = []
    for factor, pages in plans.items():
        lines.append(f"## Factor {factor}\n")
        for name, reading in pages.items():
            lines.append(f"### {name}: {reading['slowest_ms']:.1f} ms\n")
            lines.append(f"`{reading['slowest_sql'][:300]}…`\n")
            lines.append("```\n" + "\n".join(reading["plan"]) + "\n```\n")
    return "\n".join(lines)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=HERE).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()

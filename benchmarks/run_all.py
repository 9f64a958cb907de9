"""Run every benchmark and print one table of all figures, with the machine.

Each benchmark runs in its own process and prints its own tables and the
command that produced them; this script then prints the summary in
Markdown, and with ``--readme`` writes it into benchmarks/README.md between
the ``figures`` markers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import ROOT, command, machine

HERE = Path(__file__).parent
BENCHMARKS = ("bench_kernel.py", "bench_scheduler.py", "bench_frontend.py")
START, END = "<!-- figures: start -->", "<!-- figures: end -->"


def run(script: str, extra: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        subprocess.run(  # noqa: S603 - our own scripts, with our interpreter
            [sys.executable, str(HERE / script), "--json", str(out), *extra],
            cwd=ROOT,
            check=True,
        )
        return json.loads(out.read_text())


def fmt(value: float, digits: int = 3) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def bare(text: str) -> str:
    """A command without the ``--json`` path run_all.py added."""
    words = text.split()
    if "--json" in words:
        i = words.index("--json")
        del words[i : i + 2]
    return " ".join(words)


def summary(results: dict[str, dict[str, Any]]) -> str:
    kernel = results["kernel"]
    scheduler = {r["workers"]: r for r in results["scheduler"]["rows"]}
    frontend = {r["workers"]: r for r in results["frontend"]["rows"]}
    paced = [r for r in kernel["rows"] if r["scenario"] == "paced"]
    worst = {r["workers"]: r for r in kernel["rows"] if r["scenario"] != "paced"}
    lines = [
        (
            "| workers | kernel ms/tick (paced) | µs/worker | kernel ms/tick "
            "(all new) | µs/worker | wire B/tick | B/worker | JSON B/worker | "
            "identity() B/worker | lean B/worker | bytes ratio | identity() ms | "
            "lean ms | frontend ms cluster | frontend ms workers | µs/worker | "
            "dashboard ms |"
        ),
        "|" + "---:|" * 17,
    ]
    for row in paced:
        n = row["workers"]
        s, f, w = scheduler[n], frontend[n], worst[n]
        cells = [
            f"{n:,}",
            fmt(row["poll_cpu_ms"]),
            fmt(row["poll_us_per_worker"]),
            fmt(w["poll_cpu_ms"]),
            fmt(w["poll_us_per_worker"]),
            f"{row['tick_bytes']:,}",
            fmt(row["tick_bytes_per_worker"]),
            fmt(row["json_per_worker_bytes"]),
            fmt(s["identity_B_per_worker"]),
            fmt(s["lean_B_per_worker"]),
            fmt(s["bytes_ratio"], 2),
            fmt(s["identity_ms"]),
            fmt(s["lean_ms"]),
            fmt(f["cluster_ms"], 2),
            fmt(f["workers_ms"], 2),
            fmt(f["workers_us_per_worker"]),
            fmt(s["dashboard_update_ms"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    m = machine()
    lines += [
        "",
        (
            f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, "
            f"Python {m['python']}, Node {m['node']}, "
            f"Chromium {results['frontend']['rows'][0]['chromium']}, {m['date']}."
        ),
        "",
        "Commands:",
        "",
        f"- all: `{command()}`",
        *(f"- {name}: `{bare(results[name]['command'])}`" for name in results),
        "",
        "Kernel stages, heartbeat-paced (CPU ms per tick, medians):",
        "",
        (
            "| workers | new samples | unpack | parse | tracker | encode | send "
            "| whole poll |"
        ),
        "|" + "---:|" * 8,
        *(
            f"| {r['workers']:,} | {r['new_samples']:,} | {fmt(r['unpack_ms'])} "
            f"| {fmt(r['parse_ms'])} | {fmt(r['tracker_ms'])} "
            f"| {fmt(r['encode_ms'])} | {fmt(r['send_ms'])} "
            f"| {fmt(r['poll_cpu_ms'])} |"
            for r in paced
        ),
        "",
        "Frontend, workers view (ms, means): the traits' change handlers only",
        "record what changed; the one render per message does the work.",
        "",
        (
            "| workers | record `_columns` | record `_cluster` + `_meta` "
            "| render | decode alone |"
        ),
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {n:,} | {fmt(f['workers_columns_mean_ms'], 2)} "
            f"| {fmt(f['workers_cluster_mean_ms'] + f['workers_meta_mean_ms'], 2)} "
            f"| {fmt(f['workers_render_mean_ms'], 2)} | {fmt(f['decode_ms'], 2)} |"
            for n, f in frontend.items()
        ),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="update README.md")
    parser.add_argument("--counts", type=int, nargs="*")
    args = parser.parse_args()
    extra = ["--counts", *map(str, args.counts)] if args.counts else []
    results = {}
    for script in BENCHMARKS:
        data = run(script, extra)
        results[data["name"]] = data
    text = summary(results)
    print("\n## Summary\n")
    print(text)
    if args.readme:
        readme = HERE / "README.md"
        body = readme.read_text()
        head, rest = body.split(START, 1)
        # The last end marker: a stray second one would otherwise stay, with
        # stale figures before it.
        _, tail = rest.rsplit(END, 1)
        readme.write_text(f"{head}{START}\n{text}\n{END}{tail}")
        print(f"\nwrote {readme}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The whole catalogue against the reference client, with one device and with several at once.

Prints the wall time of each run against the targets of issue 18 (one device: at most 25 s;
`--devices 4`: at most 10 s), the CPU the runner and its devices used (their rusage), the share
of the wall time nobody computed (waiting), and the cases that took longest. The same catalogue
on N devices must give the verdicts of one device: a difference is printed and the exit status
is 1. A figure over its target is printed, never judged: this is a benchmark, not a test.

  bench/catalogue_wall_time.py [--fotacheck build/runner/fotacheck] [--profile FILE]
                               [--devices 4] [--reports DIR] [--top 12]

The N-device run is balanced by the durations of the one-device run (--durations). Exit status:
0, 1 (verdicts differ between the runs) or 2 (a run wrote no results.json).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TARGETS_S = {1: 25.0, 4: 10.0}  # issue 18: wall seconds on 2 cores


def children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_catalogue(fotacheck, profile, devices, reports, durations):
    """One run: wall and CPU seconds (the runner, its devices and their children), its cases."""
    args = [fotacheck, "--reports", str(reports)]
    if profile:
        args += ["--profile", profile]
    if devices > 1:
        args += ["--devices", str(devices)]
        if durations:
            args += ["--durations", str(durations)]
    log = reports.parent / (reports.name + ".log")
    cpu_before = children_cpu_s()
    started = time.monotonic()
    with open(log, "w") as out:
        status = subprocess.call(args, stdout=out, stderr=subprocess.STDOUT)
    wall = time.monotonic() - started
    cpu = children_cpu_s() - cpu_before
    results = reports / "results.json"
    if not results.is_file():
        print(f"{' '.join(args)}: exit {status} and no results.json; log: {log}", file=sys.stderr)
        sys.exit(2)
    cases = json.loads(results.read_text())["cases"]
    return wall, cpu, status, cases


def describe(label, devices, wall, cpu, cases):
    case_s = sum(c.get("duration_ms", 0) for c in cases) / 1000.0
    target = TARGETS_S.get(devices)
    verdict_counts = Counter(c["verdict"] for c in cases)
    # Waiting: the wall time of each device that no process spent computing. With N devices the
    # devices' time adds up (N x wall); the CPU of all of them is shared between them.
    waiting = max(0.0, 1.0 - cpu / (wall * devices)) if wall > 0 else 0.0
    against = f"target <= {target:.0f} s: {'met' if wall <= target else 'NOT met'}" if target else "no target"
    print(f"{label}: wall {wall:6.1f} s ({against}); CPU {cpu:5.1f} s; waiting {100 * waiting:4.1f} % of "
          f"{devices} device-wall; case time {case_s:6.1f} s over {len(cases)} cases")
    print("  verdicts: " + ", ".join(f"{n} {v}" for v, n in sorted(verdict_counts.items())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fotacheck", default="build/runner/fotacheck")
    parser.add_argument("--profile", default="", help="the runner's default profile when empty")
    parser.add_argument("--devices", type=int, default=4)
    parser.add_argument("--reports", default="", help="keep the two runs' reports here (default: a temporary folder)")
    parser.add_argument("--top", type=int, default=12, help="how many of the longest cases to list")
    options = parser.parse_args()

    fotacheck = os.path.abspath(options.fotacheck)
    if not os.access(fotacheck, os.X_OK):
        print(f"{options.fotacheck}: no fotacheck runner there; build it (scripts/build --target fotacheck "
              "fotacheck-refclient) or give --fotacheck", file=sys.stderr)
        return 2
    keep = options.reports
    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="fotacheck-catalogue-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    one_dir, many_dir = base / "one-device", base / f"{options.devices}-devices"
    for d in (one_dir, many_dir):
        if d.exists() and any(d.iterdir()) and not (d / "results.json").is_file():
            print(f"{d}: exists and is no fotacheck report folder; choose another --reports", file=sys.stderr)
            return 2

    print(f"nproc {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}; reports in {base}")
    wall1, cpu1, _, cases1 = run_catalogue(fotacheck, options.profile, 1, one_dir, None)
    describe("1 device ", 1, wall1, cpu1, cases1)
    walln, cpun, _, casesn = run_catalogue(fotacheck, options.profile, options.devices, many_dir,
                                           one_dir / "results.json")
    describe(f"{options.devices} devices", options.devices, walln, cpun, casesn)
    print(f"speed-up {wall1 / walln:.2f}x with {options.devices} devices")

    print(f"longest cases (one device), ms:")
    for c in sorted(cases1, key=lambda c: -c.get("duration_ms", 0))[: options.top]:
        print(f"  {c['id']:<28} {c.get('duration_ms', 0):8.0f}  {c['verdict']}")

    verdicts1 = {c["id"]: c["verdict"] for c in cases1}
    verdictsn = {c["id"]: c["verdict"] for c in casesn}
    differ = sorted(i for i in verdicts1.keys() | verdictsn.keys() if verdicts1.get(i) != verdictsn.get(i))
    for i in differ:
        print(f"verdict differs: {i}: 1 device {verdicts1.get(i, 'not run')}, {options.devices} devices "
              f"{verdictsn.get(i, 'not run')}")
    if not differ:
        print(f"verdicts: the same {len(verdicts1)} cases with the same verdicts on 1 and {options.devices} devices")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

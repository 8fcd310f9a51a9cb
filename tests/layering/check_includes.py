#!/usr/bin/env python3
"""Layers depend only downward: every project include must name a folder of a lower layer, or
its own folder. Folders on the same layer are independent of each other (the fixtures, which
run cases, and the reports, which print them, share only the record model below both).
GoogleTest may be included only where cases run or are tested.

Usage: check_includes.py REPOSITORY_ROOT. Prints every offending include with file:line and
exits 1 when there is one."""
import pathlib
import re
import sys

# (folder, layer). The longest matching prefix names a file's folder.
LAYERS = [
    ("suite/common", 0),
    ("suite/lwm2m", 1), ("suite/coap", 1), ("suite/package", 1), ("suite/profile", 1),
    ("suite/forge", 2), ("suite/server", 2), ("suite/repository", 2),
    ("suite/record", 3),
    ("adapters", 4), ("refclient", 4),
    ("fixtures", 5), ("reports", 5),
    ("cases", 6),
    ("runner", 7),
    ("tests", 8), ("bench", 8),
]
GTEST_ALLOWED = {"fixtures", "cases", "runner", "tests", "bench"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def folder_of(relative):
    best = None
    for folder, layer in LAYERS:
        if relative == folder or relative.startswith(folder + "/"):
            if best is None or len(folder) > len(best[0]):
                best = (folder, layer)
    return best


def main(root):
    root = pathlib.Path(root)
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".h", ".cpp", ".hpp", ".cc") or not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        if relative.startswith(("build", ".git")) or "/node_modules/" in relative:
            continue
        own = folder_of(relative)
        if own is None:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            bracket, target = m.groups()
            if bracket == "<":
                if target.startswith(("gtest/", "gmock/")) and own[0].split("/")[0] not in GTEST_ALLOWED:
                    problems.append(f"{relative}:{number}: <{target}> in {own[0]}: GoogleTest belongs to fixtures, cases and tests")
                continue
            other = folder_of(target)
            if other is None or other[0] == own[0]:
                continue
            if other[1] > own[1]:
                problems.append(f"{relative}:{number}: \"{target}\": {own[0]} (layer {own[1]}) includes the higher {other[0]} (layer {other[1]})")
            elif other[1] == own[1]:
                problems.append(f"{relative}:{number}: \"{target}\": {own[0]} includes {other[0]} on its own layer {own[1]}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) against the layering (tests/layering/check_includes.py)")
        return 1
    print("layering: every include runs downward")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))

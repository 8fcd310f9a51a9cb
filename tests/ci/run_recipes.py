#!/usr/bin/env python3
"""Runs the CI recipes of docs/ci.md, so the document cannot drift from what works.

Usage: run_recipes.py DOCS_CI_MD FOTACHECK SOURCE_DIR WORK_DIR [CASE_ID ...]

Reads the GitHub Actions, GitLab CI and Jenkins code blocks out of the document and runs each
recipe's shell commands for every entry of its device matrix, in WORK_DIR/<ci>, a folder that
looks like a checkout: adapters/ and fixtures/ of SOURCE_DIR, and build/runner/fotacheck, a
wrapper around FOTACHECK that adds `--case ID` for each CASE_ID to a run (so the test is quick;
`report`, `validate` and the other subcommands pass through). GITHUB_STEP_SUMMARY is a scratch
file. Not run: the build step (`scripts/setup && scripts/build ...`) and the CI services' own
actions; the files those are given (JUnit paths, artifact folders) must exist after the run.
The shard recipes (one device's catalogue split over jobs, then `fotacheck report --merge`) run
their shard jobs, then the merge job, in one folder. Then the document's plain `sh` blocks run in the GitHub folder with that fotacheck on PATH (the
comparison of the devices).
Prints every problem and exits 1 when there is one."""
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import yaml

BUILD_STEP = re.compile(r"^\s*scripts/setup\b")
problems = []


def problem(text):
    problems.append(text)
    print("PROBLEM: " + text, flush=True)


def code_blocks(markdown):
    """(info string, text) of every fenced block."""
    return re.findall(r"^```([^\n]*)\n(.*?)^```", markdown, flags=re.M | re.S)


def block_starting_with(blocks, first_line):
    found = [text for _, text in blocks if text.splitlines() and text.splitlines()[0].strip() == first_line]
    if len(found) != 1:
        problem(f"docs/ci.md: expected one code block starting with '{first_line}', found {len(found)}")
        return None
    return found[0]


def make_checkout(work, source, fotacheck, cases):
    if work.exists():
        shutil.rmtree(work)
    (work / "build" / "runner").mkdir(parents=True)
    for folder in ("adapters", "fixtures"):
        (work / folder).symlink_to(source / folder)
    selection = " ".join(f"--case {c}" for c in cases)
    wrapper = work / "build" / "runner" / "fotacheck"
    wrapper.write_text(f"""#!/bin/sh
# The tested build's fotacheck, with a short case selection for a run (tests/ci/run_recipes.py).
case "$1" in
  report|validate|bundle|verify|--list|--help|--version) exec {fotacheck} "$@" ;;
esac
exec {fotacheck} "$@" {selection}
""")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def run_shell(script, work, env, what):
    print(f"--- {what}\n{script.rstrip()}", flush=True)
    done = subprocess.run(["bash", "-e", "-c", script], cwd=work, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)
    print(done.stdout[-4000:], flush=True)
    if done.returncode != 0:
        problem(f"{what}: exit status {done.returncode}")
    return done.returncode == 0


def expect_file(work, relative, what):
    path = work / relative.rstrip("/")
    if relative.endswith("/**") or relative.endswith("/"):
        path = work / relative.removesuffix("/**").rstrip("/")
        if not path.is_dir() or not any(path.iterdir()):
            problem(f"{what}: the folder {relative} is missing or empty")
    elif not path.is_file() or path.stat().st_size == 0:
        problem(f"{what}: {relative} is missing or empty")


def github(recipe, base_env, work):
    """Jobs in the order written (a `needs:` job after the jobs it needs), each matrix entry of a
    job's one matrix variable in turn; a job without a matrix once. actions/download-artifact is
    not run: the recipes download into the folder the artifacts were uploaded from."""
    doc = yaml.safe_load(recipe)
    for job_name, job in doc["jobs"].items():
        matrix = {k: v for k, v in job.get("strategy", {}).get("matrix", {}).items()}
        (variable, values), = matrix.items() if matrix else [(None, [None])]
        for value in values:
            fill = lambda text: text if variable is None else text.replace("${{ matrix.%s }}" % variable, str(value))
            label = f"{job_name}" + ("" if variable is None else f" [{value}]")
            summary = work / f"step-summary-{job_name}-{value}.md"
            summary.write_text("")
            env = dict(base_env, GITHUB_STEP_SUMMARY=str(summary))
            for step in job["steps"]:
                what = f"GitHub {label} step '{step.get('name', step.get('uses'))}'"
                if "run" in step and not BUILD_STEP.match(step["run"]):
                    run_shell(fill(step["run"]), work, env, what)
                if step.get("uses", "").startswith("actions/download-artifact"):
                    continue
                for key in ("path", "report_paths"):
                    if key in step.get("with", {}):
                        expect_file(work, fill(step["with"][key]) + ("" if key == "report_paths" else "/"), what)
            uses_summary = any("GITHUB_STEP_SUMMARY" in step.get("run", "") for step in job["steps"])
            if uses_summary and not summary.read_text().startswith("## fotacheck:"):
                problem(f"GitHub {label}: $GITHUB_STEP_SUMMARY did not get summary.md: {summary.read_text()[:200]!r}")


def gitlab(recipe, base_env, work):
    doc = yaml.safe_load(recipe)
    for job_name, job in doc.items():
        if not isinstance(job, dict) or "script" not in job:
            continue  # stages: and other keys that are no job
        entries = job["parallel"]["matrix"] if "parallel" in job else [{"": [""]}]
        for entry in entries:
            (variable, values), = entry.items()
            for value in values:
                value = str(value)
                env = dict(base_env, **{variable: value}) if variable else dict(base_env)
                fill = lambda text: text.replace("$" + variable, value) if variable else text
                lines = [line for line in job["script"] if not BUILD_STEP.match(line)]
                run_shell("\n".join(lines), work, env, f"GitLab {job_name} [{variable}={value}] script")
                if "reports" in job["artifacts"]:
                    expect_file(work, fill(job["artifacts"]["reports"]["junit"]), f"GitLab [{value}] artifacts:reports:junit")
                for path in job["artifacts"]["paths"]:
                    expect_file(work, fill(path), f"GitLab [{value}] artifacts:paths")


def jenkins(recipe, base_env, work):
    axis = re.search(r"axis\s*\{\s*name\s+'(\w+)'\s+values\s+([^\n]+)", recipe)
    if not axis:
        return problem("Jenkinsfile: no matrix axis with a name and values")
    variable, values = axis.group(1), re.findall(r"'([^']+)'", axis.group(2))
    scripts = re.findall(r"\bsh\s+'''(.*?)'''|\bsh\s+'([^'\n]*)'", recipe, flags=re.S)
    scripts = [a or b for a, b in scripts]
    published = re.findall(r'\bjunit\s+"([^"]+)"', recipe) + re.findall(r'archiveArtifacts\s+artifacts:\s+"([^"]+)"', recipe)
    if not published:
        problem("Jenkinsfile: no junit step")
    for value in values:
        env = dict(base_env, **{variable: value})
        for script in scripts:
            if not BUILD_STEP.match(script.strip()):
                run_shell(script, work, env, f"Jenkins [{variable}={value}] sh")
        for path in published:
            expect_file(work, path.replace("${" + variable + "}", value), f"Jenkins [{value}] junit/archiveArtifacts")


def main():
    doc_path, fotacheck, source, work_root = (Path(a).resolve() for a in sys.argv[1:5])
    cases = sys.argv[5:]
    blocks = code_blocks(doc_path.read_text())
    base_env = dict(os.environ, CI="true")
    base_env.pop("GITHUB_STEP_SUMMARY", None)
    for name, first_line, runner in (("github", "# .github/workflows/fotacheck.yml", github),
                                     ("github-shards", "# .github/workflows/fotacheck-shards.yml", github),
                                     ("gitlab", "# .gitlab-ci.yml", gitlab),
                                     ("gitlab-shards", "# .gitlab-ci.yml: one device's catalogue in shards", gitlab),
                                     ("jenkins", "// Jenkinsfile", jenkins)):
        recipe = block_starting_with(blocks, first_line)
        if recipe is None:
            continue
        work = work_root / name
        make_checkout(work, source, fotacheck, cases)
        try:
            runner(recipe, base_env, work)
        except (KeyError, TypeError, ValueError, yaml.YAMLError) as e:
            problem(f"{name} recipe: unexpected shape ({type(e).__name__}: {e})")
        if name == "github":
            for info, text in blocks:
                if info.strip() == "sh":
                    # These run wherever fotacheck is on PATH (the recipes put build/runner there).
                    path = f"{work / 'build' / 'runner'}:{base_env.get('PATH', '')}"
                    run_shell(text, work, dict(base_env, PATH=path), "docs/ci.md sh block")
                    expect_file(work, "fotacheck-comparison/comparison.md", "the comparison block")
    if problems:
        print(f"{len(problems)} problem(s) with the recipes of {doc_path}")
        return 1
    print(f"every recipe of {doc_path} ran and wrote what it publishes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

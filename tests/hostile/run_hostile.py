#!/usr/bin/env python3
"""One test of the hostile-device suite (issue 14): runs the real fotacheck against the scripted
fake device with one behaviour and checks what the run must end with.

  run_hostile.py --fotacheck BIN --device BIN --work DIR SCENARIO [ROW]

Scenarios:
  malformed ROW     the fake device answers Read /5/0[/3|/5] with row ROW of malformed_payloads.txt
  all-5-00          it answers 5.00 to everything after registering
  silent            it registers and never answers again
  should-deregistered  a SHOULD case's Read of /5/0 makes it deregister and go silent
  never-starts      the profile names a command that does not exist
  oversized-register  its Register is one ~1400-byte datagram without Block1
  sigterm, sigint   the runner gets the signal while a case waits on a silent device
  frozen            it stops itself (SIGSTOP) once registered
  keeps-user-files  --reports names a folder that already holds the user's device/ folder
  provenance        a well-behaved device named by its command word on PATH: the reports
                    record the resolved binary and its SHA-256

Every check that fails is printed, with the run's log, and the exit status is 1.
"""
import argparse
import hashlib
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

HERE = pathlib.Path(__file__).resolve().parent
BASE_PROFILE = HERE / "fake-device.yaml"
TABLE = HERE / "malformed_payloads.txt"

# Quick MUST cases that apply to the fake device's profile (CoAP pull, no push), among them a
# pull case; each starts by reading State and Update Result in its SetUp.
MALFORMED_CASES = ["FU-OBJ-751", "FU-OBJ-001", "FU-PULL-COAP-756"]
UNRESPONSIVE_CASES = ["FU-OBJ-751", "FU-OBJ-001", "FU-OBJ-002", "FU-SM-772", "FU-PULL-COAP-756",
                      "FU-PULL-RULE-01", "FU-PULL-COAP-771", "FU-PULL-URI-01"]
# An unresponsive device must end the run after a bounded number of consecutive inconclusive
# cases; at most this many of the selected cases may have waited on it.
MAX_CASES_THAT_WAIT = 5
SHOULD_CASE = "FU-CAP-001"   # SHOULD; its body reads /5/0
EXIT_CONFIG_OR_ENVIRONMENT = 2
EXIT_NOT_ALL_PASSED = {1, 3}  # 1: a MUST case failed; 3: MUST cases left unjudged


def table_row(name):
    for line in TABLE.read_text().splitlines():
        fields = line.split(None, 3)
        if not fields or line.startswith("#"):
            continue
        if fields[0] == name:
            if len(fields) < 4:
                sys.exit(f"{TABLE}: row '{name}' needs 4 columns (name, content-format, hex, expects)")
            row_name, content_format, hex_bytes, expects = fields
            return {"format": int(content_format), "hex": "" if hex_bytes == "-" else hex_bytes,
                    "expects": None if expects.strip() == "-" else expects.strip()}
    sys.exit(f"{TABLE}: no row named '{name}'")


class Run:
    """One fotacheck run and the checks on what it left."""

    def __init__(self, args, scenario):
        self.args = args
        self.work = pathlib.Path(args.work) / scenario
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.reports = self.work / "reports"
        self.record = self.work / "device-requests.txt"
        self.problems = []
        self.status = None
        self.log = ""

    def check(self, ok, text):
        if not ok:
            self.problems.append(text)
        return ok

    def start(self, device_args, cases, command=None, extra_yaml=""):
        command_line = self.command_line(self.write_profile(device_args, command, extra_yaml), cases)
        done = subprocess.run(command_line, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              errors="replace", timeout=self.args.timeout)
        self.status = done.returncode
        self.log = done.stdout
        (self.work / "fotacheck.log").write_text(self.log)
        self.check(self.status >= 0 and self.status not in (128 + signal.SIGSEGV, 128 + signal.SIGABRT),
                   f"fotacheck crashed: exit status {self.status}"
                   + (f" (signal {signal.Signals(-self.status).name})" if self.status < 0 else ""))

    def write_profile(self, device_args, command=None, extra_yaml=""):
        profile = self.work / "profile.yaml"
        args = ["--server", "{server_uri}", "--endpoint", "{endpoint}", "--record", str(self.record)] + device_args
        profile.write_text(
            f"include: {json.dumps(str(BASE_PROFILE))}\n"
            "adapter:\n  process:\n"
            f"    command: {json.dumps(command or str(pathlib.Path(self.args.device).resolve()))}\n"
            f"    args: {json.dumps(args)}\n" + extra_yaml)
        return profile

    def command_line(self, profile, cases):
        line = [self.args.fotacheck, "--profile", str(profile), "--reports", str(self.reports)]
        for case in cases:
            line += ["--case", case]
        print("$", " ".join(line), flush=True)
        return line

    def results(self):
        path = self.reports / "results.json"
        if not self.check(path.is_file(), f"no results.json in {self.reports}"):
            return None
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError as e:
            self.check(False, f"results.json is not JSON: {e}")
            return None

    def junit(self):
        path = self.reports / "junit.xml"
        if not self.check(path.is_file(), f"no junit.xml in {self.reports}"):
            return None
        try:
            return ET.parse(path).getroot()
        except ET.ParseError as e:
            self.check(False, f"junit.xml does not parse: {e}")
            return None

    def cases_by_id(self, results, selected):
        """Every selected case, as results.json has it; a missing one is a problem."""
        found = {c.get("id"): c for c in (results or {}).get("cases", [])}
        for case in selected:
            self.check(case in found, f"{case} vanished: results.json has {sorted(found)}")
        return found

    def junit_cases(self, root, selected):
        """JUnit testcase elements by case id ("FU-OBJ-751 ReadInstanceInIdle" -> FU-OBJ-751)."""
        found = {}
        for tc in (root.iter("testcase") if root is not None else []):
            found[tc.get("name", "").split(" ")[0]] = tc
        if root is not None:
            for case in selected:
                self.check(case in found, f"{case} is not a testcase in junit.xml (it has {sorted(found)})")
        return found

    def check_reports_name(self, texts, what, reports=("summary.md", "report.html")):
        for report in reports:
            path = self.reports / report
            if not self.check(path.is_file(), f"no {report} in {self.reports}"):
                continue
            content = path.read_text(errors="replace")
            for text in texts:
                self.check(text in content, f"{report} does not name {text} ({what})")

    def requests_seen(self, line):
        """How many distinct requests the fake device received that start with `line`."""
        if not self.record.is_file():
            return 0
        return sum(1 for r in self.record.read_text().splitlines() if r == line)

    def finish(self):
        if not self.problems:
            print(f"ok: exit status {self.status}")
            return 0
        print("---- fotacheck output ----")
        print(self.log[-6000:])
        print("---- problems ----")
        for p in self.problems:
            print("FAIL:", p)
        return 1


def sent_requests(case):
    return [t for t in case.get("trace", [])
            if t.get("direction") == "sent" and t.get("message", {}).get("type") == "CON"]


def case_text(case):
    return " ".join([case.get("reason", "")] +
                    [f.get("headline", "") + " " + f.get("detail", "") for f in case.get("findings", [])])


def judged(run, cases, verdicts, needed=()):
    """Each of `cases` is in results.json with a verdict among `verdicts` and a text naming each
    of `needed`, and the run is complete."""
    run.check(run.status in EXIT_NOT_ALL_PASSED, f"exit status {run.status}, expected one of {sorted(EXIT_NOT_ALL_PASSED)}")
    results = run.results()
    found = run.cases_by_id(results, cases)
    for case_id in cases:
        case = found.get(case_id)
        if not case:
            continue
        text = case_text(case)
        run.check(case.get("verdict") in verdicts,
                  f"{case_id}: verdict {case.get('verdict')!r}, expected {' or '.join(verdicts)} ({text!r})")
        for word in needed:
            run.check(word in text, f"{case_id}: the text does not name {word!r}: {text!r}")
    if results is not None:
        run.check(results.get("complete") is True, "results.json says the run is not complete")


def malformed(run, row_name):
    row = table_row(row_name)
    run.start(["--answer-read-5", row["hex"], "--format", str(row["format"])], MALFORMED_CASES)
    judged(run, MALFORMED_CASES, ("fail", "error"),
           ["/5/0/3", str(row["format"])] + ([row["expects"]] if row["expects"] else []))
    tcs = run.junit_cases(run.junit(), MALFORMED_CASES)
    for case_id, tc in tcs.items():
        if case_id in MALFORMED_CASES:
            run.check(tc.find("failure") is not None or tc.find("error") is not None,
                      f"{case_id}: the JUnit testcase has neither <failure> nor <error>")
    run.check_reports_name(MALFORMED_CASES, "every selected case")


def malformed_send(run):
    """A Send (POST /dp) whose SenML CBOR is cut short: a finding naming it, never a crash."""
    run.start(["--send", "9fa1", "--send-format", "112"], ["FU-OBJ-751"])
    judged(run, ["FU-OBJ-751"], ("fail",), ("Send (POST /dp)", "112", "at byte"))


def never_wakes(run):
    """A device in queue mode (b=UQ) that never sends an Update: its cases are inconclusive with
    that diagnosis, never failed on the requests that waited for it."""
    cases = ["FU-OBJ-751", "FU-OBJ-001"]
    run.start(["--queue-mode", "--lifetime", "4"], cases, extra_yaml="timing:\n  queue_window: 1ms\n")
    judged(run, cases, ("inconclusive",), ("queue mode", "did not wake"))


def unresponsive(run, device_args):
    pid_file = run.work / "device.pid"
    try:
        run.start(device_args + ["--pid-file", str(pid_file)], UNRESPONSIVE_CASES)
    finally:
        # A frozen device ignores everything but SIGKILL; the test's own cleanup, not the runner's.
        if pid_file.is_file() and pid_file.read_text().strip().isdigit():
            pid = int(pid_file.read_text())
            if running(pid):
                os.kill(pid, signal.SIGKILL)
    run.check(run.status in EXIT_NOT_ALL_PASSED,
              f"exit status {run.status}: every MUST case was left unjudged, expected one of "
              f"{sorted(EXIT_NOT_ALL_PASSED)}, never 0")
    cases = run.cases_by_id(run.results(), UNRESPONSIVE_CASES)
    for case_id, case in cases.items():
        run.check(case.get("verdict") != "pass", f"{case_id}: pass against a device that answers nothing useful")
    # A case that sent the device a request waited on it (the server's trace, not the device's
    # log: libcoap holds a request back while an earlier one to a silent peer is outstanding).
    waited = sum(1 for c in cases.values() if c.get("id") in UNRESPONSIVE_CASES and sent_requests(c))
    run.check(0 < waited <= MAX_CASES_THAT_WAIT,
              f"{waited} of {len(UNRESPONSIVE_CASES)} cases waited on the unresponsive device; the run must "
              f"stop after a bounded number (at most {MAX_CASES_THAT_WAIT}) with one diagnosis")
    # The cases after those that waited (results.json lists them in the order they ran) all
    # carry the same diagnosis.
    untried = [c for c in cases if c in UNRESPONSIVE_CASES][waited:]
    reasons = {cases[c].get("reason", "") for c in untried}
    run.check(not untried or (len(reasons) == 1 and "" not in reasons),
              f"the cases after the stop should carry one diagnosis, they carry {sorted(reasons)}")
    run.junit_cases(run.junit(), UNRESPONSIVE_CASES)


def should_deregistered(run):
    run.start(["--deregister-on-instance-read"], [SHOULD_CASE])
    case = run.cases_by_id(run.results(), [SHOULD_CASE]).get(SHOULD_CASE)
    if case:
        run.check(run.requests_seen("GET /5/0") >= 1, "the case never read /5/0, so the device never deregistered")
        run.check(case.get("verdict") not in ("non-strict", "pass"),
                  f"{SHOULD_CASE}: verdict {case.get('verdict')!r} for a device that deregistered mid-case; "
                  f"a device that left is not judged (expected inconclusive or error): {case_text(case)!r}")


def never_starts(run):
    missing = "fotacheck-no-such-device"
    run.start([], ["FU-OBJ-751"], command=missing)
    run.check(run.status == EXIT_CONFIG_OR_ENVIRONMENT, f"exit status {run.status}, expected 2")
    root = run.junit()
    if root is None:
        return
    errors = [e for tc in root.iter("testcase") for e in tc.findall("error")]
    run.check(errors, "junit.xml has no <error> testcase for the device that never started: "
              + ET.tostring(root, encoding="unicode")[:400])
    text = " ".join((e.get("message") or "") + " " + (e.text or "") for e in errors)
    run.check(not errors or missing in text, f"the <error> does not name the command {missing}: {text!r}")
    run.check_reports_name([missing], "the diagnosis", ("results.json", "summary.md", "report.html"))


def oversized_register(run):
    run.start(["--register-size", "1400"], ["FU-OBJ-751"])
    run.check(run.status == EXIT_CONFIG_OR_ENVIRONMENT, f"exit status {run.status}, expected 2 (never registered)")
    wrong = "received no registration request at all"
    run.check(wrong not in run.log,
              f"the diagnosis says '{wrong}', but the device sent a Register (one datagram too large for the "
              "server to take without Block1); it must say what arrived")


def running(pid):
    """Whether process `pid` still runs (a zombie waiting for its reaper does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def await_true(predicate, seconds):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def signalled(run, name):
    """SIGTERM or SIGINT while a case waits: the run stops, the device with it, the reports are written."""
    pid_file = run.work / "device.pid"
    profile = run.write_profile(["--silent-after-register", "--pid-file", str(pid_file), "--outlive-runner"])
    runner = subprocess.Popen(run.command_line(profile, UNRESPONSIVE_CASES[:3]), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace")
    device_pid = None
    try:
        if not run.check(await_true(lambda: pid_file.is_file() and pid_file.read_text().endswith("\n") or
                                    runner.poll() is not None, 60) and pid_file.is_file(),
                         "the fake device did not register (no pid file)"):
            return
        device_pid = int(pid_file.read_text())
        # The first case is under way once the device has been sent a request.
        await_true(lambda: run.requests_seen("GET /5/0/3") > 0, 30)
        runner.send_signal(getattr(signal, name))
        try:
            run.log, _ = runner.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            run.check(False, f"fotacheck did not stop within 60 s of {name}")
            runner.kill()
            run.log, _ = runner.communicate()
        run.status = runner.returncode
        run.check(run.status >= 0, f"fotacheck was killed by {name} instead of stopping the run (status {run.status})")
        for report in ["results.json", "junit.xml", "summary.md", "report.html"]:
            run.check((run.reports / report).is_file(), f"no {report} after {name}")
        run.check(await_true(lambda: not running(device_pid), 10),
                  f"the device (pid {device_pid}) still runs 10 s after fotacheck ended on {name}")
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
        if device_pid and running(device_pid):
            os.kill(device_pid, signal.SIGKILL)  # the test's own cleanup, not the runner's merit


def provenance(run):
    device = pathlib.Path(run.args.device).resolve()
    digest = hashlib.sha256(device.read_bytes()).hexdigest()
    os.environ["PATH"] = f"{device.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    run.start([], ["FU-OBJ-751"], command=device.name)
    # The control: the fake device is good enough to pass a case.
    case = run.cases_by_id(run.results(), ["FU-OBJ-751"]).get("FU-OBJ-751")
    run.check(run.status == 0 and case and case.get("verdict") == "pass",
              f"the well-behaved fake device did not pass FU-OBJ-751 (exit {run.status}, "
              f"verdict {case and case.get('verdict')!r}): the hostile scenarios prove nothing until it does")
    for report in ["results.json", "junit.xml", "summary.md", "report.html"]:
        path = run.reports / report
        text = path.read_text(errors="replace") if path.is_file() else ""
        run.check(str(device) in text, f"{report} does not record the resolved device binary {device}")
        run.check(digest in text, f"{report} does not record the device binary's SHA-256 {digest}")


def keeps_user_files(run):
    mine = run.reports / "device" / "firmware.bin"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"the user's own file")
    run.start([], ["FU-OBJ-751"])
    run.check(mine.is_file() and mine.read_bytes() == b"the user's own file",
              f"fotacheck deleted or changed {mine}, which it did not create")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fotacheck", required=True)
    parser.add_argument("--device", required=True, help="the built fotacheck-fake-device")
    parser.add_argument("--work", required=True, help="a folder for this test's profile and reports")
    parser.add_argument("--timeout", type=float, default=240, help="seconds one fotacheck run may take")
    parser.add_argument("scenario", choices=["malformed", "all-5-00", "silent", "should-deregistered", "never-starts",
                                                 "oversized-register", "sigterm", "sigint", "frozen", "provenance",
                                                 "keeps-user-files", "malformed-send", "never-wakes"])
    parser.add_argument("row", nargs="?", help="malformed: the row of malformed_payloads.txt")
    args = parser.parse_args()
    run = Run(args, args.scenario + ("-" + args.row if args.row else ""))
    try:
        if args.scenario == "malformed":
            if not args.row:
                parser.error("malformed needs a row name")
            malformed(run, args.row)
        elif args.scenario == "all-5-00":
            unresponsive(run, ["--all-5-00"])
        elif args.scenario == "silent":
            unresponsive(run, ["--silent-after-register"])
        elif args.scenario == "should-deregistered":
            should_deregistered(run)
        elif args.scenario == "frozen":
            unresponsive(run, ["--freeze-after-register"])
        elif args.scenario == "keeps-user-files":
            keeps_user_files(run)
        elif args.scenario == "provenance":
            provenance(run)
        elif args.scenario in ("sigterm", "sigint"):
            signalled(run, args.scenario.upper())
        elif args.scenario == "never-wakes":
            never_wakes(run)
        elif args.scenario == "malformed-send":
            malformed_send(run)
        elif args.scenario == "oversized-register":
            oversized_register(run)
        else:
            never_starts(run)
    except subprocess.TimeoutExpired:
        run.check(False, f"fotacheck did not end within {args.timeout} s")
    return run.finish()


if __name__ == "__main__":
    sys.exit(main())

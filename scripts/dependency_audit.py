"""The dependency audit behind scripts/audit.sh: pip-audit over the pinned set, with waivers.

    .venv/bin/python scripts/dependency_audit.py

What is audited: every pin of constraints.txt — the complete pinned set that every install uses
(`pip install -c constraints.txt`), runtime and dev — exactly as pinned (pip-audit -r with --no-deps
and --disable-pip: nothing is resolved or installed). First, the packages installed in .venv must all
be pinned there at those versions, so the pinned set is what runs.

Verdict, one line at the end, and the exit status:
  0  every pin audited; no known vulnerability with a fix (those without a fix are listed)
  1  a known vulnerability with a fix available (upgrade the pin, or waive it with a reason), a
     waiver without a reason, or .venv holds a package constraints.txt does not pin
  2  pip-audit could not run (its message is shown)
  3  the vulnerability service did not answer for some pins: they were not audited

Waivers: .pip-audit-waivers, one a line, `ID  reason` (a PYSEC-, GHSA- or CVE- id, matched also
against a vulnerability's aliases, as pip-audit's --ignore-vuln does); `#` starts a comment. A waiver
needs a reason; one that no longer matches anything is reported so it can be removed.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
WAIVERS = ROOT / ".pip-audit-waivers"
UNREACHABLE = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|NameResolution|Max retries|timed out|ServiceError"
)


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text):
    """{canonical name: version} of the `name==version` lines."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonical(name.split("[")[0].strip())] = version.strip()
    return pins


def read_waivers(text):
    """({id: reason}, [problems])."""
    waivers, problems = {}, []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        vuln_id, _, reason = line.partition(" ")
        if not re.fullmatch(r"(PYSEC|GHSA|CVE|OSV)-[A-Za-z0-9-]+", vuln_id):
            problems.append(f"line {number}: {vuln_id!r} is not a PYSEC-, GHSA- or CVE- id")
        elif not reason.strip():
            problems.append(f"line {number}: the waiver of {vuln_id} gives no reason")
        else:
            waivers[vuln_id] = reason.strip()
    return waivers, problems


def unpinned(installed, pins):
    """Installed packages that constraints.txt does not pin, or pins at another version."""
    return sorted(
        f"{name}=={version}" + (f" (pinned {pins[name]})" if name in pins else " (not pinned)")
        for name, version in installed.items()
        if pins.get(name) != version
    )


def verdict(report, waivers):
    """(exit status, lines) for pip-audit's JSON report under the waivers."""
    lines, fixable, no_fix, waived, skipped = [], [], [], set(), []
    dependencies = report.get("dependencies", [])
    for dep in dependencies:
        if "skip_reason" in dep:
            skipped.append(f"{dep['name']}: {dep['skip_reason']}")
            continue
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            label = f"{dep['name']} {dep['version']}: {vuln['id']}"
            matched = ids & waivers.keys()
            if matched:
                waived.update(matched)
                lines.append(f"waived   {label} ({waivers[sorted(matched)[0]]})")
            elif vuln.get("fix_versions"):
                fixable.append(f"{label}, fixed in {', '.join(vuln['fix_versions'])}")
            else:
                no_fix.append(f"{label} (no fix released yet)")
    lines += [f"VULNERABLE {line}" for line in fixable]
    lines += [f"no fix   {line}" for line in no_fix]
    lines += [
        f"unused waiver {vuln_id}: nothing found matches it any more; remove it"
        for vuln_id in sorted(waivers.keys() - waived)
    ]
    audited = len(dependencies) - len(skipped)
    if fixable:
        lines.append(
            f"dependency audit: FAILED: {len(fixable)} known vulnerabilit{'y' if len(fixable) == 1 else 'ies'} with a fix "
            "in the pinned set: upgrade the pin in pyproject.toml/constraints.txt, or waive it in .pip-audit-waivers with a reason"
        )
        return 1, lines
    if skipped:
        lines += [f"not audited {line}" for line in skipped[:5]]
        if len(skipped) > 5:
            lines.append(f"not audited ... and {len(skipped) - 5} more")
        if audited:
            lines.append(
                f"dependency audit: NOT DONE for {len(skipped)} of {len(dependencies)} pins: the vulnerability service "
                f"had no answer for them (none of the {audited} others has a known vulnerability with a fix)"
            )
        else:
            lines.append(
                f"dependency audit: NOT DONE: the vulnerability service had no answer for any of the "
                f"{len(dependencies)} pins (pip-audit: {skipped[0].split(': ', 1)[1]})"
            )
        return 3, lines
    lines.append(
        f"dependency audit: OK: {audited} pins audited, no known vulnerability with a fix "
        f"({len(waived)} waived, {len(no_fix)} without a fix yet)"
    )
    return 0, lines


def installed_packages(python):
    out = subprocess.run(
        [python, "-m", "pip", "freeze", "--exclude-editable", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {n: v for n, v in read_pins(out).items() if n not in ("pip", "setuptools", "wheel", "jisp-portal")}


def main():
    venv = ROOT / ".venv" / "bin"
    pip_audit = venv / "pip-audit"
    if not pip_audit.exists():
        print("dependency audit: pip-audit is not installed: run scripts/setup.sh --dev", file=sys.stderr)
        return 2
    pins = read_pins(CONSTRAINTS.read_text())
    waivers, problems = read_waivers(WAIVERS.read_text() if WAIVERS.exists() else "")
    if problems:
        for problem in problems:
            print(f".pip-audit-waivers {problem}", file=sys.stderr)
        print("dependency audit: FAILED: fix .pip-audit-waivers (each line: ID  reason)")
        return 1
    stray = unpinned(installed_packages(str(venv / "python")), pins)
    if stray:
        for line in stray:
            print(f"unpinned {line}", file=sys.stderr)
        print(
            "dependency audit: FAILED: .venv holds packages constraints.txt does not pin as installed: pin them "
            "there (or rm -rf .venv and run scripts/setup.sh --dev)"
        )
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "audit.json"
        run = subprocess.run(
            [
                str(pip_audit),
                "--requirement",
                str(CONSTRAINTS),
                "--no-deps",
                "--disable-pip",
                "--vulnerability-service",
                "pypi",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(output),
            ],
            capture_output=True,
            text=True,
        )
        if not output.exists() or not output.read_text().strip():
            message = " ".join((run.stderr or run.stdout).split())[-400:]
            print(f"dependency audit: pip-audit could not run (exit {run.returncode}): {message}")
            return 3 if UNREACHABLE.search(run.stderr or "") else 2
        report = json.loads(output.read_text())
    status, lines = verdict(report, waivers)
    for line in lines[:-1]:
        print(line, file=sys.stderr)
    print(lines[-1])
    return status


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Hostile-input benchmark: input size, wall time and peak memory of each command on the inputs
of issue 14, with time and memory as ratios to a baseline run on the same input in the same run
(`eval` for policies and requests; `generate` for ActionTrail event files, which `eval` does not
read). Not a test: it prints a Markdown table for docs/RELIABILITY.md.

    cargo build --release && python3 benches/hostile.py [--binary target/release/ram-policy]
                                                         [--only NAME] [--keep DIR]

Each command runs once, its output to a file (the output size is reported); peak memory is the
command's maximum resident set size (GNU time, `/usr/bin/time -f %M`). Inputs are generated under a temporary directory.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ACCOUNT = "1234567890123456"


def policy(statements):
    return json.dumps({"Version": "1", "Statement": statements}, separators=(",", ":"))


def one_line_findings(size):
    """A minified one-line policy where every statement has findings with fixes (`allow`)."""
    statements = []
    text = ""
    index = 0
    while len(text) < size:
        statements.append({
            "Effect": "allow",
            "Action": ["ecs:StartInstance", "ecs:startinstance", "ecs:DescribeInstancs"],
            "Resource": f"acs:ecs:cn-hangzhou:{ACCOUNT}:instance/i-{index}",
        })
        index += 1
        if index % 50 == 0:
            text = policy(statements)
    return policy(statements)


def one_line_fixes(size):
    """A valid minified one-line policy whose every statement has suggestion findings with fixes
    (duplicate actions): each fix diff used to print the whole line twice."""
    statements = []
    index = 0
    text = ""
    while len(text) < size:
        statements.append({
            "Effect": "Allow",
            "Action": ["ecs:StartInstance", "ecs:startinstance"],
            "Resource": [f"acs:ecs:cn-hangzhou:{ACCOUNT}:instance/i-{index}",
                         f"acs:ecs:cn-hangzhou:{ACCOUNT}:instance/i-{index}"],
        })
        index += 1
        if index % 50 == 0:
            text = policy(statements)
    return policy(statements)


def coverage(size):
    """Many statements with wildcard resources: the pairwise coverage checks."""
    statements = []
    index = 0
    text = ""
    while len(text) < size:
        statements.append({
            "Effect": "Allow" if index % 3 else "Deny",
            "Action": [f"ecs:Describe*", f"ecs:Start*"],
            "Resource": [f"acs:ecs:*:{ACCOUNT}:instance/i-{index}*{index % 7}*",
                         f"acs:ecs:cn-*:{ACCOUNT}:disk/d-{index}*"],
        })
        index += 1
        if index % 20 == 0:
            text = policy(statements)
    return policy(statements)


def request(params, action="ecs:StartInstance"):
    return json.dumps({"action": action, "account": ACCOUNT, "region": "cn-hangzhou",
                       "params": params})


def event(params, name="StartInstance", failed=True):
    record = {"eventName": name, "serviceName": "Ecs", "eventType": "ApiCall",
              "acsRegion": "cn-hangzhou", "recipientAccountId": ACCOUNT,
              "userIdentity": {"type": "ram-user", "userName": "alice"},
              "requestParameters": dict(params, RegionId="cn-hangzhou")}
    if failed:
        record["errorCode"] = "Forbidden.RAM"
    return json.dumps(record)


SMALL_POLICY = policy([{"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*"},
                       {"Effect": "Allow", "Action": "ecs:StartInstance",
                        "Resource": f"acs:ecs:cn-hangzhou:{ACCOUNT}:instance/i-b*"}])
SMALL_REQUEST = request({"InstanceId": "i-1"})


def cases():
    """(name, what, files {name: text}, [(label, args)]) — `{x}` in args is the file `x`."""
    out = []
    for kb in (65, 269, 700):
        text = one_line_findings(kb * 1000)
        out.append((f"lint-findings-{kb}k", f"one-line policy, {kb} KB, findings on one line",
                    {"p.json": text, "r.json": SMALL_REQUEST}, "p.json", [
                        ("eval", ["eval", "--policy", "{p.json}", "--request", "{r.json}"]),
                        ("lint json", ["lint", "{p.json}", "--format", "json"]),
                        ("lint text", ["lint", "{p.json}"]),
                        ("lint sarif", ["lint", "{p.json}", "--format", "sarif"]),
                    ]))
    for kb in (40, 100):
        text = one_line_fixes(kb * 1000)
        out.append((f"fix-diffs-{kb}k", f"minified policy, {kb} KB, a fix per finding",
                    {"p.json": text, "r.json": SMALL_REQUEST}, "p.json", [
                        ("eval", ["eval", "--policy", "{p.json}", "--request", "{r.json}"]),
                        ("lint json", ["lint", "{p.json}", "--format", "json", "--fail-on", "error"]),
                        ("lint text", ["lint", "{p.json}", "--fail-on", "error"]),
                    ]))
    for kb in (157, 493):
        text = coverage(kb * 1000)
        out.append((f"coverage-{kb}k", f"{kb} KB of statements with wildcard resources",
                    {"p.json": text, "r.json": SMALL_REQUEST}, "p.json", [
                        ("eval", ["eval", "--policy", "{p.json}", "--request", "{r.json}"]),
                        ("lint json", ["lint", "{p.json}", "--format", "json"]),
                        ("lint text", ["lint", "{p.json}"]),
                    ]))
    long_id = request({"InstanceId": "i-" + "a" * 100_000})
    out.append(("explain-long-arn", "request with a 100,000-character InstanceId",
                {"p.json": SMALL_POLICY, "r.json": long_id}, "r.json", [
                    ("eval", ["eval", "--policy", "{p.json}", "--request", "{r.json}"]),
                    ("explain text", ["explain", "--policy", "{p.json}", "--request", "{r.json}"]),
                    ("explain json", ["explain", "--policy", "{p.json}", "--request", "{r.json}",
                                      "--format", "json"]),
                ]))
    long_event = event({"InstanceId": "i-" + "a" * 100_000})
    out.append(("explain-long-event", "one failed ActionTrail event of 100 KB",
                {"p.json": SMALL_POLICY, "e.json": long_event}, "e.json", [
                    ("generate", ["generate", "--actiontrail", "{e.json}", "--include-failed"]),
                    ("explain text", ["explain", "--policy", "{p.json}", "--actiontrail", "{e.json}"]),
                    ("explain json", ["explain", "--policy", "{p.json}", "--actiontrail", "{e.json}",
                                      "--format", "json"]),
                ]))
    groups = {f"SecurityGroupIds.{n}": f"sg-{n}" for n in range(1, 400_001)}
    groups["ImageId"] = "m-1"
    big = request(groups, "ecs:RunInstances")
    out.append(("eval-15mb-request", "request of about 15 MB (400,000 security groups)",
                {"p.json": policy([{"Effect": "Allow", "Action": "ecs:*", "Resource": "*"}]),
                 "r.json": big}, "r.json", [
                    ("eval", ["eval", "--policy", "{p.json}", "--request", "{r.json}"]),
                    ("eval json", ["eval", "--policy", "{p.json}", "--request", "{r.json}",
                                   "--format", "json"]),
                    ("resolve json", ["resolve", "{r.json}", "--format", "json"]),
                    ("explain text", ["explain", "--policy", "{p.json}", "--request", "{r.json}"]),
                    ("explain json", ["explain", "--policy", "{p.json}", "--request", "{r.json}",
                                      "--format", "json"]),
                ]))
    line = event({"InstanceId": "i-1"}, "StopInstance")
    events = (line + "\n") * (40_000_000 // (len(line) + 1))
    out.append(("explain-40mb-events", "40 MB of failed ActionTrail events (JSON lines)",
                {"p.json": SMALL_POLICY, "e.jsonl": events}, "e.jsonl", [
                    ("generate", ["generate", "--actiontrail", "{e.jsonl}", "--include-failed"]),
                    ("explain text", ["explain", "--policy", "{p.json}", "--actiontrail", "{e.jsonl}"]),
                    ("explain json", ["explain", "--policy", "{p.json}", "--actiontrail", "{e.jsonl}",
                                      "--format", "json"]),
                ]))
    return out


def measure(binary, args, output):
    # GNU time reports the command's own peak RSS (wait4 on a child forked from this process
    # would count the generated inputs this process holds).
    report = output + ".time"
    started = time.monotonic()
    with open(output, "wb") as sink:
        code = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", report, binary] + args,
                               stdout=sink, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - started
    with open(report, encoding="utf-8") as handle:
        peak_kb = float(handle.read().strip().splitlines()[-1])
    os.remove(report)
    return wall, peak_kb / 1024.0, os.path.getsize(output), code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/ram-policy")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--keep", help="write the inputs here and keep them")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary}: not built (cargo build --release)")
    directory = options.keep or tempfile.mkdtemp(prefix="ram-policy-hostile-bench-")
    os.makedirs(directory, exist_ok=True)
    print("| case | input | command | exit | wall s | × baseline | peak MB | × baseline | output |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for name, what, files, main_input, commands in cases():
        if options.only and options.only not in name:
            continue
        paths = {}
        for file, text in files.items():
            path = os.path.join(directory, f"{name}-{file}")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            paths[file] = path
        size = os.path.getsize(paths[main_input])
        baseline = None
        for label, args in commands:
            argv = [paths[arg[1:-1]] if arg.startswith("{") else arg for arg in args]
            wall, peak, out, code = measure(binary, argv, os.path.join(directory, "out"))
            if baseline is None:
                baseline = (wall, peak)
            print(f"| {name} ({what}) | {size / 1e6:.2f} MB | `{label}` | {code} | {wall:.2f} | "
                  f"{wall / max(baseline[0], 1e-3):.1f} | {peak:.0f} | {peak / baseline[1]:.1f} | "
                  f"{out / 1e6:.2f} MB |", flush=True)
        for path in paths.values():
            if not options.keep:
                os.remove(path)
    if not options.keep:
        try:
            os.remove(os.path.join(directory, "out"))
            os.rmdir(directory)
        except OSError:
            pass


if __name__ == "__main__":
    main()

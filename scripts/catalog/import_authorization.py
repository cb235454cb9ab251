#!/usr/bin/env python3
"""Imports today's RAM authorization reference of a service (its Action table, Resource section
and Condition section) into the catalog's data folder, `src/catalog/authorization/<service>.json`.

Usage: scripts/catalog/import_authorization.py [REFERENCE_DIR [OUT_DIR]]

REFERENCE_DIR defaults to `../shared/reference/current` beside the repository, OUT_DIR to
`src/catalog/authorization` (tests/catalog_authorization.rs writes elsewhere and compares). Run
it again when a newer reference arrives and review the diff of the data file: the output is
deterministic (actions in the reference's order, which is sorted by name).

The reference is a Markdown page whose tables were flattened to one cell per paragraph. An
Action-table row is:
  ecs:Name                      the action
  [Api](/help/...)              the API operation it authorizes
  access level                  get | list | create | update | delete | none
  then, per resource type:      Type (a leading `\\*` marks a mandatory type) or `\\*All Resources`
                                followed by one or more `ARN` templates in backticks
  condition keys                `prefix:Key` lines, or None (DescribeInstances prints the bare
                                word `ResourceOwner` there; it is kept as printed)
  associated operations         None (the page lists none today; anything else stops the import)
The data keeps templates exactly as printed, with `{#variable}` placeholders: the Rust side
(src/catalog/authorization.rs) turns them into bound templates. A row whose only resource type is
`All Resources` is written with `"resources": []`: RAM checks `*` only.

Anything the parser does not recognise stops the import with the line number: a reference whose
layout changed must be looked at, not half-imported.
"""

import json
import os
import re
import sys

SERVICES = [
    # (service prefix in RAM, reference file)
    ("ecs", "ecs-ram-authorization.md"),
]
ACCESS_LEVELS = {"get", "list", "create", "update", "delete", "none"}
ACTION = re.compile(r"^([a-z]+):([A-Za-z0-9]+)$")
API_LINK = re.compile(r"^\[([A-Za-z0-9]+)\]\([^)]*\)$")
KEY = re.compile(r"^([a-z]+):([A-Za-z0-9]+)$")
TEMPLATE = re.compile(r"^`([^`]+)`$")
TYPE = re.compile(r"^(\\\*)?([A-Za-z][A-Za-z0-9 ]*)$")


def fail(path, line, message):
    raise SystemExit(f"error: {path}:{line}: {message}")


def paragraphs(lines, start, end):
    """Non-empty lines between two 0-based indexes, with their 1-based line numbers."""
    return [(number + 1, lines[number].strip()) for number in range(start, end)
            if lines[number].strip()]


def section(lines, path, heading):
    for index, line in enumerate(lines):
        if line.strip() == heading:
            for after in range(index + 1, len(lines)):
                if lines[after].startswith("## "):
                    return index + 1, after
            return index + 1, len(lines)
    fail(path, 0, f"no `{heading}` section")


def parse_actions(lines, path, service):
    start, end = section(lines, path, "## Action")
    cells = paragraphs(lines, start, end)
    # Skip the explanation and the header row: the table starts at the first action cell.
    position = next((i for i, (_, text) in enumerate(cells)
                     if ACTION.match(text) and i + 1 < len(cells)
                     and API_LINK.match(cells[i + 1][1])), None)
    if position is None:
        fail(path, start, "the Action table has no rows")
    rows = []
    while position < len(cells):
        rows.append(cells[position:next_row(cells, position + 1)])
        position = next_row(cells, position + 1)
    actions = []
    for row in rows:
        actions.append(parse_row(row, path, service))
    return actions


def next_row(cells, position):
    while position < len(cells):
        if (ACTION.match(cells[position][1]) and position + 1 < len(cells)
                and API_LINK.match(cells[position + 1][1])):
            return position
        position += 1
    return position


def parse_row(row, path, service):
    (line, text), (_, link) = row[0], row[1]
    prefix, name = ACTION.match(text).groups()
    if prefix != service:
        fail(path, line, f"`{text}` is not an action of `{service}`")
    api = API_LINK.match(link).group(1)
    if len(row) < 3 or row[2][1] not in ACCESS_LEVELS:
        fail(path, line, f"`{text}`: no access level")
    access = row[2][1]
    resources = []
    star_only = False
    index = 3
    while index < len(row) and not KEY.match(row[index][1]) and row[index][1] != "None":
        type_line, type_text = row[index]
        if [cell for _, cell in row[index:]] == [type_text, "None"] and resources:
            break  # a bare word in the condition-key column (DescribeInstances: ResourceOwner)
        match = TYPE.match(type_text)
        if not match:
            fail(path, type_line, f"`{text}`: expected a resource type, found `{type_text}`")
        templates = []
        index += 1
        while index < len(row) and TEMPLATE.match(row[index][1]):
            templates.append(TEMPLATE.match(row[index][1]).group(1))
            index += 1
        if not templates:
            fail(path, type_line, f"`{text}`: resource type `{type_text}` has no ARN")
        if match.group(2) == "All Resources":
            if templates != ["*"]:
                fail(path, type_line, f"`{text}`: `All Resources` with ARNs {templates}")
            star_only = True
            continue
        resources.append({"type": match.group(2), "required": bool(match.group(1)),
                          "arns": templates})
    if star_only and resources:
        fail(path, line, f"`{text}`: `All Resources` beside resource types")
    if not star_only and not resources:
        fail(path, line, f"`{text}`: no resource type")
    keys = []
    if index < len(row) and row[index][1] == "None":
        index += 1
    else:
        while index < len(row) and (KEY.match(row[index][1]) or index + 1 == len(row) - 1):
            if row[index][1] not in keys:  # the page repeats some keys within a row
                keys.append(row[index][1])
            index += 1
    rest = [cell for _, cell in row[index:]]
    if rest != ["None"]:
        fail(path, row[index][0] if index < len(row) else line,
             f"`{text}`: expected `None` for associated operations, found {rest}")
    action = {"name": name}
    if api != name:
        action["api"] = api
    action["line"] = line
    action["access"] = access
    action["resources"] = resources
    if keys:
        action["condition_keys"] = keys
    return action


def parse_resource_types(lines, path):
    start, end = section(lines, path, "## Resource")
    cells = paragraphs(lines, start, end)
    types = {}
    current = None
    header_seen = False
    for line, text in cells:
        if text == "ARN":
            header_seen = True
            continue
        if not header_seen:
            continue
        if text.startswith("-   "):
            if current is None:
                fail(path, line, "an ARN before any resource type")
            types[current].append(text[4:].replace("\\*", "*"))
        elif TYPE.match(text):
            current = text
            if current in types:
                fail(path, line, f"resource type `{current}` twice")
            types[current] = []
        else:
            fail(path, line, f"unexpected `{text}` in the Resource section")
    return types


def parse_condition_keys(lines, path):
    start, end = section(lines, path, "## Condition")
    cells = paragraphs(lines, start, end)
    header = next((i for i, (_, text) in enumerate(cells) if text == "Data type"), None)
    if header is None:
        fail(path, start, "the Condition section has no table")
    body = cells[header + 1:]
    if len(body) % 3:
        fail(path, start, "the Condition table is not made of (key, description, type) rows")
    keys = []
    for offset in range(0, len(body), 3):
        (line, key), _, (_, kind) = body[offset:offset + 3]
        if not KEY.match(key):
            fail(path, line, f"`{key}` is not a condition key")
        keys.append({"key": key, "type": kind.lower(), "line": line})
    return keys


def convert(service, path):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    actions = parse_actions(lines, path, service)
    return {
        "service": service,
        "source": {"file": os.path.basename(path), "lines": len(lines)},
        "actions": actions,
        "resource_types": parse_resource_types(lines, path),
        "condition_keys": parse_condition_keys(lines, path),
    }


def write(data, out):
    """One action, resource type or key per line: reviewable diffs, compact file."""
    compact = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    parts = ["{", f'  "service": {compact(data["service"])},',
             f'  "source": {compact(data["source"])},', '  "actions": [']
    parts += [f"    {compact(action)}," for action in data["actions"]]
    parts[-1] = parts[-1].rstrip(",")
    parts += ["  ],", '  "resource_types": {']
    parts += [f"    {compact(name)}: {compact(arns)},"
              for name, arns in data["resource_types"].items()]
    parts[-1] = parts[-1].rstrip(",")
    parts += ["  },", '  "condition_keys": [']
    parts += [f"    {compact(key)}," for key in data["condition_keys"]]
    parts[-1] = parts[-1].rstrip(",")
    parts += ["  ]", "}"]
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(parts) + "\n")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    reference = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "..", "shared", "reference", "current")
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        root, "src", "catalog", "authorization")
    os.makedirs(out_dir, exist_ok=True)
    for service, file in SERVICES:
        data = convert(service, os.path.join(reference, file))
        write(data, os.path.join(out_dir, f"{service}.json"))
        print(f"{service}: {len(data['actions'])} actions, "
              f"{len(data['resource_types'])} resource types, "
              f"{len(data['condition_keys'])} condition keys", file=sys.stderr)


if __name__ == "__main__":
    main()

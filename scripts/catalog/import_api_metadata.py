#!/usr/bin/env python3
"""Imports the API metadata of a service (every API and the shape of its request parameters)
into the catalog's data folder, `src/catalog/api/<service>.json`.

Usage: scripts/catalog/import_api_metadata.py [REFERENCE_DIR [OUT_DIR]]

REFERENCE_DIR defaults to `../shared/reference/current` beside the repository, OUT_DIR to
`src/catalog/api` (tests/catalog_api_metadata.rs writes elsewhere and compares). Run it again
when a newer metadata file arrives and review the diff of the data files: the output is
deterministic (APIs sorted by name, parameters in the source's order).

The data keeps only what the tool needs to read a request: each parameter's name and its
shape. A shape is written as
  "string" | "integer" | "boolean" | "number"      one value
  {"list": SHAPE}        a repeat list: Name.1, Name.2, ... (items may be objects)
  {"flat_list": SHAPE}   a list of the metadata's `flat` style (serialised like a repeat list)
  {"object": {MEMBER: SHAPE, ...}}   a structure: Name.Member (members in source order)
  {"json": SHAPE}        a value sent as one JSON-encoded string
"""

import json
import os
import sys

# (service prefix in RAM, metadata file, product version)
SERVICES = [
    ("ecs", "ecs-2014-05-26-api-docs.json", "2014-05-26"),
    ("vpc", "vpc-2016-04-28-api-docs.json", "2016-04-28"),
]
ORIGIN = ("dew-serverless/acs-sdk-php data/{product}/{version}/api-docs.php at commit "
          "4ca7815423d8b5dcdb507f531217ec90f9848373 (2025-12-03)")
SCALARS = {"string", "integer", "boolean", "number"}


def shape_of(schema, style, where):
    kind = schema.get("type")
    if kind in SCALARS:
        return kind
    if kind == "array":
        items = shape_of(schema.get("items") or {"type": "string"}, None, where + "[]")
        if style == "json":
            return {"json": {"list": items}}
        return {"flat_list": items} if style == "flat" else {"list": items}
    if kind == "object":
        members = [
            [name, shape_of(member, None, where + "." + name)]
            for name, member in (schema.get("properties") or {}).items()
        ]
        shaped = {"object": members}
        return {"json": shaped} if style == "json" else shaped
    raise SystemExit(f"error: {where}: unknown parameter type {kind!r}")


def convert(service, path, version):
    with open(path, encoding="utf-8") as handle:
        metadata = json.load(handle)
    product = metadata.get("info", {}).get("product", service).lower()
    apis = {}
    for name, api in metadata["apis"].items():
        params = []
        seen = set()
        for param in api.get("parameters", []):
            # Some APIs list RegionId twice in the source; the second adds nothing.
            if param["name"] in seen:
                continue
            seen.add(param["name"])
            params.append([param["name"],
                           shape_of(param.get("schema") or {}, param.get("style"),
                                    f"{name}.{param['name']}")])
        entry = {"params": params}
        if api.get("deprecated") is True:
            entry["deprecated"] = True
        apis[name] = entry
    return {
        "service": service,
        "version": version,
        "source": {
            "file": os.path.basename(path),
            "origin": ORIGIN.format(product=product, version=version),
        },
        "apis": dict(sorted(apis.items())),
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    reference = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "..", "shared", "reference", "current")
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "src", "catalog", "api")
    for service, file_name, version in SERVICES:
        data = convert(service, os.path.join(reference, "openapi", file_name), version)
        out = os.path.join(out_dir, f"{service}.json")
        with open(out, "w", encoding="utf-8") as handle:
            # One API per line: compact, yet a re-import shows as a readable diff.
            handle.write("{\n")
            head = {k: data[k] for k in ("service", "version", "source")}
            for key, value in head.items():
                handle.write(f"  {json.dumps(key)}: {json.dumps(value, separators=(',', ':'))},\n")
            handle.write('  "apis": {\n')
            names = list(data["apis"])
            for index, name in enumerate(names):
                comma = "," if index + 1 < len(names) else ""
                body = json.dumps(data["apis"][name], separators=(",", ":"))
                handle.write(f"    {json.dumps(name)}: {body}{comma}\n")
            handle.write("  }\n}\n")
        print(f"{out}: {len(names)} APIs")


if __name__ == "__main__":
    main()

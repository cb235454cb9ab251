// The editor's pure functions: request building from catalog bindings, action search, and the
// mapping of lint findings (issue 4's shape) onto CodeMirror diagnostics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Text } from "@codemirror/state";
import { parameterFields, encodeParameter, buildRequest, searchActions, splitValues } from "../www/src/request.js";
import { toDiagnostics, offsetOf } from "../www/src/lint.js";

const ACTION = {
  action: "ecs:Example",
  name: "Example",
  category: "Instances",
  description: "An example action",
  resources: [
    {
      template: "acs:ecs:$regionid:$accountid:securitygroup/$groupNo",
      bindings: {
        regionid: { from: "region", param: "DestinationRegionId" },
        accountid: { from: "account" },
        groupNo: {
          from: "param",
          params: [
            { name: "SecurityGroupId", arity: "single" },
            { name: "SecurityGroupIds.N", arity: "repeat" },
          ],
        },
      },
    },
    {
      template: "acs:ecs:$regionid:$accountid:$type/$id",
      bindings: {
        regionid: { from: "region" },
        type: { from: "resource_type", param: "ResourceType", values: { instance: "instance", disk: "disk" } },
        id: { from: "param", params: [{ name: "ResourceIds", arity: "json_array" }, { name: "DiskIds", arity: "comma_list" }] },
      },
    },
  ],
};

test("parameterFields lists every bound parameter once, in order", () => {
  assert.deepEqual(
    parameterFields(ACTION).map((field) => [field.name, field.arity]),
    [
      ["DestinationRegionId", "single"],
      ["RegionId", "single"],
      ["SecurityGroupId", "single"],
      ["SecurityGroupIds.N", "repeat"],
      ["ResourceType", "single"],
      ["ResourceIds", "json_array"],
      ["DiskIds", "comma_list"],
    ],
  );
  assert.deepEqual(parameterFields(ACTION)[4].choices, ["instance", "disk"]);
  assert.deepEqual(parameterFields({ resources: [{ template: "*" }] }), []);
});

test("encodeParameter follows the arity", () => {
  assert.deepEqual(encodeParameter({ name: "A", arity: "single" }, "  x  "), { A: "x" });
  assert.deepEqual(encodeParameter({ name: "A", arity: "single" }, " "), {});
  assert.deepEqual(encodeParameter({ name: "G.N", arity: "repeat" }, "sg-1, sg-2 sg-3"), { "G.1": "sg-1", "G.2": "sg-2", "G.3": "sg-3" });
  assert.deepEqual(encodeParameter({ name: "D.N.SnapshotId", arity: "repeat" }, "s-1,s-2"), { "D.1.SnapshotId": "s-1", "D.2.SnapshotId": "s-2" });
  assert.deepEqual(encodeParameter({ name: "I", arity: "json_array" }, "i-1 i-2"), { I: '["i-1","i-2"]' });
  assert.deepEqual(encodeParameter({ name: "I", arity: "json_array" }, '["i-1", "i-2"]'), { I: '["i-1","i-2"]' });
  assert.deepEqual(encodeParameter({ name: "M", arity: "comma_list" }, "m-1\nm-2"), { M: "m-1,m-2" });
  assert.deepEqual(splitValues("[not json"), ["[not", "json"]);
});

test("buildRequest leaves out empty values and groups repeated context keys", () => {
  const fields = parameterFields(ACTION);
  const request = buildRequest(
    {
      action: "ecs:Example",
      account: " 123 ",
      region: "",
      fields: { SecurityGroupIds: "ignored", "SecurityGroupIds.N": "sg-1,sg-2", ResourceType: "disk" },
      context: [
        { key: "acs:SourceIp", value: "203.0.113.7" },
        { key: "acs:SourceIp", value: "198.51.100.1" },
        { key: " ", value: "dropped" },
      ],
    },
    fields,
  );
  assert.deepEqual(request, {
    action: "ecs:Example",
    account: "123",
    params: { "SecurityGroupIds.1": "sg-1", "SecurityGroupIds.2": "sg-2", ResourceType: "disk" },
    context: { "acs:SourceIp": ["203.0.113.7", "198.51.100.1"] },
  });
});

test("searchActions matches every word in name, category or description", () => {
  const actions = [
    { action: "ecs:RunInstances", category: "Instances", description: "Creates instances" },
    { action: "ecs:AttachDisk", category: "Disks", description: "Attaches a disk" },
  ];
  assert.equal(searchActions(actions, "").length, 2);
  assert.deepEqual(searchActions(actions, "RUN").map((a) => a.action), ["ecs:RunInstances"]);
  assert.deepEqual(searchActions(actions, "disk attach").map((a) => a.action), ["ecs:AttachDisk"]);
  assert.deepEqual(searchActions(actions, "nothing"), []);
});

test("lint findings map to diagnostics at their 1-based spans, clamped into the document", () => {
  const doc = Text.of(['{', '  "Version": "2",', '  "Statement": []', '}']);
  assert.equal(offsetOf(doc, 2, 14), doc.line(2).from + 13);
  assert.equal(offsetOf(doc, 99, 99), doc.length);
  const diagnostics = toDiagnostics(doc, {
    findings: [
      { code: "INVALID_VERSION", severity: "error", message: "Version must be 1", path: "/Version", line: 2, column: 14, end_line: 2, end_column: 17 },
      { code: "X", severity: "suggestion", message: "m", path: "", line: 4, column: 2, end_line: 4, end_column: 2 },
    ],
  });
  assert.equal(doc.sliceString(diagnostics[0].from, diagnostics[0].to), '"2"');
  assert.equal(diagnostics[0].severity, "error");
  assert.equal(diagnostics[0].source, "INVALID_VERSION");
  assert.equal(diagnostics[1].severity, "info");
  assert.ok(diagnostics[1].to > diagnostics[1].from || diagnostics[1].from === doc.length);
  assert.deepEqual(toDiagnostics(doc, {}), []);
});

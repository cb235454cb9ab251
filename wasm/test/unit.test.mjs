// The editor's pure functions: request building from catalog bindings, action search, the
// mapping of lint findings onto CodeMirror diagnostics and quick fixes, and the JSON the page
// gives `evaluate`, `explain` and `generate`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Text } from "@codemirror/state";
import { parameterFields, requestForm, searchActions } from "../www/src/request.js";
import { toDiagnostics, offsetOf, fixChanges, sameFinding, summarize } from "../www/src/lint.js";
import { policiesJson, callOptions, statementLines, decidingStatements, generateOptions, newAccessStatements, diffCounts } from "../www/src/results.js";

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

// Parameters are encoded by arity in the library (`buildRequest`, src/facade/form.rs, whose
// tests check the encoding); the page only hands over the form.
test("requestForm hands every field with its arity and typed text to buildRequest", () => {
  const form = requestForm(
    {
      action: "ecs:Example",
      account: " 123 ",
      fields: { "SecurityGroupIds.N": "sg-1,sg-2", ResourceType: "disk" },
      context: [{ key: "acs:SourceIp", value: "203.0.113.7" }, { key: " " }],
    },
    parameterFields(ACTION),
  );
  assert.equal(form.account, " 123 ");
  assert.equal(form.region, "");
  assert.deepEqual(form.parameters[3], { name: "SecurityGroupIds.N", arity: "repeat", text: "sg-1,sg-2" });
  assert.deepEqual(form.parameters[0], { name: "DestinationRegionId", arity: "single", text: "" });
  assert.deepEqual(form.context, [{ key: "acs:SourceIp", value: "203.0.113.7" }, { key: " ", value: "" }]);
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

test("columns count code points: positions after astral characters and fixes map to UTF-16", () => {
  // "😀" is one character (column) but two UTF-16 units.
  const doc = Text.of(['{"Sid": "😀", "Action": "ecs:DescribeInstance"}']);
  const start = offsetOf(doc, 1, 24);
  const end = offsetOf(doc, 1, 46);
  assert.equal(doc.sliceString(start, end), '"ecs:DescribeInstance"');
  const fix = { title: "replace", edits: [{ line: 1, column: 24, end_line: 1, end_column: 46, replacement: '"ecs:DescribeInstances"' }] };
  const changes = fixChanges(doc, fix);
  const fixed = doc.replace(changes[0].from, changes[0].to, Text.of([changes[0].insert]));
  assert.equal(fixed.toString(), '{"Sid": "😀", "Action": "ecs:DescribeInstances"}');
  let fixedBy = null;
  const [diagnostic] = toDiagnostics(doc, { findings: [{ code: "INVALID_ACTION", severity: "error", message: "m", path: "/Action", line: 1, column: 24, end_line: 1, end_column: 46, fix }] }, (view, finding) => {
    fixedBy = finding;
  });
  assert.equal(diagnostic.actions.length, 1);
  assert.match(diagnostic.actions[0].name, /replace/);
  diagnostic.actions[0].apply(null);
  assert.equal(fixedBy.code, "INVALID_ACTION");
  // A column just past the end of a line (an end position) is the line's end.
  const two = Text.of(["ab", "cd"]);
  assert.equal(offsetOf(two, 1, 3), 2);
  assert.equal(offsetOf(two, 1, 9), 2);
});

test("sameFinding and summarize", () => {
  const finding = { code: "A", path: "/x", message: "m", severity: "error" };
  assert.equal(sameFinding({ findings: [{ ...finding, line: 9 }] }, finding).line, 9);
  assert.equal(sameFinding({ findings: [{ ...finding, path: "/y" }] }, finding), undefined);
  assert.equal(summarize([]), "no findings");
  assert.equal(
    summarize([finding, { severity: "warning" }, { severity: "warning" }, { severity: "security_warning" }]),
    "1 error, 1 security warning, 2 warnings",
  );
});

test("the JSON given to evaluate, explain and generate", () => {
  assert.deepEqual(JSON.parse(policiesJson("policy.json", "{}")), [{ name: "policy.json", text: "{}" }]);
  assert.deepEqual(JSON.parse(callOptions(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))), { current_time: "2026-01-02T03:04:05Z" });
  assert.deepEqual(JSON.parse(generateOptions({ kind: "actiontrail", generalize: "none", includeFailed: false })), { input: "actiontrail" });
  assert.deepEqual(JSON.parse(generateOptions({ kind: "requests", generalize: "ids", includeFailed: true })), {
    input: "requests",
    generalize: "ids",
    include_failed: true,
  });
  assert.deepEqual(JSON.parse(generateOptions({ kind: "auto", conditions: " acs:SourceIp, acs:SourceVpc ", maxSize: "2048" })), {
    input: "auto",
    conditions: ["acs:SourceIp", "acs:SourceVpc"],
    max_size: 2048,
  });
  // Not a whole number: passed on as typed, so the module's error names it.
  assert.equal(JSON.parse(generateOptions({ kind: "auto", maxSize: "12a" })).max_size, "12a");
});

test("the statements an explanation highlights", () => {
  const view = (statement, effect, lines, policy = "policy.json") => ({
    policy,
    statement,
    effect,
    line: lines[0],
    column: 5,
    source: lines.map((line) => ({ line, text: "" })),
  });
  assert.deepEqual(statementLines(view(0, "Deny", [5, 6, 7, 8, 9])), { from: 5, to: 9 });
  assert.deepEqual(statementLines({ line: 3 }), { from: 3, to: 3 });
  const explicit = {
    decision: "ExplicitDeny",
    resources: [
      { decision: "Allow", deciding: [view(0, "Allow", [3, 4])], closest: [] },
      { decision: "ExplicitDeny", deciding: [view(1, "Deny", [5, 6, 7])], closest: [] },
      { decision: "ExplicitDeny", deciding: [view(1, "Deny", [5, 6, 7]), view(2, "Deny", [8, 9], "other.json")], closest: [] },
    ],
  };
  // The Deny statements decide; the Allow statement of the allowed ARN is not highlighted.
  assert.deepEqual(decidingStatements(explicit, "policy.json"), [{ from: 5, to: 7, kind: "deny", statement: 1 }]);
  const implicit = {
    decision: "ImplicitDeny",
    resources: [
      { decision: "ImplicitDeny", deciding: [], closest: [view(0, "Allow", [4, 5]), view(3, "Allow", [20, 21])] },
      { decision: "Allow", deciding: [view(5, "Allow", [30, 31])], closest: [] },
    ],
  };
  assert.deepEqual(decidingStatements(implicit, "policy.json"), [{ from: 4, to: 5, kind: "closest", statement: 0 }]);
  const allowed = { decision: "Allow", resources: [{ decision: "Allow", deciding: [view(0, "Allow", [4, 5]), view(2, "Allow", [9, 9])], closest: [] }] };
  assert.deepEqual(decidingStatements(allowed, "policy.json").map((range) => [range.kind, range.statement]), [["allow", 0], ["allow", 2]]);
  assert.deepEqual(decidingStatements(null, "policy.json"), []);
});

test("a diff report: the statements granting new access, once each, and the headline's counts", () => {
  const place = (policy, statement, line, endLine) => ({ policy, statement, effect: "Allow", pointer: `/Statement/${statement}`, line, column: 5, end_line: endLine, end_column: 6 });
  const report = {
    new_access: [
      {
        action: "ecs:DeleteInstance",
        in_catalog: true,
        differences: [
          { certainty: "exact", template: "acs:ecs:$regionid:$accountid:instance/$instanceId", patterns: ["*"], statements: [place("policy.json", 2, 20, 25)], denied_by: [] },
          { certainty: "possible", template: "*", patterns: ["*"], statements: [place("policy.json", 2, 20, 25), place("other.json", 0, 3, 8)], denied_by: [], reason: "bounded" },
        ],
      },
      { action: "ecs:StopInstance", in_catalog: true, differences: [{ certainty: "exact", template: "*", patterns: ["*"], statements: [place("policy.json", 0, 3, 9)], denied_by: [] }] },
    ],
    removed_access: [{ action: "ecs:StartInstance", in_catalog: true, differences: [{ certainty: "exact", template: "*", patterns: ["*"], statements: [place("old.json", 1, 10, 14)], denied_by: [] }] }],
  };
  assert.deepEqual(newAccessStatements(report, "policy.json"), [
    { from: 3, to: 9, kind: "new-access", statement: 0 },
    { from: 20, to: 25, kind: "new-access", statement: 2 },
  ]);
  assert.deepEqual(newAccessStatements({ new_access: [], removed_access: [] }, "policy.json"), []);
  assert.deepEqual(diffCounts(report), { added: { actions: 2, exact: 2, possible: 1 }, removed: { actions: 1, exact: 1, possible: 0 } });
  assert.deepEqual(diffCounts(null), { added: { actions: 0, exact: 0, possible: 0 }, removed: { actions: 0, exact: 0, possible: 0 } });
});

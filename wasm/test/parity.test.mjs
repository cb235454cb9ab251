// The wasm exports and the CLI's `--format json` give the same JSON on the same inputs, for every
// export: catalog, resolve, lint, rules, evaluate (the main module's), and explain, generate and diff
// (the full module's, which the editor loads for its Generate and Compare panels).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { cliPath, runCli, tempFile, tempDir, loadWasm, loadFullWasm, ROOT, WASM_DIR } from "./helpers.mjs";
import { parameterFields } from "../www/src/request.js";

let wasm;
let full;
let bin;
let catalog;

before(async () => {
  wasm = await loadWasm();
  full = await loadFullWasm();
  bin = cliPath();
  catalog = JSON.parse(wasm.catalog());
  // The same edition in both modules (each keeps its own choice).
  assert.deepEqual(JSON.parse(full.setCatalogEdition(catalog.edition)), { edition: catalog.edition });
});

test("the main module has the editor's start-up exports, the full module every export", () => {
  const editor = ["buildRequest", "catalog", "evaluate", "evaluateAndExplain", "lint", "resolve", "rules", "setCatalogEdition"];
  const exportsOf = (module) => Object.keys(module).filter((name) => typeof module[name] === "function" && !/^(default|init|initSync|start)$/.test(name)).sort();
  assert.deepEqual(exportsOf(wasm), editor);
  assert.deepEqual(exportsOf(full), [...editor, "diff", "explain", "generate"].sort());
  // The same library: the same answers from both.
  assert.equal(full.catalog(), wasm.catalog());
  assert.equal(full.rules(), wasm.rules());
});

test("catalog() equals `ram-policy actions --format json`", () => {
  const cli = runCli(bin, ["actions", "--format", "json"]);
  assert.equal(cli.status, 0);
  assert.deepEqual(JSON.parse(wasm.catalog()), cli.json);
});

/** Requests built the way the editor builds them: a value for every parameter of the action. */
function requestsFor(action) {
  const fields = parameterFields(action);
  const parameters = fields.map((field) => ({
    name: field.name,
    arity: field.arity,
    text: field.choices ? field.choices[0] : field.arity === "single" ? `${field.name.toLowerCase()}-1` : "v-1, v-2",
  }));
  const { params } = JSON.parse(wasm.buildRequest(JSON.stringify({ action: action.action, parameters })));
  return [
    { action: action.action, account: "1234567890123456", region: "cn-hangzhou", params },
    { action: action.name.toLowerCase(), account: "1234567890123456", region: "cn-shanghai", params: {} },
    { action: action.action, region: "cn-hangzhou", params },
    { action: action.action, account: "1234567890123456", params },
  ];
}

function assertSame(input) {
  const cli = runCli(bin, ["resolve", tempFile(input), "--format", "json"]);
  const fromWasm = JSON.parse(wasm.resolve(input));
  assert.deepEqual(fromWasm, cli.json, `input: ${input}`);
  assert.equal(cli.status, "error" in fromWasm ? 2 : 0, `exit code for ${input}`);
  return fromWasm;
}

test("resolve() equals `ram-policy resolve FILE --format json` for every catalog action", () => {
  let resolved = 0;
  let errors = 0;
  for (const action of catalog.actions) {
    for (const request of requestsFor(action)) {
      const result = assertSame(JSON.stringify(request));
      if ("error" in result) errors += 1;
      else resolved += 1;
    }
  }
  assert.ok(resolved >= catalog.actions.length, `resolved ${resolved}`);
  console.log(`# parity: ${resolved} resolved and ${errors} error results identical across ${catalog.actions.length} actions`);
});

test("resolve() errors equal the CLI's JSON errors", () => {
  const inputs = [
    "",
    "{",
    "[]",
    "{}",
    "null",
    '{"action": 7}',
    '{"action": "ecs:RunInstances", "bogus": 1}',
    '{"action": "ecs:RunInstancez"}',
    '{"action": "oss:GetObject"}',
    '{"action": "ecs:RunInstances", "params": {"SecurityGroupId": {"nested": true}}}',
    '{"action": "ecs:RunInstances", "account": "1", "params": {"SecurityGroupId": "sg-1"}}',
    '{"action": "ecs:RunInstances", "account": "1", "region": "cn-hangzhou", "params": {}}',
    '{"action": "ecs:RunInstances", "account": 1234, "region": "cn-hangzhou", "params": {"SecurityGroupId": "sg-1"}, "context": {"acs:SourceIp": ["203.0.113.7"]}}',
    "[".repeat(10000),
  ];
  for (const input of inputs) assertSame(input);
});

/* ------------------------------------------------------------------ lint and rules */

const LINT_INPUTS = {
  "typo.json": '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:DescribeInstance", "Resource": "*"}]}',
  "astral.json": '{\n  "Version": "1",\n  "Statement": [{"Effect": "Allow", "Action": ["ecs:Describe😀", "ecs:StartInstance"], "Resource": "acs:ecs:*:*:instance/i-?"}]\n}\n',
  "malformed.json": '{\n  "Version": "1",\n  "Statement": [\n    {"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*",}\n  ]\n}\n',
  "empty.json": "",
  "crlf.json": '{\r\n  "Version": "2",\r\n  "Statement": [{"Effect": "Allow", "Action": "ecs:*", "Resource": "*"}]\r\n}\r\n',
  "masked.json": '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:StopInstance", "Resource": "acs:ecs:cn-hangzhou:104758519118****:instance/*"}]}',
};

function examplePolicies() {
  const dir = join(ROOT, "policies");
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
  );
}

test("lint() equals `ram-policy lint FILE --format json` without `file`, for every example and edge case", () => {
  const inputs = { ...examplePolicies(), ...LINT_INPUTS };
  let findings = 0;
  let fixes = 0;
  for (const [name, text] of Object.entries(inputs)) {
    const dir = tempDir({ [name]: text });
    const cli = runCli(bin, ["lint", name, "--format", "json"], dir);
    assert.ok([0, 1].includes(cli.status), `${name}: exit ${cli.status} ${cli.stderr}`);
    for (const finding of cli.json.findings) {
      assert.equal(finding.file, name);
      delete finding.file;
    }
    const fromWasm = JSON.parse(wasm.lint(text));
    assert.deepEqual(fromWasm, cli.json, name);
    findings += fromWasm.findings.length;
    fixes += fromWasm.findings.filter((finding) => finding.fix).length;
  }
  assert.ok(findings > 0 && fixes > 0, `${findings} findings, ${fixes} fixes`);
  console.log(`# parity: lint identical on ${Object.keys(inputs).length} documents (${findings} findings, ${fixes} with a fix)`);
});

test("rules() equals `ram-policy rules --format json`", () => {
  const cli = runCli(bin, ["rules", "--format", "json"]);
  assert.equal(cli.status, 0);
  assert.deepEqual(JSON.parse(wasm.rules()), cli.json);
});

/* ------------------------------------------------------------------ evaluate and explain */

/** Every `*.json` under `dir`, recursively, sorted, named relative to `base` (as the CLI names them). */
function policyFiles(dir, base) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...policyFiles(path, base));
    else if (name.endsWith(".json")) out.push({ name: relative(base, path), text: readFileSync(path, "utf8") });
  }
  return out;
}

const GOLDEN = join(ROOT, "tests", "data", "explain");
const INPUT_FILES = [
  ["request.json", "request"],
  ["actiontrail.json", "actiontrail"],
  ["actiontrail.jsonl", "actiontrail"],
  ["error.json", "error"],
];

/** The explain golden cases (tests/data/explain): policies, an input and its kind. */
function goldenCases() {
  if (!existsSync(GOLDEN)) return [];
  return readdirSync(GOLDEN)
    .filter((name) => statSync(join(GOLDEN, name)).isDirectory())
    .sort()
    .flatMap((name) => {
      const dir = join(GOLDEN, name);
      const found = INPUT_FILES.find(([file]) => existsSync(join(dir, file)));
      if (!found) return [];
      return [{ name, dir, file: found[0], kind: found[1], policies: policyFiles(join(dir, "policies"), dir) }];
    });
}

function assertExplainSame(label, dir, policyArgs, policies, file, kind, extra = [], options = null) {
  const flag = { request: "--request", actiontrail: "--actiontrail", error: "--error" }[kind];
  const cli = runCli(bin, ["explain", ...policyArgs, flag, file, ...extra, "--format", "json"], dir);
  const input = readFileSync(join(dir, file), "utf8");
  const fromWasm = JSON.parse(full.explain(JSON.stringify(policies), input, kind, options));
  assert.deepEqual(fromWasm, cli.json, label);
  return { cli, fromWasm };
}

test("explain() equals `ram-policy explain --format json` on every explain golden case", () => {
  const cases = goldenCases();
  assert.ok(cases.length >= 8, `${cases.length} cases`);
  for (const item of cases) {
    const { cli, fromWasm } = assertExplainSame(item.name, item.dir, ["--policy", "policies"], item.policies, item.file, item.kind);
    const denied = (fromWasm.explanations || [fromWasm]).some((explanation) => explanation.decision !== "Allow");
    assert.equal(cli.status, "error" in fromWasm || (fromWasm.errors || []).length ? 2 : denied ? 1 : 0, `${item.name}: exit code`);
    if (item.kind === "actiontrail") {
      assertExplainSame(`${item.name} --all`, item.dir, ["--policy", "policies"], item.policies, item.file, item.kind, ["--all"], '{"all": true}');
    }
    if (item.kind === "request") {
      // --context replaces the request's values, as the options' context does.
      assertExplainSame(`${item.name} --context`, item.dir, ["--policy", "policies"], item.policies, item.file, item.kind,
        ["--context", "acs:SourceIp=198.51.100.1"], '{"context": {"acs:SourceIp": "198.51.100.1"}}');
    }
  }
  console.log(`# parity: explain identical on ${cases.length} golden cases (+ --all and --context variants)`);
});

test("evaluate() equals `ram-policy eval --format json` (and the exit code) on the request cases and errors", () => {
  const cases = goldenCases().filter((item) => item.kind === "request");
  assert.ok(cases.length >= 3);
  let compared = 0;
  const check = (label, dir, policyArgs, policies, requestFile, extra = [], options = null) => {
    const cli = runCli(bin, ["eval", ...policyArgs, "--request", requestFile, ...extra, "--format", "json"], dir);
    const fromWasm = JSON.parse(wasm.evaluate(JSON.stringify(policies), readFileSync(join(dir, requestFile), "utf8"), options));
    assert.deepEqual(fromWasm, cli.json, label);
    assert.equal(cli.status, "error" in fromWasm ? 2 : fromWasm.decision === "Allow" ? 0 : 1, `${label}: exit code`);
    compared += 1;
    return fromWasm;
  };
  for (const item of cases) {
    check(item.name, item.dir, ["--policy", "policies"], item.policies, item.file);
    check(`${item.name} --context`, item.dir, ["--policy", "policies"], item.policies, item.file,
      ["--context", "acs:SourceIp=203.0.113.7", "--context", "acs:SourceIp=198.51.100.1"],
      '{"context": {"acs:SourceIp": ["203.0.113.7", "198.51.100.1"]}}');
  }
  // Every example policy against a few requests (acs:CurrentTime given: the CLI would otherwise
  // read its clock for the business-hours example).
  const examples = examplePolicies();
  const requests = {
    "describe.json": { action: "ecs:DescribeInstances", account: "1234567890123456", region: "cn-hangzhou", context: { "acs:CurrentTime": "2026-03-02T10:00:00Z", "acs:SecureTransport": "true", "acs:SourceIp": "203.0.113.7" } },
    "start.json": { action: "ecs:StartInstance", account: "1234567890123456", region: "cn-hangzhou", params: { InstanceId: "i-1" }, context: { "acs:CurrentTime": "2026-03-02T10:00:00Z", "acs:MFAPresent": "true" } },
    "delete.json": { action: "ecs:DeleteInstance", account: "1234567890123456", region: "cn-shanghai", params: { InstanceId: "i-2" }, context: { "acs:CurrentTime": "2026-03-02T10:00:00Z" } },
  };
  const files = { ...Object.fromEntries(Object.entries(examples).map(([name, text]) => [`policies/${name}`, text])) };
  for (const [name, request] of Object.entries(requests)) files[name] = JSON.stringify(request);
  const dir = tempDir(files);
  for (const [policy, text] of Object.entries(examples)) {
    for (const request of Object.keys(requests)) {
      check(`${policy} × ${request}`, dir, ["--policy", `policies/${policy}`], [{ name: `policies/${policy}`, text }], request);
    }
  }
  // Errors: a malformed policy, a malformed request, an unknown action.
  const bad = tempDir({
    "broken.json": '{"Version": "1", "Statement": [',
    "good.json": '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:*", "Resource": "*"}]}',
    "malformed.json": "{",
    "unknown.json": '{"action": "ecs:DescribeInstancez", "account": "1", "region": "cn-hangzhou"}',
    "ok.json": '{"action": "ecs:DescribeInstances", "account": "1", "region": "cn-hangzhou"}',
  });
  const read = (name) => readFileSync(join(bad, name), "utf8");
  check("broken policy", bad, ["--policy", "broken.json"], [{ name: "broken.json", text: read("broken.json") }], "ok.json");
  check("malformed request", bad, ["--policy", "good.json"], [{ name: "good.json", text: read("good.json") }], "malformed.json");
  check("unknown action", bad, ["--policy", "good.json"], [{ name: "good.json", text: read("good.json") }], "unknown.json");
  check("two policies", bad, ["--policy", "good.json", "--policy", "good.json"], [{ name: "good.json", text: read("good.json") }, { name: "good.json", text: read("good.json") }], "ok.json");
  console.log(`# parity: evaluate identical on ${compared} inputs`);
});

/* ------------------------------------------------------------------ generate */

const FIXTURES = join(WASM_DIR, "test", "fixtures");

test("generate() equals `ram-policy generate --format json`", () => {
  const requests = [
    { action: "ecs:StartInstance", account: "1234567890123456", region: "cn-hangzhou", params: { InstanceId: "i-1" } },
    { action: "ecs:StartInstance", account: "1234567890123456", region: "cn-hangzhou", params: { InstanceId: "i-2" } },
    { action: "ecs:StopInstance", account: "1234567890123456", region: "cn-beijing", params: { InstanceId: "i-3" }, context: { "acs:SourceIp": "203.0.113.7" } },
    { action: "ecs:DescribeInstances", account: "1234567890123456", region: "cn-hangzhou" },
    { action: "vpc:DescribeVpcs", account: "1234567890123456", region: "cn-hangzhou" },
  ];
  const many = Array.from({ length: 120 }, (_, n) => JSON.stringify({ action: "ecs:StartInstance", account: "1234567890123456", region: "cn-hangzhou", params: { InstanceId: `i-${String(n).padStart(5, "0")}` } })).join("\n");
  const dir = tempDir({
    "trail.json": readFileSync(join(FIXTURES, "actiontrail-describe-instances-unmasked.json"), "utf8"),
    "masked.json": readFileSync(join(FIXTURES, "actiontrail-describe-instances.json"), "utf8"),
    "requests.json": JSON.stringify(requests),
    "many.jsonl": many,
    "empty.json": "",
  });
  const cases = [
    ["trail.json", "actiontrail", [], {}],
    ["masked.json", "actiontrail", [], {}],
    ["requests.json", "requests", [], {}],
    ["requests.json", "requests", ["--generalize", "ids"], { generalize: "ids" }],
    ["requests.json", "requests", ["--generalize", "regions", "--condition", "acs:SourceIp"], { generalize: "regions", conditions: ["acs:SourceIp"] }],
    ["many.jsonl", "requests", ["--max-size", "400"], { max_size: 400 }],
    ["many.jsonl", "requests", ["--max-size", "400", "--split", "split-out"], { max_size: 400, split: true }],
    ["empty.json", "requests", [], {}],
    ["requests.json", "requests", ["--generalize", "everything"], { generalize: "everything" }],
  ];
  for (const [file, input, flags, options] of cases) {
    const cli = runCli(bin, ["generate", `--${input}`, file, ...flags, "--format", "json"], dir);
    const fromWasm = JSON.parse(full.generate(readFileSync(join(dir, file), "utf8"), JSON.stringify({ input, ...options })));
    assert.deepEqual(fromWasm, cli.json, `${file} ${flags.join(" ")}`);
    assert.equal(cli.status, "error" in fromWasm ? 2 : 0, `${file} ${flags.join(" ")}: exit code`);
  }
  console.log(`# parity: generate identical on ${cases.length} inputs (one policy, split, errors)`);
});

test("diff() of the full module equals `ram-policy diff --format json` (and the exit code)", () => {
  const dir = join(ROOT, "policies");
  const names = readdirSync(dir).filter((name) => name.endsWith(".json")).sort().slice(0, 6);
  let compared = 0;
  let withNewAccess = 0;
  for (const older of names) {
    for (const newer of names) {
      if (older === newer) continue;
      const side = (name) => JSON.stringify([{ name, text: readFileSync(join(dir, name), "utf8") }]);
      const value = JSON.parse(full.diff(side(older), side(newer)));
      const cli = runCli(bin, ["diff", older, newer, "--format", "json"], dir);
      assert.deepEqual(value, cli.json, `${older} → ${newer}`);
      assert.equal(cli.status, value.new_access.length ? 1 : 0, `${older} → ${newer}`);
      compared += 1;
      if (value.new_access.length) withNewAccess += 1;
    }
  }
  assert.ok(withNewAccess > 0);
  // A side that is not a policy set: the facade's error, as data.
  const failed = JSON.parse(full.diff("[", "[]"));
  assert.deepEqual(Object.keys(failed), ["error"]);
  assert.equal(failed.error.kind, JSON.parse(wasm.evaluate("[", "{}")).error.kind, "the same error as every export taking policies");
  console.log(`# parity: diff identical on ${compared} ordered pairs of policies/ (${withNewAccess} with new access)`);
});

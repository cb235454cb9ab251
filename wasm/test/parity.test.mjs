// The wasm exports and the CLI's `--format json` give the same JSON on the same inputs.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { cliPath, runCli, tempFile, loadWasm } from "./helpers.mjs";
import { parameterFields, encodeParameter } from "../www/src/request.js";

let wasm;
let bin;
let catalog;

before(async () => {
  wasm = await loadWasm();
  bin = cliPath();
  catalog = JSON.parse(wasm.catalog());
});

test("catalog() equals `ram-policy actions --format json`", () => {
  const cli = runCli(bin, ["actions", "--format", "json"]);
  assert.equal(cli.status, 0);
  assert.deepEqual(JSON.parse(wasm.catalog()), cli.json);
});

/** Requests built the way the editor builds them: a value for every parameter of the action. */
function requestsFor(action) {
  const fields = parameterFields(action);
  const params = {};
  for (const field of fields) {
    const text = field.choices ? field.choices[0] : field.arity === "single" ? `${field.name.toLowerCase()}-1` : "v-1, v-2";
    Object.assign(params, encodeParameter(field, text));
  }
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

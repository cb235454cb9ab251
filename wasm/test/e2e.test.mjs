// End to end: the editor page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), served by `python3 -m http.server` on 127.0.0.1 at a free port.
// Screenshots of each state go to $SCREENSHOT_DIR (default <repo>/test-output/wasm-e2e).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { WASM_DIR, ROOT, cliPath, runCli, tempFile, tempDir } from "./helpers.mjs";

// These tests describe the seed edition, for the editor and for the CLI they compare it with (as
// the Rust suites do, see .cargo/config.toml); the default of both is `current`.
process.env.RAM_POLICY_CATALOG_EDITION ??= "seed";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SCREENSHOT_DIR || join(ROOT, "test-output", "wasm-e2e");
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let server;
let baseUrl;
let context;
let profile;
let page;
const problems = [];
/** Every URL the page requested, in order. */
const requested = [];

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", join(WASM_DIR, "www")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`http.server did not start: ${output}`)), 15000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /port (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${match[1]}/` });
      }
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => reject(new Error(`http.server exited with ${code}: ${output}`)));
  });
}

/** A screenshot, once the decision panel shows the decision for the editor's current text. */
async function shot(name) {
  await waitForDecision();
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Waits until the decision panel has been drawn for the editor's current text (its revision):
 * the decision is debounced, so right after an edit the panel still shows the previous one.
 */
async function waitForDecision() {
  await page.waitForFunction(() => {
    const box = document.getElementById("decision");
    if (!window.ramPolicyEditor || box.hidden) return true;
    return box.dataset.revision === String(window.ramPolicyEditor.revision());
  });
}

/** The editor's text. */
function docText() {
  return page.evaluate(() => window.ramPolicyEditor.view.state.doc.toString());
}

/** Replaces the editor's text as a paste would (one transaction, then the linter runs). */
async function replaceDocument(text) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

/** Puts the cursor just after the first occurrence of `needle` in the editor. */
async function cursorAfter(needle) {
  await page.evaluate((needle) => {
    const { view } = window.ramPolicyEditor;
    const at = view.state.doc.toString().indexOf(needle);
    if (at < 0) throw new Error(`not in the document: ${needle}`);
    view.dispatch({ selection: { anchor: at + needle.length } });
    view.focus();
  }, needle);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function arns() {
  return page.locator("#arns li").allTextContents();
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ child: server, url: baseUrl } = await startServer());
  profile = mkdtempSync(join(tmpdir(), "ram-policy-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1360, height: 960 },
    acceptDownloads: true,
  });
  // These tests describe the seed edition (as the Rust suites do, see .cargo/config.toml); the
  // editor's default is `current`, kept in localStorage once chosen.
  await context.addInitScript(() => {
    const key = "ram-policy-editor:catalog-edition";
    if (!localStorage.getItem(key)) localStorage.setItem(key, "seed");
  });
  page = context.pages()[0] || (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("request", (request) => requested.push(request.url()));
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill("SIGTERM");
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test("the page loads the module, the catalog and every export", async () => {
  await page.goto(baseUrl);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  const status = await page.textContent("#module-status");
  assert.match(status, /exports: catalog, resolve, lint, rules, buildRequest, evaluate, explain, evaluateAndExplain, generate, diff · pending: none/);
  // The page loads the main module only; the full one waits for the Generate or Compare panel.
  const modules = requested.filter((url) => url.endsWith(".wasm")).map((url) => new URL(url).pathname);
  assert.deepEqual(modules, ["/build/ram_policy_wasm_bg.wasm"]);
  assert.ok((await page.locator("#action-list li[role=option]").count()) > 0, "the action list is filled from catalog()");
  assert.match(await page.textContent("#catalog-status"), /\d+ ECS actions/);
  for (const id of ["#findings-pending", "#decision-pending", "#generate-pending"]) {
    assert.ok(await page.locator(id).isHidden(), `${id} is hidden: the export is there`);
  }
  assert.ok(await page.locator(".cm-editor .cm-lineNumbers").isVisible(), "line numbers");
  assert.ok((await page.locator(".cm-content span[class]").count()) > 0, "JSON is highlighted");
  // The default document lints clean.
  await page.waitForFunction(() => document.getElementById("findings-count").textContent === "no findings");
  await shot("01-loaded");
});

const TYPO_POLICY = `{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ecs:Describe",
      "Resource": "*"
    }
  ]
}
`;

test("type a policy with a misspelt action: underline, gutter, hover message and the list", async () => {
  await replaceDocument(TYPO_POLICY);
  await cursorAfter('"ecs:Describe');
  await page.keyboard.type("Instance");
  // The list is redrawn after each keystroke's lint: wait for the one about the whole word.
  const finding = page.locator('#findings li[data-code="INVALID_ACTION"]', { hasText: "ecs:DescribeInstance is" });
  await finding.waitFor();
  assert.match(await finding.textContent(), /ecs:DescribeInstance is not a known ECS action/);
  assert.match(await finding.textContent(), /^6:17error/);
  // The underline covers exactly the offending value, and the gutter shows the severity.
  const underline = page.locator(".cm-lintRange-error");
  assert.equal(await underline.count(), 1);
  assert.equal(await underline.textContent(), '"ecs:DescribeInstance"');
  assert.ok(await page.locator(".cm-lint-marker-error").isVisible(), "error marker in the gutter");
  // Hovering the underline shows the message.
  await underline.hover();
  const tooltip = page.locator(".cm-tooltip-lint");
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /did you mean ecs:DescribeInstances\?/);
  assert.equal(await tooltip.locator("code", { hasText: "ecs:DescribeInstances" }).count() > 0, true, "inline code is drawn as code");
  await shot("02-finding");
  // The list jumps to the line.
  await cursorAfter("{");
  await finding.click();
  const selection = await page.evaluate(() => {
    const { view } = window.ramPolicyEditor;
    const range = view.state.selection.main;
    return { line: view.state.doc.lineAt(range.from).number, text: view.state.sliceDoc(range.from, range.to) };
  });
  assert.deepEqual(selection, { line: 6, text: '"ecs:DescribeInstance"' });
});

test("apply the quick fix: the edit lands and the finding is gone", async () => {
  const button = page.locator('#findings li[data-code="INVALID_ACTION"] .fix-button');
  assert.equal(await button.textContent(), "Fix: replace with `ecs:DescribeInstances`");
  await button.click();
  await page.waitForFunction(() => !document.querySelector('#findings li[data-code="INVALID_ACTION"]'));
  await page.waitForFunction(() => document.querySelectorAll(".cm-lintRange-error").length === 0);
  assert.equal(await docText(), TYPO_POLICY.replace('"ecs:Describe"', '"ecs:DescribeInstances"'));
  assert.equal(await page.textContent("#findings-count"), "no findings");
  await shot("03-fixed");
  // One undo step takes the fix back, and the finding returns.
  await page.click(".cm-content");
  await page.keyboard.press("Control+Z");
  await page.locator('#findings li[data-code="INVALID_ACTION"]').waitFor();
  await page.keyboard.press("Control+Shift+Z");
  await page.waitForFunction(() => !document.querySelector('#findings li[data-code="INVALID_ACTION"]'));
});

test("search, pick an action, fill parameters, and see the ARNs the CLI gives", async () => {
  await page.fill("#action-search", "runinst");
  const options = page.locator("#action-list li[role=option]");
  assert.equal(await options.count(), 1);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#action-info:not([hidden])");
  assert.match(await page.textContent("#action-info"), /ecs:RunInstances/);
  await page.fill("#account", "1234567890123456");
  await page.fill("#region", "cn-hangzhou");
  await page.fill('[data-param="SecurityGroupIds.N"]', "sg-1, sg-2");
  await page.click("#add-context");
  await page.locator("#context-rows input").nth(0).fill("acs:SourceIp");
  await page.locator("#context-rows input").nth(1).fill("203.0.113.7");
  const shown = await arns();
  assert.ok(shown.includes("acs:ecs:cn-hangzhou:1234567890123456:securitygroup/sg-1"), shown.join("\n"));
  assert.ok(shown.includes("acs:ecs:cn-hangzhou:1234567890123456:securitygroup/sg-2"), shown.join("\n"));
  // The page shows the request it resolved; the CLI resolves it to the same ARNs.
  const requestText = await page.textContent("#request-json");
  const cli = runCli(cliPath(), ["resolve", tempFile(requestText), "--format", "json"]);
  assert.deepEqual(shown, cli.json.resources);
  await page.click(".request-json summary");
  await shot("04-resolved");
});

const DENY_POLICY = `{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ecs:*",
      "Resource": "*"
    },
    {
      "Effect": "Deny",
      "Action": "ecs:RunInstances",
      "Resource": "acs:ecs:*:*:securitygroup/*"
    }
  ]
}
`;

test("a denied request: the decision, the explanation and the deciding statement highlighted", async () => {
  await replaceDocument(DENY_POLICY);
  await page.waitForFunction(() => document.getElementById("decision").dataset.decision === "ExplicitDeny");
  assert.equal(await page.textContent("#decision-value"), "DENIED (explicit deny)");
  const requestText = await page.textContent("#request-json");
  const dir = tempDir({ "policy.json": DENY_POLICY, "request.json": requestText });
  const cli = runCli(cliPath(), ["explain", "--policy", "policy.json", "--request", "request.json", "--format", "json"], dir);
  assert.equal(cli.status, 1);
  // One headline, the CLI's.
  assert.equal(await page.textContent("#decision-value"), cli.json.headline);
  assert.equal(await page.locator("#explain-headline").count(), 0);
  // Each ARN with its decision; the deny statement is named with its lines.
  const resources = await page.locator("#explain-resources > li").count();
  assert.equal(resources, cli.json.resources.length);
  assert.match(await page.textContent("#explain-resources"), /policy\.json statement 2 \(lines 9–13\) matches: action pattern ecs:RunInstances covers the action/);
  assert.doesNotMatch(await page.textContent("#decision"), /`/, "inline code is rendered, not shown as backticks");
  // Lines 9–13 (the Deny statement) are highlighted in the editor, and nothing else.
  const highlighted = await page.evaluate(() =>
    [...document.querySelectorAll(".cm-line.cm-statement-deny")].map((line) => line.textContent.trim()),
  );
  assert.deepEqual(highlighted, DENY_POLICY.split("\n").slice(8, 13).map((line) => line.trim()));
  assert.equal(await page.locator(".cm-line[data-highlight]").count(), 5, "only the Deny statement is highlighted");
  assert.equal(await page.textContent("#decision"), (await page.textContent("#decision")).replace(/null|undefined/g, ""));
  // The only fix removes the guard rail: the editor says no fix keeps it, and labels the one it offers.
  const fixText = await page.textContent("#explain-fix");
  assert.match(fixText, /No fix keeps every Deny statement and condition/);
  assert.match(fixText, /Remove the Deny statement 2 at policy\.json:9:5/);
  assert.match(fixText, /Weakens a guard rail: removes or narrows the Deny statement 2/);
  assert.match(fixText, /Deny statements that match: policy\.json statement 2/);
  assert.doesNotMatch(fixText, /`/, "inline code is rendered, not shown as backticks");
  // One numbering: the CLI's text says "statement 2" as the editor does; JSON keeps the index 1.
  const cliText = spawnSync(cliPath(), ["explain", "--policy", "policy.json", "--request", "request.json"], { cwd: dir, encoding: "utf8" });
  assert.match(cliText.stdout, /policy\.json:9:5  Deny \(statement 2\)/);
  assert.ok(cli.json.resources.some((resource) => resource.deciding.some((statement) => statement.statement === 1 && statement.line === 9)));
  await shot("05-denied");
  // The same request against an allowing policy: allowed, with the Allow statement highlighted.
  await replaceDocument(DENY_POLICY.replace('"Effect": "Deny"', '"Effect": "Allow"'));
  await page.waitForFunction(() => document.getElementById("decision").dataset.decision === "Allow");
  assert.ok((await page.locator(".cm-line.cm-statement-allow").count()) > 0);
  // A policy with an error: the facade's error, with where it is.
  await replaceDocument('{"Version": "1", "Statement": [');
  await page.waitForFunction(() => document.getElementById("decision").dataset.decision === "error");
  assert.match(await page.textContent("#decision-error"), /malformed policy json \(policy\.json:1:\d+\)/);
  assert.equal(await page.locator(".cm-line[data-highlight]").count(), 0);
});

test("an unresolvable request shows the facade's error, not an exception", async () => {
  await replaceDocument(DENY_POLICY);
  await page.fill("#account", "");
  await page.waitForSelector("#resolve-error:not([hidden])");
  const shownError = await page.textContent("#resolve-error");
  const cli = runCli(cliPath(), ["resolve", tempFile(await page.textContent("#request-json")), "--format", "json"]);
  // The same words; inline code is drawn as code, so the page's text has no backticks.
  assert.equal(shownError, `missing account: ${cli.json.error.message.replace(/`/g, "")}`);
  await page.waitForFunction(() => document.getElementById("decision").dataset.decision === "error");
  assert.match(await page.textContent("#decision-error"), /missing account/);
  await shot("06-error");
  await page.fill("#account", "1234567890123456");
  await page.waitForSelector("#arns:not([hidden])");
});

test("the document and the request survive a reload", async () => {
  const policy = '{\n  "Version": "1",\n  "Statement": [\n    {"Effect": "Deny", "Action": "ecs:RunInstances", "Resource": "*"}\n  ]\n}\n';
  await replaceDocument(policy);
  await page.waitForFunction(() => document.getElementById("doc-status").textContent === "Saved in this browser");
  const before = await arns();
  await page.reload();
  await page.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  assert.equal(await docText(), policy);
  assert.equal(await page.textContent("#doc-status"), "Restored from this browser");
  assert.equal(await page.inputValue('[data-param="SecurityGroupIds.N"]'), "sg-1, sg-2");
  assert.equal(await page.inputValue("#account"), "1234567890123456");
  assert.deepEqual(await arns(), before);
  await page.waitForFunction(() => document.getElementById("decision").dataset.decision === "ExplicitDeny");
  await shot("07-restored");
});

test("examples come from policies/*.json", async () => {
  const select = page.locator("#examples");
  const count = await select.locator("option").count();
  if (await select.isDisabled()) {
    assert.match(await select.textContent(), /No example policies in policies\/ yet/);
  } else {
    assert.ok(count > 1);
    await select.selectOption({ index: 1 });
    JSON.parse(await docText());
    await shot("08-example");
  }
});

const SAMPLE = join(ROOT, "..", "shared", "reference", "samples", "actiontrail-describe-instances.json");
const FIXTURE = join(WASM_DIR, "test", "fixtures", "actiontrail-describe-instances.json");
const UNMASKED = join(WASM_DIR, "test", "fixtures", "actiontrail-describe-instances-unmasked.json");

test("generate a policy from the ActionTrail sample and load it into the editor", async () => {
  let sample;
  if (existsSync(SAMPLE)) {
    sample = readFileSync(SAMPLE, "utf8");
    assert.equal(readFileSync(FIXTURE, "utf8"), sample, "wasm/test/fixtures holds a verbatim copy of the sample");
  } else {
    // The test still runs on the copy; only CI (RAM_POLICY_REQUIRE_SHARED=1) insists on the original.
    assert.notEqual(process.env.RAM_POLICY_REQUIRE_SHARED, "1", `${SAMPLE} is absent and RAM_POLICY_REQUIRE_SHARED=1`);
    console.log(`# ${SAMPLE} is absent: using the copy in wasm/test/fixtures`);
    sample = readFileSync(FIXTURE, "utf8");
  }
  await page.fill("#generate-input", sample);
  await page.selectOption("#generate-kind", "actiontrail");
  await page.click("#generate-run");
  // The sample's account id is masked (`104758519118****`): no policy, and the page says why.
  await page.waitForSelector("#generate-output[data-state=error]");
  assert.match(await page.textContent("#generate-error"), /no calls: no call was used: 1 records read, 1 skipped/);
  await shot("09-generate-masked");
  // With the mask replaced (as the explain golden case does), a policy.
  await page.fill("#generate-input", readFileSync(UNMASKED, "utf8"));
  await page.click("#generate-run");
  await page.waitForSelector("#generate-output[data-state=ok]");
  const policyText = await page.textContent("#generate-policy");
  const dir = tempDir({ "trail.json": readFileSync(UNMASKED, "utf8") });
  const cli = runCli(cliPath(), ["generate", "--actiontrail", "trail.json", "--format", "json"], dir);
  assert.equal(policyText, cli.json.policy_text);
  assert.match(await page.textContent("#generate-headline"), /^1 record read, 1 call used, 0 skipped/);
  // The summary is the CLI's, word for word.
  assert.equal(await page.textContent("#generate-summary pre"), cli.json.summary.text.replace(/`/g, ""));
  // The editor holds other work (typed, not loaded): loading asks first, and says what would be lost.
  await replaceDocument('{\n  "Version": "1",\n  "Statement": []\n}\n');
  const dialogs = [];
  page.once("dialog", (dialog) => {
    dialogs.push(dialog.message());
    dialog.accept();
  });
  await page.click("#generate-load");
  assert.match(dialogs[0] || "", /Replace the policy in the editor/);
  assert.equal(await docText(), policyText);
  await waitForDecision();
  // The decision is about the loaded policy, not the one before it.
  assert.equal(await page.getAttribute("#decision", "data-revision"), String(await page.evaluate(() => window.ramPolicyEditor.revision())));
  await page.waitForFunction(() => document.getElementById("findings-count").textContent !== "");
  await shot("10-generated");
});


test("the generator reads pasted requests without being told, with a condition, and copies and downloads", async () => {
  const requests = [
    { action: "ecs:StartInstance", account: "1234567890123456", region: "cn-hangzhou", params: { InstanceId: "i-bp1" }, context: { "acs:SourceIp": "203.0.113.7" } },
    { action: "ecs:StopInstance", account: "1234567890123456", region: "cn-hangzhou", params: { InstanceId: "i-bp2" }, context: { "acs:SourceIp": "203.0.113.8" } },
  ];
  const text = requests.map((request) => JSON.stringify(request)).join("\n");
  await page.fill("#generate-input", text);
  await page.selectOption("#generate-kind", "auto");
  await page.fill("#generate-condition", "acs:SourceIp");
  await page.selectOption("#generate-generalize", "ids");
  await page.click("#generate-run");
  await page.waitForSelector("#generate-output[data-state=ok]");
  assert.equal(await page.getAttribute("#generate-output", "data-input"), "requests");
  assert.match(await page.textContent("#generate-headline"), /2 records read, 2 calls used, 0 skipped.*read as requests/);
  const dir = tempDir({ "requests.jsonl": text });
  const cli = runCli(cliPath(), ["generate", "--requests", "requests.jsonl", "--condition", "acs:SourceIp", "--generalize", "ids", "--format", "json"], dir);
  const policyText = await page.textContent("#generate-policy");
  assert.equal(policyText, cli.json.policy_text);
  assert.match(policyText, /"acs:SourceIp"/);
  assert.ok(await page.isVisible("#generate-summary pre"), "the summary is shown");
  assert.equal(await page.textContent("#generate-summary pre"), cli.json.summary.text.replace(/`/g, ""));
  // `--generalize ids` widened the two instances: listed with what they replace.
  assert.match(await page.textContent("#generate-widened"), /instance\/\* replaces 2 \(generalize\)/);
  assert.doesNotMatch(await page.textContent("#generate-output"), /`/, "inline code is rendered");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(baseUrl).origin });
  await page.click("#generate-copy");
  await page.waitForFunction(() => document.getElementById("generate-copy").textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), policyText);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#generate-download")]);
  assert.equal(download.suggestedFilename(), "policy.json");
  assert.equal(readFileSync(await download.path(), "utf8"), policyText);
  await shot("11-generated-from-requests");
});

/** A valid policy of about `size` bytes: statements on instances of several regions. */
const COMPARE_OLD = `{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ecs:DescribeInstances",
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": ["ecs:StartInstance", "ecs:StopInstance"],
      "Resource": "acs:ecs:cn-hangzhou:1234567890123456:instance/i-web1"
    }
  ]
}
`;

/** The Compare panel's answer for the editor's current text and the earlier version shown. */
async function waitForCompare(state) {
  await page.waitForFunction((state) => {
    const box = document.getElementById("compare-output");
    return !box.hidden && box.dataset.state === state && box.dataset.revision === String(window.ramPolicyEditor.revision());
  }, state);
}

test("compare with an earlier version: new grants with their witnesses, highlighted, as the CLI says", async () => {
  // The pull request widens Describe and the instance ARN.
  const widened = COMPARE_OLD.replace('"ecs:DescribeInstances"', '"ecs:Describe*"').replace("instance/i-web1", "instance/*");
  await replaceDocument(widened);
  await page.fill("#compare-old", COMPARE_OLD);
  await waitForCompare("new-access");
  const dir = tempDir({ "old.json": COMPARE_OLD, "policy.json": widened });
  const cli = runCli(cliPath(), ["diff", "old.json", "policy.json", "--format", "json"], dir);
  assert.equal(cli.status, 1, "new access: exit 1");
  // The same actions as the CLI's JSON, each with a difference and its witness.
  const shown = await page.locator("#compare-new > li").evaluateAll((items) => items.map((item) => item.dataset.action));
  assert.deepEqual(shown, cli.json.new_access.map((action) => action.action));
  assert.ok(shown.includes("ecs:DescribeDisks"), shown.join(", "));
  assert.ok(shown.includes("ecs:StartInstance"), shown.join(", "));
  const start = page.locator('#compare-new > li[data-action="ecs:StartInstance"]');
  assert.equal(await start.locator('.difference[data-certainty="exact"]').count() > 0, true);
  await start.locator("details.witness summary").first().click();
  const witness = await start.locator("details.witness").first().textContent();
  assert.match(witness, /acs:ecs:cn-hangzhou:1234567890123456:instance\//);
  assert.doesNotMatch(witness, /instance\/i-web1\b/, "the witness is an instance the earlier version did not allow");
  assert.match(await start.textContent(), /Granted by policy\.json statement 2 \(lines 9–13\)/);
  // Both widened statements are highlighted in the editor, in their own colour.
  const highlighted = await page.evaluate(() => [...document.querySelectorAll(".cm-line.cm-statement-new-access")].length);
  assert.equal(highlighted, 10, "lines 4–8 and 9–13");
  await page.screenshot({ path: join(SHOTS, "12-compare-new-access.png"), fullPage: true });
  // Taking the editor's policy as the earlier version: nothing new, nothing highlighted.
  await page.click("#compare-snapshot");
  await waitForCompare("no-new-access");
  assert.match(await page.textContent("#compare-headline"), /No new access/);
  assert.equal(await page.locator(".cm-line.cm-statement-new-access").count(), 0);
  // Narrowing the editor's policy again: removed access only, which is not new access.
  await replaceDocument(COMPARE_OLD);
  await waitForCompare("no-new-access");
  assert.match(await page.textContent("#compare-headline"), /no longer allows/);
  // An earlier version that is not JSON: the facade's error, naming the file.
  await page.fill("#compare-old", '{"Version": "1", "Statement": [');
  await waitForCompare("error");
  assert.match(await page.textContent("#compare-error"), /old\.json/);
  // Cleared: the panel is empty and later tests see no compare highlight.
  await page.fill("#compare-old", "");
  await page.waitForFunction(() => document.getElementById("compare-output").hidden);
});

function policyOfSize(size) {
  const statements = [];
  let text = "";
  for (let n = 0; ; n += 1) {
    statements.push(`    {
      "Effect": "Allow",
      "Action": ["ecs:DescribeInstances", "ecs:StartInstance", "ecs:StopInstance"],
      "Resource": "acs:ecs:cn-hangzhou:1234567890123456:instance/i-bp${String(n).padStart(18, "0")}"
    }`);
    const next = `{\n  "Version": "1",\n  "Statement": [\n${statements.join(",\n")}\n  ]\n}\n`;
    if (Buffer.byteLength(next) > size) break;
    text = next;
  }
  return text;
}

test("lint feedback latency for a 6 KB policy (reported, not asserted)", async () => {
  const policy = policyOfSize(6144);
  const bytes = Buffer.byteLength(policy);
  assert.ok(bytes > 5800 && bytes <= 6144, `${bytes} bytes`);
  await replaceDocument(policy);
  await page.waitForFunction((bytes) => window.ramPolicyEditor.lastLint && window.ramPolicyEditor.lastLint.bytes === bytes, bytes);
  await page.evaluate(() => {
    window.__lastKey = 0;
    document.addEventListener("keydown", () => (window.__lastKey = performance.now()), true);
  });
  // Arms a watcher (in the page) for the finding INVALID_ACTION being shown (`present`) or gone,
  // both in the list and as an underline; `measured()` then waits for it and returns when that
  // happened relative to the last keydown (in the DOM, and at the next frame).
  const arm = (present) =>
    page.evaluate((present) => {
      const shown = () =>
        Boolean(document.querySelector('#findings li[data-code="INVALID_ACTION"]')) === present &&
        Boolean(document.querySelector(".cm-lintRange-error")) === present;
      window.__latency = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (!shown()) return;
          observer.disconnect();
          const dom = performance.now();
          requestAnimationFrame(() => resolve({ dom: dom - window.__lastKey, frame: performance.now() - window.__lastKey, wasm: window.ramPolicyEditor.lastLint.ms }));
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      });
    }, present);
  const measured = () => page.evaluate(() => window.__latency);
  const runs = [];
  const needle = '"ecs:StopInstance"';
  for (let round = 0; round < 6; round += 1) {
    // Type a character into the last action of the first statement (a finding appears), then
    // delete it (the finding goes).
    await cursorAfter(needle.slice(0, -1));
    await arm(true);
    await page.keyboard.type("X");
    runs.push({ change: "typed", ...(await measured()) });
    await arm(false);
    await page.keyboard.press("Backspace");
    runs.push({ change: "deleted", ...(await measured()) });
  }
  const lintDelayMs = await page.evaluate(() => window.ramPolicyEditor.lintDelayMs);
  const report = {
    policy_bytes: bytes,
    keystrokes: runs.length,
    lint_delay_ms: lintDelayMs,
    to_findings_in_dom_ms: { median: median(runs.map((run) => run.dom)), max: Math.max(...runs.map((run) => run.dom)) },
    to_next_frame_ms: { median: median(runs.map((run) => run.frame)), max: Math.max(...runs.map((run) => run.frame)) },
    wasm_lint_call_ms: { median: median(runs.map((run) => run.wasm)), max: Math.max(...runs.map((run) => run.wasm)) },
    runs,
  };
  writeFileSync(join(SHOTS, "lint-latency.json"), JSON.stringify(report, null, 2) + "\n");
  const f = (value) => value.toFixed(1);
  console.log(
    `# lint latency, ${bytes}-byte policy, ${runs.length} keystrokes: last keystroke → findings in the DOM median ${f(report.to_findings_in_dom_ms.median)} ms (max ${f(report.to_findings_in_dom_ms.max)}), → next frame median ${f(report.to_next_frame_ms.median)} ms (max ${f(report.to_next_frame_ms.max)}); the wasm lint call itself median ${f(report.wasm_lint_call_ms.median)} ms (max ${f(report.wasm_lint_call_ms.max)}); debounce ${lintDelayMs} ms`,
  );
  await shot("11-latency-policy");
});

test("no console errors, warnings or failed requests", () => {
  assert.deepEqual(problems, []);
});

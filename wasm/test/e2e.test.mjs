// End to end: the editor page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), served by `python3 -m http.server` on 127.0.0.1 at a free port.
// Screenshots of each state go to $SCREENSHOT_DIR (default <repo>/test-output/wasm-e2e).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { WASM_DIR, ROOT, cliPath, runCli, tempFile } from "./helpers.mjs";

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

async function shot(name) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
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
  });
  page = context.pages()[0] || (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill("SIGTERM");
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test("the page loads the module and the catalog, and says what is pending", async () => {
  await page.goto(baseUrl);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  const status = await page.textContent("#module-status");
  assert.match(status, /exports: catalog, resolve/);
  assert.ok((await page.locator("#action-list li[role=option]").count()) > 0, "the action list is filled from catalog()");
  assert.match(await page.textContent("#catalog-status"), /\d+ ECS actions/);
  // Panels waiting for other exports say so instead of pretending.
  assert.match(await page.textContent("#findings-pending"), /Pending: .*lint/);
  assert.match(await page.textContent("#decision-pending"), /Pending: .*evaluate.*explain/);
  assert.match(await page.textContent("#generate-pending"), /Pending: .*generate/);
  assert.ok(await page.locator(".cm-editor .cm-lineNumbers").isVisible(), "line numbers");
  assert.ok((await page.locator(".cm-content span[class]").count()) > 0, "JSON is highlighted");
  await shot("01-loaded");
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
  await shot("02-resolved");
});

test("an unresolvable request shows the facade's error, not an exception", async () => {
  await page.fill("#account", "");
  await page.waitForSelector("#resolve-error:not([hidden])");
  const shownError = await page.textContent("#resolve-error");
  const cli = runCli(cliPath(), ["resolve", tempFile(await page.textContent("#request-json")), "--format", "json"]);
  assert.equal(shownError, `missing account: ${cli.json.error.message}`);
  await shot("03-error");
  await page.fill("#account", "1234567890123456");
  await page.waitForSelector("#arns:not([hidden])");
});

test("the document and the request survive a reload", async () => {
  const policy = '{\n  "Version": "1",\n  "Statement": [\n    {"Effect": "Deny", "Action": "ecs:RunInstances", "Resource": "*"}\n  ]\n}\n';
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(policy);
  await page.waitForFunction(() => document.getElementById("doc-status").textContent === "Saved in this browser");
  const before = await arns();
  await page.reload();
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  const restored = await page.evaluate(() => window.ramPolicyEditor.view.state.doc.toString());
  assert.equal(restored, policy);
  assert.equal(await page.textContent("#doc-status"), "Restored from this browser");
  assert.equal(await page.inputValue('[data-param="SecurityGroupIds.N"]'), "sg-1, sg-2");
  assert.equal(await page.inputValue("#account"), "1234567890123456");
  assert.deepEqual(await arns(), before);
  await shot("04-restored");
});

test("examples come from policies/*.json", async () => {
  const select = page.locator("#examples");
  const count = await select.locator("option").count();
  if (await select.isDisabled()) {
    assert.match(await select.textContent(), /No example policies in policies\/ yet/);
  } else {
    assert.ok(count > 1);
    await select.selectOption({ index: 1 });
    const text = await page.evaluate(() => window.ramPolicyEditor.view.state.doc.toString());
    JSON.parse(text);
    await shot("05-example");
  }
});

test("no console errors, warnings or failed requests", () => {
  assert.deepEqual(problems, []);
});

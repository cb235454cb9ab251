// Shared by the JS tests: paths, the CLI, and the wasm module loaded in Node.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const WASM_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = join(WASM_DIR, "..");

/** The CLI binary: $RAM_POLICY_BIN (set by test.sh), else built here with cargo. */
export function cliPath() {
  if (process.env.RAM_POLICY_BIN) return process.env.RAM_POLICY_BIN;
  const meta = JSON.parse(
    execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: ROOT, encoding: "utf8" }),
  );
  execFileSync("cargo", ["build", "--quiet", "--bin", "ram-policy"], { cwd: ROOT, stdio: "inherit" });
  return join(meta.target_directory, "debug", "ram-policy");
}

/** Runs the CLI (in `cwd`, default a fresh empty directory, so that no `ram-policy.toml` applies);
 * returns its exit code and its stdout parsed as JSON (`--format json`). */
export function runCli(bin, args, cwd = mkdtempSync(join(tmpdir(), "ram-policy-cwd-"))) {
  const run = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 64 << 20, cwd });
  if (run.error) throw run.error;
  let json;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    throw new Error(`ram-policy ${args.join(" ")} printed no JSON (exit ${run.status}): ${run.stdout}${run.stderr}`);
  }
  return { status: run.status, json, stderr: run.stderr };
}

/** A fresh temporary directory holding `files` (`{relativePath: text}`); returns its path. */
export function tempDir(files) {
  const dir = mkdtempSync(join(tmpdir(), "ram-policy-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Writes `text` into a fresh temporary file and returns its path. */
export function tempFile(text, name = "input.json") {
  const path = join(mkdtempSync(join(tmpdir(), "ram-policy-")), name);
  writeFileSync(path, text);
  return path;
}

/** The wasm-bindgen module of wasm/pkg, instantiated synchronously in Node. */
export async function loadWasm() {
  const module = await import(join(WASM_DIR, "pkg", "ram_policy_wasm.js"));
  module.initSync({ module: readFileSync(join(WASM_DIR, "pkg", "ram_policy_wasm_bg.wasm")) });
  return module;
}

/** The full module (wasm/pkg-full: the main exports plus `explain`, `generate` and `diff`), in Node. */
export async function loadFullWasm() {
  const module = await import(join(WASM_DIR, "pkg-full", "ram_policy_wasm.js"));
  module.initSync({ module: readFileSync(join(WASM_DIR, "pkg-full", "ram_policy_wasm_bg.wasm")) });
  return module;
}

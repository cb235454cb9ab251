// Writes the editor's manifest of example policies: every `policies/*.json`, sorted by name,
// with its text. A missing or empty folder gives an empty list (the editor says so).
//
//   node wasm/scripts/examples.mjs <policies-dir> <out.json>
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  console.error("usage: examples.mjs <policies-dir> <out.json>");
  process.exit(2);
}
const files = existsSync(dir)
  ? readdirSync(dir).filter((name) => name.endsWith(".json")).sort()
  : [];
const examples = files.map((file) => ({
  name: file.replace(/\.json$/, ""),
  file: `policies/${file}`,
  text: readFileSync(join(dir, file), "utf8"),
}));
writeFileSync(out, JSON.stringify({ examples }, null, 1) + "\n");
console.log(`${examples.length} example ${examples.length === 1 ? "policy" : "policies"} from ${dir}`);

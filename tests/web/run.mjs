// SPDX-License-Identifier: Apache-2.0
// Runs the browser tests (web.test.mjs, codes.test.mjs) with node's own test runner, prints its TAP report and
// the closing line "web: N passed, N failed, N skipped" that tools/test-summary.py reads.
// Exits 77 (skipped) when chromium, node_modules or the binary are missing.
import { run } from "node:test";
import { tap } from "node:test/reporters";
import path from "node:path";
import { skipUnlessReady } from "./harness.mjs";

skipUnlessReady();
const here = path.dirname(new URL(import.meta.url).pathname);
const counts = { pass: 0, fail: 0, skip: 0 };
const stream = run({ files: ["web.test.mjs", "codes.test.mjs", "web_es.test.mjs"].map((f) => path.join(here, f)), concurrency: 1 });
stream.on("test:pass", (e) => {
	if (e.nesting === 0 && e.details && e.details.type !== "suite")
		counts[e.skip || e.todo ? "skip" : "pass"]++;
});
stream.on("test:fail", (e) => {
	if (e.nesting === 0)
		counts.fail++;
});
const out = stream.compose(tap);
out.pipe(process.stdout);
out.on("end", () => {
	console.log(`web: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
	process.exitCode = counts.fail || counts.pass === 0 ? 1 : 0;
});

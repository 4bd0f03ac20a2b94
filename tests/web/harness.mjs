// SPDX-License-Identifier: Apache-2.0
// The browser tests' harness: a real `idverify serve` on a free loopback port with a temporary
// data directory (like tests/api/conftest.py), Debian's chromium through playwright-core, sample
// documents from the repository's generator, screenshots, and checks every page gets: no
// request leaves the origin, no console error (a CSP violation is one), no serious or critical
// accessibility violation (axe-core from node_modules, evaluated in the page, never a CDN).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
const HERE = path.dirname(new URL(import.meta.url).pathname);
export const ROOT = path.resolve(HERE, "..", "..");
export const BIN = process.env.IDVERIFY_BIN || path.join(ROOT, "build", "service", "io", "cmd", "idverify");
export const SHOTS = process.env.IDV_SCREENSHOTS || path.join(ROOT, "build", "web-screenshots");
export const ADMIN_KEY = "web-test-admin-key-0123456789abcdef";
const CHROMIUM = process.env.IDV_CHROMIUM || "/usr/bin/chromium";

/* Exit 77 (meson's "skipped") when the browser or the npm packages are not installed. */
export function skipUnlessReady() {
	const why = [];
	if (!fs.existsSync(CHROMIUM))
		why.push(`${CHROMIUM} is absent (Debian package chromium)`);
	try {
		require.resolve("playwright-core");
		require.resolve("axe-core/axe.min.js");
	} catch (e) {
		why.push("node_modules are absent (run npm ci in tests/web)");
	}
	if (!fs.existsSync(BIN))
		why.push(`${BIN} is not built`);
	if (why.length) {
		console.log("SKIP web tests: " + why.join("; "));
		process.exit(77);
	}
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.listen(0, "127.0.0.1", () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
		s.on("error", reject);
	});
}

/*
 * A copy of the shipped models whose typed e-mail and phone count again ("counts": true, as a
 * business may set them, models/README.md): the pages' tests written before issue 15 verify
 * with typed details; codes.test.mjs runs the shipped models, where only a code to the
 * contact counts.
 */
export function typedContactModels() {
	const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "idv-web-models-")), "models");
	fs.cpSync(path.join(ROOT, "models"), dir, { recursive: true, dereference: true });
	for (const name of ["standard.json", "heightened.json"]) {
		const f = path.join(dir, name);
		const m = JSON.parse(fs.readFileSync(f, "utf8"));
		m.points.email.counts = true;
		m.points.phone.counts = true;
		m.version += "-typed-contacts";
		fs.writeFileSync(f, JSON.stringify(m, null, 2));
	}
	return dir;
}

/* A running `idverify serve` with its own data directory. */
export async function startService(extraArgs = []) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "idv-web-"));
	const dataDir = path.join(tmp, "data");
	const env = { ...process.env, IDVERIFY_ADMIN_KEY: ADMIN_KEY, OMP_THREAD_LIMIT: "1" };
	delete env.IDVERIFY_LISTEN;
	const kg = spawnSync(BIN, ["keygen", "--data-dir", dataDir], { env, encoding: "utf8" });
	assert.equal(kg.status, 0, kg.stderr);
	const port = await freePort();
	const logPath = path.join(tmp, "serve.log");
	const log = fs.openSync(logPath, "a");
	const proc = spawn(BIN, ["serve", "--data-dir", dataDir, "--listen", `127.0.0.1:${port}`,
		"--models", path.join(ROOT, "models"), ...extraArgs], { env, cwd: ROOT, stdio: ["ignore", log, log] });
	let exited = null;
	proc.on("exit", (code, sig) => { exited = { code, sig }; });
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 20000;
	for (;;) {
		if (exited)
			throw new Error(`idverify serve exited (${JSON.stringify(exited)}): ${fs.readFileSync(logPath, "utf8").slice(-2000)}`);
		try {
			const r = await fetch(url + "/healthz");
			if (r.status === 200)
				break;
		} catch (e) { /* not yet */ }
		if (Date.now() > deadline)
			throw new Error("idverify serve did not answer /healthz in 20 s");
		await new Promise((r) => setTimeout(r, 50));
	}
	return {
		url, port, dataDir, logPath, tmp,
		log: () => fs.readFileSync(logPath, "utf8"),
		admin: { Authorization: "Bearer " + ADMIN_KEY },
		async stop() {
			if (!exited) {
				proc.kill("SIGTERM");
				const t0 = Date.now();
				while (!exited && Date.now() - t0 < 15000)
					await new Promise((r) => setTimeout(r, 50));
				if (!exited)
					proc.kill("SIGKILL");
			}
			fs.closeSync(log);
			return exited;
		},
	};
}

/*
 * A real SMTP server on loopback for the codes the service sends: aiosmtpd (Debian's
 * python3-aiosmtpd, as tests/api uses) with its Mailbox handler writing a Maildir. mail.codeFor
 * waits for the n-th message to an address and answers the code in its text part.
 */
export async function startSmtp() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idv-web-smtp-"));
	const port = await freePort();
	const proc = spawn("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${port}`,
		"-c", "aiosmtpd.handlers.Mailbox", path.join(dir, "box")], { stdio: ["ignore", "ignore", "pipe"] });
	let stderr = "";
	proc.stderr.on("data", (d) => { stderr += d; });
	const deadline = Date.now() + 10000;
	for (;;) {
		const up = await new Promise((resolve) => {
			const c = net.connect(port, "127.0.0.1", () => { c.end(); resolve(true); });
			c.on("error", () => resolve(false));
		});
		if (up)
			break;
		if (proc.exitCode !== null || Date.now() > deadline)
			throw new Error("aiosmtpd did not start (python3-aiosmtpd): " + stderr.slice(-500));
		await new Promise((r) => setTimeout(r, 50));
	}
	const messagesTo = (addr) => {
		const d = path.join(dir, "box", "new");
		if (!fs.existsSync(d))
			return [];
		return fs.readdirSync(d).sort().map((f) => fs.readFileSync(path.join(d, f), "utf8"))
			.filter((m) => new RegExp(`^X-RcptTo: .*${addr.replace(/[.+]/g, "\\$&")}`, "mi").test(m));
	};
	return {
		port, messagesTo,
		args: ["--smtp-url", `smtp://127.0.0.1:${port}`, "--smtp-from", "privacy@example.org"],
		async codeFor(addr, n = 1, timeout = 20000) {
			const end = Date.now() + timeout;
			for (;;) {
				const got = messagesTo(addr);
				if (got.length >= n) {
					const text = got[n - 1].slice(got[n - 1].indexOf("text/plain"));
					const m = /\b(\d{6})\b/.exec(text);
					assert.ok(m, "no code in the message to " + addr);
					return m[1];
				}
				if (Date.now() > end)
					throw new Error(`no message ${n} to ${addr}`);
				await new Promise((r) => setTimeout(r, 100));
			}
		},
		stop() {
			proc.kill("SIGTERM");
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

export async function api(svc, method, p, body, headers = {}) {
	const r = await fetch(svc.url + p, {
		method, headers: { ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await r.text();
	let json = null;
	try {
		json = JSON.parse(text);
	} catch (e) { /* not JSON */ }
	return { status: r.status, json, text, headers: r.headers };
}

/* Generated licences (seeds/gen/gen_licences.py): [{front, back, truth}] in a temp directory. */
export function generateLicences(dir, count, seed) {
	const r = spawnSync("/usr/bin/python3", [path.join(ROOT, "seeds", "gen", "gen_licences.py"), dir,
		"--count", String(count), "--seed", String(seed), "--only", "clean"], { encoding: "utf8" });
	assert.equal(r.status, 0, r.stderr);
	const out = [];
	for (let i = 0; i < count; i++) {
		const base = path.join(dir, `card${String(i).padStart(3, "0")}`);
		out.push({
			front: base + "-front.png", back: base + "-back.png",
			truth: JSON.parse(fs.readFileSync(base + "-front.json", "utf8")).fields,
		});
	}
	return out;
}

/* The customer record a licence's holder would have, loaded through the admin API. */
export async function loadRecordFor(svc, id, t, extra = {}) {
	const given = t.given_names.split(" ");
	const rec = {
		id, given_name: given[0], middle_name: given.slice(1).join(" "), family_name: t.family_name,
		date_of_birth: t.date_of_birth, street: t.street, unit: t.unit || "", city: t.city,
		state: t.state, postal_code: t.postal_code, ...extra,
	};
	const r = await api(svc, "POST", "/v1/records", { records: [rec] }, svc.admin);
	assert.equal(r.status, 200, r.text);
	return rec;
}

export async function launch() {
	const { chromium } = await import("playwright-core");
	/* playwright starts chromium with a new empty profile directory of its own each time */
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--disable-dev-shm-usage"],
	});
	return browser;
}

export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 900 } };

/*
 * A page with the guards every test wants. page.idv.requests holds every URL requested;
 * page.idv.foreign those outside the service's origin; page.idv.errors console errors and page
 * errors (allowed ones can be removed by the test before the final check).
 */
export async function guardedPage(browser, svc, opts = PHONE) {
	const context = await browser.newContext({ ...opts, serviceWorkers: "block" });
	const page = await context.newPage();
	const origin = new URL(svc.url).origin;
	page.idv = { requests: [], foreign: [], errors: [] };
	page.on("request", (r) => {
		const u = r.url();
		page.idv.requests.push({ method: r.method(), url: u, headers: r.headers() });
		if (!u.startsWith("blob:") && !u.startsWith("data:") && new URL(u).origin !== origin)
			page.idv.foreign.push(u);
	});
	page.on("console", (m) => {
		if (m.type() === "error")
			page.idv.errors.push(m.text());
	});
	page.on("pageerror", (e) => page.idv.errors.push("pageerror: " + e.message));
	page.setDefaultTimeout(15000);
	return page;
}

/* The checks at the end of a page's test. allowErrors: regexps of expected console errors. */
export function assertClean(page, allowErrors = []) {
	assert.deepEqual(page.idv.foreign, [], "requests left the service's origin");
	const errors = page.idv.errors.filter((e) => !allowErrors.some((re) => re.test(e)));
	assert.deepEqual(errors, [], "console errors (CSP violations, script errors)");
}

let shotNo = 0;
export async function shot(page, name) {
	fs.mkdirSync(SHOTS, { recursive: true });
	const file = path.join(SHOTS, `${String(++shotNo).padStart(2, "0")}-${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

let AXE = null;

/* axe-core in the page (evaluated through the DevTools protocol, so the page's CSP that allows
 * no inline script does not need loosening); fails on serious or critical violations. */
export async function assertAccessible(page, what) {
	if (AXE === null)
		AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
	if (!(await page.evaluate("typeof window.axe")).startsWith("object"))
		await page.evaluate(AXE);
	const res = await page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ["violations"] });
		return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
	});
	const bad = res.filter((v) => v.impact === "serious" || v.impact === "critical");
	assert.deepEqual(bad, [], `accessibility violations on ${what}: ${JSON.stringify(bad, null, 1)}`);
	return res;
}

/* The page fits a phone screen: nothing wider than the viewport. */
export async function assertNoSideScroll(page) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(w[0] <= w[1], `the page is ${w[0]} px wide on a ${w[1]} px screen`);
}

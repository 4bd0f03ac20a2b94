// SPDX-License-Identifier: Apache-2.0
// The intake form's code step (issue 15) in a real browser at phone width: a consumer who
// chooses to prove it with a one-time code types name, date of birth and e-mail, is told "if
// we hold this contact, a code is on its way", reads the code from the message a real SMTP
// server (Debian's python3-aiosmtpd, tests/web/smtp_sink.py) received, types a wrong one first,
// asks for a new one after the countdown, and completes the request with the code: no document.
// A person who is not on file gets the same words and no message. Every page is checked as in
// web.test.mjs and photographed into IDV_SCREENSHOTS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import {
	ROOT, skipUnlessReady, startService, launch, guardedPage, assertClean, assertAccessible,
	assertNoSideScroll, shot, api, PHONE,
} from "./harness.mjs";

skipUnlessReady();

let svc, browser, smtp, mailDir;

/* The SMTP sink: resolves its port once it listens. */
function startSmtp(dir) {
	return new Promise((resolve, reject) => {
		const p = spawn("/usr/bin/python3", [path.join(ROOT, "tests", "web", "smtp_sink.py"), dir],
			{ stdio: ["pipe", "pipe", "inherit"] });
		let out = "";
		p.stdout.on("data", (d) => {
			out += d;
			const m = /ready (\d+)/.exec(out);
			if (m)
				resolve({ proc: p, port: Number(m[1]) });
		});
		p.on("exit", (code) => reject(new Error(`smtp_sink.py exited ${code} (python3-aiosmtpd installed?)`)));
	});
}

/* The messages received so far: [{to, raw}], oldest first. */
function mails() {
	return fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml")).sort().map((f) => {
		const t = fs.readFileSync(path.join(mailDir, f), "latin1");
		const nl = t.indexOf("\n");
		return { to: t.slice(0, nl).split(","), raw: t.slice(nl + 1) };
	});
}

async function waitMails(n, ms = 20000) {
	const t0 = Date.now();
	for (;;) {
		const m = mails();
		if (m.length >= n)
			return m;
		assert.ok(Date.now() - t0 < ms, `${n} message(s) expected, ${m.length} received`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/* The code of a message: the digits alone on their line in the text part (code.txt). */
function codeOf(raw) {
	const m = /^ {4}(\d{6,8})\s*$/m.exec(raw);
	assert.ok(m, "a code in the message");
	return m[1];
}

before(async () => {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "idv-web-mail-"));
	mailDir = path.join(tmp, "mail");
	fs.mkdirSync(mailDir);
	smtp = await startSmtp(mailDir);
	svc = await startService(["--smtp-url", `smtp://127.0.0.1:${smtp.port}`, "--smtp-from",
		"privacy@example.org", "--status-interval", "1", "--code-resend", "4"]);
	browser = await launch();
});

after(async () => {
	if (browser)
		await browser.close();
	if (svc) {
		const ex = await svc.stop();
		assert.deepEqual(ex, { code: 0, sig: null }, "idverify serve did not exit cleanly on SIGTERM");
	}
	if (smtp)
		smtp.proc.kill("SIGTERM");
	if (mailDir)
		fs.rmSync(path.dirname(mailDir), { recursive: true, force: true });
});

async function fileWithCode(page, p) {
	await page.goto(svc.url + "/");
	await page.locator("#intake").waitFor({ state: "visible" });
	await page.getByText("Tell me what kinds of information you have about me").click();
	await page.getByLabel("First and middle names").fill(p.given);
	await page.getByLabel("Last name", { exact: true }).fill(p.family);
	await page.getByLabel(/^Date of birth/).fill(p.dob);
	await page.getByLabel(/^E-mail address/).fill(p.email);
	const choice = page.getByLabel("Send a code to the e-mail address we have for me");
	await choice.waitFor({ state: "visible" });
	assert.ok(await choice.isChecked(), "the code is offered first when the policy counts it");
}

test("a request completed with a code only, no document, at phone width", async () => {
	const p = { given: "Cora", family: "Webcode", dob: "1988-04-12", email: "cora.webcode@example.com" };
	const r = await api(svc, "POST", "/v1/records", { records: [{ id: "WEB-C", given_name: p.given,
		family_name: p.family, date_of_birth: p.dob, email: p.email }] }, svc.admin);
	assert.equal(r.status, 200, r.text);
	const page = await guardedPage(browser, svc, PHONE);
	await fileWithCode(page, p);
	assert.ok(await page.locator("#docs-step").isHidden(), "a standard request asks for no document");
	/* the form's check counts the code as the second point: without it, the DOB alone is not enough */
	await page.getByLabel("No code").check();
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#summary", { hasText: "a code sent to a contact we hold" }).waitFor();
	await page.getByLabel("Send a code to the e-mail address we have for me").check();
	await assertNoSideScroll(page);
	await shot(page, "intake-code-choice-phone");
	await page.getByRole("button", { name: "Send my request" }).click();

	const view = page.locator("#code-view");
	await view.waitFor({ state: "visible" });
	await page.locator("#code-sent", { hasText: "If we hold c•••@example.com for you, a code is on its way" }).waitFor();
	assert.equal(await page.getByLabel("The code in the e-mail").getAttribute("autocomplete"), "one-time-code");
	assert.ok(await page.locator("#code-resend").isDisabled(), "resend waits for its countdown");
	assert.match(await page.locator("#code-resend").textContent(), /in \d+ s/);
	const first = await waitMails(1);
	assert.deepEqual(first[0].to, [p.email]);
	const code1 = codeOf(first[0].raw);
	await assertAccessible(page, "the code step");
	await assertNoSideScroll(page);
	await shot(page, "intake-code-sent-phone");

	/* a wrong code: said next to the field, with the tries left */
	const wrong = String((Number(code1) + 1) % 1000000).padStart(6, "0");
	await page.getByLabel("The code in the e-mail").fill(wrong);
	await page.getByRole("button", { name: "Confirm the code" }).click();
	await page.locator("#code-err", { hasText: "That is not the code we sent" }).waitFor();
	assert.match(await page.locator("#code-err").textContent(), /4 tries left/);
	assert.equal(await page.getByLabel("The code in the e-mail").getAttribute("aria-invalid"), "true");
	await shot(page, "intake-code-wrong-phone");

	/* a new code after the countdown: the first one no longer works */
	await page.locator("#code-resend:not([disabled])").waitFor({ timeout: 15000 });
	await page.getByRole("button", { name: "Send a new code" }).click();
	const second = await waitMails(2);
	const code2 = codeOf(second[1].raw);
	await page.locator("#code-resend-status", { hasText: /new code in \d+ seconds|more code/ }).waitFor();
	if (code2 !== code1) {
		await page.getByLabel("The code in the e-mail").fill(code1);
		await page.getByRole("button", { name: "Confirm the code" }).click();
		await page.locator("#code-err", { hasText: "That is not the code we sent" }).waitFor();
	}
	await page.getByLabel("The code in the e-mail").fill(code2.slice(0, 3) + " " + code2.slice(3));
	await page.getByRole("button", { name: "Confirm the code" }).click();

	const done = page.locator("#done-view");
	await done.waitFor({ state: "visible" });
	await page.locator("#done-outcome", { hasText: "Your code is confirmed" }).waitFor();
	const ref = (await page.locator("#done-ref").textContent()).trim();
	const v = await api(svc, "GET", "/v1/requests/" + ref, null, svc.admin);
	assert.equal(v.json.status, "verified", JSON.stringify(v.json));
	assert.equal(v.json.documents.length, 0, "verified with no document");
	assert.match(await page.locator("#done-outcome").textContent(), /We have confirmed who you are/);
	await assertAccessible(page, "the outcome after a code");
	await assertNoSideScroll(page);
	await shot(page, "intake-code-verified-phone");
	const text = svc.log();
	assert.ok(!text.includes(code1) && !text.includes(code2) && !text.includes(p.email), "code or contact in the log");
	assertClean(page, [/status of 422/]); /* the wrong codes */
	await page.context().close();
});

test("not on file: the same words, and no message", async () => {
	const before = mails().length;
	const page = await guardedPage(browser, svc, PHONE);
	await fileWithCode(page, { given: "Nobody", family: "Onfile", dob: "1970-01-01", email: "cora.nobody@example.com" });
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#code-view").waitFor({ state: "visible" });
	await page.locator("#code-sent", { hasText: "If we hold c•••@example.com for you, a code is on its way" }).waitFor();
	await new Promise((r) => setTimeout(r, 3000));
	assert.equal(mails().length, before, "a message went to a contact nobody holds");
	await page.getByLabel("The code in the e-mail").fill("123456");
	await page.getByRole("button", { name: "Confirm the code" }).click();
	await page.locator("#code-err", { hasText: "That is not the code we sent" }).waitFor();
	await shot(page, "intake-code-not-on-file-phone");
	assertClean(page, [/status of 422/]); /* the wrong codes */
	await page.context().close();
});

test("the code entered later on the status page, from the private link", async () => {
	const p = { given: "Cora", family: "Laterpage", dob: "1991-07-23", email: "cora.later@example.com" };
	const r = await api(svc, "POST", "/v1/records", { records: [{ id: "WEB-L", given_name: p.given,
		family_name: p.family, date_of_birth: p.dob, email: p.email }] }, svc.admin);
	assert.equal(r.status, 200, r.text);
	const n = mails().length;
	const page = await guardedPage(browser, svc, PHONE);
	await fileWithCode(page, p);
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#code-view").waitFor({ state: "visible" });
	const link = (await page.locator("#code-link").textContent()).trim();
	await waitMails(n + 1); /* the first code; this person will not use it */
	await page.context().close();

	const later = await guardedPage(browser, svc, PHONE);
	await later.goto(link);
	await later.locator("#needed-section", { hasText: "The code we send to a contact we hold" }).waitFor();
	await later.getByRole("button", { name: /Send me a code|Send a new code/ }).waitFor();
	await later.locator("#code-resend").click();
	/* the page does not know when the last code went: too early, it says so and counts down */
	const sent = later.locator("#code-sent", { hasText: "If we hold c•••@example.com for you, a code is on its way" });
	const early = later.locator("#code-error", { hasText: "A code was sent a moment ago" });
	await sent.or(early).waitFor();
	if (await early.isVisible()) {
		assert.match(await later.locator("#code-resend").textContent(), /in \d+ s/);
		await later.locator("#code-resend:not([disabled])").waitFor({ timeout: 15000 });
		await later.locator("#code-resend").click();
		await sent.waitFor();
	}
	const m = await waitMails(n + 2);
	assert.deepEqual(m[n + 1].to, [p.email]);
	const code = codeOf(m[n + 1].raw);
	await assertAccessible(later, "the status page's code step");
	await assertNoSideScroll(later);
	await shot(later, "status-code-step-phone");
	await later.getByLabel("The code in the e-mail").fill(code);
	await later.getByRole("button", { name: "Confirm the code" }).click();
	await later.locator("#outcome", { hasText: "We have confirmed who you are" }).waitFor();
	assert.ok(await later.locator("#needed-section").isHidden());
	await shot(later, "status-code-verified-phone");
	assertClean(later, [/status of 429/]); /* a code asked for too early */
	await later.context().close();
});

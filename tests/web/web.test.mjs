// SPDX-License-Identifier: Apache-2.0
// The pages in a real browser (Debian's chromium, playwright-core): a consumer files requests
// through the intake form with generated documents, follows them on the status page to a
// decision, signs the declaration, confirms a delete, withdraws; the form's messages for wrong
// files and network failures; the status page without its token. Every page is checked for
// requests leaving the origin, console errors (CSP) and accessibility (axe-core), and
// photographed into the build directory (IDV_SCREENSHOTS).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import {
	BIN, skipUnlessReady, startService, launch, guardedPage, assertClean, assertAccessible,
	assertNoSideScroll, shot, generateLicences, loadRecordFor, api, startSmtp, PHONE, DESKTOP,
	typedContactModels,
} from "./harness.mjs";

skipUnlessReady();

let svc, browser, cards, genDir;
const today = new Date().toISOString().slice(0, 10);
const NET_ERR = /net::ERR_(INTERNET_DISCONNECTED|FAILED|CONNECTION)/;

before(async () => {
	genDir = fs.mkdtempSync(path.join(os.tmpdir(), "idv-web-gen-"));
	cards = generateLicences(genDir, 2, 11);
	/* these pages verify with typed details: a business that counts typed e-mail and phone */
	svc = await startService(["--models", typedContactModels()]);
	browser = await launch();
});

after(async () => {
	if (browser)
		await browser.close();
	if (svc) {
		const ex = await svc.stop();
		assert.deepEqual(ex, { code: 0, sig: null }, "idverify serve did not exit cleanly on SIGTERM");
	}
	if (genDir)
		fs.rmSync(genDir, { recursive: true, force: true });
});

const title = (s) => s.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase());

async function openIntake(page) {
	await page.goto(svc.url + "/");
	await page.locator("#intake").waitFor({ state: "visible" });
}

async function fillPerson(page, p) {
	await page.getByLabel("First and middle names").fill(p.given);
	await page.getByLabel("Last name", { exact: true }).fill(p.family);
	if (p.dob)
		await page.getByLabel(/^Date of birth/).fill(p.dob);
	if (p.street) {
		await page.getByLabel("Street address", { exact: true }).fill(p.street);
		await page.getByLabel("City", { exact: true }).fill(p.city);
		await page.getByLabel("State", { exact: true }).selectOption(p.state);
		await page.getByLabel("ZIP code", { exact: true }).fill(p.zip);
	}
	if (p.email)
		await page.getByLabel(/^E-mail address/).fill(p.email);
}

function tokenOf(href) {
	const m = /#token=([0-9a-f]{64})$/.exec(href);
	assert.ok(m, "the private link carries the token in its fragment: " + href);
	return m[1];
}

/* The token never travels in a URL, only in Authorization headers; and never reaches the log. */
function assertTokenPrivate(page, token) {
	for (const r of page.idv.requests)
		assert.ok(!r.url.includes(token), "token in a requested URL: " + r.url);
	assert.ok(!svc.log().includes(token), "token in the service log");
	assert.ok(page.idv.requests.some((r) => r.headers.authorization === "Bearer " + token),
		"the token is sent as a bearer token");
}

test("know specific pieces: licence front and back, declaration, status to a decision", async () => {
	const c = cards[0];
	const t = c.truth;
	const expired = t.expiry_date < today;
	await loadRecordFor(svc, "WEB-1", t, { email: "web.one@example.com" });
	const page = await guardedPage(browser, svc, PHONE);
	await openIntake(page);
	await assertAccessible(page, "the empty intake form");
	await shot(page, "intake-empty-phone");

	/* keyboard: Tab reaches the request types, arrows choose one */
	for (let i = 0; i < 20; i++) {
		await page.keyboard.press("Tab");
		if (await page.evaluate(() => document.activeElement && document.activeElement.name === "request_type"))
			break;
	}
	await page.keyboard.press("Space");
	await page.keyboard.press("ArrowDown");
	assert.equal(await page.locator("input[name=request_type]:checked").getAttribute("value"), "know_specific");

	/* the heightened level asks for the ID and the declaration; the policy's fields only */
	await page.locator("#docs-step").waitFor({ state: "visible" });
	await page.locator("#decl-step").waitFor({ state: "visible" });
	assert.equal(await page.locator("input[name=ssn], input[name*=social]").count(), 0);
	const statement = (await api(svc, "GET", "/v1/declaration-statement")).json;
	await page.locator(".statement", { hasText: "penalty of perjury" }).waitFor();
	assert.equal((await page.locator(".statement").textContent()).trim(), statement.text);

	await fillPerson(page, {
		given: title(t.given_names), family: title(t.family_name), dob: t.date_of_birth,
		street: title(t.street), city: title(t.city), state: t.state, zip: t.postal_code,
		email: "web.one@example.com",
	});
	await page.setInputFiles("input[data-kind=government_id-0]", c.front);
	await page.setInputFiles("input[data-kind=government_id-1]", c.back);
	await page.locator("[data-doc=government_id] .preview img").nth(1).waitFor();
	assert.equal(await page.locator("[data-doc=government_id] .error-text:not(:empty)").count(), 0);
	await page.getByLabel("I have read the statement above and it is true.").check();
	await page.getByLabel("Type your full name to sign").fill(`${title(t.given_names)} ${title(t.family_name)}`);
	await assertNoSideScroll(page);
	await assertAccessible(page, "the filled intake form");
	await shot(page, "intake-know-specific-filled-phone");

	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#done-view").waitFor({ state: "visible", timeout: 30000 });
	const ref = (await page.locator("#done-ref").textContent()).trim();
	assert.match(ref, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
	assert.match(await page.locator("#done-ack").textContent(), /^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
	assert.match(await page.locator("#done-due").textContent(), /^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
	/* the upload progress bars went to the end */
	for (const v of await page.locator("[data-doc=government_id] progress").evaluateAll((ps) => ps.map((p) => p.value)))
		assert.equal(v, 100);
	const href = await page.locator("#status-link").getAttribute("href");
	const token = tokenOf(href);
	await assertAccessible(page, "the confirmation");
	await shot(page, "intake-done-phone");

	await page.locator("#status-link").click();
	await page.waitForURL(new RegExp(`/requests/${ref}$`));
	assert.ok(!page.url().includes("token"), "the token is taken out of the address bar");
	await page.locator("#view").waitFor({ state: "visible" });
	await shot(page, "status-reading-phone");
	const want = expired ? "A person on our team is checking" : "We have confirmed who you are";
	await page.locator("#outcome", { hasText: want }).waitFor({ timeout: 120000 });
	await page.locator("[data-file-status=ok]").nth(1).waitFor();
	assert.ok(await page.locator("#received", { hasText: "Signed declaration" }).isVisible());
	assert.ok(await page.locator("#needed-section").isHidden());
	await assertNoSideScroll(page);
	await assertAccessible(page, "the status page after the decision");
	await shot(page, expired ? "status-manual-review-phone" : "status-verified-phone");

	/* a reload keeps the token in sessionStorage, not in the URL */
	await page.reload();
	await page.locator("#outcome", { hasText: want }).waitFor();
	assertTokenPrivate(page, token);
	assertClean(page);
	await page.context().close();
});

test("delete: typed details verified, then the second confirmation", async () => {
	const person = { given: "Dana Lou", family: "Examplar", dob: "1980-02-29", email: "dana.web2@example.com" };
	const r = await api(svc, "POST", "/v1/records", { records: [{ id: "WEB-2", given_name: "Dana", middle_name: "Lou",
		family_name: "Examplar", date_of_birth: person.dob, email: person.email }] }, svc.admin);
	assert.equal(r.status, 200, r.text);
	const page = await guardedPage(browser, svc, PHONE);
	await openIntake(page);
	await page.getByText("Delete information you have about me").click();
	await page.getByText("Purchase history").click();
	assert.ok(await page.locator("#docs-step").isHidden(), "a standard-level delete asks for no documents");
	assert.ok(await page.locator("#decl-step").isHidden());
	/* a heightened class brings the ID and the declaration, and taking it away removes them */
	await page.getByText("Contact details (address, e-mail, phone)").click();
	await page.locator("#decl-step").waitFor({ state: "visible" });
	await page.getByText("Contact details (address, e-mail, phone)").click();
	await page.locator("#decl-step").waitFor({ state: "hidden" });

	/* the form's own checks first: nothing typed */
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#summary", { hasText: "Enter the last name." }).waitFor();
	assert.equal(await page.evaluate(() => document.activeElement.id), "summary");
	await shot(page, "intake-missing-fields-phone");
	await fillPerson(page, person);
	await page.getByLabel(/^E-mail address/).fill("dana at example");
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#email-err", { hasText: "Enter an e-mail address like" }).waitFor();
	assert.equal(await page.getByLabel(/^E-mail address/).getAttribute("aria-invalid"), "true");
	await page.getByLabel(/^E-mail address/).fill(person.email);
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#done-view").waitFor({ state: "visible" });
	assert.match(await page.locator("#done-next").textContent(), /confirm that you want your information deleted/);
	await page.locator("#status-link").click();
	await page.locator("#outcome", { hasText: "We have confirmed who you are" }).waitFor();
	await page.locator("#confirm-section", { hasText: "Deleting it cannot be undone" }).waitFor();
	await assertAccessible(page, "the delete confirmation");
	await shot(page, "status-delete-to-confirm-phone");
	await page.getByRole("button", { name: "Yes, delete my information" }).click();
	await page.locator("#confirm-body", { hasText: "You confirmed on" }).waitFor();
	await page.locator("#received", { hasText: "Your confirmation of the deletion" }).waitFor();
	await shot(page, "status-delete-confirmed-phone");
	const ref = (await page.locator("#ref").textContent()).trim();
	const view = await api(svc, "GET", "/v1/requests/" + ref, null, svc.admin);
	assert.ok(view.json.delete_confirmed_at, "the server recorded the confirmation");
	assertClean(page);
	await page.context().close();
});

test("a wrong guess: the status page says it was not verified, never which detail was wrong", async () => {
	/* issue 19: the page used to list the reasons ("The date of birth does not match our
	 * records."), which let anyone learn a customer's details one guess at a time */
	const r = await api(svc, "POST", "/v1/records", { records: [{ id: "WEB-G", given_name: "Gus",
		family_name: "Guesswork", date_of_birth: "1975-05-17", email: "gus.web@example.com" }] }, svc.admin);
	assert.equal(r.status, 200, r.text);
	const page = await guardedPage(browser, svc, PHONE);
	await openIntake(page);
	await page.getByText("Tell me what kinds of information you have about me").click();
	await fillPerson(page, { given: "Gus", family: "Guesswork", dob: "1975-05-18", email: "gus.web@example.com" });
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#done-view").waitFor({ state: "visible" });
	await page.locator("#status-link").click();
	await page.locator("#outcome", { hasText: "We could not confirm who you are" }).waitFor();
	await page.locator("#outcome", { hasText: "You can make a new request" }).waitFor();
	const text = await page.locator("main").textContent();
	for (const leak of [/date of birth/i, /does not match/i, /our records/i, /candidate/i, /e-mail/i])
		assert.ok(!leak.test(text), `the status page explains the decision: ${leak}`);
	assert.equal(await page.locator("#reasons").count(), 0);
	await assertAccessible(page, "the status page of a request not verified");
	await shot(page, "status-not-verified-phone");
	assertClean(page);
	await page.context().close();
});

test("opt-out needs no proof; withdrawing closes the request", async () => {
	const page = await guardedPage(browser, svc, DESKTOP);
	await openIntake(page);
	await page.getByText("Stop selling or sharing my information").click();
	assert.ok(await page.locator("[data-point=date_of_birth]").isHidden(), "opt-out asks no date of birth (R3)");
	assert.ok(await page.locator("[data-point=address]").isHidden());
	assert.ok(await page.locator("#docs-step").isHidden());
	await assertAccessible(page, "the opt-out form");
	await shot(page, "intake-opt-out-desktop");
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#done-view").waitFor({ state: "visible" });
	await page.locator("#status-link").click();
	await page.locator("#outcome", { hasText: "needs no proof of identity" }).waitFor();
	await page.getByRole("button", { name: "Withdraw my request" }).click();
	await page.getByRole("button", { name: "Yes, withdraw it" }).click();
	await page.locator("#outcome", { hasText: "You withdrew this request" }).waitFor();
	assert.ok(await page.locator("#withdraw-section").isHidden());
	await assertAccessible(page, "a withdrawn request");
	await shot(page, "status-withdrawn-desktop");
	assertClean(page);
	await page.context().close();
});

test("the form's messages: wrong type, too large, damaged, network failure, unreadable", async () => {
	const policy = (await api(svc, "GET", "/v1/intake")).json;
	const max = policy.upload.max_file_bytes;
	const page = await guardedPage(browser, svc, PHONE);
	await openIntake(page);
	await page.getByText("Send me a copy of the information you have about me").click();
	const person = { given: "Robin", family: "Placeholt", dob: "1975-05-06", street: "12 Elm St", city: "Fresno",
		state: "CA", zip: "93721", email: "robin.web4@example.com" };
	await fillPerson(page, person);
	const front = "input[data-kind=government_id-0]";
	const frontErr = page.locator("[data-doc=government_id] .file").first().locator(".error-text");

	await page.setInputFiles(front, { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("my licence number is ...") });
	await frontErr.filter({ hasText: "is not a type we accept" }).waitFor();
	await shot(page, "intake-wrong-type-phone");

	const big = Buffer.alloc(max + 1);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(big);
	await page.setInputFiles(front, { name: "huge.png", mimeType: "image/png", buffer: big });
	await frontErr.filter({ hasText: `The largest file we accept is ${Math.round(max / 1048576)} MB` }).waitFor();
	await shot(page, "intake-too-large-phone");

	const damaged = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);
	await page.setInputFiles(front, { name: "scan.png", mimeType: "image/png", buffer: damaged });
	await frontErr.filter({ hasText: "looks damaged" }).waitFor();
	assert.equal(await page.locator(front).getAttribute("aria-invalid"), "true");
	await shot(page, "intake-damaged-phone");

	/* a TIFF the browser cannot check: the server's reader finds it unreadable later */
	const tiff = Buffer.concat([Buffer.from("II*\0"), Buffer.alloc(2000, 0x55)]);
	await page.setInputFiles(front, { name: "licence.tif", mimeType: "image/tiff", buffer: tiff });
	await page.locator("[data-doc=government_id] .preview .badge", { hasText: "TIF" }).waitFor();
	assert.equal(await frontErr.textContent(), "");
	await page.getByLabel("I have read the statement above and it is true.").check();
	await page.getByLabel("Type your full name to sign").fill("Robin Placeholt");

	/* the network fails while filing: a clear message, nothing typed is lost */
	await page.route("**/v1/requests", (route) => route.abort("internetdisconnected"));
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#send-error", { hasText: "We could not reach the server" }).waitFor();
	assert.equal(await page.getByLabel("Last name", { exact: true }).inputValue(), "Placeholt");
	assert.equal(await page.getByLabel("ZIP code", { exact: true }).inputValue(), "93721");
	assert.equal(await page.locator(front).evaluate((i) => i.files[0] && i.files[0].name), "licence.tif");
	assert.equal(await page.getByLabel("Type your full name to sign").inputValue(), "Robin Placeholt");
	await shot(page, "intake-network-failure-phone");
	await page.unroute("**/v1/requests");

	/* it fails again during the upload: the request is recorded, sending again resumes */
	await page.route("**/documents", (route) => route.abort("internetdisconnected"));
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#send-error", { hasText: "We could not reach the server" }).waitFor();
	await page.locator("#send-status", { hasText: "Your request is recorded with reference" }).waitFor();
	assert.ok(await page.getByLabel("Last name", { exact: true }).isDisabled(), "the recorded request's details are locked");
	await shot(page, "intake-upload-failure-phone");
	await page.unroute("**/documents");
	await page.getByRole("button", { name: "Send my request" }).click();
	await page.locator("#done-view").waitFor({ state: "visible" });
	const creates = page.idv.requests.filter((r) => r.method === "POST" && r.url.endsWith("/v1/requests"));
	assert.equal(creates.length, 2, "one failed and one successful filing, no duplicate request");

	await page.locator("#status-link").click();
	const bad = page.locator("[data-file-status=unreadable]");
	await bad.waitFor({ timeout: 60000 });
	assert.match(await bad.textContent(), /We could not read this document\. .*TIFF/);
	await assertAccessible(page, "the status page with an unreadable document");
	await shot(page, "status-unreadable-phone");
	assertClean(page, [NET_ERR]);
	await page.context().close();
});

test("the status page without its private link, or with a wrong one", async () => {
	const page = await guardedPage(browser, svc, PHONE);
	await page.goto(svc.url + "/requests/ABCD-EFGH-JKMN-P");
	await page.locator("#token-form").waitFor({ state: "visible" });
	await page.getByLabel("Your private link").fill("not a link");
	await page.getByRole("button", { name: "Open my request" }).click();
	await page.locator("#token-input-err", { hasText: "Paste the whole private link" }).waitFor();
	await page.getByLabel("Your private link").fill(`${svc.url}/requests/ABCD-EFGH-JKMN-P#token=${"ab".repeat(32)}`);
	await page.getByRole("button", { name: "Open my request" }).click();
	await page.locator("#load-status", { hasText: "This link is not valid" }).waitFor();
	await assertAccessible(page, "the status page asking for its link");
	await shot(page, "status-no-token-phone");
	assertClean(page, [/401/]);
	await page.context().close();
});

/* A heightened request with an expired licence: the engine sends it to people. */
async function expiredLicenceCase() {
	const c = cards[1];
	const t = c.truth;
	assert.ok(t.expiry_date < today, "the second generated card is expired");
	await loadRecordFor(svc, "WEB-R", t, { email: "web.review@example.com" });
	const claims = { given_names: title(t.given_names), family_name: title(t.family_name), date_of_birth: t.date_of_birth,
		email: "web.review@example.com", address: { street: title(t.street), city: title(t.city), state: t.state, postal_code: t.postal_code } };
	const v = (await api(svc, "POST", "/v1/requests", { request_type: "know_specific", claims, channel: "web" })).json;
	const auth = { Authorization: "Bearer " + v.token };
	const form = new FormData();
	form.append("kind", "government_id");
	form.append("file", new Blob([fs.readFileSync(c.front)], { type: "image/png" }), "front.png");
	form.append("file", new Blob([fs.readFileSync(c.back)], { type: "image/png" }), "back.png");
	const up = await fetch(`${svc.url}/v1/requests/${v.reference}/documents`, { method: "POST", headers: auth, body: form });
	assert.equal(up.status, 202);
	const st = (await api(svc, "GET", "/v1/declaration-statement")).json;
	const d = await api(svc, "POST", `/v1/requests/${v.reference}/declaration`,
		{ typed_name: `${claims.given_names} ${claims.family_name}`, statement_version: st.version, consent: true }, auth);
	assert.equal(d.status, 200, d.text);
	let view;
	for (let i = 0; i < 120; i++) {
		view = (await api(svc, "GET", "/v1/requests/" + v.reference, null, auth)).json;
		if (view.status !== "processing" && view.status !== "awaiting_evidence")
			break;
		await new Promise((r) => setTimeout(r, 500));
	}
	assert.equal(view.status, "manual_review", JSON.stringify(view.outcome));
	return { ref: v.reference, token: v.token, truth: t };
}

function reviewerKey(name) {
	const r = spawnSync(BIN, ["keys", "create", "--role", "reviewer", "--name", name, "--data-dir", svc.dataDir], { encoding: "utf8" });
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim();
}

async function openConsole(page, key) {
	await page.getByLabel("Reviewer key").fill(key);
	await page.getByRole("button", { name: "Open the console" }).click();
	await page.locator("#console").waitFor({ state: "visible" });
}

test("reviewers decide a manual-review case: side by side, boxes, reveal, two decisions", async () => {
	const c = await expiredLicenceCase();
	const keyA = reviewerKey("Reviewer A");
	const keyB = reviewerKey("Reviewer B");
	const page = await guardedPage(browser, svc, DESKTOP);
	await page.goto(svc.url + "/review");
	await page.locator("#key-form").waitFor({ state: "visible" });
	await assertAccessible(page, "the console's key form");
	await page.getByLabel("Reviewer key").fill("too short");
	await page.getByRole("button", { name: "Open the console" }).click();
	await page.locator("#key-err", { hasText: "Enter the whole reviewer key" }).waitFor();
	await page.getByLabel("Reviewer key").fill("idvk_0000000000000000_" + "0".repeat(64));
	await page.getByRole("button", { name: "Open the console" }).click();
	await page.locator("#key-err", { hasText: "This key was not accepted" }).waitFor();
	await openConsole(page, keyA);

	const item = page.locator(`#queue button[data-ref="${c.ref}"]`);
	await item.waitFor();
	assert.match(await item.textContent(), /Answer due [A-Z][a-z]+ \d{1,2}, \d{4}/);
	await item.click();
	await page.locator("#case-h", { hasText: c.ref }).waitFor();
	await page.locator(".reasons", { hasText: "expired id" }).waitFor();
	/* side by side, masked, with indicators */
	const dobRow = page.locator("tr[data-field=date_of_birth]");
	assert.match(await dobRow.textContent(), new RegExp(`${c.truth.date_of_birth.slice(0, 4)}-\\*\\*-\\*\\*`));
	assert.ok(!(await page.locator("#case-body").textContent()).includes(c.truth.date_of_birth), "the date of birth is masked");
	assert.ok(await page.locator("tr[data-field=name] [data-match=yes]").count() >= 2);
	/* reveal needs the claim first */
	await dobRow.locator("[data-reveal='claims.date_of_birth']").click();
	await page.locator("form.reveal input").fill("check the day and month against the licence");
	await page.locator("form.reveal button[type=submit]").click();
	await page.locator("form.reveal .error-text", { hasText: "Claim the case first" }).waitFor();
	await page.locator("form.reveal button", { hasText: "Cancel" }).click();
	await page.getByRole("button", { name: "Claim this case" }).click();
	await page.locator("#msg", { hasText: "You hold" }).waitFor();
	await page.locator("[data-reveal='claims.date_of_birth']").click();
	await page.locator("form.reveal input").fill("why");
	await page.locator("form.reveal button[type=submit]").click();
	await page.locator("form.reveal .error-text", { hasText: "at least three words" }).waitFor();
	await page.locator("form.reveal input").fill("check the day and month against the licence");
	await page.locator("form.reveal button[type=submit]").click();
	await page.locator(".masked.revealed", { hasText: c.truth.date_of_birth }).waitFor();
	/* the image with the regions read */
	await page.getByRole("button", { name: "Show the image (Government ID, front)" }).click();
	await page.locator("figure.docimg img").waitFor();
	await page.waitForFunction(() => { const i = document.querySelector("figure.docimg img"); return i && i.complete && i.naturalWidth > 0; });
	assert.ok(await page.locator("figure.docimg rect[data-region=name]").count() >= 2, "name boxes drawn");
	assert.ok(await page.locator("figure.docimg rect[data-region=address]").count() >= 2, "address boxes drawn");
	await assertAccessible(page, "the console with a case open");
	await shot(page, "review-case-desktop");

	await page.getByText("Verified", { exact: true }).click();
	await page.getByLabel("Reason").fill("Licence expired in 2023 but name, date of birth and address agree with the record.");
	await page.getByRole("button", { name: "Record my decision" }).click();
	await page.locator("#msg", { hasText: "needs a second reviewer" }).waitFor();
	await page.getByRole("button", { name: "Record my decision" }).waitFor({ state: "detached" }).catch(() => {});

	/* the second reviewer */
	await page.getByRole("button", { name: "Forget my key" }).click();
	await openConsole(page, keyB);
	await page.getByLabel("Show").selectOption("awaiting_second");
	await page.locator(`#queue button[data-ref="${c.ref}"]`).click();
	await page.getByRole("button", { name: "Claim this case" }).click();
	await page.locator("#msg", { hasText: "You hold" }).waitFor();
	await page.getByText("Verified", { exact: true }).click();
	await page.getByLabel("Reason").fill("Agree: the expired licence matches the record in every point.");
	await page.getByRole("button", { name: "Record my decision" }).click();
	await page.locator("#msg", { hasText: `Decision recorded: ${c.ref} is verified` }).waitFor();
	await page.locator("#case-body", { hasText: "there is nothing left to decide" }).waitFor();
	await shot(page, "review-decided-desktop");
	const view = (await api(svc, "GET", "/v1/requests/" + c.ref, null, { Authorization: "Bearer " + c.token })).json;
	assert.equal(view.status, "verified");
	for (const k of [keyA, keyB]) {
		assert.ok(!page.idv.requests.some((r) => r.url.includes(k)), "a reviewer key in a URL");
		assert.ok(!svc.log().includes(k), "a reviewer key in the log");
	}
	assertClean(page, [/40[139]/]);
	await page.context().close();

	/* the consumer sees the decision */
	const consumer = await guardedPage(browser, svc, PHONE);
	await consumer.goto(`${svc.url}/requests/${c.ref}#token=${c.token}`);
	await consumer.locator("#outcome", { hasText: "We have confirmed who you are" }).waitFor();
	await shot(consumer, "status-after-review-phone");
	assertClean(consumer);
	await consumer.context().close();
});

test("the consumer's page for a request an agent filed", async () => {
	const v = (await api(svc, "POST", "/v1/requests", { request_type: "know_categories", channel: "web",
		requester: { role: "authorized_agent" },
		claims: { given_names: "Alex", family_name: "Agentson", email: "alex.agent@example.com", date_of_birth: "1990-01-02" } })).json;
	assert.ok(v.reference, JSON.stringify(v));
	assert.equal(v.user_verification_url, `${svc.url}/requests/${v.reference}/agent`);
	/* the agent's own token put in the address (the old attack) opens nothing: the page asks
	 * for the code sent to the consumer and never sends that token */
	const page = await guardedPage(browser, svc, PHONE);
	await page.goto(`${v.user_verification_url}#token=${v.token}`);
	await page.locator("#code-form").waitFor({ state: "visible" });
	assert.ok(await page.locator("#view").isHidden());
	await page.locator("h1", { hasText: "made for you by an authorized agent" }).waitFor();
	assert.ok(!page.idv.requests.some((r) => r.headers.authorization), "no credential was sent");
	await page.getByLabel("Your code").fill("12");
	await page.getByRole("button", { name: "Open the request" }).click();
	await page.locator("#code-input-err", { hasText: "Enter the digits" }).waitFor();
	await page.getByLabel("Your code").fill("000000");
	await page.getByRole("button", { name: "Open the request" }).click();
	await page.locator("#code-input-err", { hasText: /not the code we sent|expired|cannot be used/ }).waitFor();
	await page.getByRole("button", { name: "Send me a new code" }).click();
	await page.locator("#code-status", { hasText: /code|Wait a minute/ }).waitFor();
	await assertAccessible(page, "the agent request page's code form");
	await assertNoSideScroll(page);
	await shot(page, "agent-code-phone");
	assertClean(page, [/40[0-9]|422|429/]);
	await page.context().close();
});

/* ---- an authorized agent's request over DRP, and the consumer's page (R24) ---------------- */

const BUSINESS = "IDVERIFY_WEB_TEST";

/* A test agent with an Ed25519 key made here; signs DRP bodies as base64(signature || json). */
class DrpAgent {
	constructor(id) {
		const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
		this.id = id;
		this.key = privateKey;
		this.verifyKey = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("base64");
		this.token = null;
	}

	sign(obj) {
		const msg = Buffer.from(JSON.stringify(obj));
		return Buffer.concat([crypto.sign(null, msg, this.key), msg]).toString("base64");
	}

	claims(extra = {}) {
		const iso = (s) => new Date(Date.now() + s * 1000).toISOString().replace(/\.\d+Z$/, "Z");
		return { "agent-id": this.id, "business-id": BUSINESS, "issued-at": iso(-2), "expires-at": iso(600),
			"drp.version": "1.0", ...extra };
	}

	async post(svc, p, body) {
		const headers = { "Content-Type": "text/plain", ...(this.token ? { Authorization: "Bearer " + this.token } : {}) };
		const r = await fetch(svc.url + p, { method: "POST", headers, body: this.sign(body) });
		const text = await r.text();
		assert.equal(r.status, 200, text);
		return JSON.parse(text);
	}
}

async function startDrpService(agent, mail) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idv-web-drp-"));
	const file = path.join(dir, "agents.json");
	fs.writeFileSync(file, JSON.stringify({ version: "test", agents: [{ id: agent.id, name: "Privacy Helper Co.", verify_key: agent.verifyKey }] }));
	/* the shipped models (typed e-mails do not count): the consumer's code is the record's
	 * contact_code point */
	const s = await startService(["--agent-directory", file, "--business-id", BUSINESS, ...mail.args]);
	s.dirs = [dir];
	agent.token = null;
	agent.token = (await agent.post(s, "/v1/agent/" + agent.id, agent.claims())).token;
	return s;
}

/* The agent files an exercise; answers the status, whose user_verification_url has no token. */
async function fileExercise(s, agent, exercise, person) {
	const st = await agent.post(s, "/v1/data-rights-request", agent.claims({
		exercise, regime: "ccpa", name: person.name, email: person.email, ...(person.dob ? { birthdate: person.dob } : {}),
		"agent-request-id": "web-" + Date.now(),
	}));
	assert.equal(st.status, "in_progress");
	assert.equal(st.reason, "need_user_verification");
	assert.ok(st.user_verification_url.startsWith(s.url + "/requests/"), st.user_verification_url);
	assert.match(st.user_verification_url, /\/requests\/[^/#?]+\/agent$/);
	return st;
}

/* The consumer opens the page and types the n-th code we e-mailed to the address on file. */
async function enterCode(page, mail, address, n, shotName) {
	await page.locator("#code-form").waitFor({ state: "visible" });
	const code = await mail.codeFor(address, n);
	await page.getByLabel("Your code").fill(code.slice(0, 3) + " " + code.slice(3));
	if (shotName)
		await shot(page, shotName);
	await page.getByRole("button", { name: "Open the request" }).click();
	await page.locator("#view").waitFor({ state: "visible" });
	assert.ok(await page.locator("#code-form").isHidden());
}

/* A small PNG standing for the permission the consumer signed (ImageMagick). */
function permissionPng(dir) {
	const file = path.join(dir, "permission.png");
	const r = spawnSync("convert", ["-size", "640x240", "xc:white", "-fill", "black", "-pointsize", "22",
		"-annotate", "+20+60", "I permit Privacy Helper Co. to act for me.", "-annotate", "+20+140", "Signed: Ann Lee", file], { encoding: "utf8" });
	assert.equal(r.status, 0, r.stderr);
	return file;
}

async function drpStatus(s, agent, id) {
	const r = await fetch(`${s.url}/v1/data-rights-request/${id}`, { headers: { Authorization: "Bearer " + agent.token } });
	assert.equal(r.status, 200);
	return r.json();
}

test("an agent's request: the consumer confirms, or gives their own details, or refuses", async () => {
	const agent = new DrpAgent("WEB_TEST_AGENT");
	const mail = await startSmtp();
	const s = await startDrpService(agent, mail);
	try {
		/* the consumers' records: the agent gives Ann's details rightly; Bo's date of birth
		 * wrongly. The codes go to the e-mail addresses on file. */
		const rec = await api(s, "POST", "/v1/records", { records: [
			{ id: "AG-1", given_name: "Ann", family_name: "Lee", email: "ann.lee@example.com", date_of_birth: "1971-03-04" },
			{ id: "AG-2", given_name: "Bo", family_name: "Reyes", email: "bo.reyes@example.com", date_of_birth: "1985-07-09" },
		] }, s.admin);
		assert.equal(rec.status, 200, rec.text);
		const perm = permissionPng(s.tmp);

		/* 1. Ann confirms that she asked the agent, and sends her signed permission */
		const st1 = await fileExercise(s, agent, "access:categories", { name: "Lee, Ann", email: "ann.lee@example.com", dob: "1971-03-04" });
		const page = await guardedPage(browser, s, PHONE);
		await page.goto(st1.user_verification_url);
		await assertAccessible(page, "the agent page's code form");
		await enterCode(page, mail, "ann.lee@example.com", 1, "agent-code-entered-phone");
		await page.locator("#part-section").waitFor({ state: "visible" });
		assert.equal(await page.locator("#f-agent").textContent(), "Privacy Helper Co. (WEB_TEST_AGENT)");
		assert.equal(await page.locator("#f-type").textContent(), "Tell me what kinds of information you have about me");
		await page.locator("#outcome", { hasText: "we need you to tell us that you asked for it" }).waitFor();
		/* the policy says either: both ways are offered, neither chosen yet */
		assert.ok(await page.getByLabel("Confirm that I asked Privacy Helper Co.").isVisible());
		assert.ok(await page.getByLabel("Give my own details instead").isVisible());
		assert.ok(await page.locator("[data-part=confirm]").isHidden());
		assert.ok(await page.locator("[data-part=verify]").isHidden());
		await page.locator("#needed-section", { hasText: "Signed permission" }).waitFor();
		assert.ok(await page.locator("#withdraw-section").isVisible());
		await assertNoSideScroll(page);
		await assertAccessible(page, "the agent page's choice");
		await shot(page, "agent-choice-phone");
		/* keyboard: the first choice is reached with Tab and chosen with Space */
		await page.getByLabel("Confirm that I asked Privacy Helper Co.").focus();
		await page.keyboard.press("Space");
		await page.locator("[data-part=confirm]").waitFor({ state: "visible" });
		await shot(page, "agent-confirm-phone");
		await page.getByRole("button", { name: "Yes, I asked Privacy Helper Co. to make this request" }).click();
		await page.locator("#part-body", { hasText: "You confirmed on" }).waitFor();
		assert.ok(await page.locator("#withdraw-section").isHidden(), "no refusal once confirmed");
		let view = (await api(s, "GET", "/v1/requests/" + st1.user_verification_url.split("/")[4], null, s.admin)).json;
		assert.ok(view.agent.consumer_confirmed_at, "the server recorded the confirmation");
		assert.deepEqual(view.required, ["agent_permission"]);
		await page.setInputFiles("input[data-kind=agent_permission-0]", perm);
		await page.getByRole("button", { name: "Send the signed permission" }).click();
		try { await page.locator("#outcome", { hasText: "We have confirmed who you are" }).waitFor({ timeout: 20000 }); } catch (e) { await shot(page, "DEBUG"); console.log(JSON.stringify((await api(s, "GET", "/v1/requests/" + st1.user_verification_url.split("/")[4], null, s.admin)).json)); throw e; }
		assert.ok(await page.locator("#needed-section").isHidden());
		await assertNoSideScroll(page);
		await assertAccessible(page, "the agent page after confirming");
		await shot(page, "agent-confirmed-verified-phone");
		const d1 = await drpStatus(s, agent, st1.request_id);
		assert.equal(d1.status, "in_progress");
		assert.equal(d1.reason, undefined, "the agent no longer needs the consumer");
		assert.equal(d1.user_verification_url, undefined);
		const session = await page.evaluate((r) => sessionStorage.getItem("idv-consumer-" + r), st1.user_verification_url.split("/")[4]);
		assertTokenPrivateTo(page, s, session);
		assertClean(page);
		await page.context().close();

		/* 2. Bo gives his own details (the agent had his date of birth wrong) */
		const st2 = await fileExercise(s, agent, "access:categories", { name: "Reyes, Bo", email: "bo.reyes@example.com", dob: "1985-09-07" });
		const p2 = await guardedPage(browser, s, PHONE);
		await p2.goto(st2.user_verification_url);
		await enterCode(p2, mail, "bo.reyes@example.com", 1);
		await p2.getByLabel("Give my own details instead").check();
		const form = p2.locator("[data-part=verify]");
		await form.locator("#c-given_names").waitFor();
		await p2.getByRole("button", { name: "Send my details" }).click();
		await p2.locator("#c-family_name-err", { hasText: "Enter your last name." }).waitFor();
		assert.equal(await p2.evaluate(() => document.activeElement.id), "c-given_names");
		assert.equal(await p2.locator("#c-given_names").getAttribute("aria-invalid"), "true");
		await p2.getByLabel("First and middle names").fill("Bo");
		await p2.getByLabel("Last name", { exact: true }).fill("Reyes");
		if (await p2.locator("#c-date_of_birth").count())
			await p2.getByLabel(/^Date of birth/).fill("1985-07-09");
		await p2.getByLabel(/^E-mail address/).fill("bo.reyes@example.com");
		await assertNoSideScroll(p2);
		await assertAccessible(p2, "the agent page's own-details form");
		await shot(p2, "agent-own-details-phone");
		await p2.getByRole("button", { name: "Send my details" }).click();
		await p2.locator("#part-body", { hasText: "You gave us your own details on" }).waitFor();
		await p2.locator("#needed-section", { hasText: "Signed permission" }).waitFor();
		await p2.setInputFiles("input[data-kind=agent_permission-0]", perm);
		await p2.getByRole("button", { name: "Send the signed permission" }).click();
		await p2.locator("#outcome", { hasText: "We have confirmed who you are" }).waitFor({ timeout: 60000 });
		await shot(p2, "agent-own-details-verified-phone");
		const ref2 = st2.user_verification_url.split("/")[4];
		view = (await api(s, "GET", "/v1/requests/" + ref2, null, s.admin)).json;
		assert.ok(view.agent.consumer_verified_at && !view.agent.consumer_confirmed_at);
		assert.equal(view.status, "verified", "Bo's own details matched, not the agent's");
		assertClean(p2);
		await p2.context().close();

		/* 3. Someone the agent named says they never asked: the request is refused */
		const st3 = await fileExercise(s, agent, "deletion", { name: "Lee, Ann", email: "ann.lee@example.com" });
		const p3 = await guardedPage(browser, s, DESKTOP);
		await p3.goto(st3.user_verification_url);
		await enterCode(p3, mail, "ann.lee@example.com", 2);
		await p3.locator("#part-section").waitFor({ state: "visible" });
		assert.ok(await p3.locator("#confirm-section").isHidden(), "no delete confirmation before the consumer's part");
		await assertAccessible(p3, "the agent page on a desktop");
		await shot(p3, "agent-choice-desktop");
		await p3.getByRole("button", { name: "I did not authorize this request" }).click();
		await p3.getByRole("button", { name: "Yes, refuse the request" }).click();
		await p3.locator("#outcome", { hasText: "that you did not authorize this request" }).waitFor();
		assert.ok(await p3.locator("#part-section").isHidden());
		assert.ok(await p3.locator("#withdraw-section").isHidden());
		await assertAccessible(p3, "a refused agent request");
		await shot(p3, "agent-refused-desktop");
		const d3 = await drpStatus(s, agent, st3.request_id);
		assert.equal(d3.status, "denied");
		assert.equal(d3.reason, "suspected_fraud");
		assertClean(p3);
		await p3.context().close();
	} finally {
		const ex = await s.stop();
		assert.deepEqual(ex, { code: 0, sig: null }, "idverify serve did not exit cleanly on SIGTERM");
		for (const d of s.dirs)
			fs.rmSync(d, { recursive: true, force: true });
		mail.stop();
	}
});

/* The token never travels in a URL, only in Authorization headers; and never reaches the log. */
function assertTokenPrivateTo(page, s, token) {
	for (const r of page.idv.requests)
		assert.ok(!r.url.includes(token), "token in a requested URL: " + r.url);
	assert.ok(!s.log().includes(token), "token in the service log");
	assert.ok(page.idv.requests.some((r) => r.headers.authorization === "Bearer " + token),
		"the token is sent as a bearer token");
}

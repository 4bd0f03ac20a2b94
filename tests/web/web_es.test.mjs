// SPDX-License-Identifier: Apache-2.0
// The consumer's pages in Spanish (issue 17, 11 CCR 7003) in a real browser at phone width: a
// browser that prefers Spanish gets the intake form and the status page in Spanish, with no
// text of the English catalogue left; the language switch turns an English page Spanish and
// is remembered; one complete request (an opt-out) is made with the keyboard only, and its
// status page followed; a privacy platform's request (Fides) is completed by the consumer's
// own details on the status page's form. Every page is checked by axe-core and photographed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
	ROOT, skipUnlessReady, startService, launch, guardedPage, assertClean, assertAccessible,
	assertNoSideScroll, shot, api, loadRecordFor, PHONE,
} from "./harness.mjs";

skipUnlessReady();

const EN = JSON.parse(fs.readFileSync(path.join(ROOT, "models", "messages", "en.json"), "utf8"));
const ES = JSON.parse(fs.readFileSync(path.join(ROOT, "models", "messages", "es.json"), "utf8"));
/* English texts that differ from their Spanish: none of them may show on a Spanish page */
const ENGLISH = new Set(Object.keys(EN).filter((k) => EN[k] !== ES[k] && EN[k].length > 3).map((k) => EN[k]));

let svc, browser;

before(async () => {
	svc = await startService();
	browser = await launch();
});

after(async () => {
	if (browser)
		await browser.close();
	if (svc) {
		const ex = await svc.stop();
		assert.deepEqual(ex, { code: 0, sig: null }, "idverify serve did not exit cleanly on SIGTERM");
	}
});

/* Every text the page shows in the page's language (visible text nodes, labels, the title);
 * a text marked as another language (the switch's "English") is not counted. */
async function shownTexts(page) {
	return page.evaluate(() => {
		const out = [document.title];
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			const e = n.parentElement;
			const s = n.textContent.trim();
			const lang = e && e.closest("[lang]") ? e.closest("[lang]").getAttribute("lang") : "";
			if (s && e && lang === document.documentElement.lang && e.closest("script") === null && e.getClientRects().length > 0 && !e.closest("[hidden]"))
				out.push(s);
		}
		for (const e of document.querySelectorAll("[aria-label], [alt], [placeholder]"))
			out.push(e.getAttribute("aria-label") || e.getAttribute("alt") || e.getAttribute("placeholder"));
		return out;
	});
}

async function assertSpanish(page, what) {
	assert.equal(await page.evaluate(() => document.documentElement.lang), "es", what);
	const left = (await shownTexts(page)).filter((s) => ENGLISH.has(s));
	assert.deepEqual(left, [], `untranslated text on ${what}`);
}

const spanishPhone = { ...PHONE, locale: "es-MX" };

test("the intake form in Spanish at phone width, every step shown", async () => {
	const page = await guardedPage(browser, svc, spanishPhone);
	await page.goto(svc.url + "/");
	await page.locator("#intake").waitFor({ state: "visible" });
	await assertSpanish(page, "the empty form");
	assert.equal(await page.title(), ES["intake.page_title"]);
	await assertAccessible(page, "the Spanish form");
	await shot(page, "es-intake-empty-phone");
	/* the heightened level: documents and the declaration, in Spanish too */
	await page.getByLabel(ES["type.know_specific.title"]).check();
	await page.locator("#decl-step").waitFor({ state: "visible" });
	await page.locator(".statement", { hasText: "pena de perjurio" }).waitFor();
	await page.getByLabel(ES["role.authorized_agent.title"]).check();
	await page.getByRole("button", { name: ES["intake.send"] }).click();
	await page.locator("#summary").waitFor({ state: "visible" });
	await assertSpanish(page, "the form with its errors");
	assert.ok(await page.locator("#summary", { hasText: ES["intake.err_given_names"] }).isVisible());
	await assertNoSideScroll(page);
	await assertAccessible(page, "the Spanish form with its errors");
	await shot(page, "es-intake-know-specific-errors-phone");
	/* a refusal from the server is in Spanish as well (a problem from the catalogue) */
	const r = await page.evaluate(async () => (await IDV.api("GET", "/v1/requests/ABCD-EFGH-JKMN-P", { auth: "0".repeat(64) })).body);
	assert.equal(r.title, ES["problem.unauthorized.title"]);
	assertClean(page, [/401/]);
	await page.context().close();
});

test("the switch turns an English page Spanish, and the choice is kept", async () => {
	const page = await guardedPage(browser, svc, { ...PHONE, locale: "en-US" });
	await page.goto(svc.url + "/");
	await page.locator("#intake").waitFor({ state: "visible" });
	assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
	assert.ok(await page.getByRole("heading", { name: EN["intake.title"] }).isVisible());
	await page.getByRole("navigation", { name: EN["page.language_switch"] }).getByRole("link", { name: "Español" }).click();
	await page.locator("#intake").waitFor({ state: "visible" });
	await assertSpanish(page, "the form after the switch");
	await page.goto(svc.url + "/");
	await page.locator("#intake").waitFor({ state: "visible" });
	await assertSpanish(page, "the form opened again");
	assert.equal(await page.getByRole("link", { name: "Español" }).getAttribute("aria-current"), "true");
	assertClean(page);
	await page.context().close();
});

test("a complete request in Spanish by keyboard only, then its status page", async () => {
	const page = await guardedPage(browser, svc, spanishPhone);
	await page.goto(svc.url + "/");
	await page.locator("#intake").waitFor({ state: "visible" });
	const tabTo = async (pred, what) => {
		for (let i = 0; i < 60; i++) {
			await page.keyboard.press("Tab");
			if (await page.evaluate(pred))
				return;
		}
		assert.fail("Tab never reached " + what);
	};
	/* the request types are radios: Tab to the group, arrows to the last (opt-out) */
	await tabTo(() => document.activeElement && document.activeElement.name === "request_type", "the request types");
	await page.keyboard.press("Space");
	for (let i = 0; i < 4; i++)
		await page.keyboard.press("ArrowDown");
	assert.equal(await page.locator("input[name=request_type]:checked").getAttribute("value"), "opt_out");
	await tabTo(() => document.activeElement && document.activeElement.id === "email", "the e-mail field");
	await page.keyboard.type("ana.teclado@example.com");
	await tabTo(() => document.activeElement && document.activeElement.id === "send", "the send button");
	await page.keyboard.press("Enter");
	await page.locator("#done-view").waitFor({ state: "visible", timeout: 30000 });
	assert.equal(await page.evaluate(() => document.activeElement.id), "done-view", "focus moves to the answer");
	await assertSpanish(page, "the confirmation");
	assert.match(await page.locator("#done-due").textContent(), /^\d{1,2} de [a-z]+ de \d{4}$/);
	await assertAccessible(page, "the Spanish confirmation");
	await shot(page, "es-intake-done-phone");
	await tabTo(() => document.activeElement && document.activeElement.id === "status-link", "the status link");
	await page.keyboard.press("Enter");
	await page.locator("#view").waitFor({ state: "visible" });
	await page.locator("#outcome", { hasText: ES["status.outcome.no_verification_needed"] }).waitFor({ timeout: 30000 });
	await assertSpanish(page, "the status page");
	await assertNoSideScroll(page);
	await assertAccessible(page, "the Spanish status page");
	await shot(page, "es-status-phone");
	assertClean(page);
	await page.context().close();
});

test("a privacy platform's request: the consumer gives their details on the page, in Spanish", async () => {
	/* Fides' pre-approval webhook (ethyca/fides, as tests/api/test_platforms.py follows it);
	 * the replies go to a closed port and are retried: this test reads the page only */
	const secret = "fides-web-secret-0123456789abcdef";
	process.env.IDVERIFY_FIDES_SECRET = secret;
	const fsvc = await startService(["--fides-url", "http://127.0.0.1:9/api/v1", "--allow-http-callbacks"]);
	delete process.env.IDVERIFY_FIDES_SECRET;
	try {
		const truth = { given_names: "Lucia Maria", family_name: "Fuentes", date_of_birth: "1984-03-27",
			street: "55 Calle Sol", city: "Fresno", state: "CA", postal_code: "93701" };
		await loadRecordFor(fsvc, "FIDES-WEB-1", truth, { email: "lucia.fuentes@example.com" });
		const pr = "pri_web_0001";
		const r = await api(fsvc, "POST", "/v1/platforms/fides/pre-approval", {
			privacy_request_id: pr, privacy_request_status: "pending", direction: "two_way",
			callback_type: "pre_approval", identity: { email: "lucia.fuentes@example.com" },
			policy_action: "access", privacy_request: { id: pr }, timestamp: "2026-12-02T12:00:00",
		}, { Authorization: secret, "reply-to-eligible": `/privacy-request/${pr}/pre-approve/eligible`,
			"reply-to-not-eligible": `/privacy-request/${pr}/pre-approve/not-eligible`, "reply-to-token": "tok-" + pr });
		assert.equal(r.status, 200, r.text);
		const page = await guardedPage(browser, fsvc, spanishPhone);
		await page.goto(r.json.verification_url.replace(/^https?:\/\/[^/]+/, fsvc.url));
		await page.locator("form.details").waitFor({ state: "visible" });
		await assertSpanish(page, "the details form");
		await page.getByRole("button", { name: ES["status.details_send"] }).click();
		await page.locator("#d-given_names-err", { hasText: ES["intake.err_given_names"] }).waitFor();
		await page.getByLabel(ES["intake.given_names"]).fill(truth.given_names);
		await page.getByLabel(ES["intake.family_name"], { exact: true }).fill(truth.family_name);
		if (await page.locator("#d-date_of_birth").count())
			await page.locator("#d-date_of_birth").fill(truth.date_of_birth);
		if (await page.locator("#d-street").count()) {
			await page.locator("#d-street").fill(truth.street);
			await page.locator("#d-city").fill(truth.city);
			await page.locator("#d-state").selectOption(truth.state);
			await page.locator("#d-postal_code").fill(truth.postal_code);
		}
		await assertAccessible(page, "the Spanish details form");
		await assertNoSideScroll(page);
		await shot(page, "es-platform-details-phone");
		await page.getByRole("button", { name: ES["status.details_send"] }).click();
		await page.locator("#outcome", { hasText: ES["status.outcome.verified"] }).waitFor({ timeout: 30000 });
		assert.ok(await page.locator("form.details").count() === 0, "the form is gone once the details are in");
		await assertSpanish(page, "the verified platform request");
		await shot(page, "es-platform-verified-phone");
		assertClean(page);
		await page.context().close();
	} finally {
		const ex = await fsvc.stop();
		assert.deepEqual(ex, { code: 0, sig: null });
	}
});

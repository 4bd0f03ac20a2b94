/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent.js: the consumer's part of a request an authorized agent filed (agent.html, R24), on top
 * of the status page (status.js calls the hooks below on every view). Shows who the agent is
 * and, while the case waits for it, what the business's policy lets the consumer do: confirm
 * the agent's permission (POST .../agent-confirmation {"confirm": true}) or verify directly
 * with their own details ({"claims": {...}}; documents then follow under "What we still need
 * from you"). Which of the two is offered follows the view's required entries
 * (consumer_confirmation, consumer_verification, consumer_confirmation_or_verification). The
 * refusal ("I did not authorize this request") is the withdraw section, which status.js sends
 * to POST .../agent-refusal on this page.
 *
 * The page is opened with the consumer's own credential, never one from its address (the
 * agent's user_verification_url carries none): the code we sent to the e-mail or phone we hold
 * for the consumer, typed here, is exchanged (POST .../consumer-session) for the consumer's
 * session token, kept in sessionStorage only; "Send me a new code" asks for another
 * (POST .../consumer-code), whose answer never says where it went.
 */
"use strict";

(function () {
	const { h, $, clear } = IDV;
	const NEED = {
		consumer_confirmation: "confirm",
		consumer_verification: "verify",
		consumer_confirmation_or_verification: "either",
	};
	let page = null;   /* what status.js passes: {reference, token, api, render, load, policy} */
	let built = "";    /* the state the part's body was built for (kept while polling) */
	let policy = null;

	function agentName(a) {
		return (a && (a.agent_name || a.agent_id)) || "the agent";
	}

	function need(v) {
		if (v.closed || v.status !== "awaiting_evidence")
			return null;
		for (const r of v.required || [])
			if (NEED[r])
				return NEED[r];
		return null;
	}

	/* The outcome line where the agent's request differs from a consumer's own. */
	function outcome(v) {
		if (v.closed && v.closed.response === "denied" && v.closed.denial_basis === "agent_not_authorized")
			return [`You told us on ${IDV.date(v.closed.at)} that you did not authorize this request. We will not act on it, we have told the agent, and we have deleted the details sent with it.`, "ok"];
		if (need(v))
			return ["Before we act on this request, we need you to tell us that you asked for it. See “Did you ask this agent to act for you?” below.", "warn"];
		return null;
	}

	function state(v) {
		const a = v.agent || {};
		if (a.power_of_attorney)
			return v.closed ? "" : "poa";
		if (a.consumer_confirmed_at)
			return "confirmed";
		if (a.consumer_verified_at)
			return "verified";
		return need(v) || "";
	}

	function render(v, p) {
		page = p;
		if (p.policy)
			policy = p.policy;
		const a = v.agent || {};
		$("#f-agent").textContent = a.agent_name && a.agent_id && a.agent_name !== a.agent_id
			? `${a.agent_name} (${a.agent_id})` : agentName(a) === "the agent" ? "An authorized agent" : agentName(a);
		const st = state(v);
		const pending = Boolean(need(v));
		/* Once the consumer took part, "I did not authorize it" no longer fits; before, the
		 * second confirmation of a delete would come too early. */
		if (st === "confirmed" || st === "verified")
			$("#withdraw-section").hidden = true;
		if (pending)
			$("#confirm-section").hidden = true;
		$("#intro-actions").hidden = !pending;
		const sec = $("#part-section");
		sec.hidden = !st;
		const decided = Boolean(v.outcome || v.closed);
		const key = [st, a.consumer_confirmed_at || a.consumer_verified_at || "", decided].join("|");
		if (!st || built === key)
			return;
		built = key;
		const body = clear($("#part-body"));
		IDV.announce($("#part-error"), "");
		const name = agentName(a);
		const heading = $("#part-h");
		if (st === "poa") {
			heading.textContent = "The agent's power of attorney";
			body.append(h("p", { class: "notice" }, `${name} gave us a power of attorney signed by you. A person on our team checks it; you do not need to confirm anything.`));
		} else if (st === "confirmed") {
			heading.textContent = "Your confirmation";
			body.append(h("p", { class: "notice ok" }, `You confirmed on ${IDV.date(a.consumer_confirmed_at)} that you asked ${name} to make this request.` +
				(decided ? "" : ` We check the details ${name} gave us against our records.`)));
		} else if (st === "verified") {
			heading.textContent = "Your own details";
			body.append(h("p", { class: "notice ok" }, `You gave us your own details on ${IDV.date(a.consumer_verified_at)}.` +
				(decided ? "" : ` We check them, not the details ${name} gave us, against our records.`)));
		} else {
			heading.textContent = "Did you ask this agent to act for you?";
			options(v, st, body, name);
		}
	}

	/* ---- the choice: confirm, verify, or either --------------------------------------------- */

	function options(v, mode, body, name) {
		const w = IDV.words.request_types[v.request_type];
		body.append(h("p", {}, `On your behalf, ${name} sent us ${w ? w.short : "a privacy request"}. The law lets us check with you before we act on it.`));
		const confirmBox = confirmPanel(name);
		const verifyBox = verifyPanel(v);
		if (mode === "either") {
			const choice = (value, title, hint) => {
				const id = `part-${value}`;
				return h("label", { class: "choice", for: id },
					h("input", { type: "radio", name: "part", value, id, "aria-describedby": id + "-hint" }),
					h("span", { class: "title" }, title),
					h("span", { class: "hint", id: id + "-hint" }, hint));
			};
			const set = h("fieldset", {},
				h("legend", {}, "What would you like to do?"),
				h("div", { class: "choices" },
					choice("confirm", `Confirm that I asked ${name}`, `We then check the details ${name} gave us against our records.`),
					choice("verify", "Give my own details instead", `We check your details instead of the ones ${name} gave us. We may ask for a photo of your ID.`)));
			confirmBox.hidden = true;
			verifyBox.hidden = true;
			set.addEventListener("change", (e) => {
				confirmBox.hidden = e.target.value !== "confirm";
				verifyBox.hidden = e.target.value !== "verify";
			});
			body.append(set);
		} else if (mode === "confirm") {
			verifyBox.hidden = true;
		} else {
			confirmBox.hidden = true;
			body.append(h("p", {}, "This business asks you to give your own details: we check them, not the ones the agent gave us."));
		}
		body.append(confirmBox, verifyBox);
	}

	function confirmPanel(name) {
		const btn = h("button", { type: "button", id: "part-confirm" }, `Yes, I asked ${name} to make this request`);
		btn.addEventListener("click", async () => {
			btn.disabled = true;
			await send({ confirm: true });
			btn.disabled = false;
		});
		return h("div", { class: "part-panel", "data-part": "confirm" },
			h("p", {}, `By confirming, you tell us that you gave ${name} permission to make this request for you.`),
			h("div", { class: "actions" }, btn));
	}

	/* POST .../agent-confirmation; the answer is the new view. */
	async function send(json) {
		const err = $("#part-error");
		IDV.announce(err, "");
		let res;
		try {
			res = await page.api("POST", `/v1/requests/${encodeURIComponent(page.reference)}/agent-confirmation`, json);
		} catch (ex) {
			IDV.announce(err, ex.message, "bad");
			return null;
		}
		if (!res.ok) {
			IDV.announce(err, IDV.problemText(res), "bad");
			return res;
		}
		page.render(res.body);
		const next = $("#needed-section").hidden ? $("#part-h") : $("#needed-h");
		next.setAttribute("tabindex", "-1");
		next.focus();
		return res;
	}

	/* ---- verifying directly: the consumer's own details -------------------------------------- */

	const POINTS = ["date_of_birth", "address", "email", "phone"];

	function field(id, label, attrs, opts) {
		opts = opts || {};
		const hintId = opts.hint ? id + "-hint" : null;
		const input = opts.select
			? h("select", { id, ...attrs, "aria-describedby": [hintId, id + "-err"].filter(Boolean).join(" ") },
				h("option", { value: "" }, "Choose…"), IDV.STATES.map((s) => h("option", { value: s }, s)))
			: h("input", { id, ...attrs, "aria-describedby": [hintId, id + "-err"].filter(Boolean).join(" ") });
		return h("div", { class: "field" + (opts.narrow ? " narrow" : "") },
			h("label", { for: id }, label, opts.optional ? h("span", { class: "optional" }, " (optional)") : null),
			opts.hint ? h("span", { class: "hint", id: hintId }, opts.hint) : null,
			h("span", { class: "error-text", id: id + "-err" }),
			input);
	}

	function verifyPanel(v) {
		const form = h("form", { method: "post", action: "/", novalidate: true, class: "part-panel", "data-part": "verify" },
			h("p", { class: "hint" }, "Loading the form…"));
		const build = (info) => {
			const asked = new Map(info.fields.filter((f) => POINTS.includes(f.name)).map((f) => [f.name, f.required]));
			const opt = (p) => !asked.get(p);
			const need = Math.min(Math.ceil(info.points_needed || 0), asked.size);
			const parts = [
				h("p", {}, "Give your own details, as we would have them on file. We use them only to check who you are, and delete them when the request is closed."),
				need > 0 ? h("p", { class: "hint" }, `Besides your name, give at least ${need} of: ${[...asked.keys()].map((x) => IDV.words.fields[x]).join(", ")}.`) : null,
				h("div", { class: "row" },
					field("c-given_names", "First and middle names", { type: "text", autocomplete: "given-name", maxlength: "200" }),
					field("c-family_name", "Last name", { type: "text", autocomplete: "family-name", maxlength: "200" })),
			];
			if (asked.has("date_of_birth"))
				parts.push(field("c-date_of_birth", "Date of birth", { type: "date", class: "medium", autocomplete: "bday", min: "1900-01-01" },
					{ optional: opt("date_of_birth"), hint: "Month, day and year, for example 03/27/1984." }));
			if (asked.has("address"))
				parts.push(h("fieldset", {},
					h("legend", {}, "Home address", opt("address") ? h("span", { class: "optional" }, " (optional)") : null),
					field("c-street", "Street address", { type: "text", autocomplete: "address-line1", maxlength: "200" }),
					field("c-unit", "Apartment, suite or unit", { type: "text", class: "medium", autocomplete: "address-line2", maxlength: "60" }, { optional: true }),
					h("div", { class: "row" },
						field("c-city", "City", { type: "text", autocomplete: "address-level2", maxlength: "100" }),
						field("c-state", "State", { autocomplete: "address-level1" }, { select: true, narrow: true }),
						field("c-postal_code", "ZIP code", { type: "text", class: "short", autocomplete: "postal-code", inputmode: "numeric", maxlength: "10" }, { narrow: true }))));
			if (asked.has("email"))
				parts.push(field("c-email", "E-mail address", { type: "email", autocomplete: "email", maxlength: "254" },
					{ optional: opt("email"), hint: "The one you used with us." }));
			if (asked.has("phone"))
				parts.push(field("c-phone", "Phone number", { type: "tel", class: "medium", autocomplete: "tel", maxlength: "30" },
					{ optional: opt("phone"), hint: "For example (415) 555-0142." }));
			const btn = h("button", { type: "submit" }, "Send my details");
			clear(form).append(...parts.filter(Boolean), h("div", { class: "actions" }, btn));
			/* a field's message goes as soon as it is changed */
			form.addEventListener("input", (e) => {
				const err = $("#" + e.target.id + "-err");
				if (err && err.textContent) {
					err.textContent = "";
					e.target.removeAttribute("aria-invalid");
				}
			});
			form.addEventListener("submit", async (e) => {
				e.preventDefault();
				const problems = check(asked, info);
				if (problems.length) {
					problems[0].focus();
					return;
				}
				btn.disabled = true;
				const res = await send({ claims: claims() });
				btn.disabled = false;
				if (res && !res.ok)
					serverError(res);
			});
		};
		levelInfo(v.level).then(build).catch((ex) => {
			clear(form).append(h("p", { class: "notice bad" }, ex.message));
		});
		return form;
	}

	async function levelInfo(level) {
		if (!policy) {
			const r = await IDV.api("GET", "/v1/intake");
			if (!r.ok)
				throw new Error(IDV.problemText(r));
			policy = r.body;
		}
		return policy.levels[level] || policy.levels.standard || { fields: [], points_needed: 0 };
	}

	const val = (id) => {
		const e = $("#" + id);
		return e ? e.value.trim() : "";
	};

	function fail(id, msg) {
		const input = $("#" + id);
		$("#" + id + "-err").textContent = msg;
		input.setAttribute("aria-invalid", "true");
		return input;
	}

	/* The form's own checks (like the intake form's); the inputs in error, first first. */
	function check(asked, info) {
		const out = [];
		for (const e of $("#part-body").querySelectorAll("input, select")) {
			e.removeAttribute("aria-invalid");
			const err = $("#" + e.id + "-err");
			if (err)
				err.textContent = "";
		}
		if (!val("c-given_names"))
			out.push(fail("c-given_names", "Enter your first name (and middle names, if any)."));
		if (!val("c-family_name"))
			out.push(fail("c-family_name", "Enter your last name."));
		const dob = val("c-date_of_birth");
		const today = new Date().toISOString().slice(0, 10);
		if (dob && (!/^\d{4}-\d{2}-\d{2}$/.test(dob) || dob < "1900-01-01" || dob > today))
			out.push(fail("c-date_of_birth", "Enter a real date of birth: month, day and year, for example 03/27/1984."));
		const email = val("c-email");
		if (email && !/^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>.]+$/.test(email))
			out.push(fail("c-email", "Enter an e-mail address like name@example.com."));
		const phone = val("c-phone");
		const digits = phone.replace(/\D/g, "").length;
		if (phone && (!/^\+?[\d\s().-]+$/.test(phone) || digits < 10 || digits > 15))
			out.push(fail("c-phone", "Enter a phone number with its area code, like (415) 555-0142."));
		const zip = val("c-postal_code"), street = val("c-street"), city = val("c-city"), st = val("c-state");
		if (zip && !/^\d{5}(-?\d{4})?$/.test(zip))
			out.push(fail("c-postal_code", "Enter a ZIP code like 94607 or 94607-1234."));
		if (street || city || zip) {
			if (!street)
				out.push(fail("c-street", "Enter the street address, or leave the whole address empty."));
			if (!city)
				out.push(fail("c-city", "Enter the city, or leave the whole address empty."));
			if (!st)
				out.push(fail("c-state", "Choose the state, or leave the whole address empty."));
			if (!zip)
				out.push(fail("c-postal_code", "Enter the ZIP code, or leave the whole address empty."));
		}
		const given = (p) => (p === "address" ? street : val("c-" + p));
		const first = { date_of_birth: "c-date_of_birth", address: "c-street", email: "c-email", phone: "c-phone" };
		for (const [p, required] of asked)
			if (required && !given(p) && !out.length)
				out.push(fail(first[p], `Enter your ${IDV.words.fields[p]}.`));
		if (!out.length) {
			const points = [...asked.keys()];
			const need = Math.min(Math.ceil(info.points_needed || 0), points.length);
			if (points.filter(given).length < need) {
				const p = points.find((x) => !given(x));
				out.push(fail(first[p], `Give at least ${need} of: ${points.map((x) => IDV.words.fields[x]).join(", ")}. We need them to find your records.`));
			}
		}
		return out;
	}

	function claims() {
		const c = {};
		for (const k of ["given_names", "family_name", "date_of_birth", "email", "phone"])
			if (val("c-" + k))
				c[k] = val("c-" + k);
		if (val("c-street")) {
			c.address = {};
			for (const k of ["street", "unit", "city", "state", "postal_code"])
				if (val("c-" + k))
					c.address[k] = val("c-" + k);
		}
		return c;
	}

	/* A 422 naming a claim ("claims.email: ...", or "email: ...") goes next to its field. */
	function serverError(res) {
		const detail = (res.body && res.body.detail) || "";
		const m = /^(?:claims\.)?(?:address\.)?([a-z_]+)\b/.exec(detail);
		if (res.status === 422 && m && $("#c-" + m[1])) {
			const text = detail.replace(/^(?:claims\.)?[a-z_.]+:\s*/, "");
			fail("c-" + m[1], text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? "" : ".")).focus();
		}
	}

	/* ---- the consumer's own session: the code we sent them ---------------------------------- */

	const KEY = "idv-consumer-";

	function savedToken(reference) {
		try {
			return sessionStorage.getItem(KEY + reference);
		} catch (e) {
			return null;
		}
	}

	function askCode(p) {
		const f = $("#code-form");
		const input = $("#code-input");
		const err = $("#code-input-err");
		const status = $("#code-status");
		const path = (what) => `/v1/requests/${encodeURIComponent(p.reference)}/${what}`;
		const bad = (msg) => {
			err.textContent = msg;
			input.setAttribute("aria-invalid", "true");
			input.focus();
		};
		f.hidden = false;
		input.focus();
		f.onsubmit = async (e) => {
			e.preventDefault();
			const code = input.value.replace(/[\s-]/g, "");
			if (!/^\d{6,8}$/.test(code))
				return bad("Enter the digits of the code in our message, for example 123456.");
			err.textContent = "";
			input.removeAttribute("aria-invalid");
			let res;
			try {
				res = await IDV.api("POST", path("consumer-session"), { json: { code } });
			} catch (ex) {
				return bad(ex.message);
			}
			if (res.status === 201) {
				try {
					sessionStorage.setItem(KEY + p.reference, res.body.token);
				} catch (ex) { /* private mode: this page only */ }
				input.value = "";
				f.hidden = true;
				p.done(res.body.token);
				return;
			}
			const type = ((res.body && res.body.type) || "").split(":").pop();
			bad({
				"code-wrong": "This is not the code we sent. Check the digits and try again.",
				"code-expired": "This code has expired. Ask for a new one below.",
				"code-exhausted": "Too many wrong codes. Ask for a new one below.",
				"invalid-state": "This code cannot be used any more. Ask for a new one below.",
			}[type] || IDV.problemText(res));
		};
		$("#code-resend").onclick = async () => {
			let res;
			try {
				res = await IDV.api("POST", path("consumer-code"));
			} catch (ex) {
				IDV.announce(status, ex.message, "bad");
				return;
			}
			status.hidden = false;
			const type = ((res.body && res.body.type) || "").split(":").pop();
			if (res.status === 202)
				IDV.announce(status, "If we hold an e-mail address or a phone number for you, a new code is on its way. Earlier codes no longer work.", "ok");
			else if (type === "code-wait")
				IDV.announce(status, "We sent a code a moment ago. Wait a minute before you ask for another.", "warn");
			else if (type === "code-limit")
				IDV.announce(status, "We cannot send more codes for this request. Use the last one we sent, or contact us.", "bad");
			else
				IDV.announce(status, IDV.problemText(res), "bad");
		};
	}

	IDV.statusHooks = { outcome, render, savedToken, askCode };
})();

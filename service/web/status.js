/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status.js: a request's status page (/requests/{reference}). The case token comes from the URL
 * fragment (#token=..., never sent to the server) or sessionStorage, and goes only into the
 * Authorization header of GET /v1/requests/{reference}. Shows what was received, what is being
 * read, what is still needed (with uploads and the declaration), the outcome in plain words, the
 * second confirmation of a delete request, and withdrawal. The outcome is never explained field
 * by field: the service tells a requester only whether they were verified and what to do next,
 * so that nobody can learn a customer's details by trying them one at a time. Polls while work is under way.
 * The page for a request an agent filed (agent.html) adds its part through IDV.statusHooks
 * (agent.js): {outcome(v) -> [text, kind] or null, render(v, page), savedToken(reference),
 * askCode({reference, done(token)})}; there, the credential is the consumer's own session (the
 * code sent to them, exchanged by agent.js; never a token in the address) and withdrawal is the
 * consumer's refusal of the agent (POST .../agent-refusal).
 */
"use strict";

(function () {
	const { h, $, clear } = IDV;
	const reference = decodeURIComponent(location.pathname.split("/")[2] || "");
	const agentPage = document.body.dataset.page === "agent";
	let token = null;
	let view = null;
	let timer = null;
	let failures = 0;
	let policy = null;
	const slots = {};   /* kind -> {slot, box} for documents still needed */
	let decl = null;     /* {component, box} */
	let details = null;  /* {box}: the consumer's own details, for a platform's request */
	let code = null;     /* {step, box}: the one-time code still to enter (issue 15) */

	const loadStatus = $("#load-status");
	const actionError = $("#action-error");

	const t = IDV.t;
	const STATUS = {
		awaiting_evidence: "warn",
		processing: "",
		verified: "ok",
		not_verified: "bad",
		manual_review: "",
		no_verification_needed: "ok",
		refused: "bad",
		closed: "",
	};

	const PART = { government_id: [t("status.part.front"), t("status.part.back")] };

	function api(method, path, json) {
		return IDV.api(method, path, { auth: token, json });
	}

	/* ---- rendering ------------------------------------------------------------------------- */

	function outcomeText(v) {
		const hooks = IDV.statusHooks || {};
		const own = hooks.outcome ? hooks.outcome(v) : null;
		if (own)
			return own;
		const [text, kind] = v.status in STATUS ? [t("status.outcome." + v.status), STATUS[v.status]] : [t("status.other", { status: v.status }), ""];
		const parts = [text];
		const due = IDV.date(v.respond_by);
		if (v.status === "verified") {
			const reached = v.outcome && v.outcome.level;
			if (v.request_type === "know_specific" && reached === "standard")
				parts.push(t("status.verified_standard_only"));
			if (v.request_type === "delete" && !v.delete_confirmed_at)
				parts.push(t("status.confirm_first"));
			else
				parts.push(t("status.answer_by", { date: due }));
		} else if (v.status === "not_verified") {
			if (v.request_type === "know_specific")
				parts.push(t("status.not_verified.know_specific"));
			else if (v.request_type === "know_categories")
				parts.push(t("status.not_verified.know_categories"));
			else if (v.request_type === "delete")
				parts.push(t("status.not_verified.delete"));
			else if (v.request_type === "correct")
				parts.push(t("status.not_verified.correct"));
			parts.push(t("status.new_request"));
		} else if (v.status === "closed" && v.closed) {
			const at = IDV.date(v.closed.at);
			const r = v.closed.response;
			if (r === "withdrawn")
				parts.splice(0, 1, t("status.withdrawn", { date: at }));
			else if (r === "fulfilled")
				parts.push(t("status.fulfilled", { date: at }));
			else if (r === "partially_fulfilled")
				parts.push(t("status.partially_fulfilled", { date: at }));
			else if (r === "denied")
				parts.push(t("status.denied", { why: denial(v.closed.denial_basis), date: at }));
		}
		if (v.purged_at)
			parts.push(t("status.purged"));
		return [parts.join(" "), kind];
	}

	function denial(basis) {
		const known = ["not_verified", "too_many_requests", "exempt", "no_personal_information", "claim_not_covered"];
		return t(known.includes(basis) ? "status.denial." + basis : "status.denial.other");
	}

	function fileLine(v, doc, f) {
		const kindName = IDV.words.doc_kinds[doc.kind] || doc.kind;
		const part = (PART[doc.kind] || [t("status.part.page", { n: 1 }), t("status.part.page", { n: 2 })])[f.part] || t("status.part.file", { n: f.part + 1 });
		const [label, cls] = IDV.words.file_status[f.status] || [f.status, "wait"];
		const li = h("li", { "data-file-status": f.status },
			h("strong", {}, `${kindName}, ${part}`), " ",
			h("span", { class: "pill " + cls }, label),
			h("span", { class: "hint" }, IDV.bytes(f.size)));
		if (f.error && (f.status === "unreadable" || f.status === "rejected")) {
			li.append(h("span", { class: "error-text" }, readingProblem(f.error, !v.outcome && !v.closed)));
		}
		return li;
	}

	/* The reader's reason, in words: "decoder_crash: reading ... stopped" -> the sentence. */
	function readingProblem(err, canResend) {
		/* the reader's own detail is English for the operators: shown on English pages only */
		let detail = IDV.lang === "en" ? (err.detail || "").replace(/^[a-z0-9_]+:\s*/, "") : "";
		const type = (err.type || "").split(":").pop();
		const lead = t(["unsupported-media-type", "too-large"].includes(type) ? "status.reading." + type : "status.reading.unreadable");
		if (detail)
			detail = detail.charAt(0).toUpperCase() + detail.slice(1) + (/[.!?]$/.test(detail) ? "" : ".");
		const advice = canResend ? " " + t("status.reading.advice") : "";
		return `${lead} ${detail}${advice}`.replace(/\s+/g, " ").trim();
	}

	function render(v) {
		view = v;
		$("#ref").textContent = v.reference;
		document.title = t(agentPage ? "status.page_title_agent" : "status.page_title", { reference: v.reference });
		const [text, kind] = outcomeText(v);
		const out = $("#outcome");
		if (out.textContent !== text)
			IDV.announce(out, text, kind);
		const w = IDV.words.request_types[v.request_type];
		$("#f-type").textContent = w ? w.title : v.request_type;
		$("#f-received").textContent = IDV.date(v.received_at);
		$("#f-ack").textContent = IDV.date(v.acknowledge_by);
		$("#f-due").textContent = IDV.date(v.respond_by) + (v.extended ? " " + t("status.extended") : "");

		const rec = clear($("#received"));
		rec.append(h("li", {}, h("strong", {}, t("status.item.request")), " ", h("span", { class: "pill ok" }, t("status.item.received")), h("span", { class: "hint" }, IDV.date(v.received_at))));
		for (const d of v.documents || [])
			for (const f of d.files)
				rec.append(fileLine(v, d, f));
		if (v.declaration)
			rec.append(h("li", {}, h("strong", {}, t("status.item.declaration")), " ", h("span", { class: "pill ok" }, t("status.item.signed")), h("span", { class: "hint" }, IDV.date(v.declaration.signed_at))));
		if (v.request_type === "delete" && v.delete_confirmed_at)
			rec.append(h("li", {}, h("strong", {}, t("status.item.confirmation")), " ", h("span", { class: "pill ok" }, t("status.item.confirmed")), h("span", { class: "hint" }, IDV.date(v.delete_confirmed_at))));

		renderNeeded(v);
		renderConfirm(v);
		$("#withdraw-section").hidden = Boolean(v.closed);
		if (IDV.statusHooks && IDV.statusHooks.render)
			IDV.statusHooks.render(v, { reference, token, api, render, load, policy });
		$("#updated").textContent = t("status.last_checked", { time: new Date().toLocaleTimeString(t("locale")) });
		$("#view").hidden = false;
	}

	/* Documents and the declaration still needed, and documents to send again after an
	 * unreadable one while the case still waits for evidence. */
	function renderNeeded(v) {
		const open = !v.closed && (v.status === "awaiting_evidence" || v.status === "processing");
		const want = new Set(open ? (v.required || []) : []);
		if (open) {
			for (const d of v.documents || []) {
				const bad = d.files.every((f) => f.status === "unreadable" || f.status === "rejected");
				const later = (v.documents || []).some((o) => o !== d && o.kind === d.kind && o.files.some((f) => f.status !== "unreadable" && f.status !== "rejected"));
				if (bad && !later && (d.kind === "government_id" || d.kind === "proof_of_residence"))
					want.add(d.kind);
			}
		}
		const box = $("#needed");
		for (const kind of Object.keys(slots))
			if (!want.has(kind)) {
				slots[kind].box.remove();
				delete slots[kind];
			}
		if (decl && !want.has("declaration")) {
			decl.box.remove();
			decl = null;
		}
		if (details && !want.has("consumer_details")) {
			details.box.remove();
			details = null;
		}
		/* the code of a request filed to be verified with one (not the agent page's own) */
		const wantCode = want.has("contact_code") && !agentPage && v.contact_code && v.status === "awaiting_evidence";
		if (code && !wantCode) {
			code.box.remove();
			code = null;
		}
		for (const kind of want) {
			if (kind === "declaration") {
				if (!decl)
					decl = declarationBox();
				box.append(decl.box);
			} else if (kind === "consumer_details") {
				if (!details)
					details = detailsBox(v);
				box.append(details.box);
			} else if (kind === "contact_code") {
				if (wantCode && !code) {
					const step = new IDV.CodeStep({ reference, token, channel: v.contact_code.channel, onVerified: () => load() });
					code = { step, box: h("div", { class: "needed-code" }, h("h3", {}, t("status.code_title")), step.el) };
					step.start(false);
				}
				if (code)
					box.append(code.box);
			} else if (!slots[kind] && IDV.words.doc_kinds[kind]) {
				/* Steps that are not documents (an agent's request: the consumer's own
				 * confirmation or verification) are not upload slots. */
				slots[kind] = documentBox(kind, (v.required || []).includes(kind));
				box.append(slots[kind].box);
			}
		}
		$("#needed-section").hidden = !box.firstChild;
	}

	/*
	 * A privacy platform filed this request (Fides, Transcend, Ketch) with an identifier only:
	 * the consumer gives their own details here (POST .../details), which are what is matched
	 * against the business's records. Only the fields the policy's level uses are asked for.
	 */
	function detailsBox(v) {
		const uses = (name) => {
			const level = policy && policy.levels && policy.levels[v.level];
			return !level || level.fields.some((f) => f.name === name);
		};
		const field = (id, label, attrs, hint) => {
			const hintId = hint ? `d-${id}-hint` : null;
			return h("div", { class: "field" },
				h("label", { for: "d-" + id }, label),
				hint ? h("span", { class: "hint", id: hintId }, hint) : null,
				h("span", { class: "error-text", id: `d-${id}-err` }),
				h("input", { id: "d-" + id, name: id, "aria-describedby": [hintId, `d-${id}-err`].filter(Boolean).join(" "), ...attrs }));
		};
		const state = h("select", { id: "d-state", name: "state", autocomplete: "address-level1" },
			h("option", { value: "" }, t("intake.choose")), IDV.STATES.map((s) => h("option", { value: s }, s)));
		const parts = [
			h("p", {}, t("status.details_intro")),
			field("given_names", t("intake.given_names"), { type: "text", autocomplete: "given-name", maxlength: "200" }),
			field("family_name", t("intake.family_name"), { type: "text", autocomplete: "family-name", maxlength: "200" }),
		];
		if (uses("date_of_birth"))
			parts.push(field("date_of_birth", t("intake.dob"), { type: "date", autocomplete: "bday", min: "1900-01-01", class: "medium" }, t("intake.dob_hint")));
		if (uses("address"))
			parts.push(h("fieldset", {}, h("legend", {}, t("intake.address")),
				field("street", t("intake.street"), { type: "text", autocomplete: "address-line1", maxlength: "200" }),
				field("unit", t("intake.unit") + " " + t("page.optional"), { type: "text", autocomplete: "address-line2", maxlength: "60", class: "medium" }),
				field("city", t("intake.city"), { type: "text", autocomplete: "address-level2", maxlength: "100" }),
				h("div", { class: "field narrow" }, h("label", { for: "d-state" }, t("intake.state")), state),
				field("postal_code", t("intake.zip"), { type: "text", autocomplete: "postal-code", inputmode: "numeric", maxlength: "10", class: "short" })));
		if (uses("email"))
			parts.push(field("email", t("intake.email") + " " + t("page.optional"), { type: "email", autocomplete: "email", maxlength: "254" }));
		if (uses("phone"))
			parts.push(field("phone", t("intake.phone") + " " + t("page.optional"), { type: "tel", autocomplete: "tel", maxlength: "30", class: "medium" }, t("intake.phone_hint")));
		const err = h("div", { class: "notice bad", role: "alert" });
		const btn = h("button", { type: "submit" }, t("status.details_send"));
		const box = h("form", { method: "post", action: "/", novalidate: true, class: "details" },
			h("fieldset", {}, h("legend", {}, t("status.details_title")), parts), err, h("div", { class: "actions" }, btn));
		const val = (id) => {
			const e = box.querySelector("#d-" + id);
			return e ? e.value.trim() : "";
		};
		box.addEventListener("submit", async (e) => {
			e.preventDefault();
			IDV.announce(err, "");
			for (const x of box.querySelectorAll(".error-text"))
				x.textContent = "";
			const missing = ["given_names", "family_name"].filter((k) => !val(k));
			for (const k of missing)
				box.querySelector(`#d-${k}-err`).textContent = t(k === "given_names" ? "intake.err_given_names" : "intake.err_family_name");
			if (missing.length) {
				box.querySelector("#d-" + missing[0]).focus();
				return;
			}
			const claims = { given_names: val("given_names"), family_name: val("family_name") };
			for (const k of ["date_of_birth", "email", "phone"])
				if (val(k))
					claims[k] = val(k);
			if (val("street")) {
				claims.address = {};
				for (const k of ["street", "unit", "city", "state", "postal_code"])
					if (val(k))
						claims.address[k] = val(k);
			}
			btn.disabled = true;
			try {
				const res = await api("POST", `/v1/requests/${encodeURIComponent(reference)}/details`, { claims });
				if (!res.ok) {
					const m = /^claims\.(?:address\.)?([a-z_]+)$/.exec((res.body && res.body.field) || "");
					const slot = m && box.querySelector(`#d-${m[1]}-err`);
					if (slot) {
						slot.textContent = IDV.problemText(res);
						box.querySelector("#d-" + m[1]).focus();
					} else {
						IDV.announce(err, IDV.problemText(res), "bad");
					}
					return;
				}
				render(res.body);
				schedule();
			} catch (ex) {
				IDV.announce(err, ex.message, "bad");
			} finally {
				btn.disabled = false;
			}
		});
		return { box };
	}

	function documentBox(kind, required) {
		const slot = new IDV.DocumentSlot({ kind, required: true, maxBytes: policy ? policy.upload.max_file_bytes : 20 * 1024 * 1024,
			hint: kind === "agent_permission" ? t("status.permission_hint") : null,
			intro: required ? null : t("status.send_again") });
		const err = h("div", { class: "notice bad", role: "alert" });
		const btn = h("button", { type: "submit" }, t("status.send_doc", { what: IDV.words.doc_kinds[kind].toLowerCase() }));
		const box = h("form", { method: "post", action: "/", novalidate: true, class: "needed-doc" }, slot.el, err, h("div", { class: "actions" }, btn));
		box.addEventListener("submit", async (e) => {
			e.preventDefault();
			IDV.announce(err, "");
			const problems = await slot.problems();
			if (problems.length) {
				problems[0].target.focus();
				return;
			}
			btn.disabled = true;
			try {
				const res = await slot.send(reference, token);
				if (!res.ok) {
					IDV.announce(err, res.status === 413 ? t("error.too_large_server") : IDV.problemText(res), "bad");
					return;
				}
				slot.sent = false;
				await load();
			} catch (ex) {
				IDV.announce(err, ex.message, "bad");
			} finally {
				btn.disabled = false;
			}
		});
		return { slot, box };
	}

	function declarationBox() {
		const component = new IDV.Declaration();
		const err = h("div", { class: "notice bad", role: "alert" });
		const btn = h("button", { type: "submit" }, t("status.sign"));
		const box = h("form", { method: "post", action: "/", novalidate: true }, component.el, err, h("div", { class: "actions" }, btn));
		component.load().catch((e) => IDV.announce(err, e.message, "bad"));
		box.addEventListener("submit", async (e) => {
			e.preventDefault();
			IDV.announce(err, "");
			const problems = component.problems();
			if (problems.length) {
				problems[0].target.focus();
				return;
			}
			btn.disabled = true;
			try {
				const res = await component.sign(reference, token);
				if (!res.ok) {
					IDV.announce(err, IDV.problemText(res), "bad");
					return;
				}
				render(res.body);
				schedule();
			} catch (ex) {
				IDV.announce(err, ex.message, "bad");
			} finally {
				btn.disabled = false;
			}
		});
		return { component, box };
	}

	function renderConfirm(v) {
		const sec = $("#confirm-section");
		const body = $("#confirm-body");
		if (v.request_type !== "delete" || v.closed) {
			sec.hidden = true;
			return;
		}
		sec.hidden = false;
		if (v.delete_confirmed_at) {
			if (!body.dataset.done) {
				clear(body).append(h("p", { class: "notice ok" }, t("status.delete_confirmed", { date: IDV.date(v.delete_confirmed_at) }) + " " + t(v.status === "verified" ? "status.delete_soon" : "status.delete_after_verify")));
				body.dataset.done = "1";
			}
			return;
		}
		if (body.dataset.ready)
			return;
		body.dataset.ready = "1";
		const btn = h("button", { type: "button", class: "danger", id: "confirm-delete" }, t("status.delete_yes"));
		clear(body).append(
			h("p", {}, t("status.delete_warning")),
			h("p", {}, t("status.delete_record")),
			h("div", { class: "actions" }, btn));
		btn.addEventListener("click", async () => {
			btn.disabled = true;
			IDV.announce(actionError, "");
			try {
				const res = await api("POST", `/v1/requests/${encodeURIComponent(reference)}/confirm`);
				if (!res.ok) {
					IDV.announce(actionError, IDV.problemText(res), "bad");
					btn.disabled = false;
					return;
				}
				delete body.dataset.ready;
				render(res.body);
				$("#confirm-h").focus();
			} catch (ex) {
				IDV.announce(actionError, ex.message, "bad");
				btn.disabled = false;
			}
		});
	}

	/* ---- loading and polling --------------------------------------------------------------- */

	function pending(v) {
		if (v.closed)
			return false;
		if (v.status === "processing")
			return true;
		return (v.documents || []).some((d) => d.files.some((f) => f.status === "queued" || f.status === "processing"));
	}

	function schedule() {
		clearTimeout(timer);
		if (!view || view.closed)
			return;
		const delay = failures ? Math.min(30000, 2000 * 2 ** failures) : pending(view) ? 1500 : 15000;
		timer = setTimeout(load, delay);
	}

	async function load() {
		clearTimeout(timer);
		let res;
		try {
			res = await api("GET", `/v1/requests/${encodeURIComponent(reference)}`);
		} catch (e) {
			failures++;
			if (view) {
				$("#updated").textContent = t("status.offline");
				schedule();
			} else {
				IDV.announce(loadStatus, e.message, "bad");
				timer = setTimeout(load, Math.min(30000, 2000 * 2 ** failures));
			}
			return;
		}
		failures = 0;
		if (res.status === 401 || res.status === 404) {
			try {
				sessionStorage.removeItem((agentPage ? "idv-consumer-" : "idv-token-") + reference);
			} catch (e) { /* nothing */ }
			$("#view").hidden = true;
			IDV.announce(loadStatus, agentPage
				? t("status.consumer_session_ended")
				: IDV.problemText({ status: 401, body: null }), "bad");
			askToken();
			return;
		}
		if (!res.ok) {
			IDV.announce(loadStatus, IDV.problemText(res), "bad");
			timer = setTimeout(load, 10000);
			return;
		}
		loadStatus.hidden = true;
		render(res.body);
		schedule();
	}

	function askToken() {
		const hooks = IDV.statusHooks || {};
		if (agentPage && hooks.askCode) {
			/* the consumer of an agent's request opens it with the code sent to them */
			hooks.askCode({
				reference, done(tok) {
					token = tok;
					loadStatus.hidden = false;
					IDV.announce(loadStatus, t("status.loading"));
					load();
				},
			});
			return;
		}
		const f = $("#token-form");
		f.hidden = false;
		f.onsubmit = (e) => {
			e.preventDefault();
			const v = $("#token-input").value.trim();
			const m = /(?:#token=)?([0-9a-fA-F]{64})\s*$/.exec(v);
			const err = $("#token-input-err");
			if (!m) {
				err.textContent = t("status.paste_link");
				$("#token-input").setAttribute("aria-invalid", "true");
				$("#token-input").focus();
				return;
			}
			err.textContent = "";
			$("#token-input").removeAttribute("aria-invalid");
			token = m[1].toLowerCase();
			IDV.saveToken(reference, token);
			f.hidden = true;
			loadStatus.hidden = false;
			IDV.announce(loadStatus, t("status.loading"));
			load();
		};
	}

	function start() {
		$("#ref").textContent = reference;
		/* the agent page takes no token from its address: only the consumer's own session */
		token = agentPage ? (IDV.statusHooks && IDV.statusHooks.savedToken ? IDV.statusHooks.savedToken(reference) : null)
			: IDV.caseToken(reference);
		$("#refresh").addEventListener("click", load);
		$("#withdraw").addEventListener("click", () => {
			$("#withdraw-confirm").hidden = false;
			$("#withdraw-actions").hidden = true;
			$("#withdraw-yes").focus();
		});
		$("#withdraw-no").addEventListener("click", () => {
			$("#withdraw-confirm").hidden = true;
			$("#withdraw-actions").hidden = false;
			$("#withdraw").focus();
		});
		$("#withdraw-yes").addEventListener("click", async () => {
			IDV.announce(actionError, "");
			try {
				const res = await api("POST", `/v1/requests/${encodeURIComponent(reference)}/${agentPage ? "agent-refusal" : "withdraw"}`);
				if (!res.ok) {
					IDV.announce(actionError, IDV.problemText(res), "bad");
					return;
				}
				render(res.body);
				$("#outcome").focus();
			} catch (ex) {
				IDV.announce(actionError, ex.message, "bad");
			}
		});
		$("#outcome").setAttribute("tabindex", "-1");
		IDV.api("GET", "/v1/intake").then((r) => {
			if (r.ok)
				policy = r.body;
		}).catch(() => {});
		if (!token) {
			IDV.announce(loadStatus, "");
			loadStatus.hidden = true;
			askToken();
			return;
		}
		load();
	}

	document.addEventListener("DOMContentLoaded", start);
})();

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
	let code = null;     /* {step, box}: the one-time code still to enter (issue 15) */

	const loadStatus = $("#load-status");
	const actionError = $("#action-error");

	const STATUS = {
		awaiting_evidence: ["We are waiting for what is listed under “What we still need from you”.", "warn"],
		processing: ["We are reading what you sent. This page updates by itself.", ""],
		verified: ["We have confirmed who you are.", "ok"],
		not_verified: ["We could not confirm who you are from what you sent.", "bad"],
		manual_review: ["A person on our team is checking your request. You do not need to do anything; this page will show the result.", ""],
		no_verification_needed: ["This request needs no proof of identity. We will act on it.", "ok"],
		refused: ["We have already answered two requests to know from you in the last 12 months. The law does not oblige us to answer more often, so we will not answer this one.", "bad"],
		closed: ["This request is closed.", ""],
	};

	const PART = { government_id: ["front", "back"] };

	function api(method, path, json) {
		return IDV.api(method, path, { auth: token, json });
	}

	/* ---- rendering ------------------------------------------------------------------------- */

	function outcomeText(v) {
		const hooks = IDV.statusHooks || {};
		const own = hooks.outcome ? hooks.outcome(v) : null;
		if (own)
			return own;
		const [text, kind] = STATUS[v.status] || ["Status: " + v.status, ""];
		const parts = [text];
		const due = IDV.date(v.respond_by);
		if (v.status === "verified") {
			const reached = v.outcome && v.outcome.level;
			if (v.request_type === "know_specific" && reached === "standard")
				parts.push("We could confirm who you are only to the standard level, not the higher level a copy of your information needs. So we will tell you the kinds of information we hold instead of sending a copy.");
			if (v.request_type === "delete" && !v.delete_confirmed_at)
				parts.push("Before we delete anything, confirm the deletion below.");
			else
				parts.push(`We will answer your request by ${due}.`);
		} else if (v.status === "not_verified") {
			if (v.request_type === "know_specific")
				parts.push("We cannot send you a copy of your information, nor tell you what kinds of information we hold. Our privacy policy describes the kinds of information we collect and why.");
			else if (v.request_type === "know_categories")
				parts.push("We cannot tell you what we hold about you. Our privacy policy describes the kinds of information we collect and why.");
			else if (v.request_type === "delete")
				parts.push("We cannot delete your information without confirming who you are.");
			else if (v.request_type === "correct")
				parts.push("We cannot correct your information without confirming who you are.");
			parts.push("You can make a new request with more details or documents.");
		} else if (v.status === "closed" && v.closed) {
			const at = IDV.date(v.closed.at);
			const r = v.closed.response;
			if (r === "withdrawn")
				parts.splice(0, 1, `You withdrew this request on ${at}.`);
			else if (r === "fulfilled")
				parts.push(`We answered it on ${at}.`);
			else if (r === "partially_fulfilled")
				parts.push(`We answered part of it on ${at}; our answer explains what we could not do and why.`);
			else if (r === "denied")
				parts.push(`We could not act on it (${denial(v.closed.denial_basis)}). Our answer of ${at} explains why.`);
		}
		if (v.purged_at)
			parts.push("The documents and details you sent us to check who you are have been deleted.");
		return [parts.join(" "), kind];
	}

	function denial(basis) {
		return {
			not_verified: "we could not confirm who you are",
			too_many_requests: "you had already received two answers in 12 months",
			exempt: "the law allows us to keep this information",
			no_personal_information: "we hold no information about you",
			claim_not_covered: "the request is not covered by the law",
		}[basis] || "see our answer";
	}

	function fileLine(v, doc, f) {
		const kindName = IDV.words.doc_kinds[doc.kind] || doc.kind;
		const part = (PART[doc.kind] || ["page 1", "page 2"])[f.part] || `file ${f.part + 1}`;
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
		let detail = (err.detail || "").replace(/^[a-z0-9_]+:\s*/, "");
		const type = (err.type || "").split(":").pop();
		const lead = {
			"unsupported-media-type": "This is not a kind of file we can read.",
			"too-large": "The picture is too large to read.",
			unreadable: "We could not read this document.",
		}[type] || "We could not read this document.";
		if (detail)
			detail = detail.charAt(0).toUpperCase() + detail.slice(1) + (/[.!?]$/.test(detail) ? "" : ".");
		const advice = canResend ? " Send a sharper photo or scan below: the whole document, flat, in good light, without glare." : "";
		return `${lead} ${detail}${advice}`.replace(/\s+/g, " ").trim();
	}

	function render(v) {
		view = v;
		$("#ref").textContent = v.reference;
		document.title = (agentPage ? "A request made for you " : "Your privacy request ") + v.reference;
		const [text, kind] = outcomeText(v);
		const out = $("#outcome");
		if (out.textContent !== text)
			IDV.announce(out, text, kind);
		const w = IDV.words.request_types[v.request_type];
		$("#f-type").textContent = w ? w.title : v.request_type;
		$("#f-received").textContent = IDV.date(v.received_at);
		$("#f-ack").textContent = IDV.date(v.acknowledge_by);
		$("#f-due").textContent = IDV.date(v.respond_by) + (v.extended ? " (extended)" : "");

		const rec = clear($("#received"));
		rec.append(h("li", {}, h("strong", {}, "Your request"), " ", h("span", { class: "pill ok" }, "Received"), h("span", { class: "hint" }, IDV.date(v.received_at))));
		for (const d of v.documents || [])
			for (const f of d.files)
				rec.append(fileLine(v, d, f));
		if (v.declaration)
			rec.append(h("li", {}, h("strong", {}, "Signed declaration"), " ", h("span", { class: "pill ok" }, "Signed"), h("span", { class: "hint" }, IDV.date(v.declaration.signed_at))));
		if (v.request_type === "delete" && v.delete_confirmed_at)
			rec.append(h("li", {}, h("strong", {}, "Your confirmation of the deletion"), " ", h("span", { class: "pill ok" }, "Confirmed"), h("span", { class: "hint" }, IDV.date(v.delete_confirmed_at))));

		renderNeeded(v);
		renderConfirm(v);
		$("#withdraw-section").hidden = Boolean(v.closed);
		if (IDV.statusHooks && IDV.statusHooks.render)
			IDV.statusHooks.render(v, { reference, token, api, render, load, policy });
		$("#updated").textContent = "Last checked " + new Date().toLocaleTimeString("en-US") + ".";
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
			} else if (kind === "contact_code") {
				if (wantCode && !code) {
					const step = new IDV.CodeStep({ reference, token, channel: v.contact_code.channel, onVerified: () => load() });
					code = { step, box: h("div", { class: "needed-code" }, h("h3", {}, "The code we send to a contact we hold"), step.el) };
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

	function documentBox(kind, required) {
		const slot = new IDV.DocumentSlot({ kind, required: true, maxBytes: policy ? policy.upload.max_file_bytes : 20 * 1024 * 1024,
			hint: kind === "agent_permission" ? "A photo, scan or PDF of the permission you signed for the agent." : null,
			intro: required ? null : "We could not read the one you sent. Send it again." });
		const err = h("div", { class: "notice bad", role: "alert" });
		const btn = h("button", { type: "submit" }, `Send the ${IDV.words.doc_kinds[kind].toLowerCase()}`);
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
					IDV.announce(err, res.status === 413 ? "The file is too large for the server." : IDV.problemText(res), "bad");
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
		const btn = h("button", { type: "submit" }, "Sign the declaration");
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
				clear(body).append(h("p", { class: "notice ok" }, `You confirmed on ${IDV.date(v.delete_confirmed_at)} that you want your information deleted.` + (v.status === "verified" ? " We will delete it and tell you when it is done." : " We will delete it once we have confirmed who you are.")));
				body.dataset.done = "1";
			}
			return;
		}
		if (body.dataset.ready)
			return;
		body.dataset.ready = "1";
		const btn = h("button", { type: "button", class: "danger", id: "confirm-delete" }, "Yes, delete my information");
		clear(body).append(
			h("p", {}, "You asked us to delete information we hold about you. Deleting it cannot be undone: we will not be able to restore it, and you may lose access to accounts or services that need it."),
			h("p", {}, "We keep a record that you made this request, as the law requires."),
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
				$("#updated").textContent = "We could not reach the server just now; we will try again by ourselves.";
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
				? "Your session on this request has ended. Enter a new code to open it again."
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
				reference, done(t) {
					token = t;
					loadStatus.hidden = false;
					IDV.announce(loadStatus, "Loading your request…");
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
				err.textContent = "Paste the whole private link, including the part after #token=.";
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
			IDV.announce(loadStatus, "Loading your request…");
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

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * review.js: the reviewers' console (/review). The reviewer key is typed into the page and kept
 * in sessionStorage (this tab only); it goes only into Authorization headers. The queue with due
 * dates (GET /v1/reviews), a case (GET /v1/reviews/{ref}) with the claims, the matched record
 * and the documents side by side with a match indicator per field, masked values with a reveal
 * that asks for a purpose (POST .../reveal, audited), the document images fetched with the key
 * (GET .../documents/{doc}/image, audited) with the regions read drawn over them, the engine's
 * reasons, the claim (POST .../claim) and the decision (POST .../decision).
 */
"use strict";

(function () {
	const { h, $, clear } = IDV;
	const KEY = "idv-reviewer-key";
	let key = null;
	let current = null; /* the open case's view */
	const images = [];  /* object URLs to release */

	const FIELD_LABEL = {
		name: "Name", date_of_birth: "Date of birth", address: "Address", email: "E-mail", phone: "Phone",
	};
	const STATE_LABEL = {
		unclaimed: ["Not claimed", "wait"], claimed: ["Claimed", "ok"], awaiting_second: ["Needs a second reviewer", "wait"],
	};
	const NAME_FIELDS = ["family_name", "given_names", "name_suffix", "holder_name"];
	const ADDRESS_FIELDS = ["street", "unit", "city", "state", "postal_code"];

	function api(method, path, json) {
		return IDV.api(method, path, { auth: key, json });
	}

	function say(text, kind) {
		IDV.announce($("#msg"), text, kind);
	}

	/* ---- the key --------------------------------------------------------------------------- */

	function askKey(message) {
		$("#console").hidden = true;
		$("#key-form").hidden = false;
		$("#key-err").textContent = message || "";
		if (message)
			$("#key").setAttribute("aria-invalid", "true");
		$("#key").focus();
	}

	async function openConsole() {
		$("#key-form").hidden = true;
		$("#console").hidden = false;
		await loadQueue();
	}

	/* ---- the queue ------------------------------------------------------------------------- */

	async function loadQueue() {
		let res;
		try {
			res = await api("GET", "/v1/reviews?state=" + encodeURIComponent($("#filter").value));
		} catch (e) {
			say(e.message, "bad");
			return;
		}
		if (res.status === 401 || res.status === 403) {
			try {
				sessionStorage.removeItem(KEY);
			} catch (e) { /* nothing */ }
			key = null;
			askKey("This key was not accepted. Check it and enter it again.");
			return;
		}
		if (!res.ok) {
			say(IDV.problemText(res), "bad");
			return;
		}
		const q = clear($("#queue"));
		const items = res.body.reviews || [];
		if (!items.length)
			q.append(h("p", {}, "No case is waiting in this list."));
		for (const it of items) {
			const [label, cls] = STATE_LABEL[it.state] || [it.state, "wait"];
			const w = IDV.words.request_types[it.request_type];
			const b = h("button", { type: "button", class: "case", "data-ref": it.reference, "aria-current": current && current.reference === it.reference ? "true" : "false" },
				h("strong", { class: "reference-small" }, it.reference), " ",
				h("span", { class: "pill " + cls }, label), h("br"),
				(w ? w.title : it.request_type) + ` (${it.level})`, h("br"),
				h("span", { class: "hint" }, `Answer due ${IDV.date(it.respond_by)}` + (it.claimed_by ? ` · held by ${it.claimed_by}` : "")));
			b.addEventListener("click", () => openCase(it.reference));
			q.append(h("div", {}, b));
		}
	}

	/* ---- a case ----------------------------------------------------------------------------- */

	function indicator(m, what) {
		if (!m)
			return h("span", { class: "match-none" }, "not compared");
		const pct = Math.round(m.score * 100);
		const score = h("span", { class: "score" }, ` (${pct}%, ${m.reason.replace(/_/g, " ")})`);
		return m.match
			? h("span", { class: "match-yes", "data-match": "yes" }, `✓ matches ${what}`, score)
			: h("span", { class: "match-no", "data-match": "no" }, `✗ differs from ${what}`, score);
	}

	/* A value, with a reveal button when it is masked. name: the reveal's field name. */
	function valueCell(value, nameOf) {
		if (value === null || value === undefined || value === "")
			return h("span", { class: "match-none" }, "none");
		if (typeof value === "object") {
			const parts = [];
			for (const k of ["street", "unit", "city", "state", "postal_code"]) {
				if (value[k] === null || value[k] === undefined || value[k] === "")
					continue;
				parts.push(valueCell(value[k], nameOf ? () => nameOf(k) : null), k === "state" ? " " : k === "postal_code" ? "" : ", ");
			}
			return h("span", {}, parts);
		}
		const text = String(value);
		if (!text.includes("*") || !nameOf)
			return h("span", {}, text);
		return revealable(text, nameOf());
	}

	function revealable(masked, field) {
		const span = h("span", { class: "masked" }, masked);
		const btn = h("button", { type: "button", class: "link", "data-reveal": field }, "Reveal");
		btn.setAttribute("aria-label", `Reveal ${field}`);
		const box = h("span", {}, span, " ", btn);
		btn.addEventListener("click", () => askPurpose(box, span, btn, field));
		return box;
	}

	function askPurpose(box, span, btn, field) {
		btn.hidden = true;
		const id = IDV.uid("purpose");
		const input = h("input", { type: "text", id, class: "medium", "aria-describedby": id + "-hint " + id + "-err" });
		const err = h("span", { class: "error-text", id: id + "-err" });
		const go = h("button", { type: "submit" }, "Reveal");
		const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");
		const form = h("form", { class: "reveal", method: "post", action: "/review", novalidate: true },
			h("label", { for: id, class: "label" }, `Why do you need to see ${field}?`),
			h("span", { class: "hint", id: id + "-hint" }, "At least three words. This is recorded in the audit trail with your name."),
			err, input, h("div", { class: "actions" }, go, cancel));
		box.append(form);
		input.focus();
		cancel.addEventListener("click", () => {
			form.remove();
			btn.hidden = false;
			btn.focus();
		});
		form.addEventListener("submit", async (e) => {
			e.preventDefault();
			const purpose = input.value.trim();
			if (purpose.length < 15 || purpose.split(/\s+/).length < 3) {
				err.textContent = "Give the purpose in at least three words (15 characters).";
				input.setAttribute("aria-invalid", "true");
				input.focus();
				return;
			}
			go.disabled = true;
			try {
				const res = await api("POST", `/v1/reviews/${encodeURIComponent(current.reference)}/reveal`, { field, purpose });
				if (!res.ok) {
					err.textContent = res.status === 409 ? "Claim the case first: only the reviewer holding a case can reveal values." : IDV.problemText(res);
					go.disabled = false;
					return;
				}
				span.textContent = res.body.value;
				span.classList.add("revealed");
				span.setAttribute("title", "Revealed: " + purpose);
				form.remove();
				btn.remove();
				box.append(h("span", { class: "hint" }, " (revealed)"));
			} catch (ex) {
				err.textContent = ex.message;
				go.disabled = false;
			}
		});
	}

	const CLAIM_NAME = { date_of_birth: "date_of_birth", email: "email", phone: "phone" };

	function comparisonTable(v) {
		const docs = v.documents || [];
		const docLabel = (id) => {
			const d = docs.find((x) => x.id === id);
			if (!d)
				return id;
			const kind = IDV.words.doc_kinds[d.kind] || d.kind;
			const part = d.kind === "government_id" ? ["front", "back"][d.part] : `page ${d.part + 1}`;
			return `${kind}, ${part}`;
		};
		const head = h("tr", {}, h("th", { scope: "col" }, "Data point"), h("th", { scope: "col" }, "Typed by the requester"),
			h("th", { scope: "col" }, v.matched_record ? "Our record" : "Our record (none matched)"), h("th", { scope: "col" }, "Read from the documents"));
		const rows = (v.comparison || []).map((c) => {
			const f = c.field;
			const claimName = (k) => "claims." + (k || CLAIM_NAME[f] || f);
			const recordName = (k) => "record." + (k || f);
			const docCells = (c.documents || []).map((d) => h("div", { class: "docval" },
				h("span", { class: "hint" }, docLabel(d.document) + ": "),
				valueCell(d.value, (k) => `document.${d.document}.${k || f}`), h("br"),
				indicator(d.vs_claim, "typed"), h("br"), indicator(d.vs_record, "record")));
			return h("tr", { "data-field": f },
				h("th", { scope: "row" }, FIELD_LABEL[f] || f),
				h("td", {}, valueCell(c.claim, f === "name" ? null : claimName)),
				h("td", {}, valueCell(c.record, f === "name" ? null : recordName), h("br"), c.record !== null ? indicator(c.claim_vs_record, "typed") : ""),
				h("td", {}, docCells.length ? docCells : h("span", { class: "match-none" }, "not on any document")));
		});
		return h("div", { class: "table-wrap" },
			h("table", { class: "compare" }, h("caption", { class: "visually-hidden" }, "Claims, record and documents side by side"),
				h("thead", {}, head), h("tbody", {}, rows)));
	}

	function boxClass(name, field) {
		if (field.source === "mrz")
			return "mrz";
		if (field.source === "pdf417" || field.source === "barcode")
			return "barcode";
		if (NAME_FIELDS.includes(name))
			return "name";
		if (ADDRESS_FIELDS.includes(name))
			return "address";
		return "other";
	}

	const BOX_COLOURS = { barcode: "#0b4f9c", mrz: "#7a2e8f", name: "#1e6b34", address: "#b35900", other: "#4a4a4a" };

	async function showImage(d, holder, button) {
		button.disabled = true;
		let r;
		try {
			r = await fetch(d.image, { headers: { Authorization: "Bearer " + key }, credentials: "omit", cache: "no-store" });
		} catch (e) {
			holder.append(h("p", { class: "error-text" }, IDV.NETWORK_MESSAGE));
			button.disabled = false;
			return;
		}
		if (!r.ok) {
			holder.append(h("p", { class: "error-text" }, r.status === 409 ? "Claim the case first to see its documents." : `The image could not be loaded (${r.status}).`));
			button.disabled = false;
			return;
		}
		const blob = await r.blob();
		const url = URL.createObjectURL(blob);
		images.push(url);
		button.remove();
		if (!/^image\/(jpeg|png|webp|gif)$/.test(blob.type)) {
			holder.append(h("p", {}, "This file cannot be shown in the browser. ",
				h("a", { href: url, download: d.kind + (blob.type === "application/pdf" ? ".pdf" : ".tif") }, "Download it"), " to look at it."));
			return;
		}
		const regions = [];
		const svgNS = "http://www.w3.org/2000/svg";
		const page = d.page || null;
		const svg = document.createElementNS(svgNS, "svg");
		svg.setAttribute("aria-hidden", "true");
		svg.setAttribute("preserveAspectRatio", "none");
		for (const [name, f] of Object.entries(d.fields || {})) {
			if (!f.box || !page)
				continue;
			const cls = boxClass(name, f);
			const rect = document.createElementNS(svgNS, "rect");
			rect.setAttribute("x", f.box.x);
			rect.setAttribute("y", f.box.y);
			rect.setAttribute("width", f.box.w);
			rect.setAttribute("height", f.box.h);
			rect.setAttribute("fill", "none");
			rect.setAttribute("stroke", BOX_COLOURS[cls]);
			rect.setAttribute("stroke-width", Math.max(2, page.width / 300));
			rect.setAttribute("data-region", cls);
			svg.append(rect);
			regions.push(`${name.replace(/_/g, " ")} (${cls})`);
		}
		const turned = page && [90, 180, 270].includes(page.turned) ? page.turned : 0;
		const kindName = IDV.words.doc_kinds[d.kind] || d.kind;
		let fig;
		if (turned) {
			/* The reader turned the upload upright before reading it (page_turns): the image is
			 * shown turned the same way, so that the regions, which refer to it, fall in place. */
			const w0 = turned === 180 ? page.width : page.height, h0 = turned === 180 ? page.height : page.width;
			const im = document.createElementNS(svgNS, "image");
			im.setAttribute("href", url);
			im.setAttribute("width", w0);
			im.setAttribute("height", h0);
			im.setAttribute("preserveAspectRatio", "none");
			im.setAttribute("transform", { 90: `translate(${h0} 0) rotate(90)`, 180: `translate(${w0} ${h0}) rotate(180)`, 270: `translate(0 ${w0}) rotate(270)` }[turned]);
			svg.prepend(im);
			svg.setAttribute("viewBox", `0 0 ${page.width} ${page.height}`);
			svg.removeAttribute("aria-hidden");
			svg.setAttribute("role", "img");
			svg.setAttribute("aria-label", `${kindName}, turned ${turned} degrees clockwise as it was read`);
			svg.setAttribute("data-turned", String(turned));
			svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
			fig = h("figure", { class: "docimg turned" }, svg);
		} else {
			const img = h("img", { src: url, alt: `${kindName} as uploaded` });
			fig = h("figure", { class: "docimg" }, img, svg);
			img.addEventListener("load", () => {
				svg.setAttribute("viewBox", page ? `0 0 ${page.width} ${page.height}` : `0 0 ${img.naturalWidth} ${img.naturalHeight}`);
			});
		}
		const legend = h("div", { class: "legend-boxes" },
			["barcode", "mrz", "name", "address", "other"].map((c) => h("span", {}, h("span", { class: "swatch sw-" + c }), { barcode: "Barcode", mrz: "MRZ", name: "Name", address: "Address", other: "Other fields" }[c])));
		holder.append(legend, fig,
			turned ? h("p", { class: "hint", "data-page-turns": String(turned / 90) }, `The upload was sideways or upside down: the reader turned it ${turned} degrees clockwise to read it, and it is shown as read.`) : null,
			h("p", { class: "hint" }, regions.length ? "Regions read: " + regions.join(", ") + "." : "The reader recorded no regions on this image" + ((d.barcodes || []).length ? " (the barcode's fields carry no position)." : ".")));
	}

	function documentsSection(v) {
		const out = [];
		for (const d of v.documents || []) {
			const kind = IDV.words.doc_kinds[d.kind] || d.kind;
			const part = d.kind === "government_id" ? ["front", "back"][d.part] || `file ${d.part + 1}` : `page ${d.part + 1}`;
			const fields = Object.entries(d.fields || {}).map(([name, f]) => h("tr", {},
				h("th", { scope: "row" }, name.replace(/_/g, " ")),
				h("td", {}, valueCell(f.value, () => `document.${d.id}.${name}`)),
				h("td", {}, f.source), h("td", {}, Math.round(f.confidence * 100) + "%")));
			const checks = (d.checks || []).map((c) => h("li", {},
				h("span", { class: "pill " + (c.result === "pass" ? "ok" : c.result === "fail" ? "bad" : "wait") }, c.result.replace("_", " ")), " ",
				h("strong", {}, c.name.replace(/_/g, " ")), ": ", c.detail));
			const holder = h("div", { class: "image-holder" });
			const btn = h("button", { type: "button", class: "secondary" }, `Show the image (${kind}, ${part})`);
			btn.addEventListener("click", () => showImage(d, holder, btn));
			holder.append(btn);
			out.push(h("article", { class: "doc", "data-doc-id": d.id },
				h("h4", {}, `${kind}, ${part}`, " ", h("span", { class: "pill " + (d.status === "ok" ? "ok" : "bad") }, d.status)),
				d.read_as ? h("p", { class: "hint" }, `Read as: ${d.read_as.replace(/_/g, " ")}` + (d.page && d.page.turned ? `; read turned ${d.page.turned} degrees clockwise` : "") + ((d.barcodes || []).length ? `; barcode ${d.barcodes.map((b) => b.format).join(", ")}` : "") + (d.mrz ? `; MRZ ${d.mrz.format}, check digits ${d.mrz.check_digits_valid ? "valid" : "invalid"}` : "")) : null,
				checks.length ? h("ul", { class: "checks" }, checks) : null,
				fields.length ? h("div", { class: "table-wrap" }, h("table", {},
					h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Value"), h("th", { scope: "col" }, "Source"), h("th", { scope: "col" }, "Confidence"))),
					h("tbody", {}, fields))) : h("p", {}, "Nothing was read from this file."),
				holder));
		}
		return out.length ? out : [h("p", {}, "No documents were sent.")];
	}

	function decisionForm(v) {
		const err = h("div", { class: "notice bad", role: "alert" });
		const reasonId = IDV.uid("reason");
		const form = h("form", { method: "post", action: "/review", novalidate: true, id: "decide" },
			h("fieldset", {},
				h("legend", {}, "Your decision"),
				v.two_reviewers_needed ? h("p", { class: "hint" }, "This is a heightened case: it is decided when two different reviewers agree.") : null,
				h("div", { class: "choices" },
					h("label", { class: "choice", for: "d-verified" }, h("input", { type: "radio", name: "decision", value: "verified", id: "d-verified" }),
						h("span", { class: "title" }, "Verified"), h("span", { class: "hint" }, "The evidence shows the requester is the consumer.")),
					h("label", { class: "choice", for: "d-not" }, h("input", { type: "radio", name: "decision", value: "not_verified", id: "d-not" }),
						h("span", { class: "title" }, "Not verified"), h("span", { class: "hint" }, "The evidence does not show it, or contradicts it.")))),
			h("div", { class: "field" },
				h("label", { for: reasonId }, "Reason"),
				h("span", { class: "hint", id: reasonId + "-hint" }, "What you checked and why you decided so (10 to 2000 characters). Kept with the case; no personal data needed."),
				h("textarea", { id: reasonId, rows: "3", "aria-describedby": reasonId + "-hint" })),
			err, h("div", { class: "actions" }, h("button", { type: "submit" }, "Record my decision")));
		form.addEventListener("submit", async (e) => {
			e.preventDefault();
			IDV.announce(err, "");
			const choice = form.querySelector("input[name=decision]:checked");
			const reason = form.querySelector("textarea").value.trim();
			if (!choice || reason.length < 10) {
				IDV.announce(err, !choice ? "Choose verified or not verified." : "Give a reason of at least 10 characters.", "bad");
				return;
			}
			const res = await api("POST", `/v1/reviews/${encodeURIComponent(v.reference)}/decision`, { decision: choice.value, reason }).catch((ex) => ({ ok: false, status: 0, body: { detail: ex.message } }));
			if (!res.ok) {
				IDV.announce(err, res.status === 0 ? IDV.NETWORK_MESSAGE : IDV.problemText(res), "bad");
				return;
			}
			const b = res.body;
			say(b.final ? `Decision recorded: ${v.reference} is ${b.status.replace("_", " ")}.`
				: b.state === "disagreement" ? `Your decision is recorded, but it disagrees with the other reviewer's: ${v.reference} needs another review.`
					: `Your decision is recorded. ${v.reference} now needs a second reviewer to agree.`, b.final ? "ok" : "warn");
			await loadQueue();
			/* A decided case is no longer open to reviewers: it is not shown again. */
			if (b.final)
				showDecided(v.reference, b.status);
			else
				await openCase(v.reference, true);
		});
		return form;
	}

	function showDecided(reference, status) {
		current = null;
		while (images.length)
			URL.revokeObjectURL(images.pop());
		$("#case-h").textContent = `Case ${reference}`;
		clear($("#case-body")).append(h("p", { class: "notice ok" }, `This case is ${status.replace(/_/g, " ")}; there is nothing left to decide.`));
	}

	async function claim(v) {
		try {
			const res = await api("POST", `/v1/reviews/${encodeURIComponent(v.reference)}/claim`);
			if (!res.ok) {
				say(IDV.problemText(res), "bad");
				return;
			}
			say(`You hold ${v.reference} until ${new Date(res.body.expires_at).toLocaleTimeString("en-US")}.`, "ok");
			await loadQueue();
			await openCase(v.reference, true);
		} catch (e) {
			say(e.message, "bad");
		}
	}

	async function openCase(reference, keepMessage) {
		if (!keepMessage)
			say("");
		let res;
		try {
			res = await api("GET", `/v1/reviews/${encodeURIComponent(reference)}`);
		} catch (e) {
			say(e.message, "bad");
			return;
		}
		if (!res.ok) {
			say(IDV.problemText(res), "bad");
			return;
		}
		while (images.length)
			URL.revokeObjectURL(images.pop());
		const v = res.body;
		current = v;
		for (const b of document.querySelectorAll("#queue button.case"))
			b.setAttribute("aria-current", b.dataset.ref === reference ? "true" : "false");
		$("#case-h").textContent = `Case ${v.reference}`;
		$("#case-empty").hidden = true;
		const body = clear($("#case-body"));
		body.hidden = false;
		const w = IDV.words.request_types[v.request_type];
		const claimLine = v.claim
			? h("p", {}, `Claimed by ${v.claim.by} until ${new Date(v.claim.expires_at).toLocaleTimeString("en-US")}.`)
			: h("p", {}, "Nobody holds this case.");
		const inReview = v.status === "manual_review";
		const claimBtn = h("button", { type: "button", id: "claim" }, v.claim ? "Claim it again (renew)" : "Claim this case");
		claimBtn.addEventListener("click", () => claim(v));
		const reasons = ((v.decision && v.decision.reasons) || []).map((r) => h("li", {}, h("strong", {}, r.code.replace(/_/g, " ")), ": ", r.detail));
		body.append(...[
			h("dl", { class: "facts" },
				h("dt", {}, "Request"), h("dd", {}, w ? w.title : v.request_type),
				h("dt", {}, "Level"), h("dd", {}, v.level + (v.two_reviewers_needed ? " (two reviewers must agree)" : "")),
				h("dt", {}, "Requester"), h("dd", {}, (IDV.words.roles[v.requester_role] || { title: v.requester_role }).title + `, via ${v.channel}`),
				h("dt", {}, "Received"), h("dd", {}, IDV.date(v.received_at)),
				h("dt", {}, "Answer due"), h("dd", {}, IDV.date(v.respond_by)),
				h("dt", {}, "Status"), h("dd", {}, v.status.replace(/_/g, " ")),
				h("dt", {}, "Reviews so far"), h("dd", {}, (v.reviews || []).length ? v.reviews.map((r) => `${r.reviewer}: ${r.decision.replace("_", " ")}`).join("; ") : "none")),
			claimLine,
			inReview ? h("div", { class: "actions" }, claimBtn) : null,
			h("h3", {}, "Why it is here"),
			reasons.length ? h("ul", { class: "reasons" }, reasons) : h("p", {}, "The engine gave no reasons."),
			h("h3", {}, "Side by side"),
			comparisonTable(v),
			h("h3", {}, "Documents"),
			...documentsSection(v),
			inReview ? decisionForm(v) : h("p", { class: "notice ok" }, `This case is ${v.status.replace(/_/g, " ")}; there is nothing left to decide.`),
		].filter(Boolean));
		$("#case").focus();
	}

	function start() {
		try {
			key = sessionStorage.getItem(KEY);
		} catch (e) {
			key = null;
		}
		$("#key-form").addEventListener("submit", (e) => {
			e.preventDefault();
			const v = $("#key").value.trim();
			if (v.length < 16) {
				$("#key-err").textContent = "Enter the whole reviewer key you were given.";
				$("#key").setAttribute("aria-invalid", "true");
				$("#key").focus();
				return;
			}
			key = v;
			$("#key").value = "";
			$("#key").removeAttribute("aria-invalid");
			$("#key-err").textContent = "";
			try {
				sessionStorage.setItem(KEY, key);
			} catch (ex) { /* kept in memory only */ }
			openConsole();
		});
		$("#filter").addEventListener("change", loadQueue);
		$("#reload").addEventListener("click", loadQueue);
		$("#signout").addEventListener("click", () => {
			try {
				sessionStorage.removeItem(KEY);
			} catch (e) { /* nothing */ }
			key = null;
			current = null;
			clear($("#case-body"));
			askKey("");
		});
		if (key)
			openConsole();
		else
			askKey("");
	}

	document.addEventListener("DOMContentLoaded", start);
})();

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * intake.js: the intake form (/). Asks only for what the business's policy uses (GET /v1/intake,
 * R5 and R7), files the request (POST /v1/requests), sends the documents with upload progress
 * (POST .../documents), signs the declaration when the level needs one (POST .../declaration)
 * and shows the reference number, the due dates and the private link to the status page.
 * If anything fails half-way, what was typed stays, and sending again resumes where it stopped.
 * When the policy counts a one-time code and the operator configured a channel, the consumer
 * may choose to prove it with a code ("contact_code"): after the claims the page asks for it
 * (POST .../code), says "if we hold this contact, a code is on its way" (the same answer
 * whether or not we do; the contact shown is what they typed, masked), takes the code
 * (POST .../code/verify), offers a limited resend with a countdown and shows the outcome.
 */
"use strict";

(function () {
	const { h, $, $$, clear, t } = IDV;
	const STATES = IDV.STATES;
	const POINT_INPUTS = {
		date_of_birth: ["date_of_birth"],
		address: ["street", "unit", "city", "state", "postal_code"],
		email: ["email"],
		phone: ["phone"],
	};
	const LEVEL_RANK = { none: 0, standard: 1, heightened: 2 };

	let policy = null;
	let slots = {};       /* kind -> IDV.DocumentSlot */
	let declaration = null;
	let created = null;   /* the answer of POST /v1/requests once the request is recorded */
	let declared = false;

	const form = $("#intake");
	const summary = $("#summary");
	const sendStatus = $("#send-status");
	const sendError = $("#send-error");

	function checked(name) {
		const e = $(`input[name="${name}"]:checked`);
		return e ? e.value : null;
	}

	function checkedAll(name) {
		return $$(`input[name="${name}"]:checked`).map((e) => e.value);
	}

	function choice(type, name, value, title, hint) {
		const id = `${name}-${value}`;
		const hintId = hint ? id + "-hint" : null;
		return h("label", { class: "choice", for: id },
			h("input", { type, name, value, id, "aria-describedby": hintId }),
			h("span", { class: "title" }, title),
			hint ? h("span", { class: "hint", id: hintId }, hint) : null);
	}

	/* ---- the level and what it asks for ---------------------------------------------------- */

	function currentLevel() {
		const type = checked("request_type");
		if (!type)
			return null;
		let level = policy.request_types[type] || "heightened";
		if (type === "delete" || type === "correct") {
			const known = Object.fromEntries(policy.data_classes.map((c) => [c.name, c.level]));
			for (const c of checkedAll("data_class")) {
				const l = known[c] || policy.unknown_data_class_level;
				if (LEVEL_RANK[l] > LEVEL_RANK[level])
					level = l;
			}
		}
		return level;
	}

	function levelInfo(level) {
		return policy.levels[level] || { fields: [], documents_required: [], declaration_required: false, points_needed: 0 };
	}

	function askedPoints(type, level) {
		if (type === "opt_out")
			return ["email"];
		const info = levelInfo(level);
		const correcting = checkedAll("correcting");
		return info.fields.map((f) => f.name).filter((n) => n !== "name" && !correcting.includes(n));
	}

	/* The asked points that count when typed (a typed e-mail or phone may only say where a
	 * code goes). */
	function countingPoints(type, level) {
		const counts = Object.fromEntries(levelInfo(level).fields.map((f) => [f.name, f.counts !== false]));
		return askedPoints(type, level).filter((p) => type === "opt_out" || counts[p]);
	}

	/* The code channels offered for this request: the level counts a code, the operator
	 * configured the channel, and the consumer asks for themselves. */
	function codeChannels(type, level) {
		const role = checked("requester_role") || "consumer";
		const cc = level ? levelInfo(level).contact_code : null;
		if (!type || type === "opt_out" || role !== "consumer" || !cc || !cc.counts)
			return [];
		return (policy.code_channels || []).filter((c) => !checkedAll("correcting").includes(c));
	}

	function codeChoice() {
		const c = checked("contact_code");
		return c && c !== "none" && !$("#code-box").hidden ? c : null;
	}

	function update() {
		const type = checked("request_type");
		const role = checked("requester_role") || "consumer";
		const level = currentLevel();
		const info = level ? levelInfo(level) : null;
		$("#classes-box").hidden = !(type === "delete" || type === "correct");
		$("#classes-legend").textContent = type === "correct" ? t("intake.classes_correct") : t("intake.classes_delete");
		$("#correct-box").hidden = type !== "correct";

		/* 3. About ... */
		$("#about-h").textContent = t(`intake.about.${role}`);
		const points = type ? askedPoints(type, level) : [];
		const channels = codeChannels(type, level);
		/* a field is shown when it counts, is required, or says where a code may go (R5) */
		const counting = type ? countingPoints(type, level) : [];
		const required = info ? info.fields.filter((f) => f.required).map((f) => f.name) : [];
		const shown = type === "opt_out" ? points
			: points.filter((p) => counting.includes(p) || required.includes(p) || channels.includes(p));
		for (const e of $$("[data-point]"))
			e.hidden = !shown.includes(e.dataset.point);
		const codes = $("#code-choices");
		const had = checked("contact_code");
		clear(codes);
		for (const c of channels)
			codes.append(choice("radio", "contact_code", c, t(`intake.code_choice.${c}`), t(`intake.code_choice_hint.${c}`)));
		if (channels.length) {
			codes.append(choice("radio", "contact_code", "none", t("intake.code_choice.none"), t("intake.code_choice_hint.none")));
			const keep = $(`input[name="contact_code"][value="${had}"]`);
			(keep || $$("input[name=contact_code]")[0]).checked = true;
		}
		$("#code-box").hidden = channels.length === 0;
		$("#code-choice-hint").textContent = t(channels.length > 1 ? "intake.code_hint" : channels[0] === "phone" ? "intake.code_hint_phone" : "intake.code_hint_email");
		const hint = $("#about-hint");
		if (type === "opt_out") {
			hint.textContent = t("intake.about_opt_out");
		} else if (info) {
			const need = Math.ceil(info.points_needed);
			const names = countingPoints(type, level).map((p) => IDV.words.fields[p]);
			if (channels.length)
				names.push(t("intake.code_point"));
			hint.textContent = t(`intake.about_hint.${role}`, { need, names: names.join(", ") }) +
				(type === "correct" ? " " + t("intake.about_correcting") : "");
		} else {
			hint.textContent = t("intake.about_first");
		}
		const opt = () => (type === "opt_out" ? h("span", { class: "optional" }, " " + t("page.optional")) : "");
		clear($("label[for=given_names]")).append(t("intake.given_names"), opt());
		clear($("label[for=family_name]")).append(t("intake.family_name"), opt());

		/* role notes */
		const note = $("#role-note");
		note.hidden = role === "consumer";
		clear(note);
		if (role === "authorized_agent")
			note.append(h("p", {}, t("intake.note_agent")));
		if (role === "parent_or_guardian")
			note.append(h("p", {}, t("intake.note_parent")));

		/* 4. Documents */
		const wantDocs = [];
		if (type && type !== "opt_out" && info) {
			const req = info.documents_required || [];
			if (req.includes("government_id") || level === "heightened")
				wantDocs.push(["government_id", req.includes("government_id"), null]);
			if (req.includes("proof_of_residence") || level === "heightened")
				wantDocs.push(["proof_of_residence", req.includes("proof_of_residence"),
					t("intake.residence_intro", { days: info.proof_of_residence_max_age_days || 90 })]);
		}
		/* an agent's authority, as the business's procedure accepts it: the consumer's
		 * signed permission, else the agent's Secretary of State registration */
		const proofs = policy.agent_proofs || ["signed_permission"];
		if (type && type !== "opt_out" && role === "authorized_agent")
			wantDocs.push(proofs.includes("signed_permission")
				? ["agent_permission", true, t("intake.permission_intro")]
				: ["agent_registration", true, t("intake.registration_intro")]);
		if (type && type !== "opt_out" && role === "parent_or_guardian")
			wantDocs.push(["relationship_proof", false, t("intake.relationship_intro")]);
		const docs = $("#docs");
		const keep = new Set(wantDocs.map((d) => d[0]));
		for (const k of Object.keys(slots))
			if (!keep.has(k)) {
				slots[k].el.remove();
				delete slots[k];
			}
		for (const [kind, required, intro] of wantDocs) {
			if (slots[kind] && slots[kind].required !== required) {
				slots[kind].el.remove();
				delete slots[kind];
			}
			if (!slots[kind]) {
				slots[kind] = new IDV.DocumentSlot({ kind, required, intro, maxBytes: policy.upload.max_file_bytes });
				slots[kind].required = required;
			}
			docs.append(slots[kind].el); /* keeps the order of wantDocs */
		}
		$("#docs-step").hidden = wantDocs.length === 0;

		/* 5. Declaration */
		const needDecl = Boolean(info && info.declaration_required && type !== "opt_out");
		$("#decl-step").hidden = !needDecl;
		let n = 4;
		$("#docs-h").textContent = t("intake.step_docs_n", { n });
		if (wantDocs.length)
			n++;
		$("#decl-h").textContent = t("intake.step_decl_n", { n });
		if (needDecl && !declaration) {
			declaration = new IDV.Declaration();
			$("#decl").append(declaration.el);
			declaration.load().catch((e) => IDV.announce(sendError, e.message, "bad"));
		}
	}

	/* ---- checks ------------------------------------------------------------------------------- */

	function fieldError(id, msg) {
		const input = $("#" + id);
		const err = $("#" + id + "-err");
		if (err)
			err.textContent = msg || "";
		if (input) {
			if (msg)
				input.setAttribute("aria-invalid", "true");
			else
				input.removeAttribute("aria-invalid");
		}
		return msg ? { target: input, message: msg } : null;
	}

	function value(id) {
		const e = $("#" + id);
		return e && !e.closest("[hidden]") ? e.value.trim() : "";
	}

	function todayISO() {
		const d = new Date();
		return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
	}

	function checkFields() {
		const out = [];
		const type = checked("request_type");
		const push = (p) => p && out.push(p);
		for (const id of ["given_names", "family_name", "date_of_birth", "street", "city", "state", "postal_code", "email", "phone"])
			fieldError(id, "");
		$("#type-err").textContent = "";
		if (!type) {
			$("#type-err").textContent = t("intake.err_type");
			out.push({ target: $("#types input"), message: t("intake.err_type") });
			return out;
		}
		if (type !== "opt_out") {
			if (!value("given_names"))
				push(fieldError("given_names", t("intake.err_given_names")));
			if (!value("family_name"))
				push(fieldError("family_name", t("intake.err_family_name")));
		}
		const dob = value("date_of_birth");
		if (dob && (!/^\d{4}-\d{2}-\d{2}$/.test(dob) || dob < "1900-01-01" || dob > todayISO()))
			push(fieldError("date_of_birth", t("intake.err_dob")));
		const email = value("email");
		if (email && !/^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>.]+$/.test(email))
			push(fieldError("email", t("intake.err_email")));
		const phone = value("phone");
		if (phone) {
			const digits = phone.replace(/\D/g, "").length;
			if (!/^\+?[\d\s().-]+$/.test(phone) || digits < 10 || digits > 15)
				push(fieldError("phone", t("intake.err_phone")));
		}
		const zip = value("postal_code");
		if (zip && !/^\d{5}(-?\d{4})?$/.test(zip))
			push(fieldError("postal_code", t("intake.err_zip")));
		const street = value("street"), city = value("city"), state = value("state");
		if (street || city || zip) {
			if (!street)
				push(fieldError("street", t("intake.err_street")));
			if (!city)
				push(fieldError("city", t("intake.err_city")));
			if (!state)
				push(fieldError("state", t("intake.err_state")));
			if (!zip)
				push(fieldError("postal_code", t("intake.err_zip_missing")));
		}
		const code = codeChoice();
		if (code && out.length === 0 && !value(code))
			push(fieldError(code, code === "email"
				? t("intake.err_code_email")
				: t("intake.err_code_phone")));
		if (type !== "opt_out" && out.length === 0) {
			const level = currentLevel();
			const points = countingPoints(type, level);
			const weight = code ? levelInfo(level).contact_code.weight : 0;
			const given = points.filter((p) => (p === "address" ? street : value(p))).length + weight;
			const need = Math.min(Math.ceil(levelInfo(level).points_needed), points.length + (codeChannels(type, level).length ? 1 : 0));
			if (given < need && points.length) {
				const first = points.find((p) => !(p === "address" ? street : value(p))) || points[0];
				const target = $("#" + POINT_INPUTS[first][0]);
				const names = points.map((p) => IDV.words.fields[p]);
				if (codeChannels(type, level).length)
					names.push(t("intake.code_point"));
				push(fieldError(target.id, t("intake.err_points", { need, names: names.join(", ") })));
			}
		}
		return out;
	}

	/* ---- sending ------------------------------------------------------------------------------ */

	function requestBody() {
		const type = checked("request_type");
		const claims = {};
		const set = (k, id) => {
			const v = value(id);
			if (v)
				claims[k] = v;
		};
		set("given_names", "given_names");
		set("family_name", "family_name");
		set("date_of_birth", "date_of_birth");
		set("email", "email");
		set("phone", "phone");
		if (value("street")) {
			claims.address = {};
			for (const k of ["street", "unit", "city", "state", "postal_code"]) {
				const v = value(k);
				if (v)
					claims.address[k] = v;
			}
		}
		if (type === "correct" && checkedAll("correcting").length)
			claims.correcting = checkedAll("correcting");
		const body = {
			request_type: type,
			channel: "web",
			requester: { role: checked("requester_role") || "consumer" },
			claims,
		};
		if (codeChoice())
			body.contact_code = codeChoice();
		if (type === "delete" || type === "correct") {
			const classes = checkedAll("data_class");
			if (classes.length)
				body.data_classes = classes;
			const level = currentLevel();
			if (level !== policy.request_types[type])
				body.level = level;
		}
		return body;
	}

	/* Put a 422 from POST /v1/requests next to the field it names ("field": "claims.email"),
	 * in this page's words for that field. */
	function serverFieldError(body) {
		const m = /^claims\.(?:address\.)?([a-z_]+)$/.exec((body && body.field) || "");
		const errs = { given_names: "err_given_names", family_name: "err_family_name", date_of_birth: "err_dob", email: "err_email", phone: "err_phone", street: "err_street", city: "err_city", state: "err_state", postal_code: "err_zip" };
		if (m && errs[m[1]] && $("#" + m[1]))
			return fieldError(m[1], t("intake." + errs[m[1]]));
		return null;
	}

	function lockRequest() {
		for (const sec of $$("section.step")) {
			if (sec.id === "docs-step" || sec.id === "decl-step")
				continue;
			for (const e of $$("input, select, textarea", sec))
				e.disabled = true;
		}
		IDV.announce(sendStatus, t("intake.recorded_rest", { reference: created.reference }), "warn");
	}

	async function send() {
		IDV.announce(sendError, "");
		const problems = checkFields();
		for (const slot of Object.values(slots))
			problems.push(...(await slot.problems()));
		if (declaration && !$("#decl-step").hidden && !declared)
			problems.push(...declaration.problems());
		if (problems.length) {
			IDV.showSummary(summary, problems);
			return;
		}
		IDV.showSummary(summary, []);
		const button = $("#send");
		button.disabled = true;
		try {
			if (!created) {
				IDV.announce(sendStatus, t("intake.sending"));
				const res = await IDV.api("POST", "/v1/requests", { json: requestBody() });
				if (!res.ok) {
					const p = res.status === 422 ? serverFieldError(res.body) : null;
					IDV.announce(sendStatus, "");
					if (p)
						IDV.showSummary(summary, [p]);
					else
						IDV.announce(sendError, IDV.problemText(res), "bad");
					return;
				}
				created = res.body;
				IDV.saveToken(created.reference, created.token);
				lockRequest();
			}
			for (const slot of Object.values(slots)) {
				if (slot.sent || slot.files().length === 0)
					continue;
				IDV.announce(sendStatus, t("intake.sending_doc", { what: IDV.words.doc_kinds[slot.kind].toLowerCase() }));
				const res = await slot.send(created.reference, created.token);
				if (!res.ok) {
					const msg = res.status === 413
						? t("intake.file_too_large", { max: IDV.bytes(policy.upload.max_file_bytes) })
						: res.status === 415 || res.status === 422
							? t("intake.file_refused", { why: IDV.problemText(res) })
							: IDV.problemText(res);
					slot.pickers[0].setError(msg);
					IDV.showSummary(summary, [{ target: slot.pickers[0].input, message: msg }]);
					IDV.announce(sendStatus, "");
					return;
				}
			}
			if (declaration && !$("#decl-step").hidden && !declared) {
				IDV.announce(sendStatus, t("intake.signing"));
				const res = await declaration.sign(created.reference, created.token);
				if (!res.ok) {
					const msg = IDV.problemText(res);
					IDV.showSummary(summary, [{ target: declaration.name, message: msg }]);
					IDV.announce(sendStatus, "");
					return;
				}
				declared = true;
			}
			if (created.contact_code || (created.required || []).includes("contact_code"))
				showCode();
			else
				showDone();
		} catch (e) {
			IDV.announce(sendStatus, created ? t("intake.recorded_partly", { reference: created.reference }) : "", created ? "warn" : "");
			IDV.announce(sendError, e instanceof IDV.NetworkError ? e.message : t("intake.page_error", { error: e.message }), "bad");
			sendError.scrollIntoView({ block: "center" });
		} finally {
			button.disabled = false;
		}
	}

	/* ---- the code step ------------------------------------------------------------------------ */

	function showCode() {
		$("#form-view").hidden = true;
		const v = $("#code-view");
		v.hidden = false;
		$("#code-ref").textContent = created.reference;
		const link = IDV.privateLink(created.reference, created.token);
		$("#code-link").textContent = link;
		const step = new IDV.CodeStep({ reference: created.reference, token: created.token,
			channel: checked("contact_code") === "phone" ? "phone" : "email", onVerified: (view) => showDone(view) });
		clear($("#code-box-step")).append(step.el);
		document.title = t("intake.code_page_title", { reference: created.reference });
		v.focus();
		window.scrollTo(0, 0);
		step.start(true).catch((x) => IDV.announce(step.error, x.message, "bad"));
	}

	/* ---- done --------------------------------------------------------------------------------- */

	function showDone(view) {
		const type = checked("request_type");
		$("#form-view").hidden = true;
		$("#code-view").hidden = true;
		const v = $("#done-view");
		v.hidden = false;
		$("#done-what").textContent = t("intake.done_what", { what: IDV.words.request_types[type].short });
		$("#done-ref").textContent = created.reference;
		$("#done-ack").textContent = IDV.date(created.acknowledge_by);
		$("#done-due").textContent = IDV.date(created.respond_by);
		const link = IDV.privateLink(created.reference, created.token);
		$("#done-link").textContent = link;
		$("#status-link").setAttribute("href", link);
		let next;
		if (type === "opt_out")
			next = t("intake.next_opt_out");
		else if (type === "delete")
			next = t("intake.next_delete");
		else if (Object.values(slots).some((s) => s.sent))
			next = t("intake.next_reading");
		else
			next = t("intake.next");
		if (view) {
			/* after a code: the request is decided; say how, in plain words */
			const OUTCOME = { verified: "ok", not_verified: "bad", manual_review: "", awaiting_evidence: "warn" };
			const words = view.status in OUTCOME ? t("intake.code_outcome." + view.status) : t("intake.code_outcome.other");
			const out = $("#done-outcome");
			IDV.announce(out, t("intake.code_confirmed", { outcome: words }), OUTCOME[view.status] || "");
			out.hidden = false;
		}
		$("#done-next").textContent = next;
		$("#copy-link").onclick = async () => {
			try {
				await navigator.clipboard.writeText(link);
				$("#copy-status").textContent = t("intake.copied");
			} catch (e) {
				const r = document.createRange();
				r.selectNodeContents($("#done-link"));
				getSelection().removeAllRanges();
				getSelection().addRange(r);
				$("#copy-status").textContent = t("intake.selected");
			}
		};
		document.title = t("intake.done_page_title", { reference: created.reference });
		v.focus();
		window.scrollTo(0, 0);
	}

	/* ---- start -------------------------------------------------------------------------------- */

	function build() {
		const types = $("#types");
		for (const t of ["know_categories", "know_specific", "delete", "correct", "opt_out"]) {
			if (!(t in policy.request_types))
				continue;
			const w = IDV.words.request_types[t];
			types.append(choice("radio", "request_type", t, w.title, w.hint));
		}
		const classes = $("#classes");
		for (const c of policy.data_classes)
			classes.append(choice("checkbox", "data_class", c.name, IDV.words.data_classes[c.name] || c.name.replace(/_/g, " "), null));
		const corr = $("#correcting");
		for (const p of ["date_of_birth", "address", "email", "phone"])
			corr.append(choice("checkbox", "correcting", p, t("intake.my_field", { field: IDV.words.fields[p] }), null));
		const roles = $("#roles");
		for (const r of ["consumer", "parent_or_guardian", "authorized_agent"]) {
			const w = IDV.words.roles[r];
			roles.append(choice("radio", "requester_role", r, w.title, w.hint));
		}
		$("#requester_role-consumer").checked = true;
		const state = $("#state");
		state.append(h("option", { value: "" }, t("intake.choose")));
		for (const s of STATES)
			state.append(h("option", { value: s }, s));
		form.addEventListener("change", (e) => {
			if (e.target.name === "request_type" || e.target.name === "data_class" || e.target.name === "requester_role" || e.target.name === "correcting")
				update();
		});
		form.addEventListener("submit", (e) => {
			e.preventDefault();
			send();
		});
		update();
	}

	async function start() {
		const status = $("#load-status");
		try {
			const res = await IDV.api("GET", "/v1/intake");
			if (!res.ok)
				throw new Error(IDV.problemText(res));
			policy = res.body;
		} catch (e) {
			IDV.announce(status, e.message, "bad");
			status.append(h("p", {}, h("button", { type: "button", class: "secondary", onclick: () => location.reload() }, t("page.try_again"))));
			return;
		}
		status.remove();
		build();
		form.hidden = false;
	}

	document.addEventListener("DOMContentLoaded", start);
})();

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.js: what every idverify page shares. The pages talk to the JSON API of their own origin
 * only; a case token goes nowhere but the Authorization header. Nothing here writes HTML from
 * data: every text goes through textContent (see h()).
 */
"use strict";

(function () {
	const IDV = {};

	/* ---- DOM ---------------------------------------------------------------------------- */

	/* h("p", {class: "hint", id: "x"}, "text", child, ...): an element; strings become text. */
	IDV.h = function (tag, attrs, ...children) {
		const e = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v === null || v === undefined || v === false)
				continue;
			if (k === "class")
				e.className = v;
			else if (k === "text")
				e.textContent = v;
			else if (k.startsWith("on") && typeof v === "function")
				e.addEventListener(k.slice(2), v);
			else if (v === true)
				e.setAttribute(k, "");
			else
				e.setAttribute(k, String(v));
		}
		for (const c of children.flat()) {
			if (c === null || c === undefined || c === false)
				continue;
			e.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
		}
		return e;
	};

	IDV.$ = (sel, root) => (root || document).querySelector(sel);
	IDV.$$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

	IDV.clear = function (e) {
		while (e.firstChild)
			e.removeChild(e.firstChild);
		return e;
	};

	let uid = 0;
	IDV.uid = (stem) => `${stem}-${++uid}`;

	/* Announce a message in a live region (polite unless urgent). */
	IDV.announce = function (region, text, kind) {
		if (!region)
			return;
		region.className = "notice" + (kind ? " " + kind : "");
		IDV.clear(region);
		if (text)
			region.append(IDV.h("p", {}, text));
	};

	/* ---- the page's language ------------------------------------------------------------ */

	/* The texts come from the catalogue of the page's language (models/messages/LANG.json),
	 * which the server puts in the page as a JSON data block; none are written here. */
	const block = document.getElementById("idv-messages");
	const MESSAGES = block ? JSON.parse(block.textContent) : {};
	IDV.lang = document.documentElement.lang || "en";

	/* The text of key with {name} filled in from vars. A key the catalogue lacks is an error
	 * (the browser tests fail on console errors) and shows as itself. */
	IDV.t = function (key, vars) {
		const s = MESSAGES[key];
		if (typeof s !== "string") {
			console.error("idverify: no text for " + key);
			return key;
		}
		return s.replace(/\{([a-z_]+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
	};

	/* ---- plain words -------------------------------------------------------------------- */

	const t = IDV.t;
	const kinds = (names, stem) => Object.fromEntries(names.map((n) => [n, t(stem + n)]));
	IDV.words = {
		request_types: Object.fromEntries(["know_categories", "know_specific", "delete", "correct", "opt_out"].map((k) =>
			[k, { title: t(`type.${k}.title`), hint: t(`type.${k}.hint`), short: t(`type.${k}.short`) }])),
		roles: Object.fromEntries(["consumer", "parent_or_guardian", "authorized_agent"].map((k) =>
			[k, { title: t(`role.${k}.title`), hint: t(`role.${k}.hint`) }])),
		doc_kinds: kinds(["government_id", "proof_of_residence", "agent_permission", "agent_registration", "power_of_attorney", "relationship_proof"], "doc."),
		data_classes: kinds(["contact_information", "photos", "precise_geolocation", "account_credentials",
			"financial_information", "health_information", "government_identifiers", "purchase_history",
			"browsing_history", "marketing_preferences", "marital_status", "inferences"], "class."),
		fields: kinds(["name", "date_of_birth", "address", "email", "phone"], "field."),
		file_status: {
			queued: [t("file.queued"), "wait"],
			processing: [t("file.processing"), "wait"],
			ok: [t("file.ok"), "ok"],
			unreadable: [t("file.unreadable"), "bad"],
			rejected: [t("file.rejected"), "bad"],
		},
	};

	IDV.STATES = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP"];

	/* "2027-01-08" or an ISO time -> "January 8, 2027" (dates are calendar dates, not times). */
	IDV.date = function (s) {
		if (!s)
			return "";
		const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
		if (!m)
			return s;
		const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
		return d.toLocaleDateString(t("locale"), { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
	};

	IDV.bytes = function (n) {
		if (n >= 1024 * 1024)
			return (n / (1024 * 1024)).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1) + " MB";
		if (n >= 1024)
			return Math.round(n / 1024) + " KB";
		return t("bytes", { n });
	};

	/* ---- the API ------------------------------------------------------------------------ */

	class NetworkError extends Error {}
	IDV.NetworkError = NetworkError;
	IDV.NETWORK_MESSAGE = t("error.network");

	/* A JSON API call. Resolves {ok, status, body, retryAfter (seconds or null)}; rejects with NetworkError when the server
	 * could not be reached. auth is a bearer token or null. */
	IDV.api = async function (method, path, opts) {
		opts = opts || {};
		const headers = { Accept: "application/json", "Accept-Language": IDV.lang };
		if (opts.auth)
			headers.Authorization = "Bearer " + opts.auth;
		let body;
		if (opts.json !== undefined) {
			headers["Content-Type"] = "application/json";
			body = JSON.stringify(opts.json);
		}
		let r;
		try {
			r = await fetch(path, { method, headers, body, credentials: "omit", cache: "no-store", redirect: "error", referrerPolicy: "no-referrer" });
		} catch (e) {
			throw new NetworkError(IDV.NETWORK_MESSAGE);
		}
		let data = null;
		try {
			data = await r.json();
		} catch (e) {
			data = null;
		}
		const ra = parseInt(r.headers.get("Retry-After") || "", 10);
		return { ok: r.ok, status: r.status, body: data, retryAfter: Number.isFinite(ra) ? ra : null };
	};

	/* A sentence for a problem answer (RFC 9457) the server gave. */
	IDV.problemText = function (res) {
		const b = res.body || {};
		if (res.status === 401)
			return t("error.link");
		if (res.status === 429 || res.status === 503)
			return t("error.busy");
		if (res.status === 413)
			return t("error.too_large_server") + " " + (b.detail || "");
		if (res.status >= 500)
			return t("error.ours");
		if (!b.detail)
			return t("error.refused", { status: res.status });
		/* the server's detail in the page's language ends as a sentence; its own English
		 * (no catalogue text for the type) is made one */
		return /[.!?]$/.test(b.detail) ? b.detail : b.detail.charAt(0).toUpperCase() + b.detail.slice(1) + ".";
	};

	/* ---- the case token ------------------------------------------------------------------ */

	/* The token of a case: from the page's fragment (#token=...), which browsers never send to
	 * the server, then kept in sessionStorage and taken out of the address bar. */
	IDV.caseToken = function (reference) {
		const key = "idv-token-" + reference;
		const m = /(?:^#|&)token=([0-9a-fA-F]{64})(?:&|$)/.exec(location.hash);
		if (m) {
			try {
				sessionStorage.setItem(key, m[1]);
			} catch (e) {
				/* private mode: keep the fragment then */
				return m[1];
			}
			history.replaceState(null, "", location.pathname + location.search);
			return m[1];
		}
		try {
			return sessionStorage.getItem(key);
		} catch (e) {
			return null;
		}
	};

	IDV.saveToken = function (reference, token) {
		try {
			sessionStorage.setItem("idv-token-" + reference, token);
		} catch (e) {
			/* nothing to do */
		}
	};

	IDV.privateLink = (reference, token) => `${location.origin}/requests/${encodeURIComponent(reference)}#token=${token}`;

	/* ---- files --------------------------------------------------------------------------- */

	const ACCEPT = ".jpg,.jpeg,.png,.tif,.tiff,.webp,.pdf,image/jpeg,image/png,image/tiff,image/webp,application/pdf";
	const TYPE_NAMES = { jpeg: "JPEG", png: "PNG", tiff: "TIFF", webp: "WebP", pdf: "PDF" };
	const TYPES_TEXT = t("file.types");

	/* What the first bytes of a file say it is: "jpeg", "png", "tiff", "webp", "pdf" or null. */
	IDV.sniff = async function (file) {
		const b = new Uint8Array(await file.slice(0, 16).arrayBuffer());
		const at = (i, ...v) => v.every((x, k) => b[i + k] === x);
		if (at(0, 0xff, 0xd8, 0xff))
			return "jpeg";
		if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))
			return "png";
		if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a))
			return "tiff";
		if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50))
			return "webp";
		if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d))
			return "pdf";
		return null;
	};

	function decodes(url) {
		return new Promise((resolve) => {
			const img = new Image();
			img.onload = () => resolve(img.naturalWidth > 0 && img.naturalHeight > 0);
			img.onerror = () => resolve(false);
			img.src = url;
		});
	}

	IDV.typesHint = (maxBytes) => t("file.types_hint", { types: TYPES_TEXT, max: IDV.bytes(maxBytes) });

	/*
	 * A file input with its checks, preview and progress bar. opts: {label, hint, required,
	 * name, maxBytes, describedBy}. .check() -> Promise<error text or "">, .file,
	 * .progress(fraction), .setError(text), .el (the element to insert).
	 */
	IDV.FilePicker = class {
		constructor(opts) {
			this.opts = opts;
			this.file = null;
			this.url = null;
			const id = IDV.uid("file");
			this.errId = id + "-err";
			const hintId = id + "-hint";
			this.input = IDV.h("input", {
				type: "file", id, name: opts.name, accept: ACCEPT,
				"aria-describedby": [opts.hint ? hintId : "", opts.describedBy || "", this.errId].filter(Boolean).join(" "),
				"data-kind": opts.name,
			});
			this.err = IDV.h("span", { class: "error-text", id: this.errId });
			this.preview = IDV.h("div", { class: "preview" });
			this.bar = IDV.h("progress", { max: "100", value: "0", "aria-labelledby": id + "-plabel" });
			this.barText = IDV.h("span", { id: id + "-plabel", class: "hint" }, t("file.uploading", { what: opts.label.toLowerCase() }));
			this.barBox = IDV.h("div", { class: "progress", hidden: true }, this.barText, this.bar);
			this.el = IDV.h("div", { class: "file" },
				IDV.h("label", { for: id, class: "label" }, opts.label, opts.required ? "" : IDV.h("span", { class: "optional" }, " " + t("page.optional"))),
				opts.hint ? IDV.h("span", { class: "hint", id: hintId }, opts.hint) : null,
				this.err, this.input, this.preview, this.barBox);
			this.input.addEventListener("change", () => this.changed());
		}

		async changed() {
			this.file = this.input.files && this.input.files[0] ? this.input.files[0] : null;
			const msg = await this.check();
			this.setError(msg);
			this.showPreview(!msg);
		}

		/* A picture of the chosen file when it is a good image, else a badge with its type. */
		showPreview(good) {
			IDV.clear(this.preview);
			const f = this.file;
			if (!f)
				return;
			const meta = IDV.h("span", { class: "meta" }, `${f.name} (${IDV.bytes(f.size)})`);
			if (good && this.url) {
				this.preview.append(IDV.h("img", { src: this.url, alt: t("file.preview", { what: this.opts.label }) }), meta);
			} else {
				const ext = (f.name.split(".").pop() || "file").slice(0, 4).toUpperCase();
				this.preview.append(IDV.h("span", { class: "badge", "aria-hidden": "true" }, ext), meta);
			}
		}

		/* The reason the chosen file cannot be sent, or "". */
		async check() {
			const f = this.file;
			const what = this.opts.label.toLowerCase();
			if (this.url && (!f || this.urlFile !== f)) {
				URL.revokeObjectURL(this.url);
				this.url = null;
			}
			if (!f)
				return this.opts.required ? t("file.choose", { what }) : "";
			if (f.size === 0)
				return t("file.empty", { name: f.name });
			if (f.size > this.opts.maxBytes)
				return t("file.too_large", { name: f.name, size: (f.size / 1048576).toFixed(1), max: IDV.bytes(this.opts.maxBytes) });
			let kind;
			try {
				kind = await IDV.sniff(f);
			} catch (e) {
				return t("file.unopenable", { name: f.name });
			}
			if (!kind)
				return t("file.bad_type", { name: f.name, types: TYPES_TEXT });
			if (kind === "jpeg" || kind === "png" || kind === "webp") {
				if (!this.url) {
					this.url = URL.createObjectURL(f);
					this.urlFile = f;
				}
				if (await decodes(this.url))
					return "";
				return t("file.damaged", { name: f.name, type: TYPE_NAMES[kind] });
			}
			return "";
		}

		setError(msg) {
			this.err.textContent = msg || "";
			if (msg)
				this.input.setAttribute("aria-invalid", "true");
			else
				this.input.removeAttribute("aria-invalid");
		}

		progress(frac) {
			if (frac === null) {
				this.barBox.hidden = true;
				return;
			}
			this.barBox.hidden = false;
			const pct = Math.round(frac * 100);
			this.bar.value = pct;
			this.barText.textContent = pct >= 100 ? t("file.sent", { what: this.opts.label }) : t("file.uploading_pct", { what: this.opts.label.toLowerCase(), pct });
		}
	};

	/*
	 * Send one document (1-2 files) with upload progress (XMLHttpRequest, because fetch has no
	 * upload progress). Resolves {ok, status, body}; rejects with NetworkError.
	 */
	IDV.uploadDocument = function (reference, token, kind, files, onProgress) {
		return new Promise((resolve, reject) => {
			const form = new FormData();
			form.append("kind", kind);
			for (const f of files)
				form.append("file", f, f.name);
			const xhr = new XMLHttpRequest();
			xhr.open("POST", `/v1/requests/${encodeURIComponent(reference)}/documents`);
			xhr.setRequestHeader("Authorization", "Bearer " + token);
			xhr.setRequestHeader("Accept", "application/json");
			xhr.setRequestHeader("Accept-Language", IDV.lang);
			xhr.upload.onprogress = (e) => {
				if (e.lengthComputable && onProgress)
					onProgress(e.loaded / e.total);
			};
			xhr.onload = () => {
				let body = null;
				try {
					body = JSON.parse(xhr.responseText);
				} catch (e) {
					body = null;
				}
				if (xhr.status >= 200 && xhr.status < 300 && onProgress)
					onProgress(1);
				resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, body });
			};
			xhr.onerror = () => reject(new NetworkError(IDV.NETWORK_MESSAGE));
			xhr.onabort = () => reject(new NetworkError(IDV.NETWORK_MESSAGE));
			xhr.send(form);
		});
	};

	/*
	 * The upload slots of one document kind: a government ID has a front and a back, other
	 * documents one or two pages. opts: {kind, required, maxBytes, hint}.
	 */
	IDV.DocumentSlot = class {
		constructor(opts) {
			this.kind = opts.kind;
			const title = IDV.words.doc_kinds[opts.kind] || opts.kind;
			const parts = opts.kind === "government_id"
				? [[t("doc.id_front"), opts.required, t("doc.id_front_hint")],
				   [t("doc.id_back"), false, t("doc.id_back_hint")]]
				: [[opts.kind === "proof_of_residence" ? t("doc.first_page") : t("doc.file"), opts.required, opts.hint || ""],
				   [t("doc.second_page"), false, ""]];
			const typesId = IDV.uid("types");
			this.pickers = parts.map(([label, req, hint], i) =>
				new IDV.FilePicker({ label, required: req, hint, name: `${opts.kind}-${i}`, maxBytes: opts.maxBytes, describedBy: typesId }));
			this.el = IDV.h("fieldset", { class: "doc", "data-doc": opts.kind },
				IDV.h("legend", {}, title, opts.required ? "" : IDV.h("span", { class: "optional" }, " " + t("page.optional"))),
				opts.intro ? IDV.h("p", { class: "hint" }, opts.intro) : null,
				IDV.h("p", { class: "hint", id: typesId }, IDV.typesHint(opts.maxBytes)),
				this.pickers.map((p) => p.el));
			this.sent = false;
		}

		files() {
			return this.pickers.map((p) => p.file).filter(Boolean);
		}

		/* [{picker, message}] of the problems of this slot. */
		async problems() {
			const out = [];
			for (const p of this.pickers) {
				const msg = await p.check();
				p.setError(msg);
				if (msg)
					out.push({ target: p.input, message: msg });
			}
			if (!this.pickers[0].file && this.pickers[1].file) {
				const msg = t("doc.first_missing", { what: this.pickers[0].opts.label.toLowerCase() });
				this.pickers[0].setError(msg);
				out.push({ target: this.pickers[0].input, message: msg });
			}
			return out;
		}

		async send(reference, token) {
			const files = this.files();
			if (this.sent || files.length === 0)
				return { ok: true, skipped: true };
			const sizes = files.map((f) => f.size);
			const total = sizes.reduce((a, b) => a + b, 0) || 1;
			const active = this.pickers.filter((p) => p.file);
			const res = await IDV.uploadDocument(reference, token, this.kind, files, (frac) => {
				/* one request carries both files: split the bar by their sizes */
				let sent = frac * total;
				active.forEach((p, i) => {
					const part = Math.max(0, Math.min(1, sent / sizes[i]));
					p.progress(part);
					sent -= sizes[i];
				});
			});
			if (res.ok)
				this.sent = true;
			else
				active.forEach((p) => p.progress(null));
			return res;
		}
	};

	/* The declaration under penalty of perjury: the exact statement the server keeps, and the
	 * signature by typing one's full name. */
	IDV.Declaration = class {
		constructor() {
			const id = IDV.uid("decl");
			this.statement = IDV.h("blockquote", { class: "statement", id: id + "-text" }, t("decl.loading"));
			this.agree = IDV.h("input", { type: "checkbox", id: id + "-agree", "aria-describedby": id + "-agree-err" });
			this.agreeErr = IDV.h("span", { class: "error-text", id: id + "-agree-err" });
			this.name = IDV.h("input", { type: "text", id: id + "-name", autocomplete: "name", class: "medium", "aria-describedby": `${id}-name-hint ${id}-name-err` });
			this.nameErr = IDV.h("span", { class: "error-text", id: id + "-name-err" });
			this.version = null;
			this.el = IDV.h("fieldset", { class: "declaration" },
				IDV.h("legend", {}, t("decl.legend")),
				IDV.h("p", { class: "hint" }, t("decl.why")),
				this.statement,
				IDV.h("div", { class: "field" }, this.agreeErr,
					IDV.h("label", { class: "choice", for: id + "-agree" }, this.agree,
						IDV.h("span", { class: "title" }, t("decl.agree")))),
				IDV.h("div", { class: "field" },
					IDV.h("label", { for: id + "-name" }, t("decl.name")),
					IDV.h("span", { class: "hint", id: id + "-name-hint" }, t("decl.name_hint")),
					this.nameErr, this.name));
		}

		async load() {
			const res = await IDV.api("GET", "/v1/declaration-statement");
			if (!res.ok)
				throw new Error(IDV.problemText(res));
			this.version = res.body.version;
			this.language = res.body.language;
			this.statement.textContent = res.body.text;
		}

		problems() {
			const out = [];
			this.agreeErr.textContent = "";
			this.nameErr.textContent = "";
			this.agree.removeAttribute("aria-invalid");
			this.name.removeAttribute("aria-invalid");
			if (!this.agree.checked) {
				this.agreeErr.textContent = t("decl.agree_missing");
				this.agree.setAttribute("aria-invalid", "true");
				out.push({ target: this.agree, message: this.agreeErr.textContent });
			}
			const v = this.name.value.trim();
			if (v.length < 3 || !/\S\s+\S/.test(v)) {
				this.nameErr.textContent = t("decl.name_missing");
				this.name.setAttribute("aria-invalid", "true");
				out.push({ target: this.name, message: this.nameErr.textContent });
			}
			if (!this.version)
				out.push({ target: this.statement, message: t("decl.not_loaded") });
			return out;
		}

		async sign(reference, token) {
			return IDV.api("POST", `/v1/requests/${encodeURIComponent(reference)}/declaration`, {
				auth: token,
				json: { typed_name: this.name.value.trim(), statement_version: this.version, language: this.language, consent: true },
			});
		}
	};

	/* An error summary at the top of a form: a list of links to the fields in error. */
	IDV.showSummary = function (box, problems, title) {
		IDV.clear(box);
		if (!problems.length) {
			box.hidden = true;
			return;
		}
		const ul = IDV.h("ul");
		for (const p of problems) {
			const li = IDV.h("li");
			if (p.target && p.target.id) {
				const a = IDV.h("a", { href: "#" + p.target.id }, p.message);
				a.addEventListener("click", (ev) => {
					ev.preventDefault();
					p.target.focus();
					p.target.scrollIntoView({ block: "center" });
				});
				li.append(a);
			} else {
				li.append(p.message);
			}
			ul.append(li);
		}
		box.append(IDV.h("h2", { id: "summary-title" }, title || t("error.summary")), ul);
		box.hidden = false;
		box.focus();
	};

	/* ---- the one-time code step (issue 15) ---------------------------------------------- */

	/*
	 * Asks for a one-time code (POST .../code), says "if we hold this contact, a code is on
	 * its way" (the same words whether or not we do; the contact shown is the one typed,
	 * masked), takes it (POST .../code/verify) with clear errors for a wrong, expired or
	 * exhausted code, and offers a limited resend with a countdown. opts: reference, token,
	 * channel ("email" or "phone"), onVerified(view) with the case view the server answers,
	 * id (the prefix of the element ids, "code"). start(send) asks for a first code at once
	 * when send is true, else offers the button.
	 */
	IDV.CodeStep = class {
		constructor(opts) {
			const h = IDV.h;
			const id = opts.id || "code";
			this.opts = opts;
			this.timer = null;
			this.sent = null;
			/* the texts of the channel: code.email.* or code.phone.* */
			this.ch = opts.channel === "phone" ? "phone" : "email";
			const ct = (k, vars) => t(`code.${this.ch}.${k}`, vars);
			this.ct = ct;
			this.notice = h("div", { class: "notice", id: id + "-sent", role: "status", "aria-live": "polite" });
			this.hint = h("span", { class: "hint", id: id + "-hint" }, ct("digits"));
			this.err = h("span", { class: "error-text", id: id + "-err" });
			this.input = h("input", { type: "text", id, name: "code", class: "short code", inputmode: "numeric", autocomplete: "one-time-code",
				pattern: "[0-9 ]*", maxlength: "12", "aria-describedby": `${id}-hint ${id}-err` });
			this.confirm = h("button", { type: "submit", id: id + "-confirm" }, t("code.confirm"));
			this.resend = h("button", { type: "button", class: "secondary", id: id + "-resend" }, t("code.resend"));
			this.resendStatus = h("p", { class: "hint", id: id + "-resend-status", role: "status", "aria-live": "polite" });
			this.error = h("div", { class: "notice bad", id: id + "-error", role: "alert" });
			this.el = h("form", { method: "post", action: "/", novalidate: true, class: "code-step" },
				this.notice,
				h("div", { class: "field" }, h("label", { for: id }, ct("label")), this.hint, this.err, this.input),
				h("div", { class: "actions" }, this.confirm, this.resend),
				this.resendStatus, this.error);
			const fail = (x) => IDV.announce(this.error, x.message, "bad");
			this.el.addEventListener("submit", (e) => {
				e.preventDefault();
				this.check().catch(fail);
			});
			this.resend.addEventListener("click", () => this.send().catch(fail));
		}

		path(tail) {
			return `/v1/requests/${encodeURIComponent(this.opts.reference)}${tail}`;
		}

		start(send) {
			if (send)
				return this.send();
			this.resend.textContent = t("code.send_first");
			IDV.announce(this.notice, this.ct("offer"));
			return Promise.resolve();
		}

		/* The resend button waits secs seconds (a countdown in its label), or goes when no
		 * send is left. */
		wait(secs, left) {
			clearInterval(this.timer);
			if (left === 0) {
				this.resend.hidden = true;
				this.resendStatus.textContent = t("code.no_more");
				return;
			}
			let n = Math.max(0, Math.ceil(secs));
			const more = left != null ? " " + t(left === 1 ? "code.more_one" : "code.more", { n: left }) : "";
			this.resendStatus.textContent = n > 0 ? t("code.after", { n }) + more : more.trim();
			const tick = () => {
				this.resend.disabled = n > 0;
				this.resend.textContent = n > 0 ? t("code.resend_in", { n }) : t("code.resend");
				if (n === 0) {
					clearInterval(this.timer);
					this.resendStatus.textContent = more.trim();
				}
				n--;
			};
			tick();
			this.timer = setInterval(tick, 1000);
		}

		async send() {
			IDV.announce(this.error, "");
			const res = await IDV.api("POST", this.path("/code"), { auth: this.opts.token });
			if (res.ok) {
				this.sent = res.body;
				IDV.announce(this.notice, this.sent.sent_to ? this.ct("on_its_way", { to: this.sent.sent_to }) : this.ct("on_its_way_this"), "ok");
				const mins = Math.max(1, Math.round(this.sent.expires_in_s / 60));
				this.hint.textContent = this.ct("digits") + " " + t(mins === 1 ? "code.works_one" : "code.works", { n: mins });
				this.wait(this.sent.resend_after_s, this.sent.sends_left);
				return;
			}
			const type = (res.body && res.body.type) || "";
			if (type.endsWith(":code-wait")) {
				this.wait(res.retryAfter || 60, this.sent ? this.sent.sends_left : null);
				IDV.announce(this.error, t("code.wait"), "warn");
			} else if (type.endsWith(":code-limit")) {
				this.wait(0, 0);
				IDV.announce(this.error, t("code.limit"), "bad");
			} else {
				IDV.announce(this.error, IDV.problemText(res), "bad");
			}
		}

		say(msg) {
			this.err.textContent = msg || "";
			if (msg) {
				this.input.setAttribute("aria-invalid", "true");
				this.input.focus();
			} else {
				this.input.removeAttribute("aria-invalid");
			}
		}

		async check() {
			const digits = this.input.value.replace(/[\s-]/g, "");
			IDV.announce(this.error, "");
			if (!/^\d{6,8}$/.test(digits)) {
				this.say(t("code.enter"));
				return;
			}
			this.say("");
			this.confirm.disabled = true;
			try {
				const res = await IDV.api("POST", this.path("/code/verify"), { auth: this.opts.token, json: { code: digits } });
				if (res.ok) {
					clearInterval(this.timer);
					this.opts.onVerified(res.body);
					return;
				}
				const type = (res.body && res.body.type) || "";
				if (type.endsWith(":code-wrong")) {
					const v = await IDV.api("GET", this.path(""), { auth: this.opts.token });
					const left = v.ok && v.body.contact_code ? v.body.contact_code.tries_left : null;
					this.say(left == null ? t("code.wrong") : t(left === 1 ? "code.wrong_left_one" : "code.wrong_left", { n: left }));
				} else if (type.endsWith(":code-expired")) {
					this.say(t("code.expired"));
				} else if (type.endsWith(":code-exhausted")) {
					this.say(t("code.exhausted"));
				} else if (res.status === 409) {
					IDV.announce(this.error, t("code.not_waiting"), "bad");
				} else {
					IDV.announce(this.error, IDV.problemText(res), "bad");
				}
			} finally {
				this.confirm.disabled = false;
			}
		}
	};

	window.IDV = IDV;
})();

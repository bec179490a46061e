/* The /verify page: send the chosen file (and a text file's sidecar) to /api/v1/verify and show the
   report in plain words. The report is kept so that switching language re-renders it. */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { t, el } = Yj;
  const form = document.getElementById("verify-form");
  const fileInput = document.getElementById("file");
  const sidecarInput = document.getElementById("sidecar");
  const sidecarRow = document.getElementById("sidecar-row");
  const result = document.getElementById("result");
  const keyHeaders = Yj.apiKey(document.getElementById("verify-key"));
  const ICONS = { intact: "✓", altered: "!", traced: "≈", forged: "✕", unlabelled: "–", error: "!" };
  const LABEL_FIELDS = ["Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2"];

  let file = null;
  let sidecar = null;
  let shown = null; // {report} or {error}
  let request = 0;  // only the newest request may render

  const isText = (name) => /\.txt$/i.test(name);
  const isSidecar = (name) => /\.aigc\.json$/i.test(name);

  function choose(files) {
    for (const f of files) {
      if (isSidecar(f.name)) sidecar = f;
      else { file = f; if (!isText(f.name)) sidecar = null; }
    }
    sidecarRow.hidden = !(file && isText(file.name));
    if (file) verify();
  }

  fileInput.addEventListener("change", () => choose(fileInput.files));
  sidecarInput.addEventListener("change", () => { sidecar = sidecarInput.files[0] || null; if (file) verify(); });

  form.addEventListener("submit", (event) => { event.preventDefault(); if (file) verify(); });
  form.addEventListener("dragover", (event) => { event.preventDefault(); form.classList.add("over"); });
  form.addEventListener("dragleave", () => form.classList.remove("over"));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    form.classList.remove("over");
    if (event.dataTransfer && event.dataTransfer.files.length) choose(event.dataTransfer.files);
  });

  async function verify() {
    const mine = ++request;
    const sent = file;
    const body = new FormData();
    body.append("file", file, file.name);
    if (sidecar && isText(file.name)) body.append("sidecar", sidecar, sidecar.name);
    result.setAttribute("aria-busy", "true");
    result.replaceChildren(el("p", { class: "busy" }, t("busy")));
    try {
      const response = await fetch("/api/v1/verify", { method: "POST", body, headers: keyHeaders() });
      const report = await Yj.readJson(response);
      if (mine === request) shown = { report, file: sent };
    } catch (error) {
      if (mine === request) shown = { file: sent, error: error.status ? error : { status: 0, message: String(error.message || error) } };
    }
    if (mine === request) {
      result.setAttribute("aria-busy", "false");
      render();
    }
  }

  Yj.onChange(() => { if (shown) render(); });

  function render() {
    // A language switch re-renders the same report: keep the proof section as the reader left it.
    const proofWasOpen = Boolean(document.querySelector("#proof[open]"));
    const parts = shown.report ? reportView(shown.report) : errorView(shown.error);
    const thumbnail = YjImage.thumbnail(shown.file);
    if (thumbnail) parts.splice(1, 0, thumbnail); // under the verdict: what the verdict is about
    result.replaceChildren(...parts);
    const proof = document.getElementById("proof");
    if (proof && proofWasOpen && shown.report && shown.report.log) proof.open = true;
  }

  function headline(kind, title, summary) {
    return el("div", { class: "verdict " + kind, "data-verdict": kind },
      el("span", { class: "icon", "aria-hidden": "true" }, ICONS[kind] || "?"),
      el("div", {},
        el("h2", { id: "verdict-headline" }, title),
        summary ? el("p", { id: "verdict-summary" }, summary) : null));
  }

  function errorView(error) {
    const title = error.status === 0 ? t("error.network")
      : [413, 415, 422].includes(error.status) ? t("error." + error.status) : t("error.title");
    return [headline("error", title, Yj.errorMessage(error))];
  }

  function row(key, value, mono) {
    return [el("dt", {}, t(key)), el("dd", mono ? { class: "mono" } : {}, value === "" ? t("empty") : value)];
  }

  function reportView(report) {
    const lang = Yj.lang();
    const parts = [headline(report.verdict, t("verdict." + report.verdict), report.summary[lang] || report.summary.en)];

    const facts = [row("field.file", report.file), row("field.format", report.format + " (" + report.mediaType + ")")];
    if ((report.verdict === "forged" || report.verdict === "labelled") && report.reason) facts.push(row("field.reason", report.reason[lang] || report.reason.en));
    facts.push(row("field.explicit", t(report.explicitLabel ? "explicit.yes" : "explicit.no")));
    facts.push(row("field.sha256", report.sha256, true));
    if (report.protectedDigest !== report.sha256) facts.push(row("field.protectedDigest", report.protectedDigest, true));
    const details = [el("dl", { class: "fields" }, facts)];

    if (report.aigc) {
      details.push(el("h3", {}, t("section.label")));
      details.push(el("dl", { class: "fields", id: "label-fields" }, LABEL_FIELDS.map((name) => {
        const value = report.aigc[name] || "";
        const shownValue = name === "Label" && ["1", "2", "3"].includes(value) ? t("label.value." + value) : value;
        return row("field." + name, shownValue, name !== "Label");
      })));
    }

    // Every mark's finding, whatever its type: its summary, then its facts.
    if (report.findings && report.findings.length) {
      details.push(el("h3", {}, t("section.findings")));
      details.push(el("ul", { class: "findings", id: "findings" }, report.findings.map((f) =>
        el("li", { "data-mark": f.mark, "data-present": String(f.present) },
          el("strong", {}, f.summary[lang] || f.summary.en),
          f.facts.length ? el("dl", { class: "fields" }, f.facts.flatMap((fact) =>
            [el("dt", {}, fact.name), el("dd", { class: "mono" }, fact.value)])) : null))));
    }

    const credentials = YjImage.credentials(report);
    if (credentials) details.push(credentials);

    if (report.notes && report.notes.length) {
      details.push(el("h3", {}, t("section.notes")));
      details.push(el("ul", { class: "notes" }, report.notes.map((note) => el("li", {}, note[lang] || note.en))));
    }

    if (report.knownToLog && report.knownToLog.length) {
      details.push(el("h3", {}, t("section.known")));
      details.push(el("ul", { class: "notes" }, report.knownToLog.map((entry) => el("li", {},
        "#" + entry.index + " · ", el("a", { href: "/api/v1/log/proof/" + encodeURIComponent(entry.record.contentId) },
          entry.record.contentId), " · " + entry.record.time))));
    }

    parts.push(el("div", { class: "card spaced" }, details));
    if (report.log) parts.push(proofView(report.log));
    return parts;
  }

  function proofView(log) {
    const proof = log.proof;
    const path = proof.path.length
      ? el("ol", { class: "mono", start: "1" }, proof.path.map((hash) => el("li", {}, hash)))
      : el("p", { class: "explain" }, t("proof.pathEmpty"));
    return el("details", { class: "proof", id: "proof" },
      el("summary", {}, t("proof.title") + " · #" + log.index),
      el("div", {},
        el("p", { class: "explain" }, t("proof.explain")),
        el("dl", { class: "fields" },
          row("proof.index", String(log.index)),
          row("proof.treeSize", String(proof.treeSize)),
          row("proof.time", log.record.time),
          row("proof.model", log.record.model),
          row("proof.producer", log.record.producer, true),
          row("proof.loggedDigest", log.record.sha256, true),
          row("proof.leafHash", proof.leafHash, true),
          row("proof.rootHash", proof.rootHash, true)),
        el("h3", {}, t("proof.path")),
        path,
        el("h3", {}, t("proof.note")),
        el("pre", { class: "note", id: "checkpoint-note" }, log.checkpoint.note),
        el("p", { class: "explain" }, t("proof.links") + ": ",
          el("a", { href: "/api/v1/log/proof/" + encodeURIComponent(log.record.contentId) }, "/api/v1/log/proof/…"), " · ",
          el("a", { href: "/log/checkpoint" }, "/log/checkpoint"))));
  }
});

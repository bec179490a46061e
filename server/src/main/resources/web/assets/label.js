/* The label form on /: send the file to /api/v1/label (JSON), with the API key typed in the form
   once the server has keys, and offer the labelled file, and for plain text its sidecar, as
   downloads made in the browser from the base64 the API returns. */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { t, el } = Yj;
  const form = document.getElementById("label-form");
  const fileInput = document.getElementById("label-file");
  const submit = document.getElementById("label-submit");
  const result = document.getElementById("label-result");
  const keyHeaders = Yj.apiKey(document.getElementById("label-key"));
  let shown = null;
  let urls = [];

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = fileInput.files[0];
    if (!file) { fileInput.focus(); return; }
    const body = new FormData();
    body.append("file", file, file.name);
    body.append("explicit", document.getElementById("label-explicit").checked ? "true" : "false");
    const model = document.getElementById("label-model").value.trim();
    if (model) body.append("model", model);
    submit.disabled = true;
    result.replaceChildren(el("p", { class: "busy" }, t("label.busy")));
    try {
      shown = { labelled: await Yj.readJson(await fetch("/api/v1/label", { method: "POST", body, headers: keyHeaders() })) };
    } catch (error) {
      shown = { error: error.status ? error : { status: 0, message: String(error.message || error) } };
    }
    submit.disabled = false;
    render();
  });

  Yj.onChange(() => { if (shown) render(); });

  function download(attachment, labelKey) {
    const bytes = Uint8Array.from(atob(attachment.base64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: attachment.mediaType }));
    urls.push(url);
    return el("a", { class: "button", href: url, download: attachment.name }, t(labelKey) + " · " + attachment.name);
  }

  function render() {
    urls.forEach((url) => URL.revokeObjectURL(url));
    urls = [];
    if (shown.error) {
      result.replaceChildren(el("div", { class: "verdict error spaced" },
        el("span", { class: "icon", "aria-hidden": "true" }, "!"),
        el("div", {}, el("h2", {}, t("error.label")), el("p", {}, Yj.errorMessage(shown.error)))));
      return;
    }
    const labelled = shown.labelled;
    const links = [download(labelled.file, "label.download")];
    if (labelled.sidecar) links.push(download(labelled.sidecar, "label.downloadSidecar"));
    result.replaceChildren(
      el("div", { class: "verdict intact spaced" },
        el("span", { class: "icon", "aria-hidden": "true" }, "✓"),
        el("div", {}, el("h2", {}, t("label.done")))),
      el("dl", { class: "fields stack spaced" },
        el("dt", {}, t("label.contentId")), el("dd", { class: "mono" }, labelled.contentId),
        el("dt", {}, t("label.logIndex")), el("dd", {}, String(labelled.logIndex))),
      labelled.sidecar ? el("p", { class: "explain" }, t("label.sidecarNote")) : null,
      el("div", { class: "downloads" }, links,
        el("a", { class: "button quiet", href: "/verify" }, t("label.verifyIt"))));
  }
});

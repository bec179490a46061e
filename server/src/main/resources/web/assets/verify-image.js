/* The image parts of the /verify page: a thumbnail of the user's own file and the C2PA Content
   Credentials of the report, in plain words.

   The thumbnail is drawn by the browser from the file the user chose (an object URL; the page's
   Content-Security-Policy allows blob: images): the server renders no image for it, and nothing is
   uploaded twice. Every value shown (file name, manifest fields, which come from the file and may be
   hostile) goes in as text through Yj.el, never as HTML. */
"use strict";

const YjImage = (() => {
  const TEXT = {
    zh: {
      thumb: "所选图片的缩略图：",
      title: "C2PA 内容凭证",
      "state.trusted": "有效，签名者可信",
      "state.untrusted": "有效，但签名者不在本服务的信任列表中",
      "state.invalid": "校验不通过",
      "state.unreadable": "无法读取",
      "field.state": "状态",
      "field.title": "标题",
      "field.generator": "生成工具（claim generator）",
      "field.signer": "签名者",
      "field.signature": "签名",
      "field.assertions": "断言哈希",
      "field.dataHash": "内容哈希（c2pa.hash.data）",
      "field.parents": "来源（parentOf）",
      "field.gb45438": "清单中的 GB 45438 标识",
      "field.problems": "问题",
      "field.manifest": "清单",
      yes: "有效", no: "无效", match: "一致", mismatch: "不一致", none: "无",
    },
    en: {
      thumb: "Thumbnail of the chosen image: ",
      title: "C2PA Content Credentials",
      "state.trusted": "valid, signer trusted",
      "state.untrusted": "valid, signer not in this service's trust list",
      "state.invalid": "invalid",
      "state.unreadable": "cannot be read",
      "field.state": "State",
      "field.title": "Title",
      "field.generator": "Made with (claim generator)",
      "field.signer": "Signed by",
      "field.signature": "Signature",
      "field.assertions": "Assertion hashes",
      "field.dataHash": "Content hash (c2pa.hash.data)",
      "field.parents": "Made from (parentOf)",
      "field.gb45438": "GB 45438 label in the manifest",
      "field.problems": "Problems",
      "field.manifest": "Manifest",
      yes: "valid", no: "invalid", match: "match", mismatch: "mismatch", none: "none",
    },
  };
  const IMAGE = /\.(png|jpe?g|webp)$/i;
  const TYPES = ["image/png", "image/jpeg", "image/webp"];
  let current = null; // {file, url}: one object URL at a time, revoked when another file is chosen

  const say = (key) => TEXT[Yj.lang()][key] || TEXT.en[key] || key;

  /** The object URL of {@code file} if it is a PNG, JPEG or WebP image by name and type, else null. */
  function urlOf(file) {
    if (current && current.file === file) return current.url;
    if (current) URL.revokeObjectURL(current.url);
    current = null;
    if (!file || !IMAGE.test(file.name) || (file.type && !TYPES.includes(file.type))) return null;
    current = { file, url: URL.createObjectURL(file) };
    return current.url;
  }

  /** A figure with the thumbnail of {@code file}, or null for a file that is not an image. */
  function thumbnail(file) {
    const url = urlOf(file);
    if (!url) return null;
    return Yj.el("figure", { class: "thumb", id: "thumbnail" },
      Yj.el("img", { src: url, alt: say("thumb") + file.name, decoding: "async" }));
  }

  function row(key, value, mono) {
    return [Yj.el("dt", {}, say(key)), Yj.el("dd", mono ? { class: "mono" } : {}, value)];
  }

  function state(view) {
    if (view.unreadable) return "unreadable";
    if (!view.valid) return "invalid";
    return view.trusted ? "trusted" : "untrusted";
  }

  /** The C2PA finding of {@code report} as a section, or null when the file has no Content Credentials. */
  function credentials(report) {
    const finding = (report.findings || []).find((f) => f.mark === "c2pa");
    if (!finding || !finding.present || !finding.view) return null;
    const view = finding.view;
    const kind = state(view);
    const rows = [row("field.state", say("state." + kind))];
    if (view.unreadable) rows.push(row("field.problems", String(view.unreadable)));
    if (!view.unreadable) {
      if (view.title) rows.push(row("field.title", String(view.title)));
      rows.push(row("field.generator", String(view.generator || "")));
      rows.push(row("field.signer", String(view.signer || ""), true));
      rows.push(row("field.signature", say(view.signatureValid ? "yes" : "no")));
      rows.push(row("field.assertions", say(view.assertionsMatch ? "match" : "mismatch")));
      rows.push(row("field.dataHash", say(view.dataHashMatch === true ? "match" : view.dataHashMatch === false ? "mismatch" : "none")));
      if (view.ingredients && view.ingredients.length) {
        rows.push(row("field.parents", Yj.el("ul", {}, view.ingredients.map((i) => Yj.el("li", {}, String(i))))));
      }
      if (view.gb45438 && typeof view.gb45438 === "object") {
        const g = view.gb45438;
        rows.push(row("field.gb45438", [g.contentId, g.producer, g.model, g.logIndex === undefined ? null : "#" + g.logIndex]
          .filter((v) => v !== undefined && v !== null && v !== "").map(String).join(" · "), true));
      }
      rows.push(row("field.manifest", String(view.manifest || ""), true));
      if (view.problems && view.problems.length) {
        rows.push(row("field.problems", Yj.el("ul", {}, view.problems.map((p) => Yj.el("li", {}, String(p))))));
      }
    }
    return Yj.el("section", { class: "credentials", id: "credentials", "data-state": kind },
      Yj.el("h3", {}, say("title")),
      Yj.el("dl", { class: "fields" }, rows));
  }

  return { thumbnail, credentials };
})();

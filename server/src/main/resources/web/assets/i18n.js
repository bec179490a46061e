/* Bilingual text for the web pages. Elements carry data-i18n="key"; Yj.t(key) reads the current language.
   The language comes from the user's choice (kept in localStorage), else from navigator.language. */
"use strict";

const Yj = (() => {
  const strings = {
    zh: {
      "nav.home": "首页",
      "nav.verify": "核验",
      "nav.label": "添加标识",
      "skip": "跳到正文",
      "lang.switch": "Switch to English",
      "lang.other": "English",
      "home.title": "人工智能生成内容的标识与核验",
      "home.lead": "源鉴按 GB 45438-2025 为人工智能生成的文档添加显式和隐式标识，并把每一次生成记入可公开审计的透明日志。任何人都可以核验一个文件的标识是否完整。",
      "home.verify.title": "核验一个文件",
      "home.verify.text": "上传 Markdown、Word、PDF、纯文本或 PNG/JPEG/WebP 图片，查看它是否带有本服务的标识、内容是否被改动，以及日志中的证明。",
      "home.verify.go": "去核验",
      "home.label.title": "为文件添加标识",
      "home.label.text": "为人工智能生成的文件写入标识，并记入透明日志。",
      "label.file": "文件",
      "label.file.hint": "支持 .md、.txt、.docx、.pdf",
      "label.explicit": "同时添加显式（可见）标识",
      "label.model": "生成所用的模型（可选）",
      "label.submit": "添加标识",
      "label.busy": "正在添加标识……",
      "label.done": "已添加标识并记入日志",
      "label.contentId": "内容编号",
      "label.logIndex": "日志序号",
      "label.download": "下载已标识的文件",
      "label.downloadSidecar": "下载标识文件",
      "label.sidecarNote": "纯文本无法在文件内保存隐式标识，标识保存在单独的标识文件中，请与文本一起分发。",
      "label.verifyIt": "核验这个文件",
      "key.label": "API 密钥（服务器已有密钥时需要）",
      "key.verifyLabel": "API 密钥（仅当服务器要求核验密钥时需要）",
      "key.hint": "只由本页以 Authorization 请求头发送；只保存在当前标签页，关闭即清除。",
      "key.needed": "请在上方填写 API 密钥（服务器管理员可用 yuanjian keys create 创建）。",
      "verify.title": "核验人工智能生成标识",
      "verify.lead": "选择或拖入一个文件。文件只用于本次核验，本服务不保存它的内容。",
      "drop.title": "把文件拖到这里",
      "drop.hint": "支持 Markdown、Word（DOCX）、PDF、纯文本和 PNG/JPEG/WebP 图片",
      "drop.choose": "选择要核验的文件",
      "sidecar.label": "标识文件（可选）",
      "sidecar.hint": "纯文本的标识保存在同名的 .aigc.json 文件中；一并提供即可核验。",
      "busy": "正在核验……",
      "verdict.intact": "标识完整",
      "verdict.altered": "标识有效但内容已被修改",
      "verdict.forged": "标识伪造",
      "verdict.labelled": "带有其他服务的标识",
      "verdict.traced": "标识已去除，但隐式水印指向本服务的日志记录",
      "section.findings": "各项标识的检测结果",
      "verdict.unlabelled": "未标识",
      "section.label": "标识内容",
      "section.notes": "说明",
      "section.known": "日志中的相同内容",
      "field.file": "文件",
      "field.format": "格式",
      "field.explicit": "显式标识",
      "field.Label": "标识类型（Label）",
      "field.ContentProducer": "生成服务（ContentProducer）",
      "field.ProduceID": "内容编号（ProduceID）",
      "field.ReservedCode1": "生成方签名（ReservedCode1）",
      "field.ContentPropagator": "传播平台（ContentPropagator）",
      "field.PropagateID": "传播编号（PropagateID）",
      "field.ReservedCode2": "传播方数据（ReservedCode2）",
      "field.sha256": "文件 SHA-256",
      "field.protectedDigest": "受保护摘要",
      "field.reason": "原因",
      "explicit.yes": "有",
      "explicit.no": "未发现",
      "label.value.1": "1：人工智能生成",
      "label.value.2": "2：可能为人工智能生成",
      "label.value.3": "3：疑似人工智能生成",
      "empty": "（空）",
      "proof.title": "日志证明",
      "proof.explain": "本服务把每一次生成记入一个只追加的默克尔树日志（RFC 6962）。下面的审计路径证明该记录包含在已签名的检查点中；任何人都可以用公开的日志瓦片独立复核。",
      "proof.index": "日志序号",
      "proof.treeSize": "树的大小",
      "proof.leafHash": "叶子哈希",
      "proof.rootHash": "根哈希",
      "proof.path": "审计路径",
      "proof.pathEmpty": "（空：这是树中唯一的记录）",
      "proof.time": "记录时间",
      "proof.model": "模型",
      "proof.producer": "生成服务",
      "proof.loggedDigest": "记录的内容摘要",
      "proof.note": "签名检查点",
      "proof.links": "原始数据",
      "error.title": "无法核验",
      "error.413": "文件太大",
      "error.415": "不支持的文件格式",
      "error.422": "无法读取该文件",
      "error.network": "无法连接到服务",
      "error.label": "无法添加标识",
    },
    en: {
      "nav.home": "Home",
      "nav.verify": "Verify",
      "nav.label": "Label",
      "skip": "Skip to content",
      "lang.switch": "切换到中文",
      "lang.other": "中文",
      "home.title": "Labels and verification for AI-generated content",
      "home.lead": "Yuanjian adds the explicit and implicit labels of GB 45438-2025 to AI-generated documents and records every generation in a publicly auditable transparency log. Anyone can check whether a file's label is intact.",
      "home.verify.title": "Verify a file",
      "home.verify.text": "Upload a Markdown, Word, PDF, plain-text or PNG/JPEG/WebP file to see whether it carries this service's label, whether its content was changed, and the proof from the log.",
      "home.verify.go": "Verify a file",
      "home.label.title": "Label a file",
      "home.label.text": "Write the labels into an AI-generated file and record it in the transparency log.",
      "label.file": "File",
      "label.file.hint": ".md, .txt, .docx or .pdf",
      "label.explicit": "Also add the explicit (visible) label",
      "label.model": "Model that generated it (optional)",
      "label.submit": "Label file",
      "label.busy": "Labelling…",
      "label.done": "Labelled and recorded in the log",
      "label.contentId": "Content id",
      "label.logIndex": "Log index",
      "label.download": "Download the labelled file",
      "label.downloadSidecar": "Download the label file",
      "label.sidecarNote": "Plain text cannot hold a metadata label, so the label is in a separate sidecar file: keep it with the text.",
      "label.verifyIt": "Verify this file",
      "key.label": "API key (needed once this server has keys)",
      "key.verifyLabel": "API key (needed only if this server requires one to verify)",
      "key.hint": "Sent only by this page, as an Authorization header; kept in this tab until it closes, nowhere else.",
      "key.needed": "Enter an API key above (the server's operator creates one with yuanjian keys create).",
      "verify.title": "Verify an AI-generation label",
      "verify.lead": "Choose or drop a file. It is used for this check only; the service does not keep its content.",
      "drop.title": "Drop a file here",
      "drop.hint": "Markdown, Word (DOCX), PDF, plain text and PNG/JPEG/WebP images",
      "drop.choose": "Choose a file to verify",
      "sidecar.label": "Label file (optional)",
      "sidecar.hint": "Plain text keeps its label in a file of the same name ending in .aigc.json; add it to check the label.",
      "busy": "Verifying…",
      "verdict.intact": "Labelled and intact",
      "verdict.altered": "Label genuine, content altered",
      "verdict.forged": "Label forged",
      "verdict.labelled": "Labelled by another producer or platform",
      "verdict.traced": "Labels gone, but its watermark names this service's log entry",
      "section.findings": "What each mark's check found",
      "verdict.unlabelled": "No label",
      "section.label": "The label",
      "section.notes": "Notes",
      "section.known": "Same content in the log",
      "field.file": "File",
      "field.format": "Format",
      "field.explicit": "Explicit label",
      "field.Label": "Label",
      "field.ContentProducer": "Producer (ContentProducer)",
      "field.ProduceID": "Content id (ProduceID)",
      "field.ReservedCode1": "Producer seal (ReservedCode1)",
      "field.ContentPropagator": "Platform (ContentPropagator)",
      "field.PropagateID": "Platform id (PropagateID)",
      "field.ReservedCode2": "Platform data (ReservedCode2)",
      "field.sha256": "File SHA-256",
      "field.protectedDigest": "Protected digest",
      "field.reason": "Reason",
      "explicit.yes": "present",
      "explicit.no": "not found",
      "label.value.1": "1: AI-generated",
      "label.value.2": "2: possibly AI-generated",
      "label.value.3": "3: suspected AI-generated",
      "empty": "(empty)",
      "proof.title": "Log proof",
      "proof.explain": "Every generation is recorded in an append-only Merkle tree log (RFC 6962). The audit path below proves that this record is included in the signed checkpoint; anyone can check it independently against the public log tiles.",
      "proof.index": "Entry index",
      "proof.treeSize": "Tree size",
      "proof.leafHash": "Leaf hash",
      "proof.rootHash": "Root hash",
      "proof.path": "Audit path",
      "proof.pathEmpty": "(empty: this is the only entry in the tree)",
      "proof.time": "Recorded at",
      "proof.model": "Model",
      "proof.producer": "Producer",
      "proof.loggedDigest": "Logged content digest",
      "proof.note": "Signed checkpoint",
      "proof.links": "Raw data",
      "error.title": "Could not verify",
      "error.413": "File too large",
      "error.415": "Unsupported file format",
      "error.422": "The file could not be read",
      "error.network": "Could not reach the service",
      "error.label": "Could not label the file",
    },
  };

  let lang = (() => {
    try {
      const saved = localStorage.getItem("yj-lang");
      if (saved === "zh" || saved === "en") return saved;
    } catch (e) { /* storage may be disabled; fall back to the browser's language */ }
    return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  })();
  const listeners = [];

  function t(key) {
    const value = strings[lang][key];
    return value === undefined ? key : value;
  }

  function apply() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    const toggle = document.getElementById("lang-toggle");
    if (toggle) {
      toggle.textContent = t("lang.other");
      toggle.setAttribute("aria-label", t("lang.switch"));
    }
    listeners.forEach((listener) => listener(lang));
  }

  function setLang(next) {
    lang = next;
    try { localStorage.setItem("yj-lang", lang); } catch (e) { /* not kept: fine */ }
    apply();
  }

  /** Builds an element: el("p", {class: "x"}, "text", child...). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
    });
    children.flat(Infinity).forEach((child) => {
      if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
    });
    return node;
  }

  /** Reads a fetch response as the API's JSON, turning every failure into {status, code, message}. */
  async function readJson(response) {
    let body = null;
    try { body = await response.json(); } catch (e) { /* not JSON: handled below */ }
    if (response.ok && body) return body;
    const error = (body && body.error) || {};
    throw { status: response.status, code: error.code || "error", message: error.message || response.statusText };
  }

  /**
   * An API key field. Its value goes only into this page's requests, as "Authorization: Bearer"
   * (never a form field, never stored by the server). It is kept in sessionStorage at most, so that a
   * reload in the same tab need not ask again and closing the tab forgets it: not localStorage (a
   * secret left on disk, shared with every tab, for good), not a cookie (the browser would attach it
   * on its own, which is what a cross-site request needs). Returns the headers to send now.
   */
  function apiKey(input) {
    const STORED = "yj-api-key";
    try { input.value = sessionStorage.getItem(STORED) || ""; } catch (e) { /* storage disabled: type it each time */ }
    return () => {
      const key = input.value.trim();
      try {
        if (key) sessionStorage.setItem(STORED, key); else sessionStorage.removeItem(STORED);
      } catch (e) { /* not kept: fine */ }
      return key ? { Authorization: "Bearer " + key } : {};
    };
  }

  /** An error's message, with a pointer to the key field when the server asked for a key. */
  function errorMessage(error) {
    return error.status === 401 || error.status === 403 ? error.message + " " + t("key.needed") : error.message;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const toggle = document.getElementById("lang-toggle");
    if (toggle) toggle.addEventListener("click", () => setLang(lang === "zh" ? "en" : "zh"));
    apply();
  });

  return { t, el, readJson, apiKey, errorMessage, lang: () => lang, onChange: (listener) => listeners.push(listener) };
})();

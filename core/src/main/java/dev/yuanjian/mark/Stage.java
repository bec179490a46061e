package dev.yuanjian.mark;

/**
 * Where a mark sits in the order marks are applied. Each stage may change what the earlier ones
 * wrote, so the order is fixed: what is seen first, then what hides in the pixels or tokens, then
 * metadata that describes the result, and last the hard bindings that hash the finished bytes
 * (C2PA's data hash must cover the metadata label, never the other way round).
 */
public enum Stage {
    /** Visible (explicit) labels: text or drawing a person sees (GB 45438-2025 section 5). */
    VISIBLE,
    /** Invisible watermarks in the content itself. */
    WATERMARK,
    /** Metadata labels (GB 45438-2025 Annex E implicit label, IPTC). */
    METADATA,
    /** Hard bindings over the finished bytes (C2PA manifests). */
    BINDING
}

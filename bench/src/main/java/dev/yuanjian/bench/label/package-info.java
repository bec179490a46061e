/**
 * Label benchmarks: the whole label-and-verify path per document format against a baseline on the
 * same bytes (plain SHA-256, or unzip and rezip for DOCX).
 */
package dev.yuanjian.bench.label;

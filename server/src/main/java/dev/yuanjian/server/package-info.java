/**
 * The HTTP face of the product: the JSON API under {@code /api/v1/}, the transparency log as static
 * C2SP tlog-tiles under {@code /log/}, and the web pages ({@code /}, {@code /verify}). Every route is
 * listed in {@link dev.yuanjian.server.Routes}; {@link dev.yuanjian.server.Server} starts and stops it.
 *
 * <p>Owns: HTTP concerns only: routes, multipart uploads and their limits, status codes, cache
 * headers, the static web page. Must not touch: labelling, verification, Merkle math or storage,
 * which it reaches only through {@link dev.yuanjian.app.Yuanjian}; nor invent JSON shapes, which
 * come from {@link dev.yuanjian.app.JsonViews} so that the CLI and the API never drift apart.
 * Uploaded file names are data, never paths: nothing here writes an upload to disk by its name.
 */
package dev.yuanjian.server;

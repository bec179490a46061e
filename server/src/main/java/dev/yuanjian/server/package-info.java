/**
 * The HTTP face of the product: the JSON API under {@code /api/v1/}, the transparency log as static
 * C2SP tlog-tiles under {@code /log/}, and the web pages ({@code /}, {@code /verify}). Every route is
 * listed in {@link dev.yuanjian.server.Routes} with its {@link dev.yuanjian.server.Role};
 * {@link dev.yuanjian.server.Server} starts and stops it.
 *
 * <p>Owns: HTTP concerns only: routes and the one access check over them ({@link
 * dev.yuanjian.server.AccessCheck}), multipart uploads and their limits, status codes and the one
 * error writer ({@link dev.yuanjian.server.ErrorWriter}: OpenAI's error shape under {@code /v1/}, the
 * product's elsewhere), cache headers, the static web page. Must not touch: labelling, verification, Merkle math or storage,
 * which it reaches only through {@link dev.yuanjian.app.Yuanjian}; nor invent JSON shapes, which
 * come from {@link dev.yuanjian.app.JsonViews} so that the CLI and the API never drift apart.
 * Uploaded file names are data, never paths: nothing here writes an upload to disk by its name.
 */
package dev.yuanjian.server;

/**
 * Everything Yuanjian keeps on disk: the data directory ({@link dev.yuanjian.store.Home}), the
 * database ({@link dev.yuanjian.store.Database}: H2 file by default, PostgreSQL by URL, one set of
 * Flyway migrations) and the signing keys ({@link dev.yuanjian.store.Keys}, generated at first
 * start, owner-only).
 *
 * <p>Owns: connection pooling, schema migrations, key files. Must not touch: what the tables mean;
 * each capability ({@code ledger}, ...) writes its own tables through the {@code DataSource}.
 */
package dev.yuanjian.store;

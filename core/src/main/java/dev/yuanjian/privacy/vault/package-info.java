/**
 * The encrypted vault: the {@link dev.yuanjian.privacy.Conversations} of the product, placeholder
 * maps that span requests, kept in the product's database (Flyway {@code V3__privacy_vault.sql},
 * H2 and PostgreSQL) with every original encrypted (AES-256-GCM) under a data key of its subject
 * (the person's value), each subject key wrapped by the vault key ({@code keys/vault.key} or
 * {@code YUANJIAN_VAULT_KEY}). Forgetting a subject deletes its rows and its key (crypto-shredding);
 * entries unused for the time-to-live are purged.
 *
 * <p>Owns: the vault's tables, its key file and key check, subject normalisation. Must not touch:
 * recognizers, HTTP, the transparency log; no original value, conversation id or key is ever logged
 * or put in an exception message from here.
 */
package dev.yuanjian.privacy.vault;

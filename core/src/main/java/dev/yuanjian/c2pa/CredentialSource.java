package dev.yuanjian.c2pa;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Where the C2PA mark gets its signer and trust anchor. It asks only when it writes or checks a
 * manifest, so a command that meets no image never reads the key file (parsing PEM and X.509 is a
 * visible part of a one-file verify's start-up).
 */
public interface CredentialSource {

    /** The key and chain that sign new manifests. */
    SignerCredentials signer() throws IOException;

    /** The root a manifest's chain must lead to for verify to call it trusted. */
    Optional<X509Certificate> trustAnchor() throws IOException;

    /** Fixed credentials (tests, benchmarks, embedders holding their own). */
    static CredentialSource of(SignerCredentials credentials) {
        return new CredentialSource() {
            @Override
            public SignerCredentials signer() {
                return credentials;
            }

            @Override
            public Optional<X509Certificate> trustAnchor() {
                return credentials.root();
            }
        };
    }

    /**
     * The PEM file of {@link SignerCredentials#loadOrCreate}, read once on first use. With
     * {@code create} false (read-only use) nothing is ever written: {@link #signer()} fails and the
     * trust anchor is empty while the file does not exist.
     */
    static CredentialSource file(Path file, String holder, boolean create) {
        return new CredentialSource() {
            private Optional<X509Certificate> anchor;
            private SignerCredentials signer;

            @Override
            public synchronized SignerCredentials signer() throws IOException {
                if (!create) {
                    throw new IllegalStateException("this instance was opened for reading: it signs no C2PA manifest");
                }
                if (signer == null) {
                    signer = SignerCredentials.loadOrCreate(file, holder);
                }
                return signer;
            }

            @Override
            public synchronized Optional<X509Certificate> trustAnchor() throws IOException {
                if (anchor == null) {
                    anchor = create ? signer().root() : SignerCredentials.rootIn(file);
                }
                return anchor;
            }
        };
    }
}

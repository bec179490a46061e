package dev.yuanjian.c2pa;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the C2PA mark gets its signer and trust anchor. It asks only when it writes or checks a
 * manifest, so a command that meets no image never reads the key file (parsing PEM and X.509 is a
 * visible part of a one-file verify's start-up).
 */
public interface CredentialSource {

    /** The key and chain that sign new manifests. */
    SignerCredentials signer() throws IOException;

    /**
     * The certificates a manifest's chain (or a time-stamp's) must lead to for verify to call it
     * trusted: this installation's root, and any the deployment lists ({@link #trusting}).
     */
    List<X509Certificate> trustAnchors() throws IOException;

    /** The certificates a time-stamp's TSA must lead to for verify to call the time trusted; none unless listed. */
    default List<X509Certificate> timeStampAnchors() throws IOException {
        return List.of();
    }

    /**
     * These credentials, trusting also every certificate of the PEM bundles {@code signers} (for
     * manifest signers) and {@code timeStampAuthorities} (for TSAs) ({@link TrustList#read}), each
     * read on first use.
     */
    default CredentialSource trusting(Optional<Path> signers, Optional<Path> timeStampAuthorities) {
        CredentialSource own = this;
        return new CredentialSource() {
            private List<X509Certificate> anchors;
            private List<X509Certificate> tsaAnchors;

            @Override
            public SignerCredentials signer() throws IOException {
                return own.signer();
            }

            @Override
            public synchronized List<X509Certificate> trustAnchors() throws IOException {
                if (anchors == null) {
                    List<X509Certificate> all = new ArrayList<>(own.trustAnchors());
                    if (signers.isPresent()) {
                        all.addAll(TrustList.read(signers.get()));
                    }
                    anchors = List.copyOf(all);
                }
                return anchors;
            }

            @Override
            public synchronized List<X509Certificate> timeStampAnchors() throws IOException {
                if (tsaAnchors == null) {
                    List<X509Certificate> all = new ArrayList<>(own.timeStampAnchors());
                    if (timeStampAuthorities.isPresent()) {
                        all.addAll(TrustList.read(timeStampAuthorities.get()));
                    }
                    tsaAnchors = List.copyOf(all);
                }
                return tsaAnchors;
            }
        };
    }

    /** Fixed credentials (tests, benchmarks, embedders holding their own). */
    static CredentialSource of(SignerCredentials credentials) {
        return new CredentialSource() {
            @Override
            public SignerCredentials signer() {
                return credentials;
            }

            @Override
            public List<X509Certificate> trustAnchors() {
                return credentials.root().stream().toList();
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
            private List<X509Certificate> anchors;
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
            public synchronized List<X509Certificate> trustAnchors() throws IOException {
                if (anchors == null) {
                    anchors = (create ? signer().root() : SignerCredentials.rootIn(file)).stream().toList();
                }
                return anchors;
            }
        };
    }
}

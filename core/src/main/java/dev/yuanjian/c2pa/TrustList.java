package dev.yuanjian.c2pa;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * Trust anchors for C2PA signers and time-stamp authorities, and the question whether a certificate
 * chains to one. A trust list is a PEM bundle of certificates, as the C2PA conformance trust list
 * ({@code C2PA-TRUST-LIST.pem}) and c2pa-rs's {@code trust_anchors} setting take it: any text between
 * the certificates is ignored; each certificate is an anchor (a root, or an intermediate a
 * deployment chooses to trust directly).
 */
public final class TrustList {
    /** Certificates a chain or a time-stamp token may bring besides the leaf; real ones bring 1 to 4. */
    static final int MAX_CHAIN = 16;

    private TrustList() {
    }

    /**
     * The certificates of the PEM bundle {@code file}.
     *
     * @throws IOException when the file cannot be read, holds something that is not a certificate
     *                     between BEGIN and END lines, or holds no certificate at all
     */
    public static List<X509Certificate> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException("the C2PA trust list " + file + " does not exist; check c2pa.trustAnchors / "
                    + "YUANJIAN_C2PA_TRUST_ANCHORS", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException("the C2PA trust list " + file + " is not a PEM text file (non-ASCII bytes)", e);
        }
        List<X509Certificate> anchors = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw new IOException("holds a " + o.getClass().getSimpleName() + " where only certificates belong");
                }
                anchors.add(converter.getCertificate(holder));
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IOException("the C2PA trust list " + file + " cannot be read: " + e.getMessage()
                    + " (a PEM bundle of certificates is expected)", e);
        }
        if (anchors.isEmpty()) {
            throw new IOException("the C2PA trust list " + file + " holds no certificate (a PEM bundle of "
                    + "-----BEGIN CERTIFICATE----- blocks is expected)");
        }
        return List.copyOf(anchors);
    }

    /**
     * The anchor {@code leaf} chains to through {@code others} (in any order; the ones not needed are
     * ignored), every certificate of the path and the anchor itself valid at {@code at}; empty when
     * there is none, or when {@code others} holds more than {@value #MAX_CHAIN}. Revocation is not checked
     * (no OCSP or CRL fetching).
     */
    static Optional<X509Certificate> anchorOf(X509Certificate leaf, Collection<X509Certificate> others,
                                              List<X509Certificate> anchors, Instant at) {
        if (anchors.isEmpty() || others.size() > MAX_CHAIN) {
            // The certificates come from the file being verified: a bag of hundreds would make path building slow.
            return Optional.empty();
        }
        Date date = Date.from(at);
        if (anchors.contains(leaf)) {
            return validAt(leaf, date) ? Optional.of(leaf) : Optional.empty();
        }
        try {
            Set<TrustAnchor> trust = new HashSet<>();
            for (X509Certificate a : anchors) {
                trust.add(new TrustAnchor(a, null));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(trust, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(date);
            List<X509Certificate> pool = new ArrayList<>(others);
            pool.add(leaf);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
            X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
            return validAt(anchor, date) ? Optional.of(anchor) : Optional.empty();
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean validAt(X509Certificate c, Date date) {
        try {
            c.checkValidity(date);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

package dev.yuanjian.c2pa;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Checking an RFC 3161 time-stamp token against the message it should imprint: the token's CMS
 * signature verifies with the TSA certificate the token carries, that certificate is a time-stamping
 * one (extended key usage id-kp-timeStamping, critical) valid at the token's time, and the message
 * imprint is the digest (SHA-256, -384 or -512) of {@code message}. Whether the TSA is trusted is
 * {@link TrustList}'s question, asked of {@link Checked#certificates()}.
 */
final class TimeStamps {
    private TimeStamps() {
    }

    /**
     * What a token says and whether it holds.
     *
     * @param time         the token's {@code genTime}, if the token could be read
     * @param tsa          the TSA certificate's subject (RFC 2253), or "" when it has none
     * @param validated    signature, certificate and imprint all check
     * @param tsaCertificate the certificate that signed the token, if found
     * @param certificates every certificate the token carries (TSA first when found)
     * @param problems     what failed, one sentence each
     */
    record Checked(Optional<Instant> time, String tsa, boolean validated, Optional<X509Certificate> tsaCertificate,
                   List<X509Certificate> certificates, List<String> problems) {
    }

    static Checked check(byte[] token, byte[] message) {
        TimeStampToken tst;
        try {
            tst = new TimeStampToken(new CMSSignedData(token));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            return new Checked(Optional.empty(), "", false, Optional.empty(), List.of(),
                    List.of("the time-stamp token cannot be read: " + e.getMessage()));
        }
        Instant time = tst.getTimeStampInfo().getGenTime().toInstant();
        List<String> problems = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> all = new ArrayList<>();
        Optional<X509Certificate> signer = Optional.empty();
        try {
            @SuppressWarnings("unchecked")
            java.util.Collection<X509CertificateHolder> matches = tst.getCertificates().getMatches(tst.getSID());
            if (!matches.isEmpty()) {
                X509CertificateHolder holder = matches.iterator().next();
                signer = Optional.of(converter.getCertificate(holder));
                all.add(signer.get());
                // BouncyCastle checks the signature, the critical timeStamping extended key usage,
                // and the certificate's validity at genTime.
                tst.validate(new JcaSimpleSignerInfoVerifierBuilder().build(holder));
            } else {
                problems.add("the time-stamp token does not carry the TSA's certificate, so its signature cannot be checked");
            }
            @SuppressWarnings("unchecked")
            java.util.Collection<X509CertificateHolder> carried = tst.getCertificates().getMatches(null);
            for (X509CertificateHolder h : carried) {
                X509Certificate c = converter.getCertificate(h);
                if (!all.contains(c)) {
                    all.add(c);
                }
            }
        } catch (TSPException | OperatorCreationException | GeneralSecurityException | RuntimeException e) {
            problems.add("the time-stamp token's signature does not check: " + e.getMessage());
        }
        Optional<String> digest = switch (tst.getTimeStampInfo().getMessageImprintAlgOID().getId()) {
            case "2.16.840.1.101.3.4.2.1" -> Optional.of("SHA-256");
            case "2.16.840.1.101.3.4.2.2" -> Optional.of("SHA-384");
            case "2.16.840.1.101.3.4.2.3" -> Optional.of("SHA-512");
            default -> Optional.empty();
        };
        if (digest.isEmpty()) {
            problems.add("the time-stamp imprints with algorithm " + tst.getTimeStampInfo().getMessageImprintAlgOID()
                    + ", which this reader does not check (SHA-256, -384 and -512 only)");
        } else {
            try {
                byte[] expected = MessageDigest.getInstance(digest.get()).digest(message);
                if (!Arrays.equals(expected, tst.getTimeStampInfo().getMessageImprintDigest())) {
                    problems.add("the time-stamp was made for other data: its message imprint is not this signature's");
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java platform must provide " + digest.get(), e);
            }
        }
        String tsa = signer.map(c -> c.getSubjectX500Principal().getName()).orElse("");
        return new Checked(Optional.of(time), tsa, problems.isEmpty(), signer, List.copyOf(all), List.copyOf(problems));
    }
}

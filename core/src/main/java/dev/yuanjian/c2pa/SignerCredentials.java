package dev.yuanjian.c2pa;

import dev.yuanjian.store.Home;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The key and certificate chain that sign C2PA claims (C2PA 2.2, section 14.5): an EC P-256 key
 * (ES256), the signer's certificate first, then intermediates, never the root; and the root that a
 * validator is given as its trust anchor, when known.
 *
 * <p>The development chain ({@link #loadOrCreate}) is root CA, intermediate CA, signer, made on
 * first use in one owner-only PEM file. The signer's certificate is what C2PA requires of one: not
 * a CA, key usage digitalSignature, extended key usage emailProtection and documentSigning (never
 * anyExtendedKeyUsage), subject and authority key identifiers. The CAs' private keys are discarded
 * once the chain is issued: nothing else is ever signed with them. Production deployments give
 * their own key and chain by putting them in that file, in the same layout (key, signer,
 * intermediates, root), which {@link #loadOrCreate} then reads.
 *
 * @param signer the private key of {@code chain.get(0)}
 * @param chain  signer certificate first, then intermediates (no root)
 * @param root   the trust anchor this chain leads to, if known
 */
public record SignerCredentials(PrivateKey signer, List<X509Certificate> chain, Optional<X509Certificate> root) {
    /** The extended key usage id-kp-documentSigning (RFC 9336). */
    private static final KeyPurposeId DOCUMENT_SIGNING = KeyPurposeId.getInstance(
            new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.36"));

    public SignerCredentials {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a C2PA signer needs at least its own certificate");
        }
        if (!(signer instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("the C2PA signer key must be an EC P-256 key (ES256, the algorithm this "
                    + "product signs with), got " + signer.getAlgorithm()
                    + (signer instanceof ECPrivateKey e ? " on a " + e.getParams().getCurve().getField().getFieldSize()
                    + "-bit curve" : ""));
        }
        chain = List.copyOf(chain);
    }

    /**
     * The development chain in {@code file}, or a new one written there (owner-only, atomically):
     * two processes starting at once agree on one chain, the loser reading the winner's file.
     *
     * @throws IOException when the file cannot be read or written, or does not hold a key and chain
     */
    public static SignerCredentials loadOrCreate(Path file, String holder) throws IOException {
        if (!Files.exists(file)) {
            SignerCredentials fresh = developmentChain(holder, Instant.now());
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Home.createAtomically(file, fresh.pem().getBytes(StandardCharsets.US_ASCII));
                return fresh;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        ownerOnly(file);
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "; move the file aside to have a new development chain made (images "
                    + "signed before then are reported as signed by an untrusted chain), or put your own key and chain "
                    + "there (docs/c2pa.md)", e);
        }
    }

    /** The signer's key is a secret: a file others can read (copied in, or made under a loose umask) is tightened. */
    private static void ownerOnly(Path file) throws IOException {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> now = Files.getPosixFilePermissions(file);
            java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
            if (!owner.containsAll(now)) {
                Files.setPosixFilePermissions(file, owner);
            }
        } catch (UnsupportedOperationException notPosix) {
            // The data directory is owner-only already (Home.ensureExists); nothing finer to set here.
        }
    }

    /** Only the trust anchor of {@code file}, if the file exists: what verify needs, and nothing is created. */
    public static Optional<X509Certificate> rootIn(Path file) throws IOException {
        return Files.exists(file) ? parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString()).root() : Optional.empty();
    }

    /** The key, the chain and the root as one PEM text. */
    public String pem() {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            // PKCS#8, which names the curve in its algorithm identifier (SEC1 written from a JCA key may not).
            w.writeObject(new PemObject("PRIVATE KEY", signer.getEncoded()));
            for (X509Certificate c : chain) {
                w.writeObject(c);
            }
            if (root.isPresent()) {
                w.writeObject(root.get());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory cannot fail", e);
        }
        return text.toString();
    }

    private static SignerCredentials parse(String pem, String where) throws IOException {
        PrivateKey key = null;
        List<X509Certificate> certs = new ArrayList<>();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    key = keys.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info);
                } else if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IOException(where + " does not hold a readable PEM key and certificate chain: " + e.getMessage(), e);
        }
        if (key == null || certs.isEmpty()) {
            throw new IOException(where + " must hold the signer's private key and its certificate chain (PEM)");
        }
        Optional<X509Certificate> root = Optional.empty();
        X509Certificate last = certs.get(certs.size() - 1);
        if (certs.size() > 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            root = Optional.of(certs.remove(certs.size() - 1));
        }
        try {
            return new SignerCredentials(key, certs, root);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    /** A new root, intermediate and signer for {@code holder}, valid from an hour before {@code now}. */
    static SignerCredentials developmentChain(String holder, Instant now) {
        try {
            KeyPair rootKeys = ecKeys();
            KeyPair intermediateKeys = ecKeys();
            KeyPair signerKeys = ecKeys();
            Instant from = now.minus(Duration.ofHours(1));
            X500Name rootName = new X500Name("CN=Yuanjian development root (" + holder + "),O=Yuanjian development");
            X500Name intermediateName = new X500Name("CN=Yuanjian development intermediate,O=Yuanjian development");
            X500Name signerName = new X500Name("CN=Yuanjian content credentials (" + holder + "),O=Yuanjian development");
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            X509v3CertificateBuilder r = builder(rootName, rootName, rootKeys.getPublic(), from, from.plus(Duration.ofDays(3650)));
            r.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
            r.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            r.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootKeys.getPublic()));
            X509Certificate root = sign(r, rootKeys.getPrivate());

            X509v3CertificateBuilder i = builder(rootName, intermediateName, intermediateKeys.getPublic(), from,
                    from.plus(Duration.ofDays(3650)));
            i.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            i.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            i.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(intermediateKeys.getPublic()));
            i.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
            X509Certificate intermediate = sign(i, rootKeys.getPrivate());

            X509v3CertificateBuilder s = builder(intermediateName, signerName, signerKeys.getPublic(), from,
                    from.plus(Duration.ofDays(5 * 365)));
            s.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            s.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            s.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_emailProtection, DOCUMENT_SIGNING}));
            s.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(signerKeys.getPublic()));
            s.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(intermediate));
            X509Certificate signer = sign(s, intermediateKeys.getPrivate());
            return new SignerCredentials(signerKeys.getPrivate(), List.of(signer, intermediate), Optional.of(root));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a development certificate chain: " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant from, Instant to) {
        BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(from), Date.from(to), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }
}

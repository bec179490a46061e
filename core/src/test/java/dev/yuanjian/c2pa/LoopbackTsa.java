package dev.yuanjian.c2pa;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A real RFC 3161 Time-Stamp Authority on a loopback port: HTTP POST of a {@code TimeStampReq}
 * answered by BouncyCastle's {@link TimeStampResponseGenerator} (the protocol's reference Java
 * implementation), signing with its own chain (root CA, then the TSA certificate: EC P-256,
 * critical extended key usage id-kp-timeStamping). Tests switch it to fail, stall or pad its tokens.
 */
final class LoopbackTsa implements AutoCloseable {
    enum Mode { GRANT, HTTP_ERROR, GARBAGE, STALL, BULKY }

    final X509Certificate root;
    final X509Certificate tsa;
    /** The genTime of every token issued, in order. */
    final List<Instant> issued = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    volatile Mode mode = Mode.GRANT;
    /** Requests answered normally before {@link #mode} applies (to fail the second request only). */
    volatile int grantFirst;

    private final PrivateKey tsaKey;
    private final List<X509Certificate> bulk = new ArrayList<>();
    private final HttpServer server;
    private final AtomicLong serial = new AtomicLong(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    LoopbackTsa() throws Exception {
        KeyPair rootKeys = ec();
        KeyPair tsaKeys = ec();
        Instant from = Instant.now().minus(Duration.ofHours(1));
        X500Name rootName = new X500Name("CN=Loopback TSA root,O=Yuanjian tests");
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder r = builder(rootName, rootName, rootKeys.getPublic(), from);
        r.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        r.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        r.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootKeys.getPublic()));
        root = sign(r, rootKeys.getPrivate());
        X509v3CertificateBuilder t = builder(rootName, new X500Name("CN=Loopback TSA,O=Yuanjian tests"), tsaKeys.getPublic(), from);
        t.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        t.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        t.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        t.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(tsaKeys.getPublic()));
        t.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
        tsa = sign(t, rootKeys.getPrivate());
        tsaKey = tsaKeys.getPrivate();
        for (int i = 0; i < 40; i++) {
            // Unrelated certificates a bulky token carries (as some TSAs send long chains): ~12 KB.
            KeyPair k = ec();
            X500Name n = new X500Name("CN=Padding certificate " + i + ",O=Yuanjian tests");
            bulk.add(sign(builder(n, n, k.getPublic(), from), k.getPrivate()));
        }

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/tsa", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int n = requests.incrementAndGet();
                Mode now = n <= grantFirst ? Mode.GRANT : mode;
                switch (now) {
                    case HTTP_ERROR -> {
                        exchange.sendResponseHeaders(503, -1);
                        return;
                    }
                    case GARBAGE -> {
                        reply(exchange, "this is no time-stamp response".getBytes(StandardCharsets.US_ASCII));
                        return;
                    }
                    case STALL -> {
                        closing.await();
                        return;
                    }
                    default -> reply(exchange, grant(new TimeStampRequest(body), now == Mode.BULKY));
                }
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
    }

    String rootPem() throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(root.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    private byte[] grant(TimeStampRequest request, boolean bulky) throws Exception {
        TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", tsaKey, tsa),
                new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"));
        List<X509Certificate> certs = new ArrayList<>(List.of(tsa));
        if (bulky) {
            certs.addAll(bulk);
        }
        tokens.addCertificates(new JcaCertStore(certs));
        tokens.setResolution(TimeStampTokenGenerator.R_MILLISECONDS);
        Date genTime = new Date();
        byte[] answer = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED)
                .generate(request, BigInteger.valueOf(serial.getAndIncrement()), genTime).getEncoded();
        issued.add(genTime.toInstant());
        return answer;
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant from) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(from), Date.from(from.plus(Duration.ofDays(3650))), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }
}

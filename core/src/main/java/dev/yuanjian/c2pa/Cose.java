package dev.yuanjian.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The claim signature: a COSE_Sign1 (RFC 9052, section 4.2) with a detached payload, as C2PA 2.2
 * section 13.2 requires. Tagged 18: {@code [protected, unprotected, nil, signature]}, protected
 * header {@code {1: -7 (ES256), 33: x5chain}} (RFC 9360; signer first, no root), the signature
 * over {@code Sig_structure = ["Signature1", protected, h'', claim]} in IEEE P1363 form (r || s,
 * 64 bytes for P-256). Only ES256 is written and read here.
 */
final class Cose {
    static final int TAG_SIGN1 = 18;
    static final int ALG_ES256 = -7;
    /** r || s, 32 bytes each on P-256. */
    static final int ES256_SIGNATURE_BYTES = 64;
    private static final int HEADER_ALG = 1;
    private static final int HEADER_X5CHAIN = 33;
    /** The unprotected header of a v2 time-stamp (C2PA 2.2, "Storing the time-stamp"): the token countersigns the signature. */
    static final String SIG_TST2 = "sigTst2";
    /** The deprecated v1 time-stamp header: the token imprints the claim. Read, never written. */
    static final String SIG_TST = "sigTst";
    static final String PAD = "pad";
    /** The smallest pad written, and the smallest token accepted: a CBOR byte string of 256 or more bytes has a 3-byte head. */
    static final int MIN_PAD = 256;
    private static final CBORFactory CBOR = new CBORFactory();
    private static final CBORMapper MAPPER = new CBORMapper();

    private Cose() {
    }

    /** The tagged COSE_Sign1 over {@code claim}, signed by {@code credentials}. */
    static byte[] sign(byte[] claim, SignerCredentials credentials) {
        try {
            return sign1(claim, credentials, true, Optional.empty(), 0);
        } catch (TimeStamper.TimeStampException e) {
            throw new IllegalStateException("no Time-Stamp Authority was asked", e);
        }
    }

    /**
     * As {@link #sign}, with a v2 time-stamp ({@value #SIG_TST2}) from {@code stamper} in the unprotected
     * header, padded ({@value #PAD}) so that token and pad take exactly {@code reserve} bytes: the size
     * {@link #blank} gives for the same reserve.
     *
     * @throws TimeStamper.TimeStampException when the TSA fails
     * @throws TokenTooLarge                  when the token does not fit in {@code reserve}
     */
    static byte[] sign(byte[] claim, SignerCredentials credentials, TimeStamper stamper, int reserve)
            throws TimeStamper.TimeStampException {
        return sign1(claim, credentials, true, Optional.of(stamper), reserve);
    }

    /**
     * A COSE_Sign1 of exactly the size {@link #sign} gives for these credentials (and time-stamp
     * {@code reserve}, 0 for none), with a blank signature: an ES256 signature in P1363 form is always
     * 64 bytes. Used to settle a store's size.
     */
    static byte[] blank(byte[] claim, SignerCredentials credentials, int reserve) {
        try {
            return sign1(claim, credentials, false, Optional.empty(), reserve);
        } catch (TimeStamper.TimeStampException e) {
            throw new IllegalStateException("no Time-Stamp Authority was asked", e);
        }
    }

    /** A time-stamp token larger than the room reserved for it: the store must be sized again with {@code needed}. */
    static final class TokenTooLarge extends RuntimeException {
        final int needed;

        TokenTooLarge(int needed) {
            super("the time-stamp token needs " + needed + " bytes");
            this.needed = needed;
        }
    }

    private static byte[] sign1(byte[] claim, SignerCredentials credentials, boolean sign, Optional<TimeStamper> stamper,
                                int reserve) throws TimeStamper.TimeStampException {
        try {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            try (CBORGenerator g = CBOR.createGenerator(header)) {
                g.writeStartObject(null, 2);
                g.writeFieldId(HEADER_ALG);
                g.writeNumber(ALG_ES256);
                g.writeFieldId(HEADER_X5CHAIN);
                List<X509Certificate> chain = credentials.chain();
                if (chain.size() == 1) {
                    g.writeBinary(chain.get(0).getEncoded());
                } else {
                    g.writeStartArray(null, chain.size());
                    for (X509Certificate c : chain) {
                        g.writeBinary(c.getEncoded());
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            byte[] protectedHeader = header.toByteArray();
            byte[] signature = new byte[ES256_SIGNATURE_BYTES];
            if (sign) {
                Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
                es256.initSign(credentials.signer());
                es256.update(toBeSigned(protectedHeader, claim));
                signature = es256.sign();
            }
            byte[] token = null;
            if (reserve > 0) {
                // Blank: a token of the most bytes that leaves the smallest pad, which encodes to the same size.
                token = stamper.isPresent() ? stamper.get().token(timeStampMessage(protectedHeader, signature))
                        : new byte[reserve - MIN_PAD];
                if (token.length > reserve - MIN_PAD) {
                    throw new TokenTooLarge(token.length);
                }
                if (token.length < MIN_PAD) {
                    throw new TimeStamper.TimeStampException("the Time-Stamp Authority " + stamper.map(TimeStamper::name)
                            .orElse(null) + " sent a token of only " + token.length + " bytes", null);
                }
            }

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (CBORGenerator g = CBOR.createGenerator(out)) {
                g.writeTag(TAG_SIGN1);
                g.writeStartArray(null, 4);
                g.writeBinary(protectedHeader);
                if (token == null) {
                    g.writeStartObject(null, 0);
                } else {
                    // {"sigTst2": {"tstTokens": [{"val": token}]}, "pad": zeros}: pad and token lengths both
                    // within 256..65535 keep their CBOR heads at 3 bytes, so the size depends on reserve only.
                    g.writeStartObject(null, 2);
                    g.writeFieldName(SIG_TST2);
                    g.writeStartObject(null, 1);
                    g.writeFieldName("tstTokens");
                    g.writeStartArray(null, 1);
                    g.writeStartObject(null, 1);
                    g.writeFieldName("val");
                    g.writeBinary(token);
                    g.writeEndObject();
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeFieldName(PAD);
                    g.writeBinary(new byte[reserve - token.length]);
                }
                g.writeEndObject();
                g.writeNull();
                g.writeBinary(signature);
                g.writeEndArray();
            }
            return out.toByteArray();
        } catch (TimeStamper.TimeStampException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the C2PA claim: " + e.getMessage(), e);
        }
    }

    /** A COSE_Sign1 as read: the algorithm, the certificate chain and the signature, checkable against a claim. */
    record Sign1(byte[] protectedHeader, int alg, List<X509Certificate> chain, byte[] signature,
                 Optional<TimeStampToken> timeStamp) {
        /**
         * The time-stamp token of the unprotected header and the bytes it must imprint: for
         * {@value #SIG_TST2} the countersignature over the signature, for {@value #SIG_TST} over the claim.
         */
        byte[] timeStampMessage(byte[] claim) {
            try {
                return timeStamp.orElseThrow().v2() ? Cose.timeStampMessage(protectedHeader, signature)
                        : counterSignature(protectedHeader, claim);
            } catch (IOException e) {
                throw new IllegalStateException("CBOR encoding in memory cannot fail", e);
            }
        }

        /** True when the signature verifies over {@code claim} with the signer certificate's key. */
        boolean verifies(byte[] claim) {
            if (alg != ALG_ES256 || chain.isEmpty()) {
                return false;
            }
            try {
                PublicKey key = chain.get(0).getPublicKey();
                Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
                es256.initVerify(key);
                es256.update(toBeSigned(protectedHeader, claim));
                return es256.verify(signature);
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                return false;
            }
        }
    }

    /** A time-stamp token as found in a header: {@code v2} for {@value #SIG_TST2}, else {@value #SIG_TST}. */
    record TimeStampToken(byte[] token, boolean v2) {
    }

    /**
     * Reads a COSE_Sign1 (tagged or not).
     *
     * @throws IllegalArgumentException when it is not one, or its header lacks alg or x5chain
     */
    static Sign1 read(byte[] cose) {
        try {
            JsonNode root = MAPPER.readTree(cose);
            if (root == null || !root.isArray() || root.size() != 4 || !root.get(0).isBinary() || !root.get(3).isBinary()) {
                throw new IllegalArgumentException("the claim signature is not a COSE_Sign1 array of four items");
            }
            byte[] protectedHeader = root.get(0).binaryValue();
            JsonNode header = MAPPER.readTree(new ByteArrayInputStream(protectedHeader));
            if (header == null || !header.isObject()) {
                throw new IllegalArgumentException("the claim signature's protected header is not a CBOR map");
            }
            JsonNode unprotected = root.get(1);
            JsonNode alg = field(header, HEADER_ALG);
            if (alg == null || !alg.canConvertToInt()) {
                throw new IllegalArgumentException("the claim signature's protected header has no algorithm (label 1)");
            }
            JsonNode x5 = field(header, HEADER_X5CHAIN);
            if (x5 == null) {
                x5 = field(unprotected, HEADER_X5CHAIN);
            }
            if (x5 == null) {
                throw new IllegalArgumentException("the claim signature has no certificate chain (x5chain, label 33)");
            }
            List<X509Certificate> chain = new ArrayList<>();
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (JsonNode c : x5.isArray() ? x5 : List.of(x5)) {
                if (!c.isBinary()) {
                    throw new IllegalArgumentException("the claim signature's x5chain holds something other than certificates");
                }
                chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(c.binaryValue())));
            }
            Optional<TimeStampToken> timeStamp = Optional.empty();
            for (String label : List.of(SIG_TST2, SIG_TST)) {
                JsonNode val = unprotected.path(label).path("tstTokens").path(0).path("val");
                if (val.isBinary()) {
                    timeStamp = Optional.of(new TimeStampToken(val.binaryValue(), label.equals(SIG_TST2)));
                    break;
                }
            }
            return new Sign1(protectedHeader, alg.asInt(), List.copyOf(chain), root.get(3).binaryValue(), timeStamp);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the claim signature cannot be read: " + e.getMessage(), e);
        }
    }

    /** A CBOR map's value under an integer label (Jackson reads integer keys as their decimal text). */
    private static JsonNode field(JsonNode map, int label) {
        return map == null || !map.isObject() ? null : map.get(Integer.toString(label));
    }

    /**
     * What a v2 time-stamp imprints (C2PA 2.2, "Storing the time-stamp"; the CTT model of the COSE time-stamp header
     * draft): the COSE countersignature structure {@code ["CounterSignature", protected, h'',
     * payload]} whose payload is the signature as a CBOR byte string.
     */
    static byte[] timeStampMessage(byte[] protectedHeader, byte[] signature) throws IOException {
        ByteArrayOutputStream bstr = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(bstr)) {
            g.writeBinary(signature);
        }
        return counterSignature(protectedHeader, bstr.toByteArray());
    }

    private static byte[] counterSignature(byte[] protectedHeader, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.writeStartArray(null, 4);
            g.writeString("CounterSignature");
            g.writeBinary(protectedHeader);
            g.writeBinary(new byte[0]);
            g.writeBinary(payload);
            g.writeEndArray();
        }
        return out.toByteArray();
    }

    private static byte[] toBeSigned(byte[] protectedHeader, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.writeStartArray(null, 4);
            g.writeString("Signature1");
            g.writeBinary(protectedHeader);
            g.writeBinary(new byte[0]);
            g.writeBinary(payload);
            g.writeEndArray();
        }
        return out.toByteArray();
    }
}

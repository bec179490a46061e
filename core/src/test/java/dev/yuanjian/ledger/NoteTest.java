package dev.yuanjian.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.store.SigningKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class NoteTest {
    // The worked example of Go's sumdb/note package documentation: key pair and signed note.
    private static final String GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String GO_NOTE = GO_TEXT + "\n"
            + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    private static SigningKey goKey() {
        byte[] encoded = Base64.getDecoder().decode(GO_SIGNER_KEY.split("\\+", 5)[4]);
        return SigningKey.fromSeed(Arrays.copyOfRange(encoded, 1, 33)); // drop the algorithm byte
    }

    @Test
    void signingReproducesGosExampleByteForByte() {
        assertThat(Note.sign(GO_TEXT, "PeterNeumann", goKey())).isEqualTo(GO_NOTE);
        assertThat(NoteVerifier.of("PeterNeumann", goKey()).encoded()).isEqualTo(GO_VERIFIER_KEY);
    }

    @Test
    void openVerifiesGosExample() {
        NoteVerifier verifier = NoteVerifier.parse(GO_VERIFIER_KEY);
        assertThat(verifier.name()).isEqualTo("PeterNeumann");
        assertThat(verifier.keyHash()).isEqualTo(0xc74f20a3);
        Note.Opened opened = Note.open(GO_NOTE, verifier);
        assertThat(opened.text()).isEqualTo(GO_TEXT);
        assertThat(opened.verified()).extracting(Note.Signature::name).containsExactly("PeterNeumann");
    }

    @Test
    void openRejectsForgeriesAndNotesWithoutAKnownSignature() {
        NoteVerifier verifier = NoteVerifier.parse(GO_VERIFIER_KEY);
        assertThatThrownBy(() -> Note.open(GO_NOTE.replace("cryptography", "cryptographY"), verifier))
                .hasMessageContaining("invalid signature");
        NoteVerifier other = NoteVerifier.of("PeterNeumann", SigningKey.fromSeed(new byte[32]));
        assertThatThrownBy(() -> Note.open(GO_NOTE, other)).hasMessageContaining("no verifiable signatures");
        assertThatThrownBy(() -> Note.open(GO_TEXT, verifier)).hasMessageContaining("malformed");
        assertThatThrownBy(() -> Note.open(GO_NOTE.replace("\u2014", "-"), verifier)).hasMessageContaining("malformed");
        assertThatThrownBy(() -> Note.open(GO_NOTE.replace("\n\u2014", "\n\t\u2014"), verifier)).hasMessageContaining("malformed");
        // Another signer's line is carried as unverified, ours still verifies.
        String cosigned = Note.sign(GO_TEXT, "PeterNeumann", goKey())
                + Note.sign(GO_TEXT, "Witness", SigningKey.fromSeed(new byte[32])).substring(GO_TEXT.length() + 1);
        Note.Opened opened = Note.open(cosigned, verifier);
        assertThat(opened.unverified()).extracting(Note.Signature::name).containsExactly("Witness");
    }

    @Test
    void verifierKeysAreCheckedAgainstTheirHash() {
        assertThatThrownBy(() -> NoteVerifier.parse(GO_VERIFIER_KEY.replace("c74f20a3", "c74f20a4")))
                .hasMessageContaining("hash");
        assertThatThrownBy(() -> NoteVerifier.parse("Peter Neumann+c74f20a3+AAAA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoteVerifier.of("a+b", goKey())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checkpointsRoundTripAndRejectMalformedBodies() {
        Checkpoint checkpoint = new Checkpoint("yuanjian.local/log", 42, Tlog.EMPTY_TREE);
        assertThat(checkpoint.body()).isEqualTo("yuanjian.local/log\n42\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
        assertThat(Checkpoint.parse(checkpoint.body())).isEqualTo(checkpoint);
        assertThat(Checkpoint.parse(checkpoint.body() + "extension line\n")).isEqualTo(checkpoint);
        for (String bad : new String[] {"o\n042\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "o\n42\n47DEQ\n",
                "o\n42\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "o\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"}) {
            assertThatThrownBy(() -> Checkpoint.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        SigningKey key = SigningKey.fromSeed(new byte[32]);
        String note = Note.sign(checkpoint.body(), "yuanjian.local/log", key);
        assertThat(Checkpoint.open(note, NoteVerifier.of("yuanjian.local/log", key))).isEqualTo(checkpoint);
        assertThatThrownBy(() -> Checkpoint.open(Note.sign(checkpoint.body(), "other.name", key),
                NoteVerifier.of("other.name", key))).hasMessageContaining("origin");
    }
}

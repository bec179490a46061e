package dev.yuanjian.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.ledger.TransparencyLog.ConsistencyProof;
import dev.yuanjian.ledger.TransparencyLog.InclusionProof;
import dev.yuanjian.ledger.TransparencyLog.SignedCheckpoint;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.SigningKey;
import dev.yuanjian.testing.ExternalTools;
import dev.yuanjian.testing.TestDatabases;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our log, checked by Go's {@code sumdb/tlog} and {@code sumdb/note} (Debian's
 * golang-golang-x-mod-dev): checkpoints open with our verifier key, the tree hash and every leaf
 * recompute from our C2SP tiles, and our inclusion and consistency proofs check and equal the
 * ones Go derives from the tiles. Trees of 1, 2, 7, 256, 257 and 1000 entries cover full, partial
 * and level-1 tiles.
 */
class GoInteropTest {
    private static final long[] SIZES = {1, 2, 7, 256, 257, 1000};
    private static final Path GO_SOURCES = Path.of("/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog");

    @TempDir
    Path temp;

    @Test
    void goVerifiesOurCheckpointsProofsAndTiles() throws Exception {
        Path binary = buildChecker();
        ObjectNode input = writeLog(temp.resolve("tiles"));
        Path json = temp.resolve("input.json");
        new ObjectMapper().writeValue(json.toFile(), input);

        Result ok = run(binary, json);
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        var passed = java.util.regex.Pattern.compile("PASS (\\d+) checks").matcher(ok.output());
        assertThat(passed.find()).as(ok.output()).isTrue();
        // 1,523 leaves recomputed from tiles, plus every proof checked and re-derived.
        assertThat(Integer.parseInt(passed.group(1))).isGreaterThan(1600);

        // The checker is not a rubber stamp: one flipped bit in one proof fails it.
        ObjectNode proof = (ObjectNode) input.withArray("inclusion").get(3);
        String first = proof.withArray("proof").get(0).asText();
        byte[] flipped = Base64.getDecoder().decode(first);
        flipped[5] ^= 1;
        proof.withArray("proof").set(0, Base64.getEncoder().encodeToString(flipped));
        new ObjectMapper().writeValue(json.toFile(), input);
        Result bad = run(binary, json);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.output()).contains("tlog.CheckRecord").contains("FAIL");
    }

    private Path buildChecker() throws Exception {
        Path go = ExternalTools.require("go", "golang-go", "/usr/bin/go", "/usr/lib/go/bin/go");
        if (!Files.isDirectory(GO_SOURCES)) {
            ExternalTools.missing("Go's sumdb/tlog sources are missing; install them with: apt-get install golang-golang-x-mod-dev");
        }
        Path source = temp.resolve("tlogcheck.go");
        try (InputStream in = GoInteropTest.class.getResourceAsStream("/ledger/tlogcheck.go")) {
            Files.copy(in, source);
        }
        Path binary = temp.resolve("tlogcheck");
        ProcessBuilder build = new ProcessBuilder(go.toString(), "build", "-o", binary.toString(), source.toString())
                .directory(temp.toFile()).redirectErrorStream(true);
        Map<String, String> env = build.environment();
        env.put("GOPATH", "/usr/share/gocode");
        env.put("GO111MODULE", "off");
        env.put("GOFLAGS", "");
        env.put("GOCACHE", temp.resolve("gocache").toString()); // never touch a shared cache
        Result result = finish(build.start());
        assertThat(result.exitCode()).as("go build: %s", result.output()).isZero();
        return binary;
    }

    private ObjectNode writeLog(Path tileDir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode input = json.createObjectNode();
        ArrayNode checkpoints = input.putArray("checkpoints");
        ArrayNode inclusion = input.putArray("inclusion");
        ArrayNode consistency = input.putArray("consistency");
        try (Database db = TestDatabases.open(TestDatabases.Kind.H2, temp);
             var log = new JdbcTransparencyLog(db, SigningKey.fromSeed(new byte[32]), "yuanjian.test/log")) {
            input.put("verifierKey", log.verifierKey());
            input.put("origin", log.origin());
            input.put("tileDir", tileDir.toString());
            long size = 0;
            for (long target : SIZES) {
                List<CompletableFuture<?>> futures = new ArrayList<>();
                for (; size < target; size++) {
                    futures.add(log.appendAsync(Records.sample(size)));
                }
                futures.forEach(CompletableFuture::join);
                SignedCheckpoint checkpoint = log.checkpoint();
                assertThat(checkpoint.size()).isEqualTo(target);
                checkpoints.add(checkpoint.note());
                for (Tile tile : Tile.treeTiles(target, true)) {
                    Path file = tileDir.resolve(tile.path());
                    Files.createDirectories(file.getParent());
                    Files.write(file, log.tile(tile.level(), tile.n(), tile.width()).orElseThrow());
                }
                for (long index : new TreeSet<>(List.of(0L, target - 1, target / 2, Math.min(255, target - 1),
                        Math.min(256, target - 1)))) {
                    InclusionProof proof = log.inclusionProof(index, target);
                    inclusion.addObject().put("index", index).put("size", target)
                            .put("leaf", Hash.of(proof.leafHash()).toString())
                            .set("proof", base64(json, proof.path()));
                }
            }
            for (long newSize : SIZES) {
                for (long oldSize : SIZES) {
                    if (oldSize <= newSize) {
                        ConsistencyProof proof = log.consistencyProof(oldSize, newSize);
                        consistency.addObject().put("old", oldSize).put("new", newSize)
                                .set("proof", base64(json, proof.path()));
                    }
                }
            }
        }
        return input;
    }

    private static ArrayNode base64(ObjectMapper json, List<byte[]> hashes) {
        ArrayNode out = json.createArrayNode();
        hashes.forEach(h -> out.add(Base64.getEncoder().encodeToString(h)));
        return out;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path binary, Path input) throws Exception {
        return finish(new ProcessBuilder(binary.toString(), input.toString()).redirectErrorStream(true).start());
    }

    private static Result finish(Process process) throws Exception {
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}

package dev.yuanjian.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Home#createAtomically}: a file that exists, however recently it appeared, is never replaced. */
class HomeTest {
    @TempDir
    Path dir;

    @Test
    void anExistingFileIsRefusedAndLeftAsItWas() throws Exception {
        Path target = Files.writeString(dir.resolve("out.md"), "theirs");
        assertThatThrownBy(() -> Home.createAtomically(target, "mine".getBytes(StandardCharsets.UTF_8), false))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(target)).isEqualTo("theirs");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    /**
     * Attack: several writers (two CLI processes in the report) create the same names at the same
     * moment. Each name is won by exactly one writer, and the file holds that writer's bytes.
     */
    @Test
    void writersRacingForTheSameNamesEachWinDistinctFilesAndNeverReplaceAnother() throws Exception {
        int writers = 4;
        int names = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<String>>> runs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int w = 0; w < writers; w++) {
                String writer = "writer " + w;
                runs.add(CompletableFuture.supplyAsync(() -> {
                    List<String> won = new ArrayList<>();
                    try {
                        start.await();
                        for (int n = 0; n < names; n++) {
                            Path target = dir.resolve("i" + n + ".png");
                            try {
                                Home.createAtomically(target, (writer + " " + n).getBytes(StandardCharsets.UTF_8), false);
                                won.add(target.getFileName() + "=" + writer);
                            } catch (FileAlreadyExistsException lost) {
                                // another writer has it: the expected outcome for all but one
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return won;
                }, pool));
            }
            start.countDown();
            List<String> claims = new ArrayList<>();
            for (var run : runs) {
                claims.addAll(run.get());
            }
            assertThat(claims).as("each name claimed by exactly one writer").hasSize(names);
            for (String claim : claims) {
                String name = claim.substring(0, claim.indexOf('='));
                String number = name.substring(1, name.indexOf('.'));
                assertThat(Files.readString(dir.resolve(name))).isEqualTo(claim.substring(claim.indexOf('=') + 1) + " " + number);
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}

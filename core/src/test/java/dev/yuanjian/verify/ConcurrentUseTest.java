package dev.yuanjian.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link Yuanjian}'s pipeline and verifier used from many threads at once, as the server and
 * {@code yuanjian verify -r} use them: every label gets its own log entry, every file verifies as
 * intact against its own entry, and the log stays consistent.
 */
class ConcurrentUseTest {
    @TempDir
    Path dir;

    @Test
    void labelAndVerifyFromManyThreadsAtOnce() throws Exception {
        int files = 48;
        try (Yuanjian app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Callable<Pipeline.Result>> labels = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                Asset asset = switch (i % 3) {
                    case 0 -> Asset.of("doc" + i + ".md", ("# Doc " + i + "\n\nGenerated text " + i + ".\n")
                            .getBytes(StandardCharsets.UTF_8));
                    case 1 -> Asset.of("img" + i + ".png", ImageFixtures.png(40 + i, 30));
                    default -> Asset.of("note" + i + ".txt", ("note " + i + "\n").getBytes(StandardCharsets.UTF_8));
                };
                labels.add(() -> app.pipeline().label(new Pipeline.Request(asset, Set.of(), "m", Optional.empty())));
            }
            List<Pipeline.Result> results = new ArrayList<>();
            for (Future<Pipeline.Result> f : pool.invokeAll(labels)) {
                results.add(f.get());
            }
            assertThat(results).extracting(Pipeline.Result::logIndex).doesNotHaveDuplicates()
                    .allSatisfy(index -> assertThat(index).isBetween(0L, files - 1L));
            assertThat(results).extracting(Pipeline.Result::contentId).doesNotHaveDuplicates();

            List<Callable<Report>> verifies = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                results.forEach(r -> verifies.add(() -> app.verifier().verify(r.labelled())));
            }
            List<Future<Report>> reports = pool.invokeAll(verifies);
            for (int i = 0; i < reports.size(); i++) {
                Pipeline.Result labelled = results.get(i % files);
                Report report = reports.get(i).get();
                assertThat(report.verdict()).as(labelled.labelled().name()).isInstanceOf(Verdict.Intact.class);
                Verdict.Intact intact = (Verdict.Intact) report.verdict();
                assertThat(intact.entry().index()).isEqualTo(labelled.logIndex());
                assertThat(intact.entry().record().contentId()).isEqualTo(labelled.contentId());
                assertThat(intact.proof().treeSize()).isEqualTo(intact.checkpoint().size());
            }
            assertThat(app.log().audit().intact()).isTrue();
            assertThat(app.log().size()).isEqualTo(files);
        }
    }
}

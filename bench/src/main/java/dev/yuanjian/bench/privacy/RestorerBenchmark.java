package dev.yuanjian.bench.privacy;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.MemoryPlaceholderMap;
import dev.yuanjian.privacy.Restorer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What restoring costs a streamed answer: a 4,000-character answer (Chinese and English prose,
 * 40 placeholders of 8 people and 4 phones, 10 Markdown brackets) cut into pieces of 1 to 6
 * characters, as tokens arrive. {@code restoreStream}: every piece through one {@link Restorer}, as
 * the gateway's first response filter does; {@code copyStream}: the same pieces only appended, the
 * baseline of relaying text untouched; {@code restoreWhole}: the whole answer at once, as for a
 * non-streamed answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RestorerBenchmark {
    private final MemoryPlaceholderMap map = new MemoryPlaceholderMap();
    private final List<String> pieces = new ArrayList<>();
    private String whole;

    @Setup
    public void build() {
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            placeholders.add(map.placeholderFor(EntityType.PERSON, "姓名" + i).toString());
        }
        for (int i = 0; i < 4; i++) {
            placeholders.add(map.placeholderFor(EntityType.CN_MOBILE, "1381234567" + i).toString());
        }
        SplittableRandom random = new SplittableRandom(11);
        String[] prose = {"我们已经收到您的申请，", "please call back later ", "请在工作日联系", "see [the docs](https://x.y) ",
                "the order ships today. ", "感谢您的耐心等待。"};
        StringBuilder text = new StringBuilder();
        int placed = 0;
        while (text.length() < 4000) {
            text.append(prose[random.nextInt(prose.length)]);
            if (placed < 40 && random.nextInt(3) == 0) {
                text.append(placeholders.get(random.nextInt(placeholders.size()))).append(' ');
                placed++;
            }
        }
        whole = text.toString();
        for (int at = 0; at < whole.length(); ) {
            int end = Math.min(whole.length(), at + 1 + random.nextInt(6));
            pieces.add(whole.substring(at, end));
            at = end;
        }
    }

    @Benchmark
    public String restoreStream() {
        Restorer restorer = new Restorer(map, Restorer.Encoding.TEXT);
        StringBuilder out = new StringBuilder(whole.length());
        for (String piece : pieces) {
            out.append(restorer.next(piece));
        }
        return out.append(restorer.end()).toString();
    }

    @Benchmark
    public String copyStream() {
        StringBuilder out = new StringBuilder(whole.length());
        for (String piece : pieces) {
            out.append(piece);
        }
        return out.toString();
    }

    @Benchmark
    public String restoreWhole() {
        return Restorer.restoreAll(whole, map, Restorer.Encoding.TEXT);
    }

    /** The number of pieces, to turn the per-answer figures into per-piece ones. */
    public int pieces() {
        return pieces.size();
    }
}

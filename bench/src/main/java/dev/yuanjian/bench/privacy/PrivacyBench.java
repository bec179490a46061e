package dev.yuanjian.bench.privacy;

import dev.yuanjian.privacy.rules.Rules;
import dev.yuanjian.bench.privacy.LabelledText.Expected;
import dev.yuanjian.privacy.Analyzer;
import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.Recognizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code privacy [--part all|quality|speed] [--cases N] [--seed S] [--mb M] [--rounds R]}: the rule
 * layer of issue 11 against a regex-per-type peer ({@link RegexBaseline}) in the same run.
 *
 * <p>Quality: the evaluation set ({@link EvalSet}, {@code --cases} per source, default 6,000); a
 * finding counts when its type, start and end equal a labelled span exactly; precision, recall and F1
 * per rule type, with up to three misses and false alarms of ours printed for reading. Speed, on one
 * thread: MB/s of UTF-8 over {@code --mb} MB (default 4) of mixed Chinese and English prose with the
 * evaluation sentences spread through it, twice: densely (an evaluation sentence after every two
 * prose sentences, about one finding per 0.4 KB: a stress case) and as prompts usually are (after
 * every {@value #REALISTIC_PROSE}, about one finding per 1.7 KB), analysed in 64 KiB pieces, median of {@code --rounds}
 * (default 5) after as many warm-up rounds, per second of the thread's CPU time (per core, whatever
 * else the machine runs) and per second of wall clock; and the latency of 1,000-character prompts cut from the
 * same text (p50, p99, max over {@code 20 * rounds} passes of 2,000 prompts; the peer's only on the
 * dense text, where it is slowest, to bound the run's length). Exit status 0, 2 for bad options.
 */
public final class PrivacyBench {
    /** CPU time of the measuring thread: MB/s per core that other processes on a shared machine do not dilute. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Prose sentences between two evaluation sentences in the realistic speed text. */
    private static final int REALISTIC_PROSE = 20;
    private static final String[] PROSE_ZH = {
        "今天的会议讨论了下一季度的产品路线图和预算安排。", "请帮我把这段话改写得更正式一些，用于对外公告。",
        "根据合同第三条，乙方应在收到货款后十个工作日内交付全部设备。", "天气转凉，注意添衣，周末我们去爬山吧。",
        "模型的回答需要引用原文，并且标注出处和页码。", "这份报告总结了用户访谈中发现的五个主要问题。",
        "2024年公司营收同比增长12.5%，净利润3.2亿元。", "第3章介绍了系统架构，第4章给出了性能测试结果。"};
    private static final String[] PROSE_EN = {
        "Please summarise the attached contract in plain English for the board.",
        "The quarterly review covers revenue, churn and the hiring plan for 2025.",
        "Rewrite this paragraph so that it sounds friendlier but keeps every fact.",
        "We measured 3.5 ms at the median and 12 ms at the 99th percentile on 4 cores.",
        "Version 2.3.1 fixes a crash when the input file is empty.",
        "The meeting moved to Thursday at 10:30; bring the draft of section 4.",
        "Translate the following customer email into Chinese and keep the tone.",
        "Order 20240611 shipped on June 12 and should arrive within five days."};

    private PrivacyBench() {
    }

    public static int run(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("privacy: expected --name value, got '" + args[i] + "'");
                return 2;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        String part = options.getOrDefault("part", "all");
        int cases;
        long seed;
        int mb;
        int rounds;
        try {
            cases = Integer.parseInt(options.getOrDefault("cases", "6000"));
            seed = Long.parseLong(options.getOrDefault("seed", "11"));
            mb = Integer.parseInt(options.getOrDefault("mb", "4"));
            rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        } catch (NumberFormatException e) {
            System.err.println("privacy: not a number: " + e.getMessage());
            return 2;
        }
        if (!Set.of("all", "quality", "speed").contains(part) || cases < 1 || mb < 1 || rounds < 1) {
            System.err.println("privacy: --part is all, quality or speed; --cases, --mb, --rounds are positive");
            return 2;
        }
        List<LabelledText> set = EvalSet.build(seed, cases);
        Analyzer ours = new Analyzer(Rules.all());
        Analyzer peer = new Analyzer(RegexBaseline.recognizers());
        System.out.printf(Locale.ROOT, "privacy: %d cases (seed %d); java %s; %d cores visible%n", set.size(), seed,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        if (!part.equals("speed")) {
            quality(set, ours, peer);
        }
        if (!part.equals("quality")) {
            speed(set, ours, peer, mb, rounds, seed);
        }
        return 0;
    }

    /** Counts of one type. */
    private static final class Score {
        int truePositives;
        int falsePositives;
        int falseNegatives;
        final List<String> misses = new ArrayList<>();
        final List<String> falseAlarms = new ArrayList<>();

        double precision() {
            return ratio(truePositives, truePositives + falsePositives);
        }

        double recall() {
            return ratio(truePositives, truePositives + falseNegatives);
        }

        double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        private static double ratio(int a, int b) {
            return b == 0 ? 1 : (double) a / b;
        }
    }

    static void quality(List<LabelledText> set, Analyzer ours, Analyzer peer) {
        Set<EntityType> types = EnumSet.noneOf(EntityType.class);
        for (Recognizer r : ours.recognizers()) {
            types.addAll(r.types());
        }
        Map<EntityType, Score> a = score(set, ours, types);
        Map<EntityType, Score> b = score(set, peer, types);
        System.out.println("\nquality: exact span and type; ours (rule layer) | regex-per-type peer");
        System.out.printf(Locale.ROOT, "%-22s %7s | %9s %7s %7s | %9s %7s %7s%n", "type", "labels", "precision", "recall", "F1",
                "precision", "recall", "F1");
        for (EntityType t : types) {
            Score x = a.get(t);
            Score y = b.get(t);
            System.out.printf(Locale.ROOT, "%-22s %7d | %9.4f %7.4f %7.4f | %9.4f %7.4f %7.4f%n", t, x.truePositives + x.falseNegatives,
                    x.precision(), x.recall(), x.f1(), y.precision(), y.recall(), y.f1());
        }
        for (EntityType t : types) {
            Score x = a.get(t);
            x.misses.forEach(m -> System.out.println("  miss " + t + ": " + m));
            x.falseAlarms.forEach(m -> System.out.println("  false alarm " + t + ": " + m));
        }
    }

    private static Map<EntityType, Score> score(List<LabelledText> set, Analyzer analyzer, Set<EntityType> types) {
        Map<EntityType, Score> scores = new EnumMap<>(EntityType.class);
        types.forEach(t -> scores.put(t, new Score()));
        for (LabelledText c : set) {
            Set<Expected> expected = new HashSet<>();
            for (Expected e : c.expected()) {
                if (types.contains(e.type())) {
                    expected.add(e);
                }
            }
            Set<Expected> matched = new HashSet<>();
            for (Entity e : analyzer.analyze(c.text())) {
                Expected as = new Expected(e.type(), e.start(), e.end());
                Score s = scores.get(e.type());
                if (s == null) {
                    continue;
                }
                if (expected.contains(as)) {
                    s.truePositives++;
                    matched.add(as);
                } else {
                    s.falsePositives++;
                    if (s.falseAlarms.size() < 3) {
                        s.falseAlarms.add("[" + e.in(c.text()) + "] in " + c.text().replace('\n', ' '));
                    }
                }
            }
            for (Expected e : expected) {
                if (!matched.contains(e)) {
                    Score s = scores.get(e.type());
                    s.falseNegatives++;
                    if (s.misses.size() < 3) {
                        s.misses.add("[" + c.text().substring(e.start(), e.end()) + "] in " + c.text().replace('\n', ' '));
                    }
                }
            }
        }
        return scores;
    }

    /** Mixed prose: {@code prose} prose sentences, Chinese or English, between evaluation sentences, until {@code mb} MB. */
    static String corpus(List<LabelledText> set, int mb, long seed, int prose) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        int i = 0;
        while (bytes < mb << 20) {
            StringBuilder piece = new StringBuilder();
            for (int k = 0; k < prose; k++) {
                piece.append(random.nextBoolean() ? PROSE_ZH[random.nextInt(PROSE_ZH.length)] : PROSE_EN[random.nextInt(PROSE_EN.length)] + " ");
            }
            piece.append(set.get(i++ % set.size()).text()).append('\n');
            b.append(piece);
            bytes += piece.toString().getBytes(StandardCharsets.UTF_8).length;
        }
        return b.toString();
    }

    static void speed(List<LabelledText> set, Analyzer ours, Analyzer peer, int mb, int rounds, long seed) {
        speed("dense", corpus(set, mb, seed, 2), ours, peer, rounds, true);
        speed("realistic", corpus(set, mb, seed, REALISTIC_PROSE), ours, peer, rounds, false);
    }

    private static void speed(String label, String text, Analyzer ours, Analyzer peer, int rounds, boolean peerPrompts) {
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 65536) {
            pieces.add(text.substring(i, Math.min(text.length(), i + 65536)));
        }
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i + 1000 <= text.length() && prompts.size() < 2000; i += 997) {
            prompts.add(text.substring(i, i + 1000));
        }
        int findings = pieces.stream().mapToInt(p -> ours.analyze(p).size()).sum();
        System.out.printf(Locale.ROOT, "%nspeed, %s text: one thread; %.2f MB UTF-8 (%d chars) of mixed prose, %d findings by ours "
                + "(one per %.2f KB)%n", label, bytes / 1e6, text.length(), findings, bytes / 1e3 / Math.max(1, findings));
        for (int k = 0; k < 2; k++) {
            Analyzer analyzer = k == 0 ? ours : peer;
            String name = k == 0 ? "ours (rule layer)" : "regex-per-type peer";
            double[] mbps = new double[rounds];
            double[] cpuMbps = new double[rounds];
            for (int round = -rounds; round < rounds; round++) {
                long t0 = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                int sink = 0;
                for (String p : pieces) {
                    sink += analyzer.analyze(p).size();
                }
                long ns = System.nanoTime() - t0;
                long cpu = THREADS.getCurrentThreadCpuTime() - c0;
                if (round >= 0) {
                    mbps[round] = bytes / 1e6 / (ns / 1e9);
                    cpuMbps[round] = bytes / 1e6 / (cpu / 1e9);
                }
                if (sink < 0) {
                    System.out.print("");
                }
            }
            Arrays.sort(mbps);
            Arrays.sort(cpuMbps);
            System.out.printf(Locale.ROOT, "%-20s per CPU-second of this thread: median %.1f MB/s (min %.1f, max %.1f); "
                            + "wall clock: median %.1f MB/s%n", name, cpuMbps[rounds / 2], cpuMbps[0], cpuMbps[rounds - 1], mbps[rounds / 2]);
            if (k == 1 && !peerPrompts) {
                continue;
            }
            long[] latencies = new long[prompts.size() * 20 * rounds];
            for (String p : prompts) {
                analyzer.analyze(p);
            }
            int n = 0;
            for (int pass = 0; pass < 20 * rounds; pass++) {
                for (String p : prompts) {
                    long t0 = System.nanoTime();
                    analyzer.analyze(p);
                    latencies[n++] = System.nanoTime() - t0;
                }
            }
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "%-20s 1,000-char prompt, wall clock: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d runs)%n",
                    name, latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6, latencies[n - 1] / 1e6, n);
        }
    }
}

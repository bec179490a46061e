package dev.yuanjian.bench.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The privacy evaluation set: every case source, built from one seed so every run sees the same cases. */
public final class EvalSet {
    private EvalSet() {
    }

    /** The sources, each asked for its share of cases. */
    static List<CaseSource> sources() {
        return List.of(new RuleCases(),
                new NameCases(new dev.yuanjian.privacy.names.EnglishNameRecognizer().gazetteer()));
    }

    /** The whole set for {@code seed}, about {@code perSource} cases from each source. */
    public static List<LabelledText> build(long seed, int perSource) {
        List<LabelledText> all = new ArrayList<>();
        SplittableRandom root = new SplittableRandom(seed);
        for (CaseSource s : sources()) {
            all.addAll(s.cases(root.split(), perSource));
        }
        return all;
    }
}

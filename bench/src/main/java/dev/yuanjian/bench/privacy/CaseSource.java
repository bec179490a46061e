package dev.yuanjian.bench.privacy;

import java.util.List;
import java.util.random.RandomGenerator;

/** Makes labelled cases from templates; deterministic for a given random generator. */
public interface CaseSource {
    /** Cases of this source, about {@code count} of them. */
    List<LabelledText> cases(RandomGenerator random, int count);
}

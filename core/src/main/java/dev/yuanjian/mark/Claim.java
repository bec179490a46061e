package dev.yuanjian.mark;

/**
 * What a finding says about where the asset came from, for the overall verdict. Marks that only
 * report (a visible label, a watermark score) claim nothing; a mark that binds the asset to a log
 * entry or a producer claims one of these. The verifier turns the strongest claim into the
 * verdict and attaches the log entry and its inclusion proof.
 */
public sealed interface Claim {

    /** Which party of GB 45438 the claim is about. */
    enum Role { PRODUCER, PROPAGATOR }

    /**
     * This service issued the asset as log entry {@code logIndex}, in {@code role}; {@code intact}
     * says whether the asset is still exactly what was logged.
     */
    record Issued(long logIndex, Role role, boolean intact) implements Claim {
    }

    /**
     * A mark that survives when labels are stripped (an invisible watermark of this service's key)
     * names the content ids in [{@code contentIdsFrom}, {@code contentIdsTo}): the asset, or one it
     * was made from, was issued by this service as one of them. It cannot say whether the asset is
     * still as logged.
     *
     * @param mark which mark names them, e.g. "watermark"
     */
    record Traced(String mark, String contentIdsFrom, String contentIdsTo) implements Claim {
    }

    /** A label claims this service (or its key) but does not check: made up or edited. */
    record Forged(Message reason) implements Claim {
    }

    /**
     * A label from another party, whose integrity data this service cannot check.
     *
     * @param party the producer (or propagator) code the label names
     * @param level GB 45438 {@code Label}: "1" is, "2" possibly, "3" suspected AI-generated
     */
    record LabelledElsewhere(String party, Role role, String level, Message reason) implements Claim {
    }
}

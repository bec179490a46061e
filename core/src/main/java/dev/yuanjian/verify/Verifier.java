package dev.yuanjian.verify;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.Containers;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.ledger.TransparencyLog.LoggedEntry;
import dev.yuanjian.mark.AssetDigests;
import dev.yuanjian.mark.Binding;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Digests;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.mark.Mark;
import dev.yuanjian.mark.Marks;
import dev.yuanjian.mark.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every mark's detector on a file, looks it up in the log, and concludes. It knows no mark by
 * name: the verdict comes from the findings' {@link Claim}s, strongest first (forged, then altered,
 * then intact, then labelled by another party); with no claim the file is unlabelled, and the log
 * is searched for its exact hash and its digest. A watermark's claim names content ids, which the log
 * resolves to the entry ({@link Verdict.Traced}).
 */
public final class Verifier {
    private final Containers containers;
    private final Marks marks;
    private final TransparencyLog log;

    public Verifier(Containers containers, Marks marks, TransparencyLog log) {
        this.containers = containers;
        this.marks = marks;
        this.log = log;
    }

    public Report verify(Asset asset) throws FormatException {
        // No container.check(): each detector reads what it needs and fails on what it cannot read;
        // a text file that is not UTF-8 can still be found in the log by its hash.
        Container container = containers.detect(asset.name(), asset.bytes());
        List<Mark> applicable = marks.all().stream().filter(m -> m.appliesTo(container)).toList();
        byte[] exact = Digests.sha256(asset.bytes());
        AssetDigests digests = new AssetDigests(exact, digest(asset, container, applicable, Binding.PRODUCER, exact),
                digest(asset, container, applicable, Binding.PROPAGATOR, exact));
        List<Finding> findings = new ArrayList<>();
        for (Mark mark : applicable) {
            findings.add(mark.detect(asset, container, digests));
        }
        Verdict verdict = conclude(findings, digests);
        List<Message> fileNotes = container.notices(asset).stream().map(n -> new Message(n.en(), n.zh())).toList();
        return new Report(asset.name(), container.format(), container.mediaType(), findings,
                HexFormat.of().formatHex(digests.exact()), HexFormat.of().formatHex(digests.producer()), verdict,
                fileNotes);
    }

    /**
     * What one mark finds in {@code asset}, without the other marks or a verdict ({@code yuanjian
     * watermark detect}); empty when the mark does not apply to the file's format.
     *
     * @throws FormatException when the file cannot be read as its format
     */
    public Optional<Finding> detect(Asset asset, String markName) throws FormatException {
        Container container = containers.detect(asset.name(), asset.bytes());
        Optional<Mark> mark = marks.all().stream().filter(m -> m.name().equals(markName) && m.appliesTo(container))
                .findFirst();
        if (mark.isEmpty()) {
            return Optional.empty();
        }
        byte[] exact = Digests.sha256(asset.bytes());
        return Optional.of(mark.get().detect(asset, container, new AssetDigests(exact, exact, exact)));
    }

    /** {@code binding}'s digest, reusing {@code exact} when no mark leaves anything out. */
    private static byte[] digest(Asset asset, Container container, List<Mark> marks, Binding binding, byte[] exact)
            throws FormatException {
        Asset view = Digests.view(asset, container, marks, binding);
        return view == asset ? exact : Digests.sha256(view.bytes());
    }

    private Verdict conclude(List<Finding> findings, AssetDigests digests) {
        Claim strongest = null;
        for (Finding finding : findings) {
            for (Claim claim : finding.claims()) {
                if (strongest == null || strength(claim) > strength(strongest)) {
                    strongest = claim;
                }
            }
        }
        return switch (strongest) {
            case null -> unlabelled(digests);
            case Claim.Forged f -> new Verdict.Forged(f.reason());
            case Claim.Issued i -> issued(i);
            case Claim.LabelledElsewhere e -> new Verdict.Labelled(e.party(), e.role(), e.level(), e.reason());
            case Claim.Traced t -> traced(t, digests);
        };
    }

    /** Forged outranks altered, which outranks intact; the producer's claim outranks the propagator's. */
    private static int strength(Claim claim) {
        return switch (claim) {
            case Claim.Forged f -> 40;
            case Claim.Issued i -> (i.intact() ? 20 : 30) + (i.role() == Claim.Role.PRODUCER ? 1 : 0);
            case Claim.LabelledElsewhere e -> 10 + (e.role() == Claim.Role.PRODUCER ? 1 : 0);
            // A watermark of our key outweighs another party's label (which anyone can write) but
            // not a label of ours that checks: that one also says whether the content is intact.
            case Claim.Traced t -> 15;
        };
    }

    private Verdict issued(Claim.Issued claim) {
        LoggedEntry entry = log.entry(claim.logIndex()).orElseThrow();
        TransparencyLog.SignedCheckpoint checkpoint = log.checkpointCovering(entry.index());
        TransparencyLog.InclusionProof proof = log.inclusionProof(entry.index(), checkpoint.size());
        return claim.intact()
                ? new Verdict.Intact(entry, proof, checkpoint, claim.role())
                : new Verdict.Altered(entry, proof, checkpoint, claim.role());
    }

    /** The entry the watermark names; unlabelled when this log holds none (another deployment's key). */
    private Verdict traced(Claim.Traced claim, AssetDigests digests) {
        List<LoggedEntry> named = log.findByContentIdRange(claim.contentIdsFrom(), claim.contentIdsTo(), 16);
        if (named.isEmpty()) {
            return unlabelled(digests);
        }
        LoggedEntry entry = named.get(0);
        TransparencyLog.SignedCheckpoint checkpoint = log.checkpointCovering(entry.index());
        return new Verdict.Traced(claim.mark(), entry, log.inclusionProof(entry.index(), checkpoint.size()), checkpoint,
                named.subList(1, named.size()));
    }

    private Verdict unlabelled(AssetDigests digests) {
        Map<Long, LoggedEntry> known = new LinkedHashMap<>();
        for (LoggedEntry entry : log.findBySha256(digests.exact())) {
            known.put(entry.index(), entry);
        }
        if (!Arrays.equals(digests.exact(), digests.producer())) {
            for (LoggedEntry entry : log.findBySha256(digests.producer())) {
                known.put(entry.index(), entry);
            }
        }
        return new Verdict.Unlabelled(List.copyOf(known.values()));
    }
}

package dev.yuanjian.cli;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.mark.Fact;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.verify.Report;
import dev.yuanjian.verify.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "verify",
        description = {"Read files' AI-generation labels and check them against the log.",
                "Tells apart: labelled here and intact, labelled here but altered, label forged,",
                "labelled by another producer or platform (not checkable here), unlabelled.",
                "Every mark is reported: the GB 45438 implicit and visible labels, and any",
                "installed mark. One FILE gets the full report; several files, a directory (-r)",
                "or a quoted glob get one line per file in path order, then a summary."},
        footer = {"", "Examples:",
                "  yuanjian verify report.labelled.md",
                "  yuanjian verify story.txt --sidecar story.txt.aigc.json --json",
                "  yuanjian verify -r uploads/           every file under uploads/",
                "  yuanjian verify 'docs/**/*.md' --json  JSON Lines, one object per file",
                "",
                "Many files: every core works on them. Each line reads PATH: OUTCOME reason;",
                "a file that cannot be read, is of an unsupported format or is corrupt gets",
                "ERROR, UNSUPPORTED or INVALID and the others go on. A quoted glob is expanded",
                "here ('**' spans directories). Walking skips hidden files, *.aigc.json",
                "sidecars (each FILE.aigc.json is read with its file) and symbolic links met",
                "on the way. --json then prints one {\"type\":\"file\", \"path\", \"outcome\",",
                "\"exitCode\", ...} object per file (the one-file report, or \"error\") and a",
                "last {\"type\":\"summary\", \"files\", \"outcomes\", \"exitCode\"}; -j N sets",
                "how many files are processed at once. One FILE with --json prints one object.",
                "Files are read whole: the largest accepted is the smaller of 1 GiB and a",
                "quarter of the Java heap (512 MiB with the launcher's -Xmx2g; more with",
                "YUANJIAN_JAVA_OPTS=-Xmx8g); a larger one is an error line, exit 3.",
                "", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "files, directories (with -r) or quoted globs")
    private List<String> files;

    @Mixin
    private ManyFilesOptions many;

    @Mixin
    private SidecarOption sidecar;

    @Mixin
    private JsonOption json;

    /** The one file of the detailed report. */
    private Path input;

    @Override
    public Integer call() throws Exception {
        if (!Inputs.single(files, many.recursive())) {
            return verifyMany();
        }
        input = Path.of(files.get(0));
        Asset asset = new Asset(input.getFileName().toString(), main.limits().read(input),
                sidecar.read(input, main.limits()));
        try (Yuanjian app = main.openForReading()) {
            Report report = app.verifier().verify(asset);
            print(report);
            return exitCode(report.verdict());
        }
    }

    private int verifyMany() throws Exception {
        if (sidecar.given()) {
            throw new Main.UserError(ExitCodes.USAGE, "--sidecar names the sidecar of one FILE; with several files, "
                    + "each FILE.aigc.json beside its file is read");
        }
        int jobs = many.jobs();
        List<Inputs.Input> inputs = Inputs.expand(files, many.recursive(), path -> false);
        try (Yuanjian app = main.openForReading()) {
            return new Batch(main, jobs, json.enabled()).run(inputs, file -> {
                Report report = app.verifier().verify(new Asset(file.getFileName().toString(), main.limits().read(file),
                        sidecar.read(file, main.limits())));
                // The JSON view costs as much as a log lookup: made only when it is printed.
                return Batch.Outcome.of(file, report.verdict().kind(), reason(report.verdict()),
                        exitCode(report.verdict()), json.enabled() ? JsonViews.report(report) : null);
            });
        }
    }

    /** The short reason on a file's line of a many-file run. */
    static String reason(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Intact i -> "log entry " + i.entry().index()
                    + (i.role() == dev.yuanjian.mark.Claim.Role.PROPAGATOR ? " (propagated by this service)" : "");
            case Verdict.Altered a -> "changed since log entry " + a.entry().index();
            case Verdict.Forged f -> f.reason().en();
            case Verdict.Labelled l -> "level " + l.level() + " by " + (l.role() == dev.yuanjian.mark.Claim.Role.PRODUCER
                    ? "producer " : "platform ") + l.party() + ", not checkable here";
            case Verdict.Traced t -> "no intact label; its watermark names log entry " + t.entry().index();
            case Verdict.Unlabelled u -> u.knownToLog().isEmpty() ? "no label"
                    : "no label, but the log knows this exact content (entry " + u.knownToLog().get(0).index() + ")";
        };
    }

    static int exitCode(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Intact i -> ExitCodes.OK;
            case Verdict.Altered a -> ExitCodes.ALTERED;
            case Verdict.Forged f -> ExitCodes.FORGED;
            case Verdict.Labelled l -> ExitCodes.LABELLED_ELSEWHERE;
            case Verdict.Traced t -> ExitCodes.TRACED;
            case Verdict.Unlabelled u -> ExitCodes.UNLABELLED;
        };
    }

    private void print(Report report) throws Exception {
        PrintWriter w = main.out();
        if (json.enabled()) {
            main.printJson(JsonViews.report(report));
            return;
        }
        Verdict verdict = report.verdict();
        w.printf("%s: %s%n", Escape.of(input), verdict.kind().toUpperCase(Locale.ROOT));
        w.printf("  %s%n", Escape.of(JsonViews.Summaries.english(verdict)));
        w.printf("  %s%n", Escape.of(JsonViews.Summaries.chinese(verdict)));
        w.printf("  format          %s (%s)%n", report.format(), report.mediaType());
        // Every finding the same way, whatever mark made it: its summary, then its facts.
        for (Finding finding : report.findings()) {
            w.printf("  %-17s %s%n", finding.mark(), Escape.of(finding.summary().en()));
            for (Fact fact : finding.facts()) {
                // A fact's value is read from the file: whatever its author put there.
                w.printf("    %-15s %s%n", fact.name(), Escape.of(fact.value()));
            }
        }
        w.printf("  sha256          %s%n", report.sha256());
        switch (verdict) {
            case Verdict.Intact i -> printLog(w, i.entry(), i.proof(), i.checkpoint());
            case Verdict.Altered a -> printLog(w, a.entry(), a.proof(), a.checkpoint());
            case Verdict.Forged f -> w.printf("  reason          %s%n  原因            %s%n", Escape.of(f.reason().en()),
                    Escape.of(f.reason().zh()));
            case Verdict.Labelled l -> w.printf("  reason          %s%n  原因            %s%n", Escape.of(l.reason().en()),
                    Escape.of(l.reason().zh()));
            case Verdict.Traced t -> {
                printLog(w, t.entry(), t.proof(), t.checkpoint());
                t.others().forEach(e -> w.printf("  also fits       entry %d, content id %s%n", e.index(), e.record().contentId()));
            }
            case Verdict.Unlabelled u -> u.knownToLog().forEach(e ->
                    w.printf("  known to log    entry %d, content id %s, %s%n", e.index(), e.record().contentId(),
                            e.record().time()));
        }
        report.notes().forEach(note -> w.printf("  note            %s%n", note.en()));
    }

    private static void printLog(PrintWriter w, dev.yuanjian.ledger.TransparencyLog.LoggedEntry entry,
                                 dev.yuanjian.ledger.TransparencyLog.InclusionProof proof,
                                 dev.yuanjian.ledger.TransparencyLog.SignedCheckpoint checkpoint) {
        w.printf("  log entry       %d (content %s, model %s, %s)%n", entry.index(), entry.record().contentId(),
                entry.record().model(), entry.record().time());
        w.printf("  logged digest   %s%n", entry.record().sha256());
        w.printf("  inclusion       proven in tree of %d entries, root %s (%d hashes)%n", proof.treeSize(),
                java.util.Base64.getEncoder().encodeToString(proof.rootHash()), proof.path().size());
        w.printf("  checkpoint      %s, size %d, signed%n", checkpoint.origin(), checkpoint.size());
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

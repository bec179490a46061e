package dev.yuanjian.cli;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.ledger.TransparencyLog;
import java.io.PrintWriter;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "log",
        description = "Inspect and audit the transparency log.",
        subcommands = {LogCommand.Verify.class, LogCommand.Proof.class, LogCommand.Checkpoint.class},
        footer = {"", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class LogCommand extends CommandGroup {

    @Command(name = "verify",
            description = {"Recompute the whole tree from the stored entries and check every stored hash and checkpoint.",
                    "An altered, removed or reordered entry is reported with its index (exit 13)."},
            mixinStandardHelpOptions = true)
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        private LogCommand log;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = log.main().out();
            try (Yuanjian app = log.main().openForReading()) {
                long started = System.nanoTime();
                TransparencyLog.AuditReport report = app.log().audit();
                double seconds = (System.nanoTime() - started) / 1e9;
                if (json.enabled()) {
                    log.main().printJson(JsonViews.audit(report));
                } else if (report.intact()) {
                    w.printf("log intact: %d entries recomputed, %d checkpoints checked (%.1f s)%n",
                            report.entries(), report.checkpointsChecked(), seconds);
                } else {
                    w.printf("LOG TAMPERED: %d problem(s) in %d entries%n", report.problems().size(), report.entries());
                    for (TransparencyLog.Problem p : report.problems()) {
                        String where = p.index() >= 0 ? "entry " + p.index() : "checkpoint of size " + p.checkpointSize();
                        w.printf("  %-24s %s%n", where, p.description());
                    }
                }
                return report.intact() ? ExitCodes.OK : ExitCodes.LOG_TAMPERED;
            }
        }
    }

    @Command(name = "proof",
            description = "Print the log entry of a content id (or index) and its inclusion proof in the latest checkpoint.",
            mixinStandardHelpOptions = true)
    static final class Proof implements Callable<Integer> {
        @ParentCommand
        private LogCommand log;

        @Parameters(index = "0", paramLabel = "ID", description = "a content id (ProduceID), or a log index")
        private String id;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = log.main().out();
            try (Yuanjian app = log.main().openForReading()) {
                TransparencyLog.LoggedEntry entry = find(app.log(), id);
                TransparencyLog.SignedCheckpoint checkpoint = app.log().checkpoint();
                TransparencyLog.InclusionProof proof = app.log().inclusionProof(entry.index(), checkpoint.size());
                if (json.enabled()) {
                    log.main().printJson(JsonViews.logged(entry, proof, checkpoint));
                    return ExitCodes.OK;
                }
                var r = entry.record();
                w.printf("entry %d%n", entry.index());
                w.printf("  content id    %s%n  media type    %s%n  sha256        %s%n  producer      %s%n"
                                + "  model         %s%n  time          %s%n  prompt digest %s%n",
                        r.contentId(), r.mediaType(), r.sha256(), r.producer(), r.model(), r.time(),
                        r.promptDigest().isEmpty() ? "(none)" : r.promptDigest());
                w.printf("  leaf hash     %s%n", b64(entry.leafHash()));
                w.printf("inclusion proof in tree of %d entries%n", proof.treeSize());
                for (byte[] hash : proof.path()) {
                    w.printf("  %s%n", b64(hash));
                }
                w.printf("root %s%n%nsigned checkpoint:%n%s", b64(proof.rootHash()), checkpoint.note());
                return ExitCodes.OK;
            }
        }

        private static TransparencyLog.LoggedEntry find(TransparencyLog log, String id) {
            if (id.chars().allMatch(Character::isDigit) && id.length() < 19) {
                return log.entry(Long.parseLong(id)).orElseThrow(() ->
                        new Main.UserError(ExitCodes.NOT_FOUND, "the log has no entry " + id + " (size " + log.size() + ")"));
            }
            return log.findByContentId(id).orElseThrow(() ->
                    new Main.UserError(ExitCodes.NOT_FOUND, "the log has no entry for content id " + id));
        }
    }

    @Command(name = "checkpoint",
            description = {"Print the latest signed checkpoint (C2SP signed note) and the key that verifies it.",
                    "A data directory where nothing was labelled yet has no log: exit 5, nothing created."},
            mixinStandardHelpOptions = true)
    static final class Checkpoint implements Callable<Integer> {
        @ParentCommand
        private LogCommand log;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = log.main().out();
            try (Yuanjian app = log.main().openForReading()) {
                if (Main.nothingStored(app)) {
                    // A checkpoint signed now would be by a throwaway key: worthless to anyone checking later.
                    throw new Main.UserError(ExitCodes.NOT_FOUND, "no log yet in " + app.home().dir()
                            + ": nothing has been labelled there (label a file or run `yuanjian serve` first)");
                }
                TransparencyLog.SignedCheckpoint checkpoint = app.log().checkpoint();
                if (json.enabled()) {
                    var node = JsonViews.checkpoint(checkpoint);
                    node.put("verifierKey", app.log().verifierKey());
                    log.main().printJson(node);
                } else {
                    w.print(checkpoint.note());
                    w.printf("%nverifier key: %s%n", app.log().verifierKey());
                }
                return ExitCodes.OK;
            }
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}

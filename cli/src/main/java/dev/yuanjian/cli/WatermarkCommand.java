package dev.yuanjian.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.ledger.TransparencyLog.LoggedEntry;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Fact;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.watermark.WatermarkMark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "watermark",
        description = {"Look for the invisible watermark every labelled PNG and JPEG carries.",
                "It names the image's log entry and survives metadata stripping, re-compression,",
                "resizing and cropping (docs/watermark.md)."},
        subcommands = {WatermarkCommand.Detect.class},
        footer = {"", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class WatermarkCommand extends CommandGroup {

    @Command(name = "detect",
            description = {"Find this service's invisible watermark in a PNG, JPEG or WebP, and its log entry.",
                    "Uses keys/watermark.key of the data directory; only images marked with that key",
                    "are found. An image without it is reported as such, with a false-positive bound",
                    "of 7e-10 per image."},
            footer = {"", "Examples:",
                    "  yuanjian watermark detect downloaded.jpg",
                    "  yuanjian watermark detect screenshot-crop.png --json",
                    "", "Exit codes: 0 watermark found; 16 none found (or too small to tell);",
                    "3 not a PNG or JPEG, or pixels that cannot be decoded; 4 the file or the key",
                    "cannot be read."},
            mixinStandardHelpOptions = true)
    static final class Detect implements Callable<Integer> {
        @ParentCommand
        private WatermarkCommand group;

        @Parameters(paramLabel = "FILE", description = "a PNG, JPEG or WebP image")
        private Path file;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            Main main = group.main();
            Asset asset = Asset.of(file.getFileName().toString(), main.limits().read(file));
            try (Yuanjian app = main.openForReading()) {
                Finding finding = app.verifier().detect(asset, WatermarkMark.NAME).orElseThrow(() -> new Main.UserError(
                        ExitCodes.BAD_INPUT, file + " is not an image the watermark is read from (PNG, JPEG or WebP)"));
                List<LoggedEntry> entries = finding.claims().stream()
                        .filter(Claim.Traced.class::isInstance).map(Claim.Traced.class::cast)
                        .flatMap(t -> app.log().findByContentIdRange(t.contentIdsFrom(), t.contentIdsTo(), 16).stream())
                        .toList();
                print(main, finding, entries);
                if (finding instanceof WatermarkMark.WatermarkFinding w && w.problem().isPresent()) {
                    return switch (w.problem().get()) {
                        case WatermarkMark.Unlooked.KeyUnavailable key -> ExitCodes.IO;
                        case WatermarkMark.Unlooked.Undecodable pixels -> ExitCodes.BAD_INPUT;
                    };
                }
                return finding.present() ? ExitCodes.OK : ExitCodes.NO_WATERMARK;
            }
        }

        private void print(Main main, Finding finding, List<LoggedEntry> entries) throws Exception {
            if (json.enabled()) {
                ObjectNode node = JsonViews.mapper().createObjectNode();
                node.put("file", file.toString());
                node.set("watermark", JsonViews.mapper().valueToTree(finding.view()));
                ArrayNode log = node.putArray("logEntries");
                for (LoggedEntry entry : entries) {
                    log.addObject().put("index", entry.index()).put("contentId", entry.record().contentId())
                            .put("time", entry.record().time().toString()).put("model", entry.record().model());
                }
                main.printJson(node);
                return;
            }
            PrintWriter w = main.out();
            boolean couldNotLook = finding instanceof WatermarkMark.WatermarkFinding f && f.problem().isPresent();
            w.printf("%s: %s%n", Escape.of(file.toString()),
                    finding.present() ? "WATERMARKED" : couldNotLook ? "CANNOT TELL" : "NO WATERMARK");
            w.printf("  %s%n  %s%n", finding.summary().en(), finding.summary().zh());
            for (Fact fact : finding.facts()) {
                w.printf("  %-15s %s%n", fact.name(), Escape.of(fact.value()));
            }
            for (LoggedEntry entry : entries) {
                w.printf("  log entry       %d, content id %s, %s, model %s%n", entry.index(),
                        entry.record().contentId(), entry.record().time(), Escape.of(entry.record().model()));
            }
            if (finding.present() && entries.isEmpty()) {
                w.printf("  log entry       none in this log (marked by another deployment sharing the key?)%n");
            }
        }
    }
}

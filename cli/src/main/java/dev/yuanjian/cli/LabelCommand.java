package dev.yuanjian.cli;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "label",
        description = {"Add the GB 45438 explicit and implicit labels to a document and record it in the log.",
                "Formats: Markdown (.md), Word (.docx), PDF (.pdf), PNG, JPEG, plain text (.txt, label in a sidecar NAME.aigc.json).",
                "Writes NAME.labelled.EXT beside FILE, or OUT."},
        footer = {"", "Examples:",
                "  yuanjian label report.md -o report.labelled.md",
                "  yuanjian label letter.docx -o out/letter.docx --model deepseek-chat --json",
                "", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class LabelCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "FILE", description = "the document to label")
    private Path input;

    @Mixin
    private OutputOptions output;

    @Option(names = "--no-explicit", description = "write only the metadata label, no visible one")
    private boolean noExplicit;

    @Option(names = "--model", paramLabel = "MODEL", description = "the model that generated the content (recorded in the log)")
    private String model;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        Path out = output.target(input, "labelled");
        byte[] bytes = Files.readAllBytes(input);
        String name = input.getFileName().toString();
        try (Yuanjian app = main.open()) {
            Pipeline.Result result = app.pipeline().label(new Pipeline.Request(Asset.of(name, bytes),
                    noExplicit ? Set.of(ExplicitLabelMark.NAME) : Set.of(), model, Optional.empty()));
            Home.writeAtomically(out, result.labelled().bytes(), false);
            Path sidecar = null;
            if (result.labelled().sidecar().isPresent()) {
                sidecar = SidecarOption.of(out);
                Home.writeAtomically(sidecar, result.labelled().sidecar().get(), false);
            }
            print(app, result, out, sidecar);
        }
        return ExitCodes.OK;
    }

    private void print(Yuanjian app, Pipeline.Result result, Path out, Path sidecar) throws Exception {
        PrintWriter w = main.out();
        if (json.enabled()) {
            var node = JsonViews.labelled(result, out.toString());
            if (sidecar != null) {
                node.put("sidecar", sidecar.toString());
            }
            main.printJson(node);
            return;
        }
        w.printf("Labelled %s -> %s%n", input, out);
        if (sidecar != null) {
            w.printf("  label sidecar  %s%n", sidecar);
        }
        w.printf("  format         %s (%s)%n", result.format(), result.mediaType());
        w.printf("  content id     %s%n", result.contentId());
        w.printf("  log index      %d%n", result.logIndex());
        w.printf("  producer       %s%s%n", result.label().contentProducer(),
                app.settings().producerRegistered() ? "" : "  (placeholder: set producer.code in config.yaml)");
        w.printf("  visible label  %s%n", noExplicit ? "none (--no-explicit)" : visiblePlacement(app, result.mediaType()));
        w.printf("  marks          %s%n", String.join(", ", result.marks()));
        w.printf("Check it with: yuanjian verify %s%n", out);
    }

    private static String visiblePlacement(Yuanjian app, String mediaType) {
        if (mediaType.startsWith("image/")) {
            return "drawn in the bottom-right corner";
        }
        return "added at the " + app.settings().explicit().position().name().toLowerCase(java.util.Locale.ROOT);
    }
}

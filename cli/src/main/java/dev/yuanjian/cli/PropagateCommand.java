package dev.yuanjian.cli;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.pipeline.Pipeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "propagate",
        description = {"As a distributing platform, add this service to a file's label and log it.",
                "Adds the propagator fields (ContentPropagator, PropagateID, ReservedCode2) to the file's",
                "GB 45438 label and records the event in the log.",
                "The producer's fields and seal are left as they are. A file without a label gets one with",
                "--level 2 (possibly AI-generated) or 3 (suspected), as the platform classifies it (Measures Art. 6).",
                "Writes NAME.propagated.EXT beside FILE, or OUT."},
        footer = {"", "Examples:",
                "  yuanjian propagate upload.png -o published.png",
                "  yuanjian propagate essay.md --level 3 -o essay.published.md --json",
                "", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class PropagateCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "FILE", description = "the received file")
    private Path input;

    @Mixin
    private OutputOptions output;

    @Option(names = "--level", paramLabel = "2|3",
            description = "for an unlabelled file: 2 = possibly, 3 = suspected AI-generated")
    private String level;

    @Mixin
    private SidecarOption sidecar;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (level != null && !level.equals("2") && !level.equals("3")) {
            throw new Main.UserError(ExitCodes.USAGE, "--level must be 2 (possibly) or 3 (suspected AI-generated), got '"
                    + level + "'");
        }
        Path out = output.target(input, "propagated");
        Asset asset = new Asset(input.getFileName().toString(), main.limits().read(input),
                sidecar.read(input, main.limits()));
        try (Yuanjian app = main.open()) {
            Pipeline.Result result = app.pipeline().propagate(asset, Optional.ofNullable(level));
            Path writtenSidecar = output.write(out, result.labelled().bytes(), result.labelled().sidecar());
            PrintWriter w = main.out();
            if (json.enabled()) {
                var node = JsonViews.labelled(result, out.toString());
                if (writtenSidecar != null) {
                    node.put("sidecar", writtenSidecar.toString());
                }
                main.printJson(node);
                return ExitCodes.OK;
            }
            w.printf("Propagated %s -> %s%n", Escape.of(input), Escape.of(out));
            if (writtenSidecar != null) {
                w.printf("  label sidecar  %s%n", Escape.of(writtenSidecar));
            }
            w.printf("  format         %s (%s)%n", result.format(), result.mediaType());
            // The producer's fields come from the input file, as its author wrote them.
            w.printf("  label          Label=%s ContentProducer=%s ProduceID=%s%n", Escape.of(result.label().label()),
                    Escape.of(orNone(result.label().contentProducer())), Escape.of(orNone(result.label().produceId())));
            w.printf("  propagate id   %s%n", result.contentId());
            w.printf("  log index      %d%n", result.logIndex());
            w.printf("Check it with: yuanjian verify %s%n", Escape.of(out));
        }
        return ExitCodes.OK;
    }

    private static String orNone(String value) {
        return value.isEmpty() ? "(none)" : value;
    }
}

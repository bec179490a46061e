package dev.yuanjian.cli;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.c2pa.C2paMark;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.pipeline.Pipeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "label",
        description = {"Add the GB 45438 explicit and implicit labels to documents and log each.",
                "Formats: Markdown (.md), Word (.docx), PDF (.pdf), PNG, JPEG, WebP (metadata and",
                "C2PA only, no visible label), plain text (.txt, label in a sidecar NAME.aigc.json).",
                "Writes NAME.labelled.EXT beside FILE, or OUT.",
                "Several files, a directory (-r) or a quoted glob: each output beside its input,",
                "or below the directory OUT; one line per file, then a summary."},
        footer = {"", "Examples:",
                "  yuanjian label report.md -o report.labelled.md",
                "  yuanjian label letter.docx -o out/letter.docx --model deepseek-chat --json",
                "  yuanjian label -r drafts/ -o published/   writes published/drafts/...",
                "  yuanjian label 'images/*.png'             writes images/NAME.labelled.png",
                "",
                "Many files: OUT must be an existing directory; each output takes its input's",
                "path below it as named (for an input outside the working directory: its path",
                "below the argument, under the argument's name). An input is never replaced,",
                "an existing output only with --force, not even one another run writes at",
                "the same moment; outputs are written whole (temporary file, then linked or",
                "moved into place), and a file is logged only once its output is known",
                "writable. The list of files is made before anything is written. Walking skips",
                "hidden files, *.aigc.json sidecars, earlier outputs (*.labelled.*), OUT",
                "itself and symbolic links met on the way. A file that fails gets ERROR,",
                "UNSUPPORTED or INVALID on its line and the others go on. --json prints JSON",
                "Lines as verify does.",
                "Files are read whole: the largest accepted is the smaller of 1 GiB and a",
                "quarter of the Java heap (512 MiB with the launcher's -Xmx2g; more with",
                "YUANJIAN_JAVA_OPTS=-Xmx8g); a larger one is an error line, exit 3.",
                "", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class LabelCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "documents, directories (with -r) or quoted globs")
    private List<String> files;

    @Mixin
    private ManyFilesOptions many;

    /** The one file of the detailed report. */
    private Path input;

    @Mixin
    private OutputOptions output;

    @Option(names = "--no-explicit", description = "write only the metadata label, no visible one")
    private boolean noExplicit;

    @Option(names = "--no-c2pa", description = "no C2PA Content Credentials in images (the GB 45438 labels stay); an image's "
            + "earlier ones are removed, as labelling would break them")
    private boolean noC2pa;

    @Option(names = "--no-watermark", description = "no invisible watermark in PNG and JPEG images (pixels outside the "
            + "visible label stay exactly as they were; a stripped copy can then not be traced)")
    private boolean noWatermark;

    @Option(names = "--model", paramLabel = "MODEL", description = "the model that generated the content (recorded in the log)")
    private String model;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (!Inputs.single(files, many.recursive())) {
            return labelMany();
        }
        input = Path.of(files.get(0));
        Path out = output.target(input, "labelled");
        byte[] bytes = main.limits().read(input);
        try (Yuanjian app = main.open()) {
            Pipeline.Result result = label(app, input.getFileName().toString(), bytes);
            print(app, result, out, write(result, out));
        }
        return ExitCodes.OK;
    }

    /** Labels and logs one document with this command's options. */
    private Pipeline.Result label(Yuanjian app, String name, byte[] bytes) throws Exception {
        Set<String> omit = new java.util.HashSet<>();
        if (noExplicit) {
            omit.add(ExplicitLabelMark.NAME);
        }
        if (noC2pa) {
            omit.add(C2paMark.NAME);
        }
        if (noWatermark) {
            omit.add(dev.yuanjian.watermark.WatermarkMark.NAME);
        }
        return app.pipeline().label(new Pipeline.Request(Asset.of(name, bytes), omit, model, Optional.empty()));
    }

    /** Writes the labelled file whole to {@code out}, and its sidecar beside it if it has one (returned, else null). */
    private Path write(Pipeline.Result result, Path out) throws java.io.IOException {
        return output.write(out, result.labelled().bytes(), result.labelled().sidecar());
    }

    private int labelMany() throws Exception {
        int jobs = many.jobs();
        Optional<Path> directory = output.directory();
        Path excluded = directory.map(d -> d.toAbsolutePath().normalize()).orElse(null);
        List<Inputs.Input> inputs = Inputs.expand(files, many.recursive(), walked -> earlierOutput(walked)
                || walked.toAbsolutePath().normalize().equals(excluded));
        Set<Path> sources = new HashSet<>();
        Map<Path, Path> targets = new HashMap<>();
        Map<Path, Path> writers = new HashMap<>();
        for (Inputs.Input in : inputs) {
            sources.add(in.path().toAbsolutePath().normalize());
            Path target = directory.map(d -> d.resolve(in.mirrored())).orElseGet(() -> OutputOptions.beside(in.path(), "labelled"));
            Path other = writers.put(target.toAbsolutePath().normalize(), in.path());
            if (other != null) {
                throw new Main.UserError(ExitCodes.USAGE, other + " and " + in.path() + " would both be written to " + target
                        + "; label them in separate runs");
            }
            targets.put(in.path(), target);
        }
        try (Yuanjian app = main.open()) {
            return new Batch(main, jobs, json.enabled()).run(inputs, file -> {
                Path out = targets.get(file);
                Path sidecarOut = SidecarOption.of(out);
                if (sources.contains(out.toAbsolutePath().normalize()) || sources.contains(sidecarOut.toAbsolutePath().normalize())) {
                    throw new Main.UserError(ExitCodes.IO, "would replace the input " + out + "; "
                            + output.remedy(out, true));
                }
                output.checkWritable(out);
                Pipeline.Result result = label(app, file.getFileName().toString(), main.limits().read(file));
                Path sidecar = write(result, out);
                var node = JsonViews.labelled(result, out.toString());
                if (sidecar != null) {
                    node.put("sidecar", sidecar.toString());
                }
                return Batch.Outcome.of(file, "labelled", "-> " + out + (sidecar == null ? "" : " + " + sidecar.getFileName())
                        + " (log index " + result.logIndex() + ")" + result.notices().stream()
                        .map(n -> "; notice: " + n.en()).collect(java.util.stream.Collectors.joining()), ExitCodes.OK, node);
            });
        }
    }

    /** A file an earlier run wrote beside its input ({@code NAME.labelled.EXT}): labelling it again would fail. */
    private static boolean earlierOutput(Path walked) {
        String name = walked.getFileName() == null ? "" : walked.getFileName().toString();
        return name.contains(".labelled.") || name.endsWith(".labelled");
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
        w.printf("Labelled %s -> %s%n", Escape.of(input), Escape.of(out));
        if (sidecar != null) {
            w.printf("  label sidecar  %s%n", Escape.of(sidecar));
        }
        w.printf("  format         %s (%s)%n", result.format(), result.mediaType());
        w.printf("  content id     %s%n", result.contentId());
        w.printf("  log index      %d%n", result.logIndex());
        w.printf("  producer       %s%s%n", result.label().contentProducer(),
                app.settings().producerRegistered() ? "" : "  (placeholder: set producer.code in config.yaml)");
        w.printf("  visible label  %s%n", noExplicit ? "none (--no-explicit)" : visiblePlacement(app, result));
        w.printf("  marks          %s%n", String.join(", ", result.marks()));
        if (result.alreadyPresent().contains(dev.yuanjian.watermark.WatermarkMark.NAME)) {
            w.printf("  watermark      already present from an earlier labelling: stripped copies trace to that entry%n");
        }
        result.notices().forEach(n -> w.printf("  notice         %s%n", n.en()));
        w.printf("Check it with: yuanjian verify %s%n", Escape.of(out));
    }

    private static String visiblePlacement(Yuanjian app, Pipeline.Result result) {
        if (result.alreadyPresent().contains(ExplicitLabelMark.NAME)) {
            return "already present (left as it was, nothing drawn)";
        }
        if (result.notices().stream().anyMatch(n -> n.en().startsWith("no visible label"))) {
            return "none (see the notice below)";
        }
        if (!result.marks().contains(ExplicitLabelMark.NAME)) {
            // WebP: the JDK decodes no WebP, so nothing can be drawn; the metadata label and C2PA carry it.
            return "none: cannot be drawn on " + result.format().toUpperCase(java.util.Locale.ROOT)
                    + " here (the metadata label" + (result.marks().contains(C2paMark.NAME) ? " and C2PA carry it)" : " carries it)");
        }
        if (result.mediaType().startsWith("image/")) {
            return "drawn in the bottom-right corner";
        }
        return "added at the " + app.settings().explicit().position().name().toLowerCase(java.util.Locale.ROOT);
    }
}

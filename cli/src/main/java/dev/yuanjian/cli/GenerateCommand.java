package dev.yuanjian.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.gateway.ChatRequest;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.gateway.GatewayError;
import dev.yuanjian.gateway.Outcome;
import dev.yuanjian.model.Backend;
import dev.yuanjian.pipeline.Pipeline;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "generate",
        description = {"Ask a model and get the answer labelled and logged.",
                "The same pipeline as the gateway's /v1/chat/completions (routing, fallbacks, GB 45438 label,",
                "log entry).",
                "Prints the text, or writes it to OUT and its label to OUT.aigc.json;",
                "--json prints the full answer: OpenAI's JSON plus the aigc object."},
        footer = {"", "Examples:",
                "  yuanjian generate \"写一首关于春天的诗\"",
                "  yuanjian generate \"Summarise GB 45438\" --model deepseek-chat -o summary.txt   (also writes summary.txt.aigc.json)",
                "", "Models: the models: list in config.yaml, or YUANJIAN_OPENAI_BASE_URL + YUANJIAN_MODEL, or a local Ollama.",
                "", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class GenerateCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "PROMPT", description = "what to ask")
    private String prompt;

    @Option(names = "--model", paramLabel = "MODEL", description = "a configured model name (default: the first)")
    private String model;

    @Mixin
    private OutputOptions output;

    @Option(names = "--explicit", negatable = true,
            description = "add the visible label to the text (default: gateway.explicitLabel in config.yaml)")
    private Boolean explicit;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        Optional<Path> out = output.given();
        try (Yuanjian app = main.open()) {
            Gateway gateway = app.gateway();
            String chosen = model != null ? model : gateway.config().backends().stream().filter(b -> b.serves(Backend.Endpoint.CHAT))
                    .map(Backend::publicName).findFirst()
                    .orElseThrow(() -> new Main.UserError(ExitCodes.MODEL, gateway.describeBackends()));
            ObjectNode body = JsonViews.mapper().createObjectNode();
            body.put("model", chosen);
            body.putArray("messages").addObject().put("role", "user").put("content", prompt);
            Outcome outcome = gateway.chat(ChatRequest.of(body, Optional.ofNullable(explicit)));
            return switch (outcome) {
                case Outcome.Completed done -> print(done, out);
                case Outcome.Failed failed -> throw failure(failed.error());
                case Outcome.Streamed s -> throw new IllegalStateException("generate does not stream");
            };
        }
    }

    private int print(Outcome.Completed done, Optional<Path> out) throws Exception {
        PrintWriter w = main.out();
        Pipeline.Result result = done.outputs().getFirst();
        if (out.isPresent()) {
            Path output = out.get();
            // Text that looks like another format is logged but gets no sidecar; the label is the same.
            Path sidecar = this.output.write(output, result.labelled().bytes(), Optional.of(result.labelled().sidecar()
                    .orElse(result.label().toWrappedJson().getBytes(StandardCharsets.UTF_8))));
            if (!json.enabled()) {
                w.printf("Wrote %s and its label %s%n  content id  %s%n  log index   %d%nCheck it with: yuanjian verify %s%n",
                        Escape.of(output), Escape.of(sidecar), result.contentId(), result.logIndex(), Escape.of(output));
            }
        }
        if (json.enabled()) {
            w.println(JsonViews.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(done.body()));
        } else if (out.isEmpty()) {
            w.println(new String(result.labelled().bytes(), StandardCharsets.UTF_8));
            main.err().printf("[content id %s, log index %d]%n", result.contentId(), result.logIndex());
        }
        return ExitCodes.OK;
    }

    private static Main.UserError failure(GatewayError e) {
        int code = switch (e.status()) {
            case 404 -> ExitCodes.NOT_FOUND;
            case 400, 413 -> ExitCodes.USAGE;
            default -> ExitCodes.MODEL;
        };
        return new Main.UserError(code, e.getMessage());
    }
}

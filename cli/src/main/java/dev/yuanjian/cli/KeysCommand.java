package dev.yuanjian.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.ApiKeys;
import dev.yuanjian.keys.Scope;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "keys",
        description = {"Manage the gateway's API keys.",
                "Without any key the gateway serves only this machine; once a key exists every /v1 request",
                "needs one (Authorization: Bearer yj_...)."},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class},
        footer = {"", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class KeysCommand extends CommandGroup {

    static ApiKeys store(Yuanjian app) {
        return app.apiKeys();
    }

    static ObjectNode json(ApiKey key) {
        ObjectNode node = JsonViews.mapper().createObjectNode();
        node.put("id", key.id());
        node.put("name", key.name());
        node.put("scopes", Scope.format(key.scopes()));
        node.put("requestsPerMinute", key.limits().requestsPerMinute());
        node.put("tokensPerMinute", key.limits().tokensPerMinute());
        node.put("tokenBudget", key.limits().tokenBudget());
        node.put("tokensUsed", key.tokensUsed());
        node.put("created", key.created().toString());
        key.revoked().ifPresentOrElse(r -> node.put("revoked", r.toString()), () -> node.putNull("revoked"));
        return node;
    }

    @Command(name = "create", description = "Create a key and print it once (only its hash is stored).",
            footer = {"", "Examples:",
                    "  yuanjian keys create --name web-app --scopes generate",
                    "  yuanjian keys create --name batch --scopes generate,verify --rpm 60 --tpm 100000 --budget-tokens 5000000"},
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @ParentCommand
        private KeysCommand keys;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "who or what uses the key")
        private String name;

        @Option(names = "--scopes", defaultValue = "generate", paramLabel = "SCOPES",
                description = "comma-separated: generate, verify, admin (default: ${DEFAULT-VALUE})")
        private String scopes;

        @Option(names = "--rpm", defaultValue = "0", paramLabel = "N", description = "requests per minute (0 = no limit)")
        private int rpm;

        @Option(names = "--tpm", defaultValue = "0", paramLabel = "N", description = "tokens per minute (0 = no limit)")
        private int tpm;

        @Option(names = "--budget-tokens", defaultValue = "0", paramLabel = "N", description = "total tokens (0 = no budget)")
        private long budget;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            Set<Scope> parsed;
            ApiKey.Limits limits;
            try {
                parsed = Scope.parse(scopes);
                limits = new ApiKey.Limits(rpm, tpm, budget);
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(ExitCodes.USAGE, e.getMessage());
            }
            PrintWriter w = keys.main().out();
            try (Yuanjian app = keys.main().open()) {
                ApiKeys.Created created = store(app).create(name, parsed, limits);
                if (json.enabled()) {
                    ObjectNode node = json(created.key());
                    node.put("key", created.secret());
                    w.println(JsonViews.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
                } else {
                    w.printf("Created key %s (%s) with scopes %s%n", created.key().id(), name, Scope.format(parsed));
                    w.printf("%n  %s%n%n", created.secret());
                    w.println("Store it now: it is shown only this once. Use it as an OpenAI API key, e.g.");
                    w.println("  OPENAI_BASE_URL=http://localhost:8080/v1 OPENAI_API_KEY=<the key>");
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List keys (never their secrets).", mixinStandardHelpOptions = true)
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        private KeysCommand keys;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = keys.main().out();
            try (Yuanjian app = keys.main().openForReading()) {
                java.util.List<ApiKey> all = store(app).list();
                if (json.enabled()) {
                    ArrayNode array = JsonViews.mapper().createArrayNode();
                    all.forEach(k -> array.add(json(k)));
                    w.println(JsonViews.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(array));
                    return ExitCodes.OK;
                }
                if (all.isEmpty()) {
                    w.println("No keys: the gateway serves only this machine. Create one with: yuanjian keys create --name NAME");
                }
                for (ApiKey k : all) {
                    w.printf("%-8s  %-20s  %-22s  rpm %-6s tpm %-8s budget %-10s used %-10d %s%n", k.id(), k.name(),
                            Scope.format(k.scopes()), limit(k.limits().requestsPerMinute()), limit(k.limits().tokensPerMinute()),
                            limit(k.limits().tokenBudget()), k.tokensUsed(), k.revoked().map(r -> "REVOKED " + r).orElse("active"));
                }
            }
            return ExitCodes.OK;
        }

        private static String limit(long n) {
            return n == 0 ? "-" : Long.toString(n);
        }
    }

    @Command(name = "revoke", description = "Revoke a key by its id (takes effect in a running server within 5 s).",
            mixinStandardHelpOptions = true)
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        private KeysCommand keys;

        @Parameters(index = "0", paramLabel = "ID", description = "the key's id (the 8 characters after yj_)")
        private String id;

        @Override
        public Integer call() throws Exception {
            try (Yuanjian app = keys.main().openForReading()) {
                if (Main.nothingStored(app)) { // no database, so no key: nothing to create for that answer
                    throw notFound();
                }
            }
            try (Yuanjian app = keys.main().open()) {
                if (!store(app).revoke(id)) {
                    throw notFound();
                }
                keys.main().out().printf("Revoked key %s%n", id);
                if (store(app).activeCount() == 0) {
                    keys.main().out().println("No active key is left: every gateway request is now refused (401) "
                            + "until you create one (yuanjian keys create).");
                }
            }
            return ExitCodes.OK;
        }

        private Main.UserError notFound() {
            return new Main.UserError(ExitCodes.NOT_FOUND, "no active key with id " + id + " (see: yuanjian keys list)");
        }
    }
}

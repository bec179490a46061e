package dev.yuanjian.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.MemoryPlaceholderMap;
import dev.yuanjian.privacy.Policy;
import dev.yuanjian.privacy.Pseudonymizer;
import dev.yuanjian.privacy.vault.Vault;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import dev.yuanjian.privacy.PlaceholderMap;
import java.util.ArrayList;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pii",
        description = {"Find, mask and forget personal data in text (docs/privacy.md)."},
        subcommands = {PiiCommand.Scan.class, PiiCommand.Mask.class, PiiCommand.Forget.class},
        footer = {"", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class PiiCommand extends CommandGroup {
    /** The largest text read: the analyzer holds the text and its normalised copy in memory. */
    static final long MAX_TEXT_BYTES = 16L << 20;

    @Command(name = "scan",
            description = {"List the personal data in a UTF-8 text file: kind, offsets (UTF-16 code units,",
                    "end exclusive), score and recognizer. Values are not printed unless --show-values."},
            footer = {"", "Examples:",
                    "  yuanjian pii scan prompt.txt",
                    "  cat prompt.txt | yuanjian pii scan - --json",
                    "", "Exit codes: 0 scanned (whether or not anything was found); 3 not UTF-8 text or a",
                    "directory; 4 the file cannot be read. Any size is read, a chunk at a time."},
            mixinStandardHelpOptions = true)
    static final class Scan implements Callable<Integer> {
        @ParentCommand
        private PiiCommand group;

        @Parameters(paramLabel = "FILE", description = "a UTF-8 text file, or - for standard input")
        private String file;

        @Option(names = "--show-values", description = "also print each value found (it is personal data)")
        private boolean showValues;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            Main main = group.main();
            List<Entity> entities = new ArrayList<>();
            List<String> values = new ArrayList<>();
            try (InputStream in = open(file); Yuanjian app = main.openForReading()) {
                TextChunks chunks = new TextChunks(in, file);
                for (String chunk; (chunk = chunks.next()) != null; ) {
                    int at = Math.toIntExact(Math.min(chunks.offset(), Integer.MAX_VALUE - (long) TextChunks.MAX));
                    for (Entity e : app.analyzer().analyze(chunk)) {
                        entities.add(new Entity(e.type(), e.start() + at, e.end() + at, e.score(), e.recognizer()));
                        values.add(showValues ? e.in(chunk) : "");
                    }
                }
            }
            if (json.enabled()) {
                ObjectNode node = JsonViews.mapper().createObjectNode();
                node.put("file", file);
                ArrayNode list = node.putArray("entities");
                for (int i = 0; i < entities.size(); i++) {
                    Entity e = entities.get(i);
                    ObjectNode o = list.addObject().put("type", e.type().name()).put("tag", e.type().tag())
                            .put("start", e.start()).put("end", e.end()).put("score", e.score())
                            .put("recognizer", e.recognizer());
                    if (showValues) {
                        o.put("value", values.get(i));
                    }
                }
                main.printJson(node);
                return ExitCodes.OK;
            }
            PrintWriter w = main.out();
            w.printf("%s: %d %s%n", Escape.of(file), entities.size(), entities.size() == 1 ? "entity" : "entities");
            for (int i = 0; i < entities.size(); i++) {
                Entity e = entities.get(i);
                w.printf("  %-22s %7d-%-7d %.2f  %s%s%n", e.type().name(), e.start(), e.end(), e.score(),
                        Escape.of(e.recognizer()), showValues ? "  " + Escape.of(values.get(i)) : "");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "mask",
            description = {"Write a UTF-8 text with its personal data masked as a policy says: placeholders",
                    "([PHONE_1]) by default; --policy or config.yaml privacy.policy choose per kind among",
                    "replace, mask, mask:FIRST:LAST, hash, encrypt, drop and keep."},
            footer = {"", "Examples:",
                    "  yuanjian pii mask chat.txt -o chat.masked.txt",
                    "  yuanjian pii mask - --policy 'default=replace,CN_MOBILE=mask,EMAIL_ADDRESS=hash' < in.txt",
                    "", "Exit codes: 0 written; 2 a wrong --policy; 3 not UTF-8 text or a directory;",
                    "4 a file cannot be read or written, OUT exists (without --force), is FILE itself, or its",
                    "directory is missing. Any size is read a chunk at a time; an output file is written whole",
                    "or not at all. Standard output is a stream: an invalid byte late in the input leaves what",
                    "was already masked on it (exit 3); use -o for all or nothing."},
            mixinStandardHelpOptions = true)
    static final class Mask implements Callable<Integer> {
        @ParentCommand
        private PiiCommand group;

        @Parameters(paramLabel = "FILE", description = "a UTF-8 text file, or - for standard input")
        private String file;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "where to write (default, or -: standard output)")
        private String output;

        @Option(names = "--force", description = "replace OUT when it exists (never FILE itself)")
        private boolean force;

        @Option(names = "--policy", paramLabel = "KIND=OP,...",
                description = "operators per kind, e.g. default=replace,CN_MOBILE=mask (default: config.yaml privacy.policy)")
        private String policy;

        @Override
        public Integer call() throws Exception {
            Main main = group.main();
            Optional<Policy> given;
            try {
                given = policy == null ? Optional.empty() : Optional.of(Policy.parse(policy));
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(ExitCodes.USAGE, "--policy: " + e.getMessage());
            }
            Path out = output == null || output.equals("-") ? null : Path.of(output);
            if (out != null && Files.isDirectory(out)) {
                throw new Main.UserError(ExitCodes.IO, output + " is a directory: give the output file's name");
            }
            if (out != null) {
                refuseOutput(out);
            }
            long[] count = new long[1];
            try (InputStream in = open(file); Yuanjian app = main.open()) {
                Policy chosen = given.orElse(app.privacy().policies().defaults());
                PlaceholderMap map = new MemoryPlaceholderMap(); // one map: a person keeps one placeholder in the whole file
                TextChunks chunks = new TextChunks(in, file);
                if (out == null) {
                    // Standard output is a stream: what is masked goes out as it is made.
                    count[0] = maskInto(main.out(), chunks, app, map, chosen);
                    main.out().flush();
                    return ExitCodes.OK;
                }
                // A file is whole or not there: an invalid byte half-way leaves no partial output.
                Home.Content content = sink -> {
                    Writer writer = new OutputStreamWriter(sink, StandardCharsets.UTF_8);
                    count[0] = maskInto(writer, chunks, app, map, chosen);
                    writer.flush();
                };
                if (force) {
                    Home.writeAtomically(out, content, false);
                } else {
                    try {
                        // Linked into place only if the name is still free when the masking is done.
                        Home.createAtomically(out, content, false);
                    } catch (FileAlreadyExistsException e) {
                        throw new Main.UserError(ExitCodes.IO, "already exists: " + output + " (give --force to replace it)");
                    }
                }
            }
            main.out().printf("%s -> %s: %d masked%n", Escape.of(file), Escape.of(output), count[0]);
            return ExitCodes.OK;
        }

        /**
         * Refuses an output that is the input itself (even with --force: the input would be gone
         * before it is read), one that exists without --force, and one whose directory is missing
         * (a mistyped path is not silently made).
         */
        private void refuseOutput(Path out) throws Main.UserError, IOException {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new Main.UserError(ExitCodes.IO, "the directory " + Escape.of(parent.toString()) + " of "
                        + Escape.of(output) + " does not exist: create it first, or give another -o");
            }
            if (Files.exists(out)) {
                if (!file.equals("-") && Files.isSameFile(Path.of(file), out)) {
                    throw new Main.UserError(ExitCodes.IO, Escape.of(output) + " is the input file itself: write the "
                            + "masked text to another file (even --force does not replace the input)");
                }
                if (!force) {
                    throw new Main.UserError(ExitCodes.IO, "already exists: " + Escape.of(output)
                            + " (give --force to replace it)");
                }
            }
        }
    }

    /** Masks every chunk into {@code writer}; returns how many values were masked. */
    private static long maskInto(Writer writer, TextChunks chunks, Yuanjian app, PlaceholderMap map, Policy policy)
            throws IOException {
        long count = 0;
        for (String chunk; (chunk = chunks.next()) != null; ) {
            Pseudonymizer.Masked m = app.pseudonymizer().mask(chunk, map, policy);
            count += m.entities().size();
            writer.write(m.text());
        }
        return count;
    }

    @Command(name = "forget",
            description = {"Erase a person's value from the vault everywhere: every conversation of every key",
                    "loses its entries, and the value's own encryption key is deleted, so what was",
                    "stored can no longer be decrypted (crypto-shredding). The value is matched in its",
                    "normal form (full-width digits, spaces, dashes, +86 do not matter)."},
            footer = {"", "Examples:",
                    "  yuanjian pii forget --subject 13812345678 --type CN_MOBILE",
                    "  printf '%s\\n' zhang.san@example.com | yuanjian pii forget --subject -",
                    "", "Exit codes: 0 done (also when nothing was stored for the value); 2 unknown --type;",
                    "4 the database or the vault key cannot be used."},
            mixinStandardHelpOptions = true)
    static final class Forget implements Callable<Integer> {
        @ParentCommand
        private PiiCommand group;

        @Option(names = "--subject", required = true, paramLabel = "VALUE",
                description = "the value to forget, or - to read it from standard input (keeps it out of shell history)")
        private String subject;

        @Option(names = "--type", paramLabel = "TYPE", description = "its kind (e.g. CN_MOBILE), when known; default: any")
        private String type;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            Main main = group.main();
            Optional<EntityType> kind;
            try {
                kind = type == null ? Optional.empty() : Optional.of(Policy.type(type));
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(ExitCodes.USAGE, "--type: " + e.getMessage());
            }
            String value = subject.equals("-") ? firstLine(readText("-")) : subject;
            if (value.isBlank()) {
                throw new Main.UserError(ExitCodes.USAGE, "--subject: the value to forget is empty");
            }
            Vault.Forgotten forgotten;
            Home home;
            boolean embedded;
            try (Yuanjian app = main.open()) {
                forgotten = app.vault().forget(value, kind);
                home = app.home();
                embedded = app.settings().databaseUrl().isBlank();
            }
            // Closed: rewrite the file so the deleted key's bytes are gone from it, unless a server has it open.
            boolean compacted = embedded && Database.compactIfUnused(home);
            String where = !embedded ? "deleted from the database (PostgreSQL keeps dead rows until VACUUM)"
                    : compacted ? "erased from the database file (compacted)"
                    : "deleted; the database is open in another process (a server), which erases the bytes from its "
                    + "file when it closes";
            if (json.enabled()) {
                main.printJson(JsonViews.mapper().createObjectNode().put("entries", forgotten.entries())
                        .put("subjectKeys", forgotten.subjects()).put("fileCompacted", compacted));
            } else {
                main.out().printf("forgot %d vault entries and %d subject keys; %s%n", forgotten.entries(),
                        forgotten.subjects(), where);
            }
            return ExitCodes.OK;
        }

        private static String firstLine(String text) {
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
    }

    /** {@code name} opened for reading ({@code -}: standard input, left open), refusing a directory. */
    static InputStream open(String name) throws IOException {
        if (name.equals("-")) {
            return new java.io.FilterInputStream(System.in) {
                @Override
                public void close() {
                    // standard input stays open for whoever reads it next
                }
            };
        }
        Path path = Path.of(name);
        if (Files.isDirectory(path)) {
            throw new Main.UserError(ExitCodes.BAD_INPUT, name + " is a directory: give one text file (or - for "
                    + "standard input)");
        }
        return Files.newInputStream(path);
    }

    /**
     * The text of {@code name} ({@code -}: standard input), strictly UTF-8 and at most
     * {@link #MAX_TEXT_BYTES}; anything else is refused with what was wrong and where.
     */
    static String readText(String name) throws IOException {
        byte[] bytes;
        if (name.equals("-")) {
            bytes = readBounded(System.in, "standard input");
        } else {
            Path path = Path.of(name);
            if (Files.isDirectory(path)) {
                throw new Main.UserError(ExitCodes.BAD_INPUT, name + " is a directory: give one text file (or - for "
                        + "standard input)");
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = readBounded(in, name);
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(buffer).toString();
        } catch (MalformedInputException e) {
            throw new Main.UserError(ExitCodes.BAD_INPUT, name + " is not UTF-8 text (invalid byte at offset "
                    + buffer.position() + "): convert it first, e.g. iconv -f GB18030 -t UTF-8");
        } catch (CharacterCodingException e) {
            throw new Main.UserError(ExitCodes.BAD_INPUT, name + " is not UTF-8 text: convert it first");
        }
    }

    private static byte[] readBounded(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(chunk)) > 0; ) {
            total += n;
            if (total > MAX_TEXT_BYTES) {
                throw new Main.UserError(ExitCodes.BAD_INPUT, name + " is larger than " + (MAX_TEXT_BYTES >> 20)
                        + " MiB, the most pii reads at once: split it into smaller files");
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}

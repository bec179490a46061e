package dev.yuanjian.cli;

import dev.yuanjian.container.Asset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --sidecar} (a mixin): the {@code NAME.aigc.json} label file that travels beside plain text,
 * which cannot carry metadata itself.
 */
final class SidecarOption {
    @Option(names = "--sidecar", paramLabel = "JSON",
            description = "the label sidecar of a plain-text file (default: FILE.aigc.json when it exists)")
    private Path sidecar;

    /**
     * The sidecar's bytes for {@code input}: the {@code --sidecar} file (an error if it is missing:
     * the user named it), else {@code FILE.aigc.json} beside the input when there is one.
     */
    Optional<byte[]> read(Path input, InputLimits limits) throws IOException {
        if (sidecar != null) {
            return Optional.of(limits.read(sidecar));
        }
        Path beside = of(input);
        return Files.exists(beside) ? Optional.of(limits.read(beside)) : Optional.empty();
    }

    /** Whether {@code --sidecar} was given. */
    boolean given() {
        return sidecar != null;
    }

    /** Where the sidecar of {@code file} lives: {@code FILE.aigc.json} beside it. */
    static Path of(Path file) {
        return file.resolveSibling(Asset.sidecarName(file.getFileName().toString()));
    }
}

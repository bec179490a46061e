package dev.yuanjian.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The files a command acts on, from its FILE arguments: a file as named; a directory, with
 * {@code -r}, as every file under it; a glob the shell left alone ({@code 'docs/**}{@code /*.md'},
 * quoted) as the files it matches, in {@link java.nio.file.FileSystem#getPathMatcher} glob syntax,
 * where {@code **} also matches no directory at all, as in shells.
 *
 * <p>Walking (a directory or a glob) leaves out hidden files and directories (names starting with
 * a dot), label sidecars ({@code *.aigc.json}, read with the file they belong to), what the caller
 * excludes, and symbolic links met on the way (a link named as an argument is followed): the walk
 * never leaves the tree it was given. A file reached twice is taken once. The whole list is made
 * before any file is touched, so files a command writes into the tree are never picked up by the
 * same run. The order is by path, whatever order the files are processed in.
 */
final class Inputs {
    /**
     * One file to process.
     *
     * @param path       the file as the user will see it in the output (relative when it was named so)
     * @param mirrored   where it goes below an output directory: the path as named when it is inside
     *                   the working directory, else the path below its argument, under that argument's name
     * @param unreadable why the walk could not enter or read this entry, if it could not
     */
    record Input(Path path, Path mirrored, Optional<IOException> unreadable) {
    }

    private static final String GLOB_CHARS = "*?[{";
    private static final Path HERE = Path.of(".");

    private Inputs() {
    }

    /**
     * Whether the arguments name one file and ask for no walk: the command keeps its detailed,
     * one-file output then. Two arguments, {@code -r}, a directory or a glob ask for the list.
     */
    static boolean single(List<String> arguments, boolean recursive) {
        return arguments.size() == 1 && !recursive && !isGlob(arguments.get(0))
                && !Files.isDirectory(path(arguments.get(0)));
    }

    /**
     * Every file the arguments name, sorted by path.
     *
     * @param skip walked entries (files or directories, as reached) to leave out besides the hidden ones and sidecars
     * @throws Main.UserError (exit 2) for a directory without {@code -r}, a glob that matches nothing,
     *     or no file at all, before anything is done
     */
    static List<Input> expand(List<String> arguments, boolean recursive, Predicate<Path> skip) {
        Map<Path, Input> found = new LinkedHashMap<>();
        for (String argument : arguments) {
            Path named = path(argument);
            if (Files.isDirectory(named)) {
                if (!recursive) {
                    throw new Main.UserError(ExitCodes.USAGE, argument + " is a directory: add -r to take every file "
                            + "under it, or name the files (a quoted glob such as '" + named.resolve("*.png") + "' works too)");
                }
                walk(named, Integer.MAX_VALUE, file -> true, skip, found);
            } else if (isGlob(argument)) {
                if (walk(argument, skip, found) == 0) {
                    throw new Main.UserError(ExitCodes.USAGE, "no file matches " + argument
                            + " (hidden files, sidecars and symbolic links inside directories are not matched)");
                }
            } else {
                // A missing or unreadable file is that file's error line, not the whole run's.
                Path key = key(named);
                found.putIfAbsent(key, new Input(named, mirrored(named, null), Optional.empty()));
            }
        }
        if (found.isEmpty()) {
            throw new Main.UserError(ExitCodes.USAGE, "no file found in " + String.join(" ", arguments)
                    + " (hidden files, label sidecars and symbolic links inside directories are left out)");
        }
        List<Input> inputs = new ArrayList<>(found.values());
        inputs.sort(Comparator.comparing(Input::path));
        return List.copyOf(inputs);
    }

    /** A glob: {@code argument} names no file and holds a glob character the shell would have expanded. */
    static boolean isGlob(String argument) {
        return argument.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0) && !Files.exists(path(argument));
    }

    /** Walks the fixed directories before the first part with a glob character; returns how many files matched. */
    private static int walk(String glob, Predicate<Path> skip, Map<Path, Input> found) {
        String[] parts = glob.split("/", -1);
        int fixed = 0;
        while (fixed < parts.length - 1 && parts[fixed].chars().noneMatch(c -> GLOB_CHARS.indexOf(c) >= 0)) {
            fixed++;
        }
        String prefix = String.join("/", java.util.Arrays.copyOfRange(parts, 0, fixed));
        Path base = prefix.isEmpty() ? (glob.startsWith("/") ? Path.of("/") : HERE) : path(prefix);
        String pattern = String.join("/", java.util.Arrays.copyOfRange(parts, fixed, parts.length));
        List<PathMatcher> matchers;
        try {
            matchers = variants(pattern).stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        } catch (IllegalArgumentException bad) { // PatternSyntaxException: an unclosed '[' or '{', a nested '{'
            String reason = bad instanceof java.util.regex.PatternSyntaxException p ? p.getDescription() : bad.getMessage();
            throw new Main.UserError(ExitCodes.USAGE, "no such file, and not a valid glob: " + glob + " (" + reason
                    + "); to name a file whose name holds * ? [ or {, check its spelling");
        }
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : parts.length - fixed;
        if (!Files.isDirectory(base)) {
            return 0;
        }
        int before = found.size();
        walk(base, depth, relative -> matchers.stream().anyMatch(m -> m.matches(relative)), skip, found);
        return found.size() - before;
    }

    /**
     * {@code pattern} with each {@code **}{@code /} kept or dropped, so that {@code a/**}{@code /b}
     * also matches {@code a/b} as it does in shells (PathMatcher wants one directory at least).
     */
    static List<String> variants(String pattern) {
        int at = pattern.indexOf("**/");
        if (at < 0) {
            return List.of(pattern);
        }
        List<String> out = new ArrayList<>();
        for (String rest : variants(pattern.substring(at + 3))) {
            out.add(pattern.substring(0, at + 3) + rest);
            out.add(pattern.substring(0, at) + rest);
        }
        return out.size() > 64 ? List.of(pattern) : out;
    }

    /**
     * Every regular file under {@code root} (followed if it is itself a link) whose path relative to
     * it {@code matches}, without entering hidden directories, links or what {@code skip} says.
     */
    private static void walk(Path root, int depth, Predicate<Path> matches, Predicate<Path> skip, Map<Path, Input> found) {
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            found.putIfAbsent(key(root), new Input(root, mirrored(root, root), Optional.of(e)));
            return;
        }
        try {
            Files.walkFileTree(real, EnumSet.noneOf(java.nio.file.FileVisitOption.class), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(real)) {
                        return FileVisitResult.CONTINUE;
                    }
                    return hidden(dir) || skip.test(shown(root, real.relativize(dir)))
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path relative = real.relativize(file);
                    Path shown = shown(root, relative);
                    if (attrs.isRegularFile() && !hidden(file) && !sidecar(file) && matches.test(relative) && !skip.test(shown)) {
                        found.putIfAbsent(key(shown), new Input(shown, mirrored(shown, root), Optional.empty()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    Path shown = shown(root, real.relativize(file));
                    if (!hidden(file) && !skip.test(shown)) {
                        found.putIfAbsent(key(shown), new Input(shown, mirrored(shown, root), Optional.of(e)));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            found.putIfAbsent(key(root), new Input(root, mirrored(root, root), Optional.of(e)));
        }
    }

    private static Path shown(Path root, Path relative) {
        return root.equals(HERE) ? relative : root.resolve(relative);
    }

    private static boolean hidden(Path path) {
        return path.getFileName() != null && path.getFileName().toString().startsWith(".");
    }

    private static boolean sidecar(Path path) {
        return path.getFileName().toString().endsWith(dev.yuanjian.container.Asset.sidecarName(""));
    }

    /**
     * Where {@code file} goes below an output directory: its path as named when that stays inside the
     * working directory ({@code docs/a/x.md}); otherwise its path below {@code root} under the
     * root's own name ({@code /srv/docs/a/x.md} from {@code -r /srv/docs} gives {@code docs/a/x.md}),
     * or only its name for a file named by itself.
     */
    static Path mirrored(Path file, Path root) {
        Path normal = file.normalize();
        if (!normal.isAbsolute() && !normal.startsWith("..") && normal.getNameCount() > 0 && !normal.toString().isEmpty()) {
            return normal;
        }
        if (root == null) {
            return file.getFileName();
        }
        Path top = root.toAbsolutePath().normalize();
        Path below = top.relativize(file.toAbsolutePath().normalize());
        return top.getFileName() == null ? below : top.getFileName().resolve(below);
    }

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static Path path(String argument) {
        try {
            return Path.of(argument);
        } catch (InvalidPathException e) {
            throw new Main.UserError(ExitCodes.USAGE, "not a usable path: " + argument + " (" + e.getReason() + ")");
        }
    }
}

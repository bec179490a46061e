package dev.yuanjian.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * A tile of the C2SP tlog-tiles layout: {@code width} consecutive hashes at tree level
 * {@code 8 * level}, starting at hash number {@code n * 256} of that level. Level -1 names the
 * entry bundle of the same records as level-0 tile {@code n}. A full tile has width 256; a partial
 * tile (width 1..255) is the right edge of a tree whose size is not a multiple of the tile span.
 *
 * <p>Paths are C2SP's, which omit the height that Go's {@code tlog.Tile.Path} writes:
 * {@code tile/<L>/<N>[.p/<W>]} and {@code tile/entries/<N>[.p/<W>]}, with N written in groups of
 * three digits, all but the last prefixed with {@code x} ({@code 1234067 -> x001/x234/067}).
 * {@link #path()} and {@link #parse} are exact inverses; parse accepts only canonical paths.
 */
public record Tile(int level, long n, int width) {
    /** Tile height: each tile spans 8 tree levels. */
    public static final int HEIGHT = 8;
    /** Hashes (or entries) in a full tile. */
    public static final int FULL_WIDTH = 1 << HEIGHT;
    /** The level of entry bundles. */
    public static final int ENTRIES = -1;
    /** C2SP tlog-tiles allows levels 0..63. */
    public static final int MAX_LEVEL = 63;

    public Tile {
        if (level < ENTRIES || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level must be -1..63, got " + level);
        }
        if (n < 0) {
            throw new IllegalArgumentException("tile number must not be negative, got " + n);
        }
        if (width < 1 || width > FULL_WIDTH) {
            throw new IllegalArgumentException("tile width must be 1..256, got " + width);
        }
    }

    public boolean isEntries() {
        return level == ENTRIES;
    }

    public boolean isPartial() {
        return width < FULL_WIDTH;
    }

    /** The tree level of this tile's hashes (its bottom row): 8 * level; 0 for entry bundles. */
    int treeLevel() {
        return isEntries() ? 0 : HEIGHT * level;
    }

    /**
     * Whether a tree of {@code treeSize} records holds every hash (or entry) of this tile: the
     * last one covers records up to {@code (n * 256 + width) * 256^level}.
     */
    public boolean existsIn(long treeSize) {
        int shift = treeLevel();
        long end = n * FULL_WIDTH + width; // hashes at this level needed
        if (end < 0 || n > Long.MAX_VALUE / FULL_WIDTH || shift >= 63) {
            return false;
        }
        return end <= (treeSize >> shift);
    }

    /** The stored hash indexes of this tile's hashes, in order (not for entry bundles). */
    public long[] storedHashIndexes() {
        if (isEntries()) {
            throw new IllegalStateException("an entry bundle holds entries, not hashes");
        }
        long[] indexes = new long[width];
        long first = n * FULL_WIDTH;
        for (int i = 0; i < width; i++) {
            indexes[i] = Tlog.storedHashIndex(treeLevel(), first + i);
        }
        return indexes;
    }

    /** This tile's data: its hashes concatenated, read from {@code reader} in one call. */
    public byte[] readData(HashReader reader) {
        Hash[] hashes = Tlog.read(reader, storedHashIndexes());
        byte[] data = new byte[hashes.length * Hash.SIZE];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i].copyTo(data, i * Hash.SIZE);
        }
        return data;
    }

    /**
     * The tile of least width that can produce the stored hash at {@code storedIndex}: a hash at a
     * tree level inside a tile (not on its bottom row) is recomputed from the hashes below it.
     */
    public static Tile forIndex(long storedIndex) {
        Tlog.Node node = Tlog.splitStoredHashIndex(storedIndex);
        int level = node.level() / HEIGHT;
        int up = node.level() - level * HEIGHT; // levels above the tile's bottom row
        long bottomFirst = node.n() << up; // first bottom-row hash under the node
        long tileNumber = bottomFirst >> HEIGHT;
        long offset = bottomFirst - (tileNumber << HEIGHT);
        return new Tile(level, tileNumber, (int) (offset + (1L << up)));
    }

    /**
     * The stored hash at {@code storedIndex}, computed from {@code data}, the data of this tile;
     * this tile must be {@link #forIndex}(storedIndex) or a wider one.
     */
    public Hash hashFromData(byte[] data, long storedIndex) {
        if (isEntries()) {
            throw new IllegalStateException("an entry bundle holds entries, not hashes");
        }
        if (data.length < width * Hash.SIZE) {
            throw new IllegalArgumentException("tile data of " + data.length + " bytes is too short for " + path());
        }
        Tile least = forIndex(storedIndex);
        if (least.level != level || least.n != n || least.width > width) {
            throw new IllegalArgumentException("stored hash " + storedIndex + " is in " + least.path() + ", not " + path());
        }
        Tlog.Node node = Tlog.splitStoredHashIndex(storedIndex);
        int up = node.level() - level * HEIGHT;
        int count = 1 << up;
        int start = (int) ((node.n() << up) - (n << HEIGHT));
        return subtreeHash(data, start, count);
    }

    /** The hash of the perfect subtree over the {@code count} (a power of two) hashes at {@code start}. */
    private static Hash subtreeHash(byte[] data, int start, int count) {
        if (count == 1) {
            return Hash.of(data, start * Hash.SIZE);
        }
        int half = count / 2;
        return Tlog.nodeHash(subtreeHash(data, start, half), subtreeHash(data, start + half, half));
    }

    /**
     * The hash tiles a log publishes when it grows from {@code oldSize} to {@code newSize}: every
     * full tile completed, and the partial tile of each level at each width between the old and
     * the new edge. Tiles are immutable, so those of the old tree need no republishing.
     */
    public static List<Tile> newTiles(long oldSize, long newSize) {
        if (oldSize < 0 || newSize < oldSize) {
            throw new IllegalArgumentException("cannot grow from " + oldSize + " to " + newSize);
        }
        List<Tile> tiles = new ArrayList<>();
        for (int level = 0; level <= MAX_LEVEL && (newSize >> (HEIGHT * level)) > 0; level++) {
            long oldCount = oldSize >> (HEIGHT * level); // hashes at this tile level
            long newCount = newSize >> (HEIGHT * level);
            for (long t = oldCount >> HEIGHT; t < newCount >> HEIGHT; t++) {
                tiles.add(new Tile(level, t, FULL_WIDTH));
            }
            long edge = newCount >> HEIGHT;
            int maxWidth = (int) (newCount - (edge << HEIGHT));
            int minWidth = oldCount > edge << HEIGHT ? (int) (oldCount - (edge << HEIGHT)) : 1;
            for (int w = minWidth; w <= maxWidth; w++) {
                tiles.add(new Tile(level, edge, w));
            }
        }
        return tiles;
    }

    /**
     * The tiles (hashes, and with {@code entries} the entry bundles too) that describe exactly the
     * tree of {@code size} records: full tiles plus the one partial tile per level that C2SP
     * names for that size.
     */
    public static List<Tile> treeTiles(long size, boolean entries) {
        List<Tile> tiles = new ArrayList<>();
        for (int level = entries ? ENTRIES : 0; level <= MAX_LEVEL; level++) {
            long count = size >> (HEIGHT * Math.max(level, 0));
            if (count == 0) {
                break;
            }
            for (long t = 0; t < count >> HEIGHT; t++) {
                tiles.add(new Tile(level, t, FULL_WIDTH));
            }
            int partial = (int) (count & (FULL_WIDTH - 1));
            if (partial > 0) {
                tiles.add(new Tile(level, count >> HEIGHT, partial));
            }
        }
        return tiles;
    }

    /** The C2SP path, e.g. {@code tile/0/x001/234.p/7} or {@code tile/entries/000}. */
    public String path() {
        StringBuilder path = new StringBuilder("tile/");
        path.append(isEntries() ? "entries" : Integer.toString(level)).append('/');
        path.append(formatNumber(n));
        if (isPartial()) {
            path.append(".p/").append(width);
        }
        return path.toString();
    }

    @Override
    public String toString() {
        return path();
    }

    /** {@code 1234067 -> x001/x234/067}: groups of three digits, all but the last prefixed with x. */
    static String formatNumber(long n) {
        String last = String.format("%03d", n % 1000);
        StringBuilder prefix = new StringBuilder();
        for (long rest = n / 1000; rest > 0; rest /= 1000) {
            prefix.insert(0, String.format("x%03d/", rest % 1000));
        }
        return prefix + last;
    }

    /**
     * Parses a C2SP tile path ({@code tile/...}, no leading slash).
     *
     * @throws IllegalArgumentException when the path is not the canonical path of any tile
     */
    public static Tile parse(String path) {
        Tile tile;
        try {
            tile = parseLoosely(path);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed tile path '" + path + "'", e);
        }
        // Exactly one spelling per tile keeps caches and file layouts unambiguous.
        if (tile == null || !tile.path().equals(path)) {
            throw new IllegalArgumentException("malformed tile path '" + path + "'");
        }
        return tile;
    }

    private static Tile parseLoosely(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length < 3 || !parts[0].equals("tile")) {
            return null;
        }
        int level = parts[1].equals("entries") ? ENTRIES : Integer.parseInt(parts[1]);
        int end = parts.length;
        int width = FULL_WIDTH;
        if (parts[end - 2].endsWith(".p")) {
            width = Integer.parseInt(parts[end - 1]);
            parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
            end--;
        }
        long n = 0;
        for (int i = 2; i < end; i++) {
            String group = i < end - 1 ? stripX(parts[i]) : parts[i];
            if (group.length() != 3 || !group.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            n = Math.addExact(Math.multiplyExact(n, 1000), Integer.parseInt(group));
        }
        return new Tile(level, n, width);
    }

    private static String stripX(String group) {
        return group.startsWith("x") ? group.substring(1) : "";
    }
}

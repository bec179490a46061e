package dev.yuanjian.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TileTest {

    @Test
    void pathsAreC2spsWithoutHeight() {
        assertThat(new Tile(0, 0, 256).path()).isEqualTo("tile/0/000");
        assertThat(new Tile(1, 1234067, 256).path()).isEqualTo("tile/1/x001/x234/067");
        assertThat(new Tile(2, 5, 17).path()).isEqualTo("tile/2/005.p/17");
        assertThat(new Tile(-1, 1000, 1).path()).isEqualTo("tile/entries/x001/000.p/1");
        assertThat(new Tile(63, Long.MAX_VALUE, 255).path())
                .isEqualTo("tile/63/x009/x223/x372/x036/x854/x775/807.p/255");
    }

    @Test
    void parseInvertsPathAndAcceptsOnlyCanonicalSpellings() {
        for (Tile tile : List.of(new Tile(0, 0, 256), new Tile(1, 1234067, 256), new Tile(2, 5, 17),
                new Tile(-1, 1000, 1), new Tile(-1, 7, 256), new Tile(63, Long.MAX_VALUE, 255))) {
            assertThat(Tile.parse(tile.path())).isEqualTo(tile);
        }
        for (String bad : List.of("tile/0/0", "tile/0/00", "tile/00/000", "tile/0/001/234", "tile/0/x001",
                "tile/0/x000/001", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/07", "tile/64/000",
                "tile/-1/000", "tile/data/000", "tile/8/0/000", "/tile/0/000", "tile/0/000/", "tile/entries",
                "tile/0/x001/x234/067.p/", "tile/0/-01", "tile/0/+01", "tile/0/x010000000000/000",
                "tile/0/x009/x223/x372/x036/x854/x775/808")) {
            assertThatThrownBy(() -> Tile.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void everyStoredHashIsRecoverableFromItsTile() {
        MemoryTree tree = TlogTest.leaves(1100);
        for (long index = 0; index < tree.storedCount(); index++) {
            Tile tile = Tile.forIndex(index);
            byte[] data = tile.readData(tree);
            Hash expected = tree.readHashes(new long[] {index})[0];
            assertThat(tile.hashFromData(data, index)).as("index %d in %s", index, tile).isEqualTo(expected);
            if (tile.isPartial()) {
                Tile full = new Tile(tile.level(), tile.n(), Tile.FULL_WIDTH);
                if (full.existsIn(tree.size())) {
                    assertThat(full.hashFromData(full.readData(tree), index)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void treeTilesFollowTheC2spExample() {
        // "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
        // tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one
        // partial level 2 tile of width 1"
        List<Tile> tiles = Tile.treeTiles(70_000, false);
        assertThat(tiles).hasSize(273 + 1 + 1 + 1 + 1);
        assertThat(tiles).contains(new Tile(0, 273, 112), new Tile(1, 0, 256), new Tile(1, 1, 17), new Tile(2, 0, 1));
        assertThat(Tile.treeTiles(256, false)).containsExactly(new Tile(0, 0, 256), new Tile(1, 0, 1));
        assertThat(Tile.treeTiles(257, true)).containsExactly(new Tile(-1, 0, 256), new Tile(-1, 1, 1),
                new Tile(0, 0, 256), new Tile(0, 1, 1), new Tile(1, 0, 1));
        assertThat(Tile.treeTiles(0, true)).isEmpty();
        for (Tile tile : tiles) {
            assertThat(tile.existsIn(70_000)).isTrue();
        }
        assertThat(new Tile(0, 273, 113).existsIn(70_000)).isFalse();
        assertThat(new Tile(2, 0, 2).existsIn(70_000)).isFalse();
        assertThat(new Tile(3, 0, 1).existsIn(70_000)).isFalse();
    }

    @Test
    void newTilesCoverEveryTreeTileOfEachSize() {
        Set<Tile> published = new HashSet<>();
        long old = 0;
        for (long size : new long[] {1, 2, 7, 255, 256, 257, 1000, 65_536, 65_537, 70_000}) {
            published.addAll(Tile.newTiles(old, size));
            assertThat(published).containsAll(Tile.treeTiles(size, false));
            old = size;
        }
    }
}

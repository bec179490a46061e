package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.server.LogHandlers.TilePath;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tile addresses as C2SP tlog-tiles (and Go's tlog, without the height) write them. */
class TilePathTest {

    @Test
    void parsesAndFormatsTheSpecExamples() {
        assertThat(TilePath.parse("0/x001/x234/067")).contains(new TilePath(0, 1_234_067, 256));
        assertThat(TilePath.parse("1/000.p/7")).contains(new TilePath(1, 0, 7));
        assertThat(TilePath.parse("entries/x001/234.p/255")).contains(new TilePath(-1, 1234, 255));
        assertThat(new TilePath(2, 1_234_067, 256).path()).isEqualTo("2/x001/x234/067");
        assertThat(new TilePath(-1, 5, 3).path()).isEqualTo("entries/005.p/3");
    }

    @Test
    void refusesEveryNonCanonicalOrOutOfRangeAddress() {
        for (String path : new String[] {"0/x000/001", "0/1", "0/0001", "00/000", "0/000.p/0", "0/000.p/256",
                "0/000.p/07", "64/000", "-1/000", "0/x001", "0/001/x234", "entries", "0/", "0/000.p", "0/00a",
                "0/x999/x999/x999/x999/x999/x999/x999/999"}) {
            assertThat(TilePath.parse(path)).as(path).isEqualTo(Optional.empty());
        }
    }
}

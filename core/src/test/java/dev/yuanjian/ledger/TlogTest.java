package dev.yuanjian.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlogTest {
    /** The RFC 6962 / Certificate Transparency reference leaves (hex), as in the CT test suites. */
    private static final String[] CT_LEAVES = {"", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
    /** The reference roots for tree sizes 1..8. */
    private static final String[] CT_ROOTS = {
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    private static MemoryTree ctTree() {
        MemoryTree tree = new MemoryTree();
        for (String leaf : CT_LEAVES) {
            tree.append(HexFormat.of().parseHex(leaf));
        }
        return tree;
    }

    private static Hash hex(String hex) {
        return Hash.of(HexFormat.of().parseHex(hex));
    }

    private static List<Hash> hexes(String... hexes) {
        return java.util.Arrays.stream(hexes).map(TlogTest::hex).toList();
    }

    @Test
    void treeHeadsMatchTheRfc6962ReferenceVectors() {
        MemoryTree tree = ctTree();
        assertThat(Tlog.EMPTY_TREE.hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (int n = 1; n <= 8; n++) {
            assertThat(tree.root(n).hex()).as("root of size %d", n).isEqualTo(CT_ROOTS[n - 1]);
        }
    }

    @Test
    void inclusionProofsMatchTheReferenceVectors() {
        MemoryTree tree = ctTree();
        assertThat(Tlog.proveRecord(8, 0, tree)).isEqualTo(hexes(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        assertThat(Tlog.proveRecord(8, 5, tree)).isEqualTo(hexes(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
        assertThat(Tlog.proveRecord(1, 0, tree)).isEmpty();
    }

    @Test
    void consistencyProofsMatchTheReferenceVectors() {
        MemoryTree tree = ctTree();
        assertThat(Tlog.proveTree(8, 1, tree)).isEqualTo(hexes(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        assertThat(Tlog.proveTree(8, 2, tree)).isEqualTo(hexes(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        assertThat(Tlog.proveTree(8, 6, tree)).isEqualTo(hexes(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
        assertThat(Tlog.proveTree(5, 2, tree)).isEqualTo(hexes(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));
        assertThat(Tlog.proveTree(8, 8, tree)).isEmpty();
    }

    @Test
    void storedHashIndexIsDenseAndInvertible() {
        // Every index 0..N is hit exactly once by some (level, n), and split inverts it.
        MemoryTree tree = new MemoryTree();
        for (long n = 0; n < 600; n++) {
            tree.append(("leaf " + n).getBytes(StandardCharsets.US_ASCII));
            assertThat(Tlog.storedHashCount(n + 1)).isEqualTo(tree.storedCount());
        }
        for (long index = 0; index < tree.storedCount(); index++) {
            Tlog.Node node = Tlog.splitStoredHashIndex(index);
            assertThat(Tlog.storedHashIndex(node.level(), node.n())).isEqualTo(index);
        }
        assertThat(Tlog.storedHashIndex(0, 0)).isZero();
        assertThat(Tlog.storedHashIndex(0, 1)).isEqualTo(1);
        assertThat(Tlog.storedHashIndex(1, 0)).isEqualTo(2);
        assertThat(Tlog.storedHashIndex(0, 2)).isEqualTo(3);
        long big = (1L << 40) + 12345;
        assertThat(Tlog.splitStoredHashIndex(Tlog.storedHashIndex(7, big))).isEqualTo(new Tlog.Node(7, big));
    }

    @Test
    void everyInclusionProofChecksForSizesUpTo70AndTamperedOnesDoNot() {
        MemoryTree tree = leaves(70);
        for (long t = 1; t <= 70; t++) {
            Hash root = tree.root(t);
            assertThat(root).isEqualTo(tree.referenceRoot(0, t));
            for (long n = 0; n < t; n++) {
                List<Hash> proof = Tlog.proveRecord(t, n, tree);
                Hash leaf = tree.leaf(n);
                assertThat(Tlog.checkRecord(proof, t, root, n, leaf)).as("record %d in %d", n, t).isTrue();
                assertThat(Tlog.checkRecord(proof, t, root, n, tree.leaf((n + 1) % t))).isEqualTo(t == 1);
                if (!proof.isEmpty()) {
                    List<Hash> flipped = new ArrayList<>(proof);
                    byte[] first = flipped.get(0).bytes();
                    first[0] ^= 1;
                    flipped.set(0, Hash.of(first));
                    assertThat(Tlog.checkRecord(flipped, t, root, n, leaf)).isFalse();
                    assertThat(Tlog.checkRecord(proof.subList(0, proof.size() - 1), t, root, n, leaf)).isFalse();
                }
                List<Hash> longer = new ArrayList<>(proof);
                longer.add(leaf);
                assertThat(Tlog.checkRecord(longer, t, root, n, leaf)).isFalse();
            }
        }
    }

    @Test
    void everyConsistencyProofChecksForAllPairsUpTo70() {
        MemoryTree tree = leaves(70);
        Hash[] roots = new Hash[71];
        for (int t = 1; t <= 70; t++) {
            roots[t] = tree.root(t);
        }
        for (long t = 1; t <= 70; t++) {
            for (long n = 1; n <= t; n++) {
                List<Hash> proof = Tlog.proveTree(t, n, tree);
                assertThat(Tlog.checkTree(proof, t, roots[(int) t], n, roots[(int) n])).as("%d -> %d", n, t).isTrue();
                if (n < t) {
                    assertThat(Tlog.checkTree(proof, t, roots[(int) t], n, roots[(int) n + 1])).isFalse();
                    assertThat(Tlog.checkTree(proof.subList(1, proof.size()), t, roots[(int) t], n, roots[(int) n])).isFalse();
                }
            }
        }
    }

    @Test
    void checksRejectImpossibleInputsInsteadOfThrowing() {
        MemoryTree tree = leaves(4);
        Hash root = tree.root(4);
        assertThat(Tlog.checkRecord(List.of(), 4, root, 4, root)).isFalse();
        assertThat(Tlog.checkRecord(List.of(), 0, root, 0, root)).isFalse();
        assertThat(Tlog.checkRecord(List.of(), 4, root, -1, root)).isFalse();
        assertThat(Tlog.checkTree(List.of(), 4, root, 0, root)).isFalse();
        assertThat(Tlog.checkTree(List.of(), 3, root, 4, root)).isFalse();
        assertThatThrownBy(() -> Tlog.proveRecord(4, 4, tree)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tlog.proveTree(4, 0, tree)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readerBreakingItsContractIsReported() {
        MemoryTree tree = leaves(5);
        HashReader shortReader = indexes -> new Hash[0];
        assertThatThrownBy(() -> Tlog.treeHash(5, shortReader)).isInstanceOf(LogStorageException.class);
        assertThat(Tlog.treeHash(5, tree)).isEqualTo(tree.referenceRoot(0, 5));
    }

    static MemoryTree leaves(int count) {
        MemoryTree tree = new MemoryTree();
        for (int i = 0; i < count; i++) {
            tree.append(("record " + i).getBytes(StandardCharsets.US_ASCII));
        }
        return tree;
    }
}

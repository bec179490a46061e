// Command tlogcheck verifies a Yuanjian transparency log with Go's own
// golang.org/x/mod/sumdb/tlog and sumdb/note, so that the Java implementation
// is checked against someone else's code, bit for bit.
//
// Usage: tlogcheck input.json
//
// The input names the log's verifier key and origin, its signed checkpoints,
// a directory holding its C2SP tiles (tile/<L>/<N>[.p/<W>] and
// tile/entries/<N>[.p/<W>]), and inclusion and consistency proofs as the log
// served them. tlogcheck opens every checkpoint with note.Open, recomputes
// every tree hash and leaf from the tiles through tlog.TileHashReader, checks
// every proof with tlog.CheckRecord and tlog.CheckTree, and compares them with
// tlog.ProveRecord and tlog.ProveTree over the tiles. It prints one line per
// failure and a final "PASS <n> checks" or "FAIL <n> failures", exiting 0 or 1.
//
// Build offline with Debian's golang-golang-x-mod-dev:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o tlogcheck tlogcheck.go
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type input struct {
	VerifierKey string   `json:"verifierKey"`
	Origin      string   `json:"origin"`
	TileDir     string   `json:"tileDir"`
	Checkpoints []string `json:"checkpoints"`
	Inclusion   []struct {
		Index int64    `json:"index"`
		Size  int64    `json:"size"`
		Leaf  string   `json:"leaf"`
		Proof []string `json:"proof"`
	} `json:"inclusion"`
	Consistency []struct {
		Old   int64    `json:"old"`
		New   int64    `json:"new"`
		Proof []string `json:"proof"`
	} `json:"consistency"`
}

var checks, failures int

func check(ok bool, format string, args ...interface{}) {
	checks++
	if !ok {
		failures++
		fmt.Printf("fail: "+format+"\n", args...)
	}
}

// tiles reads C2SP tiles from a directory. Go writes tile paths as
// tile/H/L/N; C2SP drops the height, so tile/8/L/N is read from tile/L/N.
type tiles struct{ dir string }

func (t tiles) Height() int { return 8 }

func (t tiles) ReadTiles(list []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(list))
	for i, tile := range list {
		data, err := os.ReadFile(filepath.Join(t.dir, c2spPath(tile)))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (t tiles) SaveTiles([]tlog.Tile, [][]byte) {}

func c2spPath(tile tlog.Tile) string {
	goPath := tile.Path() // tile/8/L/N[.p/W], or tile/8/data/N for records
	rest := strings.TrimPrefix(goPath, "tile/8/")
	if strings.HasPrefix(rest, "data/") {
		rest = "entries/" + strings.TrimPrefix(rest, "data/")
	}
	return "tile/" + rest
}

// entry returns record i of the tree of size n from its entry bundle.
func (t tiles) entry(i, n int64) ([]byte, error) {
	bundle := tlog.Tile{H: 8, L: -1, N: i / 256, W: int(min(256, n-i/256*256))}
	data, err := os.ReadFile(filepath.Join(t.dir, c2spPath(bundle)))
	if err != nil {
		return nil, err
	}
	for k := int64(0); ; k++ {
		if len(data) < 2 {
			return nil, fmt.Errorf("entry bundle %s ends before entry %d", c2spPath(bundle), i)
		}
		size := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+size {
			return nil, fmt.Errorf("entry bundle %s is truncated", c2spPath(bundle))
		}
		if bundle.N*256+k == i {
			return data[2 : 2+size], nil
		}
		data = data[2+size:]
	}
}

func min(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

func hashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		h, err := tlog.ParseHash(s)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

func equal(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tlogcheck input.json")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Println("FAIL", err)
		os.Exit(1)
	}
	var in input
	if err := json.Unmarshal(raw, &in); err != nil {
		fmt.Println("FAIL", err)
		os.Exit(1)
	}
	verifier, err := note.NewVerifier(in.VerifierKey)
	if err != nil {
		fmt.Println("FAIL verifier key:", err)
		os.Exit(1)
	}
	check(verifier.Name() == in.Origin, "verifier name %q is not the origin %q", verifier.Name(), in.Origin)
	store := tiles{in.TileDir}

	trees := map[int64]tlog.Tree{}
	for _, msg := range in.Checkpoints {
		n, err := note.Open([]byte(msg), note.VerifierList(verifier))
		if err != nil {
			check(false, "note.Open: %v", err)
			continue
		}
		// A C2SP checkpoint starts with the log's origin; sumdb's tree note with
		// "go.sum database tree". The rest (size, base64 root) is the same.
		lines := strings.SplitN(n.Text, "\n", 2)
		check(lines[0] == in.Origin, "checkpoint origin %q", lines[0])
		tree, err := tlog.ParseTree([]byte("go.sum database tree\n" + lines[1]))
		if err != nil {
			check(false, "tlog.ParseTree: %v", err)
			continue
		}
		trees[tree.N] = tree
		fmt.Printf("checkpoint %d %s\n", tree.N, tree.Hash)

		reader := tlog.TileHashReader(tree, store)
		th, err := tlog.TreeHash(tree.N, reader)
		check(err == nil && th == tree.Hash, "tree %d: hash from tiles %v, %v", tree.N, th, err)
		for i := int64(0); i < tree.N; i++ {
			record, err := store.entry(i, tree.N)
			if err != nil {
				check(false, "tree %d: %v", tree.N, err)
				continue
			}
			leaf, err := reader.ReadHashes([]int64{tlog.StoredHashIndex(0, i)})
			check(err == nil && leaf[0] == tlog.RecordHash(record), "tree %d: entry %d does not hash to its tile leaf (%v)", tree.N, i, err)
		}
	}

	for _, p := range in.Inclusion {
		tree, ok := trees[p.Size]
		proof, err := hashes(p.Proof)
		if !ok || err != nil {
			check(false, "inclusion %d/%d: no checkpoint or bad proof (%v)", p.Index, p.Size, err)
			continue
		}
		record, err := store.entry(p.Index, p.Size)
		if err != nil {
			check(false, "inclusion %d/%d: %v", p.Index, p.Size, err)
			continue
		}
		leaf := tlog.RecordHash(record)
		check(leaf.String() == p.Leaf, "inclusion %d/%d: leaf %s, Go computes %s", p.Index, p.Size, p.Leaf, leaf)
		err = tlog.CheckRecord(tlog.RecordProof(proof), p.Size, tree.Hash, p.Index, leaf)
		check(err == nil, "inclusion %d/%d: tlog.CheckRecord: %v", p.Index, p.Size, err)
		mine, err := tlog.ProveRecord(p.Size, p.Index, tlog.TileHashReader(tree, store))
		check(err == nil && equal(mine, proof), "inclusion %d/%d: tlog.ProveRecord from tiles differs (%v)", p.Index, p.Size, err)
	}

	for _, p := range in.Consistency {
		oldTree, ok1 := trees[p.Old]
		newTree, ok2 := trees[p.New]
		proof, err := hashes(p.Proof)
		if !ok1 || !ok2 || err != nil {
			check(false, "consistency %d->%d: no checkpoints or bad proof (%v)", p.Old, p.New, err)
			continue
		}
		err = tlog.CheckTree(tlog.TreeProof(proof), p.New, newTree.Hash, p.Old, oldTree.Hash)
		check(err == nil, "consistency %d->%d: tlog.CheckTree: %v", p.Old, p.New, err)
		mine, err := tlog.ProveTree(p.New, p.Old, tlog.TileHashReader(newTree, store))
		check(err == nil && equal(mine, proof), "consistency %d->%d: tlog.ProveTree from tiles differs (%v)", p.Old, p.New, err)
	}

	if failures > 0 {
		fmt.Printf("FAIL %d failures in %d checks\n", failures, checks)
		os.Exit(1)
	}
	fmt.Printf("PASS %d checks\n", checks)
}

package dev.yuanjian.privacy.names;

import com.hankcs.hanlp.HanLP;
import com.hankcs.hanlp.corpus.io.IIOAdapter;
import com.hankcs.hanlp.seg.Segment;
import com.hankcs.hanlp.seg.Viterbi.ViterbiSegment;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * HanLP portable, loaded once with its configuration pinned to the dictionaries inside its own jar.
 *
 * <p>Why pin: HanLP's {@code HanLP.Config} reads {@code hanlp.properties} from the class path (or the
 * {@code HANLP_ROOT} environment variable) and then opens dictionary paths relative to the working
 * directory, and may write {@code .bin} caches next to them. A stray file in a user's directory must
 * not change what we recognise, and recognising must never write. So after HanLP's own static
 * set-up has run we set every path we use back to the jar's and install {@link JarOnly}, which opens
 * only resources of the HanLP jar and refuses to create files. These are HanLP's statics, set once
 * inside a class initialiser (which the JVM runs exactly once, under a lock); our code keeps no
 * mutable state.
 *
 * <p>Threads: a {@link ViterbiSegment} keeps no per-call state in fields (each call builds its own
 * word net; the dictionaries are read-only after loading), so one configured segment is shared;
 * {@code HanlpTest} checks concurrent results against sequential ones.
 */
final class Hanlp {
    private static final String JAR_ROOT = "data/dictionary/";

    private Hanlp() {
    }

    private static final class Loaded {
        static final Duration LOAD_TIME = pinAndLoad();
    }

    /**
     * Loads HanLP's dictionaries the first time (about 1 s on our machine), and returns how long that
     * one load took; later calls return the same figure at once.
     */
    static Duration load() {
        return Loaded.LOAD_TIME;
    }

    /** The segment our Chinese recognizer uses: person names (Chinese, transliterated) only; places and
     * organisations come from dictionary natures and our suffix rule, which is about twice as fast. */
    static Segment namesSegment(boolean customDictionary) {
        load();
        return new ViterbiSegment()
                .enableNameRecognize(true)
                .enableTranslatedNameRecognize(true)
                .enableJapaneseNameRecognize(false)
                .enablePlaceRecognize(false)
                .enableOrganizationRecognize(false)
                .enableNumberQuantifierRecognize(false)
                .enableCustomDictionary(customDictionary)
                .enableOffset(true);
    }

    private static Duration pinAndLoad() {
        long t0 = System.nanoTime();
        pin();
        // The first segmentation loads the core, bigram, custom and person dictionaries.
        namesSegmentUnloaded().seg("张伟在北京大学工作");
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static Segment namesSegmentUnloaded() {
        return new ViterbiSegment().enableNameRecognize(true).enableOffset(true);
    }

    private static void pin() {
        HanLP.Config.IOAdapter = new JarOnly();
        HanLP.Config.DEBUG = false;
        HanLP.Config.Normalization = false;
        HanLP.Config.ShowTermNature = true;
        HanLP.Config.CustomDictionaryAutoRefreshCache = false;
        HanLP.Config.CoreDictionaryPath = JAR_ROOT + "CoreNatureDictionary.mini.txt";
        HanLP.Config.CoreDictionaryTransformMatrixDictionaryPath = JAR_ROOT + "CoreNatureDictionary.tr.txt";
        HanLP.Config.BiGramDictionaryPath = JAR_ROOT + "CoreNatureDictionary.ngram.mini.txt";
        HanLP.Config.CustomDictionaryPath = new String[] {JAR_ROOT + "custom/CustomDictionary.txt"};
        HanLP.Config.CoreStopWordDictionaryPath = JAR_ROOT + "stopwords.txt";
        HanLP.Config.PersonDictionaryPath = JAR_ROOT + "person/nr.txt";
        HanLP.Config.PersonDictionaryTrPath = JAR_ROOT + "person/nr.tr.txt";
        HanLP.Config.TranslatedPersonDictionaryPath = JAR_ROOT + "person/nrf.txt";
        HanLP.Config.JapanesePersonDictionaryPath = JAR_ROOT + "person/nrj.txt";
        HanLP.Config.PlaceDictionaryPath = JAR_ROOT + "place/ns.txt";
        HanLP.Config.PlaceDictionaryTrPath = JAR_ROOT + "place/ns.tr.txt";
        HanLP.Config.OrganizationDictionaryPath = JAR_ROOT + "organization/nt.txt";
        HanLP.Config.OrganizationDictionaryTrPath = JAR_ROOT + "organization/nt.tr.txt";
        HanLP.Config.CharTypePath = JAR_ROOT + "other/CharType.bin";
        HanLP.Config.CharTablePath = JAR_ROOT + "other/CharTable.txt";
        HanLP.Config.PartOfSpeechTagDictionary = JAR_ROOT + "other/TagPKU98.csv";
    }

    /**
     * Opens only resources inside the HanLP jar ({@code data/...}); never a file, never a write.
     * HanLP asks for a {@code .txt} first in some places and falls back to its {@code .bin}: a missing
     * resource is a {@link FileNotFoundException}, which it handles.
     */
    static final class JarOnly implements IIOAdapter {
        @Override
        public InputStream open(String path) throws IOException {
            if (!path.startsWith("data/") || path.contains("..")) {
                throw new FileNotFoundException("HanLP is pinned to its jar; refusing to open " + path);
            }
            InputStream in = HanLP.class.getResourceAsStream("/" + path);
            if (in == null) {
                throw new FileNotFoundException("not in the HanLP jar: " + path);
            }
            return in;
        }

        @Override
        public OutputStream create(String path) throws IOException {
            throw new IOException("HanLP may not write files here (asked for " + path + ")");
        }
    }
}

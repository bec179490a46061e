package dev.yuanjian.privacy.names;

import dev.yuanjian.privacy.Recognizer;
import java.time.Duration;
import java.util.List;

/** The name recognizers, ready for the {@link dev.yuanjian.privacy.Analyzer}. */
public final class Names {
    private Names() {
    }

    /**
     * Chinese person names, places and organisations ({@link ChineseNameRecognizer}) and English person
     * names ({@link EnglishNameRecognizer}). The first call loads HanLP's dictionaries (about 1 s, once
     * per JVM); build these at start-up, not on a request.
     */
    public static List<Recognizer> defaults() {
        return List.of(new ChineseNameRecognizer(), new EnglishNameRecognizer());
    }

    /**
     * Loads HanLP's dictionaries if no recognizer has yet, pinned to the ones inside its jar, and
     * returns how long that one load took (the same figure on every later call).
     */
    public static Duration load() {
        return Hanlp.load();
    }
}

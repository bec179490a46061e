package dev.yuanjian.privacy.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hankcs.hanlp.HanLP;
import dev.yuanjian.privacy.Analyzer;
import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The name layer through the analyzer, as the product runs it: findings as "TAG:value" in the original text. */
class NamesTest {
    private static final Analyzer ANALYZER = new Analyzer(Names.defaults());

    static Stream<Arguments> cases() {
        return Stream.of(
                // Chinese names, places and organisations in sentences
                Arguments.of("张伟明天去北京大学见王芳。", List.of("PERSON:张伟", "ORG:北京大学", "PERSON:王芳")),
                Arguments.of("患者赵子轩，男，35岁，家住浙江省杭州市。", List.of("PERSON:赵子轩", "LOCATION:浙江省杭州市")),
                Arguments.of("我叫谢峰薇，在华为技术有限公司工作。", List.of("PERSON:谢峰薇", "ORG:华为技术有限公司")),
                Arguments.of("据浙江大学消息，庞阳鑫将于下月调任西安。", List.of("ORG:浙江大学", "PERSON:庞阳鑫", "LOCATION:西安")),
                Arguments.of("肖诺露老师，您好。", List.of("PERSON:肖诺露")),
                Arguments.of("蒋丽和陆璐是金桥教育集团的同事。", List.of("PERSON:蒋丽", "PERSON:陆璐", "ORG:金桥教育集团")),
                Arguments.of("联系人袁艳，单位南京瑞丰建设有限公司。", List.of("PERSON:袁艳", "ORG:南京瑞丰建设有限公司")),
                // at the edges of the text
                Arguments.of("王芳", List.of("PERSON:王芳")),
                Arguments.of("请把材料寄给段娜月", List.of("PERSON:段娜月")),
                // hard negatives: words that look like names
                Arguments.of("他的手段很高明，大家都服气。", List.of()),
                Arguments.of("建设文明城市，保护海洋生物。", List.of()),
                Arguments.of("方向对了，路就不远。", List.of()),
                Arguments.of("于是他张开嘴笑了。", List.of()),
                Arguments.of("平安银行的服务很好。", List.of("ORG:平安银行")),
                // a preposition before a name-like brand must not be taken into it (于 and 向 are surnames too)
                Arguments.of("客户就职于平安银行。", List.of("ORG:平安银行")),
                Arguments.of("他在招商银行工作。", List.of("ORG:招商银行")),
                Arguments.of("她向华夏银行贷款。", List.of("ORG:华夏银行")),
                Arguments.of("请在3月15日前提交订单20240315001。", List.of()),
                // English
                Arguments.of("Dear John Smith,\nThank you.", List.of("PERSON:John Smith")),
                Arguments.of("Mr. Oduya will join from London.", List.of("PERSON:Oduya")),
                Arguments.of("My name is Zephyrine Oduya and I live in Boston.", List.of("PERSON:Zephyrine Oduya")),
                Arguments.of("Regards,\nZephyrine", List.of("PERSON:Zephyrine")),
                Arguments.of("John F. Kennedy spoke.", List.of("PERSON:John F. Kennedy")),
                Arguments.of("Sarah", List.of("PERSON:Sarah")),
                Arguments.of("Michael approved it.", List.of("PERSON:Michael")),
                Arguments.of("I spoke with Alice and Bob.", List.of("PERSON:Alice", "PERSON:Bob")),
                Arguments.of("May I help you? Will this work in April?", List.of()),
                Arguments.of("The Apple Watch is on sale in New York.", List.of()),
                Arguments.of("I'm Happy to help.", List.of()),
                Arguments.of("Thanks for the update, see you on Friday.", List.of()),
                Arguments.of("john smith wrote in lower case", List.of()),
                // mixed Chinese and English
                Arguments.of("Please call 王芳 at 3pm.", List.of("PERSON:王芳")),
                Arguments.of("张伟和Tom Smith在会上", List.of("PERSON:张伟", "PERSON:Tom Smith")),
                Arguments.of("张伟和Dr. Smith在上海开会。", List.of("PERSON:张伟", "PERSON:Smith", "LOCATION:上海")),
                // full-width forms and zero-width characters: offsets point into the original
                Arguments.of("Ｍｒ．　Ｏｄｕｙａ到了。", List.of("PERSON:Ｏｄｕｙａ")),
                Arguments.of("王芳的电话是１３８００１３８０００", List.of("PERSON:王芳")),
                Arguments.of("Dear Jo\u200Bhn Smith", List.of("PERSON:Jo\u200Bhn Smith")),
                // empty and broken text
                Arguments.of("", List.of()),
                Arguments.of("王芳\uD800说你好", List.of("PERSON:王芳")),
                Arguments.of("\uDC00张伟去北京\uD83D", List.of("PERSON:张伟", "LOCATION:北京")),
                Arguments.of("Dear \uDFFFJohn Smith", List.of("PERSON:John Smith")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void findsNamesPlacesAndOrganisations(String text, List<String> expected) {
        assertThat(found(text)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void withoutAGazetteerOnlyCuesFindEnglishNames() {
        var cuesOnly = new EnglishNameRecognizer(Set.of(), Set.of());
        assertThat(recognize(cuesOnly, "Dear Zed Quux, welcome.")).extracting(e -> e.start() + "-" + e.end())
                .containsExactly("5-13");
        assertThat(recognize(cuesOnly, "Ms. Quux called. Zed Quux said hi.")).hasSize(1);
        var withZed = new EnglishNameRecognizer(Set.of("zed"), Set.of());
        assertThat(recognize(withZed, "Ms. Quux called. Zed Quux said hi.")).hasSize(2);
    }

    @Test
    void aLongRunWithoutPunctuationIsCutIntoWindowsAndEveryNameFoundOnce() {
        String unit = "我叫张伟住在北京";
        String text = unit.repeat(3_000); // 24,000 Han characters, no break: about 100 windows
        List<Entity> entities = ANALYZER.analyze(text);
        long persons = entities.stream().filter(e -> e.type() == EntityType.PERSON && e.in(text).equals("张伟")).count();
        assertThat(persons).isEqualTo(3_000);
        assertThat(new HashSet<>(entities)).hasSameSizeAs(entities);
        assertThat(entities.stream().filter(e -> e.type() == EntityType.PERSON).allMatch(e -> e.in(text).equals("张伟")))
                .isTrue();
    }

    @Test
    void aFiveMegabyteInputIsProcessedWhole() {
        StringBuilder b = new StringBuilder(5_100_000);
        int chinese = 0;
        for (int i = 0; b.length() < 5_000_000; i++) {
            if (i % 20 == 0) {
                b.append("患者赵子轩，住在杭州。");
                chinese++;
            } else {
                b.append("Meeting notes from the weekly review, nothing else to add. ");
            }
        }
        String text = b.toString();
        List<Entity> entities = ANALYZER.analyze(text);
        assertThat(entities.stream().filter(e -> e.in(text).equals("赵子轩")).count()).isEqualTo(chinese);
        assertThat(entities.stream().filter(e -> e.in(text).equals("杭州")).count()).isEqualTo(chinese);
    }

    @Test
    void oneRecognizerSharedByThreadsGivesWhatItGivesAlone() throws Exception {
        ChineseNameRecognizer shared = new ChineseNameRecognizer();
        List<String> texts = new ArrayList<>();
        String[] names = {"张伟", "王芳", "欧阳娜娜", "赵子轩", "钟雨桐", "蒋思远"};
        for (int i = 0; i < 300; i++) {
            texts.add(names[i % names.length] + "昨天在" + (i % 2 == 0 ? "上海" : "深圳") + "见了" + names[(i + 1) % names.length]
                    + "，讨论平安银行的项目" + i + "。");
        }
        List<List<Entity>> alone = texts.stream().map(t -> recognize(shared, t)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<Entity>>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> texts.stream().map(x -> recognize(shared, x)).toList()));
            }
            for (Future<List<List<Entity>>> f : futures) {
                assertThat(f.get()).isEqualTo(alone);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hanlpIsPinnedToItsJarAndNeverWrites() {
        Names.load();
        assertThat(HanLP.Config.IOAdapter).isInstanceOf(Hanlp.JarOnly.class);
        assertThat(HanLP.Config.CoreDictionaryPath).isEqualTo("data/dictionary/CoreNatureDictionary.mini.txt");
        Hanlp.JarOnly jar = new Hanlp.JarOnly();
        assertThatThrownBy(() -> jar.create("data/dictionary/CoreNatureDictionary.mini.txt.bin"))
                .isInstanceOf(IOException.class).hasMessageContaining("may not write");
        assertThatThrownBy(() -> jar.open("/etc/passwd")).isInstanceOf(IOException.class).hasMessageContaining("pinned");
        assertThatThrownBy(() -> jar.open("data/../../etc/passwd")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> jar.open("data/dictionary/absent.txt")).isInstanceOf(IOException.class)
                .hasMessageContaining("not in the HanLP jar");
    }

    @Test
    void dictionariesLoadOncePerJvm() {
        assertThat(Names.load()).isSameAs(Names.load());
        assertThat(Names.load().isPositive()).isTrue();
    }

    @Test
    void surnamesDecideWhereAGivenNameStarts() {
        assertThat(ChineseSurnames.surnameLength("欧阳娜娜")).isEqualTo(2);
        assertThat(ChineseSurnames.surnameLength("王芳")).isEqualTo(1);
        assertThat(ChineseSurnames.surnameLength("的人")).isZero();
        assertThat(ChineseSurnames.surnameLength("")).isZero();
        assertThat(ChineseNameRecognizer.isPersonName("文明")).isFalse(); // a name in few of its occurrences
        assertThat(ChineseNameRecognizer.isPersonName("高兴")).isFalse(); // never a name in HanLP's corpus
        assertThat(ChineseNameRecognizer.isPersonName("路就")).isFalse(); // 就 follows names, never ends them
        assertThat(ChineseNameRecognizer.isPersonName("王芳")).isTrue();
    }

    private static List<Entity> recognize(dev.yuanjian.privacy.Recognizer r, String text) {
        List<Entity> found = new ArrayList<>();
        r.recognize(NormalizedText.of(text), found);
        return found;
    }

    private static List<String> found(String text) {
        return ANALYZER.analyze(text).stream().map(e -> e.type().tag() + ":" + e.in(text)).toList();
    }
}

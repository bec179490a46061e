package dev.yuanjian.bench.privacy;

import dev.yuanjian.bench.privacy.LabelledText.Expected;
import dev.yuanjian.privacy.EntityType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Cases for the rule recognizers: Chinese and English sentences with one generated value of a rule
 * type ({@code {}} in a template marks where), about three in four cases; and hard negatives, numbers
 * and codes that look like personal data and are not (order and tracking numbers, timestamps,
 * amounts, dates, wrong check digits, phone-length numbers that are no phones, version strings, codes
 * that have a passport's shape but no passport context). Values are written as people write them:
 * separators, and in one case in ten full-width forms or a zero-width space inside a number.
 */
public final class RuleCases implements CaseSource {

    /** A template: language, the sentence with {@code {}}, what type each slot is and how to make its value. */
    private record Template(String language, String sentence, List<EntityType> types, List<Function<Values, String>> values) {
        Template(String language, EntityType type, String sentence, Function<Values, String> value) {
            this(language, sentence, type == null ? List.of() : List.of(type), List.of(value));
        }

        static Template two(String language, String sentence, EntityType a, Function<Values, String> va, EntityType b,
                            Function<Values, String> vb) {
            return new Template(language, sentence, List.of(a, b), List.of(va, vb));
        }
    }

    private static final List<Template> POSITIVES = List.of(
            new Template("zh", EntityType.CN_RESIDENT_ID, "本人身份证号码{}，请核对。", Values::residentId),
            new Template("zh", EntityType.CN_RESIDENT_ID, "乘客张某（{}）已办理值机。", Values::residentId),
            new Template("en", EntityType.CN_RESIDENT_ID, "Her ID number is {} as printed on the card.", Values::residentId),
            new Template("en", EntityType.CN_RESIDENT_ID, "{}", Values::residentId),
            new Template("zh", EntityType.CN_SOCIAL_CREDIT_CODE, "公司统一社会信用代码：{}。", Values::creditCode),
            new Template("zh", EntityType.CN_SOCIAL_CREDIT_CODE, "开票信息 税号{} 地址见合同", Values::creditCode),
            new Template("en", EntityType.CN_SOCIAL_CREDIT_CODE, "The supplier's credit code is {}.", Values::creditCode),
            new Template("zh", EntityType.CN_MOBILE, "我的手机号是{}，有事打我。", Values::mobile),
            new Template("zh", EntityType.CN_MOBILE, "联系人：王女士 {}", Values::mobile),
            new Template("zh", EntityType.CN_MOBILE, "收件人李雷，{}，北京市朝阳区。", Values::mobile),
            new Template("en", EntityType.CN_MOBILE, "Call me on {} after 6pm.", Values::mobile),
            new Template("en", EntityType.CN_MOBILE, "Reached him at {} yesterday.", Values::mobile),
            new Template("zh", EntityType.CN_LANDLINE, "办公室电话{}，工作日接听。", Values::landline),
            new Template("zh", EntityType.CN_LANDLINE, "客服热线：{}。", Values::landline),
            new Template("en", EntityType.CN_LANDLINE, "Our office number is {}.", Values::landline),
            new Template("en", EntityType.CN_LANDLINE, "Fax {} or email us.", Values::landline),
            new Template("zh", EntityType.CN_BANK_CARD, "请把钱转到我的银行卡{}。", Values::unionPay),
            new Template("zh", EntityType.CN_BANK_CARD, "收款账户 {} 户名张三", Values::unionPay),
            new Template("en", EntityType.CN_BANK_CARD, "Refund to card {} please.", Values::unionPay),
            new Template("en", EntityType.CN_BANK_CARD, "Paid with {} on Monday.", Values::unionPay),
            new Template("zh", EntityType.CREDIT_CARD, "信用卡卡号{}，有效期12/28。", Values::creditCard),
            new Template("en", EntityType.CREDIT_CARD, "My Visa card is {}, expiry 09/27.", Values::creditCard),
            new Template("en", EntityType.CREDIT_CARD, "Charge {} for the invoice.", Values::creditCard),
            new Template("zh", EntityType.CN_PASSPORT, "护照号码：{}，签发地上海。", Values::passport),
            new Template("zh", EntityType.CN_PASSPORT, "请提供护照（{}）复印件。", Values::passport),
            new Template("en", EntityType.CN_PASSPORT, "Passport no. {} expires next year.", Values::passport),
            new Template("zh", EntityType.CN_LICENSE_PLATE, "车牌号{}的车主请挪车。", Values::plate),
            new Template("zh", EntityType.CN_LICENSE_PLATE, "{}在地库B2停了三天。", Values::plate),
            new Template("en", EntityType.CN_LICENSE_PLATE, "The car with plate {} was towed.", Values::plate),
            new Template("zh", EntityType.EMAIL_ADDRESS, "邮箱：{}，欢迎来信。", Values::email),
            new Template("zh", EntityType.EMAIL_ADDRESS, "简历请发{}谢谢", Values::email),
            new Template("en", EntityType.EMAIL_ADDRESS, "Write to {} for details.", Values::email),
            new Template("en", EntityType.EMAIL_ADDRESS, "<{}> wrote:", Values::email),
            new Template("zh", EntityType.IP_ADDRESS, "服务器地址是{}，端口22。", Values::ip),
            new Template("en", EntityType.IP_ADDRESS, "Login from {} was blocked.", Values::ip),
            new Template("en", EntityType.IP_ADDRESS, "ping {} -c 4", Values::ip),
            new Template("zh", EntityType.URL_WITH_CREDENTIALS, "数据库连接串{}，别外传。", Values::credentialUrl),
            new Template("en", EntityType.URL_WITH_CREDENTIALS, "Set DATABASE_URL={} in the env.", Values::credentialUrl),
            new Template("zh", EntityType.SECRET, "这是我的密钥 {} 帮我看看为什么报错", Values::secret),
            new Template("en", EntityType.SECRET, "My key is {} - why does it fail?", Values::secret),
            new Template("en", EntityType.SECRET, "Authorization: Bearer {}", v -> v.alnum(32)),
            new Template("en", EntityType.CN_MOBILE, "tel:{}", Values::mobile),
            new Template("zh", EntityType.CN_MOBILE, "{}", Values::mobile),
            new Template("en", EntityType.EMAIL_ADDRESS, "mailto:{}?subject=hi", Values::email),
            Template.two("zh", "姓名：李四，身份证{}，电话{}。", EntityType.CN_RESIDENT_ID, Values::residentId,
                    EntityType.CN_MOBILE, Values::mobile),
            Template.two("zh", "收款卡号{}，预留手机{}", EntityType.CN_BANK_CARD, Values::unionPay, EntityType.CN_MOBILE, Values::mobile),
            Template.two("en", "Contact: {}, {}", EntityType.EMAIL_ADDRESS, Values::email, EntityType.CN_LANDLINE, Values::landline),
            Template.two("en", "Host {} rejected key {}", EntityType.IP_ADDRESS, Values::ip, EntityType.SECRET, Values::secret),
            Template.two("zh", "车主{}，车牌{}", EntityType.CN_MOBILE, Values::mobile, EntityType.CN_LICENSE_PLATE, Values::plate));

    /** Hard negatives: a template and a look-alike value; nothing should be found. */
    private static final List<Template> NEGATIVES = List.of(
            new Template("zh", null, "订单号{}已发货。", v -> "2024" + v.digits(14)),
            new Template("zh", null, "订单编号：{}", v -> v.digits(16 + v.pickLength())),
            new Template("en", null, "Order #{} has shipped.", v -> "2023" + v.digits(12)),
            new Template("zh", null, "快递单号{}，请查收。", v -> v.pick(new String[] {"SF", "YT", "JD", "ZTO"}) + v.digits(13)),
            new Template("en", null, "Tracking number {}.", v -> "EA" + v.digits(9) + "CN"),
            new Template("en", null, "Created at {} (unix ms).", v -> "17" + v.digits(11)),
            new Template("zh", null, "时间戳{}", v -> "17" + v.digits(8)),
            new Template("zh", null, "合计金额{}元。", v -> v.digits(1 + v.pickLength()) + "," + v.digits(3) + "." + v.digits(2)),
            new Template("en", null, "The total was ${}.", v -> v.digits(2) + "," + v.digits(3) + "," + v.digits(3) + ".00"),
            new Template("zh", null, "会议定于{}召开。", v -> "2025-" + (10 + v.pickLength()) + "-1" + v.pickLength()),
            new Template("en", null, "Logged at {} UTC.", v -> "2025-11-30 12:3" + v.pickLength() + ":45"),
            new Template("zh", null, "身份证号{}（校验位有误）", Values::residentIdWrongCheck),
            new Template("en", null, "Card {} was declined as invalid.", v -> wrongLuhn(v, "62" + v.digits(14))),
            new Template("zh", null, "税号{}", Values::creditCodeWrongCheck),
            new Template("zh", null, "工单号{}", v -> "1" + (char) ('0' + v.pickLength() % 3) + v.digits(9)),
            new Template("en", null, "Ticket {} is closed.", v -> "138" + v.digits(9)),
            new Template("zh", null, "学号{}", v -> "2" + v.digits(10)),
            new Template("en", null, "Upgrade to version {} today.", v -> "1." + v.pickLength() + "." + v.pickLength() + "." + v.digits(2)),
            new Template("zh", null, "版本 {} 修复了若干问题", v -> v.pickLength() + ".0." + v.pickLength() + "." + v.digits(3)),
            new Template("en", null, "SKU {} is out of stock.", v -> "E" + v.digits(8)),
            new Template("zh", null, "商品编码{}", v -> "G" + v.digits(8)),
            new Template("en", null, "Part {} ships in May.", v -> "K" + v.digits(8)),
            new Template("zh", null, "发票号码{}", v -> v.digits(8)),
            new Template("en", null, "Pi is about {}.", v -> "3.14159265358979"),
            new Template("en", null, "Reference {}", v -> "REF" + v.digits(12)));

    @Override
    public List<LabelledText> cases(RandomGenerator random, int count) {
        Values values = new Values(random);
        List<LabelledText> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean negative = random.nextInt(4) == 0;
            Template t = negative ? NEGATIVES.get(random.nextInt(NEGATIVES.size()))
                    : POSITIVES.get(random.nextInt(POSITIVES.size()));
            StringBuilder text = new StringBuilder();
            List<Expected> expected = new ArrayList<>();
            int from = 0;
            for (int slot = 0; slot < t.values().size(); slot++) {
                int at = t.sentence().indexOf("{}", from);
                String value = t.values().get(slot).apply(values);
                if (!negative && t.types().get(slot) != EntityType.SECRET) {
                    value = disguise(value, random);
                }
                text.append(t.sentence(), from, at);
                if (!negative) {
                    expected.add(new Expected(t.types().get(slot), text.length(), text.length() + value.length()));
                }
                text.append(value);
                from = at + 2;
            }
            text.append(t.sentence().substring(from));
            cases.add(new LabelledText(t.language(), (negative ? "negative: " : "") + t.sentence(), text.toString(), expected));
        }
        return cases;
    }

    /** One value in ten full-width, one in ten with a zero-width space inside; the rest as generated. */
    private static String disguise(String value, RandomGenerator random) {
        return switch (random.nextInt(10)) {
            case 0 -> {
                StringBuilder b = new StringBuilder(value.length());
                value.chars().forEach(c -> b.append(c > ' ' && c < 0x7F ? (char) (c + 0xFEE0) : (char) c));
                yield b.toString();
            }
            case 1 -> {
                int cut = 1 + random.nextInt(value.length() - 2);
                yield value.substring(0, cut) + "\u200B" + value.substring(cut);
            }
            default -> value;
        };
    }

    private static String wrongLuhn(Values v, String body) {
        String valid = Values.luhn(body.substring(0, body.length() - 1));
        char last = valid.charAt(valid.length() - 1);
        return valid.substring(0, valid.length() - 1) + (char) ('0' + (last - '0' + 1 + v.pickLength()) % 10);
    }
}

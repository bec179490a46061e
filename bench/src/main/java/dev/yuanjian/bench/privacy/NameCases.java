package dev.yuanjian.bench.privacy;

import dev.yuanjian.privacy.EntityType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import net.datafaker.Faker;

/**
 * Person names, places and organisations in Chinese and English template sentences, and hard
 * negatives (words that look like names: 高明, 文明, 平安; May, Will, April; capitalised openers,
 * products, months).
 *
 * <p>Where the names come from, so that finding them is not a lookup of the recognizer's own lists:
 * Chinese person names are drawn as a common surname plus one or two characters from a list of
 * characters used in given names (so most names are new combinations, not entries of HanLP's
 * dictionary); English names are Datafaker's {@code en} first and last names, a source independent
 * of our gazetteer. A case's template ends in {@code /listed} or {@code /unlisted} when its English
 * given names are (or are not all) in the gazetteer given to the constructor, so recall can be read on
 * names the recognizer never saw. English cases label persons only: English places and organisations
 * are not recognised (they appear as distractors). Chinese places and organisation names are labelled
 * whole ({@code 浙江省杭州市}, {@code 杭州星辰科技有限公司}).
 */
public final class NameCases implements CaseSource {
    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            + "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵"
            + "万钱严武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚舒";
    private static final String[] COMPOUND = {"欧阳", "司马", "上官", "诸葛", "东方", "慕容", "司徒", "皇甫"};
    private static final String GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红飞鹏宇浩然子轩梓涵欣怡思雨晨"
            + "博文俊嘉佳琪雪梅婷慧颖瑶璐晓建国志海波辉斌峰林鑫凯帆航昊天泽睿瑞宁安诗悦彤可心一诺依萱沐辰逸凡景亦铭"
            + "子豪昕妍若曦雅琳蕾薇岚春秋冬露舒蓓蓉莉菲馨月星阳晖毅坤鸿晟";
    private static final String[] PLACES = {"北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆",
            "天津", "苏州", "长沙", "郑州", "青岛", "厦门", "昆明", "大连", "沈阳", "哈尔滨", "浙江省杭州市", "广东省深圳市",
            "四川省成都市", "江苏省南京市", "湖北省武汉市", "北京市海淀区", "上海市浦东新区", "福建省厦门市", "山东省青岛市",
            "云南省昆明市", "河南省郑州市", "湖南省长沙市"};
    private static final String[] KNOWN_ORGS = {"平安银行", "中国银行", "招商银行", "北京大学", "清华大学", "复旦大学",
            "浙江大学", "中国科学院", "华为技术有限公司", "阿里巴巴集团", "中国人民银行", "国家统计局", "协和医院"};
    private static final String[] BRANDS = {"星辰", "华信", "蓝海", "远航", "恒通", "天宇", "博源", "鼎盛", "金桥", "瑞丰",
            "新锐", "宏达", "智联", "云帆", "明德", "汇通"};
    private static final String[] INDUSTRIES = {"科技", "网络技术", "贸易", "医药", "建设", "教育", "咨询", "物流", "电子"};
    private static final String[] ORG_SUFFIXES = {"有限公司", "股份有限公司", "集团"};
    private static final String[] ORG_PLACES = {"杭州", "北京", "上海", "深圳", "苏州", "南京", ""};

    /** Chinese templates: P person, L place, O organisation. */
    private static final String[] ZH = {
        "{P}明天去{L}出差。", "请联系{P}，电话稍后发你。", "患者{P}，男，45岁，家住{L}。", "尊敬的{P}女士：您好！",
        "我叫{P}，在{O}工作。", "{P}和{P}是{O}的同事。", "会议由{P}主持，地点在{L}。", "签名：{P}",
        "{O}的{P}说方案已经通过了。", "收件人：{P}，地址：{L}", "据{O}消息，{P}将于下月调任{L}。",
        "这份合同由{P}起草，{P}审核。", "{P}老师，您好，我是{P}的家长。", "转账给{P}了吗？", "昨天我在{L}遇到了{P}。",
        "{P}向{O}提交了申请。", "请把材料寄给{P}", "联系人{P}，单位{O}。", "{P}先生的快递放在{L}的驿站了。",
        "我和{P}一起去了{L}，顺便拜访了{O}。"};
    private static final String[] ZH_NEGATIVE = {
        "他的手段很高明，大家都服气。", "建设文明城市，人人有责。", "海洋生物多样性需要保护。", "平安是福，健康最重要。",
        "我们马上出发，方便的话一起走。", "周末常常下雨，白天很热。", "黄金价格今天又涨了。", "这个程序的运行时间很长。",
        "于是他张开嘴笑了。", "金融市场的波动让人担忧。", "向阳的房间光线更好。", "建国以来，经济发展迅速。",
        "请在3月15日前提交订单20240315001。", "总金额为12,345.67元，含税。", "高兴的时候要分享给朋友。", "李子和桃子都熟了。",
        "白云在天上飘。", "江河湖海都是水。", "温度适中，安全第一。", "这家银行的服务很好。", "公司明年计划扩大规模。",
        "方向对了，路就不远。", "常见问题请查看帮助文档。", "谢谢大家的支持。", "关于这个问题，我们下周再讨论。",
        "明天天气晴朗，适合出行。", "程序员在写代码。", "张开双臂拥抱未来。", "马上就到春节了。", "石头剪刀布，谁赢了？"};
    /** English templates: P full name, G given name, S surname (after a title), C city, O organisation. */
    private static final String[] EN = {
        "Please send the signed contract to {P} before Friday.", "Dear {P},\nThank you for your order.",
        "My name is {P} and I live in {C}.", "Mr. {S} will join the call from {C}.",
        "Dr. {P} reviewed the chart on Monday.", "Regards,\n{P}", "{P} approved the invoice yesterday.",
        "The report was written by {P} at {O}.", "I spoke with {P} and {P} about the budget.",
        "Ms. {S} asked for a refund.", "Hi {G}, can you check the numbers?", "Patient: {P}, age 52.",
        "Meeting notes: {P} presented the roadmap for {O}.", "Please ask {P} to call me back.", "Signed: {P}",
        "Our new hire {P} starts in {C} next week.", "Forwarding this to {P} for review.",
        "{P} and I met at the {C} office.", "Prof. {P} will give the keynote.", "Thanks, {G}!"};
    private static final String[] EN_NEGATIVE = {
        "May I help you with your order?", "Will this work on Monday?", "April showers bring May flowers.",
        "The Apple Watch is on sale in New York.", "Grace period ends in August.",
        "Please review the attached Project Phoenix report.", "Microsoft Teams and Google Drive are both allowed.",
        "Thanks for the update, see you on Friday.", "Christmas Eve falls on a Wednesday this year.",
        "Amazon Prime Day starts on July 12.", "Hello World is the first program.",
        "The Golden Gate Bridge is in San Francisco.", "Bank of America raised its rates.",
        "Summer Sale: everything must go.", "Meeting Room B is booked until Tuesday.",
        "Order 12345 shipped on March 3.", "Happy New Year from the whole Team!", "Click Save, then Close.",
        "Black Friday deals end at midnight.", "The Tesla Model 3 has a new battery."};
    private static final String[] CITIES = {"London", "Boston", "Seattle", "Toronto", "Sydney", "Dublin", "Chicago"};
    private static final String[] EN_ORGS = {"Acme Corp", "Globex Ltd", "the City Hospital", "Initech", "Northwind Bank"};

    private final Set<String> gazetteer;

    /** @param gazetteer the lower-case given names the recognizer under test knows (to mark cases listed or unlisted) */
    public NameCases(Set<String> gazetteer) {
        this.gazetteer = Set.copyOf(gazetteer);
    }

    @Override
    public List<LabelledText> cases(RandomGenerator random, int count) {
        Faker faker = new Faker(Locale.ENGLISH, new Random(random.nextLong()));
        List<LabelledText> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = i % 20;
            if (kind < 9) {
                out.add(chinese(random));
            } else if (kind < 12) {
                String text = ZH_NEGATIVE[random.nextInt(ZH_NEGATIVE.length)];
                out.add(new LabelledText("zh", "zh-negative", text, List.of()));
            } else if (kind < 18) {
                out.add(english(random, faker));
            } else {
                String text = EN_NEGATIVE[random.nextInt(EN_NEGATIVE.length)];
                out.add(new LabelledText("en", "en-negative", text, List.of()));
            }
        }
        return out;
    }

    private static LabelledText chinese(RandomGenerator random) {
        int t = random.nextInt(ZH.length);
        Filler f = new Filler(ZH[t]);
        while (f.hasSlot()) {
            switch (f.slot()) {
                case 'P' -> f.fill(chineseName(random), EntityType.PERSON);
                case 'L' -> f.fill(PLACES[random.nextInt(PLACES.length)], EntityType.LOCATION);
                case 'O' -> f.fill(organisation(random), EntityType.ORGANIZATION);
                default -> throw new IllegalStateException("unknown slot in " + ZH[t]);
            }
        }
        return new LabelledText("zh", "zh-" + t, f.text(), f.expected());
    }

    private LabelledText english(RandomGenerator random, Faker faker) {
        int t = random.nextInt(EN.length);
        Filler f = new Filler(EN[t]);
        boolean listed = true;
        while (f.hasSlot()) {
            switch (f.slot()) {
                case 'P' -> {
                    String first = faker.name().firstName();
                    listed &= gazetteer.contains(first.toLowerCase(Locale.ROOT));
                    f.fill(first + " " + faker.name().lastName(), EntityType.PERSON);
                }
                case 'G' -> {
                    String first = faker.name().firstName();
                    listed &= gazetteer.contains(first.toLowerCase(Locale.ROOT));
                    f.fill(first, EntityType.PERSON);
                }
                case 'S' -> f.fill(faker.name().lastName(), EntityType.PERSON);
                case 'C' -> f.fill(CITIES[random.nextInt(CITIES.length)], null);
                case 'O' -> f.fill(EN_ORGS[random.nextInt(EN_ORGS.length)], null);
                default -> throw new IllegalStateException("unknown slot in " + EN[t]);
            }
        }
        return new LabelledText("en", "en-" + t + (listed ? "/listed" : "/unlisted"), f.text(), f.expected());
    }

    static String chineseName(RandomGenerator random) {
        String surname = random.nextInt(20) == 0 ? COMPOUND[random.nextInt(COMPOUND.length)]
                : String.valueOf(SURNAMES.charAt(random.nextInt(SURNAMES.length())));
        StringBuilder name = new StringBuilder(surname);
        int given = random.nextInt(10) < 3 ? 1 : 2;
        for (int i = 0; i < given; i++) {
            name.append(GIVEN.charAt(random.nextInt(GIVEN.length())));
        }
        return name.toString();
    }

    private static String organisation(RandomGenerator random) {
        if (random.nextInt(3) == 0) {
            return KNOWN_ORGS[random.nextInt(KNOWN_ORGS.length)];
        }
        return ORG_PLACES[random.nextInt(ORG_PLACES.length)] + BRANDS[random.nextInt(BRANDS.length)]
                + INDUSTRIES[random.nextInt(INDUSTRIES.length)] + ORG_SUFFIXES[random.nextInt(ORG_SUFFIXES.length)];
    }

    /** Replaces {X} slots left to right, recording the span of each labelled value. */
    private static final class Filler {
        private final StringBuilder text;
        private final List<LabelledText.Expected> expected = new ArrayList<>();

        Filler(String template) {
            this.text = new StringBuilder(template);
        }

        boolean hasSlot() {
            return text.indexOf("{") >= 0;
        }

        char slot() {
            return text.charAt(text.indexOf("{") + 1);
        }

        void fill(String value, EntityType type) {
            int at = text.indexOf("{");
            text.replace(at, at + 3, value);
            if (type != null) {
                expected.add(new LabelledText.Expected(type, at, at + value.length()));
            }
        }

        String text() {
            return text.toString();
        }

        List<LabelledText.Expected> expected() {
            return expected;
        }
    }
}

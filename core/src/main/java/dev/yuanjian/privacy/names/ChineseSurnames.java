package dev.yuanjian.privacy.names;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chinese family names: the single-character surnames that cover nearly all of the population
 * (the common entries of the Hundred Family Surnames and of the 2020 census rankings) and the
 * compound ones still in use. A Chinese person name starts with one of these; HanLP's person role
 * tagger also proposes names that do not, and those are mostly common words.
 */
final class ChineseSurnames {
    private static final String SINGLE = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            + "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
            + "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
            + "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
            + "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑"
            + "迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜阚花权强帅屠豆朴盖练廉禹井"
            + "祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹"
            + "诸战慕危玉银亢嵇湛宾戎勾茅利於居揭干但尉冶斯元束檀衣信展阎昝钮";

    private static final Set<String> COMPOUND = Set.of("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙",
            "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟",
            "澹台", "公冶", "宗政", "濮阳", "太史", "申屠", "闻人", "钟离", "第五", "赫连", "拓跋", "左丘", "东郭");

    private static final Set<Character> SINGLES = SINGLE.chars().mapToObj(c -> (char) c).collect(Collectors.toUnmodifiableSet());

    private ChineseSurnames() {
    }

    /** The length of the surname {@code name} starts with (2 for a compound one), or 0 when it starts with none. */
    static int surnameLength(String name) {
        if (name.length() >= 3 && COMPOUND.contains(name.substring(0, 2))) {
            return 2;
        }
        return !name.isEmpty() && isSingle(name.charAt(0)) ? 1 : 0;
    }

    /** True when {@code word} is exactly a compound surname. */
    static boolean isCompound(String word) {
        return COMPOUND.contains(word);
    }

    /** True when {@code c} is a single-character surname. */
    static boolean isSingle(char c) {
        return SINGLES.contains(c);
    }
}

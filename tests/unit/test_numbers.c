/* test_numbers.c -- the number and quantity grammar, table-driven.
 *
 * Each case is a short invented phrase and what num_next must find first in
 * it: a value with its unit and qualifier, a redacted placeholder, a ratio, a
 * range, a change, or nothing at all (the non-figures). */
#include "check.h"
#include "conf.h"
#include "numbers.h"
#include "test_units.h"

#include <stdlib.h>

static num_units units;

enum expect { E_VALUE, E_REDACTED, E_RATIO, E_RANGE, E_NONE };

typedef struct ncase {
    const char *text;
    enum expect kind;
    double value;       /* E_VALUE, E_RANGE low, E_RATIO value */
    const char *unit;   /* normalized unit, "" for none */
    qualifier qual;
    double a, b;        /* E_RATIO left/right, E_RANGE high in a */
    const char *raw;    /* expected quantity text, NULL to skip */
} ncase;

#define V(t, v, u, q) {t, E_VALUE, v, u, q, 0, 0, NULL}
#define VR(t, v, u, q, raw) {t, E_VALUE, v, u, q, 0, 0, raw}
#define RED(t, u, q) {t, E_REDACTED, 0, u, q, 0, 0, NULL}
#define RAT(t, l, r, v) {t, E_RATIO, v, "", QUAL_NONE, l, r, NULL}
#define RNG(t, lo, hi, u) {t, E_RANGE, lo, u, QUAL_NONE, hi, 0, NULL}
#define NONE(t) {t, E_NONE, 0, "", QUAL_NONE, 0, 0, NULL}

#define N_ QUAL_NONE
#define AP QUAL_APPROX
#define OV QUAL_OVER
#define UN QUAL_UNDER

static const ncase CASES[] = {
    /* Arabic numbers, decimals, separators, full-width */
    V("全镇共有学生356人", 356, "人", N_),
    V("专任教师48名", 48, "名", N_),
    V("校舍面积达到5120.5平方米", 5120.5, "平方米", N_),
    V("共有图书12,480册", 12480, "册", N_),
    V("免除杂费共计1,234,567元", 1234567, "元", N_),
    V("招生1，234人", 1234, "人", N_),
    VR("新建3,5所学校", 3, "", N_, "3"),
    V("１２３人参加培训", 123, "人", N_),
    V("入学率９８．６％", 98.6, "%", N_),
    V("生均１５．５册", 15.5, "册", N_),
    V("完成投资１，２３４万元", 12340000, "元", N_),
    V("合格率为0%", 0, "%", N_),
    V("年辍学率为0.12%", 0.12, "%", N_),
    V("平均每生12.00元", 12, "元", N_),
    V("在校生92988人", 92988, "人", N_),
    V("成班率达到60.8", 60.8, "", N_),
    V("学生 1152", 1152, "", N_),
    V("达标率 95 %", 95, "%", N_),
    V("生均藏书 35.2 册", 35.2, "册", N_),
    /* Chinese numerals */
    V("全乡有七所学校", 7, "所", N_),
    V("新建两所幼儿园", 2, "所", N_),
    V("十一个教学班", 11, "个", N_),
    V("招聘二十名教师", 20, "名", N_),
    V("共计一千二百人", 1200, "人", N_),
    V("两千三百人参加", 2300, "人", N_),
    V("一千零五人", 1005, "人", N_),
    V("三万二千册图书", 32000, "册", N_),
    V("一万五千元奖金", 15000, "元", N_),
    V("一千二百余名学生", 1200, "名", OV),
    V("两千三百余名家长", 2300, "名", OV),
    V("十余所学校", 10, "所", OV),
    V("新增一个班", 1, "个", N_),
    V("投入五千万元", 50000000, "元", N_),
    V("拨付三亿元", 300000000, "元", N_),
    V("增加了九台电脑", 9, "台", N_),
    V("计算机十四台", 14, "台", N_),
    V("一百零八人", 108, "人", N_),
    V("建成〇个", 0, "个", N_),
    V("零个", 0, "个", N_),
    V("壹佰贰拾叁元", 123, "元", N_),
    V("捌仟元整", 8000, "元", N_),
    V("叁拾伍所", 35, "所", N_),
    V("玖佰玖拾玖元", 999, "元", N_),
    V("壹万贰仟元", 12000, "元", N_),
    V("四十五人一个班", 45, "人", N_),
    /* multipliers */
    V("常住人口3.6万人", 36000, "人", N_),
    V("教育经费1.25亿元", 125000000, "元", N_),
    V("投入5368万元", 53680000, "元", N_),
    V("新建校舍1.2万平方米", 12000, "平方米", N_),
    V("总建筑面积2.5万㎡", 25000, "平方米", N_),
    V("惠及 5 万余人", 50000, "人", OV),
    V("总投资1.4亿多元", 140000000, "元", OV),
    V("筹资80余 万元", 800000, "元", OV),
    V("捐资20万余元", 200000, "元", OV),
    V("投入20余万", 200000, "", OV),
    V("累计投入 1.25 亿元", 125000000, "元", N_),
    V("筹资460余萬元", 4600000, "元", OV),
    V("经费3千元", 3000, "元", N_),
    V("资金12.58亿元", 1258000000, "元", N_),
    V("资助15万元", 150000, "元", N_),
    V("教师1880.36万人", 18803600, "人", N_),
    /* percentages and per mille */
    V("巩固率98.6%", 98.6, "%", N_),
    V("毛入学率104.1%", 104.1, "%", N_),
    V("百分之九十八点六的学生", 98.6, "%", N_),
    V("覆盖率达到百分之百", 100, "%", N_),
    V("百分之五十的教师", 50, "%", N_),
    V("百分之一百", 100, "%", N_),
    V("百分之八", 8, "%", N_),
    V("百分之98.5", 98.5, "%", N_),
    V("近视率千分之五", 5, "‰", N_),
    V("辍学率0.5‰", 0.5, "‰", N_),
    V("约百分之六十", 60, "%", AP),
    /* 个百分点 is a change */
    V("提高2.3个百分点", 2.3, "个百分点", N_),
    V("下降0.5个百分点", 0.5, "个百分点", N_),
    V("提高了两个百分点", 2, "个百分点", N_),
    V("增长1.4百分点", 1.4, "个百分点", N_),
    /* ratios */
    RAT("师生比为1:17.3", 1, 17.3, 17.3),
    RAT("师机比达到1:1.有效实现", 1, 1, 1), /* a dot after the ratio ends the sentence */
    RAT("师生比1∶17.3", 1, 17.3, 17.3),
    RAT("师生比1︰17.3", 1, 17.3, 17.3),
    RAT("师生比1：17.3", 1, 17.3, 17.3),
    RAT("生师比17.3:1", 17.3, 1, 17.3),
    RAT("师生比1比17.3", 1, 17.3, 17.3),
    RAT("生机比10:1", 10, 1, 10),
    RAT("师机比1:1", 1, 1, 1),
    RAT("生师比12.76:1", 12.76, 1, 12.76),
    RAT("师生比01:22", 1, 22, 22),
    RAT("生师比16:01", 16, 1, 16),
    RAT("玻地比1:6", 1, 6, 6),
    RAT("班师比1:2.5", 1, 2.5, 2.5),
    RAT("男女比45:55", 45, 55, 55),
    /* qualifiers */
    V("约400人", 400, "人", AP),
    V("近20次培训", 20, "次", AP),
    V("将近300名", 300, "名", AP),
    V("接近90%", 90, "%", AP),
    V("学生200人左右", 200, "人", AP),
    V("每班40人上下", 40, "人", AP),
    V("藏书4286余册", 4286, "册", OV),
    V("120多名骨干教师", 120, "名", OV),
    V("30 多名幼儿", 30, "名", OV),
    V("巩固率保持在99%以上", 99, "%", OV),
    V("超过500分", 500, "分", OV),
    V("逾千名", 1000, "名", OV),
    V("逾3000人", 3000, "人", OV),
    V("不少于20册", 20, "册", OV),
    V("不足50人", 50, "人", UN),
    V("不到10所", 10, "所", UN),
    V("达不到60米", 60, "米", UN),
    V("辍学率控制在1%以内", 1, "%", UN),
    V("班额45人以下", 45, "人", UN),
    V("近400余名教师", 400, "名", OV),
    V("约300人以上", 300, "人", OV),
    V("约 300 人", 300, "人", AP),
    V("十余个", 10, "个", OV),
    {"师生比1:20左右", E_RATIO, 20, "", AP, 1, 20, NULL},
    /* ranges */
    RNG("录取线148~207分", 148, 207, "分"),
    RNG("比例在20%-30%之间", 20, 30, "%"),
    RNG("配备1至2名教研员", 1, 2, "名"),
    RNG("每班5-10人", 5, 10, "人"),
    RNG("面积120～150平方米", 120, 150, "平方米"),
    RNG("三至五所学校", 3, 5, "所"),
    RNG("增长15%~20%", 15, 20, "%"),
    RNG("资金3-5万元", 30000, 50000, "元"),
    RNG("资金300-500万元", 3000000, 5000000, "元"),
    /* redaction placeholders */
    RED("改扩建x所", "所", N_),
    RED("已完工xx所", "所", N_),
    RED("上线xxx人", "人", N_),
    RED("新招xxxx人", "人", N_),
    RED("建设X所", "所", N_),
    RED("组织ＸＸ名教师", "名", N_),
    RED("评出××所", "所", N_),
    RED("升学率为＿＿%", "%", N_),
    RED("入学率达到___%", "%", N_),
    RED("完成__所", "所", N_),
    RED("入学率_%", "%", N_),
    RED("共有*名", "名", N_),
    RED("20xx余人参加", "人", OV),
    RED("共计35920xx元", "元", N_),
    RED("资金xxxx.xxx万元", "元", N_),
    RED("捐款近___万元", "元", AP),
    RED("筹措xxxx余万元", "元", OV),
    RED("xx 所学校", "所", N_),
    RED("自评29.分", "分", N_),
    RED("生均0.平方米", "平方米", N_),
    RED("政策知晓率达到xxx%", "%", N_),
    RED("课桌凳xxxxx套", "套", N_),
    RED("资助xxxxx人次", "人次", N_),
    /* units from the gold */
    V("教学楼三栋", 3, "栋", N_),
    V("全村199户", 199, "户", N_),
    V("民办园5园", 5, "园", N_),
    V("企业12家", 12, "家", N_),
    V("结成8对", 8, "对", N_),
    V("一年级为2轨", 2, "轨", N_),
    V("50种读物", 50, "种", N_),
    V("超过9个班", 9, "个", OV),
    V("校车6辆", 6, "辆", N_),
    V("问卷300份", 300, "份", N_),
    V("2支节能灯", 2, "支", N_),
    V("路灯20盏", 20, "盏", N_),
    V("3位专家", 3, "位", N_),
    V("宿舍楼2幢", 2, "幢", N_),
    V("隐患400余条", 400, "条", OV),
    V("课桌50张", 50, "张", N_),
    V("辖区12.5平方公里", 12.5, "平方公里", N_),
    V("接送费1800元/期", 1800, "元/期", N_),
    V("培训72学时", 72, "学时", N_),
    V("观摩课120余节次", 120, "节次", OV),
    V("开展50多场次", 50, "场次", OV),
    V("占地35亩", 35, "亩", N_),
    V("用地2.1公顷", 2.1, "公顷", N_),
    V("跑道400米", 400, "米", N_),
    V("距离3.5公里", 3.5, "公里", N_),
    V("通车12千米", 12, "千米", N_),
    V("面积600㎡", 600, "平方米", N_),
    V("面积600m²", 600, "平方米", N_),
    V("面积600m2", 600, "平方米", N_),
    V("面积8162平方", 8162, "平方米", N_),
    V("面积600平米", 600, "平方米", N_),
    V("用时3天", 3, "天", N_),
    V("缩短至72小时", 72, "小时", N_),
    V("儿童6岁", 6, "岁", N_),
    V("自评11分", 11, "分", N_),
    V("15個教學班", 15, "个", N_),
    V("7臺電腦", 7, "台", N_),
    V("3間教室", 3, "间", N_),
    V("2冊", 2, "册", N_),
    V("4棟", 4, "栋", N_),
    V("安装30套", 30, "套", N_),
    V("开设4节", 4, "节", N_),
    V("组织2场", 2, "场", N_),
    V("发表10篇", 10, "篇", N_),
    V("办理8件", 8, "件", N_),
    V("完成20项", 20, "项", N_),
    V("培训300人次", 300, "人次", N_),
    V("多媒体教室12间", 12, "间", N_),
    V("图书2900本", 2900, "本", N_),
    V("学习30分钟", 30, "分钟", N_),
    /* not figures */
    /* a list number opening a clause is no truncated number */
    NONE("附注:2.本表数据来自年报"),
    NONE("资料不全。3.各校自查"),
    NONE("说明; 4.此项由乡镇填报"),
    NONE("2018年5月15日召开"),
    NONE("20xx年工作总结"),
    NONE("xxxx年"),
    NONE("09—10学年"),
    NONE("2021-2022学年度"),
    NONE("于2018-05-15印发"),
    NONE("于2018.5.15印发"),
    NONE("第五中学"),
    NONE("第3名"),
    NONE("十八届三中全会"),
    NONE("第二十三届运动会"),
    NONE("第11页共16页"),
    NONE("一、总体情况"),
    NONE("(三)工作措施"),
    NONE("\n2. 制定方案"),
    NONE("\n3、加强管理"),
    NONE("\n1.分类推进"),
    NONE("(1)加强领导"),
    NONE("联系电话13812345678"),
    NONE("电话0851-1234567"),
    NONE("教督〔2021〕3号"),
    NONE("大小:101.50 KB"),
    NONE("上午8:30开会"),
    NONE("下午14:45结束"),
    NONE("8点30分到校"),
    NONE("一是加强领导"),
    NONE("统一规划"),
    NONE("一些问题"),
    NONE("进一步提升"),
    NONE("一定成效"),
    NONE("安全第一"),
    NONE("十分重要"),
    NONE("三分之一"),
    NONE("ADOS-2量表"),
    NONE("40w节能灯"),
    NONE("巩固率[3]"),
    NONE("第1页"),
    NONE("1/7"),
    NONE("XX县区"),
    NONE("Xbox"),
    NONE("十四五规划"),
    NONE("2020年"),
    NONE("ID:62344208"),
    NONE("唯一一名"),
    NONE("统一个别"),
};

static void cases_should_parse_as_tabled(void)
{
    size_t n = sizeof CASES / sizeof CASES[0];
    CHECK(n >= 150);
    for (size_t k = 0; k < n; k++) {
        const ncase *c = &CASES[k];
        quantity q;
        bool found = num_next(&units, c->text, strlen(c->text), 0, &q);
        int bad = 0;
        if (c->kind == E_NONE) {
            bad = found;
        } else if (!found) {
            bad = 1;
        } else {
            bad |= strcmp(q.unit_norm, c->unit) != 0;
            bad |= q.qual != c->qual;
            bad |= q.redacted != (c->kind == E_REDACTED);
            bad |= q.has_value != (c->kind != E_REDACTED);
            bad |= q.is_ratio != (c->kind == E_RATIO);
            bad |= q.is_range != (c->kind == E_RANGE);
            if (c->kind != E_REDACTED)
                bad |= fabs(q.value - c->value) > 1e-9 * (fabs(c->value) + 1);
            if (c->kind == E_RATIO)
                bad |= q.left != c->a || q.right != c->b;
            if (c->kind == E_RANGE)
                bad |= fabs(q.value_hi - c->a) > 1e-9 * (fabs(c->a) + 1);
            if (c->raw)
                bad |= q.end - q.start != strlen(c->raw) ||
                       memcmp(c->text + q.start, c->raw, strlen(c->raw)) != 0;
            bad |= q.start > q.num_start || q.num_start >= q.num_end || q.num_end > q.end;
        }
        if (bad) {
            if (found)
                printf("#   case %zu \"%s\": got [%.*s] value %.17g hi %.17g unit \"%s\" qual %d "
                       "redacted %d ratio %d (%g:%g) range %d\n",
                       k, c->text, (int)(q.end - q.start), c->text + q.start, q.value,
                       q.value_hi, q.unit_norm, q.qual, q.redacted, q.is_ratio, q.left, q.right,
                       q.is_range);
            else
                printf("#   case %zu \"%s\": found nothing\n", k, c->text);
            check_current_failed = 1;
        }
    }
}

static void change_should_be_set_by_percentage_points_only(void)
{
    quantity q;
    const char *t = "提高2.3个百分点";
    CHECK(num_next(&units, t, strlen(t), 0, &q));
    CHECK(q.change);
    CHECK(q.dim == DIM_POINTS);
    CHECK_STR(q.unit_norm, "个百分点");
    t = "增长2.3%";
    CHECK(num_next(&units, t, strlen(t), 0, &q));
    CHECK(!q.change);
    CHECK(q.dim == DIM_PERCENT);
}

static void num_next_should_find_every_figure_in_order(void)
{
    const char *t = "2019年全县有小学12所、初中5所，在校生3.6万人，师生比1:17.3，"
                    "入学率100%，第二中学约400余名教师。";
    static const double want[] = {12, 5, 36000, 17.3, 100, 400};
    size_t pos = 0, k = 0;
    quantity q;
    while (num_next(&units, t, strlen(t), pos, &q)) {
        CHECK(k < sizeof want / sizeof want[0]);
        if (k < sizeof want / sizeof want[0])
            CHECK_NUM(q.value, want[k]);
        CHECK(q.start >= pos);
        k++;
        pos = q.end;
    }
    CHECK(k == sizeof want / sizeof want[0]);
}

static void spans_should_cover_qualifiers_and_units(void)
{
    const char *t = "共有近400余名教师";
    quantity q;
    CHECK(num_next(&units, t, strlen(t), 0, &q));
    CHECK(memcmp(t + q.start, "近", 3) == 0);
    CHECK(q.num_end - q.num_start == 3);
    CHECK(memcmp(t + q.num_start, "400", 3) == 0);
    CHECK(q.end == strlen(t) - strlen("教师"));
    CHECK(q.unit_end - q.unit_start == 3);
    CHECK(memcmp(t + q.unit_start, "名", 3) == 0);
    CHECK(q.qual_pre == QUAL_APPROX);
    CHECK(q.qual_post == QUAL_OVER);
    CHECK(q.qual == QUAL_OVER);
    CHECK_NUM(q.number, 400);
}

static void multiplier_should_be_reported(void)
{
    const char *t = "5368万元";
    quantity q;
    CHECK(num_parse_at(&units, t, strlen(t), 0, &q));
    CHECK_NUM(q.number, 5368);
    CHECK_NUM(q.mult, 10000);
    CHECK_NUM(q.value, 53680000);
    CHECK(q.dim == DIM_MONEY);
    CHECK(q.unit && strcmp(q.unit->surface, "万元") == 0);
}

static void num_parse_at_should_read_a_year_as_a_number(void)
{
    /* the grammar reads it; only num_next decides it is not a figure */
    const char *t = "2018年";
    quantity q;
    CHECK(num_parse_at(&units, t, strlen(t), 0, &q));
    CHECK_NUM(q.value, 2018);
    CHECK(!num_next(&units, t, strlen(t), 0, &q));
    CHECK(!num_parse_at(&units, "学校", 6, 0, &q));
    CHECK(!num_parse_at(&units, "", 0, 0, &q));
}

static void overflow_should_give_no_value(void)
{
    const char *t = "12345678901234567890元";
    quantity q;
    CHECK(num_parse_at(&units, t, strlen(t), 0, &q));
    CHECK(q.overflow);
    CHECK(!q.has_value);
    CHECK(q.value == 0);
    CHECK(!num_next(&units, t, strlen(t), 0, &q));
    /* 15 significant digits are still exact */
    t = "123456789012345元";
    CHECK(num_parse_at(&units, t, strlen(t), 0, &q));
    CHECK(!q.overflow);
    CHECK_NUM(q.value, 123456789012345.0);
    t = "九千亿亿亿元";
    CHECK(num_parse_at(&units, t, strlen(t), 0, &q));
    CHECK(q.overflow);
    CHECK(!q.has_value);
}

static void units_load_should_report_bad_entries(void)
{
    const char *text = "[个]\ndim = count\n[斤]\ndim = weight\n[吨]\nmult = -1\ndim = other\n"
                       "[盒]\n";
    conf_file f;
    diag d = DIAG_INIT;
    CHECK(conf_parse("units.conf", text, strlen(text), &f, &d));
    num_units u;
    size_t errors = num_units_load(&f, &u, &d);
    CHECK(errors == 3);
    CHECK(u.n == 1);
    CHECK(d.text.data && strstr(d.text.data, "unknown dim 'weight'"));
    CHECK(d.text.data && strstr(d.text.data, "[盒] has no dim"));
    num_units_free(&u);
    num_units_free(NULL);
    conf_free(&f);
    diag_free(&d);
}

static void unit_at_should_prefer_the_longest_surface(void)
{
    const char *t = "个百分点";
    const num_unit *un = num_unit_at(&units, t, strlen(t), 0);
    CHECK(un && strcmp(un->surface, "个百分点") == 0);
    t = "人次";
    un = num_unit_at(&units, t, strlen(t), 0);
    CHECK(un && strcmp(un->surface, "人次") == 0);
    t = "万平方米";
    un = num_unit_at(&units, t, strlen(t), 0);
    CHECK(un && un->mult == 10000);
    CHECK(num_unit_at(&units, "学", 3, 0) == NULL);
}

/* UTF-8 of cp (below U+10000) at out; its length. */
static size_t encode_bmp(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* The table of what may follow a number (cont1, cont3) only lets parse()
 * and num_next() skip steps that would find nothing: after a number, every
 * character of the BMP (then more text) gives the same quantity, and the
 * same first figure, as with no table. */
static void follow_table_should_not_change_a_parse(void)
{
    static const char *const NUMS[] = {"5", "12", "五", "百分之五", "约3"};
    static const char *const AFTER[] = {"", "5", "人", "\xE3\x80\x80%"};
    num_units slow = units; /* shares the tables; never freed */
    slow.cont3 = NULL;      /* no table: everything may follow */
    CHECK(units.cont3 != NULL);
    size_t bad = 0;
    for (uint32_t cp = 1; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        for (size_t a = 0; a < sizeof NUMS / sizeof NUMS[0]; a++)
            for (size_t b = 0; b < sizeof AFTER / sizeof AFTER[0]; b++) {
                char text[64];
                size_t n = strlen(NUMS[a]);
                memcpy(text, NUMS[a], n);
                n += encode_bmp(cp, text + n);
                memcpy(text + n, AFTER[b], strlen(AFTER[b]));
                n += strlen(AFTER[b]);
                quantity q1, q2;
                bool ok1 = num_parse_at(&units, text, n, 0, &q1);
                bool ok2 = num_parse_at(&slow, text, n, 0, &q2);
                bool same = ok1 == ok2 && memcmp(&q1, &q2, sizeof q1) == 0;
                ok1 = num_next(&units, text, n, 0, &q1);
                ok2 = num_next(&slow, text, n, 0, &q2);
                same = same && ok1 == ok2 && (!ok1 || memcmp(&q1, &q2, sizeof q1) == 0);
                if (!same) {
                    if (bad++ < 5)
                        printf("#   differs after \"%s\": U+%04X\n", NUMS[a], (unsigned)cp);
                }
            }
    }
    CHECK(bad == 0);
}

int main(void)
{
    if (!load_test_units(&units))
        return 1;
    RUN(cases_should_parse_as_tabled);
    RUN(change_should_be_set_by_percentage_points_only);
    RUN(num_next_should_find_every_figure_in_order);
    RUN(spans_should_cover_qualifiers_and_units);
    RUN(multiplier_should_be_reported);
    RUN(num_parse_at_should_read_a_year_as_a_number);
    RUN(overflow_should_give_no_value);
    RUN(units_load_should_report_bad_entries);
    RUN(unit_at_should_prefer_the_longest_surface);
    RUN(follow_table_should_not_change_a_parse);
    num_units_free(&units);
    return check_done();
}

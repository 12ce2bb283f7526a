"""The display names of the code tables (resources/data/codes), translated for the UI.

The tables stay Chinese in the store and on the wire; only what the UI shows is translated, here,
in the catalogue context "codes". `CATALOGUE` lists every name of every table so that lupdate
(scripts/build_translations) puts them in the catalogue; tests/ui/test_code_names.py fails when a
table has a name that is not listed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from client.domain.codes import code_table
from client.domain.messages import QT_TRANSLATE_NOOP

CONTEXT = "codes"
# person fields holding a code of a table, and those holding a division code
CODED = {"sex": "sex", "ethnicity": "ethnicity", "relation": "relation", "marital_status": "marital",
         "hukou_type": "hukou_type", "id_type": "id_type", "education": "education_2006"}
PLACES = {"hukou_place", "residence_place", "managing_place"}


def translated(name: str) -> str:
    """A code-table name (Chinese) in the UI's language."""
    return QCoreApplication.translate(CONTEXT, name)


def code_name(table: str, code: str | None) -> str | None:
    """The display name of code in table (translated), None when the code is not in it."""
    name = code_table(table).name(code)
    return translated(name) if name else None


def display_value(field: str, value: object) -> str:
    """A value as the worker reads it: codes with their names, places by name ("<person_id>.<field>"
    of a duplicates case too)."""
    if value in (None, ""):
        return QCoreApplication.translate("", "（空）")
    base = field.split(".", 1)[-1]
    if base in CODED and isinstance(value, str):
        name = code_name(CODED[base], value)
        return f"{value} {name}" if name else value
    if base in PLACES and isinstance(value, str):
        from ui.worklist_model import place_name  # here: ui.worklist_model -> ui.messages -> us
        return place_name(value)
    if isinstance(value, (dict, list)):
        return QCoreApplication.translate("", "（已变化）")
    return str(value)


CATALOGUE: tuple[str, ...] = (
    # gbt2261_1_sex
    QT_TRANSLATE_NOOP("codes", "未知的性别"), QT_TRANSLATE_NOOP("codes", "男性"), QT_TRANSLATE_NOOP("codes", "女性"), QT_TRANSLATE_NOOP("codes", "女性改(变)为男性"),
    QT_TRANSLATE_NOOP("codes", "男性改(变)为女性"), QT_TRANSLATE_NOOP("codes", "未说明的性别"),
    # gbt2261_2_marital
    QT_TRANSLATE_NOOP("codes", "未婚"), QT_TRANSLATE_NOOP("codes", "已婚"), QT_TRANSLATE_NOOP("codes", "初婚"), QT_TRANSLATE_NOOP("codes", "再婚"),
    QT_TRANSLATE_NOOP("codes", "复婚"), QT_TRANSLATE_NOOP("codes", "丧偶"), QT_TRANSLATE_NOOP("codes", "离婚"), QT_TRANSLATE_NOOP("codes", "未说明的婚姻状况"),
    # gbt3304_ethnicity
    QT_TRANSLATE_NOOP("codes", "汉族"), QT_TRANSLATE_NOOP("codes", "蒙古族"), QT_TRANSLATE_NOOP("codes", "回族"), QT_TRANSLATE_NOOP("codes", "藏族"),
    QT_TRANSLATE_NOOP("codes", "维吾尔族"), QT_TRANSLATE_NOOP("codes", "苗族"), QT_TRANSLATE_NOOP("codes", "彝族"), QT_TRANSLATE_NOOP("codes", "壮族"),
    QT_TRANSLATE_NOOP("codes", "布依族"), QT_TRANSLATE_NOOP("codes", "朝鲜族"), QT_TRANSLATE_NOOP("codes", "满族"), QT_TRANSLATE_NOOP("codes", "侗族"),
    QT_TRANSLATE_NOOP("codes", "瑶族"), QT_TRANSLATE_NOOP("codes", "白族"), QT_TRANSLATE_NOOP("codes", "土家族"), QT_TRANSLATE_NOOP("codes", "哈尼族"),
    QT_TRANSLATE_NOOP("codes", "哈萨克族"), QT_TRANSLATE_NOOP("codes", "傣族"), QT_TRANSLATE_NOOP("codes", "黎族"), QT_TRANSLATE_NOOP("codes", "傈僳族"),
    QT_TRANSLATE_NOOP("codes", "佤族"), QT_TRANSLATE_NOOP("codes", "畲族"), QT_TRANSLATE_NOOP("codes", "高山族"), QT_TRANSLATE_NOOP("codes", "拉祜族"),
    QT_TRANSLATE_NOOP("codes", "水族"), QT_TRANSLATE_NOOP("codes", "东乡族"), QT_TRANSLATE_NOOP("codes", "纳西族"), QT_TRANSLATE_NOOP("codes", "景颇族"),
    QT_TRANSLATE_NOOP("codes", "柯尔克孜族"), QT_TRANSLATE_NOOP("codes", "土族"), QT_TRANSLATE_NOOP("codes", "达斡尔族"), QT_TRANSLATE_NOOP("codes", "仫佬族"),
    QT_TRANSLATE_NOOP("codes", "羌族"), QT_TRANSLATE_NOOP("codes", "布朗族"), QT_TRANSLATE_NOOP("codes", "撒拉族"), QT_TRANSLATE_NOOP("codes", "毛南族"),
    QT_TRANSLATE_NOOP("codes", "仡佬族"), QT_TRANSLATE_NOOP("codes", "锡伯族"), QT_TRANSLATE_NOOP("codes", "阿昌族"), QT_TRANSLATE_NOOP("codes", "普米族"),
    QT_TRANSLATE_NOOP("codes", "塔吉克族"), QT_TRANSLATE_NOOP("codes", "怒族"), QT_TRANSLATE_NOOP("codes", "乌孜别克族"), QT_TRANSLATE_NOOP("codes", "俄罗斯族"),
    QT_TRANSLATE_NOOP("codes", "鄂温克族"), QT_TRANSLATE_NOOP("codes", "德昂族"), QT_TRANSLATE_NOOP("codes", "保安族"), QT_TRANSLATE_NOOP("codes", "裕固族"),
    QT_TRANSLATE_NOOP("codes", "京族"), QT_TRANSLATE_NOOP("codes", "塔塔尔族"), QT_TRANSLATE_NOOP("codes", "独龙族"), QT_TRANSLATE_NOOP("codes", "鄂伦春族"),
    QT_TRANSLATE_NOOP("codes", "赫哲族"), QT_TRANSLATE_NOOP("codes", "门巴族"), QT_TRANSLATE_NOOP("codes", "珞巴族"), QT_TRANSLATE_NOOP("codes", "基诺族"),
    QT_TRANSLATE_NOOP("codes", "其他"), QT_TRANSLATE_NOOP("codes", "外国血统中国籍人士"),
    # gbt4761_family_relation
    QT_TRANSLATE_NOOP("codes", "本人"), QT_TRANSLATE_NOOP("codes", "户主"), QT_TRANSLATE_NOOP("codes", "配偶"), QT_TRANSLATE_NOOP("codes", "夫"),
    QT_TRANSLATE_NOOP("codes", "妻"), QT_TRANSLATE_NOOP("codes", "子"), QT_TRANSLATE_NOOP("codes", "独生子"), QT_TRANSLATE_NOOP("codes", "长子"),
    QT_TRANSLATE_NOOP("codes", "次子"), QT_TRANSLATE_NOOP("codes", "三子"), QT_TRANSLATE_NOOP("codes", "四子"), QT_TRANSLATE_NOOP("codes", "五子"),
    QT_TRANSLATE_NOOP("codes", "养子或继子"), QT_TRANSLATE_NOOP("codes", "女婿"), QT_TRANSLATE_NOOP("codes", "其他儿子"), QT_TRANSLATE_NOOP("codes", "女"),
    QT_TRANSLATE_NOOP("codes", "独生女"), QT_TRANSLATE_NOOP("codes", "长女"), QT_TRANSLATE_NOOP("codes", "次女"), QT_TRANSLATE_NOOP("codes", "三女"),
    QT_TRANSLATE_NOOP("codes", "四女"), QT_TRANSLATE_NOOP("codes", "五女"), QT_TRANSLATE_NOOP("codes", "养女或继女"), QT_TRANSLATE_NOOP("codes", "儿媳"),
    QT_TRANSLATE_NOOP("codes", "其他女儿"), QT_TRANSLATE_NOOP("codes", "孙子、孙女或外孙子、外孙女"), QT_TRANSLATE_NOOP("codes", "孙子"), QT_TRANSLATE_NOOP("codes", "孙女"),
    QT_TRANSLATE_NOOP("codes", "外孙子"), QT_TRANSLATE_NOOP("codes", "外孙女"), QT_TRANSLATE_NOOP("codes", "孙媳妇或外孙媳妇"), QT_TRANSLATE_NOOP("codes", "孙女婿或外孙女婿"),
    QT_TRANSLATE_NOOP("codes", "曾孙子或外曾孙子"), QT_TRANSLATE_NOOP("codes", "曾孙女或外曾孙女"), QT_TRANSLATE_NOOP("codes", "其他孙子、孙女或外孙子、外孙女"), QT_TRANSLATE_NOOP("codes", "父母"),
    QT_TRANSLATE_NOOP("codes", "父亲"), QT_TRANSLATE_NOOP("codes", "母亲"), QT_TRANSLATE_NOOP("codes", "公公"), QT_TRANSLATE_NOOP("codes", "婆婆"),
    QT_TRANSLATE_NOOP("codes", "岳父"), QT_TRANSLATE_NOOP("codes", "岳母"), QT_TRANSLATE_NOOP("codes", "继父或养父"), QT_TRANSLATE_NOOP("codes", "继母或养母"),
    QT_TRANSLATE_NOOP("codes", "其他父母关系"), QT_TRANSLATE_NOOP("codes", "祖父母或外祖父母"), QT_TRANSLATE_NOOP("codes", "祖父"), QT_TRANSLATE_NOOP("codes", "祖母"),
    QT_TRANSLATE_NOOP("codes", "外祖父"), QT_TRANSLATE_NOOP("codes", "外祖母"), QT_TRANSLATE_NOOP("codes", "配偶的祖父母或外祖父母"), QT_TRANSLATE_NOOP("codes", "曾祖父"),
    QT_TRANSLATE_NOOP("codes", "曾祖母"), QT_TRANSLATE_NOOP("codes", "配偶的曾祖父母或外曾祖父母"), QT_TRANSLATE_NOOP("codes", "其他祖父母或外祖父母关系"), QT_TRANSLATE_NOOP("codes", "兄、弟、姐、妹"),
    QT_TRANSLATE_NOOP("codes", "兄"), QT_TRANSLATE_NOOP("codes", "嫂"), QT_TRANSLATE_NOOP("codes", "弟"), QT_TRANSLATE_NOOP("codes", "弟媳"),
    QT_TRANSLATE_NOOP("codes", "姐姐"), QT_TRANSLATE_NOOP("codes", "姐夫"), QT_TRANSLATE_NOOP("codes", "妹妹"), QT_TRANSLATE_NOOP("codes", "妹夫"),
    QT_TRANSLATE_NOOP("codes", "其他兄弟姐妹"), QT_TRANSLATE_NOOP("codes", "伯父"), QT_TRANSLATE_NOOP("codes", "伯母"), QT_TRANSLATE_NOOP("codes", "叔父"),
    QT_TRANSLATE_NOOP("codes", "婶母"), QT_TRANSLATE_NOOP("codes", "舅父"), QT_TRANSLATE_NOOP("codes", "舅母"), QT_TRANSLATE_NOOP("codes", "姨父"),
    QT_TRANSLATE_NOOP("codes", "姨母"), QT_TRANSLATE_NOOP("codes", "姑父"), QT_TRANSLATE_NOOP("codes", "姑母"), QT_TRANSLATE_NOOP("codes", "堂兄弟、堂姐妹"),
    QT_TRANSLATE_NOOP("codes", "表兄弟、表姐妹"), QT_TRANSLATE_NOOP("codes", "侄子"), QT_TRANSLATE_NOOP("codes", "侄女"), QT_TRANSLATE_NOOP("codes", "外甥"),
    QT_TRANSLATE_NOOP("codes", "外甥女"), QT_TRANSLATE_NOOP("codes", "其他亲属"), QT_TRANSLATE_NOOP("codes", "非亲属"),
    # hukou_type
    QT_TRANSLATE_NOOP("codes", "非农业户口"), QT_TRANSLATE_NOOP("codes", "农业户口"), QT_TRANSLATE_NOOP("codes", "未落常住户口"), QT_TRANSLATE_NOOP("codes", "非农业家庭户口"),
    QT_TRANSLATE_NOOP("codes", "农业家庭户口"), QT_TRANSLATE_NOOP("codes", "非农业集体户口"), QT_TRANSLATE_NOOP("codes", "农业集体户口"), QT_TRANSLATE_NOOP("codes", "自理口粮户口"),
    QT_TRANSLATE_NOOP("codes", "寄住户口"), QT_TRANSLATE_NOOP("codes", "暂住户口"), QT_TRANSLATE_NOOP("codes", "其他户口"),
    # cv02_01_101_id_doc_type
    QT_TRANSLATE_NOOP("codes", "居民身份证"), QT_TRANSLATE_NOOP("codes", "居民户口簿"), QT_TRANSLATE_NOOP("codes", "护照"), QT_TRANSLATE_NOOP("codes", "军官证"),
    QT_TRANSLATE_NOOP("codes", "驾驶证"), QT_TRANSLATE_NOOP("codes", "港澳居民来往内地通行证"), QT_TRANSLATE_NOOP("codes", "台湾居民来往内地通行证"), QT_TRANSLATE_NOOP("codes", "其他法定有效证件"),
    # gbt4658_2006_education
    QT_TRANSLATE_NOOP("codes", "研究生教育"), QT_TRANSLATE_NOOP("codes", "博士研究生毕业"), QT_TRANSLATE_NOOP("codes", "博士研究生结业"), QT_TRANSLATE_NOOP("codes", "博士研究生肄业"),
    QT_TRANSLATE_NOOP("codes", "硕士研究生毕业"), QT_TRANSLATE_NOOP("codes", "硕士研究生结业"), QT_TRANSLATE_NOOP("codes", "硕士研究生肄业"), QT_TRANSLATE_NOOP("codes", "研究生班毕业"),
    QT_TRANSLATE_NOOP("codes", "研究生班结业"), QT_TRANSLATE_NOOP("codes", "研究生班肄业"), QT_TRANSLATE_NOOP("codes", "大学本科教育"), QT_TRANSLATE_NOOP("codes", "大学本科毕业"),
    QT_TRANSLATE_NOOP("codes", "大学本科结业"), QT_TRANSLATE_NOOP("codes", "大学本科肄业"), QT_TRANSLATE_NOOP("codes", "大学普通班毕业"), QT_TRANSLATE_NOOP("codes", "大学专科教育"),
    QT_TRANSLATE_NOOP("codes", "大学专科毕业"), QT_TRANSLATE_NOOP("codes", "大学专科结业"), QT_TRANSLATE_NOOP("codes", "大学专科肄业"), QT_TRANSLATE_NOOP("codes", "中等职业教育"),
    QT_TRANSLATE_NOOP("codes", "中等专科毕业"), QT_TRANSLATE_NOOP("codes", "中等专科结业"), QT_TRANSLATE_NOOP("codes", "中等专科肄业"), QT_TRANSLATE_NOOP("codes", "职业高中毕业"),
    QT_TRANSLATE_NOOP("codes", "职业高中结业"), QT_TRANSLATE_NOOP("codes", "职业高中肄业"), QT_TRANSLATE_NOOP("codes", "技工学校毕业"), QT_TRANSLATE_NOOP("codes", "技工学校结业"),
    QT_TRANSLATE_NOOP("codes", "技工学校肄业"), QT_TRANSLATE_NOOP("codes", "普通高级中学教育"), QT_TRANSLATE_NOOP("codes", "普通高中毕业"), QT_TRANSLATE_NOOP("codes", "普通高中结业"),
    QT_TRANSLATE_NOOP("codes", "普通高中肄业"), QT_TRANSLATE_NOOP("codes", "初级中学教育"), QT_TRANSLATE_NOOP("codes", "初中毕业"), QT_TRANSLATE_NOOP("codes", "初中肄业"),
    QT_TRANSLATE_NOOP("codes", "小学教育"), QT_TRANSLATE_NOOP("codes", "小学毕业"), QT_TRANSLATE_NOOP("codes", "小学肄业"),
    # gbt4658_1984_wenhua
    QT_TRANSLATE_NOOP("codes", "研究生"), QT_TRANSLATE_NOOP("codes", "大学本科"), QT_TRANSLATE_NOOP("codes", "大学专科和专科学校"), QT_TRANSLATE_NOOP("codes", "中等专业学校或中等技术学校"),
    QT_TRANSLATE_NOOP("codes", "技工学校"), QT_TRANSLATE_NOOP("codes", "高中"), QT_TRANSLATE_NOOP("codes", "初中"), QT_TRANSLATE_NOOP("codes", "小学"),
    QT_TRANSLATE_NOOP("codes", "文盲或半文盲"),
    # urban_rural_class
    QT_TRANSLATE_NOOP("codes", "主城区"), QT_TRANSLATE_NOOP("codes", "城乡结合区"), QT_TRANSLATE_NOOP("codes", "镇中心区"), QT_TRANSLATE_NOOP("codes", "镇乡结合区"),
    QT_TRANSLATE_NOOP("codes", "特殊区域"), QT_TRANSLATE_NOOP("codes", "乡中心区"), QT_TRANSLATE_NOOP("codes", "村庄"),
)

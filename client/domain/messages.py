"""Chinese wording of every rule and duplicate-reason code: templates with named parameters.

`render(code, params)` never raises: a missing parameter shows as "？", an unknown code gets a
generic sentence, so a finding from a newer server still reads sensibly on an older client.
"""

from __future__ import annotations

import string
from typing import Any, Mapping

def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate reads
    """Marks a word for Qt Linguist: scripts/build_translations reads this module and the rule
    modules, so each Chinese text here is written once and translated in the catalogue. The
    desktop UI shows it translated (ui.messages); the server and the command line use it as it
    is. No Qt here: this only returns the text."""
    return text


FIELD_LABELS: dict[str, str] = {
    "person_id": QT_TRANSLATE_NOOP("rules", "个人编码"), "household_id": QT_TRANSLATE_NOOP("rules", "户编码"), "relation": QT_TRANSLATE_NOOP("rules", "与户主关系"), "name": QT_TRANSLATE_NOOP("rules", "姓名"),
    "former_name": QT_TRANSLATE_NOOP("rules", "曾用名"), "sex": QT_TRANSLATE_NOOP("rules", "性别"), "birth_date": QT_TRANSLATE_NOOP("rules", "出生日期"), "ethnicity": QT_TRANSLATE_NOOP("rules", "民族"),
    "id_type": QT_TRANSLATE_NOOP("rules", "证件类型"), "id_number": QT_TRANSLATE_NOOP("rules", "公民身份号码"), "id_missing_reason": QT_TRANSLATE_NOOP("rules", "无身份号码原因"),
    "nationality": QT_TRANSLATE_NOOP("rules", "国籍"), "hukou_type": QT_TRANSLATE_NOOP("rules", "户口性质"), "hukou_place": QT_TRANSLATE_NOOP("rules", "户籍地"),
    "hukou_address": QT_TRANSLATE_NOOP("rules", "户籍地址"), "residence_place": QT_TRANSLATE_NOOP("rules", "现居住地"), "residence_address": QT_TRANSLATE_NOOP("rules", "现居住地址"),
    "managing_place": QT_TRANSLATE_NOOP("rules", "管理地"), "marital_status": QT_TRANSLATE_NOOP("rules", "婚姻状况"), "first_marriage_date": QT_TRANSLATE_NOOP("rules", "初婚日期"),
    "marital_change_date": QT_TRANSLATE_NOOP("rules", "婚姻状况变动日期"), "education": QT_TRANSLATE_NOOP("rules", "文化程度"),
    "education_system": QT_TRANSLATE_NOOP("rules", "文化程度代码表"), "spouse_name": QT_TRANSLATE_NOOP("rules", "配偶姓名"),
    "spouse_id_number": QT_TRANSLATE_NOOP("rules", "配偶身份号码"), "father_name": QT_TRANSLATE_NOOP("rules", "父亲姓名"),
    "father_id_number": QT_TRANSLATE_NOOP("rules", "父亲身份号码"), "mother_name": QT_TRANSLATE_NOOP("rules", "母亲姓名"),
    "mother_id_number": QT_TRANSLATE_NOOP("rules", "母亲身份号码"), "birth_cert_number": QT_TRANSLATE_NOOP("rules", "出生医学证明编号"),
    "death_date": QT_TRANSLATE_NOOP("rules", "死亡日期"), "status": QT_TRANSLATE_NOOP("rules", "状态"), "close_reason": QT_TRANSLATE_NOOP("rules", "注销原因"),
    "data_source": QT_TRANSLATE_NOOP("rules", "数据来源"), "registering_unit": QT_TRANSLATE_NOOP("rules", "登记单位"), "operator": QT_TRANSLATE_NOOP("rules", "操作人"),
    "registered_at": QT_TRANSLATE_NOOP("rules", "登记时间"), "updated_at": QT_TRANSLATE_NOOP("rules", "更新时间"),
    # birth-certificate fields
    "cert_number": QT_TRANSLATE_NOOP("rules", "出生医学证明编号"), "issue_date": QT_TRANSLATE_NOOP("rules", "签发日期"), "issuer": QT_TRANSLATE_NOOP("rules", "签发机构"),
    "birth_time": QT_TRANSLATE_NOOP("rules", "出生时间"), "birthplace": QT_TRANSLATE_NOOP("rules", "出生地点"), "gestation_weeks": QT_TRANSLATE_NOOP("rules", "出生孕周"),
    "length_cm": QT_TRANSLATE_NOOP("rules", "身长"), "weight_g": QT_TRANSLATE_NOOP("rules", "体重"), "hospital": QT_TRANSLATE_NOOP("rules", "接生机构"),
    "mother_id_type": QT_TRANSLATE_NOOP("rules", "母亲证件类型"), "father_id_type": QT_TRANSLATE_NOOP("rules", "父亲证件类型"),
}

TEMPLATES: dict[str, str] = {
    # ID number (GB 11643-1999)
    "ID_SCIENTIFIC": QT_TRANSLATE_NOOP("rules", "身份证号码（{id_number}）被表格软件显示成了科学计数法，后几位已丢失，请按原件重新录入"),
    "ID_FORMAT": QT_TRANSLATE_NOOP("rules", "身份证号码（{id_number}）格式不对：应为18位（前17位数字，最后一位数字或X）"),
    "ID_CHECKSUM": QT_TRANSLATE_NOOP("rules", "身份证号码（{id_number}）校验位不对（按前17位应为{expected}），可能有数字录错或两位顺序颠倒"),
    "ID_DATE": QT_TRANSLATE_NOOP("rules", "身份证号码（{id_number}）中的出生日期不存在，或早于1880年、晚于今天"),
    "ID_PROVINCE": QT_TRANSLATE_NOOP("rules", "身份证号码（{id_number}）前两位（{province}）不是已知的省级代码"),
    "ID_REGION_UNKNOWN": QT_TRANSLATE_NOOP("rules", "身份证号码前六位地址码（{region}）不在1980—2024年行政区划代码表中（发证时的地址码，一般不影响使用）"),
    "ID_PLACEHOLDER": QT_TRANSLATE_NOOP("rules", "身份证号码（{id_number}）是占位号码（全零、重复数字等），不是真实号码"),
    "ID_CONVERTED_15": QT_TRANSLATE_NOOP("rules", "15位旧身份证号码已按规则转换为18位（{normalized}）"),
    "ID_BIRTH_MISMATCH": QT_TRANSLATE_NOOP("rules", "出生日期({birth_date})与身份证号中的出生日期({id_birth_date})不一致"),
    "ID_SEX_MISMATCH": QT_TRANSLATE_NOOP("rules", "性别（{sex_name}）与身份证号第17位表示的性别（{id_sex_name}）不一致"),
    # Required fields
    "REQ_FIELD": QT_TRANSLATE_NOOP("rules", "缺少{field_label}"),
    "REQ_RELATION": QT_TRANSLATE_NOOP("rules", "缺少与户主关系"),
    "REQ_NAME": QT_TRANSLATE_NOOP("rules", "缺少姓名"),
    "REQ_SEX": QT_TRANSLATE_NOOP("rules", "缺少性别"),
    "REQ_BIRTH_DATE": QT_TRANSLATE_NOOP("rules", "缺少出生日期"),
    "REQ_ETHNICITY": QT_TRANSLATE_NOOP("rules", "缺少民族"),
    "REQ_HUKOU_TYPE": QT_TRANSLATE_NOOP("rules", "缺少户口性质"),
    "REQ_MARITAL": QT_TRANSLATE_NOOP("rules", "已满{min_age}周岁（{age}岁），必须填写婚姻状况"),
    "REQ_ID_NUMBER": QT_TRANSLATE_NOOP("rules", "缺少公民身份号码；没有号码时须注明原因（如无证、待落户）"),
    "REQ_FIRST_MARRIAGE_DATE": QT_TRANSLATE_NOOP("rules", "婚姻状况为{marital_name}，必须填写初婚日期"),
    "NAME_PLACEHOLDER_AGE": QT_TRANSLATE_NOOP("rules", "已满{min_age}周岁（{age}岁）仍使用临时姓名“{name}”，请填写正式姓名"),
    "REQ_PLACE": QT_TRANSLATE_NOOP("rules", "缺少{field_label}代码"),
    "PLACE_LEVEL": QT_TRANSLATE_NOOP("rules", "{field_label}（{place}）只精确到{level_name}，应精确到{required_level_name}"),
    # Codes
    "CODE_INVALID": QT_TRANSLATE_NOOP("rules", "{field_label}代码“{value}”不在{table_title}中"),
    "PLACE_FORMAT": QT_TRANSLATE_NOOP("rules", "{field_label}代码“{place}”应为12位数字的统计用区划代码"),
    "PLACE_NOT_CURRENT": QT_TRANSLATE_NOOP("rules", "{field_label}代码“{place}”不在现行区划代码表中"),
    "HUKOU_PLACE_UNKNOWN": QT_TRANSLATE_NOOP("rules", "户籍地代码“{place}”不在现行区划代码表中，请核实"),
    # Names
    "NAME_CHARS": QT_TRANSLATE_NOOP("rules", "{field_label}“{name}”含有不允许的字符（{chars}）：只能使用汉字和间隔号“·”"),
    "NAME_CHARS_FOREIGN": QT_TRANSLATE_NOOP("rules", "{field_label}“{name}”含有不允许的字符（{chars}）"),
    "NAME_LENGTH": QT_TRANSLATE_NOOP("rules", "{field_label}“{name}”只有{length}个字或超过{max_length}个字，请核实"),
    "NAME_TRADITIONAL": QT_TRANSLATE_NOOP("rules", "{field_label}“{name}”含有繁体字（{chars}），请核实是否应为简体"),
    "NAME_PRIVATE_USE": QT_TRANSLATE_NOOP("rules", "{field_label}“{name}”含有自造字（私用区字符），其他系统可能无法显示"),
    # Dates
    "DATE_FORMAT": QT_TRANSLATE_NOOP("rules", "{field_label}“{value}”不是有效日期（应为 年-月-日，如 1990-01-31）"),
    "DATE_FUTURE": QT_TRANSLATE_NOOP("rules", "{field_label}（{value}）晚于今天（{today}）"),
    "DATE_ORDER": QT_TRANSLATE_NOOP("rules", "{earlier_label}（{earlier}）晚于{later_label}（{later}）"),
    "AGE_OVER_110": QT_TRANSLATE_NOOP("rules", "年龄{age}岁，超过{max_age}岁，请核实出生日期或是否已死亡"),
    "AGE_OVER_125": QT_TRANSLATE_NOOP("rules", "年龄{age}岁，超过{max_age}岁，出生日期不可能正确"),
    "EVENT_AFTER_DEATH": QT_TRANSLATE_NOOP("rules", "{field_label}（{value}）晚于死亡日期（{death_date}）"),
    # Marriage
    "MARRIAGE_EARLY": QT_TRANSLATE_NOOP("rules", "初婚年龄{age}岁，低于法定婚龄（{sex_name}{min_age}岁），请核实"),
    "MARRIAGE_UNDER_15": QT_TRANSLATE_NOOP("rules", "年龄{age}岁（不满{min_age}岁），婚姻状况却为{marital_name}"),
    "FIRST_MARRIAGE_UNDER_15": QT_TRANSLATE_NOOP("rules", "初婚日期（{first_marriage_date}）时年仅{age}岁（不满{min_age}岁）"),
    "SPOUSE_OF_HEAD": QT_TRANSLATE_NOOP("rules", "与户主关系为{relation_name}，婚姻状况却为{marital_name}"),
    "SPOUSE_OF_HEAD_SEX": QT_TRANSLATE_NOOP("rules", "与户主关系为{relation_name}，但与户主{head_name}性别相同（{sex_name}）"),
    # Household
    "HH_NO_HEAD": QT_TRANSLATE_NOOP("rules", "本户没有户主（与户主关系为“户主”或“本人”的成员）"),
    "HH_MULTI_HEAD": QT_TRANSLATE_NOOP("rules", "本户有{count}名户主：{names}"),
    "HH_MULTI_SPOUSE": QT_TRANSLATE_NOOP("rules", "本户有{count}名户主的配偶：{names}"),
    "HH_RELATION_SEX": QT_TRANSLATE_NOOP("rules", "与户主关系“{relation_name}”要求性别为{implied_sex_name}，登记的性别却为{sex_name}"),
    "HH_GENERATION_GAP": QT_TRANSLATE_NOOP("rules", "与户主关系为{relation_name}，但与户主{head_name}仅相差{gap}岁（应至少{min_gap}岁）"),
    "HH_DEAD_HEAD": QT_TRANSLATE_NOOP("rules", "户主{name}已死亡（{death_date}），本户仍有在世成员，请变更户主"),
    # Parents
    "PARENT_MOTHER_AGE_W": QT_TRANSLATE_NOOP("rules", "生育时母亲{mother_name}年龄为{age}岁，不在{min_age}—{max_age}岁之间，请核实"),
    "PARENT_MOTHER_AGE_E": QT_TRANSLATE_NOOP("rules", "生育时母亲{mother_name}年龄为{age}岁（不满{min_age}岁或超过{max_age}岁），不可能正确"),
    "PARENT_FATHER_AGE": QT_TRANSLATE_NOOP("rules", "生育时父亲{father_name}年龄为{age}岁，不在{min_age}—{max_age}岁之间，请核实"),
    "PARENT_SEX": QT_TRANSLATE_NOOP("rules", "{role_name}{parent_name}的性别登记为{sex_name}"),
    "PARENT_BIRTH_INTERVAL": QT_TRANSLATE_NOOP("rules", "母亲{mother_name}的另一子女{other_name}出生于{other_birth_date}，两次生育仅相隔{days}天（少于{min_days}天）"),
    "PARENT_DEAD": QT_TRANSLATE_NOOP("rules", "{role_name}{parent_name}的死亡日期（{death_date}）早于本人出生（{birth_date}）"),
    # Birth confirmation
    "BIRTH_CERT_FORMAT": QT_TRANSLATE_NOOP("rules", "出生医学证明编号“{cert_number}”格式不对：应为1个大写字母加9位数字"),
    "BIRTH_CERT_DUPLICATE": QT_TRANSLATE_NOOP("rules", "出生医学证明编号“{cert_number}”已被其他人使用"),
    "BIRTH_ISSUE_DATE": QT_TRANSLATE_NOOP("rules", "出生医学证明签发日期（{issue_date}）应在出生日期（{birth_date}）与今天（{today}）之间"),
    "BIRTH_WEIGHT": QT_TRANSLATE_NOOP("rules", "出生体重{weight_g}克，不在{min_g}—{max_g}克之间，请核实"),
    "BIRTH_GESTATION": QT_TRANSLATE_NOOP("rules", "出生孕周{weeks}周，不在{min_weeks}—{max_weeks}周之间，请核实"),
    "BIRTH_MOTHER_ID": QT_TRANSLATE_NOOP("rules", "母亲身份证号码（{id_number}）{problem}"),
    "BIRTH_POSSIBLE_DUPLICATE": QT_TRANSLATE_NOOP("rules", "母亲{mother_name}已有一名同日出生、同性别的子女{other_name}（{other_birth_date}），可能重复登记；如是双（多）胞胎请确认"),
    "BIRTH_CERT_MISMATCH": QT_TRANSLATE_NOOP("rules", "{field_label}（{value}）与出生医学证明上的（{cert_value}）不一致"),
    # Engine
    "RULE_FAILED": QT_TRANSLATE_NOOP("rules", "规则{rule}检查时出错（{error}），请人工核实"),
    # Duplicate reasons and merge blockers (merge.py)
    "DUP_SAME_ID": QT_TRANSLATE_NOOP("rules", "身份证号码相同（{id_number}）"),
    "DUP_ID_TYPO": QT_TRANSLATE_NOOP("rules", "身份证号码只差一位或两位相邻数字顺序颠倒（{id_a} / {id_b}），且姓名、出生日期相同"),
    "DUP_SAME_NAME_BIRTH_MOTHER": QT_TRANSLATE_NOOP("rules", "姓名（{name}）、出生日期（{birth_date}）、性别和母亲（{mother}）都相同"),
    "DUP_NO_ID_SAME_VILLAGE": QT_TRANSLATE_NOOP("rules", "姓名（{name}）、出生日期（{birth_date}）和户籍村（居）相同，其中一条没有身份证号码"),
    "DUP_SIMILAR_NAME": QT_TRANSLATE_NOOP("rules", "姓名{kind_name}（{name_a} / {name_b}），出生日期（{birth_date}）相同，且{link}相同"),
    "DUP_TWINS": QT_TRANSLATE_NOOP("rules", "同一母亲（{mother}）同日（{birth_date}）出生，但{differs}不同：可能是双（多）胞胎，不是重复"),
    "DUP_CHONGHAO": QT_TRANSLATE_NOOP("rules", "身份证号码相同（{id_number}），但{differs}不同：可能是重号或录入错误，不能合并"),
    "MERGE_DIFFERENT_VALID_IDS": QT_TRANSLATE_NOOP("rules", "成员有不同的有效身份证号码（{ids}），不能自动合并"),
    "MERGE_TWINS": QT_TRANSLATE_NOOP("rules", "成员疑似双（多）胞胎（同一母亲、同日出生，{differs}不同），不能合并"),
    "MERGE_CHONGHAO": QT_TRANSLATE_NOOP("rules", "身份证号码相同但{differs}不同，疑似重号，不能合并"),
    "MERGE_TOO_FEW": QT_TRANSLATE_NOOP("rules", "至少需要两条记录才能合并"),
}

UNKNOWN_RULE = QT_TRANSLATE_NOOP("messages", "未通过检查（{code}）")
"""A finding whose code this version does not know (from a newer server)."""

SEX_NAMES = {"0": QT_TRANSLATE_NOOP("rules", "未知"), "1": QT_TRANSLATE_NOOP("rules", "男"), "2": QT_TRANSLATE_NOOP("rules", "女"), "5": QT_TRANSLATE_NOOP("rules", "女改男"), "6": QT_TRANSLATE_NOOP("rules", "男改女"), "9": QT_TRANSLATE_NOOP("rules", "未说明")}


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "？"


def field_label(field_name: str) -> str:
    return FIELD_LABELS.get(field_name, field_name)


def template(code: str) -> str | None:
    return TEMPLATES.get(code)


def fill(template: str, params: Mapping[str, Any] | None) -> str:
    """A template's {placeholders} filled from params; never raises: a missing parameter shows
    as "？", None as nothing, a malformed template as it is."""
    values = _Missing({k: ("" if v is None else v) for k, v in (params or {}).items()})
    try:
        return string.Formatter().vformat(template, (), values)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return template


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The Chinese message for a code with its parameters; never raises."""
    tpl = TEMPLATES.get(code)
    if tpl is None:
        return fill(UNKNOWN_RULE, {"code": code})
    return fill(tpl, params)


def template_fields(code: str) -> set[str]:
    """The parameter names a template uses (tests check every rule supplies them)."""
    tpl = TEMPLATES.get(code) or ""
    return {name for _, name, _, _ in string.Formatter().parse(tpl) if name}


def message_for(code: str, params: Mapping[str, Any] | None = None) -> str:
    """Alias of render() (the workspace asks for it by this name)."""
    return render(code, params)

"""Chinese wording of every rule and duplicate-reason code: templates with named parameters.

`render(code, params)` never raises: a missing parameter shows as "？", an unknown code gets a
generic sentence, so a finding from a newer server still reads sensibly on an older client.
"""

from __future__ import annotations

import string
from typing import Any, Mapping

FIELD_LABELS: dict[str, str] = {
    "person_id": "个人编码", "household_id": "户编码", "relation": "与户主关系", "name": "姓名",
    "former_name": "曾用名", "sex": "性别", "birth_date": "出生日期", "ethnicity": "民族",
    "id_type": "证件类型", "id_number": "公民身份号码", "id_missing_reason": "无身份号码原因",
    "nationality": "国籍", "hukou_type": "户口性质", "hukou_place": "户籍地",
    "hukou_address": "户籍地址", "residence_place": "现居住地", "residence_address": "现居住地址",
    "managing_place": "管理地", "marital_status": "婚姻状况", "first_marriage_date": "初婚日期",
    "marital_change_date": "婚姻状况变动日期", "education": "文化程度",
    "education_system": "文化程度代码表", "spouse_name": "配偶姓名",
    "spouse_id_number": "配偶身份号码", "father_name": "父亲姓名",
    "father_id_number": "父亲身份号码", "mother_name": "母亲姓名",
    "mother_id_number": "母亲身份号码", "birth_cert_number": "出生医学证明编号",
    "death_date": "死亡日期", "status": "状态", "close_reason": "注销原因",
    "data_source": "数据来源", "registering_unit": "登记单位", "operator": "操作人",
    "registered_at": "登记时间", "updated_at": "更新时间",
    # birth-certificate fields
    "cert_number": "出生医学证明编号", "issue_date": "签发日期", "issuer": "签发机构",
    "birth_time": "出生时间", "birthplace": "出生地点", "gestation_weeks": "出生孕周",
    "length_cm": "身长", "weight_g": "体重", "hospital": "接生机构",
    "mother_id_type": "母亲证件类型", "father_id_type": "父亲证件类型",
}

TEMPLATES: dict[str, str] = {
    # ID number (GB 11643-1999)
    "ID_SCIENTIFIC": "身份证号码（{id_number}）被表格软件显示成了科学计数法，后几位已丢失，请按原件重新录入",
    "ID_FORMAT": "身份证号码（{id_number}）格式不对：应为18位（前17位数字，最后一位数字或X）",
    "ID_CHECKSUM": "身份证号码（{id_number}）校验位不对（按前17位应为{expected}），可能有数字录错或两位顺序颠倒",
    "ID_DATE": "身份证号码（{id_number}）中的出生日期不存在，或早于1880年、晚于今天",
    "ID_PROVINCE": "身份证号码（{id_number}）前两位（{province}）不是已知的省级代码",
    "ID_REGION_UNKNOWN": "身份证号码前六位地址码（{region}）不在1980—2024年行政区划代码表中（发证时的地址码，一般不影响使用）",
    "ID_PLACEHOLDER": "身份证号码（{id_number}）是占位号码（全零、重复数字等），不是真实号码",
    "ID_CONVERTED_15": "15位旧身份证号码已按规则转换为18位（{normalized}）",
    "ID_BIRTH_MISMATCH": "出生日期({birth_date})与身份证号中的出生日期({id_birth_date})不一致",
    "ID_SEX_MISMATCH": "性别（{sex_name}）与身份证号第17位表示的性别（{id_sex_name}）不一致",
    # Required fields
    "REQ_FIELD": "缺少{field_label}",
    "REQ_RELATION": "缺少与户主关系",
    "REQ_NAME": "缺少姓名",
    "REQ_SEX": "缺少性别",
    "REQ_BIRTH_DATE": "缺少出生日期",
    "REQ_ETHNICITY": "缺少民族",
    "REQ_HUKOU_TYPE": "缺少户口性质",
    "REQ_MARITAL": "已满{min_age}周岁（{age}岁），必须填写婚姻状况",
    "REQ_ID_NUMBER": "缺少公民身份号码；没有号码时须注明原因（如无证、待落户）",
    "REQ_FIRST_MARRIAGE_DATE": "婚姻状况为{marital_name}，必须填写初婚日期",
    "NAME_PLACEHOLDER_AGE": "已满{min_age}周岁（{age}岁）仍使用临时姓名“{name}”，请填写正式姓名",
    "REQ_PLACE": "缺少{field_label}代码",
    "PLACE_LEVEL": "{field_label}（{place}）只精确到{level_name}，应精确到{required_level_name}",
    # Codes
    "CODE_INVALID": "{field_label}代码“{value}”不在{table_title}中",
    "PLACE_FORMAT": "{field_label}代码“{place}”应为12位数字的统计用区划代码",
    "PLACE_NOT_CURRENT": "{field_label}代码“{place}”不在现行区划代码表中",
    "HUKOU_PLACE_UNKNOWN": "户籍地代码“{place}”不在现行区划代码表中，请核实",
    # Names
    "NAME_CHARS": "{field_label}“{name}”含有不允许的字符（{chars}）：只能使用汉字和间隔号“·”",
    "NAME_CHARS_FOREIGN": "{field_label}“{name}”含有不允许的字符（{chars}）",
    "NAME_LENGTH": "{field_label}“{name}”只有{length}个字或超过{max_length}个字，请核实",
    "NAME_TRADITIONAL": "{field_label}“{name}”含有繁体字（{chars}），请核实是否应为简体",
    "NAME_PRIVATE_USE": "{field_label}“{name}”含有自造字（私用区字符），其他系统可能无法显示",
    # Dates
    "DATE_FORMAT": "{field_label}“{value}”不是有效日期（应为 年-月-日，如 1990-01-31）",
    "DATE_FUTURE": "{field_label}（{value}）晚于今天（{today}）",
    "DATE_ORDER": "{earlier_label}（{earlier}）晚于{later_label}（{later}）",
    "AGE_OVER_110": "年龄{age}岁，超过{max_age}岁，请核实出生日期或是否已死亡",
    "AGE_OVER_125": "年龄{age}岁，超过{max_age}岁，出生日期不可能正确",
    "EVENT_AFTER_DEATH": "{field_label}（{value}）晚于死亡日期（{death_date}）",
    # Marriage
    "MARRIAGE_EARLY": "初婚年龄{age}岁，低于法定婚龄（{sex_name}{min_age}岁），请核实",
    "MARRIAGE_UNDER_15": "年龄{age}岁（不满{min_age}岁），婚姻状况却为{marital_name}",
    "FIRST_MARRIAGE_UNDER_15": "初婚日期（{first_marriage_date}）时年仅{age}岁（不满{min_age}岁）",
    "SPOUSE_OF_HEAD": "与户主关系为{relation_name}，婚姻状况却为{marital_name}",
    "SPOUSE_OF_HEAD_SEX": "与户主关系为{relation_name}，但与户主{head_name}性别相同（{sex_name}）",
    # Household
    "HH_NO_HEAD": "本户没有户主（与户主关系为“户主”或“本人”的成员）",
    "HH_MULTI_HEAD": "本户有{count}名户主：{names}",
    "HH_MULTI_SPOUSE": "本户有{count}名户主的配偶：{names}",
    "HH_RELATION_SEX": "与户主关系“{relation_name}”要求性别为{implied_sex_name}，登记的性别却为{sex_name}",
    "HH_GENERATION_GAP": "与户主关系为{relation_name}，但与户主{head_name}仅相差{gap}岁（应至少{min_gap}岁）",
    "HH_DEAD_HEAD": "户主{name}已死亡（{death_date}），本户仍有在世成员，请变更户主",
    # Parents
    "PARENT_MOTHER_AGE_W": "生育时母亲{mother_name}年龄为{age}岁，不在{min_age}—{max_age}岁之间，请核实",
    "PARENT_MOTHER_AGE_E": "生育时母亲{mother_name}年龄为{age}岁（不满{min_age}岁或超过{max_age}岁），不可能正确",
    "PARENT_FATHER_AGE": "生育时父亲{father_name}年龄为{age}岁，不在{min_age}—{max_age}岁之间，请核实",
    "PARENT_SEX": "{role_name}{parent_name}的性别登记为{sex_name}",
    "PARENT_BIRTH_INTERVAL": "母亲{mother_name}的另一子女{other_name}出生于{other_birth_date}，两次生育仅相隔{days}天（少于{min_days}天）",
    "PARENT_DEAD": "{role_name}{parent_name}的死亡日期（{death_date}）早于本人出生（{birth_date}）",
    # Birth confirmation
    "BIRTH_CERT_FORMAT": "出生医学证明编号“{cert_number}”格式不对：应为1个大写字母加9位数字",
    "BIRTH_CERT_DUPLICATE": "出生医学证明编号“{cert_number}”已被其他人使用",
    "BIRTH_ISSUE_DATE": "出生医学证明签发日期（{issue_date}）应在出生日期（{birth_date}）与今天（{today}）之间",
    "BIRTH_WEIGHT": "出生体重{weight_g}克，不在{min_g}—{max_g}克之间，请核实",
    "BIRTH_GESTATION": "出生孕周{weeks}周，不在{min_weeks}—{max_weeks}周之间，请核实",
    "BIRTH_MOTHER_ID": "母亲身份证号码（{id_number}）{problem}",
    "BIRTH_POSSIBLE_DUPLICATE": "母亲{mother_name}已有一名同日出生、同性别的子女{other_name}（{other_birth_date}），可能重复登记；如是双（多）胞胎请确认",
    "BIRTH_CERT_MISMATCH": "{field_label}（{value}）与出生医学证明上的（{cert_value}）不一致",
    # Engine
    "RULE_FAILED": "规则{rule}检查时出错（{error}），请人工核实",
    # Duplicate reasons and merge blockers (merge.py)
    "DUP_SAME_ID": "身份证号码相同（{id_number}）",
    "DUP_ID_TYPO": "身份证号码只差一位或两位相邻数字顺序颠倒（{id_a} / {id_b}），且姓名、出生日期相同",
    "DUP_SAME_NAME_BIRTH_MOTHER": "姓名（{name}）、出生日期（{birth_date}）、性别和母亲（{mother}）都相同",
    "DUP_NO_ID_SAME_VILLAGE": "姓名（{name}）、出生日期（{birth_date}）和户籍村（居）相同，其中一条没有身份证号码",
    "DUP_SIMILAR_NAME": "姓名{kind_name}（{name_a} / {name_b}），出生日期（{birth_date}）相同，且{link}相同",
    "DUP_TWINS": "同一母亲（{mother}）同日（{birth_date}）出生，但{differs}不同：可能是双（多）胞胎，不是重复",
    "DUP_CHONGHAO": "身份证号码相同（{id_number}），但{differs}不同：可能是重号或录入错误，不能合并",
    "MERGE_DIFFERENT_VALID_IDS": "成员有不同的有效身份证号码（{ids}），不能自动合并",
    "MERGE_TWINS": "成员疑似双（多）胞胎（同一母亲、同日出生，{differs}不同），不能合并",
    "MERGE_CHONGHAO": "身份证号码相同但{differs}不同，疑似重号，不能合并",
    "MERGE_TOO_FEW": "至少需要两条记录才能合并",
}

SEX_NAMES = {"0": "未知", "1": "男", "2": "女", "5": "女改男", "6": "男改女", "9": "未说明"}


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "？"


def field_label(field_name: str) -> str:
    return FIELD_LABELS.get(field_name, field_name)


def template(code: str) -> str | None:
    return TEMPLATES.get(code)


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The Chinese message for a code with its parameters; never raises."""
    values = _Missing({k: ("" if v is None else v) for k, v in (params or {}).items()})
    tpl = TEMPLATES.get(code)
    if tpl is None:
        return f"未通过检查（{code}）"
    try:
        return string.Formatter().vformat(tpl, (), values)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return tpl


def template_fields(code: str) -> set[str]:
    """The parameter names a template uses (tests check every rule supplies them)."""
    tpl = TEMPLATES.get(code) or ""
    return {name for _, name, _, _ in string.Formatter().parse(tpl) if name}


def message_for(code: str, params: Mapping[str, Any] | None = None) -> str:
    """Alias of render() (the workspace asks for it by this name)."""
    return render(code, params)

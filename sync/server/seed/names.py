"""Name material for the demo population: surname frequencies and given-name characters by era and sex."""

from __future__ import annotations

import random
from itertools import accumulate

# Surname shares (per mille, rounded) from the 2020 household-register statistics, with the
# northwest tilt of Shaanxi (more 王, 李, 张, 刘, 杨, 赵, 马, 郭, 雷, 党, 田, 屈).
SURNAME_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("王", 90), ("李", 85), ("张", 78), ("刘", 62), ("杨", 40), ("陈", 30), ("赵", 30),
    ("黄", 12), ("周", 16), ("吴", 10), ("徐", 10), ("孙", 14), ("马", 22), ("朱", 9),
    ("胡", 9), ("郭", 16), ("何", 8), ("高", 15), ("林", 4), ("罗", 6), ("郑", 8),
    ("梁", 10), ("谢", 6), ("宋", 9), ("唐", 6), ("许", 6), ("韩", 10), ("冯", 9),
    ("邓", 5), ("曹", 7), ("彭", 4), ("曾", 3), ("肖", 5), ("田", 9), ("董", 8),
    ("袁", 6), ("潘", 4), ("于", 5), ("蒋", 4), ("蔡", 4), ("余", 4), ("杜", 7),
    ("叶", 3), ("程", 6), ("苏", 6), ("魏", 8), ("吕", 6), ("丁", 5), ("任", 7),
    ("沈", 3), ("姚", 5), ("卢", 4), ("姜", 5), ("崔", 5), ("钟", 2), ("谭", 3),
    ("陆", 2), ("汪", 2), ("范", 5), ("金", 3), ("石", 6), ("廖", 2), ("贾", 6),
    ("夏", 4), ("韦", 3), ("付", 4), ("方", 4), ("白", 6), ("邹", 2), ("孟", 5),
    ("熊", 2), ("秦", 6), ("邱", 2), ("江", 2), ("尹", 4), ("薛", 7), ("闫", 6),
    ("段", 5), ("雷", 8), ("侯", 5), ("龙", 2), ("史", 5), ("陶", 2), ("黎", 1),
    ("贺", 5), ("顾", 2), ("毛", 3), ("郝", 4), ("龚", 2), ("邵", 3), ("万", 3),
    ("钱", 2), ("严", 3), ("覃", 1), ("武", 5), ("戴", 2), ("莫", 1), ("孔", 3),
    ("向", 2), ("汤", 2), ("党", 5), ("屈", 4), ("惠", 3), ("康", 4), ("翟", 3),
    ("单", 2), ("上官", 0.3), ("欧阳", 0.3), ("司马", 0.2), ("令狐", 0.2),
)

_SURNAMES = tuple(s for s, _ in SURNAME_WEIGHTS)
_SURNAME_CUM = tuple(accumulate(w for _, w in SURNAME_WEIGHTS))

# Given-name characters. Two pools per sex and era: first and second character of a
# two-character name (the first pool doubles as the single-character name pool).
_POOLS: dict[tuple[str, str], tuple[str, str]] = {
    ("old", "1"): ("建国军明志文永德福宝生春金海长有全国胜新", "国军明华林平强生祥山成才发荣贵忠义民安"),
    ("old", "2"): ("秀桂玉凤淑兰翠素春彩金月美爱英巧冬改粉", "英兰珍芳梅华琴霞云香莲花娥芬娟荣秀叶娃"),
    ("mid", "1"): ("伟磊勇军涛斌超鹏强浩杰亮刚辉建海晓小永红", "伟军涛斌平华峰辉东波明强龙杰刚亮宁锋鹏林"),
    ("mid", "2"): ("丽娜静敏燕艳娟芳霞丹婷晓小红春玉海亚利彩", "丽娜静敏燕艳娟芳霞丹婷红梅玲萍莉琴妮娟婕"),
    ("young", "1"): ("子浩宇俊梓博一嘉皓晨思雨泽文铭睿奕天家乐", "轩然航杰豪辰宇涵博泽阳睿哲宸轩凯瑞浩铭诚"),
    ("young", "2"): ("梓欣雨思佳诗一可紫语若子梦雅馨艺嘉心晨乐", "涵怡萱琪彤妍菲瑶涵璐欣悦琳桐然睿淇汐宁萌"),
}


def era_of(birth_year: int) -> str:
    if birth_year < 1965:
        return "old"
    if birth_year < 1995:
        return "mid"
    return "young"


def pick_surname(rng: random.Random) -> str:
    return rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]


def pick_given(rng: random.Random, sex: str, birth_year: int) -> str:
    first, second = _POOLS[(era_of(birth_year), sex)]
    # Single-character given names were common from the 1970s to the 1990s.
    single = 0.35 if era_of(birth_year) == "mid" else 0.12
    if rng.random() < single:
        return rng.choice(first)
    a = rng.choice(first)
    b = rng.choice(second)
    if a == b:  # 叠字 names (婷婷) exist but keep them rare
        b = rng.choice(second)
    return a + b


# Name pairs used for the homophone and similar-shape duplicate patterns: (original, variant, kind).
HOMOPHONE_SURNAMES = (("张", "章"), ("王", "汪"), ("李", "黎"), ("杨", "阳"), ("刘", "柳"))
HOMOPHONE_GIVEN = (("晓", "小"), ("静", "婧"), ("丽", "莉"), ("娜", "纳"), ("军", "君"), ("华", "骅"))
SHAPE_GIVEN = (("己", "已"), ("未", "末"), ("土", "士"), ("戍", "戌"))

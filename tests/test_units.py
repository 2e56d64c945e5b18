"""Unit cells -> unit names: the cases bulletins print (see ingestion/units.py)."""

import pytest

from ingestion.units import looks_like_unit, split_units


@pytest.mark.parametrize(
    "cell,expected",
    [
        (["区发改委区经信局区财政局区人社局开发区"], ["区发改委", "区经信局", "区财政局", "区人社局", "开发区"]),
        (["市自然", "资源局"], ["市自然资源局"]),
        (["市生态  环境局"], ["市生态环境局"]),
        (["市发展改革委", "市经济和信息化局"], ["市发展改革委", "市经济和信息化局"]),
        (["智能网联及新能源 汽车招商中心 成员单位"], ["智能网联及新能源汽车招商中心成员单位"]),
        (["区发改委、区财政局"], ["区发改委", "区财政局"]),
        (["区发改委 区经信局"], ["区发改委", "区经信局"]),
        (["区纪委监委机关 区委组织部"], ["区纪委监委机关", "区委组织部"]),
        (["区安委会各成员单位"], ["区安委会各成员单位"]),
        (["区人社局渠沟镇"], ["区人社局", "渠沟镇"]),
        (["区科", "技局"], ["区科技局"]),  # a name broken after a one-character ending
        (["区投促局区科技局各镇街"], ["区投促局", "区科技局", "各镇街"]),
        (["区委", "开发区"], ["区委", "开发区"]),
    ],
)
def test_split_units(cell, expected):
    assert split_units(cell) == expected


def test_looks_like_unit():
    assert looks_like_unit("区发改委")
    assert looks_like_unit("市农业农村局")
    assert not looks_like_unit("持续进行中。")
    assert not looks_like_unit("增长6%")


def test_glued_companies_are_split_one_company_name_is_not():
    # seed 000 prints three state enterprises run together in one cell
    assert split_units(["城投集团工投集团人才公司"]) == ["城投集团", "工投集团", "人才公司"]
    assert split_units(["淮北市建投控股集团有限公司"]) == ["淮北市建投控股集团有限公司"]
    assert split_units(["中国移动通信集团安徽有限公司"]) == ["中国移动通信集团安徽有限公司"]


# --- unit cells holding two units separated by a space, or a unit and a person ------------------
@pytest.mark.parametrize(
    "cell,units_,people",
    [
        ("县教体局 各相关乡镇政府", ["县教体局", "各相关乡镇政府"], []),
        ("区住建局 区城管局", ["区住建局", "区城管局"], []),
        ("市民政局 张某某", ["市民政局"], ["张某某"]),
        ("区财政局 王伟、李强", ["区财政局"], ["王伟", "李强"]),
        ("区发改委 成员单位", ["区发改委成员单位"], []),  # a tail, not a unit of its own
        ("区发改委各乡镇", ["区发改委", "各乡镇"], []),  # '乡镇' is never cut
    ],
)
def test_split_unit_cell(cell, units_, people):
    from ingestion.units import split_unit_cell

    assert split_unit_cell([cell]) == (units_, people)


def test_a_name_alone_is_not_a_person_without_a_unit_before_it():
    from ingestion.units import split_unit_cell

    assert split_unit_cell(["张某某"])[1] == []

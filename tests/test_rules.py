"""The rules file: presets as data, every bad key named, impossible quotas rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangyuan_cli.core.rules.model import PRESETS, RulesError, load_rules, parse_rules


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads(name: str) -> None:
    rules = load_rules(None, name)
    assert rules.preset == name
    assert rules.points.base_points == 100


def test_presets_carry_their_seeds_numbers() -> None:
    assert load_rules(None, "jiaozuo").stars.five_star_max == 0.15
    assert load_rules(None, "four-class").points.month_cutoff_day == 15
    assert load_rules(None, "four-class").classify.scheme == "four-class"
    assert load_rules(None, "named-stars").stars.scheme == "named"
    sanmenxia = load_rules(None, "sanmenxia").items_for("任意村")
    assert sanmenxia["义务修理农机"].points == 3
    assert sanmenxia["绿化卫生责任区保持干净"].cap_period == "quarter"


def test_all_problems_at_once_with_their_keys() -> None:
    with pytest.raises(RulesError) as caught:
        parse_rules({"points": {"veto": "x", "base_points": -1}, "stars": {"bogus": 1}})
    text = "\n".join(caught.value.problems)
    assert "points.veto" in text and "points.base_points" in text and "stars.bogus" in text


def test_quotas_that_leave_no_room_below_three_stars_are_rejected() -> None:
    with pytest.raises(RulesError, match="三星以下要有一定数量"):
        parse_rules({"stars": {"five_star_max": 0.4, "four_star_max": 0.45}})
    # the five-star-branch bonus counts too: 0.3 + 0.35 = 0.65 fits, × 1.3 does not
    parse_rules({"stars": {"five_star_max": 0.3, "four_star_max": 0.35}})
    with pytest.raises(RulesError, match=r"系数1\.3"):
        parse_rules(
            {
                "stars": {"five_star_max": 0.3, "four_star_max": 0.35, "five_star_branch_bonus": 1.3},
                "branches": {"东关村": {"rating": 5}},
            }
        )


def test_workspace_file_overrides_its_preset(tmp_path: Path) -> None:
    (tmp_path / "dangyuan.toml").write_text('preset = "four-class"\n[points]\nbase_points = 80\n', "utf-8")
    rules = load_rules(tmp_path)
    assert (rules.points.base_points, rules.points.month_cutoff_day) == (80, 15)


def test_branch_items_extend_the_catalogue() -> None:
    rules = parse_rules({"branches": {"西河村": {"items": [{"name": "捐资修路", "type": "贡献加分", "points": 5}]}}})
    assert "捐资修路" in rules.items_for("西河村")
    assert "捐资修路" not in rules.items_for("东关村")


def _problems(data: dict) -> str:
    with pytest.raises(RulesError) as caught:
        parse_rules(data)
    return "\n".join(caught.value.problems)


@pytest.mark.parametrize(
    ("signer", "shown"),
    [
        ("{0}", "不能写“{0}”"),
        ("{x}", "不能写“{x}”"),
        ("{}", "不能写“{}”"),
        ("中共{branch:>999999999}党支部", "不能写“{branch:>999999999}”"),
        ("{branch!r}", "不能写“{branch!r}”"),
        ("{branch.__class__}", "不能写“{branch.__class__}”"),
        ("中共{branch", "花括号不成对"),
        ("中共branch}", "花括号不成对"),
    ],
)
def test_signer_may_only_name_the_branch(signer: str, shown: str) -> None:
    text = _problems({"announce": {"signer": signer}})
    assert text.startswith("announce.signer: ") and "只能使用 {branch}" in text and shown in text


def test_signer_with_the_branch_and_literal_braces_is_accepted() -> None:
    assert parse_rules({"announce": {"signer": "中共{branch}党支部{{盖章}}"}}).announce.signer.startswith("中共")


@pytest.mark.parametrize(
    ("section", "key", "value", "said"),
    [
        ("points", "lost_contact_months", 2**63 - 1, "应不大于120"),
        ("points", "lost_contact_months", 0, "应不小于1"),
        ("announce", "public_days", 2**63 - 1, "应不大于60"),
        ("announce", "development_working_days", 1000, "应不大于60"),
        ("consequences", "nomination_years", 100000, "应不大于20"),
        ("consequences", "laggard_months", 10**9, "应不大于120"),
        ("points", "base_points", 1e308, "应不大于10000"),
        ("points", "base_points", float("inf"), "应为有限的数字"),
        ("points", "veto_cap", float("nan"), "应为有限的数字"),
        ("stars", "one_star_below", float("-inf"), "应为有限的数字"),
        ("stars", "five_star_max", 1.5, "应不大于1"),
        ("boards", "consecutive_red", 10**6, "应不大于8"),
        ("classify", "away_days", 10**6, "应不大于366"),
        ("posts", "max_group", 2**40, "应不大于1000"),
        ("points", "base_points", "一百", "应为数字"),
    ],
)
def test_every_number_has_a_sane_range_named_in_its_error(section: str, key: str, value, said: str) -> None:
    text = _problems({section: {key: value}})
    assert text.startswith(f"{section}.{key}: ") and said in text


def test_item_points_are_bounded_and_the_item_is_named() -> None:
    text = _problems({"items": [{"name": "志愿服务", "type": "贡献加分", "points": float("inf")}]})
    assert text.startswith("items[志愿服务].points: 应为有限的数字")


def test_inf_and_huge_numbers_in_a_rules_file_are_errors_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "dangyuan.toml").write_text(
        "[points]\nbase_points = inf\nlost_contact_months = 9223372036854775807\n"
        '[announce]\npublic_days = 9223372036854775807\nsigner = "{0}"\n',
        "utf-8",
    )
    with pytest.raises(RulesError) as caught:
        load_rules(tmp_path)
    keys = [p.split(":")[0] for p in caught.value.problems]
    assert keys == ["points.base_points", "points.lost_contact_months", "announce.public_days", "announce.signer"]


def test_english_pydantic_messages_are_said_in_chinese() -> None:
    text = _problems(
        {"points": {"veto": "half", "bogus": 1}, "posts": {"excuse_elderly": "也许"}, "items": [{"type": "贡献加分"}]}
    )
    assert "points.veto: 取值“half”无效，可选：zero、cap" in text
    assert "points.bogus: 未知的设置项" in text
    assert "posts.excuse_elderly: 应为true 或 false" in text
    assert "items[未写name的一项].name: 缺少此项" in text
    assert "Input should" not in text and "Field required" not in text


@pytest.mark.parametrize(
    ("grades", "said"),
    [
        ({"9": "x"}, "stars.named.grades: 键只能是星数 0、1、2、3、4、5，不能写“9”"),
        ({"5": "优秀"}, "stars.named.grades: 缺少0、1、2、3、4星对应的评定等次"),
    ],
)
def test_named_star_grades_cover_every_count(grades: dict, said: str) -> None:
    assert said in _problems({"stars": {"scheme": "named", "named": {"grades": grades}}})


def test_quota_grades_keys_are_star_counts() -> None:
    assert "stars.grades: 键只能是星数 1、2、3、4、5，不能写“0”" in _problems({"stars": {"grades": {"0": "差"}}})


def test_named_star_grades_follow_the_number_of_stars() -> None:
    names = ["学习星", "服务星", "清正廉洁星"]
    grades = {"0": "不合格", "1": "不合格", "2": "合格", "3": "优秀"}
    rules = parse_rules({"stars": {"named": {"names": names, "integrity_star": "清正廉洁星", "grades": grades}}})
    assert rules.stars.named.grades["3"] == "优秀"


def test_a_bad_named_grade_stops_check_and_run_with_the_key(tmp_path: Path, invoke) -> None:
    from conftest import entry, member, points_rows, roster_rows, write_book

    write_book(
        tmp_path / "东关村" / "台账.xlsx",
        {
            "名册": roster_rows(member("张三")),
            "积分": points_rows(entry("2025-3-1", "张三", "贡献加分", "志愿服务", 2)),
        },
    )
    (tmp_path / "dangyuan.toml").write_text('[stars]\nscheme = "named"\n[stars.named.grades]\n"9" = "x"\n', "utf-8")
    for args in (("check", tmp_path), ("run", tmp_path, "-p", "2025"), ("stars", tmp_path, "--year", "2025")):
        result = invoke(*args)
        assert result.exit_code == 1, result.output
        assert "stars.named.grades: 键只能是星数" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "输出").exists()


def test_deeply_nested_arrays_are_a_rules_file_error(tmp_path: Path, invoke) -> None:
    (tmp_path / "dangyuan.toml").write_text("title = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    with pytest.raises(RulesError, match="嵌套层次过深"):
        load_rules(tmp_path)
    result = invoke("check", tmp_path)
    assert result.exit_code == 1 and "dangyuan.toml" in result.output and "嵌套层次过深" in result.output


def test_a_rules_file_that_is_not_a_table_where_one_is_expected_is_named() -> None:
    assert "points: 应为表" in _problems({"points": 5})
    assert "posts: min_group（20）不能大于 max_group（15）" in _problems({"posts": {"min_group": 20}})


def test_a_toml_syntax_error_says_where_in_chinese(tmp_path: Path, invoke) -> None:
    (tmp_path / "dangyuan.toml").write_text("[points]\nbase_points = \n", "utf-8")
    result = invoke("check", tmp_path)
    assert result.exit_code == 1
    assert "dangyuan.toml: 格式错误：第2行第15列附近不符合TOML格式" in result.output
    assert "dangyuan.toml: dangyuan.toml" not in result.output

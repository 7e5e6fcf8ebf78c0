"""The rules file: presets as data, every bad key named, impossible quotas rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangyuan_cli.rules.model import PRESETS, RulesError, load_rules, parse_rules


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

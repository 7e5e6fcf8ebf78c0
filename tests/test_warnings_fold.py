"""Warnings a clerk can act on: `check` says a repeated cause once per branch, `--json` keeps every row."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from conftest import ROSTER_HEADER, entry, member, points_rows, write_book

UNLISTED = "未列入项目清单"


def workspace(tmp_path: Path) -> Path:
    """One branch: 12 rows of an unlisted item (0.5–5 points), 3 of another, and a member who
    joined in May with 4 entries from before."""
    ws = tmp_path / "城关镇"
    header = [*ROSTER_HEADER, "转入日期"]
    roster = [["东关村党支部党员名册"], header, [*member("王建国"), ""], [*member("汪磊"), "2025-05-01"]]
    write_book(ws / "东关村" / "党员名册.xlsx", {"党员名册": roster})
    rows = [entry(f"2025-03-{i + 1:02d}", "王建国", "贡献加分", "防汛值班", [0.5, 2, 5][i % 3]) for i in range(12)]
    rows += [entry(f"2025-06-{i + 1:02d}", "王建国", "贡献加分", "清理河道", 3) for i in range(3)]
    rows += [entry(f"2025-0{m}-10", "汪磊", "贡献加分", "志愿服务", 2) for m in (1, 2, 3, 4)]
    write_book(ws / "东关村" / "积分台账2025.xlsx", {"积分台账": points_rows(*rows)})
    return ws


def test_check_folds_unlisted_items_and_membership_window(tmp_path: Path, invoke) -> None:
    ws = workspace(tmp_path)
    result = invoke("check", ws)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    flood = [line for line in lines if "“防汛值班”未列入项目清单" in line]
    assert len(flood) == 1, result.output
    assert "东关村：" in flood[0] and "12处" in flood[0] and "0.5–5分" in flood[0]
    assert len([line for line in lines if "“清理河道”" in line and UNLISTED in line]) == 1
    window = [line for line in lines if "不在本支部期间" in line]
    assert len(window) == 1 and "汪磊" in window[0] and "4条" in window[0], result.output


def test_json_keeps_every_located_warning(tmp_path: Path, invoke) -> None:
    result = invoke("check", workspace(tmp_path), "--json")
    warnings = json.loads(result.stdout)["warnings"]
    assert all(set(w) == {"file", "sheet", "cell", "message"} for w in warnings)
    unlisted = [w for w in warnings if UNLISTED in w["message"]]
    assert len(unlisted) == 15 and len({w["cell"] for w in unlisted}) == 15
    assert "“防汛值班”未列入项目清单，按所填分值0.5计入" in {w["message"] for w in unlisted}
    window = [w for w in warnings if "不在本支部期间" in w["message"]]
    assert (
        next(w["message"] for w in window) == "汪磊：记录日期2025-01-10不在本支部期间（转入2025-05-01），不计入本支部"
    )
    assert len(window) == 4


def snippet_of(output: str) -> str:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "可加入 dangyuan.toml" in line) + 1
    return "\n".join(lines[start:]) + "\n"


def test_items_snippet_parses_and_silences_the_warnings(tmp_path: Path, invoke) -> None:
    ws = workspace(tmp_path)
    result = invoke("check", ws)
    snippet = snippet_of(result.output)
    items = tomllib.loads(snippet)["items"]
    assert {i["name"] for i in items} == {"防汛值班", "清理河道"}
    assert all(i["type"] == "贡献加分" for i in items)
    (ws / "dangyuan.toml").write_text('preset = "jiaozuo"\n\n' + snippet, "utf-8")
    after = invoke("check", ws, "--json")
    assert after.exit_code == 0, after.output
    messages = [w["message"] for w in json.loads(after.stdout)["warnings"]]
    assert not [m for m in messages if UNLISTED in m]
    assert len([m for m in messages if "不在本支部期间" in m]) == 4


def test_run_verbose_folds_and_run_log_keeps_every_row(tmp_path: Path, invoke) -> None:
    ws = workspace(tmp_path)
    result = invoke("run", ws, "-p", "2025", "-v", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert len([line for line in result.output.splitlines() if "“防汛值班”未列入项目清单" in line]) == 1
    log = (ws / "输出" / "2025" / "run.log").read_text("utf-8")
    assert log.count("“防汛值班”未列入项目清单") == 12


def test_free_text_items_fold_to_the_most_used_and_one_line_for_the_rest(tmp_path: Path, invoke) -> None:
    """A county's free-text 事项 are mostly distinct: a branch shows its most used items, one line
    says how many others there are, and the snippet offers only the most used (issue 15's county
    printed 29,756 [[items]] tables)."""
    from dangyuan_cli.core.folding import ITEM_LINES_PER_BRANCH, SNIPPET_ITEMS

    ws = tmp_path / "城关镇"
    write_book(
        ws / "东关村" / "党员名册.xlsx", {"党员名册": [["东关村党支部党员名册"], ROSTER_HEADER, member("王建国")]}
    )
    distinct = SNIPPET_ITEMS + 4
    rows = [entry("2025-02-01", "王建国", "贡献加分", "帮扶困难户", 2) for _ in range(3)]  # the most used
    rows += [
        entry(f"2025-03-{i + 1:02d}", "王建国", "贡献加分", f"义务劳动第{i + 1}次", 1) for i in range(distinct - 1)
    ]
    write_book(ws / "东关村" / "积分台账2025.xlsx", {"积分台账": points_rows(*rows)})
    result = invoke("check", ws)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if UNLISTED in line and "东关村：" in line]
    assert len(lines) == ITEM_LINES_PER_BRANCH + 1, result.output
    assert "“帮扶困难户”" in lines[0] and "3处" in lines[0]  # most used first
    rest = distinct - ITEM_LINES_PER_BRANCH
    assert f"另有{rest}种事项（{rest}处）" in lines[-1]
    assert result.output.count("[[items]]") == SNIPPET_ITEMS
    assert f"另有{distinct - SNIPPET_ITEMS}种事项使用较少" in result.output
    every = json.loads(invoke("check", ws, "--json").output)["warnings"]
    assert sum(UNLISTED in w["message"] for w in every) == len(rows)  # --json keeps every row

"""The rules file `dangyuan.toml`: loaded, presets applied, validated into `Rules` (its sections
are in `sections`); presets are TOML files beside this module.

An unknown key or a bad value is reported with its dotted key and what is allowed, in Chinese,
all problems at once.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from dangyuan_cli.core.rules.sections import (
    DEFAULT_PRESET,
    PRESETS,
    RULES_FILE,
    AnnounceRules,
    BoardRules,
    BranchRules,
    ClassifyRules,
    ConsequenceRules,
    Item,
    LimitsRules,
    NamedStarRules,
    PointsRules,
    PostRules,
    Rules,
    StarRules,
)

# the sections are read from here as well: callers import the rules from one module
__all__ = [
    "DEFAULT_PRESET",
    "PRESETS",
    "RULES_FILE",
    "AnnounceRules",
    "BoardRules",
    "BranchRules",
    "ClassifyRules",
    "ConsequenceRules",
    "Item",
    "LimitsRules",
    "NamedStarRules",
    "PointsRules",
    "PostRules",
    "Rules",
    "RulesError",
    "StarRules",
    "load_rules",
    "parse_rules",
    "preset_text",
]


class RulesError(Exception):
    """The rules file cannot be used; `problems` lists every bad key."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.source = source
        self.problems = problems


def preset_text(name: str) -> str:
    if name not in PRESETS:
        raise RulesError(name, [f"preset: 未知的预设“{name}”，可选：{'、'.join(PRESETS)}"])
    return resources.files("dangyuan_cli.core.rules").joinpath("presets", f"{name}.toml").read_text("utf-8")


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif key == "items" and isinstance(value, list):  # a preset adds to, or redefines, items by name
            names = {i.get("name") for i in value if isinstance(i, dict)}
            merged[key] = [i for i in merged.get(key, []) if i.get("name") not in names] + value
        else:
            merged[key] = value
    return merged


def _resolve(data: dict, source: str, seen: tuple[str, ...] = ()) -> dict:
    """Apply `extends`/`preset`: the named preset's values under this file's own."""
    parent = data.get("extends") or (data.get("preset") if source == "workspace" else None)
    if not parent or parent in seen:
        return data
    try:
        base = tomllib.loads(preset_text(parent))
    except tomllib.TOMLDecodeError as exc:  # a broken built-in preset is our bug, said plainly
        raise RulesError(parent, [f"内置预设{parent}格式错误：{exc}"]) from None
    base = _resolve(base, "preset", (*seen, parent))
    merged = _merge(base, {k: v for k, v in data.items() if k != "extends"})
    merged["preset"] = data.get("preset", parent)
    return merged


def _key(loc: tuple, data: object) -> str:
    """The dotted key of an error; a list element is named by its `name` (`items[志愿服务].points`),
    since the merged list's index is not the one in the user's file."""
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            node = data[p] if isinstance(data, list) and -len(data) <= p < len(data) else None
            name = node.get("name") if isinstance(node, dict) else None
            parts.append(f"[{name}]" if isinstance(name, str) and name else "[未写name的一项]")
            data = node
            continue
        if p == "[key]":
            parts.append("（键）")
            continue
        parts.append(("." if parts else "") + str(p))
        data = data.get(p) if isinstance(data, dict) else None
    return "".join(parts) or "规则文件"


_COMPARE = {"greater_than_equal": "不小于", "less_than_equal": "不大于", "greater_than": "大于", "less_than": "小于"}
_EXPECTED = {  # pydantic's English, said in Chinese, by error type
    "float_parsing": "数字",
    "float_type": "数字",
    "int_parsing": "整数",
    "int_type": "整数",
    "int_from_float": "整数",
    "string_type": "文字（用引号括起来）",
    "bool_type": "true 或 false",
    "bool_parsing": "true 或 false",
    "list_type": "列表 [ … ]",
    "dict_type": "表（[节] 或 { … }）",
    "model_type": "表（[节] 或 { … }）",
    "model_attributes_type": "表（[节] 或 { … }）",
}


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:40] + "…"


def _describe(err: dict, data: object = None) -> str:
    key = _key(tuple(err["loc"]), data)
    kind, ctx = err["type"], err.get("ctx", {})
    if kind == "extra_forbidden":
        return f"{key}: 未知的设置项，请检查拼写"
    if kind == "missing":
        return f"{key}: 缺少此项，请补上"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{key}: 取值“{_shown(err['input'])}”无效，可选：{'、'.join(choices) or ctx.get('expected', '')}"
    if kind in _COMPARE:
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        bound = f"{bound:g}" if isinstance(bound, float) else bound
        value = f"{err['input']:g}" if isinstance(err["input"], float) else _shown(err["input"])
        return f"{key}: 取值{value}不合理，应{_COMPARE[kind]}{bound}"
    if kind == "finite_number":
        return f"{key}: 应为有限的数字，不能是 inf、nan 或超出范围的数"
    if kind in ("too_short", "too_long"):
        word = "至少" if kind == "too_short" else "至多"
        limit = ctx.get("min_length", ctx.get("max_length"))
        unit = "个字" if isinstance(err.get("input"), str) else "项"
        return f"{key}: 太{'短' if kind == 'too_short' else '长'}，{word}{limit}{unit}"
    if kind in _EXPECTED:
        return f"{key}: 应为{_EXPECTED[kind]}，实为“{_shown(err['input'])}”"
    if kind in ("value_error", "assertion_error"):
        return f"{key}: {ctx.get('error', err['msg'])!s}"
    return f"{key}: 取值“{_shown(err.get('input'))}”不合理（{err['msg']}）"


def parse_rules(data: dict, source: str = "workspace") -> Rules:
    resolved: object = data
    try:
        resolved = _resolve(data, source)
        return Rules.model_validate(resolved)
    except ValidationError as exc:
        raise RulesError(source, [_describe(e, resolved) for e in exc.errors()]) from None
    except RulesError:
        raise
    except (RecursionError, MemoryError):
        raise RulesError(source, ["嵌套层次过深或内容过大，无法读取"]) from None
    except Exception as exc:  # any other surprise from odd data is still a rules-file error, not a traceback
        raise RulesError(source, [f"无法读取（{type(exc).__name__}: {exc}）"]) from None


def _toml_error(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's English `Invalid value (at line 3, column 9)` as 第3行第9列 first."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    where = f"第{found.group(1)}行第{found.group(2)}列" if found else ""
    detail = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", str(exc))
    return f"格式错误：{where or '文件末尾'}附近不符合TOML格式（{detail}），请检查引号、括号和等号"


def load_rules(workspace: Path | None = None, preset: str | None = None) -> Rules:
    """The workspace's `dangyuan.toml`, or the named/default preset when there is none."""
    path = Path(workspace) / RULES_FILE if workspace else None
    if path and path.is_file():
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(str(path), [_toml_error(exc)]) from None
        except UnicodeDecodeError:
            raise RulesError(str(path), ["文件不是UTF-8编码，请以UTF-8编码保存"]) from None
        except (RecursionError, MemoryError):  # tomllib recurses once per nested array
            raise RulesError(str(path), ["嵌套层次过深或内容过大，无法读取"]) from None
        except OSError as exc:
            raise RulesError(str(path), [f"无法读取（{exc.strerror or exc}）"]) from None
        data.setdefault("preset", preset or DEFAULT_PRESET)
        return parse_rules(data, "workspace")
    return parse_rules({"preset": preset or DEFAULT_PRESET}, "workspace")

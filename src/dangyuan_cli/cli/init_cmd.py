"""`dangyuan init`: a commented rules file and blank registers to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangyuan_cli.cli.options import NewFolder
from dangyuan_cli.cli.render import console, fail


def init(
    workspace: NewFolder = Path("."),
    preset: Annotated[
        str,
        typer.Option("--preset", help="规则预设：jiaozuo（默认）、sanmenxia、six-class、four-class、named-stars"),
    ] = "jiaozuo",
    branch: Annotated[str, typer.Option("--branch", "-b", help="党支部名称，写入台账标题，如“东关村”")] = "",
) -> None:
    """新建工作目录：写入带注释的规则文件 dangyuan.toml 和全部空白台账（带下拉选项、A4打印设置）。"""
    from dangyuan_cli.core.rules.model import PRESETS, RULES_FILE, preset_text
    from dangyuan_cli.publish.blank import write_blank_registers
    from dangyuan_cli.registers.branches import branch_key
    from dangyuan_cli.registers.schema import REGISTERS

    if preset not in PRESETS:
        fail(f"未知的预设“{preset}”，可选：{'、'.join(PRESETS)}")
    workspace.mkdir(parents=True, exist_ok=True)
    rules = workspace / RULES_FILE
    if rules.exists():
        console.print(f"规则文件已存在，未覆盖：{rules}")
    else:
        rules.write_text(preset_text(preset), encoding="utf-8")
        console.print(f"已写入规则文件：{rules}（预设 {preset}）")
    name = branch_key(branch or workspace.resolve().name)
    written = write_blank_registers(workspace, name, REGISTERS)
    for path in written:
        console.print(f"  已生成空白台账：{path}")
    console.print(f"完成。填写台账后运行：dangyuan check {workspace}")


def register(app: typer.Typer) -> None:
    app.command("init")(init)

"""Runs over a whole workspace: load the rules and registers, call the domain, collect problems.

The CLI calls one function here per command; nothing here prints. Branches with data errors
are skipped (their problems reported) and the others computed; `strict` stops everything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dangyuan_cli.app import archive
from dangyuan_cli.core.periods import Period, within
from dangyuan_cli.core.problems import Problem, error, split, warning
from dangyuan_cli.core.rules.model import RULES_FILE, Rules, RulesError, load_rules
from dangyuan_cli.registers import frames
from dangyuan_cli.registers.workspace import OUTPUT_DIR, Workspace, display_name, load_workspace


@dataclass
class Loaded:
    workspace: Workspace
    rules: Rules | None
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, list[dict[str, str]]]:
        errors, warnings = split(self.problems)
        return {"errors": [p.to_json() for p in errors], "warnings": [p.to_json() for p in warnings]}

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


class StopRun(Exception):
    """Nothing can be computed (rules unusable, or --strict with errors); problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("stopped")
        self.problems = problems


def load(root: Path, out: Path | None = None, files: list[Path] | None = None, partial: bool = False) -> Loaded:
    """Rules and registers of a workspace, with every problem of both."""
    problems: list[Problem] = []
    rules: Rules | None = None
    try:
        rules = load_rules(root)
    except RulesError as exc:
        problems.extend(error(RULES_FILE, "", "", msg) for msg in exc.problems)
    ws = load_workspace(root, skip=out, files=files, partial=partial, limits=rules.limits if rules else None)
    found, near = _without_echoes_of_near_misses(ws.problems)
    problems.extend(found)
    if not ws.tables_of("roster") and not near:  # a sheet that is nearly a roster has said so already
        where = "没有Excel文件" if not ws.files else f"{len(ws.files)}个Excel文件"
        problems.append(  # located at the folder itself: every problem names where it is
            error(
                display_name(str(root)),
                "",
                "",
                f"工作目录中没有找到党员名册（{where}）：请确认目录是否正确，或运行 dangyuan init 生成空白台账",
            )
        )
    return Loaded(ws, rules, problems)


def _without_echoes_of_near_misses(problems: list[Problem]) -> tuple[list[Problem], bool]:
    """A sheet that is nearly a roster (`像是党员名册，但缺少必填列“姓名”`) is the one message for
    its branch: the other registers' "找不到…的党员名册" lines would only echo it."""
    near = {p.branch for p in problems if p.severity == "error" and p.message.startswith("像是党员名册")}
    if not near:
        return problems, False
    echo = re.compile(r"^找不到(.+)的党员名册，无法核对")

    def echoes(p: Problem) -> bool:
        m = echo.match(p.message)
        return bool(m) and ("" in near or m.group(1) in near)

    return [p for p in problems if not echoes(p)], True


def check_workspace(root: Path) -> Loaded:
    """Everything `check` reports: cells, names, and entries the rules cannot score."""
    from dangyuan_cli.publish.documents.template_check import check_templates

    loaded = load(Path(root))
    loaded.problems.extend(check_templates(Path(root)))
    if loaded.rules is not None:
        members = frames.members_frame(loaded.workspace)
        entries = frames.entries_frame(loaded.workspace)
        from dangyuan_cli.app import member_registers as mr
        from dangyuan_cli.domain.points import resolve_entries

        more = mr.commitment_entries(loaded.workspace, loaded.rules)
        if more is not None:
            entries = pd.concat([entries, more], ignore_index=True)
        ledger, problems = resolve_entries(entries, members, loaded.rules)
        loaded.problems.extend(mr.without_own_items(problems))
        loaded.problems.extend(mr.register_problems(loaded.workspace, members, ledger, loaded.rules, loaded.problems))
        loaded.problems.extend(archive.changes_since_close(Path(root), entries))
        loaded.problems.extend(floating_problems(loaded.workspace, members, entries, loaded.rules))
    return loaded


def floating_problems(ws: Workspace, members: pd.DataFrame, entries: pd.DataFrame, rules: Rules) -> list[Problem]:
    """Floating members without quarterly contact, or 失联, as of the latest date the registers hold."""
    from dangyuan_cli.domain.classify import floating_status

    contacts = frames.contacts_frame(ws)
    dates = [*contacts["date"], *entries["date"]]
    if not dates or not members["away"].any():
        return []
    as_of = max(dates)
    found = floating_status(members, contacts, rules, as_of)
    return [
        warning(r.file, r.sheet, f"A{r.row}", f"流动党员{r.name}（截至{as_of:%Y-%m-%d}）：{r.reason}", r.branch)
        for r in found.itertuples(index=False)
    ]


@dataclass
class Context:
    """A workspace ready for computation: frames of the branches without errors."""

    root: Path
    rules: Rules
    workspace: Workspace
    members: pd.DataFrame
    entries: pd.DataFrame
    ledger: pd.DataFrame
    problems: list[Problem]
    skipped: list[str]
    cache: dict = field(default_factory=dict)  # results already computed in this run
    blocked: dict[str, list[Problem]] = field(default_factory=dict)  # skipped branch → its errors

    def output_dir(self, period: Period, out: Path | None = None) -> Path:
        return out if out is not None else self.root / OUTPUT_DIR / period.code

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def prepare(
    root: Path, strict: bool = False, out: Path | None = None, files: list[Path] | None = None, partial: bool = False
) -> Context:
    from dangyuan_cli.domain.points import resolve_entries

    root = Path(root)
    loaded = load(root, out, files, partial)
    if loaded.rules is None:
        raise StopRun(loaded.problems)
    ws = loaded.workspace
    all_members = frames.members_frame(ws)
    all_entries = frames.entries_frame(ws)
    if loaded.rules.points.duty_points > 0:  # SPEC §5: optional points per 履岗 participation
        all_entries = pd.concat(
            [all_entries, frames.duty_entries(ws, loaded.rules.points.duty_points)], ignore_index=True
        )
    from dangyuan_cli.app import member_registers as mr

    more = mr.commitment_entries(ws, loaded.rules)  # SPEC §10b: optional points per commitment
    if more is not None:
        all_entries = pd.concat([all_entries, more], ignore_index=True)
    all_ledger, entry_problems = resolve_entries(all_entries, all_members, loaded.rules)
    entry_problems = mr.without_own_items(entry_problems)
    entry_problems += mr.register_problems(ws, all_members, all_ledger, loaded.rules, loaded.problems + entry_problems)
    problems = loaded.problems + entry_problems + archive.changes_since_close(root, all_entries)
    errors = [p for p in problems if p.severity == "error"]
    if strict and errors:
        raise StopRun(problems)
    if not errors:  # nothing skipped: the ledger resolved above is the one to use
        return Context(root, loaded.rules, ws, all_members, all_entries, all_ledger, problems, [])
    # SPEC §2: a branch with an error is skipped whole; an error of no branch stops every branch it could affect
    from dangyuan_cli.registers.branches import branch_key
    from dangyuan_cli.registers.ownership import blocking, register_branches

    branches = register_branches(ws.tables, branch_key(display_name(root.resolve().name)))
    if partial:  # rows of township-wide files at the top name other parts' branches too: not ours to stop
        branches = {b: f for b, f in branches.items() if b in ws.roster.by_branch or any("/" in x for x in f)}
    blocked = blocking(errors, branches)
    skipped = sorted(blocked)
    skip = set(skipped)
    members = all_members[~all_members["branch"].isin(skip)].reset_index(drop=True)
    entries = all_entries[~all_entries["branch"].isin(skip)].reset_index(drop=True)
    ledger, _ = resolve_entries(entries, members, loaded.rules)
    return Context(root, loaded.rules, ws, members, entries, ledger, problems, skipped, blocked=blocked)


def _cached(fn):
    """Compute once per context and arguments: the batch asks for the same stars many times."""

    def wrapper(ctx: Context, *args):
        key = (fn.__name__, *args)
        if key not in ctx.cache:
            ctx.cache[key] = fn(ctx, *args)
        return ctx.cache[key]

    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


@_cached
def scores_for(ctx: Context, period: Period):
    from dangyuan_cli.domain.points import score_period

    return score_period(ctx.members, ctx.entries, ctx.rules, period, ledger=ctx.ledger)


@_cached
def stars_for(ctx: Context, year: Period) -> pd.DataFrame:
    """The year's stars per the preset's scheme (quota by default, named stars for seed 001)."""
    from dangyuan_cli.domain.stars import award_named_stars, award_stars

    scores = scores_for(ctx, year)
    if ctx.rules.stars.scheme == "named":
        return award_named_stars(scores.table, ctx.ledger, year.quarters(), ctx.rules)
    return award_stars(scores.table, ctx.rules)


def history_for(ctx: Context, year: int, years: int) -> dict[int, pd.DataFrame]:
    """Earlier years' results: the archive where a year was closed, else recomputed from the ledger."""
    found: dict[int, pd.DataFrame] = {}
    for y in range(year - years, year):
        closed = archive.history(ctx.root, y)
        if closed is not None:
            found[y] = closed
            continue
        period = Period("year", y, 0, ctx.rules.points.month_cutoff_day)
        kept = set(ctx.entries.loc[within(ctx.entries, period), "branch"]) if not ctx.entries.empty else set()
        if kept:  # only branches whose ledgers hold that year: no entries is no history, not 100 points
            past = stars_for(ctx, period)
            found[y] = past[past["branch"].isin(kept)]
    return found


@_cached
def consequences_for(ctx: Context, year: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    from dangyuan_cli.domain.consequences import list_consequences
    from dangyuan_cli.domain.points import derive_laggards

    stars = stars_for(ctx, year)
    span = max(2, ctx.rules.consequences.nomination_years)
    past = history_for(ctx, year.year, span - 1 if span > 1 else 1)
    from dangyuan_cli.domain.laggards import with_marked

    laggards = with_marked(derive_laggards(scores_for(ctx, year), ctx.rules), ctx.members)
    conversions = frames.laggards_frame(ctx.workspace, set(ctx.skipped))
    return list_consequences(year.year, stars, past, ctx.members, laggards, conversions, ctx.rules), stars


@_cached
def boards_for(ctx: Context, month: Period) -> pd.DataFrame:
    from dangyuan_cli.domain.boards import build_board

    return build_board(scores_for(ctx, month).table, ctx.rules)


@_cached
def ranking_for(ctx: Context, quarter: Period) -> tuple[pd.DataFrame, dict[str, set[str]]]:
    """Year-to-date ranking at quarter end, plus the consecutive-quarter lists."""
    from dangyuan_cli.domain.boards import RED, YELLOW, build_board, consecutive, quarterly_ranking

    ranking = quarterly_ranking(scores_for(ctx, quarter).table, ctx.rules)
    b = ctx.rules.boards
    count = max(b.consecutive_red, b.consecutive_yellow)
    quarters = [quarter]
    for _ in range(max(0, count - 1)):
        quarters.insert(0, quarters[0].previous())
    boards = [build_board(scores_for(ctx, q).table, ctx.rules) for q in quarters]
    streaks = {
        "共产党员户推荐": consecutive(boards, RED, b.consecutive_red),
        "转入党性教育名单": consecutive(boards, YELLOW, b.consecutive_yellow),
    }
    return ranking, streaks


def close_period(ctx: Context, period: Period, force: bool = False) -> Path:
    """Freeze a period's results and input hashes into the archive."""
    existing = archive.closed_periods(ctx.root)
    if period.code in existing and not force:
        raise StopRun(
            [
                error(
                    "",
                    "",
                    "",
                    f"{period.code}已于{existing[period.code].get('closed_on')}结账；如需重新结账请加 --force",
                )
            ]
        )
    if period.kind == "year":
        results = stars_for(ctx, period)
    else:
        results = scores_for(ctx, period).table.assign(stars=None)
    classes = classify_for(ctx, period.end).classes
    return archive.write_closed(ctx.root, period, ctx.workspace.files, ctx.entries, results, classes)


def year_laggards(ctx: Context, year: int) -> dict[str, str]:
    """Derived 后进党员 of a year (SPEC §6.4), when that year has ledger entries."""
    from dangyuan_cli.domain.points import derive_laggards

    period = Period("year", year, 0, ctx.rules.points.month_cutoff_day)
    if ctx.entries.empty or not within(ctx.entries, period).any():
        return {}
    found = derive_laggards(scores_for(ctx, period), ctx.rules)
    return dict(zip(found["member_id"], found["reason"], strict=True))


@dataclass
class Classification:
    classes: pd.DataFrame
    floating: pd.DataFrame
    changes: pd.DataFrame | None
    compared_with: str


@_cached
def classify_for(ctx: Context, as_of) -> Classification:
    """Classes as of a day, compared with the last classification archived by `close` before it."""
    since, label = archive.previous_classes(ctx.root, as_of)
    return classify_since(ctx, as_of, since, label)


def classify_since(ctx: Context, as_of, since: pd.DataFrame | None, since_label: str) -> Classification:
    """Classes as of a day, compared with a given earlier classification (`classify --since`)."""
    from dangyuan_cli.domain.classify import class_changes, classify_members, floating_status
    from dangyuan_cli.domain.laggards import converted

    back = converted(frames.laggards_frame(ctx.workspace, set(ctx.skipped)), as_of)  # 合格: back to the branch
    laggards = {m: why for m, why in year_laggards(ctx, as_of.year).items() if m not in back}
    classes = classify_members(ctx.members, ctx.rules, as_of, laggards)
    contacts = frames.contacts_frame(ctx.workspace, set(ctx.skipped))
    floating = floating_status(ctx.members, contacts, ctx.rules, as_of)
    changes = class_changes(classes, since) if since is not None else None
    return Classification(classes, floating, changes, since_label)


def previous_points(ctx: Context, year: int) -> dict[str, float]:
    past = history_for(ctx, year, 1).get(year - 1)
    if past is None:
        return {}
    return {
        m: float(t) for m, t in zip(past["member_id"], past["total"], strict=True) if t is not None and not pd.isna(t)
    }


@dataclass
class BranchPosts:
    branch: str
    assignment: object | None  # posts.Assignment when assigned
    existing: pd.DataFrame | None  # rows of the branch's own 定岗编组台账, when it has one
    problems: list[Problem]


@_cached
def posts_for(ctx: Context, as_of) -> list[BranchPosts]:
    """Per branch: check its 定岗编组台账 if it keeps one, else assign from the post list and claims."""
    from dangyuan_cli.domain.posts import assign_posts, check_groups

    skip = set(ctx.skipped)
    posts = frames.posts_frame(ctx.workspace, skip)
    claims = frames.claims_frame(ctx.workspace, skip)
    groups = frames.groups_frame(ctx.workspace, skip)
    points = previous_points(ctx, as_of.year)
    results = []
    for branch in sorted(ctx.members["branch"].unique()):
        people = ctx.members[ctx.members["branch"] == branch]
        existing = groups[groups["branch"] == branch]
        if not existing.empty:
            found = [warning(f, s, c, msg, branch) for f, s, c, msg in check_groups(existing, people, ctx.rules)]
            results.append(BranchPosts(branch, None, existing, found))
            continue
        mine = posts[posts["branch"] == branch]
        if mine.empty:
            results.append(
                BranchPosts(branch, None, None, [warning("", "", "", f"{branch}没有岗位清单，未定岗", branch)])
            )
            continue
        assignment = assign_posts(people, mine, claims[claims["branch"] == branch], points, ctx.rules, as_of)
        found = [warning("", "", "", f"{branch}：{w}", branch) for w in assignment.warnings]
        results.append(BranchPosts(branch, assignment, None, found))
    return results


def duty_for(ctx: Context, month: Period):
    """The month's 履岗记实 report over every branch's groups (kept ledger or computed assignment)."""
    from dangyuan_cli.domain.duty import duty_report
    from dangyuan_cli.domain.posts import group_name

    rows = []
    for bp in posts_for(ctx, month.end):
        if bp.existing is not None:
            rows.extend(bp.existing[["branch", "group", "member_id", "name"]].to_dict("records"))
        elif bp.assignment is not None:
            names = dict(zip(ctx.members["member_id"], ctx.members["name"], strict=True))
            for g in bp.assignment.groups:
                rows.extend(
                    {"branch": bp.branch, "group": group_name(g.post), "member_id": i, "name": names[i]}
                    for i in g.members
                )
    roster_groups = pd.DataFrame(rows, columns=["branch", "group", "member_id", "name"])
    duty = frames.duty_frame(ctx.workspace, set(ctx.skipped))
    return duty_report(roster_groups, duty, month), frames.duty_records(ctx.workspace, set(ctx.skipped))


def publication_date(period: Period) -> dt.date:
    """Default 公示 date: the first working day after the period (004: 每季度初…排名公示)."""
    from dangyuan_cli.publish.documents.calendar import next_workday

    return next_workday(period.end + dt.timedelta(days=1))[0]


def announce_for(ctx: Context, kind_name: str, period: Period, published: dt.date | None = None) -> list:
    """One document per branch of the given kind (SPEC §11)."""
    from dangyuan_cli.domain.boards import RED, YELLOW
    from dangyuan_cli.domain.posts import group_name
    from dangyuan_cli.publish.documents.calendar import calendar_span
    from dangyuan_cli.publish.documents.kinds import INTROS, KINDS, build

    kind = KINDS[kind_name]
    a = ctx.rules.announce
    published = published or publication_date(period)
    span = calendar_span(published, a.public_days) if kind.public else None
    if kind_name == "ranking":
        frame = ranking_for(ctx, period)[0].assign(period_total=lambda f: f["total"])
    elif kind_name == "board":
        frame = boards_for(ctx, period)
        order = {RED: 0, YELLOW: 2}
        frame = frame.assign(_o=[order.get(b, 1) for b in frame["board"]]).sort_values(
            ["branch", "_o", "net", "name"], ascending=[True, True, False, True]
        )
    elif kind_name == "stars":
        frame = stars_for(ctx, period)
        frame = frame[frame["stars"].notna()].copy()
        frame["stars"] = ["★" * int(s) for s in frame["stars"]]
        frame = frame.sort_values(["branch", "rank", "name"])
    elif kind_name == "groups":
        frame = _group_rows(ctx, period, group_name)
    elif kind_name == "commitments":
        from dangyuan_cli.app.member_registers import commitment_notice

        frame = commitment_notice(ctx, period)
    else:
        frame = consequences_for(ctx, period)[0]
    documents = []
    for branch, records in frame.groupby("branch", sort=True):
        intro = INTROS[kind_name].format(branch=branch, label=period.label, red=f"{ctx.rules.boards.red_ratio:.0%}")
        documents.append(
            build(kind, branch, period, records, published, span, a.signer, a.objections, f"{a.public_days}天", intro)
        )
    return documents


def _group_rows(ctx: Context, period: Period, group_name) -> pd.DataFrame:
    names = dict(zip(ctx.members["member_id"], ctx.members["name"], strict=True))
    rows = []
    for bp in posts_for(ctx, period.end):
        if bp.assignment is not None:
            for g in bp.assignment.groups:
                if g.members:
                    rows.append(
                        {
                            "branch": bp.branch,
                            "group": group_name(g.post),
                            "duty": g.duty,
                            "leader": names.get(g.leader, ""),
                            "cadre": names.get(g.cadre, ""),
                            "name": "、".join(names[i] for i in g.members),
                        }
                    )
        elif bp.existing is not None:
            for group, g in bp.existing.groupby("group", sort=False):
                rows.append(
                    {
                        "branch": bp.branch,
                        "group": group,
                        "duty": "",
                        "leader": g["leader"].iloc[0],
                        "cadre": g["cadre"].iloc[0],
                        "name": "、".join(g["name"]),
                    }
                )
    return pd.DataFrame(rows, columns=["branch", "group", "duty", "leader", "cadre", "name"])


_TOWNSHIP_NAME = re.compile(r"(镇|乡|街道|办事处)$")


def townships(ctx: Context) -> dict[str, str]:
    """Branch → township: the first folder under the workspace holding the branch's roster, when
    that folder is not the branch's own and is a township's (it holds village folders, several
    branches' files, or is named …镇/乡/街道); else the workspace itself (`area`, or its name)."""
    from dangyuan_cli.registers.branches import branch_key, row_branch

    own = ctx.rules.area or display_name(Path(ctx.root).resolve().name)
    first: dict[str, tuple[str, ...]] = {}
    for table in ctx.workspace.tables_of("roster"):  # skipped branches too: they still fill a folder
        for row in table.rows:
            first.setdefault(row_branch(table, row), Path(table.file).parts)
    folders: dict[str, set[str]] = {}
    for branch, parts in first.items():
        if len(parts) >= 2:
            folders.setdefault(parts[0], set()).add(branch)
    found = {}
    for branch, parts in first.items():
        folder = parts[0] if len(parts) >= 2 else ""
        township = (
            bool(folder)
            and branch_key(folder) != branch
            and (len(parts) >= 3 or len(folders[folder]) > 1 or bool(_TOWNSHIP_NAME.search(folder)))
        )
        found[branch] = folder if township else own
    return found


def report_area(rules: Rules, root: Path) -> tuple[str, list[Problem]]:
    """The name the report upward carries: the rules' `area`, else the workspace folder's name —
    and then a warning, since a folder name is no name to sign with (the 落款 stays empty)."""
    if rules.area:
        return rules.area, []
    name = display_name(Path(root).resolve().name)
    return name, [
        warning(
            RULES_FILE,
            "",
            "",
            f"未设置 area（乡镇或县的名称）：汇总报告按工作目录名“{name}”命名，落款留空；"
            f'请在 dangyuan.toml 中写 area = "…"',
        )
    ]


def skip_reasons(problems: list[Problem], skipped: list[str]) -> dict[str, str]:
    """Skipped branch → a short reason: its first error (else the first error of no branch, which
    stops every branch it could affect), and how many more."""
    reasons = {}
    shared = [p for p in problems if not p.branch and p.severity == "error"]
    for branch in skipped:
        errors = [p for p in problems if p.branch == branch and p.severity == "error"] or shared
        if not errors:
            reasons[branch] = "有数据错误"
            continue
        more = f"（另有{len(errors) - 1}个错误）" if len(errors) > 1 else ""
        reasons[branch] = errors[0].format() + more
    return reasons


@dataclass
class Report:
    title: str
    branches: pd.DataFrame
    summary: pd.DataFrame
    paragraphs: list[str]
    skipped: dict[str, str] = field(default_factory=dict)  # branch → why it is not in the report
    signer: str = ""  # 落款; empty when the rules name no area
    problems: list[Problem] = field(default_factory=list)


def report_for(ctx: Context, period: Period) -> Report:
    """Counts and averages per branch, rolled up, with the previous period for comparison;
    the skipped branches named with their reason."""
    area, problems = report_area(ctx.rules, ctx.root)
    skipped = skip_reasons(ctx.problems, ctx.skipped)
    return compose_report(report_rows(ctx, period), period, area, skipped, bool(ctx.rules.area), problems)


def report_rows(ctx: Context, period: Period) -> pd.DataFrame:
    """One summary row per branch of this context (SPEC §11 report)."""
    from dangyuan_cli.domain.classify import SCHEMES
    from dangyuan_cli.domain.report import branch_summary

    scores = scores_for(ctx, period).table
    before = period.previous()
    # a branch is compared only when its ledger has entries in the previous period
    kept = set(ctx.entries.loc[within(ctx.entries, before), "branch"]) if not ctx.entries.empty else set()
    previous = None
    if kept:
        previous = scores_for(ctx, before).table
        previous = previous[previous["branch"].isin(kept)]
    stars = consequences = None
    if period.kind == "year":
        consequences, stars = consequences_for(ctx, period)
    classes = classify_for(ctx, period.end).classes
    names = list(SCHEMES[ctx.rules.classify.scheme].values())
    from dangyuan_cli.app.member_registers import with_report_counts

    table = branch_summary(ctx.members, scores, previous, stars, classes, consequences, townships(ctx), names)
    return with_report_counts(ctx, period, table)


def compose_report(
    branches: pd.DataFrame,
    period: Period,
    area: str = "",
    skipped: dict[str, str] | None = None,
    signed: bool = True,
    problems: list[Problem] | None = None,
) -> Report:
    """Roll the branch rows up to townships and the total, and say it in sentences.

    `area` names the report (the workspace: a township or a county); `skipped` maps each branch
    left out to its reason, stated in one sentence and one line per branch.
    """
    from dangyuan_cli.domain.report import STAR_COLUMNS, canonical_columns, roll_up

    skipped = dict(sorted((skipped or {}).items()))
    title = f"{area}{period.label}党员积分定星工作情况报告"
    signer = f"中共{area}委员会组织办" if area and signed else ""
    left_out = []
    if skipped:
        left_out.append(f"另有{len(skipped)}个党支部未参加汇总：{'、'.join(skipped)}。")
        left_out += [f"{b}：未参加汇总，原因：{why}" for b, why in skipped.items()]
    if branches.empty:
        return Report(
            title,
            branches,
            branches,
            [f"{period.label}没有可汇总的党支部（名册中没有党员）。", *left_out],
            skipped,
            signer,
            list(problems or []),
        )
    branches = canonical_columns(
        branches.fillna({c: 0 for c in branches.columns if c.startswith(("类别：", "结果运用：", "等次："))})
    )
    stars = True if "五星" in branches.columns else None
    summary = roll_up(branches)
    total = summary.iloc[-1]
    joined = f"（参加汇总{len(branches)}个）" if skipped else ""
    parts = [
        f"{period.label}，{area}共有党支部{len(branches) + len(skipped)}个{joined}，党员{int(branches['党员'].sum())}名、入党积极分子{int(branches['入党积极分子'].sum())}名，"
        f"参加积分{int(branches['参加积分'].sum())}名，免于积分{int(branches['免于积分'].sum())}名。"
    ]
    average = total["平均积分"] if len(summary) > len(branches) else branches["平均积分"].iloc[0]
    if average is not None and not pd.isna(average):
        line = f"人均积分{average:g}分"
        before = total["上期平均"] if len(summary) > len(branches) else branches["上期平均"].iloc[0]
        if before is not None and not pd.isna(before):
            line += f"，上期{before:g}分，{'增加' if average >= before else '减少'}{abs(average - before):.1f}分"
        parts.append(line + f"；一票否决{int(branches['一票否决'].sum())}名。")
    if stars is not None:
        parts.append("定星结果：" + "，".join(f"{c}{int(branches[c].sum())}名" for c in STAR_COLUMNS) + "。")
    class_cols = [c for c in branches.columns if c.startswith("类别：")]
    parts.append(
        "党员分类：" + "，".join(f"{c.removeprefix('类别：')}{int(branches[c].sum())}名" for c in class_cols) + "。"
    )
    from dangyuan_cli.app.member_registers import counts_sentence

    if counts_sentence(branches):
        parts.append(counts_sentence(branches))
    lists = [c for c in branches.columns if c.startswith("结果运用：")]
    if lists:
        parts.append(
            "结果运用：" + "，".join(f"{c.removeprefix('结果运用：')}{int(branches[c].sum())}名" for c in lists) + "。"
        )
    parts[1:1] = left_out
    return Report(title, branches, summary, parts, skipped, signer, list(problems or []))

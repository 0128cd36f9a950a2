"""The README's benchmark tables are the figures the scripts recorded, and each figure is
judged against its target the same way the scripts print it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import readme_table  # noqa: E402
from common import verdict  # noqa: E402


@pytest.mark.parametrize(
    ("figure", "target", "expected"),
    [
        ("154 ms", "≤ 100 ms", "NOT met"),
        ("99 ms", "≤ 100 ms", "met"),
        ("0.81 s", "≤ 1.0 s", "met"),
        ("1,146 ms", "≤ 1 s", "NOT met"),
        ("3.28 GB", "≤ 3 GB", "NOT met"),
        ("200 MB", "≤ 300 MB", "met"),
        ("206 MB RSS", "≤ 300 MB", "met"),
        ("12.5 ×", "≥ 10 ×", "met"),
        ("243 ms", "—", ""),
        ("2.1 s", "≤ 300 MB", ""),
    ],
)
def test_a_figure_is_judged_against_its_target(figure: str, target: str, expected: str) -> None:
    assert verdict(figure, target) == expected


def test_the_readme_shows_what_the_scripts_recorded() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table.rewritten(readme, readme_table.render()) == readme, (
        "README.md is behind benchmarks/results/: run python benchmarks/readme_table.py"
    )


def test_a_recorded_run_becomes_a_table(tmp_path: Path) -> None:
    run = {
        "script": "bench_gui.py",
        "command": "python benchmarks/bench_gui.py --runs 3",
        "measured_at": "2026-11-26 09:40 UTC",
        "machine": "a test machine",
        "load": [0.4, 0.5, 0.6],
        "rows": [{"what": "sort | name", "figure": "154 ms", "target": "≤ 100 ms"}],
    }
    (tmp_path / "bench_gui.json").write_text(json.dumps(run), encoding="utf-8")
    table = readme_table.render(tmp_path)
    assert "`python benchmarks/bench_gui.py --runs 3` — 2026-11-26 09:40 UTC" in table
    assert "load average 0.4, 0.5, 0.6" in table
    assert "| sort \\| name | 154 ms | ≤ 100 ms | NOT met |" in table

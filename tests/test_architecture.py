"""The engine's shape: no import cycles, lower rooms never import higher ones, public APIs only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT

ENGINE = PROJECT / "twombly"
PRIVATE_API_CHECK = PROJECT.parent / "shared" / "tools" / "private-api-check"
# What each room may not import: content and comments know nothing of the site around them.
FORBIDDEN = {
    "twombly.content": ("twombly.comments", "twombly.web", "twombly.admin", "twombly.freeze"),
    "twombly.comments": ("twombly.web", "twombly.admin", "twombly.freeze"),
    "twombly.web": ("twombly.admin", "twombly.freeze"),
    # The films' model and queries are content: only their views and commands know the site.
    **{
        f"twombly.films.{name}": (
            "twombly.comments",
            "twombly.web",
            "twombly.admin",
            "twombly.freeze",
            "twombly.films.views",
            "twombly.films.cli",
        )
        for name in (
            "library",
            "diary",
            "logs",
            "addresses",
            "letterboxd",
            "letterboxd_export",
            "importer",
        )
    },
    # Image files and their copies: below the posts that show them.
    "twombly.images": (
        "twombly.content",
        "twombly.comments",
        "twombly.web",
        "twombly.admin",
        "twombly.freeze",
    ),
    "twombly.search": ("twombly.admin", "twombly.freeze"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def engine_imports() -> dict[str, set[str]]:
    """Every engine module and the engine modules it imports, anywhere in its code."""
    modules = {module_name(path): path for path in ENGINE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.level == 0, f"{path}: relative import"
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            found |= {target for target in targets if target in modules and target != name}
        graph[name] = found
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target] if target in trail else [target]
            if target not in state and (cycle := visit(target, [*trail, target])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_the_engine_has_no_import_cycle():
    cycle = find_cycle(engine_imports())
    assert cycle is None, " -> ".join(cycle or [])


def test_lower_rooms_never_import_higher_ones():
    wrong = [
        f"{module} imports {target}"
        for module, targets in engine_imports().items()
        for room, forbidden in FORBIDDEN.items()
        if module == room or module.startswith(f"{room}.")
        for target in targets
        if target.startswith(forbidden)
    ]
    assert wrong == []


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.skipif(not PRIVATE_API_CHECK.exists(), reason="the shared private-API checker")
def test_the_engine_uses_only_public_apis_of_its_libraries():
    result = subprocess.run(
        [sys.executable, str(PRIVATE_API_CHECK)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == "", result.stdout

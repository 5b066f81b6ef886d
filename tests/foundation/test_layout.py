"""The layout rule (README, Layout): packages depend one way, towards the domain.

Every module's imports are read with `ast` (no import is executed, so a lazy import inside a
function counts as much as one at the top). No package imports one that imports it back, however
long the loop, and the domain (`councilarchive/archive/`) imports none of the others.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

ROOT = REPO / "councilarchive"
DOMAIN = "archive"
PACKAGES = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file())


def imported_modules(path: Path, repo: Path = REPO) -> set[str]:
    """Absolute names of the modules `path` imports (relative imports resolved)."""
    package = path.relative_to(repo).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            # "from councilarchive import search" imports the package search
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def package_of(module: str, packages: list[str] = PACKAGES) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "councilarchive" and parts[1] in packages:
        return parts[1]
    return None


def dependencies(root: Path = ROOT) -> dict[str, dict[str, set[str]]]:
    """package -> {package it imports: the files that import it}."""
    packages = sorted(p.name for p in root.iterdir() if (p / "__init__.py").is_file())
    graph: dict[str, dict[str, set[str]]] = {name: {} for name in packages}
    for name in packages:
        for path in sorted((root / name).rglob("*.py")):
            for module in imported_modules(path, root.parent):
                other = package_of(module, packages)
                if other and other != name:
                    graph[name].setdefault(other, set()).add(str(path.relative_to(root.parent)))
    return graph


def find_cycle(graph: dict[str, dict[str, set[str]]]) -> list[str] | None:
    """One loop of packages (first == last), or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return None
        for other in sorted(graph.get(node, {})):
            if loop := visit(other, path + [node]):
                return loop
        done.add(node)
        return None

    for start in sorted(graph):
        if loop := visit(start, []):
            return loop
    return None


def test_the_packages_are_the_rooms_the_readme_names():
    assert PACKAGES == ["api", "archive", "browse", "ingest", "officers", "ops", "search"]


def test_the_domain_imports_no_other_package():
    graph = dependencies()
    assert graph[DOMAIN] == {}, f"archive must import none of the other packages: {graph[DOMAIN]}"


def test_no_two_packages_import_each_other():
    graph = dependencies()
    loop = find_cycle(graph)
    if loop:
        files = {f"{a} -> {b}": sorted(graph[a][b]) for a, b in zip(loop, loop[1:], strict=False)}
        pytest.fail(f"import cycle {' -> '.join(loop)}: {files}")


def test_the_checker_sees_lazy_relative_and_package_imports(tmp_path):
    """The rule can fail: a function-level import, a relative import and `from councilarchive
    import x` are each seen, and a loop of three is found."""
    source = (
        "def f():\n    from councilarchive.browse import views\n"
        "from ..search import query\n"
        "from councilarchive import officers\n"
    )
    fake = tmp_path / "councilarchive" / "ingest" / "load.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(source)
    seen = {package_of(m) for m in imported_modules(fake, tmp_path)} - {None}
    assert seen == {"browse", "search", "officers"}
    loop = find_cycle({"a": {"b": set()}, "b": {"c": set()}, "c": {"a": set()}, "d": {}})
    assert loop == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": set()}, "b": {}, "c": {"a": set(), "b": set()}}) is None

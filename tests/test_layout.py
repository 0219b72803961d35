"""The package's folders show the flow, and its imports run one way.

Stages, earliest first: what every stage shares (the package root's ``paths``, ``files``, ``lock``)
→ ``catalog`` → ``data`` → ``assessment`` → ``evaluation`` → ``figures`` → ``report`` → ``run`` →
the command line (``__main__``). A module may import its own stage or an earlier one, never a later
one; lazy imports inside functions count as much as those at the top. The import graph has no
cycle, and no module is longer than 700 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
STAGES = ["shared", "catalog", "data", "assessment", "evaluation", "figures", "report", "run", "cli"]
SHARED = {"analysis.paths", "analysis.files", "analysis.lock"}
MAX_LINES = 700


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> str:
    if module in SHARED:
        return "shared"
    if module == "analysis":  # the package's face re-exports the catalog
        return "catalog"
    if module == "analysis.__main__":
        return "cli"
    return module.split(".")[1]


def imports(module: str) -> set[str]:
    """The package's modules that ``module`` imports, anywhere in its body."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            names = [f"{source}.{alias.name}" for alias in node.names]
            found |= {n for n in names if n in MODULES} or ({source} if source in MODULES else set())
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in MODULES}
    return found - {module}


GRAPH = {module: imports(module) for module in MODULES}


def test_every_module_sits_in_a_known_stage():
    assert {stage(m) for m in MODULES} <= set(STAGES), sorted({stage(m) for m in MODULES} - set(STAGES))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_from_a_later_stage_to_an_earlier_one(module):
    upward = sorted(m for m in GRAPH[module] if STAGES.index(stage(m)) > STAGES.index(stage(module)))
    assert not upward, f"{module} ({stage(module)}) imports a later stage: {upward}"


def test_no_import_cycle():
    # Depth-first search; a back edge is a cycle (the package root's re-export of the catalog is
    # an edge like any other).
    state, stack = {}, []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for nxt in sorted(GRAPH[module]):
            if state.get(nxt) == "open":
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_700_lines(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module]} has {lines} lines; split it by what its parts do"


def test_the_test_catches_what_it_should(tmp_path):
    # The checks above are only worth something if they can fail: an upward import and a cycle
    # written into a throwaway module are found.
    assert stage("analysis.report.sections") == "report"
    source = "from analysis.report.sections import DomainSection\nimport analysis.catalog\n"
    probe = PACKAGE / "catalog" / "_probe_layout.py"
    try:
        probe.write_text(source, encoding="utf-8")
        MODULES["analysis.catalog._probe_layout"] = probe
        found = imports("analysis.catalog._probe_layout")
    finally:
        probe.unlink(missing_ok=True)
        MODULES.pop("analysis.catalog._probe_layout", None)
    assert found == {"analysis.report.sections", "analysis.catalog"}
    assert STAGES.index(stage("analysis.report.sections")) > STAGES.index("catalog")

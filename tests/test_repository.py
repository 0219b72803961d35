"""The repository keeps its promises: environment files agree, templates carry no outputs."""

import json
import re
import tomllib
from pathlib import Path

import yaml

from analysis.paths import ROOT

# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}


def requirement_name(spec: str) -> str:
    return re.split(r"[<>=!~ ;\[]", spec.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_names = {requirement_name(s) for s in project["dependencies"]}
    pip_names |= {requirement_name(s) for s in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_names, pip_section = set(), []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
        else:
            conda_names.add(CONDA_TO_PYPI.get(requirement_name(dep), requirement_name(dep)))
    conda_names -= {"python", "pip"}
    conda_names |= {requirement_name(s) for s in pip_section if not s.startswith("-e")}
    assert conda_names == pip_names


def test_notebook_templates_are_committed_without_outputs():
    for path in sorted((ROOT / "notebooks").glob("**/*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            assert not cell.get("outputs"), f"{path.name} has outputs: strip them before committing"
            assert not cell.get("execution_count"), f"{path.name} has execution counts"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and re.search(r"^make test$", ci, re.M)


def test_raw_outline_is_shipped_with_the_repository():
    text = (ROOT / "data" / "raw" / "outline" / "jinkouhe-women-outline-2021-2030.txt").read_text(
        encoding="utf-8"
    )
    assert "金口河妇女发展纲要" in text and "四、监测评估" in text

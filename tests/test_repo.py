"""Repository promises: the README's two set-up commands, and CI running the README's test command."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", setup)


def test_readme_has_a_lab_command_and_a_test_command():
    commands = _readme_commands()
    assert any("jupyter lab notebooks/" in c for c in commands)
    assert any(c.endswith("-m pytest") for c in commands)


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = next(c for c in _readme_commands() if c.endswith("-m pytest"))
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines


def test_ci_lints_with_ruff():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "ruff check ." in ci and "ruff format --check ." in ci


def test_ci_tests_every_python_that_requires_python_admits():
    pyproject = (ROOT / "pyproject.toml").read_text()
    low, high = re.search(r'requires-python = ">=3\.(\d+),<3\.(\d+)"', pyproject).groups()
    admitted = [f"3.{minor}" for minor in range(int(low), int(high))]
    loop = re.search(r"^for version in (.+); do$", (ROOT / ".ci" / "run").read_text(), re.M).group(1)
    assert loop.split() == admitted


def test_nothing_reads_bytecode_or_cpython_internals():
    """Node attributes come from what each op declares; nothing depends on one Python's compiler."""
    banned = re.compile(
        r"\bimport dis\b|\bfrom dis\b|__code__|\bco_(argcount|varnames|flags|code)\b|sys\._getframe"
    )
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "autograd_kit").rglob("*.py")
        if banned.search(path.read_text())
    ]
    assert offenders == []


def test_the_package_root_imports_every_public_name():
    """A new op's function must be imported by name in autograd_kit/__init__.py (the public face)."""
    import autograd_kit as ak

    missing = [name for name in ak.__all__ if name not in vars(ak)]
    assert missing == []
    for family in ak.ops.FAMILIES:
        for name in family.__all__:
            assert getattr(ak, name) is getattr(family, name), name

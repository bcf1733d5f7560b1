"""What a compiled core would buy: bench_core and bench_mlp on a Cython-compiled copy of the package.

The package is pure Python. Its speed targets (issues #2 and #3) sit below what CPython can do with
PyTorch's bookkeeping (see bench_floor.py), so the team has to choose between a compiled core,
leaner semantics and other targets. This script gives that choice numbers: it copies the
repository to a temporary directory, compiles every package module except the widgets with
Cython from the unchanged ``.py`` sources (no type declarations), checks that the copy imports
compiled, and runs the benchmarks on both (``--tests`` also runs the test suite on the copy).

Needs Cython and a C compiler, which are not project dependencies:
``.venv/bin/pip install cython`` (and ``apt-get install gcc`` where there is none).

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_compiled.py [--tests]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
# Cython would otherwise enforce annotations such as ``tuple`` at call time, where the Python
# sources accept any sequence; binding keeps functions introspectable (specialise reads __code__).
DIRECTIVES = {"language_level": 3, "binding": True, "annotation_typing": False}

_BUILD = """
import sys
from Cython.Build import cythonize
from setuptools import setup
modules = sys.argv[1:]
sys.argv = sys.argv[:1]
setup(  # packages=[]: no package discovery (the repository's pyproject.toml is read too)
    packages=[],
    py_modules=[],
    ext_modules=cythonize(modules, compiler_directives={directives!r}, nthreads={cpus}, quiet=True),
    script_args=["build_ext", "--inplace", "-j", "{cpus}"],
)
"""


def compiled_copy(target: Path) -> list[str]:
    """Copy the repository into ``target`` and compile its package modules in place."""
    shutil.copytree(
        ROOT,
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", "build"),
    )
    modules = sorted(
        str(p.relative_to(target))
        for p in (target / "autograd_kit").rglob("*.py")
        if p.name != "__init__.py" and "widgets" not in p.parts
    )
    script = _BUILD.format(directives=DIRECTIVES, cpus=os.cpu_count() or 1)
    build = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script, *modules], cwd=target, capture_output=True, text=True
    )
    if build.returncode:  # the compiler's warnings are noise unless the build failed
        sys.exit(f"the Cython build failed:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}")
    return modules


def run(args: list[str], repo: Path) -> None:
    """Run ``python args`` in ``repo``, importing that repository's package (not the installed one)."""
    env = dict(os.environ, PYTHONPATH=str(repo))  # ahead of the editable install's path entry
    subprocess.run([sys.executable, *args], cwd=repo, env=env, check=False)


def main(argv: list[str]) -> None:
    """Compile a copy, confirm it is the one imported, then benchmark both (and test the copy)."""
    try:
        import Cython  # noqa: F401
    except ImportError:
        sys.exit("bench_compiled needs Cython: .venv/bin/pip install cython")
    with tempfile.TemporaryDirectory(prefix="autograd_kit_compiled_") as tmp:
        target = Path(tmp)
        start = time.perf_counter()
        modules = compiled_copy(target)
        print(f"compiled {len(modules)} modules in {time.perf_counter() - start:.0f} s")
        # (read from sys.modules: they show that the compiled extension modules were imported)
        probe = "import sys, autograd_kit; print(*(sys.modules[f'autograd_kit.{m}'].__file__ for m in ('graph.engine', '_tensor.tensor')))"
        run(["-c", probe], target)
        for name, path in (("pure Python", ROOT), ("Cython-compiled copy", target)):
            print(f"\n## {name}\n")
            run(["benchmarks/bench_core.py"], path)
            run(["benchmarks/bench_mlp.py", "--quick"], path)
        if "--tests" in argv:
            print("\n## the test suite against the compiled copy\n")
            run(
                [
                    "-m",
                    "pytest",
                    "tests",
                    "-p",
                    "no:cacheprovider",
                    "--ignore=tests/browser",
                    "--tb=no",
                    "-q",
                ],
                target,
            )


if __name__ == "__main__":
    main(sys.argv[1:])

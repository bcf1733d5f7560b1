"""Derive the learner's copy of a workbook notebook: the answer cells emptied, every output cleared.

The committed notebooks hold one solution per exercise (so that nbval checks every checker);
``learner_copy("notebooks/02_computing_gradients.ipynb", "my_02.ipynb")`` writes a copy in which
each answer cell (tag ``solution``) keeps only what it defines, with ``...`` for the answer, and no
cell shows an output yet. Plain JSON: no Jupyter package is needed.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

__all__ = ["learner_copy", "blank_answer", "SOLUTION_TAG"]

SOLUTION_TAG = "solution"


def blank_answer(source: str) -> str:
    """The answer cell's skeleton: each function keeps its signature, each name gets ``...``."""
    lines = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            args = ast.unparse(node.args)
            lines.append(f"def {node.name}({args}):\n    ...  # your answer")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:  # (g,) = ... would fail to unpack: one line per name
                names = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
                lines.extend(f"{ast.unparse(n)} = ...  # your answer" for n in names)
    return "\n\n".join(dict.fromkeys(lines)) or "...  # your answer"


def learner_copy(source: str | Path, target: str | Path) -> Path:
    """Write ``target``: the notebook ``source`` with blank answers and no outputs."""
    nb = json.loads(Path(source).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        cell["outputs"], cell["execution_count"] = [], None
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = blank_answer(text)
            cell["metadata"].get("jupyter", {}).pop("source_hidden", None)  # nothing to hide now
    target = Path(target)
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target

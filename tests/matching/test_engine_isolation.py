"""The engine is plain Python and NumPy: importing and running it never loads Django."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "matching" / "engine"

PROGRAM = """
import sys
from matching.engine import parse_problem, solve, suggest
problem = parse_problem('''{"mentors": [{"id": "M1", "capacity": 1, "languages": ["en"],
  "lived_experience": [], "formats": ["video"], "availability": ["mon_evening"]}],
  "mentees": [{"id": "P1", "languages": ["en"], "needs": [], "formats": ["video"],
  "availability": ["mon_evening"], "waiting_days": 0}]}''')
assert solve(problem).stats.matched == 1
assert suggest(problem, "P1")
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "django")
print(",".join(loaded))
sys.exit(1 if loaded else 0)
"""


def test_running_the_engine_loads_no_django_module() -> None:
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    completed = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ENGINE.parents[1],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_no_engine_module_imports_django() -> None:
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), (path, names)

"""The starter library shipped with Alongside (toolkit/data/starter_skills.json): self-help skills
written for this project in plain, warm language, that each organisation can load and then keep
as its own. Loading checks every entry, so a mistake in the file fails loudly, not on a page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.models import SkillKind, SkillTag

STARTER_PATH = Path(__file__).resolve().parent / "data" / "starter_skills.json"
REQUIRED = ("key", "title", "kind", "why_it_helps", "steps", "minutes", "tags")
MAX_STEPS = 7


class StarterLibraryError(ValueError):
    """The starter file has an entry that could not become a skill."""


@dataclass(frozen=True)
class StarterSkill:
    key: str
    title: str
    kind: str
    why_it_helps: str
    steps: tuple[str, ...]
    minutes: int
    tags: tuple[str, ...]
    accessibility_notes: str


def _text(entry: dict[str, Any], name: str, where: str) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str):
        raise StarterLibraryError(f"{where}: {name} must be text.")
    return value.strip()


def _one(entry: Any, index: int) -> StarterSkill:
    where = f"starter skill {index + 1}"
    if not isinstance(entry, dict):
        raise StarterLibraryError(f"{where} is not an object.")
    missing = [name for name in REQUIRED if entry.get(name) in (None, "", [])]
    if missing:
        raise StarterLibraryError(f"{where} is missing {', '.join(missing)}.")
    where = f"starter skill {entry['key']!r}"
    steps = entry["steps"]
    if not isinstance(steps, list) or not all(isinstance(s, str) and s.strip() for s in steps):
        raise StarterLibraryError(f"{where}: steps must be a list of non-empty texts.")
    if len(steps) > MAX_STEPS:
        raise StarterLibraryError(f"{where}: keep it to {MAX_STEPS} steps or fewer.")
    tags = entry["tags"]
    if not isinstance(tags, list) or any(tag not in SkillTag.values for tag in tags):
        raise StarterLibraryError(f"{where}: tags must be among {', '.join(SkillTag.values)}.")
    minutes = entry["minutes"]
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
        raise StarterLibraryError(f"{where}: minutes must be a whole number from 1 to 240.")
    kind = _text(entry, "kind", where)
    if kind not in SkillKind.values:
        raise StarterLibraryError(f"{where}: kind must be one of {', '.join(SkillKind.values)}.")
    return StarterSkill(
        key=_text(entry, "key", where),
        title=_text(entry, "title", where),
        kind=kind,
        why_it_helps=_text(entry, "why_it_helps", where),
        steps=tuple(step.strip() for step in steps),
        minutes=minutes,
        tags=tuple(dict.fromkeys(tags)),
        accessibility_notes=_text(entry, "accessibility_notes", where),
    )


def load_starter_skills(path: Path = STARTER_PATH) -> list[StarterSkill]:
    """Every starter skill, checked. Raises ``StarterLibraryError`` on the first bad entry."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise StarterLibraryError(f"Cannot read the starter library: {error}") from error
    if not isinstance(raw, list):
        raise StarterLibraryError("The starter library must be a list of skills.")
    skills = [_one(entry, index) for index, entry in enumerate(raw)]
    keys = [skill.key for skill in skills]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise StarterLibraryError(f"Starter keys used twice: {', '.join(duplicates)}.")
    return skills

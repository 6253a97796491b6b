"""The matching engine: plain Python and NumPy, no Django, so it can be tested, benchmarked and
run from the command line on its own. docs/matching.md explains the model and the score."""

from matching.engine.model import (
    FORMATS,
    AgeRangePreference,
    Assignment,
    GenderPreference,
    Location,
    Mentee,
    Mentor,
    Preferences,
    Problem,
    ProblemError,
    Result,
    SharedExperiencePreference,
    Stats,
    Suggestion,
    Unmatched,
)
from matching.engine.parsing import parse_problem, problem_from_dict
from matching.engine.scoring import SCALE
from matching.engine.solving import solve, suggest

__all__ = [
    "FORMATS",
    "SCALE",
    "AgeRangePreference",
    "Assignment",
    "GenderPreference",
    "Location",
    "Mentee",
    "Mentor",
    "Preferences",
    "Problem",
    "ProblemError",
    "Result",
    "SharedExperiencePreference",
    "Stats",
    "Suggestion",
    "Unmatched",
    "parse_problem",
    "problem_from_dict",
    "solve",
    "suggest",
]

"""What a class holds, as wire models: the teacher's state, a challenge, a submission, an entry,
and the board's order. docs/classroom.md is the prose of the same contract."""

import time
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from app.lessons import LESSONS
from app.schemas import MAX_STEP, TrainConfig
from app.web.params import DEFAULT_EVERY, DEFAULT_RATE

LessonId = Literal[tuple(step.id for step in LESSONS)]  # type: ignore[valid-type]
# the fields that make a run's points: a challenge pins them, so every entry meets the same test set
DATA_FIELDS = (
    "dataset", "points", "noise", "turns", "label_noise", "test_fraction", "seed", "data",
)  # fmt: skip
# bidirectional overrides can make a nickname show as something else than it is
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
NICKNAME_LENGTH = 20


def config_query(config: TrainConfig, **extra: Any) -> str:
    """The config (and `extra`, e.g. every and rate) as the page's URL writes it (url.js)."""
    values: dict[str, Any] = {}
    for name, value in {**config.model_dump(), **extra}.items():
        if value is None or value == "":
            continue
        values[name] = ("true" if value else "false") if isinstance(value, bool) else value
    return urlencode(values)


def integral(value: object) -> object:
    """1.0 as 1: JSON Schema counts it an integer, which pydantic's strict mode does not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def integral_fields(values: object, names: frozenset[str]) -> object:
    if not isinstance(values, dict):
        return values
    return {name: integral(v) if name in names else v for name, v in values.items()}


INT_CONFIG_FIELDS = frozenset(("points", "seed", "layers", "width", "batch_size", "steps"))


class BodyConfig(TrainConfig):
    """A config as a JSON body gives it: strict, as its schema says (no `false` for a number,
    no "3" for a width); query strings and CLI flags stay TrainConfig's text-reading kind."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @field_validator("width", mode="before")
    @classmethod
    def _width_from_text(cls, value: object) -> object:
        return value

    @model_validator(mode="before")
    @classmethod
    def _integral(cls, values: object) -> object:
        return integral_fields(values, INT_CONFIG_FIELDS)


class StateMove(BaseModel):
    """A teacher's move: the fields given replace the class's, the others stay."""

    model_config = ConfigDict(extra="forbid", strict=True)

    config: BodyConfig | None = None
    every: Annotated[int, Field(ge=1, le=1000), BeforeValidator(integral)] | None = None
    rate: Annotated[float, Field(ge=0.1, le=20)] | None = None
    lesson: LessonId | None = None
    stage: Annotated[str, Field(max_length=40, pattern=r"^[A-Za-z0-9._~@-]+$")] | None = None
    view: Annotated[str, Field(max_length=32, pattern=r"^[a-z0-9-]+$")] | None = None
    playing: bool | None = None
    trace: Annotated[int, Field(ge=0, le=4999), BeforeValidator(integral)] | None = None
    # the teacher's timeline: the step shown (paused there, or scrubbed back); None: the newest
    step: Annotated[int, Field(ge=0, le=MAX_STEP), BeforeValidator(integral)] | None = None
    # the newest training step the teacher's page has, sent with every move: a screen that
    # opens later while the class plays starts near it (as_of), not at step 0 a run behind
    newest: Annotated[int, Field(ge=0, le=MAX_STEP), BeforeValidator(integral)] | None = None
    mode: Literal["follow", "explore"] | None = None


def first_state() -> dict[str, Any]:
    """A new class's state: the default run, following, paused at nothing in particular."""
    return {
        "config": TrainConfig().model_dump(),
        "every": DEFAULT_EVERY,
        "rate": DEFAULT_RATE,
        "lesson": None,
        "stage": None,
        "view": None,
        "playing": True,
        "trace": None,
        "step": None,
        "newest": None,
        "mode": "follow",
        "seq": 0,
        "moved_at": time.time(),
    }


def apply_move(state: dict[str, Any], move: StateMove, now: float) -> dict[str, Any]:
    """The state after `move`: given fields replace (null clears lesson, stage, view, trace
    and step)."""
    new = dict(state)
    for name in move.model_fields_set:
        value = getattr(move, name)
        if name == "config":
            new["config"] = value.model_dump() if value is not None else state["config"]
        elif value is not None or name in ("lesson", "stage", "view", "trace", "step", "newest"):
            new[name] = value
    new["seq"] = state["seq"] + 1
    new["moved_at"] = now
    new["query"] = config_query(
        TrainConfig.model_validate(new["config"]), every=new["every"], rate=new["rate"]
    )
    return new


def as_of(state: dict[str, Any], now: float) -> dict[str, Any]:
    """The state as a screen that opens at `now` takes it. While the class plays at the newest,
    the teacher's stream has gone on since the last move at `rate` snapshots a second, so
    `newest` moves on by what it has played since (never past the run's last step)."""
    newest = state.get("newest")
    if newest is None or not state["playing"] or state.get("step") is not None:
        return state
    played = int(max(now - state["moved_at"], 0.0) * state["rate"])
    last = state["config"]["steps"]
    return {**state, "newest": min(newest + played * state["every"], last)}


def with_query(state: dict[str, Any]) -> dict[str, Any]:
    config = TrainConfig.model_validate(state["config"])
    return {**state, "query": config_query(config, every=state["every"], rate=state["rate"])}


class DataFields(BaseModel):
    """The data part of a config: what a challenge pins."""

    model_config = ConfigDict(extra="forbid", strict=True)

    dataset: str = TrainConfig.model_fields["dataset"].default
    points: int | None = None
    noise: float | None = None
    turns: float | None = None
    label_noise: float | None = None
    test_fraction: float | None = None
    seed: int | None = None
    data: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _integral(cls, values: object) -> object:
        return integral_fields(values, frozenset(("points", "seed")))


class ChallengeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    data: DataFields = DataFields()
    goal: Annotated[float, Field(ge=0, le=1, description="test accuracy to reach")] = 0.9
    rank_by: Literal["parameters", "layers", "steps", "accuracy"] = "parameters"
    title: Annotated[str, Field(max_length=80)] = ""

    def pinned(self) -> dict[str, Any]:
        """The data fields every entry must have: the given ones over TrainConfig's defaults
        (validated as a config, so a bad one is a 422 naming the field)."""
        given = self.data.model_dump(exclude_none=True)
        config = TrainConfig(**given)
        return {name: getattr(config, name) for name in DATA_FIELDS}


class SubmissionIn(BaseModel):
    """A student's run. No result travels with it: the server measures (extra fields: 422)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    config: BodyConfig
    nickname: Annotated[str, Field(max_length=200)] = ""

    @field_validator("nickname")
    @classmethod
    def _plain_short_text(cls, value: str) -> str:
        text = unicodedata.normalize("NFC", value).strip()
        if len(text) > NICKNAME_LENGTH:
            raise ValueError(f"at most {NICKNAME_LENGTH} characters")
        if any(unicodedata.category(c) == "Cc" or ord(c) in _BIDI for c in text):
            raise ValueError("no control characters")
        return text


def mismatches(config: TrainConfig, pinned: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, wanted, given) for each data field where `config` is not the challenge's."""
    return [
        (name, wanted, getattr(config, name))
        for name, wanted in pinned.items()
        if getattr(config, name) != wanted
    ]


def _rank_key(entry: dict[str, Any], rank_by: str) -> tuple:
    measured = entry["measured"]
    accuracy = -measured["acc_test"]
    primary = {
        "parameters": measured["parameters"],
        "layers": measured["layers"],
        "steps": measured["step"],
        "accuracy": accuracy,
    }[rank_by]
    return (primary, accuracy, entry["id"])


def board_order(entries: list[dict[str, Any]], challenge: dict[str, Any] | None) -> list[dict]:
    """Entries in board order with `meets_goal` and `rank` set: those reaching the goal ranked,
    then those measured short of it (best accuracy first), then queued or training, then failed."""
    goal = challenge["goal"] if challenge else 1.0
    rank_by = challenge["rank_by"] if challenge else "accuracy"
    measured = [e for e in entries if e["status"] == "measured"]
    reached = sorted(
        (e for e in measured if e["measured"]["acc_test"] >= goal),
        key=lambda e: _rank_key(e, rank_by),
    )
    short = sorted(
        (e for e in measured if e["measured"]["acc_test"] < goal),
        key=lambda e: (-e["measured"]["acc_test"], e["id"]),
    )
    pending = sorted((e for e in entries if e["status"] in ("queued", "training")), key=_id)
    failed = sorted((e for e in entries if e["status"] == "failed"), key=_id)
    ordered = []
    for rank, entry in enumerate(reached, 1):
        ordered.append({**entry, "meets_goal": True, "rank": rank})
    for entry in short + pending + failed:
        ordered.append({**entry, "meets_goal": False, "rank": None})
    return ordered


def _id(entry: dict[str, Any]) -> int:
    return entry["id"]

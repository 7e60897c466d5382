"""What the schemathesis test and bench/fuzz.py share: the configuration, cost limits, and our
own check for schema-valid requests."""

from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

# Training lengths and sizes the schema allows are lowered to these (still valid) values, so a
# request costs milliseconds rather than a minute of training.
COST_LIMITS = {"steps": 40, "step": 40, "points": 200, "every": 20}

# Rendering one standalone animation (plotly.js inlined, ~8 MB) takes seconds of a training
# process: the test suite sends it schema-violating requests only, plus a few valid ones.
EXPENSIVE = "/api/export/animation"


def config(modes: list[str] | None = None, coverage: bool = True) -> SchemathesisConfig:
    """Limits the middleware enforces (413, 414) count as refusals like any 4xx. `coverage`:
    schemathesis's coverage phase, which sends a fixed set of boundary cases for every parameter
    whatever `max_examples` says (hundreds of training runs on the training routes)."""
    checks = {"negative_data_rejection": {"expected-statuses": [400, 404, 405, 413, 414, 422]}}
    generation = {"mode": modes[0]} if modes else {}
    phases = {"coverage": {"enabled": coverage}}
    return SchemathesisConfig.from_dict(
        {"checks": checks, "generation": generation, "phases": phases}
    )


# batch_size ≤ points, step ≤ steps and data only with dataset=custom relate two parameters,
# which OpenAPI cannot express: a schema-valid request may still be a 422 naming such a field.
# Last-Event-ID must be ASCII digits, which OpenAPI's regex dialects disagree on expressing.
CROSS_FIELD = {"batch_size", "step", "data", "dataset", "last-event-id"}


# A schema-valid request about a class the fuzzer never started (or without its teacher's key,
# or with no challenge set) is refused with these documented statuses, whatever its fields.
CLASS_PATH = "/api/class/{code}"
CLASS_REFUSALS = {403, 404, 409, 410}

TRAINING_PATHS = {"/api/stream", "/api/snapshot", "/api/export/run", "/api/export/animation"}


def lower_cost(case) -> None:
    """Lower valid sizes to COST_LIMITS, and give training routes a short `steps` when the case
    has none (the default is 2000). Never turns an invalid value into a valid one."""
    if case.path not in TRAINING_PATHS:
        return
    if case.query is None:
        case.query = {}
    query = case.query
    query.setdefault("steps", COST_LIMITS["steps"])
    for name, limit in COST_LIMITS.items():
        value = query.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and limit < value <= 20000:
            query[name] = limit


def accepted_unless_cross_field(response, case) -> None:
    """A schema-valid request gets a 2xx, or a 422 naming a field whose rule spans two
    parameters (schemathesis's own positive-data check cannot know those rules)."""
    if case.meta is None or case.meta.generation.mode.name != "POSITIVE":
        return
    if case.path.startswith(CLASS_PATH) and response.status_code in CLASS_REFUSALS:
        return  # a well-formed code of no class, or a request without the teacher's key
    if response.status_code == 422:
        fields = {item["loc"][-1] for item in response.json()["detail"] if item["loc"]}
        if case.path == "/api/custom-data":
            fields -= {"body"}  # CSV rows have rules of their own, named by line
        assert fields <= CROSS_FIELD, response.text
    else:
        assert response.status_code < 400 or response.status_code in (413, 414), response.text


def fuzzed(examples: int) -> settings:
    """Hypothesis settings for every generated test here: a fixed sequence, no time limits."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )

"""Schemathesis fuzzes every endpoint from the app's own OpenAPI: no server error, every response
as documented, schema-violating requests refused. A fixed seed makes the run repeatable; the
longer run is bench/fuzz.py. The training routes get generated examples without schemathesis's
coverage phase (its boundary cases of ~20 parameters are hundreds of training runs, minutes of
the suite); every other route gets both."""

import schemathesis
from hypothesis import seed
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.config import Settings
from app.main import create_app
from tests.web.fuzzing import (
    EXPENSIVE,
    TRAINING_PATHS,
    accepted_unless_cross_field,
    config,
    fuzzed,
    lower_cost,
)

STREAM_SECONDS = 0.3  # a stream is cut (done: duration) after this
EXAMPLES = 100

# The fuzzer is one address sending thousands of requests: the classroom's per-address limits
# (tested in tests/web/test_class_api.py) would answer most of them 429 before validation.
UNLIMITED = 10**9
app = create_app(
    Settings(
        compute_processes=2,
        stream_seconds=STREAM_SECONDS,
        class_creates_per_hour=UNLIMITED,
        class_joins_per_minute=UNLIMITED,
        class_misses_per_hour=UNLIMITED,
        class_submissions_per_minute=UNLIMITED,
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config())
examples = schemathesis.openapi.from_asgi("/openapi.json", app, config=config(coverage=False))
refusals = schemathesis.openapi.from_asgi("/openapi.json", app, config=config(["negative"]))


def call(case) -> None:
    lower_cost(case)
    response = case.call_and_validate(timeout=60, excluded_checks=[positive_data_acceptance])
    accepted_unless_cross_field(response, case)


@schema.exclude(path=sorted(TRAINING_PATHS)).parametrize()
@seed(20261123)
@fuzzed(EXAMPLES)
def test_every_endpoint_answers_as_documented(case):
    call(case)


@examples.include(path=sorted(TRAINING_PATHS - {EXPENSIVE})).parametrize()
@seed(20261123)
@fuzzed(EXAMPLES)
def test_every_training_endpoint_answers_as_documented(case):
    call(case)


@refusals.include(path=EXPENSIVE).parametrize()
@seed(20261123)
@fuzzed(EXAMPLES)
def test_the_animation_export_refuses_what_breaks_its_schema(case):
    call(case)


@examples.include(path=EXPENSIVE).parametrize()
@seed(20261123)
@fuzzed(3)
def test_the_animation_export_answers_valid_requests_as_documented(case):
    call(case)

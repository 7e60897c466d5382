"""Bad input at length against a real `layerwarp serve` on 127.0.0.1; prints JSON.

    python -m bench.fuzz [--examples 150]          (or: make bench-fuzz)

1. Schemathesis from the server's own OpenAPI, `--examples` per endpoint (≥ 1,000 requests in
   all): server errors and responses that break the schema, by check.
2. The full hostile corpus (every value in every known parameter of every endpoint, pages
   included): status codes, anything reflected unescaped, the server's memory before and after.
"""

import argparse
import collections
import json
import time
from urllib.parse import unquote

import httpx
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bench.load import Server, footprint
from tests.web.fuzzing import EXPENSIVE, accepted_unless_cross_field, config, lower_cost
from tests.web.hostile import PAGES, cases, reflected


def fuzz(base: str, examples: int) -> dict:
    """Every endpoint `examples` times; the animation export (seconds of work per valid request)
    gets `examples` schema-violating requests and five valid ones."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json", config=config())
    refusals = schemathesis.openapi.from_url(f"{base}/openapi.json", config=config(["negative"]))
    plan = [
        (schema.exclude(path=EXPENSIVE), examples),
        (refusals.include(path=EXPENSIVE), examples),
    ]
    plan.append((schema.include(path=EXPENSIVE), 5))
    requests: collections.Counter = collections.Counter()
    failures: list[dict] = []
    for part, count in plan:
        for result in part.get_all_operations():
            _one_operation(base, result.ok(), count, requests, failures)
    return {
        "requests": sum(requests.values()),
        "per_endpoint": dict(requests),
        "failures": len(failures),
        "first_failures": failures[:5],
    }


def _one_operation(base, operation, examples, requests, failures) -> None:
    """Fuzz one operation; count requests, collect failures instead of stopping at one."""
    label = f"{operation.method.upper()} {operation.path}"

    @seed(20261123)
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        lower_cost(case)
        requests[label] += 1
        try:
            response = case.call_and_validate(
                base_url=base, timeout=60, excluded_checks=[positive_data_acceptance]
            )
            accepted_unless_cross_field(response, case)
        except Exception as error:  # noqa: BLE001 — count every failure, keep going
            failures.append({"endpoint": label, "failure": str(error)[:300]})

    run()


def hostile(server: Server) -> dict:
    corpus = cases(full=True)
    statuses: collections.Counter = collections.Counter()
    problems = []
    before = footprint(server.pid)
    with httpx.Client(base_url=server.base, timeout=30) as client:
        for path, query in corpus:
            response = client.get(f"{path}?{query}")
            statuses[response.status_code] += 1
            value = unquote(query.split("=", 1)[1])
            if not 400 <= response.status_code < 500:
                problems.append((path, query[:80], response.status_code))
            html = response.headers.get("content-type", "").startswith("text/html")
            if html and reflected(value, response.text):
                problems.append((path, query[:80], "reflected"))
    after = footprint(server.pid)
    return {
        "cases": len(corpus),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "page_cases": sum(1 for path, _ in corpus if path in PAGES),
        "problems": len(problems),
        "first_problems": problems[:5],
        "rss_mb_before": before["rss_mb"],
        "rss_mb_after": after["rss_mb"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=150, help="per endpoint")
    args = parser.parse_args()
    started = time.perf_counter()
    with Server(workers=1, stream_seconds=0.5) as server:
        report = {"hostile": hostile(server), "schemathesis": fuzz(server.base, args.examples)}
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

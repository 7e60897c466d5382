"""A reduced lr × activation × seed sweep (the full one is bench/sweep.py): no crash, no
non-finite number on the wire, and each run ends as the engine does — a diverging one with
`done: diverged` at its last finite step."""

from tests.web.sweeping import ACTIVATIONS, check, grid


def test_a_reduced_sweep_streams_every_run_to_the_engines_end(client):
    configs = grid([1e-5, 0.3, 10.0], [0, 1])
    results = [check(client, config) for config in configs]
    assert len(results) == 3 * len(ACTIVATIONS) * 2
    assert [r for r in results if r["problems"]] == []
    ends = {r["reason"] for r in results}
    assert "diverged" in ends and "steps" in ends

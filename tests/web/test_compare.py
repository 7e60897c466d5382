"""/compare: run B is run A with the `b.` fields changed; a bad one is a 422 naming `b.<field>`."""

import json
import re

from app.web.compare import differences, read_compare_query


def _compare_state(html: str) -> dict | None:
    tag = r'<script type="application/json" id="layerwarp-compare">(.*?)</script>'
    block = re.search(tag, html, re.S)
    assert block, "the page carries run B"
    return json.loads(block.group(1))


def test_run_b_is_run_a_with_its_fields_changed(client):
    response = client.get("/compare?preset=circles-2d&b.width=3")
    assert response.status_code == 200
    pair = _compare_state(response.text)
    assert pair["differences"] == [{"field": "width", "a": 2, "b": 3}]
    b = pair["b"]
    assert b["width"] == 3 and b["dataset"] == "circles" and b["layers"] == 4


def test_a_fields_override_the_preset_for_both_runs(client):
    pair = _compare_state(client.get("/compare?preset=spiral2&layers=3&b.activation=relu").text)
    assert pair["b"]["layers"] == 3 and pair["b"]["activation"] == "relu"
    assert [d["field"] for d in pair["differences"]] == ["activation"]


def test_a_bad_b_value_is_a_422_page_naming_the_b_field(client):
    response = client.get("/compare?preset=spiral2&b.width=5")
    assert response.status_code == 422
    assert "b.width must be one of 2, 3 (got 5)" in response.text
    assert _compare_state(response.text) is None


def test_an_unknown_b_field_is_named_with_the_fields_allowed(client):
    response = client.get("/compare?b.widht=3")
    assert response.status_code == 422
    assert "b.widht is not a config field" in response.text and "b.width" in response.text


def test_a_bad_a_value_is_named_once_as_a_field_of_a(client):
    response = client.get("/compare?layers=99&b.width=3")
    assert response.status_code == 422
    assert response.text.count("layers must be an integer between 0 and 16") == 1
    assert "b.layers" not in response.text


def test_a_rule_across_fields_broken_only_by_b_is_named_as_b(client):
    _, b, errors = read_compare_query({"batch_size": "32", "b.points": "20"})
    assert b is None
    assert [e["loc"][-1] for e in errors] == ["b.batch_size"]


def test_a_b_value_equal_to_a_is_no_difference():
    a, b, errors = read_compare_query({"preset": "circles-2d", "b.width": "2"})
    assert errors == [] and differences(a, b) == []


def test_the_embed_compares_with_compare_1(client):
    response = client.get("/embed?compare=1&preset=xor&b.layers=2")
    assert response.status_code == 200
    assert "compare-embed" in response.text and 'data-embed-mode="true"' in response.text
    assert _compare_state(response.text)["differences"] == [{"field": "layers", "a": 1, "b": 2}]
    plain = client.get("/embed?preset=xor&b.layers=2")
    assert "compare-embed" not in plain.text  # without compare=1, b. fields mean nothing

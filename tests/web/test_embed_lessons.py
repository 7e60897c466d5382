"""`/embed?lesson=<id>`: a course page frames a lesson step by its id and gets that step's run,
not the default one, at a URL that states it (so the frame's URL round-trips)."""

from urllib.parse import parse_qsl, urlsplit

from app.lessons import LESSONS
from tests.web.test_pages import page_state


def test_a_lesson_in_an_embed_url_runs_that_steps_config_and_stage(client):
    step = next(s for s in LESSONS if s.id == "three-moves")
    response = client.get("/embed?lesson=three-moves&autoplay=1&lang=zh-CN", follow_redirects=False)
    assert response.status_code == 307
    target = response.headers["location"]
    query = dict(parse_qsl(urlsplit(target).query))
    assert urlsplit(target).path == "/embed" and "lesson" not in query
    assert query["stage"] == step.shown_stage() and query["autoplay"] == "1"
    assert query["lang"] == "zh-CN"
    page = client.get(target)
    assert page.status_code == 200
    assert page_state(page.text)["config"] == step.train_config().model_dump()


def test_the_urls_own_fields_and_stage_win_over_the_lessons(client):
    response = client.get("/embed?lesson=three-moves&seed=7&stage=input", follow_redirects=False)
    target = response.headers["location"]
    config = page_state(client.get(target).text)["config"]
    assert config["seed"] == 7 and config["dataset"] == "moons"
    assert dict(parse_qsl(urlsplit(target).query))["stage"] == "input"


def test_a_comparison_lesson_embeds_the_pair(client):
    step = next(s for s in LESSONS if s.compare)
    response = client.get(f"/embed?lesson={step.id}", follow_redirects=False)
    query = dict(parse_qsl(urlsplit(response.headers["location"]).query))
    assert query["compare"] == "1"
    assert all(query[f"b.{name}"] for name in step.compare)
    assert client.get(response.headers["location"]).status_code == 200


def test_an_unknown_lesson_is_named_with_the_ids_it_allows_and_the_rest_runs(client):
    response = client.get("/embed?lesson=three-move&layers=3")
    assert response.status_code == 422
    assert "lesson must be one of three-moves, compose" in response.text
    assert page_state(response.text)["config"] == client.get("/api/config?layers=3").json()

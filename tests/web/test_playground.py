"""/playground reads its state from the URL; a bad field is a 422 page naming it."""

import re

import pytest

from app.web.playground import DEFAULT, read_playground


def _page_state(html: str) -> dict[str, str]:
    tag = re.search(r"<main class=\"playground\"[^>]*>", html).group(0)
    return dict(re.findall(r'data-(w|b|activation|stage)="([^"]*)"', tag))


def test_a_good_url_is_served_with_its_values(client):
    response = client.get("/playground?W=1,-2,0.5,3&b=0.25,-1&activation=relu&stage=W")
    assert response.status_code == 200
    assert "data-query-errors" not in response.text
    assert _page_state(response.text) == {
        "w": "1.0,-2.0,0.5,3.0",
        "b": "0.25,-1.0",
        "activation": "relu",
        "stage": "W",
    }


def test_no_parameters_give_the_default_layer(client):
    response = client.get("/playground")
    assert response.status_code == 200
    assert _page_state(response.text)["activation"] == DEFAULT.activation


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ("W=1,2,3", "W", "4 comma-separated numbers"),
        ("W=1,2,3,x", "W", "got 'x'"),
        ("W=1,2,3,11", "W", "between -10 and 10"),
        ("W=1,2,3,nan", "W", "got 'nan'"),
        ("b=1", "b", "2 comma-separated numbers"),
        ("activation=softplus", "activation", "one of tanh"),
        ("stage=1.W", "stage", "one of input, W, b, act"),
    ],
)
def test_a_bad_field_is_a_422_page_naming_it(client, query, field, says):
    response = client.get(f"/playground?{query}")
    assert response.status_code == 422
    notice = re.search(r"data-query-errors>(.*?)</div>", response.text, re.S).group(1)
    assert notice.startswith(f'<p data-query-error="{field}">{field} must be')
    assert says in notice.replace("&#39;", "'")
    # the page still works, with the default in the bad field's place
    assert _page_state(response.text)[field.lower()] == DEFAULT.as_page()[field]


def test_every_bad_field_is_named_and_good_ones_are_kept():
    state, errors = read_playground({"W": "1,0,0,1", "b": "q", "stage": "x"})
    assert [e["loc"][-1] for e in errors] == ["b", "stage"]
    assert state.W == (1.0, 0.0, 0.0, 1.0)

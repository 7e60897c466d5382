"""A class in real browsers across two replicas sharing a real redis-server, as the shipped nginx
config would split it: the teacher's browser on one replica, three students' on the other. The
students follow and see the board; a student's page that posts a made-up accuracy is refused
and ranks nowhere; then both replicas restart, and the class, its board and its following are
all still there (Redis keeps them; tests/web covers SQLite's restart)."""

import pytest

from tests.browser.conftest import Watched
from tests.browser.harness import free_port, start_server, stop_server
from tests.browser.test_class_follow import (
    BOARD_TIMEOUT_MS,
    FILMSTRIP,
    FOLLOW_TIMEOUT_MS,
    LAPTOP,
    QUICK,
    drawn,
    join,
    start_class,
    wait_counts,
    wait_same,
)
from tests.support import redis_server

ROWS = "() => document.querySelectorAll('[data-class-board] tbody tr').length"
MEASURED = """() => document.querySelectorAll(
  '[data-class-board] tbody tr[data-status="measured"]').length"""
FORGE = """async ([code, config]) => {
  const response = await fetch(`/api/class/${code}/submissions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ config, nickname: 'mallory', accuracy: 1.0 }) });
  return [response.status, await response.json()];
}"""


def replica_settings(redis_url: str, data_dir) -> dict[str, str]:
    return {
        "LAYERWARP_REDIS_URL": redis_url,
        "LAYERWARP_DATA_DIR": str(data_dir),
        "LAYERWARP_CLASS_CREATES_PER_HOUR": "1000",
        "LAYERWARP_CLASS_JOINS_PER_MINUTE": "1000",
    }


@pytest.fixture
def redis_url():
    with redis_server() as url:
        yield url


def test_a_class_on_two_replicas_outlives_their_restart(browser, redis_url, tmp_path):
    ports = [free_port(), free_port()]
    settings = [replica_settings(redis_url, tmp_path / name) for name in ("a", "b")]
    processes = [start_server(port, s) for port, s in zip(ports, settings, strict=True)]
    a, b = (f"http://127.0.0.1:{port}" for port in ports)
    contexts = [browser.new_context(viewport=LAPTOP) for _ in range(4)]
    try:
        teacher = Watched(contexts[0].new_page(), a)
        students = [Watched(context.new_page(), b) for context in contexts[1:]]
        teacher.page.goto(f"{a}/?{QUICK}&stage=input")
        drawn(teacher.page)
        teacher.page.fill('[data-field="steps"]', "300")  # the server trains each entry
        teacher.page.press('[data-field="steps"]', "Tab")
        drawn(teacher.page)
        code = start_class(teacher.page)
        for student in students:
            join(student.page, b, code)
        wait_counts(teacher.page, 3, 3)  # counted on B, told to A through Redis
        teacher.page.click("[data-filmstrip-toggle]")
        wait_same(students, FILMSTRIP, [True, True])

        teacher.page.click('[data-class-action="challenge"]')
        dialog = teacher.page.locator("[data-class-challenge-dialog]")
        dialog.locator('select[name="dataset"]').select_option("xor")
        dialog.locator('select[name="goal"]').select_option("parameters")
        dialog.locator('input[name="target"]').fill("0.9")
        dialog.locator('button[value="set"]').click()
        dialog.wait_for(state="hidden")
        for student, nickname in zip(students, ["Ada", "Grace", ""], strict=True):
            submit = student.page.locator('[data-class-action="submit"]')
            submit.wait_for(state="visible", timeout=FOLLOW_TIMEOUT_MS)
            submit.click()
            form = student.page.locator("[data-class-submit-dialog]")
            form.locator("[data-class-nickname]").fill(nickname)
            form.locator('button[value="send"]').click()
            form.wait_for(state="hidden", timeout=10000)
        # a made-up accuracy, posted from a student's own page: refused, never ranked
        config = {"dataset": "xor", "points": 200, "layers": 0, "steps": 300}
        status, body = students[0].page.evaluate(FORGE, [code, config])
        assert status == 422 and body["detail"][0]["loc"] == ["body", "accuracy"]
        students[0].errors[:] = [e for e in students[0].errors if "422" not in e]
        for page in [teacher.page] + [s.page for s in students]:
            page.wait_for_function(f"() => ({ROWS})() === 3", timeout=BOARD_TIMEOUT_MS)
            names = page.locator('[data-class-board] tbody th[scope="row"]').all_inner_texts()
            assert sorted(names) == ["Ada", "Grace", "anonymous"]
        # measured by the server (trained on either replica), the same on every screen
        for page in [teacher.page] + [s.page for s in students]:
            page.wait_for_function(f"() => ({MEASURED})() === 3", timeout=BOARD_TIMEOUT_MS)
        board = teacher.page.locator("[data-class-board] tbody").inner_text()
        assert "%" in board
        for student in students:
            assert student.page.locator("[data-class-board] tbody").inner_text() == board

        # both replicas restart (a deploy): Redis keeps the class
        for process in processes:
            stop_server(process)
        processes = [start_server(port, s) for port, s in zip(ports, settings, strict=True)]
        teacher.page.reload()
        teacher.page.wait_for_function(f"() => ({MEASURED})() === 3", timeout=BOARD_TIMEOUT_MS)
        assert teacher.page.locator("[data-class-board] tbody").inner_text() == board
        assert teacher.page.locator("[data-class-code]").inner_text().strip() == code
        wait_counts(teacher.page, 3, 3)  # the students' pages reconnected by themselves
        teacher.page.click("[data-filmstrip-toggle]")  # and the teacher still leads them
        wait_same(students, FILMSTRIP, [False, False])
        for watched in [teacher, *students]:
            # a restart drops connections: Chromium logs each as an error; nothing else may be
            errors = [e for e in watched.errors if "ERR_" not in e and "Failed to load" not in e]
            assert errors == [], errors
    finally:
        for context in contexts:
            context.close()
        for process in processes:
            stop_server(process)

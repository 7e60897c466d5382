"""The probability lesson asks the class to read the input map's shading (p(class | x)); its 300
noisy points once covered most of it. On that step the points are small and faint, measured as
a person would see them: how much of the map's area the drawn markers cover, times how opaque
they are (what is left of the shading under them)."""

# The share of the plot area under any marker, rasterised at 1 px from the drawn markers' boxes
# (each a disc), and the opacity of the point traces.
COVER = """() => {
  const el = document.querySelector('[data-view="field"]');
  const area = el.querySelector('.nsewdrag').getBoundingClientRect();
  const [w, h] = [Math.ceil(area.width), Math.ceil(area.height)];
  const covered = new Uint8Array(w * h);
  const points = [...el.querySelectorAll('.scatterlayer .trace .point')];
  for (const p of points) {
    const r = p.getBoundingClientRect();
    const [cx, cy, rad] = [r.left + r.width / 2 - area.left, r.top + r.height / 2 - area.top,
      Math.max(r.width, r.height) / 2];
    for (let y = Math.max(0, Math.floor(cy - rad)); y < Math.min(h, cy + rad); y++) {
      for (let x = Math.max(0, Math.floor(cx - rad)); x < Math.min(w, cx + rad); x++) {
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= rad * rad) covered[y * w + x] = 1;
      }
    }
  }
  const opacity = [...el.querySelectorAll('.scatterlayer .trace')]
    .filter((t) => t.querySelector('.point')).map((t) => Number(getComputedStyle(t).opacity));
  return { points: points.length, cover: covered.reduce((a, b) => a + b, 0) / (w * h),
    opacity: Math.max(...opacity) };
}"""

DRAWN = """() => { const el = document.querySelector('[data-view="field"]');
  return el.dataset.step !== undefined && el.querySelectorAll('.scatterlayer .point').length; }"""


def test_the_probability_lessons_points_leave_its_shading_in_sight(watched):
    page = watched.page
    watched.open("lesson=probability")
    page.wait_for_selector("[data-lesson-title]:not(:empty)")
    page.wait_for_function(DRAWN, timeout=60000)
    page.wait_for_timeout(300)
    faint = page.evaluate(COVER)
    assert faint["points"] >= 200
    assert faint["cover"] * faint["opacity"] <= 0.15, faint

    # the same data outside the lesson: the points as everywhere else, over much more of the map
    page.get_by_role("button", name="Close the lesson").click()
    page.wait_for_function("() => !document.documentElement.dataset.lessonView")
    page.wait_for_function(DRAWN, timeout=60000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-view="field"] .scatterlayer .trace')]
          .some((t) => t.querySelector('.point') && getComputedStyle(t).opacity === '1')"""
    )
    plain = page.evaluate(COVER)
    hidden = plain["cover"] * plain["opacity"]
    assert hidden > 2 * faint["cover"] * faint["opacity"], (plain, faint)
    assert watched.errors == []

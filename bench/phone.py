"""The page on a throttled phone profile (`bench.page`): Lighthouse's mobile numbers — CPU 4×
slower, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips — on a 412×915 screen, cold cache.
Reported: when the first snapshot shows (the canvas sketch counts) and when Plotly first draws,
for the default 2-D run at `/` and for a 3-D preset, with the bytes each page load moved."""

PHONE = {"width": 412, "height": 915}
CPU_SLOWDOWN = 4
NETWORK = {
    "offline": False,
    "latency": 150,  # ms, each way together
    "downloadThroughput": 1.6e6 / 8,  # bytes/s
    "uploadThroughput": 750e3 / 8,
}
RUNS = {"2d": "/", "3d": "/?preset=spiral3"}
TIMEOUT_MS = 180000


def phone_page(browser, first_drawn_script: str):
    """A new phone context and page, throttled, and its CDP session."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1.75, is_mobile=True, has_touch=True
    )
    context.add_init_script(first_drawn_script)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", NETWORK)
    return context, page


def phone(browser, base: str, first_drawn_script: str, traffic_of) -> dict:
    """First drawn and first Plotly-drawn snapshot on the phone profile, 2-D and 3-D."""
    figures = {}
    for name, path in RUNS.items():
        context, page = phone_page(browser, first_drawn_script)
        traffic = traffic_of(page)
        page.goto(base + path, timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.__firstPlotted !== undefined", timeout=TIMEOUT_MS)
        drawn, plotted = page.evaluate("() => [window.__firstDrawn, window.__firstPlotted]")
        moved = traffic.totals()
        context.close()
        figures.update({
            f"phone_{name}_first_snapshot_ms": round(drawn, 1),
            f"phone_{name}_first_plotly_draw_ms": round(plotted, 1),
            f"phone_{name}_page_kb_by_then": moved["page_kb"],
            f"phone_{name}_stream_kb_by_then": moved["stream_kb"],
        })  # fmt: skip
    return figures

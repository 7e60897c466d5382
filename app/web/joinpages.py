"""/join and /join/<code>: a student types or scans a code and lands on the class's page; a wrong
or ended code is a page that says so, in the student's language (docs/classroom.md)."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.classroom import codes
from app.classroom.live import ClassError
from app.config import SettingsDep
from app.web.assets import asset_version
from app.web.classdeps import address, limited
from app.web.pages import _templates, page_language

router = APIRouter(include_in_schema=False)

TEXT = {
    "en": {
        "title": "Join a class",
        "ask": "Type the code your teacher shows.",
        "code": "Class code",
        "join": "Join",
        "missing": "There is no class {code}. Check the code on the board and type it again.",
        "malformed": "A class code is 6 letters and digits, like 7KQ4MX.",
        "ended": "Class {code} has ended.",
        "expired": "Class {code} has expired: its teacher has not moved for a long while.",
        "busy": "Too many tries from your network. Wait {seconds} seconds, then try again.",
        "unavailable": "Classes are unavailable on this server just now. Try again later.",
    },
    "zh-CN": {
        "title": "加入课堂",
        "ask": "输入老师展示的课堂代码。",
        "code": "课堂代码",
        "join": "加入",
        "missing": "没有代码为 {code} 的课堂。请核对黑板上的代码后重新输入。",
        "malformed": "课堂代码由 6 个字母和数字组成，例如 7KQ4MX。",
        "ended": "课堂 {code} 已经结束。",
        "expired": "课堂 {code} 已过期：老师很久没有操作了。",
        "busy": "你的网络尝试次数过多。请等待 {seconds} 秒后再试。",
        "unavailable": "本服务器暂时无法使用课堂功能。请稍后再试。",
    },
}


def join_page(
    request: Request, settings, status: int, message: str | None, code: str = ""
) -> Response:  # noqa: ANN001, E501
    """The code form, with `message` (why the last code did not work) above it."""
    lang = page_language(request)
    response = _templates(settings.templates_dir).TemplateResponse(
        request,
        "join.html",
        {
            "lang": lang,
            "text": TEXT[lang],
            "message": message,
            "code": code,
            "assets": f"/assets/{asset_version(settings.static_dir)}",
            "alphabet": codes.ALPHABET,
        },
        status_code=status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/join", response_class=HTMLResponse)
async def join_form(request: Request, settings: SettingsDep, code: str | None = None) -> Response:
    if code is None:
        return join_page(request, settings, 200, None)
    normal = codes.normal_code(code)
    if normal is None:
        text = TEXT[page_language(request)]
        return join_page(request, settings, 422, text["malformed"], code[:12])
    return RedirectResponse(_with_lang(f"/join/{normal}", request), status_code=303)


@router.get("/join/{code}", response_class=HTMLResponse)
async def join_class(code: str, request: Request, settings: SettingsDep) -> Response:
    """303 to the class's page, or the form again saying why not (404, 410, 429)."""
    text = TEXT[page_language(request)]
    limits = request.app.state.class_limits
    normal = codes.normal_code(code)
    try:
        wait = await limits.misses.retry_after(address(request))
        if wait is not None:
            raise ClassError(429, "", retry=wait)
        await limited(limits.joins, request, "joins")
        if normal is None:
            await limits.misses.count(address(request))
            return join_page(request, settings, 404, text["malformed"], code[:12])
        room = await request.app.state.classroom.find(normal)
        why = None if room is None else request.app.state.classroom.ended_reason(room)
    except ClassError as error:  # 429 (too many tries) or 503 (classes unavailable)
        message = text["busy" if error.status == 429 else "unavailable"]
        page = join_page(request, settings, error.status, message.format(seconds=error.retry))
        page.headers["Retry-After"] = str(error.retry)
        return page
    if room is None:
        await limits.misses.count(address(request))
        return join_page(request, settings, 404, text["missing"].format(code=normal), normal)
    if why is not None:
        return join_page(request, settings, 410, text[why].format(code=normal), normal)
    return RedirectResponse(_with_lang(f"/?{urlencode({'class': normal})}", request), 303)


def _with_lang(url: str, request: Request) -> str:
    lang = request.query_params.get("lang")
    if lang not in TEXT:
        return url
    return url + ("&" if "?" in url else "?") + urlencode({"lang": lang})

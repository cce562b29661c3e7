"""The web app as a person uses it: a real headless chromium (Debian's, driven by Playwright) against
the real server on a free localhost port. Screenshots go to each test's tmp_path and to
``test-output/`` at the repository root (the README's pictures are copied from there to docs/images/).

``App`` wraps a page of the app: ``open()``, ``tab(name)`` (fails the test when the app has no such
tab: a renamed tab must not turn its tests into silent skips), ``ask(question)``, ``shot(name)``, and it records dialogs and page errors. A test for a new tab is
``app.open(); app.tab("名称"); ...`` with the tab's elem_ids.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output"
VIEWPORTS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def app_url(app_server):
    return app_server


class App:
    def __init__(self, page, url: str, out: Path) -> None:
        self.page, self.url, self.out = page, url, out
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.set_default_timeout(TIMEOUT_MS)

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self) -> "App":
        self.page.goto(self.url)
        self.page.wait_for_selector("#question textarea")
        return self

    def has_tab(self, name: str) -> bool:
        return self.page.get_by_role("tab", name=name, exact=True).count() > 0

    def tab(self, name: str) -> "App":
        if not self.has_tab(name):
            tabs = self.page.get_by_role("tab").all_inner_texts()
            pytest.fail(f"the app has no {name} tab (tabs: {', '.join(tabs)})")
        self.page.get_by_role("tab", name=name, exact=True).click()
        return self

    def ask(self, question: str):
        """Type a question, press 提问, and wait for the new answer; returns the bot message."""
        bots = self.page.locator("#chat [data-testid='bot']")
        n = bots.count()
        self.page.fill("#question textarea", question)
        self.page.click("#ask")
        self.page.wait_for_function(
            f"document.querySelectorAll(\"#chat [data-testid='bot']\").length > {n}")
        return bots.nth(n)

    def shot(self, name: str) -> Path:
        path = self.out / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        SHOTS.mkdir(exist_ok=True)
        shutil.copyfile(path, SHOTS / path.name)
        return path


@pytest.fixture()
def app(browser, app_url, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    a = App(page, app_url, tmp_path)
    yield a
    context.close()
    assert not a.errors, a.errors


def _mark_text(page, container: str) -> str:
    mark = page.locator(f"{container} mark#cited-span")
    mark.wait_for()
    mark.scroll_into_view_if_needed()
    return mark.inner_text()


# -- 问答 ---------------------------------------------------------------------------------------

def test_answer_with_citations_and_highlighted_source(app):
    app.open()
    assert app.has_tab("问答") and app.has_tab("补贴标准速查")
    bot = app.ask("各地的农村低保标准分别是多少？")
    text = bot.inner_text()
    assert "4560" in text and "4524" in text and "[1]" in text and "[2]" in text and "来源" in text
    labels = app.page.locator("#citations label")
    assert labels.count() >= 2
    first, second = labels.nth(0).inner_text(), labels.nth(1).inner_text()
    assert first.startswith("[1]") and second.startswith("[2]")
    # the first citation is shown at once, its span highlighted
    app.page.wait_for_function("document.querySelector('#source mark#cited-span') !== null")
    cited_1 = _mark_text(app.page, "#source")
    app.shot("1-answer-first-citation")
    # clicking the second citation shows its own source and span
    city = "焦作市" if "焦作市" in second else "漯河市"
    labels.nth(1).click()
    app.page.wait_for_function(
        "(c) => { const m = document.querySelector('#source .civilqa-meta'); return m && m.innerText.includes(c); }",
        arg=second.split("]")[0] + "]")
    cited_2 = _mark_text(app.page, "#source")
    assert cited_2 != cited_1
    assert city in app.page.locator("#source .civilqa-meta").inner_text()
    # every figure of the answer's second line is in the span it cites
    figure = "4524" if city == "焦作市" else "4560"
    assert figure in cited_2
    app.shot("2-second-citation")
    assert app.dialogs == []


def test_unanswerable_question_says_so_without_citations(app):
    app.open()
    text = app.ask("北京市2023年城市低保标准是多少？").inner_text()
    assert "资料中没有" in text
    assert app.page.locator("#citations label").count() == 0
    assert "没有引用" in app.page.locator("#source").inner_text()


# -- 补贴标准速查 -----------------------------------------------------------------------------

def _pick(page, dropdown: str, option: str) -> None:
    page.click(f"{dropdown} input")
    page.locator("ul[role=listbox] li", has_text=option).first.click()


def test_standards_tab_filters_and_shows_the_source(app):
    app.open().tab("补贴标准速查")
    grid = app.page.locator("#standards [role=gridcell]")
    grid.first.wait_for()
    _pick(app.page, "#std-region", "焦作市")
    app.page.wait_for_function(
        "() => { const cells = [...document.querySelectorAll('#standards [role=row] [data-col=\"0\"]')];"
        " return cells.length > 0 && cells.every(c => c.innerText.trim() === '焦作市'); }")
    cell = app.page.locator("#standards [role=gridcell]", has_text="4524").first
    cell.click()
    cited = _mark_text(app.page, "#standard-source")
    assert "4524" in cited
    assert "焦作市" in app.page.locator("#standard-source .civilqa-meta").inner_text()
    app.shot("standards-jiaozuo")
    app.page.click("#std-reset")
    app.page.wait_for_function(
        "() => [...document.querySelectorAll('#standards [role=row] [data-col=\"0\"]')]"
        ".some(c => c.innerText.trim() === '洛阳市')")


# -- hostile input shown as text ------------------------------------------------------------------

def test_html_script_control_characters_and_emoji_are_shown_as_text(app):
    app.open()
    app.page.evaluate("window.__pwned = 0")
    question = "焦作市农村低保标准<img src=x onerror=alert(1)><img src=y onerror=\"window.__pwned=1\">是多少😀\u0007？"
    bot = app.ask(question)
    assert "4524" in bot.inner_text()
    user = app.page.locator("#chat [data-testid='user']").last
    shown = user.inner_text()
    assert "<img src=x onerror=alert(1)>" in shown and "😀" in shown
    assert app.page.locator("#chat img[src='x'], #chat img[src='y'], #chat script").count() == 0
    bot2 = app.ask("<script>alert(2)</script><b>加粗</b>")
    assert "问题不能为空" in bot2.inner_text() or "资料中没有" in bot2.inner_text()
    shown2 = app.page.locator("#chat [data-testid='user']").last.inner_text()
    assert "<script>alert(2)</script>" in shown2 and "<b>加粗</b>" in shown2
    app.page.wait_for_timeout(300)  # give any injected handler the time to fire
    assert app.page.evaluate("window.__pwned") == 0
    assert app.dialogs == []
    app.shot("hostile-input-as-text")


# -- a full queue --------------------------------------------------------------------------------------

def test_full_queue_shows_an_error_notice(browser, assistant, serve, tmp_path):
    """What a person sees when the server refuses a request because its queue is full."""
    with serve(assistant, max_queue=0) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        a = App(context.new_page(), url, tmp_path).open()
        a.page.fill("#question textarea", "焦作市农村低保标准是多少？")
        a.page.click("#ask")
        toast = a.page.locator(".toast-body, [data-testid='toast-body']").first
        toast.wait_for()
        text = toast.inner_text()
        assert re.search(r"currently busy|queue is full|繁忙", text, re.I), text  # Gradio's own notice
        assert a.page.locator("#chat [data-testid='bot']").count() == 0
        a.shot("queue-full")
        context.close()


# -- the other tabs ------------------------------------------------------------------------------------

def test_draft_tab_writes_a_reply_with_the_cited_figure(app):
    app.open().tab("起草答复")
    app.page.fill("#draft-input textarea", "我是焦作市农村居民，想问一下现在农村低保一年能领多少钱？")
    app.page.click("#draft-button")
    out = app.page.locator("#draft-output")
    app.page.wait_for_function(
        "() => { const o = document.querySelector('#draft-output textarea'); return o && /4524/.test(o.value); }")
    text = out.locator("textarea").input_value()  # an editable draft: the text is the textarea's value
    assert "4524" in text and not re.search(r"<[a-z]+[^>]*>", text)
    app.shot("draft-reply")
    assert app.dialogs == []


KB_TAB = "知识库管理"


@pytest.fixture(scope="module")
def tab_names(browser, app_url) -> list[str]:
    page = browser.new_page()
    App(page, app_url, Path(".")).open()
    names = page.get_by_role("tab").all_inner_texts()
    page.close()
    return names


@pytest.fixture()
def kb_app(browser, tab_names, index_copy, embedder, serve, tmp_path):
    """The knowledge-base tab changes the index: it gets a server of its own over a private copy."""
    from assistant.chain import Assistant

    if KB_TAB not in tab_names:
        pytest.fail(f"the app has no {KB_TAB} tab (tabs: {', '.join(tab_names)})")
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    private = Assistant(index_copy, embedder)
    with serve(private) as url:
        a = App(context.new_page(), url, tmp_path)
        yield a, private, index_copy
        context.close()


def _current(root: Path) -> str:
    return (root / "CURRENT").read_text(encoding="utf-8")


TOO_BIG = r"文件过大"
WRONG_TYPE = r"不支持|类型|格式|Invalid file type|not supported"


def test_kb_upload_over_the_limit_gets_the_command_lines_chinese_message(kb_app, tmp_path):
    """A file over the upload limit is refused in the page before it is sent, with the message
    the command line gives (name, size, limit), never Gradio's English one."""
    from assistant.kb import MAX_UPLOAD_BYTES, too_large

    a, private, root = kb_app
    before = (_current(root), len(private.documents()))
    f = tmp_path / "大文件.txt"
    size = MAX_UPLOAD_BYTES + 1
    with open(f, "wb") as out:
        out.truncate(size)
    a.open().tab(KB_TAB)
    a.page.locator("#kb-upload input[type=file]").set_input_files(str(f))
    note = a.page.locator("#kb-upload-refused")
    note.wait_for()
    assert note.inner_text() == "错误：" + too_large("大文件.txt", size)
    assert str(MAX_UPLOAD_BYTES) in note.inner_text() and str(size) in note.inner_text()
    a.page.wait_for_timeout(1500)  # an upload Gradio started would show its error by now
    assert not re.search(r"maximum allowed size|exceed", a.page.inner_text("body"), re.I)
    a.shot("kb-refused-too-large")
    assert (_current(root), len(private.documents())) == before


@pytest.mark.parametrize("name, size, why", [
    ("big.txt", 21 * 1024 * 1024, TOO_BIG),
    ("index.pkl", 1024, WRONG_TYPE),
    ("tool.exe", 1024, WRONG_TYPE),
], ids=["over-20MB", "pickle", "exe"])
def test_kb_upload_over_the_limit_or_of_another_type_is_refused(kb_app, tmp_path, name, size, why):
    a, private, root = kb_app
    before = (_current(root), len(private.documents()))
    f = tmp_path / name
    with open(f, "wb") as out:
        chunk = "焦作市农村低保标准".encode("utf-8") * 1000
        while out.tell() < size:
            out.write(chunk)
        out.truncate(size)
    a.open().tab(KB_TAB)
    count = "(re) => (document.body.innerText.match(new RegExp(re, 'gi')) || []).length"
    seen = a.page.evaluate(count, why)  # the tab's own help text may use the same words
    a.page.locator("#kb-upload input[type=file]").set_input_files(str(f))
    a.page.wait_for_function(f"(re) => ({count})(re) > {seen}", arg=why)
    a.shot(f"kb-refused-{name}")
    assert (_current(root), len(private.documents())) == before


def test_kb_upload_then_ask_then_delete(kb_app, tmp_path):
    """Upload a Word file in 知识库管理, see it listed, get an answer citing its paragraph in 问答,
    delete it, and get 资料中没有 for the same question: all without restarting the server."""
    from kb_samples import make_docx

    a, private, root = kb_app
    doc = make_docx(tmp_path / "安阳总结.docx", [
        ("h1", "安阳市民政局2016年工作总结"),
        ("p", "安阳市2016年城市低保标准为每人每月450元。"),
        ("p", "安阳市为80周岁以上老人发放高龄津贴，每人每月100元。")])
    question = "安阳市高龄津贴每人每月多少钱？"
    a.open().tab(KB_TAB)
    a.page.locator("#kb-upload input[type=file]").set_input_files(str(doc))
    a.page.wait_for_function("() => /新增 安阳总结.docx/.test(document.querySelector('#kb-status').innerText)")
    a.page.wait_for_function("() => /安阳总结.docx/.test(document.querySelector('#kb-table').innerText)")
    a.shot("kb-uploaded")
    a.tab("问答")
    text = a.ask(question).inner_text()
    assert "100" in text and "第3段" in text
    a.tab(KB_TAB)
    a.page.locator("#kb-doc input").fill("安阳总结.docx")
    a.page.get_by_role("option", name="安阳总结.docx").click()
    a.page.click("#kb-delete")
    a.page.wait_for_function("() => /已删除 安阳总结.docx/.test(document.querySelector('#kb-status').innerText)")
    a.shot("kb-deleted")
    a.tab("问答")
    assert "资料中没有" in a.ask(question).inner_text()
    assert a.errors == [] and a.dialogs == []


# -- as citizens and staff use it: desktop and a 390 px phone, zh-CN ------------------------------

# Gradio's own interface strings (its English table, and the labels it hard-codes); none may be
# shown to a person reading the page in Chinese
GRADIO_STRINGS = ["Copy message", "Copied message", "Copy conversation", "Copied conversation", "Copy table data",
                  "Copied to clipboard", "Fullscreen", "Exit fullscreen mode", "Like", "Dislike", "Retry", "Undo",
                  "Edit", "Clear", "Submit", "Cancel", "Loading", "Error", "Drop File Here", "Click to Upload",
                  "Download", "Share", "Use via API", "Built with Gradio", "Settings", "Stop", "Upload",
                  "Sort ascending", "Sort descending", "Clear sort", "Search", "Textbox", "Dataframe", "Chatbot",
                  "Select all", "More tabs", "Type a message"]

SHOWN_TEXT = """() => {
  const out = [document.body.innerText];
  for (const el of document.querySelectorAll('button, a, input, textarea, [title], [placeholder]')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    for (const a of ['title', 'placeholder', 'aria-label', 'value']) {
      const v = el.getAttribute(a); if (v && el.tagName !== 'TEXTAREA') out.push(v);
    }
  }
  return out.join('\\n');
}"""

HIGHLIGHT_VISIBLE = """(sel) => {
  const box = document.querySelector(sel + ' .civilqa-source');
  const mark = box && box.querySelector('mark#cited-span');
  if (!mark) return false;
  const b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
  const inBox = m.top >= b.top - 1 && m.top < b.bottom && m.bottom > b.top;
  const onScreen = b.bottom > 0 && b.top < window.innerHeight && m.top >= 0 && m.top < window.innerHeight;
  return inBox && onScreen;
}"""


@pytest.fixture(params=list(VIEWPORTS))
def device(request, browser, app_url, tmp_path):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="zh-CN")
    a = App(context.new_page(), app_url, tmp_path)
    a.name = request.param
    yield a
    context.close()
    assert not a.errors, a.errors


def _english(text: str) -> list[str]:
    return [w for w in GRADIO_STRINGS if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]


def _wait_highlight(page, sel: str = "#source") -> None:
    page.wait_for_function(HIGHLIGHT_VISIBLE, arg=sel)


def test_every_citation_click_shows_its_highlight_inside_the_visible_source_box(device):
    app = device
    app.open()
    app.ask("各地的农村低保标准分别是多少？")
    labels = app.page.locator("#citations label")
    assert labels.count() >= 2
    for i in range(labels.count()):
        marker = labels.nth(i).inner_text().split("]")[0] + "]"
        labels.nth(i).click()
        app.page.wait_for_function(
            "(m) => { const e = document.querySelector('#source .civilqa-meta'); return e && e.innerText.startsWith(m); }",
            arg=marker)
        _wait_highlight(app.page)
        # the cited span sits beyond the box's first screen: it was scrolled to, not shown by chance
        assert app.page.evaluate("() => document.querySelector('#source .civilqa-source').scrollTop") > 0
        # clicking the same citation again after scrolling away brings the span back
        app.page.evaluate("() => { document.querySelector('#source .civilqa-source').scrollTop = 0; window.scrollTo(0, 0); }")
        labels.nth(i).click()
        _wait_highlight(app.page)
    app.shot(f"{app.name}-citation")
    # the [n] in the answer selects its citation
    app.page.evaluate("() => window.scrollTo(0, 0)")
    app.page.locator("#chat a[href='#cite-1']").first.click()
    app.page.wait_for_function(
        "() => document.querySelector('#source .civilqa-meta').innerText.startsWith('[1]')")
    _wait_highlight(app.page)
    meta = app.page.locator("#source .civilqa-meta").inner_text()
    details = app.page.locator("#source .civilqa-details").inner_text()
    assert ".txt" not in meta and re.search(r"（.+市，20\d\d年", meta)  # title, region, year: no file name
    assert re.match(r"文件 \S+\.txt，第\d+–\d+字", details)
    assert app.dialogs == []


def test_no_gradio_english_on_any_tab(device):
    app = device
    app.open()
    bot = app.ask("焦作市农村最低生活保障年标准是多少？")
    bot.hover()
    found = _english(app.page.evaluate(SHOWN_TEXT))
    for name in app.page.get_by_role("tab").all_inner_texts():
        app.page.get_by_role("tab", name=name, exact=True).click()  # every tab reachable, none behind a menu
        app.page.wait_for_timeout(300)
        found += [f"{name}: {w}" for w in _english(app.page.evaluate(SHOWN_TEXT))]
    assert found == [], ", ".join(found)
    assert app.page.get_by_role("tab").count() >= 5
    assert "右侧" not in app.page.evaluate("() => document.body.innerText")  # wording that fits a phone too


def test_example_click_asks(device):
    app = device
    app.open()
    n = app.page.locator("#chat [data-testid='bot']").count()
    app.page.locator(".civilqa-example", has_text="洛阳市散居孤儿标准是多少").click()  # formed from the index (assistant.examples)
    app.page.wait_for_function(f"document.querySelectorAll(\"#chat [data-testid='bot']\").length > {n}")
    bot = app.page.locator("#chat [data-testid='bot']").last
    assert "700" in bot.inner_text()
    app.page.locator("#source mark#cited-span").wait_for()
    app.shot(f"{app.name}-answer")


def test_thumbs_down_with_comment_reaches_the_staff_view_and_the_export(device):
    import httpx

    app = device
    app.open()
    app.ask("惠济区城市低保标准是多少？")
    bot_row = app.page.locator("#chat .message-row.bot-row").last
    bot_row.hover()
    down = app.page.locator("#chat button[aria-label='踩'], #chat button[aria-label='没帮助']").last
    down.click()
    app.page.locator("#feedback-row").wait_for(state="visible")
    comment = f"标准应该是新的（{app.name}）"
    app.page.fill("#feedback-comment textarea", comment)
    app.page.click("#feedback-send")
    app.page.wait_for_function("() => /已记录/.test(document.querySelector('#feedback-note').innerText)")
    app.shot(f"{app.name}-feedback")
    app.tab("反馈记录")
    app.page.wait_for_function(
        "(c) => document.querySelector('#feedback-table').innerText.includes(c)", arg=comment)
    row = app.page.locator("#feedback-table [role=row]", has_text=comment).first.inner_text()
    assert "👎" in row and "惠济区城市低保标准是多少" in row and "550" in row
    assert app.page.locator("#feedback-file").count() == 0 or not app.page.locator("#feedback-file").is_visible()
    app.page.click("#feedback-export-csv")
    link = app.page.locator("#feedback-file a[href]").first
    link.wait_for()
    app.shot(f"{app.name}-staff-feedback")
    href = link.get_attribute("href")
    csv_text = httpx.get(href if href.startswith("http") else app.url.rstrip("/") + "/" + href.lstrip("/"),
                         timeout=10).content.decode("utf-8-sig")
    assert comment in csv_text and "👎" in csv_text and "惠济区城市低保标准是多少" in csv_text


def test_draft_download_box_appears_only_with_a_file(app):
    app.open().tab("起草答复")
    assert not app.page.locator("#draft-file").is_visible()
    app.page.fill("#draft-input textarea", "一是焦作市农村低保一年多少钱？二是洛阳孤儿每月多少钱？")
    app.page.click("#draft-button")
    app.page.wait_for_function(
        "() => { const o = document.querySelector('#draft-output textarea'); return o && /4524/.test(o.value); }")
    body = app.page.locator("#draft-output textarea").input_value()
    assert "关于“焦作市农村低保一年多少钱”的问题" in body and "一是" not in body
    assert not app.page.locator("#draft-file").is_visible()
    app.page.click("#draft-export-docx")
    app.page.locator("#draft-file a[href]").first.wait_for()
    sources = app.page.locator("#draft-sources").inner_text()
    assert "焦作市民政局2021年工作回顾" in sources and "农村最低生活保障年标准提高到4524元" in sources
    app.shot("desktop-draft")

"""The login page in a real chromium with ui/guard.py in front (issue 14, defect 5): the form loads
with nothing but its own assets, logging in opens the app."""
from __future__ import annotations

import pytest

from test_browser import TIMEOUT_MS

pytestmark = pytest.mark.browser
USER, PASSWORD = "clerk", "Gx7-minzheng-2024:ok"


def test_login_page_works_and_leaks_nothing(assistant, browser, serve, tmp_path):
    with serve(assistant, auth=[(USER, PASSWORD)]) as url:
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        refused = []
        page.on("response", lambda r: refused.append(r.url) if r.status == 401 else None)
        page.goto(url)
        page.wait_for_selector("input[type=password]")
        assert refused == [], refused  # the login form needs nothing the guard refuses
        html = page.content()
        assert "kb_delete" not in html and "焦作" not in html
        assert page.evaluate("Object.keys(window.gradio_api_info.named_endpoints).length") == 0
        page.screenshot(path=str(tmp_path / "login.png"))
        page.fill("input[type=text], input:not([type])", USER)
        page.fill("input[type=password]", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_selector("#question textarea")
        page.fill("#question textarea", "焦作市农村最低生活保障年标准是多少？")
        page.click("#ask")
        page.wait_for_function("document.querySelector('#chat').innerText.includes('4524')")
        page.screenshot(path=str(tmp_path / "after-login.png"))

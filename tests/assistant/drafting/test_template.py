"""assistant/drafting/template.py: the reply template file, checked with errors naming the file and key."""
from __future__ import annotations

import re

import pytest

from assistant.drafting import (
    TEMPLATE_PATH,
    draft_reply,
    load_template,
)
from ingest.errors import ConfigError


# -- the template --------------------------------------------------------------------------

def write_template(tmp_path, **changes) -> str:
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    for key, value in changes.items():
        text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.MULTILINE)
    p = tmp_path / "tpl.toml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_default_template_loads():
    tpl = load_template()
    assert tpl.salutation == "您好！" and "{answer}" in tpl.answered and tpl.path == str(TEMPLATE_PATH)


@pytest.mark.parametrize("changes, message", [
    ({"answered": '"{number}、经查，{basis}。"'}, r"answered 缺少必需的占位符：\{answer\}"),
    ({"not_covered": '"{number}、{city}未涉及{topic}"'}, r"not_covered 使用了未知占位符：\{city\}"),
    ({"opening": '"共{count个问题"'}, "opening 的花括号不成对"),
    ({"closing": '"{date.year}"'}, "占位符 .* 无效"),
    ({"salutation": "3"}, "salutation 应为文本"),
    ({"title": '"unterminated'}, r"格式错误.*line \d+"),
    ({"sources_heading": '"政策依据"\nextra = "x"'}, "未知条目：extra"),
])
def test_bad_template_is_an_error_naming_the_file(tmp_path, changes, message):
    path = write_template(tmp_path, **changes)
    with pytest.raises(ConfigError, match=message) as exc:
        load_template(path)
    assert path in str(exc.value)


def test_missing_template_key_and_missing_file(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text('title = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="缺少条目：salutation"):
        load_template(p)
    with pytest.raises(ConfigError, match="找不到答复模板"):
        load_template(tmp_path / "none.toml")


def test_edited_template_changes_the_wording_not_the_figures(assistant, tmp_path, monkeypatch):
    path = write_template(tmp_path, salutation='"尊敬的市民：您好！"',
                          not_covered='"{number}、{question}：经查，现有资料未涉及{topic}，建议咨询当地民政部门。"')
    monkeypatch.setenv("CIVILQA_REPLY_TEMPLATE", path)
    d = draft_reply(assistant, "焦作市农村低保标准是多少？北京市城市低保标准是多少？")
    assert d.body.startswith("尊敬的市民：您好！") and d.template == path
    assert "4524" in d.points[0].text
    assert d.points[1].text == "二、北京市城市低保标准是多少：经查，现有资料未涉及北京市城市低保标准，建议咨询当地民政部门。"

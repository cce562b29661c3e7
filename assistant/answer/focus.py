"""What a what / how / which / where / who question asks of its topic (its focus), and whether a
text says it: the relation check of the passage and sentence paths.

A sentence can hold every topic word of a question and still not answer it: 怎么举报 is not
answered by the sentence announcing a 举报活动, 除了发钱还能发什么 not by what the benefit is,
去哪里申请 not by who may apply, 要带哪些材料 not by the list an office files.
``asked_focus(question, terms) -> Focus`` reads the role asked and the parts it names;
``says_focus(focus, text, contains) -> bool`` tells whether ``text`` states that part:

- ``what_else`` (除了X，还能Y什么): a clause saying Y (or the noun asked) without X;
- ``where`` (去哪里申请): where the act is done, 向/到/在…申请 / 办理, or a place word (窗口, 网上);
- ``who`` (哪个部门负责): an office doing it, 由…负责 / …局负责, 向…局申请, or offices listed (公安、商务等部门);
- ``materials`` (要带哪些材料): a list the applicant brings (携带, 提交), not one an office files
  (收集, 报送): the role verb nearest before the first material word decides;
- ``which`` (哪些老人 / 哪类人员): the noun asked, specified: a modifier the question does not say
  right before it, a list (、) in its clause, or 包括/为/是 after it;
- ``how`` (怎么举报): a way, 通过 / 由 / 可以… ;
- ``eligible`` (谁可以申请 / 对象有哪些 / 什么条件): who qualifies, an eligibility word (条件, 对象, 符合,
  户籍, 年满…均可) or 对…的…给予; a materials list or an amount holds none;
- ``steps`` (怎么申请): a step or a place (申请人向…提出申请, 到…办理, 流程, 审核), never only who may apply;
- ``person`` (局长是谁): a name right next to the post asked (局长李某某); 相关负责人表示 names nobody.

Any other question (role None) is checked by nothing here. The words are the vocabulary's
section ``focus`` (and ``facts.shape_marks.materials``, ``passage_heads``); the shapes
(向…申请, 由…负责) are grammar, here.

>>> f = asked_focus("临时救助除了发钱，还能发什么？", ("临时救助", "除了", "能发"))
>>> f.role, f.excluded, f.predicate
('what_else', ('钱',), '发')
>>> says_focus(f, "也可以发放衣物、食品等实物", str.__contains__), says_focus(f, "临时救助是应急性救助", str.__contains__)
(True, False)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from index.tokenize import Tokenizer, is_nominal, word_tags
from ingest.text import HAN

from ..vocabulary import FactWords, fact_words, focus_words, passage_heads

Contains = Callable[[str, str], bool]
_CLAUSE = re.compile(r"[^，,。；;：:！!？?\n]+")
_STOP = "，,。；;：:！!？?\n"
_SPAN = 30  # characters between a preposition and its act (向户籍所在地的乡镇人民政府提出申请)
_CONTACT = re.compile(r"\d{5,}|\d{3,4}-\d{5,}|@|www\.|https?://")  # a line, a mailbox, a site: a way
_SPECIFIED_AFTER = re.compile(r"^(?:包括|主要有|有|为|是|即|如下)[：:]?|^[：:]")


@dataclass(frozen=True)
class Focus:
    role: str | None  # what_else | where | who | materials | which | how | eligible | steps | person | None
    excluded: tuple[str, ...] = ()  # 除了发钱: what the answer is not (钱)
    predicate: str = ""  # the verb asked (还能发什么 → 发; 怎么举报 → 举报)
    head: str = ""  # the noun asked (哪些老人 → 老人; 还有哪些补贴 → 补贴)
    question: str = ""  # as asked: a modifier it says itself specifies nothing (which)
    after: str = ""  # the term after the noun asked (向哪类人群免费开放 → 免费): its slot filled answers too


@lru_cache(maxsize=1)
def _pats() -> dict[str, re.Pattern]:
    w = focus_words()
    alt = FactWords.alternation
    return {
        "except": re.compile(rf"(?:{alt(w.exclusion)})(?P<x>[^，,。？?]{{1,16}}?)(?:以外|之外)?[，,]?\s*"
                             rf"(?:{alt(w.also)})(?P<rest>[^，,。？?]*)"),
        "where": re.compile(rf"(?:{alt(w.where_preps)})[^{_STOP}]{{1,{_SPAN}}}?(?:{alt(w.acts)})"),
        "place": re.compile(alt(w.places)),
        "who": re.compile(rf"由[^{_STOP}]{{1,{_SPAN}}}?(?:{alt(w.duties)})|"
                          rf"(?:{alt(w.offices)})[^{_STOP}]{{0,8}}?(?:{alt(w.duties)})|"
                          rf"(?:向|到|、)[^{_STOP}]{{0,{_SPAN}}}?(?:{alt(w.offices)})"),
        "means": re.compile(alt(w.means)),
        "acts": re.compile(alt(w.acts)),
        "grant": re.compile(rf"对.{{2,60}}的.{{0,30}}(?:{alt(dict(fact_words().selection)['grants'])})"),  # 对…的…给予
    }


def _wh_words() -> tuple[str, ...]:
    return passage_heads()[0]


def asked_focus(question: str, terms: Iterable[str]) -> Focus:
    """The focus of ``question`` (see the module docstring); ``terms``: its content terms in order."""
    w = focus_words()
    terms = tuple(terms)
    pats = _pats()
    m = pats["except"].search(question)
    if m and any(x in m.group("rest") for x in _wh_words() + ("啥",)):
        return _what_else(m.group("x"), m.group("rest"), terms)
    if any(x in question for x in _materials_asked()):
        return Focus("materials")
    if any(x in question for x in w.eligible_asked):
        return Focus("eligible")
    if any(x in question for x in w.person_asked):
        post = next((p for p in sorted(w.posts, key=len, reverse=True) if p in question), "")
        if post:
            return Focus("person", head=post)
    if any(x in question for x in w.who_asked):
        return Focus("who")
    unhow = re.sub(FactWords.alternation(w.how_asked), "|", question)  # 如何处理 holds no 何处
    if any(x in unhow for x in w.where_asked) and pats["acts"].search(question):
        return Focus("where")
    if any(x in question for x in w.steps_asked):
        return Focus("steps")
    head, after = _which_head(question, terms)
    if head:
        return Focus("which", head=head, question=question, after=after)
    how = next((x for x in sorted(w.how_asked, key=len, reverse=True) if x in question), None)
    if how and not any(x in question for x in w.not_how) and not _own_shape(question, question.find(how), how):
        # 怎么举报 / 怎么向…反映 / 怎么吃上饭: a way to do something is asked (not 如何规定: what a rule says)
        m = pats["acts"].search(question, question.find(how) + len(how))
        if m and _how_gap(question[question.find(how) + len(how):m.start()]):
            return Focus("how", predicate=m.group())
    return Focus(None)


_HOW_GAP = 12  # 怎么向江苏民政部门举报: at most this many characters between the how-word and its act
_HOW_WORDS = 4  # 如何电话举报 / 如何电子邮件举报: a short gap naming the medium, no verb


def _how_gap(gap: str) -> bool:
    """What stands between a how-word and its act leaves the act the thing asked how to do: nothing,
    a phrase opened by a preposition (怎么向江苏民政部门举报), or a short one naming no act (如何电话举报;
    never 如何处理举报人信息 nor 如何要求各级税务局办理: what is done or required is asked there)."""
    if not gap:
        return True
    if len(gap) > _HOW_GAP or any(ch in _STOP for ch in gap):
        return False
    if gap.startswith(focus_words().where_preps + ("通过", "用", "从")):
        return True
    return len(gap) <= _HOW_WORDS and not any(t.startswith("v") for t in word_tags(gap))


def _own_shape(question: str, start: int, phrase: str) -> bool:
    """The asking phrase at ``start`` is a word of a shape of its own (vocabulary ``facts.asked``:
    什么关系, 怎么申请, 怎么算), which answer.asked and answer.sentence_answers check."""
    return any(question.startswith(w, start) or ((phrase in w or w in phrase) and w in question)
               for _, words in fact_words().asked for w in words if len(w) >= 2)


def _materials_asked() -> tuple[str, ...]:
    """The words a question asks materials by (vocabulary ``facts.asked.materials``)."""
    return dict(fact_words().asked).get("materials", ())


def _what_else(excluded: str, rest: str, terms: tuple[str, ...]) -> Focus:
    """除了<excluded>，还<rest>: the verb asked (还能发什么 → 发) and the noun (还有哪些补贴 → 补贴)."""
    modals = sorted(focus_words().modals, key=len, reverse=True)
    wh = min((i for x in _wh_words() + ("啥",) if (i := rest.find(x)) >= 0), default=len(rest))
    verb = rest[:wh]
    while True:
        mod = next((x for x in modals if verb.startswith(x) and len(x) < len(verb)), None)
        if mod is None:
            break
        verb = verb[len(mod):]
    verb = "" if verb in modals else "".join(re.findall(f"[{HAN}]", verb))
    after = rest[wh:]
    head = next((t for t in terms if t in after and len(t) >= 2), "")
    x = "".join(re.findall(f"[{HAN}]", excluded))
    if verb and x.startswith(verb) and len(x) > len(verb):
        x = x[len(verb):]  # 除了发钱，还能发什么: the thing not asked is 钱
    return Focus("what_else", excluded=(x,) if x else (), predicate=verb, head=head)


_PHRASE_CHARS = 6  # the noun phrase after a which-word (哪些税费优惠措施)
_NOUN_TAGS = frozenset({"n", "nz", "nr", "nt", "ng"})  # jieba: a thing, not an act (管理, 支持, 培训)


def _which_head(question: str, terms: tuple[str, ...]) -> tuple[str, str]:
    """The noun right after a which-word (哪些老人 → 老人, 哪类人员的 → 人员) — a term of two characters
    or more, no generic noun (措施: vocabulary passage_heads.generic), place or time (not_which) —
    and the first term after it (哪类人员的补助款 → 补助款); ("", "") for none."""
    words, generic = passage_heads()
    not_which = focus_words().not_which
    for wh in words:
        i = question.find(wh)
        if i < 0:
            continue
        at = i + len(wh)
        gap = re.match(r"(?:样的|个|些|类|种|的)?", question[at:]).end()
        head = next((t for t in terms if question.startswith(t, at + gap) or question.startswith(t, at)), "")
        phrase = re.match(f"[{HAN}]{{0,{_PHRASE_CHARS}}}", question[at:]).group()  # 哪些税费优惠措施
        if len(head) < 2 or any(g in head or g in phrase for g in generic) or any(head.endswith(n) for n in not_which) \
                or (word_tags(head) or ("",))[-1] not in _NOUN_TAGS \
                or _own_shape(question, i, question[i:question.find(head, at) + len(head)]):
            return "", ""  # content asked (哪些部署, 什么支持, 哪些税费优惠措施), not which ones of a thing
        end = question.find(head, at) + len(head)
        later = [(question.find(t, end), t) for t in terms if len(t) >= 2 and question.find(t, end) >= end]
        after = min(later)[1] if later else ""
        return head, after
    return "", ""


_LEAD_ROLES = ("eligible", "steps", "person")  # the first sentence of the text says these itself
_LEAD = re.compile(r"\s*[^。！？!?\n]*[。！？!?\n]?")


def says_focus(focus: Focus, text: str, contains: Contains) -> bool:
    """``text`` states what ``focus`` asks (always True for no role)."""
    role = focus.role
    if role is None:
        return True
    pats = _pats()
    if role == "what_else":
        return _says_other(focus, text, contains)
    if role == "where":
        return bool(pats["where"].search(text) or pats["place"].search(text))
    if role == "who":
        return bool(pats["who"].search(text))
    if role == "materials":
        return not _office_list(text)
    if role == "which":
        return _specified(focus, text, contains)
    if role in _LEAD_ROLES:  # a passage read on from a neighbour (…3倍。三、救助对象…) leads with no answer
        text = _LEAD.match(text).group()
    if role == "eligible":
        return any(x in text for x in focus_words().eligible_marks) or bool(pats["grant"].search(text))
    if role == "steps":
        return bool(pats["where"].search(text) or pats["place"].search(text)
                    or any(x in text for x in focus_words().step_marks))
    if role == "person":
        return _names_holder(text, focus.head)
    return bool(pats["means"].search(text) or _CONTACT.search(text))  # how


def answers_other(focus: Focus, text: str) -> bool:
    """``text`` answers another question than the one asked, though of the same shape: an office's
    filing list (收集…材料为) for the materials an applicant brings. A passage stops before it."""
    return focus.role == "materials" and _office_list(text)


def _verb_in(clause: str, verb: str, contains: Contains) -> bool:
    """``clause`` says ``verb``: a verb of one character as a word of its own or the start of
    one (发 in 发放, never in 突发性)."""
    if len(verb) > 1:
        return contains(clause, verb)
    return verb in clause and any(tok.startswith(verb) for tok in Tokenizer()(clause))


def _says_other(focus: Focus, text: str, contains: Contains) -> bool:
    """Some clause of ``text`` says the verb or the noun asked and nothing excluded."""
    if not focus.predicate and not focus.head:
        return True
    for m in _CLAUSE.finditer(text):
        clause = m.group()
        said = (focus.predicate and _verb_in(clause, focus.predicate, contains)) or \
            (focus.head and contains(clause, focus.head))
        if said and not any(contains(clause, x) for x in focus.excluded):
            return True
    return False


def _office_list(text: str) -> bool:
    """The first material word of ``text`` (vocabulary ``facts.shape_marks.materials``) is governed
    by an office's verb (民政局收集申请者材料为：…), not an applicant's (可携带身份证)."""
    w = focus_words()
    marks = dict(fact_words().shape_marks).get("materials", ())
    at = min((i for m in marks if (i := text.find(m)) >= 0), default=-1)
    if at < 0:
        return False
    before = text[max(0, at - _SPAN):at]
    last = max(((before.rfind(v), kind) for kind, verbs in (("office", w.office_verbs), ("applicant", w.applicant_verbs))
                for v in verbs if v in before), default=(-1, None))
    return last[1] == "office"


_QUOTE_END = re.compile(rf"[”》」』\"](?:的)?[{HAN}]{{0,4}}$")  # “文养+康养”的服务(模式): a name before it
_FIGURE_AFTER = re.compile(r"^[^，,。；;]{0,6}\d")  # 奖补2000元: what it is, said by its figure


def _specified(focus: Focus, text: str, contains: Contains) -> bool:
    """``text`` lists the ones asked — a list (、) before the noun asked in its clause, or
    包括/为/是/a figure right after it — or names them by a word the question does not say right
    before the noun (特困供养人员, 以下条件的老年人) or by a name (“爱心超市”互助模式) and says the term
    after the noun in the question too (哪些老人可以免费改造 → 免费: 走访独居老人 names no answer). A
    text not saying the noun may name the ones asked without it (向哪类人群免费开放: 向全省医务工作者
    免费开放), unless what is asked of them is said of a figure or of the question's own words
    (挪用老人30余万元补助款)."""
    head, question, after = focus.head, focus.question, focus.after
    spans = [(m.start(), m.group()) for m in _CLAUSE.finditer(text)]
    held = [(at, c) for at, c in spans if contains(c, head)]
    if held:
        if any(_lists(text, at, c, head) for at, c in held):
            return True
        return (not after or contains(text, after)) and any(_names_which(c, head, question) for _, c in held)
    slots = [c[:c.find(after)] for _, c in spans if after and c.find(after) > 0]
    return not slots or any(_modifier_before(before, question, nominal=True) for before in slots)


def _lists(text: str, at: int, clause: str, head: str) -> bool:
    """The clause at ``at`` of ``text`` lists the ones ``head`` names: a 、 before it or right after it
    (市政府网站、区民政局网站), or 包括/为/是 or a figure right after it (共设置10个栏目，包括…: across
    the comma); a synonym of it is a name."""
    found = [m.start() for m in re.finditer(re.escape(head), clause)]
    if not found or "、" in clause[:found[-1]]:
        return True
    rests = (text[at + i + len(head):] for i in found)
    return any(r.startswith("、") or _SPECIFIED_AFTER.match(r.lstrip("，,")) or _FIGURE_AFTER.match(r.lstrip("，,"))
               for r in rests)


def _names_which(clause: str, head: str, question: str) -> bool:
    """``clause`` names which ones ``head`` asks by a word or a name right before it (see :func:`_specified`)."""
    i = clause.find(head)
    return bool(_QUOTE_END.search(clause[:i])) or _modifier_before(clause[:i], question)


def _modifier_before(before: str, question: str, nominal: bool = False) -> bool:
    """``before`` ends on a word of two characters or more (a 的 between allowed) that the question
    does not say: 困难(老人), 以下条件的(老年人); ``nominal``: a noun (医务工作者, never 万元 or 为)."""
    rest = before[:-1] if before.endswith("的") else before
    toks = Tokenizer()(rest)
    word = toks[-1] if toks else ""
    if len(word) < 2 or not rest.endswith(word) or word in question:
        return False
    return not nominal or is_nominal(word) and not re.search(r"\d", rest[-len(word) - 2:])


_NAME_CHARS = (2, 3, 4)  # a Chinese personal name: 李明 / 李明华 / 欧阳明华
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})


def _names_holder(text: str, post: str) -> bool:
    """``text`` names who holds ``post``: a name (jieba nr) right after it (局长李明华) or right
    before it after a pause (、王伟局长); 相关负责人表示 names nobody."""
    for m in re.finditer(re.escape(post), text):
        after = re.match(f"[{HAN}]{{0,4}}", text[m.end():]).group()
        before = re.search(f"(?:^|[{_STOP}、“”])([{HAN}]{{2,4}})$", text[:m.start()])
        spans = [after[:n] for n in _NAME_CHARS if len(after) >= n] + ([before.group(1)] if before else [])
        if any(word_tags(x) and word_tags(x)[0] in _NAME_TAGS and len(word_tags(x)) <= 2 for x in spans):
            return True
    return False


# below this share of the question's words, a sentence naming none of its two rarest words answers no
# passage question; above it, the rarest words may be said otherwise (存款 as 货币财产, 一件事 as 同一事由)
RAREST_COVERAGE = 0.35


def names_a_rarest(weights: dict[str, float], text: str, contains) -> bool:
    """``text`` names one of the question's two rarest words (ties included), or the question has
    fewer than three words to tell them by: …按程序退出低保 shares 新 and 程序 with
    给新地名命名需要经过哪些审批程序, but neither 地名 nor 命名 — it is about another thing.

    >>> names_a_rarest({"新": 2.4, "地名": 6.1, "命名": 7.2, "程序": 4.8}, "按程序退出低保", str.__contains__)
    False
    """
    if len(weights) < 3:
        return True
    second = sorted(weights.values(), reverse=True)[1]
    return any(contains(text, t) for t, w in weights.items() if w >= second)

"""What a what/how/which/where/who question asks of its topic, and whether a sentence says it
(assistant/answer/focus.py): sentences written for these tests, sharing the question's words
with and without saying the asked part."""
from __future__ import annotations

import pytest

from assistant.answer.focus import asked_focus, says_focus
from assistant.query import analyze, synonyms


def _contains(text: str, term: str) -> bool:
    return any(f in text for f in synonyms(term))


def _focus(question: str):
    a = analyze(question)
    return asked_focus(a.normalized, a.terms)


@pytest.mark.parametrize("question,role", [
    ("残疾人两项补贴除了发钱，还能发什么？", "what_else"),
    ("临时救助去哪里申请？", "where"),
    ("在哪儿可以领取高龄津贴？", "where"),
    ("哪个部门负责审核特困供养？", "who"),
    ("申请助学金要带哪些材料？", "materials"),
    ("哪些老人可以免费安装扶手？", "which"),
    ("挪用的是哪类人员的补贴？", "which"),
    ("怎么向民政部门反映问题？", "how"),
    ("谁可以申请临时救助？", "eligible"),
    ("临时救助对象有哪些？", "eligible"),
    ("Who can apply for temporary assistance?", "eligible"),
    ("高龄津贴怎么申请？", "steps"),
    ("Where do I apply for the old-age allowance?", "where"),
    ("县民政局局长是谁？", "person"),
    # no focus: a figure, a place compared, a generic noun asked, an evaluation
    ("临时救助标准是多少？", None),
    ("哪个城市的低保标准最高？", None),
    ("采取了哪些措施？", None),
    ("今年的养老服务做得怎么样？", None),
    # content asked, not which ones of a thing nor how to do an act
    ("民政局在养老服务方面做了哪些部署？", None),
    ("对养老机构有哪些税费优惠措施？", None),
    ("如何处理举报人信息？", None),
    ("民政局如何要求各街道办理低保复核？", None),
    ("低保审批结果不服打什么电话？", None),  # a contact line: answer.asked's kind
    ("养老机构如何处理投诉？", None),  # 如何处 holds no 何处
])
def test_the_role_asked_is_read_from_the_question(question, role):
    assert _focus(question).role == role


def test_what_else_reads_the_verb_asked_and_what_it_excludes():
    f = _focus("残疾人两项补贴除了发钱，还能发什么？")
    assert (f.predicate, f.excluded) == ("发", ("钱",))
    g = _focus("除了低保，还有哪些救助？")
    assert (g.head, g.excluded) == ("救助", ("低保",))


@pytest.mark.parametrize("question,answers,repeats", [
    # what else: a clause giving the verb another object; not the definition, nor a 突发 holding 发
    ("残疾人两项补贴除了发钱，还能发什么？",
     "补贴以现金为主，也可以发放轮椅、助听器等辅具。",
     "残疾人两项补贴是对突发困难的残疾人给予的补贴。"),
    ("除了低保，还有哪些救助？",
     "困难家庭还可以申请医疗救助和教育救助。",
     "符合条件的家庭可以申请低保。"),
    # where: the place or office the act is done at, not who may apply
    ("临时救助去哪里申请？",
     "申请人可以向户籍所在地的乡镇人民政府提出申请。",
     "遭遇突发困难的家庭可以申请临时救助。"),
    ("临时救助去哪里申请？",
     "临时救助可在政务服务网上申请。",
     "临时救助申请审核通过后按月发放。"),
    # who: an office said doing it
    ("哪个部门负责审核特困供养？",
     "特困供养由县级民政部门负责审核确认。",
     "特困供养对象每年复核一次。"),
    # materials: what the applicant brings, not what an office files
    ("申请助学金要带哪些材料？",
     "申请人可携带身份证、录取通知书向县民政局提出申请。",
     "县民政局收集申请材料为：申请书、身份证复印件、户口本复印件，统一报送市里。"),
    # which: the noun asked with which ones, not the noun alone
    ("哪些老人可以免费安装扶手？",
     "街道为高龄、独居、残疾老人免费安装扶手。",
     "老人可以免费安装扶手。"),
    ("挪用的是哪类人员的补贴？",
     "他挪用了分散供养特困人员的补贴。",
     "他挪用了30余万元补贴。"),
    # which, listed: the ones named in a list need not repeat the question's verb (看到 asked, 公布 said)
    ("低保名单在哪些网站能看到？",
     "名单将在市政府网站、区民政局网站公布。",
     "市民政局网站内容丰富。"),
    ("服务平台包含什么栏目？",
     "平台共设置8个栏目，包括政策法规、办事指南等。",
     "平台栏目设置合理。"),
    # how: a way said (a line or a mailbox is one)
    ("怎么向民政部门反映问题？",
     "群众可以通过12345热线反映问题。",
     "民政部门高度重视群众反映的问题。"),
    ("如何电话举报骗取低保的行为？",
     "举报电话：0371-12345678。",
     "县民政局严肃查处骗取低保的行为。"),
    # eligible: who qualifies, never the materials list or the amount
    ("谁可以申请临时救助？",
     "因火灾等意外事件导致基本生活陷入困境的家庭，可以申请临时救助。",
     "1.临时救助申请书；2.申请人身份证、户口簿。"),
    ("临时救助对象有哪些？",
     "临时救助对象为遭遇突发困难的家庭或个人。",
     "临时救助金额不超过当地月低保标准的3倍。"),
    # steps: where or how the application is made, never only who may apply
    ("高龄津贴怎么申请？",
     "申请人持身份证到户籍所在地村委会提出申请。",
     "具有本县户籍、年满80周岁的老年人，均可申请高龄津贴。"),
    # a lead sentence that does not say it does not pass on its neighbour's words
    ("谁可以申请临时救助？",
     "三、救助对象\n遭遇突发困难的家庭或个人。",
     "临时救助金额不超过3倍。\n三、救助对象\n遭遇突发困难的家庭或个人。"),
    # person: a name next to the post asked
    ("县民政局局长是谁？",
     "县民政局局长李明华出席会议并讲话。",
     "县民政局相关负责人表示，下一步将继续推进居家养老服务。"),
])
def test_a_sentence_saying_the_asked_part_passes_and_one_repeating_the_topic_does_not(question, answers, repeats):
    f = _focus(question)
    assert says_focus(f, answers, _contains), (f, answers)
    assert not says_focus(f, repeats, _contains), (f, repeats)


def test_no_focus_checks_nothing():
    f = _focus("临时救助标准是多少？")
    assert says_focus(f, "任何一句话。", _contains)

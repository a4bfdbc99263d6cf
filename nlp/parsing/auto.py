"""Mail no person wrote: auto-replies, bounces, bulk mail and mailing-list traffic, from headers first.

Every signal found is kept as a reason; the kind is the strongest signal's: a bounce beats an
auto-reply (a bounce often quotes an auto-reply's headers), an auto-reply beats list traffic, and a
list (people discussing, with List-Post) beats bulk (one sender to many, no replies expected).
Subject patterns are plain prefix tests on the case-folded subject: linear, no regex.
"""

from __future__ import annotations

from nlp.parsing.headers import HeaderMap
from nlp.parsing.message import Address, AutoInfo

__all__ = ["AUTO_REPLY_SUBJECTS", "BOUNCE_SUBJECTS", "detect_auto"]

AUTO_REPLY_SUBJECTS = (
    # English
    "automatic reply", "auto reply", "auto-reply", "autoreply", "auto response", "auto-response",
    "autoresponse", "out of office", "out of the office", "away from the office", "away from my desk",
    # German
    "abwesenheitsnotiz", "automatische antwort", "abwesend",
    # French
    "réponse automatique", "reponse automatique", "absence du bureau",
    # Spanish, Italian, Portuguese
    "respuesta automática", "respuesta automatica", "fuera de la oficina", "risposta automatica",
    "fuori ufficio", "resposta automática", "resposta automatica",
    # Dutch, Nordic, Finnish, Polish
    "automatisch antwoord", "afwezigheidsbericht", "autosvar", "automatisk svar", "automaattinen vastaus",
    "odpowiedź automatyczna", "odpowiedz automatyczna",
    # Russian, Ukrainian
    "автоматический ответ", "автоответ", "автоматична відповідь",
    # Japanese
    "自動返信", "自動応答", "不在通知", "不在のお知らせ", "不在連絡",
    # Chinese
    "自动回复", "自動回覆",
)
BOUNCE_SUBJECTS = (
    # English
    "undeliverable", "undelivered mail", "delivery status notification", "mail delivery failed",
    "delivery failure", "failure notice", "returned mail", "delivery has failed", "could not be delivered",
    "mail delivery failure", "message not delivered", "nondeliverable", "non-deliverable",
    "delivery notification: delivery has failed", "mail system error", "mail could not be delivered",
    "message could not be delivered", "delivery status notification",
    # German, French, Spanish, Italian, Dutch, Polish
    "unzustellbar", "non remis", "no se puede entregar", "non recapitabile", "onbestelbaar",
    "niedostarczalne",
    # Japanese
    "配信不能", "配送エラー", "送信エラー", "配信エラー", "配信失敗", "メッセージを配信できません",
    # Chinese, Russian
    "退信", "无法投递", "не доставлено",
)
_DAEMONS = ("mailer-daemon", "mailer_daemon", "mail-daemon", "mailerdaemon")
_DAEMON_NAMES = ("mail delivery system", "mail delivery subsystem", "mail administrator",
                 "mail delivery service", "microsoft outlook")
_AUTO_REPLY_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder", "x-autoreply-from",
                       "x-mail-autoreply", "x-vacation")
_LIST_HEADERS = ("list-post", "mailing-list", "x-mailing-list", "x-beenthere", "list-archive")
# Headers that mass-mailing services (ESPs) add to campaigns.
_BULK_HEADERS = ("list-unsubscribe-post", "feedback-id", "x-campaign", "x-campaignid", "x-mc-user",
                 "x-sfmc-stack", "x-marketoid", "x-mailchimp-campaign")
# Every header this module reads: one set intersection tells which a message has.
_ALL = frozenset(("auto-submitted", "precedence", "list-id", "list-unsubscribe", "return-path")
                 + _AUTO_REPLY_HEADERS + _LIST_HEADERS + _BULK_HEADERS)


def detect_auto(headers: HeaderMap, *, subject: str, sender: Address | None, content_type: str | None,
                report_type: str | None, has_delivery_status: bool) -> AutoInfo:
    bounce: list[str] = []
    reply: list[str] = []
    mlist: list[str] = []
    bulk: list[str] = []
    present = headers.present(_ALL)

    auto_submitted = (headers.get("auto-submitted") or "").strip().lower() if present else ""
    if auto_submitted and not auto_submitted.startswith("no"):
        (reply if "replied" in auto_submitted else bulk).append(f"Auto-Submitted: {auto_submitted[:40]}")
    for name in _AUTO_REPLY_HEADERS:
        if name in present:
            reply.append(f"{name} header")
    precedence = (headers.get("precedence") or "").strip().lower() if "precedence" in present else ""
    if precedence in ("bulk", "junk"):
        bulk.append(f"Precedence: {precedence}")
    elif precedence == "list":
        mlist.append("Precedence: list")
    elif precedence in ("auto_reply", "auto-reply"):
        reply.append(f"Precedence: {precedence}")
    for name in _LIST_HEADERS:
        if name in present:
            mlist.append(f"{name} header")
    if "list-id" in present:
        # A List-Id with no way to post is a newsletter's, not a discussion list's.
        (mlist if mlist else bulk).append("list-id header")
    if "list-unsubscribe" in present:
        (mlist if mlist else bulk).append("list-unsubscribe header")
    for name in _BULK_HEADERS:
        if name in present:
            bulk.append(f"{name} header")

    report = (report_type or "").lower()
    if content_type == "multipart/report" and report in ("delivery-status", "global-delivery-status"):
        bounce.append(f"multipart/report; report-type={report}")
    elif has_delivery_status:
        bounce.append("message/delivery-status part")
    if content_type == "multipart/report" and report == "feedback-report":
        bounce.append("abuse feedback report (multipart/report; report-type=feedback-report)")
    if content_type == "multipart/report" and report == "disposition-notification":
        reply.append("read receipt (multipart/report; report-type=disposition-notification)")

    # Patterns count at the start of the subject only: "Re: Out of office policy" is a person's mail.
    folded = subject.casefold().lstrip(" \t[(<【「『〔")
    if folded:
        # str.startswith(tuple) runs in C; the loop that names the pattern runs only on a hit.
        hit = next((p for p in BOUNCE_SUBJECTS if folded.startswith(p)), None) \
            if folded.startswith(BOUNCE_SUBJECTS) else None
        if hit:
            bounce.append(f"subject starts with {hit!r}")
        hit = next((p for p in AUTO_REPLY_SUBJECTS if folded.startswith(p)), None) \
            if folded.startswith(AUTO_REPLY_SUBJECTS) else None
        if hit is None and folded.startswith("auto:"):
            hit = "auto:"
        if hit is None and " is out of the office" in folded:  # Lotus Notes: "NAME is out of the office"
            hit = "is out of the office"
        if hit:
            reply.append(f"subject matches {hit!r}")

    return_path = headers.get("return-path")
    if return_path is not None and return_path.strip() in ("<>", ""):
        # Bounces and (RFC 3834) auto-replies are sent from the null sender; a person's mail never is.
        (bounce if bounce else reply).append("Return-Path: <> (null sender)")
    if sender is not None:
        local = sender.address.split("@", 1)[0]
        if local in _DAEMONS:
            bounce.append(f"sender {local}@")
        elif local == "postmaster" and bounce:  # postmaster also sends notices and newsletters
            bounce.append("sender postmaster@")
        elif sender.name.lower() in _DAEMON_NAMES and not reply:
            bounce.append(f"sender name {sender.name!r}")

    # A bounce's subject or sender alone, without any machine header or report, stays a hint.
    strong_bounce = any(not r.startswith("subject") for r in bounce)
    for kind, reasons in (("bounce", bounce if strong_bounce else []), ("auto_reply", reply),
                          ("list", mlist), ("bulk", bulk)):
        if reasons:
            return AutoInfo(kind, bounce + reply + mlist + bulk)
    if bounce:  # only a bounce-like subject: a person forwarding a bounce, or a real bounce
        return AutoInfo("bounce", bounce)
    return AutoInfo(None, [])

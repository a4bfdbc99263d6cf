"""TL;DR, extractive summary, thread summary and the optional abstractive model."""

from __future__ import annotations

from nlp.pipeline import Pipeline
from nlp.summary.formulas import is_courtesy_offer
from nlp.summary.thread import summarize_thread
from nlp.summary.tldr import find_deadline, headline
from tests.nlp.conftest import make_mail

MAIL = """Hi Sam,

Our board approved the budget for the new CRM last week. Could you send the signed order form for 50 seats
by Friday, December 4? Legal also needs your data processing agreement.

Best regards,
Dana

--
Dana Whitfield
Head of Operations, BrightPath
+1 617 555 0142

On Mon, Nov 23, 2026 at 9:00 AM Sam <sam@example.com> wrote:
> Here is the quote you asked for. The discount expires at the end of the month.
"""


def test_tldr_has_sender_company_ask_and_deadline(analyze):
    summary = analyze(MAIL)["summary"]
    tldr = summary["tldr"]
    assert tldr.startswith("Dana Whitfield (BrightPath): ")
    assert "December 4" in tldr or "Friday" in tldr  # the deadline
    assert "order form" in tldr
    assert summary["deadline"]
    # The readable line the inbox shows: the ask as a sentence, function words kept.
    line = summary["line"]
    assert line.startswith("Dana Whitfield (BrightPath): ") and "the signed order form" in line.lower()


def test_extractive_summary_is_new_text_only(analyze):
    summary = analyze(MAIL)["summary"]
    assert 1 <= len(summary["sentences"]) <= 3
    assert summary["top"] in summary["sentences"]
    joined = " ".join(summary["sentences"])
    assert "discount expires" not in joined  # quoted text
    assert "617" not in joined and "Best regards" not in joined  # signature and sign-off


def test_a_courtesy_offer_is_not_the_ask(analyze):
    text = ("Hi Sam,\n\nThe revised rollout plan is attached; we moved the pilot to the Leeds site.\n"
            "Please confirm the site visit for Tuesday.\nLet me know if you have any questions.\n\nThanks,\nDana")
    summary = analyze(text)["summary"]
    assert "site visit" in summary["line"] and "questions" not in summary["line"]
    only_offer = analyze("Hi Sam,\n\nThe revised rollout plan is attached.\n"
                         "Please let me know if you need any further information.\n\nThanks,\nDana")["summary"]
    assert "information" not in only_offer["line"] and "→" not in only_offer["tldr"]


def test_courtesy_offers_are_told_from_asks():
    for offer in ("Let me know if you have any questions.", "Please call w/any questions.",
                  "Jason, please do not hesitate to contact me if you have any questions.",
                  "If you need anything else, feel free to reach out.",
                  "ご不明な点がございましたら、お気軽にお問い合わせください。"):
        assert is_courtesy_offer(offer), offer
    for ask in ("Please send me the signed contract by Friday.", "Can you call me if the price changes?",
                "Let me know if you can make it on Tuesday.", "見積書を金曜日までにお送りください。",
                "Please review the attached draft and get back to me with any comments by Friday.",
                "Can you ask the team if there are any issues with moving the launch to June 10?",
                "Could you let me know if you have any concerns with the proposed dates?",
                "ご質問がございましたら、金曜日までにご連絡ください。",
                "Please review it and let me know if you have any comments.",
                "Please sign the form and let me know if you have any questions."):
        assert not is_courtesy_offer(ask), ask


def test_headline_and_deadline_helpers():
    assert headline("Hi Sam, could you please send me pricing for 50 seats?") == "send pricing 50 seats"
    assert find_deadline("Please reply by end of the week.") == "by end of the week"
    assert find_deadline("12月4日までにご返信ください。") == "12月4日"
    assert find_deadline("No date here.") is None


def test_japanese_tldr_keeps_the_ask(analyze):
    text = "鈴木様\n\nお世話になっております。\n50ライセンスのお見積もりを12月4日までにお送りいただけますでしょうか。\n\n山田"
    summary = analyze(text, sender="山田 太郎 <yamada@sakura-shoji.co.jp>")["summary"]
    assert "お見積もり" in summary["tldr"] and summary["tldr"].startswith("山田 太郎")


def test_thread_summary(pipeline):
    first = pipeline(make_mail("Hi,\n\nCould you send the contract draft by Friday?\n\nDana",
                               subject="Contract")).result()
    first["headers"]["date"] = "2026-11-20T10:00:00+00:00"
    reply = pipeline(make_mail("Hi Dana,\n\nSure, the draft is attached. Let me know what you think.\n\nSam",
                               sender="Sam Lee <sam@example.com>", subject="Re: Contract")).result()
    reply["headers"]["date"] = "2026-11-21T10:00:00+00:00"
    thread = summarize_thread([reply, first])
    assert [m["from"] for m in thread["messages"]] == ["Dana Whitfield", "Sam Lee"]
    assert thread["participants"] == ["Dana Whitfield", "Sam Lee"]
    assert thread["tldr"].startswith("2 messages")
    assert all(a["from"] != "Dana Whitfield" for a in thread["open_requests"])  # Sam answered Dana's ask


def _tiny_t5(directory):
    """A random T5 with a word-level tokenizer trained in-process: tests the loading code, not quality."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    words = "send the contract draft by friday please board approved budget order form seats".split()
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator([" ".join(words)] * 4, trainers.WordLevelTrainer(special_tokens=["<pad>", "</s>", "<unk>"]))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")
    config = T5Config(vocab_size=len(fast), d_model=16, d_ff=32, d_kv=8, num_layers=1, num_decoder_layers=1,
                      num_heads=2, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    import torch

    torch.manual_seed(0)
    T5ForConditionalGeneration(config).save_pretrained(directory)
    fast.save_pretrained(directory)


def test_abstractive_summary_from_a_local_model(tmp_path):
    _tiny_t5(tmp_path)
    pipeline = Pipeline.from_config(disable=["embed", "intent", "insights", "sentiment", "emotion", "activities"],
                                    overrides={"summary": {"abstractive_dir": str(tmp_path),
                                                           "abstractive_max_new_tokens": 5}})
    summary = pipeline(make_mail(MAIL)).result()["summary"]
    assert isinstance(summary["abstract"], str)
    assert len(summary["abstract"].split()) <= 5
    assert summary["tldr"]  # the extractive parts are still there

"""The default pipeline overlaps the encoder with the other stages: same results as batch after batch."""

from __future__ import annotations

from tests.nlp.conftest import make_mail

MAILS = [
    ("Could you send me the signed contract by Friday? We want to start in March.", {}),
    ("Thanks a lot for the demo yesterday, the team loved it!", {}),
    ("Our weekly digest: ten new articles on sales.", {"List-Unsubscribe": "<mailto:u@news.test>",
                                                       "Precedence": "bulk"}),
    ("I am really disappointed: the invoice is wrong again and nobody answers my calls.", {}),
    ("お世話になっております。見積書を金曜日までにお送りいただけますでしょうか。", {}),
    ("Can we meet on Tuesday at 3pm to go over pricing for 200 seats?", {}),
    ("FYI the new price list is attached.", {}),
]


def test_overlapped_batches_give_the_results_of_sequential_ones(pipeline):
    inputs = [make_mail(text, subject=f"mail {i}", headers=headers)
              for i, (text, headers) in enumerate(MAILS)]
    overlapped = [d.result() for d in pipeline.pipe(inputs, batch_size=2)]
    sequential = [d.result() for d in pipeline.pipe(inputs, batch_size=2, overlap=False)]
    assert [r["id"] for r in overlapped] == [f"mail {i}" for i in range(len(MAILS))]
    assert overlapped == sequential
    assert overlapped[2]["triage"]["encoder"] is False and overlapped[0]["triage"]["encoder"] is True
    assert overlapped[0]["intents"] and not any("errors" in r for r in overlapped)

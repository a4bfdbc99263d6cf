"""Sentences the encoder tests embed: several languages and lengths, a duplicate, one past max_tokens."""

TEXTS = [
    "Could you send me the updated quote by Thursday?",
    "Thanks!",
    "We were really unhappy with how the last delivery was handled, and our CFO wants a call this week.",
    "Bitte schicken Sie mir die Rechnung noch einmal zu.",
    "見積書を金曜日までに送っていただけますか。",
    "ok",
    "Could you send me the updated quote by Thursday?",  # a duplicate
    " ".join(["token"] * 200),  # truncated to max_tokens
]

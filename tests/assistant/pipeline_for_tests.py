"""Tiny components for testing the pipeline frame and the analysis job (loaded from a test config)."""

from __future__ import annotations

from nlp.pipeline import component


@component("tests.subject", reads=("input",), assigns=("subject",))
def make_subject(prefix: str = ""):
    def run(docs):
        for doc in docs:
            raw = doc.input.raw or b""
            line = next((ln for ln in raw.split(b"\n") if ln.lower().startswith(b"subject:")), b"")
            doc["subject"] = prefix + line[8:].strip().decode()
            doc.out["subject"] = doc["subject"]
    return run


@component("tests.shout", reads=("subject",), assigns=("shout",))
def make_shout():
    def run(docs):
        for doc in docs:
            if "explode" in doc["subject"]:
                raise ValueError("cannot shout this")
            doc.out["shout"] = doc["subject"].upper()
    return run


@component("tests.length", reads=("input",), assigns=("length",))
def make_length():
    def run(docs):
        for doc in docs:
            doc.out["length"] = len(doc.input.raw or b"")
    return run

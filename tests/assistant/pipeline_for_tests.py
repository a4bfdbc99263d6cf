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


EVENTS: list[str] = []  # what the staged components did, in order (the overlap test reads it)


@component("tests.background", reads=("subject",), assigns=("words",))
def make_background():
    """Counts words on a thread, like the encoder: ``begin`` starts the work, its result finishes it."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1)

    def begin(docs):
        EVENTS.append("begin " + ",".join(d.id for d in docs))
        future = pool.submit(lambda: [len(d["subject"].split()) for d in docs])

        def finish():
            counts = future.result()
            for doc, n in zip(docs, counts):
                if "explode" in doc["subject"]:
                    raise ValueError("cannot count this")
                doc["words"] = n
                doc.out["words"] = n
            EVENTS.append("finish " + ",".join(d.id for d in docs))

        return finish

    def run(docs):
        begin(docs)()

    run.begin = begin
    return run


@component("tests.after", reads=("words",), assigns=("after",))
def make_after():
    def run(docs):
        EVENTS.append("after " + ",".join(d.id for d in docs))
        for doc in docs:
            doc.out["after"] = doc["words"] * 10
    return run

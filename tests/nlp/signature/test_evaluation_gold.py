"""How ``load_quagga`` reads the gold: as annotated, and aligned with the product's definition of a
signature (a repeated first Body, field spans without their signature span, disclaimer lines). The
files are written here in Quagga's JSON shape, with text the project made up."""

from __future__ import annotations

import json
from pathlib import Path

from models.evaluate.signatures import line_diff, load_quagga


def _write(folder: Path, name: str, text: str, spans: list[tuple[str, str]]) -> None:
    dens = []
    for kind, snippet in spans:
        start = text.index(snippet)
        dens.append({"type": kind, "start": start, "end": start + len(snippet), "text": snippet})
    (folder / f"{name}.txt.ann").write_text(json.dumps({"text": text, "denotations": dens,
                                                        "meta": {"header": {"From": "a@example.org"}}}))


def test_field_spans_without_a_signature_span_imply_one(tmp_path: Path) -> None:
    text = "Copies will follow.\n\nAnna Berg\nLegal Specialist\n(402) 555-0101\n"
    _write(tmp_path, "m1", text, [("Body", text), ("Body/Signature/Name", "Anna Berg"),
                                  ("Body/Signature/Position", "Legal Specialist"),
                                  ("Body/Signature/Phone", "(402) 555-0101")])
    case = load_quagga(tmp_path)[0]
    assert case.extra["gold_lines_as_annotated"] == set()
    assert case.gold_lines == {2, 3, 4}
    assert case.gold_fields["phone"] == ["(402) 555-0101"]
    assert load_quagga(tmp_path, aligned=False)[0].gold_lines == set()


def test_a_single_stray_field_span_implies_nothing(tmp_path: Path) -> None:
    text = "Ask the Senior Counsel about it.\n"
    _write(tmp_path, "m2", text, [("Body", text), ("Body/Signature/Position", "Senior Counsel")])
    assert load_quagga(tmp_path)[0].gold_lines == set()


def test_a_repeated_first_body_is_read_as_the_longer_one(tmp_path: Path) -> None:
    text = "Jim,\n\nnumbers attached.\n\nAnna Berg\n(402) 555-0101\n"
    _write(tmp_path, "m3", text, [("Body", "Jim,\n"), ("Body", text),
                                  ("Body/Signature", "Anna Berg\n(402) 555-0101")])
    case = load_quagga(tmp_path)[0]
    assert case.extra["gold_lines_as_annotated"] == set()
    assert case.gold_lines == {4, 5}


def test_disclaimer_lines_are_not_signature_lines(tmp_path: Path) -> None:
    text = "Thank you,\n\nNorthwind Futures, Inc.\n\nThis message is confidential.\nIf received in error, delete it.\n"
    sig = "Northwind Futures, Inc.\n\nThis message is confidential.\nIf received in error, delete it."
    _write(tmp_path, "m4", text, [("Body", text), ("Body/Signature", sig),
                                  ("Body/Signature/Organisation", "Northwind Futures, Inc."),
                                  ("Body/Signature/Disclaimer", "This message is confidential.\nIf received in error, "
                                                                "delete it.")])
    case = load_quagga(tmp_path)[0]
    assert case.extra["gold_lines_as_annotated"] == {2, 4, 5}
    assert case.gold_lines == {2}


def test_line_diff_marks_each_line() -> None:
    lines = ["Hi", "", "Anna Berg", "(402) 555-0101", "Sent from my phone"]
    out = line_diff("x", lines, ["new_text"] * 5, found={3, 4}, gold={2, 3})
    assert "1 FP, 1 FN" in out.splitlines()[0]
    tags = [row[:2] for row in out.splitlines()[1:]]
    assert tags == ["  ", "  ", "FN", "TP", "FP"]

"""Reading vCards directly gives the people vobject gives, on every layout the tests know."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from recruiter_desk.core.imports import vcards
from recruiter_desk.core.imports.model import IncomingPerson, Problem
from recruiter_desk.core.imports.reading import Source, SourceText, read_source

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_vcards import vcard_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"

EDGES = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nn:Dupont\\;Durand;Jean,Luc;;;\r\nFN:Jean\\, Luc\r\n"
    "ORG:A\\;B;C,D\r\nitem9.ADR:;;;;Île-de-France;;\r\nCATEGORIES:x,y\\,z\r\n"
    "EMAIL;TYPE=INTERNET,pref:jd@example.fr\r\nURL:https://example.fr/a\\:b\r\n"
    "TITLE;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Ing=E9nieur\r\n"
    "NOTE:line one\\nline two\\\\ end\r\nline without a colon\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:;=\r\nSolo;;;\r\n"
    "TEL;VALUE=uri:tel:+1-555\r\nTITLE;ENCODING=b:aGVsbG8=\r\nEND:VCARD\r\n"
    'BEGIN:VCARD\r\nVERSION:4.0\r\nFN;X-Q="a;b":Quoted Param\r\nEND:VCARD\r\n'
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=NO-SUCH;QUOTED-PRINTABLE:X;Y\r\nEND:VCARD\r\n"
)


def _read(source: Source) -> tuple[list[IncomingPerson], list[Problem]]:
    problems: list[Problem] = []
    return list(vcards.parse_vcards(source, problems)), problems


def _both(
    source: Source, monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[list[IncomingPerson], list[Problem]], tuple[list[IncomingPerson], list[Problem]]]:
    direct = _read(source)

    def always_vobject(lines: list[str]) -> dict[str, list[object]]:
        raise vcards._NeedsVobject

    with monkeypatch.context() as patch:
        patch.setattr(vcards, "_direct_values", always_vobject)
        through_vobject = _read(source)
    return direct, through_vobject


@pytest.mark.parametrize("name", ["android_v21.vcf", "apple_v30.vcf", "contacts_v40.vcf"])
def test_fixtures_read_as_vobject_reads_them(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    direct, through_vobject = _both(read_source(FIXTURES / name), monkeypatch)
    assert direct == through_vobject and direct[0]


def test_generated_cards_and_edge_cases_read_as_vobject_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "cards.vcf"
    vcard_file(file, cards=60)
    text = file.read_text(encoding="utf-8") + EDGES
    direct, through_vobject = _both(SourceText("cards.vcf", text), monkeypatch)
    assert direct == through_vobject
    people = {(p.first_name, p.last_name): p for p in direct[0]}
    assert len(direct[0]) == 63 and len(direct[1]) == 1  # the unknown charset: skipped
    jean = people[("Jean Luc", "Dupont;Durand")]
    assert (jean.company, jean.location, jean.tags) == ("A;B", "Île-de-France", ["x", "y,z"])
    assert (jean.title, jean.notes) == ("Ingénieur", "line one\nline two\\ end")


def test_a_note_with_commas_is_kept_whole() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ana Silva\r\n"
        "NOTE:Met at PyCon, Berlin, 2025\r\nEND:VCARD\r\n"
    )
    people, problems = _read(SourceText("c.vcf", text))
    assert (people[0].notes, problems) == ("Met at PyCon, Berlin, 2025", [])

"""The documents module on its own: PDFs made with fpdf2 and pypdf (benchmarks/pdfs.py) in a temporary folder,
read into a temporary cache. No site is built here, and no assertion is on how long anything takes."""

from __future__ import annotations

import json
import random
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter

from divulga.media import documents
from divulga.media.documents import DocumentLimits, DocumentText, DocumentTexts

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from pdfs import printable, write_image_pdf, write_pdf  # noqa: E402

PHRASE = "comunità energetiche più verdi: 1,2 milioni di €"
PARAGRAPHS = [f"Il progetto ha sostenuto le {PHRASE} in dodici città.",
              "Perché è così importante? Qualità dell'aria, caffè e attività all'aperto. " * 6]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    media = tmp_path / "media"
    media.mkdir()
    return media


def text_pdf(path: Path, **options) -> Path:
    write_pdf(path, title="Risultati del progetto", paragraphs=PARAGRAPHS, lang="it", **options)
    return path


def bomb_pdf(payload: bytes, spaces: int = 0) -> bytes:
    """A one-page PDF whose content stream is ``payload`` and ``spaces`` spaces, compressed (with a font, so
    that pypdf reads it). Compressed a megabyte at a time: the tests' own process stays small, as the memory
    checks of tests/test_hostile_input.py measure every process the tests start (a child started from a
    large process counts its pages)."""
    packer = zlib.compressobj(9)
    block = b" " * 1_000_000
    parts = [packer.compress(payload)]
    parts += [packer.compress(block) for _ in range(spaces // len(block))]
    stream = b"".join([*parts, packer.compress(b" " * (spaces % len(block))), packer.flush()])
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
                b"/Contents 4 0 R >>"),
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def blank_pages(path: Path, count: int) -> Path:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(595, 842)
    writer.write(path)
    return path


# -- benchmarks/pdfs.py ---------------------------------------------------------------------

def test_write_pdf_is_byte_identical_and_small(tmp_path: Path) -> None:
    first, second = text_pdf(tmp_path / "a.pdf"), text_pdf(tmp_path / "b.pdf")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(b"%PDF-") and first.stat().st_size < 10_000
    write_image_pdf(tmp_path / "c.pdf", title="Scansione")
    write_image_pdf(tmp_path / "d.pdf", title="Scansione")
    assert (tmp_path / "c.pdf").read_bytes() == (tmp_path / "d.pdf").read_bytes()
    assert (tmp_path / "c.pdf").stat().st_size < 10_000


def test_write_pdf_metadata(tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(text_pdf(tmp_path / "a.pdf"))
    assert reader.metadata.title == "Risultati del progetto"
    assert reader.metadata.author == "Divulga example"
    assert reader.trailer["/Root"]["/Lang"] == "it"
    assert reader.metadata.creation_date.year == 2024


def test_printable_keeps_windows_1252_and_transliterates_the_rest() -> None:
    assert printable("àèéìòù € “Œ” — …") == "àèéìòù € “Œ” — …"
    assert printable("Łódź Ελλάδα") == "Lódz ??????"


# -- reading ------------------------------------------------------------------------------------

def test_text_pdf_gives_its_phrase(folder: Path, tmp_path: Path) -> None:
    pdf = text_pdf(folder / "report.pdf")
    texts = DocumentTexts(tmp_path / "cache")
    result = texts.texts([pdf])[pdf]
    assert result.problem is None and result.pages == 1 and result.has_text_layer is True
    assert PHRASE in result.text
    assert "Risultati del progetto" in result.text
    assert "  " not in result.text and "\n" not in result.text
    assert texts.read_count == 1


def test_a_reload_looks_again_only_at_changed_documents(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """A preview reloads after every edit: a PDF unchanged since (path, time, size) is not hashed again."""
    pdf, other = text_pdf(folder / "report.pdf"), text_pdf(folder / "other.pdf")
    known: dict = {}
    first = DocumentTexts(tmp_path / "cache", known=known).texts([pdf, other])
    assert first[pdf].has_text_layer and len(known) == 0  # read now: known once in the cache
    second = DocumentTexts(tmp_path / "cache", known=known).texts([pdf, other])
    assert second == first and len(known) == 2
    looked = []
    monkeypatch.setattr(DocumentTexts, "_look", lambda self, path: looked.append(path) or ("", None))
    write_pdf(other, title="Altro", paragraphs=["Un altro testo, cambiato."], lang="it")
    DocumentTexts(tmp_path / "cache", known=known).texts([pdf, other])
    assert looked == [other]


def test_long_text_spans_pages(folder: Path, tmp_path: Path) -> None:
    pdf = folder / "long.pdf"
    write_pdf(pdf, title="Lungo", paragraphs=[f"Paragrafo numero {n}: " + "parole " * 60 for n in range(40)],
              lang="it")
    result = DocumentTexts(tmp_path / "cache").texts([pdf])[pdf]
    assert result.pages > 3
    assert "Paragrafo numero 0:" in result.text and "Paragrafo numero 39:" in result.text


def test_image_only_pdf_has_no_text_layer(folder: Path, tmp_path: Path) -> None:
    scan = folder / "scan.pdf"
    write_image_pdf(scan, title="Verbale firmato")
    result = DocumentTexts(tmp_path / "cache").texts([scan])[scan]
    assert result == DocumentText(pages=1, text="", has_text_layer=False, problem=None)


def test_other_files_are_not_read(folder: Path, tmp_path: Path) -> None:
    docx = folder / "guide.docx"
    docx.write_bytes(b"PK\x03\x04 not read")
    texts = DocumentTexts(tmp_path / "cache")
    assert texts.texts([docx]) == {docx: DocumentText(pages=None, text="", has_text_layer=None, problem=None)}
    assert texts.read_count == 0
    assert not (tmp_path / "cache").exists()


def test_upper_case_suffix_is_a_pdf(folder: Path, tmp_path: Path) -> None:
    pdf = text_pdf(folder / "REPORT.PDF")
    assert PHRASE in DocumentTexts(tmp_path / "cache").texts([pdf])[pdf].text


@pytest.mark.parametrize("kind", ["empty", "random", "truncated", "header-only", "html", "encrypted", "missing"])
def test_unreadable_files_give_a_problem(kind: str, folder: Path, tmp_path: Path) -> None:
    pdf = folder / f"{kind}.pdf"
    good = text_pdf(tmp_path / "good.pdf").read_bytes()
    content = {"empty": b"", "random": random.Random(7).randbytes(20_000), "truncated": good[:len(good) // 2],
               "header-only": b"%PDF-1.7\n", "html": b"<!doctype html><title>Not found</title>"}
    if kind == "encrypted":
        text_pdf(pdf, password="segreta")
    elif kind != "missing":
        pdf.write_bytes(content[kind])
    result = DocumentTexts(tmp_path / "cache").texts([pdf])[pdf]
    assert result.problem and result.text == "" and result.has_text_layer is None
    if kind == "encrypted":
        assert "password" in result.problem
    if kind == "empty":
        assert "empty" in result.problem


def test_pdf_without_user_password_is_read(folder: Path, tmp_path: Path) -> None:
    """"Protected" PDFs that open without a password (only printing or editing restricted) are read."""
    writer = PdfWriter(clone_from=text_pdf(tmp_path / "plain.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    pdf = folder / "restricted.pdf"
    writer.write(pdf)
    result = DocumentTexts(tmp_path / "cache").texts([pdf])[pdf]
    assert result.problem is None and PHRASE in result.text


def test_no_pages(folder: Path, tmp_path: Path) -> None:
    pdf = blank_pages(folder / "nothing.pdf", 0)
    result = DocumentTexts(tmp_path / "cache").texts([pdf])[pdf]
    assert result.pages == 0 and result.problem and "no pages" in result.problem


def test_many_pages_are_bounded(folder: Path, tmp_path: Path) -> None:
    pdf = blank_pages(folder / "many.pdf", 1000)
    result = DocumentTexts(tmp_path / "cache", DocumentLimits(max_pages=50)).texts([pdf])[pdf]
    assert result.pages == 1000 and result.text == "" and result.has_text_layer is False and result.problem is None


def test_text_is_truncated_to_max_chars(folder: Path, tmp_path: Path) -> None:
    pdf = folder / "long.pdf"
    write_pdf(pdf, title="Lungo", paragraphs=["parola " * 80] * 30, lang="it")
    result = DocumentTexts(tmp_path / "cache", DocumentLimits(max_chars=500)).texts([pdf])[pdf]
    assert 400 < len(result.text) <= 500 and result.text.endswith("parola")


def test_decompression_bomb_is_refused(folder: Path, tmp_path: Path) -> None:
    """300 MB of content in 300 kB: pypdf stops decompressing at 75 MB (Configuration.zlib_maximum_output_length)."""
    bomb = folder / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(b"BT /F1 12 Tf (hello) Tj ET\n", spaces=300_000_000))
    good = text_pdf(folder / "good.pdf")
    found = DocumentTexts(tmp_path / "cache").texts([bomb, good])
    assert found[bomb].problem and "too complex" in found[bomb].problem and found[bomb].text == ""
    assert PHRASE in found[good].text


def test_problems_are_plain_sentences(folder: Path, tmp_path: Path) -> None:
    (folder / "a.pdf").write_bytes(b"nonsense")
    problem = DocumentTexts(tmp_path / "cache").texts([folder / "a.pdf"])[folder / "a.pdf"].problem
    assert problem.startswith("the file is not a readable PDF") and "Error" not in problem


# -- the cache ------------------------------------------------------------------------------------

def test_second_call_reads_nothing(folder: Path, tmp_path: Path) -> None:
    pdfs = [text_pdf(folder / "report.pdf"), folder / "broken.pdf", folder / "scan.pdf"]
    pdfs[1].write_bytes(b"%PDF-1.4 broken")
    write_image_pdf(pdfs[2], title="Verbale")
    texts = DocumentTexts(tmp_path / "cache")
    first = texts.texts(pdfs)
    assert texts.read_count == 3
    second = texts.texts(pdfs)
    assert texts.read_count == 0  # the broken PDF's problem is remembered too
    assert first == second
    again = DocumentTexts(tmp_path / "cache").texts(pdfs)  # a new build
    assert again == first
    assert sorted(path.suffix for path in (tmp_path / "cache").iterdir()) == [".json"] * 3


def test_same_bytes_under_another_name_hit_the_cache(folder: Path, tmp_path: Path) -> None:
    original = text_pdf(folder / "report.pdf")
    texts = DocumentTexts(tmp_path / "cache")
    texts.texts([original])
    copy = folder / "archive" / "report-copy.pdf"
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    result = texts.texts([copy])
    assert texts.read_count == 0 and PHRASE in result[copy].text
    twins = [text_pdf(folder / "one.pdf", author="Twins"), text_pdf(folder / "two.pdf", author="Twins")]
    found = texts.texts(twins)
    assert texts.read_count == 1 and found[twins[0]] == found[twins[1]]


def test_changed_file_is_read_again(folder: Path, tmp_path: Path) -> None:
    pdf = text_pdf(folder / "report.pdf")
    texts = DocumentTexts(tmp_path / "cache")
    texts.texts([pdf])
    write_pdf(pdf, title="Seconda versione", paragraphs=["Testo nuovo, tutto diverso dal primo."], lang="it")
    result = texts.texts([pdf])[pdf]
    assert texts.read_count == 1 and "Testo nuovo" in result.text and PHRASE not in result.text


def test_damaged_cache_entries_are_read_again(folder: Path, tmp_path: Path) -> None:
    pdf = text_pdf(folder / "report.pdf")
    texts = DocumentTexts(tmp_path / "cache")
    texts.texts([pdf])
    [entry] = (tmp_path / "cache").iterdir()
    for damage in (b"{not json", json.dumps({"recipe": "other", "state": "text"}).encode(),
                   json.dumps({"recipe": documents.RECIPE, "state": "text", "pages": "1"}).encode()):
        entry.write_bytes(damage)
        assert PHRASE in texts.texts([pdf])[pdf].text and texts.read_count == 1


def test_other_limits_read_again(folder: Path, tmp_path: Path) -> None:
    pdf = text_pdf(folder / "report.pdf")
    DocumentTexts(tmp_path / "cache").texts([pdf])
    texts = DocumentTexts(tmp_path / "cache", DocumentLimits(max_chars=40))
    assert len(texts.texts([pdf])[pdf].text) <= 40 and texts.read_count == 1


def test_unwritable_cache_still_reads(folder: Path, tmp_path: Path) -> None:
    pdf = text_pdf(folder / "report.pdf")
    cache = tmp_path / "cache"
    cache.write_bytes(b"a file where the cache folder should be")
    assert PHRASE in DocumentTexts(cache).texts([pdf])[pdf].text


def test_too_big_is_not_read(folder: Path, tmp_path: Path) -> None:
    pdf = text_pdf(folder / "report.pdf")
    texts = DocumentTexts(tmp_path / "cache", DocumentLimits(max_bytes=1000))
    result = texts.texts([pdf])[pdf]
    assert texts.read_count == 0 and result.problem and "larger than" in result.problem


# -- the child process ----------------------------------------------------------------------------

def test_tiny_timeout_gives_a_problem(folder: Path, tmp_path: Path) -> None:
    pdfs = [text_pdf(folder / "report.pdf"), blank_pages(folder / "many.pdf", 300)]
    texts = DocumentTexts(tmp_path / "cache", DocumentLimits(timeout=1e-6))
    found = texts.texts(pdfs)
    for pdf in pdfs:
        assert found[pdf].problem and "too long" in found[pdf].problem and found[pdf].text == ""
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())  # not remembered
    assert PHRASE in DocumentTexts(tmp_path / "cache").texts(pdfs)[pdfs[0]].text


@pytest.mark.parametrize("megabytes", [16, 32, 64])
def test_tiny_memory_gives_a_problem(megabytes: int, folder: Path, tmp_path: Path) -> None:
    """In 16 MB Python cannot even import pypdf; in 64 MB it imports it, then cannot read a PDF."""
    pdf = text_pdf(folder / "report.pdf")
    found = DocumentTexts(tmp_path / "cache", DocumentLimits(memory_bytes=megabytes * 2**20)).texts([pdf])
    assert found[pdf].problem and "memory" in found[pdf].problem and found[pdf].text == ""
    assert PHRASE in DocumentTexts(tmp_path / "cache").texts([pdf])[pdf].text  # not remembered


FAKE_READER = """
    import json, os, sys, time
    request = json.loads(sys.stdin.readline())
    for index, path in enumerate(request["paths"]):
        name = os.path.basename(path)
        if name.startswith("die") and len(request["paths"]) > 1 and name != "die-alone.pdf":
            os._exit(1)  # dies when read with others; fine alone: it was not this document's fault
        if name == "die-alone.pdf":
            os._exit(1)
        if name.startswith("hang"):
            time.sleep(3600)
        record = {"index": index, "state": "text", "pages": 1, "text": "read " + name, "has_text_layer": True,
                  "max_pages": 300, "max_chars": 200000}
        print(json.dumps(record), flush=True)
"""


def test_a_dying_or_hanging_child_costs_only_its_document(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The child is replaced by a script that dies or hangs on some names: the documents around them are read,
    the culprits get a problem, and the innocent one read when a child died is read again alone."""
    (tmp_path / "fake_reader.py").write_text(textwrap.dedent(FAKE_READER))
    monkeypatch.setattr(documents, "CHILD", (sys.executable, str(tmp_path / "fake_reader.py")))
    monkeypatch.setattr(documents, "GRACE", 0.5)
    names = ["a.pdf", "die-with-others.pdf", "b.pdf", "hang.pdf", "c.pdf", "die-alone.pdf", "d.pdf"]
    paths = []
    for number, name in enumerate(names):
        paths.append(folder / name)
        paths[-1].write_bytes(b"%PDF-1.4 " + str(number).encode())
    texts = DocumentTexts(tmp_path / "cache", DocumentLimits(timeout=0.5))
    found = texts.texts(paths)
    assert texts.read_count == len(names)
    for name in ("a.pdf", "b.pdf", "c.pdf", "d.pdf", "die-with-others.pdf"):
        assert found[folder / name].text == f"read {name}" and found[folder / name].problem is None
    assert "too long" in found[folder / "hang.pdf"].problem
    assert "failed" in found[folder / "die-alone.pdf"].problem
    cached = {json.loads(entry.read_text())["text"] for entry in (tmp_path / "cache").iterdir()}
    assert cached == {f"read {name}" for name in ("a.pdf", "b.pdf", "c.pdf", "d.pdf", "die-with-others.pdf")}


def test_pypdf_warnings_do_not_reach_the_output(folder: Path, tmp_path: Path, capfd: pytest.CaptureFixture,
                                                caplog: pytest.LogCaptureFixture) -> None:
    good = text_pdf(tmp_path / "good.pdf").read_bytes()
    damaged = folder / "damaged.pdf"
    damaged.write_bytes(good.replace(b"startxref", b"startxref\n999999\n%%EOF\nstartxref"))  # a wrong xref offset
    with caplog.at_level("DEBUG"):
        result = DocumentTexts(tmp_path / "cache").texts([damaged])[damaged]
    out, err = capfd.readouterr()
    assert out == "" and err == "" and not caplog.records
    assert isinstance(result, DocumentText)


def test_the_child_is_the_module_run_as_a_script(folder: Path, tmp_path: Path) -> None:
    """``python -P documents.py`` reads what it is given on standard input, without the divulga package."""
    import subprocess

    pdf = text_pdf(folder / "report.pdf")
    request = json.dumps({"limits": documents.asdict(DocumentLimits()), "paths": [str(pdf)]})
    code = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__'); print(sorted(sys.modules))"
    done = subprocess.run([sys.executable, "-P", "-c", code, documents.CHILD[-1]], input=request + "\n",
                          capture_output=True, text=True, check=True, cwd=tmp_path)
    line, modules = done.stdout.splitlines()
    assert "divulga" not in modules and "pypdf" in modules
    assert done.stderr == ""
    record = json.loads(line)
    assert record["index"] == 0 and record["state"] == "text" and PHRASE in record["text"]


def test_without_pypdf_every_pdf_says_so_at_once(folder: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "no_pypdf.py").write_text(f"import os\nos._exit({documents.EXIT_NO_PYPDF})\n")
    monkeypatch.setattr(documents, "CHILD", (sys.executable, str(tmp_path / "no_pypdf.py")))
    paths = [text_pdf(folder / "a.pdf"), text_pdf(folder / "b.pdf", author="Other")]
    found = DocumentTexts(tmp_path / "cache").texts(paths)
    assert all("pypdf" in found[path].problem for path in paths)
    assert not (tmp_path / "cache").exists()


def test_nothing_to_read_starts_no_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "CHILD", ("/nonexistent/python",))
    texts = DocumentTexts(tmp_path / "cache")
    assert texts.texts([]) == {} and texts.read_count == 0


def test_a_worker_reads_the_results_documents_as_the_build_would(monkeypatch) -> None:
    """validate with a started worker process: the PDFs are read there (the build's own reader is
    never called) while the build plans, with the same texts and problems, and what it learnt of the
    files is kept for the next load; a worker that fails leaves them to the build."""
    from concurrent.futures import Future

    from conftest import ROOT

    from divulga.config_file import load_site_config
    from divulga.plan import validate as validation
    from divulga.read.versions import FilesRead
    from divulga.runtime import Helpers

    settings = load_site_config(ROOT / "mkdocs.yml").settings
    alone = validation.validate(settings)
    assert alone.documents
    helpers = Helpers(1)
    try:
        helpers.submit(int).result()  # a worker started, as after reading a large site's files
        with monkeypatch.context() as patch:
            def not_here(self, paths):
                raise AssertionError("read by the build, not the worker")
            patch.setattr(documents.DocumentTexts, "texts", not_here)
            files_read = FilesRead()
            shared = validation.validate(settings, files_read, None, helpers)
        assert shared.documents == alone.documents and shared.problems == alone.problems
        assert len(files_read.documents) == len(alone.documents)
    finally:
        helpers.shutdown()

    class Broken:
        started = True

        def submit(self, *args, **kwargs) -> Future:
            future: Future = Future()
            future.set_exception(RuntimeError("the worker died"))
            return future

    broken = validation.validate(settings, FilesRead(), None, Broken())  # type: ignore[arg-type]
    assert broken.documents == alone.documents and broken.problems == alone.problems

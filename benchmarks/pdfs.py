"""Small, real PDFs for the tests and benchmarks of the results library (``divulga.media.documents``).

- ``write_pdf`` writes an A4 document with a text layer: the title as a heading, wrapped paragraphs and the page
  number in the footer, with its title, author, subject and language in the document's metadata;
- ``write_image_pdf`` writes a page that is only a picture of text, with no text layer, as a scanner makes.

Both are deterministic: the same arguments give the same bytes (a fixed creation date, no random identifiers).
They use the PDF's standard Helvetica in the Windows-1252 encoding (WinAnsi), which every PDF reader has, so no
font is embedded and the files stay a few kB on any machine: Italian, French, Spanish, German or Portuguese
accents, « », “ ” and the € sign are shown and extracted as they are. Characters outside that set (Polish ł,
Greek, Cyrillic…) are written without their accent or as "?": ``printable`` says what a text becomes, for
tests that compare the extracted text::

    python benchmarks/pdfs.py /tmp/example.pdf    # writes an example document, for a look
"""

from __future__ import annotations

import io
import sys
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, ImageDraw

ENCODING = "windows-1252"  # the core fonts' WinAnsiEncoding: latin-1 plus € ‘ ’ “ ” – — … • Œ Š Ž
CREATED = datetime(2024, 1, 1, tzinfo=UTC)  # fixed, so that the same input gives the same bytes
PRODUCER = "Divulga benchmarks (fpdf2)"  # fpdf2 would otherwise write its version: bytes would change with it
FONT = "Helvetica"
# Letters that NFKD does not decompose into a letter and an accent.
LOOKALIKES = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l",
                            "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "\u2212": "-", "\u2010": "-", "\u2011": "-",
                            "\u00a0": " ", "\u202f": " ", "\u2009": " "})


class _Document(FPDF):
    """fpdf2's FPDF with the page number ("2 / 5") in the footer, unless ``numbered`` is False."""

    numbered = True

    def footer(self) -> None:
        if not self.numbered:
            return
        self.set_y(-15)
        self.set_font(FONT, size=9)
        self.cell(0, 10, f"{self.page_no()} / {{nb}}", align="C")


def printable(text: str) -> str:
    """``text`` as ``write_pdf`` writes it: every Windows-1252 character as it is, others without their accent
    (ł → l, ő → o) or as "?"."""
    out = []
    for char in text.translate(LOOKALIKES):
        try:
            char.encode(ENCODING)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            try:
                char = base.encode(ENCODING).decode(ENCODING) if base else "?"
            except UnicodeEncodeError:
                char = "?"
        out.append(char)
    return "".join(out)


def write_pdf(path: Path, *, title: str, paragraphs: Sequence[str], lang: str, author: str = "Divulga example",
              password: str | None = None) -> None:
    """An A4 PDF with a text layer: ``title`` as its heading and metadata title, then ``paragraphs`` wrapped to
    the page width, as many pages as they need. ``lang`` is a language tag ("it", "en-GB") written as the
    document's language. With ``password``, the PDF opens only with it (RC4 encryption, as old office
    programs make; the owner password is the same)."""
    pdf = _document(title, author)
    pdf.set_lang(lang)
    pdf.set_subject(printable(title))
    if password is not None:
        pdf.set_encryption(owner_password=password, user_password=password)
    pdf.add_page()
    pdf.set_font(FONT, style="B", size=18)
    pdf.multi_cell(0, 9, printable(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT, size=11)
    for paragraph in paragraphs:
        _paragraph(pdf, printable(paragraph), 5.5)
        pdf.ln(3)
    _save(pdf, path)


def write_image_pdf(path: Path, *, title: str) -> None:
    """An A4 PDF whose only page is a picture of a page of text, as a scanner makes: no text layer, so no word
    of it can be found by a search. ``title`` is its metadata title (and drawn, as pixels, in the picture)."""
    picture = Image.new("L", (420, 594), 255)  # A4 at 18 dpi: a small, flat picture keeps the file small
    draw = ImageDraw.Draw(picture)
    draw.text((30, 30), printable(title)[:60], fill=0)
    for line in range(40):  # grey bars standing for lines of text
        top = 70 + line * 12
        draw.rectangle((30, top, 390 - (line * 37) % 90, top + 5), fill=90)
    png = io.BytesIO()
    picture.save(png, "PNG", optimize=True)
    pdf = _document(title, "Divulga example")
    pdf.numbered = False  # a scan has no text at all
    pdf.add_page()
    pdf.image(png, x=0, y=0, w=pdf.w, h=pdf.h)
    _save(pdf, path)


def _paragraph(pdf: FPDF, text: str, height: float) -> None:
    """``text`` wrapped at spaces to the page's width, a line a cell: the same lines as ``multi_cell``, ten
    times faster on long paragraphs (its line breaking measures each line again at every character)."""
    widths: dict[str, float] = {}
    space = pdf.get_string_width(" ")
    line: list[str] = []
    used = 0.0
    for word in text.split():
        width = widths.get(word) or widths.setdefault(word, pdf.get_string_width(word))
        if line and used + space + width > pdf.epw:
            pdf.cell(0, height, " ".join(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            line, used = [], 0.0
        if width > pdf.epw:  # a word longer than a line (an address): broken where it must be
            pdf.multi_cell(0, height, word, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            continue
        used += width + (space if line else 0.0)
        line.append(word)
    if line:
        pdf.cell(0, height, " ".join(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _document(title: str, author: str) -> _Document:
    pdf = _Document(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(printable(title))
    pdf.set_author(printable(author))
    pdf.set_creator(PRODUCER)
    pdf.set_producer(PRODUCER)
    pdf.set_creation_date(CREATED)
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def _save(pdf: FPDF, path: Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(bytes(pdf.output()))


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "example.pdf")
    write_pdf(target, title="Risultati del progetto: città più verdi", lang="it",
              paragraphs=["Il progetto ha finanziato 12 comunità energetiche con 1,2 milioni di €: perché è "
                          "così importante? Qualità, velocità, caffè e più attività in città. " * 8] * 6)
    print(f"{target}: {target.stat().st_size} bytes")

"""Read a document file into plain text. Each format has one reader; what cannot be read is an
InputError `file[:line]: message` (exit 2), never a traceback.

The text returned is what the format holds, line by line (a DOCX paragraph or a PDF text line per
line); `clean.clean` then removes extraction artefacts.
"""

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from wsisgraph.core.errors import InputError

ENCODINGS_TRIED = ("utf-8", "cp1252")


def read_text_file(path: Path, encoding: str | None = None) -> str:
    """A .txt or .md file. Without an encoding, UTF-8 (with or without BOM) is required; anything
    else is reported with the line of the first bad byte and the encoding it probably is."""
    data = _read_bytes(path)
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError as exc:
            raise InputError(str(path), None, f"unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(str(path), line, f"not valid {encoding}: byte 0x{data[exc.start]:02x}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = _guess_encoding(data)
        hint = f"; it looks like {guess}: give --encoding {guess}" if guess else "; give --encoding"
        raise InputError(str(path), line, f"not UTF-8 (byte 0x{data[exc.start]:02x}){hint}") from exc


def _guess_encoding(data: bytes) -> str | None:
    """UTF-16 by its BOM, else cp1252 (Windows Western, the usual export) when it decodes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for name in ENCODINGS_TRIED[1:]:
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return name
    return None


def read_docx(path: Path, encoding: str | None = None) -> str:
    """A Word document: its body paragraphs and table cells, in order, one per line."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(str(path), None, f"not a readable .docx file ({exc})") from exc
    except Exception as exc:  # zipfile.BadZipFile and lxml errors from a damaged package
        raise InputError(str(path), None, f"not a readable .docx file ({type(exc).__name__}: {exc})") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_paragraph_text(child))
        elif tag == "tbl":
            for cell in child.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc"):
                lines += [_paragraph_text(p) for p in
                          cell.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]
    return "\n".join(lines)


def _paragraph_text(element) -> str:
    """The text of one w:p element: its runs, tabs and breaks (python-docx's own rule)."""
    from docx.text.paragraph import Paragraph

    return Paragraph(element, None).text


def read_pdf(path: Path, encoding: str | None = None) -> str:
    """A PDF with a text layer, page by page. An encrypted PDF, or one whose pages carry no text
    (a scan), is refused: there is nothing to cite from."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
    except (PdfReadError, ValueError, OSError) as exc:
        raise InputError(str(path), None, f"not a readable PDF ({exc})") from exc
    if reader.is_encrypted:
        raise InputError(str(path), None, "the PDF is encrypted; save an unencrypted copy and ingest that")
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError) as exc:
        raise InputError(str(path), None, f"cannot extract text ({exc})") from exc
    if not any(page.strip() for page in pages):
        raise InputError(str(path), None, f"no text layer in {len(pages)} page(s) (a scanned PDF?); "
                                          "run OCR first and ingest the result")
    return "\n".join(pages)


class _HTMLText(HTMLParser):
    """Block elements start new lines; script and style are dropped."""

    BLOCKS: ClassVar[set[str]] = {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
        "table", "ul", "ol", "blockquote", "pre", "td", "th", "title"}
    SKIPPED: ClassVar[set[str]] = {"script", "style", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(" ".join(data.split(" ")))


def read_html(path: Path, encoding: str | None = None) -> str:
    """An HTML page's visible text, a line per block element, whitespace runs inside a line kept
    single (HTML rendering rules)."""
    parser = _HTMLText()
    parser.feed(read_text_file(path, encoding))
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


READERS: dict[str, Callable[[Path, str | None], str]] = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc


def read(path: Path, encoding: str | None = None) -> str:
    """The text of a document file, by its extension; an empty result is an error."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(str(path), None, f"unknown kind of document {path.suffix or '(no extension)'!r} "
                                          f"(known: {known}; activity lists: .csv, .xlsx)")
    if not path.is_file():
        raise InputError(str(path), None, "no such file")
    if path.stat().st_size == 0:
        raise InputError(str(path), None, "the file is empty")
    text = reader(path, encoding)
    if not text.strip():
        raise InputError(str(path), None, "no text in the file")
    return text

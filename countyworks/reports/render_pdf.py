"""PDF output: the Word document converted by LibreOffice headless.

Converting the DOCX keeps one layout (GB/T 9704) for both formats. Each conversion uses a private
LibreOffice profile (-env:UserInstallation) so parallel runs and a running office do not clash.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from countyworks.reports.model import Report
from countyworks.reports.render_docx import render_docx


class ConversionError(RuntimeError):
    """LibreOffice is missing or failed to convert the document."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, timeout: int = 120) -> bytes:
    """Convert DOCX bytes to PDF bytes with `soffice --headless --convert-to pdf`."""
    soffice = soffice_path()
    if soffice is None:
        raise ConversionError("LibreOffice (soffice) is not installed; run `make system-deps`.")
    with tempfile.TemporaryDirectory(prefix="cw-pdf-") as workdir:
        work = Path(workdir)
        source = work / "report.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError("LibreOffice took too long to convert the document.") from exc
        target = work / "report.pdf"
        if done.returncode != 0 or not target.exists():
            raise ConversionError(f"LibreOffice failed: {done.stderr.strip()[:500]}")
        return target.read_bytes()


def render_pdf(report: Report) -> bytes:
    return docx_to_pdf(render_docx(report))

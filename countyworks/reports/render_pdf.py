"""PDF output: the Word document converted by LibreOffice headless.

Converting the DOCX keeps one layout (GB/T 9704) for both formats. Each process uses its own
LibreOffice profile (-env:UserInstallation) so parallel runs and a running office do not clash;
the profile is kept for the life of the process because creating it costs about a second, and a
lock serialises conversions within the process (one profile admits one office at a time).

LibreOffice runs with our fontconfig file (fonts/fonts.conf): it binds the GB/T 9704 faces the Word
file names to the Simplified-Chinese Noto faces, so the PDF never falls back to the Japanese ones.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from countyworks.reports import pdf_fonts
from countyworks.reports.document import Report
from countyworks.reports.render_docx import render_docx


class ConversionError(RuntimeError):
    """LibreOffice is missing or failed to convert the document."""


def soffice_environment() -> dict[str, str]:
    """The environment LibreOffice converts in: ours, with the report fonts' fontconfig file
    (pdf_fonts: the SC faces written out of the Noto collections, listed first)."""
    environment = dict(os.environ)
    environment["FONTCONFIG_FILE"] = str(pdf_fonts.fontconfig_file())
    return environment


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_PROFILE_LOCK = threading.Lock()


@atexit.register
def _remove_profile() -> None:
    shutil.rmtree(_profile_dir(), ignore_errors=True)


def docx_to_pdf(docx: bytes, timeout: int = 120) -> bytes:
    """Convert DOCX bytes to PDF bytes with `soffice --headless --convert-to pdf`."""
    soffice = soffice_path()
    if soffice is None:
        raise ConversionError("LibreOffice (soffice) is not installed; run `make system-deps`.")
    with tempfile.TemporaryDirectory(prefix="cw-pdf-") as workdir:
        work = Path(workdir)
        source = work / "report.docx"
        source.write_bytes(docx)
        profile = _profile_dir().as_uri()
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
            with _PROFILE_LOCK:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=timeout, env=soffice_environment()
                )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError("LibreOffice took too long to convert the document.") from exc
        target = work / "report.pdf"
        if done.returncode != 0 or not target.exists():
            raise ConversionError(f"LibreOffice failed: {done.stderr.strip()[:500]}")
        return target.read_bytes()


def _profile_dir() -> Path:
    # A forked worker (gunicorn) must not share its parent's profile: name it by the current pid.
    return Path(tempfile.gettempdir()) / f"cw-lo-profile-{os.getuid()}-{os.getpid()}"


def render_pdf(report: Report) -> bytes:
    return docx_to_pdf(render_docx(report))

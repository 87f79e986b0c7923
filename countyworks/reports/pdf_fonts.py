"""The Simplified-Chinese faces the PDF is set in, taken out of Debian's Noto CJK collections.

fonts-noto-cjk ships each weight as one collection (.ttc) of five faces (JP, KR, SC, TC, HK) that
share a single CFF table, and that table is named for the JP face (NotoSerifCJKjp-Regular). A PDF
set in the SC face therefore embeds a font called …jp…: the glyphs follow the SC face's cmap, but
the document says Japanese to anyone who checks it with `pdffonts`. So the SC face of each
collection is written out once as a font file of its own, family "Noto Serif SC" / "Noto Sans SC",
its CFF renamed for SC. The new name has the same length as the old one, so the CFF table is
patched in place and no glyph is decompiled (fontTools copies every other table as it is); a
full rebuild would take minutes.

The files live in a cache directory with a fontconfig file that lists them first; LibreOffice is
run with FONTCONFIG_FILE pointing there (render_pdf).
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from fontTools.ttLib import TTCollection
from fontTools.ttLib.tables.DefaultTable import DefaultTable

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
# (collection file, face family in it, family of the written face, file written)
FACES = [
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "Noto Serif SC", "NotoSerifSC-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "Noto Serif SC", "NotoSerifSC-Bold.otf"),
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "Noto Sans SC", "NotoSansSC-Regular.otf"),
    ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "Noto Sans SC", "NotoSansSC-Bold.otf"),
]
STATIC_CONFIG = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
_LOCK = threading.Lock()
FORMAT_VERSION = 2


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path(tempfile.gettempdir()))
    # The version names the way the files are written: a change writes them afresh.
    return Path(base) / f"countyworks-fonts-{os.getuid()}-{FORMAT_VERSION}"


def _family(font) -> str:
    return font["name"].getDebugName(1) or ""


def write_sc_face(collection: Path, family: str, new_family: str, target: Path) -> bool:
    """Write the `family` face of `collection` to `target` as `new_family`; False if it is missing."""
    if not collection.exists():
        return False
    fonts = TTCollection(str(collection), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    font = next((f for f in fonts.fonts if _family(f) == family), None)
    if font is None:
        return False
    data = font.reader["CFF "]
    old = next((n for n in (b"CJKjp-", b"CJKJP-") if n in data), None)
    if old is not None:
        # Same length (jp → sc): every offset in the CFF table stays right. The font's name and
        # those of its sub-fonts (…jp-Regular-Kana, the CID FDArray a PDF names) all change.
        font.tables["CFF "] = DefaultTable("CFF ")
        font.tables["CFF "].data = data.replace(old, b"CJKsc-")
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 4, 16):
            text = record.toUnicode().replace(family, new_family)
            names.setName(text, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(
                record.toUnicode().replace("jp-", "sc-").replace("JP-", "sc-"),
                6,
                record.platformID,
                record.platEncID,
                record.langID,
            )
    partial = target.with_suffix(".part")
    font.save(str(partial))
    partial.replace(target)
    return True


def fontconfig_file() -> Path:
    """A fontconfig file that lists the SC faces (written on first use) before the system's fonts."""
    directory = cache_dir()
    config = directory / "fonts.conf"
    with _LOCK:
        if config.exists():
            return config
        directory.mkdir(parents=True, exist_ok=True)
        written = [
            name
            for source, family, new_family, name in FACES
            if (directory / name).exists()
            or write_sc_face(NOTO_DIR / source, family, new_family, directory / name)
        ]
        dirs = f"  <dir>{directory}</dir>\n" if written else ""
        partial = directory / "fonts.conf.part"
        partial.write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            f"<fontconfig>\n{dirs}  <cachedir>{directory / 'cache'}</cachedir>\n"
            f'  <include ignore_missing="yes">{STATIC_CONFIG}</include>\n</fontconfig>\n',
            encoding="utf-8",
        )
        partial.replace(config)
    return config

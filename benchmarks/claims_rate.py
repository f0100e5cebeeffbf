"""How often a real report's text disagrees with its own tables.

For every report of the real corpus (the HTML, .docx and PDF files), the
figures its text states (extractor/recognition/claims.py) are compared with
the table cells; the script prints how many reports state such figures, how
many figures, and every disagreement.

    python benchmarks/claims_rate.py [FOLDER]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import extractor  # noqa: E402
from extractor.recognition.claims import find_claims  # noqa: E402


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(os.environ.get("EXTRACTOR_SHARED", "/work/shared")) / "corpus" / "real"
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".html", ".docx", ".pdf"))
    n_reports = n_with = n_claims = 0
    bad_reports = 0
    lines = []
    for path in files:
        try:
            r = extractor.parse(path)
        except extractor.ParseError:
            continue
        n_reports += 1
        claims = find_claims(p.full_text for p in r.document.paragraphs)
        n_with += bool(claims)
        n_claims += len(claims)
        hits = [i for i in r.issues if i.code == "text.table_mismatch"]
        bad_reports += bool(hits)
        lines += [f"  {path.name}: {i.message}" for i in hits]
    print(f"{n_reports} reports; {n_with} state {n_claims} figures the tables hold; "
          f"{len(lines)} figures in {bad_reports} reports disagree with the tables "
          f"({bad_reports / max(n_with, 1):.0%} of the reports that state any)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

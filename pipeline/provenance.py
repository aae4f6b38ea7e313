"""Fingerprint of a run's inputs, code and lexicons: equal fingerprints mean an up-to-date store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline import __version__
from pipeline.model import Reason, Reject, Source

PACKAGE = Path(__file__).resolve().parent
SCHEMAS = PACKAGE.parent / "schemas"
DATA = PACKAGE / "data"


def _hash_files(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_sha256() -> str:
    """Hash of every Python file of the pipeline and the schemas: any code change is a new version."""
    # the benchmark's own code does not change what a run produces
    files = [p for p in PACKAGE.rglob("*.py") if "bench" not in p.relative_to(PACKAGE).parts[:1]]
    files += list(SCHEMAS.rglob("*.py"))
    return _hash_files(files, PACKAGE.parent)


def lexicon_hashes() -> dict[str, str]:
    """sha256 of each lexicon and registry file in pipeline/data/."""
    if not DATA.is_dir():
        return {}
    return {
        p.relative_to(DATA).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(DATA.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def fingerprint(sources: list[Source], rejects: list[Reject], sidecar_hashes: dict[str, str],
                max_bytes: int) -> tuple[str, dict]:
    """(fingerprint, provenance for the manifest) of the inputs found and the code that reads them."""
    inputs = [
        {"path": s.rel_path, "sha256": s.sha256, "size": s.size, "sidecar_sha256": sidecar_hashes.get(s.rel_path)}
        for s in sources
    ]
    discovered_rejects = [{"path": r.source_path, "reason": Reason(r.reason).value, "sha256": r.content_sha256}
                          for r in rejects]
    info = {
        "code_sha256": code_sha256(),
        "lexicons": lexicon_hashes(),
        "inputs": inputs,
        "inputs_rejected_at_discovery": discovered_rejects,
    }
    payload = json.dumps([__version__, max_bytes, info], sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest(), info

"""Discovery of raw inputs: walk the raw folder, hash bytes, read sidecar metadata."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pipeline.model import Reason, Reject, Source

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
SIDECAR_SUFFIX = ".meta.json"
# Sidecar keys and the Python types they must have; anything else is reported, not trusted.
SIDECAR_TYPES: dict[str, tuple[type, ...]] = {
    "url": (str,),
    "outlet": (str,),
    "published": (str,),
    "updated": (str,),
    "authors": (list,),
    "language": (str,),
    "title": (str,),
    "tags": (list,),
}
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, streamed so that a huge file is never held in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sidecar_paths(path: Path) -> list[Path]:
    """Both accepted sidecar names: NAME.meta.json beside NAME.ext, and NAME.ext.meta.json."""
    return [path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)]


def read_sidecar(path: Path) -> tuple[dict[str, Any], str | None, str]:
    """(valid fields, error message or None, sha256 of the sidecar bytes or "")."""
    for candidate in sidecar_paths(path):
        if not candidate.is_file():
            continue
        try:
            data = candidate.read_bytes()
        except OSError as exc:
            # a digest of its own, not "" (no sidecar): the input's cache key changes, so the
            # warning reaches its row, and changes again once the sidecar can be read
            message = f"sidecar {candidate.name} unreadable: {exc.strerror}"
            return {}, message, hashlib.sha256(message.encode()).hexdigest()
        digest = hashlib.sha256(data).hexdigest()
        try:
            meta = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            return {}, f"sidecar {candidate.name} is not valid JSON: {exc}", digest
        if not isinstance(meta, dict):
            return {}, f"sidecar {candidate.name} is not a JSON object", digest
        good, bad = {}, []
        for key, value in meta.items():
            expected = SIDECAR_TYPES.get(key)
            if expected is None:
                good[key] = value  # unknown keys are kept for the user's own use
            elif isinstance(value, expected) and (
                not isinstance(value, list) or all(isinstance(v, str) for v in value)
            ):
                good[key] = value
            else:
                bad.append(key)
        error = f"sidecar {candidate.name}: ignored fields of the wrong type: {', '.join(bad)}" if bad else None
        return good, error, digest
    return {}, None, ""


def discover(raw_dir: Path, max_bytes: int) -> tuple[list[Source], list[Reject], dict[str, str]]:
    """Every input under raw_dir (recursively, sorted), the rejects found on the way, and sidecar hashes.

    Symlinks are followed only when they stay inside raw_dir; loops and dangling links are rejected.
    Hidden files and folders (".name") are skipped: editors and VCS keep their state there.
    """
    raw_dir = raw_dir.resolve()
    sources: list[Source] = []
    rejects: list[Reject] = []
    sidecar_hashes: dict[str, str] = {}
    seen_dirs: set[tuple[int, int]] = set()

    root = str(raw_dir) + os.sep

    def rel(path: Path | str) -> str:
        # every path walked is raw_dir + "/" + names (links are followed, not resolved); string
        # slicing instead of Path.relative_to saved a third of discover at 10,000 files
        text = str(path)
        if text.startswith(root):
            return text[len(root):].replace(os.sep, "/")
        return Path(text).relative_to(raw_dir).as_posix()

    def walk(folder: Path) -> None:
        try:
            st = folder.stat()
        except OSError:
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            rejects.append(Reject(rel(folder), "discover", Reason.UNREADABLE, "symlink loop: folder already visited"))
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            rejects.append(Reject(rel(folder) or ".", "discover", Reason.UNREADABLE, f"cannot list folder: {exc.strerror}"))
            return
        names = {entry.name for entry in entries}
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    rejects.append(Reject(rel(path), "discover", Reason.UNREADABLE, "dangling symlink or symlink loop"))
                    continue
                if not target.is_relative_to(raw_dir):
                    rejects.append(Reject(rel(path), "discover", Reason.UNREADABLE, "symlink points outside the raw folder; not followed"))
                    continue
            if entry.is_dir():
                walk(path)
                continue
            if entry.name.endswith(SIDECAR_SUFFIX):
                continue
            fmt = FORMATS.get(path.suffix.lower())
            if fmt is None:
                rejects.append(Reject(rel(path), "discover", Reason.UNSUPPORTED, f"unsupported file type {path.suffix or '(none)'!r}; expected one of {sorted(FORMATS)}"))
                continue
            try:
                size = entry.stat().st_size   # follows links, as Path.stat does; no path parsing
                digest = file_sha256(path)
            except OSError as exc:
                rejects.append(Reject(rel(path), "read", Reason.UNREADABLE, f"cannot read file: {exc.strerror}"))
                continue
            if size > max_bytes:
                rejects.append(Reject(rel(path), "read", Reason.TOO_BIG, f"{size} bytes is over the limit of {max_bytes} bytes (--max-bytes)", digest))
                continue
            # the listing says whether a sidecar can exist (two stats per file otherwise)
            if entry.name + SIDECAR_SUFFIX in names or path.stem + SIDECAR_SUFFIX in names:
                sidecar, error, sidecar_digest = read_sidecar(path)
            else:
                sidecar, error, sidecar_digest = {}, None, ""
            if sidecar_digest:
                sidecar_hashes[rel(path)] = sidecar_digest
            sources.append(Source(path=path, rel_path=rel(path), size=size, sha256=digest, sidecar=sidecar, sidecar_error=error))

    if raw_dir.is_dir():
        walk(raw_dir)
    return sources, rejects, sidecar_hashes

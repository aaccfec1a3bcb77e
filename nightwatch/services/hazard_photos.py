"""Hazard photos (before, after, at re-inspection): cleaned like tip photos and kept under uploads/hazards."""
from __future__ import annotations

import secrets
from pathlib import Path

from nightwatch.config import Settings
from nightwatch.photos import PhotoRefused, clean_photo


class HazardRefused(Exception):
    """A hazard step was refused; the message is a catalog key."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _root(upload_dir: str | Path | None) -> Path:
    """The upload folder."""
    return Path(upload_dir or Settings.from_env().upload_dir)


def store_photo(photo: bytes | None, upload_dir: str | Path | None) -> str | None:
    """Clean a photo and keep it by a random name; its path relative to the upload folder."""
    if not photo:
        return None
    try:
        data, extension = clean_photo(photo)
    except PhotoRefused as refused:
        raise HazardRefused(refused.key) from None
    name = f"hazards/{secrets.token_hex(16)}.{extension}"
    target = _root(upload_dir) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return name


def forget_photo(name: str | None, upload_dir: str | Path | None) -> None:
    """Remove a stored photo whose step was never written."""
    if name:
        (_root(upload_dir) / name).unlink(missing_ok=True)


def photo_file(name: str | None, upload_dir: str | Path | None = None) -> Path | None:
    """The stored file of a photo path, only when it lies inside the upload folder and exists."""
    if not name:
        return None
    root = _root(upload_dir).resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None

"""File metadata stored by the server; the bytes live in S3-compatible storage (protocol 3.10).

Storage credentials are excluded from ``repr`` so they never end up in logs.
"""

from __future__ import annotations

from pydantic import Field

from colonies.models._base import GoTime, WireModel

__all__ = ["File", "FileLabel", "FileReference", "FileSummary", "S3Object"]


class S3Object(WireModel):
    """Where a file's bytes are stored, and how to reach them."""

    server: str = ""
    port: int = 0
    tls: bool = False
    access_key: str = Field(default="", repr=False)
    secret_key: str = Field(default="", repr=False)
    region: str = ""
    encryption_key: str = Field(default="", repr=False)
    encryption_alg: str = ""
    object: str = ""
    bucket: str = ""


class FileReference(WireModel):
    """The storage protocol and object of a file (``ref`` on the wire)."""

    protocol: str = ""
    s3_object: S3Object = Field(default_factory=S3Object)


class File(WireModel):
    """One revision of a file: adding the same label and name again makes a new revision."""

    file_id: str = ""
    colony_name: str = ""
    label: str = ""
    name: str = ""
    size: int = 0
    sequence_nr: int = 0
    checksum: str = ""
    checksum_alg: str = ""
    ref: FileReference = Field(default_factory=FileReference)
    added: GoTime = None


class FileSummary(WireModel):
    """The latest revision of a file under a label, as listed by ``get_files``."""

    name: str = ""
    checksum: str = ""
    size: int = 0
    s3_filename: str = ""


class FileLabel(WireModel):
    """A label (folder-like prefix) and how many files it holds."""

    name: str = ""
    files: int = 0

"""news-dataset: raw news articles to a clean, validated, versioned Parquet dataset."""

__version__ = "0.1.0"

from pipeline.load import load  # noqa: E402  (the one public helper: load a table of a version)

__all__ = ["__version__", "load"]

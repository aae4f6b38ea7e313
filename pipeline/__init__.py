"""news-dataset: raw news articles to a clean, validated, versioned Parquet dataset."""

__version__ = "0.1.0"

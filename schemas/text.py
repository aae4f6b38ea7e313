"""Text measures the tables and the pipeline must agree on (no pandas here: workers import it)."""


def word_count(text: str) -> int:
    """Words as the table counts them: runs of non-space characters."""
    # str.split() splits on exactly the characters regex \s matches (checked over every code
    # point) and is 3x faster than counting \S+ matches
    return len(text.split())

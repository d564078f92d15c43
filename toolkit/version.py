"""The toolkit's version, recorded in every manifest and Parquet file it writes."""

__version__ = "0.1.0"

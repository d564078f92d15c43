"""The built-in schemas, installed from the repository's schemas/ folder."""

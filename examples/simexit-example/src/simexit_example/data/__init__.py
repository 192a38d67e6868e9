"""Data files of the XA demonstration package."""

"""The SMTP ingest server and what it feeds: the BCC dropbox (and, later, the parsing-rules address)."""

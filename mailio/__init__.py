"""Mail in and out: IMAP/POP mailboxes, SMTP sending, the dropbox ingest server, bounces, DNS."""

"""IMAP: connecting (with reconnects), incremental sync by UIDVALIDITY/UID, IDLE, appending sent mail."""

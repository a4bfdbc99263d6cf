"""POP3: connecting, and sync by UIDL with leave-on-server or delete-after-storing."""

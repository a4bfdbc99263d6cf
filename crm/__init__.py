"""The CRM domain: users and records, mail and its links, one folder per domain."""

"""Sending: the org relay, verified from-addresses, the outbox and the ``mail.send`` job."""

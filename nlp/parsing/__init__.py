"""The parse stage: any real mail to a decoded body and its metadata, fast, bounded and never raising.

Modules, one role each:
- ``parse``: the entry points (``parse_raw``, ``parse_text``, ``parse_html``) and their ``Limits``;
- ``component``: the pipeline component "parse";
- ``message``: ``ParsedMessage`` and the records it holds (attachments, calendar events, auto info);
- ``headers`` (header blocks), ``words`` (RFC 2047, raw 8-bit), ``addresses``, ``params`` (MIME
  parameters, RFC 2231), ``mime`` (the part tree), ``transfer`` (base64, quoted-printable);
- ``charsets`` and ``japanese``: bytes to text for every label real mail carries;
- ``body`` (which parts a person reads), ``html_text`` (HTML to text), ``attachments``, ``ical``
  (calendar invites), ``auto`` (auto-replies, bounces, bulk and list mail);
- ``envelope``: the headers the CRM stores, read without parsing the body.
"""

"""The HTTP face of the service: the /v1 API for apps and the web UI for people."""

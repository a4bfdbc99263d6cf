"""A user's mail server accounts: settings (password encrypted), folders, sync state, API rules and jobs."""

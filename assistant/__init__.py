"""The assistant: settings, logging, the job layer, the CLI, and the features reps use."""

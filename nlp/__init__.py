"""The NLP pipeline: from raw mail to new text, signature, intents, activities and summaries."""

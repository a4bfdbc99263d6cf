"""Request detection (sentence level) and e-mail intents and insights: data, training, shipped weights."""

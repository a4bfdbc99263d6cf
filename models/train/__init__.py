"""Training of the shipped heads: one ``train(shared_data_dir) -> Path`` per model (see ``MODELS``)."""

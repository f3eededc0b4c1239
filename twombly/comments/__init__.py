"""Readers' comments: the model, the JSON store, forms, views and the frozen-copy endpoint."""

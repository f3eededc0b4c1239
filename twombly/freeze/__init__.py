"""`flask freeze`: the live routes written to a static copy by Frozen-Flask."""

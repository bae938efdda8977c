"""Our own training examples for the intent classifier, one module per language.

Each language module holds slot values (product names and slang, quantities, ports,
dates, prices, competitors) and message templates per intent, written for this
project; `examples.training_examples()` expands them with a fixed seed. Nothing here
comes from the evaluation cases.
"""

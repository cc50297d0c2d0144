"""Management commands of the summits plugin."""

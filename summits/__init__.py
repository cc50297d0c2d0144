"""summits: a reusable Django app for newsroom coverage of summits, their agreements and disputes."""

"""Demo content for `manage.py seed_demo`: the Geneva summit of 2021 in German and English."""

"""The partner API: an authenticated, incrementally syncable feed of published summits."""

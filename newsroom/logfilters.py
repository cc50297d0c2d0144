"""Logging filters of the host project."""

import logging
import threading
import time


class DatabaseOutageOncePerInterval(logging.Filter):
    """Lets through one record of a database outage per interval, not one per request.

    While the database is away, every request fails the same way: Django would log each with
    its whole traceback (800 in a 20 s outage at 40 requests/s). The first one is logged, then
    one every `interval` seconds saying how many like it were left out. Other errors pass.
    """

    def __init__(self, interval=60.0):
        super().__init__()
        self.interval = float(interval)
        self.lock = threading.Lock()
        self.last = None
        self.left_out = 0

    def filter(self, record):
        from newsroom.health import is_database_outage  # configured before the apps load

        error = record.exc_info[1] if record.exc_info else None
        if error is None or not is_database_outage(error):
            return True
        now = time.monotonic()
        with self.lock:
            if self.last is not None and now - self.last < self.interval:
                self.left_out += 1
                return False
            if self.left_out:
                record.msg = f"{record.msg} (and {self.left_out} more like it left out of the log)"
            self.last, self.left_out = now, 0
        return True

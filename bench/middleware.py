"""The HTTP benchmark's middleware (bench/settings.py puts it first)."""

import os

from django.db import connection


def count_queries(get_response):
    """Sets X-Bench-Queries: the SQL statements the request ran on the default database, the
    other middleware's included; and X-Bench-Worker: the process that served it."""

    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-Queries"] = str(count)
        response["X-Bench-Worker"] = str(os.getpid())
        return response

    return middleware

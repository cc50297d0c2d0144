"""Keyset (cursor) pagination on a timestamp with the id as tie-breaker.

DRF's CursorPagination keys on one field and counts an offset among equal values, which
shifts when rows change between two requests. Here the cursor holds the full key of the
row it continues after, (timestamp, id), so a page starts exactly after that row whatever
changed meanwhile. Rows whose timestamp moves forward (an edited summit) leave their old
place and show up again later in the walk; no row is skipped.
"""

from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import UTC, datetime
from urllib import parse

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class KeysetPagination(CursorPagination):
    ordering = ("changed_at", "id")
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = _("Results per page, 1 to %(max)d (default %(default)d).") % {
        "max": MAX_PAGE_SIZE,
        "default": DEFAULT_PAGE_SIZE,
    }
    cursor_query_description = _(
        "Where the page starts: the `next` or `previous` link of the page before. Opaque."
    )

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.reverse, position = self.decode_cursor(request)
        time_field, id_field = self.ordering

        if position is not None:
            moment, pk = position
            if self.reverse:
                queryset = queryset.filter(**{f"{time_field}__lte": moment}).filter(
                    Q(**{f"{time_field}__lt": moment}) | Q(**{f"{id_field}__lt": pk})
                )
            else:
                # The first condition alone can use the (timestamp, id) index as a range.
                queryset = queryset.filter(**{f"{time_field}__gte": moment}).filter(
                    Q(**{f"{time_field}__gt": moment}) | Q(**{f"{id_field}__gt": pk})
                )
        direction = "-" if self.reverse else ""
        queryset = queryset.order_by(f"{direction}{time_field}", f"{direction}{id_field}")

        rows = list(queryset[: self.page_size + 1])
        has_more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if self.reverse:
            self.page.reverse()
            self.has_next, self.has_previous = position is not None, has_more
        else:
            self.has_next, self.has_previous = has_more, position is not None
        return self.page

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        try:
            size = int(value)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return False, None
        try:
            tokens = parse.parse_qs(urlsafe_b64decode(encoded.encode("ascii")).decode("ascii"))
            reverse = tokens.get("r", ["0"])[0] == "1"
            moment, pk = tokens["p"][0].rsplit("|", 1)
            moment = datetime.fromisoformat(moment)
            if moment.tzinfo is None:
                raise ValueError("naive time in cursor")
            # In UTC, as the cursors given out are: an offset the database does not know
            # (+23:59) or a time past the calendar's ends cannot reach the query.
            moment = moment.astimezone(UTC)
            pk = int(pk)
            if not 0 < pk < 2**63:
                raise ValueError("id out of range")
            return reverse, (moment, pk)
        except (KeyError, TypeError, ValueError, UnicodeError, OverflowError):
            raise ValidationError(
                {self.cursor_query_param: [_("Invalid cursor: use a `next` or `previous` link.")]}
            ) from None

    def encode_cursor(self, row, *, reverse):
        time_field, id_field = self.ordering
        tokens = {"p": f"{getattr(row, time_field).isoformat()}|{getattr(row, id_field)}"}
        if reverse:
            tokens["r"] = "1"
        encoded = urlsafe_b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_next_link(self):
        if not self.has_next:
            return None
        if not self.page:  # walked back past the first row: start from the beginning
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor(self.page[-1], reverse=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return None
        return self.encode_cursor(self.page[0], reverse=True)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=DEFAULT_PAGE_SIZE
                )
        return parameters

"""API pagination that never counts the whole table.

Cursor pagination orders by a stable key and fetches one extra row to know
whether a next page exists: constant cost per page at a million rows.
"""

from rest_framework.pagination import CursorPagination


class StandardPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

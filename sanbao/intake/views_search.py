"""The global search page (全文检索): ranked matters of the user's jurisdiction with highlighted snippets."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from sanbao.core.ui import render_page
from sanbao.intake.search import MAX_PAGE, page_number, search
from sanbao.matters.models import Matter

PAGE_SIZE = 20
# 一案一码: a whole code typed into the search box opens the matter.
CODE = re.compile(r"^[A-Z]{2}-\d{9}-\d{4}-\d{6}$")


@login_required
def search_page(request):
    query = request.GET.get("q", "").strip()[:200]
    if CODE.match(query.upper()):
        # Only a matter in the user's scope: an out-of-scope code reads like an unknown one.
        code = Matter.objects.visible_to(request.user).filter(code=query.upper()).values_list("code", flat=True)
        if code:
            return redirect("matters:matter_detail", code[0])
    page = page_number(request.GET.get("page"))
    hits, has_more = search(request.user, query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    context = {
        "query": query,
        "hits": hits,
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if has_more and page < MAX_PAGE else None,
        "first_index": (page - 1) * PAGE_SIZE,
    }
    return render_page(request, "intake/search.html", context, fragment="intake/search_results.html")
